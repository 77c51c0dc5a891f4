//! Typed AT-command APIs for cellular modules' SSL/TLS commands, generated at
//! build time from the atgen spec (`spec/*.toml`). One module per family, each
//! behind a cargo feature named like the family id.
#![cfg_attr(not(feature = "std"), no_std)]

/// The resolved spec (IR) as JSON, as the build script produced it.
pub const SPEC_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/spec.json"));

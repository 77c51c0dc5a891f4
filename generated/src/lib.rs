//! Typed AT-command APIs for cellular modules' SSL/TLS commands, generated at
//! build time from the atgen spec (`spec/*.toml`). One module per family, each
//! behind a cargo feature named like the family id.
//!
//! Every family module holds a request type per command form (validated before
//! a byte is written), response and URC types with their parsers and
//! formatters, error-code enums, and the family marker type implementing
//! [`atgen_runtime::Family`].
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

/// The resolved spec (IR) as JSON, as the build script produced it.
pub const SPEC_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/spec.json"));

include!(concat!(env!("OUT_DIR"), "/families.rs"));

#[cfg(feature = "std")]
pub mod sim;

#[cfg(feature = "std")]
pub mod ssl;

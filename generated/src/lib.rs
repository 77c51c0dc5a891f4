//! Typed AT-command APIs for cellular modules' SSL/TLS commands, generated at
//! build time from the atgen spec (`spec/*.toml`). One module per family, each
//! behind a cargo feature named like the family id (`all-families`, on by
//! default, builds every family of the spec). [`FAMILIES`] lists the families of
//! the build; [`with_family!`] and [`for_each_family!`] dispatch to them.
//!
//! Every family module holds a request type per command form (validated before
//! a byte is written), response and URC types with their parsers and
//! formatters, error-code enums, and the family marker type implementing
//! [`atgen_runtime::Family`].
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

/// The runtime the generated code plugs into (link, socket, errors), so one
/// dependency is enough.
pub use atgen_runtime as runtime;

/// The resolved spec (IR) as JSON, as the build script produced it.
pub const SPEC_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/spec.json"));

include!(concat!(env!("OUT_DIR"), "/families.rs"));

#[cfg(feature = "serde")]
pub mod decode;
#[cfg(feature = "sim")]
pub mod sim;

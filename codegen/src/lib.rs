//! atgen-codegen: the spec model, its validation passes, the IR and the emitters.
//!
//! `spec/*.toml` → [`load`] (raw [`model`], spans kept) → [`validate`] (named
//! passes, every diagnostic in one run) → [`ir`] (no TOML types) → emitters.

pub mod builder;
pub mod diag;
pub mod emit;
pub mod ir;
pub mod load;
pub mod model;
pub mod names;
pub mod template;
pub mod validate;

pub use builder::{BuildError, Builder, Generated};
pub use diag::{Diagnostic, Diagnostics};
pub use validate::load_spec;

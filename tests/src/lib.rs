//! Cross-crate integration and end-to-end tests of atgen live in `tests/`.
//!
//! [`gen`] builds random lines from the spec's templates for the property tests,
//! and [`with_family!`] dispatches to a family's generated module by family id.

pub mod gen;

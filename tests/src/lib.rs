//! Cross-crate integration and end-to-end tests of atgen live in `tests/`.
//! The README's examples are compiled and run as doctests of this crate.
#![doc = include_str!("../../README.md")]
//!
//! [`gen`] builds random lines from the spec's templates for the property tests,
//! [`with_family!`] dispatches to a family's generated module by family id, and
//! [`framing`] computes the payload rates the AT framing allows (the throughput bench).

pub mod cli;
pub mod e2e;
pub mod framing;
pub mod gen;
pub mod transcript;

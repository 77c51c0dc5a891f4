//! Cross-crate integration and end-to-end tests of atgen live in `tests/`.

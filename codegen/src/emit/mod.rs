//! Emitters: each reads only the IR.

pub mod markdown;
pub mod rust;

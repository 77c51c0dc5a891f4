//! Running generic code against the generated module of a family chosen at run time.

/// `with_family!(id, m => expr)`: evaluates `expr` with `m` naming the family's
/// generated module; an unknown id is a usage error listing the known ones.
macro_rules! with_family {
    ($id:expr, $m:ident => $body:expr) => {
        atgen::with_family!($id, $m => $body, other => Err($crate::dispatch::unknown(other)))
    };
}

pub(crate) use with_family;

/// The family ids this binary was built with, from the generated registry.
pub const KNOWN: &[&str] = &atgen::FAMILY_IDS;

pub fn unknown(id: &str) -> super::Failure {
    super::Failure::usage(format!(
        "unknown family `{id}`; known families: {}",
        KNOWN.join(", ")
    ))
}

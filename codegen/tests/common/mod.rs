//! The repository's spec, loaded once per test that needs it.

use atgen_codegen::ir::Spec;
use std::path::Path;

pub fn spec() -> Spec {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("spec");
    match atgen_codegen::load_spec(&[dir]) {
        Ok(s) => s,
        Err(d) => panic!("spec does not load:\n{}", d.render()),
    }
}

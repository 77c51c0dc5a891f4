//! Runs atgen-codegen over `spec/` and writes the generated code into OUT_DIR.

use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let spec_dir = manifest.join("..").join("spec");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    println!("cargo:rerun-if-changed={}", spec_dir.display());
    if let Ok(files) = atgen_codegen::load::spec_files(std::slice::from_ref(&spec_dir)) {
        for f in files {
            println!("cargo:rerun-if-changed={}", f.display());
        }
    }
    let spec = match atgen_codegen::load_spec(&[spec_dir]) {
        Ok(s) => s,
        Err(diags) => {
            for d in diags.iter() {
                println!("cargo:warning={d}");
            }
            eprintln!("{}", diags.render());
            std::process::exit(1);
        }
    };
    let json = serde_json::to_string(&spec).unwrap_or_default();
    write_if_changed(&out.join("spec.json"), json.as_bytes());
    match atgen_codegen::emit::rust::all_families(&spec) {
        Ok(code) => write_if_changed(&out.join("families.rs"), code.as_bytes()),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}

/// Writes only when the content changed, so cargo does not rebuild for nothing.
fn write_if_changed(path: &Path, bytes: &[u8]) {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return;
    }
    if let Err(e) = std::fs::write(path, bytes) {
        eprintln!("cannot write {}: {e}", path.display());
        std::process::exit(1);
    }
}

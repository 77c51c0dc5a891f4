//! Generates the family modules and the registry from `spec/` into OUT_DIR,
//! for the families whose cargo feature is on (every one with `all-families`).
//! A spec with problems fails the build, except with the `cli` feature: then
//! the crate builds without families, so `cargo run -p atgen -- spec check`
//! shows the diagnostics instead of a build-script failure.

use atgen_codegen::BuildError;

fn main() {
    let result = atgen_codegen::Builder::new()
        .spec("../spec")
        .root("..")
        .cargo_features(Some("all-families"))
        .stub_on_error("cli")
        .file_name("families.rs")
        .json("spec.json")
        .generate();
    match result {
        Ok(_) => {}
        Err(e @ BuildError::Stubbed(_)) => {
            eprintln!("{e}");
            println!("cargo:warning=the atgen spec has problems: this build has no families; run `cargo run -p atgen -- spec check`");
        }
        Err(e) => {
            // The diagnostics in full (file:line:col, snippet, help), then a one-line summary
            // cargo shows even when it hides the build script's output.
            eprintln!("{e}");
            println!("cargo:warning=the atgen spec has problems; run `cargo run -p atgen -- spec check` or read the build script output above");
            std::process::exit(1);
        }
    }
}

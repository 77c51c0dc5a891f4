//! Generates the family modules and the registry from `spec/` into OUT_DIR,
//! for the families whose cargo feature is on (every one with `all-families`).

fn main() {
    let result = atgen_codegen::Builder::new()
        .spec("../spec")
        .root("..")
        .cargo_features(Some("all-families"))
        .file_name("families.rs")
        .json("spec.json")
        .generate();
    if let Err(e) = result {
        // The diagnostics in full (file:line:col, snippet, help), then a one-line summary
        // cargo shows even when it hides the build script's output.
        eprintln!("{e}");
        println!("cargo:warning=the atgen spec has problems; run `cargo run -p atgen -- spec check` or read the build script output above");
        std::process::exit(1);
    }
}

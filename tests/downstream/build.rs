//! Generates this crate's typed API from its own spec (`spec/`) into OUT_DIR,
//! the way a downstream crate does: atgen-codegen's build API, written only
//! when the content changed.

fn main() {
    if let Err(e) = atgen_codegen::Builder::new().spec("spec").generate() {
        eprintln!("{e}");
        std::process::exit(1);
    }
}

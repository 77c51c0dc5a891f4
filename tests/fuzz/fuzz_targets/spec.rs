//! The spec pipeline on fuzzed TOML: the loader (`load::parse`), the validation passes
//! (`validate::check`, `validate::resolve`), every diagnostic rendered (`render`,
//! `location`, `Display`), and for a spec that resolves, code generation
//! (`emit::rust::all_families`) and the Markdown reference (`emit::markdown::render`).
//! Nothing may panic (build with `-D`: debug assertions catch overflows), and generated
//! code must parse as Rust (an emitter error "generated code does not parse" means the
//! validator let through a spec the generator cannot handle).
//!
//! Input: UTF-8 text (invalid bytes replaced); NUL bytes separate several spec files.
//! The real shared table file (`spec/shared/quectel-lte-ssl-errors.toml`) is always
//! loaded beside them, as the real family specs use it.
#![no_main]

use atgen_codegen::{emit, load, validate, Diagnostics};
use libfuzzer_sys::fuzz_target;

const SHARED: &str = include_str!("../../../spec/shared/quectel-lte-ssl-errors.toml");

fn render_all(diags: &Diagnostics) {
    let _ = diags.render();
    let _ = diags.to_string();
    for d in diags.iter() {
        let _ = d.location();
    }
}

fuzz_target!(|input: &[u8]| {
    let text = String::from_utf8_lossy(input);
    let mut files = Vec::new();
    let mut diags = Diagnostics::default();
    for (i, part) in text.split('\0').take(4).enumerate() {
        match load::parse(&format!("spec/fuzz{i}.toml"), part) {
            Ok(l) => files.push(l),
            Err(d) => {
                let _ = d.render();
                let _ = d.to_string();
                diags.push(d);
            }
        }
    }
    render_all(&diags);
    if files.is_empty() {
        // Nothing of the input loaded: the rest would only see the shared table.
        return;
    }
    match load::parse("spec/shared/quectel-lte-ssl-errors.toml", SHARED) {
        Ok(l) => files.push(l),
        Err(d) => panic!("the real shared table does not load: {d}"),
    }
    // `resolve` runs `check` (every pass) first and returns its diagnostics.
    let spec = match validate::resolve(&files) {
        Ok(s) => s,
        Err(d) => {
            render_all(&d);
            return;
        }
    };
    match emit::rust::all_families(&spec, &|_| true) {
        Ok(_) => {}
        Err(e) if e.0.contains("does not parse") => {
            panic!("a spec that validates generates invalid Rust: {}", e.0)
        }
        Err(_) => {}
    }
    let _ = emit::markdown::render(&spec);
});

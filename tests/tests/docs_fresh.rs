//! docs/ is generated from spec/ by `atgen doc`; this fails when it is stale.

use std::collections::BTreeMap;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn rendered() -> BTreeMap<String, String> {
    let spec = match atgen_codegen::load_spec(&[root().join("spec")]) {
        Ok(s) => s,
        Err(d) => panic!("spec/ does not load:\n{}", d.render()),
    };
    atgen_codegen::emit::markdown::render(&spec)
}

#[test]
fn docs_directory_matches_the_spec() {
    let docs = root().join("docs");
    let mut stale = Vec::new();
    for (name, content) in rendered() {
        match std::fs::read_to_string(docs.join(&name)) {
            Ok(on_disk) if on_disk == content => {}
            Ok(_) => stale.push(format!("stale:   docs/{name}")),
            Err(_) => stale.push(format!("missing: docs/{name}")),
        }
    }
    assert!(
        stale.is_empty(),
        "docs/ is not up to date with spec/:\n  {}\nrun `cargo run -p atgen -- doc --out docs` and commit the result",
        stale.join("\n  ")
    );
}

#[test]
fn docs_index_links_every_family_page() {
    let pages = rendered();
    let readme = &pages["README.md"];
    for name in pages.keys().filter(|n| *n != "README.md") {
        assert!(
            readme.contains(&format!("]({name})")),
            "README.md does not link {name}"
        );
    }
}

//! The emitter over the real spec: deterministic, complete, readable.

use super::render;
use crate::ir::Spec;
use std::path::PathBuf;

fn spec() -> Spec {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec"));
    match crate::load_spec(&[dir]) {
        Ok(s) => s,
        Err(d) => panic!("spec/ does not load:\n{}", d.render()),
    }
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    let spec = spec();
    let a = render(&spec);
    let b = render(&spec);
    assert_eq!(a, b);
    assert!(a.contains_key("README.md"));
    for id in spec.families.keys() {
        assert!(a.contains_key(&format!("{id}.md")), "no page for {id}");
    }
    for (name, text) in &a {
        assert!(!text.contains('\r'), "{name} has a CR");
        assert!(
            text.ends_with('\n') && !text.ends_with("\n\n"),
            "{name} ends badly"
        );
    }
}

#[test]
fn matrix_lists_qsslopen_for_all_five_families() {
    let spec = spec();
    let docs = render(&spec);
    let readme = &docs["README.md"];
    let row = readme
        .lines()
        .find(|l| l.starts_with("| `AT+QSSLOPEN` |"))
        .expect("a QSSLOPEN row");
    assert_eq!(row.matches("✓").count(), 5, "{row}");
    assert!(!row.contains('—'), "{row}");
}

#[test]
fn family_page_contains_a_known_erratum() {
    let docs = render(&spec());
    let page = &docs["quectel-ec2x.md"];
    assert!(
        page.contains("Letters O/o stand for the digit 0"),
        "the cipher-suite OCR erratum is missing"
    );
    assert!(page.contains("### E1: section 1.1, 2.2.1"));
}

#[test]
fn differences_show_pdp_context_ranges_and_bc26_argument_order() {
    let docs = render(&spec());
    let readme = &docs["README.md"];
    assert!(readme.contains("`1..=16`"), "ec2x <PDP_ctxID> range");
    assert!(readme.contains("`1..=15`"), "ec200x <PDP_ctxID> range");
    assert!(readme.contains(r#"`AT+QSSLCFG=<contextID>,<connectID>,"sslversion"[,<sslversion>]`"#));
}

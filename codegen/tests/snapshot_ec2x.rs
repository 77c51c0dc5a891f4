//! The Rust the emitter generates for one family, under review as an insta snapshot,
//! and the emitter's determinism.
//!
//! A changed snapshot means the generated API changed: review the `.snap.new` diff
//! (`INSTA_UPDATE=always cargo test -p atgen-codegen --test snapshot_ec2x` rewrites it).

use atgen_codegen::emit::rust::{all_families, family_source, HEADER};
use atgen_codegen::ir::Spec;

mod common;
use common::spec;

fn ec2x_source(spec: &Spec) -> String {
    let fam = spec
        .families
        .get("quectel-ec2x")
        .expect("the spec has quectel-ec2x");
    family_source(fam).expect("quectel-ec2x generates")
}

#[test]
fn quectel_ec2x_generated_code() {
    let code = ec2x_source(&spec());
    insta::assert_snapshot!("quectel_ec2x_family_source", code);
}

#[test]
fn generation_is_deterministic() {
    // Two independent loads and emissions give the same bytes.
    let (a, b) = (spec(), spec());
    assert_eq!(ec2x_source(&a), ec2x_source(&b));
    let all_a = all_families(&a, &|_| true).expect("all families generate");
    let all_b = all_families(&b, &|_| true).expect("all families generate");
    assert!(all_a == all_b, "all_families differs between two runs");
    for fam in a.families.values() {
        assert_eq!(
            family_source(fam).expect("generates"),
            family_source(&b.families[&fam.id]).expect("generates"),
            "{} differs between two runs",
            fam.id
        );
    }
}

#[test]
fn output_starts_with_the_generated_header() {
    let spec = spec();
    assert!(HEADER.starts_with("// @generated"));
    let code = ec2x_source(&spec);
    assert!(code.starts_with(HEADER), "{}", &code[..code.len().min(200)]);
    let all = all_families(&spec, &|_| true).expect("all families generate");
    assert!(all.starts_with(HEADER));
    for fam in spec.families.values() {
        assert!(family_source(fam).expect("generates").starts_with(HEADER));
    }
}

//! The descriptor of a parameter says whether it is quoted, for every kind of
//! value, including kinds the spec does not quote today (a quoted `int`); the
//! runtime's codec reads and writes the quotes from it (its tests cover both).

use atgen_codegen::emit::rust::family_source;

mod common;
use common::spec;

/// The declaration of a descriptor static, whitespace folded, up to its `;`.
fn static_decl(code: &str, name: &str) -> String {
    let start = code
        .find(&format!("pub static {name}:"))
        .unwrap_or_else(|| panic!("no `{name}`"));
    let rest = &code[start..];
    let end = rest.find(';').unwrap_or(rest.len());
    rest[..end].split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_quoted_int_is_described_as_quoted() {
    let mut spec = spec();
    let fam = spec
        .families
        .get_mut("quectel-ec2x")
        .expect("the spec has quectel-ec2x");
    let p = fam.params.get_mut("clientID").expect("<clientID>");
    assert_eq!(p.ty, atgen_codegen::model::ParamType::Int);
    let before = static_decl(&family_source(fam).expect("generates"), "PARAM_CLIENT_ID");
    assert!(!before.contains(".quoted()"), "{before}");
    fam.params.get_mut("clientID").expect("<clientID>").quoted = true;
    let code = family_source(fam).expect("generates");
    let after = static_decl(&code, "PARAM_CLIENT_ID");
    assert!(after.contains(".quoted()"), "{after}");
    assert!(after.contains("Kind::Int"), "{after}");
    // `+QSSLOPEN: <clientID>,<err>` takes the field from that descriptor.
    // (Descriptors are macro arguments, printed as tokens: spaces are no matter.)
    let urc = static_decl(&code, "URC_QSSLOPEN_RESULT").replace(' ', "");
    assert!(urc.contains("&[of(&PARAM_CLIENT_ID)"), "{urc}");
}

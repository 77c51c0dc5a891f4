//! The generated parser and writer of a line agree on quotes for every kind of
//! value, including kinds the spec does not quote today (a quoted `int`).

use atgen_codegen::emit::rust::family_source;

mod common;
use common::spec;

/// The text of `fn <name>` inside `impl <ty> {`, up to the next `fn` of the impl.
fn method<'s>(code: &'s str, ty: &str, name: &str) -> &'s str {
    let imp = code
        .find(&format!("\nimpl {ty} {{"))
        .unwrap_or_else(|| panic!("no `impl {ty}`"));
    let rest = &code[imp..];
    let end = rest.find("\n}\n").unwrap_or(rest.len());
    let body = &rest[..end];
    let start = body
        .find(&format!("fn {name}"))
        .unwrap_or_else(|| panic!("no `fn {name}` in `impl {ty}`"));
    let body = &body[start..];
    let next = body[1..]
        .find("\n    pub fn ")
        .map_or(body.len(), |i| i + 1);
    &body[..next]
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_quoted_int_is_parsed_and_written_inside_quotes() {
    let mut spec = spec();
    let fam = spec
        .families
        .get_mut("quectel-ec2x")
        .expect("the spec has quectel-ec2x");
    let p = fam.params.get_mut("clientID").expect("<clientID>");
    assert_eq!(p.ty, atgen_codegen::model::ParamType::Int);
    p.quoted = true;
    let code = family_source(fam).expect("generates");
    // `+QSSLOPEN: <clientID>,<err>`
    let parse = squash(method(&code, "QsslopenResult", "parse_with"));
    let write = squash(method(&code, "QsslopenResult", "write_to"));
    assert!(
        parse.contains(
            r#"p.lit("\"")?; let start = p.pos(); let raw = p.int("<clientID> (integer)")?;"#
        ),
        "parse_with does not read the quotes:\n{parse}"
    );
    assert!(
        write.contains(
            r#"sink.put(b"\"")?; rt::wire::put_int(sink, i64::from(v))?; sink.put(b"\"")?;"#
        ),
        "write_to does not write the quotes:\n{write}"
    );
}

//! Error, result-code and cipher-suite tables of a family, in English and
//! Chinese, cipher-suite codes in hex.

use super::facts::{hex, spec_path, table_kind};
use super::text::{anchor, code, prose, slug, Table};
use crate::ir::{Family, HexFormat, Table as IrTable};
use crate::model::{ParamType, TableKind};

/// The anchor of a table on its family page.
pub fn anchor_id(id: &str) -> String {
    slug(&format!("table-{id}"))
}

/// How a code of this table is written: in hex the way the parameters that
/// take it write it (`0X0035`), in decimal otherwise.
fn code_text(fam: &Family, t: &IrTable, v: i64) -> String {
    let user = fam
        .params
        .values()
        .find(|p| p.values_from.as_deref() == Some(t.id.as_str()) && p.ty == ParamType::Hex);
    match (user, t.kind) {
        (Some(p), _) => hex(v, &p.hex),
        (None, TableKind::CipherSuites) => hex(
            v,
            &HexFormat {
                prefix: "0X".into(),
                digits: 4,
                lowercase: false,
            },
        ),
        (None, _) => v.to_string(),
    }
}

pub fn section(fam: &Family, t: &IrTable) -> String {
    let mut out = String::new();
    out.push_str(&anchor(&anchor_id(&t.id)));
    out.push('\n');
    out.push_str(&format!("### {}\n\n", prose(&t.title)));

    let mut facts: Vec<String> = vec![
        format!("Kind: {}", table_kind(t.kind)),
        format!("spec id {}", code(&t.id)),
        format!("declared in {}", code(&spec_path(&t.spec_file))),
    ];
    if let Some(s) = &t.section {
        facts.push(format!("manual section {}", prose(s)));
    }
    if let Some(s) = &t.source {
        facts.push(format!("source: {}", prose(s)));
    }
    let users: Vec<String> = fam
        .params
        .values()
        .filter(|p| p.values_from.as_deref() == Some(t.id.as_str()))
        .map(|p| code(&format!("<{}>", p.name)))
        .collect();
    if !users.is_empty() {
        facts.push(format!("values of {}", users.join(", ")));
    }
    if fam.errors.iter().any(|e| e == &t.id) {
        facts.push("explains the family's error results".into());
    }
    out.push_str(&facts.join("; "));
    out.push_str(".\n\n");

    let with_families = t.entries.iter().any(|e| !e.families.is_empty());
    let mut header = vec!["Code", "Name", "English", "Chinese"];
    if with_families {
        header.push("Only in");
    }
    let mut table = Table::new(header);
    for e in &t.entries {
        let mut row = vec![
            code(&code_text(fam, t, e.code)),
            code(&e.name),
            e.en.as_deref().map(prose).unwrap_or_default(),
            e.zh.as_deref().map(prose).unwrap_or_default(),
        ];
        if with_families {
            row.push(e.families.join(", "));
        }
        table.row(row);
    }
    out.push_str(&table.render());
    out.push('\n');
    out
}

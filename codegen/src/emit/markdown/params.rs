//! The parameter table of a command or URC: manual name, type, values,
//! default, unit and every dependency the spec records.

use super::facts::{bilingual, condition_with_note, int_of, literal, param_ref, range, type_text};
use super::text::{code, link, prose, Table};
use crate::ir::{Family, Param};
use crate::template::{params_of, Token};

/// Parameter keys named by templates, in order of first appearance.
pub fn keys_in(templates: &[&[Token]], extra: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |k: &str| {
        if !out.iter().any(|o| o == k) {
            out.push(k.to_string());
        }
    };
    for t in templates {
        for (name, _, _) in params_of(t) {
            add(&name);
        }
    }
    for k in extra {
        add(k);
    }
    out
}

/// The table of the given parameters; keys the family does not declare are
/// skipped, columns empty for all of them are left out, and a parameter's
/// section is shown only where it is not `section` (the command's).
pub fn table(fam: &Family, keys: &[String], section: &str) -> String {
    let mut t = Table::new([
        "Parameter",
        "Type",
        "Range / values",
        "Default",
        "Unit",
        "Conditions",
        "Description",
    ]);
    for key in keys {
        let Some(p) = fam.params.get(key) else {
            continue;
        };
        t.row([
            name_cell(p),
            type_text(p),
            values_cell(fam, p),
            p.default
                .as_ref()
                .map(|d| code(&literal(p, d)))
                .unwrap_or_default(),
            unit_cell(fam, p),
            conditions_cell(fam, p),
            description_cell(p, section),
        ]);
    }
    if t.is_empty() {
        String::new()
    } else {
        t.without_empty_columns(&[0, 1, 6]).render()
    }
}

fn name_cell(p: &Param) -> String {
    let mut out = code(&format!("<{}>", p.name));
    if p.key != p.name {
        out.push_str(&format!("\n(spec key {})", code(&p.key)));
    }
    out
}

/// Range, conditional ranges, values the firmware accepts, enumerated values, length.
pub fn values_cell(fam: &Family, p: &Param) -> String {
    let mut lines: Vec<String> = Vec::new();
    if let Some(r) = p.range {
        lines.push(code(&range(p, r)));
    }
    for rw in &p.range_when {
        let cond = condition_with_note(
            fam,
            &crate::ir::Condition {
                param: rw.param.clone(),
                equals: rw.equals,
                note: rw.note.clone(),
            },
        );
        lines.push(format!("{} while {cond}", code(&range(p, rw.range))));
    }
    if let Some(s) = &p.supported {
        let list: Vec<String> = s.iter().map(|v| code(&int_of(p, *v))).collect();
        let mut line = format!("currently supported: {}", list.join(", "));
        if let Some(n) = &p.supported_note {
            line.push_str(&format!(" ({})", prose(n)));
        }
        lines.push(line);
    }
    let table = p
        .values_from
        .as_ref()
        .and_then(|id| fam.tables.get(id).map(|t| (id, t)));
    match table {
        Some((id, t)) => {
            let target = format!("#{}", super::tables::anchor_id(id));
            let title = link(&prose(&t.title), &target);
            if p.values.len() == t.entries.len() {
                lines.push(format!("the {} codes of {title}", p.values.len()));
            } else {
                let codes: Vec<String> = p
                    .values
                    .iter()
                    .map(|v| code(&literal(p, &v.value)))
                    .collect();
                lines.push(format!(
                    "{} of the {} codes of {title}: {}",
                    p.values.len(),
                    t.entries.len(),
                    codes.join(", ")
                ));
            }
        }
        None => {
            for v in &p.values {
                let meaning = bilingual(v.meaning.as_deref(), v.meaning_en.as_deref());
                if meaning.is_empty() {
                    lines.push(code(&literal(p, &v.value)));
                } else {
                    lines.push(format!("{}: {meaning}", code(&literal(p, &v.value))));
                }
            }
        }
    }
    if p.open_enum && !p.values.is_empty() {
        lines.push("other values are kept as they come".into());
    }
    if let Some(m) = p.max_len {
        lines.push(format!("at most {m} bytes"));
    }
    lines.join("\n")
}

fn unit_cell(fam: &Family, p: &Param) -> String {
    let mut lines: Vec<String> = Vec::new();
    if let Some(u) = &p.unit {
        lines.push(prose(u));
    }
    if let Some(u) = &p.unit_by {
        for (value, unit) in &u.units {
            lines.push(format!(
                "{} while {}={}",
                prose(unit),
                param_ref(fam, &u.param),
                prose(value)
            ));
        }
    }
    lines.join("\n")
}

fn conditions_cell(fam: &Family, p: &Param) -> String {
    let mut lines: Vec<String> = Vec::new();
    if let Some(r) = &p.requires {
        lines.push(format!("only while {}", condition_with_note(fam, r)));
    }
    if p.secret {
        lines.push("secret: redacted in logs".into());
    }
    lines.join("\n")
}

fn description_cell(p: &Param, context: &str) -> String {
    let mut out = prose(&p.description);
    if let Some(en) = &p.description_en {
        out.push_str(&format!("\n**en:** {}", prose(en)));
    }
    if let Some(s) = p.section.as_deref().filter(|s| *s != context) {
        out.push_str(&format!("\n(section {})", prose(s)));
    }
    out
}

//! The reference page of one family: overview (modules, manual, SSL versions),
//! contents, commands in the manual's order, URCs, tables, errata and notes.

use super::facts::{language, spec_path};
use super::text::{code, link, prose, Table};
use super::{commands, errata, tables, urcs, GENERATED};
use crate::ir::Family;

/// The page's file name: `quectel-ec2x.md`.
pub fn file_name(id: &str) -> String {
    format!("{id}.md")
}

pub fn render(fam: &Family) -> String {
    let mut out = String::new();
    out.push_str(GENERATED);
    out.push_str("\n\n");
    out.push_str(&format!("# {} ({})\n\n", prose(&fam.title), code(&fam.id)));
    out.push_str("[All families](README.md)\n\n");
    out.push_str(&overview(fam));
    out.push('\n');
    out.push_str(&contents(fam));
    out.push('\n');

    out.push_str("## Commands\n\n");
    for cmd in &fam.commands {
        out.push_str(&commands::section(fam, cmd));
    }
    if !fam.urcs.is_empty() {
        out.push_str("## URCs\n\n");
        for u in &fam.urcs {
            out.push_str(&urcs::section(fam, u));
        }
    }
    if !fam.tables.is_empty() {
        out.push_str("## Tables\n\n");
        for t in fam.tables.values() {
            out.push_str(&tables::section(fam, t));
        }
    }
    if !fam.errata.is_empty() {
        out.push_str("## Errata\n\n");
        out.push_str(
            "Places where the manual contradicts itself, and what the spec records instead.\n\n",
        );
        out.push_str(&errata::section(fam));
    }
    if !fam.notes.is_empty() {
        out.push_str("## Family notes\n\n");
        for n in &fam.notes {
            out.push_str(&format!("- {}\n", prose(n)));
        }
    }
    out
}

fn overview(fam: &Family) -> String {
    let m = &fam.manual;
    let mut t = Table::new(["", ""]);
    t.row(["Family id".to_string(), code(&fam.id)]);
    t.row(["Vendor".to_string(), prose(&fam.vendor)]);
    t.row(["Modules".to_string(), prose(&fam.modules.join(", "))]);
    t.row(["Manual".to_string(), prose(&m.title)]);
    t.row([
        "Manual file".to_string(),
        code(&format!("shared/seeds/{}", m.file)),
    ]);
    t.row([
        "Manual version".to_string(),
        m.version
            .as_deref()
            .map_or_else(|| "not stated".into(), prose),
    ]);
    t.row([
        "Manual date".to_string(),
        m.date.as_deref().map_or_else(|| "not stated".into(), prose),
    ]);
    t.row(["Manual language".to_string(), language(&m.language)]);
    t.row([
        "SSL versions".to_string(),
        prose(&fam.ssl_versions.join(", ")),
    ]);
    if let Some(cs) = &fam.cipher_suites {
        t.row(["Cipher suites".to_string(), table_link(fam, cs)]);
    }
    if !fam.errors.is_empty() {
        let links: Vec<String> = fam.errors.iter().map(|e| table_link(fam, e)).collect();
        t.row(["Error codes".to_string(), links.join(", ")]);
    }
    t.row(["Spec file".to_string(), code(&spec_path(&fam.spec_file))]);
    t.render()
}

fn table_link(fam: &Family, id: &str) -> String {
    match fam.tables.get(id) {
        Some(t) => link(&prose(&t.title), &format!("#{}", tables::anchor_id(id))),
        None => code(id),
    }
}

fn contents(fam: &Family) -> String {
    let mut out = String::from("## Contents\n\n- [Commands](#commands)\n");
    for cmd in &fam.commands {
        let title = cmd.title_en.as_deref().unwrap_or(&cmd.title);
        out.push_str(&format!(
            "  - {} — {}\n",
            link(
                &code(&commands::label(fam, cmd)),
                &format!("#{}", commands::anchor_id(&cmd.id))
            ),
            prose(title)
        ));
    }
    if !fam.urcs.is_empty() {
        out.push_str("- [URCs](#urcs)\n");
        for u in &fam.urcs {
            out.push_str(&format!(
                "  - {}\n",
                link(
                    &code(&u.line.template),
                    &format!("#{}", urcs::anchor_id(&u.id))
                )
            ));
        }
    }
    if !fam.tables.is_empty() {
        out.push_str("- [Tables](#tables)\n");
        for t in fam.tables.values() {
            out.push_str(&format!(
                "  - {}\n",
                link(&prose(&t.title), &format!("#{}", tables::anchor_id(&t.id)))
            ));
        }
    }
    if !fam.errata.is_empty() {
        out.push_str(&format!("- [Errata](#errata) ({})\n", fam.errata.len()));
    }
    if !fam.notes.is_empty() {
        out.push_str("- [Family notes](#family-notes)\n");
    }
    out
}

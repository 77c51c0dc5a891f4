//! The URCs of a family page: template, payload, parameters, section and the
//! command whose result a URC carries.

use super::commands;
use super::text::{anchor, code, code_block, link, prose, slug};
use super::{errata, params};
use crate::ir::{Family, Urc};

/// The anchor of a URC on its family page.
pub fn anchor_id(id: &str) -> String {
    slug(&format!("urc-{id}"))
}

pub fn section(fam: &Family, urc: &Urc) -> String {
    let mut out = String::new();
    out.push_str(&anchor(&anchor_id(&urc.id)));
    out.push('\n');
    out.push_str(&format!("### {}\n\n", prose(&urc.title)));
    if let Some(en) = &urc.title_en {
        out.push_str(&format!("*{}*\n\n", prose(en)));
    }
    out.push_str(&code_block(&urc.line.template));
    out.push('\n');
    out.push_str(&format!("{}\n\n", prose(&urc.description)));
    if let Some(en) = &urc.description_en {
        out.push_str(&format!("**en:** {}\n\n", prose(en)));
    }

    let mut facts: Vec<String> = vec![format!(
        "Manual section {}; spec id {}",
        prose(&urc.section),
        code(&urc.id)
    )];
    if let Some(c) = &urc.completes {
        let target = format!("#{}", commands::anchor_id(c));
        let label = fam
            .commands
            .iter()
            .find(|cmd| &cmd.id == c)
            .map_or_else(|| code(c), |cmd| code(&commands::label(fam, cmd)));
        facts.push(format!(
            "Completes {}: it carries the result of that command",
            link(&label, &target)
        ));
    }
    let flags = commands::line_text(fam, &urc.line);
    if flags != code(&urc.line.template) {
        facts.push(format!("Line: {flags}"));
    }
    for f in facts {
        out.push_str(&format!("- {f}\n"));
    }
    out.push('\n');

    let mut extra: Vec<&str> = Vec::new();
    if let Some(p) = &urc.line.payload_length {
        extra.push(p);
    }
    let keys = params::keys_in(&[&urc.line.tokens], &extra);
    let table = params::table(fam, &keys, &urc.section);
    if !table.is_empty() {
        out.push_str("**Parameters**\n\n");
        out.push_str(&table);
        out.push('\n');
    }
    let refs = errata::links_for(fam, &urc.id);
    if !refs.is_empty() {
        out.push_str(&format!("**Errata:** {}\n\n", refs.join(", ")));
    }
    out
}

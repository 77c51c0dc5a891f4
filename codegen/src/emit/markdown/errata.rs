//! The errata of a family: where the manual contradicts itself, what it
//! says, what the spec records instead and why.

use super::text::{anchor, code, link, prose, slug};
use super::{commands, tables, urcs};
use crate::ir::Family;

/// The anchor of the `n`th erratum (1-based).
pub fn anchor_id(n: usize) -> String {
    slug(&format!("erratum-{n}"))
}

/// Links to the errata that apply to a command or URC id: `[E3](#erratum-3)`.
pub fn links_for(fam: &Family, id: &str) -> Vec<String> {
    fam.errata
        .iter()
        .enumerate()
        .filter(|(_, e)| e.applies_to.as_deref() == Some(id))
        .map(|(i, _)| link(&format!("E{}", i + 1), &format!("#{}", anchor_id(i + 1))))
        .collect()
}

/// What an erratum applies to, as a link into the page where possible.
fn target(fam: &Family, id: &str) -> String {
    if let Some(c) = fam.commands.iter().find(|c| c.id == id) {
        let label = code(&commands::label(fam, c));
        return link(&label, &format!("#{}", commands::anchor_id(id)));
    }
    if let Some(u) = fam.urcs.iter().find(|u| u.id == id) {
        return link(
            &code(&u.line.template),
            &format!("#{}", urcs::anchor_id(id)),
        );
    }
    if let Some(p) = fam.params.get(id) {
        return code(&format!("<{}>", p.name));
    }
    if fam.tables.contains_key(id) {
        return link(&code(id), &format!("#{}", tables::anchor_id(id)));
    }
    code(id)
}

pub fn section(fam: &Family) -> String {
    let mut out = String::new();
    for (i, e) in fam.errata.iter().enumerate() {
        let n = i + 1;
        out.push_str(&anchor(&anchor_id(n)));
        out.push('\n');
        let applies = e
            .applies_to
            .as_deref()
            .map(|id| format!(" — {}", target(fam, id)))
            .unwrap_or_default();
        out.push_str(&format!(
            "### E{n}: section {}{applies}\n\n",
            prose(&e.section)
        ));
        out.push_str(&format!("- **The manual says:** {}\n", prose(&e.manual)));
        out.push_str(&format!("- **The spec records:** {}\n", prose(&e.spec)));
        out.push_str(&format!("- **Why:** {}\n\n", prose(&e.why)));
    }
    out
}

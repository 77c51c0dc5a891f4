//! Rustdoc from the spec: description, range, unit, default, section.

use crate::ir::{Command, Family, Form, Param};
use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "…"]` lines for a block of text (one attribute per line).
pub fn lines(text: &str) -> TokenStream {
    let attrs = text.lines().map(|l| {
        let l = format!(" {}", l.trim_end());
        quote!(#[doc = #l])
    });
    quote!(#(#attrs)*)
}

fn push(out: &mut String, s: &str) {
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(s);
}

/// Escapes text so rustdoc shows `<name>` literally instead of as HTML, and
/// `[,<x>]` (the manuals' optional parts) instead of as a link.
pub fn md(s: &str) -> String {
    s.replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('[', "\\[")
        .replace(']', "\\]")
}

/// A value as the manual writes it: hex parameters in their hex format (`0XFFFF`).
fn shown(p: &Param, v: i64) -> String {
    if p.ty != crate::model::ParamType::Hex {
        return v.to_string();
    }
    let d = usize::from(p.hex.digits);
    if p.hex.lowercase {
        format!("{}{v:0d$x}", p.hex.prefix)
    } else {
        format!("{}{v:0d$X}", p.hex.prefix)
    }
}

/// Documentation of a parameter (field).
pub fn param(p: &Param) -> String {
    let mut out = format!("`<{}>`: {}", p.name, md(&p.description));
    if let Some(en) = &p.description_en {
        push(&mut out, "");
        push(&mut out, &md(en));
    }
    let mut facts = Vec::new();
    if let Some((min, max)) = p.range {
        facts.push(format!("Range: {}..={}", shown(p, min), shown(p, max)));
    }
    for rw in &p.range_when {
        facts.push(format!(
            "Range while `<{}>`={}: {}..={}",
            rw.param, rw.equals, rw.range.0, rw.range.1
        ));
    }
    if let Some(s) = &p.supported {
        let list: Vec<String> = s.iter().map(|v| v.to_string()).collect();
        let note = p.supported_note.as_deref().map(md).unwrap_or_default();
        facts.push(format!("Supported: {} {note}", list.join(", ")));
    }
    if let Some(u) = &p.unit {
        facts.push(format!("Unit: {u}"));
    }
    if let Some(u) = &p.unit_by {
        let units: Vec<String> = u.units.iter().map(|(k, v)| format!("{k} → {v}")).collect();
        facts.push(format!("Unit set by `<{}>`: {}", u.param, units.join(", ")));
    }
    if let Some(d) = &p.default {
        let d = match d {
            crate::ir::Literal::Int(i) => shown(p, *i),
            other => other.to_string(),
        };
        facts.push(format!("Default: {d}"));
    }
    if let Some(r) = &p.requires {
        facts.push(format!("Only while `<{}>`={}", r.param, r.equals));
    }
    if let Some(m) = p.max_len {
        facts.push(format!("At most {m} bytes"));
    }
    if let Some(s) = &p.section {
        facts.push(format!("Manual section {s}"));
    }
    if !facts.is_empty() {
        push(&mut out, "");
        push(&mut out, &facts.join(". "));
        out.push('.');
    }
    out
}

/// Documentation of a request type.
pub fn request(fam: &Family, cmd: &Command, form: &Form, what: &str) -> String {
    let mut out = format!("{}: {}", md(&cmd.title), md(what));
    if let Some(en) = &cmd.title_en {
        push(&mut out, &format!("({})", md(en)));
    }
    push(&mut out, "");
    push(&mut out, &format!("`{}`", form.syntax));
    push(&mut out, "");
    push(&mut out, &md(&cmd.description));
    if let Some(en) = &cmd.description_en {
        push(&mut out, "");
        push(&mut out, &md(en));
    }
    if let Some(d) = &form.description {
        push(&mut out, "");
        push(&mut out, &md(d));
    }
    push(&mut out, "");
    let mut facts = vec![format!(
        "Manual section {} ({})",
        cmd.section, fam.manual.file
    )];
    facts.push(match &cmd.max_response_time {
        Some(t) => format!("Maximum response time: {}", md(&t.text)),
        None => "Maximum response time: not stated in the manual; atgen waits its own default, \
                 [`UNSTATED_RESPONSE`](atgen_runtime::UNSTATED_RESPONSE)"
            .to_string(),
    });
    if let (Some(w), Some(urc)) = (&cmd.result_wait, &form.result_urc) {
        let line = fam
            .urcs
            .iter()
            .find(|u| &u.id == urc)
            .map_or(urc.as_str(), |u| u.line.template.as_str());
        let t = &w.time;
        let wait = match (&t.plus, t.ms) {
            _ if w.max_response_time => "the maximum response time".to_string(),
            (Some(p), 0) => format!("`<{p}>`"),
            (Some(p), ms) => format!("{ms} ms + `<{p}>`"),
            (None, ms) => format!("{ms} ms"),
        };
        facts.push(format!(
            "Result URC `{line}`: waited {wait} from the command line (the manual: {})",
            md(&t.text)
        ));
    }
    if let Some(s) = cmd.saved {
        facts.push(if s {
            "Settings are saved".into()
        } else {
            "Settings are not saved".into()
        });
    }
    if let Some(c) = &cmd.characteristics {
        facts.push(md(c));
    }
    let finals: Vec<&str> = form.finals.iter().map(|f| f.text.as_str()).collect();
    if !finals.is_empty() {
        facts.push(format!("Ends with: {}", md(&finals.join(", "))));
    }
    push(&mut out, &facts.join(". "));
    for n in &cmd.notes {
        push(&mut out, "");
        push(&mut out, &format!("Note: {}", md(n)));
    }
    out
}

//! One command of a family page: its facts, forms (syntax, responses,
//! queries by omission, final result codes, data phase, result URC,
//! transparent mode), parameters, notes and errata.

use super::facts::{
    checksum, condition, condition_with_note, data_end, form_kind_title, millis, param_ref,
    response_time, result_wait, UNSTATED,
};
use super::text::{anchor, code, code_block, link, prose, slug, Table};
use super::{errata, params};
use crate::ir::{Command, DataPhase, Family, Form, Line};
use crate::template::Token;

/// The anchor of a command on its family page.
pub fn anchor_id(id: &str) -> String {
    slug(&format!("cmd-{id}"))
}

/// `AT+QSSLCFG "sslversion"` or `AT+QSSLOPEN`; a second command with the same
/// name and sub-command (BC26's query-all) is named by its first syntax.
pub fn label(fam: &Family, cmd: &Command) -> String {
    let earlier = fam
        .commands
        .iter()
        .take_while(|c| c.id != cmd.id)
        .any(|c| c.name == cmd.name && c.sub == cmd.sub);
    match (&cmd.sub, cmd.forms.first()) {
        (_, Some(f)) if earlier => f.syntax.clone(),
        (Some(sub), _) => format!("AT+{} \"{sub}\"", cmd.name),
        (None, _) => format!("AT+{}", cmd.name),
    }
}

pub fn section(fam: &Family, cmd: &Command) -> String {
    let mut out = String::new();
    out.push_str(&anchor(&anchor_id(&cmd.id)));
    out.push('\n');
    out.push_str(&format!(
        "### {} — {}\n\n",
        prose(&label(fam, cmd)),
        prose(&cmd.title)
    ));
    if let Some(en) = &cmd.title_en {
        out.push_str(&format!("*{}*\n\n", prose(en)));
    }
    out.push_str(&format!("{}\n\n", prose(&cmd.description)));
    if let Some(en) = &cmd.description_en {
        out.push_str(&format!("**en:** {}\n\n", prose(en)));
    }
    out.push_str(&facts(fam, cmd));
    out.push('\n');

    for form in &cmd.forms {
        out.push_str(&form_block(fam, form));
        out.push('\n');
    }

    let keys = command_params(cmd);
    let table = params::table(fam, &keys, &cmd.section);
    if !table.is_empty() {
        out.push_str("**Parameters**\n\n");
        out.push_str(&table);
        out.push('\n');
    }

    if !cmd.notes.is_empty() {
        out.push_str("**Notes**\n\n");
        for n in &cmd.notes {
            out.push_str(&format!("- {}\n", prose(n)));
        }
        out.push('\n');
    }

    let refs = errata::links_for(fam, &cmd.id);
    if !refs.is_empty() {
        out.push_str(&format!(
            "**Errata:** {} — where the manual contradicts itself here.\n\n",
            refs.join(", ")
        ));
    }
    out
}

/// Section, maximum response time, saved, characteristics.
fn facts(fam: &Family, cmd: &Command) -> String {
    let mut t = Table::new(["", ""]);
    t.row(["Manual section".to_string(), prose(&cmd.section)]);
    let time = cmd
        .max_response_time
        .as_ref()
        .map_or_else(|| UNSTATED.to_string(), |rt| response_time(fam, rt));
    t.row(["Maximum response time".to_string(), time]);
    if cmd.forms.iter().any(|f| f.result_urc.is_some()) {
        t.row(["Result URC wait".to_string(), result_wait(fam, cmd)]);
    }
    if let Some(saved) = cmd.saved {
        let s = if saved {
            "yes: settings are saved"
        } else {
            "no: settings are not saved"
        };
        t.row(["Saved".to_string(), s.to_string()]);
    }
    if let Some(c) = &cmd.characteristics {
        t.row(["Characteristics".to_string(), prose(c)]);
    }
    t.row(["Spec id".to_string(), code(&cmd.id)]);
    t.render()
}

/// Every parameter the command's forms name, in order of first appearance.
fn command_params(cmd: &Command) -> Vec<String> {
    let mut templates: Vec<&[Token]> = Vec::new();
    let mut extra: Vec<&str> = Vec::new();
    for f in &cmd.forms {
        templates.push(&f.args);
        for l in f.all_responses() {
            templates.push(&l.tokens);
            if let Some(p) = &l.payload_length {
                extra.push(p);
            }
        }
        for fin in &f.finals {
            templates.push(&fin.tokens);
        }
        if let Some(d) = &f.data {
            if let Some(l) = &d.length {
                extra.push(l);
            }
            if let Some(c) = &d.checksum {
                extra.push(&c.param);
            }
        }
    }
    params::keys_in(&templates, &extra)
}

fn form_block(fam: &Family, form: &Form) -> String {
    let mut out = format!("**{}**", form_kind_title(form.kind));
    if let Some(d) = &form.description {
        out.push_str(&format!(" — {}", prose(d)));
    }
    out.push_str("\n\n");
    out.push_str(&code_block(&form.syntax));
    out.push('\n');

    let mut items: Vec<String> = Vec::new();
    if !form.responses.is_empty() {
        items.push(format!(
            "Response lines:\n{}",
            lines_list(fam, &form.responses)
        ));
    }
    for q in &form.queries {
        let omitted: Vec<String> = q.omitted.iter().map(|k| param_ref(fam, k)).collect();
        let mut item = format!("Query: omitting {} queries the setting", omitted.join(", "));
        if let Some(d) = &q.description {
            item.push_str(&format!(" ({})", prose(d)));
        }
        item.push_str(". Response lines:");
        if q.responses.is_empty() {
            item.push_str(" none");
        } else {
            item.push('\n');
            item.push_str(&lines_list(fam, &q.responses));
        }
        items.push(item);
    }
    if !form.finals.is_empty() {
        let finals: Vec<String> = form.finals.iter().map(|f| code(&f.text)).collect();
        items.push(format!("Final result codes: {}", finals.join(", ")));
    }
    if let Some(d) = &form.data {
        items.push(data_item(fam, d));
    }
    if let Some(urc) = &form.result_urc {
        let line = fam
            .urcs
            .iter()
            .find(|u| &u.id == urc)
            .map_or_else(|| code(urc), |u| code(&u.line.template));
        let target = format!("#{}", super::urcs::anchor_id(urc));
        items.push(format!(
            "Result: reported later by the URC {}",
            link(&line, &target)
        ));
    }
    if let Some(c) = &form.connect_when {
        let mut item = format!(
            "Transparent mode: while {} the module answers {} and enters transparent mode",
            condition(fam, c),
            code("CONNECT")
        );
        if let Some(n) = &c.note {
            item.push_str(&format!(" (manual: {})", prose(n)));
        }
        items.push(item);
    }
    for item in items {
        out.push_str(&bullet(&item, 0));
    }
    out
}

/// A list item whose continuation lines are indented under it.
fn bullet(item: &str, depth: usize) -> String {
    let pad = "  ".repeat(depth);
    let mut out = String::new();
    for (i, line) in item.lines().enumerate() {
        if i == 0 {
            out.push_str(&format!("{pad}- {line}\n"));
        } else {
            out.push_str(&format!("{pad}  {line}\n"));
        }
    }
    out
}

/// Response lines as a nested list.
pub fn lines_list(fam: &Family, lines: &[Line]) -> String {
    let mut out = String::new();
    for l in lines {
        out.push_str(&format!("- {}\n", line_text(fam, l)));
    }
    out.trim_end().to_string()
}

/// One response line: its template and what the spec knows about it.
pub fn line_text(fam: &Family, l: &Line) -> String {
    let mut out = code(&l.template);
    let mut flags: Vec<String> = Vec::new();
    if l.repeat {
        flags.push("repeated, one line per item".into());
    }
    if l.optional {
        flags.push("optional".into());
    }
    if let Some(p) = &l.payload_length {
        flags.push(format!(
            "the payload after it is {} bytes long",
            param_ref(fam, p)
        ));
    }
    if let Some(c) = &l.payload_hex_when {
        flags.push(format!(
            "the payload is hex text while {}",
            condition_with_note(fam, c)
        ));
    }
    if !flags.is_empty() {
        out.push_str(&format!(" ({})", flags.join("; ")));
    }
    if let Some(d) = &l.description {
        out.push_str(&format!(": {}", prose(d)));
    }
    out
}

fn data_item(fam: &Family, d: &DataPhase) -> String {
    let mut facts: Vec<String> = vec![data_end(fam, d.end, d.length.as_deref())];
    if let Some(m) = d.max_len {
        facts.push(format!("at most {m} bytes"));
    }
    if let Some(c) = &d.hex_when {
        facts.push(format!("hex text while {}", condition_with_note(fam, c)));
    }
    if let Some(c) = &d.checksum {
        facts.push(format!(
            "the module reports the {} in {}: {}",
            checksum(c.algorithm),
            param_ref(fam, &c.param),
            prose(&c.text)
        ));
    }
    if let Some(w) = d.prompt_wait_ms {
        facts.push(format!(
            "wait {} after the `>` prompt before sending",
            millis(u64::from(w))
        ));
    }
    if d.secret {
        facts.push("the payload is secret: redacted in logs".into());
    }
    if let Some(c) = &d.secret_when {
        facts.push(format!(
            "the payload is secret (redacted in logs) while {}",
            condition_with_note(fam, c)
        ));
    }
    let mut out = format!("Data phase after the `>` prompt: {}", facts.join("; "));
    out.push_str(&format!("\n- Manual: {}", prose(&d.text)));
    out
}

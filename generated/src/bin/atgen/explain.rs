//! Why a command line is not one of the family's forms, in the manual's terms:
//! an unknown sub-command with the known ones, or the forms the line is
//! closest to, what each expects where it stops and what the line has there.

use atgen_runtime::codec::parse_request;
use atgen_runtime::desc::Form;
use atgen_runtime::RequestError;
use serde_json::{json, Value as Json};

/// A better explanation of a syntax error than the one form's expectation:
/// the message and its JSON fields.
pub fn explain(family: &str, forms: &[&'static Form], line: &[u8]) -> Option<(String, Json)> {
    let text = String::from_utf8_lossy(line);
    let head = text.get(..3).filter(|h| h.eq_ignore_ascii_case("AT+"))?;
    let rest = text.get(head.len()..)?;
    let name_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'&')
        .count();
    let name = rest.get(..name_len)?;
    let after = rest.get(name_len..).unwrap_or("");
    let same: Vec<&'static Form> = forms
        .iter()
        .copied()
        .filter(|f| f.command.eq_ignore_ascii_case(name))
        .collect();
    let command = same.first()?.command;
    let mut subs: Vec<&str> = Vec::new();
    for s in same.iter().filter_map(|f| f.sub) {
        if !subs.contains(&s) {
            subs.push(s);
        }
    }
    // The sub-command keyword is the line's first quoted word.
    let word = after
        .split('"')
        .nth(1)
        .filter(|_| after.matches('"').count() >= 2);
    if let (false, Some(w)) = (subs.is_empty(), word) {
        if !subs.iter().any(|s| s.eq_ignore_ascii_case(w)) {
            let known: Vec<String> = subs.iter().map(|s| format!("\"{s}\"")).collect();
            return Some((
                format!(
                    "unknown {command} sub-command \"{w}\"; known: {} ({family})",
                    known.join(", ")
                ),
                json!({ "kind": "unknown-sub-command", "command": command, "found": w, "known": subs }),
            ));
        }
    }
    // The forms (of this sub-command) the line gets furthest into.
    let mut closest: Vec<(usize, &'static Form, &'static str)> = Vec::new();
    for f in same.iter().copied().filter(|f| match (word, f.sub) {
        (Some(w), Some(s)) => s.eq_ignore_ascii_case(w),
        _ => true,
    }) {
        match parse_request(f, line) {
            Err(RequestError::Parse(p)) => closest.push((p.offset, f, p.expected)),
            // A form the line parses into (or fails validation for) explains itself.
            _ => return None,
        }
    }
    let far = closest.iter().map(|c| c.0).max()?;
    closest.retain(|c| c.0 == far);
    let found = match text.get(far..) {
        None | Some("") => "the end of the line".to_string(),
        Some(s) => {
            let cut: String = s.chars().take(12).collect();
            let more = if s.chars().count() > 12 { "…" } else { "" };
            format!("\"{cut}{more}\"")
        }
    };
    let space = if text.get(far..).is_some_and(|s| s.starts_with([' ', '\t'])) {
        "; the manual writes command lines without spaces"
    } else {
        ""
    };
    let forms_text: Vec<String> = closest
        .iter()
        .map(|(_, f, exp)| format!("{} expects {exp}", syntax(f)))
        .collect();
    let forms_json: Vec<Json> = closest
        .iter()
        .map(|(_, f, exp)| json!({ "syntax": syntax(f), "expected": exp }))
        .collect();
    Some((
        format!(
            "cannot parse AT+{command} command line at byte {far}: found {found} where {}{space} ({family})",
            forms_text.join("; ")
        ),
        json!({ "kind": "syntax", "offset": far, "found": text.get(far..).unwrap_or(""), "closest": forms_json }),
    ))
}

/// A form as the manual writes its syntax: `AT+QSSLOPEN=<PDP_ctxID>,…` (the
/// template of the arguments carries the whole line).
fn syntax(f: &Form) -> String {
    f.args.text.to_string()
}

//! Where a command differs between the families that have it: forms, the
//! shape of the write syntax (argument order), each argument's type, range,
//! values and default, final result codes, maximum response time, result URC,
//! its wait and data phase.
//!
//! Arguments are matched across families by name first (`SSL_version` and
//! `sslversion` are one argument), then by position where the types agree
//! (quoting aside: a quoted and an unquoted hex value are one argument).

use super::facts::{
    checksum, form_kind, int_of, literal, param_ref, range, response_time_value, result_wait_value,
    type_short,
};
use super::matrix::Row;
use super::text::{anchor, code, prose, Table};
use crate::ir::{Command, Family, Param, Source, Spec};
use crate::model::{DataEnd, FormKind};
use crate::template::{params_of, Token};
use std::collections::{BTreeMap, BTreeSet};

/// One line of a row's differences: what differs, and each family's reading
/// (families without the command are absent).
pub struct Difference {
    pub what: String,
    pub cells: BTreeMap<String, String>,
}

/// A fact of one family's command: a key to compare and the text to show.
struct Fact {
    key: String,
    show: String,
}

/// Keeps the aspect only when two families read it differently.
fn differing(what: String, facts: BTreeMap<String, Fact>) -> Option<Difference> {
    let distinct: BTreeSet<&str> = facts.values().map(|f| f.key.as_str()).collect();
    if facts.len() < 2 || distinct.len() < 2 {
        return None;
    }
    Some(Difference {
        what,
        cells: facts.into_iter().map(|(k, f)| (k, f.show)).collect(),
    })
}

/// The differences of one matrix row, in a fixed order.
pub fn of_row(spec: &Spec, row: &Row<'_>) -> Vec<Difference> {
    let fams: Vec<(&Family, &Command)> = row
        .cmds
        .iter()
        .filter_map(|(id, cmd)| spec.families.get(*id).map(|f| (f, *cmd)))
        .collect();
    let mut out = Vec::new();
    let per = |f: &dyn Fn(&Family, &Command) -> Fact| -> BTreeMap<String, Fact> {
        fams.iter()
            .map(|(fam, cmd)| (fam.id.clone(), f(fam, cmd)))
            .collect()
    };

    out.extend(differing("Forms".into(), per(&forms)));
    out.extend(differing(
        "Write syntax (argument order)".into(),
        per(&write_syntax),
    ));
    for slot in slots(&fams) {
        let names: BTreeSet<String> = slot
            .members
            .values()
            .map(|(p, _)| code(&format!("<{}>", p.name)))
            .collect();
        let what = format!(
            "Argument {}",
            names.into_iter().collect::<Vec<_>>().join(" / ")
        );
        let facts = fams
            .iter()
            .map(|(fam, _)| {
                let fact = match slot.members.get(fam.id.as_str()) {
                    Some((p, optional)) => argument(fam, p, *optional),
                    None => Fact {
                        key: "(none)".into(),
                        show: "no such argument".into(),
                    },
                };
                (fam.id.clone(), fact)
            })
            .collect();
        out.extend(differing(what, facts));
    }
    out.extend(differing("Final result codes".into(), per(&finals)));
    out.extend(differing(
        "Maximum response time".into(),
        per(&response_time),
    ));
    out.extend(differing("Result URC".into(), per(&result_urc)));
    out.extend(differing("Result URC wait".into(), per(&result_wait)));
    out.extend(differing("Data phase".into(), per(&data_phase)));
    out
}

fn forms(_: &Family, cmd: &Command) -> Fact {
    let mut counts: BTreeMap<FormKind, usize> = BTreeMap::new();
    for f in &cmd.forms {
        *counts.entry(f.kind).or_default() += 1;
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(k, n)| {
            if *n > 1 {
                format!("{} ×{n}", form_kind(*k))
            } else {
                form_kind(*k).to_string()
            }
        })
        .collect();
    let s = parts.join(", ");
    Fact {
        key: s.clone(),
        show: s,
    }
}

/// The write syntax with every parameter made anonymous: `"sslversion",<>[,<>]`.
fn shape(tokens: &[Token]) -> String {
    let mut out = String::new();
    for t in tokens {
        match t {
            Token::Lit { text } => out.push_str(text),
            Token::Param { .. } => out.push_str("<>"),
            Token::Supported { .. } => out.push_str("(<>)"),
            Token::Optional { tokens } => {
                out.push('[');
                out.push_str(&shape(tokens));
                out.push(']');
            }
            Token::LineBreak => out.push_str("<CR><LF>"),
        }
    }
    out
}

fn write_syntax(_: &Family, cmd: &Command) -> Fact {
    let writes: Vec<_> = cmd
        .forms
        .iter()
        .filter(|f| f.kind == FormKind::Write)
        .collect();
    if writes.is_empty() {
        return Fact {
            key: String::new(),
            show: "no write form".into(),
        };
    }
    let key: Vec<String> = writes.iter().map(|f| shape(&f.args)).collect();
    let show: Vec<String> = writes.iter().map(|f| code(&f.syntax)).collect();
    Fact {
        key: key.join("\n"),
        show: show.join("\n"),
    }
}

/// An argument's type, range, values, default, unit and length; `with_values`
/// lists every value (for comparing), otherwise long lists are counted.
fn brief(fam: &Family, p: &Param, optional: bool, with_values: bool) -> String {
    let mut parts: Vec<String> = vec![type_short(p)];
    if let Some(r) = p.range {
        parts.push(code(&range(p, r)));
    }
    for rw in &p.range_when {
        parts.push(format!(
            "{} while {}={}",
            code(&range(p, rw.range)),
            param_ref(fam, &rw.param),
            rw.equals
        ));
    }
    if let Some(s) = &p.supported {
        let list: Vec<String> = s.iter().map(|v| int_of(p, *v)).collect();
        parts.push(format!("only {} supported", code(&list.join(", "))));
    }
    if !p.values.is_empty() {
        let list: Vec<String> = p.values.iter().map(|v| literal(p, &v.value)).collect();
        if with_values || list.len() <= 8 {
            parts.push(format!("values {}", code(&list.join(", "))));
        } else {
            parts.push(format!("{} values", list.len()));
        }
    }
    if let Some(d) = &p.default {
        parts.push(format!("default {}", code(&literal(p, d))));
    }
    if let Some(u) = &p.unit {
        parts.push(format!("unit {}", prose(u)));
    }
    if let Some(u) = &p.unit_by {
        let units: Vec<&str> = u.units.values().map(String::as_str).collect();
        parts.push(format!(
            "unit {} set by {}",
            prose(&units.join("/")),
            param_ref(fam, &u.param)
        ));
    }
    if let Some(m) = p.max_len {
        parts.push(format!("at most {m} bytes"));
    }
    if optional {
        parts.push("optional".into());
    }
    parts.join(", ")
}

fn argument(fam: &Family, p: &Param, optional: bool) -> Fact {
    Fact {
        key: brief(fam, p, optional, true),
        show: format!(
            "{}: {}",
            code(&format!("<{}>", p.name)),
            brief(fam, p, optional, false)
        ),
    }
}

fn finals(_: &Family, cmd: &Command) -> Fact {
    let set: BTreeSet<&str> = cmd
        .forms
        .iter()
        .flat_map(|f| f.finals.iter().map(|x| x.result.as_str()))
        .collect();
    let list: Vec<String> = set.iter().map(|s| code(s)).collect();
    Fact {
        key: set.into_iter().collect::<Vec<_>>().join(","),
        show: list.join(", "),
    }
}

fn response_time(fam: &Family, cmd: &Command) -> Fact {
    match &cmd.max_response_time {
        Some(t) => Fact {
            key: format!("{}+{}", t.ms, t.plus.is_some()),
            show: response_time_value(fam, t),
        },
        None => Fact {
            key: String::new(),
            show: "not stated (atgen's default)".into(),
        },
    }
}

fn result_wait(fam: &Family, cmd: &Command) -> Fact {
    if !cmd.forms.iter().any(|f| f.result_urc.is_some()) {
        return Fact {
            key: "(none)".into(),
            show: "no result URC".into(),
        };
    }
    let show = result_wait_value(fam, cmd);
    Fact {
        key: show.clone(),
        show,
    }
}

fn result_urc(fam: &Family, cmd: &Command) -> Fact {
    let mut lines: Vec<&str> = Vec::new();
    let urcs = cmd
        .forms
        .iter()
        .filter_map(|f| f.result_urc.as_deref())
        .filter_map(|id| fam.urcs.iter().find(|u| u.id == id));
    for u in urcs {
        if !lines.contains(&u.line.template.as_str()) {
            lines.push(u.line.template.as_str());
        }
    }
    if lines.is_empty() {
        return Fact {
            key: String::new(),
            show: "none".into(),
        };
    }
    let keys: Vec<String> = fam
        .urcs
        .iter()
        .filter(|u| lines.contains(&u.line.template.as_str()))
        .map(|u| shape(&u.line.tokens))
        .collect();
    Fact {
        key: keys.join("\n"),
        show: lines.iter().map(|l| code(l)).collect::<Vec<_>>().join("\n"),
    }
}

fn data_phase(fam: &Family, cmd: &Command) -> Fact {
    let mut keys = Vec::new();
    let mut shows = Vec::new();
    for f in &cmd.forms {
        let Some(d) = &f.data else { continue };
        let mut rest: Vec<String> = Vec::new();
        if let Some(m) = d.max_len {
            rest.push(format!("at most {m} bytes"));
        }
        if d.hex_when.is_some() {
            rest.push("hex text on request".into());
        }
        if let Some(c) = &d.checksum {
            rest.push(format!("checksum: {}", checksum(c.algorithm)));
        }
        if let Some(w) = d.prompt_wait_ms {
            rest.push(format!("wait {w} ms after `>`"));
        }
        // The length parameter's name alone is not a difference.
        let (key_end, show_end) = match (d.end, d.length.as_deref()) {
            (DataEnd::CtrlZ, _) => (
                "ends with Ctrl+Z".to_string(),
                "ends with Ctrl+Z".to_string(),
            ),
            (DataEnd::Length, Some(l)) => {
                ("length <>".into(), format!("length {}", param_ref(fam, l)))
            }
            (DataEnd::Length, None) => ("length".into(), "fixed length".into()),
        };
        keys.push(
            std::iter::once(key_end)
                .chain(rest.iter().cloned())
                .collect::<Vec<_>>()
                .join(", "),
        );
        shows.push(
            std::iter::once(show_end)
                .chain(rest)
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    if shows.is_empty() {
        return Fact {
            key: String::new(),
            show: "none".into(),
        };
    }
    Fact {
        key: keys.join("\n"),
        show: shows.join("\n"),
    }
}

/// One argument position matched across families.
struct Slot<'a> {
    members: BTreeMap<&'a str, (&'a Param, bool)>,
    names: BTreeSet<String>,
    pos: usize,
    /// The role its members play in the family's `[socket]` dialog.
    role: Option<String>,
}

/// The role a parameter of a command plays in the family's `[socket]` dialog:
/// an id (`pdp`, `ssl_ctx`, `connection`) or the value a role request gives it
/// (`host`, `port`, a portable option such as `ssl_version`).
fn role(fam: &Family, cmd: &Command, key: &str) -> Option<String> {
    let s = fam.socket.as_ref()?;
    for (id, name) in [
        (s.pdp.as_deref(), "pdp"),
        (s.ssl_ctx.as_deref(), "ssl_ctx"),
        (Some(s.connection.as_str()), "connection"),
    ] {
        if id == Some(key) {
            return Some(name.to_string());
        }
    }
    let requests = s
        .setup
        .iter()
        .map(|r| &r.request)
        .chain([&s.open, &s.close, &s.send.request])
        .chain(s.recv.iter().map(|r| &r.request))
        .chain(s.state.iter());
    for r in requests.filter(|r| r.command == cmd.id) {
        for (k, src) in &r.values {
            if k != key {
                continue;
            }
            return match src {
                Source::Option(o) => Some(o.clone()),
                Source::Host => Some("host".into()),
                Source::Port => Some("port".into()),
                Source::ReadLen => Some("read_len".into()),
                Source::DataLen => Some("data_len".into()),
                Source::Int(_) | Source::Text(_) => None,
            };
        }
    }
    None
}

/// A name reduced for matching: `SSL_version` = `sslversion`, `cipher_suites` = `ciphersuite`.
fn norm(name: &str) -> String {
    let s: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    match s.strip_suffix('s') {
        Some(stem) if stem.len() > 2 => stem.to_string(),
        _ => s,
    }
}

/// Two reduced names name one argument when equal, or when one ends with the
/// other and the shorter is not a mere `id`: `serverport` and `port`.
fn same_name(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short == long || (short.len() >= 4 && long.ends_with(short))
}

/// Parameters of the write forms, in order, each with whether it is optional.
fn write_args<'a>(fam: &'a Family, cmd: &Command) -> Vec<(&'a Param, bool)> {
    let mut out: Vec<(&Param, bool)> = Vec::new();
    for f in cmd.forms.iter().filter(|f| f.kind == FormKind::Write) {
        for (key, _, optional) in params_of(&f.args) {
            if let Some(p) = fam.params.get(&key) {
                if !out.iter().any(|(q, _)| q.key == p.key) {
                    out.push((p, optional));
                }
            }
        }
    }
    out
}

fn slots<'a>(fams: &[(&'a Family, &'a Command)]) -> Vec<Slot<'a>> {
    let mut order: Vec<&(&Family, &Command)> = fams.iter().collect();
    order.sort_by(|a, b| {
        b.0.commands
            .len()
            .cmp(&a.0.commands.len())
            .then_with(|| a.0.id.cmp(&b.0.id))
    });
    let mut slots: Vec<Slot<'a>> = Vec::new();
    for (fam, cmd) in order {
        let fid = fam.id.as_str();
        let mut pending = Vec::new();
        for (i, (p, optional)) in write_args(fam, cmd).into_iter().enumerate() {
            let n = norm(&p.name);
            let k = norm(&p.key);
            let r = role(fam, cmd, &p.key);
            // Same role first; then the same name, never across two roles.
            let by_role = r.as_ref().and_then(|r| {
                slots
                    .iter()
                    .position(|s| !s.members.contains_key(fid) && s.role.as_ref() == Some(r))
            });
            let by_name = || {
                slots.iter().position(|s| {
                    !s.members.contains_key(fid)
                        && (s.role.is_none() || r.is_none())
                        && s.names.iter().any(|m| same_name(m, &n) || same_name(m, &k))
                })
            };
            match by_role.or_else(by_name).and_then(|i| slots.get_mut(i)) {
                Some(s) => {
                    s.members.insert(fid, (p, optional));
                    if s.role.is_none() {
                        s.role = r;
                    }
                }
                None => pending.push((i, p, optional, r)),
            }
        }
        for (i, p, optional, r) in pending {
            // Same place and type only for arguments of the same dialog role:
            // an argument without one is matched by name alone (ML302
            // `<closetype>` is no `<close_timeout>`).
            let hit = slots.iter_mut().find(|s| {
                s.pos == i
                    && r.is_some()
                    && !s.members.contains_key(fid)
                    && s.role == r
                    && s.members.values().all(|(q, _)| q.ty == p.ty)
            });
            match hit {
                Some(s) => {
                    s.members.insert(fid, (p, optional));
                    s.names.insert(norm(&p.name));
                }
                None => {
                    let mut members = BTreeMap::new();
                    members.insert(fid, (p, optional));
                    slots.push(Slot {
                        members,
                        names: [norm(&p.name), norm(&p.key)].into_iter().collect(),
                        pos: i,
                        role: r,
                    });
                }
            }
        }
    }
    slots.sort_by_key(|s| s.pos);
    slots
}

/// The README section: one table per command that differs between families.
pub fn section(spec: &Spec, rows: &[Row<'_>]) -> String {
    let mut out = String::new();
    for r in rows {
        let diffs = of_row(spec, r);
        if diffs.is_empty() {
            continue;
        }
        out.push_str(&anchor(&r.key.diff_anchor()));
        out.push('\n');
        out.push_str(&format!("### {}\n\n", code(&r.key.label())));
        let mut header = vec!["What differs".to_string()];
        header.extend(spec.families.keys().map(|id| code(id)));
        let mut t = Table::new(header);
        for d in diffs {
            let mut cells = vec![d.what];
            for id in spec.families.keys() {
                cells.push(d.cells.get(id).cloned().unwrap_or_else(|| "—".into()));
            }
            t.row(cells);
        }
        out.push_str(&t.render());
        out.push('\n');
    }
    out
}

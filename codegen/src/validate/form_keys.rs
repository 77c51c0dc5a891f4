//! The keys that tell the runtime how a conversation goes agree with the rest:
//! an error line names its code field, a URC's `outcome` a field of its line,
//! `empty` is for integers, `records` for write forms; a URC that completes a
//! command is that command's result URC and the other way round; a
//! `result_wait` has a result URC to wait for and one time; `filled` names bare
//! placeholders of a test response; no two URCs
//! share a template; no name the generator reserves is taken by the spec.

use super::{diag, sp, Ctx};
use crate::diag::Diagnostics;
use crate::load::Loaded;
use crate::model::{FormKind, ParamType};
use crate::names::upper_camel;
use crate::template::{params_of, parse_template};
use std::collections::BTreeMap;
use toml::Spanned;

/// Names the generated module of every family defines itself.
pub const RESERVED_TYPES: &[&str] = &["Family", "Request", "InfoLine", "Urc", "Setting"];
/// The variant an open enum keeps unknown codes in.
pub const RESERVED_VARIANT: &str = "Unknown";

pub fn run(ctx: &Ctx, diags: &mut Diagnostics) {
    for f in ctx.files {
        if f.file.family.is_none() {
            reserved_entries(f, diags);
            continue;
        }
        error_lines(f, diags);
        outcomes(f, diags);
        empties(f, diags);
        records(f, diags);
        completes(f, diags);
        result_waits(f, diags);
        filled(f, diags);
        same_templates(f, diags);
        reserved(f, diags);
        reserved_entries(f, diags);
    }
}

fn names_in(text: &str) -> Vec<String> {
    parse_template(text)
        .map(|t| params_of(&t).into_iter().map(|(n, _, _)| n).collect())
        .unwrap_or_default()
}

fn error_lines(f: &Loaded, diags: &mut Diagnostics) {
    for c in &f.file.commands {
        for fm in &c.get_ref().forms {
            let Some(e) = &fm.get_ref().error_line else {
                continue;
            };
            let e = e.get_ref();
            let names = names_in(e.line.get_ref());
            if !names.contains(e.code.get_ref()) {
                diags.push(
                    diag(
                        &f.source,
                        sp(&e.code),
                        format!(
                            "error_line code <{}> is not a field of `{}`",
                            e.code.get_ref(),
                            e.line.get_ref()
                        ),
                    )
                    .label("not in the line")
                    .help("name the parameter of the line that carries the error code"),
                );
            }
        }
    }
}

fn outcomes(f: &Loaded, diags: &mut Diagnostics) {
    for u in &f.file.urcs {
        let u = u.get_ref();
        let Some(o) = &u.outcome else { continue };
        let o = o.get_ref();
        if !names_in(u.line.get_ref()).contains(o.param.get_ref()) {
            diags.push(
                diag(
                    &f.source,
                    sp(&o.param),
                    format!(
                        "outcome <{}> is not a field of `{}`",
                        o.param.get_ref(),
                        u.line.get_ref()
                    ),
                )
                .label("not in the URC")
                .help("name the field of the URC that carries the result code"),
            );
        }
        if o.success.is_empty() {
            diags.push(
                diag(&f.source, sp(&u.id), "outcome lists no success code")
                    .label("no success code")
                    .help("e.g. outcome = { param = \"err\", success = [0] }"),
            );
        }
    }
}

fn empties(f: &Loaded, diags: &mut Diagnostics) {
    for (key, p) in &f.file.params {
        let pr = p.get_ref();
        if pr.empty && !matches!(pr.ty.get_ref(), ParamType::Int | ParamType::Hex) {
            diags.push(
                diag(
                    &f.source,
                    sp(key),
                    format!("<{}> may be `empty`, but it is no integer", key.get_ref()),
                )
                .label("empty is for integers")
                .help("an empty string is already a string; remove `empty`"),
            );
        }
    }
}

fn records(f: &Loaded, diags: &mut Diagnostics) {
    for c in &f.file.commands {
        for fm in &c.get_ref().forms {
            let fm = fm.get_ref();
            if fm.records && *fm.kind.get_ref() != FormKind::Write {
                diags.push(
                    diag(
                        &f.source,
                        sp(&fm.kind),
                        "a form that is no write form `records` settings",
                    )
                    .label("records needs a write form")
                    .help("mark the write form whose values are settings with `records = true`"),
                );
            }
        }
    }
}

fn completes(f: &Loaded, diags: &mut Diagnostics) {
    // command id → result URCs its forms name.
    let mut results: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for c in &f.file.commands {
        let c = c.get_ref();
        for fm in &c.forms {
            if let Some(r) = &fm.get_ref().result_urc {
                results
                    .entry(c.id.get_ref().as_str())
                    .or_default()
                    .push(r.get_ref().as_str());
            }
        }
    }
    let urc_ids = super::urc_ids(f);
    for u in &f.file.urcs {
        let u = u.get_ref();
        let id = u.id.get_ref().as_str();
        if let Some(c) = &u.completes {
            let named = results.get(c.get_ref().as_str()).is_some_and(|rs| {
                // A misspelt result URC is reported where it is written.
                rs.contains(&id) || rs.iter().any(|r| !urc_ids.contains(r))
            });
            let exists = f
                .file
                .commands
                .iter()
                .any(|cmd| cmd.get_ref().id.get_ref() == c.get_ref());
            if exists && !named {
                diags.push(
                    diag(
                        &f.source,
                        sp(c),
                        format!(
                            "URC `{id}` completes `{}`, whose forms name no such result URC",
                            c.get_ref()
                        ),
                    )
                    .label("not the command's result_urc")
                    .help(format!(
                        "add result_urc = \"{id}\" to the form it completes, or drop `completes`"
                    )),
                );
            }
        }
    }
    for c in &f.file.commands {
        let c = c.get_ref();
        for fm in &c.forms {
            let Some(r) = &fm.get_ref().result_urc else {
                continue;
            };
            let urc = f
                .file
                .urcs
                .iter()
                .map(|u| u.get_ref())
                .find(|u| u.id.get_ref() == r.get_ref());
            if let Some(completes) = urc.and_then(|u| u.completes.as_ref()) {
                if completes.get_ref() != c.id.get_ref() {
                    diags.push(
                        diag(
                            &f.source,
                            sp(r),
                            format!(
                                "result URC `{}` completes `{}`, not `{}`",
                                r.get_ref(),
                                completes.get_ref(),
                                c.id.get_ref()
                            ),
                        )
                        .label("the URC completes another command")
                        .help("make the URC's `completes` and the form's `result_urc` agree"),
                    );
                }
            }
        }
    }
}

/// A `result_wait` belongs to a command with a result URC and gives a time:
/// its own, or the command's maximum response time (`max_response_time = true`).
fn result_waits(f: &Loaded, diags: &mut Diagnostics) {
    for c in &f.file.commands {
        let c = c.get_ref();
        let Some(w) = &c.result_wait else { continue };
        let span = sp(w);
        let w = w.get_ref();
        let has_urc = c.forms.iter().any(|fm| fm.get_ref().result_urc.is_some());
        if !has_urc {
            diags.push(
                diag(
                    &f.source,
                    span.clone(),
                    format!(
                        "`result_wait` of `{}`, whose forms have no result URC",
                        c.id.get_ref()
                    ),
                )
                .label("nothing to wait for")
                .help("set `result_urc` on the form the URC completes, or drop `result_wait`"),
            );
        }
        match &w.max_response_time {
            Some(same) if *same.get_ref() => {
                if w.ms != 0 || w.plus.is_some() {
                    diags.push(
                        diag(
                            &f.source,
                            sp(same),
                            "`result_wait` gives a time and `max_response_time = true`",
                        )
                        .label("two times")
                        .help("keep `max_response_time = true` where the manual says to wait the maximum response time, else `ms`/`plus`"),
                    );
                }
                if c.max_response_time.is_none() {
                    diags.push(
                        diag(
                            &f.source,
                            sp(same),
                            format!(
                                "`result_wait` is the maximum response time of `{}`, which has none",
                                c.id.get_ref()
                            ),
                        )
                        .label("no maximum response time")
                        .help("give the wait the manual states (`ms`, `plus`) or the command's `max_response_time`"),
                    );
                }
            }
            _ if w.ms == 0 && w.plus.is_none() => diags.push(
                diag(&f.source, span, "`result_wait` gives no time")
                    .label("no `ms`, `plus` or `max_response_time = true`")
                    .help("write the manual's wait: `{ ms = 150000, text = \"…\" }`, `{ plus = \"timeout\", … }` or `{ max_response_time = true, … }`"),
            ),
            _ => {}
        }
    }
}

/// `filled` names bare placeholders of a test response line.
fn filled(f: &Loaded, diags: &mut Diagnostics) {
    for c in &f.file.commands {
        for fm in &c.get_ref().forms {
            let fm = fm.get_ref();
            let lines = fm
                .responses
                .iter()
                .chain(fm.queries.iter().flat_map(|q| q.get_ref().responses.iter()));
            for l in lines {
                let l = l.get_ref();
                let bare = parse_template(l.line.get_ref())
                    .map(|t| super::lower::bare_names(&t))
                    .unwrap_or_default();
                for n in &l.filled {
                    let problem = if *fm.kind.get_ref() != FormKind::Test {
                        Some("`filled` is for test responses: elsewhere every placeholder is a value")
                    } else if !bare.contains(n.get_ref()) {
                        Some("not a bare placeholder of the line")
                    } else {
                        None
                    };
                    if let Some(label) = problem {
                        diags.push(
                            diag(
                                &f.source,
                                sp(n),
                                format!("`filled` names <{}> of `{}`", n.get_ref(), l.line.get_ref()),
                            )
                            .label(label)
                            .help("list the `<name>`s (outside parentheses) a module prints a value for"),
                        );
                    }
                }
            }
        }
    }
}

fn same_templates(f: &Loaded, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, &Spanned<String>> = BTreeMap::new();
    for u in &f.file.urcs {
        let u = u.get_ref();
        let line = u.line.get_ref().as_str();
        match seen.get(line) {
            Some(first) => diags.push(
                diag(
                    &f.source,
                    sp(&u.line),
                    format!(
                        "URC `{}` has the template of URC `{}`",
                        u.id.get_ref(),
                        first.get_ref()
                    ),
                )
                .label("same template")
                .also(&f.source, sp(first), "first declared here")
                .help("a frame could be either: declare the URC once"),
            ),
            None => {
                seen.insert(line, &u.id);
            }
        }
    }
}

fn reserved_name(
    f: &Loaded,
    name: &str,
    span: std::ops::Range<usize>,
    what: &str,
    diags: &mut Diagnostics,
) {
    if RESERVED_TYPES.contains(&name) {
        diags.push(
            diag(
                &f.source,
                span,
                format!("{what} takes the Rust name `{name}`, which the generator reserves"),
            )
            .label("reserved")
            .help(format!(
                "{} are generated for every family; set `rust = \"…\"` to another name",
                RESERVED_TYPES.join(", ")
            )),
        );
    }
}

fn reserved(f: &Loaded, diags: &mut Diagnostics) {
    for c in &f.file.commands {
        let c = c.get_ref();
        let name = c
            .rust
            .as_ref()
            .map(|r| r.get_ref().clone())
            .unwrap_or_else(|| upper_camel(c.id.get_ref()));
        let span = c.rust.as_ref().map_or_else(|| sp(&c.id), sp);
        reserved_name(f, &name, span, "the command", diags);
    }
    for u in &f.file.urcs {
        let u = u.get_ref();
        let name = u
            .rust
            .as_ref()
            .map(|r| r.get_ref().clone())
            .unwrap_or_else(|| upper_camel(u.id.get_ref()));
        let span = u.rust.as_ref().map_or_else(|| sp(&u.id), sp);
        reserved_name(f, &name, span, "the URC", diags);
    }
    for (key, p) in &f.file.params {
        let pr = p.get_ref();
        if pr.values.is_some() {
            reserved_name(
                f,
                &upper_camel(key.get_ref()),
                sp(key),
                "the parameter's enum",
                diags,
            );
        }
        for v in pr.values.iter().flatten() {
            let v = v.get_ref();
            if v.name.get_ref() == RESERVED_VARIANT {
                reserved_variant(f, sp(&v.name), diags);
            }
        }
    }
}

fn reserved_variant(f: &Loaded, span: std::ops::Range<usize>, diags: &mut Diagnostics) {
    diags.push(
        diag(
            &f.source,
            span,
            format!("the value name `{RESERVED_VARIANT}` is reserved"),
        )
        .label("reserved")
        .help("enums keep codes the manual does not list in `Unknown`; name the value after its meaning"),
    );
}

fn reserved_entries(f: &Loaded, diags: &mut Diagnostics) {
    for t in &f.file.tables {
        let t = t.get_ref();
        reserved_name(f, t.rust.get_ref(), sp(&t.rust), "the table", diags);
        for e in &t.entries {
            let e = e.get_ref();
            if e.name.get_ref() == RESERVED_VARIANT {
                reserved_variant(f, sp(&e.name), diags);
            }
        }
    }
}

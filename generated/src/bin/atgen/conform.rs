//! `atgen conform --family ID --device PATH`: a non-destructive conformance
//! run. Every test command (`=?`) and every query of the spec is sent (nothing
//! that changes a setting), and each answer is compared with the spec: the test
//! lines' supported values, the response forms, the ranges, value lists and
//! defaults of the fields. One line per difference, then a summary. Exit 0
//! when the module answers as the spec says, 1 with differences.

use atgen_runtime::codec;
use atgen_runtime::desc::{FamilyDesc, Form, Kind, Line, Param};
use atgen_runtime::link::{command_name, Exec, Link, Transport};
use atgen_runtime::request::FormKind;
use atgen_runtime::session::DynRequest;
use atgen_runtime::vals::{Val, Vals};
use atgen_runtime::Family;
use serde_json::json;
use std::time::Duration;

use super::dispatch::with_family;
use super::input::say;
use super::module_args::ModuleArgs;
use super::Failure;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    module: ModuleArgs,
    /// One JSON object per difference, then the summary.
    #[arg(long)]
    json: bool,
    /// Also write each setting that a query reads back: another allowed value,
    /// checked through the query, then the value found written back.
    #[arg(long)]
    with_writes: bool,
}

/// One difference between the manual and the module.
struct Diff {
    form: &'static Form,
    line: String,
    /// The response line's type name, when the difference is in one.
    response: Option<&'static str>,
    param: Option<&'static str>,
    manual: String,
    module: String,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let id = args.module.family.as_str();
    with_family!(id, m => conform::<m::Family>(&args))
}

fn conform<F: Family>(args: &Args) -> Result<(), Failure> {
    let desc = F::DESC.ok_or_else(|| Failure::failed(format!("{}: no descriptors", F::ID)))?;
    let mut link = args.module.link::<F>()?;
    let timeout = args.module.timeout();
    let mut diffs = Vec::new();
    let (mut sent, mut skipped, mut writes) = (0usize, 0usize, 0usize);
    for form in desc.forms.iter().copied() {
        let query = form.kind == FormKind::Read || !form.omits.is_empty();
        if form.kind != FormKind::Test && !query {
            continue;
        }
        let Some(vals) = request_vals(desc, form) else {
            skipped += 1;
            continue;
        };
        let cmd = DynRequest {
            form,
            vals,
            ids: desc.ids,
        };
        let mut line = Vec::new();
        let _ = codec::write_request(form, &vals, &mut line);
        let line = String::from_utf8_lossy(&line).trim_end().to_string();
        sent += 1;
        let name = command_name(form.command, form.sub);
        let opts = Exec {
            data: None,
            timeout,
            cancel: false,
        };
        if let Err(e) = link.run(&cmd, opts, &name) {
            diffs.push(Diff {
                form,
                response: None,
                line,
                param: None,
                manual: format!("ends with {:?}", form.finals),
                module: e.to_string(),
            });
            continue;
        }
        let block = link.session().response().to_vec();
        compare(desc, form, &vals, &line, &block, &mut diffs);
        let _ = link.drain_urcs().count();
        if args.with_writes {
            writes += write_back(
                &mut link, desc, form, &vals, &line, &block, timeout, &mut diffs,
            );
        }
    }
    for d in &diffs {
        if args.json {
            say(&json!({
                "kind": "difference",
                "command": d.line,
                "form": d.form.name,
                "response": d.response,
                "section": d.form.section,
                "param": d.param,
                "manual": d.manual,
                "module": d.module,
            })
            .to_string())?;
        } else {
            let param = d.param.map(|p| format!(" <{p}>")).unwrap_or_default();
            say(&format!(
                "{}{param}: the manual ({}) says {}; the module answered {}",
                d.line, d.form.section, d.manual, d.module
            ))?;
        }
    }
    let summary = json!({
        "kind": "summary",
        "family": F::ID,
        "commands": sent,
        "skipped": skipped,
        "writes": writes,
        "differences": diffs.len(),
    });
    if args.json {
        say(&summary.to_string())?;
    } else {
        say(&format!(
            "{}: {sent} test commands and queries sent ({skipped} not sendable without a write), {writes} settings written and restored, {} difference(s) from the manual",
            F::ID,
            diffs.len()
        ))?;
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(Failure::failed(String::new()))
    }
}

/// The values of a test command (none) or a query: ids at the first value the
/// manual allows, the fields a query by omission leaves out absent. `None` when
/// the form needs a value that only a write could choose.
fn request_vals(desc: &FamilyDesc, form: &'static Form) -> Option<Vals<'static>> {
    let mut v = Vals::default();
    for (i, f) in form.args.fields.iter().enumerate() {
        let p = f.param;
        if form.omits.contains(&p.name) || f.optional && !desc.ids.contains(&p.name) {
            continue;
        }
        if !desc.ids.contains(&p.name) || !matches!(p.kind, Kind::Int) {
            return None;
        }
        v.set(i, Val::Int(first_allowed(p)));
    }
    Some(v)
}

fn first_allowed(p: &Param) -> i64 {
    p.codes
        .first()
        .copied()
        .or(p.range.map(|(lo, _)| lo))
        .unwrap_or(0)
}

/// The response block against the form's response lines.
fn compare(
    desc: &FamilyDesc,
    form: &'static Form,
    req: &Vals<'_>,
    cmd: &str,
    block: &[u8],
    diffs: &mut Vec<Diff>,
) {
    let got: Vec<&[u8]> = block
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| !l.is_empty())
        .collect();
    let mut seen = vec![false; form.responses.len()];
    for l in &got {
        let hit = form
            .responses
            .iter()
            .enumerate()
            .find_map(|(i, t)| codec::parse_line(t, l, false).ok().map(|v| (i, *t, v)));
        let Some((i, t, v)) = hit else {
            // The line of the same start, when there is one, is there but wrong.
            let like = form.responses.iter().enumerate().find(|(_, t)| {
                let p = t.template.prefix();
                !p.is_empty() && l.starts_with(p.as_bytes())
            });
            let (manual, response) = match like {
                Some((i, t)) => {
                    if let Some(s) = seen.get_mut(i) {
                        *s = true;
                    }
                    let why = codec::parse_line(t, l, false)
                        .err()
                        .map(|e| e.to_string())
                        .unwrap_or_default();
                    (
                        format!("the line {} ({why})", t.template.text),
                        Some(t.name),
                    )
                }
                None => {
                    let forms: Vec<&str> = form.responses.iter().map(|t| t.template.text).collect();
                    (format!("a line of the form {}", forms.join(" or ")), None)
                }
            };
            diffs.push(Diff {
                form,
                response,
                line: cmd.to_string(),
                param: None,
                manual,
                module: format!("{:?}", String::from_utf8_lossy(l)),
            });
            continue;
        };
        if let Some(s) = seen.get_mut(i) {
            *s = true;
        }
        fields(desc, form, cmd, t, &v, diffs);
    }
    // A line naming an id the request leaves out lists every context set so far: maybe none.
    let listing = |t: &Line| {
        t.template.fields.iter().any(|f| {
            desc.ids.contains(&f.param.name)
                && form
                    .args
                    .field_of(f.param.name)
                    .is_none_or(|i| req.get(i).is_none())
        })
    };
    for (t, s) in form.responses.iter().zip(&seen) {
        if !s && !t.optional && !listing(t) {
            diffs.push(Diff {
                form,
                response: Some(t.name),
                line: cmd.to_string(),
                param: None,
                manual: format!("the line {}", t.template.text),
                module: "no such line".into(),
            });
        }
    }
}

/// Each field of a parsed line against the manual.
fn fields(
    desc: &FamilyDesc,
    form: &'static Form,
    cmd: &str,
    t: &Line,
    v: &Vals<'_>,
    diffs: &mut Vec<Diff>,
) {
    for (i, f) in t.template.fields.iter().enumerate() {
        let p = f.param;
        let diff = |manual: String, module: String| Diff {
            form,
            response: Some(t.name),
            line: cmd.to_string(),
            param: Some(p.name),
            manual,
            module,
        };
        if let Some(text) = t.supported.get(i).filter(|s| !s.is_empty()) {
            if let Some(got) = v.get(i).str() {
                if squash(got) != squash(text) {
                    diffs.push(diff(format!("({text})"), format!("({got})")));
                }
            }
            continue;
        }
        let Some(n) = v.get(i).int() else {
            if let (Some(w), false) = (v.get(i).str(), p.words.is_empty()) {
                if !p.words.contains(&w) {
                    diffs.push(diff(format!("one of {:?}", p.words), format!("{w:?}")));
                }
            }
            continue;
        };
        if let Some((lo, hi)) = p.range {
            if !(lo..=hi).contains(&n) {
                diffs.push(diff(format!("{lo}..={hi}"), n.to_string()));
                continue;
            }
        }
        if !p.codes.is_empty() && !p.open && !p.codes.contains(&n) {
            diffs.push(diff(format!("one of {:?}", p.codes), n.to_string()));
            continue;
        }
        let is_id = desc.ids.contains(&p.name);
        if let (Some(d), false, true) = (p.default, is_id, form.kind != FormKind::Test) {
            if n != d {
                diffs.push(diff(format!("the default {d}"), n.to_string()));
            }
        }
    }
}

/// Supported values compared without blanks (`(0-5)` and `(0 - 5)` are the same).
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The first line of a response that parses with one of the form's templates.
fn parsed<'b>(form: &Form, block: &'b [u8]) -> Option<(&'static Line, Vals<'b>)> {
    block
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .find_map(|l| {
            form.responses
                .iter()
                .find_map(|t| codec::parse_line(t, l, false).ok().map(|v| (*t, v)))
        })
}

/// `--with-writes` for one query by omission: its write form sets the first
/// setting it reads back to another allowed value, the query must read that
/// value, and the value found is written back. Returns the settings written
/// (none when no other value is valid with the settings in force).
#[allow(clippy::too_many_arguments)]
fn write_back<F: Family>(
    link: &mut Link<Box<dyn Transport>, F>,
    desc: &FamilyDesc,
    query: &'static Form,
    qvals: &Vals<'_>,
    cmd: &str,
    block: &[u8],
    timeout: Option<Duration>,
    diffs: &mut Vec<Diff>,
) -> usize {
    let Some(name) = query.omits.first() else {
        return 0;
    };
    let write = desc.forms.iter().copied().find(|f| {
        f.kind == FormKind::Write
            && f.records
            && f.data.is_none()
            && f.command == query.command
            && f.sub == query.sub
    });
    let Some(write) = write else { return 0 };
    let Some((line, v)) = parsed(query, block) else {
        return 0;
    };
    let Some(orig) = line.template.field_of(name).and_then(|i| v.get(i).int()) else {
        return 0;
    };
    let Some(at) = write.args.field_of(name) else {
        return 0;
    };
    let Some(p) = write.args.fields.get(at).map(|f| f.param) else {
        return 0;
    };
    // Every other field of the write: an id as the query has it, else left out.
    let mut base = Vals::default();
    for (i, f) in write.args.fields.iter().enumerate() {
        let from_query = query.args.field_of(f.param.name).map(|j| qvals.get(j));
        match from_query {
            Some(val) if !val.is_none() => base.set(i, val),
            _ if i == at || f.optional => {}
            _ => return 0,
        }
    }
    let candidates = p
        .codes
        .iter()
        .copied()
        .chain(p.range.into_iter().flat_map(|(lo, hi)| [lo, hi]))
        .filter(|c| *c != orig);
    let with = |n: i64| {
        let mut v = base;
        v.set(at, Val::Int(n));
        v
    };
    let Some(new) = candidates
        .into_iter()
        .find(|n| codec::validate(write, &with(*n), &|s: &str| link.setting(s)).is_ok())
    else {
        return 0;
    };
    let opts = || Exec {
        data: None,
        timeout,
        cancel: false,
    };
    let name_w = command_name(write.command, write.sub);
    let diff = |manual: String, module: String| Diff {
        form: write,
        response: None,
        line: cmd.to_string(),
        param: Some(p.name),
        manual,
        module,
    };
    let run = |link: &mut Link<Box<dyn Transport>, F>, n: i64| {
        let cmd = DynRequest {
            form: write,
            vals: with(n),
            ids: desc.ids,
        };
        link.run(&cmd, opts(), &name_w)
    };
    if let Err(e) = run(link, new) {
        diffs.push(diff(format!("writing {new} is allowed"), e.to_string()));
        return 1;
    }
    let q = DynRequest {
        form: query,
        vals: *qvals,
        ids: desc.ids,
    };
    match link.run(&q, opts(), &command_name(query.command, query.sub)) {
        Ok(_) => {
            let block = link.session().response().to_vec();
            let back = parsed(query, &block)
                .and_then(|(l, v)| l.template.field_of(name).and_then(|i| v.get(i).int()));
            if back != Some(new) {
                let got = back.map_or("no value".to_string(), |b| b.to_string());
                diffs.push(diff(format!("{new} after writing {new}"), got));
            }
        }
        Err(e) => diffs.push(diff(format!("{new} after writing {new}"), e.to_string())),
    }
    if let Err(e) = run(link, orig) {
        diffs.push(diff(
            format!("writing {orig} back (the value found) is allowed"),
            e.to_string(),
        ));
    }
    1
}

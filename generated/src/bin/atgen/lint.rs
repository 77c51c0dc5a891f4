//! `atgen lint --family ID [--json] [FILE|-]`: each non-empty line is an AT
//! command; each is reported valid, or with the parameter, value and what is allowed.
//! Settings carry across the lines of a script, as the link carries them.

use super::dispatch::with_family;
use super::input::{lossy, say, FamilyInput};
use super::Failure;
use atgen_runtime::session::{Command, DynRequest, Ids, Settings};
use atgen_runtime::{Problem, RequestError, Shown, Value};
use serde_json::{json, Map, Value as Json};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    common: FamilyInput,
}

/// Longer lines are refused unparsed: the link could not write them.
const MAX_LINE: usize = atgen_runtime::link::MAX_COMMAND_LINE;
/// How much of a refused long line the JSON output echoes.
const SHOWN: usize = 64;

pub fn run(args: Args) -> Result<(), Failure> {
    let input = args.common.load()?;
    let id = args.common.family.as_str();
    let mut bad = 0usize;
    // What earlier lines set, per context, as the link keeps it: a later line
    // is checked against them (BC26 <send_length> 1..=730 once hex format is set).
    let mut settings: Settings = Settings::new();
    for (i, raw) in input.split(|&b| b == b'\n').enumerate() {
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        let n = i + 1;
        if line.len() > MAX_LINE {
            bad += 1;
            let error = format!(
                "the line is {} bytes; a command line is at most {MAX_LINE} bytes (what the link writes)",
                line.len()
            );
            if args.common.json {
                let shown = line.get(..SHOWN).unwrap_or(line);
                say(&json!({"line": n, "ok": false, "input": lossy(shown), "kind": "too-long", "error": error}).to_string())?;
            } else {
                say(&format!("line {n}: error: {error}"))?;
            }
            continue;
        }
        let result: Result<Json, Failure> = with_family!(id, m => {
            let checked = m::Request::parse(line).and_then(|req| {
                let (form, vals) = req.parts();
                let cmd = DynRequest { form, vals, ids: m::desc::FAMILY_DESC.ids };
                let mut ids = Ids::new();
                cmd.ids(&mut |p, v| ids.push(p, v));
                cmd.validate(&|name: &str| settings.get(name, &ids))?;
                cmd.settings(&mut |name, v| settings.set(name, ids.clone(), v));
                Ok(req)
            });
            Ok(match checked {
                Ok(req) => {
                    let (cmd, sub) = req.name();
                    json!({
                        "line": n,
                        "ok": true,
                        "input": lossy(line),
                        "command": cmd,
                        "sub": sub,
                        "request": serde_json::to_value(req).unwrap_or(Json::Null),
                    })
                }
                Err(e) => {
                    let mut o = error_json(&e);
                    if let RequestError::Parse(_) = e {
                        if let Some((msg, Json::Object(more))) =
                            super::explain::explain(m::FAMILY, m::desc::FAMILY_DESC.forms, line)
                        {
                            o.insert("error".into(), json!(msg));
                            // One form's expectation is replaced by the closest forms'.
                            o.remove("expected");
                            o.extend(more);
                        }
                    }
                    o.insert("line".into(), json!(n));
                    o.insert("ok".into(), json!(false));
                    o.insert("input".into(), json!(lossy(line)));
                    Json::Object(o)
                }
            })
        });
        let o = result?;
        let ok = o["ok"].as_bool().unwrap_or(false);
        if !ok {
            bad += 1;
        }
        if args.common.json {
            say(&o.to_string())?;
        } else if ok {
            say(&format!(
                "line {n}: ok: AT+{}{} {}",
                o["command"].as_str().unwrap_or(""),
                o["sub"]
                    .as_str()
                    .filter(|s| !s.is_empty())
                    .map(|s| format!(" \"{s}\""))
                    .unwrap_or_default(),
                o["request"]["type"].as_str().unwrap_or("")
            ))?;
        } else {
            say(&format!(
                "line {n}: error: {}",
                o["error"].as_str().unwrap_or("")
            ))?;
        }
    }
    if bad > 0 {
        Err(Failure::failed(format!("{bad} invalid line(s)")))
    } else {
        Ok(())
    }
}

/// The error as JSON fields: message, kind, and for validation errors the parameter, value and what is allowed.
fn error_json(e: &RequestError) -> Map<String, Json> {
    let mut o = Map::new();
    o.insert("error".into(), json!(e.to_string()));
    match e {
        RequestError::Parse(p) => {
            o.insert("kind".into(), json!("syntax"));
            o.insert("offset".into(), json!(p.offset));
            o.insert("expected".into(), json!(p.expected));
        }
        RequestError::Unknown { .. } => {
            o.insert("kind".into(), json!("unknown-command"));
        }
        RequestError::Invalid(v) => {
            o.insert("kind".into(), json!("invalid"));
            o.insert("command".into(), json!(v.command));
            o.insert("param".into(), json!(v.param));
            o.insert(
                "value".into(),
                match v.value {
                    Value::Int(i) => json!(i),
                    Value::Len(n) => json!({ "length": n }),
                    Value::Byte { byte, index } => json!({ "byte": byte, "index": index }),
                    Value::Absent => Json::Null,
                },
            );
            if let (Value::Int(i), Some(_)) = (v.value, v.shown.hex()) {
                o.insert("value_hex".into(), json!(v.shown.value(i).to_string()));
            }
            let mut a = allowed(&v.problem);
            shown_lists(&mut a, &v.shown);
            o.insert("allowed".into(), a);
        }
    }
    o
}

fn allowed(p: &Problem) -> Json {
    match *p {
        Problem::OutOfRange { min, max } => json!({ "min": min, "max": max }),
        Problem::OutOfRangeWhen {
            min,
            max,
            other,
            equals,
        } => {
            json!({ "min": min, "max": max, "while": { "param": other, "equals": equals } })
        }
        Problem::NotSupported { supported, note } => {
            json!({ "supported": supported, "note": note })
        }
        Problem::NotAValue { allowed } => json!({ "values": allowed }),
        Problem::TooLong { max } | Problem::PayloadTooLong { max } => json!({ "max_len": max }),
        Problem::Requires { other, equals } => {
            json!({ "requires": { "param": other, "equals": equals } })
        }
        Problem::NeededBy { later } => json!({ "needed_by": later }),
        Problem::ForbiddenByte => {
            json!({ "forbidden": "double quote and control bytes (CR, LF, Ctrl+Z, ESC)" })
        }
        _ => Json::Null,
    }
}

/// Beside each list of numbers: the values as the manual writes them (hex) and their meanings.
fn shown_lists(a: &mut Json, sh: &Shown) {
    let Json::Object(m) = a else { return };
    for (key, hex_key, meanings_key) in [
        ("values", "values_hex", "meanings"),
        ("supported", "supported_hex", "supported_meanings"),
    ] {
        let Some(list) = m.get(key).and_then(Json::as_array) else {
            continue;
        };
        let codes: Vec<i64> = list.iter().filter_map(Json::as_i64).collect();
        if sh.hex().is_some() {
            let hex: Vec<String> = codes.iter().map(|&c| sh.value(c).to_string()).collect();
            m.insert(hex_key.into(), json!(hex));
        }
        if codes.iter().any(|&c| sh.meaning(c).is_some()) {
            let means: Vec<Json> = codes.iter().map(|&c| json!(sh.meaning(c))).collect();
            m.insert(meanings_key.into(), json!(means));
        }
    }
    if sh.hex().is_some() {
        for key in ["min", "max"] {
            if let Some(v) = m.get(key).and_then(Json::as_i64) {
                m.insert(format!("{key}_hex"), json!(sh.value(v).to_string()));
            }
        }
    }
}

//! `atgen lint --family ID [--json] [FILE|-]`: each non-empty line is an AT
//! command; each is reported valid, or with the parameter, value and what is allowed.

use super::dispatch::with_family;
use super::input::{lossy, say, FamilyInput};
use super::Failure;
use atgen_runtime::{Problem, RequestError, Value};
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
            Ok(match m::Request::parse(line) {
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
            o.insert("allowed".into(), allowed(&v.problem));
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

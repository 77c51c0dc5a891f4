//! `atgen decode --family ID [--json] [FILE|-]`: module output bytes in, each
//! recognised item out in order (information line, final result, URC, payload,
//! prompt, echoed command). Unrecognised bytes are reported, never dropped.

use super::dispatch::with_family;
use super::input::{hex, lossy, say, FamilyInput};
use super::Failure;
use atgen_runtime::digest::{Digester, Frame};
use atgen_runtime::final_code;
use serde_json::{json, Value as Json};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    common: FamilyInput,
    /// Payloads are hex text (BC26 with `dataformat` 1).
    #[arg(long)]
    hex: bool,
}

/// The decoding entry points of a family module, for `decode` written once.
macro_rules! decoder {
    ($m:ident) => {{
        #[derive(Clone, Copy)]
        struct D;
        impl Decode for D {
            fn urc(frame: &[u8], hex: bool) -> Option<Result<Json, atgen_runtime::ParseError>> {
                $m::Urc::parse(frame, hex)
                    .map(|r| r.map(|u| serde_json::to_value(u).unwrap_or(Json::Null)))
            }
            fn info(line: &[u8], hex: bool) -> Result<Json, atgen_runtime::ParseError> {
                $m::InfoLine::parse(line, hex)
                    .map(|l| serde_json::to_value(l).unwrap_or(Json::Null))
            }
            fn command(line: &[u8]) -> Result<(Json, bool), atgen_runtime::RequestError> {
                $m::Request::parse(line).map(|r| {
                    let data = r.has_data_phase();
                    (serde_json::to_value(r).unwrap_or(Json::Null), data)
                })
            }
        }
        D
    }};
}
pub(crate) use decoder;

pub fn run(args: Args) -> Result<(), Failure> {
    let input = super::record::module_bytes(args.common.load()?)?;
    let id = args.common.family.as_str();
    let items: Vec<Json> = with_family!(id, m => Ok::<_, Failure>(decode::<m::Family, _>(decoder!(m), &input, args.hex)))?;
    let mut bad = 0;
    for item in &items {
        if matches!(
            item["kind"].as_str(),
            Some("unrecognised") | Some("malformed") | Some("incomplete")
        ) {
            bad += 1;
        }
        if args.common.json {
            say(&item.to_string())?;
        } else {
            say(&text(item))?;
        }
    }
    if bad > 0 {
        Err(Failure::failed(format!("{bad} item(s) not recognised")))
    } else {
        Ok(())
    }
}

fn text(item: &Json) -> String {
    let offset = item["offset"].as_u64().unwrap_or(0);
    format!("{offset:>6} {}", describe(item))
}

/// An item as text: its kind, type, result, fields and error.
pub(crate) fn describe(item: &Json) -> String {
    let mut s = item["kind"].as_str().unwrap_or("").to_string();
    for key in ["type", "result", "text"] {
        if let Some(v) = item.get(key).and_then(Json::as_str) {
            s.push(' ');
            s.push_str(v);
        }
    }
    if let Some(f) = item.get("fields") {
        s.push(' ');
        s.push_str(&f.to_string());
    }
    if let Some(e) = item.get("error").and_then(Json::as_str) {
        s.push_str(": ");
        s.push_str(e);
    }
    s
}

/// The family module's decoding entry points, as one trait so `decode` is written once.
pub trait Decode {
    fn urc(frame: &[u8], hex: bool) -> Option<Result<Json, atgen_runtime::ParseError>>;
    fn info(line: &[u8], hex: bool) -> Result<Json, atgen_runtime::ParseError>;
    fn command(line: &[u8]) -> Result<(Json, bool), atgen_runtime::RequestError>;
}

/// A URC value `{"RecvPush": {...}}` as `type` and `fields`.
fn split_variant(v: Json) -> (String, Json) {
    match v {
        Json::Object(m) if m.len() == 1 => match m.into_iter().next() {
            Some((k, f)) => (k, f),
            None => (String::new(), Json::Null),
        },
        Json::Object(mut m) => {
            let t = m
                .remove("type")
                .and_then(|t| t.as_str().map(String::from))
                .unwrap_or_default();
            let f = m.remove("fields").unwrap_or(Json::Null);
            (t, f)
        }
        other => (String::new(), other),
    }
}

pub fn decode<F: atgen_runtime::Family, D: Decode>(_: D, input: &[u8], hex: bool) -> Vec<Json> {
    let mut out = Vec::new();
    let mut d = Digester::new();
    d.set_hex(hex);
    let mut pos = 0usize;
    while pos < input.len() {
        let buf = input.get(pos..).unwrap_or(&[]);
        let (frame, used) = d.digest::<F>(buf, b"");
        let at = pos;
        match frame {
            Frame::None if used == 0 => break,
            Frame::None | Frame::Echo => {}
            Frame::Prompt => out.push(json!({ "offset": at, "kind": "prompt" })),
            Frame::Line(line) => out.push(classify::<D>(at, line, hex, &mut d)),
            Frame::Payload { frame, data, .. } => {
                let mut item = classify::<D>(at, frame, hex, &mut d);
                if let Json::Object(m) = &mut item {
                    m.insert("payload_hex".into(), json!(hex_of(data)));
                }
                out.push(item);
            }
        }
        pos += used.max(usize::from(matches!(frame, Frame::None) && used == 0));
    }
    if pos < input.len() {
        let rest = input.get(pos..).unwrap_or(&[]);
        // A last line without its CR LF is still a line.
        if rest.iter().any(|b| !b.is_ascii_whitespace()) {
            let mut item =
                classify::<D>(pos, rest.strip_suffix(b"\r").unwrap_or(rest), hex, &mut d);
            if item["kind"] == "unrecognised" || item["kind"] == "malformed" {
                item = json!({ "offset": pos, "kind": "incomplete", "text": lossy(rest), "hex": hex_of(rest) });
            }
            out.push(item);
        }
    }
    out
}

fn hex_of(b: &[u8]) -> String {
    hex(b)
}

pub(crate) fn classify<F: Decode>(at: usize, line: &[u8], hex: bool, d: &mut Digester) -> Json {
    if let Some(code) = final_code::parse(line) {
        return json!({ "offset": at, "kind": "final", "result": format!("{code:?}"), "text": lossy(line) });
    }
    if let Some(r) = F::urc(line, hex) {
        return match r {
            Ok(v) => {
                let (t, f) = split_variant(v);
                json!({ "offset": at, "kind": "urc", "type": t, "fields": f })
            }
            // A response line may start like a URC (`+CCHOPEN:` answers AT+CCHOPEN?
            // and reports its result): malformed only when it is no line either.
            Err(e) => match F::info(line, hex) {
                Ok(v) => {
                    let (t, f) = split_variant(v);
                    json!({ "offset": at, "kind": "info", "type": t, "fields": f })
                }
                Err(_) => {
                    json!({ "offset": at, "kind": "malformed", "text": lossy(line), "error": e.to_string() })
                }
            },
        };
    }
    if line.len() >= 2 && line.get(..2).is_some_and(|h| h.eq_ignore_ascii_case(b"AT")) {
        return match F::command(line) {
            Ok((v, data)) => {
                d.expect_prompt(data);
                let (t, f) = split_variant(v);
                json!({ "offset": at, "kind": "command", "type": t, "fields": f })
            }
            Err(e) => {
                json!({ "offset": at, "kind": "command", "text": lossy(line), "error": e.to_string() })
            }
        };
    }
    match F::info(line, hex) {
        Ok(v) => {
            let (t, f) = split_variant(v);
            json!({ "offset": at, "kind": "info", "type": t, "fields": f })
        }
        Err(_) => {
            json!({ "offset": at, "kind": "unrecognised", "text": lossy(line), "hex": hex_of(line) })
        }
    }
}

//! `atgen decode --family ID [--json] [FILE|-]`: module output bytes in, each
//! recognised item out in order (information line, final result, URC, payload,
//! prompt, echoed command). Unrecognised bytes are reported, never dropped.
//! Input is read and output written as it goes (buffered), so memory does not
//! grow with the input.

use super::dispatch::with_family;
use super::input::{hex, lossy, write_failure, FamilyInput, Source};
use super::Failure;
use atgen::decode::{decode_read, At, ReadError, Visit};
use atgen_runtime::final_code::FinalCode;
use atgen_runtime::{ParseError, RequestError};
use serde_json::{json, Value as Json};
use std::io::Write;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    common: FamilyInput,
    /// Payloads are hex text (BC26 with `dataformat` 1).
    #[arg(long)]
    hex: bool,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let id = args.common.family.as_str();
    // A bad id fails fast, before reading.
    with_family!(id, m => { let _ = m::FAMILY; Ok::<(), Failure>(()) })?;
    let stdout = std::io::stdout();
    let mut out = Printer {
        out: std::io::BufWriter::with_capacity(64 * 1024, stdout.lock()),
        json: args.common.json,
        bad: 0,
    };
    let hex = args.hex;
    let source = args.common.open()?;
    with_family!(id, m => match source {
        Source::File(f) => decode_read::<m::Family, _, _>(f, hex, &mut out),
        Source::Stdin(s) => decode_read::<m::Family, _, _>(s, hex, &mut out),
    }
    .map_err(|e| match e {
        ReadError::Io(e) => Failure::failed(format!("cannot read input: {e}")),
        ReadError::Visit(e) => e,
    }))?;
    out.flush()?;
    if out.bad > 0 {
        Err(Failure::failed(format!(
            "{} item(s) not recognised",
            out.bad
        )))
    } else {
        Ok(())
    }
}

/// Prints every item as it is decoded, buffered: one JSON object or text line each.
struct Printer<W: Write> {
    out: W,
    json: bool,
    bad: usize,
}

impl<W: Write> Printer<W> {
    fn item(&mut self, at: At<'_>, mut item: Json) -> Result<(), Failure> {
        if let (Some(data), Json::Object(m)) = (at.payload, &mut item) {
            m.insert("payload_hex".into(), json!(hex(data)));
        }
        if matches!(
            item["kind"].as_str(),
            Some("unrecognised") | Some("malformed") | Some("incomplete")
        ) {
            self.bad += 1;
        }
        let r = if self.json {
            writeln!(self.out, "{item}")
        } else {
            writeln!(self.out, "{}", text(&item))
        };
        r.map_err(write_failure)
    }

    fn flush(&mut self) -> Result<(), Failure> {
        self.out.flush().map_err(write_failure)
    }
}

impl<W: Write> Visit for Printer<W> {
    type Error = Failure;
    fn prompt(&mut self, at: At<'_>) -> Result<(), Failure> {
        self.item(at, json!({ "offset": at.offset, "kind": "prompt" }))
    }
    fn final_code(&mut self, at: At<'_>, code: FinalCode<'_>, line: &[u8]) -> Result<(), Failure> {
        let item = json!({ "offset": at.offset, "kind": "final", "result": format!("{code:?}"), "text": lossy(line) });
        self.item(at, item)
    }
    fn urc<T: serde::Serialize>(&mut self, at: At<'_>, urc: &T) -> Result<(), Failure> {
        let (t, f) = split_variant(serde_json::to_value(urc).unwrap_or(Json::Null));
        self.item(
            at,
            json!({ "offset": at.offset, "kind": "urc", "type": t, "fields": f }),
        )
    }
    fn info<T: serde::Serialize>(&mut self, at: At<'_>, line: &T) -> Result<(), Failure> {
        let (t, f) = split_variant(serde_json::to_value(line).unwrap_or(Json::Null));
        self.item(
            at,
            json!({ "offset": at.offset, "kind": "info", "type": t, "fields": f }),
        )
    }
    fn command<T: serde::Serialize>(&mut self, at: At<'_>, request: &T) -> Result<(), Failure> {
        let (t, f) = split_variant(serde_json::to_value(request).unwrap_or(Json::Null));
        self.item(
            at,
            json!({ "offset": at.offset, "kind": "command", "type": t, "fields": f }),
        )
    }
    fn bad_command(&mut self, at: At<'_>, line: &[u8], e: RequestError) -> Result<(), Failure> {
        let item = json!({ "offset": at.offset, "kind": "command", "text": lossy(line), "error": e.to_string() });
        self.item(at, item)
    }
    fn malformed(&mut self, at: At<'_>, line: &[u8], e: ParseError) -> Result<(), Failure> {
        let item = json!({ "offset": at.offset, "kind": "malformed", "text": lossy(line), "error": e.to_string() });
        self.item(at, item)
    }
    fn unrecognised(&mut self, at: At<'_>, line: &[u8]) -> Result<(), Failure> {
        let item = json!({ "offset": at.offset, "kind": "unrecognised", "text": lossy(line), "hex": hex(line) });
        self.item(at, item)
    }
    fn incomplete(&mut self, at: At<'_>, rest: &[u8]) -> Result<(), Failure> {
        let item = json!({ "offset": at.offset, "kind": "incomplete", "text": lossy(rest), "hex": hex(rest) });
        self.item(at, item)
    }
}

fn text(item: &Json) -> String {
    let offset = item["offset"].as_u64().unwrap_or(0);
    let kind = item["kind"].as_str().unwrap_or("");
    let mut s = format!("{offset:>6} {kind}");
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

//! `atgen decode --family ID [--json] [FILE|-]`: module output bytes in, each
//! recognised item out in order (information line, final result, URC, payload,
//! prompt, echoed command). Unrecognised bytes are reported, never dropped.
//!
//! The items are those of the library's decoder ([`atgen::decode`], which the
//! benches measure); this module only prints them. Each item is written as a
//! JSON object into a buffer that is reused, so `--json` allocates nothing per
//! item; text mode reads that object back to print it.

use super::dispatch::with_family;
use super::input::{finish_output, write_line, FamilyInput};
use super::Failure;
use atgen::decode::{At, DataMode, Decode, Decoder, Secrets, Visit};
use atgen_runtime::final_code::FinalCode;
use atgen_runtime::{ParseError, RequestError};
use serde::Serialize;
use serde_json::Value as Json;
use std::fmt::Display;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    common: FamilyInput,
    /// Payloads are hex text (BC26 with `dataformat` 1).
    #[arg(long)]
    hex: bool,
    /// Print secret values (PSK keys, passwords, uploaded keys) in clear; hidden as `***` by default.
    #[arg(long)]
    show_secrets: bool,
}

pub fn run(args: Args) -> Result<(), Failure> {
    use std::io::Read;
    let id = args.common.family.as_str();
    let opts = Opts {
        hex: args.hex,
        show_secrets: args.show_secrets,
    };
    let mut input = args.common.open_known()?;
    // A transcript of `atgen record` is read whole (its module bytes are decoded);
    // anything else streams, so memory does not grow with the input.
    let mut head = Vec::new();
    (&mut input)
        .take(atgen_runtime::transcript::HEADER.len() as u64)
        .read_to_end(&mut head)
        .map_err(|e| Failure::failed(format!("cannot read the input: {e}")))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let json = args.common.json;
    let mut print = |item: &[u8]| {
        if json {
            use std::io::Write;
            out.write_all(item)
                .and_then(|()| out.write_all(b"\n"))
                .map_err(super::input::write_failure)
        } else {
            let v: Json = serde_json::from_slice(item).unwrap_or(Json::Null);
            write_line(&mut out, &text(&v))
        }
    };
    let bad = if head.starts_with(atgen_runtime::transcript::HEADER.as_bytes()) {
        input
            .read_to_end(&mut head)
            .map_err(|e| Failure::failed(format!("cannot read the input: {e}")))?;
        let bytes = super::record::module_bytes(head)?;
        with_family!(id, m => stream::<m::Family>(bytes.as_slice(), opts, &mut print))?
    } else {
        let input = head.as_slice().chain(input);
        with_family!(id, m => stream::<m::Family>(input, opts, &mut print))?
    };
    finish_output(&mut out)?;
    if bad > 0 {
        Err(Failure::failed(format!("{bad} item(s) not recognised")))
    } else {
        Ok(())
    }
}

/// Decodes a stream as it is read, printing each item; how many were not recognised.
fn stream<F: Decode>(
    input: impl std::io::Read,
    o: Opts,
    print: &mut dyn FnMut(&[u8]) -> Result<(), Failure>,
) -> Result<usize, Failure> {
    let mut items = Items::<F>::new(o, print);
    match atgen::decode::decode_read::<F, _, _>(input, o.hex, &mut items) {
        Ok(()) => Ok(items.bad),
        Err(atgen::decode::ReadError::Io(e)) => {
            Err(Failure::failed(format!("cannot read the input: {e}")))
        }
        Err(atgen::decode::ReadError::Visit(f)) => Err(f),
    }
}

/// Every item of a whole input, in order (what `atgen term` shows of one answer).
pub fn decode<F: Decode>(input: &[u8], o: Opts) -> Vec<Json> {
    let mut out = Vec::new();
    let mut push = |item: &[u8]| {
        out.push(serde_json::from_slice(item).unwrap_or(Json::Null));
        Ok(())
    };
    let mut items = Items::<F>::new(o, &mut push);
    // Decoding a slice cannot fail and `push` never does.
    let _ = atgen::decode::decode_slice::<F, _>(input, o.hex, &mut items);
    out
}

/// One frame outside a decode run (`atgen term`, no data phase pending). The
/// terminal shows what the module printed, secrets included: the user typed them
/// (`atgen record` keeps them out of a transcript).
pub(crate) fn classify<F: Decode>(at: usize, line: &[u8], hex: bool) -> Json {
    let o = Opts {
        hex,
        show_secrets: true,
    };
    let mut item = Json::Null;
    let mut keep = |i: &[u8]| {
        item = serde_json::from_slice(i).unwrap_or(Json::Null);
        Ok(())
    };
    let mut items = Items::<F>::new(o, &mut keep);
    let at = At {
        offset: at,
        payload: None,
    };
    // A visit here never fails.
    let _ = Decoder::new(hex).line::<F, _>(at, line, &mut items);
    item
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

/// How to decode.
#[derive(Clone, Copy)]
pub struct Opts {
    pub hex: bool,
    pub show_secrets: bool,
}

/// What a hidden secret reads as.
const SECRET: &str = "***";

/// The visitor that writes each item as `atgen decode --json` prints it.
struct Items<'p, F> {
    o: Opts,
    /// The item being written.
    buf: Vec<u8>,
    /// A typed value's JSON, before it is split into `type` and `fields`.
    value: Vec<u8>,
    print: &'p mut dyn FnMut(&[u8]) -> Result<(), Failure>,
    /// Items not recognised (unrecognised, malformed, incomplete).
    bad: usize,
    family: std::marker::PhantomData<F>,
}

/// The parts of an item, in the order `--json` writes its keys.
#[derive(Default)]
struct Item<'x> {
    kind: &'static str,
    mode: Option<&'static str>,
    /// A typed value: its type name and its fields, as JSON text.
    typed: Option<(&'x str, &'x [u8])>,
    result: Option<&'x dyn Display>,
    text: Option<&'x [u8]>,
    error: Option<&'x dyn Display>,
    hex: Option<&'x [u8]>,
    length: Option<usize>,
}

impl<'p, F: Decode> Items<'p, F> {
    fn new(o: Opts, print: &'p mut dyn FnMut(&[u8]) -> Result<(), Failure>) -> Self {
        Items {
            o,
            buf: Vec::new(),
            value: Vec::new(),
            print,
            bad: 0,
            family: std::marker::PhantomData,
        }
    }

    /// Writes one item and prints it. A payload frame carries its payload as
    /// `payload_hex`; with `--hex`, a payload that is not hex text makes it malformed.
    fn emit(&mut self, at: At<'_>, item: Item<'_>) -> Result<(), Failure> {
        let not_hex = self.o.hex
            && at
                .payload
                .is_some_and(|d| !d.iter().all(u8::is_ascii_hexdigit));
        let kind = if not_hex { "malformed" } else { item.kind };
        if matches!(kind, "unrecognised" | "malformed" | "incomplete") {
            self.bad += 1;
        }
        let b = &mut self.buf;
        b.clear();
        b.extend_from_slice(b"{\"offset\":");
        put_num(b, at.offset);
        put_str(b, "kind", kind);
        if let Some(m) = item.mode {
            put_str(b, "mode", m);
        }
        if let Some((t, fields)) = item.typed {
            put_str(b, "type", t);
            b.extend_from_slice(b",\"fields\":");
            b.extend_from_slice(fields);
        }
        if let Some(r) = item.result {
            put_display(b, "result", r);
        }
        if let Some(t) = item.text {
            put_str(b, "text", &String::from_utf8_lossy(t));
        }
        const NOT_HEX: &str = "the payload is not hex text (0-9, A-F) as --hex says";
        match (item.error, not_hex) {
            (_, true) => put_str(b, "error", NOT_HEX),
            (Some(e), false) => put_display(b, "error", e),
            (None, false) => {}
        }
        if let Some(h) = item.hex {
            put_hex(b, "hex", h);
        }
        if let Some(n) = item.length {
            b.extend_from_slice(b",\"length\":");
            put_num(b, n);
        }
        if let Some(p) = at.payload {
            put_hex(b, "payload_hex", p);
        }
        b.push(b'}');
        (self.print)(&self.buf)
    }

    /// A typed item: the value's JSON (secrets hidden unless shown), split into
    /// its type name and its fields.
    fn typed<T: Serialize>(
        &mut self,
        at: At<'_>,
        kind: &'static str,
        value: &T,
        secrets: Secrets<'_, '_>,
    ) -> Result<(), Failure> {
        let mut v = std::mem::take(&mut self.value);
        v.clear();
        if serde_json::to_writer(&mut v, value).is_err() {
            v.clear();
            v.extend_from_slice(b"null");
        }
        if !self.o.show_secrets {
            for s in secrets.values() {
                hide(&mut v, &String::from_utf8_lossy(s));
            }
        }
        let (t, fields) = split_variant(&v);
        let r = self.emit(
            at,
            Item {
                kind,
                typed: Some((t, fields)),
                ..Item::default()
            },
        );
        self.value = v;
        r
    }
}

impl<F: Decode> Visit for Items<'_, F> {
    type Error = Failure;
    fn prompt(&mut self, at: At<'_>) -> Result<(), Failure> {
        let kind = "prompt";
        self.emit(
            at,
            Item {
                kind,
                ..Item::default()
            },
        )
    }
    fn final_code(&mut self, at: At<'_>, code: FinalCode<'_>, line: &[u8]) -> Result<(), Failure> {
        let result = format_args!("{code:?}");
        let item = Item {
            kind: "final",
            result: Some(&result),
            text: Some(line),
            ..Item::default()
        };
        self.emit(at, item)
    }
    fn unsolicited(
        &mut self,
        at: At<'_>,
        word: &'static str,
        restart: bool,
    ) -> Result<(), Failure> {
        let kind = if restart { "restart" } else { "unsolicited" };
        let text = Some(word.as_bytes());
        self.emit(
            at,
            Item {
                kind,
                text,
                ..Item::default()
            },
        )
    }
    fn urc<T: Serialize>(
        &mut self,
        at: At<'_>,
        urc: &T,
        s: Secrets<'_, '_>,
    ) -> Result<(), Failure> {
        self.typed(at, "urc", urc, s)
    }
    fn info<T: Serialize>(
        &mut self,
        at: At<'_>,
        line: &T,
        s: Secrets<'_, '_>,
    ) -> Result<(), Failure> {
        self.typed(at, "info", line, s)
    }
    fn command<T: Serialize>(
        &mut self,
        at: At<'_>,
        request: &T,
        s: Secrets<'_, '_>,
    ) -> Result<(), Failure> {
        self.typed(at, "command", request, s)
    }
    fn bad_command(&mut self, at: At<'_>, line: &[u8], e: RequestError) -> Result<(), Failure> {
        // A syntax error is explained against every form of the command.
        let explained = match e {
            RequestError::Parse(_) => F::DESC
                .and_then(|d| crate::explain::explain(F::ID, d.forms, line))
                .map(|e| e.0),
            _ => None,
        };
        let msg: &dyn Display = match &explained {
            Some(m) => m,
            None => &e,
        };
        let item = Item {
            kind: "command",
            text: Some(line),
            error: Some(msg),
            ..Item::default()
        };
        self.emit(at, item)
    }
    fn data(
        &mut self,
        at: At<'_>,
        line: &[u8],
        mode: DataMode,
        secret: bool,
    ) -> Result<(), Failure> {
        let mut item = Item {
            kind: "data",
            mode: Some(mode.name()),
            ..Item::default()
        };
        if secret && !self.o.show_secrets {
            item.text = Some(SECRET.as_bytes());
            item.length = Some(line.len());
        } else {
            item.text = Some(line);
            item.hex = Some(line);
        }
        self.emit(at, item)
    }
    fn escape(&mut self, at: At<'_>) -> Result<(), Failure> {
        let (kind, text) = ("escape", Some(&b"+++"[..]));
        self.emit(
            at,
            Item {
                kind,
                text,
                ..Item::default()
            },
        )
    }
    fn malformed(&mut self, at: At<'_>, line: &[u8], e: ParseError) -> Result<(), Failure> {
        let item = Item {
            kind: "malformed",
            text: Some(line),
            error: Some(&e),
            ..Item::default()
        };
        self.emit(at, item)
    }
    fn unrecognised(&mut self, at: At<'_>, line: &[u8]) -> Result<(), Failure> {
        let item = Item {
            kind: "unrecognised",
            text: Some(line),
            hex: Some(line),
            ..Item::default()
        };
        self.emit(at, item)
    }
    fn incomplete(&mut self, at: At<'_>, rest: &[u8]) -> Result<(), Failure> {
        let item = Item {
            kind: "incomplete",
            text: Some(rest),
            hex: Some(rest),
            ..Item::default()
        };
        self.emit(at, item)
    }
}

/// A number as JSON (writing into a Vec cannot fail).
fn put_num(b: &mut Vec<u8>, n: usize) {
    let _ = std::io::Write::write_fmt(b, format_args!("{n}"));
}

/// `,"key":"value"`, the value escaped as JSON.
fn put_str(b: &mut Vec<u8>, key: &str, value: &str) {
    put_key(b, key);
    // Writing into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *b, value);
}

/// `,"key":"value"` of a value's `Display`, escaped as JSON.
fn put_display(b: &mut Vec<u8>, key: &str, value: &dyn Display) {
    put_key(b, key);
    let _ = serde_json::to_writer(&mut *b, &format_args!("{value}"));
}

/// `,"key":"0a1b…"`: bytes as lower-case hex.
fn put_hex(b: &mut Vec<u8>, key: &str, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    put_key(b, key);
    b.push(b'"');
    for &x in bytes {
        b.push(DIGITS[usize::from(x >> 4)]);
        b.push(DIGITS[usize::from(x & 15)]);
    }
    b.push(b'"');
}

fn put_key(b: &mut Vec<u8>, key: &str) {
    b.extend_from_slice(b",\"");
    b.extend_from_slice(key.as_bytes());
    b.extend_from_slice(b"\":");
}

/// Replaces every string value equal to `secret` in JSON text by `"***"` (an
/// object's key, followed by `:`, is left alone).
fn hide(json: &mut Vec<u8>, secret: &str) {
    let mut quoted = Vec::new();
    let _ = serde_json::to_writer(&mut quoted, secret);
    let hidden = b"\"***\"";
    let mut at = 0;
    while let Some(i) = find(json.get(at..).unwrap_or(&[]), &quoted) {
        let start = at + i;
        let end = start + quoted.len();
        // A match must be a whole string: after a separator, not inside another string.
        let whole = matches!(json.get(start.wrapping_sub(1)), Some(b':' | b'[' | b','))
            && json.get(end) != Some(&b':');
        if whole {
            json.splice(start..end, hidden.iter().copied());
            at = start + hidden.len();
        } else {
            at = start + 1;
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A typed value's JSON as its type name and fields: `{"type":T,"fields":F}`
/// (information lines, requests) or `{"T":F}` (URCs).
fn split_variant(v: &[u8]) -> (&str, &[u8]) {
    let name_of = |rest: &[u8]| -> Option<(usize, usize)> {
        let n = rest.iter().position(|&b| b == b'"')?;
        Some((0, n))
    };
    if let Some(rest) = v.strip_prefix(b"{\"type\":\"") {
        if let Some((_, n)) = name_of(rest) {
            let name = std::str::from_utf8(rest.get(..n).unwrap_or(&[])).unwrap_or("");
            let after = rest.get(n + 1..).unwrap_or(&[]);
            let fields = after
                .strip_prefix(b",\"fields\":")
                .and_then(|f| f.strip_suffix(b"}"))
                .unwrap_or(b"null");
            return (name, fields);
        }
    }
    if let Some(rest) = v.strip_prefix(b"{\"") {
        if let Some((_, n)) = name_of(rest) {
            let name = std::str::from_utf8(rest.get(..n).unwrap_or(&[])).unwrap_or("");
            let fields = rest
                .get(n + 1..)
                .and_then(|f| f.strip_prefix(b":"))
                .and_then(|f| f.strip_suffix(b"}"))
                .unwrap_or(b"null");
            return (name, fields);
        }
    }
    ("", v)
}

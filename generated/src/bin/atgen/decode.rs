//! `atgen decode --family ID [--json] [FILE|-]`: module output bytes in, each
//! recognised item out in order (information line, final result, URC, payload,
//! prompt, echoed command). Unrecognised bytes are reported, never dropped.

use super::dispatch::with_family;
use super::input::{finish_output, hex, lossy, write_line, FamilyInput};
use super::Failure;
use atgen_runtime::digest::{Digester, Frame};
use atgen_runtime::final_code::{self, FinalCode};
use atgen_runtime::session::{RESTART, UNSOLICITED};
use serde_json::{json, Value as Json};

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

/// The decoding entry points of a family module, for `decode` written once.
macro_rules! decoder {
    ($m:ident) => {{
        #[derive(Clone, Copy)]
        struct D;
        impl Decode for D {
            fn error_text(code: i64) -> Option<&'static str> {
                <$m::Family as atgen_runtime::Family>::describe_error(code)
            }
            fn urc(
                frame: &[u8],
                hex: bool,
            ) -> Option<Result<crate::decode::Parsed, atgen_runtime::ParseError>> {
                $m::Urc::parse(frame, hex).map(|r| {
                    r.map(|u| {
                        let (d, v) = u.parts();
                        let secrets = crate::decode::secret_values(&d.line.template, &v);
                        crate::decode::Parsed {
                            json: serde_json::to_value(u).unwrap_or(serde_json::Value::Null),
                            secrets,
                        }
                    })
                })
            }
            fn info(
                line: &[u8],
                hex: bool,
            ) -> Result<crate::decode::Parsed, atgen_runtime::ParseError> {
                let l = $m::InfoLine::parse(line, hex)?;
                let lines = $m::desc::FAMILY_DESC.lines;
                let secrets =
                    match atgen_runtime::codec::parse_info($m::FAMILY, lines, &[], line, hex) {
                        Ok((i, v)) => lines
                            .get(i)
                            .map(|d| crate::decode::secret_values(&d.template, &v))
                            .unwrap_or_default(),
                        Err(_) => Vec::new(),
                    };
                Ok(crate::decode::Parsed {
                    json: serde_json::to_value(l).unwrap_or(serde_json::Value::Null),
                    secrets,
                })
            }
            fn explain(line: &[u8]) -> Option<String> {
                crate::explain::explain($m::FAMILY, $m::desc::FAMILY_DESC.forms, line).map(|e| e.0)
            }
            fn command(
                line: &[u8],
            ) -> Result<(crate::decode::Parsed, Option<bool>), atgen_runtime::RequestError>
            {
                $m::Request::parse(line).map(|r| {
                    let (f, v) = r.parts();
                    let secrets = crate::decode::secret_values(&f.args, &v);
                    let data = atgen_runtime::codec::data_phase(f, &v).map(|d| d.secret);
                    (
                        crate::decode::Parsed {
                            json: serde_json::to_value(r).unwrap_or(serde_json::Value::Null),
                            secrets,
                        },
                        data,
                    )
                })
            }
        }
        D
    }};
}
pub(crate) use decoder;

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
    let mut bad = 0usize;
    let json = args.common.json;
    let mut emit = |item: Json| {
        if matches!(
            item["kind"].as_str(),
            Some("unrecognised") | Some("malformed") | Some("incomplete")
        ) {
            bad += 1;
        }
        let line = if json { item.to_string() } else { text(&item) };
        write_line(&mut out, &line)
    };
    if head.starts_with(atgen_runtime::transcript::HEADER.as_bytes()) {
        input
            .read_to_end(&mut head)
            .map_err(|e| Failure::failed(format!("cannot read the input: {e}")))?;
        let bytes = super::record::module_bytes(head)?;
        with_family!(id, m => decode_read::<m::Family, _>(decoder!(m), bytes.as_slice(), opts, &mut emit))?;
    } else {
        let input = head.as_slice().chain(input);
        with_family!(id, m => decode_read::<m::Family, _>(decoder!(m), input, opts, &mut emit))?;
    }
    finish_output(&mut out)?;
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
    if let (Some(n), Some(t)) = (item["code"]["code"].as_i64(), item["code"]["text"].as_str()) {
        s.push_str(&format!(" ({n}: {t})"));
    }
    if let Some(e) = item.get("error").and_then(Json::as_str) {
        s.push_str(": ");
        s.push_str(e);
    }
    s
}

/// The family module's decoding entry points, as one trait so `decode` is written once.
pub trait Decode {
    /// The manual's text of an error code of the family's error tables.
    fn error_text(code: i64) -> Option<&'static str>;
    fn urc(frame: &[u8], hex: bool) -> Option<Result<Parsed, atgen_runtime::ParseError>>;
    fn info(line: &[u8], hex: bool) -> Result<Parsed, atgen_runtime::ParseError>;
    /// Why a command line is none of the family's forms (see `explain`).
    fn explain(line: &[u8]) -> Option<String>;
    /// The request, and when it has a data phase, whether that data is secret.
    fn command(line: &[u8]) -> Result<(Parsed, Option<bool>), atgen_runtime::RequestError>;
}

/// A decoded item and the values of its secret parameters (to hide).
pub struct Parsed {
    pub(crate) json: Json,
    pub(crate) secrets: Vec<String>,
}

/// How to decode.
#[derive(Clone, Copy)]
pub struct Opts {
    pub hex: bool,
    pub show_secrets: bool,
}

/// The values of a template's `secret = true` parameters.
pub(crate) fn secret_values(
    t: &atgen_runtime::desc::Template,
    v: &atgen_runtime::Vals<'_>,
) -> Vec<String> {
    t.fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.param.secret)
        .filter_map(|(i, _)| v.get(i).bytes().map(lossy))
        .filter(|s| !s.is_empty())
        .collect()
}

/// The JSON with every secret value replaced by `***`.
fn hide(v: Json, secrets: &[String]) -> Json {
    match v {
        Json::String(s) if secrets.contains(&s) => json!(SECRET),
        Json::Array(a) => Json::Array(a.into_iter().map(|x| hide(x, secrets)).collect()),
        Json::Object(m) => {
            Json::Object(m.into_iter().map(|(k, x)| (k, hide(x, secrets))).collect())
        }
        other => other,
    }
}

/// What a hidden secret reads as.
const SECRET: &str = "***";

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

/// Where in a transcript the decoder is: what follows a `>` prompt is the
/// data being sent (echoed), what follows `CONNECT` is transparent-mode data.
#[derive(Clone, Copy, PartialEq)]
enum Phase {
    Normal,
    /// After a command with a data phase; `secret` when its data is secret.
    Announced {
        secret: bool,
    },
    Data {
        secret: bool,
    },
    Transparent,
}

/// Every item of a whole input, in order (what `atgen term` shows of one answer).
pub fn decode<F: atgen_runtime::Family, D: Decode>(d: D, input: &[u8], o: Opts) -> Vec<Json> {
    let mut out = Vec::new();
    let mut push = |item: Json| {
        out.push(item);
        Ok(())
    };
    // Reading a slice cannot fail and `push` never does.
    let _ = decode_read::<F, D>(d, input, o, &mut push);
    out
}

/// Decodes a stream as it is read (in the chunks of [`atgen::decode::read_windows`]),
/// handing each item to `emit` as it is found.
fn decode_read<F: atgen_runtime::Family, D: Decode>(
    _: D,
    input: impl std::io::Read,
    o: Opts,
    emit: &mut dyn FnMut(Json) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let mut d = Digester::new();
    d.set_hex(o.hex);
    let state = std::cell::RefCell::new((d, Phase::Normal, emit));
    let r = atgen::decode::read_windows(
        input,
        |buf, base| {
            let (d, phase, emit) = &mut *state.borrow_mut();
            frames::<F, D>(buf, base, o, d, phase, *emit)
        },
        |buf, base| {
            let (d, phase, emit) = &mut *state.borrow_mut();
            rest::<D>(buf, base, o, d, phase, *emit)
        },
    );
    match r {
        Ok(()) => Ok(()),
        Err(atgen::decode::ReadError::Io(e)) => {
            Err(Failure::failed(format!("cannot read the input: {e}")))
        }
        Err(atgen::decode::ReadError::Visit(f)) => Err(f),
    }
}

/// Every complete frame at the start of `buf` (at `base` in the input); the bytes they used.
fn frames<F: atgen_runtime::Family, D: Decode>(
    buf: &[u8],
    base: usize,
    o: Opts,
    d: &mut Digester,
    phase: &mut Phase,
    emit: &mut dyn FnMut(Json) -> Result<(), Failure>,
) -> Result<usize, Failure> {
    let mut pos = 0usize;
    while pos < buf.len() {
        let digested = buf.get(pos..).unwrap_or(&[]);
        let (frame, used) = d.digest::<F>(digested, b"");
        let at = base + pos + atgen::decode::frame_start(digested, used);
        match frame {
            Frame::None if used == 0 => break,
            Frame::None | Frame::Echo => {}
            Frame::Prompt => {
                if let Phase::Announced { secret } = *phase {
                    *phase = Phase::Data { secret };
                }
                emit(json!({ "offset": at, "kind": "prompt" }))?;
            }
            Frame::Line(line) => emit(item::<D>(at, line, o, d, phase))?,
            Frame::Payload { frame, data, .. } => {
                let mut item = classify_in::<D>(at, frame, o, d, phase);
                if let Json::Object(m) = &mut item {
                    if o.hex && !data.iter().all(u8::is_ascii_hexdigit) {
                        m.insert("kind".into(), json!("malformed"));
                        m.insert(
                            "error".into(),
                            json!("the payload is not hex text (0-9, A-F) as --hex says"),
                        );
                    }
                    m.insert("payload_hex".into(), json!(hex_of(data)));
                }
                emit(item)?;
            }
        }
        pos += used;
    }
    Ok(pos)
}

/// The bytes after the last frame: a last line without its CR LF is still a line.
fn rest<D: Decode>(
    rest: &[u8],
    pos: usize,
    o: Opts,
    d: &mut Digester,
    phase: &mut Phase,
    emit: &mut dyn FnMut(Json) -> Result<(), Failure>,
) -> Result<(), Failure> {
    if !rest.iter().any(|b| !b.is_ascii_whitespace()) {
        return Ok(());
    }
    let line = rest.strip_suffix(b"\r").unwrap_or(rest);
    let mut item = item::<D>(pos, line, o, d, phase);
    if item["kind"] == "unrecognised" || item["kind"] == "malformed" {
        item = json!({ "offset": pos, "kind": "incomplete", "text": lossy(rest), "hex": hex_of(rest) });
    }
    emit(item)
}

/// One line, read as the phase of the transcript says.
fn item<D: Decode>(at: usize, line: &[u8], o: Opts, d: &mut Digester, phase: &mut Phase) -> Json {
    match *phase {
        Phase::Data { secret } => {
            // The data ends at the command's final result; URCs may come between.
            if final_code::parse(line).is_some() {
                *phase = Phase::Normal;
                return classify_in::<D>(at, line, o, d, phase);
            }
            if let Some(Ok(_)) = D::urc(line, o.hex) {
                return classify_in::<D>(at, line, o, d, phase);
            }
            // Ctrl+Z ends data sent that way: what follows is the module's answer.
            if line.contains(&0x1A) {
                *phase = Phase::Normal;
                return data(at, line, secret && !o.show_secrets, "sent");
            }
            // The module's answer to the data, an information line (the manuals'
            // transcripts leave the data out: BC26 `>` then
            // `+QSSLCFG: 1,5,"cacert",1216`).
            if line.starts_with(b"+") && D::info(line, o.hex).is_ok() {
                *phase = Phase::Normal;
                return classify_in::<D>(at, line, o, d, phase);
            }
            data(at, line, secret && !o.show_secrets, "sent")
        }
        Phase::Transparent => {
            // `+++` leaves transparent mode (the module then answers OK);
            // NO CARRIER is the peer closing the connection.
            if line == b"+++" {
                *phase = Phase::Normal;
                return json!({ "offset": at, "kind": "escape", "text": "+++" });
            }
            if matches!(final_code::parse(line), Some(FinalCode::NoCarrier)) {
                *phase = Phase::Normal;
                return classify_in::<D>(at, line, o, d, phase);
            }
            data(at, line, false, "transparent")
        }
        _ => classify_in::<D>(at, line, o, d, phase),
    }
}

/// Data written or received as-is (not module output to parse).
fn data(at: usize, line: &[u8], hidden: bool, mode: &str) -> Json {
    if hidden {
        json!({ "offset": at, "kind": "data", "mode": mode, "text": SECRET, "length": line.len() })
    } else {
        json!({ "offset": at, "kind": "data", "mode": mode, "text": lossy(line), "hex": hex_of(line) })
    }
}

fn hex_of(b: &[u8]) -> String {
    hex(b)
}

/// One frame outside a decode run (`atgen term`, no data phase pending). The
/// terminal shows what the module printed, secrets included: the user typed them
/// (`atgen record` keeps them out of a transcript).
pub(crate) fn classify<F: Decode>(at: usize, line: &[u8], hex: bool, d: &mut Digester) -> Json {
    let o = Opts {
        hex,
        show_secrets: true,
    };
    classify_in::<F>(at, line, o, d, &mut Phase::Normal)
}

fn classify_in<F: Decode>(
    at: usize,
    line: &[u8],
    o: Opts,
    d: &mut Digester,
    phase: &mut Phase,
) -> Json {
    let shown = |p: Parsed| {
        if o.show_secrets {
            p.json
        } else {
            hide(p.json, &p.secrets)
        }
    };
    let urc = F::urc(line, o.hex);
    // A line the spec declares a URC is one, even where it reads like a final
    // result code (ML302 `<ssid>,CLOSE OK`).
    let urc = match urc {
        Some(Ok(p)) => {
            let (t, f) = split_variant(shown(p));
            return json!({ "offset": at, "kind": "urc", "type": t, "fields": f });
        }
        other => other,
    };
    if let Some(code) = final_code::parse(line) {
        if matches!(code, FinalCode::Connect { .. }) {
            *phase = Phase::Transparent;
        } else if matches!(*phase, Phase::Announced { .. }) {
            *phase = Phase::Normal;
        }
        let mut item = json!({ "offset": at, "kind": "final", "result": format!("{code:?}"), "text": lossy(line) });
        // `+CME ERROR: 565`: the code with the manual's text, as result URCs show theirs.
        if let FinalCode::CmeError(final_code::CmeCode::Numeric(n)) = code {
            if let Some(t) = F::error_text(n) {
                item["code"] = json!({ "code": n, "text": t });
            }
        }
        return item;
    }
    if let Some(word) = UNSOLICITED.iter().find(|w| w.as_bytes() == line) {
        let kind = if *word == RESTART {
            "restart"
        } else {
            "unsolicited"
        };
        return json!({ "offset": at, "kind": kind, "text": word });
    }
    if let Some(r) = urc {
        return match r {
            Ok(p) => {
                let (t, f) = split_variant(shown(p));
                json!({ "offset": at, "kind": "urc", "type": t, "fields": f })
            }
            // A response line may start like a URC (`+CCHOPEN:` answers AT+CCHOPEN?
            // and reports its result): malformed only when it is no line either.
            Err(e) => match F::info(line, o.hex) {
                Ok(p) => {
                    let (t, f) = split_variant(shown(p));
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
            Ok((p, data)) => {
                d.expect_prompt(data.is_some());
                if let Some(secret) = data {
                    *phase = Phase::Announced { secret };
                }
                let (t, f) = split_variant(shown(p));
                json!({ "offset": at, "kind": "command", "type": t, "fields": f })
            }
            Err(e) => {
                let msg = match e {
                    atgen_runtime::RequestError::Parse(_) => F::explain(line),
                    _ => None,
                };
                let msg = msg.unwrap_or_else(|| e.to_string());
                json!({ "offset": at, "kind": "command", "text": lossy(line), "error": msg })
            }
        };
    }
    match F::info(line, o.hex) {
        Ok(p) => {
            let (t, f) = split_variant(shown(p));
            json!({ "offset": at, "kind": "info", "type": t, "fields": f })
        }
        Err(_) => {
            json!({ "offset": at, "kind": "unrecognised", "text": lossy(line), "hex": hex_of(line) })
        }
    }
}

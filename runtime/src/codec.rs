//! The one implementation of the manuals' templates: validating, writing and
//! parsing command lines, response lines and URCs from their [descriptors](crate::desc).
//! Generated types call these; so do the generic socket dialect and the simulator.

use crate::desc::{Cond, Field, Form, Kind, Line, Param, Template, Tok, Urc};
use crate::error::{ParseError, Problem, ValidationError, Value};
use crate::family::PayloadProbe;
use crate::request::MaxResponse;
use crate::request_error::RequestError;
use crate::sink::{ByteSink, Overflow};
use crate::vals::{Val, Vals};
use crate::wire::{self, Cursor};

/// A settings look-up by the manual's parameter name.
pub type Lookup<'l> = &'l dyn Fn(&str) -> Option<i64>;

// ---------------------------------------------------------------- writing

fn quoted<S: ByteSink + ?Sized>(
    sink: &mut S,
    q: bool,
    body: impl FnOnce(&mut S) -> Result<(), Overflow>,
) -> Result<(), Overflow> {
    if q {
        sink.put(b"\"")?;
    }
    body(sink)?;
    if q {
        sink.put(b"\"")?;
    }
    Ok(())
}

fn write_field<S: ByteSink + ?Sized>(f: &Field, v: Val<'_>, sink: &mut S) -> Result<(), Overflow> {
    let p = f.param;
    match (p.kind, v) {
        (Kind::Int, Val::Int(n)) => quoted(sink, p.quoted, |s| wire::put_int(s, n)),
        (Kind::Hex, Val::Int(n)) => quoted(sink, p.quoted, |s| {
            wire::put_hex_fmt(
                s,
                n,
                p.hex.prefix,
                usize::from(p.hex.digits),
                p.hex.lowercase,
            )
        }),
        (_, Val::Str(t)) => wire::put_str(sink, t, p.quoted),
        (_, Val::Bytes(b)) => quoted(sink, p.quoted, |s| s.put(b)),
        _ => Ok(()),
    }
}

/// The first field named inside a token list (the lead of an optional group).
pub(crate) fn first_field(toks: &[Tok]) -> Option<usize> {
    toks.iter().find_map(|t| match t {
        Tok::Field(i) | Tok::Supported(i) => Some(usize::from(*i)),
        _ => None,
    })
}

/// The tokens of the optional group starting at `i` (an `Opt`), and where the group ends.
pub(crate) fn group(toks: &[Tok], i: usize, len: u8) -> (&[Tok], usize) {
    let start = i + 1;
    let end = start.saturating_add(usize::from(len)).min(toks.len());
    (toks.get(start..end).unwrap_or(&[]), end)
}

fn write_toks<S: ByteSink + ?Sized>(
    t: &Template,
    toks: &[Tok],
    v: &Vals<'_>,
    sink: &mut S,
) -> Result<(), Overflow> {
    let mut i = 0;
    while let Some(tok) = toks.get(i) {
        match *tok {
            Tok::Lit(text) => sink.put(text.as_bytes())?,
            Tok::LineBreak => sink.put(b"\r\n")?,
            Tok::Field(f) => {
                if let Some(field) = t.fields.get(usize::from(f)) {
                    match (field.placeholder, v.get(usize::from(f))) {
                        (Some(text), Val::None) => sink.put(text.as_bytes())?,
                        (_, val) => write_field(field, val, sink)?,
                    }
                }
            }
            Tok::Supported(f) => {
                if let Val::Str(text) = v.get(usize::from(f)) {
                    sink.put(b"(")?;
                    sink.put(text.as_bytes())?;
                    sink.put(b")")?;
                }
            }
            Tok::Group(len) => {
                let (inner, end) = group(toks, i, len);
                let present = first_field(inner).is_none_or(|lead| !v.get(lead).is_none());
                if present {
                    write_toks(t, inner, v, sink)?;
                }
                i = end;
                continue;
            }
        }
        i += 1;
    }
    Ok(())
}

/// Writes a template's text with these values (optional groups whose lead is absent left out).
pub fn write_template<S: ByteSink + ?Sized>(
    t: &Template,
    v: &Vals<'_>,
    sink: &mut S,
) -> Result<(), Overflow> {
    write_toks(t, t.toks, v, sink)
}

/// Writes the command line `AT+…\r` of a form. Does not validate: see [`validate`].
pub fn write_request<S: ByteSink + ?Sized>(
    f: &Form,
    v: &Vals<'_>,
    sink: &mut S,
) -> Result<(), Overflow> {
    sink.put(b"AT+")?;
    sink.put(f.command.as_bytes())?;
    sink.put(f.suffix.as_bytes())?;
    write_template(&f.args, v, sink)?;
    sink.put(b"\r")
}

/// What comes before every line a module prints (information line, URC,
/// final result code), as V.250 frames them; the line ends with CR LF.
pub const LINE_START: &[u8] = b"\r\n";

/// The data-phase prompt as a module prints it.
pub const PROMPT: &[u8] = b"\r\n> ";

/// Writes a final result code as the module prints it: `<CR><LF>SEND OK<CR><LF>`.
pub fn write_final<S: ByteSink + ?Sized>(code: &str, sink: &mut S) -> Result<(), Overflow> {
    sink.put(LINE_START)?;
    sink.put(code.as_bytes())?;
    sink.put(b"\r\n")
}

/// Writes a response or URC line as the module prints it, with its CR LF.
pub fn write_line<S: ByteSink + ?Sized>(
    l: &Line,
    v: &Vals<'_>,
    sink: &mut S,
) -> Result<(), Overflow> {
    write_template(&l.template, v, sink)?;
    sink.put(b"\r\n")
}

// ---------------------------------------------------------------- parsing

/// What a parse is for: module output (every failure is a parse error) or a
/// command line of a form (values that do not fit are validation errors).
#[derive(Clone, Copy)]
enum Mode<'f> {
    Response,
    Request(&'f Form),
}

struct Parse<'t, 'f> {
    t: &'t Template,
    mode: Mode<'f>,
    /// Payloads are hex text (twice as many bytes on the wire).
    hex: bool,
    /// Stop before the payload field of this index (payload probes).
    upto: Option<u8>,
    /// A test response line: optional parts may come in brackets.
    test: bool,
}

pub(crate) fn first_lit(toks: &[Tok]) -> Option<&'static str> {
    match toks.first() {
        Some(Tok::Lit(t)) => Some(t),
        Some(Tok::LineBreak) => Some("\r\n"),
        _ => None,
    }
}

/// A literal of a template; the space after a prefix's colon may be missing,
/// as manuals print it both ways (EC200x `+QSSLCFG:"clientcert"`, ML302
/// `+QSECWRITE:(0~2)`).
fn lit_loose(c: &mut Cursor<'_>, text: &'static str) -> Result<(), ParseError> {
    if c.eat(text) {
        return Ok(());
    }
    {
        if let Some(i) = text.find(": ") {
            if let (Some(head), Some(tail)) = (text.get(..=i), text.get(i + 2..)) {
                if c.peek(head)
                    && !c
                        .rest()
                        .get(head.len()..)
                        .is_some_and(|r| r.starts_with(b" "))
                {
                    c.lit(head)?;
                    return c.lit(tail);
                }
            }
        }
    }
    c.lit(text)
}

/// Whether an integer field that may be left empty is, at the cursor (token
/// `i` of `toks`): nothing before the next separator, or `""` (consumed) when quoted.
#[inline]
pub(crate) fn left_empty(p: &Param, c: &mut Cursor<'_>, toks: &[Tok], i: usize) -> bool {
    p.empty && left_empty_at(p, c, toks, i)
}

fn left_empty_at(p: &Param, c: &mut Cursor<'_>, toks: &[Tok], i: usize) -> bool {
    if p.quoted && c.eat("\"\"") {
        return true;
    }
    let next = c.rest().first();
    c.at_line_end() || next.is_some_and(|b| stops_after(toks, i).contains(b))
}

/// Whether the integer at the cursor is in quotes; `None` when the quotes are
/// not as the family writes them (where they are optional, the line says).
#[inline]
pub(crate) fn int_quoted(p: &Param, c: &Cursor<'_>) -> Option<bool> {
    let quoted = p.quoted && (!p.quotes_optional || c.peek_byte(b'"'));
    (quoted == c.peek_byte(b'"')).then_some(quoted)
}

/// The bytes that may end an unquoted string: the first byte of the next literal.
pub(crate) fn stops_after(toks: &[Tok], i: usize) -> &'static [u8] {
    let lit = match toks.get(i + 1) {
        Some(Tok::Lit(t)) => Some(*t),
        Some(&Tok::Group(len)) => first_lit(group(toks, i + 1, len).0),
        _ => None,
    };
    lit.and_then(|t| t.as_bytes().get(..1)).unwrap_or(&[])
}

impl<'f> Parse<'_, 'f> {
    fn invalid(&self, p: &'static Param, raw: i64, problem: Problem) -> Option<RequestError> {
        match self.mode {
            Mode::Response => None,
            Mode::Request(form) => Some(RequestError::Invalid(ValidationError {
                family: form.family,
                command: form.command,
                param: p.name,
                value: Value::Int(raw),
                problem,
                shown: crate::error::Shown::of(p),
            })),
        }
    }

    /// Reads the tokens into `v`; `Ok(true)` when it stopped at the payload (`upto`).
    fn toks<'a>(
        &self,
        toks: &[Tok],
        c: &mut Cursor<'a>,
        v: &mut Vals<'a>,
    ) -> Result<bool, RequestError> {
        let mut i = 0;
        while let Some(tok) = toks.get(i) {
            match *tok {
                Tok::Lit(text) => lit_loose(c, text)?,
                Tok::LineBreak => c.lit("\r\n")?,
                Tok::Field(f) => {
                    if self.upto == Some(f) {
                        return Ok(true);
                    }
                    let field = self
                        .t
                        .fields
                        .get(usize::from(f))
                        .ok_or_else(|| c.error("a field of the template"))?;
                    // A test response may print the manual's `<serveraddr>` as written.
                    if let Some(text) = field.placeholder.filter(|t| c.peek(t)) {
                        c.lit(text)?;
                        v.set(usize::from(f), Val::None);
                        i += 1;
                        continue;
                    }
                    let val = self.field(field, c, v, toks, i)?;
                    v.set(usize::from(f), val);
                }
                Tok::Supported(f) => {
                    let expected = self
                        .t
                        .fields
                        .get(usize::from(f))
                        .map_or("a range of supported values in parentheses", |field| {
                            field.param.expected_in_parens
                        });
                    let text = c.supported(expected)?;
                    v.set(usize::from(f), Val::Str(text));
                }
                Tok::Group(len) => {
                    let (inner, end) = group(toks, i, len);
                    // A test response may print an optional part with the
                    // manual's brackets: UGxx `+QSSLSEND: (0-11)[,(1-1460)]`.
                    if self.test && c.peek("[") {
                        c.lit("[")?;
                        if self.toks(inner, c, v)? {
                            return Ok(true);
                        }
                        c.lit("]")?;
                        i = end;
                        continue;
                    }
                    // A test response may leave out the comma before an optional
                    // range: BC26 prints `"seclevel"(0-2)` for `"seclevel"[,(0-2)]`.
                    if let [Tok::Lit(","), rest @ ..] = inner {
                        if matches!(rest.first(), Some(Tok::Supported(..))) && c.peek("(") {
                            if self.toks(rest, c, v)? {
                                return Ok(true);
                            }
                            i = end;
                            continue;
                        }
                    }
                    let present = match (first_field(inner), first_lit(inner)) {
                        (_, Some(lit)) => c.peek(lit),
                        (Some(_), None) => !c.at_line_end(),
                        (None, None) => false,
                    };
                    if present && self.toks(inner, c, v)? {
                        return Ok(true);
                    }
                    i = end;
                    continue;
                }
            }
            i += 1;
        }
        Ok(false)
    }

    /// The field `f`, at token `i` of `toks` (whose next literal may end it).
    fn field<'a>(
        &self,
        f: &Field,
        c: &mut Cursor<'a>,
        v: &Vals<'a>,
        toks: &[Tok],
        i: usize,
    ) -> Result<Val<'a>, RequestError> {
        let p = f.param;
        let exp = p.expected;
        match p.kind {
            Kind::Int | Kind::Hex => {
                if left_empty(p, c, toks, i) {
                    return Ok(Val::None);
                }
                // A quote where none belongs, or none where one does: say how
                // the family writes the value (`exp` names the quoting).
                let Some(quoted) = int_quoted(p, c) else {
                    return Err(c.error(exp).into());
                };
                if quoted {
                    c.lit("\"")?;
                }
                let start = c.pos();
                let raw = if p.kind == Kind::Hex {
                    let prefixed = !p.hex.prefix.is_empty();
                    let before = c.clone();
                    match c.hex_digits(exp, prefixed, usize::from(p.hex.digits)) {
                        Ok(v) => v,
                        Err(e) => {
                            // Too many digits for any allowed value (`0X10000`): say
                            // the value is not allowed, naming the parameter.
                            let mut free = before;
                            let refused = free.hex(exp, prefixed).ok().and_then(|v| {
                                // (A request names a listed code even where replies may not.)
                                (!p.codes.is_empty() && !p.codes.contains(&v))
                                    .then(|| {
                                        self.invalid(p, v, Problem::NotAValue { allowed: p.codes })
                                    })
                                    .flatten()
                            });
                            return Err(refused.unwrap_or_else(|| e.into()));
                        }
                    }
                } else {
                    c.int(exp)?
                };
                let bad = if !p.codes.is_empty() {
                    (!p.open && !p.codes.contains(&raw))
                        .then(|| self.invalid(p, raw, Problem::NotAValue { allowed: p.codes }))
                } else {
                    let (min, max) = p.bounds;
                    (raw < min || raw > max).then(|| {
                        let (min, max) = p.range.unwrap_or(p.bounds);
                        self.invalid(p, raw, Problem::OutOfRange { min, max })
                    })
                };
                if let Some(e) = bad {
                    return Err(e.unwrap_or_else(|| c.error_at(start, exp).into()));
                }
                if quoted {
                    c.lit("\"")?;
                }
                Ok(Val::Int(raw))
            }
            Kind::Str => {
                let start = c.pos();
                let text = if p.quoted {
                    c.quoted(exp)?
                } else {
                    c.bare(exp, stops_after(toks, i))?
                };
                if !p.words.is_empty() && !p.words.contains(&text) {
                    return Err(c.error_at(start, exp).into());
                }
                Ok(Val::Str(text))
            }
            Kind::Bytes => {
                let start = c.pos();
                let len = f
                    .length
                    .and_then(|i| v.get(usize::from(i)).int())
                    .and_then(|n| usize::try_from(n).ok())
                    .ok_or_else(|| c.error_at(start, exp))?;
                let len = if self.hex { len.saturating_mul(2) } else { len };
                if p.quoted {
                    c.lit("\"")?;
                }
                let data = c.take(exp, len)?;
                if p.quoted {
                    c.lit("\"")?;
                }
                Ok(Val::Bytes(data))
            }
        }
    }
}

fn parse_error(e: RequestError, c: &Cursor<'_>) -> ParseError {
    match e {
        RequestError::Parse(p) => p,
        _ => c.error("a value of the template"),
    }
}

/// Parses one line (and its payload) at the cursor, including its CR LF. `hex`:
/// the payload is hex text (only where the line says payloads may be hex).
pub fn parse_line_at<'a>(l: &Line, c: &mut Cursor<'a>, hex: bool) -> Result<Vals<'a>, ParseError> {
    let mut v = Vals::default();
    line_at(l, c, hex, &mut v)?;
    Ok(v)
}

/// [`parse_line_at`] into `v` (its fields cleared first), without moving the values.
fn line_at<'a>(
    l: &Line,
    c: &mut Cursor<'a>,
    hex: bool,
    v: &mut Vals<'a>,
) -> Result<(), ParseError> {
    if crate::quick::line_at(l, c, v) {
        return Ok(());
    }
    full_line_at(l, c, hex, v)
}

/// The full parser alone, without the [`crate::quick`] path: what decides
/// where that path cannot, and explains a line that fails (checks that the two
/// agree call it directly).
pub fn full_line_at<'a>(
    l: &Line,
    c: &mut Cursor<'a>,
    hex: bool,
    v: &mut Vals<'a>,
) -> Result<(), ParseError> {
    let parse = Parse {
        t: &l.template,
        mode: Mode::Response,
        hex: hex && l.hex_when.is_some(),
        upto: None,
        test: l.test,
    };
    v.clear(l.template.fields.len());
    parse
        .toks(l.template.toks, c, v)
        .map_err(|e| parse_error(e, c))?;
    c.eol()
}

/// Parses exactly one line (a URC frame, or one information line).
pub fn parse_line<'a>(l: &Line, input: &'a [u8], hex: bool) -> Result<Vals<'a>, ParseError> {
    let mut v = Vals::default();
    parse_line_into(l, input, hex, &mut v)?;
    Ok(v)
}

/// [`parse_line`] into `v` (its fields cleared first), without moving the values.
pub fn parse_line_into<'a>(
    l: &Line,
    input: &'a [u8],
    hex: bool,
    v: &mut Vals<'a>,
) -> Result<(), ParseError> {
    let mut c = Cursor::new(l.family, l.what, input);
    line_at(l, &mut c, hex, v)?;
    c.end()
}

/// Whether `input` is exactly one line `l` (its values left in `v`), as
/// [`parse_line_into`] decides, without its error: a line the quick path
/// refuses is not parsed again.
fn reads_whole<'a>(l: &Line, input: &'a [u8], hex: bool, v: &mut Vals<'a>) -> bool {
    let mut c = Cursor::new(l.family, l.what, input);
    match crate::quick::read(l, &mut c, v) {
        Some(true) => c.end().is_ok(),
        Some(false) => false,
        None => full_line_at(l, &mut c, hex, v).is_ok() && c.end().is_ok(),
    }
}

/// Parses and validates a command line of a form (`AT+…`, CR LF optional).
pub fn parse_request<'a>(f: &Form, line: &'a [u8]) -> Result<Vals<'a>, RequestError> {
    let mut c = Cursor::new(f.family, f.what, line);
    c.lit_ci("AT+")?;
    c.lit_ci(f.command)?;
    c.lit(f.suffix)?;
    let parse = Parse {
        t: &f.args,
        mode: Mode::Request(f),
        hex: false,
        upto: None,
        test: false,
    };
    let mut v = Vals::default();
    parse.toks(f.args.toks, &mut c, &mut v)?;
    c.line_end()?;
    validate(f, &v, &|_| None)?;
    Ok(v)
}

// ---------------------------------------------------------------- validation

/// The current value of a condition's parameter: from the request's own field
/// when the form has one (absent when left out), else from the settings.
fn cond_value(f: &Form, v: &Vals<'_>, param: &str, setting: Lookup<'_>) -> Option<i64> {
    match f.args.field_of(param) {
        Some(i) => v.get(i).int(),
        None => setting(param),
    }
}

/// Whether a condition holds for this request.
pub fn holds(f: &Form, v: &Vals<'_>, c: &Cond, setting: Lookup<'_>) -> bool {
    cond_value(f, v, c.param, setting) == Some(c.equals)
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Int => "an integer",
        Kind::Hex => "a hex integer",
        Kind::Str => "a string",
        Kind::Bytes => "payload bytes",
    }
}

fn check_field(
    f: &Form,
    v: &Vals<'_>,
    field: &Field,
    val: Val<'_>,
    setting: Lookup<'_>,
) -> Result<(), ValidationError> {
    let p = field.param;
    let err = |value, problem| ValidationError {
        family: f.family,
        command: f.command,
        param: p.name,
        value,
        problem,
        shown: crate::error::Shown::of(p),
    };
    match (p.kind, val) {
        (_, Val::None) => Ok(()),
        (Kind::Int | Kind::Hex, Val::Int(n)) => {
            let bad = |problem| Err(err(Value::Int(n), problem));
            if !p.codes.is_empty() && !p.codes.contains(&n) {
                return bad(Problem::NotAValue { allowed: p.codes });
            }
            if let Some(sub) = p.subset {
                if !sub.contains(&n) {
                    return bad(Problem::NotAValue { allowed: sub });
                }
            }
            let when = p
                .range_when
                .iter()
                .find(|rw| cond_value(f, v, rw.when.param, setting) == Some(rw.when.equals));
            match (when, p.range) {
                (Some(rw), _) if n < rw.min || n > rw.max => {
                    return bad(Problem::OutOfRangeWhen {
                        min: rw.min,
                        max: rw.max,
                        other: rw.when.param,
                        equals: rw.when.equals,
                    })
                }
                (None, Some((min, max))) if p.codes.is_empty() && (n < min || n > max) => {
                    return bad(Problem::OutOfRange { min, max })
                }
                _ => {}
            }
            if let Some((supported, note)) = p.supported {
                if !supported.contains(&n) {
                    return bad(Problem::NotSupported { supported, note });
                }
            }
            if let Some(r) = p.requires {
                if let Some(o) = cond_value(f, v, r.param, setting) {
                    if o != r.equals {
                        return bad(Problem::Requires {
                            other: r.param,
                            equals: r.equals,
                        });
                    }
                }
            }
            Ok(())
        }
        (Kind::Str, Val::Str(s)) => {
            if !p.words.is_empty() {
                return Ok(());
            }
            wire::check_str(f.family, f.command, p.name, s, p.quoted, p.max_len)
        }
        (Kind::Bytes, Val::Bytes(_)) => Ok(()),
        (k, other) => Err(err(
            match other {
                Val::Str(s) => Value::Len(s.len()),
                Val::Bytes(b) => Value::Len(b.len()),
                Val::Int(n) => Value::Int(n),
                Val::None => Value::Absent,
            },
            Problem::WrongKind {
                expected: kind_name(k),
            },
        )),
    }
}

/// (lead, dependent) field pairs: a field of an optional group needs the group's lead.
fn needed_by(toks: &[Tok], lead: Option<usize>, out: &mut dyn FnMut(usize, usize)) {
    let mut i = 0;
    while let Some(tok) = toks.get(i) {
        match *tok {
            Tok::Field(d) | Tok::Supported(d) => {
                if let Some(l) = lead {
                    if l != usize::from(d) {
                        out(l, usize::from(d));
                    }
                }
            }
            Tok::Group(len) => {
                let (inner, end) = group(toks, i, len);
                let inner_lead = first_field(inner);
                if let (Some(l), Some(il)) = (lead, inner_lead) {
                    out(l, il);
                }
                needed_by(inner, inner_lead.or(lead), out);
                i = end;
                continue;
            }
            Tok::Lit(_) | Tok::LineBreak => {}
        }
        i += 1;
    }
}

/// Checks every range, value list, length, stated dependency and optional group of
/// a request: `setting` gives values set earlier by other commands.
pub fn validate(f: &Form, v: &Vals<'_>, setting: Lookup<'_>) -> Result<(), ValidationError> {
    for (i, field) in f.args.fields.iter().enumerate() {
        check_field(f, v, field, v.get(i), setting)?;
    }
    let mut missing: Option<ValidationError> = None;
    needed_by(f.args.toks, None, &mut |l, d| {
        let (Some(lf), Some(df)) = (f.args.fields.get(l), f.args.fields.get(d)) else {
            return;
        };
        if missing.is_none()
            && lf.optional
            && df.optional
            && !v.get(d).is_none()
            && v.get(l).is_none()
        {
            missing = Some(ValidationError {
                family: f.family,
                command: f.command,
                param: lf.param.name,
                value: Value::Absent,
                problem: Problem::NeededBy {
                    later: df.param.name,
                },
                shown: crate::error::Shown::PLAIN,
            });
        }
    });
    missing.map_or(Ok(()), Err)
}

// ---------------------------------------------------------------- what a request tells the link

/// The manual's maximum response time of a request (to its final result code),
/// [`crate::request::UNSTATED_RESPONSE`] where the manual states none.
pub fn max_response(f: &Form, v: &Vals<'_>) -> MaxResponse {
    f.max
        .as_ref()
        .map_or(crate::request::UNSTATED_RESPONSE, |t| time_of(f, t, v))
}

/// The wait for a request's result URC: the form's own where the manual states
/// one, else its maximum response time.
pub fn result_wait(f: &Form, v: &Vals<'_>) -> MaxResponse {
    match &f.result_wait {
        Some(t) => time_of(f, t, v),
        None => max_response(f, v),
    }
}

fn time_of(f: &Form, t: &crate::desc::MaxTime, v: &Vals<'_>) -> MaxResponse {
    let plus = t.plus.map(|p| crate::request::PlusParam {
        param: p.name,
        value: f.args.field_of(p.name).and_then(|i| v.get(i).int()),
        default: p.default,
        unit_ms: p.unit_ms,
        unit_by: p.unit_by.map(|u| (u.param, u.units)),
    });
    MaxResponse {
        base_ms: t.base_ms,
        plus,
        text: t.text,
        stated: true,
    }
}

/// The data phase of a request, with its length.
pub fn data_phase(f: &Form, v: &Vals<'_>) -> Option<crate::request::DataPhase> {
    let d = f.data.as_ref()?;
    let end = match d.end {
        crate::desc::DataLen::CtrlZ => crate::request::DataEnd::CtrlZ,
        crate::desc::DataLen::Field(i) => {
            let n = v.get(usize::from(i)).int().unwrap_or(0);
            crate::request::DataEnd::Length(usize::try_from(n).unwrap_or(usize::MAX))
        }
    };
    Some(crate::request::DataPhase {
        end,
        max_len: d.max_len,
        hex_when: d.hex_when.map(|c| crate::request::When {
            param: c.param,
            equals: c.equals,
        }),
        checksum: d.checksum,
        prompt_wait_ms: d.prompt_wait_ms,
        secret: d.secret || d.secret_when.is_some_and(|c| holds(f, v, &c, &|_| None)),
    })
}

/// Whether the request answers `CONNECT`, from its own fields only.
pub fn connects(f: &Form, v: &Vals<'_>) -> bool {
    f.connect_when
        .is_some_and(|c| f.args.field_of(c.param).is_some() && holds(f, v, &c, &|_| None))
}

/// Whether the request answers `CONNECT`: its own field, or the setting another
/// command made (a transparent mode switched on beforehand).
pub fn connects_in(f: &Form, v: &Vals<'_>, setting: Lookup<'_>) -> bool {
    f.connect_when.is_some_and(|c| holds(f, v, &c, setting))
}

/// Whether a URC completes the request after its final result: the form has a
/// result URC, the setting that enables it (if any) holds, and it does not connect.
pub fn expects_result(f: &Form, v: &Vals<'_>, setting: Lookup<'_>) -> bool {
    f.result.is_some()
        && f.result_when.is_none_or(|c| holds(f, v, &c, setting))
        && !connects_in(f, v, setting)
}

/// The integer values a configuring request sets, by the manual's names (the
/// family's id parameters are the context the values are kept for, not settings).
pub fn settings(f: &Form, v: &Vals<'_>, ids: &[&str], record: &mut dyn FnMut(&'static str, i64)) {
    if !f.records {
        return;
    }
    for (i, field) in f.args.fields.iter().enumerate() {
        if matches!(field.param.kind, Kind::Int | Kind::Hex) && !ids.contains(&field.param.name) {
            if let Val::Int(n) = v.get(i) {
                record(field.param.name, n);
            }
        }
    }
}

/// The values of secret parameters (never logged).
pub fn secrets(f: &Form, v: &Vals<'_>, record: &mut dyn FnMut(&[u8])) {
    for (i, field) in f.args.fields.iter().enumerate() {
        if field.param.secret {
            if let Some(b) = v.get(i).bytes() {
                record(b);
            }
        }
    }
}

/// Whether a parsed URC is the result of this request: the URC the form names,
/// with the same value in every field both have (left-out request fields match any).
pub fn is_result(f: &Form, v: &Vals<'_>, urc: &Urc, u: &Vals<'_>) -> bool {
    let Some(result) = f.result else {
        return false;
    };
    if !core::ptr::eq(result, urc) {
        return false;
    }
    urc.line
        .template
        .fields
        .iter()
        .enumerate()
        .filter(|(_, uf)| !uf.optional)
        .all(|(ui, uf)| match f.args.field_of(uf.param.name) {
            Some(ri) => {
                let rv = v.get(ri);
                rv.is_none() || rv == u.get(ui)
            }
            None => true,
        })
}

/// The code of a form's error line (`+CCHSEND: 0,4` before `ERROR`), when
/// `frame` is that line for this request (the ids it names agree).
pub fn error_code(f: &Form, v: &Vals<'_>, frame: &[u8], hex: bool) -> Option<i64> {
    let (line, code) = f.error_line?;
    let u = parse_line(line, frame, hex).ok()?;
    let same = line.template.fields.iter().enumerate().all(|(ui, uf)| {
        match f.args.field_of(uf.param.name) {
            Some(ri) => {
                let rv = v.get(ri);
                rv.is_none() || rv == u.get(ui)
            }
            None => true,
        }
    });
    if !same {
        return None;
    }
    u.get(usize::from(code)).int()
}

/// The error a result URC reports; `None` when it reports success or carries no code.
pub fn urc_error(urc: &Urc, u: &Vals<'_>) -> Option<i64> {
    let o = urc.outcome.as_ref()?;
    let code = u.get(usize::from(o.field)).int()?;
    (!o.success.contains(&code)).then_some(code)
}

// ---------------------------------------------------------------- a family's output

/// Which of a family's URCs a frame is, its values in `v`. `None` when the
/// frame starts like none of them; the error of the URC that matched furthest
/// otherwise. `candidates` are the URCs the frame may be
/// ([`crate::dispatch::LineIndex::candidates`] of the family's URCs).
pub fn parse_urc<'a>(
    urcs: &[&'static Urc],
    candidates: crate::dispatch::Candidates<'_>,
    frame: &'a [u8],
    hex: bool,
    v: &mut Vals<'a>,
) -> Option<Result<usize, ParseError>> {
    let mut matched = false;
    let mut best: Option<ParseError> = None;
    for i in candidates {
        let Some(u) = urcs.get(i) else { continue };
        let prefix = u.line.template.prefix();
        if prefix.is_empty() {
            // Starts with a field (`<ssid>,CLOSE OK`): a URC only when it parses whole.
            if parse_line_into(&u.line, frame, hex, v).is_ok() {
                return Some(Ok(i));
            }
        } else if starts(frame, prefix.as_bytes()) {
            matched = true;
            match parse_line_into(&u.line, frame, hex, v) {
                Ok(()) => return Some(Ok(i)),
                Err(e) => best = Some(wire::further(best, e)),
            }
        }
    }
    if matched {
        best.map(Err)
    } else {
        None
    }
}

/// `line.starts_with(p)`, a word at a time (leading literals are `+QSSLCFG: "sslversion",`).
#[inline(always)]
fn starts(line: &[u8], p: &[u8]) -> bool {
    wire::has_prefix(line, p)
}

/// Whether `line` starts as template `l` must: with its leading literal, and
/// with `(` where a list of supported values follows it (a test response
/// beside the query's answer of the same head: `+QSSLCFG: "sslversion",(0-5)`).
#[inline]
pub fn may_start(l: &Line, line: &[u8]) -> bool {
    starts(line, l.template.prefix().as_bytes())
        && paren_at(l).is_none_or(|at| line.get(at) == Some(&b'('))
}

/// Where a `(` must follow `l`'s leading literal ([`may_start`]'s second
/// test): a list of supported values follows it.
pub(crate) const fn paren_at(l: &Line) -> Option<usize> {
    let p = crate::dispatch::prefix(l);
    match l.template.toks.split_first() {
        Some((_, [Tok::Supported(_), ..])) if !p.is_empty() => Some(p.len()),
        _ => None,
    }
}

/// Which information line of a family `line` is (the first that matches it
/// whole), its values in `v`. `candidates` are the lines it may be
/// ([`crate::dispatch::LineIndex::candidates`] of `lines`): only those are
/// parsed; when none matches, every line is tried in turn (and only then are
/// error offsets computed), so the outcome is that of trying all.
pub fn parse_info<'a>(
    family: &'static str,
    lines: &[&'static Line],
    candidates: crate::dispatch::Candidates<'_>,
    line: &'a [u8],
    hex: bool,
    v: &mut Vals<'a>,
) -> Result<usize, ParseError> {
    for i in candidates {
        if let Some(l) = lines.get(i).filter(|l| may_start(l, line)) {
            if reads_whole(l, line, hex, v) {
                return Ok(i);
            }
        }
    }
    let mut best: Option<ParseError> = None;
    for (i, l) in lines.iter().enumerate() {
        match parse_line_into(l, line, hex, v) {
            Ok(()) => return Ok(i),
            Err(e) => best = Some(wire::further(best, e)),
        }
    }
    Err(best.unwrap_or(ParseError {
        family,
        what: "information line",
        offset: 0,
        expected: "an information response of the family",
    }))
}

/// Whether a command line can be of a form: `AT+`, the command and the suffix
/// (`=`, `?`, `=?`), ASCII case ignored where the parser ignores it.
fn may_be_form(f: &Form, line: &[u8]) -> bool {
    let (cmd, suffix) = (f.command.as_bytes(), f.suffix.as_bytes());
    let head = 3 + cmd.len();
    line.get(..3)
        .is_some_and(|a| a.eq_ignore_ascii_case(b"AT+"))
        && line
            .get(3..head)
            .is_some_and(|c| c.eq_ignore_ascii_case(cmd))
        && line.get(head..).is_some_and(|r| r.starts_with(suffix))
}

/// Which form of a family a command line is; the error of the form that matched
/// furthest explains a failure. `index` is [`crate::dispatch::forms_by_command`]
/// of `forms`: the forms of the line's command are tried first; when none
/// matches, every form in turn, so the outcome is that of trying all.
pub fn parse_any_request<'a>(
    family: &'static str,
    forms: &[&'static Form],
    index: &[crate::dispatch::Entry],
    line: &'a [u8],
) -> Result<(usize, Vals<'a>), RequestError> {
    for &(_, i) in crate::dispatch::form_candidates(index, line) {
        let i = usize::from(i);
        if let Some(f) = forms.get(i).filter(|f| may_be_form(f, line)) {
            if let Ok(v) = parse_request(f, line) {
                return Ok((i, v));
            }
        }
    }
    let mut best: Option<RequestError> = None;
    for (i, f) in forms.iter().enumerate() {
        match parse_request(f, line) {
            Ok(v) => return Ok((i, v)),
            Err(e) => best = crate::request_error::further(best, e),
        }
    }
    Err(best.unwrap_or(RequestError::Unknown { family }))
}

/// Whether a payload taken by length starts in `buf` (the start of a line), for
/// any of the family's payload-carrying lines.
pub fn probe_payload(lines: &[&'static Line], buf: &[u8], hex: bool) -> PayloadProbe {
    let mut incomplete = false;
    for l in lines {
        let prefix = l.template.prefix().as_bytes();
        if !starts(buf, prefix) {
            // A line cut short inside the leading literal may still become this one.
            incomplete |= buf.len() < prefix.len() && prefix.starts_with(buf);
            continue;
        }
        let Some(data) = l.template.payload_field() else {
            continue;
        };
        let Some(field) = l.template.fields.get(data) else {
            continue;
        };
        let hex = hex && l.hex_when.is_some();
        let mut v = Vals::EMPTY;
        match crate::quick::header(l, buf, data as u8, &mut v) {
            Some(Ok(mut c)) => {
                if let Ok(p) = payload_at(field, &v, &mut c, hex) {
                    return p;
                }
            }
            // No payload on this line, as the full parser would find (below).
            Some(Err(end)) => {
                incomplete |= cut_short(buf, end);
                continue;
            }
            None => {}
        }
        let parse = Parse {
            t: &l.template,
            mode: Mode::Response,
            hex,
            upto: u8::try_from(data).ok(),
            test: l.test,
        };
        let mut c = Cursor::new(l.family, l.what, buf);
        let mut v = Vals::default();
        let r = match parse.toks(l.template.toks, &mut c, &mut v) {
            Ok(true) => payload_at(field, &v, &mut c, hex),
            Ok(false) => Err(c.error("payload")),
            Err(e) => Err(parse_error(e, &c)),
        };
        match r {
            Ok(p) => return p,
            Err(e) if cut_short(buf, e.offset) => incomplete = true,
            Err(_) => {}
        }
    }
    if incomplete {
        PayloadProbe::Incomplete
    } else {
        PayloadProbe::No
    }
}

/// The payload of field `f`, its header read up to the cursor (the fields
/// before it in `v`): its length from the field that holds it (twice as many
/// bytes when `hex`), after an opening quote when it is quoted.
fn payload_at(
    f: &Field,
    v: &Vals<'_>,
    c: &mut Cursor<'_>,
    hex: bool,
) -> Result<PayloadProbe, ParseError> {
    let len = f
        .length
        .and_then(|i| v.get(usize::from(i)).int())
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| c.error("payload length"))?;
    if f.param.quoted {
        c.lit("\"")?;
    }
    Ok(PayloadProbe::Payload {
        start: c.pos(),
        len: if hex { len.saturating_mul(2) } else { len },
        trailer: if f.param.quoted { b"\"" } else { b"" },
    })
}

/// Whether a header that failed at `offset` may only have been cut short: no
/// line end came after the failure, so the bytes still to come may change it (a
/// `+`/`-` sign, part of a multi-byte UTF-8 character, an unquoted value whose
/// end has not arrived). The header is judged once its line is complete, so the
/// framing is the same however the bytes are split.
fn cut_short(buf: &[u8], offset: usize) -> bool {
    memchr::memchr(b'\n', buf.get(offset..).unwrap_or(&[])).is_none()
}

/// The description of an error code in a family's error tables.
pub fn describe_error(tables: &[&'static crate::desc::Table], code: i64) -> Option<&'static str> {
    tables
        .iter()
        .flat_map(|t| t.entries.iter())
        .find(|(c, _, _)| *c == code)
        .map(|(_, text, _)| *text)
}

// ---------------------------------------------------------------- responses

/// A value that parsed but does not fit the generated field's type (ruled out by
/// the parser; reported rather than assumed).
pub fn mismatch(l: &Line) -> ParseError {
    ParseError {
        family: l.family,
        what: l.what,
        offset: 0,
        expected: "values of the types the spec declares",
    }
}

/// The same for a command line.
pub fn request_mismatch(f: &Form) -> RequestError {
    RequestError::Parse(ParseError {
        family: f.family,
        what: f.what,
        offset: 0,
        expected: "values of the types the spec declares",
    })
}

/// The response of a form without information lines: nothing.
pub fn no_response(
    family: &'static str,
    what: &'static str,
    block: &[u8],
) -> Result<(), ParseError> {
    if block.is_empty() {
        Ok(())
    } else {
        Err(Cursor::new(family, what, block).error("no information response"))
    }
}

/// A response of exactly one line.
pub fn one_line<'a, T>(
    family: &'static str,
    what: &'static str,
    block: &'a [u8],
    parse: crate::repeated::LineParser<'a, T>,
) -> Result<T, ParseError> {
    let mut p = Cursor::new(family, what, block);
    let v = parse(&mut p)?;
    p.end()?;
    Ok(v)
}

/// An optional line of a response: the cursor stays put when it is absent.
pub fn optional<'a, T>(p: &mut Cursor<'a>, parse: crate::repeated::LineParser<'a, T>) -> Option<T> {
    let save = p.pos();
    match parse(p) {
        Ok(v) => Some(v),
        Err(_) => {
            p.reset(save);
            None
        }
    }
}

/// A repeated line ("list of"): every consecutive line that parses; `required`
/// names the line when at least one must be there.
pub fn repeated<'a, T>(
    p: &mut Cursor<'a>,
    parse: crate::repeated::LineParser<'a, T>,
    required: Option<&'static str>,
) -> Result<crate::Repeated<'a, T>, ParseError> {
    let from = p.clone();
    let mut count = 0usize;
    while !p.rest().is_empty() {
        let save = p.pos();
        if parse(p).is_err() {
            p.reset(save);
            break;
        }
        count += 1;
    }
    if let (0, Some(name)) = (count, required) {
        return Err(p.error(name));
    }
    Ok(crate::Repeated::new(from, count, parse))
}

/// [`mismatch`] for the `i`-th URC of a family.
pub fn urc_mismatch(urcs: &[&'static Urc], i: usize) -> ParseError {
    match urcs.get(i) {
        Some(u) => mismatch(&u.line),
        None => ParseError {
            family: "",
            what: "URC",
            offset: 0,
            expected: "one of the family's URCs",
        },
    }
}

/// [`mismatch`] for the `i`-th information line of a family.
pub fn line_mismatch(lines: &[&'static Line], i: usize) -> ParseError {
    match lines.get(i) {
        Some(l) => mismatch(l),
        None => ParseError {
            family: "",
            what: "information line",
            offset: 0,
            expected: "an information response of the family",
        },
    }
}

/// The range of a parameter in force for this request: a `range_when` whose
/// condition holds, else the manual's range (the whole `i64` without one).
pub fn range_in(f: &Form, v: &Vals<'_>, p: &Param, setting: Lookup<'_>) -> (i64, i64) {
    p.range_when
        .iter()
        .find(|rw| cond_value(f, v, rw.when.param, setting) == Some(rw.when.equals))
        .map(|rw| (rw.min, rw.max))
        .or(p.range)
        .unwrap_or((i64::MIN, i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desc::{DataLen, Field, FinalKind, MaxTime, Param, Template, Tok};
    use crate::request::FormKind;
    use crate::vals::vals;

    static ID: Param = Param::new("clientID", Kind::Int, "<clientID> (integer)")
        .range(0, 11)
        .bounds(0, 255);
    static QID: Param = Param::new("clientID", Kind::Int, "<clientID> (integer)")
        .quoted()
        .range(0, 11)
        .bounds(0, 255);
    static HOST: Param = Param::new("host", Kind::Str, "<host> (quoted string)")
        .quoted()
        .max_len(8);
    static LEN: Param = Param::new("len", Kind::Int, "<len> (integer)").bounds(0, 65535);
    static DATA: Param = Param::new("data", Kind::Bytes, "<data> (payload bytes)");
    static MODE: Param =
        Param::new("mode", Kind::Int, "<mode> (one of 0, 1)").codes(&[0, 1], &["Buffer", "Push"]);

    static OPEN: Form = Form::new(
        "t",
        "Open",
        "QSSLOPEN",
        FormKind::Write,
        "2.2",
        "AT+QSSLOPEN command line",
        Template::new(
            "AT+QSSLOPEN=<clientID>,<host>[,<mode>]",
            &[
                Tok::Field(0),
                Tok::Lit(","),
                Tok::Field(1),
                Tok::Group(2),
                Tok::Lit(","),
                Tok::Field(2),
            ],
            &[Field::of(&ID), Field::of(&HOST), Field::opt(&MODE)],
        ),
    )
    .max(MaxTime::new(300, "300 ms"))
    .finals(&[FinalKind::Ok, FinalKind::Error]);

    static QUOTED: Line = Line::new(
        "t",
        "Quoted",
        "`+X: <clientID>`",
        Template::new(
            "+X: <clientID>",
            &[Tok::Lit("+X: "), Tok::Field(0)],
            &[Field::of(&QID)],
        ),
    );

    static RECV: Line = Line::new(
        "t",
        "Recv",
        "`+R: <len><CR><LF><data>`",
        Template::new(
            "+R: <len><CR><LF><data>",
            &[
                Tok::Lit("+R: "),
                Tok::Field(0),
                Tok::LineBreak,
                Tok::Field(1),
            ],
            &[Field::of(&LEN), Field::of(&DATA).payload(0)],
        ),
    );

    fn line_of(f: &Form, v: &Vals<'_>) -> std::vec::Vec<u8> {
        let mut out = std::vec::Vec::new();
        write_request(f, v, &mut out).unwrap();
        out
    }

    #[test]
    fn a_request_is_written_and_parsed_back_from_its_descriptor() {
        let v = vals([Val::Int(4), Val::Str("a.io"), Val::Int(1)]);
        assert_eq!(line_of(&OPEN, &v), b"AT+QSSLOPEN=4,\"a.io\",1\r");
        assert_eq!(
            parse_request(&OPEN, b"AT+QSSLOPEN=4,\"a.io\",1\r").unwrap(),
            v
        );
        let short = vals([Val::Int(4), Val::Str("a.io")]);
        assert_eq!(line_of(&OPEN, &short), b"AT+QSSLOPEN=4,\"a.io\"\r");
        assert_eq!(
            parse_request(&OPEN, b"at+qsslopen=4,\"a.io\"").unwrap(),
            short
        );
    }

    #[test]
    fn a_quoted_int_is_read_and_written_inside_quotes() {
        let v = parse_line(&QUOTED, b"+X: \"7\"", false).unwrap();
        assert_eq!(v.get(0), Val::Int(7));
        let mut out = std::vec::Vec::new();
        write_line(&QUOTED, &v, &mut out).unwrap();
        assert_eq!(out, b"+X: \"7\"\r\n");
        assert!(parse_line(&QUOTED, b"+X: 7", false).is_err());
    }

    #[test]
    fn values_outside_the_manual_are_refused_naming_the_parameter() {
        let e = validate(&OPEN, &vals([Val::Int(12), Val::Str("a")]), &|_| None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "QSSLOPEN <clientID>=12 is out of range 0..=11 (t)"
        );
        let e = validate(&OPEN, &vals([Val::Int(1), Val::Str("a\r\nAT")]), &|_| None).unwrap_err();
        assert_eq!(e.problem, Problem::ForbiddenByte);
        let e = validate(
            &OPEN,
            &vals([Val::Int(1), Val::Str("a"), Val::Int(5)]),
            &|_| None,
        )
        .unwrap_err();
        assert_eq!(e.problem, Problem::NotAValue { allowed: &[0, 1] });
        let e = validate(&OPEN, &vals([Val::Str("x"), Val::Str("a")]), &|_| None).unwrap_err();
        assert!(matches!(e.problem, Problem::WrongKind { .. }), "{e}");
        // A value that does not fit the field's type is refused while parsing.
        let e = parse_request(&OPEN, b"AT+QSSLOPEN=300,\"a\"").unwrap_err();
        assert!(matches!(e, RequestError::Invalid(_)), "{e}");
    }

    #[test]
    fn a_payload_is_taken_by_its_announced_length() {
        let frame = b"+R: 6\r\n\r\nOK\r\n";
        let v = parse_line(&RECV, frame, false).unwrap();
        assert_eq!(v.get(1), Val::Bytes(b"\r\nOK\r\n"));
        static LINES: [&Line; 1] = [&RECV];
        assert_eq!(
            probe_payload(&LINES, b"+R: 6\r\nab", false),
            PayloadProbe::Payload {
                start: 7,
                len: 6,
                trailer: b""
            }
        );
        assert_eq!(
            probe_payload(&LINES, b"+R: 6", false),
            PayloadProbe::Incomplete
        );
        assert_eq!(probe_payload(&LINES, b"+S: 6\r\n", false), PayloadProbe::No);
    }

    #[test]
    fn a_header_cut_after_a_sign_or_inside_a_utf8_character_is_incomplete_not_a_line() {
        static LINES: [&Line; 1] = [&RECV];
        assert_eq!(
            probe_payload(&LINES, b"+R: -", false),
            PayloadProbe::Incomplete
        );
        assert_eq!(
            probe_payload(&LINES, b"+R: +", false),
            PayloadProbe::Incomplete
        );
        // Half of a two-byte character.
        assert_eq!(
            probe_payload(&LINES, b"+R: \xc3", false),
            PayloadProbe::Incomplete
        );
        // Once the line ended, it is not a header.
        assert_eq!(probe_payload(&LINES, b"+R: -\r\n", false), PayloadProbe::No);
    }

    #[test]
    fn a_data_phase_takes_its_length_from_a_field() {
        static SEND: Form = Form::new(
            "t",
            "Send",
            "QSSLSEND",
            FormKind::Write,
            "2.3",
            "AT+QSSLSEND command line",
            Template::new(
                "AT+QSSLSEND=<clientID>,<len>",
                &[Tok::Field(0), Tok::Lit(","), Tok::Field(1)],
                &[Field::of(&ID), Field::of(&LEN)],
            ),
        )
        .max(MaxTime::new(300, "300 ms"))
        .data(crate::desc::Data::new(DataLen::Field(1)).max_len(1460));
        let p = data_phase(&SEND, &vals([Val::Int(0), Val::Int(5)])).unwrap();
        assert_eq!(p.end, crate::request::DataEnd::Length(5));
        assert_eq!(p.max_len, Some(1460));
    }
}

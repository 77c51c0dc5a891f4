//! Random lines built from the spec's templates (the IR), for property tests.
//!
//! Every random choice is read from a [`Tape`] of `u32`s. Property tests let
//! proptest generate (and shrink) the tape; other tests fill it from a seed. A
//! shorter tape or smaller numbers on it give simpler lines: an exhausted tape
//! reads as zeros (lower bounds, groups left out, empty strings).

use atgen_codegen::ir::{Command, Family, Line, Literal, Param};
use atgen_codegen::model::{FormKind, ParamType};
use atgen_codegen::template::{parse_command, Suffix, Token};
use std::collections::BTreeMap;

/// The family ids the generated crate has a module for (its registry).
pub const FAMILIES: &[&str] = &atgen::FAMILY_IDS;

/// Runs `$body` with `$m` naming the generated module of the family id `$id`.
///
/// ```
/// use atgen_tests::with_family;
/// let ok: bool = with_family!("quectel-ec2x", m => m::Request::parse(b"AT+QSSLSTATE").is_ok());
/// assert!(ok);
/// ```
#[macro_export]
macro_rules! with_family {
    ($id:expr, $m:ident => $body:expr) => {
        atgen::with_family!($id, $m => $body, other => panic!("no generated module for family `{other}`"))
    };
}

/// The spec directory of the workspace.
pub fn spec_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("spec")
}

/// The resolved spec (IR); panics with the rendered diagnostics if it does not load.
pub fn load() -> atgen_codegen::ir::Spec {
    match atgen_codegen::load_spec(&[spec_dir()]) {
        Ok(s) => s,
        Err(d) => panic!("spec does not load:\n{}", d.render()),
    }
}

/// A source of random choices.
#[derive(Debug, Clone)]
pub struct Tape {
    data: Vec<u32>,
    pos: usize,
}

impl Tape {
    pub fn new(data: Vec<u32>) -> Self {
        Tape { data, pos: 0 }
    }

    /// A tape of `len` pseudo-random words from `seed` (xorshift64*).
    pub fn seeded(seed: u64, len: usize) -> Self {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let data = (0..len)
            .map(|_| {
                x ^= x >> 12;
                x ^= x << 25;
                x ^= x >> 27;
                (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32) as u32
            })
            .collect();
        Tape::new(data)
    }

    fn word(&mut self) -> u32 {
        let w = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        w
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let w = if n > u64::from(u32::MAX) {
            (u64::from(self.word()) << 32) | u64::from(self.word())
        } else {
            u64::from(self.word())
        };
        w % n
    }

    /// A number in `min..=max`, biased to the bounds and to small offsets.
    pub fn in_range(&mut self, min: i64, max: i64) -> i64 {
        if max <= min {
            return min;
        }
        let span = (i128::from(max) - i128::from(min)) as u128;
        let pick = |t: &mut Tape, n: u128| -> u128 {
            if n >= u128::from(u64::MAX) {
                u128::from(t.below(u64::MAX))
            } else {
                u128::from(t.below(n as u64 + 1))
            }
        };
        let off = match self.below(8) {
            0 => 0,
            1 => span,
            2 | 3 => pick(self, span.min(15)),
            _ => pick(self, span),
        };
        (i128::from(min) + off as i128) as i64
    }

    pub fn flip(&mut self) -> bool {
        self.below(2) == 1
    }

    pub fn choose<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Characters of generated quoted strings (no `"`, no control bytes; multi-byte UTF-8 included).
pub const QUOTED_ALPHABET: &[char] = &[
    'a', 'b', 'z', 'A', 'Q', 'Z', '0', '1', '9', ' ', '.', '-', '_', '/', ':', ',', ';', '=', '+',
    '*', '#', '@', '!', '?', '(', ')', '[', ']', '{', '}', '~', '|', '\\', '\'', '&', '%', '$',
    '^', '`', '<', '>', 'é', '中',
];

/// Characters of generated unquoted strings (no separators).
pub const BARE_ALPHABET: &[char] = &['a', 'k', 'Z', '0', '5', '9', '.', '_', '-'];

/// Characters inside a generated `(…)` range of supported values.
pub const SUPPORTED_ALPHABET: &[char] = &['0', '1', '5', '9', '-', ',', 'X', 'F', '"', ' ', 'a'];

/// Bytes that must never get into a string parameter.
pub const FORBIDDEN: &[u8] = &[b'"', b'\r', b'\n', 0x1A, 0x1B, 0x00, 0x07, 0x08, 0x1F, 0x7F];

/// Whether a request or a module's output is generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Request,
    Response,
}

/// A value to put in place of one parameter instead of a valid random one.
#[derive(Debug, Clone)]
pub struct Override {
    /// The parameter key.
    pub key: String,
    /// The text written in its place (quotes included when the template quotes it).
    pub text: Vec<u8>,
}

/// Builds one line from a template.
pub struct LineGen<'f, 't> {
    pub fam: &'f Family,
    pub mode: Mode,
    pub tape: &'t mut Tape,
    /// Payloads are hex text (`payload_hex_when` holds).
    pub hex: bool,
    /// The parameter whose value is the payload's length.
    pub payload_length: Option<String>,
    /// Integer values chosen so far (and settings the line implies), by key.
    pub known: BTreeMap<String, i64>,
    /// The payload length chosen for this line.
    payload_n: Option<usize>,
    pub target: Option<Override>,
}

/// `line` with one to three random edits (a byte dropped, inserted or
/// replaced from `noise`, or the line cut short).
pub fn mangle(line: &[u8], tape: &mut Tape, noise: &[u8]) -> Vec<u8> {
    let mut out = line.to_vec();
    for _ in 0..=tape.below(2) {
        let at = tape.below(out.len() as u64 + 1) as usize;
        let b = *tape.choose(noise);
        match tape.below(4) {
            0 if at < out.len() => {
                out.remove(at);
            }
            1 => out.insert(at, b),
            2 if at < out.len() => out[at] = b,
            _ => out.truncate(at),
        }
    }
    out
}

/// Whether an enumerated parameter's values are written as strings.
pub fn is_str_enum(p: &Param) -> bool {
    p.ty == ParamType::String
        || matches!(p.values.first(), Some(v) if matches!(v.value, Literal::Str(_)))
}

/// The integer values a parameter enumerates (from `values` or its table).
pub fn int_values(p: &Param) -> Vec<i64> {
    p.values
        .iter()
        .filter_map(|v| match v.value {
            Literal::Int(i) => Some(i),
            Literal::Str(_) => None,
        })
        .collect()
}

/// The Rust integer type's bounds the generator gives a parameter without an enum.
pub fn type_bounds(p: &Param) -> (i64, i64) {
    let range = match p.ty {
        ParamType::Hex => p.range.or(Some((0, i64::from(u32::MAX)))),
        _ => p.range,
    };
    match range {
        None => (0, i64::from(u32::MAX)),
        Some((min, max)) if min >= 0 => {
            if max <= i64::from(u8::MAX) {
                (0, u8::MAX.into())
            } else if max <= i64::from(u16::MAX) {
                (0, u16::MAX.into())
            } else if max <= i64::from(u32::MAX) {
                (0, u32::MAX.into())
            } else {
                (i64::MIN, i64::MAX)
            }
        }
        Some((min, max)) => {
            if min >= i64::from(i8::MIN) && max <= i64::from(i8::MAX) {
                (i8::MIN.into(), i8::MAX.into())
            } else if min >= i64::from(i16::MIN) && max <= i64::from(i16::MAX) {
                (i16::MIN.into(), i16::MAX.into())
            } else if min >= i64::from(i32::MIN) && max <= i64::from(i32::MAX) {
                (i32::MIN.into(), i32::MAX.into())
            } else {
                (i64::MIN, i64::MAX)
            }
        }
    }
}

/// Writes an integer as the parameter is written on the wire (decimal, or hex in its format).
pub fn int_text(p: &Param, v: i64) -> String {
    let body = if p.ty == ParamType::Hex {
        let w = usize::from(p.hex.digits);
        if p.hex.lowercase {
            format!("{}{v:0w$x}", p.hex.prefix)
        } else {
            format!("{}{v:0w$X}", p.hex.prefix)
        }
    } else {
        v.to_string()
    };
    if p.quoted {
        format!("\"{body}\"")
    } else {
        body
    }
}

impl<'f, 't> LineGen<'f, 't> {
    pub fn new(fam: &'f Family, mode: Mode, tape: &'t mut Tape) -> Self {
        LineGen {
            fam,
            mode,
            tape,
            hex: false,
            payload_length: None,
            known: BTreeMap::new(),
            payload_n: None,
            target: None,
        }
    }

    /// A generator for a response line or URC: payload length and hex format set up.
    pub fn for_line(fam: &'f Family, line: &Line, tape: &'t mut Tape, hex: bool) -> Self {
        let mut g = LineGen::new(fam, Mode::Response, tape);
        g.payload_length = line.payload_length.clone();
        if let Some(c) = &line.payload_hex_when {
            g.hex = hex;
            if hex {
                g.known.insert(c.param.clone(), c.equals);
            }
        }
        g
    }

    fn param(&self, key: &str) -> &'f Param {
        self.fam
            .params
            .get(key)
            .unwrap_or_else(|| panic!("{}: undeclared <{key}>", self.fam.id))
    }

    /// The range in force for `p`: a `range_when` whose condition holds for the
    /// other parameter's known value (or, when the line does not carry it, its
    /// default), else `range`.
    pub fn effective_range(&self, p: &Param) -> Option<(i64, i64)> {
        let value_of = |key: &str| -> Option<i64> {
            self.known.get(key).copied().or_else(|| {
                match self.fam.params.get(key).and_then(|o| o.default.as_ref()) {
                    Some(Literal::Int(d)) => Some(*d),
                    _ => None,
                }
            })
        };
        p.range_when
            .iter()
            .find(|rw| value_of(&rw.param) == Some(rw.equals))
            .map(|rw| rw.range)
            .or(p.range)
    }

    /// A valid integer for `p`.
    pub fn valid_int(&mut self, p: &Param) -> i64 {
        let range = self.effective_range(p);
        let in_range = |v: &i64| range.is_none_or(|(a, b)| (a..=b).contains(v));
        if let Some(sup) = &p.supported {
            let vals = int_values(p);
            let ok: Vec<i64> = sup
                .iter()
                .copied()
                .filter(|v| in_range(v) && (vals.is_empty() || vals.contains(v)))
                .collect();
            assert!(!ok.is_empty(), "<{}>: no supported value is valid", p.key);
            return *self.tape.choose(&ok);
        }
        let vals = int_values(p);
        if !vals.is_empty() {
            let ok: Vec<i64> = vals.iter().copied().filter(in_range).collect();
            assert!(!ok.is_empty(), "<{}>: no enumerated value is valid", p.key);
            return *self.tape.choose(&ok);
        }
        let (min, max) = range.unwrap_or_else(|| type_bounds(p));
        if self.payload_length.as_deref() == Some(p.key.as_str()) {
            // Payload lengths: mostly short, sometimes the largest allowed.
            let cap = max.min(1500);
            return match self.tape.below(8) {
                0 => cap,
                _ => self.tape.in_range(min, cap.min(min.max(0) + 40)),
            };
        }
        self.tape.in_range(min, max)
    }

    fn string(&mut self, alphabet: &[char], max_len: Option<u32>) -> String {
        let max = max_len.map_or(40, |m| m as usize);
        let budget = match self.tape.below(8) {
            0 => 0,
            1 => max,
            _ => self.tape.below(max.min(16) as u64 + 1) as usize,
        };
        let mut s = String::new();
        while s.len() < budget {
            let c = *self.tape.choose(alphabet);
            if s.len() + c.len_utf8() > budget {
                if s.len() + 1 > budget {
                    break;
                }
                s.push('x');
            } else {
                s.push(c);
            }
        }
        s
    }

    /// A string parameter's value (without quotes), valid for its template.
    pub fn valid_str(&mut self, p: &Param) -> String {
        if p.quoted {
            self.string(QUOTED_ALPHABET, p.max_len)
        } else {
            self.string(BARE_ALPHABET, p.max_len)
        }
    }

    fn payload(&mut self, n: usize) -> Vec<u8> {
        if self.hex {
            const HEX: &[u8] = b"0123456789ABCDEFabcdef";
            return (0..2 * n).map(|_| *self.tape.choose(HEX)).collect();
        }
        const CHUNKS: &[&[u8]] = &[
            b"\r\nOK\r\n",
            b"ERROR",
            b"+QSSLURC:",
            b"\r\n",
            b"\"",
            b"\r\n+CME ERROR: 4\r\n",
            b"> ",
            b"\x1a",
        ];
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            if self.tape.below(4) == 0 {
                let c = *self.tape.choose(CHUNKS);
                let take = c.len().min(n - out.len());
                out.extend_from_slice(&c[..take]);
            } else {
                out.push(self.tape.below(256) as u8);
            }
        }
        out
    }

    /// The text of one `<param>`.
    fn value(&mut self, key: &str) -> Vec<u8> {
        let p = self.param(key);
        if let Some(t) = &self.target {
            if t.key == key {
                return t.text.clone();
            }
        }
        let q = |s: String| -> Vec<u8> {
            if p.quoted {
                format!("\"{s}\"").into_bytes()
            } else {
                s.into_bytes()
            }
        };
        match p.ty {
            ParamType::Bytes => {
                let n = self
                    .payload_n
                    .unwrap_or_else(|| panic!("payload <{key}> before its length"));
                let data = self.payload(n);
                if p.quoted {
                    let mut v = b"\"".to_vec();
                    v.extend(data);
                    v.push(b'"');
                    v
                } else {
                    data
                }
            }
            _ if !p.values.is_empty() && is_str_enum(p) => {
                let vals: Vec<String> = p.values.iter().map(|v| v.value.wire()).collect();
                q(self.tape.choose(&vals).clone())
            }
            ParamType::String => {
                let s = self.valid_str(p);
                q(s)
            }
            ParamType::Int | ParamType::Hex => {
                let v = self.valid_int(p);
                self.known.insert(key.to_string(), v);
                if self.payload_length.as_deref() == Some(key) {
                    self.payload_n = Some(usize::try_from(v).unwrap_or(0));
                }
                int_text(p, v).into_bytes()
            }
        }
    }

    /// Whether the target parameter is named anywhere inside `tokens`.
    fn holds_target(&self, tokens: &[Token]) -> bool {
        let Some(t) = &self.target else {
            return false;
        };
        atgen_codegen::template::params_of(tokens)
            .iter()
            .any(|(n, _, _)| *n == t.key)
    }

    /// The bytes of a token sequence; optional groups are present at random
    /// (always when they hold the target parameter).
    pub fn tokens(&mut self, tokens: &[Token], out: &mut Vec<u8>) {
        for t in tokens {
            match t {
                Token::Lit { text } => out.extend_from_slice(text.as_bytes()),
                Token::LineBreak => out.extend_from_slice(b"\r\n"),
                Token::Param { name, .. } => {
                    let v = self.value(name);
                    out.extend(v);
                }
                Token::Supported { .. } => {
                    let s = self.string(SUPPORTED_ALPHABET, Some(24));
                    out.push(b'(');
                    out.extend_from_slice(s.as_bytes());
                    out.push(b')');
                }
                Token::Optional { tokens: inner } => {
                    if self.holds_target(inner) || self.tape.flip() {
                        self.tokens(inner, out);
                    }
                }
            }
        }
    }

    /// A whole response line or URC with its CR LF.
    pub fn line(&mut self, tokens: &[Token]) -> Vec<u8> {
        let mut out = Vec::new();
        self.tokens(tokens, &mut out);
        out.extend_from_slice(b"\r\n");
        out
    }
}

/// One request template: a form, or a form's query by omission.
#[derive(Debug, Clone)]
pub struct RequestTemplate<'f> {
    pub command: &'f Command,
    pub kind: FormKind,
    /// `AT+NAME`, `AT+NAME?`, `AT+NAME=?` or `AT+NAME=`.
    pub head: String,
    /// The arguments (omitted groups dropped for queries).
    pub args: Vec<Token>,
    /// What it is, for messages: the syntax, and the omitted parameters.
    pub label: String,
}

/// Drops the optional groups that directly name an omitted parameter.
pub fn drop_omitted(tokens: &[Token], omitted: &[String]) -> Vec<Token> {
    tokens
        .iter()
        .filter_map(|t| match t {
            Token::Optional { tokens: inner } => {
                let direct = inner
                    .iter()
                    .any(|i| matches!(i, Token::Param { name, .. } if omitted.contains(name)));
                (!direct).then(|| Token::Optional {
                    tokens: drop_omitted(inner, omitted),
                })
            }
            other => Some(other.clone()),
        })
        .collect()
}

/// Every request template of a family: each form of each command, and each query by omission.
pub fn request_templates(fam: &Family) -> Vec<RequestTemplate<'_>> {
    let mut out = Vec::new();
    for cmd in &fam.commands {
        for form in &cmd.forms {
            let syntax = parse_command(&form.syntax)
                .unwrap_or_else(|e| panic!("{}: `{}`: {}", fam.id, form.syntax, e.message));
            let head = match syntax.suffix {
                Suffix::Test => format!("AT+{}=?", syntax.name),
                Suffix::Read => format!("AT+{}?", syntax.name),
                Suffix::Write => format!("AT+{}=", syntax.name),
                Suffix::Exec => format!("AT+{}", syntax.name),
            };
            out.push(RequestTemplate {
                command: cmd,
                kind: form.kind,
                head: head.clone(),
                args: form.args.clone(),
                label: format!("{} `{}`", fam.id, form.syntax),
            });
            for q in &form.queries {
                out.push(RequestTemplate {
                    command: cmd,
                    kind: form.kind,
                    head: head.clone(),
                    args: drop_omitted(&form.args, &q.omitted),
                    label: format!(
                        "{} `{}` omitting {}",
                        fam.id,
                        form.syntax,
                        q.omitted.join(", ")
                    ),
                });
            }
        }
    }
    out
}

impl RequestTemplate<'_> {
    /// A command line (without CR) of this template.
    pub fn line(&self, fam: &Family, tape: &mut Tape, target: Option<Override>) -> Vec<u8> {
        let mut g = LineGen::new(fam, Mode::Request, tape);
        g.target = target;
        let mut out = self.head.clone().into_bytes();
        g.tokens(&self.args, &mut out);
        out
    }

    /// The parameters named by the arguments (keys), in order.
    pub fn params(&self) -> Vec<String> {
        atgen_codegen::template::params_of(&self.args)
            .into_iter()
            .map(|(n, _, _)| n)
            .collect()
    }
}

/// Every response line and URC template of a family, deduplicated by template text:
/// `(is_urc, line)`.
pub fn line_templates(fam: &Family) -> Vec<(bool, &Line)> {
    let mut out: Vec<(bool, &Line)> = Vec::new();
    for l in fam.response_lines() {
        if !out.iter().any(|(u, o)| !u && o.template == l.template) {
            out.push((false, l));
        }
    }
    for u in &fam.urcs {
        out.push((true, &u.line));
    }
    out
}

/// Values of `p` that a command line can carry but the request must refuse:
/// outside its range (in force without settings), outside its Rust type, not
/// enumerated, not supported. Values that cannot be written (negative hex) are left out.
pub fn invalid_ints(p: &Param, tape: &mut Tape) -> Vec<i64> {
    let mut c: Vec<i64> = Vec::new();
    let vals = int_values(p);
    let (tmin, tmax) = if vals.is_empty() {
        type_bounds(p)
    } else {
        (i64::MIN, i64::MAX)
    };
    if let Some((a, b)) = p.range {
        c.extend([a - 1, b + 1, b + 1 + tape.below(1000) as i64]);
        c.push(a - 1 - tape.below(1000) as i64);
    }
    if tmax < i64::MAX {
        c.extend([tmax + 1, tmax + 1 + tape.below(1 << 20) as i64]);
    }
    if tmin > i64::MIN {
        c.push(tmin - 1);
    }
    c.extend([-1, 1_000_000_000_000, i64::from(u32::MAX) + 1]);
    if !vals.is_empty() {
        let lo = vals.iter().min().copied().unwrap_or(0);
        let hi = vals.iter().max().copied().unwrap_or(0);
        c.extend([hi + 1, lo - 1]);
        for _ in 0..4 {
            c.push(tape.in_range(lo.min(0) - 10, hi + 10));
        }
    }
    if let Some(sup) = &p.supported {
        let (a, b) = p.range.unwrap_or((0, 10));
        c.extend((a..=b).filter(|v| vals.is_empty() || vals.contains(v)));
        c.retain(|v| !sup.contains(v));
    }
    let valid = |v: i64| -> bool {
        let r = p.range.is_none_or(|(a, b)| (a..=b).contains(&v));
        let e = vals.is_empty() || vals.contains(&v);
        let s = p.supported.as_ref().is_none_or(|s| s.contains(&v));
        let t = !vals.is_empty() || (tmin..=tmax).contains(&v);
        r && e && s && t
    };
    c.retain(|&v| !(valid(v) || (p.ty == ParamType::Hex && v < 0)));
    c.sort_unstable();
    c.dedup();
    c
}

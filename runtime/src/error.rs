//! Validation and parse errors. No heap: every text is `'static` (from the
//! spec) or a borrowed slice, so firmware gets the same messages as hosts.
//!
//! A validation error reads like the manual:
//! `QSSLOPEN <PDP_ctxID>=16 is out of range 1..=15 (quectel-ec200x)`.

use crate::desc::{Hex, Kind, Param};
use core::fmt;

/// The offending value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    Int(i64),
    /// A string's or payload's length in bytes.
    Len(usize),
    /// A byte at an index of a string or payload.
    Byte {
        byte: u8,
        index: usize,
    },
    /// The parameter was left out.
    Absent,
}

/// What is wrong with the value, and what is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Outside the manual's range.
    OutOfRange { min: i64, max: i64 },
    /// Outside the range in force while another parameter has a value
    /// (BC26 `<send_length>` 1..=730 in hex format).
    OutOfRangeWhen {
        min: i64,
        max: i64,
        other: &'static str,
        equals: i64,
    },
    /// Inside the range but not accepted by the firmware ("only `<contextID>`=1 is supported").
    NotSupported {
        supported: &'static [i64],
        note: &'static str,
    },
    /// Not one of the enumerated values.
    NotAValue { allowed: &'static [i64] },
    /// A string longer than allowed.
    TooLong { max: usize },
    /// Not a host name or address (empty, a space, a byte that is not ASCII);
    /// `why` is empty when the value says it.
    NotAHost { why: &'static str },
    /// A byte that could end the string or the command line (AT command injection).
    ForbiddenByte,
    /// Only meaningful while another parameter has a value (`<DTLS_ver>` needs DTLS enabled).
    Requires { other: &'static str, equals: i64 },
    /// Left out although a later parameter of the same optional group is given.
    NeededBy { later: &'static str },
    /// A payload longer than the command takes.
    PayloadTooLong { max: usize },
    /// A payload that is empty where data is required.
    PayloadEmpty,
    /// A Ctrl+Z-terminated payload that contains Ctrl+Z or ESC itself.
    PayloadContainsTerminator,
    /// A fixed-length payload whose length differs from the length parameter.
    PayloadLengthMismatch { expected: usize },
    /// Hex-format payload text that is not hex digits.
    NotHex,
    /// A value of another kind than the parameter takes (an untyped request).
    WrongKind { expected: &'static str },
}

/// A request that must not be sent, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidationError {
    pub family: &'static str,
    /// Command name without `AT+`, e.g. `QSSLOPEN`.
    pub command: &'static str,
    /// The manual's parameter name, e.g. `PDP_ctxID`; `data` for payloads.
    pub param: &'static str,
    pub value: Value,
    pub problem: Problem,
    /// How the manual writes the parameter's values, for the message.
    pub shown: Shown,
}

/// How the manual writes a parameter's values: in hex (`0XC02B`) or decimal,
/// and the meaning of each enumerated value (`3 (TLS 1.2)`): the parameter's
/// descriptor, when the error has one.
#[derive(Clone, Copy, Default)]
pub struct Shown(Option<&'static Param>);

impl PartialEq for Shown {
    fn eq(&self, other: &Self) -> bool {
        match (self.0, other.0) {
            (Some(a), Some(b)) => core::ptr::eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }
}

impl Eq for Shown {}

impl fmt::Debug for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(p) => write!(f, "Shown(<{}>)", p.name),
            None => f.write_str("Shown::PLAIN"),
        }
    }
}

impl Shown {
    /// Decimal, without meanings.
    pub const PLAIN: Shown = Shown(None);

    /// As a parameter's descriptor writes its values.
    pub const fn of(p: &'static Param) -> Shown {
        Shown(Some(p))
    }

    /// The hex format, when the manual writes the values in hex.
    pub fn hex(&self) -> Option<Hex> {
        self.0.filter(|p| p.kind == Kind::Hex).map(|p| p.hex)
    }

    /// The manual's meaning of a value, when it gives one.
    pub fn meaning(&self, v: i64) -> Option<&'static str> {
        self.0?.meaning(v).filter(|m| !m.is_empty())
    }

    /// A value as the manual writes it: `0XC02B`, `0x0035`, `16`.
    pub fn value(&self, v: i64) -> ShownValue {
        ShownValue(v, self.hex())
    }

    /// A value with its meaning: `3 (TLS 1.2)`, `0X0035 (TLS_RSA_WITH_AES_256_CBC_SHA)`.
    pub fn entry(&self, v: i64) -> ShownEntry<'_> {
        ShownEntry(v, self)
    }

    /// A value written in a hex format (a table's codes).
    pub fn in_hex(v: i64, hex: Hex) -> ShownValue {
        ShownValue(v, Some(hex))
    }
}

/// A value written as the manual writes it (see [`Shown::value`]).
#[derive(Debug, Clone, Copy)]
pub struct ShownValue(i64, Option<Hex>);

impl fmt::Display for ShownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            Some(h) if self.0 >= 0 => {
                let d = usize::from(h.digits);
                if h.lowercase {
                    write!(f, "{}{:0d$x}", h.prefix, self.0)
                } else {
                    write!(f, "{}{:0d$X}", h.prefix, self.0)
                }
            }
            _ => write!(f, "{}", self.0),
        }
    }
}

/// A value with its meaning (see [`Shown::entry`]).
#[derive(Debug, Clone, Copy)]
pub struct ShownEntry<'s>(i64, &'s Shown);

impl fmt::Display for ShownEntry<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.1.value(self.0);
        match self.1.meaning(self.0) {
            Some(m) => write!(f, "{text} ({m})"),
            None => write!(f, "{text}"),
        }
    }
}

fn byte_name(b: u8) -> &'static str {
    match b {
        b'"' => "a double quote",
        b'\r' => "CR",
        b'\n' => "LF",
        0x1A => "Ctrl+Z",
        0x1B => "ESC",
        b',' => "a comma",
        0x7F => "DEL",
        b' ' => "a space",
        0x80.. => "a byte that is not ASCII",
        _ => "a control byte",
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (c, p, sh) = (self.command, self.param, &self.shown);
        match self.value {
            Value::Int(v) => write!(f, "{c} <{p}>={} ", sh.value(v))?,
            Value::Len(n) => write!(f, "{c} <{p}> of {n} bytes ")?,
            Value::Byte { byte, index } => write!(
                f,
                "{c} <{p}> contains {} (0x{byte:02X}) at byte {index}; ",
                byte_name(byte)
            )?,
            Value::Absent => write!(f, "{c} <{p}> is missing; ")?,
        }
        match self.problem {
            Problem::OutOfRange { min, max } => {
                write!(f, "is out of range {}..={}", sh.value(min), sh.value(max))?
            }
            Problem::OutOfRangeWhen {
                min,
                max,
                other,
                equals,
            } => write!(
                f,
                "is out of range {}..={} while <{other}>={equals}",
                sh.value(min),
                sh.value(max)
            )?,
            Problem::NotSupported { supported, note } => {
                f.write_str("is not supported; supported: ")?;
                list(f, supported, sh)?;
                if !note.is_empty() {
                    write!(f, " (manual: {note})")?;
                }
            }
            Problem::NotAValue { allowed } => {
                f.write_str("is not an allowed value; allowed: ")?;
                list(f, allowed, sh)?;
            }
            Problem::TooLong { max } => write!(f, "is too long; at most {max} bytes")?,
            Problem::NotAHost { why } => {
                if !why.is_empty() {
                    write!(f, "{why}; ")?;
                }
                write!(
                    f,
                    "a host is an IP address or a domain name: 1 to {} printable ASCII characters without spaces",
                    crate::wire::HOST_MAX
                )?
            }
            Problem::ForbiddenByte => f.write_str(
                "strings cannot contain double quotes or control bytes (CR, LF, Ctrl+Z, ESC)",
            )?,
            Problem::Requires { other, equals } => {
                write!(f, "is only valid while <{other}>={equals}")?
            }
            Problem::NeededBy { later } => write!(f, "must be given because <{later}> is given")?,
            Problem::PayloadTooLong { max } => write!(f, "is too long; at most {max} bytes")?,
            Problem::PayloadEmpty => f.write_str("is empty; at least 1 byte is required")?,
            Problem::PayloadContainsTerminator => f.write_str(
                "cannot be sent in Ctrl+Z mode: it contains Ctrl+Z or ESC; use a fixed-length send",
            )?,
            Problem::PayloadLengthMismatch { expected } => {
                write!(f, "does not match the announced length {expected}")?
            }
            Problem::NotHex => {
                f.write_str("is not hex text (0-9, A-F) as the hex data format needs")?
            }
            Problem::WrongKind { expected } => write!(f, "is not {expected}")?,
        }
        write!(f, " ({})", self.family)
    }
}

fn list(f: &mut fmt::Formatter<'_>, v: &[i64], sh: &Shown) -> fmt::Result {
    for (i, x) in v.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{}", sh.entry(*x))?;
    }
    Ok(())
}

#[cfg(feature = "std")]
impl std::error::Error for ValidationError {}

/// Module output (or a command line) that does not match the manual's template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseError {
    pub family: &'static str,
    /// What was being parsed, e.g. `+QSSLRECV response` or `QSSLOPEN request`.
    pub what: &'static str,
    /// Byte offset of the failure in the parsed input.
    pub offset: usize,
    /// What the template expects there, e.g. `<clientID> (integer)`.
    pub expected: &'static str,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot parse {} at byte {}: expected {} ({})",
            self.what, self.offset, self.expected, self.family
        )
    }
}

#[cfg(feature = "std")]
impl std::error::Error for ParseError {}

/// Why a request could not be encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodeError {
    Invalid(ValidationError),
    Overflow,
}

impl From<ValidationError> for EncodeError {
    fn from(e: ValidationError) -> Self {
        EncodeError::Invalid(e)
    }
}

impl From<crate::sink::Overflow> for EncodeError {
    fn from(_: crate::sink::Overflow) -> Self {
        EncodeError::Overflow
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::Invalid(e) => e.fmt(f),
            EncodeError::Overflow => f.write_str("output buffer too small for the command line"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for EncodeError {}

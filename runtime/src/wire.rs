//! The manuals' value encodings: writing them into a command line and reading
//! them back with winnow. Generated code calls these in template order.

use crate::dispatch::{equal_bytes, word8};
use crate::error::{ParseError, Problem, ValidationError, Value};
use crate::sink::{ByteSink, FmtSink, Overflow};
use winnow::ascii::hex_uint;
use winnow::error::EmptyError;
use winnow::prelude::*;
use winnow::token::{literal, take, take_till};

/// Writes a decimal integer.
pub fn put_int<S: ByteSink + ?Sized>(sink: &mut S, v: i64) -> Result<(), Overflow> {
    core::fmt::Write::write_fmt(&mut FmtSink(sink), format_args!("{v}")).map_err(|_| Overflow)
}

/// Writes a hex integer with the family's prefix and at least `digits` upper-case digits: `0X0035`.
pub fn put_hex<S: ByteSink + ?Sized>(
    sink: &mut S,
    v: i64,
    prefix: &str,
    digits: usize,
) -> Result<(), Overflow> {
    sink.put(prefix.as_bytes())?;
    core::fmt::Write::write_fmt(&mut FmtSink(sink), format_args!("{v:0digits$X}"))
        .map_err(|_| Overflow)
}

/// Writes a hex integer with a prefix, at least `digits` digits, upper- or lower-case:
/// `0X0035`, or ML302's bare `384a`.
pub fn put_hex_fmt<S: ByteSink + ?Sized>(
    sink: &mut S,
    v: i64,
    prefix: &str,
    digits: usize,
    lowercase: bool,
) -> Result<(), Overflow> {
    if !lowercase {
        return put_hex(sink, v, prefix, digits);
    }
    sink.put(prefix.as_bytes())?;
    core::fmt::Write::write_fmt(&mut FmtSink(sink), format_args!("{v:0digits$x}"))
        .map_err(|_| Overflow)
}

/// Writes a string, inside double quotes when `quoted`.
pub fn put_str<S: ByteSink + ?Sized>(sink: &mut S, s: &str, quoted: bool) -> Result<(), Overflow> {
    if quoted {
        sink.put(b"\"")?;
    }
    sink.put(s.as_bytes())?;
    if quoted {
        sink.put(b"\"")?;
    }
    Ok(())
}

/// The first byte that would end a string or the command line early: `"`, any
/// control byte (CR, LF, Ctrl+Z, ESC, …), DEL, and for unquoted strings also `,`.
pub fn forbidden_byte(s: &[u8], quoted: bool) -> Option<(usize, u8)> {
    s.iter()
        .copied()
        .enumerate()
        .find(|&(_, b)| b == b'"' || b < 0x20 || b == 0x7F || (!quoted && b == b','))
}

/// The error of one parameter's value.
fn invalid(
    family: &'static str,
    command: &'static str,
    param: &'static str,
) -> impl Fn(Value, Problem) -> ValidationError {
    move |value, problem| ValidationError {
        family,
        command,
        param,
        value,
        problem,
        shown: crate::error::Shown::PLAIN,
    }
}

/// Checks a string parameter: no injection bytes, and not longer than `max_len`.
pub fn check_str(
    family: &'static str,
    command: &'static str,
    param: &'static str,
    s: &str,
    quoted: bool,
    max_len: Option<usize>,
) -> Result<(), ValidationError> {
    let err = invalid(family, command, param);
    if let Some((index, byte)) = forbidden_byte(s.as_bytes(), quoted) {
        return Err(err(Value::Byte { byte, index }, Problem::ForbiddenByte));
    }
    if let Some(max) = max_len {
        if s.len() > max {
            return Err(err(Value::Len(s.len()), Problem::TooLong { max }));
        }
    }
    Ok(())
}

/// The longest host: a domain name is at most 253 characters (RFC 1035 2.3.4);
/// the manuals give no length for their host parameters. A domain name that is
/// not ASCII is written in its `xn--` form (RFC 3492).
pub const HOST_MAX: usize = 253;

/// Checks a host parameter: not empty, printable ASCII without spaces, at most
/// [`HOST_MAX`] bytes. Checked before anything is written.
pub fn check_host(
    family: &'static str,
    command: &'static str,
    param: &'static str,
    host: &str,
) -> Result<(), ValidationError> {
    let err = invalid(family, command, param);
    if host.is_empty() {
        return Err(err(Value::Len(0), Problem::NotAHost { why: "is empty" }));
    }
    if let Some((index, byte)) = host
        .bytes()
        .enumerate()
        .find(|&(_, b)| !b.is_ascii_graphic())
    {
        return Err(err(
            Value::Byte { byte, index },
            Problem::NotAHost { why: "" },
        ));
    }
    if host.len() > HOST_MAX {
        return Err(err(
            Value::Len(host.len()),
            Problem::TooLong { max: HOST_MAX },
        ));
    }
    Ok(())
}

/// Checks an integer against an inclusive range.
pub fn check_range(
    family: &'static str,
    command: &'static str,
    param: &'static str,
    v: i64,
    min: i64,
    max: i64,
) -> Result<(), ValidationError> {
    if v < min || v > max {
        return Err(ValidationError {
            family,
            command,
            param,
            value: Value::Int(v),
            problem: Problem::OutOfRange { min, max },
            shown: crate::error::Shown::PLAIN,
        });
    }
    Ok(())
}

/// A cursor over module output (or a command line) that parses the manual's
/// templates piece by piece and says where and what it expected on failure.
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    input: &'a [u8],
    pos: usize,
    family: &'static str,
    what: &'static str,
}

impl<'a> Cursor<'a> {
    pub fn new(family: &'static str, what: &'static str, input: &'a [u8]) -> Self {
        Cursor {
            input,
            pos: 0,
            family,
            what,
        }
    }

    /// Bytes not consumed yet.
    pub fn rest(&self) -> &'a [u8] {
        self.input.get(self.pos..).unwrap_or(&[])
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Moves back to an earlier position (for optional parts that did not match).
    pub fn reset(&mut self, pos: usize) {
        self.pos = pos.min(self.input.len());
    }

    pub fn error(&self, expected: &'static str) -> ParseError {
        self.error_at(self.pos, expected)
    }

    /// An error at an earlier position (where a value started).
    pub fn error_at(&self, pos: usize, expected: &'static str) -> ParseError {
        ParseError {
            family: self.family,
            what: self.what,
            offset: pos,
            expected,
        }
    }

    /// Whether the cursor is at the end of a line (CR, LF or the end of the input).
    pub fn at_line_end(&self) -> bool {
        matches!(self.rest().first(), None | Some(b'\r') | Some(b'\n'))
    }

    /// Literal text, ASCII case-insensitively (`AT+` / `at+`).
    pub fn lit_ci(&mut self, text: &'static str) -> Result<(), ParseError> {
        let rest = self.rest();
        match rest.get(..text.len()) {
            Some(head) if head.eq_ignore_ascii_case(text.as_bytes()) => {
                self.pos += text.len();
                Ok(())
            }
            _ => Err(self.error_at(self.pos + common_prefix(rest, text.as_bytes(), true), text)),
        }
    }

    /// The end of a command line: an optional CR, LF or CR LF, then nothing.
    pub fn line_end(&mut self) -> Result<(), ParseError> {
        let rest = self.rest();
        let n = if rest.starts_with(b"\r\n") {
            2
        } else if rest.starts_with(b"\r") || rest.starts_with(b"\n") {
            1
        } else {
            0
        };
        self.pos += n;
        self.end()
    }

    fn run<T>(
        &mut self,
        expected: &'static str,
        mut p: impl Parser<&'a [u8], T, EmptyError>,
    ) -> Result<T, ParseError> {
        let mut rest = self.rest();
        let before = rest.len();
        match p.parse_next(&mut rest) {
            Ok(v) => {
                self.pos += before - rest.len();
                Ok(v)
            }
            Err(_) => Err(self.error(expected)),
        }
    }

    /// Literal text, exactly (`+QSSLOPEN: `, `,`, `"sslversion"`). On a mismatch the
    /// error points at the first differing byte, so input that ends inside the
    /// literal reports an offset at its end (framing reads that as "need more").
    pub fn lit(&mut self, text: &'static str) -> Result<(), ParseError> {
        if self.eat(text) {
            return Ok(());
        }
        let rest = self.rest();
        Err(self.error_at(self.pos + common_prefix(rest, text.as_bytes(), false), text))
    }

    /// Consumes `text` when the rest starts with it; whether it did.
    #[inline(always)]
    pub fn eat(&mut self, text: &str) -> bool {
        // Most literals between fields are one byte (`,`).
        let hit = match text.as_bytes() {
            [b] => self.peek_byte(*b),
            t => has_prefix(self.rest(), t),
        };
        if hit {
            self.pos += text.len();
        }
        hit
    }

    /// Whether the rest starts with `text` (nothing consumed).
    #[inline]
    pub fn peek(&self, text: &str) -> bool {
        has_prefix(self.rest(), text.as_bytes())
    }

    /// Whether the next byte is `b` (nothing consumed).
    #[inline]
    pub fn peek_byte(&self, b: u8) -> bool {
        self.input.get(self.pos) == Some(&b)
    }

    /// A decimal integer, optionally signed (`+` or `-`); one that does not fit
    /// an `i64` is no integer.
    #[inline]
    pub fn int(&mut self, expected: &'static str) -> Result<i64, ParseError> {
        self.read_int().ok_or_else(|| self.error(expected))
    }

    /// [`Self::int`] without the error (the cursor stays where it was), for
    /// the quick path, where it is inlined.
    #[inline(always)]
    pub fn read_int(&mut self) -> Option<i64> {
        let rest = self.rest();
        let (neg, i) = match rest.first() {
            Some(b'-') => (true, 1),
            Some(b'+') => (false, 1),
            _ => (false, 0),
        };
        let digits = rest.get(i..).unwrap_or(&[]);
        // Up to 18 digits cannot overflow: no check in the loop.
        let mut v: i64 = 0;
        let mut n = 0usize;
        for &b in digits.iter().take(18) {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            v = v * 10 + i64::from(d);
            n += 1;
        }
        if n == 0 {
            return None;
        }
        if n == 18 && digits.get(18).is_some_and(u8::is_ascii_digit) {
            return self.long_int(neg, i);
        }
        self.pos += i + n;
        Some(if neg { -v } else { v })
    }

    /// [`Self::int`] of 19 digits or more, every step checked; accumulated
    /// with its sign, so `i64::MIN` fits.
    #[cold]
    fn long_int(&mut self, neg: bool, i: usize) -> Option<i64> {
        let digits = self.rest().get(i..).unwrap_or(&[]);
        let mut v: i64 = 0;
        let mut n = 0usize;
        for &b in digits {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            let d = i64::from(d);
            v = v.checked_mul(10).and_then(|v| {
                if neg {
                    v.checked_sub(d)
                } else {
                    v.checked_add(d)
                }
            })?;
            n += 1;
        }
        self.pos += i + n;
        Some(v)
    }

    /// A hex integer with a `0X`/`0x` prefix, or bare digits when `prefixed` is false.
    pub fn hex(&mut self, expected: &'static str, prefixed: bool) -> Result<i64, ParseError> {
        let start = self.pos;
        if prefixed && self.run(expected, winnow::token::one_of(b'0')).is_ok() {
            if self
                .run(expected, winnow::token::one_of([b'x', b'X']))
                .is_err()
            {
                self.pos = start;
                return Err(self.error(expected));
            }
        } else if prefixed {
            return Err(self.error(expected));
        }
        match self.run(expected, hex_uint::<_, u64, _>) {
            Ok(v) => i64::try_from(v).map_err(|_| self.error(expected)),
            Err(e) => {
                self.pos = start;
                Err(e)
            }
        }
    }

    /// A hex integer written as a family writes it: after the prefix (`0X`, or
    /// `0x` as manuals also print it) exactly `digits` digits (`0X0035`, never
    /// `0X35` or `0X0000C02F`); without a prefix (ML302's `384a`) at most `digits`.
    pub fn hex_digits(
        &mut self,
        expected: &'static str,
        prefixed: bool,
        digits: usize,
    ) -> Result<i64, ParseError> {
        let start = self.pos;
        let v = self.hex(expected, prefixed)?;
        let head = if prefixed { 2 } else { 0 };
        let n = self.pos.saturating_sub(start + head);
        let fits = match (prefixed, digits > 1) {
            (_, false) => true,
            (true, true) => n == digits,
            (false, true) => n <= digits,
        };
        if fits {
            Ok(v)
        } else {
            self.pos = start;
            Err(self.error(expected))
        }
    }

    /// A double-quoted string; the quotes are not part of the value.
    #[inline]
    pub fn quoted(&mut self, expected: &'static str) -> Result<&'a str, ParseError> {
        self.read_quoted().ok_or_else(|| self.error(expected))
    }

    /// [`Self::quoted`] without the error (the cursor stays where it was),
    /// for the quick path, where it is inlined.
    #[inline(always)]
    pub fn read_quoted(&mut self) -> Option<&'a str> {
        let rest = self.rest();
        if rest.first() != Some(&b'"') {
            return None;
        }
        let body = rest.get(1..).unwrap_or(&[]);
        let (n, ascii) = quoted_end(body);
        if body.get(n) != Some(&b'"') {
            return None;
        }
        let text = text_known(body.get(..n).unwrap_or(&[]), ascii)?;
        self.pos += n + 2;
        Some(text)
    }

    /// An unquoted string running up to the first of `stops` or the end of the line.
    pub fn bare(
        &mut self,
        expected: &'static str,
        stops: &'static [u8],
    ) -> Result<&'a str, ParseError> {
        let start = self.pos;
        let bytes = self.run(
            expected,
            take_till(0.., |b| b == b'\r' || b == b'\n' || stops.contains(&b)),
        )?;
        text_of(bytes).ok_or_else(|| {
            self.pos = start;
            self.error(expected)
        })
    }

    /// `(…)`: a range or list of supported values in a test response, as written.
    pub fn supported(&mut self, expected: &'static str) -> Result<&'a str, ParseError> {
        let bytes = self.run(
            expected,
            (
                literal(b"(".as_slice()),
                take_till(0.., |b| b == b')' || b == b'\r' || b == b'\n'),
                literal(b")".as_slice()),
            )
                .map(|(_, s, _)| s),
        )?;
        text_of(bytes).ok_or_else(|| self.error(expected))
    }

    /// Exactly `n` payload bytes, whatever they contain.
    pub fn take(&mut self, expected: &'static str, n: usize) -> Result<&'a [u8], ParseError> {
        self.run(expected, take(n))
    }

    /// The end of a line: CR LF, or the end of the input.
    pub fn eol(&mut self) -> Result<(), ParseError> {
        if self.rest().is_empty() || self.eat("\r\n") {
            return Ok(());
        }
        Err(self.error("end of line (CR LF)"))
    }

    /// Nothing may follow.
    pub fn end(&self) -> Result<(), ParseError> {
        if self.rest().is_empty() {
            Ok(())
        } else {
            Err(self.error("end of input"))
        }
    }
}

/// Bytes as text: ASCII (what module output almost always is) without the
/// general UTF-8 check, anything else through it.
#[inline]
pub fn text_of(b: &[u8]) -> Option<&str> {
    text_known(b, b.is_ascii())
}

/// [`text_of`] of bytes already scanned: `ascii` only when every byte is
/// ASCII (both callers in this file compute it from the bytes themselves).
#[inline]
fn text_known(b: &[u8], ascii: bool) -> Option<&str> {
    debug_assert!(!ascii || b.is_ascii());
    if ascii {
        // SAFETY: the caller checked the bytes are ASCII, which is valid UTF-8.
        Some(unsafe { core::str::from_utf8_unchecked(b) })
    } else {
        core::str::from_utf8(b).ok()
    }
}

/// `s.starts_with(p)`, comparing a word at a time: literals are short, and most
/// comparisons fail in the first word, cheaper than a call to `memcmp`.
#[inline(always)]
pub fn has_prefix(s: &[u8], p: &[u8]) -> bool {
    if p.len() > s.len() {
        return false;
    }
    let (mut s, mut p) = (s, p);
    while let (Some(a), Some(b)) = (s.first_chunk::<8>(), p.first_chunk::<8>()) {
        if a != b {
            return false;
        }
        s = s.get(8..).unwrap_or(&[]);
        p = p.get(8..).unwrap_or(&[]);
    }
    // The last bytes of `p` (fewer than 8), a word each with zeros above.
    let n = p.len();
    n == 0 || word8(s, 0) & (u64::MAX >> (64 - 8 * n)) == word8(p, 0)
}

/// The first `"`, CR or LF in `s`, a word at a time; `s.len()` when none; and
/// whether the bytes before it are all ASCII.
#[inline]
fn quoted_end(s: &[u8]) -> (usize, bool) {
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut ascii = true;
    let mut i = 0;
    while i < s.len() {
        // Past the end the word is zeros, neither a stop byte nor non-ASCII.
        let w = word8(s, i);
        let stops = equal_bytes(w, b'"') | equal_bytes(w, b'\r') | equal_bytes(w, b'\n');
        if stops != 0 {
            let k = stops.trailing_zeros() / 8;
            let before = if k == 0 {
                0
            } else {
                w & (u64::MAX >> (64 - 8 * k))
            };
            let at = i + k as usize;
            return (at.min(s.len()), ascii && before & HI == 0);
        }
        ascii &= w & HI == 0;
        i += 8;
    }
    (s.len(), ascii)
}

fn common_prefix(a: &[u8], b: &[u8], ci: bool) -> usize {
    a.iter()
        .zip(b)
        .take_while(|(x, y)| {
            if ci {
                x.eq_ignore_ascii_case(y)
            } else {
                x == y
            }
        })
        .count()
}

/// The better explanation of two parse failures: the one that got further.
pub fn further(best: Option<ParseError>, e: ParseError) -> ParseError {
    match best {
        Some(b) if b.offset >= e.offset => b,
        _ => e,
    }
}

/// ML302's XOR-16 checksum: big-endian 16-bit words XORed, an odd last byte padded with 0x00.
pub fn xor16(data: &[u8]) -> u16 {
    data.chunks(2).fold(0u16, |acc, c| {
        let hi = c.first().copied().unwrap_or(0);
        let lo = c.get(1).copied().unwrap_or(0);
        acc ^ u16::from_be_bytes([hi, lo])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_read_with_their_sign_up_to_the_bounds_of_i64() {
        let read = |s: &'static str| {
            let mut c = Cursor::new("f", "w", s.as_bytes());
            c.int("<n>").map(|v| (v, c.pos()))
        };
        assert_eq!(read("123,4"), Ok((123, 3)));
        assert_eq!(read("+7"), Ok((7, 2)));
        assert_eq!(read("-0"), Ok((0, 2)));
        assert_eq!(read("-9223372036854775808"), Ok((i64::MIN, 20)));
        assert_eq!(read("9223372036854775807"), Ok((i64::MAX, 19)));
        assert_eq!(read("000000000000000000000000012"), Ok((12, 27)));
        for bad in [
            "9223372036854775808",
            "-9223372036854775809",
            "-",
            "+",
            "",
            ",1",
            "x",
        ] {
            let e = read(bad).unwrap_err();
            assert_eq!((e.offset, e.expected), (0, "<n>"), "{bad:?}");
        }
    }

    #[test]
    fn a_prefix_is_found_as_starts_with_finds_it_at_every_length() {
        let s: Vec<u8> = (b'a'..=b'z').collect();
        for n in 0..=s.len() {
            for len in 0..=s.len() {
                let (line, p) = (&s[..len], &s[..n]);
                assert_eq!(has_prefix(line, p), line.starts_with(p), "{len} {n}");
                // One byte changed, anywhere in the prefix.
                for k in 0..n {
                    let mut q = p.to_vec();
                    q[k] ^= 0x20;
                    assert!(!has_prefix(line, &q), "{len} {n} {k}");
                }
            }
        }
    }

    #[test]
    fn a_quoted_string_ends_at_its_quote_wherever_it_falls_in_a_word() {
        let read = |s: &[u8]| {
            let mut c = Cursor::new("f", "w", s);
            c.quoted("<s>").map(|t| (t.to_owned(), c.pos())).ok()
        };
        for len in 0..20 {
            let body = "abcdefghijklmnopqrstu".get(..len).unwrap_or_default();
            let line = format!("\"{body}\",1");
            assert_eq!(read(line.as_bytes()), Some((body.to_owned(), len + 2)));
            // A line end inside stops it, wherever it is.
            for stop in ["\r", "\n"] {
                for at in 0..=len {
                    let cut = format!("\"{}{stop}{}\"", &body[..at], &body[at..]);
                    assert_eq!(read(cut.as_bytes()), None, "{cut:?}");
                }
            }
            assert_eq!(
                read(format!("\"{body}").as_bytes()),
                None,
                "no closing quote"
            );
        }
        // Non-ASCII before the quote is checked as UTF-8, after it not read.
        assert_eq!(
            read("\"abcdefgé\"".as_bytes()),
            Some(("abcdefgé".into(), 11))
        );
        assert_eq!(read(b"\"abcdefg\xE9\""), None);
        assert_eq!(read(b"\"abc\"\xFF"), Some(("abc".into(), 5)));
    }

    #[test]
    fn text_is_ascii_or_checked_utf8() {
        assert_eq!(text_of(b"SSLClient"), Some("SSLClient"));
        assert_eq!(text_of("é".as_bytes()), Some("é"));
        assert_eq!(text_of(b"\xff"), None);
    }

    #[test]
    fn cursor_reads_template_pieces_in_order() {
        let mut c = Cursor::new("t", "line", b"+QSSLOPEN: 4,0\r\n");
        c.lit("+QSSLOPEN: ").unwrap();
        assert_eq!(c.int("<clientID>").unwrap(), 4);
        c.lit(",").unwrap();
        assert_eq!(c.int("<err>").unwrap(), 0);
        c.eol().unwrap();
        c.end().unwrap();
    }

    #[test]
    fn cursor_failure_names_expected_parameter_and_offset() {
        let mut c = Cursor::new("fam", "+QSSLOPEN result", b"+QSSLOPEN: x");
        c.lit("+QSSLOPEN: ").unwrap();
        let e = c.int("<clientID>").unwrap_err();
        assert_eq!(e.offset, 11);
        assert_eq!(e.expected, "<clientID>");
    }

    #[test]
    fn hex_accepts_prefix_in_either_case() {
        assert_eq!(
            Cursor::new("t", "x", b"0XC00A").hex("h", true).unwrap(),
            0xC00A
        );
        assert_eq!(
            Cursor::new("t", "x", b"0x0035").hex("h", true).unwrap(),
            0x35
        );
        assert_eq!(
            Cursor::new("t", "x", b"384a").hex("h", false).unwrap(),
            0x384a
        );
        assert!(Cursor::new("t", "x", b"35").hex("h", true).is_err());
    }

    #[test]
    fn hex_is_written_with_prefix_and_width() {
        let mut v = [0u8; 16];
        let mut s = crate::SliceSink::new(&mut v);
        put_hex(&mut s, 0x35, "0X", 4).unwrap();
        assert_eq!(s.written(), b"0X0035");
    }

    #[test]
    fn injection_bytes_are_found() {
        assert_eq!(forbidden_byte(b"ab\"c", true), Some((2, b'"')));
        assert_eq!(forbidden_byte(b"a\r\nAT+X", true), Some((1, b'\r')));
        assert_eq!(forbidden_byte(&[b'a', 0x1A], true), Some((1, 0x1A)));
        assert_eq!(forbidden_byte(&[0x1B], true), Some((0, 0x1B)));
        assert_eq!(forbidden_byte(b"a,b", false), Some((1, b',')));
        assert_eq!(forbidden_byte(b"a,b", true), None);
    }

    #[test]
    fn xor16_matches_the_manuals_formula() {
        assert_eq!(xor16(&[0x12, 0x34, 0x56, 0x78]), 0x1234 ^ 0x5678);
        assert_eq!(xor16(&[0x12, 0x34, 0x56]), 0x1234 ^ 0x5600);
        assert_eq!(xor16(&[]), 0);
    }
}

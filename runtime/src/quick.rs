//! The common case of reading a response line: straight through its
//! template's tokens, with no error built on the way.
//!
//! [`line_at`] accepts a line only where [`crate::codec`]'s parser accepts it
//! with the same values and the same end, and says `None` for everything else:
//! a mismatch, and the parts it leaves to that parser (test responses,
//! placeholders, supported-value lists, hex values, payloads by length, a
//! literal whose space after the colon is missing). The caller then runs the
//! full parser, which decides and explains; so a line that fails costs both,
//! and a line that parses costs this alone. `tests/tests/quick_parse.rs` checks
//! the two agree on random and mangled lines of every family.

use crate::codec::{first_field, first_lit, group, stops_after};
use crate::desc::{Field, Kind, Line, Template, Tok};
use crate::vals::{Val, Vals};
use crate::wire::{has_prefix, text_of};

struct Quick<'a, 't> {
    t: &'t Template,
    input: &'a [u8],
    pos: usize,
    /// Stop before the field of this index (a payload header).
    upto: Option<u8>,
}

/// Reads line `l` at the start of `input` into `v` (its fields cleared first)
/// and returns where it ends, after its CR LF when it has one; `None` when
/// the full parser must decide. As [`crate::codec::parse_line_at`] reads it,
/// the payload being the one thing left out.
#[inline]
pub fn line_at<'a>(l: &Line, input: &'a [u8], v: &mut Vals<'a>) -> Option<usize> {
    let end = run(l, input, None, v)?.1;
    let rest = input.get(end..)?;
    if rest.is_empty() {
        Some(end)
    } else if rest.starts_with(b"\r\n") {
        Some(end + 2)
    } else {
        None
    }
}

/// Reads the header of payload line `l` up to its payload field `upto`:
/// `Ok` where the header stops, with the fields before it in `v`; `Err` where
/// the template ended without reaching the payload (an optional group left
/// out), which the full parser reads the same way; `None` when it must decide.
#[inline]
pub fn header<'a>(
    l: &Line,
    input: &'a [u8],
    upto: u8,
    v: &mut Vals<'a>,
) -> Option<Result<usize, usize>> {
    match run(l, input, Some(upto), v)? {
        (true, at) => Some(Ok(at)),
        (false, end) => Some(Err(end)),
    }
}

fn run<'a>(l: &Line, input: &'a [u8], upto: Option<u8>, v: &mut Vals<'a>) -> Option<(bool, usize)> {
    // Test responses take brackets and lists the full parser knows.
    if l.test {
        return None;
    }
    let mut q = Quick {
        t: &l.template,
        input,
        pos: 0,
        upto,
    };
    v.clear(l.template.fields.len());
    let stopped = q.toks(l.template.toks, v)?;
    Some((stopped, q.pos))
}

impl<'a> Quick<'a, '_> {
    #[inline(always)]
    fn rest(&self) -> &'a [u8] {
        self.input.get(self.pos..).unwrap_or(&[])
    }

    #[inline(always)]
    fn eat(&mut self, text: &[u8]) -> Option<()> {
        // Most literals between fields are one byte (`,`).
        if let [b] = text {
            return self.eat_byte(*b);
        }
        if has_prefix(self.rest(), text) {
            self.pos += text.len();
            Some(())
        } else {
            None
        }
    }

    #[inline(always)]
    fn eat_byte(&mut self, b: u8) -> Option<()> {
        if self.peek_byte(b) {
            self.pos += 1;
            Some(())
        } else {
            None
        }
    }

    #[inline(always)]
    fn peek_byte(&self, b: u8) -> bool {
        self.input.get(self.pos) == Some(&b)
    }

    #[inline(always)]
    fn at_line_end(&self) -> bool {
        matches!(self.input.get(self.pos), None | Some(b'\r' | b'\n'))
    }

    /// `Some(true)` when it stopped at `upto`.
    fn toks(&mut self, toks: &[Tok], v: &mut Vals<'a>) -> Option<bool> {
        let mut i = 0;
        while let Some(tok) = toks.get(i) {
            match *tok {
                Tok::Lit(text) => self.eat(text.as_bytes())?,
                Tok::LineBreak => self.eat(b"\r\n")?,
                Tok::Field(f) => {
                    if self.upto == Some(f) {
                        return Some(true);
                    }
                    let field = self.t.fields.get(usize::from(f))?;
                    if field.placeholder.is_some() {
                        return None;
                    }
                    let val = self.field(field, toks, i)?;
                    v.set(usize::from(f), val);
                }
                Tok::Supported(_) => return None,
                Tok::Group(len) => {
                    let (inner, end) = group(toks, i, len);
                    // A group of supported values reads in ways of its own.
                    if inner.iter().any(|t| matches!(t, Tok::Supported(_))) {
                        return None;
                    }
                    let present = match (first_field(inner), first_lit(inner)) {
                        (_, Some(lit)) => has_prefix(self.rest(), lit.as_bytes()),
                        (Some(_), None) => !self.at_line_end(),
                        (None, None) => false,
                    };
                    if present && self.toks(inner, v)? {
                        return Some(true);
                    }
                    i = end;
                    continue;
                }
            }
            i += 1;
        }
        Some(false)
    }

    fn field(&mut self, f: &Field, toks: &[Tok], i: usize) -> Option<Val<'a>> {
        let p = f.param;
        match p.kind {
            Kind::Int => {
                if p.empty {
                    if p.quoted && has_prefix(self.rest(), b"\"\"") {
                        self.pos += 2;
                        return Some(Val::None);
                    }
                    let next = self.input.get(self.pos);
                    if self.at_line_end() || next.is_some_and(|b| stops_after(toks, i).contains(b))
                    {
                        return Some(Val::None);
                    }
                }
                let quoted = p.quoted && (!p.quotes_optional || self.peek_byte(b'"'));
                if quoted != self.peek_byte(b'"') {
                    return None;
                }
                if quoted {
                    self.eat_byte(b'"')?;
                }
                let raw = self.int()?;
                let allowed = if !p.codes.is_empty() {
                    p.open || p.codes.contains(&raw)
                } else {
                    (p.bounds.0..=p.bounds.1).contains(&raw)
                };
                if !allowed {
                    return None;
                }
                if quoted {
                    self.eat_byte(b'"')?;
                }
                Some(Val::Int(raw))
            }
            Kind::Str => {
                let text = if p.quoted {
                    self.quoted()?
                } else {
                    self.bare(stops_after(toks, i))?
                };
                if !p.words.is_empty() && !p.words.contains(&text) {
                    return None;
                }
                Some(Val::Str(text))
            }
            // Hex digits and payloads by length: the full parser's.
            Kind::Hex | Kind::Bytes => None,
        }
    }

    /// A decimal integer, optionally signed; up to 18 digits (longer ones are
    /// the full parser's, which checks them for overflow).
    #[inline(always)]
    fn int(&mut self) -> Option<i64> {
        let rest = self.rest();
        let (neg, start) = match rest.first() {
            Some(b'-') => (true, 1),
            Some(b'+') => (false, 1),
            _ => (false, 0),
        };
        let mut i = start;
        let mut v: i64 = 0;
        while let Some(&b) = rest.get(i) {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            // A 19th digit could overflow: the full parser checks it.
            if i - start == 18 {
                return None;
            }
            v = v * 10 + i64::from(d);
            i += 1;
        }
        if i == start {
            return None;
        }
        self.pos += i;
        Some(if neg { -v } else { v })
    }

    /// A double-quoted string, up to its closing quote on the same line.
    #[inline(always)]
    fn quoted(&mut self) -> Option<&'a str> {
        let rest = self.rest();
        let body = rest.strip_prefix(b"\"")?;
        let n = body
            .iter()
            .position(|&b| b == b'"' || b == b'\r' || b == b'\n')?;
        if body.get(n) != Some(&b'"') {
            return None;
        }
        let text = text_of(body.get(..n)?)?;
        self.pos += n + 2;
        Some(text)
    }

    /// An unquoted string up to the first of `stops` or the end of the line.
    #[inline(always)]
    fn bare(&mut self, stops: &[u8]) -> Option<&'a str> {
        let rest = self.rest();
        let n = rest
            .iter()
            .position(|&b| b == b'\r' || b == b'\n' || stops.contains(&b))
            .unwrap_or(rest.len());
        let text = text_of(rest.get(..n)?)?;
        self.pos += n;
        Some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desc::{of, Param, Template};

    static N: Param = Param::new("n", Kind::Int, "<n> (integer)");
    static LINE: Line = Line::new(
        "t",
        "T",
        "`+T: <n>`",
        Template::new("+T: <n>", &[Tok::Lit("+T: "), Tok::Field(0)], &[of(&N)]),
    );

    #[test]
    fn integers_of_up_to_18_digits_are_read_and_longer_ones_handed_on() {
        let mut v = Vals::EMPTY;
        let line = b"+T: -999999999999999999";
        assert_eq!(line_at(&LINE, line, &mut v), Some(line.len()));
        assert_eq!(v.get(0), Val::Int(-999_999_999_999_999_999));
        for digits in [19, 20, 40] {
            let line = format!("+T: {}", "9".repeat(digits));
            let mut v = Vals::EMPTY;
            assert_eq!(
                line_at(&LINE, line.as_bytes(), &mut v),
                None,
                "{digits} digits"
            );
        }
    }
}

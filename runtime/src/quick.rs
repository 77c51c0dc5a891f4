//! The common case of reading a response line: straight through its
//! template's tokens, with no error built on the way.
//!
//! [`line_at`] accepts a line only where [`crate::codec`]'s parser accepts it
//! with the same values and the same end (it lexes with the same
//! [`Cursor`]), and declines everything else:
//! a mismatch, and the parts it leaves to that parser (test responses,
//! placeholders, supported-value lists, hex values, payloads by length, a
//! literal whose space after the colon is missing). The caller then runs the
//! full parser, which decides and explains; so a line that fails costs both,
//! and a line that parses costs this alone. `tests/tests/quick_parse.rs` checks
//! the two agree on random and mangled lines of every family.

use crate::codec::{first_field, first_lit, group, int_quoted, left_empty, stops_after};
use crate::desc::{Field, Kind, Line, Tok};
use crate::vals::{Val, Vals};
use crate::wire::Cursor;

/// Reads line `l` at the cursor into `v` (its fields cleared first) and moves
/// the cursor past it and its CR LF when it has one, as
/// [`crate::codec::parse_line_at`] reads it; `false`, the cursor where it
/// was, when the full parser must decide.
#[inline]
pub fn line_at<'a>(l: &Line, c: &mut Cursor<'a>, v: &mut Vals<'a>) -> bool {
    read(l, c, v) == Some(true)
}

/// [`line_at`], telling apart the lines the full parser would refuse too:
/// `Some(false)` when the line's text differs from a literal the template
/// must have there (outside optional groups, and no literal the full parser
/// reads loosely), `None` when only the full parser can tell.
#[inline]
pub fn read<'a>(l: &Line, c: &mut Cursor<'a>, v: &mut Vals<'a>) -> Option<bool> {
    let mut q = c.clone();
    match run(l, &mut q, None, v) {
        Ok(false) if q.eol().is_ok() => {
            *c = q;
            Some(true)
        }
        Err(Stop::Mismatch(_)) => Some(false),
        _ => None,
    }
}

/// Reads the header of payload line `l` at the start of `input` up to its
/// payload field `upto`: `Ok` with the cursor where the header stops and the
/// fields before it in `v`; `Err` with where the line stops being the
/// template's (an optional group left out before the payload, or a literal it
/// lacks), as the full parser would find; `None` when it must decide.
#[inline]
pub fn header<'a>(
    l: &Line,
    input: &'a [u8],
    upto: u8,
    v: &mut Vals<'a>,
) -> Option<Result<Cursor<'a>, usize>> {
    let mut c = Cursor::new(l.family, l.what, input);
    match run(l, &mut c, Some(upto), v) {
        Ok(true) => Some(Ok(c)),
        Ok(false) => Some(Err(c.pos())),
        Err(Stop::Mismatch(at)) => Some(Err(at)),
        Err(Stop::Decline) => None,
    }
}

/// Why the quick path stopped short of the template's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The full parser must decide.
    Decline,
    /// The line lacks a literal the template must have at this offset: the
    /// full parser fails here too.
    Mismatch(usize),
}

/// The template's tokens at the cursor; `Ok(true)` when it stopped at `upto`.
fn run<'a>(l: &Line, c: &mut Cursor<'a>, upto: Option<u8>, v: &mut Vals<'a>) -> Result<bool, Stop> {
    // Test responses take brackets and lists the full parser knows.
    if l.test {
        return Err(Stop::Decline);
    }
    v.clear(l.template.fields.len());
    toks(l.template.fields, l.template.toks, c, upto, v, true)
}

/// `outer`: the tokens are the template's own, not an optional group's (which
/// the full parser may try otherwise).
fn toks<'a>(
    fields: &[Field],
    toks: &[Tok],
    c: &mut Cursor<'a>,
    upto: Option<u8>,
    v: &mut Vals<'a>,
    outer: bool,
) -> Result<bool, Stop> {
    let mut i = 0;
    while let Some(tok) = toks.get(i) {
        match *tok {
            Tok::Lit(text) => lit(c, text, outer)?,
            Tok::LineBreak => lit(c, "\r\n", outer)?,
            Tok::Field(f) => {
                if upto == Some(f) {
                    return Ok(true);
                }
                let field = fields.get(usize::from(f)).ok_or(Stop::Decline)?;
                if field.placeholder.is_some() {
                    return Err(Stop::Decline);
                }
                let val = self::field(field, toks, i, c).ok_or(Stop::Decline)?;
                v.set(usize::from(f), val);
            }
            Tok::Supported(_) => return Err(Stop::Decline),
            Tok::Group(len) => {
                let (inner, end) = group(toks, i, len);
                // A group of supported values reads in ways of its own.
                if inner.iter().any(|t| matches!(t, Tok::Supported(_))) {
                    return Err(Stop::Decline);
                }
                let present = match (first_field(inner), first_lit(inner)) {
                    (_, Some(lit)) => c.peek(lit),
                    (Some(_), None) => !c.at_line_end(),
                    (None, None) => false,
                };
                if present && self::toks(fields, inner, c, upto, v, false)? {
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

/// Literal `text` (a line break is `\r\n`) at the cursor. A line without it
/// is refused (`Mismatch`) where the full parser reads it the same way: outside
/// an optional group (`outer`), which the full parser may read otherwise, and
/// no `: `, which it reads loosely (`+QSSLCFG:"x"`).
#[inline(always)]
pub(crate) fn lit(c: &mut Cursor<'_>, text: &str, outer: bool) -> Result<(), Stop> {
    if c.eat(text) {
        return Ok(());
    }
    Err(if outer && !text.contains(": ") {
        Stop::Mismatch(c.pos())
    } else {
        Stop::Decline
    })
}

/// One field, lexed by the cursor as the full parser lexes it.
#[inline(always)]
pub(crate) fn field<'a>(f: &Field, toks: &[Tok], i: usize, c: &mut Cursor<'a>) -> Option<Val<'a>> {
    let p = f.param;
    let exp = p.expected;
    match p.kind {
        Kind::Int => {
            if left_empty(p, c, toks, i) {
                return Some(Val::None);
            }
            let quoted = int_quoted(p, c)?;
            if quoted && !c.eat("\"") {
                return None;
            }
            let raw = c.read_int()?;
            let allowed = if !p.codes.is_empty() {
                p.open || p.codes.contains(&raw)
            } else {
                (p.bounds.0..=p.bounds.1).contains(&raw)
            };
            if !allowed || (quoted && !c.eat("\"")) {
                return None;
            }
            Some(Val::Int(raw))
        }
        Kind::Str => {
            let text = if p.quoted {
                c.read_quoted()?
            } else {
                c.bare(exp, stops_after(toks, i)).ok()?
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

    fn quick(line: &[u8]) -> Option<(usize, Val<'_>)> {
        let mut v = Vals::EMPTY;
        let mut c = Cursor::new("t", "t", line);
        line_at(&LINE, &mut c, &mut v).then(|| (c.pos(), v.get(0)))
    }

    #[test]
    fn integers_read_as_the_full_parser_reads_them_and_too_large_ones_handed_on() {
        let line = b"+T: -999999999999999999";
        assert_eq!(
            quick(line),
            Some((line.len(), Val::Int(-999_999_999_999_999_999)))
        );
        let line = b"+T: 1000000000000000000\r\n";
        assert_eq!(
            quick(line),
            Some((line.len(), Val::Int(1_000_000_000_000_000_000)))
        );
        for digits in [19, 20, 40] {
            let line = format!("+T: {}", "9".repeat(digits));
            assert_eq!(quick(line.as_bytes()), None, "{digits} digits");
        }
        assert_eq!(quick(b"+T: 5,"), None, "what follows is no line end");
    }
}

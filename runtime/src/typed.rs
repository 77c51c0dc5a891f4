//! Plain lines read straight into their generated types, with no values by
//! field on the way: the quick path ([`crate::quick`]) specialised by the
//! compiler for each line type.
//!
//! A line type's `quick` (from [`crate::line!`]) reads its fields in order with
//! [`field`]; its descriptor is a `static` the compiler sees, so each
//! token, parameter and range is a constant there and the reading of each
//! field compiles to the few instructions it needs. Only plain templates are
//! read this way ([`plain`]); the others, and every line this path cannot
//! settle, go to the descriptor path, which decides and explains.
//! `tests/tests/quick_parse.rs` checks both paths read every family's lines alike.

use crate::desc::{Kind, Line, Tok};
use crate::quick::{self, Stop};
use crate::vals::FromVal;
use crate::wire::Cursor;

/// Whether `l` is read this way: no test response, only literals, line
/// breaks and fields (no optional group, no supported values), the fields in
/// the order they are numbered, at most two literal tokens in a row, integer and
/// string fields only (no hex value, no payload), no placeholder, and no secret
/// parameter (a visitor finds those in the values by field, which this path
/// does not leave).
pub const fn plain(l: &Line) -> bool {
    if l.test {
        return false;
    }
    let toks = l.template.toks;
    let fields = l.template.fields;
    let (mut i, mut n, mut run) = (0, 0, 0);
    while i < toks.len() {
        match toks[i] {
            Tok::Lit(_) | Tok::LineBreak => {
                run += 1;
                if run > 2 {
                    return false;
                }
            }
            Tok::Field(f) => {
                if f as usize != n || n >= fields.len() {
                    return false;
                }
                let field = &fields[n];
                let p = field.param;
                if field.placeholder.is_some()
                    || p.secret
                    || !matches!(p.kind, Kind::Int | Kind::Str)
                {
                    return false;
                }
                n += 1;
                run = 0;
            }
            Tok::Supported(_) | Tok::Group(_) => return false,
        }
        i += 1;
    }
    n == fields.len()
}

/// Whether `l`'s template starts with a literal (a plain line read from its
/// first token then fails there only where the line lacks it).
pub const fn leads_with_literal(l: &Line) -> bool {
    !crate::dispatch::prefix(l).is_empty()
}

/// The literal token `k` of plain line `l`, if it is one, at the cursor
/// (a plain line has no optional group: a missing literal refuses it as
/// [`quick::lit`] says).
#[inline(always)]
fn lit(l: &Line, c: &mut Cursor<'_>, k: &mut usize) -> Result<(), Stop> {
    let text = match l.template.toks.get(*k) {
        Some(Tok::Lit(t)) => *t,
        Some(Tok::LineBreak) => "\r\n",
        _ => return Ok(()),
    };
    quick::lit(c, text, true)?;
    *k += 1;
    Ok(())
}

/// The literals from token `k` of plain line `l`, then its next field, as
/// its type; `k` moves past them. The fields of a plain line come in the
/// order they are numbered, which is the order a line type lists them.
///
/// `l` is the type's descriptor and `k` a local of its `quick`: both are
/// constants where this is inlined, so the token and parameter tests fold away.
#[inline(always)]
pub fn field<'a, T: FromVal<'a>>(l: &Line, c: &mut Cursor<'a>, k: &mut usize) -> Result<T, Stop> {
    lit(l, c, k)?;
    lit(l, c, k)?;
    let toks = l.template.toks;
    let f = match toks.get(*k) {
        Some(Tok::Field(f)) => usize::from(*f),
        _ => return Err(Stop::Decline),
    };
    let field = l.template.fields.get(f).ok_or(Stop::Decline)?;
    let val = quick::field(field, toks, *k, c).ok_or(Stop::Decline)?;
    *k += 1;
    T::from_val(val).ok_or(Stop::Decline)
}

/// The end of reading plain line `l` from token `k`: the literals after the
/// last field, the line's CR LF when it has one, and nothing after it.
/// `Some(Some(_))`: the line is `l`; `Some(None)`: it lacks a literal `l`
/// must have (the descriptor path refuses it too); `None`: only the
/// descriptor path can tell.
#[inline(always)]
pub fn done<T>(
    l: &Line,
    c: &mut Cursor<'_>,
    mut k: usize,
    fields: Result<T, Stop>,
) -> Option<Option<T>> {
    let tail = fields.and_then(|t| {
        lit(l, c, &mut k)?;
        lit(l, c, &mut k)?;
        Ok(t)
    });
    match tail {
        Ok(t) if k == l.template.toks.len() && c.eol().is_ok() && c.end().is_ok() => Some(Some(t)),
        Err(Stop::Mismatch(_)) => Some(None),
        _ => None,
    }
}

/// The first of `candidates` (indices in the order the descriptor path tries
/// them) that its read (`quick`, which tells a line that does not start as
/// the candidate does, `Some(None)`) reads: its index and value. `None` as soon
/// as a candidate's read cannot settle the line, or when none reads it: the
/// descriptor path then decides, from the first candidate (those refused here
/// it refuses too).
#[inline(always)]
pub fn first<T>(
    candidates: impl Iterator<Item = usize>,
    quick: impl Fn(usize) -> Option<Option<T>>,
) -> Option<(usize, T)> {
    for i in candidates {
        match quick(i) {
            Some(Some(t)) => return Some((i, t)),
            Some(None) => continue,
            None => return None,
        }
    }
    None
}

//! The `depart` fault: answers that depart from the manual in known ways, for
//! checking a conformance run (`atgen conform`) finds each of them.

use super::store::Owned;
use crate::desc::{Kind, Line};

/// A test-command line: the last number of the first supported list with a
/// number is one higher (`(1-16)` → `(1-17)`). Returns the parameter changed.
pub(super) fn test_line(line: &Line, v: &mut [Owned]) -> Option<&'static str> {
    let (i, text) = v.iter().enumerate().find_map(|(i, o)| match o {
        Owned::Str(t)
            if t.bytes().any(|b| b.is_ascii_digit())
                && line.supported.get(i).is_some_and(|s| !s.is_empty()) =>
        {
            Some((i, t.clone()))
        }
        _ => None,
    })?;
    let end = text.rfind(|c: char| c.is_ascii_digit())? + 1;
    let start = text
        .get(..end)?
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |p| p + 1);
    let n: i64 = text.get(start..end)?.parse().ok()?;
    let changed = format!("{}{}{}", text.get(..start)?, n + 1, text.get(end..)?);
    let name = line.template.fields.get(i)?.param.name;
    *v.get_mut(i)? = Owned::Str(changed);
    Some(name)
}

/// A query line: the first integer field the manual bounds (not an id) is
/// outside what it allows. Returns the parameter changed.
pub(super) fn query_line(line: &Line, v: &mut [Owned], ids: &[&str]) -> Option<&'static str> {
    let (i, value) = line.template.fields.iter().enumerate().find_map(|(i, f)| {
        let p = f.param;
        if ids.contains(&p.name) || !matches!(p.kind, Kind::Int) || p.open {
            return None;
        }
        if !matches!(v.get(i), Some(Owned::Int(_))) {
            return None;
        }
        let out = p
            .range
            .map(|(_, hi)| hi + 1)
            .or_else(|| p.codes.iter().max().map(|c| c + 1))
            .or_else(|| p.default.map(|d| d + 1))?;
        (out <= p.bounds.1).then_some((i, out))
    })?;
    *v.get_mut(i)? = Owned::Int(value);
    line.template.fields.get(i).map(|f| f.param.name)
}

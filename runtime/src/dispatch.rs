//! Dispatch without trial and error: a family's information lines ordered by the
//! head of their leading literal (`+QSSLCFG:`), and its forms by command name,
//! computed at compile time from the descriptors (`const` evaluation over the
//! generated statics). A line or command line then finds its few candidates by
//! one binary search instead of trying every template in turn.

use crate::desc::{Form, Line, Tok};

/// The leading literal of a line's template (empty when it starts with a field).
const fn prefix(l: &Line) -> &'static [u8] {
    match l.template.toks.first() {
        Some(Tok::Lit(t)) => t.as_bytes(),
        _ => b"",
    }
}

/// The head of a text: up to and including its first `:`; empty without one.
/// A line that starts with a template's prefix has the same head as that prefix.
const fn head_len(s: &[u8]) -> usize {
    let mut i = 0;
    while i < s.len() {
        if s[i] == b':' {
            return i + 1;
        }
        i += 1;
    }
    0
}

/// `a[..an]` before `b[..bn]`, bytewise, ASCII case folded when `fold`.
const fn less(a: &[u8], an: usize, b: &[u8], bn: usize, fold: bool) -> bool {
    let mut i = 0;
    while i < an && i < bn {
        let (x, y) = if fold {
            (a[i].to_ascii_uppercase(), b[i].to_ascii_uppercase())
        } else {
            (a[i], b[i])
        };
        if x != y {
            return x < y;
        }
        i += 1;
    }
    an < bn
}

/// Insertion sort of `0..N` by key, stable (equal keys keep the spec's order).
macro_rules! order_by {
    ($n:expr, $key:ident($items:expr), $fold:expr) => {{
        let mut order = [0u16; $n];
        let mut i = 0;
        while i < $n {
            order[i] = i as u16;
            i += 1;
        }
        let mut i = 1;
        while i < $n {
            let mut j = i;
            while j > 0 {
                let (a, an) = $key($items, order[j] as usize);
                let (b, bn) = $key($items, order[j - 1] as usize);
                if !less(a, an, b, bn, $fold) {
                    break;
                }
                let t = order[j];
                order[j] = order[j - 1];
                order[j - 1] = t;
                j -= 1;
            }
            i += 1;
        }
        order
    }};
}

/// The information lines' indices ordered by head, then by their order in the spec.
pub const fn lines_by_head<const N: usize>(lines: &[&Line]) -> [u16; N] {
    assert!(lines.len() == N && N <= u16::MAX as usize);
    const fn key(lines: &[&Line], i: usize) -> (&'static [u8], usize) {
        let p = prefix(lines[i]);
        (p, head_len(p))
    }
    order_by!(N, key(lines), false)
}

/// The forms' indices ordered by command name (case folded), then by their order in the spec.
pub const fn forms_by_command<const N: usize>(forms: &[&Form]) -> [u16; N] {
    assert!(forms.len() == N && N <= u16::MAX as usize);
    const fn key(forms: &[&Form], i: usize) -> (&'static [u8], usize) {
        let c = forms[i].command.as_bytes();
        (c, c.len())
    }
    order_by!(N, key(forms), true)
}

/// The entries of `order` whose key is `key` (a contiguous run, in the spec's order).
fn run<'o>(
    order: &'o [u16],
    key: &[u8],
    fold: bool,
    key_of: impl Fn(usize) -> &'static [u8],
) -> &'o [u16] {
    let k = key.len();
    let lo = order.partition_point(|&i| {
        let p = key_of(usize::from(i));
        less(p, p.len(), key, k, fold)
    });
    let rest = order.get(lo..).unwrap_or(&[]);
    let n = rest.partition_point(|&i| {
        let p = key_of(usize::from(i));
        !less(key, k, p, p.len(), fold)
    });
    rest.get(..n).unwrap_or(&[])
}

/// Two ascending runs of indices merged, ascending.
fn merged<'o>(a: &'o [u16], b: &'o [u16]) -> impl Iterator<Item = usize> + 'o {
    let (mut i, mut j) = (0, 0);
    core::iter::from_fn(move || {
        let next = match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) if x <= y => {
                i += 1;
                x
            }
            (_, Some(&y)) => {
                j += 1;
                y
            }
            (Some(&x), None) => {
                i += 1;
                x
            }
            (None, None) => return None,
        };
        Some(usize::from(next))
    })
}

/// The information lines `line` may be, in the spec's order: those whose head is
/// the line's, and those whose leading literal has no head (or that start with a field).
pub fn line_candidates<'o>(
    lines: &'o [&'static Line],
    order: &'o [u16],
    line: &[u8],
) -> impl Iterator<Item = usize> + 'o {
    let key_of = |i: usize| {
        lines.get(i).map_or(&b""[..], |l| {
            let p = prefix(l);
            p.get(..head_len(p)).unwrap_or(p)
        })
    };
    let headless = run(order, b"", false, key_of);
    let head = line.get(..head_len(line)).unwrap_or(&[]);
    let headed = if head.is_empty() {
        &[][..]
    } else {
        run(order, head, false, key_of)
    };
    merged(headless, headed)
}

/// The forms a command line may be (`AT+<command>…`, case ignored), in the spec's order.
pub fn form_candidates<'o>(forms: &'o [&'static Form], order: &'o [u16], line: &[u8]) -> &'o [u16] {
    let name = line.get(3..).unwrap_or(&[]);
    let end = name
        .iter()
        .position(|b| matches!(b, b'=' | b'?' | b'\r' | b'\n'))
        .unwrap_or(name.len());
    let name = name.get(..end).unwrap_or(&[]);
    run(order, name, true, |i| {
        forms.get(i).map_or(&b""[..], |f| f.command.as_bytes())
    })
}

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

/// One entry of a dispatch index: the key (a line's head, a form's command) and
/// the index of the line or form in the family's list.
pub type Entry = (&'static [u8], u16);

/// Insertion sort by key, stable (equal keys keep the spec's order).
const fn sort<const N: usize>(mut e: [Entry; N], fold: bool) -> [Entry; N] {
    let mut i = 1;
    while i < N {
        let mut j = i;
        while j > 0 {
            let (a, b) = (e[j].0, e[j - 1].0);
            if !less(a, a.len(), b, b.len(), fold) {
                break;
            }
            let t = e[j];
            e[j] = e[j - 1];
            e[j - 1] = t;
            j -= 1;
        }
        i += 1;
    }
    e
}

/// The information lines by head, then by their order in the spec.
pub const fn lines_by_head<const N: usize>(lines: &[&Line]) -> [Entry; N] {
    assert!(lines.len() == N && N <= u16::MAX as usize);
    let mut e: [Entry; N] = [(b"", 0); N];
    let mut i = 0;
    while i < N {
        let p = prefix(lines[i]);
        e[i] = (p.split_at(head_len(p)).0, i as u16);
        i += 1;
    }
    sort(e, false)
}

/// The forms by command name (case folded), then by their order in the spec.
pub const fn forms_by_command<const N: usize>(forms: &[&Form]) -> [Entry; N] {
    assert!(forms.len() == N && N <= u16::MAX as usize);
    let mut e: [Entry; N] = [(b"", 0); N];
    let mut i = 0;
    while i < N {
        e[i] = (forms[i].command.as_bytes(), i as u16);
        i += 1;
    }
    sort(e, true)
}

fn fold_cmp(a: &[u8], b: &[u8]) -> core::cmp::Ordering {
    let n = a.len().min(b.len());
    for (x, y) in a.iter().zip(b).take(n) {
        match x.to_ascii_uppercase().cmp(&y.to_ascii_uppercase()) {
            core::cmp::Ordering::Equal => {}
            o => return o,
        }
    }
    a.len().cmp(&b.len())
}

/// The entries whose key is `key` (a contiguous run, in the spec's order).
fn run<'o>(index: &'o [Entry], key: &[u8], fold: bool) -> &'o [Entry] {
    use core::cmp::Ordering::{Greater, Less};
    let cmp = |k: &[u8]| if fold { fold_cmp(k, key) } else { k.cmp(key) };
    let lo = index.partition_point(|e| cmp(e.0) == Less);
    let rest = index.get(lo..).unwrap_or(&[]);
    let n = rest.partition_point(|e| cmp(e.0) != Greater);
    rest.get(..n).unwrap_or(&[])
}

/// Two ascending runs of indices merged, ascending.
fn merged<'o>(a: &'o [Entry], b: &'o [Entry]) -> impl Iterator<Item = usize> + 'o {
    let (mut i, mut j) = (0, 0);
    core::iter::from_fn(move || {
        let next = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.1 <= y.1 => {
                i += 1;
                x.1
            }
            (_, Some(y)) => {
                j += 1;
                y.1
            }
            (Some(x), None) => {
                i += 1;
                x.1
            }
            (None, None) => return None,
        };
        Some(usize::from(next))
    })
}

/// The information lines `line` may be, in the spec's order: those whose head is
/// the line's, and those whose leading literal has no head (or that start with a
/// field). `index` is [`lines_by_head`] of the lines.
pub fn line_candidates<'o>(index: &'o [Entry], line: &[u8]) -> impl Iterator<Item = usize> + 'o {
    // Headless entries (empty keys) sort first.
    let headless = index.partition_point(|e| e.0.is_empty());
    let head = line.get(..head_len(line)).unwrap_or(&[]);
    let headed = if head.is_empty() {
        &[][..]
    } else {
        run(index.get(headless..).unwrap_or(&[]), head, false)
    };
    merged(index.get(..headless).unwrap_or(&[]), headed)
}

/// The forms a command line may be (`AT+<command>…`, case ignored), in the spec's
/// order. `index` is [`forms_by_command`] of the forms.
pub fn form_candidates<'o>(index: &'o [Entry], line: &[u8]) -> &'o [Entry] {
    let name = line.get(3..).unwrap_or(&[]);
    let end = name
        .iter()
        .position(|b| matches!(b, b'=' | b'?' | b'\r' | b'\n'))
        .unwrap_or(name.len());
    run(index, name.get(..end).unwrap_or(&[]), true)
}

//! Dispatch without trial and error: a family's lines (information responses,
//! URCs) keyed by their leading literal up to the sub-command (`+QSSLCFG:
//! "sslversion"`), and its forms by command name, computed at compile time from
//! the descriptors (`const` evaluation over the generated statics). A line or
//! command line then finds its few candidates in one step instead of trying
//! every template in turn.

use crate::desc::{Form, Line, Tok, Urc};

/// The leading literal of a line's template (empty when it starts with a field).
const fn prefix(l: &Line) -> &'static [u8] {
    match l.template.toks.first() {
        Some(Tok::Lit(t)) => t.as_bytes(),
        _ => b"",
    }
}

/// The head of a text: up to and including its first `:`; empty without one.
/// A line that starts with a template's prefix has the same head as that prefix.
#[inline]
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

// ---------------------------------------------------------------- lines

/// A line's keys, hashed (FNV-1a): its head (`+QSSLCFG:`), and when it goes on
/// past a `,` after the head, what lies before that comma (`+QSSLCFG:
/// "sslversion"`). One space after the head's colon is skipped, as parsers
/// accept the line without it (`+QSSLCFG:"clientcert"`). A line of module output
/// has both keys; a template has the one its leading literal determines.
/// Computed once per line, they find its candidates in every [`LineIndex`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineKeys {
    /// 0: the line has no head.
    head: u32,
    /// `None`: no comma after the head.
    sub: Option<u32>,
}

impl LineKeys {
    /// The keys of a line of module output.
    #[inline]
    pub fn of(line: &[u8]) -> Self {
        let head = head_len(line);
        if head == 0 {
            return LineKeys { head: 0, sub: None };
        }
        let k = keys(line, head);
        LineKeys {
            head: nonzero(k.head),
            sub: k.sub.map(nonzero),
        }
    }
}

use LineKeys as Keys;

const FNV_OFFSET: u32 = 0x811c_9dc5;
const FNV_PRIME: u32 = 0x0100_0193;
/// Mixed into a head-only key, so it never equals a sub-command key.
const HEAD_ONLY: u32 = 0x9e37_79b9;

/// The keys of `s` (the head is `s[..head]`, `head > 0`); for a template, `s`
/// is its leading literal.
#[inline]
const fn keys(s: &[u8], head: usize) -> Keys {
    let mut h = FNV_OFFSET;
    let mut i = 0;
    while i < head {
        h = (h ^ s[i] as u32).wrapping_mul(FNV_PRIME);
        i += 1;
    }
    let head_key = h ^ HEAD_ONLY;
    if i < s.len() && s[i] == b' ' {
        i += 1;
    }
    while i < s.len() {
        if s[i] == b',' {
            return Keys {
                head: head_key,
                sub: Some(h),
            };
        }
        h = (h ^ s[i] as u32).wrapping_mul(FNV_PRIME);
        i += 1;
    }
    Keys {
        head: head_key,
        sub: None,
    }
}

/// One entry of a [`LineIndex`]: a key and the index of the line in the family's list.
pub type LineEntry = (u32, u16);

/// A family's lines by key, computed at compile time: `headless` entries first
/// (templates whose leading literal has no `:`, or that start with a field:
/// candidates for every line), then the others sorted by key, then by their
/// order in the spec.
#[derive(Debug)]
pub struct LineIndex<const N: usize> {
    entries: [LineEntry; N],
    headless: usize,
}

impl<const N: usize> LineIndex<N> {
    /// The index of information lines (or any lines).
    pub const fn of_lines(lines: &[&Line]) -> Self {
        assert!(lines.len() == N && N <= u16::MAX as usize);
        let mut e: [LineEntry; N] = [(0, 0); N];
        let mut i = 0;
        while i < N {
            e[i] = (line_key(lines[i]), i as u16);
            i += 1;
        }
        Self::sorted(e)
    }

    /// The index of URCs (by their lines).
    pub const fn of_urcs(urcs: &[&Urc]) -> Self {
        assert!(urcs.len() == N && N <= u16::MAX as usize);
        let mut e: [LineEntry; N] = [(0, 0); N];
        let mut i = 0;
        while i < N {
            e[i] = (line_key(&urcs[i].line), i as u16);
            i += 1;
        }
        Self::sorted(e)
    }

    /// Headless entries (key 0, and no other key is 0 after [`line_key`]) first,
    /// then by key and index (insertion sort: stable, and `N` is small).
    const fn sorted(mut e: [LineEntry; N]) -> Self {
        let mut i = 1;
        while i < N {
            let mut j = i;
            while j > 0 && e[j].0 < e[j - 1].0 {
                let t = e[j];
                e[j] = e[j - 1];
                e[j - 1] = t;
                j -= 1;
            }
            i += 1;
        }
        let mut headless = 0;
        while headless < N && e[headless].0 == 0 {
            headless += 1;
        }
        LineIndex {
            entries: e,
            headless,
        }
    }

    /// The lines `line` may be, in the spec's order: the headless ones, those
    /// whose key is the line's head and those whose key is its sub-command.
    /// Every line whose leading literal `line` starts with is among them.
    #[inline]
    pub fn candidates(&self, keys: &LineKeys) -> Candidates<'_> {
        let headless = self.entries.get(..self.headless).unwrap_or(&[]);
        let keyed = self.entries.get(self.headless..).unwrap_or(&[]);
        let (by_head, by_sub) = if keys.head == 0 || keyed.is_empty() {
            (&[][..], &[][..])
        } else {
            let sub = match keys.sub {
                Some(s) => run_of(keyed, s),
                None => &[],
            };
            (run_of(keyed, keys.head), sub)
        };
        Candidates {
            runs: [headless, by_head, by_sub],
        }
    }
}

/// Keys are never 0: 0 marks a headless entry.
const fn nonzero(k: u32) -> u32 {
    if k == 0 {
        1
    } else {
        k
    }
}

/// The key of a template: 0 when headless.
const fn line_key(l: &Line) -> u32 {
    let p = prefix(l);
    let head = head_len(p);
    if head == 0 {
        return 0;
    }
    let k = keys(p, head);
    match k.sub {
        Some(s) => nonzero(s),
        None => nonzero(k.head),
    }
}

/// The entries of `key` (a contiguous run, ascending by index).
#[inline]
fn run_of(entries: &[LineEntry], key: u32) -> &[LineEntry] {
    let lo = entries.partition_point(|e| e.0 < key);
    let rest = entries.get(lo..).unwrap_or(&[]);
    let n = rest.iter().take_while(|e| e.0 == key).count();
    rest.get(..n).unwrap_or(&[])
}

/// The candidate lines of [`LineIndex::candidates`]: three ascending runs,
/// merged into one ascending sequence of indices.
pub struct Candidates<'o> {
    runs: [&'o [LineEntry]; 3],
}

impl Iterator for Candidates<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        let mut best: Option<(usize, u16)> = None;
        for (r, run) in self.runs.iter().enumerate() {
            if let Some(&(_, i)) = run.first() {
                if best.is_none_or(|(_, b)| i < b) {
                    best = Some((r, i));
                }
            }
        }
        let (r, i) = best?;
        if let Some(run) = self.runs.get_mut(r) {
            *run = run.get(1..).unwrap_or(&[]);
        }
        Some(usize::from(i))
    }
}

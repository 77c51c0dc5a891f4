//! Dispatch without trial and error: a family's lines (information responses,
//! URCs) keyed by their leading literal up to the sub-command (`+QSSLCFG:
//! "sslversion"`), and its forms by command name, computed at compile time from
//! the descriptors (`const` evaluation over the generated statics). A line or
//! command line then finds its few candidates in one step instead of trying
//! every template in turn.

use crate::desc::{Form, Line, Tok, Urc};

/// The leading literal of a line's template (empty when it starts with a field).
pub(crate) const fn prefix(l: &Line) -> &'static [u8] {
    match l.template.toks.first() {
        Some(Tok::Lit(t)) => t.as_bytes(),
        _ => b"",
    }
}

/// The head of a text: up to and including its first `:`; empty without one.
/// A line that starts with a template's prefix has the same head as that prefix.
#[inline]
const fn head_len(s: &[u8]) -> usize {
    let i = find(s, 0, b':');
    if i < s.len() {
        i + 1
    } else {
        0
    }
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

/// A line's keys, hashed: its head (`+QSSLCFG:`), and when it goes on
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
    /// The keys of a line of module output: what `keys` computes for a
    /// template's literal at compile time (a test checks both agree), over the
    /// line's first bytes only (no template's head is longer than
    /// [`MAX_HEAD`], nor its sub-command than [`MAX_SUB`]: the index refuses
    /// them at compile time), so a line costs the same however long it is.
    #[inline]
    pub fn of(line: &[u8]) -> Self {
        Self::of_short(line).unwrap_or_else(|| Self::of_any(line))
    }

    /// [`Self::of`] where the head ends in the line's first 16 bytes and the
    /// comma after the sub-command in the 16 after the head: two words each,
    /// read once, searched and hashed without a loop (most lines of module
    /// output, `+QSSLCFG: "seclevel",1,2`). `None` for any other line.
    #[inline(always)]
    pub fn of_short(line: &[u8]) -> Option<Self> {
        Self::of_short_for(line, u64::MAX)
    }

    /// [`Self::of_short`] for the indexes whose [`LineIndex::sub_heads`] are
    /// `sub_heads`: a line whose head no sub-command follows in them gets no
    /// sub-command key (no entry has one that its literal could match).
    #[inline(always)]
    pub fn of_short_for(line: &[u8], sub_heads: u64) -> Option<Self> {
        let w = word16(line, 0);
        let colon = first16(w, b':')?;
        let head = colon + 1;
        if head > line.len() {
            return None;
        }
        let hw = w & low16(head);
        let h = mix(mix(0, hw as u64, head), (hw >> 64) as u64, 0);
        let head_key = nonzero(fold(h ^ HEAD_ONLY));
        if sub_heads & key_bit(head_key) == 0 {
            return Some(LineKeys {
                head: head_key,
                sub: None,
            });
        }
        let from = head + usize::from(line.get(head) == Some(&b' '));
        let rest_len = line.len().checked_sub(from)?;
        let r = word16(line, from);
        let sub = match first16(r, b',') {
            Some(comma) => {
                let sw = r & low16(comma);
                Some(nonzero(fold(mix(
                    mix(h, sw as u64, comma),
                    (sw >> 64) as u64,
                    0,
                ))))
            }
            // A comma beyond the 16 bytes: only the general search tells.
            None if rest_len > 16 => return None,
            None => None,
        };
        Some(LineKeys {
            head: head_key,
            sub,
        })
    }

    /// [`Self::of`] of any line, the head and the comma searched for a word at a time.
    fn of_any(line: &[u8]) -> Self {
        // Short scans a word at a time (a call to memchr costs more on a few bytes).
        let head = head_len(line.get(..MAX_HEAD).unwrap_or(line));
        if head == 0 {
            return LineKeys { head: 0, sub: None };
        }
        let h = hash(0, line, 0, head);
        // The sub-command and the comma after it, after one optional space.
        let from = head + usize::from(line.get(head) == Some(&b' '));
        let window = line.get(..head + 1 + MAX_SUB + 1).unwrap_or(line);
        let comma = find(window, from.min(window.len()), b',');
        let sub = (comma < window.len()).then(|| nonzero(fold(hash(h, line, from, comma))));
        LineKeys {
            head: nonzero(fold(h ^ HEAD_ONLY)),
            sub,
        }
    }
}

/// The longest head (`+QSSLCFG:`) a template may have.
pub const MAX_HEAD: usize = 32;
/// The longest sub-command literal (`"sslversion"`) a template may have.
pub const MAX_SUB: usize = 64;

/// One word of `n` bytes into a hash.
#[inline(always)]
const fn mix(h: u64, w: u64, n: usize) -> u64 {
    let h = (h ^ w ^ ((n as u64) << 56)).wrapping_mul(MIX);
    h ^ (h >> 29)
}

use LineKeys as Keys;

/// Mixed into a head-only key, so it never equals a sub-command key.
const HEAD_ONLY: u64 = 0x9e37_79b9_7f4a_7c15;
const MIX: u64 = 0xff51_afd7_ed55_8ccd;

/// The 8 bytes of `s` at `i` as a little-endian word; past the end, zeros.
#[inline(always)]
pub(crate) const fn word8(s: &[u8], i: usize) -> u64 {
    let rest = s.split_at(i).1;
    if let Some(b) = rest.first_chunk::<8>() {
        return u64::from_le_bytes(*b);
    }
    // Fewer than 8 bytes left (a line's last word, a short line): read
    // overlapping whole words and shift, no byte loop.
    let n = rest.len();
    if n == 0 {
        return 0;
    }
    if let Some(b) = s.last_chunk::<8>() {
        // The 8 bytes ending where `s` ends: `rest` is their top `n`.
        return u64::from_le_bytes(*b) >> (8 * (8 - n));
    }
    if let (Some(lo), Some(hi)) = (rest.first_chunk::<4>(), rest.last_chunk::<4>()) {
        return u32::from_le_bytes(*lo) as u64
            | ((u32::from_le_bytes(*hi) as u64) << (8 * (n - 4)));
    }
    if let (Some(lo), Some(hi)) = (rest.first_chunk::<2>(), rest.last_chunk::<2>()) {
        return u16::from_le_bytes(*lo) as u64
            | ((u16::from_le_bytes(*hi) as u64) << (8 * (n - 2)));
    }
    match rest.first() {
        Some(&b) => b as u64,
        None => 0,
    }
}

/// The 16 bytes of `s` at `i` as a little-endian number; past the end, zeros.
#[inline(always)]
fn word16(s: &[u8], i: usize) -> u128 {
    let rest = s.get(i..).unwrap_or(&[]);
    if let Some(b) = rest.first_chunk::<16>() {
        return u128::from_le_bytes(*b);
    }
    let n = rest.len();
    if n == 0 {
        return 0;
    }
    if let Some(b) = s.last_chunk::<16>() {
        // The 16 bytes ending where `s` ends: `rest` is their top `n`.
        return u128::from_le_bytes(*b) >> (8 * (16 - n));
    }
    let i = i.min(s.len());
    word8(s, i) as u128 | (word8(s, (i + 8).min(s.len())) as u128) << 64
}

/// The low `n` bytes of a 16-byte number set (all of them from 16 on), by
/// table: a variable shift of a 16-byte number costs a dozen instructions.
#[inline(always)]
fn low16(n: usize) -> u128 {
    const LOW: [u128; 17] = {
        let mut t = [0u128; 17];
        let mut n = 1;
        while n <= 16 {
            t[n] = u128::MAX >> (128 - 8 * n);
            n += 1;
        }
        t
    };
    LOW.get(n).copied().unwrap_or(u128::MAX)
}

/// The offset of the first `b` in the 16 bytes of `w`, if any (as [`equal_bytes`]
/// finds it, a half at a time).
#[inline(always)]
fn first16(w: u128, b: u8) -> Option<usize> {
    let (t0, t1) = (equal_bytes(w as u64, b), equal_bytes((w >> 64) as u64, b));
    if t0 != 0 {
        Some((t0.trailing_zeros() / 8) as usize)
    } else if t1 != 0 {
        Some(8 + (t1.trailing_zeros() / 8) as usize)
    } else {
        None
    }
}

/// `h` and `s[from..to]` hashed together: its length and its first 16
/// bytes, two words whatever its length. Keys only pick candidates, each then
/// checked against its literal: texts alike in those merely share candidates.
#[inline(always)]
const fn hash(h: u64, s: &[u8], from: usize, to: usize) -> u64 {
    let n = to - from;
    let (a, b) = if n > 8 {
        (word8(s, from), word8(s, from + 8) & low(n - 8))
    } else if n > 0 {
        (word8(s, from) & low(n), 0)
    } else {
        (0, 0)
    };
    mix(mix(h, a, n), b, 0)
}

/// The low `n` bytes of a word set (all of them from 8 on).
#[inline(always)]
pub(crate) const fn low(n: usize) -> u64 {
    if n >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * n)) - 1
    }
}

/// The bytes of `w` equal to `b`, as the top bit of each: the lowest bit set
/// is the first such byte (bits above it may be set wrongly, never below),
/// and its `trailing_zeros() / 8` that byte's offset.
#[inline(always)]
pub(crate) const fn equal_bytes(w: u64, b: u8) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let x = w ^ (LO * b as u64);
    x.wrapping_sub(LO) & !x & HI
}

/// The first `b` in `s[from..]`, a word at a time; `s.len()` when none.
#[inline(always)]
pub(crate) const fn find(s: &[u8], from: usize, b: u8) -> usize {
    let mut i = from;
    while i < s.len() {
        // Past the end the word is zeros: a match there is no match.
        let t = equal_bytes(word8(s, i), b);
        if t != 0 {
            let at = i + (t.trailing_zeros() / 8) as usize;
            return if at < s.len() { at } else { s.len() };
        }
        i += 8;
    }
    s.len()
}

/// The keys of `s` (the head is `s[..head]`, `head > 0`); for a template, `s`
/// is its leading literal.
#[inline]
const fn keys(s: &[u8], head: usize) -> Keys {
    let h = hash(0, s, 0, head);
    let head_key = fold(h ^ HEAD_ONLY);
    let from = if head < s.len() && s[head] == b' ' {
        head + 1
    } else {
        head
    };
    let comma = find(s, from, b',');
    Keys {
        head: head_key,
        sub: if comma < s.len() {
            Some(fold(hash(h, s, from, comma)))
        } else {
            None
        },
    }
}

/// A hash as a key.
const fn fold(h: u64) -> u32 {
    (h >> 32) as u32 ^ h as u32
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
    /// Per slot (a key's low six bits): where the run of the slot's one key
    /// starts among the entries, and its length; 0 when no key has the slot
    /// (most lines are no URC), [`SHARED`] when keys share it (then searched).
    slots: [(u16, u8); 64],
    /// The bytes a line of the index may start with, a bit each (all of them
    /// when a template starts with a field).
    firsts: [u64; 4],
    /// A bit per head key (its low six bits) of the templates keyed by their
    /// sub-command: a line whose head's bit is clear needs no sub-command key.
    sub_heads: u64,
    /// Per line (by its index in the family's list): where a `(` must follow
    /// its leading literal (a test response's supported values), 0 when none
    /// must ([`crate::codec::may_start`]'s second test, told before a candidate is read).
    paren: [u8; N],
}

/// A [`LineIndex`] slot whose keys are searched for (more than one key has
/// it, or a key has that many entries).
const SHARED: u8 = u8::MAX;

/// [`crate::codec::paren_at`] as an index keeps it: 0 for none (or a literal
/// too long to say, which `may_start` still tells).
const fn paren_at(l: &Line) -> u8 {
    match crate::codec::paren_at(l) {
        Some(at) if at <= u8::MAX as usize => at as u8,
        _ => 0,
    }
}

impl<const N: usize> LineIndex<N> {
    /// The index of information lines (or any lines).
    pub const fn of_lines(lines: &[&Line]) -> Self {
        assert!(lines.len() == N && N <= u16::MAX as usize);
        let mut e: [LineEntry; N] = [(0, 0); N];
        let mut firsts = [0u64; 4];
        let mut paren = [0u8; N];
        let mut sub_heads = 0u64;
        let mut i = 0;
        while i < N {
            e[i] = (line_key(lines[i]), i as u16);
            firsts = first_of(lines[i], firsts);
            paren[i] = paren_at(lines[i]);
            sub_heads |= sub_head_bit(lines[i]);
            i += 1;
        }
        Self::sorted(e, firsts, paren, sub_heads)
    }

    /// The index of URCs (by their lines).
    pub const fn of_urcs(urcs: &[&Urc]) -> Self {
        assert!(urcs.len() == N && N <= u16::MAX as usize);
        let mut e: [LineEntry; N] = [(0, 0); N];
        let mut firsts = [0u64; 4];
        let mut paren = [0u8; N];
        let mut sub_heads = 0u64;
        let mut i = 0;
        while i < N {
            e[i] = (line_key(&urcs[i].line), i as u16);
            firsts = first_of(&urcs[i].line, firsts);
            paren[i] = paren_at(&urcs[i].line);
            sub_heads |= sub_head_bit(&urcs[i].line);
            i += 1;
        }
        Self::sorted(e, firsts, paren, sub_heads)
    }

    /// Headless entries (key 0, and no other key is 0 after [`line_key`]) first,
    /// then by key and index (insertion sort: stable, and `N` is small).
    const fn sorted(
        mut e: [LineEntry; N],
        firsts: [u64; 4],
        paren: [u8; N],
        sub_heads: u64,
    ) -> Self {
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
        // The entries are sorted by key: a slot's keys come in runs.
        let mut slots = [(0u16, 0u8); 64];
        let mut k = headless;
        while k < N {
            let slot = (e[k].0 & 63) as usize;
            let mut end = k;
            while end < N && e[end].0 == e[k].0 {
                end += 1;
            }
            slots[slot] = if slots[slot].1 != 0 || end - k >= SHARED as usize {
                (0, SHARED)
            } else {
                (k as u16, (end - k) as u8)
            };
            k = end;
        }
        LineIndex {
            entries: e,
            headless,
            slots,
            firsts,
            paren,
            sub_heads,
        }
    }

    /// The head keys of the templates keyed by their sub-command, a bit each
    /// ([`LineKeys::of_short_for`]).
    pub const fn sub_heads(&self) -> u64 {
        self.sub_heads
    }

    /// Whether `line` may be one of the index's lines by its first byte (an
    /// empty line is none): most lines of module output are no URC, and this
    /// tells before their keys are computed.
    #[inline]
    pub fn may_start(&self, line: &[u8]) -> bool {
        match line.first() {
            Some(&b) => self.firsts[usize::from(b >> 6)] >> (b & 63) & 1 == 1,
            None => false,
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
            let run = |key: u32| match self.slots.get((key & 63) as usize) {
                Some(&(_, SHARED)) => run_of(keyed, key),
                Some(&(start, len)) if len != 0 => {
                    let (start, len) = (usize::from(start), usize::from(len));
                    match self.entries.get(start..start + len) {
                        Some(run) if run.first().is_some_and(|e| e.0 == key) => run,
                        _ => &[][..],
                    }
                }
                _ => &[][..],
            };
            (run(keys.head), keys.sub.map_or(&[][..], run))
        };
        Candidates {
            runs: [headless, by_head, by_sub],
            paren: &[],
            line: &[],
        }
    }

    /// [`Self::candidates`] of `line` (its keys `keys`), without those that
    /// cannot start it for want of a `(` after their leading literal (a test
    /// response beside the query's answer of the same key).
    #[inline]
    pub fn candidates_of<'o>(&'o self, keys: &LineKeys, line: &'o [u8]) -> Candidates<'o> {
        Candidates {
            paren: &self.paren,
            line,
            ..self.candidates(keys)
        }
    }
}

/// `firsts` with the first byte of line `l`'s template added; every byte when
/// it starts with a field (or a template with no token at all).
const fn first_of(l: &Line, mut firsts: [u64; 4]) -> [u64; 4] {
    match prefix(l).first() {
        Some(&b) => firsts[(b >> 6) as usize] |= 1 << (b & 63),
        None => firsts = [u64::MAX; 4],
    }
    firsts
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
    assert!(
        head <= MAX_HEAD,
        "a template's head is longer than dispatch::MAX_HEAD"
    );
    let k = keys(p, head);
    match k.sub {
        Some(s) => {
            assert!(
                find(p, head, b',') <= head + 1 + MAX_SUB,
                "a template's sub-command is longer than dispatch::MAX_SUB"
            );
            nonzero(s)
        }
        None => nonzero(k.head),
    }
}

/// The bit of the head key of `l` in [`LineIndex::sub_heads`] when `l` is
/// keyed by its sub-command; 0 otherwise.
const fn sub_head_bit(l: &Line) -> u64 {
    let p = prefix(l);
    let head = head_len(p);
    if head == 0 {
        return 0;
    }
    let k = keys(p, head);
    match k.sub {
        Some(_) => key_bit(nonzero(k.head)),
        None => 0,
    }
}

/// The bit of `key` in [`LineIndex`]'s set of keys.
#[inline(always)]
const fn key_bit(key: u32) -> u64 {
    1 << (key & 63)
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
    /// [`LineIndex::paren`] and the line, when candidates that cannot start it are left out.
    paren: &'o [u8],
    line: &'o [u8],
}

impl Candidates<'_> {
    /// Whether there is no candidate at all (most lines are no URC).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.runs.iter().all(|r| r.is_empty())
    }
}

impl Iterator for Candidates<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        loop {
            let [a, b, c] = &mut self.runs;
            let first = |r: &[LineEntry]| r.first().map_or(u16::MAX, |e| e.1);
            // Most lines have candidates in one run only, taken without comparing.
            let run = match (a.is_empty(), b.is_empty(), c.is_empty()) {
                (true, true, true) => return None,
                (false, true, true) => a,
                (true, false, true) => b,
                (true, true, false) => c,
                // The lowest first index (an empty run's is `u16::MAX`).
                _ => {
                    let (x, y, z) = (first(a), first(b), first(c));
                    if x <= y && x <= z {
                        a
                    } else if y <= z {
                        b
                    } else {
                        c
                    }
                }
            };
            let (&(_, i), tail) = run.split_first()?;
            *run = tail;
            let i = usize::from(i);
            match self.paren.get(i) {
                Some(&p) if p != 0 && self.line.get(usize::from(p)) != Some(&b'(') => continue,
                _ => return Some(i),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys a template's literal gets at compile time are those of the
    /// module's lines that start with it, whatever their length and split into words.
    #[test]
    fn a_line_has_the_key_of_every_literal_it_starts_with() {
        let literals: &[&[u8]] = &[
            b"+QSSLCFG: \"sslversion\",",
            b"+QSSLCFG: \"negotiatetime\",",
            b"+QSSLSTATE: ",
            b"+QSSLURC: \"recv\",",
            b"+Q:",
            b"+QSSLCFG:\"clientcert\",",
        ];
        for lit in literals {
            let head = head_len(lit);
            let k = keys(lit, head);
            let key = k.sub.unwrap_or(k.head);
            for tail in [&b""[..], b"1", b"1,4", b"12345678,\"x\",99999999"] {
                let line = [&lit[..], tail].concat();
                let l = LineKeys::of(&line);
                let found = l.head == nonzero(k.head) || l.sub == Some(nonzero(key));
                assert!(found, "{:?}", String::from_utf8_lossy(&line));
            }
        }
        // One space after the head's colon is optional.
        let spaced = LineKeys::of(b"+QSSLCFG: \"clientcert\",1");
        let tight = LineKeys::of(b"+QSSLCFG:\"clientcert\",1");
        assert_eq!(spaced, tight);
        assert_ne!(
            LineKeys::of(b"+QSSLCFG: \"sslversion\",1").sub,
            LineKeys::of(b"+QSSLCFG: \"seclevel\",1").sub
        );
        assert_eq!(LineKeys::of(b"OK"), LineKeys { head: 0, sub: None });
    }

    #[test]
    fn the_short_keys_are_the_keys_of_any_line() {
        // Every line of up to 40 bytes drawn from the bytes that matter, by a
        // small generator (xorshift), and every prefix of a few real ones.
        const BYTES: &[u8] = b"+Q:, \"a1";
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut short = 0;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 41) as usize;
            let line: Vec<u8> = (0..len)
                .map(|k| BYTES[(x >> (3 * (k % 21))) as usize % BYTES.len()])
                .collect();
            if let Some(k) = LineKeys::of_short(&line) {
                short += 1;
                assert_eq!(
                    k,
                    LineKeys::of_any(&line),
                    "{:?}",
                    String::from_utf8_lossy(&line)
                );
            }
        }
        for real in [
            &b"+QSSLCFG: \"seclevel\",1,2"[..],
            b"+QSSLSTATE: 3,\"SSLClient\",\"220.180.239.212\",8010,65344,2,1,4,0,\"usbmodem\",1",
            b"+QSSLCFG:\"clientcert\",1,\"a.pem\"",
            b"+QSSLURC: \"closed\",3",
            b"+QSSLCFG: \"a_sub_command_longer_than_two_words\",1",
            b"+A_HEAD_LONGER_THAN_16_BYTES: 1,2",
        ] {
            for len in 0..=real.len() {
                let line = &real[..len];
                if let Some(k) = LineKeys::of_short(line) {
                    short += 1;
                    assert_eq!(
                        k,
                        LineKeys::of_any(line),
                        "{:?}",
                        String::from_utf8_lossy(line)
                    );
                }
            }
        }
        assert!(short > 10_000, "the short path took only {short} lines");
    }

    #[test]
    fn a_word_holds_the_bytes_at_its_position_and_zeros_past_the_end() {
        let all: Vec<u8> = (1..=20).collect();
        for len in 0..=all.len() {
            let s = &all[..len];
            for i in 0..=len {
                let mut want = [0u8; 8];
                for (k, b) in s[i..].iter().take(8).enumerate() {
                    want[k] = *b;
                }
                assert_eq!(word8(s, i), u64::from_le_bytes(want), "len {len} at {i}");
            }
        }
    }

    #[test]
    fn bytes_are_found_in_every_position_and_never_past_the_end() {
        let s = b"abcdefghijklmnopq:rs";
        for i in 0..s.len() {
            assert_eq!(find(s, 0, s[i]), i);
            assert_eq!(find(&s[..i], 0, s[i]), i);
        }
        assert_eq!(find(b"", 0, 0), 0);
        assert_eq!(
            find(b"abc", 0, 0),
            3,
            "zero bytes past the end are not found"
        );
    }
}

//! Framing: bytes from the module in, one frame and the number of bytes it used out.
//!
//! Pure (no I/O, no clock), so every case is a table test. The caller keeps the
//! unconsumed bytes, drops exactly `consumed` from the front after each call and
//! calls again with new bytes appended. The digester remembers how far it looked
//! into the current line, so a long line arriving byte by byte costs O(n), not O(n²).
//! The frames are the same however the input is split.

use crate::family::{Family, PayloadProbe};

/// One unit of module output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame<'a> {
    /// Nothing complete yet (`consumed` may still be non-zero: blank line ends were skipped).
    None,
    /// The data prompt `>` (or `> `), only while one is expected.
    Prompt,
    /// The echo of what was just sent (ATE1), dropped.
    Echo,
    /// A complete line without its line end; never empty.
    Line(&'a [u8]),
    /// A line with a payload taken by length.
    Payload {
        /// Header, payload and trailer, without the final CR LF: what
        /// [`Family::parse_urc`] and response parsers take.
        frame: &'a [u8],
        /// The bytes before the payload, without a CR LF that ends them.
        header: &'a [u8],
        /// Exactly the announced payload bytes, whatever they contain.
        data: &'a [u8],
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Probe {
    Unknown,
    Incomplete,
    No,
    Payload {
        start: usize,
        len: usize,
        trailer: &'static [u8],
    },
}

/// Lines longer than this are cut, so garbage without line ends cannot grow the buffer forever.
pub const DEFAULT_MAX_LINE: usize = 4096;
/// Announced payloads longer than this are not believed (the header is read as a line).
pub const DEFAULT_MAX_PAYLOAD: usize = 1 << 20;

/// What [`Digester::plain`] learnt of a frame that is no plain line (the
/// line's payload probe, when it made one), for [`Digester::digest_rest`].
#[derive(Debug, Clone, Copy)]
pub struct Rest(Option<PayloadProbe>);

/// The framing state machine.
#[derive(Debug, Clone)]
pub struct Digester {
    hex: bool,
    expect_prompt: bool,
    skip_prompt_space: bool,
    max_line: usize,
    max_payload: usize,
    // The current line, relative to its first byte.
    scanned: usize,
    probe: Probe,
    probed_len: usize,
    /// The current line was cut at the limit: its pieces, up to its line end, are garbage.
    cutting: bool,
    /// The last line handed out was (a piece of) a cut line.
    cut: bool,
}

impl Default for Digester {
    fn default() -> Self {
        Self::new()
    }
}

fn is_eol(b: u8) -> bool {
    b == b'\r' || b == b'\n'
}

fn strip_crlf(s: &[u8]) -> &[u8] {
    s.strip_suffix(b"\r\n").unwrap_or(s)
}

fn trim_cr(s: &[u8]) -> &[u8] {
    // Lines end in one CR: told without a loop.
    let mut s = match s {
        [rest @ .., b'\r'] => rest,
        _ => return s,
    };
    while let [rest @ .., b'\r'] = s {
        s = rest;
    }
    s
}

/// How far [`find_lf`] looks a word at a time before the vector search.
const SHORT_LINE: usize = 96;

/// The first LF in `s`: most lines end in their first few words, which a
/// word-at-a-time scan reads for less than a call to the vector search costs.
#[inline(always)]
fn find_lf(s: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < SHORT_LINE {
        let Some(w) = s.get(i..).and_then(|r| r.first_chunk::<8>()) else {
            break;
        };
        let t = crate::dispatch::equal_bytes(u64::from_le_bytes(*w), b'\n');
        if t != 0 {
            return Some(i + (t.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    memchr::memchr(b'\n', s.get(i..)?).map(|k| i + k)
}

/// Whether `buf` starts with `echo`: `Some(true)` yes, `Some(false)` not yet known, `None` no.
fn echo_match(buf: &[u8], echo: &[u8]) -> Option<bool> {
    if echo.is_empty() {
        return None;
    }
    let n = buf.len().min(echo.len());
    if buf.get(..n)? != echo.get(..n)? {
        return None;
    }
    Some(n == echo.len())
}

impl Digester {
    pub fn new() -> Self {
        Digester {
            hex: false,
            expect_prompt: false,
            skip_prompt_space: false,
            max_line: DEFAULT_MAX_LINE,
            max_payload: DEFAULT_MAX_PAYLOAD,
            scanned: 0,
            probe: Probe::Unknown,
            probed_len: 0,
            cutting: false,
            cut: false,
        }
    }

    /// Whether the last [`Frame::Line`] was a piece of a line longer than the
    /// limit (its last piece included): garbage, not an answer.
    pub fn was_cut(&self) -> bool {
        self.cut
    }

    /// Limits for lines and announced payloads.
    pub fn with_limits(mut self, max_line: usize, max_payload: usize) -> Self {
        self.max_line = max_line.max(1);
        self.max_payload = max_payload;
        self
    }

    /// Whether payloads are hex text (BC26 `dataformat`); passed to [`Family::probe_payload`].
    pub fn set_hex(&mut self, hex: bool) {
        self.hex = hex;
    }

    pub fn hex(&self) -> bool {
        self.hex
    }

    /// Expect one `>` prompt at the next line start. Cleared when it is seen.
    pub fn expect_prompt(&mut self, expect: bool) {
        self.expect_prompt = expect;
        // A partial line already being scanned may be the prompt: look at it again.
        self.reset_line();
    }

    pub fn expecting_prompt(&self) -> bool {
        self.expect_prompt
    }

    /// Whether a payload is announced and not complete yet.
    pub fn in_payload(&self) -> bool {
        matches!(self.probe, Probe::Payload { .. })
    }

    /// The announced length of a payload under way and how much of it is in
    /// `buffered` (the unframed bytes, from the header's line start).
    pub fn payload_progress(&self, buffered: usize) -> Option<(usize, usize)> {
        match self.probe {
            Probe::Payload { start, len, .. } => {
                Some((len, buffered.saturating_sub(start).min(len)))
            }
            _ => None,
        }
    }

    /// Forgets the current partial line (after the caller dropped the buffer).
    pub fn reset(&mut self) {
        self.reset_line();
        self.skip_prompt_space = false;
        self.cutting = false;
    }

    fn reset_line(&mut self) {
        self.scanned = 0;
        self.probe = Probe::Unknown;
        self.probed_len = 0;
    }

    /// Finds the next frame at the start of `buf`. `echo` is what was just sent
    /// (empty for none): at a line start, those exact bytes are dropped as [`Frame::Echo`].
    pub fn digest<'b, F: Family>(&mut self, buf: &'b [u8], echo: &[u8]) -> (Frame<'b>, usize) {
        self.cut = false;
        let known = match self.plain_line::<F>(buf, echo) {
            Ok((line, _, used)) => return (Frame::Line(line), used),
            Err(probe) => probe,
        };
        self.digest_known::<F>(buf, echo, known)
    }

    /// [`Self::digest`] past the plain case, with the line's probe when it was made.
    fn digest_known<'b, F: Family>(
        &mut self,
        buf: &'b [u8],
        echo: &[u8],
        known: Option<PayloadProbe>,
    ) -> (Frame<'b>, usize) {
        let mut pos = 0;
        if self.skip_prompt_space {
            match buf.first() {
                None => return (Frame::None, 0),
                Some(b' ') => pos = 1,
                Some(_) => {}
            }
            self.skip_prompt_space = false;
        }
        let fresh = self.probe == Probe::Unknown && self.scanned == 0;
        if fresh {
            // The echo is looked for after the line ends, whatever split them off:
            // its own leading CR/LF bytes are line ends too.
            let mut echo = echo;
            while let [b, rest @ ..] = echo {
                if !is_eol(*b) {
                    break;
                }
                echo = rest;
            }
            while buf.get(pos).is_some_and(|&b| is_eol(b)) {
                pos += 1;
            }
            let rest = buf.get(pos..).unwrap_or(&[]);
            if rest.is_empty() {
                return (Frame::None, pos);
            }
            if !echo.is_empty() {
                if let Some(done) = echo_match(rest, echo) {
                    return self.echo_result(done, pos, echo.len());
                }
            }
            if self.expect_prompt && rest.first() == Some(&b'>') {
                self.expect_prompt = false;
                self.reset_line();
                return match rest.get(1) {
                    Some(b' ') => (Frame::Prompt, pos + 2),
                    Some(_) => (Frame::Prompt, pos + 1),
                    None => {
                        self.skip_prompt_space = true;
                        (Frame::Prompt, pos + 1)
                    }
                };
            }
        }
        let line = buf.get(pos..).unwrap_or(&[]);
        let (frame, used) = self.digest_line::<F>(line, known);
        if matches!(frame, Frame::None) {
            (Frame::None, pos)
        } else {
            self.reset_line();
            (frame, pos + used)
        }
    }

    /// [`Self::digest`]'s common frame, for a caller that wants where it
    /// starts: at a line start with nothing expected, a complete line that is
    /// no payload header, as `(line, start, used)`: the line without its line
    /// end, the line ends skipped before it, and the bytes used. Otherwise
    /// what [`Self::digest_rest`] needs to find the frame without looking at
    /// the line again.
    #[inline(always)]
    pub fn plain<'b, F: Family>(
        &mut self,
        buf: &'b [u8],
    ) -> Result<(&'b [u8], usize, usize), Rest> {
        let line = self.plain_line::<F>(buf, b"").map_err(Rest)?;
        self.cut = false;
        Ok(line)
    }

    /// Whether `buf` starts with `\r\nOK\r\n`, which [`Self::plain`] would hand
    /// out as the line `OK` (at 2, 6 bytes used): the commonest frame of
    /// module output, told by one compare. When it does, the frame is taken.
    #[inline(always)]
    pub fn plain_ok<F: Family>(&mut self, buf: &[u8]) -> bool {
        let ok = buf.starts_with(b"\r\nOK\r\n")
            && self.at_plain_start()
            // The line's LF is its 4th byte.
            && self.max_line >= 3
            && !F::PAYLOAD_STARTS.may_start(buf.get(2..).unwrap_or(&[]));
        if ok {
            self.cut = false;
        }
        ok
    }

    /// At a line start with nothing expected (no prompt, no line under way).
    #[inline(always)]
    fn at_plain_start(&self) -> bool {
        !self.expect_prompt
            && !self.skip_prompt_space
            && !self.cutting
            && self.probe == Probe::Unknown
            && self.scanned == 0
    }

    /// [`Self::digest`] of `buf` (with no echo) after [`Self::plain`] found
    /// no plain line there.
    pub fn digest_rest<'b, F: Family>(&mut self, buf: &'b [u8], rest: Rest) -> (Frame<'b>, usize) {
        self.cut = false;
        self.digest_known::<F>(buf, b"", rest.0)
    }

    /// The common case, in one pass: at a line start with nothing expected (no
    /// echo to drop, no prompt, no line under way), a complete line that is no
    /// payload header. Otherwise `Err` for the general path, which would find
    /// the same frame, with the probe of the line when it was made (the
    /// general path's line starts at the same byte).
    #[inline(always)]
    fn plain_line<'b, F: Family>(
        &self,
        buf: &'b [u8],
        echo: &[u8],
    ) -> Result<(&'b [u8], usize, usize), Option<PayloadProbe>> {
        if !(echo.is_empty() && self.at_plain_start()) {
            return Err(None);
        }
        // Most lines come after one CR LF (`\r\nOK\r\n`): told by one compare.
        let mut pos = match buf {
            [b'\r', b'\n', b, ..] if !is_eol(*b) => 2,
            _ => 0,
        };
        while buf.get(pos).is_some_and(|&b| is_eol(b)) {
            pos += 1;
        }
        let line = buf.get(pos..).unwrap_or(&[]);
        if line.is_empty() {
            return Err(None);
        }
        let probe = self.probe_line::<F>(line);
        if probe != PayloadProbe::No {
            return Err(Some(probe));
        }
        let lf = find_lf(line);
        let content = lf.and_then(|lf| Some((lf, trim_cr(line.get(..lf)?))));
        match content {
            Some((lf, content)) if lf <= self.max_line && !content.is_empty() => {
                Ok((content, pos, pos + lf + 1))
            }
            _ => Err(Some(probe)),
        }
    }

    /// Whether `line` (from a line start) starts a payload: only lines that
    /// start like a payload header ([`Family::PAYLOAD_STARTS`]) are probed.
    #[inline(always)]
    fn probe_line<F: Family>(&self, line: &[u8]) -> PayloadProbe {
        if line.is_empty() || F::PAYLOAD_STARTS.may_start(line) {
            F::probe_payload(line, self.hex)
        } else {
            PayloadProbe::No
        }
    }

    fn echo_result(&mut self, done: bool, pos: usize, len: usize) -> (Frame<'static>, usize) {
        if done {
            self.reset_line();
            (Frame::Echo, pos + len)
        } else {
            (Frame::None, pos)
        }
    }

    /// The first LF at or after `scanned`, remembering how far it looked.
    fn find_lf(&mut self, line: &[u8]) -> Option<usize> {
        let from = self.scanned.min(line.len());
        let found = memchr::memchr(b'\n', line.get(from..)?).map(|i| from + i);
        if found.is_none() {
            self.scanned = line.len();
        }
        found
    }

    /// The frame of the line at the start of `line`; `known`: its probe, when
    /// [`Self::plain_line`] made it.
    fn digest_line<'b, F: Family>(
        &mut self,
        line: &'b [u8],
        known: Option<PayloadProbe>,
    ) -> (Frame<'b>, usize) {
        if matches!(self.probe, Probe::Unknown | Probe::Incomplete) && line.len() > self.probed_len
        {
            self.probed_len = line.len();
            self.probe = match known.unwrap_or_else(|| self.probe_line::<F>(line)) {
                PayloadProbe::No => Probe::No,
                PayloadProbe::Incomplete => Probe::Incomplete,
                PayloadProbe::Payload {
                    start,
                    len,
                    trailer,
                } => {
                    let believable = start <= line.len()
                        && start <= self.max_line
                        && len <= self.max_payload
                        && start
                            .checked_add(len)
                            .and_then(|n| n.checked_add(trailer.len()))
                            .is_some();
                    if believable {
                        Probe::Payload {
                            start,
                            len,
                            trailer,
                        }
                    } else {
                        Probe::No
                    }
                }
            };
        }
        match self.probe {
            Probe::Payload {
                start,
                len,
                trailer,
            } => Self::payload(line, start, len, trailer),
            Probe::Incomplete => {
                // A probe that still cannot tell once the line has ended is read as "no":
                // headers end before their line does, so this only stops a wedge.
                let saved = self.scanned;
                if self.find_lf(line).is_some() || line.len() >= self.max_line {
                    self.probe = Probe::No;
                    self.scanned = saved;
                    self.take_line(line)
                } else {
                    (Frame::None, 0)
                }
            }
            Probe::No | Probe::Unknown => self.take_line(line),
        }
    }

    fn take_line<'b>(&mut self, line: &'b [u8]) -> (Frame<'b>, usize) {
        match self.find_lf(line) {
            Some(lf) if lf <= self.max_line => {
                let content = trim_cr(line.get(..lf).unwrap_or(&[]));
                self.cut = core::mem::take(&mut self.cutting);
                if content.is_empty() {
                    // Only CRs before the LF: a blank line end.
                    return (Frame::None, lf + 1);
                }
                (Frame::Line(content), lf + 1)
            }
            _ if line.len() >= self.max_line => {
                // CRs at the cut are the line end split off, as when the LF came with them.
                let cut = line.get(..self.max_line).unwrap_or(line);
                match trim_cr(cut) {
                    [] => (Frame::None, cut.len()),
                    content => {
                        self.cutting = content.len() == cut.len();
                        self.cut = true;
                        (Frame::Line(content), cut.len())
                    }
                }
            }
            _ => (Frame::None, 0),
        }
    }

    fn payload<'b>(
        line: &'b [u8],
        start: usize,
        len: usize,
        trailer: &'static [u8],
    ) -> (Frame<'b>, usize) {
        let data_end = start.saturating_add(len);
        let (Some(header), Some(data)) = (line.get(..start), line.get(start..data_end)) else {
            return (Frame::None, 0);
        };
        let after = line.get(data_end..).unwrap_or(&[]);
        let n = after.len().min(trailer.len());
        let matched = if after.get(..n) == trailer.get(..n) {
            if n < trailer.len() {
                return (Frame::None, 0);
            }
            trailer.len()
        } else {
            // The trailer is missing: the payload ends where announced and the rest is read as lines.
            0
        };
        let end = data_end + matched;
        let mut frame = line.get(..end).unwrap_or(&[]);
        if matched > 0 && trailer.ends_with(b"\r\n") {
            frame = strip_crlf(frame);
        }
        (
            Frame::Payload {
                frame,
                header: strip_crlf(header),
                data,
            },
            end,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::error::ParseError;
    use crate::family::PayloadStarts;

    #[test]
    fn the_line_end_is_found_at_every_length_and_position() {
        for len in 0..150 {
            for at in (0..len).chain([usize::MAX]) {
                let mut s = vec![b'x'; len];
                if let Some(b) = s.get_mut(at) {
                    *b = b'\n';
                }
                // A second LF after the first is not the one found.
                if at.saturating_add(1) < len {
                    s[len - 1] = b'\n';
                }
                let want = s.iter().position(|&b| b == b'\n');
                assert_eq!(find_lf(&s), want, "length {len}, LF at {at}");
            }
        }
    }

    /// `+QSSLRECV: <n>\r\n<data>` only.
    struct T;
    impl Family for T {
        const ID: &'static str = "t";
        type Urc<'a> = &'a [u8];
        const URC_PREFIXES: &'static [&'static str] = &[];
        fn probe_payload(buf: &[u8], _hex: bool) -> PayloadProbe {
            let p = b"+QSSLRECV: ";
            let n = buf.len().min(p.len());
            if buf.get(..n) != p.get(..n) {
                return PayloadProbe::No;
            }
            let rest = buf.get(p.len()..).unwrap_or(&[]);
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            match rest.get(digits..digits + 2) {
                Some(b"\r\n") => {}
                Some(_) => return PayloadProbe::No,
                None => return PayloadProbe::Incomplete,
            }
            let len: usize = core::str::from_utf8(rest.get(..digits).unwrap_or(&[]))
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            PayloadProbe::Payload {
                start: p.len() + digits + 2,
                len,
                trailer: b"",
            }
        }
        fn parse_urc(_f: &[u8], _hex: bool) -> Option<Result<&[u8], ParseError>> {
            None
        }
    }

    /// `+QSSLRECV: ` lines, with their starts known.
    struct S;
    impl Family for S {
        const ID: &'static str = "s";
        type Urc<'a> = &'a [u8];
        const URC_PREFIXES: &'static [&'static str] = &[];
        const PAYLOAD_STARTS: PayloadStarts = PayloadStarts::of(&[&RECV]);
        fn probe_payload(buf: &[u8], hex: bool) -> PayloadProbe {
            T::probe_payload(buf, hex)
        }
        fn parse_urc(_f: &[u8], _hex: bool) -> Option<Result<&[u8], ParseError>> {
            None
        }
    }
    static RECV: crate::desc::Line = crate::desc::Line::new(
        "s",
        "+QSSLRECV",
        "+QSSLRECV: <n>",
        crate::desc::Template::new(
            "+QSSLRECV: <n>",
            &[crate::desc::Tok::Lit("+QSSLRECV: ")],
            &[],
        ),
    );

    #[test]
    fn the_starts_of_payload_headers_send_only_those_lines_to_the_probe() {
        let starts = S::PAYLOAD_STARTS;
        assert!(starts.may_start(b"+QSSLRECV: 5\r\nhello"));
        assert!(!starts.may_start(b"+QSSLCFG: \"seclevel\",1,2\r\n"));
        assert!(!starts.may_start(b"OK\r\n\r\nOK\r\n"));
        assert!(starts.may_start(b"+QSSL"), "too short to tell");
        assert!(starts.may_start(b"+QSSLRECV"), "too short to tell");
        assert!(
            !starts.may_start(b"+QSSLRECX: 5\r\n"),
            "the literal's 9th byte differs"
        );
        assert!(
            !starts.may_start(b"+QSSLRECV:_5\r\n"),
            "its 11th byte differs"
        );
        // The frames are those of the family that probes every line.
        let input = b"\r\n+QSSLCFG: 1\r\n+QSSLRECV: 5\r\nOK\r\n\r\nOK\r\n";
        let frames = |probe_all: bool| {
            let mut d = Digester::new();
            let mut pos = 0;
            let mut out = Vec::new();
            while pos < input.len() {
                let (f, n) = if probe_all {
                    d.digest::<T>(&input[pos..], b"")
                } else {
                    d.digest::<S>(&input[pos..], b"")
                };
                if n == 0 {
                    break;
                }
                out.push(format!("{f:?}"));
                pos += n;
            }
            out
        };
        assert_eq!(frames(false), frames(true));
        assert!(frames(false).iter().any(|f| f.starts_with("Payload")));
    }

    fn one(d: &mut Digester, buf: &[u8]) -> (Frame<'static>, usize) {
        let (f, n) = d.digest::<T>(buf, b"");
        let f = match f {
            Frame::Line(l) => Frame::Line(l.to_vec().leak()),
            Frame::Payload {
                frame,
                header,
                data,
            } => Frame::Payload {
                frame: frame.to_vec().leak(),
                header: header.to_vec().leak(),
                data: data.to_vec().leak(),
            },
            Frame::None => Frame::None,
            Frame::Prompt => Frame::Prompt,
            Frame::Echo => Frame::Echo,
        };
        (f, n)
    }

    #[test]
    fn blank_line_ends_are_skipped_and_lines_lose_their_crlf() {
        let mut d = Digester::new();
        assert_eq!(one(&mut d, b"\r\nOK\r\n"), (Frame::Line(b"OK"), 6));
    }

    #[test]
    fn a_partial_line_waits_and_remembers_how_far_it_looked() {
        let mut d = Digester::new();
        assert_eq!(one(&mut d, b"+QSSLOPE"), (Frame::None, 0));
        assert_eq!(d.scanned, 8);
        assert_eq!(
            one(&mut d, b"+QSSLOPEN: 1,0\r\n"),
            (Frame::Line(b"+QSSLOPEN: 1,0"), 16)
        );
    }

    #[test]
    fn payload_containing_ok_is_taken_by_length() {
        let mut d = Digester::new();
        let buf = b"+QSSLRECV: 6\r\n\r\nOK\r\n\r\nOK\r\n";
        assert_eq!(
            one(&mut d, buf),
            (
                Frame::Payload {
                    frame: b"+QSSLRECV: 6\r\n\r\nOK\r\n",
                    header: b"+QSSLRECV: 6",
                    data: b"\r\nOK\r\n"
                },
                20
            )
        );
    }

    #[test]
    fn prompt_is_found_without_a_line_end_only_when_expected() {
        let mut d = Digester::new();
        assert_eq!(one(&mut d, b"\r\n> "), (Frame::None, 2));
        d.expect_prompt(true);
        assert_eq!(one(&mut d, b"> "), (Frame::Prompt, 2));
        assert!(!d.expecting_prompt());
    }

    #[test]
    fn prompt_space_arriving_later_is_still_skipped() {
        let mut d = Digester::new();
        d.expect_prompt(true);
        assert_eq!(one(&mut d, b">"), (Frame::Prompt, 1));
        assert_eq!(one(&mut d, b" "), (Frame::None, 1));
        assert_eq!(one(&mut d, b"SEND OK\r\n"), (Frame::Line(b"SEND OK"), 9));
    }

    #[test]
    fn echo_of_the_command_is_dropped() {
        let mut d = Digester::new();
        let (f, n) = d.digest::<T>(
            b"AT+QSSLRECV=1,10\r\r\n+QSSLRECV: 0\r\n",
            b"AT+QSSLRECV=1,10\r",
        );
        assert_eq!((f, n), (Frame::Echo, 17));
    }

    #[test]
    fn garbage_without_line_end_is_cut_at_the_limit() {
        let mut d = Digester::new().with_limits(4, 100);
        assert_eq!(
            one(&mut d, b"\x00\x01\x02\x03\x04"),
            (Frame::Line(b"\x00\x01\x02\x03"), 4)
        );
    }

    /// The lines framed from `input` fed in pieces of `split` bytes.
    fn lines_split(max_line: usize, input: &[u8], split: usize) -> Vec<Vec<u8>> {
        let mut d = Digester::new().with_limits(max_line, 100);
        let (mut buf, mut out, mut fed) = (Vec::new(), Vec::new(), 0);
        loop {
            let (f, n) = d.digest::<T>(&buf, b"");
            if let Frame::Line(l) = f {
                out.push(l.to_vec());
            }
            buf.drain(..n);
            if n == 0 {
                if fed >= input.len() {
                    return out;
                }
                let end = (fed + split).min(input.len());
                buf.extend_from_slice(&input[fed..end]);
                fed = end;
            }
        }
    }

    #[test]
    fn a_line_one_short_of_the_limit_split_before_its_lf_is_not_cut_with_its_cr() {
        let mut input = vec![b'x'; 4095];
        input.extend_from_slice(b"\r\nOK\r\n");
        let whole = lines_split(4096, &input, input.len());
        assert_eq!(whole, vec![vec![b'x'; 4095], b"OK".to_vec()]);
        assert_eq!(lines_split(4096, &input, 4096), whole);
        for split in [1, 7, 4095] {
            assert_eq!(lines_split(4096, &input, split), whole, "split {split}");
        }
    }

    #[test]
    fn every_piece_of_a_cut_line_is_marked_cut_and_the_next_line_is_not() {
        let mut d = Digester::new().with_limits(4, 100);
        let mut buf = b"abcdefghij\r\nOK\r\n".to_vec();
        let mut seen = Vec::new();
        loop {
            let (f, n) = d.digest::<T>(&buf, b"");
            if let Frame::Line(l) = f {
                seen.push((l.to_vec(), d.was_cut()));
            }
            if n == 0 {
                break;
            }
            buf.drain(..n);
        }
        let cut = |s: &[u8], c| (s.to_vec(), c);
        assert_eq!(
            seen,
            vec![
                cut(b"abcd", true),
                cut(b"efgh", true),
                cut(b"ij", true),
                cut(b"OK", false)
            ]
        );
    }

    #[test]
    fn an_echo_starting_with_lf_is_matched_the_same_however_the_line_ends_are_split() {
        let input = b"\r\nX\r\n";
        let frames = |split: usize| {
            let mut d = Digester::new();
            let mut buf = input[..split].to_vec();
            let mut rest = &input[split..];
            let mut out = Vec::new();
            loop {
                let (f, n) = d.digest::<T>(&buf, b"\nX");
                if f != Frame::None {
                    out.push(format!("{f:?}"));
                }
                buf.drain(..n);
                if n == 0 {
                    if rest.is_empty() {
                        return out;
                    }
                    buf.extend_from_slice(rest);
                    rest = &[];
                }
            }
        };
        assert_eq!(frames(1), frames(input.len()));
    }

    #[test]
    fn an_unbelievable_payload_length_is_read_as_a_line() {
        let mut d = Digester::new().with_limits(100, 10);
        assert_eq!(
            one(&mut d, b"+QSSLRECV: 99\r\nab"),
            (Frame::Line(b"+QSSLRECV: 99"), 15)
        );
    }
}

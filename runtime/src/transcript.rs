//! Transcripts: what passed between a host and a module, in both directions,
//! with timestamps, as `atgen record` writes them and `atgen replay` and
//! [`crate::link::Replay`] play them back.
//!
//! The format is line based, one chunk of bytes a line, readable and byte-exact:
//!
//! ```text
//! # atgen transcript 1
//! # device /dev/ttyUSB2
//! 0.000000 > AT+QSSLOPEN=1,1,4,"example.com",443,0\r
//! 0.004210 < \r\nOK\r\n
//! 0.151003 < \r\n+QSSLOPEN: 1,0\r\n
//! 0.200000 >* 16
//! ```
//!
//! - `#` starts a comment (the first line names the format and its version);
//!   blank lines are ignored.
//! - An entry is the time in seconds since the recording started (six
//!   decimals), a space, the direction, a space and the bytes.
//! - Directions: `>` the host wrote the bytes to the module, `<` the module
//!   sent them to the host, `>*` the host wrote that many secret bytes (a PSK
//!   key, a private key in a data phase), redacted: a replay accepts any bytes
//!   of that length there.
//! - Bytes are printable ASCII as they are, and `\r`, `\n`, `\\` and `\xNN`
//!   for everything else; a space ending the bytes is written `\x20`, so that
//!   an editor stripping trailing blanks changes nothing.

use std::fmt::Write as _;
use std::time::Duration;

/// The first line of every transcript.
pub const HEADER: &str = "# atgen transcript 1";

/// Who sent a chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    /// Host to module.
    Host,
    /// Module to host.
    Module,
}

/// One chunk of a transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Since the recording started.
    pub at: Duration,
    pub dir: Dir,
    /// The bytes (empty for a redacted chunk).
    pub bytes: Vec<u8>,
    /// Host bytes replaced by their count (secrets).
    pub redacted: Option<usize>,
    /// The line of the transcript it was read from (1-based; 0 when built in memory).
    pub line: usize,
}

impl Entry {
    pub fn new(at: Duration, dir: Dir, bytes: &[u8]) -> Self {
        Entry {
            at,
            dir,
            bytes: bytes.to_vec(),
            redacted: None,
            line: 0,
        }
    }

    /// Host bytes recorded by their count only.
    pub fn redacted(at: Duration, len: usize) -> Self {
        Entry {
            at,
            dir: Dir::Host,
            bytes: Vec::new(),
            redacted: Some(len),
            line: 0,
        }
    }

    /// How many bytes the chunk stands for.
    pub fn len(&self) -> usize {
        self.redacted.unwrap_or(self.bytes.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entry as one transcript line, with its line end.
    pub fn to_line(&self) -> String {
        let t = format!("{}.{:06}", self.at.as_secs(), self.at.subsec_micros());
        match (self.dir, self.redacted) {
            (_, Some(n)) => format!("{t} >* {n}\n"),
            (Dir::Host, None) => format!("{t} > {}\n", encode(&self.bytes)),
            (Dir::Module, None) => format!("{t} < {}\n", encode(&self.bytes)),
        }
    }
}

/// Bytes as a transcript writes them (see the module documentation).
pub fn encode(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    let last = bytes.len().saturating_sub(1);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\r' => s.push_str("\\r"),
            b'\n' => s.push_str("\\n"),
            b'\\' => s.push_str("\\\\"),
            b' ' if i == last => s.push_str("\\x20"),
            0x20..=0x7E => s.push(char::from(b)),
            _ => {
                let _ = write!(s, "\\x{b:02X}");
            }
        }
    }
    s
}

/// The bytes of an encoded chunk, or what is wrong with it.
pub fn decode(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len());
    let mut it = text.bytes();
    while let Some(b) = it.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match it.next() {
            Some(b'r') => out.push(b'\r'),
            Some(b'n') => out.push(b'\n'),
            Some(b'\\') => out.push(b'\\'),
            Some(b'x') => {
                let hi = it.next().and_then(|c| char::from(c).to_digit(16));
                let lo = it.next().and_then(|c| char::from(c).to_digit(16));
                match (hi, lo) {
                    (Some(h), Some(l)) => out.push(u8::try_from(h * 16 + l).unwrap_or(0)),
                    _ => return Err("`\\x` is not followed by two hex digits".into()),
                }
            }
            Some(c) => {
                return Err(format!(
                    "unknown escape `\\{}`; expected \\r, \\n, \\\\ or \\xNN",
                    char::from(c)
                ))
            }
            None => return Err("a lone `\\` ends the bytes".into()),
        }
    }
    Ok(out)
}

/// A transcript that does not parse: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptError {
    pub line: usize,
    pub why: String,
}

impl std::fmt::Display for TranscriptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.why)
    }
}

impl std::error::Error for TranscriptError {}

/// Every entry of a transcript, in order.
pub fn parse(text: &str) -> Result<Vec<Entry>, TranscriptError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let err = |why: String| TranscriptError { line: n, why };
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (time, rest) = line
            .split_once(' ')
            .ok_or_else(|| err("expected `SECONDS DIR BYTES`".into()))?;
        let at = parse_time(time)
            .ok_or_else(|| err(format!("`{time}` is not a time in seconds (`12.000345`)")))?;
        let (dir, data) = rest.split_once(' ').unwrap_or((rest, ""));
        let mut entry = match dir {
            ">" => Entry::new(at, Dir::Host, &decode(data).map_err(err)?),
            "<" => Entry::new(at, Dir::Module, &decode(data).map_err(err)?),
            ">*" => Entry::redacted(
                at,
                data.trim()
                    .parse()
                    .map_err(|_| err(format!("`{data}` is not a count of redacted bytes")))?,
            ),
            other => {
                return Err(err(format!(
                "unknown direction `{other}`; expected `>` (host), `<` (module) or `>*` (redacted)"
            )))
            }
        };
        entry.line = n;
        out.push(entry);
    }
    Ok(out)
}

/// `12.000345`: seconds and up to six decimals, exactly (no floating point).
fn parse_time(t: &str) -> Option<Duration> {
    let (s, frac) = t.split_once('.').unwrap_or((t, ""));
    if s.is_empty() || frac.len() > 6 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secs: u64 = s.parse().ok()?;
    let micros: u64 = if frac.is_empty() {
        0
    } else {
        frac.parse::<u64>().ok()? * 10u64.pow(6 - u32::try_from(frac.len()).ok()?)
    };
    Duration::from_secs(secs).checked_add(Duration::from_micros(micros))
}

/// Every byte of one direction, in order (redacted chunks as that many `*`).
pub fn stream(entries: &[Entry], dir: Dir) -> Vec<u8> {
    let mut out = Vec::new();
    for e in entries.iter().filter(|e| e.dir == dir) {
        match e.redacted {
            Some(n) => out.extend(std::iter::repeat_n(b'*', n)),
            None => out.extend_from_slice(&e.bytes),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_value_survives_encoding() {
        let all: Vec<u8> = (0..=255u8).chain([b' ']).collect();
        assert_eq!(decode(&encode(&all)), Ok(all));
    }

    #[test]
    fn entries_round_trip_through_their_lines() {
        let entries = [
            Entry::new(Duration::from_micros(1), Dir::Host, b"AT\r"),
            Entry::new(Duration::from_millis(2), Dir::Module, b"\r\nOK\r\n "),
            Entry::redacted(Duration::from_secs(3), 16),
        ];
        let text: String = std::iter::once(format!("{HEADER}\n"))
            .chain(entries.iter().map(Entry::to_line))
            .collect();
        let back = parse(&text).unwrap_or_default();
        assert_eq!(back.len(), 3);
        for (a, b) in entries.iter().zip(&back) {
            assert_eq!(
                (a.at, a.dir, &a.bytes, a.redacted),
                (b.at, b.dir, &b.bytes, b.redacted)
            );
        }
        assert_eq!(back[2].line, 4);
    }

    #[test]
    fn a_time_beyond_the_seconds_a_duration_holds_is_an_error() {
        let e = parse("18446744073709551616.5 > AT\n").err();
        assert_eq!(e.map(|e| e.line), Some(1));
    }

    #[test]
    fn a_broken_line_is_reported_with_its_number() {
        let e = parse("# atgen transcript 1\n0.1 ? AT\n").err();
        assert_eq!(e.map(|e| e.line), Some(2));
    }
}

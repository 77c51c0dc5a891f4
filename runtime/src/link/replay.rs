//! A recorded transcript played back as the module: a [`Transport`] that
//! expects the recorded host bytes and answers with the recorded module bytes,
//! with the recorded timing or as fast as possible, and stops at the first
//! divergence with both sides' bytes.
//!
//! A module chunk is delivered once every host chunk recorded before it has
//! been written (so answers never come before their commands); the host may
//! write ahead of the module's chunks, as a real host may.

use std::io;
use std::time::Duration;

use super::clock::{Clock, SystemClock};
use super::traffic::escape;
use super::transport::Transport;
use crate::transcript::{Dir, Entry};

/// How fast module chunks come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// Each chunk as long after the one before it as in the recording.
    Recorded,
    /// Each chunk as soon as the host bytes before it were written.
    Fast,
}

/// The first place where the host did not write what was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Divergence {
    /// The transcript line of the host chunk expected.
    pub line: usize,
    /// The host wrote after every recorded host byte was matched.
    pub past_end: bool,
    /// Its recorded time.
    pub at: Duration,
    /// What the recording has from there (up to the host's length, at most 64 bytes).
    pub expected: Vec<u8>,
    /// What the host wrote from the first differing byte on (at most 64 bytes).
    pub got: Vec<u8>,
    /// Host bytes matched before it.
    pub offset: usize,
}

impl std::fmt::Display for Divergence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.past_end {
            write!(
                f,
                "the replay diverged after the end of the recording (host byte {}): the host wrote \"{}\" where the recording has nothing more",
                self.offset,
                escape(&self.got)
            )
        } else {
            write!(
                f,
                "the replay diverged at transcript line {} ({}.{:06} s, host byte {}): the host wrote \"{}\" where the recording has \"{}\"",
                self.line,
                self.at.as_secs(),
                self.at.subsec_micros(),
                self.offset,
                escape(&self.got),
                escape(&self.expected)
            )
        }
    }
}

/// Most bytes of either side a [`Divergence`] shows.
const SHOWN: usize = 64;

/// A transcript as a transport.
#[derive(Debug)]
pub struct Replay<C: Clock = SystemClock> {
    entries: Vec<Entry>,
    /// The next host entry to match, and how much of it is matched.
    host: (usize, usize),
    /// The next module entry to deliver, and how much of it is delivered.
    module: (usize, usize),
    pace: Pace,
    clock: C,
    /// The recorded and the real time of the last step done (a host chunk
    /// written, a module chunk delivered): the timing of the next chunk.
    anchor: (Duration, Duration),
    matched: usize,
    divergence: Option<Divergence>,
}

impl Replay<SystemClock> {
    pub fn new(entries: Vec<Entry>, pace: Pace) -> Self {
        Self::with_clock(entries, pace, SystemClock::default())
    }
}

impl<C: Clock> Replay<C> {
    pub fn with_clock(entries: Vec<Entry>, pace: Pace, clock: C) -> Self {
        let now = clock.now();
        let mut r = Replay {
            entries,
            host: (0, 0),
            module: (0, 0),
            pace,
            clock,
            anchor: (Duration::ZERO, now),
            matched: 0,
            divergence: None,
        };
        r.host.0 = r.next_of(Dir::Host, 0);
        r.module.0 = r.next_of(Dir::Module, 0);
        r
    }

    fn next_of(&self, dir: Dir, from: usize) -> usize {
        self.entries
            .iter()
            .enumerate()
            .skip(from)
            .find(|(_, e)| e.dir == dir && !e.is_empty())
            .map_or(self.entries.len(), |(i, _)| i)
    }

    /// Whether every recorded chunk was written and delivered.
    pub fn finished(&self) -> bool {
        self.divergence.is_none()
            && self.host.0 >= self.entries.len()
            && self.module.0 >= self.entries.len()
    }

    /// The first divergence, once the host wrote something else.
    pub fn divergence(&self) -> Option<&Divergence> {
        self.divergence.as_ref()
    }

    /// Host bytes matched so far.
    pub fn matched(&self) -> usize {
        self.matched
    }

    fn diverge(&mut self, got: &[u8]) -> io::Error {
        let d = match self.entries.get(self.host.0) {
            Some(e) => {
                let mut expected = e.bytes.get(self.host.1..).unwrap_or(&[]).to_vec();
                for later in self.entries.iter().skip(self.host.0 + 1) {
                    if expected.len() >= got.len().min(SHOWN) {
                        break;
                    }
                    if later.dir == Dir::Host {
                        expected.extend_from_slice(&later.bytes);
                    }
                }
                expected.truncate(got.len().clamp(1, SHOWN));
                Divergence {
                    line: e.line,
                    at: e.at,
                    expected,
                    got: got.iter().take(SHOWN).copied().collect(),
                    offset: self.matched,
                    past_end: false,
                }
            }
            None => Divergence {
                line: 0,
                at: Duration::ZERO,
                expected: Vec::new(),
                got: got.iter().take(SHOWN).copied().collect(),
                offset: self.matched,
                past_end: true,
            },
        };
        let msg = d.to_string();
        if self.divergence.is_none() {
            self.divergence = Some(d);
        }
        io::Error::new(io::ErrorKind::InvalidData, msg)
    }

    /// When the next module chunk may come, if it may come at all now.
    fn due(&self) -> Option<Duration> {
        let (i, at) = self.module;
        let e = self.entries.get(i)?;
        // Every host chunk recorded before it must have been written.
        if self.host.0 < i {
            return None;
        }
        Some(match (self.pace, at) {
            (Pace::Fast, _) | (_, 1..) => Duration::ZERO,
            (Pace::Recorded, 0) => self
                .anchor
                .1
                .saturating_add(e.at.saturating_sub(self.anchor.0)),
        })
    }
}

impl<C: Clock> Transport for Replay<C> {
    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        if let Some(d) = &self.divergence {
            return Err(io::Error::new(io::ErrorKind::InvalidData, d.to_string()));
        }
        let now = self.clock.now();
        let Some(due) = self.due() else {
            self.clock.sleep(timeout);
            return Ok(0);
        };
        if due > now {
            let wait = (due - now).min(timeout);
            self.clock.sleep(wait);
            if due > now.saturating_add(wait) {
                return Ok(0);
            }
        }
        let (i, at) = self.module;
        let Some(e) = self.entries.get(i) else {
            return Ok(0);
        };
        let rest = e.bytes.get(at..).unwrap_or(&[]);
        let n = rest.len().min(buf.len());
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), rest.get(..n)) {
            dst.copy_from_slice(src);
        }
        let recorded = e.at;
        if at + n >= e.bytes.len() {
            self.module = (self.next_of(Dir::Module, i + 1), 0);
            self.anchor = (recorded, self.clock.now());
        } else {
            self.module.1 = at + n;
        }
        Ok(n)
    }

    fn write_all(&mut self, mut bytes: &[u8]) -> io::Result<()> {
        if let Some(d) = &self.divergence {
            return Err(io::Error::new(io::ErrorKind::InvalidData, d.to_string()));
        }
        while !bytes.is_empty() {
            let (i, at) = self.host;
            let Some(e) = self.entries.get(i) else {
                return Err(self.diverge(bytes));
            };
            let left = e.len().saturating_sub(at);
            let n = left.min(bytes.len());
            if e.redacted.is_none() {
                let want = e.bytes.get(at..at + n).unwrap_or(&[]);
                let got = bytes.get(..n).unwrap_or(&[]);
                if want != got {
                    let same = want.iter().zip(got).take_while(|(a, b)| a == b).count();
                    self.host.1 += same;
                    self.matched += same;
                    return Err(self.diverge(bytes.get(same..).unwrap_or(&[])));
                }
            }
            self.matched += n;
            bytes = bytes.get(n..).unwrap_or(&[]);
            if at + n >= e.len() {
                let recorded = e.at;
                self.host = (self.next_of(Dir::Host, i + 1), 0);
                self.anchor = (recorded, self.clock.now());
            } else {
                self.host.1 = at + n;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::ManualClock;

    fn entries() -> Vec<Entry> {
        let ms = Duration::from_millis;
        vec![
            Entry::new(ms(0), Dir::Host, b"AT\r"),
            Entry::new(ms(100), Dir::Module, b"\r\nOK\r\n"),
            Entry::new(ms(150), Dir::Host, b"ATI\r"),
            Entry::new(ms(400), Dir::Module, b"\r\nEC25\r\n\r\nOK\r\n"),
        ]
    }

    #[test]
    fn answers_come_only_after_their_command_and_with_the_recorded_gaps() {
        let clock = ManualClock::new();
        let mut r = Replay::with_clock(entries(), Pace::Recorded, clock.clone());
        let mut buf = [0u8; 64];
        assert_eq!(r.read(&mut buf, Duration::from_secs(1)).ok(), Some(0));
        let t0 = clock.now();
        assert!(r.write_all(b"AT\r").is_ok());
        let n = r.read(&mut buf, Duration::from_secs(1)).unwrap_or(0);
        assert_eq!(&buf[..n], b"\r\nOK\r\n");
        assert_eq!(clock.now() - t0, Duration::from_millis(100));
        assert!(r.write_all(b"AT").is_ok() && r.write_all(b"I\r").is_ok());
        let n = r.read(&mut buf, Duration::from_secs(1)).unwrap_or(0);
        assert_eq!(&buf[..n], b"\r\nEC25\r\n\r\nOK\r\n");
        assert!(r.finished());
    }

    #[test]
    fn the_first_divergence_is_reported_with_both_sides() {
        let mut r = Replay::with_clock(entries(), Pace::Fast, ManualClock::new());
        assert!(r.write_all(b"AT\r").is_ok());
        let e = r.write_all(b"ATX\r").err().map(|e| e.to_string());
        let d = r
            .divergence()
            .cloned()
            .unwrap_or_else(|| panic!("a divergence"));
        assert!(!d.past_end);
        assert_eq!(
            (d.offset, d.got.as_slice(), d.expected.as_slice()),
            (5, &b"X\r"[..], &b"I\r"[..])
        );
        assert!(e.is_some_and(
            |m| m.contains("the host wrote \"X\\r\" where the recording has \"I\\r\"")
        ));
    }

    #[test]
    fn redacted_host_bytes_match_any_bytes_of_their_length() {
        let ms = Duration::from_millis;
        let mut r = Replay::with_clock(
            vec![
                Entry::new(ms(0), Dir::Host, b"K="),
                Entry::redacted(ms(1), 3),
                Entry::new(ms(2), Dir::Host, b"\r"),
            ],
            Pace::Fast,
            ManualClock::new(),
        );
        assert!(r.write_all(b"K=abc\r").is_ok());
        assert!(r.finished());
    }

    #[test]
    fn writing_past_the_end_of_the_recording_is_a_divergence() {
        let mut r = Replay::with_clock(entries(), Pace::Fast, ManualClock::new());
        let mut buf = [0u8; 64];
        assert!(r.write_all(b"AT\rATI\r").is_ok());
        while r.read(&mut buf, Duration::from_millis(1)).unwrap_or(0) > 0 {}
        assert!(r.finished());
        assert!(r.write_all(b"AT\r").is_err());
        assert!(r.divergence().is_some_and(|d| d.past_end && d.offset == 7));
    }
}

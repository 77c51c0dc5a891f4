//! A scripted fake module for tests of the blocking driver: an `embedded-io`
//! port that checks what the host writes against expected bytes and answers
//! with canned replies, on a [`ManualClock`] shared with the driver, so a
//! 150 s timeout passes in no time.
//!
//! The script is a list of steps. A write must match the earliest `expect`
//! not yet met (over one or more writes); the port is ready to read when the
//! first step not played is a `reply` (cut into reads of the chosen sizes);
//! a `silence` step holds everything after it back until the clock has moved
//! that far since the step was reached.

use std::collections::VecDeque;
use std::time::Duration;

use embedded_io::{ErrorKind, ErrorType, Read, ReadReady, Write};

use crate::link::script::{match_write, next_chunk, Step};
use crate::link::{Clock as _, ManualClock};

/// Why the script refused a write or a read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptError(pub String);

impl embedded_io::Error for ScriptError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidData
    }
}

/// An `embedded-io` port that plays a script.
#[derive(Debug)]
pub struct ScriptPort {
    steps: VecDeque<(Step, usize)>,
    /// When the silence at the front of the script began.
    silence_since: Option<Duration>,
    clock: ManualClock,
    chunks: Vec<usize>,
    chunk_at: usize,
    failure: Option<String>,
    written: Vec<u8>,
}

impl ScriptPort {
    /// A port on `clock` (give the driver a clone of it).
    pub fn new(clock: ManualClock) -> Self {
        ScriptPort {
            steps: VecDeque::new(),
            silence_since: None,
            clock,
            chunks: vec![usize::MAX],
            chunk_at: 0,
            failure: None,
            written: Vec::new(),
        }
    }

    /// The host must write exactly these bytes next.
    pub fn expect(mut self, bytes: impl AsRef<[u8]>) -> Self {
        self.steps
            .push_back((Step::Expect(bytes.as_ref().to_vec()), 0));
        self
    }

    /// The module sends these bytes once every earlier `expect` is met.
    pub fn reply(mut self, bytes: impl AsRef<[u8]>) -> Self {
        self.steps
            .push_back((Step::Reply(bytes.as_ref().to_vec()), 0));
        self
    }

    /// The module stays quiet this long (on the clock) before the next step.
    pub fn silence(mut self, d: Duration) -> Self {
        self.steps.push_back((Step::Wait(d), 0));
        self
    }

    /// Replies are delivered in reads of these sizes, cyclically (0 counts as 1).
    pub fn chunks(mut self, sizes: Vec<usize>) -> Self {
        if !sizes.is_empty() {
            self.chunks = sizes;
        }
        self
    }

    /// Whether every step was played and every write matched.
    pub fn finished(&self) -> bool {
        self.steps.is_empty() && self.failure.is_none()
    }

    /// How many steps are left, and the first write or read that went wrong.
    pub fn remaining(&self) -> (usize, Option<String>) {
        (self.steps.len(), self.failure.clone())
    }

    /// All bytes the host wrote, in order.
    pub fn written(&self) -> &[u8] {
        &self.written
    }

    /// Plays silences that are over; whether a reply is next.
    fn settle(&mut self) -> bool {
        let now = self.clock.now();
        loop {
            match self.steps.front() {
                Some((Step::Wait(d), _)) => {
                    let start = *self.silence_since.get_or_insert(now);
                    if now.saturating_sub(start) < *d {
                        return false;
                    }
                    self.silence_since = None;
                    self.steps.pop_front();
                }
                Some((Step::Reply(_), _)) => return true,
                _ => return false,
            }
        }
    }

    fn fail(&mut self, msg: String) -> ScriptError {
        if self.failure.is_none() {
            self.failure = Some(msg.clone());
        }
        ScriptError(msg)
    }
}

impl ErrorType for ScriptPort {
    type Error = ScriptError;
}

impl ReadReady for ScriptPort {
    fn read_ready(&mut self) -> Result<bool, ScriptError> {
        Ok(self.settle())
    }
}

impl Read for ScriptPort {
    /// Delivers the reply under way; with none ready, fails rather than block
    /// forever (the driver only reads when the port is ready).
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ScriptError> {
        if buf.is_empty() {
            return Ok(0);
        }
        if !self.settle() {
            return Err(self.fail("script: read while nothing is ready".to_string()));
        }
        let chunk = next_chunk(&self.chunks, &mut self.chunk_at);
        let Some((Step::Reply(bytes), at)) = self.steps.front_mut() else {
            return Ok(0);
        };
        let rest = bytes.get(*at..).unwrap_or(&[]);
        let n = rest.len().min(buf.len()).min(chunk);
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), rest.get(..n)) {
            dst.copy_from_slice(src);
        }
        *at += n;
        if *at >= bytes.len() {
            self.steps.pop_front();
        }
        Ok(n)
    }
}

impl Write for ScriptPort {
    fn write(&mut self, buf: &[u8]) -> Result<usize, ScriptError> {
        self.written.extend_from_slice(buf);
        if let Err(msg) = match_write(&mut self.steps, buf) {
            return Err(self.fail(msg));
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> Result<(), ScriptError> {
        Ok(())
    }
}

//! A scripted fake module for tests: expected writes and canned replies, with
//! replies cut into chunks of chosen sizes and idle reads advancing a [`ManualClock`].

use std::collections::VecDeque;
use std::io;
use std::time::Duration;

use super::clock::{Clock, ManualClock};
use super::traffic::escape;
use super::transport::Transport;

/// One step of a dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The host must write exactly these bytes (over one or more writes).
    Expect(Vec<u8>),
    /// The module sends these bytes once every earlier `Expect` is met.
    Reply(Vec<u8>),
    /// The module stays silent this long (on the clock) before the next step.
    Wait(Duration),
}

/// What happened on the fake wire, with the clock's time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    Wrote(Duration, Vec<u8>),
    Delivered(Duration, Vec<u8>),
}

/// A [`Transport`] that plays a script.
///
/// Writes are matched against the earliest `Expect` not yet met; reads deliver
/// the first unfinished `Reply` or `Wait`, but never past an unmet `Expect`.
#[derive(Debug)]
pub struct ScriptTransport {
    steps: VecDeque<(Step, usize)>,
    clock: ManualClock,
    chunks: Vec<usize>,
    chunk_at: usize,
    log: Vec<Seen>,
    failure: Option<String>,
}

impl ScriptTransport {
    pub fn new(clock: ManualClock) -> Self {
        ScriptTransport {
            steps: VecDeque::new(),
            clock,
            chunks: vec![usize::MAX],
            chunk_at: 0,
            log: Vec::new(),
            failure: None,
        }
    }

    pub fn expect(mut self, bytes: impl AsRef<[u8]>) -> Self {
        self.steps
            .push_back((Step::Expect(bytes.as_ref().to_vec()), 0));
        self
    }

    pub fn reply(mut self, bytes: impl AsRef<[u8]>) -> Self {
        self.steps
            .push_back((Step::Reply(bytes.as_ref().to_vec()), 0));
        self
    }

    pub fn wait(mut self, d: Duration) -> Self {
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

    /// Whether every step was played and no write went wrong.
    pub fn finished(&self) -> bool {
        self.steps.is_empty() && self.failure.is_none()
    }

    /// The steps not played yet, and the first write mismatch.
    pub fn remaining(&self) -> (Vec<Step>, Option<String>) {
        (
            self.steps.iter().map(|(s, _)| s.clone()).collect(),
            self.failure.clone(),
        )
    }

    pub fn log(&self) -> &[Seen] {
        &self.log
    }

    /// All bytes the host wrote, in order.
    pub fn written(&self) -> Vec<u8> {
        self.log
            .iter()
            .filter_map(|s| match s {
                Seen::Wrote(_, b) => Some(b.as_slice()),
                Seen::Delivered(..) => None,
            })
            .flatten()
            .copied()
            .collect()
    }

    fn next_chunk(&mut self) -> usize {
        next_chunk(&self.chunks, &mut self.chunk_at)
    }

    fn fail(&mut self, msg: String) -> io::Error {
        if self.failure.is_none() {
            self.failure = Some(msg.clone());
        }
        io::Error::new(io::ErrorKind::InvalidData, msg)
    }
}

impl Transport for ScriptTransport {
    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        loop {
            let chunk = self.next_chunk();
            let now = self.clock.now();
            match self.steps.front_mut() {
                Some((Step::Reply(bytes), at)) => {
                    let rest = bytes.get(*at..).unwrap_or(&[]);
                    let n = rest.len().min(buf.len()).min(chunk);
                    let out = rest.get(..n).unwrap_or(&[]).to_vec();
                    *at += n;
                    let done = *at >= bytes.len();
                    if done {
                        self.steps.pop_front();
                    }
                    if n == 0 {
                        continue;
                    }
                    if let Some(dst) = buf.get_mut(..n) {
                        dst.copy_from_slice(&out);
                    }
                    self.log.push(Seen::Delivered(now, out));
                    return Ok(n);
                }
                Some((Step::Wait(d), _)) => {
                    let step = (*d).min(timeout);
                    *d -= step;
                    if d.is_zero() {
                        self.steps.pop_front();
                    }
                    self.clock.advance(step);
                    return Ok(0);
                }
                Some((Step::Expect(_), _)) | None => {
                    self.clock.advance(timeout);
                    return Ok(0);
                }
            }
        }
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.log.push(Seen::Wrote(self.clock.now(), bytes.to_vec()));
        match match_write(&mut self.steps, bytes) {
            Ok(()) => {}
            Err(msg) => return Err(self.fail(msg)),
        }
        Ok(())
    }
}

/// The size of the next read of a reply: `sizes` cyclically (0 counts as 1).
pub(crate) fn next_chunk(sizes: &[usize], at: &mut usize) -> usize {
    let n = sizes.get(*at % sizes.len().max(1)).copied().unwrap_or(1);
    *at = at.wrapping_add(1);
    n.max(1)
}

/// Matches a write against the earliest `Expect` not yet met (over one or
/// more writes); the message says what went wrong.
pub(crate) fn match_write(
    steps: &mut VecDeque<(Step, usize)>,
    mut bytes: &[u8],
) -> Result<(), String> {
    while !bytes.is_empty() {
        let step = steps
            .iter_mut()
            .enumerate()
            .find(|(_, (s, _))| matches!(s, Step::Expect(_)));
        let Some((index, (Step::Expect(expected), at))) = step else {
            return Err(format!(
                "script: unexpected write {:?}; nothing more is expected",
                escape(bytes)
            ));
        };
        let want = expected.get(*at..).unwrap_or(&[]);
        let n = want.len().min(bytes.len());
        if want.get(..n) != bytes.get(..n) {
            return Err(format!(
                "script: the host wrote {:?} where {:?} was expected",
                escape(bytes),
                escape(want)
            ));
        }
        *at += n;
        let done = *at >= expected.len();
        bytes = bytes.get(n..).unwrap_or(&[]);
        if done {
            steps.remove(index);
        }
    }
    Ok(())
}

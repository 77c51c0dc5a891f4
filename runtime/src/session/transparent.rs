//! Transparent access mode: after `CONNECT` the serial link is a raw byte pipe
//! until `+++` (with a guard time of silence before and after) or `NO CARRIER`.
//! Received bytes stay in the session's receive buffer; reads take data from
//! it, holding back a tail that may be the start of `NO CARRIER`.

use core::time::Duration;

use super::exchange::Failure;
use super::Session;
use crate::family::Family;
use crate::trace;

const NO_CARRIER: &[u8] = b"\r\nNO CARRIER\r\n";

#[derive(Debug, Default)]
pub(crate) struct State {
    /// `NO CARRIER` was seen: data before it is still to be read.
    closed_at: Option<usize>,
}

/// The longest suffix of `buf` that is a proper prefix of `pattern`.
fn partial_suffix(buf: &[u8], pattern: &[u8]) -> usize {
    (1..pattern.len().min(buf.len() + 1))
        .rev()
        .find(|&k| buf.get(buf.len() - k..) == pattern.get(..k))
        .unwrap_or(0)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// What a transparent read found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransparentRead {
    /// This many bytes were copied.
    Data(usize),
    /// Nothing yet (feed more bytes, or pass `settled` once the wait is over).
    Empty,
    /// The remote end closed (`NO CARRIER`): the link is in command mode again.
    Closed,
}

/// Leaving transparent mode with `+++`.
#[derive(Debug)]
pub struct Escape {
    phase: EscapePhase,
    deadline: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EscapePhase {
    GuardBefore(Duration),
    Plus,
    GuardAfter(Duration),
    AwaitOk,
}

/// What the driver does next while leaving transparent mode.
#[derive(Debug, PartialEq, Eq)]
pub enum EscapeStep<'a> {
    Write(&'a [u8]),
    Sleep(Duration),
    Wait(Duration),
    /// Command mode again; the data that arrived before `OK` is [`Session::response`].
    Done(Result<(), Failure>),
}

impl<F: Family, const RX: usize, const BLK: usize, const TX: usize> Session<F, RX, BLK, TX> {
    pub(crate) fn enter_transparent(&mut self) {
        // Bytes after CONNECT are already data.
        self.digester.reset();
        trace::mode::<F>("transparent mode");
        let mut state = State::default();
        self.scan_no_carrier(&mut state);
        self.transparent = Some(state);
    }

    fn scan_no_carrier(&self, state: &mut State) {
        if state.closed_at.is_none() {
            state.closed_at = find(self.unframed(), NO_CARRIER);
        }
    }

    /// Copies received data into `buf`. `settled`: the wait is over, so a tail
    /// that looked like the start of `NO CARRIER` but went no further is data.
    pub fn transparent_read(
        &mut self,
        buf: &mut [u8],
        settled: bool,
    ) -> Result<TransparentRead, Failure> {
        self.settle();
        let Some(mut state) = self.transparent.take() else {
            return Err(Failure::Mode {
                expected: "transparent mode; run a request that answers CONNECT first",
            });
        };
        self.scan_no_carrier(&mut state);
        let rest = self.unframed();
        let ready = match state.closed_at {
            Some(at) => at,
            None if settled => rest.len(),
            None => rest.len() - partial_suffix(rest, NO_CARRIER),
        };
        if ready > 0 && !buf.is_empty() {
            let n = ready.min(buf.len());
            if let (Some(dst), Some(src)) = (buf.get_mut(..n), rest.get(..n)) {
                dst.copy_from_slice(src);
            }
            self.consume(n);
            if let Some(at) = state.closed_at.as_mut() {
                *at -= n;
            }
            self.transparent = Some(state);
            return Ok(TransparentRead::Data(n));
        }
        if state.closed_at == Some(0) {
            self.consume(NO_CARRIER.len());
            trace::received::<F>(b"NO CARRIER", &self.secrets);
            return Ok(TransparentRead::Closed);
        }
        self.transparent = Some(state);
        Ok(TransparentRead::Empty)
    }

    /// Starts leaving transparent mode: silence, `+++`, silence, `OK`.
    pub fn escape(&mut self, now: Duration) -> Result<Escape, Failure> {
        if self.transparent.is_none() {
            return Err(Failure::Mode {
                expected: "transparent mode",
            });
        }
        Ok(Escape {
            phase: EscapePhase::GuardBefore(now.saturating_add(self.config.guard_time)),
            deadline: Duration::ZERO,
        })
    }

    pub fn poll_escape(&mut self, esc: &mut Escape, now: Duration) -> EscapeStep<'static> {
        self.settle();
        loop {
            match esc.phase {
                EscapePhase::GuardBefore(until) if now < until => return EscapeStep::Sleep(until),
                EscapePhase::GuardBefore(_) => {
                    esc.phase = EscapePhase::Plus;
                    trace::sent::<F>(b"+++", &self.secrets, &[]);
                    return EscapeStep::Write(b"+++");
                }
                EscapePhase::Plus => {
                    esc.phase = EscapePhase::GuardAfter(now.saturating_add(self.config.guard_time));
                }
                EscapePhase::GuardAfter(until) if now < until => return EscapeStep::Sleep(until),
                EscapePhase::GuardAfter(_) => {
                    esc.phase = EscapePhase::AwaitOk;
                    esc.deadline = now.saturating_add(self.config.escape_timeout);
                }
                EscapePhase::AwaitOk => {
                    let rest = self.unframed();
                    let found = [&b"OK\r\n"[..], &b"NO CARRIER\r\n"[..]]
                        .iter()
                        .find_map(|end| {
                            let mut from = 0;
                            while let Some(i) = rest
                                .get(from..)
                                .and_then(|r| find(r, end))
                                .map(|i| from + i)
                            {
                                // Only at a line start: `OK\r\n` inside data is data.
                                if i == 0 || rest.get(i - 1) == Some(&b'\n') {
                                    return Some((i, end.len()));
                                }
                                from = i + 1;
                            }
                            None
                        });
                    if let Some((i, len)) = found {
                        let mut end = i;
                        if rest.get(..i).is_some_and(|d| d.ends_with(b"\r\n")) {
                            end -= 2;
                        }
                        self.block.clear();
                        let kept = end.min(BLK);
                        let start = self.rx_start;
                        let _ = self
                            .block
                            .extend_from_slice(self.rx.get(start..start + kept).unwrap_or(&[]));
                        self.result_at = None;
                        self.consume(i + len);
                        self.transparent = None;
                        self.digester.reset();
                        trace::mode::<F>("command mode");
                        return EscapeStep::Done(Ok(()));
                    }
                    if now >= esc.deadline {
                        return EscapeStep::Done(Err(Failure::Timeout {
                            waited: self.config.escape_timeout,
                            waiting_for: "OK after +++",
                        }));
                    }
                    return EscapeStep::Wait(esc.deadline);
                }
            }
        }
    }

    /// Bytes written in transparent mode go to the remote end as they are.
    pub fn transparent_write_ok(&self) -> Result<(), Failure> {
        match self.transparent {
            Some(_) => Ok(()),
            None => Err(Failure::Mode {
                expected: "transparent mode; run a request that answers CONNECT first",
            }),
        }
    }
}

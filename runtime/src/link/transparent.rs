//! Transparent access mode: after `CONNECT` the serial link is a raw byte pipe
//! until `+++` (with a guard time of silence before and after) or `NO CARRIER`.

use std::time::Duration;

use super::error::LinkError;
use super::traffic::show;
use super::{Clock, Link, Transport};
use crate::family::Family;

const NO_CARRIER: &[u8] = b"\r\nNO CARRIER\r\n";
const CONTEXT: &str = "transparent mode";

#[derive(Debug, Default)]
pub(crate) struct State {
    /// Data ready for the caller.
    ready: Vec<u8>,
    ready_at: usize,
    /// The tail that may be the start of `NO CARRIER`.
    held: Vec<u8>,
    closed: bool,
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

impl<T: Transport, F: Family, C: Clock> Link<T, F, C> {
    pub(crate) fn enter_transparent(&mut self) {
        // Bytes after CONNECT are already data.
        let ready = self.rx.get(self.rx_start..).unwrap_or(&[]).to_vec();
        self.rx.clear();
        self.rx_start = 0;
        self.digester.reset();
        log::debug!(target: "atgen::at", "{}: transparent mode", F::ID);
        let mut state = State::default();
        self.absorb(&mut state, &ready);
        self.transparent = Some(state);
    }

    /// Takes raw bytes in, watching for `NO CARRIER` across reads.
    fn absorb(&mut self, state: &mut State, got: &[u8]) {
        if state.closed {
            self.rx.extend_from_slice(got);
            return;
        }
        state.held.extend_from_slice(got);
        if let Some(i) = find(&state.held, NO_CARRIER) {
            let after = state
                .held
                .get(i + NO_CARRIER.len()..)
                .unwrap_or(&[])
                .to_vec();
            state
                .ready
                .extend_from_slice(state.held.get(..i).unwrap_or(&[]));
            state.held.clear();
            state.closed = true;
            log::debug!(target: "atgen::at", "{} <-- NO CARRIER", F::ID);
            self.rx.extend_from_slice(&after);
        } else {
            let keep = partial_suffix(&state.held, NO_CARRIER);
            let cut = state.held.len() - keep;
            let rest = state.held.split_off(cut);
            let out = std::mem::replace(&mut state.held, rest);
            state.ready.extend_from_slice(&out);
        }
    }

    /// Whether the link is a raw byte pipe now (after `CONNECT`).
    pub fn is_transparent(&self) -> bool {
        self.transparent.is_some()
    }

    fn state(&mut self) -> Result<&mut State, LinkError> {
        self.transparent.as_mut().ok_or_else(|| LinkError::Mode {
            command: CONTEXT.to_string(),
            expected: "transparent mode; execute a request that answers CONNECT first",
        })
    }

    /// Writes raw bytes to the remote end.
    pub fn transparent_write(&mut self, data: &[u8]) -> Result<(), LinkError> {
        self.state()?;
        log::trace!(target: "atgen::at", "{} ==> {}", F::ID, show(data, &self.secrets));
        self.write(data, CONTEXT)
    }

    /// Reads raw bytes from the remote end, waiting at most `timeout`; `Ok(0)` when
    /// nothing came. After the remote end closed (`NO CARRIER`) the data before it is
    /// returned first, then [`LinkError::NoCarrier`], and the link is in command mode.
    pub fn transparent_read(
        &mut self,
        buf: &mut [u8],
        timeout: Duration,
    ) -> Result<usize, LinkError> {
        let deadline = self.clock.now().saturating_add(timeout);
        loop {
            let state = self.state()?;
            let ready = state.ready.get(state.ready_at..).unwrap_or(&[]);
            if !ready.is_empty() && !buf.is_empty() {
                let n = ready.len().min(buf.len());
                if let (Some(dst), Some(src)) = (buf.get_mut(..n), ready.get(..n)) {
                    dst.copy_from_slice(src);
                }
                state.ready_at += n;
                return Ok(n);
            }
            state.ready.clear();
            state.ready_at = 0;
            if state.closed {
                self.transparent = None;
                return Err(LinkError::NoCarrier {
                    command: CONTEXT.to_string(),
                });
            }
            let now = self.clock.now();
            if now >= deadline {
                // A partial `NO CARRIER` that went no further is data after all.
                let state = self.state()?;
                if state.held.is_empty() {
                    return Ok(0);
                }
                state.ready = std::mem::take(&mut state.held);
                continue;
            }
            let mut tmp = [0u8; 2048];
            let n = self
                .transport
                .read(&mut tmp, deadline - now)
                .map_err(|e| LinkError::Io {
                    context: format!("{CONTEXT}: reading from the module"),
                    source: e,
                })?;
            let got = tmp.get(..n).unwrap_or(&[]);
            if n == 0 {
                continue;
            }
            log::trace!(target: "atgen::at", "{} <== {}", F::ID, show(got, &self.secrets));
            let got = got.to_vec();
            if let Some(mut state) = self.transparent.take() {
                self.absorb(&mut state, &got);
                self.transparent = Some(state);
            }
        }
    }

    /// Leaves transparent mode: silence for the guard time, `+++`, silence again,
    /// then `OK`. Returns the data that arrived before `OK`.
    pub fn exit_transparent(&mut self) -> Result<Vec<u8>, LinkError> {
        let state = self.transparent.take().ok_or_else(|| LinkError::Mode {
            command: "+++".to_string(),
            expected: "transparent mode",
        })?;
        let mut raw = state.ready.get(state.ready_at..).unwrap_or(&[]).to_vec();
        raw.extend_from_slice(&state.held);
        let guard = self.config.guard_time;
        self.clock.sleep(guard);
        log::debug!(target: "atgen::at", "{} --> +++", F::ID);
        if let Err(e) = self.write(b"+++", "+++") {
            self.transparent = Some(State {
                ready: raw,
                ..State::default()
            });
            return Err(e);
        }
        self.clock.sleep(guard);
        let deadline = self.clock.now().saturating_add(self.config.escape_timeout);
        loop {
            let ends = [&b"OK\r\n"[..], &b"NO CARRIER\r\n"[..]];
            let found = ends.iter().find_map(|end| {
                let mut from = 0;
                while let Some(i) = raw.get(from..).and_then(|r| find(r, end)).map(|i| from + i) {
                    // Only at a line start: `OK\r\n` inside data is data.
                    if i == 0 || raw.get(i - 1) == Some(&b'\n') {
                        return Some((i, end.len()));
                    }
                    from = i + 1;
                }
                None
            });
            if let Some((i, len)) = found {
                let mut data = raw.get(..i).unwrap_or(&[]).to_vec();
                if data.ends_with(b"\r\n") {
                    data.truncate(data.len() - 2);
                }
                let after = raw.get(i + len..).unwrap_or(&[]);
                self.rx.extend_from_slice(after);
                log::debug!(target: "atgen::at", "{}: command mode", F::ID);
                return Ok(data);
            }
            let now = self.clock.now();
            if now >= deadline {
                self.transparent = Some(State {
                    ready: raw,
                    ..State::default()
                });
                return Err(LinkError::Timeout {
                    command: "+++".to_string(),
                    waited: self.config.escape_timeout,
                    waiting_for: "OK after +++",
                });
            }
            let mut tmp = [0u8; 2048];
            let n = self
                .transport
                .read(&mut tmp, deadline - now)
                .map_err(|e| LinkError::Io {
                    context: "+++: reading from the module".to_string(),
                    source: e,
                })?;
            raw.extend_from_slice(tmp.get(..n).unwrap_or(&[]));
        }
    }
}

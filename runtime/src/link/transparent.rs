//! Transparent access mode on the blocking link: after `CONNECT` the serial
//! link is a raw byte pipe until `+++` or `NO CARRIER` (the session decides).

use std::time::Duration;

use super::error::LinkError;
use super::{Clock, Link, Transport};
use crate::family::Family;
use crate::session::{EscapeStep, TransparentRead};

const CONTEXT: &str = "transparent mode";

impl<T: Transport, F: Family, C: Clock> Link<T, F, C> {
    /// Whether the link is a raw byte pipe now (after `CONNECT`).
    pub fn is_transparent(&self) -> bool {
        self.session.is_transparent()
    }

    /// Writes raw bytes to the remote end.
    pub fn transparent_write(&mut self, data: &[u8]) -> Result<(), LinkError> {
        if let Err(f) = self.session.transparent_write_ok() {
            return Err(self.link_error(CONTEXT, f));
        }
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
            let settled = self.clock.now() >= deadline;
            match self.session.transparent_read(buf, settled) {
                Err(f) => return Err(self.link_error(CONTEXT, f)),
                Ok(TransparentRead::Data(n)) => return Ok(n),
                Ok(TransparentRead::Closed) => {
                    return Err(LinkError::NoCarrier {
                        command: CONTEXT.to_string(),
                    })
                }
                Ok(TransparentRead::Empty) if settled => return Ok(0),
                Ok(TransparentRead::Empty) => {
                    self.fill(deadline, CONTEXT)?;
                }
            }
        }
    }

    /// Leaves transparent mode: silence for the guard time, `+++`, silence again,
    /// then `OK`. Returns the data that arrived before `OK`.
    pub fn exit_transparent(&mut self) -> Result<Vec<u8>, LinkError> {
        self.sync_config();
        let now = self.clock.now();
        let mut esc = match self.session.escape(now) {
            Ok(e) => e,
            Err(f) => return Err(self.link_error("+++", f)),
        };
        loop {
            let now = self.clock.now();
            match self.session.poll_escape(&mut esc, now) {
                EscapeStep::Write(b) => self.write(b, "+++")?,
                EscapeStep::Sleep(until) => self.clock.sleep(until.saturating_sub(now)),
                EscapeStep::Wait(deadline) => {
                    self.fill(deadline, "+++")?;
                }
                EscapeStep::Done(Ok(())) => return Ok(self.session.response().to_vec()),
                EscapeStep::Done(Err(f)) => return Err(self.link_error("+++", f)),
            }
        }
    }
}

//! A minimal AT exchange over any `embedded-io` port: write command lines encoded by
//! the generated request types, and hand each frame that atgen-runtime's [`Digester`]
//! cuts from the module's output to the caller until it has what it waits for.
//!
//! This is the stand-in for atgen-runtime's coming `no_std` driver; the sessions use
//! only [`Modem::command`], [`Modem::write_all`] and [`Modem::wait`] and the helpers
//! built on them, so swapping it out touches the session bodies only.

use core::marker::PhantomData;

use atgen_runtime::sink::SliceSink;
use atgen_runtime::{final_code, AtRequest, DataEnd, Digester, Family, FinalCode, Frame};
use embedded_io::{Error as _, ErrorKind, Read, ReadReady, Write};

use crate::board::Clock;

/// Bytes of module output held at once: the longest line or payload frame.
pub const RX_BUF: usize = 2048;
/// The longest command line.
pub const TX_LINE: usize = 256;
/// No single step waits longer than this, whatever the manual allows (QSSLOPEN: 150 s
/// plus the negotiation time); the simulator answers within milliseconds.
pub const STEP_CAP_MS: u32 = 10_000;

/// Ctrl+Z: ends the data of a variable-length send.
pub const CTRL_Z: u8 = 0x1A;

/// What the caller of [`Modem::wait`] makes of one frame.
pub enum Step<T> {
    /// Not yet: keep reading.
    Next,
    /// Done, with this result.
    Done(T),
}

/// One AT port: the UART, the clock, the framing state and the unconsumed bytes.
pub struct Modem<'u, U, F> {
    uart: &'u mut U,
    clock: Clock,
    digester: Digester,
    buf: [u8; RX_BUF],
    len: usize,
    _family: PhantomData<F>,
}

impl<'u, U: Read + ReadReady + Write, F: Family> Modem<'u, U, F> {
    pub fn new(uart: &'u mut U, clock: Clock) -> Self {
        Modem {
            uart,
            clock,
            digester: Digester::new().with_limits(RX_BUF, RX_BUF - 64),
            buf: [0; RX_BUF],
            len: 0,
            _family: PhantomData,
        }
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// Writes raw bytes (a command line typed by hand, or the data after `>`).
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<(), &'static str> {
        crate::trace::tx(bytes);
        self.uart
            .write_all(bytes)
            .map_err(|_| "UART write failed")?;
        self.uart.flush().map_err(|_| "UART flush failed")
    }

    /// Validates and encodes `req` into a stack buffer and writes it. A request with a
    /// data phase makes the next `>` at a line start a [`Frame::Prompt`].
    pub fn command<R: AtRequest>(&mut self, req: &R) -> Result<(), &'static str> {
        let mut line = [0u8; TX_LINE];
        let mut sink = SliceSink::new(&mut line);
        req.encode(&mut sink)
            .map_err(|_| "request did not validate or was longer than the line buffer")?;
        if req.data_phase().is_some() {
            self.digester.expect_prompt(true);
        }
        let n = sink.written().len();
        self.write_all(line.get(..n).unwrap_or(&[]))
    }

    /// The wait for `req`: the manual's maximum response time, capped at [`STEP_CAP_MS`].
    pub fn max_wait<R: AtRequest>(req: &R) -> u32 {
        let ms = req.max_response().total_ms(|_| None);
        u32::try_from(ms)
            .unwrap_or(u32::MAX)
            .clamp(1_000, STEP_CAP_MS)
    }

    /// Reads and frames module output, giving every frame to `step`, until it returns
    /// [`Step::Done`] or an error, or `timeout_ms` passes (then the error is `what`).
    pub fn wait<T>(
        &mut self,
        timeout_ms: u32,
        what: &'static str,
        mut step: impl FnMut(Frame<'_>) -> Result<Step<T>, &'static str>,
    ) -> Result<T, &'static str> {
        let deadline = self.clock.deadline(timeout_ms);
        loop {
            // Everything already buffered first.
            loop {
                let have = self.buf.get(..self.len).unwrap_or(&[]);
                let (frame, used) = self.digester.digest::<F>(have, b"");
                let outcome = match frame {
                    Frame::None => None,
                    frame => {
                        crate::trace::rx(&frame);
                        Some(step(frame))
                    }
                };
                self.consume(used);
                match outcome {
                    Some(Ok(Step::Done(t))) => return Ok(t),
                    Some(Err(e)) => return Err(e),
                    Some(Ok(Step::Next)) => {}
                    None if used == 0 => break,
                    None => {}
                }
            }
            if self.len >= self.buf.len() {
                return Err("module output overflowed the receive buffer");
            }
            // Poll against our own deadline; `read` is called only when a byte waits,
            // so it returns at once.
            let ready = self
                .uart
                .read_ready()
                .map_err(|_| "UART receive error (overrun)")?;
            if !ready {
                if self.clock.passed(deadline) {
                    return Err(what);
                }
                continue;
            }
            let got = match self.buf.get_mut(self.len..) {
                Some(free) => self.uart.read(free),
                None => Ok(0),
            };
            match got {
                Ok(n) => self.len += n,
                Err(e) if e.kind() == ErrorKind::TimedOut => return Err(what),
                Err(_) => return Err("UART receive error (overrun)"),
            }
        }
    }

    /// Drops `n` bytes from the front of the buffer.
    fn consume(&mut self, n: usize) {
        let n = n.min(self.len);
        if n > 0 {
            self.buf.copy_within(n..self.len, 0);
            self.len -= n;
        }
    }

    /// Waits for the final result code `want` (`OK`, `SEND OK`, …). Error codes fail
    /// with `failed`; other frames go to `other` (URCs that arrive meanwhile).
    pub fn final_code(
        &mut self,
        timeout_ms: u32,
        want: FinalCode<'static>,
        what: &'static str,
        failed: &'static str,
        mut other: impl FnMut(Frame<'_>) -> Result<(), &'static str>,
    ) -> Result<(), &'static str> {
        self.wait(timeout_ms, what, |frame| {
            if let Frame::Line(line) = frame {
                if let Some(code) = final_code::parse(line) {
                    if code == want {
                        return Ok(Step::Done(()));
                    }
                    if code.is_error() {
                        return Err(failed);
                    }
                }
            }
            other(frame)?;
            Ok(Step::Next)
        })
    }

    /// `OK`, ignoring anything else.
    pub fn ok(&mut self, timeout_ms: u32, what: &'static str) -> Result<(), &'static str> {
        self.final_code(
            timeout_ms,
            FinalCode::Ok,
            what,
            "the module answered ERROR",
            |_| Ok(()),
        )
    }

    /// `AT` until the module answers `OK`: up to `attempts` tries, a second each (a
    /// module that just powered up, or a simulator on a loaded machine, may miss one).
    /// After a retry, late answers to the earlier tries are read and dropped.
    pub fn sync(&mut self, attempts: u32) -> Result<(), &'static str> {
        const TIMEOUT: &str = "no OK to AT";
        for attempt in 1..=attempts.max(1) {
            self.write_all(b"AT\r")?;
            match self.ok(1_000, TIMEOUT) {
                Err(TIMEOUT) if attempt < attempts => continue,
                Ok(()) if attempt > 1 => {
                    self.drain(200);
                    return Ok(());
                }
                other => return other,
            }
        }
        Err(TIMEOUT)
    }

    /// Reads and drops whatever the module sends for `ms` milliseconds.
    pub fn drain(&mut self, ms: u32) {
        let _ = self.wait::<()>(ms, "", |_| Ok(Step::Next));
    }

    /// The `>` prompt of a data phase.
    pub fn prompt(&mut self, timeout_ms: u32) -> Result<(), &'static str> {
        self.wait(timeout_ms, "no > prompt", |frame| match frame {
            Frame::Prompt => Ok(Step::Done(())),
            Frame::Line(line) if final_code::parse(line).is_some_and(|c| c.is_error()) => {
                Err("the module refused the send (ERROR instead of >)")
            }
            _ => Ok(Step::Next),
        })
    }
    /// The data phase of `req` (already written with [`Modem::command`]): waits for
    /// `>`, waits the manual's pause after it, writes `data` and, for a Ctrl+Z form,
    /// the Ctrl+Z. The final result is left to the caller.
    pub fn data<R: AtRequest>(
        &mut self,
        req: &R,
        data: &[u8],
        timeout_ms: u32,
    ) -> Result<(), &'static str> {
        let phase = req.data_phase().ok_or("the request has no data phase")?;
        match phase.end {
            DataEnd::Length(n) if n != data.len() => {
                return Err("the data is not as long as the request announced")
            }
            DataEnd::CtrlZ if data.contains(&CTRL_Z) || data.contains(&0x1B) => {
                return Err("data ended by Ctrl+Z cannot hold Ctrl+Z or ESC")
            }
            _ => {}
        }
        self.prompt(timeout_ms)?;
        self.clock.delay_ms(phase.prompt_wait_ms);
        self.write_all(data)?;
        if phase.end == DataEnd::CtrlZ {
            self.write_all(&[CTRL_Z])?;
        }
        Ok(())
    }
}

/// Runs `f` on `frame` followed by CR LF, which is how response parsers
/// (`AtRequest::parse_response`) take information lines.
pub fn with_crlf<T>(frame: &[u8], f: impl FnOnce(&[u8]) -> T) -> Result<T, &'static str> {
    let mut block = [0u8; RX_BUF + 2];
    let n = frame.len();
    let (Some(dst), Some(end)) = (block.get_mut(..n), n.checked_add(2)) else {
        return Err("response longer than the receive buffer");
    };
    dst.copy_from_slice(frame);
    let tail = block
        .get_mut(n..end)
        .ok_or("response longer than the receive buffer")?;
    tail.copy_from_slice(b"\r\n");
    Ok(f(block.get(..end).unwrap_or(&[])))
}

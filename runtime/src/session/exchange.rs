//! One command's lifecycle as a state machine: write the line, wait for `>`,
//! write the data, collect the information lines, take the final result code,
//! wait for the result URC, record the settings. Pure: the driver feeds bytes
//! and time in and does what each [`Step`] says.

use core::time::Duration;

use super::command::Command;
use super::settings::Ids;
use super::{Echo, Session};
use crate::digest::Frame;
use crate::error::{Problem, ValidationError, Value};
use crate::family::Family;
use crate::final_code::{self, CmeCode, FinalCode};
use crate::payload::hex_encode_into;
use crate::request::{ChecksumKind, DataEnd, DataPhase};
use crate::trace;
use crate::wire::xor16;

const CTRL_Z: u8 = 0x1A;
const ESC: u8 = 0x1B;

/// Text from the module kept in an error: at most this many bytes.
pub const TEXT_LEN: usize = 96;

/// A copy of module bytes for messages (cut at [`TEXT_LEN`]).
pub type Text = heapless::Vec<u8, TEXT_LEN>;

fn text(bytes: &[u8]) -> Text {
    let n = bytes.len().min(TEXT_LEN);
    heapless::Vec::from_slice(bytes.get(..n).unwrap_or(&[])).unwrap_or_default()
}

/// Per-call options.
#[derive(Debug, Clone, Copy, Default)]
pub struct Opts<'d> {
    /// The payload of the data phase (raw bytes; hex-encoded when the phase's
    /// `hex_when` setting holds).
    pub data: Option<&'d [u8]>,
    /// Replaces the manual's maximum response time, for each wait of the call.
    pub timeout: Option<Duration>,
    /// Answer the `>` prompt with ESC instead of data.
    pub cancel: bool,
    /// Caps the manual's maximum response time (when `timeout` is not given).
    pub cap: Option<Duration>,
}

/// How a successful command ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completion {
    Ok,
    SendOk,
    CloseOk {
        id: Option<i64>,
    },
    /// The link is a raw byte pipe now; the rate `CONNECT` named, if any.
    Connect {
        rate: Option<Text>,
    },
    /// The data phase was cancelled with ESC.
    Cancelled,
}

/// A successful answer. The information lines are [`Session::response`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub completion: Completion,
    /// The result URC of a two-phase command, when it came.
    pub result: bool,
}

/// Why a command failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The request or its payload is invalid; nothing was written.
    Validation(ValidationError),
    /// Nothing (or not the awaited thing) arrived in time.
    Timeout {
        waited: Duration,
        /// `final result code`, `> prompt`, `result URC`, …
        waiting_for: &'static str,
    },
    /// A plain `ERROR`.
    Error,
    /// `+CME ERROR: <n>`, or its verbose text.
    Cme { code: CmeText },
    /// The result URC reports an error code.
    Module { code: i64, urc: Text },
    /// `SEND FAIL`: retrying may succeed.
    SendFail,
    /// `NO CARRIER`.
    NoCarrier,
    /// Something the dialog does not allow here.
    Protocol {
        unexpected: Text,
        expected: &'static str,
    },
    /// The module's checksum of the data differs from ours.
    Checksum {
        kind: ChecksumKind,
        local: u64,
        module: u64,
    },
    /// The module restarted (`RDY`) during the command.
    Rebooted,
    /// The information response does not fit the session's buffer.
    Overflow { what: &'static str, limit: usize },
    /// Not possible in the link's current mode.
    Mode { expected: &'static str },
}

/// The code of a `+CME ERROR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CmeText {
    Numeric(i64),
    Verbose(Text),
}

pub type Outcome = Result<Reply, Failure>;

/// An unsolicited frame (a line, or a line with its payload, without the final
/// CR LF), as received. Take it before polling again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Urc<'a> {
    pub frame: &'a [u8],
    /// Whether payloads were hex text when it arrived.
    pub hex: bool,
}

/// What the driver does next.
#[derive(Debug)]
pub enum Step<'a> {
    /// Write all of these bytes, then poll again.
    Write(&'a [u8]),
    /// Read what arrives (feed it) until this time, then poll again.
    Wait(Duration),
    /// Write nothing before this time (reading is allowed), then poll again.
    Sleep(Duration),
    /// An unsolicited frame: keep or route it, then poll again.
    Urc(Urc<'a>),
    /// The command is over.
    Done(Outcome),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// After a timeout: quiet before writing.
    Quiet,
    /// Frames received before the command are unsolicited.
    Drain,
    /// The line was handed out for writing.
    LineSent,
    AwaitFinal,
    PromptWait {
        until: Duration,
    },
    /// Data handed out up to this position (of the raw data).
    Data,
    CtrlZ,
    Esc,
    AwaitCancel,
    AwaitResult,
    /// A restart line was handed out; the command fails at the next poll.
    Rebooted,
    Finished,
}

/// One command under way. Created by [`Session::start`], driven by [`Session::poll`].
pub struct Exchange<'r> {
    cmd: &'r dyn Command,
    data: Option<&'r [u8]>,
    cancel: bool,
    timeout: Option<Duration>,
    phase: Phase,
    /// The wait for the final result code (the manual's maximum response time).
    total: Duration,
    /// The wait for the result URC, counted from `started` as well.
    result_total: Duration,
    /// When the current wait began: the command line, or the end of its data.
    started: Duration,
    deadline: Duration,
    waited: Duration,
    /// The data phase, until the prompt comes.
    pending: Option<DataPhase>,
    sent_phase: Option<DataPhase>,
    hex: bool,
    data_at: usize,
    data_sent: bool,
    checksum: Option<(ChecksumKind, u64)>,
    overflow: bool,
    expect_result: bool,
    ids: Ids,
    completion: Option<Completion>,
    result_at: Option<usize>,
    /// The code of the form's error line, when it came before the final result.
    error_code: Option<(i64, Text)>,
}

impl Exchange<'_> {
    /// The wait for the final result code starts now (the line or its data is out).
    fn wait_final(&mut self, now: Duration) {
        self.started = now;
        self.deadline = now.saturating_add(self.total);
        self.waited = self.total;
    }
}

impl core::fmt::Debug for Exchange<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Exchange")
            .field("command", &self.cmd.command())
            .field("phase", &self.phase)
            .finish()
    }
}

impl Exchange<'_> {
    /// Gives up on the exchange (the transport failed): the session forgets the
    /// prompt and echo it was waiting for.
    pub fn abandon<F: Family, const RX: usize, const BLK: usize, const TX: usize>(
        &mut self,
        session: &mut Session<F, RX, BLK, TX>,
    ) {
        self.phase = Phase::Finished;
        session.echo = Echo::None;
        session.digester.expect_prompt(false);
    }

    /// The command name (`QSSLOPEN`).
    pub fn command(&self) -> &str {
        self.cmd.command()
    }

    /// The sub-command keyword.
    pub fn sub(&self) -> Option<&'static str> {
        self.cmd.sub()
    }

    /// Whether it is over.
    pub fn is_done(&self) -> bool {
        self.phase == Phase::Finished
    }
}

/// The bytes to write after the prompt, checked before anything is written.
/// Lengths and limits count raw bytes (BC26 `<send_length>` in hex format).
fn check_data(
    family: &'static str,
    command: &'static str,
    phase: &DataPhase,
    data: &[u8],
    hex: bool,
) -> Result<(), ValidationError> {
    let err = |value, problem| ValidationError {
        family,
        command,
        param: "data",
        value,
        problem,
        shown: crate::error::Shown::PLAIN,
    };
    if data.is_empty() {
        return Err(err(Value::Len(0), Problem::PayloadEmpty));
    }
    if let Some(max) = phase.max_len {
        if data.len() > max {
            return Err(err(Value::Len(data.len()), Problem::PayloadTooLong { max }));
        }
    }
    match phase.end {
        DataEnd::Length(n) if n != data.len() => Err(err(
            Value::Len(data.len()),
            Problem::PayloadLengthMismatch { expected: n },
        )),
        // Hex text never contains a terminator.
        DataEnd::CtrlZ if !hex => match data.iter().position(|&b| b == CTRL_Z || b == ESC) {
            Some(index) => Err(err(
                Value::Byte {
                    byte: data.get(index).copied().unwrap_or(CTRL_Z),
                    index,
                },
                Problem::PayloadContainsTerminator,
            )),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

/// The module's checksum: the last field of the first information line
/// (`+QSSLCFG: 1,1,"cacert",1388`, `+QSECWRITE: 1388,384a`).
fn reported_checksum(kind: ChecksumKind, block: &[u8]) -> Option<u64> {
    let line = block.split(|&b| b == b'\n').next()?;
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let field = line.rsplit(|&b| b == b',' || b == b':').next()?;
    let field = core::str::from_utf8(field).ok()?.trim().trim_matches('"');
    match kind {
        ChecksumKind::ByteCount => field.parse().ok(),
        ChecksumKind::Xor16 => {
            let digits = field
                .strip_prefix("0x")
                .or_else(|| field.strip_prefix("0X"))
                .unwrap_or(field);
            u64::from_str_radix(digits, 16).ok()
        }
    }
}

/// A running XOR-16 over data written in pieces.
fn local_checksum(kind: ChecksumKind, wire: &[u8]) -> u64 {
    match kind {
        ChecksumKind::ByteCount => u64::try_from(wire.len()).unwrap_or(u64::MAX),
        ChecksumKind::Xor16 => u64::from(xor16(wire)),
    }
}

/// What the next frame means for the exchange (owned: no borrow of the buffer).
enum Act {
    NeedBytes,
    Next,
    Prompt,
    /// The frame is pending: hand it out.
    Urc,
    /// A restart line is pending: hand it out, then fail.
    Restart,
    Final(OwnedFinal),
    Done(Outcome),
}

enum Class<'l> {
    Final(FinalCode<'l>),
    /// A final result code this command cannot end with.
    Stray,
    Response,
    Urc,
    Ignore,
}

fn starts_with_ignore_case(line: &[u8], prefix: &[u8]) -> bool {
    line.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

impl<F: Family, const RX: usize, const BLK: usize, const TX: usize> Session<F, RX, BLK, TX> {
    /// The information lines of the last command (each ending in CR LF).
    pub fn response(&self) -> &[u8] {
        self.block.get(..self.block_len()).unwrap_or(&[])
    }

    fn block_len(&self) -> usize {
        self.result_at.unwrap_or(self.block.len())
    }

    /// The result URC frame of the last two-phase command.
    pub fn result_frame(&self) -> Option<&[u8]> {
        self.result_at.and_then(|at| self.block.get(at..))
    }

    /// Validates `cmd` and its data against the manual and the settings made so
    /// far, and prepares the exchange. Nothing is written when this fails.
    pub fn start<'r>(
        &mut self,
        cmd: &'r dyn Command,
        opts: Opts<'r>,
    ) -> Result<Exchange<'r>, Failure> {
        if self.transparent.is_some() {
            return Err(Failure::Mode {
                expected: "command mode; leave transparent mode first",
            });
        }
        let mut ids = Ids::new();
        cmd.ids(&mut |p, v| ids.push(p, v));
        let settings = &self.settings;
        let setting = |name: &str| settings.get(name, &ids);
        cmd.validate(&setting).map_err(Failure::Validation)?;
        let phase = cmd.data_phase();
        let mut hex = false;
        match (phase, opts.data) {
            (None, Some(d)) => {
                return Err(Failure::Validation(ValidationError {
                    family: F::ID,
                    command: cmd.label(),
                    param: "data",
                    value: Value::Len(d.len()),
                    problem: Problem::PayloadTooLong { max: 0 },
                    shown: crate::error::Shown::PLAIN,
                }))
            }
            (Some(_), None) if !opts.cancel => {
                return Err(Failure::Validation(ValidationError {
                    family: F::ID,
                    command: cmd.label(),
                    param: "data",
                    value: Value::Absent,
                    problem: Problem::PayloadEmpty,
                    shown: crate::error::Shown::PLAIN,
                }))
            }
            (Some(p), Some(d)) => {
                hex = p
                    .hex_when
                    .is_some_and(|w| setting(w.param) == Some(w.equals));
                check_data(F::ID, cmd.label(), &p, d, hex).map_err(Failure::Validation)?;
            }
            _ => {}
        }
        let expect_result = cmd.expects_result(&setting);
        let wait = |t: crate::request::MaxResponse| {
            opts.timeout.unwrap_or_else(|| {
                let manual = Duration::from_millis(t.total_ms(|name| setting(name)));
                opts.cap.map_or(manual, |c| c.min(manual))
            })
        };
        let total = wait(cmd.max_response());
        let result_total = if expect_result {
            wait(cmd.result_wait())
        } else {
            total
        };
        self.tx.clear();
        let mut sink = TxSink(&mut self.tx);
        if cmd.write(&mut sink).is_err() {
            return Err(Failure::Overflow {
                what: "command line",
                limit: TX,
            });
        }
        cmd.secrets(&mut |s| self.secrets.add(s));
        self.block.clear();
        self.result_at = None;
        Ok(Exchange {
            cmd,
            data: opts.data,
            cancel: opts.cancel,
            timeout: opts.timeout,
            phase: if self.quiet_until.is_some() {
                Phase::Quiet
            } else {
                Phase::Drain
            },
            total,
            result_total,
            started: Duration::ZERO,
            deadline: Duration::ZERO,
            waited: total,
            pending: phase,
            sent_phase: None,
            hex,
            data_at: 0,
            data_sent: false,
            checksum: None,
            overflow: false,
            expect_result,
            ids,
            completion: None,
            result_at: None,
            error_code: None,
        })
    }

    /// What to do next for the exchange.
    pub fn poll<'s, 'r: 's>(&'s mut self, ex: &mut Exchange<'r>, now: Duration) -> Step<'s> {
        self.settle();
        loop {
            match ex.phase {
                Phase::Finished => {
                    return Step::Done(Err(Failure::Mode {
                        expected: "a new command: this one is over",
                    }))
                }
                Phase::Rebooted => return self.finish(ex, Err(Failure::Rebooted)),
                Phase::Quiet => match self.quiet_until {
                    Some(q) if now < q => {
                        if self.idle_frame() {
                            return Step::Urc(self.pending_urc());
                        }
                        return Step::Wait(q);
                    }
                    _ => {
                        self.quiet_until = None;
                        ex.phase = Phase::Drain;
                    }
                },
                Phase::Drain => {
                    // Whatever is already buffered arrived before this command: unsolicited.
                    if self.idle_frame() {
                        return Step::Urc(self.pending_urc());
                    }
                    self.digester.expect_prompt(ex.pending.is_some());
                    self.echo_seen = false;
                    self.echo = Echo::Line;
                    ex.phase = Phase::LineSent;
                    trace::sent::<F>(&self.tx, &self.secrets, &[]);
                    return Step::Write(&self.tx);
                }
                Phase::LineSent => {
                    ex.wait_final(now);
                    ex.phase = Phase::AwaitFinal;
                }
                Phase::PromptWait { until } => {
                    if now < until {
                        return Step::Sleep(until);
                    }
                    if ex.cancel {
                        trace::sent::<F>(b"<ESC>", &self.secrets, &[]);
                        ex.phase = Phase::Esc;
                        return Step::Write(&[ESC]);
                    }
                    // With echo on, the module echoes the data too.
                    self.echo = if self.echo_seen && !ex.hex {
                        Echo::Data
                    } else {
                        Echo::None
                    };
                    ex.phase = Phase::Data;
                    if let (Some(p), Some(d)) = (ex.sent_phase, ex.data) {
                        trace::sent_data::<F>(d, p.secret, &self.secrets, &[]);
                        if let Some(kind) = p.checksum {
                            ex.checksum = Some((kind, 0));
                        }
                    }
                }
                Phase::Data => {
                    let data = ex.data.unwrap_or(&[]);
                    let rest = data.get(ex.data_at..).unwrap_or(&[]);
                    if rest.is_empty() {
                        ex.data_sent = true;
                        ex.phase = match ex.sent_phase.map(|p| p.end) {
                            Some(DataEnd::CtrlZ) => Phase::CtrlZ,
                            _ => {
                                ex.wait_final(now);
                                Phase::AwaitFinal
                            }
                        };
                        if let Some((kind, sum)) = ex.checksum.as_mut() {
                            *sum = match kind {
                                ChecksumKind::ByteCount => {
                                    let n = u64::try_from(data.len()).unwrap_or(u64::MAX);
                                    if ex.hex {
                                        n.saturating_mul(2)
                                    } else {
                                        n
                                    }
                                }
                                ChecksumKind::Xor16 => local_checksum(*kind, data),
                            };
                        }
                        continue;
                    }
                    if !ex.hex {
                        ex.data_at = data.len();
                        return Step::Write(rest);
                    }
                    // Hex text, a chunk at a time through the transmit buffer.
                    let n = rest.len().min(TX / 2);
                    self.tx.clear();
                    let _ = self.tx.resize(n * 2, 0);
                    let chunk = rest.get(..n).unwrap_or(&[]);
                    let written = hex_encode_into(chunk, &mut self.tx).map(|s| s.len());
                    if written.is_err() {
                        return Step::Done(Err(Failure::Overflow {
                            what: "hex data chunk",
                            limit: TX,
                        }));
                    }
                    ex.data_at += n;
                    return Step::Write(&self.tx);
                }
                Phase::CtrlZ => {
                    ex.wait_final(now);
                    ex.phase = Phase::AwaitFinal;
                    return Step::Write(&[CTRL_Z]);
                }
                Phase::Esc => {
                    ex.waited = self.config.cancel_wait;
                    ex.deadline = now.saturating_add(ex.waited);
                    ex.phase = Phase::AwaitCancel;
                }
                Phase::AwaitFinal | Phase::AwaitCancel | Phase::AwaitResult => {
                    return self.await_frames(ex, now);
                }
            }
        }
    }

    /// Whether an unsolicited frame is already buffered (echoes and prompts are
    /// dropped on the way); when it is, [`Session::pending_urc`] hands it out.
    pub(crate) fn idle_frame(&mut self) -> bool {
        loop {
            let buf = self.rx.get(self.rx_start..).unwrap_or(&[]);
            let echo: &[u8] = match self.echo {
                Echo::Line => &self.tx,
                _ => &[],
            };
            let (frame, used) = self.digester.digest::<F>(buf, echo);
            match frame {
                Frame::None if used == 0 => return false,
                Frame::None | Frame::Prompt => self.consume(used),
                Frame::Echo => {
                    self.echo = Echo::None;
                    self.consume(used);
                }
                Frame::Line(l) if self.digester.was_cut() => {
                    trace::note::<F>("dropping a piece of a line longer than the limit", l.len());
                    self.consume(used);
                }
                Frame::Line(l) => {
                    trace::received::<F>(l, &self.secrets);
                    self.pending_frame = (offset_in(buf, l), l.len());
                    self.pending = used;
                    return true;
                }
                Frame::Payload {
                    frame,
                    header,
                    data,
                } => {
                    trace::received_payload::<F>(header, frame, data.len(), &self.secrets);
                    self.pending_frame = (offset_in(buf, frame), frame.len());
                    self.pending = used;
                    return true;
                }
            }
        }
    }

    /// The frame marked pending (consumed at the next poll), as a step.
    pub(crate) fn pending_urc(&self) -> Urc<'_> {
        let (at, len) = self.pending_frame;
        let start = self.rx_start + at;
        let frame = self.rx.get(start..start + len).unwrap_or(&[]);
        Urc {
            frame,
            hex: self.digester.hex(),
        }
    }

    fn finish(&mut self, ex: &mut Exchange<'_>, outcome: Outcome) -> Step<'static> {
        ex.phase = Phase::Finished;
        self.echo = Echo::None;
        self.digester.expect_prompt(false);
        self.result_at = ex.result_at;
        if outcome.is_ok() {
            let ids = &ex.ids;
            let settings = &mut self.settings;
            ex.cmd
                .settings(&mut |name, v| settings.set(name, ids.clone(), v));
            self.update_hex();
            if let Ok(Reply {
                completion: Completion::Connect { .. },
                ..
            }) = &outcome
            {
                self.enter_transparent();
            }
        }
        Step::Done(outcome)
    }

    fn timed_out(&mut self, ex: &mut Exchange<'_>, now: Duration) -> Step<'static> {
        if ex.phase == Phase::AwaitCancel {
            return self.finish(
                ex,
                Ok(Reply {
                    completion: Completion::Cancelled,
                    result: false,
                }),
            );
        }
        self.recover_after_timeout(now, ex.waited);
        let waiting_for = match (ex.phase, ex.pending.is_some(), ex.data_sent) {
            (Phase::AwaitResult, _, _) => "result URC",
            (_, true, _) => "> prompt",
            (_, _, true) => "final result code after the data",
            _ => "final result code",
        };
        let waited = ex.waited;
        let _ = ex.timeout;
        self.finish(
            ex,
            Err(Failure::Timeout {
                waited,
                waiting_for,
            }),
        )
    }

    fn await_frames<'s, 'r: 's>(&'s mut self, ex: &mut Exchange<'r>, now: Duration) -> Step<'s> {
        loop {
            match self.next_act(ex) {
                Act::NeedBytes => {
                    if now >= ex.deadline {
                        return self.timed_out(ex, now);
                    }
                    return Step::Wait(ex.deadline);
                }
                Act::Next => {}
                Act::Prompt => {
                    if ex.phase == Phase::AwaitFinal {
                        if let Some(p) = ex.pending.take() {
                            let wait = self.config.prompt_wait.unwrap_or_else(|| {
                                Duration::from_millis(u64::from(p.prompt_wait_ms))
                            });
                            ex.sent_phase = Some(p);
                            ex.phase = Phase::PromptWait {
                                until: now.saturating_add(wait),
                            };
                            return self.poll(ex, now);
                        }
                    }
                }
                Act::Urc => return Step::Urc(self.pending_urc()),
                Act::Restart => {
                    self.restarted();
                    ex.phase = Phase::Rebooted;
                    self.echo = Echo::None;
                    self.digester.expect_prompt(false);
                    return Step::Urc(self.pending_urc());
                }
                Act::Final(code) => {
                    if let Some(step) = self.final_code(ex, code) {
                        return step;
                    }
                }
                Act::Done(outcome) => return self.finish(ex, outcome),
            }
        }
    }

    /// Takes the next frame and decides what it means for the exchange.
    fn next_act(&mut self, ex: &mut Exchange<'_>) -> Act {
        let hex = self.digester.hex();
        let buf = self.rx.get(self.rx_start..).unwrap_or(&[]);
        let echo: &[u8] = match self.echo {
            Echo::None => &[],
            Echo::Line => &self.tx,
            Echo::Data => ex.data.unwrap_or(&[]),
        };
        let (frame, used) = self.digester.digest::<F>(buf, echo);
        let (bytes, header) = match frame {
            Frame::None if used == 0 => return Act::NeedBytes,
            Frame::None => {
                self.consume(used);
                return Act::Next;
            }
            Frame::Echo => {
                trace::echo::<F>();
                self.echo_seen = true;
                self.echo = Echo::None;
                self.consume(used);
                return Act::Next;
            }
            Frame::Prompt => {
                trace::prompt::<F>();
                self.consume(used);
                return Act::Prompt;
            }
            // Garbage without a line end: never an answer, never kept.
            Frame::Line(l) if self.digester.was_cut() => {
                trace::note::<F>("dropping a piece of a line longer than the limit", l.len());
                self.consume(used);
                return Act::Next;
            }
            Frame::Line(l) => {
                // A response that carries a secret (a PSK query) is redacted like the
                // request that set it, even when this link never saw that request.
                if let Some(form) = ex.cmd.form() {
                    secret_fields(form, l, hex, &mut |s| self.secrets.add(s));
                }
                trace::received::<F>(l, &self.secrets);
                (l, None)
            }
            Frame::Payload {
                frame,
                header,
                data,
            } => {
                trace::received_payload::<F>(header, frame, data.len(), &self.secrets);
                (frame, Some(header))
            }
        };
        let restart = bytes == super::RESTART.as_bytes() && self.config.abort_on_restart;
        let at = (offset_in(buf, bytes), bytes.len());
        if ex.phase == Phase::AwaitResult {
            // Phase two: the URC that carries the result (`+QSSLOPEN: <id>,<err>`).
            let Some(verdict) = ex.cmd.result_of(bytes, hex) else {
                self.pending = used;
                self.pending_frame = at;
                return if restart { Act::Restart } else { Act::Urc };
            };
            let urc = text(bytes);
            let start = self.block.len();
            let stored = self.block.extend_from_slice(bytes).is_ok();
            ex.result_at = stored.then_some(start);
            self.consume(used);
            let completion = ex.completion.take().unwrap_or(Completion::Ok);
            return Act::Done(match verdict {
                None => Ok(Reply {
                    completion,
                    result: stored,
                }),
                Some(code) => Err(Failure::Module { code, urc }),
            });
        }
        if ex.error_code.is_none() && header.is_none() {
            if let Some(code) = ex.cmd.error_of(bytes, hex) {
                ex.error_code = Some((code, text(bytes)));
                self.consume(used);
                return Act::Next;
            }
        }
        if bytes == b"CONNECT" && header.is_none() && ex.pending.is_some() {
            // A data phase opened by CONNECT instead of `>` (the file upload
            // AT+QFUPL: CONNECT, the file's bytes, then its result and OK).
            self.consume(used);
            return Act::Prompt;
        }
        let ids = &ex.ids;
        let settings = &self.settings;
        let setting = |name: &str| settings.get(name, ids);
        let unsolicited = self
            .config
            .unsolicited
            .iter()
            .any(|w| w.as_bytes() == header.unwrap_or(bytes));
        match classify::<F>(ex.cmd, bytes, header.is_some(), unsolicited, hex, &setting) {
            Class::Final(code) => {
                let owned = own(code);
                self.consume(used);
                Act::Final(owned)
            }
            Class::Stray if ex.data_sent => {
                let unexpected = text(bytes);
                self.consume(used);
                Act::Done(Err(Failure::Protocol {
                    unexpected,
                    expected: "the final result code this command ends with",
                }))
            }
            Class::Response => {
                if !ex.overflow
                    && (self.block.extend_from_slice(bytes).is_err()
                        || self.block.extend_from_slice(b"\r\n").is_err())
                {
                    ex.overflow = true;
                }
                self.consume(used);
                Act::Next
            }
            Class::Urc | Class::Stray => {
                self.pending = used;
                self.pending_frame = at;
                if restart {
                    Act::Restart
                } else {
                    Act::Urc
                }
            }
            Class::Ignore => {
                self.consume(used);
                Act::Next
            }
        }
    }

    fn final_code(&mut self, ex: &mut Exchange<'_>, code: OwnedFinal) -> Option<Step<'static>> {
        if ex.phase == Phase::AwaitCancel {
            return Some(self.finish(
                ex,
                Ok(Reply {
                    completion: Completion::Cancelled,
                    result: false,
                }),
            ));
        }
        let completion = match code {
            OwnedFinal::Ok => Completion::Ok,
            OwnedFinal::SendOk => Completion::SendOk,
            OwnedFinal::CloseOk(id) => Completion::CloseOk { id },
            OwnedFinal::Connect(rate) => Completion::Connect { rate },
            OwnedFinal::Error => {
                let failure = match ex.error_code.take() {
                    Some((code, urc)) => Failure::Module { code, urc },
                    None => Failure::Error,
                };
                return Some(self.finish(ex, Err(failure)));
            }
            OwnedFinal::Cme(code) => return Some(self.finish(ex, Err(Failure::Cme { code }))),
            OwnedFinal::SendFail => return Some(self.finish(ex, Err(Failure::SendFail))),
            OwnedFinal::NoCarrier => return Some(self.finish(ex, Err(Failure::NoCarrier))),
        };
        if ex.pending.is_some() {
            return Some(self.finish(
                ex,
                Err(Failure::Protocol {
                    unexpected: text(completion_word(&completion)),
                    expected: "the > prompt before the data",
                }),
            ));
        }
        if ex.overflow {
            return Some(self.finish(
                ex,
                Err(Failure::Overflow {
                    what: "information response",
                    limit: BLK,
                }),
            ));
        }
        if let Some((kind, local)) = ex.checksum {
            let Some(module) = reported_checksum(kind, &self.block) else {
                let unexpected = text(&self.block);
                return Some(self.finish(
                    ex,
                    Err(Failure::Protocol {
                        unexpected,
                        expected: "an information line ending in the checksum of the data",
                    }),
                ));
            };
            if module != local {
                return Some(self.finish(
                    ex,
                    Err(Failure::Checksum {
                        kind,
                        local,
                        module,
                    }),
                ));
            }
        }
        if ex.expect_result && !matches!(completion, Completion::Connect { .. }) {
            // The result URC is part of the same answer: its wait (the manual's
            // wait for the URC, else the maximum response time) counts from the
            // command (or its data), not from OK.
            // Frames already buffered (the result URC in the same read as OK, a
            // restart) are looked at before waiting for more.
            ex.completion = Some(completion);
            ex.phase = Phase::AwaitResult;
            ex.deadline = ex.started.saturating_add(ex.result_total);
            ex.waited = ex.result_total;
            return None;
        }
        Some(self.finish(
            ex,
            Ok(Reply {
                completion,
                result: false,
            }),
        ))
    }
}

fn completion_word(c: &Completion) -> &'static [u8] {
    match c {
        Completion::Ok => b"OK",
        Completion::SendOk => b"SEND OK",
        Completion::CloseOk { .. } => b"CLOSE OK",
        Completion::Connect { .. } => b"CONNECT",
        Completion::Cancelled => b"",
    }
}

/// A final result code, copied out of the receive buffer.
enum OwnedFinal {
    Ok,
    Error,
    Cme(CmeText),
    SendOk,
    SendFail,
    CloseOk(Option<i64>),
    Connect(Option<Text>),
    NoCarrier,
}

fn own(code: FinalCode<'_>) -> OwnedFinal {
    match code {
        FinalCode::Ok => OwnedFinal::Ok,
        FinalCode::Error => OwnedFinal::Error,
        FinalCode::CmeError(CmeCode::Numeric(n)) => OwnedFinal::Cme(CmeText::Numeric(n)),
        FinalCode::CmeError(CmeCode::Verbose(t)) => {
            OwnedFinal::Cme(CmeText::Verbose(text(t.as_bytes())))
        }
        FinalCode::CmeError(CmeCode::Raw(t)) => OwnedFinal::Cme(CmeText::Verbose(text(t))),
        FinalCode::SendOk => OwnedFinal::SendOk,
        FinalCode::SendFail => OwnedFinal::SendFail,
        FinalCode::CloseOk { id } => OwnedFinal::CloseOk(id),
        FinalCode::Connect { rate } => OwnedFinal::Connect(rate.map(|r| text(r.as_bytes()))),
        FinalCode::NoCarrier => OwnedFinal::NoCarrier,
    }
}

/// The values of secret fields (`secret = true` in the spec) in a response
/// line of `form`.
fn secret_fields(form: &crate::desc::Form, line: &[u8], hex: bool, add: &mut dyn FnMut(&[u8])) {
    for l in form.responses {
        let fields = l.template.fields;
        if !fields.iter().any(|f| f.param.secret) {
            continue;
        }
        let Ok(v) = crate::codec::parse_line(l, line, hex) else {
            continue;
        };
        for (i, f) in fields.iter().enumerate() {
            if f.param.secret {
                let val = v.get(i);
                if let Some(b) = val.str().map(str::as_bytes).or(val.bytes()) {
                    add(b);
                }
            }
        }
    }
}

/// Where `inner` (a frame the digester cut out of `outer`) starts in `outer`.
fn offset_in(outer: &[u8], inner: &[u8]) -> usize {
    (inner.as_ptr() as usize)
        .saturating_sub(outer.as_ptr() as usize)
        .min(outer.len())
}

/// `+CMD:` (with or without a space after the colon).
fn has_own_prefix(command: &str, line: &[u8]) -> bool {
    line.strip_prefix(b"+")
        .and_then(|l| l.strip_prefix(command.as_bytes()))
        .is_some_and(|l| l.first() == Some(&b':'))
}

/// Where a frame belongs while a command waits for its final result code.
fn classify<'l, F: Family>(
    cmd: &dyn Command,
    frame: &'l [u8],
    payload: bool,
    unsolicited_word: bool,
    hex: bool,
    setting: crate::codec::Lookup<'_>,
) -> Class<'l> {
    if !payload {
        if let Some(code) = final_code::parse(frame) {
            if cmd.ends_with(&code, setting) {
                return Class::Final(code);
            }
            // Not this command's: a late `0,CLOSE OK` URC, or an answer it cannot have.
            return match F::parse_urc(frame, hex) {
                Some(Ok(_)) => Class::Urc,
                _ => Class::Stray,
            };
        }
    }
    let parsed = F::parse_urc(frame, hex);
    if matches!(parsed, Some(Ok(_))) {
        return Class::Urc;
    }
    if has_own_prefix(cmd.command(), frame) {
        return Class::Response;
    }
    if parsed.is_some()
        || F::URC_PREFIXES
            .iter()
            .any(|p| frame.starts_with(p.as_bytes()))
        || frame.first() == Some(&b'+')
        || unsolicited_word
    {
        return Class::Urc;
    }
    if starts_with_ignore_case(frame, b"AT") {
        // An echo that differs from what was sent (case, spacing): not an answer.
        return Class::Ignore;
    }
    Class::Response
}

/// The transmit buffer as a byte sink.
struct TxSink<'a, const N: usize>(&'a mut heapless::Vec<u8, N>);

impl<const N: usize> crate::sink::ByteSink for TxSink<'_, N> {
    fn put(&mut self, bytes: &[u8]) -> Result<(), crate::sink::Overflow> {
        self.0
            .extend_from_slice(bytes)
            .map_err(|_| crate::sink::Overflow)
    }
}

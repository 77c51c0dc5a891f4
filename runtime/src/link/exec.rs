//! Running one request on the blocking link: the session's exchange, driven
//! with the transport and the clock; the typed response parsed at the end.

use std::marker::PhantomData;
use std::time::Duration;

use super::error::{CmeError, LinkError};
use super::traffic::escape;
use super::urc::UrcFrame;
use super::{Clock, Link, Transport};
use crate::family::Family;
use crate::request::AtRequest;
use crate::session::{self, Command, Exchange, Failure, Opts, Raw, Step};

/// Per-call options.
#[derive(Debug, Clone, Copy, Default)]
pub struct Exec<'d> {
    /// The payload of the data phase (raw bytes; hex-encoded by the link when the
    /// data phase's `hex_when` setting holds).
    pub data: Option<&'d [u8]>,
    /// Replaces the manual's maximum response time, for each wait of the call.
    pub timeout: Option<Duration>,
    /// Answer the `>` prompt with ESC instead of data.
    pub cancel: bool,
}

/// How a successful command ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completion {
    Ok,
    SendOk,
    CloseOk {
        id: Option<i64>,
    },
    /// The link is now in transparent mode.
    Connect {
        rate: Option<String>,
    },
    /// The data phase was cancelled with ESC.
    Cancelled,
}

impl From<session::Completion> for Completion {
    fn from(c: session::Completion) -> Self {
        match c {
            session::Completion::Ok => Completion::Ok,
            session::Completion::SendOk => Completion::SendOk,
            session::Completion::CloseOk { id } => Completion::CloseOk { id },
            session::Completion::Connect { rate } => Completion::Connect {
                rate: rate.map(|r| String::from_utf8_lossy(&r).into_owned()),
            },
            session::Completion::Cancelled => Completion::Cancelled,
        }
    }
}

/// A successful answer: the information lines, the final code and the result URC.
pub struct Reply<R: AtRequest> {
    block: Vec<u8>,
    completion: Completion,
    result: Option<UrcFrame>,
    _request: PhantomData<fn() -> R>,
}

impl<R: AtRequest> std::fmt::Debug for Reply<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reply")
            .field("command", &R::COMMAND)
            .field("block", &escape(&self.block))
            .field("completion", &self.completion)
            .field("result", &self.result)
            .finish()
    }
}

impl<R: AtRequest> Reply<R> {
    /// The typed response. The link already parsed it once, so this only fails
    /// if `parse_response` is not deterministic.
    pub fn response(&self) -> Result<R::Response<'_>, crate::error::ParseError> {
        R::parse_response(&self.block)
    }

    /// The information lines, each ending in CR LF, payloads included.
    pub fn block(&self) -> &[u8] {
        &self.block
    }

    pub fn completion(&self) -> &Completion {
        &self.completion
    }

    /// The result URC of a two-phase command (`+QSSLOPEN: 1,0`).
    pub fn result_urc(
        &self,
    ) -> Option<Result<<R::Family as Family>::Urc<'_>, crate::error::ParseError>> {
        self.result.as_ref().and_then(|u| u.parse::<R::Family>())
    }

    pub fn result_frame(&self) -> Option<&UrcFrame> {
        self.result.as_ref()
    }
}

/// `AT+QSSLOPEN`, `AT+QSSLCFG="sslversion"`: how errors name the command.
pub fn command_name(command: &str, sub: Option<&str>) -> String {
    match sub {
        Some(sub) => format!("AT+{command}=\"{sub}\""),
        None => format!("AT+{command}"),
    }
}

/// The answer of a raw command: its information lines and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawReply {
    /// The information lines, each ending in CR LF.
    pub lines: Vec<u8>,
    pub completion: Completion,
}

impl RawReply {
    /// The information lines one by one, without their CR LF.
    pub fn lines(&self) -> impl Iterator<Item = &[u8]> {
        self.lines
            .split(|&b| b == b'\n')
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
            .filter(|l| !l.is_empty())
    }
}

impl<T: Transport, F: Family, C: Clock> Link<T, F, C> {
    /// Validates, writes and waits for the answer (and the result URC of a two-phase command).
    pub fn execute<R: AtRequest<Family = F>>(&mut self, req: &R) -> Result<Reply<R>, LinkError> {
        self.execute_with(req, Exec::default())
    }

    /// Like [`Link::execute`], waiting `timeout` instead of the manual's maximum response time.
    pub fn execute_timeout<R: AtRequest<Family = F>>(
        &mut self,
        req: &R,
        timeout: Duration,
    ) -> Result<Reply<R>, LinkError> {
        self.execute_with(
            req,
            Exec {
                timeout: Some(timeout),
                ..Exec::default()
            },
        )
    }

    /// Runs a request with a data phase: waits for `>`, writes `data` (and Ctrl+Z
    /// when the phase ends so), waits for the answer.
    pub fn send<R: AtRequest<Family = F>>(
        &mut self,
        req: &R,
        data: &[u8],
    ) -> Result<Reply<R>, LinkError> {
        self.execute_with(
            req,
            Exec {
                data: Some(data),
                ..Exec::default()
            },
        )
    }

    /// The general form of [`Link::execute`] and [`Link::send`].
    pub fn execute_with<R: AtRequest<Family = F>>(
        &mut self,
        req: &R,
        opts: Exec<'_>,
    ) -> Result<Reply<R>, LinkError> {
        self.execute_spec(req, opts)
    }

    /// Runs a typed request of any spec on this link: one a crate generated
    /// from its own TOML (bring-up commands such as AT+QIACT, written for the
    /// same module), with the same validation, URC separation and parsing.
    pub fn execute_spec<R: AtRequest>(
        &mut self,
        req: &R,
        opts: Exec<'_>,
    ) -> Result<Reply<R>, LinkError> {
        let command = command_name(R::COMMAND, R::SUB);
        let completion = self.run(req, opts, &command)?;
        let block = self.session.response().to_vec();
        let hex = self.session.payload_hex();
        let result = self
            .session
            .result_frame()
            .map(|f| UrcFrame::new::<F>(f.to_vec(), hex));
        if completion != Completion::Cancelled {
            if let Err(source) = R::parse_response(&block).map(|_| ()) {
                return Err(LinkError::Parse { command, source });
            }
        }
        Ok(Reply {
            block,
            completion,
            result,
            _request: PhantomData,
        })
    }

    /// Sends any AT command line (`AT+QIACT=1`) and waits up to `timeout` for
    /// its final result code: the same injection checks (no CR, LF, Ctrl+Z, ESC
    /// or NUL inside), URC separation and final-result parsing as typed requests.
    pub fn raw(&mut self, line: &str, timeout: Duration) -> Result<RawReply, LinkError> {
        let raw = Raw::new(line, timeout);
        let command = format!("AT+{}", raw.name());
        let command = if raw.name() == "AT" {
            "AT".to_string()
        } else {
            command
        };
        let completion = self.run(&raw, Exec::default(), &command)?;
        Ok(RawReply {
            lines: self.session.response().to_vec(),
            completion,
        })
    }

    /// Runs any [`Command`] (typed, built from descriptors, or raw); the response
    /// is then [`Link::session`]'s `response()`.
    pub fn run(
        &mut self,
        cmd: &dyn Command,
        opts: Exec<'_>,
        command: &str,
    ) -> Result<Completion, LinkError> {
        self.run_capped(cmd, opts, None, command)
    }

    /// [`Link::run`] with each wait capped by `cap` (the manual's maximum when shorter).
    pub fn run_capped(
        &mut self,
        cmd: &dyn Command,
        opts: Exec<'_>,
        cap: Option<Duration>,
        command: &str,
    ) -> Result<Completion, LinkError> {
        self.require_command_mode_for(command)?;
        self.sync_config();
        let opts = Opts {
            data: opts.data,
            timeout: opts.timeout,
            cancel: opts.cancel,
            cap,
        };
        let mut ex = match self.session.start(cmd, opts) {
            Ok(ex) => ex,
            Err(f) => return Err(self.link_error(command, f)),
        };
        match self.drive(&mut ex, command) {
            Ok(Ok(reply)) => Ok(reply.completion.into()),
            Ok(Err(f)) => Err(self.link_error(command, f)),
            Err(e) => {
                ex.abandon(&mut self.session);
                Err(e)
            }
        }
    }

    fn require_command_mode_for(&self, command: &str) -> Result<(), LinkError> {
        if self.session.is_transparent() {
            return Err(LinkError::Mode {
                command: command.to_string(),
                expected: "command mode; leave transparent mode with exit_transparent() first",
            });
        }
        Ok(())
    }

    /// Does what the exchange says until it is over. `Err`: the transport failed.
    fn drive(
        &mut self,
        ex: &mut Exchange<'_>,
        command: &str,
    ) -> Result<session::Outcome, LinkError> {
        let cap = self.config.urc_capacity;
        loop {
            let now = self.clock.now();
            match self.session.poll(ex, now) {
                Step::Write(bytes) => {
                    self.transport.write_all(bytes).map_err(|e| LinkError::Io {
                        context: format!("{command}: writing to the module"),
                        source: e,
                    })?;
                }
                Step::Wait(deadline) => {
                    self.fill(deadline, command)?;
                }
                Step::Sleep(until) => self.clock.sleep(until.saturating_sub(now)),
                Step::Urc(u) => {
                    Self::queue_urc(&mut self.urcs, &mut self.counts, cap, u.frame, u.hex)
                }
                Step::Done(outcome) => return Ok(outcome),
            }
        }
    }

    /// The link's error for a session failure of `command`.
    pub(crate) fn link_error(&self, command: &str, f: Failure) -> LinkError {
        let command = command.to_string();
        match f {
            Failure::Validation(v) => LinkError::Validation(v),
            Failure::Timeout {
                waited,
                waiting_for,
            } => LinkError::Timeout {
                command,
                waited,
                waiting_for,
            },
            Failure::Error => LinkError::Error { command },
            Failure::Cme { code } => match code {
                session::CmeText::Numeric(n) => LinkError::Cme {
                    command,
                    code: CmeError::Numeric(n),
                    description: self.session.describe_error(n),
                },
                session::CmeText::Verbose(t) => LinkError::Cme {
                    command,
                    code: CmeError::Verbose(String::from_utf8_lossy(&t).into_owned()),
                    description: None,
                },
            },
            Failure::Module { code, urc } => LinkError::Module {
                command,
                code,
                description: self.session.describe_error(code),
                urc: escape(&urc),
            },
            Failure::SendFail => LinkError::SendFail { command },
            Failure::NoCarrier => LinkError::NoCarrier { command },
            Failure::Protocol {
                unexpected,
                expected,
            } => LinkError::Protocol {
                command,
                unexpected: escape(&unexpected),
                expected,
            },
            Failure::Checksum {
                kind,
                local,
                module,
            } => LinkError::Checksum {
                command,
                kind,
                local,
                module,
            },
            Failure::Rebooted => LinkError::Rebooted { command },
            Failure::Overflow { what, limit } => LinkError::Overflow {
                command,
                what,
                limit,
            },
            Failure::Mode { expected } => LinkError::Mode { command, expected },
        }
    }
}

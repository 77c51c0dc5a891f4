//! Running one request: write, data phase, response, result URC.

use std::marker::PhantomData;
use std::time::Duration;

use super::data::{self, CTRL_Z, ESC};
use super::error::{CmeError, LinkError};
use super::traffic::{escape, show};
use super::urc::UrcFrame;
use super::{Clock, Event, Link, Transport};
use crate::error::{ParseError, Problem, ValidationError, Value};
use crate::family::Family;
use crate::final_code::{self, CmeCode, FinalCode};
use crate::request::{AtRequest, DataEnd};

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
    pub fn response(&self) -> Result<R::Response<'_>, ParseError> {
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
    pub fn result_urc(&self) -> Option<Result<<R::Family as Family>::Urc<'_>, ParseError>> {
        self.result.as_ref().and_then(|u| u.parse::<R::Family>())
    }

    pub fn result_frame(&self) -> Option<&UrcFrame> {
        self.result.as_ref()
    }
}

/// `AT+QSSLOPEN`, `AT+QSSLCFG="sslversion"`: how errors name the command.
pub(crate) fn command_name<R: AtRequest>() -> String {
    match R::SUB {
        Some(sub) => format!("AT+{}=\"{sub}\"", R::COMMAND),
        None => format!("AT+{}", R::COMMAND),
    }
}

enum Class<'l> {
    Final(FinalCode<'l>),
    Response,
    Urc,
    Ignore,
}

fn starts_with_ignore_case(line: &[u8], prefix: &[u8]) -> bool {
    line.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

/// `+CMD:` (with or without a space after the colon).
fn has_own_prefix<R: AtRequest>(line: &[u8]) -> bool {
    line.strip_prefix(b"+")
        .and_then(|l| l.strip_prefix(R::COMMAND.as_bytes()))
        .is_some_and(|l| l.first() == Some(&b':'))
}

fn millis(ms: u64) -> Duration {
    Duration::from_millis(ms)
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
        let command = command_name::<R>();
        self.require_command_mode(&command)?;
        req.validate_in(&|name| self.setting(name))?;
        let phase = req.data_phase();
        let data_err = |value, problem| {
            LinkError::Validation(ValidationError {
                family: F::ID,
                command: R::COMMAND,
                param: "data",
                value,
                problem,
            })
        };
        let wire = match (phase, opts.data) {
            (None, Some(d)) => {
                return Err(data_err(
                    Value::Len(d.len()),
                    Problem::PayloadTooLong { max: 0 },
                ))
            }
            (None, None) => None,
            (Some(_), None) if opts.cancel => None,
            (Some(_), None) => return Err(data_err(Value::Absent, Problem::PayloadEmpty)),
            (Some(p), Some(d)) => {
                let hex = self.holds(p.hex_when);
                Some(data::prepare(F::ID, R::COMMAND, &p, d, hex)?)
            }
        };
        let mut line = Vec::new();
        req.write_line(&mut line).map_err(|_| LinkError::Io {
            context: command.clone(),
            source: std::io::Error::other("the command line does not fit its buffer"),
        })?;
        let mut secrets = self.secrets.clone();
        req.secrets(&mut |s| {
            if !s.is_empty() {
                secrets.push(s.to_vec())
            }
        });

        // Whatever is already buffered arrived before this command: unsolicited.
        self.drain_buffered(&command)?;
        self.digester.expect_prompt(phase.is_some());
        self.echo_seen = false;
        self.echo.clone_from(&line);
        log::debug!(target: "atgen::at", "{} --> {}", F::ID, show(&line, &secrets));
        if let Err(e) = self.write(&line, &command) {
            self.recover_after_timeout();
            return Err(e);
        }

        let total = opts
            .timeout
            .unwrap_or_else(|| millis(req.max_response().total_ms(|name| self.setting(name))));
        let result = self.await_final(
            req,
            &command,
            total,
            phase.map(|p| (p, wire, opts.cancel)),
            &secrets,
        );
        self.echo.clear();
        self.digester.expect_prompt(false);
        let (completion, block) = result?;

        if completion == Completion::Cancelled {
            return Ok(Reply {
                block,
                completion,
                result: None,
                _request: PhantomData,
            });
        }
        if let Err(source) = R::parse_response(&block).map(|_| ()) {
            return Err(LinkError::Parse { command, source });
        }
        let mut result = None;
        if req.expects_result_urc() && !matches!(completion, Completion::Connect { .. }) {
            result = Some(self.await_result(req, &command, total)?);
        }
        let mut recorded = Vec::new();
        req.settings(&mut |name, value| recorded.push((name, value)));
        for (name, value) in recorded {
            self.set_setting(name, value);
        }
        if matches!(completion, Completion::Connect { .. }) {
            self.enter_transparent();
        }
        Ok(Reply {
            block,
            completion,
            result,
            _request: PhantomData,
        })
    }

    /// Phase one: prompt, data, information lines, final result code.
    fn await_final<R: AtRequest<Family = F>>(
        &mut self,
        req: &R,
        command: &str,
        total: Duration,
        mut phase: Option<(crate::request::DataPhase, Option<Vec<u8>>, bool)>,
        secrets: &[Vec<u8>],
    ) -> Result<(Completion, Vec<u8>), LinkError> {
        let mut block = Vec::new();
        let mut deadline = self.clock.now().saturating_add(total);
        let mut waited = total;
        let mut data_sent = false;
        let mut cancelled = false;
        let mut checksum = None;
        loop {
            let Some(ev) = self.next_event(deadline, command)? else {
                if cancelled {
                    return Ok((Completion::Cancelled, block));
                }
                self.recover_after_timeout();
                let waiting_for = match (&phase, data_sent) {
                    (Some(_), false) => "> prompt",
                    (_, true) => "final result code after the data",
                    (None, false) => "final result code",
                };
                return Err(LinkError::Timeout {
                    command: command.to_string(),
                    waited,
                    waiting_for,
                });
            };
            let frame = match ev {
                Event::Prompt => {
                    let Some((p, wire, cancel)) = phase.take() else {
                        continue;
                    };
                    let wait = self
                        .config
                        .prompt_wait
                        .unwrap_or_else(|| millis(u64::from(p.prompt_wait_ms)));
                    self.clock.sleep(wait);
                    if cancel {
                        log::debug!(target: "atgen::at", "{} --> <ESC>", F::ID);
                        self.write(&[ESC], command)?;
                        cancelled = true;
                        waited = self.config.cancel_wait;
                        deadline = self.clock.now().saturating_add(waited);
                        continue;
                    }
                    let wire = wire.unwrap_or_default();
                    if p.secret {
                        log::debug!(target: "atgen::at", "{} --> <{} secret bytes>", F::ID, wire.len());
                    } else {
                        log::debug!(target: "atgen::at", "{} --> {}", F::ID, show(&wire, secrets));
                    }
                    self.write(&wire, command)?;
                    if p.end == DataEnd::CtrlZ {
                        self.write(&[CTRL_Z], command)?;
                    }
                    data_sent = true;
                    if let Some(kind) = p.checksum {
                        checksum = Some((kind, data::local_checksum(kind, &wire)));
                    }
                    // With echo on, the module echoes the data too.
                    if self.echo_seen {
                        self.echo = wire;
                    } else {
                        self.echo.clear();
                    }
                    deadline = self.clock.now().saturating_add(total);
                    waited = total;
                    continue;
                }
                Event::Line(l) => (l, None),
                Event::Payload { frame, header, .. } => (frame, Some(header)),
            };
            let (frame, header) = frame;
            let class = self.classify::<R>(req, &frame, header.as_deref(), true);
            match class {
                Class::Final(code) => {
                    if cancelled {
                        return Ok((Completion::Cancelled, block));
                    }
                    let completion = self.final_result(command, code, phase.is_some())?;
                    if let Some((kind, local)) = checksum.take() {
                        let module = data::reported_checksum(kind, &block).ok_or_else(|| {
                            LinkError::Protocol {
                                command: command.to_string(),
                                unexpected: escape(&block),
                                expected: "an information line ending in the checksum of the data",
                            }
                        })?;
                        if module != local {
                            return Err(LinkError::Checksum {
                                command: command.to_string(),
                                kind,
                                local,
                                module,
                            });
                        }
                    }
                    return Ok((completion, block));
                }
                Class::Response => {
                    block.extend_from_slice(&frame);
                    block.extend_from_slice(b"\r\n");
                }
                Class::Urc => {
                    let u = self.urc(frame);
                    self.urcs.push_back(u);
                }
                Class::Ignore => {}
            }
        }
    }

    fn final_result(
        &self,
        command: &str,
        code: FinalCode<'_>,
        awaiting_prompt: bool,
    ) -> Result<Completion, LinkError> {
        let command = command.to_string();
        let completion = match code {
            FinalCode::Ok => Completion::Ok,
            FinalCode::SendOk => Completion::SendOk,
            FinalCode::CloseOk { id } => Completion::CloseOk { id },
            FinalCode::Connect { rate } => Completion::Connect {
                rate: rate.map(str::to_string),
            },
            FinalCode::Error => return Err(LinkError::Error { command }),
            FinalCode::CmeError(CmeCode::Numeric(n)) => {
                return Err(LinkError::Cme {
                    command,
                    code: CmeError::Numeric(n),
                    description: (self.describe_error)(n),
                })
            }
            FinalCode::CmeError(CmeCode::Verbose(t)) => {
                return Err(LinkError::Cme {
                    command,
                    code: CmeError::Verbose(t.to_string()),
                    description: None,
                })
            }
            FinalCode::SendFail => return Err(LinkError::SendFail { command }),
            FinalCode::NoCarrier => return Err(LinkError::NoCarrier { command }),
        };
        if awaiting_prompt {
            return Err(LinkError::Protocol {
                command,
                unexpected: format!("{completion:?}"),
                expected: "the > prompt before the data",
            });
        }
        Ok(completion)
    }

    /// Phase two: the URC that carries the result (`+QSSLOPEN: <id>,<err>`).
    fn await_result<R: AtRequest<Family = F>>(
        &mut self,
        req: &R,
        command: &str,
        total: Duration,
    ) -> Result<UrcFrame, LinkError> {
        let deadline = self.clock.now().saturating_add(total);
        loop {
            let Some(ev) = self.next_event(deadline, command)? else {
                self.recover_after_timeout();
                return Err(LinkError::Timeout {
                    command: command.to_string(),
                    waited: total,
                    waiting_for: "result URC",
                });
            };
            let frame = match ev {
                Event::Prompt => continue,
                Event::Line(f) | Event::Payload { frame: f, .. } => f,
            };
            let hex = self.digester.hex();
            let verdict = match F::parse_urc(&frame, hex) {
                Some(Ok(urc)) if req.is_result(&urc) => Some(F::urc_error(&urc)),
                _ => None,
            };
            let u = self.urc(frame);
            match verdict {
                None => self.urcs.push_back(u),
                Some(None) => return Ok(u),
                Some(Some(code)) => {
                    return Err(LinkError::Module {
                        command: command.to_string(),
                        code,
                        description: (self.describe_error)(code),
                        urc: u.text(),
                    })
                }
            }
        }
    }

    /// Where a frame belongs while `req` waits for its final result code.
    fn classify<'l, R: AtRequest<Family = F>>(
        &self,
        req: &R,
        frame: &'l [u8],
        payload_header: Option<&[u8]>,
        in_response: bool,
    ) -> Class<'l> {
        let head = payload_header.unwrap_or(frame);
        if in_response && payload_header.is_none() {
            if let Some(code) = final_code::parse(frame) {
                // A code this command cannot end with is someone else's (a late `0,CLOSE OK`).
                let fits = match code {
                    FinalCode::SendOk | FinalCode::SendFail => req.data_phase().is_some(),
                    FinalCode::CloseOk { .. } => R::COMMAND.contains("CLOSE"),
                    FinalCode::Connect { .. } | FinalCode::NoCarrier => req.connects(),
                    _ => true,
                };
                return if fits { Class::Final(code) } else { Class::Urc };
            }
        }
        let parsed = F::parse_urc(frame, self.digester.hex());
        if matches!(parsed, Some(Ok(_))) {
            return Class::Urc;
        }
        if in_response && has_own_prefix::<R>(head) {
            return Class::Response;
        }
        if parsed.is_some() || Self::has_urc_prefix(head) || head.first() == Some(&b'+') {
            return Class::Urc;
        }
        if self.is_unsolicited_word(head) {
            return Class::Urc;
        }
        if !in_response {
            return Class::Urc;
        }
        if starts_with_ignore_case(head, b"AT") {
            // An echo that differs from what was sent (case, spacing): not an answer.
            return Class::Ignore;
        }
        Class::Response
    }
}

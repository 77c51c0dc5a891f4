//! The link driver: one module on one transport.
//!
//! ```no_run
//! # use atgen_runtime::link::{Link, SerialTransport};
//! # fn demo<F: atgen_runtime::Family, R: atgen_runtime::AtRequest<Family = F>>(req: R) -> Result<(), atgen_runtime::link::LinkError> {
//! let mut link: Link<SerialTransport, F> = Link::open("/dev/ttyUSB2", 115_200)?;
//! let reply = link.execute(&req)?;          // validated, written, answered
//! let _typed = reply.response();            // R::Response, parsed from the information lines
//! while let Some(urc) = link.pop_urc() {    // everything unsolicited, in arrival order
//!     let _ = urc.parse::<F>();
//! }
//! # Ok(()) }
//! ```

mod clock;
mod data;
mod error;
mod exec;
pub mod script;
mod traffic;
mod transparent;
mod transport;
mod urc;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{CmeError, LinkError};
pub use exec::{Completion, Exec, Reply};
pub use traffic::escape;
pub use transport::{SerialTransport, StreamTransport, Transport};
pub use urc::{UrcFrame, UrcKind};

use std::collections::{BTreeMap, VecDeque};
use std::marker::PhantomData;
use std::time::Duration;

use crate::digest::{Digester, Frame, DEFAULT_MAX_LINE, DEFAULT_MAX_PAYLOAD};
use crate::family::Family;
use crate::request::When;

/// Tunables. The defaults follow the manuals.
#[derive(Debug, Clone)]
pub struct Config {
    /// Silence before and after `+++` (the manuals: at least 1 s).
    pub guard_time: Duration,
    /// How long to wait for `OK` after `+++`.
    pub escape_timeout: Duration,
    /// How long to wait for an answer after ESC cancelled a data phase.
    pub cancel_wait: Duration,
    /// Longest line before it is cut (garbage without line ends).
    pub max_line: usize,
    /// Longest believable announced payload.
    pub max_payload: usize,
    /// Lines without a `+` prefix that are always unsolicited, never part of a response.
    pub unsolicited: Vec<String>,
    /// Overrides the manual's recommended wait after a `>` prompt (BC26: 500 ms);
    /// `None` keeps the manual's value.
    pub prompt_wait: Option<Duration>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            guard_time: Duration::from_secs(1),
            escape_timeout: Duration::from_secs(5),
            cancel_wait: Duration::from_secs(1),
            max_line: DEFAULT_MAX_LINE,
            max_payload: DEFAULT_MAX_PAYLOAD,
            unsolicited: [
                "RDY",
                "NORMAL POWER DOWN",
                "POWERED DOWN",
                "UNDER-VOLTAGE POWER DOWN",
                "UNDER-VOLTAGE WARNING",
                "OVER-VOLTAGE POWER DOWN",
                "OVER-VOLTAGE WARNING",
                "Call Ready",
                "SMS Ready",
                "PB DONE",
                "+PBREADY",
            ]
            .iter()
            .map(|s| (*s).to_string())
            .collect(),
            prompt_wait: None,
        }
    }
}

/// A frame taken out of the receive buffer.
#[derive(Debug)]
pub(crate) enum Event {
    Prompt,
    Line(Vec<u8>),
    /// `frame` as in [`Frame::Payload`]; `header` without its CR LF.
    Payload {
        frame: Vec<u8>,
        header: Vec<u8>,
        data_len: usize,
    },
}

/// One module on one transport: writes requests, frames what comes back, keeps
/// URCs in a queue and remembers settings made by earlier commands.
pub struct Link<T, F: Family, C: Clock = SystemClock> {
    transport: T,
    clock: C,
    config: Config,
    rx: Vec<u8>,
    rx_start: usize,
    digester: Digester,
    /// The bytes just sent, dropped when echoed back (ATE1).
    echo: Vec<u8>,
    echo_seen: bool,
    urcs: VecDeque<UrcFrame>,
    settings: BTreeMap<String, i64>,
    hex_override: Option<bool>,
    secrets: Vec<Vec<u8>>,
    describe_error: fn(i64) -> Option<&'static str>,
    transparent: Option<transparent::State>,
    _family: PhantomData<fn() -> F>,
}

impl<T: Transport, F: Family> Link<T, F, SystemClock> {
    /// A link over any transport, with the real clock.
    pub fn new(transport: T) -> Self {
        Self::with_clock(transport, SystemClock::default())
    }
}

impl<F: Family> Link<SerialTransport, F, SystemClock> {
    /// Opens a serial device (`/dev/ttyUSB2`, `COM3`) at `baud`, 8N1.
    pub fn open(path: &str, baud: u32) -> Result<Self, LinkError> {
        let transport = SerialTransport::open(path, baud).map_err(|e| LinkError::Io {
            context: format!("opening {path} at {baud} baud"),
            source: e.into(),
        })?;
        Ok(Self::new(transport))
    }
}

impl<T: Transport, F: Family, C: Clock> Link<T, F, C> {
    /// A link with an injected clock (tests: [`ManualClock`]).
    pub fn with_clock(transport: T, clock: C) -> Self {
        Self::with_config(transport, clock, Config::default())
    }

    pub fn with_config(transport: T, clock: C, config: Config) -> Self {
        let digester = Digester::new().with_limits(config.max_line, config.max_payload);
        let mut link = Link {
            transport,
            clock,
            config,
            rx: Vec::new(),
            rx_start: 0,
            digester,
            echo: Vec::new(),
            echo_seen: false,
            urcs: VecDeque::new(),
            settings: BTreeMap::new(),
            hex_override: None,
            secrets: Vec::new(),
            describe_error: F::describe_error,
            transparent: None,
            _family: PhantomData,
        };
        link.update_hex();
        link
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    pub fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    pub fn clock(&self) -> &C {
        &self.clock
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Changing the line and payload limits takes effect at the next frame.
    pub fn config_mut(&mut self) -> &mut Config {
        &mut self.config
    }

    pub fn into_transport(self) -> T {
        self.transport
    }

    // ---- settings ----

    /// Records a setting (the manual's parameter name), e.g. after a command the
    /// link cannot see into: `negotiate_time`, `closetimemode`, `recv_data_format`.
    pub fn set_setting(&mut self, name: &str, value: i64) {
        self.settings.insert(name.to_string(), value);
        self.update_hex();
    }

    pub fn setting(&self, name: &str) -> Option<i64> {
        self.settings.get(name).copied()
    }

    pub fn clear_setting(&mut self, name: &str) {
        self.settings.remove(name);
        self.update_hex();
    }

    /// Every recorded setting.
    pub fn settings(&self) -> &BTreeMap<String, i64> {
        &self.settings
    }

    /// Forces received payloads to be read as hex text (or not), whatever the
    /// settings say; `None` goes back to [`Family::PAYLOAD_HEX_WHEN`].
    pub fn set_payload_hex(&mut self, hex: Option<bool>) {
        self.hex_override = hex;
        self.update_hex();
    }

    /// Whether received payloads are read as hex text now.
    pub fn payload_hex(&self) -> bool {
        self.digester.hex()
    }

    pub(crate) fn holds(&self, when: Option<When>) -> bool {
        when.is_some_and(|w| self.setting(w.param) == Some(w.equals))
    }

    fn update_hex(&mut self) {
        let hex = self
            .hex_override
            .unwrap_or_else(|| self.holds(F::PAYLOAD_HEX_WHEN));
        self.digester.set_hex(hex);
    }

    // ---- secrets and errors ----

    /// Never log these bytes (a PSK key, a password); they show as `***`.
    pub fn add_secret(&mut self, secret: impl AsRef<[u8]>) {
        let s = secret.as_ref();
        if !s.is_empty() && !self.secrets.iter().any(|x| x == s) {
            self.secrets.push(s.to_vec());
        }
    }

    /// Replaces the family's error table look-up ([`Family::describe_error`]).
    pub fn set_error_lookup(&mut self, lookup: fn(i64) -> Option<&'static str>) {
        self.describe_error = lookup;
    }

    // ---- URCs ----

    /// The oldest unsolicited frame.
    pub fn pop_urc(&mut self) -> Option<UrcFrame> {
        self.urcs.pop_front()
    }

    /// Every queued unsolicited frame, oldest first.
    pub fn drain_urcs(&mut self) -> std::collections::vec_deque::Drain<'_, UrcFrame> {
        self.urcs.drain(..)
    }

    pub fn urcs(&self) -> &VecDeque<UrcFrame> {
        &self.urcs
    }

    /// Removes and returns every queued frame for which `take` holds, oldest
    /// first; the others stay queued in their order. No I/O.
    pub fn take_urcs(&mut self, mut take: impl FnMut(&UrcFrame) -> bool) -> Vec<UrcFrame> {
        let mut taken = Vec::new();
        let mut kept = VecDeque::with_capacity(self.urcs.len());
        for u in self.urcs.drain(..) {
            if take(&u) {
                taken.push(u);
            } else {
                kept.push_back(u);
            }
        }
        self.urcs = kept;
        taken
    }

    /// Reads from the module while no command runs, until at least one URC is
    /// queued or `timeout` passes. Returns how many were queued.
    pub fn poll_urcs(&mut self, timeout: Duration) -> Result<usize, LinkError> {
        self.require_command_mode("polling for URCs")?;
        let before = self.urcs.len();
        let mut deadline = self.clock.now().saturating_add(timeout);
        while let Some(ev) = self.next_event(deadline, "polling for URCs")? {
            self.route_idle(ev);
            if self.urcs.len() > before {
                // Take what is already buffered, then return.
                deadline = Duration::ZERO;
            }
        }
        Ok(self.urcs.len() - before)
    }

    /// Removes and returns the first URC (queued or arriving within `timeout`)
    /// for which `matches` holds; the others stay queued in order.
    pub fn wait_urc(
        &mut self,
        timeout: Duration,
        mut matches: impl FnMut(&UrcFrame) -> bool,
    ) -> Result<Option<UrcFrame>, LinkError> {
        let deadline = self.clock.now().saturating_add(timeout);
        let mut checked = 0;
        loop {
            if let Some(i) = self.urcs.iter().skip(checked).position(&mut matches) {
                return Ok(self.urcs.remove(checked + i));
            }
            checked = self.urcs.len();
            let now = self.clock.now();
            if now >= deadline {
                return Ok(None);
            }
            self.poll_urcs(deadline - now)?;
        }
    }

    // ---- framing ----

    fn require_command_mode(&self, what: &str) -> Result<(), LinkError> {
        if self.transparent.is_some() {
            return Err(LinkError::Mode {
                command: what.to_string(),
                expected: "command mode; leave transparent mode with exit_transparent() first",
            });
        }
        Ok(())
    }

    /// The next frame, reading as needed until `deadline`; `None` when it passed.
    pub(crate) fn next_event(
        &mut self,
        deadline: Duration,
        context: &str,
    ) -> Result<Option<Event>, LinkError> {
        loop {
            let buf = self.rx.get(self.rx_start..).unwrap_or(&[]);
            let (frame, used) = self.digester.digest::<F>(buf, &self.echo);
            let event = match frame {
                Frame::None => None,
                Frame::Echo => {
                    log::trace!(target: "atgen::at", "{} <-- (echo)", F::ID);
                    self.echo_seen = true;
                    None
                }
                Frame::Prompt => Some(Event::Prompt),
                Frame::Line(l) => Some(Event::Line(l.to_vec())),
                Frame::Payload {
                    frame,
                    header,
                    data,
                } => Some(Event::Payload {
                    frame: frame.to_vec(),
                    header: header.to_vec(),
                    data_len: data.len(),
                }),
            };
            if matches!(frame, Frame::Echo) {
                self.echo.clear();
            }
            self.rx_start += used;
            if let Some(ev) = event {
                self.log_event(&ev);
                return Ok(Some(ev));
            }
            if used > 0 {
                continue;
            }
            if !self.fill(deadline, context)? {
                return Ok(None);
            }
        }
    }

    fn log_event(&self, ev: &Event) {
        if !log::log_enabled!(target: "atgen::at", log::Level::Debug) {
            return;
        }
        match ev {
            Event::Prompt => log::debug!(target: "atgen::at", "{} <-- >", F::ID),
            Event::Line(l) => {
                log::debug!(target: "atgen::at", "{} <-- {}", F::ID, traffic::show(l, &self.secrets))
            }
            Event::Payload {
                frame,
                header,
                data_len,
            } => {
                log::debug!(
                    target: "atgen::at",
                    "{} <-- {} <{data_len} bytes>",
                    F::ID,
                    traffic::show(header, &self.secrets),
                );
                log::trace!(target: "atgen::at", "{} <-- {}", F::ID, traffic::show(frame, &self.secrets));
            }
        }
    }

    /// Reads more bytes; `false` when the deadline passed.
    fn fill(&mut self, deadline: Duration, context: &str) -> Result<bool, LinkError> {
        let now = self.clock.now();
        if now >= deadline {
            return Ok(false);
        }
        if self.rx_start >= self.rx.len() {
            self.rx.clear();
            self.rx_start = 0;
        } else if self.rx_start > 8192 {
            self.rx.drain(..self.rx_start);
            self.rx_start = 0;
        }
        let mut tmp = [0u8; 2048];
        let n = self
            .transport
            .read(&mut tmp, deadline - now)
            .map_err(|e| LinkError::Io {
                context: format!("{context}: reading from the module"),
                source: e,
            })?;
        self.rx.extend_from_slice(tmp.get(..n).unwrap_or(&[]));
        Ok(true)
    }

    /// After a timeout: a payload that never completed must not wedge the next command.
    pub(crate) fn recover_after_timeout(&mut self) {
        self.echo.clear();
        // Before `expect_prompt`, which forgets the partial line.
        let in_payload = self.digester.in_payload();
        self.digester.expect_prompt(false);
        if in_payload {
            let dropped = self.rx.len().saturating_sub(self.rx_start);
            log::warn!(
                target: "atgen::at",
                "{}: dropping {dropped} bytes of a payload that never completed",
                F::ID
            );
            self.rx.clear();
            self.rx_start = 0;
            self.digester.reset();
        }
    }

    pub(crate) fn write(&mut self, bytes: &[u8], context: &str) -> Result<(), LinkError> {
        self.transport.write_all(bytes).map_err(|e| LinkError::Io {
            context: format!("{context}: writing to the module"),
            source: e,
        })
    }

    // ---- routing ----

    /// Whether a bare line (no `+` prefix) is one of the always-unsolicited ones.
    fn is_unsolicited_word(&self, line: &[u8]) -> bool {
        self.config.unsolicited.iter().any(|w| w.as_bytes() == line)
    }

    fn has_urc_prefix(line: &[u8]) -> bool {
        F::URC_PREFIXES
            .iter()
            .any(|p| line.starts_with(p.as_bytes()))
    }

    pub(crate) fn urc(&self, frame: Vec<u8>) -> UrcFrame {
        UrcFrame::new::<F>(frame, self.digester.hex())
    }

    /// Queues a frame that arrived while no command was waiting for it.
    pub(crate) fn route_idle(&mut self, ev: Event) {
        match ev {
            Event::Prompt => {}
            Event::Line(frame) | Event::Payload { frame, .. } => {
                let u = self.urc(frame);
                self.urcs.push_back(u);
            }
        }
    }

    /// Queues every complete frame already received (before a command is written).
    pub(crate) fn drain_buffered(&mut self, context: &str) -> Result<(), LinkError> {
        while let Some(ev) = self.next_event(Duration::ZERO, context)? {
            self.route_idle(ev);
        }
        Ok(())
    }
}

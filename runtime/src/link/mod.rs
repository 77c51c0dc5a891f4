//! The blocking std driver: one module on one transport, over the sans-IO
//! [`session`] core.
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
//!
//! The link only moves bytes and time: every decision (framing, prompts, data
//! phases, final codes, result URCs, settings, transparent mode) is the core's.
//! Unsolicited frames go to a queue of at most [`Config::urc_capacity`] frames;
//! when it is full the new frame is dropped and counted ([`Link::urc_overflow`]).

mod clock;
mod error;
mod exec;
mod replay;
pub mod script;
mod traffic;
mod transparent;
mod transport;
mod urc;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{CmeError, LinkError};
pub use exec::{command_name, Completion, Exec, RawReply, Reply};
pub use replay::{Divergence, Pace, Replay};
pub use traffic::escape;
pub use transport::{SerialTransport, StreamTransport, Transport};
pub use urc::{UrcFrame, UrcKind};

use std::collections::VecDeque;
use std::marker::PhantomData;
use std::time::Duration;

use crate::digest::{DEFAULT_MAX_LINE, DEFAULT_MAX_PAYLOAD};
use crate::family::Family;
use crate::session::{self, Ids, Session};
use crate::setting::SettingKey;

/// The longest command line the std driver writes (its transmit buffer).
pub const MAX_COMMAND_LINE: usize = 2048;

/// The session of the std driver: 16 KiB of unframed input, 64 KiB of response.
pub type StdSession<F> = Session<F, 16384, 65536, MAX_COMMAND_LINE>;

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
    /// Longest believable announced payload (at most 12 KiB: the receive buffer
    /// holds a header and its payload at once).
    pub max_payload: usize,
    /// Lines without a `+` prefix that are always unsolicited, never part of a response.
    pub unsolicited: Vec<String>,
    /// Overrides the manual's recommended wait after a `>` prompt (BC26: 500 ms);
    /// `None` keeps the manual's value.
    pub prompt_wait: Option<Duration>,
    /// The most unsolicited frames kept; a new frame beyond it is dropped and counted.
    pub urc_capacity: usize,
    /// A restart line (`RDY`) fails the command under way at once (see
    /// [`session::Config::abort_on_restart`]); the socket turns this on.
    pub abort_on_restart: bool,
    /// Quiet time after a timeout before the next command is written (see
    /// [`session::Config::resync_quiet`]).
    pub resync_quiet: Duration,
}

impl Default for Config {
    fn default() -> Self {
        let core = session::Config::default();
        Config {
            guard_time: core.guard_time,
            escape_timeout: core.escape_timeout,
            cancel_wait: core.cancel_wait,
            max_line: DEFAULT_MAX_LINE,
            max_payload: DEFAULT_MAX_PAYLOAD,
            unsolicited: session::UNSOLICITED
                .iter()
                .map(|s| (*s).to_string())
                .collect(),
            prompt_wait: None,
            urc_capacity: 1024,
            abort_on_restart: false,
            resync_quiet: core.resync_quiet,
        }
    }
}

impl Config {
    fn core(&self) -> session::Config {
        let mut unsolicited = heapless::Vec::new();
        for w in &self.unsolicited {
            let mut s = heapless::String::new();
            if s.push_str(w).is_ok() {
                let _ = unsolicited.push(s);
            }
        }
        session::Config {
            guard_time: self.guard_time,
            escape_timeout: self.escape_timeout,
            cancel_wait: self.cancel_wait,
            max_line: self.max_line,
            max_payload: self.max_payload,
            prompt_wait: self.prompt_wait,
            unsolicited,
            abort_on_restart: self.abort_on_restart,
            resync_quiet: self.resync_quiet,
        }
    }
}

/// What the URC queue counted.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct UrcCounts {
    dropped: u64,
    restarts: u64,
}

/// One module on one transport: writes requests, frames what comes back, keeps
/// URCs in a queue and remembers settings made by earlier commands.
pub struct Link<T, F: Family, C: Clock = SystemClock> {
    transport: T,
    clock: C,
    config: Config,
    /// The config the session runs with (compared to notice changes).
    applied: Option<(usize, usize)>,
    session: Box<StdSession<F>>,
    urcs: VecDeque<UrcFrame>,
    counts: UrcCounts,
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
        let session = Box::new(StdSession::<F>::new(config.core()));
        let mut link = Link {
            transport,
            clock,
            config,
            applied: None,
            session,
            urcs: VecDeque::new(),
            counts: UrcCounts::default(),
            _family: PhantomData,
        };
        link.sync_config();
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

    /// The sans-IO session under the link (settings, secrets, framing).
    pub fn session(&self) -> &StdSession<F> {
        &self.session
    }

    pub fn session_mut(&mut self) -> &mut StdSession<F> {
        &mut self.session
    }

    /// Hands the std config to the session (before every operation: cheap).
    pub(crate) fn sync_config(&mut self) {
        *self.session.config_mut() = self.config.core();
        let limits = (self.config.max_line, self.config.max_payload);
        if self.applied != Some(limits) {
            self.session.apply_limits();
            self.applied = Some(limits);
        }
    }

    // ---- settings ----

    /// Records a setting (the manual's parameter name) for every context, e.g.
    /// after a command the link cannot see into: `negotiate_time`, `closetimemode`.
    pub fn set_setting(&mut self, setting: impl SettingKey<F>, value: i64) {
        self.session
            .set_setting(setting.setting_name(), Ids::new(), value);
    }

    /// The value of a setting (for a context: [`Session::setting`]).
    pub fn setting(&self, setting: impl SettingKey<F>) -> Option<i64> {
        self.session.setting(setting.setting_name(), &Ids::new())
    }

    /// The value of a setting for the context these ids name (`<SSL_ctxID>`=1).
    pub fn setting_for(&self, setting: impl SettingKey<F>, ids: &Ids) -> Option<i64> {
        self.session.setting(setting.setting_name(), ids)
    }

    /// Forgets every value of a setting.
    pub fn clear_setting(&mut self, setting: impl SettingKey<F>) {
        self.session.clear_setting(setting.setting_name());
    }

    /// Every recorded setting: (parameter, context ids, value).
    pub fn settings(&self) -> impl Iterator<Item = (&str, &Ids, i64)> {
        self.session.settings().iter()
    }

    /// Forces received payloads to be read as hex text (or not), whatever the
    /// settings say; `None` goes back to [`Family::PAYLOAD_HEX_WHEN`].
    pub fn set_payload_hex(&mut self, hex: Option<bool>) {
        self.session.set_payload_hex(hex);
    }

    /// Whether received payloads are read as hex text now.
    pub fn payload_hex(&self) -> bool {
        self.session.payload_hex()
    }

    // ---- secrets and errors ----

    /// Never log these bytes (a PSK key, a password); they show as `***`.
    pub fn add_secret(&mut self, secret: impl AsRef<[u8]>) {
        self.session.add_secret(secret.as_ref());
    }

    /// Replaces the family's error table look-up ([`Family::describe_error`]).
    pub fn set_error_lookup(&mut self, lookup: fn(i64) -> Option<&'static str>) {
        self.session.set_error_lookup(lookup);
    }

    // ---- URCs ----

    pub(crate) fn queue_urc(
        urcs: &mut VecDeque<UrcFrame>,
        counts: &mut UrcCounts,
        cap: usize,
        frame: &[u8],
        hex: bool,
    ) {
        // Counted before the queue can drop it: a restart is never missed.
        if frame == crate::session::RESTART.as_bytes() {
            counts.restarts = counts.restarts.saturating_add(1);
        }
        if urcs.len() >= cap {
            counts.dropped = counts.dropped.saturating_add(1);
            crate::trace::note::<F>("URC queue full; a frame was dropped", urcs.len());
            return;
        }
        urcs.push_back(UrcFrame::new::<F>(frame.to_vec(), hex));
    }

    /// How many unsolicited frames were dropped because the queue was full,
    /// since the last call.
    pub fn urc_overflow(&mut self) -> u64 {
        std::mem::take(&mut self.counts.dropped)
    }

    /// How many restart lines (`RDY`) the module printed since the link was made
    /// (whether or not they are still queued).
    pub fn restarts(&self) -> u64 {
        self.counts.restarts
    }

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

    /// Queues every complete frame already received (no I/O).
    pub(crate) fn drain_buffered(&mut self) {
        let cap = self.config.urc_capacity;
        while let Some(u) = self.session.poll_idle() {
            Self::queue_urc(&mut self.urcs, &mut self.counts, cap, u.frame, u.hex);
        }
    }

    /// Reads from the module while no command runs, until at least one URC is
    /// queued or `timeout` passes. Returns how many were queued.
    pub fn poll_urcs(&mut self, timeout: Duration) -> Result<usize, LinkError> {
        self.require_command_mode("polling for URCs")?;
        self.sync_config();
        let before = self.urcs.len();
        let deadline = self.clock.now().saturating_add(timeout);
        loop {
            self.drain_buffered();
            if self.urcs.len() > before {
                return Ok(self.urcs.len() - before);
            }
            if !self.fill(deadline, "polling for URCs")? {
                self.drain_buffered();
                return Ok(self.urcs.len() - before);
            }
        }
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

    // ---- bytes ----

    fn require_command_mode(&self, what: &str) -> Result<(), LinkError> {
        if self.session.is_transparent() {
            return Err(LinkError::Mode {
                command: what.to_string(),
                expected: "command mode; leave transparent mode with exit_transparent() first",
            });
        }
        Ok(())
    }

    /// Reads what arrives before `deadline` into the session; `false` when the
    /// deadline has passed.
    pub(crate) fn fill(&mut self, deadline: Duration, context: &str) -> Result<bool, LinkError> {
        let now = self.clock.now();
        if now >= deadline {
            return Ok(false);
        }
        let space = self.session.rx_space().min(4096);
        if space == 0 {
            return Err(LinkError::Overflow {
                command: context.to_string(),
                what: "unframed input",
                limit: self.session.rx_space(),
            });
        }
        let mut tmp = [0u8; 4096];
        let buf = tmp.get_mut(..space).unwrap_or(&mut []);
        let n = self
            .transport
            .read(buf, deadline - now)
            .map_err(|e| LinkError::Io {
                context: format!("{context}: reading from the module"),
                source: e,
            })?;
        self.session.feed(buf.get(..n).unwrap_or(&[]));
        Ok(true)
    }

    pub(crate) fn write(&mut self, bytes: &[u8], context: &str) -> Result<(), LinkError> {
        self.transport.write_all(bytes).map_err(|e| LinkError::Io {
            context: format!("{context}: writing to the module"),
            source: e,
        })
    }
}

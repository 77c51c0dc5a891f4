//! The sans-IO core: one module on one byte stream, as pure state machines.
//!
//! A [`Session`] holds what lasts between commands (framing, settings, secrets,
//! echo, transparent mode); an [`Exchange`] is the lifecycle of one command:
//! write the line, wait for the prompt, write the data, collect information
//! lines, take the final result code and the result URC. Neither touches a
//! transport or a clock: the driver feeds received bytes ([`Session::feed`]),
//! passes the time in, and does what each [`Step`] says (write these bytes,
//! wait until a deadline, sleep, take an unsolicited frame, done). The three
//! drivers (blocking std [`crate::link::Link`], blocking `embedded-io`
//! `nb`, async `asynch`) only move bytes and time.
//!
//! Memory is bounded by the const parameters: `RX` bytes of received but not
//! yet framed input (a line or payload longer than the digester's limits is cut
//! or refused, so it never grows past them) and `BLK` bytes of a command's
//! information response. URCs are handed to the driver one at a time as they
//! are framed ([`Step::Urc`]); drivers keep them in a bounded queue
//! ([`UrcQueue`]) that counts what it had to drop.

mod command;
mod exchange;
mod secrets;
mod settings;
mod transparent;
mod urcs;

pub use command::{final_kind, Command, DynRequest, Raw};
pub use exchange::{
    CmeText, Completion, Exchange, Failure, Opts, Outcome, Reply, Step, Text, Urc, TEXT_LEN,
};
pub use secrets::{Secrets, Shown};
pub use settings::{Ids, Name, Settings, NAME_LEN};
pub use transparent::{Escape, EscapeStep, TransparentRead};
pub use urcs::{QueuedUrc, UrcQueue};

use core::marker::PhantomData;
use core::time::Duration;

use crate::digest::{Digester, DEFAULT_MAX_LINE, DEFAULT_MAX_PAYLOAD};
use crate::family::Family;
use crate::request::When;

/// Words that are always unsolicited lines, never part of a response (module
/// power and boot notices of the Quectel and China Mobile AT manuals).
pub const UNSOLICITED: &[&str] = &[
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
];

/// The word of [`UNSOLICITED`] `line` is, if any: told by its length first,
/// as most lines have a length no word has.
#[inline]
pub fn unsolicited_word(line: &[u8]) -> Option<&'static str> {
    /// A bit per length a word has (every word is shorter than 64 bytes).
    const LENGTHS: u64 = {
        let mut bits = 0u64;
        let mut i = 0;
        while i < UNSOLICITED.len() {
            assert!(UNSOLICITED[i].len() < 64);
            bits |= 1 << UNSOLICITED[i].len();
            i += 1;
        }
        bits
    };
    if line.len() >= 64 || LENGTHS >> line.len() & 1 == 0 {
        return None;
    }
    UNSOLICITED.iter().find(|w| w.as_bytes() == line).copied()
}

/// The line a module prints after it restarted.
pub const RESTART: &str = "RDY";

/// The longest quiet time after a timeout (see [`Config::resync_quiet`]).
pub const RESYNC_MAX: Duration = Duration::from_secs(2);

/// The longest unsolicited word kept in [`Config::unsolicited`].
pub const WORD_LEN: usize = 32;

/// Tunables of a session. The defaults follow the manuals.
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
    /// Overrides the manual's recommended wait after a `>` prompt (BC26: 500 ms).
    pub prompt_wait: Option<Duration>,
    /// Lines without a `+` prefix that are always unsolicited.
    pub unsolicited: heapless::Vec<heapless::String<WORD_LEN>, 16>,
    /// A restart line (`RDY`) ends the command under way with
    /// [`Failure::Rebooted`] instead of waiting out its timeout. The socket and
    /// the modem turn this on: a restart loses every connection. Off for the
    /// plain link, which only queues the line.
    pub abort_on_restart: bool,
    /// After a command timed out, the next one is written only once this much
    /// time, or as long as the wait that timed out (up to [`RESYNC_MAX`]), has
    /// passed: a late answer to the old command arrives in that time and is
    /// queued as unsolicited, never taken as the new one's answer. (An answer
    /// later still cannot be told from the next command's on the wire.)
    pub resync_quiet: Duration,
}

impl Default for Config {
    fn default() -> Self {
        let mut unsolicited = heapless::Vec::new();
        for w in UNSOLICITED {
            let mut s = heapless::String::new();
            if s.push_str(w).is_ok() {
                let _ = unsolicited.push(s);
            }
        }
        Config {
            guard_time: Duration::from_secs(1),
            escape_timeout: Duration::from_secs(5),
            cancel_wait: Duration::from_secs(1),
            max_line: DEFAULT_MAX_LINE,
            max_payload: DEFAULT_MAX_PAYLOAD,
            prompt_wait: None,
            unsolicited,
            abort_on_restart: false,
            resync_quiet: Duration::from_millis(200),
        }
    }
}

/// Where received bytes are framed: the start of the unframed part and the
/// echo to drop (what was just written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Echo {
    None,
    /// The command line in the transmit buffer.
    Line,
    /// The data the exchange wrote (raw, not hex).
    Data,
}

/// The settings and secrets of a session, borrowed apart from its response
/// ([`Session::response_and_parts`]).
#[derive(Debug)]
pub struct Parts<'s> {
    pub settings: &'s mut Settings,
    pub secrets: &'s mut Secrets,
}

/// One module on one byte stream, between and across commands.
///
/// `RX`: bytes of received, not yet framed input (at least the longest line and
/// payload plus header); `BLK`: bytes of one command's information response;
/// `TX`: bytes of one command line (and of one hex-encoded data chunk).
pub struct Session<
    F: Family,
    const RX: usize = 8192,
    const BLK: usize = 8192,
    const TX: usize = 1024,
> {
    pub(crate) config: Config,
    pub(crate) digester: Digester,
    pub(crate) rx: heapless::Vec<u8, RX>,
    pub(crate) rx_start: usize,
    pub(crate) block: heapless::Vec<u8, BLK>,
    pub(crate) tx: heapless::Vec<u8, TX>,
    pub(crate) echo: Echo,
    pub(crate) echo_seen: bool,
    pub(crate) settings: Settings,
    pub(crate) secrets: Secrets,
    pub(crate) hex_override: Option<bool>,
    pub(crate) describe_error: fn(i64) -> Option<&'static str>,
    /// After a timeout: nothing is written before this time.
    pub(crate) quiet_until: Option<Duration>,
    pub(crate) transparent: Option<transparent::State>,
    /// Bytes of the frame handed out last, consumed at the next poll.
    pub(crate) pending: usize,
    /// Where the pending frame is in the unframed input, and its length.
    pub(crate) pending_frame: (usize, usize),
    /// Where the last command's result URC starts in `block`.
    pub(crate) result_at: Option<usize>,
    _family: PhantomData<fn() -> F>,
}

impl<F: Family, const RX: usize, const BLK: usize, const TX: usize> Default
    for Session<F, RX, BLK, TX>
{
    fn default() -> Self {
        Self::new(Config::default())
    }
}

impl<F: Family, const RX: usize, const BLK: usize, const TX: usize> Session<F, RX, BLK, TX> {
    pub fn new(config: Config) -> Self {
        let max_payload = config
            .max_payload
            .min(RX.saturating_sub(config.max_line.min(RX / 2)));
        let digester = Digester::new().with_limits(config.max_line.min(RX), max_payload);
        let mut s = Session {
            config,
            digester,
            rx: heapless::Vec::new(),
            rx_start: 0,
            block: heapless::Vec::new(),
            tx: heapless::Vec::new(),
            echo: Echo::None,
            echo_seen: false,
            settings: Settings::new(),
            secrets: Secrets::new(),
            hex_override: None,
            describe_error: F::describe_error,
            quiet_until: None,
            transparent: None,
            pending: 0,
            pending_frame: (0, 0),
            result_at: None,
            _family: PhantomData,
        };
        s.update_hex();
        s
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Changes take effect at the next frame (limits: at the next command).
    pub fn config_mut(&mut self) -> &mut Config {
        &mut self.config
    }

    /// Applies changed line and payload limits ([`Config::max_line`],
    /// [`Config::max_payload`]) to the framing.
    pub fn apply_limits(&mut self) {
        let max_line = self.config.max_line.min(RX).max(1);
        let max_payload = self
            .config
            .max_payload
            .min(RX.saturating_sub(max_line.min(RX / 2)));
        let hex = self.digester.hex();
        self.digester = Digester::new().with_limits(max_line, max_payload);
        self.digester.set_hex(hex);
    }

    // ---- received bytes ----

    /// How many more bytes [`Session::feed`] takes now.
    pub fn rx_space(&self) -> usize {
        RX - self.rx.len() + self.rx_start
    }

    /// Bytes from the module; returns how many were taken (the rest must be fed
    /// again after the next [`Step`]).
    pub fn feed(&mut self, bytes: &[u8]) -> usize {
        if self.rx_start > 0 && self.rx.len() + bytes.len() > RX {
            self.compact();
        }
        let n = bytes.len().min(RX - self.rx.len());
        let _ = self.rx.extend_from_slice(bytes.get(..n).unwrap_or(&[]));
        n
    }

    fn compact(&mut self) {
        let start = self.rx_start.min(self.rx.len());
        self.rx.copy_within(start.., 0);
        self.rx.truncate(self.rx.len() - start);
        self.rx_start = 0;
    }

    pub(crate) fn unframed(&self) -> &[u8] {
        self.rx.get(self.rx_start..).unwrap_or(&[])
    }

    pub(crate) fn consume(&mut self, n: usize) {
        self.rx_start = (self.rx_start + n).min(self.rx.len());
        if self.rx_start == self.rx.len() {
            self.rx.clear();
            self.rx_start = 0;
        }
    }

    // ---- settings ----

    /// Records a setting for a context (the ids the setting command named).
    pub fn set_setting(&mut self, name: &str, ids: Ids, value: i64) {
        self.settings.set(name, ids, value);
        self.update_hex();
    }

    /// Forgets every value of a setting.
    pub fn clear_setting(&mut self, name: &str) {
        self.settings.clear(name);
        self.update_hex();
    }

    /// The value of a setting for a request naming `ids`.
    pub fn setting(&self, name: &str, ids: &Ids) -> Option<i64> {
        self.settings.get(name, ids)
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Records that a connection uses these contexts (after its open).
    pub fn bind(&mut self, connection: (&'static str, i64), ids: Ids) {
        self.settings.bind(connection, ids);
    }

    pub(crate) fn holds(&self, when: Option<When>) -> bool {
        when.is_some_and(|w| self.settings.get(w.param, &Ids::new()) == Some(w.equals))
    }

    pub(crate) fn update_hex(&mut self) {
        let hex = self
            .hex_override
            .unwrap_or_else(|| self.holds(F::PAYLOAD_HEX_WHEN));
        self.digester.set_hex(hex);
    }

    /// Forces received payloads to be read as hex text (or not); `None` goes
    /// back to [`Family::PAYLOAD_HEX_WHEN`].
    pub fn set_payload_hex(&mut self, hex: Option<bool>) {
        self.hex_override = hex;
        self.update_hex();
    }

    pub fn payload_hex(&self) -> bool {
        self.digester.hex()
    }

    // ---- secrets and errors ----

    /// A payload under way: its announced length and how much of it arrived.
    pub fn partial_payload(&self) -> Option<(usize, usize)> {
        self.digester.payload_progress(self.unframed().len())
    }

    /// Never log these bytes (a PSK key, a password).
    pub fn add_secret(&mut self, secret: &[u8]) {
        self.secrets.add(secret);
    }

    pub fn secrets(&self) -> &Secrets {
        &self.secrets
    }

    /// Replaces the family's error table look-up.
    pub fn set_error_lookup(&mut self, lookup: fn(i64) -> Option<&'static str>) {
        self.describe_error = lookup;
    }

    pub fn describe_error(&self, code: i64) -> Option<&'static str> {
        (self.describe_error)(code)
    }

    // ---- state after failures ----

    /// After a timeout: a payload that never completed must not wedge the next
    /// command, and a late answer must not be taken for the next command's.
    /// The quiet time is the longer of [`Config::resync_quiet`] and the wait
    /// that timed out (up to [`RESYNC_MAX`]): a module that answers late by as
    /// much as it was given again is still heard before the next command.
    pub(crate) fn recover_after_timeout(&mut self, now: Duration, waited: Duration) {
        self.echo = Echo::None;
        let in_payload = self.digester.in_payload();
        self.digester.expect_prompt(false);
        if in_payload {
            crate::trace::note::<F>(
                "dropping the bytes of a payload that never completed",
                self.unframed().len(),
            );
            self.rx.clear();
            self.rx_start = 0;
            self.digester.reset();
        }
        let quiet = self.config.resync_quiet.max(waited.min(RESYNC_MAX));
        self.quiet_until = Some(now.saturating_add(quiet));
    }

    /// After a restart: the module lost every setting and connection.
    pub(crate) fn restarted(&mut self) {
        self.settings.reset();
        self.transparent = None;
        self.update_hex();
    }

    /// The last command's information lines ([`Session::response`]) together
    /// with the settings and secrets, borrowed apart: a driver hands the
    /// response and a [`Parts`] context to the SSL connection in one call
    /// (`dialog::Connection::ran`) without copying the response.
    pub fn response_and_parts(&mut self) -> (&[u8], Parts<'_>) {
        let end = self.result_at.unwrap_or(self.block.len());
        (
            self.block.get(..end).unwrap_or(&[]),
            Parts {
                settings: &mut self.settings,
                secrets: &mut self.secrets,
            },
        )
    }

    /// Whether the link is a raw byte pipe now (after `CONNECT`).
    pub fn is_transparent(&self) -> bool {
        self.transparent.is_some()
    }

    /// Applies the consumption of the frame handed out last ([`Step::Urc`],
    /// [`Session::poll_idle`]): it stayed in the buffer while the driver borrowed it.
    pub(crate) fn settle(&mut self) {
        let n = core::mem::take(&mut self.pending);
        self.consume(n);
    }

    /// Between commands: the next unsolicited frame already received, or `None`
    /// when no complete frame is buffered (feed more bytes). The frame handed out
    /// is consumed at the next call.
    pub fn poll_idle(&mut self) -> Option<Urc<'_>> {
        self.settle();
        if self.transparent.is_some() {
            return None;
        }
        if self.idle_frame() {
            Some(self.pending_urc())
        } else {
            None
        }
    }
}

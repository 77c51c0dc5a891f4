//! The modem of the `embedded-io` drivers: one module on one port, over the
//! sans-IO session. This file holds what needs no I/O; the loops are in
//! [`super::io`].

use core::marker::PhantomData;

use super::error::{CommandName, ModemError};
use super::PortError;
use crate::error::ParseError;
use crate::family::Family;
use crate::request::AtRequest;
use crate::session::{
    self, CmeText, Completion, Failure, Ids, QueuedUrc, Session, UrcQueue, RESTART,
};
use crate::setting::SettingKey;

/// Sees every unsolicited frame first (its bytes, and whether payloads were
/// hex text); `true` when it took the frame, which is then not queued. The SSL
/// socket routes its connection's URCs this way, so a full queue never loses them.
pub type Route<'r> = &'r mut dyn FnMut(&[u8], bool) -> bool;

/// One module on one port: writes requests, frames what comes back, keeps URCs
/// in a bounded queue and remembers the settings earlier commands made.
///
/// `IO` is the driver's half: [`crate::nb::Blocking`] (`embedded-io` and a
/// [`crate::nb::Clock`]) or [`crate::asynch::Async`] (`embedded-io-async` and a
/// [`crate::asynch::Timer`]); use the aliases [`crate::nb::Modem`] and
/// [`crate::asynch::Modem`]. Memory: `RX` bytes of unframed input, `BLK` bytes
/// of one command's information lines, `TX` bytes of one command line, `URCS`
/// queued URCs of at most `URC_LEN` bytes each; nothing else, no allocator.
///
/// URC policy: a frame that does not fit the queue is dropped, counted
/// ([`Modem::urc_overflow`]) and traced as a warning; restart lines (`RDY`)
/// are counted before that ([`Modem::restarts`]), so a restart is never missed.
pub struct Modem<
    IO,
    F: Family,
    const RX: usize = 4096,
    const BLK: usize = 2048,
    const TX: usize = 512,
    const URCS: usize = 8,
    const URC_LEN: usize = 256,
> {
    pub(crate) io: IO,
    pub(crate) session: Session<F, RX, BLK, TX>,
    pub(crate) urcs: Urcs<URCS, URC_LEN>,
    _family: PhantomData<fn() -> F>,
}

/// The queue and what it counted.
#[derive(Debug, Default)]
pub(crate) struct Urcs<const N: usize, const L: usize> {
    pub(crate) queue: UrcQueue<N, L>,
    pub(crate) restarts: u32,
    /// Frames dropped since the last [`Modem::urc_overflow`].
    pub(crate) dropped: u32,
}

impl<const N: usize, const L: usize> Urcs<N, L> {
    /// Hands a frame to `route`, else queues it (or drops and counts it).
    pub(crate) fn take<F: Family>(&mut self, frame: &[u8], hex: bool, route: Route<'_>) {
        if frame == RESTART.as_bytes() {
            self.restarts = self.restarts.saturating_add(1);
        }
        if route(frame, hex) {
            return;
        }
        if !self.queue.push(frame, hex) {
            self.dropped = self.dropped.saturating_add(self.queue.dropped());
            crate::trace::note::<F>(
                "URC queue full (or frame longer than a slot); a frame was dropped",
                self.queue.len(),
            );
        }
    }
}

/// The session config of the drivers: lines up to 1 KiB, so the rest of the
/// receive buffer holds a payload.
pub(crate) fn config() -> session::Config {
    session::Config {
        max_line: 1024,
        ..session::Config::default()
    }
}

impl<
        IO,
        F: Family,
        const RX: usize,
        const BLK: usize,
        const TX: usize,
        const N: usize,
        const L: usize,
    > Modem<IO, F, RX, BLK, TX, N, L>
{
    /// A modem over a driver's I/O half (`nb::Modem::new` and
    /// `asynch::Modem::new` build the half for you).
    pub fn with_io(io: IO) -> Self {
        Modem {
            io,
            session: Session::new(config()),
            urcs: Urcs::default(),
            _family: PhantomData,
        }
    }

    /// The sans-IO session under the modem (settings, secrets, framing, config).
    pub fn session(&self) -> &Session<F, RX, BLK, TX> {
        &self.session
    }

    /// The session, e.g. for [`Session::config_mut`] (timeouts, guard times).
    pub fn session_mut(&mut self) -> &mut Session<F, RX, BLK, TX> {
        &mut self.session
    }

    /// The driver's I/O half (port and clock).
    pub fn io(&self) -> &IO {
        &self.io
    }

    pub fn io_mut(&mut self) -> &mut IO {
        &mut self.io
    }

    pub fn into_io(self) -> IO {
        self.io
    }

    // ---- settings, secrets, errors ----

    /// Records a setting (the manual's parameter name) for every context, e.g.
    /// after a command the driver cannot see into.
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

    /// Forces received payloads to be read as hex text (or not); `None` goes
    /// back to [`Family::PAYLOAD_HEX_WHEN`].
    pub fn set_payload_hex(&mut self, hex: Option<bool>) {
        self.session.set_payload_hex(hex);
    }

    /// Never trace these bytes (a PSK key, a password): they show as `***`.
    pub fn add_secret(&mut self, secret: &[u8]) {
        self.session.add_secret(secret);
    }

    /// Replaces the family's error table look-up ([`Family::describe_error`]).
    pub fn set_error_lookup(&mut self, lookup: fn(i64) -> Option<&'static str>) {
        self.session.set_error_lookup(lookup);
    }

    // ---- URCs ----

    /// The oldest queued unsolicited frame.
    pub fn pop_urc(&mut self) -> Option<QueuedUrc<L>> {
        self.urcs.queue.pop()
    }

    /// The oldest queued frame for which `take` holds; the others keep their order.
    pub fn take_urc(&mut self, take: impl FnMut(&QueuedUrc<L>) -> bool) -> Option<QueuedUrc<L>> {
        self.urcs.queue.take_first(take)
    }

    /// Every queued frame, oldest first.
    pub fn urcs(&self) -> impl Iterator<Item = &QueuedUrc<L>> {
        self.urcs.queue.iter()
    }

    /// How many unsolicited frames were dropped since the last call, because
    /// the queue was full or a frame was longer than `URC_LEN`.
    pub fn urc_overflow(&mut self) -> u32 {
        core::mem::take(&mut self.urcs.dropped)
    }

    /// How many restart lines (`RDY`) the module printed since the modem was made.
    pub fn restarts(&self) -> u32 {
        self.urcs.restarts
    }

    // ---- what the loops share ----

    /// The modem's error for a session failure of `command`.
    pub(crate) fn error<E>(&self, command: CommandName, failure: Failure) -> ModemError<E> {
        let description = match &failure {
            Failure::Module { code, .. }
            | Failure::Cme {
                code: CmeText::Numeric(code),
            } => self.session.describe_error(*code),
            _ => None,
        };
        ModemError::Command {
            command,
            failure,
            description,
        }
    }

    /// The modem's error for a port failure while `doing`.
    pub(crate) fn port_error<E>(
        &self,
        command: &CommandName,
        doing: &'static str,
        e: PortError<E>,
    ) -> ModemError<E> {
        match e {
            PortError::Io(error) => ModemError::Io {
                command: command.clone(),
                doing,
                error,
            },
            PortError::Eof => ModemError::Closed {
                command: command.clone(),
            },
            PortError::Full => self.error(
                command.clone(),
                Failure::Overflow {
                    what: "unframed input",
                    limit: RX,
                },
            ),
        }
    }

    /// The reply of a successful typed request: its response is parsed once
    /// here, so [`Reply::response`] cannot fail afterwards.
    pub(crate) fn reply<R: AtRequest<Family = F>, E>(
        &self,
        command: CommandName,
        completion: Completion,
    ) -> Result<Reply<'_, R>, ModemError<E>> {
        let block = self.session.response();
        if completion != Completion::Cancelled {
            if let Err(error) = R::parse_response(block) {
                return Err(ModemError::Parse { command, error });
            }
        }
        Ok(Reply {
            block,
            completion,
            result: self.session.result_frame(),
            hex: self.session.payload_hex(),
            _request: PhantomData,
        })
    }
}

/// A successful answer to a typed request, borrowed from the modem's session:
/// the information lines, how it ended and the result URC.
pub struct Reply<'a, R: AtRequest> {
    block: &'a [u8],
    completion: Completion,
    result: Option<&'a [u8]>,
    hex: bool,
    _request: PhantomData<fn() -> R>,
}

impl<R: AtRequest> core::fmt::Debug for Reply<'_, R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Reply")
            .field("command", &R::COMMAND)
            .field("block", &super::Escaped(self.block))
            .field("completion", &self.completion)
            .field("result", &self.result.map(super::Escaped))
            .finish()
    }
}

impl<'a, R: AtRequest> Reply<'a, R> {
    /// The typed response (parsed once already when the reply was made).
    pub fn response(&self) -> Result<R::Response<'a>, ParseError> {
        R::parse_response(self.block)
    }

    /// The information lines, each ending in CR LF, payloads included.
    pub fn block(&self) -> &'a [u8] {
        self.block
    }

    pub fn completion(&self) -> &Completion {
        &self.completion
    }

    /// The result URC of a two-phase command (`+QSSLOPEN: 1,0`), typed.
    pub fn result_urc(&self) -> Option<Result<<R::Family as Family>::Urc<'a>, ParseError>> {
        self.result
            .and_then(|f| <R::Family as Family>::parse_urc(f, self.hex))
    }

    /// The result URC's frame as received.
    pub fn result_frame(&self) -> Option<&'a [u8]> {
        self.result
    }
}

/// The answer of a raw command: its information lines and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawReply<'a> {
    /// The information lines, each ending in CR LF.
    pub block: &'a [u8],
    pub completion: Completion,
}

impl<'a> RawReply<'a> {
    /// The information lines one by one, without their CR LF.
    pub fn lines(&self) -> impl Iterator<Item = &'a [u8]> {
        self.block
            .split(|&b| b == b'\n')
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
            .filter(|l| !l.is_empty())
    }
}

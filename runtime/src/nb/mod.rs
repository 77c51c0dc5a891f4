//! The blocking `no_std` driver: the sans-IO session and SSL connection over
//! an `embedded-io` 0.6 port (`Read + ReadReady + Write`) and a [`Clock`].
//! No allocator; feature `nb`.
//!
//! ```no_run
//! # use atgen_runtime::nb::{Clock, Modem, SslSocket};
//! # use atgen_runtime::dialog::{Dialect, Options};
//! # fn demo<P, C, D>(uart: P, clock: C, dialect: D) -> Result<(), atgen_runtime::driver::SocketError<P::Error>>
//! # where P: embedded_io::Read + embedded_io::ReadReady + embedded_io::Write, C: Clock, D: Dialect {
//! // A UART of the HAL and a millisecond time base (see `Clock`).
//! let modem: Modem<P, C, D::Family> = Modem::new(uart, clock);
//! let mut sock: SslSocket<'_, P, C, D> = SslSocket::new(modem, dialect, Options::default());
//! sock.connect("example.com", 443)?;           // configure + open
//! sock.write(b"GET / HTTP/1.0\r\n\r\n")?;       // split and retried as needed
//! let mut buf = [0u8; 256];
//! let n = sock.read(&mut buf)?;                  // 0: the peer closed
//! sock.close()?;
//! # let _ = n; Ok(()) }
//! ```
//!
//! Typed commands on the modem itself: `modem.execute(&req)?` returns a
//! [`Reply`](crate::driver::Reply) whose `response()` is the request's typed
//! response, parsed from the session's response block; URCs are queued
//! ([`crate::driver::Modem::pop_urc`], `poll_urcs`, `wait_urc`), a full queue
//! counts what it drops ([`crate::driver::Modem::urc_overflow`]).
//!
//! How it reads: while the session waits for input, the driver asks the port
//! [`ReadReady::read_ready`] and reads only when it is, else it lets the clock
//! [`Clock::wait`] a poll interval (1 ms unless [`Blocking::set_poll_interval`]
//! says otherwise), so no read ever blocks past a deadline. A port whose
//! `read` gives up with [`ErrorKind::TimedOut`] is treated as silent, not failed.

// No allocator to box with: an error carries the module's text (up to
// `session::TEXT_LEN` bytes) by value. Errors are the rare path.
#![allow(clippy::result_large_err)]

#[cfg(feature = "std")]
pub mod script;

use core::time::Duration;

use embedded_io::{Error as _, ErrorKind, ErrorType, Read, ReadReady, Write};

use crate::driver::PortError;
use crate::family::Family;
use crate::session::Session;

/// Time for the blocking driver: a monotonic clock and a way to wait.
pub trait Clock {
    /// Time since an arbitrary fixed start (boot).
    fn now(&self) -> Duration;
    /// Pauses for at most `d` (returning earlier is fine: the driver checks the
    /// time again). Called with the poll interval while the port has nothing
    /// to read, and with the whole pause for guard times and prompt waits.
    fn wait(&mut self, d: Duration);
}

impl<C: Clock + ?Sized> Clock for &mut C {
    fn now(&self) -> Duration {
        (**self).now()
    }
    fn wait(&mut self, d: Duration) {
        (**self).wait(d)
    }
}

#[cfg(feature = "std")]
impl Clock for crate::link::ManualClock {
    fn now(&self) -> Duration {
        crate::link::Clock::now(self)
    }
    fn wait(&mut self, d: Duration) {
        self.advance(d)
    }
}

#[cfg(feature = "std")]
impl Clock for crate::link::SystemClock {
    fn now(&self) -> Duration {
        crate::link::Clock::now(self)
    }
    fn wait(&mut self, d: Duration) {
        std::thread::sleep(d)
    }
}

/// The blocking driver's I/O half: the port, the clock and the poll interval.
#[derive(Debug)]
pub struct Blocking<P, C> {
    pub port: P,
    pub clock: C,
    poll: Duration,
}

/// How long the driver waits between two looks at an idle port.
pub const POLL_INTERVAL: Duration = Duration::from_millis(1);

/// The most bytes taken from the port at once.
const READ_CHUNK: usize = 128;

impl<P: Read + ReadReady + Write, C: Clock> Blocking<P, C> {
    pub fn new(port: P, clock: C) -> Self {
        Blocking {
            port,
            clock,
            poll: POLL_INTERVAL,
        }
    }

    /// How long to wait between two looks at an idle port (at least 1 µs).
    pub fn set_poll_interval(&mut self, d: Duration) {
        self.poll = d.max(Duration::from_micros(1));
    }

    pub(crate) fn now(&self) -> Duration {
        self.clock.now()
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) -> Result<(), P::Error> {
        self.port.write_all(bytes)?;
        self.port.flush()
    }

    pub(crate) fn sleep_until(&mut self, until: Duration) {
        let now = self.clock.now();
        if until > now {
            self.clock.wait(until - now);
        }
    }

    /// Reads what arrives before `deadline` into the session: `Ok(true)` after
    /// one read (or a pause), `Ok(false)` once the deadline has passed.
    pub(crate) fn fill<F: Family, const RX: usize, const BLK: usize, const TX: usize>(
        &mut self,
        session: &mut Session<F, RX, BLK, TX>,
        deadline: Duration,
    ) -> Result<bool, PortError<P::Error>> {
        let now = self.clock.now();
        if now >= deadline {
            return Ok(false);
        }
        if !self.port.read_ready().map_err(PortError::Io)? {
            self.clock.wait((deadline - now).min(self.poll));
            return Ok(true);
        }
        let space = session.rx_space().min(READ_CHUNK);
        if space == 0 {
            return Err(PortError::Full);
        }
        let mut tmp = [0u8; READ_CHUNK];
        let buf = tmp.get_mut(..space).unwrap_or(&mut []);
        match self.port.read(buf) {
            Ok(0) => Err(PortError::Eof),
            Ok(n) => {
                session.feed(buf.get(..n).unwrap_or(&[]));
                Ok(true)
            }
            Err(e) if e.kind() == ErrorKind::TimedOut => Ok(true),
            Err(e) => Err(PortError::Io(e)),
        }
    }
}

crate::driver::driver_impls! {
    half: Blocking<P: Read, ReadReady, Write; C: Clock>,
    time: clock,
    async: [],
    await: [],
}

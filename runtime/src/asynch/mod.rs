//! The async driver: the sans-IO session and SSL connection over an
//! `embedded-io-async` 0.6 port (`Read + Write`) and an async [`Timer`].
//! No allocator, no executor; feature `async`. The same [`crate::driver`]
//! types and loops as the blocking [`crate::nb`] driver, with `.await` at the
//! I/O points.
//!
//! Under embassy: the UART's buffered halves (`BufferedUart`) and a `Timer`
//! over `embassy_time`. Under tokio: any `AsyncRead + AsyncWrite` through
//! `embedded_io_adapters::tokio_1::FromTokio`, and a `Timer` over
//! `tokio::time`:
//!
//! ```no_run
//! # async fn demo<D, S>(stream: S) -> Result<(), atgen_runtime::driver::SocketError<S::Error>>
//! # where D: atgen_runtime::dialog::Dialect + Default, S: embedded_io_async::Read + embedded_io_async::Write {
//! use atgen_runtime::asynch::{Modem, SslSocket, Timer};
//! use atgen_runtime::dialog::Options;
//! use core::time::Duration;
//!
//! /// Time on tokio: since the timer was made.
//! struct Tokio(tokio::time::Instant);
//! impl Timer for Tokio {
//!     fn now(&self) -> Duration {
//!         self.0.elapsed()
//!     }
//!     async fn wait_until(&mut self, deadline: Duration) {
//!         tokio::time::sleep_until(self.0 + deadline).await
//!     }
//! }
//!
//! // `stream`: e.g. FromTokio::new(tokio_serial::SerialStream::open(..)?)
//! let modem: Modem<_, _, D::Family> = Modem::new(stream, Tokio(tokio::time::Instant::now()));
//! let mut sock: SslSocket<'_, _, _, D> = SslSocket::new(modem, D::default(), Options::default());
//! sock.connect("example.com", 443).await?;
//! sock.write(b"GET / HTTP/1.0\r\n\r\n").await?;
//! let mut buf = [0u8; 256];
//! let n = sock.read(&mut buf).await?;              // 0: the peer closed
//! sock.close().await?;
//! # let _ = n; Ok(()) }
//! ```
//!
//! While the session waits for input, the driver races the port's `read`
//! against the timer; when the timer wins, the read future is dropped, so
//! the port's `read` must be cancel-safe (embassy's buffered UART and the tokio
//! adapter are: nothing is taken before the future completes). The futures
//! are not `Send` (the session's command is a `&dyn Command`): run them on a
//! local executor (embassy tasks, tokio's `block_on`, `LocalSet`, or a
//! current-thread test).

// No allocator to box with: an error carries the module's text (up to
// `session::TEXT_LEN` bytes) by value. Errors are the rare path.
#![allow(clippy::result_large_err)]

#[cfg(feature = "nal")]
pub mod nal;

use core::future::{poll_fn, Future};
use core::pin::pin;
use core::task::Poll;
use core::time::Duration;

use embedded_io_async::{ErrorType, Read, Write};

use crate::driver::PortError;
use crate::family::Family;
use crate::session::Session;

/// Time for the async driver: a monotonic clock and a wait until a time.
#[allow(async_fn_in_trait)]
pub trait Timer {
    /// Time since an arbitrary fixed start (boot).
    fn now(&self) -> Duration;
    /// Completes once [`Timer::now`] has reached `deadline` (at once if it has).
    async fn wait_until(&mut self, deadline: Duration);
}

/// The async driver's I/O half: the port and the timer.
#[derive(Debug)]
pub struct Async<P, T> {
    pub port: P,
    pub timer: T,
}

/// The most bytes taken from the port at once.
const READ_CHUNK: usize = 128;

enum Either<A, B> {
    Left(A),
    Right(B),
}

/// Whichever of two futures completes first (the other is dropped).
async fn select<A: Future, B: Future>(a: A, b: B) -> Either<A::Output, B::Output> {
    let mut a = pin!(a);
    let mut b = pin!(b);
    poll_fn(|cx| {
        if let Poll::Ready(x) = a.as_mut().poll(cx) {
            return Poll::Ready(Either::Left(x));
        }
        if let Poll::Ready(y) = b.as_mut().poll(cx) {
            return Poll::Ready(Either::Right(y));
        }
        Poll::Pending
    })
    .await
}

impl<P: Read + Write, T: Timer> Async<P, T> {
    pub fn new(port: P, timer: T) -> Self {
        Async { port, timer }
    }

    pub(crate) fn now(&self) -> Duration {
        self.timer.now()
    }

    pub(crate) async fn write(&mut self, bytes: &[u8]) -> Result<(), P::Error> {
        self.port.write_all(bytes).await?;
        self.port.flush().await
    }

    pub(crate) async fn sleep_until(&mut self, until: Duration) {
        self.timer.wait_until(until).await
    }

    /// Reads what arrives before `deadline` into the session: `Ok(true)` after
    /// one read, `Ok(false)` once the deadline has passed.
    pub(crate) async fn fill<F: Family, const RX: usize, const BLK: usize, const TX: usize>(
        &mut self,
        session: &mut Session<F, RX, BLK, TX>,
        deadline: Duration,
    ) -> Result<bool, PortError<P::Error>> {
        if self.timer.now() >= deadline {
            return Ok(false);
        }
        let space = session.rx_space().min(READ_CHUNK);
        if space == 0 {
            return Err(PortError::Full);
        }
        let mut tmp = [0u8; READ_CHUNK];
        let buf = tmp.get_mut(..space).unwrap_or(&mut []);
        let Async { port, timer } = self;
        match select(port.read(buf), timer.wait_until(deadline)).await {
            Either::Left(Ok(0)) => Err(PortError::Eof),
            Either::Left(Ok(n)) => {
                session.feed(buf.get(..n).unwrap_or(&[]));
                Ok(true)
            }
            Either::Left(Err(e)) => Err(PortError::Io(e)),
            Either::Right(()) => Ok(false),
        }
    }
}

crate::driver::driver_impls! {
    half: Async<P: Read, Write; T: Timer>,
    time: timer,
    async: [async],
    await: [await],
}

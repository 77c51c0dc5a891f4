//! The async variant: atgen-runtime's async driver ([`atgen_runtime::asynch`]) on
//! the same board, through an `embedded-io-async` view of the polled UART, a
//! SysTick [`Timer`] and a tiny executor ([`block_on`]: poll, `wfi` until the next
//! tick, poll again). The session is the blocking one's ([`crate::ssl_session!`])
//! with `.await`.

use core::future::{poll_fn, Future};
use core::pin::pin;
use core::task::{Context, Poll, Waker};
use core::time::Duration;

use atgen_runtime::asynch::{self, Timer};
use atgen_runtime::dialog::Dialect;
use embedded_io::{Read as _, ReadReady as _, Write as _};
use embedded_io_async::{ErrorType, Read, Write};

use crate::board::{Clock, Uart, UartError};
use crate::Failure;

/// The UART as an async port: a read is pending until a byte waits.
pub struct AsyncUart<'u>(pub &'u mut Uart);

impl ErrorType for AsyncUart<'_> {
    type Error = UartError;
}

impl Read for AsyncUart<'_> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, UartError> {
        poll_fn(|cx| match self.0.read_ready() {
            Ok(true) => Poll::Ready(self.0.read(buf)),
            Ok(false) => {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Err(e) => Poll::Ready(Err(e)),
        })
        .await
    }
}

impl Write for AsyncUart<'_> {
    /// The transmitter takes a byte every few microseconds: written at once.
    async fn write(&mut self, buf: &[u8]) -> Result<usize, UartError> {
        self.0.write(buf)
    }

    async fn flush(&mut self) -> Result<(), UartError> {
        self.0.flush()
    }
}

/// Time from the SysTick counter.
pub struct SysTimer(pub Clock);

impl Timer for SysTimer {
    fn now(&self) -> Duration {
        Duration::from_millis(self.0.now_ms())
    }

    async fn wait_until(&mut self, deadline: Duration) {
        poll_fn(|cx| {
            if self.now() >= deadline {
                Poll::Ready(())
            } else {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        })
        .await
    }
}

/// Runs a future to completion: poll it, and between polls sleep until the next
/// interrupt (the SysTick, every millisecond).
pub fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = f.as_mut().poll(&mut cx) {
            return out;
        }
        cortex_m::asm::wfi();
    }
}

/// The async session's buffers: those of the blocking one.
pub type Modem<'u, D> =
    asynch::Modem<AsyncUart<'u>, SysTimer, <D as Dialect>::Family, 2048, 1024, 256, 4, 128>;

/// The SSL session of any family on the async driver: see [`crate::ssl_session!`].
pub async fn session<D: Dialect + Default>(uart: &mut Uart, clock: Clock) -> Result<(), Failure> {
    crate::ssl_session!(Modem::<D>::new(AsyncUart(uart), SysTimer(clock)), D; await)
}

/// The program of the async binary: [`session`] with the dialect `D`, on [`block_on`].
pub fn run<D: Dialect + Default>(name: &'static str) -> ! {
    crate::report_run(name, |uart, clock| block_on(session::<D>(uart, clock)))
}

//! Firmware for QEMU's `mps2-an386` (Cortex-M4F) that runs one SSL session over
//! UART0 against `atgen simulate --family ID --pty` with atgen-runtime's blocking
//! `no_std` driver ([`atgen_runtime::nb`]), and reports the outcome through
//! semihosting and QEMU's exit status.
//!
//! - [`board`]: the UART driver (`embedded-io`), the SysTick millisecond clock (an
//!   [`atgen_runtime::nb::Clock`]), semihosting output and exit, the stack high-water mark;
//! - [`session`]: the one SSL session, generic over the family's dialect: no
//!   family has protocol code of its own here;
//! - `src/bin/<family>.rs`: `run::<atgen::ssl::Dialect>()`, one line.
#![no_std]

#[cfg(feature = "async")]
pub mod asynch;
pub mod board;
mod trace;

use core::fmt;
use core::time::Duration;

use atgen_runtime::dialog::{Dialect, Options};
use atgen_runtime::driver::{ModemError, SocketError};
use atgen_runtime::nb;
use board::{Clock, Uart, UartError};

/// What the host sees: the line rate is not modelled by QEMU, but the divider is set as on hardware.
pub const BAUD: u32 = 115_200;

/// The data every session sends; the simulator's default peer echoes it.
pub const PAYLOAD: &[u8] = b"GET / HTTP/1.1\r\nHost: atgen.invalid\r\n\r\n";

/// The server every session opens (the simulator's peer answers whatever the address).
pub const HOST: &str = "220.180.239.212";
pub const PORT: u16 = 8010;

/// No single wait for the module is longer than this, whatever the manual allows
/// (QSSLOPEN: 150 s plus the negotiation time); the simulator answers within milliseconds.
pub const STEP_CAP: Duration = Duration::from_secs(10);

/// The most bytes one read asks the module for (the response buffer holds it).
pub const READ_CHUNK: u16 = 512;

/// The session's buffers: 2 KiB of unframed input, 1 KiB of response, a 256-byte
/// command line, 4 URCs of 128 bytes; the socket's receive queue holds 512 bytes.
pub type Modem<'u, D> =
    nb::Modem<&'u mut Uart, Clock, <D as Dialect>::Family, 2048, 1024, 256, 4, 128>;
/// The socket of either driver (`IO`: its half) with those buffers.
pub type Socket<IO, D> =
    atgen_runtime::driver::SslSocket<'static, IO, D, 512, 2048, 1024, 256, 4, 128>;

/// Why a session failed, for the report line.
pub enum Failure {
    /// `AT` was not answered `OK` in three tries.
    Sync(ModemError<UartError>),
    Socket(SocketError<UartError>),
    /// The peer closed the connection before the whole echo came back.
    PeerClosed {
        got: usize,
        want: usize,
    },
    /// The echo differs from what was sent.
    Echo {
        got: usize,
        want: usize,
    },
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Sync(e) => write!(f, "no OK to AT in three tries: {e}"),
            Failure::Socket(e) => write!(f, "{e}"),
            Failure::PeerClosed { got, want } => write!(
                f,
                "the peer closed the connection after {got} of the {want} bytes of the echo"
            ),
            Failure::Echo { got, want } => write!(
                f,
                "the echo differs from the data sent ({got} of {want} bytes came back equal)"
            ),
        }
    }
}

impl From<SocketError<UartError>> for Failure {
    fn from(e: SocketError<UartError>) -> Self {
        Failure::Socket(e)
    }
}

/// The socket options of every session: buffer mode where the family has it,
/// each wait capped at [`STEP_CAP`].
pub fn options() -> Options<'static> {
    Options {
        recv_chunk: READ_CHUNK,
        timeout: Some(STEP_CAP),
        ..Options::default()
    }
}

/// The body of the SSL session, written once for the blocking driver and the
/// async one (`$($await)?`: nothing, or `await`), given the expression that makes
/// the modem and the dialect: `AT` up to three tries (a late
/// answer to an earlier try is queued as unsolicited, never taken for the next
/// one's), configure, open, send [`PAYLOAD`], read the echo back and compare, close.
/// Everything family-specific is the dialect's, from the spec.
#[macro_export]
macro_rules! ssl_session {
    ($modem:expr, $D:ty; $($await:ident)?) => {{
        use $crate::{Failure, HOST, PAYLOAD, PORT, STEP_CAP};
        // Built in place: the modem goes straight into the socket (each move of
        // these 11 KiB would be a copy on the stack).
        let mut sock = $crate::Socket::<_, $D>::new($modem, <$D>::default(), $crate::options());
        let mut tries = 0;
        loop {
            tries += 1;
            match sock.modem_mut().raw("AT", core::time::Duration::from_secs(1)) $(.$await)? {
                Ok(_) => break,
                // A module that just restarted is fine to talk to.
                Err(e) if (e.is_timeout() || e.is_rebooted()) && tries < 3 => {}
                Err(e) => return Err(Failure::Sync(e)),
            }
        }
        sock.set_read_timeout(Some(STEP_CAP));
        sock.connect(HOST, PORT) $(.$await)??;
        sock.write(PAYLOAD) $(.$await)??;
        let mut echo = [0u8; 256];
        let mut got = 0;
        while got < PAYLOAD.len() {
            let free = echo.get_mut(got..).unwrap_or(&mut []);
            let n = sock.read(free) $(.$await)??;
            if n == 0 {
                return Err(Failure::PeerClosed {
                    got,
                    want: PAYLOAD.len(),
                });
            }
            got += n;
        }
        $crate::compare(echo.get(..got).unwrap_or(&[]))?;
        sock.close() $(.$await)??;
        Ok(())
    }};
}

/// The echo against [`PAYLOAD`].
pub fn compare(echo: &[u8]) -> Result<(), Failure> {
    if echo == PAYLOAD {
        return Ok(());
    }
    let same = echo.iter().zip(PAYLOAD).take_while(|(a, b)| a == b).count();
    Err(Failure::Echo {
        got: same,
        want: PAYLOAD.len(),
    })
}

/// The SSL session of any family on the blocking driver: see [`ssl_session!`].
pub fn session<D: Dialect + Default>(uart: &mut Uart, clock: Clock) -> Result<(), Failure> {
    ssl_session!(Modem::<D>::new(uart, clock), D;)
}

/// Boots the board (SysTick, UART0), runs `session` and ends the program: prints
/// `firmware <family>: PASS|FAIL ...` and the stack high-water mark on the host, then
/// exits QEMU with 0 on success and 1 on failure.
pub fn report_run<E: fmt::Display>(
    family: &'static str,
    session: impl FnOnce(&mut Uart, Clock) -> Result<(), E>,
) -> ! {
    let Some(p) = cortex_m::Peripherals::take() else {
        board::report(format_args!(
            "firmware {family}: FAIL: core peripherals taken twice"
        ));
        board::exit(false);
    };
    let clock = Clock::start(p.SYST);
    trace::init();
    // SAFETY: the only UART0 of the program.
    let mut uart = unsafe { Uart::uart0(clock, BAUD) };
    let t0 = clock.now_ms();
    let result = session(&mut uart, clock);
    let ms = clock.now_ms().saturating_sub(t0);
    let (used, size) = board::stack_used();
    match result {
        Ok(()) => {
            board::report(format_args!(
                "firmware {family}: PASS in {ms} ms; stack high-water {used} of {size} bytes"
            ));
            board::exit(true)
        }
        Err(why) => {
            board::report(format_args!(
                "firmware {family}: FAIL: {why} (after {ms} ms); stack high-water {used} of {size} bytes"
            ));
            board::exit(false)
        }
    }
}

/// The program of every family's binary: [`session`] with the dialect `D`.
pub fn run<D: Dialect + Default>() -> ! {
    report_run(D::default().family(), session::<D>)
}

// The panic handler: prints the panic on the host and exits QEMU with status 1.
use panic_semihosting as _;

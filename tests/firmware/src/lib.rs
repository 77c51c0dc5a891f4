//! Firmware for QEMU's `mps2-an386` (Cortex-M4F) that runs one family's SSL session
//! over UART0 against `atgen simulate --family ID --pty`, using atgen's generated
//! `no_std` types, and reports the outcome through semihosting and QEMU's exit status.
//!
//! - [`board`]: the UART driver (`embedded-io`), the SysTick millisecond clock,
//!   semihosting output and exit, the stack high-water mark;
//! - [`at`]: a minimal AT exchange over any `embedded-io` port (to be replaced by
//!   atgen-runtime's `no_std` driver);
//! - `src/bin/<family>.rs`: one `session(uart, clock)` per family;
//! - [`quectel`]: the session of the Quectel LTE / WCDMA families, one macro for three.
#![no_std]

pub mod at;
pub mod board;
pub mod quectel;
mod trace;

use board::{Clock, Uart};

/// What the host sees: the line rate is not modelled by QEMU, but the divider is set as on hardware.
pub const BAUD: u32 = 115_200;

/// The data every session sends; the simulator's default peer echoes it.
pub const PAYLOAD: &[u8] = b"GET / HTTP/1.1\r\nHost: atgen.invalid\r\n\r\n";

/// The server every session opens (the simulator's peer answers whatever the address).
pub const HOST: &str = "220.180.239.212";
pub const PORT: u16 = 8010;

/// A family's session: the AT dialog from `AT` to the close, over `uart`.
pub type Session = fn(&mut Uart, Clock) -> Result<(), &'static str>;

/// Boots the board (SysTick, UART0), runs `session` and ends the program: prints
/// `firmware <family>: PASS|FAIL ...` and the stack high-water mark on the host, then
/// exits QEMU with 0 on success and 1 on failure.
pub fn run(family: &'static str, session: Session) -> ! {
    let Some(p) = cortex_m::Peripherals::take() else {
        board::report(format_args!(
            "firmware {family}: FAIL: core peripherals taken twice"
        ));
        board::exit(false);
    };
    let clock = Clock::start(p.SYST);
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

// The panic handler: prints the panic on the host and exits QEMU with status 1.
use panic_semihosting as _;

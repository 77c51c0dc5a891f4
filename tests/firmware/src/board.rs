//! The board: QEMU's `mps2-an386` (Arm MPS2 FPGA image AN386: a Cortex-M4F at 25 MHz).
//!
//! - [`Uart`]: the CMSDK APB UART0 at `0x4000_4000`, polled, with `embedded-io`
//!   [`Read`], [`ReadReady`], [`Write`] and [`WriteReady`]; reads and writes give up
//!   after a timeout counted on the [`Clock`].
//! - [`Clock`]: milliseconds since boot, counted by the SysTick exception (1 kHz).
//! - [`exit`], [`report`]: the result for the host, through semihosting
//!   (QEMU `-semihosting-config enable=on,target=native`).
//! - [`stack_used`]: the stack high-water mark (cortex-m-rt paints the stack at reset).
//!
//! Nothing here knows about AT commands: the session code only sees the traits.

use core::cell::Cell;
use core::fmt;
use core::ptr::{addr_of, read_volatile, write_volatile};

use cortex_m::interrupt::Mutex;
use cortex_m::peripheral::syst::SystClkSource;
use cortex_m::peripheral::SYST;
use cortex_m_rt::exception;
use embedded_io::{ErrorKind, ErrorType, Read, ReadReady, Write, WriteReady};

/// The processor clock of the AN386 image (SysTick counts it, the UART divides it).
pub const SYSCLK_HZ: u32 = 25_000_000;

/// Base address of CMSDK APB UART0 (the first serial port QEMU connects, `-serial`).
pub const UART0_BASE: usize = 0x4000_4000;

/// CMSDK APB UART register offsets and bits (Arm CMSDK TRM, DDI0479, APB UART).
mod reg {
    /// Data: bits 7:0; a read takes the received byte, a write sends one.
    pub const DATA: usize = 0x000;
    /// State: TX buffer full, RX buffer full, TX overrun, RX overrun (write 1 to clear overruns).
    pub const STATE: usize = 0x004;
    /// Control: TX enable, RX enable, interrupt enables, high-speed test mode.
    pub const CTRL: usize = 0x008;
    /// Interrupt status (read) / clear (write 1): TX, RX, TX overrun, RX overrun.
    pub const INTSTATUS: usize = 0x00C;
    /// Baud rate divider: PCLK / baud, at least 16 (bits 19:0).
    pub const BAUDDIV: usize = 0x010;

    pub const STATE_TX_FULL: u32 = 1 << 0;
    pub const STATE_RX_FULL: u32 = 1 << 1;
    pub const STATE_TX_OVERRUN: u32 = 1 << 2;
    pub const STATE_RX_OVERRUN: u32 = 1 << 3;

    pub const CTRL_TX_EN: u32 = 1 << 0;
    pub const CTRL_RX_EN: u32 = 1 << 1;

    pub const INT_ALL: u32 = 0xF;
}

/// What the UART reports instead of data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UartError {
    /// Nothing arrived (read) or the transmitter stayed full (write) for the timeout.
    Timeout,
    /// A received byte was lost: the buffer was still full when the next one came.
    Overrun,
}

impl embedded_io::Error for UartError {
    fn kind(&self) -> ErrorKind {
        match self {
            UartError::Timeout => ErrorKind::TimedOut,
            UartError::Overrun => ErrorKind::Other,
        }
    }
}

impl fmt::Display for UartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UartError::Timeout => "UART timeout",
            UartError::Overrun => "UART receive overrun",
        })
    }
}

/// The CMSDK APB UART, polled. The hardware holds one received byte; QEMU hands it
/// the next one only once it was read, so nothing is lost while the program is busy.
pub struct Uart {
    base: usize,
    clock: Clock,
    timeout_ms: u32,
}

/// The read and write timeout until [`Uart::set_timeout`] says otherwise.
pub const DEFAULT_TIMEOUT_MS: u32 = 1_000;

impl Uart {
    /// Takes UART0, sets the divider for `baud` and enables TX and RX.
    ///
    /// # Safety
    /// Nothing else may use UART0 while this value lives.
    pub unsafe fn uart0(clock: Clock, baud: u32) -> Self {
        let mut u = Uart {
            base: UART0_BASE,
            clock,
            timeout_ms: DEFAULT_TIMEOUT_MS,
        };
        u.set(reg::CTRL, 0);
        let div = (SYSCLK_HZ / baud.max(1)).clamp(16, 0xF_FFFF);
        u.set(reg::BAUDDIV, div);
        u.set(reg::STATE, reg::STATE_TX_OVERRUN | reg::STATE_RX_OVERRUN);
        u.set(reg::INTSTATUS, reg::INT_ALL);
        u.set(reg::CTRL, reg::CTRL_TX_EN | reg::CTRL_RX_EN);
        u
    }

    /// How long [`Read::read`] waits for the first byte and [`Write::write`] for room.
    pub fn set_timeout(&mut self, ms: u32) {
        self.timeout_ms = ms;
    }

    pub fn timeout(&self) -> u32 {
        self.timeout_ms
    }

    fn get(&self, offset: usize) -> u32 {
        // SAFETY: an aligned register of the UART this value owns (see `uart0`).
        unsafe { read_volatile((self.base + offset) as *const u32) }
    }

    fn set(&mut self, offset: usize, value: u32) {
        // SAFETY: as in `get`.
        unsafe { write_volatile((self.base + offset) as *mut u32, value) }
    }

    fn state(&self) -> u32 {
        self.get(reg::STATE)
    }

    /// The received byte, if one is waiting.
    fn try_read(&mut self) -> Result<Option<u8>, UartError> {
        let state = self.state();
        if state & reg::STATE_RX_OVERRUN != 0 {
            self.set(reg::STATE, reg::STATE_RX_OVERRUN);
            return Err(UartError::Overrun);
        }
        if state & reg::STATE_RX_FULL == 0 {
            return Ok(None);
        }
        Ok(Some((self.get(reg::DATA) & 0xFF) as u8))
    }

    /// Waits until `ready` holds for the state register, at most the timeout.
    fn wait(&mut self, ready: impl Fn(u32) -> bool) -> Result<(), UartError> {
        if ready(self.state()) {
            return Ok(());
        }
        let deadline = self.clock.deadline(self.timeout_ms);
        loop {
            if ready(self.state()) {
                return Ok(());
            }
            if self.clock.passed(deadline) {
                return Err(UartError::Timeout);
            }
        }
    }
}

impl ErrorType for Uart {
    type Error = UartError;
}

impl Read for Uart {
    /// Blocks until at least one byte came (or the timeout passed), then takes what
    /// else is already waiting, up to `buf.len()`.
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, UartError> {
        if buf.is_empty() {
            return Ok(0);
        }
        self.wait(|s| s & (reg::STATE_RX_FULL | reg::STATE_RX_OVERRUN) != 0)?;
        let mut n = 0;
        for slot in buf.iter_mut() {
            match self.try_read()? {
                Some(b) => {
                    *slot = b;
                    n += 1;
                }
                None => break,
            }
        }
        Ok(n)
    }
}

impl ReadReady for Uart {
    fn read_ready(&mut self) -> Result<bool, UartError> {
        Ok(self.state() & reg::STATE_RX_FULL != 0)
    }
}

impl Write for Uart {
    /// Sends every byte, waiting for room before each (at most the timeout per byte).
    fn write(&mut self, buf: &[u8]) -> Result<usize, UartError> {
        for (i, &b) in buf.iter().enumerate() {
            if let Err(e) = self.wait(|s| s & reg::STATE_TX_FULL == 0) {
                return if i == 0 { Err(e) } else { Ok(i) };
            }
            self.set(reg::DATA, u32::from(b));
        }
        Ok(buf.len())
    }

    /// Waits until the transmit buffer is empty.
    fn flush(&mut self) -> Result<(), UartError> {
        self.wait(|s| s & reg::STATE_TX_FULL == 0)
    }
}

impl WriteReady for Uart {
    fn write_ready(&mut self) -> Result<bool, UartError> {
        Ok(self.state() & reg::STATE_TX_FULL == 0)
    }
}

/// Milliseconds since [`Clock::start`], counted by the SysTick exception.
static MILLIS: Mutex<Cell<u64>> = Mutex::new(Cell::new(0));

#[exception]
fn SysTick() {
    cortex_m::interrupt::free(|cs| {
        let t = MILLIS.borrow(cs);
        t.set(t.get().wrapping_add(1));
    });
}

/// Milliseconds since the clock started (for code without a [`Clock`] at hand).
pub fn millis() -> u64 {
    cortex_m::interrupt::free(|cs| MILLIS.borrow(cs).get())
}

/// A handle on the millisecond time base. Copies share the one counter.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    _started: (),
}

impl Clock {
    /// Starts SysTick at 1 kHz from the processor clock.
    pub fn start(mut syst: SYST) -> Self {
        syst.disable_counter();
        syst.set_clock_source(SystClkSource::Core);
        syst.set_reload(SYSCLK_HZ / 1_000 - 1);
        syst.clear_current();
        syst.enable_interrupt();
        syst.enable_counter();
        Clock { _started: () }
    }

    /// Milliseconds since boot.
    pub fn now_ms(&self) -> u64 {
        cortex_m::interrupt::free(|cs| MILLIS.borrow(cs).get())
    }

    /// The time `ms` milliseconds from now.
    pub fn deadline(&self, ms: u32) -> u64 {
        self.now_ms().saturating_add(u64::from(ms))
    }

    /// Whether `deadline` has passed.
    pub fn passed(&self, deadline: u64) -> bool {
        self.now_ms() >= deadline
    }

    /// Milliseconds left until `deadline` (0 once it passed).
    pub fn left(&self, deadline: u64) -> u32 {
        u32::try_from(deadline.saturating_sub(self.now_ms())).unwrap_or(u32::MAX)
    }

    /// Waits `ms` milliseconds.
    pub fn delay_ms(&self, ms: u32) {
        let deadline = self.deadline(ms);
        while !self.passed(deadline) {
            cortex_m::asm::wfi();
        }
    }
}

impl atgen_runtime::nb::Clock for Clock {
    fn now(&self) -> core::time::Duration {
        core::time::Duration::from_millis(self.now_ms())
    }

    /// Sleeps (`wfi`) tick by tick for `d`, rounded up to whole milliseconds.
    fn wait(&mut self, d: core::time::Duration) {
        let ms = d.as_micros().div_ceil(1000).max(1);
        self.delay_ms(u32::try_from(ms).unwrap_or(u32::MAX));
    }
}

/// How much of the stack the program has used so far: cortex-m-rt's `paint-stack`
/// filled `_stack_end.._stack_start` with [`cortex_m_rt::STACK_PAINT_VALUE`] at reset;
/// the lowest overwritten word marks the deepest the stack has been.
/// Returns (used bytes, stack size in bytes).
pub fn stack_used() -> (usize, usize) {
    extern "C" {
        static _stack_start: u32;
        static _stack_end: u32;
    }
    // The linker script defines both symbols; only their addresses are taken.
    let (top, bottom) = (
        addr_of!(_stack_start) as usize,
        addr_of!(_stack_end) as usize,
    );
    let mut p = bottom;
    while p < top {
        // SAFETY: `p` is an aligned word inside the stack region, which is RAM.
        let w = unsafe { read_volatile(p as *const u32) };
        if w != cortex_m_rt::STACK_PAINT_VALUE {
            break;
        }
        p += 4;
    }
    (top - p, top - bottom)
}

/// Prints one line on the host's standard output through semihosting. Without
/// QEMU semihosting or a debugger the program would stop at the breakpoint instead.
pub fn report(args: fmt::Arguments<'_>) {
    use fmt::Write as _;
    if let Ok(mut out) = cortex_m_semihosting::hio::hstdout() {
        let _ = out.write_fmt(args);
        let _ = out.write_str("\n");
    }
}

/// Ends the program: QEMU exits with status 0 for `Ok`, 1 for `Err`.
pub fn exit(ok: bool) -> ! {
    let status = if ok {
        cortex_m_semihosting::debug::EXIT_SUCCESS
    } else {
        cortex_m_semihosting::debug::EXIT_FAILURE
    };
    loop {
        cortex_m_semihosting::debug::exit(status);
    }
}

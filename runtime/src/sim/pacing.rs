//! UART pacing: bytes move no faster than a serial line at the given baud rate
//! (10 bits per byte: start bit, 8 data bits, stop bit), on the simulator's clock.

use std::time::Duration;

use super::SimClock;

/// Spaces out bytes like a UART.
#[derive(Debug, Clone)]
pub(crate) struct Pacer {
    byte_time: Duration,
    /// When the line is free again.
    free_at: Duration,
    clock: SimClock,
}

impl Pacer {
    /// `None` when `baud` is `None` or 0 (unpaced).
    pub(crate) fn new(baud: Option<u32>, clock: SimClock) -> Option<Self> {
        let baud = baud.filter(|&b| b > 0)?;
        Some(Pacer {
            byte_time: Duration::from_nanos(10_000_000_000 / u64::from(baud)),
            free_at: clock.now(),
            clock,
        })
    }

    /// How many bytes fit in about 10 ms of line time (at least 1).
    pub(crate) fn chunk(&self) -> usize {
        let per_10ms = Duration::from_millis(10).as_nanos() / self.byte_time.as_nanos().max(1);
        usize::try_from(per_10ms).unwrap_or(1).max(1)
    }

    /// Waits until the line is free, then books it for `n` bytes.
    pub(crate) fn wait(&mut self, n: usize) {
        let now = self.clock.now();
        if self.free_at > now {
            self.clock.sleep(self.free_at - now);
        }
        let start = self.free_at.max(now);
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        self.free_at = start + self.byte_time.saturating_mul(n);
    }

    /// Writes `bytes` chunk by chunk at the line rate.
    pub(crate) fn write_paced(
        &mut self,
        out: &mut dyn std::io::Write,
        bytes: &[u8],
    ) -> std::io::Result<()> {
        for chunk in bytes.chunks(self.chunk()) {
            self.wait(chunk.len());
            out.write_all(chunk)?;
            out.flush()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::{Clock, ManualClock};

    #[test]
    fn unpaced_without_a_rate() {
        assert!(Pacer::new(None, SimClock::system()).is_none());
        assert!(Pacer::new(Some(0), SimClock::system()).is_none());
    }

    #[test]
    fn bytes_take_ten_bit_times_on_the_simulators_clock() {
        let clock = ManualClock::new();
        let mut p = Pacer::new(Some(9600), SimClock::new(clock.clone())).unwrap();
        assert_eq!(p.chunk(), 9);
        let mut sink = Vec::new();
        p.write_paced(&mut sink, &[0u8; 96]).unwrap();
        p.wait(0);
        // 96 bytes at 960 bytes/s: 100 ms of line time (96 byte times of 1,041,666 ns).
        // The manual clock counts whole microseconds.
        let line_time = Duration::from_nanos(96 * (10_000_000_000 / 9600));
        assert_eq!(clock.now().as_micros(), line_time.as_micros());
        assert_eq!(sink.len(), 96);
    }
}

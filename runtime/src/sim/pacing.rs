//! UART pacing: bytes move no faster than a serial line at the given baud rate
//! (10 bits per byte: start bit, 8 data bits, stop bit), on the simulator's clock.
//!
//! A byte has arrived once its stop bit has crossed the line: the pacer books
//! the line for each chunk after what is already booked, and a chunk is
//! handed over at the end of its line time, never earlier.

use std::time::Duration;

use super::SimClock;

/// How far ahead of the line a sender may book: a reader takes no more bytes
/// from the host while this much line time is already booked, so what waits
/// for the line stays bounded (and stays in the host's buffers, as on a UART).
pub(crate) const AHEAD: Duration = Duration::from_millis(20);

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
        let byte_time = byte_time(baud)?;
        Some(Pacer {
            byte_time,
            free_at: clock.now(),
            clock,
        })
    }

    /// How many bytes fit in about 10 ms of line time (at least 1).
    pub(crate) fn chunk(&self) -> usize {
        let per_10ms = Duration::from_millis(10).as_nanos() / self.byte_time.as_nanos().max(1);
        usize::try_from(per_10ms).unwrap_or(1).max(1)
    }

    /// Books the line for `n` bytes after what is booked already (from now
    /// when it is idle); returns when their last byte has crossed it.
    pub(crate) fn book(&mut self, n: usize) -> Duration {
        let start = self.free_at.max(self.clock.now());
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        self.free_at = start + self.byte_time.saturating_mul(n);
        self.free_at
    }

    /// Waits until `at` on the simulator's clock.
    pub(crate) fn sleep_until(&self, at: Duration) {
        let now = self.clock.now();
        if at > now {
            self.clock.sleep(at - now);
        }
    }

    /// Waits while more than `ahead` of line time is booked.
    pub(crate) fn throttle(&self, ahead: Duration) {
        self.sleep_until(self.free_at.saturating_sub(ahead));
    }

    /// Writes `bytes` chunk by chunk, each once it has crossed the line. The
    /// chunks follow each other on the line: a late wake-up delays one write,
    /// not the line times of the chunks after it.
    pub(crate) fn write_paced(
        &mut self,
        out: &mut dyn std::io::Write,
        bytes: &[u8],
    ) -> std::io::Result<()> {
        for (i, chunk) in bytes.chunks(self.chunk()).enumerate() {
            let at = if i == 0 {
                self.book(chunk.len())
            } else {
                let n = u32::try_from(chunk.len()).unwrap_or(u32::MAX);
                self.free_at += self.byte_time.saturating_mul(n);
                self.free_at
            };
            self.sleep_until(at);
            out.write_all(chunk)?;
            out.flush()?;
        }
        Ok(())
    }
}

/// The line time of one byte at `baud` (10 bits); `None` when unpaced.
pub(crate) fn byte_time(baud: Option<u32>) -> Option<Duration> {
    let baud = baud.filter(|&b| b > 0)?;
    Some(Duration::from_nanos(10_000_000_000 / u64::from(baud)))
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
        // 96 bytes at 960 bytes/s: 100 ms of line time (96 byte times of 1,041,666 ns),
        // and the last chunk is written once it has crossed the line.
        // The manual clock counts whole microseconds.
        let line_time = Duration::from_nanos(96 * (10_000_000_000 / 9600));
        assert_eq!(clock.now().as_micros(), line_time.as_micros());
        assert_eq!(sink.len(), 96);
    }

    #[test]
    fn a_booking_ends_when_its_last_byte_has_crossed_the_line() {
        let clock = ManualClock::new();
        let mut p = Pacer::new(Some(9600), SimClock::new(clock.clone())).unwrap();
        let byte = Duration::from_nanos(10_000_000_000 / 9600);
        assert_eq!(p.book(2), byte * 2);
        // Booked behind the first, not from now.
        assert_eq!(p.book(3), byte * 5);
        p.throttle(byte * 4);
        assert_eq!(clock.now().as_micros(), byte.as_micros());
    }
}

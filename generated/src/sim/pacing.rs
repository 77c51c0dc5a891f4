//! UART pacing: bytes move no faster than a serial line at the given baud rate
//! (10 bits per byte: start bit, 8 data bits, stop bit).

use std::time::{Duration, Instant};

/// Spaces out bytes like a UART.
#[derive(Debug, Clone)]
pub(crate) struct Pacer {
    byte_time: Duration,
    /// When the line is free again.
    free_at: Instant,
}

impl Pacer {
    /// `None` when `baud` is `None` or 0 (unpaced).
    pub(crate) fn new(baud: Option<u32>) -> Option<Self> {
        let baud = baud.filter(|&b| b > 0)?;
        Some(Pacer {
            byte_time: Duration::from_nanos(10_000_000_000 / u64::from(baud)),
            free_at: Instant::now(),
        })
    }

    /// How many bytes fit in about 10 ms of line time (at least 1).
    pub(crate) fn chunk(&self) -> usize {
        let per_10ms = Duration::from_millis(10).as_nanos() / self.byte_time.as_nanos().max(1);
        usize::try_from(per_10ms).unwrap_or(1).max(1)
    }

    /// Waits until the line is free, then books it for `n` bytes.
    pub(crate) fn wait(&mut self, n: usize) {
        let now = Instant::now();
        if self.free_at > now {
            std::thread::sleep(self.free_at - now);
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

    #[test]
    fn unpaced_without_a_rate() {
        assert!(Pacer::new(None).is_none());
        assert!(Pacer::new(Some(0)).is_none());
    }

    #[test]
    fn bytes_take_ten_bit_times() {
        let mut p = Pacer::new(Some(9600)).unwrap();
        assert_eq!(p.chunk(), 9);
        let t = Instant::now();
        let mut sink = Vec::new();
        p.write_paced(&mut sink, &[0u8; 96]).unwrap();
        p.wait(0);
        // 96 bytes at 960 bytes/s: 100 ms.
        assert!(
            t.elapsed() >= Duration::from_millis(90),
            "{:?}",
            t.elapsed()
        );
        assert_eq!(sink.len(), 96);
    }
}

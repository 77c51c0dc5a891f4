//! Secrets (PSK keys, passwords) the log must never show, in bounded memory,
//! and AT traffic shown printable with them redacted, without a heap.

use core::fmt;

/// At most `N` secrets of at most `L` bytes each. A secret that does not fit
/// still counts: from then on traffic is logged as lengths only, never in clear.
#[derive(Debug, Clone, Default)]
pub struct Secrets<const N: usize = 4, const L: usize = 256> {
    items: heapless::Vec<heapless::Vec<u8, L>, N>,
    /// A secret could not be stored: redact every byte.
    lost: bool,
}

impl<const N: usize, const L: usize> Secrets<N, L> {
    pub const fn new() -> Self {
        Secrets {
            items: heapless::Vec::new(),
            lost: false,
        }
    }

    /// Registers a secret (empty ones are ignored, duplicates kept once).
    pub fn add(&mut self, secret: &[u8]) {
        if secret.is_empty() || self.items.iter().any(|s| s.as_slice() == secret) {
            return;
        }
        let stored = heapless::Vec::from_slice(secret)
            .ok()
            .and_then(|v| self.items.push(v).ok());
        if stored.is_none() {
            self.lost = true;
        }
    }

    /// Whether traffic must be logged without its content.
    pub fn lost(&self) -> bool {
        self.lost
    }

    fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.items.iter().map(|s| s.as_slice())
    }
}

/// Bytes for the log: printable (`\r`, `\n`, `\xNN`), every secret as `***`.
pub struct Shown<'a, const N: usize, const L: usize> {
    pub bytes: &'a [u8],
    pub secrets: &'a Secrets<N, L>,
    /// The secrets of the request at hand, besides the registered ones.
    pub extra: &'a [&'a [u8]],
}

impl<const N: usize, const L: usize> Shown<'_, N, L> {
    fn secret_at(&self, at: &[u8]) -> Option<usize> {
        self.secrets
            .iter()
            .chain(self.extra.iter().copied())
            .filter(|s| !s.is_empty())
            .find(|s| at.starts_with(s))
            .map(<[u8]>::len)
    }
}

impl<const N: usize, const L: usize> fmt::Display for Shown<'_, N, L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.secrets.lost() {
            return write!(f, "<{} bytes, not shown>", self.bytes.len());
        }
        let mut i = 0;
        while let Some(rest) = self.bytes.get(i..).filter(|r| !r.is_empty()) {
            if let Some(n) = self.secret_at(rest) {
                f.write_str("***")?;
                i += n;
                continue;
            }
            let b = rest.first().copied().unwrap_or(0);
            match b {
                b'\r' => f.write_str("\\r")?,
                b'\n' => f.write_str("\\n")?,
                b'\\' => f.write_str("\\\\")?,
                0x20..=0x7E => fmt::Write::write_char(f, char::from(b))?,
                _ => write!(f, "\\x{b:02X}")?,
            }
            i += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::string::ToString;

    #[test]
    fn secrets_are_redacted_everywhere_and_bytes_escaped() {
        let mut s: Secrets = Secrets::new();
        s.add(b"KEY");
        let shown = Shown {
            bytes: b"AT+X=\"KEY\",\"KEY\"\r\x1a",
            secrets: &s,
            extra: &[b"X="],
        };
        assert_eq!(shown.to_string(), "AT+***\"***\",\"***\"\\r\\x1A");
    }

    #[test]
    fn a_secret_that_does_not_fit_hides_all_traffic() {
        let mut s: Secrets<1, 4> = Secrets::new();
        s.add(b"toolong");
        let shown = Shown {
            bytes: b"toolong",
            secrets: &s,
            extra: &[],
        };
        assert_eq!(shown.to_string(), "<7 bytes, not shown>");
    }
}

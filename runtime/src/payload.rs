//! Payloads taken by length, as they are on the wire, and hex text (BC26 `dataformat`).

use core::fmt;

/// Why a payload could not be decoded or encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadError {
    /// Hex text with an odd number of digits.
    OddHexLength { len: usize },
    /// A byte that is not a hex digit.
    NotHex { byte: u8, index: usize },
    /// The caller's buffer is too small.
    BufferTooSmall { needed: usize, available: usize },
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            PayloadError::OddHexLength { len } => {
                write!(f, "hex payload has an odd number of digits ({len}); expected pairs of hex digits")
            }
            PayloadError::NotHex { byte, index } => write!(
                f,
                "hex payload has byte 0x{byte:02X} at index {index}; expected a hex digit (0-9, A-F)"
            ),
            PayloadError::BufferTooSmall { needed, available } => {
                write!(f, "payload needs {needed} bytes but the buffer holds {available}")
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for PayloadError {}

/// A payload as received: the wire bytes, and whether they are hex text.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Payload<'a> {
    pub raw: &'a [u8],
    pub hex: bool,
}

impl fmt::Debug for Payload<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Payload({} bytes{})",
            self.raw.len(),
            if self.hex { ", hex" } else { "" }
        )
    }
}

impl<'a> Payload<'a> {
    pub fn new(raw: &'a [u8], hex: bool) -> Self {
        Payload { raw, hex }
    }

    /// The bytes as they came over the wire.
    pub fn wire(&self) -> &'a [u8] {
        self.raw
    }

    /// The decoded length (half the wire length for hex text, rounded down).
    pub fn len(&self) -> usize {
        if self.hex {
            self.raw.len() / 2
        } else {
            self.raw.len()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// Decodes into `out` and returns the filled part. Plain payloads are copied.
    pub fn decode_into<'o>(&self, out: &'o mut [u8]) -> Result<&'o [u8], PayloadError> {
        if self.hex {
            return hex_decode_into(self.raw, out);
        }
        let available = out.len();
        let dst = out
            .get_mut(..self.raw.len())
            .ok_or(PayloadError::BufferTooSmall {
                needed: self.raw.len(),
                available,
            })?;
        dst.copy_from_slice(self.raw);
        Ok(dst)
    }

    /// The decoded bytes.
    #[cfg(feature = "std")]
    pub fn to_vec(&self) -> Result<std::vec::Vec<u8>, PayloadError> {
        let mut v = std::vec![0u8; self.len()];
        let n = self.decode_into(&mut v)?.len();
        v.truncate(n);
        Ok(v)
    }
}

fn nibble(b: u8, index: usize) -> Result<u8, PayloadError> {
    match b {
        b'0'..=b'9' => Ok(b - b'0'),
        b'a'..=b'f' => Ok(b - b'a' + 10),
        b'A'..=b'F' => Ok(b - b'A' + 10),
        _ => Err(PayloadError::NotHex { byte: b, index }),
    }
}

/// Decodes hex text (either case) into `out`.
pub fn hex_decode_into<'o>(hex: &[u8], out: &'o mut [u8]) -> Result<&'o [u8], PayloadError> {
    if hex.len() % 2 != 0 {
        return Err(PayloadError::OddHexLength { len: hex.len() });
    }
    let needed = hex.len() / 2;
    let available = out.len();
    let dst = out
        .get_mut(..needed)
        .ok_or(PayloadError::BufferTooSmall { needed, available })?;
    for (i, (d, pair)) in dst.iter_mut().zip(hex.chunks_exact(2)).enumerate() {
        let (hi, lo) = match pair {
            [hi, lo] => (*hi, *lo),
            _ => return Err(PayloadError::OddHexLength { len: hex.len() }),
        };
        *d = (nibble(hi, 2 * i)? << 4) | nibble(lo, 2 * i + 1)?;
    }
    Ok(dst)
}

const HEX_DIGITS: &[u8; 16] = b"0123456789ABCDEF";

/// The length of `n` bytes as hex text.
pub fn hex_encoded_len(n: usize) -> usize {
    n.saturating_mul(2)
}

/// Encodes `data` as upper-case hex text into `out` (BC26 sends in hex format).
pub fn hex_encode_into<'o>(data: &[u8], out: &'o mut [u8]) -> Result<&'o [u8], PayloadError> {
    let needed = hex_encoded_len(data.len());
    let available = out.len();
    let dst = out
        .get_mut(..needed)
        .ok_or(PayloadError::BufferTooSmall { needed, available })?;
    for (pair, b) in dst.chunks_exact_mut(2).zip(data) {
        if let [hi, lo] = pair {
            *hi = HEX_DIGITS.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
            *lo = HEX_DIGITS
                .get(usize::from(b & 0x0F))
                .copied()
                .unwrap_or(b'0');
        }
    }
    Ok(dst)
}

/// Encodes `data` as upper-case hex text.
#[cfg(feature = "std")]
pub fn hex_encode(data: &[u8]) -> std::vec::Vec<u8> {
    let mut v = std::vec![0u8; hex_encoded_len(data.len())];
    let n = hex_encode_into(data, &mut v).map(|s| s.len()).unwrap_or(0);
    v.truncate(n);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_payload_is_copied_as_is() {
        let p = Payload::new(b"\r\nOK\r\n", false);
        let mut out = [0u8; 8];
        assert_eq!(p.decode_into(&mut out).unwrap(), b"\r\nOK\r\n");
        assert_eq!(p.len(), 6);
    }

    #[test]
    fn hex_payload_decodes_either_case() {
        let p = Payload::new(b"0d0A4F4b", true);
        let mut out = [0u8; 4];
        assert_eq!(p.decode_into(&mut out).unwrap(), b"\r\nOK");
        assert_eq!(p.len(), 4);
    }

    #[test]
    fn hex_errors_say_where_and_what() {
        let mut out = [0u8; 4];
        assert_eq!(
            hex_decode_into(b"0G", &mut out),
            Err(PayloadError::NotHex {
                byte: b'G',
                index: 1
            })
        );
        assert_eq!(
            hex_decode_into(b"0", &mut out),
            Err(PayloadError::OddHexLength { len: 1 })
        );
        assert_eq!(
            hex_decode_into(b"0000000000", &mut out),
            Err(PayloadError::BufferTooSmall {
                needed: 5,
                available: 4
            })
        );
    }

    #[cfg(feature = "std")]
    #[test]
    fn every_byte_value_round_trips_through_hex() {
        let data: std::vec::Vec<u8> = (0..=255u8).collect();
        let hex = hex_encode(&data);
        assert_eq!(hex.len(), 512);
        assert_eq!(Payload::new(&hex, true).to_vec().unwrap(), data);
    }
}

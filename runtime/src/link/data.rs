//! The data phase after `>`: checking a payload before anything is written, and
//! checking the module's checksum of it afterwards.

use crate::error::{Problem, ValidationError, Value};
use crate::payload::hex_encode;
use crate::request::{ChecksumKind, DataEnd, DataPhase};
use crate::wire::xor16;

pub(crate) const CTRL_Z: u8 = 0x1A;
pub(crate) const ESC: u8 = 0x1B;

/// The bytes to write after the prompt (without the Ctrl+Z), or why not.
/// `data` is always the raw payload; it is hex-encoded here when `hex` holds, and
/// lengths and limits count raw bytes (BC26: `<send_length>` 1..=730 in hex format).
pub(crate) fn prepare(
    family: &'static str,
    command: &'static str,
    phase: &DataPhase,
    data: &[u8],
    hex: bool,
) -> Result<Vec<u8>, ValidationError> {
    let err = |value, problem| ValidationError {
        family,
        command,
        param: "data",
        value,
        problem,
    };
    if data.is_empty() {
        return Err(err(Value::Len(0), Problem::PayloadEmpty));
    }
    if let Some(max) = phase.max_len {
        if data.len() > max {
            return Err(err(Value::Len(data.len()), Problem::PayloadTooLong { max }));
        }
    }
    let wire = if hex { hex_encode(data) } else { data.to_vec() };
    match phase.end {
        DataEnd::Length(n) if n != data.len() => Err(err(
            Value::Len(data.len()),
            Problem::PayloadLengthMismatch { expected: n },
        )),
        DataEnd::CtrlZ => match wire.iter().position(|&b| b == CTRL_Z || b == ESC) {
            Some(index) => Err(err(
                Value::Byte {
                    byte: wire.get(index).copied().unwrap_or(CTRL_Z),
                    index,
                },
                Problem::PayloadContainsTerminator,
            )),
            None => Ok(wire),
        },
        DataEnd::Length(_) => Ok(wire),
    }
}

/// Our checksum of the bytes written.
pub(crate) fn local_checksum(kind: ChecksumKind, wire: &[u8]) -> u64 {
    match kind {
        ChecksumKind::ByteCount => u64::try_from(wire.len()).unwrap_or(u64::MAX),
        ChecksumKind::Xor16 => u64::from(xor16(wire)),
    }
}

/// The module's checksum: the last field of the first information line
/// (`+QSSLCFG: 1,1,"cacert",1388`, `+QSECWRITE: 1388,384a`).
pub(crate) fn reported_checksum(kind: ChecksumKind, block: &[u8]) -> Option<u64> {
    let line = block.split(|&b| b == b'\n').next()?;
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let field = line.rsplit(|&b| b == b',' || b == b':').next()?;
    let field = std::str::from_utf8(field).ok()?.trim().trim_matches('"');
    match kind {
        ChecksumKind::ByteCount => field.parse().ok(),
        ChecksumKind::Xor16 => {
            let digits = field
                .strip_prefix("0x")
                .or_else(|| field.strip_prefix("0X"))
                .unwrap_or(field);
            u64::from_str_radix(digits, 16).ok()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phase(end: DataEnd, max_len: Option<usize>) -> DataPhase {
        DataPhase {
            end,
            max_len,
            hex_when: None,
            checksum: None,
            prompt_wait_ms: 0,
            secret: false,
        }
    }

    #[test]
    fn ctrl_z_payload_with_terminator_is_refused_with_its_index() {
        let e = prepare(
            "f",
            "QSSLSEND",
            &phase(DataEnd::CtrlZ, None),
            b"ab\x1bc",
            false,
        )
        .unwrap_err();
        assert_eq!(
            e.value,
            Value::Byte {
                byte: 0x1B,
                index: 2
            }
        );
        assert_eq!(e.problem, Problem::PayloadContainsTerminator);
    }

    #[test]
    fn ctrl_z_payload_in_hex_is_fine_because_hex_text_has_no_terminator() {
        let w = prepare("f", "QSSLSEND", &phase(DataEnd::CtrlZ, None), b"\x1a", true).unwrap();
        assert_eq!(w, b"1A");
    }

    #[test]
    fn fixed_length_counts_raw_bytes() {
        let p = phase(DataEnd::Length(2), Some(730));
        assert_eq!(
            prepare("f", "QSSLSEND", &p, b"\x00\xff", true).unwrap(),
            b"00FF"
        );
        let e = prepare("f", "QSSLSEND", &p, b"abc", false).unwrap_err();
        assert_eq!(e.problem, Problem::PayloadLengthMismatch { expected: 2 });
    }

    #[test]
    fn checksums_are_read_from_the_last_field() {
        assert_eq!(
            reported_checksum(ChecksumKind::Xor16, b"+QSECWRITE: 1388,384a\r\n"),
            Some(0x384a)
        );
        assert_eq!(
            reported_checksum(
                ChecksumKind::ByteCount,
                b"+QSSLCFG: 1,1,\"cacert\",1388\r\n"
            ),
            Some(1388)
        );
        assert_eq!(reported_checksum(ChecksumKind::ByteCount, b""), None);
    }
}

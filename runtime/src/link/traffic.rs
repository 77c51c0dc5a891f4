//! AT traffic in the log, printable and with secrets redacted.

/// Printable form of module bytes: `\r`, `\n`, `\xNN` for the rest of the unprintables.
pub fn escape(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'\r' => s.push_str("\\r"),
            b'\n' => s.push_str("\\n"),
            b'\\' => s.push_str("\\\\"),
            0x20..=0x7E => s.push(char::from(b)),
            _ => s.push_str(&format!("\\x{b:02X}")),
        }
    }
    s
}

/// `bytes` with every occurrence of every secret replaced by `***`.
pub fn redact(bytes: &[u8], secrets: &[Vec<u8>]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let mut i = 0;
        let mut next = Vec::with_capacity(out.len());
        while i < out.len() {
            if out.get(i..).is_some_and(|rest| rest.starts_with(secret)) {
                next.extend_from_slice(b"***");
                i += secret.len();
            } else {
                next.extend(out.get(i).copied());
                i += 1;
            }
        }
        out = next;
    }
    out
}

/// The log line for bytes sent or received.
pub fn show(bytes: &[u8], secrets: &[Vec<u8>]) -> String {
    escape(&redact(bytes, secrets))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_everywhere() {
        let s = show(
            b"AT+QSSLCFG=\"psk\",1,\"KEY\",\"KEY\"\r",
            &[b"KEY".to_vec()],
        );
        assert_eq!(s, "AT+QSSLCFG=\"psk\",1,\"***\",\"***\"\\r");
    }

    #[test]
    fn unprintable_bytes_are_escaped() {
        assert_eq!(escape(&[0x1A, b'a', 0xFF]), "\\x1Aa\\xFF");
    }
}

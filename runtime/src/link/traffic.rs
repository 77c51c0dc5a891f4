//! AT traffic for messages: printable, `\r`, `\n`, `\xNN` for the rest.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unprintable_bytes_are_escaped() {
        assert_eq!(escape(&[0x1A, b'a', 0xFF]), "\\x1Aa\\xFF");
    }
}

//! Final result codes: the lines that end a command's response. Borrowed, no heap.

/// The code of a `+CME ERROR: …` line, numeric (`AT+CMEE=1`) or verbose (`AT+CMEE=2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmeCode<'a> {
    Numeric(i64),
    Verbose(&'a str),
    /// Bytes that are not UTF-8: still the module's error, kept as they came.
    Raw(&'a [u8]),
}

/// A final result code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalCode<'a> {
    Ok,
    Error,
    CmeError(CmeCode<'a>),
    SendOk,
    SendFail,
    /// `CLOSE OK`, or ML302's `<ssid>,CLOSE OK`.
    CloseOk {
        id: Option<i64>,
    },
    /// `CONNECT`, or `CONNECT <rate>`.
    Connect {
        rate: Option<&'a str>,
    },
    NoCarrier,
}

impl FinalCode<'_> {
    /// Whether the command failed.
    pub fn is_error(&self) -> bool {
        matches!(
            self,
            FinalCode::Error | FinalCode::CmeError(_) | FinalCode::SendFail | FinalCode::NoCarrier
        )
    }
}

fn trim(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t' | b'\r' | b'\n', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t' | b'\r' | b'\n'] = s {
        s = rest;
    }
    s
}

fn parse_int(s: &[u8]) -> Option<i64> {
    let s = core::str::from_utf8(s).ok()?;
    if s.is_empty()
        || !s
            .bytes()
            .enumerate()
            .all(|(i, b)| b.is_ascii_digit() || (i == 0 && b == b'-'))
    {
        return None;
    }
    s.parse().ok()
}

/// Parses one line (with or without its CR LF) as a final result code.
/// `None` for any other line, including information lines and URCs.
#[inline]
pub fn parse(line: &[u8]) -> Option<FinalCode<'_>> {
    // Most lines of module output are `+…: …` responses and URCs: of those
    // only `+CME ERROR:` is a final result code (told here, where it is
    // inlined, before the line is trimmed).
    if other_plus(line) {
        return None;
    }
    // A line as the digester hands it has nothing to trim: `OK` is told here.
    if let Some(code) = word(line) {
        return Some(code);
    }
    parse_trimmed(trim(line))
}

/// Whether `line` may be a final result code ([`parse`] may find one): a
/// `+…` line other than `+CME ERROR:` is none, told without a call.
#[inline(always)]
pub fn may_be(line: &[u8]) -> bool {
    !other_plus(line)
}

/// A `+…` line other than `+CME ERROR:`: no final result code.
#[inline(always)]
fn other_plus(line: &[u8]) -> bool {
    line.first() == Some(&b'+') && !line.starts_with(b"+CME ERROR:")
}

/// The final result codes that are one fixed text.
#[inline(always)]
fn word(line: &[u8]) -> Option<FinalCode<'static>> {
    Some(match line {
        b"OK" => FinalCode::Ok,
        b"ERROR" => FinalCode::Error,
        b"SEND OK" => FinalCode::SendOk,
        b"SEND FAIL" => FinalCode::SendFail,
        b"NO CARRIER" => FinalCode::NoCarrier,
        b"CLOSE OK" => FinalCode::CloseOk { id: None },
        b"CONNECT" => FinalCode::Connect { rate: None },
        _ => return None,
    })
}

/// [`parse`] of a trimmed line (trimming may have uncovered a `+` or a word).
fn parse_trimmed(line: &[u8]) -> Option<FinalCode<'_>> {
    if other_plus(line) {
        return None;
    }
    if let Some(code) = word(line) {
        return Some(code);
    }
    if let Some(rest) = line.strip_prefix(b"+CME ERROR:") {
        // Empty or not UTF-8, it still ends the command: a module error, never a hang.
        let rest = trim(rest);
        if let Some(n) = parse_int(rest) {
            return Some(FinalCode::CmeError(CmeCode::Numeric(n)));
        }
        return Some(FinalCode::CmeError(match core::str::from_utf8(rest) {
            Ok(text) => CmeCode::Verbose(text),
            Err(_) => CmeCode::Raw(rest),
        }));
    }
    if let Some(rest) = line.strip_prefix(b"CONNECT ") {
        let rate = core::str::from_utf8(trim(rest)).ok()?;
        // `CONNECT OK` (some modules' open result) is not the transparent-mode CONNECT.
        if rate.is_empty() || !rate.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
            return None;
        }
        return Some(FinalCode::Connect { rate: Some(rate) });
    }
    if let Some(id) = line.strip_suffix(b",CLOSE OK") {
        return parse_int(trim(id)).map(|id| FinalCode::CloseOk { id: Some(id) });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_final_code_is_recognised() {
        let table: &[(&[u8], Option<FinalCode>)] = &[
            (b"OK", Some(FinalCode::Ok)),
            (b"OK\r\n", Some(FinalCode::Ok)),
            (b"ERROR", Some(FinalCode::Error)),
            (
                b"+CME ERROR: 550",
                Some(FinalCode::CmeError(CmeCode::Numeric(550))),
            ),
            (
                b"+CME ERROR:3",
                Some(FinalCode::CmeError(CmeCode::Numeric(3))),
            ),
            (
                b"+CME ERROR: SIM not inserted",
                Some(FinalCode::CmeError(CmeCode::Verbose("SIM not inserted"))),
            ),
            (b"SEND OK", Some(FinalCode::SendOk)),
            (b"SEND FAIL", Some(FinalCode::SendFail)),
            (b"CLOSE OK", Some(FinalCode::CloseOk { id: None })),
            (b"0,CLOSE OK", Some(FinalCode::CloseOk { id: Some(0) })),
            (b"CONNECT", Some(FinalCode::Connect { rate: None })),
            (
                b"CONNECT 115200",
                Some(FinalCode::Connect {
                    rate: Some("115200"),
                }),
            ),
            (b"NO CARRIER", Some(FinalCode::NoCarrier)),
            (b"CONNECT OK", None),
            (
                b"+CME ERROR:",
                Some(FinalCode::CmeError(CmeCode::Verbose(""))),
            ),
            (
                b"+CME ERROR: \xff\xfe",
                Some(FinalCode::CmeError(CmeCode::Raw(b"\xff\xfe"))),
            ),
            (b"x,CLOSE OK", None),
            (b"+QSSLOPEN: 1,0", None),
            (b"OKAY", None),
            (b"", None),
        ];
        for (line, expected) in table {
            assert_eq!(parse(line), *expected, "{:?}", core::str::from_utf8(line));
        }
    }

    #[test]
    fn errors_are_errors() {
        assert!(parse(b"ERROR").is_some_and(|c| c.is_error()));
        assert!(parse(b"SEND FAIL").is_some_and(|c| c.is_error()));
        assert!(parse(b"OK").is_some_and(|c| !c.is_error()));
    }
}

//! Per-family dialects: each parses command lines with the family's generated
//! `Request::parse`, keeps the family's settings, and answers with the family's
//! generated response and URC types (`write_to`).

use atgen_runtime::{DataEnd, DataPhase};

use super::machine::{End, Job, Machine, SockKey};

#[cfg(any(
    feature = "quectel-ec2x",
    feature = "quectel-ec200x",
    feature = "quectel-ugxx"
))]
#[macro_use]
mod quectel;
#[cfg(any(feature = "quectel-ec2x", feature = "quectel-ec200x"))]
#[macro_use]
mod quectel_lte;

#[cfg(feature = "quectel-bc26")]
mod bc26;
#[cfg(feature = "quectel-ec200x")]
mod ec200x;
#[cfg(feature = "quectel-ec2x")]
mod ec2x;
#[cfg(feature = "cmiot-ml302")]
mod ml302;
#[cfg(feature = "quectel-ugxx")]
mod ugxx;

/// What a family adds to the core machine.
pub(crate) trait Dialect: Send {
    /// An `AT+…` line. Must answer (final result code or `>`), or leave the answer
    /// to a later event (`CONNECT` after the handshake).
    fn command(&mut self, m: &mut Machine, line: &[u8]);
    /// A data phase completed.
    fn data(&mut self, m: &mut Machine, job: Job, data: Vec<u8>);
    /// A data phase was cancelled with ESC.
    fn cancelled(&mut self, m: &mut Machine, _job: Job) {
        m.ok();
    }
    /// The simulated handshake of a socket finished (it is `Connected` now).
    fn opened(&mut self, m: &mut Machine, key: SockKey);
    /// The peer's data was appended to the socket's receive buffer.
    fn received(&mut self, m: &mut Machine, key: SockKey);
    /// The peer closed the connection (the socket is `Closing` now).
    fn peer_closed(&mut self, m: &mut Machine, key: SockKey);
    /// Settings back to their power-on values (reboot).
    fn reset(&mut self);
    /// The URC the `urc` fault injects: harmless, about a socket that is not open.
    fn injected_urc(&self, m: &Machine) -> Vec<u8>;
}

/// The families this build can simulate.
pub(crate) fn families() -> Vec<&'static str> {
    const ALL: [(&str, bool); 5] = [
        ("quectel-ec200x", cfg!(feature = "quectel-ec200x")),
        ("quectel-ec2x", cfg!(feature = "quectel-ec2x")),
        ("quectel-bc26", cfg!(feature = "quectel-bc26")),
        ("quectel-ugxx", cfg!(feature = "quectel-ugxx")),
        ("cmiot-ml302", cfg!(feature = "cmiot-ml302")),
    ];
    ALL.iter()
        .filter(|(_, on)| *on)
        .map(|(id, _)| *id)
        .collect()
}

/// The dialect of a family, and its id as a `'static` string.
pub(crate) fn for_family(id: &str) -> Option<(&'static str, Box<dyn Dialect>)> {
    match id {
        #[cfg(feature = "quectel-ec200x")]
        "quectel-ec200x" => Some(("quectel-ec200x", Box::new(ec200x::Ec200x::default()))),
        #[cfg(feature = "quectel-ec2x")]
        "quectel-ec2x" => Some(("quectel-ec2x", Box::new(ec2x::Ec2x::default()))),
        #[cfg(feature = "quectel-bc26")]
        "quectel-bc26" => Some(("quectel-bc26", Box::new(bc26::Bc26::default()))),
        #[cfg(feature = "quectel-ugxx")]
        "quectel-ugxx" => Some(("quectel-ugxx", Box::new(ugxx::Ugxx::default()))),
        #[cfg(feature = "cmiot-ml302")]
        "cmiot-ml302" => Some(("cmiot-ml302", Box::new(ml302::Ml302::default()))),
        _ => None,
    }
}

/// The machine's data phase for a request's spec'd data phase; `hex` doubles a
/// fixed length (two hex characters per byte).
#[allow(dead_code)]
pub(crate) fn end_of(phase: Option<DataPhase>, hex: bool) -> End {
    match phase.map(|p| (p.end, p.max_len)) {
        Some((DataEnd::Length(n), _)) => End::Length(if hex { n.saturating_mul(2) } else { n }),
        Some((DataEnd::CtrlZ, max)) => End::CtrlZ {
            max: max.map(|n| if hex { n.saturating_mul(2) } else { n }),
        },
        None => End::CtrlZ { max: None },
    }
}

/// Upper-case hex text of `data`.
#[allow(dead_code)]
pub(crate) fn hex_encode(data: &[u8]) -> Vec<u8> {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = Vec::with_capacity(data.len() * 2);
    for b in data {
        out.push(DIGITS[usize::from(b >> 4)]);
        out.push(DIGITS[usize::from(b & 0x0F)]);
    }
    out
}

/// Bytes of hex text (either case); `None` when it is not hex or has an odd length.
#[allow(dead_code)]
pub(crate) fn hex_decode(text: &[u8]) -> Option<Vec<u8>> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    if text.len() % 2 != 0 {
        return None;
    }
    text.chunks(2)
        .map(|p| match p {
            [h, l] => Some(nibble(*h)? << 4 | nibble(*l)?),
            _ => None,
        })
        .collect()
}

/// The machine's key of a socket id.
#[allow(dead_code)]
pub(crate) fn key(id: u8) -> SockKey {
    SockKey::from(id)
}

/// The socket id of a machine key (ids are `u8` in every family).
#[allow(dead_code)]
pub(crate) fn id(key: SockKey) -> u8 {
    u8::try_from(key).unwrap_or(u8::MAX)
}

/// The highest id in `0..=max` with no socket, for the injected URC.
#[allow(dead_code)]
pub(crate) fn unused_id(m: &Machine, max: SockKey) -> SockKey {
    (0..=max)
        .rev()
        .find(|k| m.socket(*k).is_none())
        .unwrap_or(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        assert_eq!(hex_encode(b"\x00\x1a\xff"), b"001AFF");
        assert_eq!(hex_decode(b"001aFF").unwrap(), b"\x00\x1a\xff");
        assert_eq!(hex_decode(b"0"), None);
        assert_eq!(hex_decode(b"zz"), None);
    }
}

//! The trait a generated family module implements: its URCs, and where its
//! length-prefixed payloads are, so framing never reads a payload as lines.

use crate::error::ParseError;

/// What [`Family::probe_payload`] finds at the start of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadProbe {
    /// Not a payload header: an ordinary line.
    No,
    /// Could be a payload header; more bytes are needed to tell.
    Incomplete,
    /// A payload of `len` bytes starts at `start`, followed by `trailer`
    /// (`"\r\n` for BC26's inline quoted data, empty when the payload follows
    /// its own header line).
    Payload {
        start: usize,
        len: usize,
        trailer: &'static [u8],
    },
}

/// A module family: its id, its URC type and its framing rules.
pub trait Family {
    /// The family id, e.g. `quectel-ec2x`.
    const ID: &'static str;
    /// Every URC of the family.
    type Urc<'a>: core::fmt::Debug;

    /// Line prefixes that start URCs (`+QSSLURC: `, `+QSSLOPEN: `, …).
    const URC_PREFIXES: &'static [&'static str];

    /// Given bytes from the start of a line, whether a payload taken by length
    /// starts in it (`+QSSLRECV: 18\r\n<18 bytes>`). `hex` says whether payloads are
    /// currently hex text (BC26 dataformat), which doubles their length on the wire.
    fn probe_payload(buf: &[u8], hex: bool) -> PayloadProbe;

    /// Parses a complete URC frame (line, and payload if any, without the final CR LF).
    /// `None` when the frame is not one of the family's URCs.
    fn parse_urc(frame: &[u8], hex: bool) -> Option<Result<Self::Urc<'_>, ParseError>>;
}

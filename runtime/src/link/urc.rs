//! Unsolicited frames, owned, in arrival order.

use crate::error::ParseError;
use crate::family::Family;

/// What the family made of an unsolicited frame when it arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrcKind {
    /// One of the family's URCs.
    Known,
    /// It looks like one of the family's URCs but does not parse.
    Malformed(ParseError),
    /// Not a family URC: `RDY`, `+CPIN: READY`, a stray `CLOSE OK`, garbage.
    Unknown,
}

/// One unsolicited frame: a line, or a line with its payload (without the final CR LF).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrcFrame {
    pub frame: Vec<u8>,
    /// Whether payloads were hex text when it arrived.
    pub hex: bool,
    pub kind: UrcKind,
}

impl UrcFrame {
    /// Classifies a frame with the family's parser.
    pub fn new<F: Family>(frame: Vec<u8>, hex: bool) -> Self {
        let kind = match F::parse_urc(&frame, hex) {
            Some(Ok(_)) => UrcKind::Known,
            Some(Err(e)) => UrcKind::Malformed(e),
            None => UrcKind::Unknown,
        };
        UrcFrame { frame, hex, kind }
    }

    /// The typed URC; `None` when the frame is not one of the family's.
    pub fn parse<F: Family>(&self) -> Option<Result<F::Urc<'_>, ParseError>> {
        F::parse_urc(&self.frame, self.hex)
    }

    pub fn is_known(&self) -> bool {
        self.kind == UrcKind::Known
    }

    /// The frame as text, for messages (non-printable bytes escaped).
    pub fn text(&self) -> String {
        super::traffic::escape(&self.frame)
    }
}

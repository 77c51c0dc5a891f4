//! The trait every generated request type implements, and what it tells the
//! link: how to write it, how long to wait, its data phase, how to parse its response.

use crate::error::{EncodeError, ParseError, ValidationError};
use crate::family::Family;
use crate::sink::{ByteSink, Overflow};

/// The four AT command forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FormKind {
    /// `AT+CMD=?`
    Test,
    /// `AT+CMD?`
    Read,
    /// `AT+CMD=<args>`
    Write,
    /// `AT+CMD`
    Exec,
}

/// How a data phase after the `>` prompt ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataEnd {
    /// The payload is followed by Ctrl+Z (0x1A); ESC (0x1B) cancels.
    CtrlZ,
    /// Exactly this many bytes, no terminator.
    Length(usize),
}

/// How the module reports a payload's integrity after a data phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChecksumKind {
    /// The total byte count (BC26 certificate upload).
    ByteCount,
    /// XOR of big-endian 16-bit words (ML302 QSECWRITE), see [`crate::wire::xor16`].
    Xor16,
}

/// A condition on another parameter's value (a setting made by another command).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    /// The manual's parameter name, e.g. `send_data_format`.
    pub param: &'static str,
    pub equals: i64,
}

/// The data phase of a request: what to send after the `>` prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataPhase {
    pub end: DataEnd,
    /// Largest payload in bytes (the manual's cap, e.g. 1460).
    pub max_len: Option<usize>,
    /// The payload is hex text while this setting holds (BC26 dataformat).
    pub hex_when: Option<When>,
    pub checksum: Option<ChecksumKind>,
    /// Wait this long after the prompt before sending (BC26: 500 ms recommended).
    pub prompt_wait_ms: u32,
    /// Key material: never logged.
    pub secret: bool,
}

/// A parameter whose value adds to (or is) the maximum response time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlusParam {
    /// The manual's name, e.g. `negotiate_time`.
    pub param: &'static str,
    /// Its value when the request itself carries it.
    pub value: Option<i64>,
    /// Its default, used when neither the request nor a known setting gives it.
    pub default: Option<i64>,
    /// Milliseconds per unit of the value (1000 for seconds).
    pub unit_ms: u64,
    /// The unit chosen by another setting: (param, [(value, ms per unit)]) (`closetimemode`).
    pub unit_by: Option<(&'static str, &'static [(i64, u64)])>,
}

/// How long the runtime waits for one request's answer: the manual's maximum
/// response time (or its wait for a result URC), or, where the manual states
/// none, atgen's own default ([`UNSTATED_RESPONSE`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaxResponse {
    pub base_ms: u64,
    pub plus: Option<PlusParam>,
    /// The manual's words, e.g. "150 s plus <negotiate_time>"; for
    /// [`UNSTATED_RESPONSE`] what it is instead.
    pub text: &'static str,
    /// `false`: the manual states no time and this is atgen's default.
    pub stated: bool,
}

/// atgen's wait for a command whose manual states no maximum response time
/// (UGxx `AT+QSSLSEND`, ML302 `AT+QSSLCLOSE`): atgen's choice, not the manual's.
/// A command with a result URC and no stated wait waits this long for the URC too.
pub const UNSTATED_RESPONSE: MaxResponse = MaxResponse {
    base_ms: 300,
    plus: None,
    text: "not stated in the manual: atgen's default",
    stated: false,
};

impl MaxResponse {
    /// The time in milliseconds; `setting` looks up values set earlier by other commands.
    pub fn total_ms(&self, setting: impl Fn(&str) -> Option<i64>) -> u64 {
        let Some(p) = self.plus else {
            return self.base_ms;
        };
        let value = p
            .value
            .or_else(|| setting(p.param))
            .or(p.default)
            .unwrap_or(0);
        let unit = p
            .unit_by
            .and_then(|(param, units)| {
                let v = setting(param)?;
                units.iter().find(|(k, _)| *k == v).map(|(_, ms)| *ms)
            })
            .unwrap_or(p.unit_ms);
        let value = u64::try_from(value).unwrap_or(0);
        self.base_ms.saturating_add(value.saturating_mul(unit))
    }
}

/// A typed AT request of one command form. Generated for every form in the spec.
pub trait AtRequest {
    type Family: Family;
    /// Command name without `AT+`, e.g. `QSSLCFG`.
    const COMMAND: &'static str;
    /// The sub-command keyword, e.g. `sslversion`.
    const SUB: Option<&'static str>;
    const FORM: FormKind;
    /// The manual's section.
    const SECTION: &'static str;
    /// The form's descriptor: the spec as data. Generated requests set it, and
    /// every method below then defaults to the one implementation over it
    /// ([`crate::codec`]); hand-written requests leave it `None` and implement them.
    const DESC: Option<&'static crate::desc::Form> = None;
    /// The typed information response.
    type Response<'r>;

    /// The request's values by field, for the descriptor-driven methods.
    fn vals(&self) -> crate::vals::Vals<'_> {
        crate::vals::Vals::EMPTY
    }

    /// Checks every range, length and stated dependency that the request itself shows.
    fn validate(&self) -> Result<(), ValidationError> {
        self.validate_in(&|_| None)
    }

    /// Like [`AtRequest::validate`], and also the dependencies on settings made by
    /// other commands (BC26 `<send_length>` 1..=730 while `<send_data_format>`=1):
    /// `setting` looks up a parameter's current value by its manual name.
    fn validate_in(&self, setting: &dyn Fn(&str) -> Option<i64>) -> Result<(), ValidationError> {
        match Self::DESC {
            Some(d) => crate::codec::validate(d, &self.vals(), setting),
            None => Ok(()),
        }
    }

    /// Writes the command line (`AT+…\r`) without validating. Prefer [`AtRequest::encode`].
    fn write_line<S: ByteSink + ?Sized>(&self, sink: &mut S) -> Result<(), Overflow> {
        match Self::DESC {
            Some(d) => crate::codec::write_request(d, &self.vals(), sink),
            None => Ok(()),
        }
    }

    /// Validates, then writes the command line. Nothing is written when validation fails.
    fn encode<S: ByteSink + ?Sized>(&self, sink: &mut S) -> Result<(), EncodeError> {
        self.validate()?;
        self.write_line(sink)?;
        Ok(())
    }

    /// [`AtRequest::encode`] with the current settings (see [`AtRequest::validate_in`]).
    fn encode_in<S: ByteSink + ?Sized>(
        &self,
        sink: &mut S,
        setting: &dyn Fn(&str) -> Option<i64>,
    ) -> Result<(), EncodeError> {
        self.validate_in(setting)?;
        self.write_line(sink)?;
        Ok(())
    }

    /// The manual's maximum response time: from the command line (or the end of
    /// its data) to its final result code; [`UNSTATED_RESPONSE`] where the manual
    /// states none.
    fn max_response(&self) -> MaxResponse {
        match Self::DESC {
            Some(d) => crate::codec::max_response(d, &self.vals()),
            None => UNSTATED_RESPONSE,
        }
    }

    /// The wait for the result URC ([`AtRequest::expects_result_urc`]), counted
    /// like [`AtRequest::max_response`]: the manual's wait for the URC where it
    /// states one (ML302 `AT+QSSLOPEN`: its `<timeout>`), else the maximum
    /// response time.
    fn result_wait(&self) -> MaxResponse {
        match Self::DESC {
            Some(d) => crate::codec::result_wait(d, &self.vals()),
            None => self.max_response(),
        }
    }

    /// The data phase after `>`, if this form has one.
    fn data_phase(&self) -> Option<DataPhase> {
        Self::DESC.and_then(|d| crate::codec::data_phase(d, &self.vals()))
    }

    /// The module answers `CONNECT` and enters transparent mode.
    fn connects(&self) -> bool {
        Self::DESC.is_some_and(|d| crate::codec::connects(d, &self.vals()))
    }

    /// A URC completes this request after its final result.
    fn expects_result_urc(&self) -> bool {
        Self::DESC.is_some_and(|d| d.result.is_some()) && !self.connects()
    }

    /// Whether `urc` is the result URC of this very request (same ids).
    fn is_result(&self, urc: &<Self::Family as Family>::Urc<'_>) -> bool {
        match (Self::DESC, <Self::Family as Family>::urc_parts(urc)) {
            (Some(d), Some((u, uv))) => crate::codec::is_result(d, &self.vals(), u, &uv),
            _ => false,
        }
    }

    /// Reports the integer values this request sets (QSSLCFG writes:
    /// `negotiate_time`, `closetimemode`, `send_data_format`, …) under the manual's
    /// parameter names. The link records them after the module answered OK, so later
    /// [`MaxResponse::total_ms`] and hex-format look-ups see them.
    fn settings(&self, record: &mut dyn FnMut(&'static str, i64)) {
        if let Some(d) = Self::DESC {
            let ids = <Self::Family as Family>::DESC.map_or(&[][..], |f| f.ids);
            crate::codec::settings(d, &self.vals(), ids, record);
        }
    }

    /// Reports the values of `secret` parameters (PSK keys); the link never logs them.
    fn secrets(&self, record: &mut dyn FnMut(&[u8])) {
        if let Some(d) = Self::DESC {
            crate::codec::secrets(d, &self.vals(), record);
        }
    }

    /// Parses the information lines (each ending in CR LF, payloads included).
    fn parse_response(block: &[u8]) -> Result<Self::Response<'_>, ParseError>;
}

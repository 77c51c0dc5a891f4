//! What the session needs of a request, object-safe: every generated or
//! hand-written [`AtRequest`], an untyped request built from a form's
//! descriptor ([`DynRequest`]), or a raw AT line ([`Raw`]).

use core::time::Duration;

use crate::codec::{self, Lookup};
use crate::desc::{FinalKind, Form};
use crate::error::{Problem, ValidationError, Value};
use crate::family::Family;
use crate::final_code::FinalCode;
use crate::request::{AtRequest, DataPhase, MaxResponse};
use crate::sink::{ByteSink, Overflow};
use crate::vals::Vals;

/// The kind of a final result code, for matching it against a form's `finals`.
pub fn final_kind(code: &FinalCode<'_>) -> FinalKind {
    match code {
        FinalCode::Ok => FinalKind::Ok,
        FinalCode::Error => FinalKind::Error,
        FinalCode::CmeError(_) => FinalKind::CmeError,
        FinalCode::SendOk => FinalKind::SendOk,
        FinalCode::SendFail => FinalKind::SendFail,
        FinalCode::CloseOk { .. } => FinalKind::CloseOk,
        FinalCode::Connect { .. } => FinalKind::Connect,
        FinalCode::NoCarrier => FinalKind::NoCarrier,
    }
}

/// A request as the session runs it.
pub trait Command {
    /// The command name without `AT+` (`QSSLOPEN`): responses start with `+` and it.
    fn command(&self) -> &str;
    /// The command name for validation errors (`raw command` for a raw line).
    fn label(&self) -> &'static str;
    /// The sub-command keyword (`sslversion`).
    fn sub(&self) -> Option<&'static str> {
        None
    }
    /// The form's descriptor, when the request has one.
    fn form(&self) -> Option<&'static Form> {
        None
    }
    /// Checks the request against the manual; `setting` looks up earlier settings.
    fn validate(&self, setting: Lookup<'_>) -> Result<(), ValidationError>;
    /// Writes the command line (`AT+…\r`).
    fn write(&self, sink: &mut dyn ByteSink) -> Result<(), Overflow>;
    /// The wait for the final result code, from the command line (or the end of its data).
    fn max_response(&self) -> MaxResponse;
    /// The wait for the result URC, counted from the same moment.
    fn result_wait(&self) -> MaxResponse {
        self.max_response()
    }
    fn data_phase(&self) -> Option<DataPhase>;
    /// The module answers `CONNECT` (transparent mode).
    fn connects(&self, setting: Lookup<'_>) -> bool;
    /// A URC completes the command after its final result.
    fn expects_result(&self, setting: Lookup<'_>) -> bool;
    /// Whether `frame` is this request's result URC: `Some(None)` success,
    /// `Some(Some(code))` the error it reports.
    fn result_of(&self, frame: &[u8], hex: bool) -> Option<Option<i64>>;
    /// The code of the form's error line (printed before `ERROR`), when `frame`
    /// is that line for this request.
    fn error_of(&self, _frame: &[u8], _hex: bool) -> Option<i64> {
        None
    }
    /// Whether a final result code ends this command (`None`: it is not this
    /// command's, e.g. a late `0,CLOSE OK`).
    fn ends_with(&self, code: &FinalCode<'_>, setting: Lookup<'_>) -> bool {
        let kind = final_kind(code);
        match self.form() {
            Some(f) => {
                f.ends_with(kind)
                    || matches!(kind, FinalKind::Error | FinalKind::CmeError)
                    || (kind == FinalKind::Connect && self.connects(setting))
            }
            // No descriptor (hand-written requests): what the form itself shows.
            None => match kind {
                FinalKind::SendOk | FinalKind::SendFail => self.data_phase().is_some(),
                FinalKind::CloseOk => self.command().contains("CLOSE"),
                FinalKind::Connect | FinalKind::NoCarrier => self.connects(setting),
                _ => true,
            },
        }
    }
    /// The id parameters the request names (settings are kept per context).
    fn ids(&self, _out: &mut dyn FnMut(&'static str, i64)) {}
    /// The settings the request makes (recorded after OK).
    fn settings(&self, record: &mut dyn FnMut(&'static str, i64));
    /// Secret values (never logged).
    fn secrets(&self, record: &mut dyn FnMut(&[u8]));
}

/// The values of a form's fields that are ids of the family (`FamilyDesc::ids`).
fn form_ids(ids: &[&str], f: &Form, v: &Vals<'_>, out: &mut dyn FnMut(&'static str, i64)) {
    for (i, field) in f.args.fields.iter().enumerate() {
        if ids.contains(&field.param.name) {
            if let Some(n) = v.get(i).int() {
                out(field.param.name, n);
            }
        }
    }
}

impl<R: AtRequest> Command for R {
    fn command(&self) -> &str {
        R::COMMAND
    }
    fn label(&self) -> &'static str {
        R::COMMAND
    }
    fn sub(&self) -> Option<&'static str> {
        R::SUB
    }
    fn form(&self) -> Option<&'static Form> {
        R::DESC
    }
    fn validate(&self, setting: Lookup<'_>) -> Result<(), ValidationError> {
        self.validate_in(setting)
    }
    fn write(&self, sink: &mut dyn ByteSink) -> Result<(), Overflow> {
        self.write_line(sink)
    }
    fn max_response(&self) -> MaxResponse {
        AtRequest::max_response(self)
    }
    fn result_wait(&self) -> MaxResponse {
        AtRequest::result_wait(self)
    }
    fn data_phase(&self) -> Option<DataPhase> {
        AtRequest::data_phase(self)
    }
    fn connects(&self, setting: Lookup<'_>) -> bool {
        match R::DESC {
            Some(d) => codec::connects_in(d, &self.vals(), setting),
            None => AtRequest::connects(self),
        }
    }
    fn expects_result(&self, setting: Lookup<'_>) -> bool {
        match R::DESC {
            Some(d) => codec::expects_result(d, &self.vals(), setting),
            None => self.expects_result_urc(),
        }
    }
    fn result_of(&self, frame: &[u8], hex: bool) -> Option<Option<i64>> {
        match <R::Family as Family>::parse_urc(frame, hex) {
            Some(Ok(u)) if self.is_result(&u) => Some(<R::Family as Family>::urc_error(&u)),
            _ => None,
        }
    }
    fn error_of(&self, frame: &[u8], hex: bool) -> Option<i64> {
        codec::error_code(R::DESC?, &self.vals(), frame, hex)
    }
    fn ids(&self, out: &mut dyn FnMut(&'static str, i64)) {
        if let (Some(f), Some(fam)) = (R::DESC, <R::Family as Family>::DESC) {
            form_ids(fam.ids, f, &self.vals(), out);
        }
    }
    fn settings(&self, record: &mut dyn FnMut(&'static str, i64)) {
        AtRequest::settings(self, record)
    }
    fn secrets(&self, record: &mut dyn FnMut(&[u8])) {
        AtRequest::secrets(self, record)
    }
}

/// A request built at run time from a form's descriptor and values (the
/// socket's dialect builds these from the spec's `[socket]` roles).
#[derive(Debug, Clone, Copy)]
pub struct DynRequest<'a> {
    pub form: &'static Form,
    pub vals: Vals<'a>,
    /// The family's id parameters (settings are kept per context).
    pub ids: &'static [&'static str],
}

impl Command for DynRequest<'_> {
    fn command(&self) -> &str {
        self.form.command
    }
    fn label(&self) -> &'static str {
        self.form.command
    }
    fn sub(&self) -> Option<&'static str> {
        self.form.sub
    }
    fn form(&self) -> Option<&'static Form> {
        Some(self.form)
    }
    fn validate(&self, setting: Lookup<'_>) -> Result<(), ValidationError> {
        codec::validate(self.form, &self.vals, setting)
    }
    fn write(&self, sink: &mut dyn ByteSink) -> Result<(), Overflow> {
        codec::write_request(self.form, &self.vals, sink)
    }
    fn max_response(&self) -> MaxResponse {
        codec::max_response(self.form, &self.vals)
    }
    fn result_wait(&self) -> MaxResponse {
        codec::result_wait(self.form, &self.vals)
    }
    fn data_phase(&self) -> Option<DataPhase> {
        codec::data_phase(self.form, &self.vals)
    }
    fn connects(&self, setting: Lookup<'_>) -> bool {
        codec::connects_in(self.form, &self.vals, setting)
    }
    fn expects_result(&self, setting: Lookup<'_>) -> bool {
        codec::expects_result(self.form, &self.vals, setting)
    }
    fn result_of(&self, frame: &[u8], hex: bool) -> Option<Option<i64>> {
        let urc = self.form.result?;
        let u = codec::parse_line(&urc.line, frame, hex).ok()?;
        codec::is_result(self.form, &self.vals, urc, &u).then(|| codec::urc_error(urc, &u))
    }
    fn error_of(&self, frame: &[u8], hex: bool) -> Option<i64> {
        codec::error_code(self.form, &self.vals, frame, hex)
    }
    fn ids(&self, out: &mut dyn FnMut(&'static str, i64)) {
        form_ids(self.ids, self.form, &self.vals, out);
    }
    fn settings(&self, record: &mut dyn FnMut(&'static str, i64)) {
        codec::settings(self.form, &self.vals, self.ids, record)
    }
    fn secrets(&self, record: &mut dyn FnMut(&[u8])) {
        codec::secrets(self.form, &self.vals, record)
    }
}

/// Any AT command line the spec does not describe (`AT+QIACT=1`), with the same
/// injection checks, URC separation and final-result parsing as typed ones.
#[derive(Debug, Clone, Copy)]
pub struct Raw<'a> {
    /// The line without its CR: `AT+QIACT=1`.
    pub line: &'a str,
    /// How long to wait for the final result code.
    pub timeout: Duration,
}

impl<'a> Raw<'a> {
    pub fn new(line: &'a str, timeout: Duration) -> Self {
        Raw { line, timeout }
    }

    /// The command name: `QIACT` of `AT+QIACT=1`, `AT` of `AT`.
    pub fn name(&self) -> &'a str {
        let l = self.line.trim();
        let rest = l
            .get(3..)
            .filter(|_| l.get(..3).is_some_and(|h| h.eq_ignore_ascii_case("AT+")));
        match rest {
            Some(r) => {
                let end = r.find(['=', '?']).unwrap_or(r.len());
                r.get(..end).unwrap_or(r)
            }
            None => l.get(..2).unwrap_or(l),
        }
    }
}

impl Command for Raw<'_> {
    fn command(&self) -> &str {
        self.name()
    }
    fn label(&self) -> &'static str {
        "raw command"
    }
    fn validate(&self, _setting: Lookup<'_>) -> Result<(), ValidationError> {
        let err = |value, problem| ValidationError {
            family: "raw",
            command: "raw command",
            param: "line",
            value,
            problem,
            shown: crate::error::Shown::PLAIN,
        };
        let bytes = self.line.as_bytes();
        if !bytes
            .get(..2)
            .is_some_and(|h| h.eq_ignore_ascii_case(b"AT"))
        {
            return Err(err(
                Value::Len(bytes.len()),
                Problem::WrongKind {
                    expected: "an AT command line (starting with AT)",
                },
            ));
        }
        // Quotes are allowed here (a raw line quotes its own strings); line ends and
        // data-phase bytes are not: they would end the line or start another command.
        if let Some(index) = bytes
            .iter()
            .position(|&b| b == b'\r' || b == b'\n' || b == 0x1A || b == 0x1B || b == 0)
        {
            let byte = bytes.get(index).copied().unwrap_or(0);
            return Err(err(Value::Byte { byte, index }, Problem::ForbiddenByte));
        }
        Ok(())
    }
    fn write(&self, sink: &mut dyn ByteSink) -> Result<(), Overflow> {
        sink.put(self.line.as_bytes())?;
        sink.put(b"\r")
    }
    fn max_response(&self) -> MaxResponse {
        MaxResponse {
            base_ms: u64::try_from(self.timeout.as_millis()).unwrap_or(u64::MAX),
            plus: None,
            text: "the caller's timeout",
            stated: false,
        }
    }
    fn data_phase(&self) -> Option<DataPhase> {
        None
    }
    fn connects(&self, _setting: Lookup<'_>) -> bool {
        false
    }
    fn expects_result(&self, _setting: Lookup<'_>) -> bool {
        false
    }
    fn result_of(&self, _frame: &[u8], _hex: bool) -> Option<Option<i64>> {
        None
    }
    fn ends_with(&self, code: &FinalCode<'_>, _setting: Lookup<'_>) -> bool {
        // A raw line ends with the standard result codes; the rest are unsolicited.
        matches!(
            code,
            FinalCode::Ok | FinalCode::Error | FinalCode::CmeError(_) | FinalCode::Connect { .. }
        )
    }
    fn settings(&self, _record: &mut dyn FnMut(&'static str, i64)) {}
    fn secrets(&self, _record: &mut dyn FnMut(&[u8])) {}
}

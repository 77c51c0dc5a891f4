//! Why a command line could not be turned into a typed request (linting, simulation).

use crate::error::{ParseError, ValidationError};
use core::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestError {
    /// The line does not follow any form's syntax.
    Parse(ParseError),
    /// The line follows a form's syntax but a value is not allowed.
    Invalid(ValidationError),
    /// No command of the family starts the line.
    Unknown { family: &'static str },
}

impl From<ParseError> for RequestError {
    fn from(e: ParseError) -> Self {
        RequestError::Parse(e)
    }
}

impl From<ValidationError> for RequestError {
    fn from(e: ValidationError) -> Self {
        RequestError::Invalid(e)
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::Parse(e) => e.fmt(f),
            RequestError::Invalid(e) => e.fmt(f),
            RequestError::Unknown { family } => {
                write!(f, "not a command of {family}")
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for RequestError {}

/// The better explanation of two failures: a line that parsed but failed
/// validation beats a syntax error; of two syntax errors, the one further in.
/// Failures that did not get past the command name count as unknown commands.
pub fn further(best: Option<RequestError>, e: RequestError) -> Option<RequestError> {
    let e = match e {
        // Failed at `AT+` or inside the command name itself: not this form's command.
        RequestError::Parse(p) if p.offset <= 3 || (p.offset < 24 && is_name(p.expected)) => {
            RequestError::Unknown { family: p.family }
        }
        other => other,
    };
    Some(match (best, e) {
        (None, e) => e,
        (Some(b @ RequestError::Invalid(_)), _) => b,
        (Some(_), e @ RequestError::Invalid(_)) => e,
        (Some(RequestError::Parse(a)), RequestError::Parse(b)) => {
            RequestError::Parse(if b.offset > a.offset { b } else { a })
        }
        (Some(RequestError::Unknown { .. }), e) => e,
        (Some(b), RequestError::Unknown { .. }) => b,
    })
}

/// Command names are upper-case letters and digits.
fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'&')
}

//! Helpers of the `examples_*` tests (one test file per family, one test per example
//! dialog of its manual).
//!
//! Every family has its own generated module (`atgen::<family>`) with same-named types
//! (`Request`, `Urc`, …), so what needs those types is a macro, expanded in each test file
//! after its `use atgen::<family>::*;`: [`family_helpers!`] for the helpers of every file,
//! and [`quectel_lte_ssl_dialogs!`](quectel_lte) for the example dialogs that the EC2x and
//! EC200x manuals share (chapter 3). The rest needs no family type and is plain functions.
#![allow(dead_code, unused_macros, unused_imports)]

pub mod quectel_lte;

use atgen_runtime::{final_code, AtRequest, FinalCode};

/// The command line as the typed request writes it (with its CR).
pub fn written<R: AtRequest>(r: &R) -> String {
    let mut v = Vec::new();
    r.write_line(&mut v).expect("a Vec never overflows");
    String::from_utf8(v).expect("command lines are ASCII")
}

/// Checks the typed request writes `line` + CR.
pub fn writes_back<R: AtRequest>(r: &R, line: &str) {
    assert_eq!(written(r), format!("{line}\r"));
}

/// The final result code of a response line.
pub fn fin(line: &str) -> FinalCode<'_> {
    final_code::parse(line.as_bytes()).unwrap_or_else(|| panic!("{line:?} is no final code"))
}

/// The PDP context commands of the Quectel TCP(IP) application notes, with which the
/// examples of the UGxx, EC2x and EC200x SSL manuals begin (3.1): not SSL commands.
pub const QUECTEL_TCPIP_PDP_COMMANDS: [&str; 4] = [
    "AT+QICSGP=1,1,\"UNINET\",\"\",\"\",1",
    "AT+QIACT=1",
    "AT+QIACT?",
    "AT+QIDEACT=1",
];

/// The `AT+QIACT?` answer of those examples (3.1): no SSL line.
pub const QIACT_LINE: &[u8] = b"+QIACT: 1,1,1,\"10.7.157.1\"";

/// Defines the helpers that need the family's `Request` and `Urc` types, for the family
/// module glob-imported where it is expanded; `$family` is the family's marker type and
/// `$id` its id (the test file's `FAMILY`).
///
/// - `FAMILY`: the family id that errors name.
/// - `request(line)`: parses a command line of an example and checks that the `Request`
///   enum writes it back exactly (plus CR).
/// - `urc(frame)`: decodes a URC frame (not hex), which must be one of the family's.
/// - `refused(line)`: a line that follows a form's syntax but carries a value the manual's
///   tables do not allow; gives the validation error.
/// - `unknown_to_the_family(lines)`: no line is a command of the family (another manual's
///   command, or no command at all).
/// - `refuses_all(cases)`: every `(line, message)` is refused, naming `FAMILY`, with exactly
///   that message.
macro_rules! family_helpers {
    ($family:ty, $id:literal) => {
        const FAMILY: &str = $id;

        fn request(line: &'static str) -> Request<'static> {
            let r = Request::parse(line.as_bytes())
                .unwrap_or_else(|e| panic!("{line:?} does not decode: {e}"));
            let mut v = Vec::new();
            r.write_line(&mut v).expect("a Vec never overflows");
            assert_eq!(String::from_utf8(v).unwrap(), format!("{line}\r"), "{r:?}");
            r
        }

        fn urc(frame: &[u8]) -> <$family as atgen_runtime::Family>::Urc<'_> {
            match Urc::parse(frame, false) {
                Some(Ok(u)) => u,
                other => panic!(
                    "{:?} is not a URC: {other:?}",
                    String::from_utf8_lossy(frame)
                ),
            }
        }

        fn refused(line: &str) -> atgen_runtime::ValidationError {
            match Request::parse(line.as_bytes()) {
                Err(atgen_runtime::RequestError::Invalid(e)) => e,
                other => panic!("{line:?} should be refused as invalid, got {other:?}"),
            }
        }

        fn unknown_to_the_family(lines: &[&str]) {
            for line in lines {
                assert_eq!(
                    Request::parse(line.as_bytes()),
                    Err(atgen_runtime::RequestError::Unknown { family: FAMILY }),
                    "{line}"
                );
            }
        }

        fn refuses_all<M: AsRef<str>>(cases: &[(&str, M)]) {
            for (line, message) in cases {
                let e = refused(line);
                assert_eq!(e.family, FAMILY, "{line}");
                assert_eq!(e.to_string(), message.as_ref(), "{line}");
            }
        }
    };
}
pub(crate) use family_helpers;

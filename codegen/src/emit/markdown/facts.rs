//! How the IR's facts read in Markdown: values in their wire format, types,
//! ranges, units, conditions and bilingual text. Shared by the family pages
//! and the cross-family matrix.

use super::text::{code, prose};
use crate::ir::{Command, Condition, Family, HexFormat, Literal, Param, ResponseTime};
use crate::model::{ChecksumAlgorithm, DataEnd, FormKind, ParamType, TableKind};

/// An integer as a `hex` parameter writes it: `0X0035`, or `384a` for ML302 checksums.
pub fn hex(v: i64, f: &HexFormat) -> String {
    let width = usize::from(f.digits);
    let digits = if f.lowercase {
        format!("{:0width$x}", v.unsigned_abs())
    } else {
        format!("{:0width$X}", v.unsigned_abs())
    };
    let sign = if v < 0 { "-" } else { "" };
    format!("{sign}{}{digits}", f.prefix)
}

/// An integer as the parameter writes it on the wire, without quotes.
pub fn int_of(p: &Param, v: i64) -> String {
    match p.ty {
        ParamType::Hex => hex(v, &p.hex),
        _ => v.to_string(),
    }
}

/// A value as it appears on the wire: hex where the parameter is hex, quoted where it is quoted.
pub fn literal(p: &Param, v: &Literal) -> String {
    let bare = match v {
        Literal::Int(i) => int_of(p, *i),
        Literal::Str(s) => s.clone(),
    };
    if p.quoted {
        format!("\"{bare}\"")
    } else {
        bare
    }
}

/// `<name>` of a parameter key, in the manual's spelling where the family declares it.
pub fn param_ref(fam: &Family, key: &str) -> String {
    let name = fam.params.get(key).map_or(key, |p| p.name.as_str());
    code(&format!("<{name}>"))
}

/// The type, with the written form of hex values and whether they are quoted.
pub fn type_text(p: &Param) -> String {
    let quoted = match (p.quoted, p.quotes_optional) {
        (true, true) => "quoted (read unquoted too) ",
        (true, false) => "quoted ",
        (false, true) => "unquoted (read quoted too) ",
        (false, false) => "",
    };
    match p.ty {
        ParamType::Int => format!("{quoted}integer"),
        ParamType::Hex => {
            let f = &p.hex;
            let case = if f.lowercase {
                "lower-case"
            } else {
                "upper-case"
            };
            let prefix = if f.prefix.is_empty() {
                "no prefix".to_string()
            } else {
                format!("prefix {}", code(&f.prefix))
            };
            // The rule the parsers apply (`Cursor::hex_digits`).
            let digits = match (f.digits > 1, f.prefix.is_empty()) {
                (false, _) => String::new(),
                (true, false) => format!(", exactly {} digits", f.digits),
                (true, true) => format!(", at most {} digits", f.digits),
            };
            let sample = hex(sample_code(p), f);
            let sample = if p.quoted {
                format!("\"{sample}\"")
            } else {
                sample
            };
            format!(
                "{quoted}hex ({prefix}, {case}{digits}; e.g. {})",
                code(&sample)
            )
        }
        ParamType::String => {
            if p.quoted {
                "quoted string".into()
            } else {
                "string, unquoted".into()
            }
        }
        ParamType::Bytes => "bytes (payload taken by length)".into(),
    }
}

/// A code to show a hex parameter's format with: one of its own values
/// (a UGxx example must be a UGxx suite), else 0XC02F.
fn sample_code(p: &Param) -> i64 {
    p.values
        .iter()
        .find_map(|v| match v.value {
            Literal::Int(i) => Some(i),
            Literal::Str(_) => None,
        })
        .unwrap_or(0xC02F)
}

/// The type in a few words, for comparing families: `quoted hex "0X0035"`.
pub fn type_short(p: &Param) -> String {
    match p.ty {
        ParamType::Hex => {
            let sample = hex(sample_code(p), &p.hex);
            if p.quoted {
                format!("quoted hex {}", code(&format!("\"{sample}\"")))
            } else {
                format!("hex {}", code(&sample))
            }
        }
        _ => type_text(p),
    }
}

/// An inclusive range.
pub fn range(p: &Param, (min, max): (i64, i64)) -> String {
    format!("{}..={}", int_of(p, min), int_of(p, max))
}

/// `<param>`=value, the way conditions read.
pub fn condition(fam: &Family, c: &Condition) -> String {
    let value = fam
        .params
        .get(&c.param)
        .map_or_else(|| c.equals.to_string(), |p| int_of(p, c.equals));
    format!("{}={value}", param_ref(fam, &c.param))
}

/// A condition with the manual's note.
pub fn condition_with_note(fam: &Family, c: &Condition) -> String {
    let mut out = condition(fam, c);
    if let Some(n) = &c.note {
        out.push_str(&format!(" ({})", prose(n)));
    }
    out
}

/// A value's meaning in the manual's words, with the English rendering when it differs.
pub fn bilingual(text: Option<&str>, en: Option<&str>) -> String {
    match (text, en) {
        (Some(t), Some(e)) if t.trim() != e.trim() => format!("{} ({})", prose(t), prose(e)),
        (Some(t), _) => prose(t),
        (None, Some(e)) => prose(e),
        (None, None) => String::new(),
    }
}

/// Milliseconds the way people read them: `300 ms`, `150 s`.
pub fn millis(ms: u64) -> String {
    if ms >= 1000 && ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{ms} ms")
    }
}

/// The spec's reading of a maximum response time: `150 s + <negotiate_time>`.
pub fn response_time_value(fam: &Family, t: &ResponseTime) -> String {
    match &t.plus {
        Some(p) if t.ms == 0 => param_ref(fam, p),
        Some(p) => format!("{} + {}", millis(t.ms), param_ref(fam, p)),
        None => millis(t.ms),
    }
}

/// What the docs say of a command whose manual states no maximum response time.
pub const UNSTATED: &str =
    "not stated in the manual; atgen waits its own default, `atgen_runtime::UNSTATED_RESPONSE`";

/// How long the spec waits for a command's result URC: its own wait, the
/// maximum response time, or (no time stated at all) atgen's default.
pub fn result_wait_value(fam: &Family, cmd: &Command) -> String {
    match (&cmd.result_wait, &cmd.max_response_time) {
        (Some(w), _) if w.max_response_time => "the maximum response time".to_string(),
        (Some(w), _) => response_time_value(fam, &w.time),
        (None, Some(_)) => "within the maximum response time".to_string(),
        (None, None) => "atgen's default (`atgen_runtime::UNSTATED_RESPONSE`)".to_string(),
    }
}

/// The result-URC wait of a command with the manual's words: what the manual
/// says about waiting for the URC, or that its response lists the URC under
/// the maximum response time.
pub fn result_wait(fam: &Family, cmd: &Command) -> String {
    match &cmd.result_wait {
        Some(w) => format!(
            "{} (waited: {} from the command line)",
            prose(&w.time.text),
            result_wait_value(fam, cmd)
        ),
        None if cmd.max_response_time.is_some() => {
            "the manual lists the URC in the command's response: waited within the maximum \
             response time from the command line"
                .to_string()
        }
        None => format!("not stated in the manual; {}", result_wait_value(fam, cmd)),
    }
}

/// The manual's text for a maximum response time, with the spec's value when they read differently.
pub fn response_time(fam: &Family, t: &ResponseTime) -> String {
    let value = response_time_value(fam, t);
    let text = prose(&t.text);
    if text.trim() == value {
        value
    } else {
        // The manual's words, then what the spec waits (named once, not twice).
        format!("{text} (waited: {value})")
    }
}

pub fn form_kind(k: FormKind) -> &'static str {
    match k {
        FormKind::Test => "test",
        FormKind::Read => "read",
        FormKind::Write => "write",
        FormKind::Exec => "execute",
    }
}

pub fn form_kind_title(k: FormKind) -> &'static str {
    match k {
        FormKind::Test => "Test command",
        FormKind::Read => "Read command",
        FormKind::Write => "Write command",
        FormKind::Exec => "Execute command",
    }
}

pub fn data_end(fam: &Family, end: DataEnd, length: Option<&str>) -> String {
    match (end, length) {
        (DataEnd::CtrlZ, _) => "ends with Ctrl+Z (0x1A); ESC cancels".into(),
        (DataEnd::Length, Some(l)) => {
            format!("exactly {} bytes, no terminator", param_ref(fam, l))
        }
        (DataEnd::Length, None) => "a fixed number of bytes, no terminator".into(),
    }
}

pub fn checksum(a: ChecksumAlgorithm) -> &'static str {
    match a {
        ChecksumAlgorithm::ByteCount => "byte count of the payload",
        ChecksumAlgorithm::Xor16 => "XOR of the payload's big-endian 16-bit words",
    }
}

pub fn table_kind(k: TableKind) -> &'static str {
    match k {
        TableKind::Errors => "error codes",
        TableKind::CipherSuites => "cipher suites",
        TableKind::Codes => "result codes",
    }
}

pub fn language(l: &str) -> String {
    match l {
        "en" => "English".into(),
        "zh" => "Chinese (中文)".into(),
        other => other.into(),
    }
}

/// A spec file path as the repository names it (`spec/shared/x.toml`), whatever
/// directory it was loaded from, so pages do not depend on the checkout path.
pub fn spec_path(path: &str) -> String {
    let parts: Vec<&str> = path
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    match parts.iter().rposition(|p| *p == "spec") {
        Some(i) => parts[i..].join("/"),
        None => parts.last().map_or_else(String::new, |s| (*s).to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_follows_the_parameter_format() {
        let upper = HexFormat {
            prefix: "0X".into(),
            digits: 4,
            lowercase: false,
        };
        let bare = HexFormat {
            prefix: String::new(),
            digits: 1,
            lowercase: true,
        };
        assert_eq!(hex(0x35, &upper), "0X0035");
        assert_eq!(hex(0x384a, &bare), "384a");
    }

    #[test]
    fn spec_paths_do_not_depend_on_the_checkout() {
        assert_eq!(
            spec_path("/work/main/generated/../spec/shared/errors.toml"),
            "spec/shared/errors.toml"
        );
        assert_eq!(spec_path("x.toml"), "x.toml");
    }
}

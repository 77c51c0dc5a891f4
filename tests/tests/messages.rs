//! What a user reads from `lint` and validation errors: each value as the
//! manual writes it (hex where the manual writes hex), each enumerated value
//! with its meaning, parse errors that say what was found and what is known.

use atgen_tests::cli::{atgen, text};
use atgen_tests::e2e::atgen_bin;
use serde_json::Value as Json;
use std::io::Read;
use std::process::{Command, Stdio};

/// The one JSON object `lint --json` prints for one line.
fn lint_json(family: &str, line: &str) -> Json {
    let o = atgen(
        &["lint", "--family", family, "--json", "-"],
        line.as_bytes(),
    );
    serde_json::from_str(text(&o.stdout).trim()).unwrap_or_default()
}

fn lint_text(family: &str, line: &str) -> String {
    let o = atgen(&["lint", "--family", family, "-"], line.as_bytes());
    text(&o.stdout)
}

#[test]
fn enumerated_values_are_listed_with_the_manuals_meaning_in_text_and_json() {
    let line = "AT+QSSLCFG=\"sslversion\",1,5";
    let t = lint_text("quectel-ec200x", line);
    assert!(t.contains("3 (TLS 1.2)"), "{t}");
    assert!(t.contains("0 (SSL 3.0)"), "{t}");
    let j = lint_json("quectel-ec200x", line);
    assert_eq!(j["allowed"]["values"][3], 3, "{j}");
    assert_eq!(j["allowed"]["meanings"][3], "TLS 1.2", "{j}");
    // The same for another family and parameter: <seclevel> of EC2x.
    let t = lint_text("quectel-ec2x", "AT+QSSLCFG=\"seclevel\",1,7");
    assert!(t.contains("0 (No authentication)"), "{t}");
}

#[test]
fn hex_values_are_written_as_the_manual_writes_them_keeping_the_number_in_json() {
    let line = "AT+QSSLCFG=\"ciphersuite\",1,0XC099";
    let t = lint_text("quectel-ec200x", line);
    assert!(t.contains("<cipher_suites>=0XC099 "), "{t}");
    assert!(t.contains("0X0035 (TLS_RSA_WITH_AES_256_CBC_SHA)"), "{t}");
    assert!(!t.contains("49305") && !t.contains(" 53,"), "{t}");
    let j = lint_json("quectel-ec200x", line);
    assert_eq!(j["value"], 0xC099, "{j}");
    assert_eq!(j["value_hex"], "0XC099", "{j}");
    assert_eq!(j["allowed"]["values"][0], 0x35, "{j}");
    assert_eq!(j["allowed"]["values_hex"][0], "0X0035", "{j}");
    assert_eq!(
        j["allowed"]["meanings"][0], "TLS_RSA_WITH_AES_256_CBC_SHA",
        "{j}"
    );
}

#[test]
fn a_closed_pipe_ends_the_output_quietly_without_a_panic() {
    for args in [
        &["spec", "show", "--family", "quectel-ec2x"][..],
        &["gen", "--family", "quectel-ec2x"][..],
        &["families"][..],
    ] {
        let mut child = Command::new(atgen_bin())
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run atgen: {e}"));
        // Read nothing and close the pipe, as `| head -0` does.
        drop(child.stdout.take());
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(
            matches!(status.code(), Some(0)),
            "{args:?}: {status:?} {err}"
        );
    }
}

#[test]
fn an_unknown_sub_command_is_named_with_the_known_ones() {
    let t = lint_text("quectel-ec200x", "AT+QSSLCFG=\"identity\",1,5");
    assert!(
        t.contains("unknown QSSLCFG sub-command \"identity\""),
        "{t}"
    );
    assert!(
        t.contains("\"sslversion\"") && t.contains("\"ciphersuite\""),
        "{t}"
    );
    // BC26 writes the sub-command after the context and connection ids.
    let t = lint_text("quectel-bc26", "AT+QSSLCFG=1,0,\"ciphersuite\",5");
    assert!(
        t.contains("unknown QSSLCFG sub-command \"ciphersuite\""),
        "{t}"
    );
    assert!(
        t.contains("\"seclevel\"") && t.contains("\"dataformat\""),
        "{t}"
    );
    let j = lint_json("quectel-bc26", "AT+QSSLCFG=1,0,\"ciphersuite\",5");
    assert_eq!(j["kind"], "unknown-sub-command", "{j}");
    assert_eq!(j["found"], "ciphersuite", "{j}");
    assert!(j["known"]
        .as_array()
        .is_some_and(|k| k.iter().any(|s| s == "dataformat")));
}

#[test]
fn a_line_close_to_a_form_says_what_was_found_and_what_each_close_form_expects() {
    let t = lint_text("quectel-ec200x", "AT+QSSLOPEN= 2,1,4,\"h\",443");
    assert!(t.contains("found \" 2,1,4"), "{t}");
    assert!(t.contains("<PDP_ctxID> (integer)"), "{t}");
    assert!(t.contains("without spaces"), "{t}");
    let t = lint_text("quectel-ec200x", "AT+QSSLSTATE /I");
    assert!(t.contains("found \" /I\""), "{t}");
    assert!(
        t.contains("AT+QSSLSTATE=<clientID>") && t.contains("AT+QSSLSTATE=?"),
        "{t}"
    );
    let j = lint_json("quectel-ec2x", "AT+QSSLCFG=\"sslversion\",1,2,3");
    assert_eq!(j["found"], ",3", "{j}");
    assert_eq!(j["closest"][0]["expected"], "end of input", "{j}");
}

#[test]
fn quoting_errors_say_how_the_family_writes_the_value() {
    // EC2x writes cipher suites bare, UGxx inside double quotes.
    let t = lint_text("quectel-ec2x", "AT+QSSLCFG=\"ciphersuite\",1,\"0X0035\"");
    assert!(t.contains("without quotes"), "{t}");
    assert!(t.contains("0X0035, 0X002F"), "{t}");
    let t = lint_text("quectel-ugxx", "AT+QSSLCFG=\"ciphersuite\",1,0X0035");
    assert!(t.contains("inside double quotes"), "{t}");
    assert!(t.contains("\"0X0035\", \"0X002F\""), "{t}");
}

#[test]
fn hex_values_follow_one_rule_prefix_and_exactly_four_digits() {
    for bad in ["0X35", "0X0000C02F", "C02F"] {
        let line = format!("AT+QSSLCFG=\"ciphersuite\",1,{bad}");
        let j = lint_json("quectel-ec2x", &line);
        assert_eq!(j["ok"], false, "{bad}: {j}");
    }
    for good in ["0XC02F", "0xC02F", "0X0035"] {
        let line = format!("AT+QSSLCFG=\"ciphersuite\",1,{good}");
        let j = lint_json("quectel-ec2x", &line);
        assert_eq!(j["ok"], true, "{good}: {j}");
    }
    // The docs state the same rule.
    let doc = std::fs::read_to_string(atgen_tests::gen::spec_dir().join("../docs/quectel-ec2x.md"))
        .unwrap_or_default();
    assert!(doc.contains("exactly 4 digits"), "docs/quectel-ec2x.md");
    assert!(!doc.contains("at least 4 digits"), "docs/quectel-ec2x.md");
}

#[test]
fn ml302_cipher_suites_are_read_quoted_or_not_and_in_either_prefix_case() {
    for v in ["0X0035", "\"0X0035\"", "\"0x0035\"", "0XFFFF"] {
        let j = lint_json("cmiot-ml302", &format!("AT+QSSLCFG=\"ciphersuite\",1,{v}"));
        assert_eq!(j["ok"], true, "{v}: {j}");
    }
}

#[test]
fn lint_carries_settings_across_the_lines_of_a_script_per_context() {
    // Hex data format on context 1 / connection 0: its sends are 1..=730.
    let script = "AT+QSSLCFG=1,0,\"dataformat\",1,1\nAT+QSSLSEND=1,0,731\nAT+QSSLSEND=1,1,731\nAT+QSSLSEND=1,0,730\n";
    let o = atgen(
        &["lint", "--family", "quectel-bc26", "--json", "-"],
        script.as_bytes(),
    );
    let lines: Vec<Json> = text(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_default())
        .collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert_eq!(lines[0]["ok"], true, "{}", lines[0]);
    assert_eq!(lines[1]["ok"], false, "{}", lines[1]);
    assert_eq!(lines[1]["allowed"]["max"], 730, "{}", lines[1]);
    assert_eq!(lines[1]["allowed"]["while"]["param"], "send_data_format");
    // Another connection keeps the text format's 1..=1460.
    assert_eq!(lines[2]["ok"], true, "{}", lines[2]);
    assert_eq!(lines[3]["ok"], true, "{}", lines[3]);
    // Alone, the same send is valid: nothing set hex format.
    let alone = lint_json("quectel-bc26", "AT+QSSLSEND=1,0,731");
    assert_eq!(alone["ok"], true, "{alone}");
}

#[test]
fn a_hex_value_with_the_wrong_digit_count_is_told_the_prefix_and_the_count_in_every_family() {
    for (family, line) in [
        ("quectel-ec200x", "AT+QSSLCFG=\"ciphersuite\",1,0X35"),
        ("quectel-ec200x", "AT+QSSLCFG=\"ciphersuite\",1,0X0000C02F"),
        ("quectel-ugxx", "AT+QSSLCFG=\"ciphersuite\",1,\"0X35\""),
        ("quectel-ec2x", "AT+QSSLCFG=\"ciphersuite\",1,0X035"),
    ] {
        let t = lint_text(family, line);
        assert!(t.contains("0X and 4 hex digits"), "{family} {line}: {t}");
    }
}

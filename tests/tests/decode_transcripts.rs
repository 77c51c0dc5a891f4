//! `atgen decode` on the manuals' own transcripts: codes with their number and
//! text, data phases and transparent mode read as data, restarts, secrets hidden.

use atgen_tests::cli::atgen;
use serde_json::Value as Json;

/// The items of `decode --json`, and the exit code.
fn decode(family: &str, extra: &[&str], input: &[u8]) -> (Vec<Json>, Option<i32>) {
    let mut args = vec!["decode", "--family", family, "--json"];
    args.extend_from_slice(extra);
    let o = atgen(&args, input);
    let items = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_default())
        .collect();
    (items, o.status.code())
}

fn kinds(items: &[Json]) -> Vec<&str> {
    items.iter().filter_map(|i| i["kind"].as_str()).collect()
}

#[test]
fn error_codes_decode_with_their_number_and_the_manuals_text() {
    let (items, code) = decode("quectel-ec2x", &[], b"+QSSLOPEN: 1,565\r\n");
    assert_eq!(code, Some(0));
    let err = &items[0]["fields"]["err"];
    assert_eq!(err["code"], 565, "{err}");
    assert_eq!(err["text"], "DNS parse failed", "{err}");
    assert_eq!(err["name"], "DnsParseFailed", "{err}");
    // Negative codes of the BC26 and ML302 tables.
    let (items, _) = decode("quectel-bc26", &[], b"+QSSLOPEN: 1,0,-1\r\n");
    let err = &items[0]["fields"]["err"];
    assert_eq!(err["code"], -1, "{items:?}");
    assert_eq!(err["text"], "Exception error", "{items:?}");
    // The text output carries them too.
    let o = atgen(
        &["decode", "--family", "quectel-ec2x"],
        b"+QSSLOPEN: 1,565\r\n",
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("565") && out.contains("DNS parse failed"),
        "{out}"
    );
}

#[test]
fn cipher_suites_decode_in_the_manuals_hex_with_their_name() {
    let (items, _) = decode(
        "quectel-ec200x",
        &[],
        b"+QSSLCFG: \"ciphersuite\",1,0XC02F\r\nOK\r\n",
    );
    let c = &items[0]["fields"]["cipher_suites"];
    assert_eq!(c["hex"], "0XC02F", "{c}");
    assert_eq!(c["code"], 0xC02F, "{c}");
    assert_eq!(c["text"], "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "{c}");
}

#[test]
fn echoed_send_data_and_transparent_data_are_data_not_unrecognised() {
    let input = b"AT+QSSLSEND=1,5\r\r\n> hello\r\nSEND OK\r\n\
AT+QSSLOPEN=1,1,4,\"10.0.0.1\",443,2\r\r\nCONNECT\r\nsome reply data\r\n+++\r\nOK\r\n";
    let (items, code) = decode("quectel-ec2x", &[], input);
    assert_eq!(code, Some(0), "{items:?}");
    assert_eq!(
        kinds(&items),
        ["command", "prompt", "data", "final", "command", "final", "data", "escape", "final"]
    );
    assert_eq!(items[2]["text"], "hello");
    assert_eq!(items[2]["mode"], "sent");
    assert_eq!(items[6]["text"], "some reply data");
    assert_eq!(items[6]["mode"], "transparent");
}

#[test]
fn a_restart_line_is_a_restart_not_unrecognised() {
    let (items, code) = decode("quectel-ec2x", &[], b"\r\nRDY\r\n");
    assert_eq!(code, Some(0));
    assert_eq!(kinds(&items), ["restart"]);
}

#[test]
fn secrets_are_hidden_unless_asked_for() {
    let input = b"AT+QSSLCFG=\"psk\",1,\"me\",\"k3y-material\"\r\r\nOK\r\n\
+QSSLCFG: \"psk\",1,\"me\",\"k3y-material\"\r\nOK\r\n";
    let o = atgen(&["decode", "--family", "quectel-ec2x"], input);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(!out.contains("k3y-material"), "{out}");
    assert!(out.contains("***") && out.contains("\"me\""), "{out}");
    let (items, _) = decode("quectel-ec2x", &["--show-secrets"], input);
    assert_eq!(items[0]["fields"]["key"], "k3y-material");
}

#[test]
fn hex_payloads_that_are_not_hex_are_malformed() {
    let (items, code) = decode(
        "quectel-bc26",
        &["--hex"],
        b"+QSSLURC: \"recv\",1,0,2,\"zzzz\"\r\n",
    );
    assert_eq!(code, Some(1));
    assert_eq!(items[0]["kind"], "malformed", "{items:?}");
    let (items, code) = decode(
        "quectel-bc26",
        &["--hex"],
        b"+QSSLURC: \"recv\",1,0,2,\"00ab\"\r\n",
    );
    assert_eq!(code, Some(0), "{items:?}");
}

#[test]
fn ml302_test_response_lines_decode_with_their_placeholders_as_fields() {
    let line = b"+QSSLCFG: \"sslversion\",(0-5),(0-4)";
    let parsed = atgen::cmiot_ml302::InfoLine::parse(line, false);
    assert!(parsed.is_ok(), "{parsed:?}");
    let (items, code) = decode(
        "cmiot-ml302",
        &[],
        b"AT+QSSLCFG=?\r\r\n+QSSLCFG: \"sslversion\",(0-5),(0-4)\r\n+QSSLCFG: \"seclevel\",(0-5),(0-2)\r\nOK\r\n",
    );
    assert_eq!(code, Some(0), "{items:?}");
    assert_eq!(items[1]["kind"], "info");
    assert_eq!(items[1]["fields"]["type_"], "sslversion");
    assert_eq!(items[1]["fields"]["value"], "(0-4)");
}

#[test]
fn a_line_the_spec_declares_a_urc_decodes_as_that_urc_even_if_it_reads_like_a_final_code() {
    let (items, code) = decode(
        "cmiot-ml302",
        &[],
        b"AT+QSSLCLOSE=0\r\r\nOK\r\n0,CLOSE OK\r\n",
    );
    assert_eq!(code, Some(0), "{items:?}");
    assert_eq!(kinds(&items), ["command", "final", "urc"]);
    assert_eq!(items[2]["type"], "QsslcloseResult", "{items:?}");
}

#[test]
fn test_and_read_answers_that_share_a_urc_prefix_decode_as_information_lines() {
    let (items, code) = decode(
        "quectel-ec200x",
        &[],
        b"AT+QSSLOPEN=?\r\r\n+QSSLOPEN: (1-15),(0-5),(0-11),\"220.180.239.212\",8010,(0-2)\r\nOK\r\n",
    );
    assert_eq!(code, Some(0), "{items:?}");
    assert_eq!(items[1]["kind"], "info", "{items:?}");
    assert_eq!(items[1]["fields"]["pdp_ctx_id"], "1-15");
    let (items, code) = decode(
        "quectel-bc26",
        &[],
        b"+QSSLSEND: (1-3),(0-5),(1-1460)\r\nOK\r\n+QSSLCFG: (1),(0-5),\"seclevel\"(0-2)\r\n+QSSLCFG: (1),(0-5),\"seclevel\",(0-2)\r\n",
    );
    assert_eq!(code, Some(0), "{items:?}");
    assert_eq!(kinds(&items), ["info", "final", "info", "info"]);
    assert_eq!(items[2]["fields"]["seclevel"], "0-2");
    // A query reply whose prefix is also a URC's (EC2x +QSSLSTATE is none, but
    // ML302's +QSSLOPEN: <ssid>,<connectcode> and its test line share one).
    let (items, _) = decode(
        "quectel-ec200x",
        &[],
        b"+QSSLCFG:\"clientcert\",1,\"client.pem\"\r\n",
    );
    assert_eq!(items[0]["kind"], "info", "{items:?}");
    assert_eq!(items[0]["fields"]["client_cert_path"], "client.pem");
}

#[test]
fn ml302_uploads_are_secret_only_for_the_client_key() {
    let ca =
        b"AT+QSECWRITE=0\r\r\n> -----BEGIN CERTIFICATE-----\r\n+QSECWRITE: 1388,384a\r\nOK\r\n";
    let (items, _) = decode("cmiot-ml302", &[], ca);
    assert_eq!(items[2]["kind"], "data", "{items:?}");
    assert_eq!(items[2]["text"], "-----BEGIN CERTIFICATE-----", "{items:?}");
    let key =
        b"AT+QSECWRITE=2\r\r\n> -----BEGIN PRIVATE KEY-----\r\n+QSECWRITE: 1388,384a\r\nOK\r\n";
    let (items, _) = decode("cmiot-ml302", &[], key);
    assert_eq!(items[2]["kind"], "data", "{items:?}");
    assert_eq!(items[2]["text"], "***", "{items:?}");
}

#[test]
fn a_cme_error_code_decodes_with_the_manuals_text_in_every_family_with_a_table() {
    // EC200x and EC2x explain +CME ERROR codes with their error table (565, 569).
    for (family, line, code, text) in [
        ("quectel-ec200x", "+CME ERROR: 565", 565, "DNS parse failed"),
        ("quectel-ec2x", "+CME ERROR: 569", 569, "Operation timeout"),
    ] {
        let (items, status) = decode(family, &[], format!("{line}\r\n").as_bytes());
        assert_eq!(status, Some(0), "{items:?}");
        assert_eq!(items[0]["kind"], "final", "{items:?}");
        assert_eq!(items[0]["code"]["code"], code, "{items:?}");
        assert_eq!(items[0]["code"]["text"], text, "{items:?}");
    }
    // A code no table lists stays the bare final result code.
    let (items, _) = decode("quectel-ec2x", &[], b"+CME ERROR: 3\r\n");
    assert!(items[0].get("code").is_none(), "{items:?}");
}

#[test]
fn the_answer_after_a_data_phase_is_the_modules_not_data() {
    // BC26 3.1 as the manual prints it: the certificate itself left out.
    let (items, code) = decode(
        "quectel-bc26",
        &[],
        b"AT+QSSLCFG=1,5,\"cacert\"\r\n>\r\n+QSSLCFG: 1,5,\"cacert\",1216\r\nOK\r\n",
    );
    assert_eq!(code, Some(0), "{items:?}");
    assert_eq!(kinds(&items), ["command", "prompt", "info", "final"]);
    // With the data echoed and ended by Ctrl+Z: the checksum line is the module's.
    let (items, code) = decode(
        "cmiot-ml302",
        &[],
        b"AT+QSECWRITE=0\r\n>\r\n-----BEGIN CERTIFICATE-----\r\nMIIB\x1a\r\n+QSECWRITE: 1388,384a\r\nOK\r\n",
    );
    assert_eq!(code, Some(0), "{items:?}");
    assert_eq!(
        kinds(&items),
        ["command", "prompt", "data", "data", "info", "final"]
    );
    assert_eq!(items[4]["type"], "QsecwriteResponse", "{items:?}");
}

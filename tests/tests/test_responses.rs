//! The manuals' own test-command answers decode, for every family and every
//! test form (`atgen decode --family …`). UGxx and ML302 print examples with
//! values: those lines are taken as printed (extraction artefacts and the
//! errata the spec records aside). EC2x, EC200x and BC26 give templates
//! ("(range of supported <SSL_ctxID>s)"): those lines carry the ranges of the
//! manuals' parameter tables. A placeholder outside parentheses may be printed
//! as the manual writes it (`<serveraddr>`, the UGxx example) or filled with a
//! value (the other manuals do not say): both read, the placeholder as absent;
//! an optional part may come with its brackets, as the UGxx and ML302 examples
//! show, or without them. The simulator answers as the UGxx and ML302 examples
//! print (without the brackets).

mod sim_common;

use atgen_tests::cli::{atgen, text};
use serde_json::{json, Value};
use sim_common::{fast, start};
use std::time::Duration;

/// Decodes `lines` (and a final OK) and checks each is the information line
/// `ty` with at least `fields`.
fn decodes(family: &str, lines: &[(&str, &str, Value)]) {
    let mut input = String::new();
    for (line, _, _) in lines {
        input.push_str(&format!("\r\n{line}\r\n"));
    }
    input.push_str("\r\nOK\r\n");
    let o = atgen(&["decode", "--family", family, "--json"], input.as_bytes());
    let out = text(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{family}:\n{out}{}",
        text(&o.stderr)
    );
    let items: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_default())
        .collect();
    assert_eq!(items.len(), lines.len() + 1, "{family}:\n{out}");
    for ((line, ty, fields), item) in lines.iter().zip(&items) {
        assert_eq!(item["kind"], "info", "{family} {line}: {item}");
        assert_eq!(item["type"], *ty, "{family} {line}: {item}");
        for (k, v) in fields.as_object().into_iter().flatten() {
            assert_eq!(
                &item["fields"][k], v,
                "{family} {line}: field {k} of {item}"
            );
        }
    }
}

#[test]
fn ugxx_manual_test_answers_decode_as_printed() {
    let mut lines = shared_qsslcfg_lines();
    lines.extend([
            // 2.2.1 (the extracted text puts a space before <cacert_path>: erratum).
            (
                r#"+QSSLCFG: "sslversion",(0-5),(0-4)"#,
                "QsslcfgTestSslversion",
                json!({"sslctx_id": "0-5", "ssl_version": "0-4"}),
            ),
            (
                r#"+QSSLCFG: "ciphersuite",(0-5),("0X0035","0X002F","0X0005","0X0004","0X000A","0X003D","0XFFFF")"#,
                "QsslcfgTestCiphersuite",
                json!({"cipher_suites": r#""0X0035","0X002F","0X0005","0X0004","0X000A","0X003D","0XFFFF""#}),
            ),
            (
                r#"+QSSLCFG: "cacert",(0-5),<cacert_path>"#,
                "QsslcfgTestCacert",
                json!({"sslctx_id": "0-5", "cacert_path": null}),
            ),
            (
                r#"+QSSLCFG: "negotiatetime",(0-5),(10-300)"#,
                "QsslcfgTestNegotiatetime",
                json!({"negotiatetime": "10-300"}),
            ),
            // 2.2.2: <serveraddr>,<server_port> printed as written, [,(0-2)] with its brackets.
            (
                "+QSSLOPEN: (1-20),(0-5),(0-11),<serveraddr>,<server_port>[,(0-2)]",
                "QsslopenTestLine1",
                json!({"pdpctx_id": "1-20", "sslctx_id": "0-5", "client_id": "0-11", "serveraddr": null, "server_port": null, "access_mode": "0-2"}),
            ),
            (
                "+QSSLOPEN: (1-20),(0-5),(0-11),<serveraddr>,<server_port>,(0-2)",
                "QsslopenTestLine1",
                json!({"access_mode": "0-2"}),
            ),
            // 2.2.3, 2.2.4, 2.2.5.
            (
                "+QSSLSEND: (0-11)[,(1-1460)]",
                "QsslsendTestLine1",
                json!({"client_id": "0-11", "sendlen": "1-1460"}),
            ),
            (
                "+QSSLRECV: (0-11),(1-1500)",
                "QsslrecvTestLine1",
                json!({"readlen": "1-1500"}),
            ),
            (
                "+QSSLCLOSE: (0-11)[,(0-65535)]",
                "QsslcloseTestLine1",
                json!({"close_timeout": "0-65535"}),
            ),
    ]);
    decodes("quectel-ugxx", &lines);
}

#[test]
fn ml302_manual_test_answers_decode_as_printed() {
    decodes(
        "cmiot-ml302",
        &[
            // 2.1: "type" and "value" stand for what the module prints (`filled`).
            (
                r#"+QSSLCFG: "type",(0-5),"value""#,
                "QsslcfgTestLine1",
                json!({"type_": "type", "ctxindex": "0-5"}),
            ),
            (
                r#"+QSSLCFG: "sslversion",(0-5),(0-4)"#,
                "QsslcfgTestLine1",
                json!({"type_": "sslversion", "ctxindex": "0-5", "value": "(0-4)"}),
            ),
            // 2.2-2.4 (no space after the colon in two of them).
            (
                "+QSECWRITE:(0~2)",
                "QsecwriteTestLine1",
                json!({"crtflag": "0~2"}),
            ),
            (
                "+QSECREAD: (0~2)",
                "QsecreadTestLine1",
                json!({"crtflag": "0~2"}),
            ),
            (
                "+QSECDEL:(0~2)",
                "QsecdelTestLine1",
                json!({"crtflag": "0~2"}),
            ),
            // 2.5: every placeholder printed as written (<ipaddr/domain e>: erratum).
            (
                "+QSSLOPEN: <ssid>,<ctxindex>,<ipaddr/domainname>,<port>,<connectmode>[,<timeout>]",
                "QsslopenTestLine1",
                json!({}),
            ),
            // 2.6: [,(0,1)] with its brackets.
            (
                "+QSSLCLOSE: (0-5)[,(0,1)]",
                "QsslcloseTestLine1",
                json!({"ssid": "0-5", "closetype": "0,1"}),
            ),
            // 2.7, 2.8 ("+ QSSLSEND", "+ QSSLRECV": erratum; (1,1500) as printed).
            (
                "+QSSLSEND: (0-5)",
                "QsslsendTestLine1",
                json!({"ssid": "0-5"}),
            ),
            (
                "+QSSLRECV: (0,1),(0-5),(1,1500)",
                "QsslrecvTestLine1",
                json!({"cid": "0,1", "ssid": "0-5", "length": "1,1500"}),
            ),
        ],
    );
}

/// The QSSLCFG test lines the UGxx example prints and the EC2x and EC200x
/// templates give with their ranges, alike in the three manuals.
fn shared_qsslcfg_lines() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        (
            r#"+QSSLCFG: "clientcert",(0-5),<client_cert_path>"#,
            "QsslcfgTestClientcert",
            json!({}),
        ),
        (
            r#"+QSSLCFG: "clientkey",(0-5),<client_key_path>"#,
            "QsslcfgTestClientkey",
            json!({}),
        ),
        (
            r#"+QSSLCFG: "seclevel",(0-5),(0-2)"#,
            "QsslcfgTestSeclevel",
            json!({"seclevel": "0-2"}),
        ),
        (
            r#"+QSSLCFG: "ignorelocaltime",(0-5),(0,1)"#,
            "QsslcfgTestIgnorelocaltime",
            json!({}),
        ),
    ]
}

/// EC2x 2.2.1's and EC200x 2.2.1's QSSLCFG test lines shared by both manuals,
/// with the ranges of their parameter tables.
fn quectel_lte_qsslcfg(ciphers: &'static str) -> Vec<(&'static str, &'static str, Value)> {
    let mut lines = shared_qsslcfg_lines();
    lines.extend([
        (
            r#"+QSSLCFG: "sslversion",(0-5),(0-4)"#,
            "QsslcfgTestSslversion",
            json!({"ssl_ctx_id": "0-5", "ssl_version": "0-4"}),
        ),
        (
            ciphers,
            "QsslcfgTestCiphersuite",
            json!({"ssl_ctx_id": "0-5"}),
        ),
        (
            r#"+QSSLCFG: "cacert",(0-5),<cacertpath>"#,
            "QsslcfgTestCacert",
            json!({"ssl_ctx_id": "0-5"}),
        ),
        (
            r#"+QSSLCFG: "cacertex",(0-5),<cacertpath>"#,
            "QsslcfgTestCacertex",
            json!({}),
        ),
        (
            r#"+QSSLCFG: "negotiatetime",(0-5),(10-300)"#,
            "QsslcfgTestNegotiatetime",
            json!({"negotiate_time": "10-300"}),
        ),
        (
            r#"+QSSLCFG: "sni",(0-5),(0,1)"#,
            "QsslcfgTestSni",
            json!({}),
        ),
        (
            r#"+QSSLCFG: "closetimemode",(0-5),(0,1)"#,
            "QsslcfgTestClosetimemode",
            json!({}),
        ),
        (
            r#"+QSSLCFG: "ignoremulticertchainverify",(0-5),(0,1)"#,
            "QsslcfgTestIgnoremulticertchainverify",
            json!({}),
        ),
        (
            r#"+QSSLCFG: "ignoreinvalidcertsign",(0-5),(0,1)"#,
            "QsslcfgTestIgnoreinvalidcertsign",
            json!({}),
        ),
        (
            r#"+QSSLCFG: "session_cache",(0-5),(0,1)"#,
            "QsslcfgTestSessionCache",
            json!({}),
        ),
    ]);
    lines
}

/// The socket commands' test lines of EC2x and EC200x: `pdp` is the manual's
/// <PDP_ctxID> range; the optional <access_mode> part with and without brackets.
fn quectel_lte_socket(pdp: &str) -> Vec<(String, &'static str, Value)> {
    vec![
        (
            format!("+QSSLOPEN: ({pdp}),(0-5),(0-11),<serveraddr>,<server_port>[,(0-2)]"),
            "QsslopenTestLine1",
            json!({"pdp_ctx_id": pdp, "ssl_ctx_id": "0-5", "client_id": "0-11", "access_mode": "0-2"}),
        ),
        (
            format!("+QSSLOPEN: ({pdp}),(0-5),(0-11),<serveraddr>,<server_port>,(0-2)"),
            "QsslopenTestLine1",
            json!({"access_mode": "0-2"}),
        ),
        // A module that fills the placeholders in.
        (
            format!("+QSSLOPEN: ({pdp}),(0-5),(0-11),\"220.180.239.212\",8010,(0-2)"),
            "QsslopenTestLine1",
            json!({"serveraddr": "220.180.239.212", "server_port": 8010}),
        ),
        (
            "+QSSLSEND: (0-11)[,(1-1460)]".into(),
            "QsslsendTestLine1",
            json!({"sendlen": "1-1460"}),
        ),
        (
            "+QSSLSEND: (0-11),(1-1460)".into(),
            "QsslsendTestLine1",
            json!({"sendlen": "1-1460"}),
        ),
        (
            "+QSSLRECV: (0-11),(1-1500)".into(),
            "QsslrecvTestLine1",
            json!({"readlen": "1-1500"}),
        ),
        (
            "+QSSLCLOSE: (0-11),(0-65535)".into(),
            "QsslcloseTestLine1",
            json!({"close_timeout": "0-65535"}),
        ),
    ]
}

fn both(
    cfg: Vec<(&'static str, &'static str, Value)>,
    socket: &[(String, &'static str, Value)],
) -> Vec<(String, &'static str, Value)> {
    cfg.into_iter()
        .map(|(l, t, f)| (l.to_string(), t, f))
        .chain(socket.iter().cloned())
        .collect()
}

fn decodes_owned(family: &str, lines: &[(String, &'static str, Value)]) {
    let borrowed: Vec<(&str, &str, Value)> = lines
        .iter()
        .map(|(l, t, f)| (l.as_str(), *t, f.clone()))
        .collect();
    decodes(family, &borrowed);
}

const EC2X_CIPHERS: &str = r#"+QSSLCFG: "ciphersuite",(0-5),(0X0035,0X002F,0X0005,0X0004,0X000A,0X003D,0XC002,0XC003,0XC004,0XC005,0XC007,0XC008,0XC009,0XC00A,0XC011,0XC012,0XC013,0XC014,0XC00C,0XC00D,0XC00E,0XC00F,0XC023,0XC024,0XC025,0XC026,0XC027,0XC028,0XC029,0XC02A,0XC02F,0XFFFF)"#;

#[test]
fn ec2x_manual_test_answers_decode_with_the_manuals_ranges() {
    let mut lines = both(
        quectel_lte_qsslcfg(EC2X_CIPHERS),
        &quectel_lte_socket("1-16"),
    );
    // 2.2.1: the sub-commands only EC2x has; <identity>,<key> and <ALPN_name> printed as written.
    for (l, t, f) in [
        (
            r#"+QSSLCFG: "psk",(0-5),<identity>,<key>"#,
            "QsslcfgTestPsk",
            json!({"ssl_ctx_id": "0-5"}),
        ),
        (
            r#"+QSSLCFG: "dtls",(0-5),(0,1)"#,
            "QsslcfgTestDtls",
            json!({}),
        ),
        (
            r#"+QSSLCFG: "dtlsversion",(0-5),(0,1)"#,
            "QsslcfgTestDtlsversion",
            json!({}),
        ),
        (
            r#"+QSSLCFG: "alpn",(0-5),<ALPN_name>"#,
            "QsslcfgTestAlpn",
            json!({}),
        ),
        (
            r#"+QSSLCFG: "renegotiation",(0-5),(0,1)"#,
            "QsslcfgTestRenegotiation",
            json!({}),
        ),
    ] {
        lines.push((l.to_string(), t, f));
    }
    decodes_owned("quectel-ec2x", &lines);
}

#[test]
fn ec200x_manual_test_answers_decode_with_the_manuals_ranges() {
    let ciphers = r#"+QSSLCFG: "ciphersuite",(0-5),(0X0035,0X002F,0X0005,0X0004,0X000A,0X003D,0XC002,0XC003,0XC004,0XC005,0XC007,0XC008,0XC009,0XC00A,0XC011,0XC012,0XC013,0XC014,0XC00C,0XC00D,0XC00E,0XC00F,0XC023,0XC024,0XC025,0XC026,0XC027,0XC028,0XC029,0XC02A,0XC02F,0XC030,0XFFFF)"#;
    let lines = both(quectel_lte_qsslcfg(ciphers), &quectel_lte_socket("1-15"));
    decodes_owned("quectel-ec200x", &lines);
}

#[test]
fn bc26_manual_test_answers_decode_with_the_manuals_ranges() {
    decodes(
        "quectel-bc26",
        &[
            // 2.2.1: the sub-command lines as printed ("seclevel"(0-2)) and with the
            // comma erratum E5 adds ("seclevel",(0-2)).
            (
                "+QSSLCFG: (1-3),(0-5)",
                "QsslcfgTestLine1",
                json!({"context_id": "1-3", "connect_id": "0-5"}),
            ),
            (
                r#"+QSSLCFG: (1-3),(0-5),"seclevel"(0-2)"#,
                "QsslcfgTestSeclevel",
                json!({"seclevel": "0-2"}),
            ),
            (
                r#"+QSSLCFG: (1-3),(0-5),"seclevel",(0-2)"#,
                "QsslcfgTestSeclevel",
                json!({"seclevel": "0-2"}),
            ),
            (
                r#"+QSSLCFG: (1-3),(0-5),"sslversion"(0-4)"#,
                "QsslcfgTestSslversion",
                json!({"sslversion": "0-4"}),
            ),
            (
                r#"+QSSLCFG: (1-3),(0-5),"dataformat"(0,1),(0,1)"#,
                "QsslcfgTestDataformat",
                json!({"send_data_format": "0,1", "recv_data_format": "0,1"}),
            ),
            (
                r#"+QSSLCFG: (1-3),(0-5),"timeout"(10-300)"#,
                "QsslcfgTestTimeout",
                json!({"timeout": "10-300"}),
            ),
            (
                r#"+QSSLCFG: (1-3),(0-5),"debug",(0-4)"#,
                "QsslcfgTestDebug",
                json!({}),
            ),
            (
                r#"+QSSLCFG: (1-3),(0-5),"cacert""#,
                "QsslcfgTestCacert",
                json!({}),
            ),
            (
                r#"+QSSLCFG: (1-3),(0-5),"clientcert""#,
                "QsslcfgTestClientcert",
                json!({}),
            ),
            (
                r#"+QSSLCFG: (1-3),(0-5),"clientkey""#,
                "QsslcfgTestClientkey",
                json!({}),
            ),
            // 2.2.2: <host_name>,<port> printed as written.
            (
                "+QSSLOPEN: (1-3),(0-5),<host_name>,<port>,(0,1)",
                "QsslopenTestLine1",
                json!({"context_id": "1-3", "connect_mode": "0,1"}),
            ),
            // 2.2.3 (with and without the optional part), 2.2.4.
            (
                "+QSSLSEND: (1-3),(0-5),(1-1460)",
                "QsslsendTestLine1",
                json!({"send_length": "1-1460"}),
            ),
            (
                "+QSSLSEND: (1-3),(0-5)[,(1-1460)]",
                "QsslsendTestLine1",
                json!({"send_length": "1-1460"}),
            ),
            (
                "+QSSLSEND: (1-3),(0-5)",
                "QsslsendTestLine1",
                json!({"connect_id": "0-5"}),
            ),
            (
                "+QSSLCLOSE: (1-3),(0-5)",
                "QsslcloseTestLine1",
                json!({"connect_id": "0-5"}),
            ),
        ],
    );
}

/// The simulator's answer to a test command, line by line.
fn simulated<F: atgen_runtime::Family>(family: &str, command: &str) -> Vec<String> {
    let (_sim, mut link) = start::<F>(family, fast());
    let reply = link
        .raw(command, Duration::from_secs(2))
        .unwrap_or_else(|e| panic!("{family} {command}: {e}"));
    reply
        .lines()
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .collect()
}

#[test]
fn the_simulator_answers_ugxx_test_commands_as_the_manual_prints_them() {
    use atgen::quectel_ugxx::Family;
    let f = "quectel-ugxx";
    assert_eq!(
        simulated::<Family>(f, "AT+QSSLCFG=?"),
        [
            r#"+QSSLCFG: "sslversion",(0-5),(0-4)"#,
            r#"+QSSLCFG: "ciphersuite",(0-5),("0X0035","0X002F","0X0005","0X0004","0X000A","0X003D","0XFFFF")"#,
            r#"+QSSLCFG: "cacert",(0-5),<cacert_path>"#,
            r#"+QSSLCFG: "clientcert",(0-5),<client_cert_path>"#,
            r#"+QSSLCFG: "clientkey",(0-5),<client_key_path>"#,
            r#"+QSSLCFG: "seclevel",(0-5),(0-2)"#,
            r#"+QSSLCFG: "ignorelocaltime",(0-5),(0,1)"#,
            r#"+QSSLCFG: "negotiatetime",(0-5),(10-300)"#,
        ]
    );
    // The manual: ...,<serveraddr>,<server_port>[,(0-2)]; the simulator leaves the brackets out.
    assert_eq!(
        simulated::<Family>(f, "AT+QSSLOPEN=?"),
        ["+QSSLOPEN: (1-20),(0-5),(0-11),<serveraddr>,<server_port>,(0-2)"]
    );
    assert_eq!(
        simulated::<Family>(f, "AT+QSSLSEND=?"),
        ["+QSSLSEND: (0-11),(1-1460)"]
    );
    assert_eq!(
        simulated::<Family>(f, "AT+QSSLRECV=?"),
        ["+QSSLRECV: (0-11),(1-1500)"]
    );
    assert_eq!(
        simulated::<Family>(f, "AT+QSSLCLOSE=?"),
        ["+QSSLCLOSE: (0-11),(0-65535)"]
    );
}

#[test]
fn the_simulator_answers_ml302_open_and_close_test_commands_as_the_manual_prints_them() {
    use atgen::cmiot_ml302::Family;
    let f = "cmiot-ml302";
    assert_eq!(
        simulated::<Family>(f, "AT+QSSLOPEN=?"),
        ["+QSSLOPEN: <ssid>,<ctxindex>,<ipaddr/domainname>,<port>,<connectmode>"]
    );
    // The manual: +QSSLCLOSE: (0-5)[,(0,1)].
    assert_eq!(
        simulated::<Family>(f, "AT+QSSLCLOSE=?"),
        ["+QSSLCLOSE: (0-5),(0,1)"]
    );
}

//! Every example dialog of the Quectel WCDMA UGxx SSL AT Commands Manual V1.2
//! (shared/seeds/004_4904c999a47553f7.txt, chapter 3 "Example"; the command sections of
//! chapter 2 have none), decoded and asserted field by field with the generated
//! `atgen::quectel_ugxx` API, plus the security error table (2.3.3) and the out-of-range
//! values of the parameter tables.
//!
//! The `//` comments of the examples are dropped; the `> ` echo of the data prompt in 3.3.2
//! and 3.4.2 is not part of the data.

mod examples_common;

use atgen::quectel_ugxx::*;
use atgen_runtime::{final_code, AtRequest, DataEnd, Family, FinalCode, PayloadProbe};
use examples_common::{family_helpers, fin, writes_back, QIACT_LINE, QUECTEL_TCPIP_PDP_COMMANDS};

family_helpers!(QuectelUgxx, "quectel-ugxx");

/// The request of 3.3.2 / 3.4.2 / 3.5.2: three lines, each ended by CR LF (52 bytes).
const GET_REQUEST: &[u8] = b"GET /4M.txt HTTP/1.1\r\nHOST: 220.180.239.201:8011\r\n\r\n";

/// The HTTP response header of 3.3.3, with CR LF line ends and the blank line that ends a
/// header. As printed, its ETag "f70000001e36d-406538-4e55e322ae3bc" makes it 290 bytes, one
/// short of `+QSSLRECV: 291`; 3.4.3 prints the same header (same ETag but for one more `0`,
/// "f700000001e36d-…") under `+QSSLURC: "recv",1,291`, and that one adds up. The payload
/// here uses 3.4.3's ETag so that it has the stated 291 bytes (see the 3.3.3 erratum).
fn http_response_3_3_3() -> Vec<u8> {
    http_response("Tue, 03 Sep 2013 11:04:13 GMT")
}

/// The HTTP response header of 3.4.3 exactly as printed (its "Last-Modified … ETag …" line
/// split where the OCR joined it): 291 bytes, as the URC states.
fn http_response_3_4_3() -> Vec<u8> {
    http_response("Tue, 03 Sep 2013 12:07:19 GMT")
}

/// The HTTP response header of 3.3.3 and 3.4.3, which differ only in their `date`.
fn http_response(date: &str) -> Vec<u8> {
    [
        "HTTP/1.1 200 OK",
        &format!("Date: {date}"),
        "Server: Apache/2.2.22 (Win32) PHP/5.2.4 mod_ssl/2.2.22 OpenSSL/0.9.8t",
        "Last-Modified: Mon, 02 Sep 2013 03:30:38 GMT",
        "ETag: \"f700000001e36d-406538-4e55e322ae3bc\"",
        "Accept-Ranges: bytes",
        "Content-Length: 4220216",
        "Content-Type: text/plain",
        "",
        "",
    ]
    .join("\r\n")
    .into_bytes()
}

/// `line` (`AT+QSSLOPEN=2,1,1,"220.180.239.201",8712,…`) opens socket 1 with context 2 in
/// `access_mode`.
fn open_1(line: &'static str, access_mode: AccessMode) -> Qsslopen<'static> {
    let Request::Qsslopen(open) = request(line) else {
        panic!("not a QSSLOPEN write");
    };
    assert_eq!(
        open,
        Qsslopen {
            pdpctx_id: 2,
            sslctx_id: 1,
            client_id: 1,
            serveraddr: "220.180.239.201",
            server_port: 8712,
            access_mode: Some(access_mode),
        }
    );
    open
}

/// `+QSSLOPEN: 1,0`: `open` succeeded.
fn opened_1(open: &Qsslopen<'_>) {
    let u = urc(b"+QSSLOPEN: 1,0");
    assert_eq!(
        u,
        Urc::QsslopenResult(QsslopenResult {
            client_id: 1,
            errorcode: 0,
        })
    );
    assert!(open.is_result(&u));
}

/// `AT+QSSLSTATE` lists socket 1 in `access_mode` as `block` prints it, then OK. Gives the
/// request.
fn state_lists_socket_1(block: &[u8], decodes: &str, access_mode: AccessMode) -> QsslstateExec {
    let Request::QsslstateExec(state) = request("AT+QSSLSTATE") else {
        panic!("not the QSSLSTATE execute form");
    };
    let resp = QsslstateExec::parse_response(block).expect(decodes);
    let lines: Vec<_> = resp.line1.clone().collect();
    // Erratum 3.3.1 (spec, second entry): the fields follow the syntax table, so the
    // state line reports <pdpctxID>=1 and <serverID>=2 although the open used context 2
    // (3.3.1 and 3.4.1).
    assert_eq!(
        lines,
        [QsslstateExecLine1 {
            client_id: 1,
            ip_address: "220.180.239.201",
            remote_port: 8712,
            local_port: 4100,
            socket_state: SocketState::Connected,
            pdpctx_id: 1,
            server_id: 2,
            access_mode,
            at_port: "usbmodem",
            sslctx_id: 1,
        }]
    );
    assert_eq!(fin("OK"), FinalCode::Ok);
    state
}

/// `AT+QSSLSEND=1`, the variable-length send of 3.3.2 and 3.4.2.
fn send_1() -> Qsslsend {
    let Request::Qsslsend(r) = request("AT+QSSLSEND=1") else {
        panic!("not the variable-length QSSLSEND");
    };
    assert_eq!(r, Qsslsend { client_id: 1 });
    r
}

/// `AT+QSSLSEND=1,52`, the fixed-length send of 3.3.2 and 3.4.2.
fn send_1_52() -> QsslsendFixedLength {
    let Request::QsslsendFixedLength(r) = request("AT+QSSLSEND=1,52") else {
        panic!("not the fixed-length QSSLSEND");
    };
    assert_eq!(
        r,
        QsslsendFixedLength {
            client_id: 1,
            sendlen: 52,
        }
    );
    r
}

/// `AT+QSSLCLOSE=1`, the close of 3.3.4, 3.4.4 and 3.5.4.
fn close_1() -> Qsslclose {
    let Request::Qsslclose(r) = request("AT+QSSLCLOSE=1") else {
        panic!("not a QSSLCLOSE write");
    };
    assert_eq!(
        r,
        Qsslclose {
            client_id: 1,
            close_timeout: None,
        }
    );
    r
}

// ---------------------------------------------------------------- 3.1

#[test]
fn ugxx_3_1_pdp_context_commands_are_not_ssl_commands_and_end_with_ok() {
    unknown_to_the_family(&QUECTEL_TCPIP_PDP_COMMANDS);
    assert_eq!(Urc::parse(QIACT_LINE, false), None);
    assert_eq!(fin("OK"), FinalCode::Ok);
}

// ---------------------------------------------------------------- 3.2

#[test]
fn ugxx_3_2_configure_ssl_context_sets_version_quoted_cipher_seclevel_and_cacert() {
    let Request::QsslcfgSslversion(r) = request("AT+QSSLCFG=\"sslversion\",1,1") else {
        panic!("not a sslversion write");
    };
    assert_eq!(
        r,
        QsslcfgSslversion {
            sslctx_id: 1,
            ssl_version: SslVersion::Tls1_0,
        }
    );
    writes_back(&r, "AT+QSSLCFG=\"sslversion\",1,1");
    assert_eq!(QsslcfgSslversion::parse_response(b""), Ok(()));
    assert_eq!(fin("OK"), FinalCode::Ok);

    // The cipher suite is a hex code inside double quotes (erratum 1.1 of the spec).
    let Request::QsslcfgCiphersuite(r) = request("AT+QSSLCFG=\"ciphersuite\",1,\"0X0035\"") else {
        panic!("not a ciphersuite write");
    };
    assert_eq!(
        r,
        QsslcfgCiphersuite {
            sslctx_id: 1,
            cipher_suites: CipherSuite::TlsRsaWithAes256CbcSha,
        }
    );
    assert_eq!(r.cipher_suites.value(), 0x0035);
    assert_eq!(
        r.cipher_suites.description(),
        "TLS_RSA_WITH_AES_256_CBC_SHA"
    );
    writes_back(&r, "AT+QSSLCFG=\"ciphersuite\",1,\"0X0035\"");
    assert_eq!(fin("OK"), FinalCode::Ok);

    let Request::QsslcfgSeclevel(r) = request("AT+QSSLCFG=\"seclevel\",1,1") else {
        panic!("not a seclevel write");
    };
    assert_eq!(
        r,
        QsslcfgSeclevel {
            sslctx_id: 1,
            seclevel: Seclevel::ServerAuthentication,
        }
    );
    writes_back(&r, "AT+QSSLCFG=\"seclevel\",1,1");
    assert_eq!(fin("OK"), FinalCode::Ok);

    let Request::QsslcfgCacert(r) = request("AT+QSSLCFG=\"cacert\",1,\"RAM:ca.pem\"") else {
        panic!("not a cacert write");
    };
    assert_eq!(
        r,
        QsslcfgCacert {
            sslctx_id: 1,
            cacert_path: "RAM:ca.pem",
        }
    );
    writes_back(&r, "AT+QSSLCFG=\"cacert\",1,\"RAM:ca.pem\"");
    assert_eq!(fin("OK"), FinalCode::Ok);
}

// ---------------------------------------------------------------- 3.3 buffer access mode

#[test]
fn ugxx_3_3_1_open_in_buffer_mode_answers_ok_then_result_urc_and_state_lists_the_socket() {
    let open = open_1(
        "AT+QSSLOPEN=2,1,1,\"220.180.239.201\",8712,0",
        AccessMode::Buffer,
    );
    writes_back(&open, "AT+QSSLOPEN=2,1,1,\"220.180.239.201\",8712,0");
    assert!(!open.connects());
    assert!(open.expects_result_urc());
    // The 150 seconds the manual states (erratum 2.2.2: no <negotiatetimout> added).
    assert_eq!(open.max_response().total_ms(|_| None), 150_000);
    assert_eq!(fin("OK"), FinalCode::Ok);

    // Erratum 3.3.1 (spec): the manual prints "+QSSLOPEN: 0,0"; the URC carries the
    // <clientID> of the open, 1 (as 3.4.1 prints for the same command).
    opened_1(&open);
    // The line as printed decodes, but it is the result of socket 0, not of this open.
    assert!(!open.is_result(&urc(b"+QSSLOPEN: 0,0")));

    let state = state_lists_socket_1(
        b"+QSSLSTATE: 1,\"SSL CLIENT\",\"220.180.239.201\",8712,4100,3,1,2,0,\"usbmodem\",1\r\n",
        "the 3.3.1 QSSLSTATE list decodes",
        AccessMode::Buffer,
    );
    writes_back(&state, "AT+QSSLSTATE");
}

#[test]
fn ugxx_3_3_2_send_variable_then_fixed_length_52_bytes_answers_send_ok() {
    let r = send_1();
    writes_back(&r, "AT+QSSLSEND=1");
    let phase = r.data_phase().expect("QSSLSEND has a data phase");
    assert_eq!(phase.end, DataEnd::CtrlZ);
    assert!(!GET_REQUEST.contains(&0x1A) && !GET_REQUEST.contains(&0x1B));
    assert_eq!(fin("SEND OK"), FinalCode::SendOk);

    // Erratum 3.3.2 (spec): the manual sends the fixed-length data with AT+QISEND=1,52,
    // the TCP/IP command; the SSL form is AT+QSSLSEND=1,52.
    unknown_to_the_family(&["AT+QISEND=1,52"]);
    let r = send_1_52();
    writes_back(&r, "AT+QSSLSEND=1,52");
    // The three lines of the request, each with CR LF, are exactly the 52 bytes announced.
    assert_eq!(GET_REQUEST.len(), 52);
    assert_eq!(r.data_phase().map(|d| d.end), Some(DataEnd::Length(52)));
    assert_eq!(QsslsendFixedLength::parse_response(b""), Ok(()));
    assert_eq!(fin("SEND OK"), FinalCode::SendOk);
}

#[test]
fn ugxx_3_3_3_receive_in_buffer_mode_reads_the_291_byte_http_header() {
    assert_eq!(
        urc(b"+QSSLURC: \"recv\",1"),
        Urc::Recv(Recv { client_id: 1 })
    );

    let Request::Qsslrecv(r) = request("AT+QSSLRECV=1,1500") else {
        panic!("not a QSSLRECV write");
    };
    assert_eq!(
        r,
        Qsslrecv {
            client_id: 1,
            readlen: 1500,
        }
    );
    writes_back(&r, "AT+QSSLRECV=1,1500");

    let body = http_response_3_3_3();
    assert_eq!(body.len(), 291);
    let mut block = b"+QSSLRECV: 291\r\n".to_vec();
    block.extend_from_slice(&body);
    block.extend_from_slice(b"\r\n");
    let resp = Qsslrecv::parse_response(&block).expect("the 291-byte read decodes");
    assert_eq!(
        resp,
        QsslrecvResponse {
            havereadlen: 291,
            data: &body,
        }
    );
    // Framing takes the payload by length, so its own CR LFs are not lines.
    assert_eq!(
        QuectelUgxx::probe_payload(&block, false),
        PayloadProbe::Payload {
            start: 16,
            len: 291,
            trailer: b"",
        }
    );
    assert_eq!(fin("OK"), FinalCode::Ok);

    // The second read: no data in buffer.
    let Request::Qsslrecv(r2) = request("AT+QSSLRECV=1,1500") else {
        panic!("not a QSSLRECV write");
    };
    assert_eq!(r2, r);
    assert_eq!(
        Qsslrecv::parse_response(b"+QSSLRECV: 0\r\n"),
        Ok(QsslrecvResponse {
            havereadlen: 0,
            data: b"",
        })
    );
    assert_eq!(fin("OK"), FinalCode::Ok);
}

#[test]
fn ugxx_3_3_4_close_waits_up_to_the_default_10_s_and_answers_ok() {
    let r = close_1();
    writes_back(&r, "AT+QSSLCLOSE=1");
    // "Depending on the Network, the maximum response time is 10s": the default
    // <close_timeout> plus those 10 s (the manual states no maximum for AT+QSSLCLOSE).
    assert_eq!(r.max_response().total_ms(|_| None), 20_000);
    assert_eq!(Qsslclose::parse_response(b""), Ok(()));
    assert_eq!(fin("OK"), FinalCode::Ok);
}

// ---------------------------------------------------------------- 3.4 direct push mode

#[test]
fn ugxx_3_4_1_open_in_direct_push_mode_answers_ok_then_result_urc_and_state() {
    // Erratum 3.4.1 (spec): the manual writes `AT+QSSLOPEN= 2,1,1,...` with a space after "=".
    let open = open_1(
        "AT+QSSLOPEN=2,1,1,\"220.180.239.201\",8712,1",
        AccessMode::DirectPush,
    );
    assert!(!open.connects());
    assert_eq!(fin("OK"), FinalCode::Ok);
    opened_1(&open);

    state_lists_socket_1(
        b"+QSSLSTATE: 1,\"SSL CLIENT\",\"220.180.239.201\",8712,4100,3,1,2,1,\"usbmodem\",1\r\n",
        "the 3.4.1 QSSLSTATE list decodes",
        AccessMode::DirectPush,
    );
}

#[test]
fn ugxx_3_4_2_send_in_direct_push_mode_variable_then_fixed_length_52() {
    let r = send_1();
    assert_eq!(r.data_phase().map(|d| d.end), Some(DataEnd::CtrlZ));
    assert_eq!(fin("SEND OK"), FinalCode::SendOk);

    // Erratum 3.3.2 (spec) also covers 3.4.2: AT+QISEND=1,52 is AT+QSSLSEND=1,52.
    let r = send_1_52();
    assert_eq!(
        r.data_phase().map(|d| d.end),
        Some(DataEnd::Length(GET_REQUEST.len()))
    );
    assert_eq!(fin("SEND OK"), FinalCode::SendOk);
}

#[test]
fn ugxx_3_4_3_direct_push_urc_carries_the_291_byte_http_header() {
    let body = http_response_3_4_3();
    assert_eq!(body.len(), 291);
    let mut frame = b"+QSSLURC: \"recv\",1,291\r\n".to_vec();
    frame.extend_from_slice(&body);
    assert_eq!(
        urc(&frame),
        Urc::RecvPush(RecvPush {
            client_id: 1,
            currentrecvlength: 291,
            data: &body,
        })
    );
    assert_eq!(
        QuectelUgxx::probe_payload(&frame, false),
        PayloadProbe::Payload {
            start: 24,
            len: 291,
            trailer: b"",
        }
    );
}

#[test]
fn ugxx_3_4_4_close_in_direct_push_mode_answers_ok() {
    let r = close_1();
    assert_eq!(r.max_response().total_ms(|_| None), 20_000);
    assert_eq!(fin("OK"), FinalCode::Ok);
}

// ---------------------------------------------------------------- 3.5 transparent mode

#[test]
fn ugxx_3_5_1_open_in_transparent_mode_answers_connect() {
    // Erratum 3.4.1 (spec) also covers 3.5.1: `AT+QSSLOPEN= 2,...` loses its space.
    let open = open_1(
        "AT+QSSLOPEN=2,1,1,\"220.180.239.201\",8712,2",
        AccessMode::Transparent,
    );
    assert!(open.connects());
    assert!(!open.expects_result_urc());
    assert_eq!(fin("CONNECT"), FinalCode::Connect { rate: None });
}

#[test]
fn ugxx_3_5_2_and_3_5_3_transparent_data_is_raw_not_at_commands() {
    // 3.5.2 sends the same 52-byte request, 3.5.3 receives the header of 3.4.3, both raw:
    // neither is a command line nor a URC of the family.
    assert_eq!(GET_REQUEST.len(), 52);
    unknown_to_the_family(&["GET /4M.txt HTTP/1.1"]);
    for line in http_response_3_4_3().split(|&b| b == b'\n') {
        assert_eq!(Urc::parse(line, false), None);
        assert_eq!(final_code::parse(line), None);
    }
}

#[test]
fn ugxx_3_5_4_close_after_transparent_mode_answers_ok() {
    let r = close_1();
    writes_back(&r, "AT+QSSLCLOSE=1");
    assert_eq!(fin("OK"), FinalCode::Ok);
}

// ---------------------------------------------------------------- 2.3 URCs and error table

#[test]
fn ugxx_2_3_2_closed_urc_names_the_socket() {
    assert_eq!(
        urc(b"+QSSLURC: \"closed\",1"),
        Urc::Closed(Closed { client_id: 1 })
    );
}

#[test]
fn ugxx_2_3_3_security_urc_decodes_every_security_error() {
    let table: &[(i64, SecurityError, &str)] = &[
        (1, SecurityError::EncryptError, "Encrypt error"),
        (2, SecurityError::DecryptError, "Decrypt error"),
        (3, SecurityError::DataVerifyError, "Data verify error"),
    ];
    assert_eq!(table.len(), SecurityError::ALL.len());
    for &(code, variant, meaning) in table {
        assert_eq!(SecurityError::from_value(code), Some(variant));
        assert_eq!(variant.value(), code);
        assert_eq!(variant.description(), meaning);
        assert_eq!(variant.to_string(), format!("{code}: {meaning}"));
    }
    assert_eq!(
        urc(b"+QSSLURC: \"security\",1,3"),
        Urc::Security(Security {
            client_id: 1,
            security_errorcode: SecurityError::DataVerifyError,
        })
    );
}

#[test]
fn ugxx_2_3_3_family_explains_security_error_codes() {
    // The family declares `errors = ["ugxx-security-errors"]`.
    for &(code, meaning) in &[
        (1, "Encrypt error"),
        (2, "Decrypt error"),
        (3, "Data verify error"),
    ] {
        assert_eq!(QuectelUgxx::describe_error(code), Some(meaning), "{code}");
    }
}

// ---------------------------------------------------------------- parameter tables

#[test]
fn ugxx_2_2_out_of_range_values_are_refused_naming_the_parameter_and_range() {
    let cases: &[(&str, &str)] = &[
        // 2.2.2 QSSLOPEN: <pdpctxID> 1-20, <sslctxID> 0-5, <clientID> 0-11, <access_mode> 0-2.
        (
            "AT+QSSLOPEN=21,1,1,\"220.180.239.201\",8712,0",
            "QSSLOPEN <pdpctxID>=21 is out of range 1..=20 (quectel-ugxx)",
        ),
        (
            "AT+QSSLOPEN=0,1,1,\"220.180.239.201\",8712,0",
            "QSSLOPEN <pdpctxID>=0 is out of range 1..=20 (quectel-ugxx)",
        ),
        (
            "AT+QSSLOPEN=2,6,1,\"220.180.239.201\",8712,0",
            "QSSLOPEN <sslctxID>=6 is out of range 0..=5 (quectel-ugxx)",
        ),
        (
            "AT+QSSLOPEN=2,1,12,\"220.180.239.201\",8712,0",
            "QSSLOPEN <clientID>=12 is out of range 0..=11 (quectel-ugxx)",
        ),
        (
            "AT+QSSLOPEN=2,1,1,\"220.180.239.201\",8712,3",
            "QSSLOPEN <access_mode>=3 is not an allowed value; allowed: 0 (Buffer access mode), 1 (Direct push mode), 2 (Transparent mode (2.2.6: \"Transparent access mode\")) (quectel-ugxx)",
        ),
        // 2.2.3 QSSLSEND: <sendlen> 1-1460.
        (
            "AT+QSSLSEND=1,0",
            "QSSLSEND <sendlen>=0 is out of range 1..=1460 (quectel-ugxx)",
        ),
        (
            "AT+QSSLSEND=1,1461",
            "QSSLSEND <sendlen>=1461 is out of range 1..=1460 (quectel-ugxx)",
        ),
        (
            "AT+QSSLSEND=12",
            "QSSLSEND <clientID>=12 is out of range 0..=11 (quectel-ugxx)",
        ),
        // 2.2.4 QSSLRECV: <readlen> 1-1500.
        (
            "AT+QSSLRECV=1,1501",
            "QSSLRECV <readlen>=1501 is out of range 1..=1500 (quectel-ugxx)",
        ),
        // 2.2.5 QSSLCLOSE: <close_timeout> 0-65535.
        (
            "AT+QSSLCLOSE=1,65536",
            "QSSLCLOSE <close_timeout>=65536 is out of range 0..=65535 (quectel-ugxx)",
        ),
        // 2.2.1 QSSLCFG.
        (
            "AT+QSSLCFG=\"sslversion\",6,1",
            "QSSLCFG <sslctxID>=6 is out of range 0..=5 (quectel-ugxx)",
        ),
        (
            "AT+QSSLCFG=\"sslversion\",1,5",
            "QSSLCFG <ssl_version>=5 is not an allowed value; allowed: 0 (SSL3.0), 1 (TLS1.0), 2 (TLS1.1), 3 (TLS1.2), 4 (All version) (quectel-ugxx)",
        ),
        (
            "AT+QSSLCFG=\"seclevel\",1,3",
            "QSSLCFG <seclevel>=3 is not an allowed value; allowed: 0 (No authentication), 1 (Manage server authentication), 2 (Manage server and client authentication if requested by the remote server) (quectel-ugxx)",
        ),
        (
            "AT+QSSLCFG=\"ignorelocaltime\",1,2",
            "QSSLCFG <ignoreltime>=2 is not an allowed value; allowed: 0 (Care time check for certification), 1 (Ignore time check for certification) (quectel-ugxx)",
        ),
        (
            "AT+QSSLCFG=\"negotiatetime\",1,9",
            "QSSLCFG <negotiatetime>=9 is out of range 10..=300 (quectel-ugxx)",
        ),
        (
            "AT+QSSLCFG=\"negotiatetime\",1,301",
            "QSSLCFG <negotiatetime>=301 is out of range 10..=300 (quectel-ugxx)",
        ),
        (
            "AT+QSSLCFG=\"ciphersuite\",1,\"0X0001\"",
            "QSSLCFG <cipher_suites>=0X0001 is not an allowed value; allowed: 0X0035 (TLS_RSA_WITH_AES_256_CBC_SHA), 0X002F (TLS_RSA_WITH_AES_128_CBC_SHA), 0X0005 (TLS_RSA_WITH_RC4_128_SHA), 0X0004 (TLS_RSA_WITH_RC4_128_MD5), 0X000A (TLS_RSA_WITH_3DES_EDE_CBC_SHA), 0X003D (TLS_RSA_WITH_AES_256_CBC_SHA256), 0XFFFF (Support above all ciphersuite (parameter table: \"All support\")) (quectel-ugxx)",
        ),
    ];
    refuses_all(cases);
}

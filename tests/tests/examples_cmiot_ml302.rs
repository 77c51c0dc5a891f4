//! Every example dialog of the China Mobile IoT (OneMO) ML302 SSL AT command manual
//! (shared/seeds/001_a5e6d6f2152828ea.txt): the 示例 of each command section (2.1 … 2.9) and
//! the session of chapter 3 "示例", decoded and asserted field by field with the generated
//! `atgen::cmiot_ml302` API, plus the QSECWRITE/QSECREAD checksum, the <connectcode> table
//! and the out-of-range values of the parameter tables.
//!
//! The manual's typographic quotes (” “) are ASCII `"` on the wire (spec erratum 2.1).

mod examples_common;

use atgen::cmiot_ml302::*;
use atgen_runtime::{
    final_code, wire::xor16, AtRequest, ChecksumKind, DataEnd, Family, FinalCode, PayloadProbe,
};
use examples_common::{family_helpers, fin, writes_back};

family_helpers!(CmiotMl302, "cmiot-ml302");

/// The HTTP response of chapter 3 (and the `<This is the recv data>` of 2.8), announced as
/// `+QSSLRECV: 106.12.79.254:443,TCP,434`.
///
/// The header as printed, with CR LF line ends and the blank line that ends it, is 320 bytes;
/// 320 + its `Content-Length: 114` (also the size in its ETag "72-…", 0x72 = 114) = 434, so
/// the announced length adds up. The body as printed is 113 bytes with CR LF line ends (104
/// with LF): the PDF lost one byte of its whitespace, unknown where. The body is built here
/// to the stated 114 bytes by ending it with a line feed, and says so.
fn http_response() -> Vec<u8> {
    let header = [
        "HTTP/1.1 200 OK",
        "Date: Sat, 12 Oct 2019 01:05:55 GMT",
        "Server: Apache/2.4.6 (CentOS) OpenSSL/1.0.2k-fips",
        "Last-Modified: Fri, 22 Feb 2019 07:38:30 GMT",
        "ETag: \"72-58276ad682560\"",
        "Accept-Ranges: bytes",
        "Content-Length: 114",
        "Keep-Alive: timeout=300, max=200",
        "Connection: Keep-Alive",
        "Content-Type: text/html; charset=UTF-8",
        "",
        "",
    ]
    .join("\r\n");
    assert_eq!(header.len(), 320);
    let mut body = [
        "<html>",
        "<head>",
        "<title>",
        "IOTTEST",
        "</title>",
        "</head>",
        "<body>",
        "Hello!This is an IOT test webpage!",
        "</body>",
        "</html>",
    ]
    .join("\r\n");
    assert_eq!(body.len(), 113);
    body.push('\n');
    assert_eq!(body.len(), 114);
    (header + &body).into_bytes()
}

/// The manual's checksum formula (2.2 备注), written out literally: big-endian 16-bit words
/// XORed, an odd last byte taken as `data[n-1] << 8 | 0x00`.
fn manual_checksum(data: &[u8]) -> u16 {
    let mut sum = 0u16;
    let mut i = 0;
    while i < data.len() {
        let hi = u16::from(data[i]) << 8;
        let lo = if i + 1 < data.len() {
            u16::from(data[i + 1])
        } else {
            0x00
        };
        sum ^= hi | lo;
        i += 2;
    }
    sum
}

/// `AT+QSSLOPEN=0,0,"www.iottest.work",443,0`, the open of 2.5 and chapter 3.
fn open_0_0() -> Qsslopen<'static> {
    let Request::Qsslopen(open) = request("AT+QSSLOPEN=0,0,\"www.iottest.work\",443,0") else {
        panic!("not a QSSLOPEN write");
    };
    assert_eq!(
        open,
        Qsslopen {
            ssid: 0,
            ctxindex: 0,
            ipaddr_domainname: "www.iottest.work",
            port: 443,
            connectmode: Connectmode::NonTransparent,
            timeout: None,
        }
    );
    open
}

/// `+QSSLOPEN: 0,0`: `open` succeeded.
fn opened_0_0(open: &Qsslopen<'_>) {
    let u = urc(b"+QSSLOPEN: 0,0");
    assert_eq!(
        u,
        Urc::QsslopenResult(QsslopenResult {
            ssid: 0,
            connectcode: ConnectCode::Success,
        })
    );
    assert!(open.is_result(&u));
}

/// `AT+QSSLRECV=1,0,1460`, the read of 2.8 and chapter 3.
fn read_1_0_1460() -> Qsslrecv {
    let Request::Qsslrecv(r) = request("AT+QSSLRECV=1,0,1460") else {
        panic!("not a QSSLRECV write");
    };
    assert_eq!(
        r,
        Qsslrecv {
            cid: 1,
            ssid: 0,
            length: 1460,
        }
    );
    r
}

/// The answer to the read: `+QSSLRECV: 106.12.79.254:443,TCP,434`, `data`, CR LF.
fn recv_block(data: &[u8]) -> Vec<u8> {
    let mut block = b"+QSSLRECV: 106.12.79.254:443,TCP,434\r\n".to_vec();
    block.extend_from_slice(data);
    block.extend_from_slice(b"\r\n");
    block
}

/// `AT+QSSLCLOSE=0`, the close of 2.6 and chapter 3.
fn close_0() -> Qsslclose {
    let Request::Qsslclose(close) = request("AT+QSSLCLOSE=0") else {
        panic!("not a QSSLCLOSE write");
    };
    assert_eq!(
        close,
        Qsslclose {
            ssid: 0,
            closetype: None,
        }
    );
    close
}

/// `0,CLOSE OK`: `close` completed.
fn closed_0(close: &Qsslclose) {
    let u = urc(b"0,CLOSE OK");
    assert_eq!(u, Urc::QsslcloseResult(QsslcloseResult { ssid: 0 }));
    assert!(close.is_result(&u));
}

// ---------------------------------------------------------------- 2.1 - 2.4

#[test]
fn ml302_2_1_example_seclevel_2_for_context_0_answers_ok() {
    let Request::QsslcfgSeclevel(r) = request("AT+QSSLCFG=\"seclevel\",0,2") else {
        panic!("not a seclevel write");
    };
    assert_eq!(
        r,
        QsslcfgSeclevel {
            ctxindex: 0,
            seclevel: Seclevel::ServerAndClientAuthentication,
        }
    );
    writes_back(&r, "AT+QSSLCFG=\"seclevel\",0,2");
    assert_eq!(QsslcfgSeclevel::parse_response(b""), Ok(()));
    assert_eq!(fin("OK"), FinalCode::Ok);
}

#[test]
fn ml302_2_2_example_qsecwrite_ca_cert_answers_size_1388_and_checksum_384a() {
    let Request::Qsecwrite(r) = request("AT+QSECWRITE=0") else {
        panic!("not a QSECWRITE write");
    };
    assert_eq!(
        r,
        Qsecwrite {
            crtflag: Crtflag::CaCert,
        }
    );
    writes_back(&r, "AT+QSECWRITE=0");
    let phase = r.data_phase().expect("QSECWRITE has a data phase");
    assert_eq!(phase.end, DataEnd::CtrlZ);
    assert_eq!(phase.checksum, Some(ChecksumKind::Xor16));
    // A CA certificate is not secret; a client key (crtflag 2) is.
    assert!(!phase.secret);
    let Request::Qsecwrite(key) = request("AT+QSECWRITE=2") else {
        panic!("not a QSECWRITE write");
    };
    assert!(key.data_phase().is_some_and(|p| p.secret));

    // The checksum is bare lower-case hex: 384a = 0x384A.
    let resp = Qsecwrite::parse_response(b"+QSECWRITE: 1388,384a\r\n")
        .expect("the QSECWRITE answer decodes");
    assert_eq!(
        resp,
        QsecwriteResponse {
            uploadsize: 1388,
            checksum: 0x384A,
        }
    );
    let mut out = Vec::new();
    resp.write_to(&mut out).unwrap();
    assert_eq!(out, b"+QSECWRITE: 1388,384a\r\n");
    // The manual does not print the 1388 bytes it uploaded, so 0x384A cannot be recomputed.
    assert_eq!(fin("OK"), FinalCode::Ok);
}

#[test]
fn ml302_2_2_checksum_is_the_manuals_xor_of_16_bit_words() {
    // The runtime's xor16 is the manual's formula, for even and odd lengths.
    assert_eq!(xor16(b""), 0);
    assert_eq!(xor16(&[0x12, 0x34]), 0x1234);
    assert_eq!(xor16(&[0x12, 0x34, 0x56, 0x78]), 0x1234 ^ 0x5678);
    // Odd: the last byte is padded with 0x00 as the low byte.
    assert_eq!(xor16(&[0x12, 0x34, 0x56]), 0x1234 ^ 0x5600);
    assert_eq!(xor16(&[0xAB]), 0xAB00);
    let pem = b"-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----\n";
    for n in 0..=pem.len() {
        assert_eq!(xor16(&pem[..n]), manual_checksum(&pem[..n]), "{n} bytes");
    }
    // XORing the same data twice cancels out (a word-aligned repeat).
    let mut twice = pem[..64].to_vec();
    twice.extend_from_slice(&pem[..64]);
    assert_eq!(xor16(&twice), 0);
}

#[test]
fn ml302_2_3_example_qsecread_reports_correct_and_checksum_553f() {
    let Request::Qsecread(r) = request("AT+QSECREAD=0") else {
        panic!("not a QSECREAD write");
    };
    assert_eq!(
        r,
        Qsecread {
            crtflag: Crtflag::CaCert,
        }
    );
    writes_back(&r, "AT+QSECREAD=0");
    assert_eq!(
        Qsecread::parse_response(b"+QSECREAD: 1,553f\r\n"),
        Ok(QsecreadResponse {
            good: Good::Correct,
            checksum: 0x553F,
        })
    );
    // 553f is not the 384a of the 2.2 example: the two examples do not show the same
    // certificate, and neither prints its data, so neither value can be checked here.
    assert_eq!(fin("OK"), FinalCode::Ok);
}

#[test]
fn ml302_2_4_example_qsecdel_ca_cert_answers_ok() {
    let Request::Qsecdel(r) = request("AT+QSECDEL=0") else {
        panic!("not a QSECDEL write");
    };
    assert_eq!(
        r,
        Qsecdel {
            crtflag: Crtflag::CaCert,
        }
    );
    writes_back(&r, "AT+QSECDEL=0");
    assert_eq!(Qsecdel::parse_response(b""), Ok(()));
    assert_eq!(fin("OK"), FinalCode::Ok);
}

// ---------------------------------------------------------------- 2.5 - 2.10

#[test]
fn ml302_2_5_example_open_answers_ok_then_result_urc_0_0() {
    let open = open_0_0();
    writes_back(&open, "AT+QSSLOPEN=0,0,\"www.iottest.work\",443,0");
    assert!(!open.connects());
    assert!(open.expects_result_urc());
    assert_eq!(Qsslopen::parse_response(b""), Ok(()));
    assert_eq!(fin("OK"), FinalCode::Ok);
    opened_0_0(&open);
}

#[test]
fn ml302_2_6_example_close_answers_ok_then_ssid_close_ok() {
    let close = close_0();
    writes_back(&close, "AT+QSSLCLOSE=0");
    assert_eq!(Qsslclose::parse_response(b""), Ok(()));
    assert_eq!(fin("OK"), FinalCode::Ok);
    // Erratum 2.6 (spec): OK, then "0,CLOSE OK" completes the close.
    closed_0(&close);
    assert!(!close.is_result(&Urc::QsslcloseResult(QsslcloseResult { ssid: 1 })));
    // The runtime also knows the line as ML302's close result code.
    assert_eq!(fin("0,CLOSE OK"), FinalCode::CloseOk { id: Some(0) });
}

#[test]
fn ml302_2_7_example_send_ends_with_ctrl_z_and_send_ok() {
    let Request::Qsslsend(r) = request("AT+QSSLSEND=0") else {
        panic!("not a QSSLSEND write");
    };
    assert_eq!(r, Qsslsend { ssid: 0 });
    writes_back(&r, "AT+QSSLSEND=0");
    assert_eq!(r.data_phase().map(|d| d.end), Some(DataEnd::CtrlZ));
    assert_eq!(Qsslsend::parse_response(b""), Ok(()));
    assert_eq!(fin("SEND OK"), FinalCode::SendOk);
}

#[test]
fn ml302_2_8_example_recv_reads_434_bytes_from_106_12_79_254_443() {
    let r = read_1_0_1460();
    writes_back(&r, "AT+QSSLRECV=1,0,1460");

    // `<This is the recv data>`: the 434 bytes of chapter 3.
    let data = http_response();
    assert_eq!(data.len(), 434);
    let block = recv_block(&data);
    let resp = Qsslrecv::parse_response(&block).expect("the 434-byte read decodes");
    assert_eq!(
        resp,
        QsslrecvResponse {
            line1: Some(QsslrecvLine1 {
                ipaddr: "106.12.79.254",
                port: 443,
                actuallength: 434,
                data: &data,
            }),
        }
    );
    assert_eq!(
        CmiotMl302::probe_payload(&block, false),
        PayloadProbe::Payload {
            start: 38,
            len: 434,
            trailer: b"",
        }
    );
    assert_eq!(fin("OK"), FinalCode::Ok);

    // "如果无数据，直接返回 OK": no information line at all.
    assert_eq!(
        Qsslrecv::parse_response(b""),
        Ok(QsslrecvResponse { line1: None })
    );
}

#[test]
fn ml302_2_9_example_state_lists_six_connections_without_a_state_line() {
    let Request::QsslstateExec(r) = request("AT+QSSLSTATE") else {
        panic!("not the QSSLSTATE execute form");
    };
    writes_back(&r, "AT+QSSLSTATE");
    // Erratum 2.9 (spec): the first line is wrapped after "+QSSLSTATE:" in the manual; it is
    // one line, and the optional +QSSLSTATE: <state> line is absent.
    let block: &[u8] = b"+QSSLSTATE: 0,\"TCP\",\"106.12.79.254\",443,\"CONNECTED\",1\r\n\
+QSSLSTATE: 1,\"TCP\",\"\",0,\"INITIAL\",1\r\n\
+QSSLSTATE: 2,\"TCP\",\"\",0,\"INITIAL\",1\r\n\
+QSSLSTATE: 3,\"TCP\",\"\",0,\"INITIAL\",1\r\n\
+QSSLSTATE: 4,\"TCP\",\"\",0,\"INITIAL\",1\r\n\
+QSSLSTATE: 5,\"TCP\",\"\",0,\"INITIAL\",1\r\n";
    let resp = QsslstateExec::parse_response(block).expect("the 2.9 list decodes");
    assert_eq!(resp.line1, None);
    let lines: Vec<_> = resp.line2.clone().collect();
    let mut expected = vec![QsslstateExecLine2 {
        socketindex: 0,
        connectiontype: Connectiontype::Tcp,
        ipadd: "106.12.79.254",
        port: 443,
        socketstatus: Socketstatus::Connected,
        sslconnectionflag: Sslconnectionflag::Ssl,
    }];
    expected.extend((1..=5).map(|socketindex| QsslstateExecLine2 {
        socketindex,
        connectiontype: Connectiontype::Tcp,
        ipadd: "",
        port: 0,
        socketstatus: Socketstatus::Initial,
        sslconnectionflag: Sslconnectionflag::Ssl,
    }));
    assert_eq!(lines, expected);
    let mut out = Vec::new();
    resp.write_to(&mut out).unwrap();
    assert_eq!(out, block);
    assert_eq!(fin("OK"), FinalCode::Ok);

    // With the state line the syntax table lists first.
    let with_state: &[u8] = b"+QSSLSTATE: \"IP PROCESSING\"\r\n\
+QSSLSTATE: 0,\"TCP\",\"106.12.79.254\",443,\"CONNECTED\",1\r\n";
    let resp = QsslstateExec::parse_response(with_state).expect("state line and one connection");
    assert_eq!(
        resp.line1,
        Some(QsslstateExecLine1 {
            state: State::IpProcessing,
        })
    );
    assert_eq!(resp.line2.len(), 1);
}

#[test]
fn ml302_2_10_urcs_recv_and_close_name_the_connection() {
    assert_eq!(
        urc(b"+QSSLURC: \"recv\",1,0"),
        Urc::Recv(Recv { cid: 1, ssid: 0 })
    );
    assert_eq!(
        urc(b"+QSSLURC: \"close\",0"),
        Urc::Closed(Closed { ssid: 0 })
    );
}

#[test]
fn ml302_2_5_connectcode_table_decodes_every_code() {
    let table: &[(i64, ConnectCode, &str)] = &[
        (0, ConnectCode::Success, "成功"),
        (-1, ConnectCode::Error, "错误"),
        (-2, ConnectCode::SocketInUse, "Socket 已被占用"),
    ];
    assert_eq!(table.len(), ConnectCode::ALL.len());
    for &(code, variant, zh) in table {
        assert_eq!(ConnectCode::from_value(code), Some(variant));
        assert_eq!(variant.value(), code);
        assert_eq!(variant.description_zh(), Some(zh));
    }
    assert_eq!(
        urc(b"+QSSLOPEN: 0,-2"),
        Urc::QsslopenResult(QsslopenResult {
            ssid: 0,
            connectcode: ConnectCode::SocketInUse,
        })
    );
}

#[test]
fn ml302_2_5_family_reports_the_connectcode_of_a_failed_open() {
    assert_eq!(CmiotMl302::urc_error(&urc(b"+QSSLOPEN: 0,-2")), Some(-2));
    assert_eq!(CmiotMl302::urc_error(&urc(b"+QSSLOPEN: 0,-1")), Some(-1));
    assert_eq!(CmiotMl302::urc_error(&urc(b"+QSSLOPEN: 0,0")), None);
}

// ---------------------------------------------------------------- 3

#[test]
fn ml302_3_pdp_commands_and_their_lines_are_not_ssl_items() {
    unknown_to_the_family(&["AT+CGDCONT=1,\"IP\",\"CMNET\"", "AT+CGACT=1,1"]);
    assert_eq!(final_code::parse(b"+CGACT: 1, 1, 10.127.79.43"), None);
    assert_eq!(fin("OK"), FinalCode::Ok);
}

#[test]
fn ml302_3_other_modules_lines_are_not_urcs_of_the_family() {
    // `Urc::parse` returns None for a frame that is none of the family's URCs.
    assert_eq!(Urc::parse(b"+CGACT: 1, 1, 10.127.79.43", false), None);
    assert_eq!(Urc::parse(b"OK", false), None);
    assert!(!CmiotMl302::URC_PREFIXES.contains(&""));
}

#[test]
fn ml302_3_session_configures_opens_sends_receives_and_closes() {
    // AT+QSSLCFG="seclevel",0,0 → OK
    let Request::QsslcfgSeclevel(cfg) = request("AT+QSSLCFG=\"seclevel\",0,0") else {
        panic!("not a seclevel write");
    };
    assert_eq!(
        cfg,
        QsslcfgSeclevel {
            ctxindex: 0,
            seclevel: Seclevel::NoAuthentication,
        }
    );
    assert_eq!(fin("OK"), FinalCode::Ok);

    // AT+QSSLOPEN=0,0,"www.iottest.work",443,0 → OK → +QSSLOPEN: 0,0
    let open = open_0_0();
    assert_eq!(fin("OK"), FinalCode::Ok);
    opened_0_0(&open);

    // AT+QSSLSEND=0 → > GET … → SEND OK (→ OK: erratum 3, a stray OK after SEND OK).
    let Request::Qsslsend(send) = request("AT+QSSLSEND=0") else {
        panic!("not a QSSLSEND write");
    };
    assert_eq!(send, Qsslsend { ssid: 0 });
    let get: &[u8] = b"GET https://www.iottest.work/test.html HTTP/1.1\r\nHost: www.iottest.work\r\nConnection: keep-alive\r\n\r\n";
    assert_eq!(send.data_phase().map(|d| d.end), Some(DataEnd::CtrlZ));
    assert!(!get.contains(&0x1A) && !get.contains(&0x1B));
    assert_eq!(fin("SEND OK"), FinalCode::SendOk);
    assert_eq!(fin("OK"), FinalCode::Ok);

    // Erratum 3 (spec): the manual prints +QSSLURC,"recv",1,0.
    assert_eq!(
        urc(b"+QSSLURC: \"recv\",1,0"),
        Urc::Recv(Recv { cid: 1, ssid: 0 })
    );

    // AT+QSSLRECV=1,0,1460 → +QSSLRECV: 106.12.79.254:443,TCP,434 <data> → OK
    read_1_0_1460();
    let data = http_response();
    let block = recv_block(&data);
    let resp = Qsslrecv::parse_response(&block).expect("the 434-byte read decodes");
    let line = resp.line1.expect("data was received");
    assert_eq!(
        line,
        QsslrecvLine1 {
            ipaddr: "106.12.79.254",
            port: 443,
            actuallength: 434,
            data: &data,
        }
    );
    assert!(line.data.starts_with(b"HTTP/1.1 200 OK\r\n"));
    assert!(line.data.ends_with(b"</html>\n"));
    assert_eq!(fin("OK"), FinalCode::Ok);

    // AT+QSSLCLOSE=0 → OK → 0,CLOSE OK
    let close = close_0();
    assert_eq!(fin("OK"), FinalCode::Ok);
    closed_0(&close);
}

// ---------------------------------------------------------------- parameter tables

#[test]
fn ml302_2_out_of_range_values_are_refused_naming_the_parameter_and_range() {
    let cases: &[(&str, &str)] = &[
        // 2.5 QSSLOPEN: <ssid> 0-5, <ctxindex> 0-5, <connectmode> 0/1, <timeout> 10-300.
        (
            "AT+QSSLOPEN=6,0,\"www.iottest.work\",443,0",
            "QSSLOPEN <ssid>=6 is out of range 0..=5 (cmiot-ml302)",
        ),
        (
            "AT+QSSLOPEN=0,6,\"www.iottest.work\",443,0",
            "QSSLOPEN <ctxindex>=6 is out of range 0..=5 (cmiot-ml302)",
        ),
        (
            "AT+QSSLOPEN=0,0,\"www.iottest.work\",443,2",
            "QSSLOPEN <connectmode>=2 is not an allowed value; allowed: 0 (Non-transparent), 1 (Transparent (the manual prints 透出, see errata)) (cmiot-ml302)",
        ),
        (
            "AT+QSSLOPEN=0,0,\"www.iottest.work\",443,0,9",
            "QSSLOPEN <timeout>=9 is out of range 10..=300 (cmiot-ml302)",
        ),
        (
            "AT+QSSLOPEN=0,0,\"www.iottest.work\",443,0,301",
            "QSSLOPEN <timeout>=301 is out of range 10..=300 (cmiot-ml302)",
        ),
        // 2.6 QSSLCLOSE: <ssid> 0-5, <closetype> 0-1.
        (
            "AT+QSSLCLOSE=6",
            "QSSLCLOSE <ssid>=6 is out of range 0..=5 (cmiot-ml302)",
        ),
        (
            "AT+QSSLCLOSE=0,2",
            "QSSLCLOSE <closetype>=2 is out of range 0..=1 (cmiot-ml302)",
        ),
        // 2.7 QSSLSEND: <ssid> 0-5.
        (
            "AT+QSSLSEND=6",
            "QSSLSEND <ssid>=6 is out of range 0..=5 (cmiot-ml302)",
        ),
        // 2.8 QSSLRECV: <cid> 0-1, <ssid> 0-5, <length> 1-1460.
        (
            "AT+QSSLRECV=2,0,1460",
            "QSSLRECV <cid>=2 is out of range 0..=1 (cmiot-ml302)",
        ),
        (
            "AT+QSSLRECV=1,6,1460",
            "QSSLRECV <ssid>=6 is out of range 0..=5 (cmiot-ml302)",
        ),
        (
            "AT+QSSLRECV=1,0,0",
            "QSSLRECV <length>=0 is out of range 1..=1460 (cmiot-ml302)",
        ),
        (
            "AT+QSSLRECV=1,0,1461",
            "QSSLRECV <length>=1461 is out of range 1..=1460 (cmiot-ml302)",
        ),
        // 2.2 - 2.4 <crtflag> 0-2.
        (
            "AT+QSECWRITE=3",
            "QSECWRITE <crtflag>=3 is not an allowed value; allowed: 0 (CA certificate), 1 (Client certificate), 2 (Client key) (cmiot-ml302)",
        ),
        (
            "AT+QSECREAD=3",
            "QSECREAD <crtflag>=3 is not an allowed value; allowed: 0 (CA certificate), 1 (Client certificate), 2 (Client key) (cmiot-ml302)",
        ),
        (
            "AT+QSECDEL=3",
            "QSECDEL <crtflag>=3 is not an allowed value; allowed: 0 (CA certificate), 1 (Client certificate), 2 (Client key) (cmiot-ml302)",
        ),
        // 2.1 QSSLCFG sub-commands.
        (
            "AT+QSSLCFG=\"seclevel\",6,2",
            "QSSLCFG <ctxindex>=6 is out of range 0..=5 (cmiot-ml302)",
        ),
        (
            "AT+QSSLCFG=\"seclevel\",0,3",
            "QSSLCFG <seclevel>=3 is not an allowed value; allowed: 0 (No authentication), 1 (Server authentication (the manual prints 服务器什么验证, see errata)), 2 (Mutual server and client authentication) (cmiot-ml302)",
        ),
        (
            "AT+QSSLCFG=\"sslversion\",0,5",
            "QSSLCFG <sslversion>=5 is not an allowed value; allowed: 0 (SSL3.0), 1 (TLS1.0), 2 (TLS1.1), 3 (TLS1.2), 4 (All supported) (cmiot-ml302)",
        ),
        (
            "AT+QSSLCFG=\"ignorertctime\",2",
            "QSSLCFG <ignorertctime>=2 is not an allowed value; allowed: 0 (Do not ignore), 1 (Ignore) (cmiot-ml302)",
        ),
        (
            "AT+QSSLCFG=\"https\",2",
            "QSSLCFG <httpsenable>=2 is not an allowed value; allowed: 0 (HTTPS off), 1 (HTTPS enabled) (cmiot-ml302)",
        ),
        (
            "AT+QSSLCFG=\"httpsctxi\",6",
            "QSSLCFG <httpsctxindex>=6 is out of range 0..=5 (cmiot-ml302)",
        ),
    ];
    refuses_all(cases);
}

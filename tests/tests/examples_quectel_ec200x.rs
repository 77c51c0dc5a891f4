//! Every example dialog of the EC200x & EC600x & EG912Y SSL 应用指导
//! (shared/seeds/000_267dfed5018dce7f.txt, chapter 3 "举例"; the command sections of
//! chapter 2 have no examples of their own), decoded and asserted field by field with the
//! generated `atgen::quectel_ec200x` API, plus the manual's result-code table (表 5) and the
//! out-of-range values of its parameter tables.
//!
//! The `//` comments of the examples are dropped. Every command line is checked three ways: `Request::parse` gives the
//! expected typed request (all fields), the typed request writes the same line back, and
//! the `Request` enum writes it back too.

use atgen::quectel_ec200x::*;
use atgen_runtime::{
    final_code, AtRequest, DataEnd, Family, FinalCode, RequestError, ValidationError,
};

const FAMILY: &str = "quectel-ec200x";

/// The command line as the typed request writes it (with its CR).
fn written<R: AtRequest>(r: &R) -> String {
    let mut v = Vec::new();
    r.write_line(&mut v).expect("a Vec never overflows");
    String::from_utf8(v).expect("command lines are ASCII")
}

/// Parses a command line of an example and checks that both the `Request` enum and the
/// typed request write it back exactly (plus CR).
fn request(line: &'static str) -> Request<'static> {
    let r =
        Request::parse(line.as_bytes()).unwrap_or_else(|e| panic!("{line:?} does not decode: {e}"));
    let mut v = Vec::new();
    r.write_line(&mut v).expect("a Vec never overflows");
    assert_eq!(String::from_utf8(v).unwrap(), format!("{line}\r"), "{r:?}");
    r
}

/// Checks the typed request writes `line` + CR.
fn writes_back<R: AtRequest>(r: &R, line: &str) {
    assert_eq!(written(r), format!("{line}\r"));
}

fn fin(line: &str) -> FinalCode<'_> {
    final_code::parse(line.as_bytes()).unwrap_or_else(|| panic!("{line:?} is no final code"))
}

fn urc(frame: &'static [u8]) -> Urc<'static> {
    match Urc::parse(frame, false) {
        Some(Ok(u)) => u,
        other => panic!(
            "{:?} is not a URC: {other:?}",
            String::from_utf8_lossy(frame)
        ),
    }
}

/// A line that follows a form's syntax but carries a value the manual's tables do not allow.
fn refused(line: &str) -> ValidationError {
    match Request::parse(line.as_bytes()) {
        Err(RequestError::Invalid(e)) => e,
        other => panic!("{line:?} should be refused as invalid, got {other:?}"),
    }
}

// ---------------------------------------------------------------- 3.1

#[test]
fn ec200x_3_1_pdp_context_commands_are_not_ssl_commands_and_end_with_ok() {
    // 3.1.1 - 3.1.3 use the TCP(IP) application note's commands; they are outside this
    // family, and the only responses are OK and the AT+QIACT? line (not an SSL line).
    for line in [
        "AT+QICSGP=1,1,\"UNINET\",\"\",\"\",1",
        "AT+QIACT=1",
        "AT+QIACT?",
        "AT+QIDEACT=1",
    ] {
        assert_eq!(
            Request::parse(line.as_bytes()),
            Err(RequestError::Unknown { family: FAMILY }),
            "{line}"
        );
    }
    assert_eq!(Urc::parse(b"+QIACT: 1,1,1,\"10.7.157.1\"", false), None);
    assert_eq!(final_code::parse(b"+QIACT: 1,1,1,\"10.7.157.1\""), None);
    assert_eq!(fin("OK"), FinalCode::Ok);
}

// ---------------------------------------------------------------- 3.2

#[test]
fn ec200x_3_2_configure_ssl_context_sets_version_cipher_seclevel_and_cacert() {
    let Request::QsslcfgSslversion(r) = request("AT+QSSLCFG=\"sslversion\",1,1") else {
        panic!("not a sslversion write");
    };
    assert_eq!(
        r,
        QsslcfgSslversion {
            ssl_ctx_id: 1,
            ssl_version: SslVersion::Tls1_0,
        }
    );
    assert_eq!(r.ssl_version.meaning(), "TLS 1.0");
    writes_back(&r, "AT+QSSLCFG=\"sslversion\",1,1");
    assert_eq!(QsslcfgSslversion::parse_response(b""), Ok(()));
    assert_eq!(fin("OK"), FinalCode::Ok);

    let Request::QsslcfgCiphersuite(r) = request("AT+QSSLCFG=\"ciphersuite\",1,0X0035") else {
        panic!("not a ciphersuite write");
    };
    assert_eq!(
        r,
        QsslcfgCiphersuite {
            ssl_ctx_id: 1,
            cipher_suites: CipherSuite::TlsRsaWithAes256CbcSha,
        }
    );
    assert_eq!(r.cipher_suites.value(), 0x0035);
    assert_eq!(
        r.cipher_suites.description(),
        "TLS_RSA_WITH_AES_256_CBC_SHA"
    );
    writes_back(&r, "AT+QSSLCFG=\"ciphersuite\",1,0X0035");
    assert_eq!(QsslcfgCiphersuite::parse_response(b""), Ok(()));
    assert_eq!(fin("OK"), FinalCode::Ok);

    let Request::QsslcfgSeclevel(r) = request("AT+QSSLCFG=\"seclevel\",1,1") else {
        panic!("not a seclevel write");
    };
    assert_eq!(
        r,
        QsslcfgSeclevel {
            ssl_ctx_id: 1,
            seclevel: Seclevel::ServerAuthentication,
        }
    );
    assert_eq!(r.seclevel.meaning(), "Perform server authentication");
    writes_back(&r, "AT+QSSLCFG=\"seclevel\",1,1");
    assert_eq!(QsslcfgSeclevel::parse_response(b""), Ok(()));
    assert_eq!(fin("OK"), FinalCode::Ok);

    let Request::QsslcfgCacert(r) = request("AT+QSSLCFG=\"cacert\",1,\"UFS:cacert.pem\"") else {
        panic!("not a cacert write");
    };
    assert_eq!(
        r,
        QsslcfgCacert {
            ssl_ctx_id: 1,
            cacertpath: "UFS:cacert.pem",
        }
    );
    writes_back(&r, "AT+QSSLCFG=\"cacert\",1,\"UFS:cacert.pem\"");
    assert_eq!(QsslcfgCacert::parse_response(b""), Ok(()));
    assert_eq!(fin("OK"), FinalCode::Ok);
}

// ---------------------------------------------------------------- 3.3 buffer access mode

#[test]
fn ec200x_3_3_1_open_in_buffer_mode_answers_ok_then_result_urc_and_state_lists_the_socket() {
    let Request::Qsslopen(open) = request("AT+QSSLOPEN=1,1,4,\"220.180.239.212\",8010,0") else {
        panic!("not a QSSLOPEN write");
    };
    assert_eq!(
        open,
        Qsslopen {
            pdp_ctx_id: 1,
            ssl_ctx_id: 1,
            client_id: 4,
            serveraddr: "220.180.239.212",
            server_port: 8010,
            access_mode: Some(AccessMode::Buffer),
        }
    );
    writes_back(&open, "AT+QSSLOPEN=1,1,4,\"220.180.239.212\",8010,0");
    assert!(!open.connects());
    assert!(open.expects_result_urc());
    // 150 s plus <negotiate_time> (default 300 s).
    assert_eq!(open.max_response().total_ms(|_| None), 450_000);
    assert_eq!(Qsslopen::parse_response(b""), Ok(()));
    assert_eq!(fin("OK"), FinalCode::Ok);

    let u = urc(b"+QSSLOPEN: 4,0");
    assert_eq!(
        u,
        Urc::QsslopenResult(QsslopenResult {
            client_id: 4,
            err: SslError::OperationSuccessful,
        })
    );
    assert!(open.is_result(&u));

    let Request::QsslstateExec(state) = request("AT+QSSLSTATE") else {
        panic!("not the QSSLSTATE execute form");
    };
    writes_back(&state, "AT+QSSLSTATE");
    let resp = QsslstateExec::parse_response(
        b"+QSSLSTATE: 4,\"SSLClient\",\"220.180.239.212\",8010,65344,2,1,4,0,\"usbmodem\",1\r\n",
    )
    .expect("the 3.3.1 QSSLSTATE list decodes");
    let lines: Vec<_> = resp.ssl_client.clone().collect();
    assert_eq!(
        lines,
        [QsslstateExecSslClient {
            client_id: 4,
            ip_address: "220.180.239.212",
            remote_port: 8010,
            local_port: 65344,
            socket_state: SocketState::Connected,
            pdp_ctx_id: 1,
            server_id: 4,
            access_mode: AccessMode::Buffer,
            at_port: "usbmodem",
            ssl_ctx_id: 1,
        }]
    );
    assert_eq!(fin("OK"), FinalCode::Ok);
}

#[test]
fn ec200x_3_3_2_1_send_variable_length_data_ends_with_ctrl_z_and_send_ok() {
    let Request::Qsslsend(r) = request("AT+QSSLSEND=4") else {
        panic!("not the variable-length QSSLSEND");
    };
    assert_eq!(r, Qsslsend { client_id: 4 });
    writes_back(&r, "AT+QSSLSEND=4");
    let phase = r.data_phase().expect("QSSLSEND has a data phase");
    assert_eq!(phase.end, DataEnd::CtrlZ);
    assert_eq!(phase.max_len, Some(1460));
    assert!(b"Test data from SSL".len() <= 1460);
    assert_eq!(Qsslsend::parse_response(b""), Ok(()));
    assert_eq!(fin("SEND OK"), FinalCode::SendOk);
}

#[test]
fn ec200x_3_3_2_2_send_fixed_length_data_of_18_bytes_answers_send_ok() {
    let Request::QsslsendFixedLength(r) = request("AT+QSSLSEND=4,18") else {
        panic!("not the fixed-length QSSLSEND");
    };
    assert_eq!(
        r,
        QsslsendFixedLength {
            client_id: 4,
            sendlen: 18,
        }
    );
    writes_back(&r, "AT+QSSLSEND=4,18");
    let phase = r.data_phase().expect("QSSLSEND has a data phase");
    assert_eq!(phase.end, DataEnd::Length(18));
    assert_eq!(b"Test data from SSL".len(), 18);
    assert_eq!(QsslsendFixedLength::parse_response(b""), Ok(()));
    assert_eq!(fin("SEND OK"), FinalCode::SendOk);
}

#[test]
fn ec200x_3_3_3_receive_in_buffer_mode_recv_urc_then_read_of_18_bytes() {
    // Socket 4 (<clientID> = 4) has received data.
    assert_eq!(
        urc(b"+QSSLURC: \"recv\",4"),
        Urc::Recv(Recv { client_id: 4 })
    );

    let Request::Qsslrecv(r) = request("AT+QSSLRECV=4,1500") else {
        panic!("not a QSSLRECV write");
    };
    assert_eq!(
        r,
        Qsslrecv {
            client_id: 4,
            readlen: 1500,
        }
    );
    writes_back(&r, "AT+QSSLRECV=4,1500");

    let resp = Qsslrecv::parse_response(b"+QSSLRECV: 18\r\nTest data from SSL\r\n")
        .expect("the 18-byte read decodes");
    assert_eq!(
        resp,
        QsslrecvResponse {
            have_readlen: 18,
            data: b"Test data from SSL",
        }
    );
    assert_eq!(fin("OK"), FinalCode::Ok);
}

#[test]
fn ec200x_3_3_3_second_read_of_an_empty_buffer_gives_have_readlen_0() {
    // The second read of example 3.3.3: "+QSSLRECV: 0  //缓冲区无数据。" The spec models it
    // as the one response line with <have_readlen>=0 and no <data>.
    let Request::Qsslrecv(r) = request("AT+QSSLRECV=4,1500") else {
        panic!("not a QSSLRECV write");
    };
    assert_eq!(
        r,
        Qsslrecv {
            client_id: 4,
            readlen: 1500,
        }
    );
    let empty = Qsslrecv::parse_response(b"+QSSLRECV: 0\r\n").expect("the empty read decodes");
    assert_eq!(
        empty,
        QsslrecvResponse {
            have_readlen: 0,
            data: b"",
        }
    );
    assert_eq!(fin("OK"), FinalCode::Ok);
}

#[test]
fn ec200x_3_3_4_close_waits_up_to_the_default_10_s_and_answers_ok() {
    let Request::Qsslclose(r) = request("AT+QSSLCLOSE=4") else {
        panic!("not a QSSLCLOSE write");
    };
    assert_eq!(
        r,
        Qsslclose {
            client_id: 4,
            close_timeout: None,
        }
    );
    writes_back(&r, "AT+QSSLCLOSE=4");
    // "Depending on the network, the maximum response time is 10 s": <close_timeout>
    // defaults to 10, in seconds while <close_time_mode>=0.
    assert_eq!(r.max_response().total_ms(|_| None), 10_000);
    assert_eq!(Qsslclose::parse_response(b""), Ok(()));
    assert_eq!(fin("OK"), FinalCode::Ok);
}

// ---------------------------------------------------------------- 3.4 direct push mode

#[test]
fn ec200x_3_4_1_open_in_direct_push_mode_answers_ok_then_result_urc_and_state() {
    // Erratum 3.4.1 (spec): the manual writes `AT+QSSLOPEN= 1,1,4,...` with a space after
    // "="; the syntax table and example 3.3.1 have none, and so does the spec.
    let Request::Qsslopen(open) = request("AT+QSSLOPEN=1,1,4,\"220.180.239.212\",8011,1") else {
        panic!("not a QSSLOPEN write");
    };
    assert_eq!(
        open,
        Qsslopen {
            pdp_ctx_id: 1,
            ssl_ctx_id: 1,
            client_id: 4,
            serveraddr: "220.180.239.212",
            server_port: 8011,
            access_mode: Some(AccessMode::DirectPush),
        }
    );
    writes_back(&open, "AT+QSSLOPEN=1,1,4,\"220.180.239.212\",8011,1");
    assert!(!open.connects());
    assert_eq!(fin("OK"), FinalCode::Ok);
    let u = urc(b"+QSSLOPEN: 4,0");
    assert_eq!(
        u,
        Urc::QsslopenResult(QsslopenResult {
            client_id: 4,
            err: SslError::OperationSuccessful,
        })
    );
    assert!(open.is_result(&u));

    let Request::QsslstateExec(_) = request("AT+QSSLSTATE") else {
        panic!("not the QSSLSTATE execute form");
    };
    let resp = QsslstateExec::parse_response(
        b"+QSSLSTATE: 4,\"SSLClient\",\"220.180.239.212\",8011,65047,2,1,4,1,\"usbmodem\",1\r\n",
    )
    .expect("the 3.4.1 QSSLSTATE list decodes");
    let lines: Vec<_> = resp.ssl_client.clone().collect();
    assert_eq!(
        lines,
        [QsslstateExecSslClient {
            client_id: 4,
            ip_address: "220.180.239.212",
            remote_port: 8011,
            local_port: 65047,
            socket_state: SocketState::Connected,
            pdp_ctx_id: 1,
            server_id: 4,
            access_mode: AccessMode::DirectPush,
            at_port: "usbmodem",
            ssl_ctx_id: 1,
        }]
    );
    assert_eq!(fin("OK"), FinalCode::Ok);
}

#[test]
fn ec200x_3_4_2_send_in_direct_push_mode_variable_then_fixed_length() {
    let Request::Qsslsend(r) = request("AT+QSSLSEND=4") else {
        panic!("not the variable-length QSSLSEND");
    };
    assert_eq!(r, Qsslsend { client_id: 4 });
    assert_eq!(r.data_phase().map(|d| d.end), Some(DataEnd::CtrlZ));
    assert_eq!(fin("SEND OK"), FinalCode::SendOk);

    let Request::QsslsendFixedLength(r) = request("AT+QSSLSEND=4,18") else {
        panic!("not the fixed-length QSSLSEND");
    };
    assert_eq!(
        r,
        QsslsendFixedLength {
            client_id: 4,
            sendlen: 18,
        }
    );
    assert_eq!(r.data_phase().map(|d| d.end), Some(DataEnd::Length(18)));
    assert_eq!(fin("SEND OK"), FinalCode::SendOk);
}

#[test]
fn ec200x_3_4_3_direct_push_urc_carries_18_bytes_of_payload() {
    let frame: &[u8] = b"+QSSLURC: \"recv\",4,18\r\nTest data from SSL";
    assert_eq!(
        urc(frame),
        Urc::RecvPush(RecvPush {
            client_id: 4,
            current_recvlength: 18,
            data: b"Test data from SSL",
        })
    );
    // Framing finds the payload after the header line, so it is never read as lines.
    assert_eq!(
        QuectelEc200x::probe_payload(frame, false),
        atgen_runtime::PayloadProbe::Payload {
            start: 23,
            len: 18,
            trailer: b"",
        }
    );
    let mut out = Vec::new();
    urc(frame).write_to(&mut out).unwrap();
    assert_eq!(out, b"+QSSLURC: \"recv\",4,18\r\nTest data from SSL\r\n");
}

#[test]
fn ec200x_3_4_4_close_in_direct_push_mode_answers_ok() {
    let Request::Qsslclose(r) = request("AT+QSSLCLOSE=4") else {
        panic!("not a QSSLCLOSE write");
    };
    assert_eq!(
        r,
        Qsslclose {
            client_id: 4,
            close_timeout: None,
        }
    );
    assert_eq!(r.max_response().total_ms(|_| None), 10_000);
    assert_eq!(fin("OK"), FinalCode::Ok);
}

// ---------------------------------------------------------------- 3.5 transparent mode

#[test]
fn ec200x_3_5_1_open_in_transparent_mode_answers_connect_then_no_carrier_and_ok() {
    // Erratum 3.4.1 (spec) also covers 3.5.1: `AT+QSSLOPEN= 1,...` loses its space.
    let Request::Qsslopen(open) = request("AT+QSSLOPEN=1,1,4,\"220.180.239.212\",8011,2") else {
        panic!("not a QSSLOPEN write");
    };
    assert_eq!(
        open,
        Qsslopen {
            pdp_ctx_id: 1,
            ssl_ctx_id: 1,
            client_id: 4,
            serveraddr: "220.180.239.212",
            server_port: 8011,
            access_mode: Some(AccessMode::Transparent),
        }
    );
    assert!(open.connects());
    assert!(!open.expects_result_urc());
    assert_eq!(fin("CONNECT"), FinalCode::Connect { rate: None });
    // After +++ the module answers OK; NO CARRIER reports that the server stopped.
    assert_eq!(fin("OK"), FinalCode::Ok);
    assert_eq!(fin("NO CARRIER"), FinalCode::NoCarrier);
    assert!(FinalCode::NoCarrier.is_error());
}

#[test]
fn ec200x_3_5_2_open_in_transparent_mode_to_receive_answers_connect() {
    // Erratum 3.4.1 (spec) also covers 3.5.2: `AT+QSSLOPEN= 1,...` loses its space.
    let Request::Qsslopen(open) = request("AT+QSSLOPEN=1,1,4,\"220.180.239.212\",8011,2") else {
        panic!("not a QSSLOPEN write");
    };
    assert_eq!(open.access_mode, Some(AccessMode::Transparent));
    assert_eq!(
        (open.pdp_ctx_id, open.ssl_ctx_id, open.client_id),
        (1, 1, 4)
    );
    assert_eq!(
        (open.serveraddr, open.server_port),
        ("220.180.239.212", 8011)
    );
    assert!(open.connects());
    assert_eq!(fin("CONNECT"), FinalCode::Connect { rate: None });
    assert_eq!(fin("OK"), FinalCode::Ok);
    assert_eq!(fin("NO CARRIER"), FinalCode::NoCarrier);
}

#[test]
fn ec200x_3_5_3_close_after_transparent_mode_answers_ok() {
    let Request::Qsslclose(r) = request("AT+QSSLCLOSE=4") else {
        panic!("not a QSSLCLOSE write");
    };
    assert_eq!(
        r,
        Qsslclose {
            client_id: 4,
            close_timeout: None,
        }
    );
    writes_back(&r, "AT+QSSLCLOSE=4");
    assert_eq!(fin("OK"), FinalCode::Ok);
}

// ---------------------------------------------------------------- 2.3 URCs, 5 error table

#[test]
fn ec200x_2_3_2_closed_urc_names_the_socket() {
    assert_eq!(
        urc(b"+QSSLURC: \"closed\",4"),
        Urc::Closed(Closed { client_id: 4 })
    );
}

#[test]
fn ec200x_5_error_table_decodes_every_code_with_its_meaning() {
    // 表 5: <err>, 结果码, 描述.
    let table: &[(i64, SslError, &str, &str)] = &[
        (
            0,
            SslError::OperationSuccessful,
            "Operation successful",
            "操作成功",
        ),
        (550, SslError::UnknownError, "Unknown error", "未知错误"),
        (
            551,
            SslError::OperationBlocked,
            "Operation blocked",
            "操作被阻止",
        ),
        (
            552,
            SslError::InvalidParameter,
            "Invalid parameter",
            "无效参数",
        ),
        (
            553,
            SslError::MemoryNotEnough,
            "Memory not enough",
            "内存不足",
        ),
        (
            554,
            SslError::CreateSocketFailed,
            "Create socket failed",
            "创建Socket失败",
        ),
        (
            555,
            SslError::OperationNotSupported,
            "Operation not supported",
            "不支持该操作",
        ),
        (
            556,
            SslError::SocketBindFailed,
            "Socket bind failed",
            "Socket绑定失败",
        ),
        (
            557,
            SslError::SocketListenFailed,
            "Socket listen failed",
            "Socket监听失败",
        ),
        (
            558,
            SslError::SocketWriteFailed,
            "Socket write failed",
            "Socket写入失败",
        ),
        (
            559,
            SslError::SocketReadFailed,
            "Socket read failed",
            "Socket读取失败",
        ),
        (
            560,
            SslError::SocketAcceptFailed,
            "Socket accept failed",
            "Socket接受失败",
        ),
        (
            561,
            SslError::OpenPdpContextFailed,
            "Open PDP context failed",
            "打开PDP上下文失败",
        ),
        (
            562,
            SslError::ClosePdpContextFailed,
            "Close PDP context failed",
            "关闭PDP上下文失败",
        ),
        (
            563,
            SslError::SocketIdentityHasBeenUsed,
            "Socket identity has been used",
            "Socket标识已被使用",
        ),
        (564, SslError::DnsBusy, "DNS busy", "DNS业务繁忙"),
        (
            565,
            SslError::DnsParseFailed,
            "DNS parse failed",
            "DNS解析失败",
        ),
        (
            566,
            SslError::SocketConnectionFailed,
            "Socket connection failed",
            "Socket连接失败",
        ),
        (
            567,
            SslError::SocketHasBeenClosed,
            "Socket has been closed",
            "Socket已关闭",
        ),
        (568, SslError::OperationBusy, "Operation busy", "操作繁忙"),
        (
            569,
            SslError::OperationTimeout,
            "Operation timeout",
            "操作超时",
        ),
        (
            570,
            SslError::PdpContextBreakDown,
            "PDP context break down",
            "PDP上下文崩溃",
        ),
        (571, SslError::CancelSend, "Cancel send", "取消发送"),
        (
            572,
            SslError::OperationNotAllowed,
            "Operation not allowed",
            "不允许操作",
        ),
        (
            573,
            SslError::ApnNotConfigured,
            "APN not configured",
            "未配置APN",
        ),
        (574, SslError::PortBusy, "Port busy", "端口繁忙"),
    ];
    assert_eq!(table.len(), SslError::ALL.len());
    for &(code, variant, meaning, zh) in table {
        assert_eq!(SslError::from_value(code), Some(variant));
        assert_eq!(variant.description_zh(), Some(zh));
        assert_eq!(variant.value(), code);
        assert_eq!(variant.description(), meaning);
        assert_eq!(variant.to_string(), format!("{code}: {meaning}"));
    }

    // A failed open reports the code in its result URC.
    assert_eq!(
        urc(b"+QSSLOPEN: 4,565"),
        Urc::QsslopenResult(QsslopenResult {
            client_id: 4,
            err: SslError::DnsParseFailed,
        })
    );
    assert_eq!(
        fin("+CME ERROR: 565"),
        FinalCode::CmeError(atgen_runtime::CmeCode::Numeric(565))
    );
}

#[test]
fn ec200x_5_family_explains_error_codes_and_failed_result_urcs() {
    // `Family::describe_error` / `Family::urc_error` are what the link uses to explain a
    // failure; the family declares `errors = ["quectel-lte-ssl-errors"]` (表 5).
    for &code in SslError::ALL.iter().filter(|&&c| c != 0) {
        assert_eq!(
            QuectelEc200x::describe_error(code),
            SslError::from_value(code).map(SslError::description),
            "{code}"
        );
    }
    assert_eq!(QuectelEc200x::describe_error(565), Some("DNS parse failed"));
    let failed = urc(b"+QSSLOPEN: 4,565");
    assert_eq!(QuectelEc200x::urc_error(&failed), Some(565));
    let opened = urc(b"+QSSLOPEN: 4,0");
    assert_eq!(QuectelEc200x::urc_error(&opened), None);
}

// ---------------------------------------------------------------- parameter tables

#[test]
fn ec200x_2_2_out_of_range_values_are_refused_naming_the_parameter_and_range() {
    let cases: &[(&str, &str)] = &[
        // 2.2.2 QSSLOPEN: <PDP_ctxID> 1-15, <SSL_ctxID> 0-5, <clientID> 0-11, <access_mode> 0/1/2.
        (
            "AT+QSSLOPEN=0,1,4,\"220.180.239.212\",8010,0",
            "QSSLOPEN <PDP_ctxID>=0 is out of range 1..=15 (quectel-ec200x)",
        ),
        (
            "AT+QSSLOPEN=16,1,4,\"220.180.239.212\",8010,0",
            "QSSLOPEN <PDP_ctxID>=16 is out of range 1..=15 (quectel-ec200x)",
        ),
        (
            "AT+QSSLOPEN=1,6,4,\"220.180.239.212\",8010,0",
            "QSSLOPEN <SSL_ctxID>=6 is out of range 0..=5 (quectel-ec200x)",
        ),
        (
            "AT+QSSLOPEN=1,1,12,\"220.180.239.212\",8010,0",
            "QSSLOPEN <clientID>=12 is out of range 0..=11 (quectel-ec200x)",
        ),
        (
            "AT+QSSLOPEN=1,1,4,\"220.180.239.212\",8010,3",
            "QSSLOPEN <access_mode>=3 is not an allowed value; allowed: 0, 1, 2 (quectel-ec200x)",
        ),
        // 2.2.3 QSSLSEND: <clientID> 0-11, <sendlen> 1-1460.
        (
            "AT+QSSLSEND=12",
            "QSSLSEND <clientID>=12 is out of range 0..=11 (quectel-ec200x)",
        ),
        (
            "AT+QSSLSEND=4,0",
            "QSSLSEND <sendlen>=0 is out of range 1..=1460 (quectel-ec200x)",
        ),
        (
            "AT+QSSLSEND=4,1461",
            "QSSLSEND <sendlen>=1461 is out of range 1..=1460 (quectel-ec200x)",
        ),
        // 2.2.4 QSSLRECV: <readlen> 1-1500.
        (
            "AT+QSSLRECV=4,0",
            "QSSLRECV <readlen>=0 is out of range 1..=1500 (quectel-ec200x)",
        ),
        (
            "AT+QSSLRECV=4,1501",
            "QSSLRECV <readlen>=1501 is out of range 1..=1500 (quectel-ec200x)",
        ),
        // 2.2.5 QSSLCLOSE: <close_timeout> 0-65535.
        (
            "AT+QSSLCLOSE=4,65536",
            "QSSLCLOSE <close_timeout>=65536 is out of range 0..=65535 (quectel-ec200x)",
        ),
        (
            "AT+QSSLCLOSE=12,10",
            "QSSLCLOSE <clientID>=12 is out of range 0..=11 (quectel-ec200x)",
        ),
        // 2.2.1 QSSLCFG sub-commands.
        (
            "AT+QSSLCFG=\"sslversion\",6,1",
            "QSSLCFG <SSL_ctxID>=6 is out of range 0..=5 (quectel-ec200x)",
        ),
        (
            "AT+QSSLCFG=\"sslversion\",1,5",
            "QSSLCFG <SSL_version>=5 is not an allowed value; allowed: 0, 1, 2, 3, 4 (quectel-ec200x)",
        ),
        (
            "AT+QSSLCFG=\"seclevel\",1,3",
            "QSSLCFG <seclevel>=3 is not an allowed value; allowed: 0, 1, 2 (quectel-ec200x)",
        ),
        (
            "AT+QSSLCFG=\"negotiatetime\",1,9",
            "QSSLCFG <negotiate_time>=9 is out of range 10..=300 (quectel-ec200x)",
        ),
        (
            "AT+QSSLCFG=\"negotiatetime\",1,301",
            "QSSLCFG <negotiate_time>=301 is out of range 10..=300 (quectel-ec200x)",
        ),
        (
            "AT+QSSLCFG=\"ignorelocaltime\",1,2",
            "QSSLCFG <ignore_ltime>=2 is not an allowed value; allowed: 0, 1 (quectel-ec200x)",
        ),
        (
            "AT+QSSLCFG=\"sni\",1,2",
            "QSSLCFG <SNI>=2 is not an allowed value; allowed: 0, 1 (quectel-ec200x)",
        ),
        (
            "AT+QSSLCFG=\"closetimemode\",1,2",
            "QSSLCFG <close_time_mode>=2 is not an allowed value; allowed: 0, 1 (quectel-ec200x)",
        ),
    ];
    for (line, message) in cases {
        let e = refused(line);
        assert_eq!(e.family, FAMILY, "{line}");
        assert_eq!(e.to_string(), *message, "{line}");
    }

    // A cipher suite that is not in Table 3 is refused with the table's codes.
    let e = refused("AT+QSSLCFG=\"ciphersuite\",1,0X0001");
    assert_eq!(e.param, "cipher_suites");
    assert!(
        e.to_string()
            .starts_with("QSSLCFG <cipher_suites>=1 is not an allowed value; allowed: 53, 47,"),
        "{e}"
    );
}

//! Every example dialog of the BC26&BC20 SSL 应用指导 V1.0
//! (shared/seeds/002_748a427e5c9f30a0.txt: 3.1 "双向认证的 SSL 功能", the only example; the
//! command sections of chapter 2 have none), decoded and asserted field by field with the
//! generated `atgen::quectel_bc26` API, plus the certificate upload responses, the inline
//! quoted payload of `+QSSLURC: "recv"`, the error table (表 4) and the out-of-range values
//! of the parameter tables.
//!
//! The `//` comments of the example are dropped. The dialog is one session; it is split into
//! one test per step below.

mod examples_common;

use atgen::quectel_bc26::*;
use atgen_runtime::{
    AtRequest, ChecksumKind, DataEnd, Digester, Family, FinalCode, Frame, PayloadProbe, Problem,
    Value, When,
};
use examples_common::{family_helpers, fin, writes_back};

family_helpers!(QuectelBc26, "quectel-bc26");

const ONLY_CONTEXT_1: &str =
    "目前仅支持<contextID>=1。(Currently only <contextID>=1 is supported.)";

// ---------------------------------------------------------------- 3.1, step by step

#[test]
fn bc26_3_1_qscclk_sleep_control_is_not_an_ssl_command() {
    // AT+QSCCLK=0 (disable sleep) opens the example and AT+QSCCLK=1 closes it; both answer OK.
    for line in ["AT+QSCCLK=0", "AT+QSCCLK=1"] {
        unknown_to_the_family(&[line]);
        assert_eq!(fin("OK"), FinalCode::Ok);
    }
}

#[test]
fn bc26_3_1_seclevel_2_configures_two_way_authentication() {
    // Erratum 3.1 (spec): the example writes AT+QSSLCFG=1,5,"secclevel",2; the sub-command
    // is "seclevel" (test and query-all responses, parameter table of 2.2.1).
    let Request::QsslcfgSeclevel(r) = request("AT+QSSLCFG=1,5,\"seclevel\",2") else {
        panic!("not a seclevel write");
    };
    assert_eq!(
        r,
        QsslcfgSeclevel {
            context_id: 1,
            connect_id: 5,
            seclevel: Seclevel::MutualAuthentication,
        }
    );
    assert_eq!(r.seclevel.value(), 2);
    writes_back(&r, "AT+QSSLCFG=1,5,\"seclevel\",2");
    assert_eq!(QsslcfgSeclevel::parse_response(b""), Ok(()));
    assert_eq!(fin("OK"), FinalCode::Ok);
    // The manual's misspelling is not a sub-command.
    assert!(Request::parse(b"AT+QSSLCFG=1,5,\"secclevel\",2").is_err());
}

#[test]
fn bc26_3_1_cacert_upload_answers_its_byte_count_1216() {
    let Request::QsslcfgCacert(r) = request("AT+QSSLCFG=1,5,\"cacert\"") else {
        panic!("not a cacert upload");
    };
    assert_eq!(
        r,
        QsslcfgCacert {
            context_id: 1,
            connect_id: 5,
        }
    );
    writes_back(&r, "AT+QSSLCFG=1,5,\"cacert\"");
    // ">": PEM text follows, ended by Ctrl+Z, after the recommended 500 ms wait.
    let phase = r.data_phase().expect("the upload has a data phase");
    assert_eq!(phase.end, DataEnd::CtrlZ);
    assert_eq!(phase.checksum, Some(ChecksumKind::ByteCount));
    assert_eq!(phase.prompt_wait_ms, 500);
    // <checksum> is the total byte count of the certificate entered (2.2.1). The manual does
    // not print the certificate, so 1216 cannot be recomputed here.
    assert_eq!(
        QsslcfgCacert::parse_response(b"+QSSLCFG: 1,5,\"cacert\",1216\r\n"),
        Ok(QsslcfgCacertResponse {
            context_id: 1,
            connect_id: 5,
            checksum: 1216,
        })
    );
    assert_eq!(fin("OK"), FinalCode::Ok);
}

#[test]
fn bc26_3_1_clientcert_upload_answers_its_byte_count_1224() {
    let Request::QsslcfgClientcert(r) = request("AT+QSSLCFG=1,5,\"clientcert\"") else {
        panic!("not a clientcert upload");
    };
    assert_eq!(
        r,
        QsslcfgClientcert {
            context_id: 1,
            connect_id: 5,
        }
    );
    writes_back(&r, "AT+QSSLCFG=1,5,\"clientcert\"");
    let phase = r.data_phase().expect("the upload has a data phase");
    assert_eq!(phase.end, DataEnd::CtrlZ);
    assert_eq!(phase.checksum, Some(ChecksumKind::ByteCount));
    // 1224 is the byte count of a certificate the manual does not print.
    assert_eq!(
        QsslcfgClientcert::parse_response(b"+QSSLCFG: 1,5,\"clientcert\",1224\r\n"),
        Ok(QsslcfgClientcertResponse {
            context_id: 1,
            connect_id: 5,
            checksum: 1224,
        })
    );
    assert_eq!(fin("OK"), FinalCode::Ok);
}

#[test]
fn bc26_3_1_clientkey_upload_answers_its_byte_count_1679() {
    let Request::QsslcfgClientkey(r) = request("AT+QSSLCFG=1,5,\"clientkey\"") else {
        panic!("not a clientkey upload");
    };
    assert_eq!(
        r,
        QsslcfgClientkey {
            context_id: 1,
            connect_id: 5,
        }
    );
    writes_back(&r, "AT+QSSLCFG=1,5,\"clientkey\"");
    let phase = r.data_phase().expect("the upload has a data phase");
    assert_eq!(phase.end, DataEnd::CtrlZ);
    assert_eq!(phase.checksum, Some(ChecksumKind::ByteCount));
    // 1679 is the byte count of a key the manual does not print (a typical PEM RSA-2048 key).
    assert_eq!(
        QsslcfgClientkey::parse_response(b"+QSSLCFG: 1,5,\"clientkey\",1679\r\n"),
        Ok(QsslcfgClientkeyResponse {
            context_id: 1,
            connect_id: 5,
            checksum: 1679,
        })
    );
    assert_eq!(fin("OK"), FinalCode::Ok);
}

#[test]
fn bc26_3_1_open_answers_ok_then_result_urc_1_5_0() {
    let Request::Qsslopen(open) = request("AT+QSSLOPEN=1,5,\"hf.quectel.com\",8164,0") else {
        panic!("not a QSSLOPEN write");
    };
    assert_eq!(
        open,
        Qsslopen {
            context_id: 1,
            connect_id: 5,
            host_name: "hf.quectel.com",
            port: 8164,
            connect_mode: ConnectMode::NonTransparent,
        }
    );
    writes_back(&open, "AT+QSSLOPEN=1,5,\"hf.quectel.com\",8164,0");
    assert!(!open.connects());
    assert!(open.expects_result_urc());
    // Determined by <timeout> of AT+QSSLCFG (default 90 s).
    assert_eq!(open.max_response().total_ms(|_| None), 90_000);
    assert_eq!(
        open.max_response()
            .total_ms(|p| (p == "timeout").then_some(120)),
        120_000
    );
    assert_eq!(Qsslopen::parse_response(b""), Ok(()));
    assert_eq!(fin("OK"), FinalCode::Ok);

    let u = urc(b"+QSSLOPEN: 1,5,0");
    assert_eq!(
        u,
        Urc::QsslopenResult(QsslopenResult {
            context_id: 1,
            connect_id: 5,
            err: SslError::OperationSuccessful,
        })
    );
    assert!(open.is_result(&u));
}

#[test]
fn bc26_3_1_send_variable_length_answers_ok_then_result_urc_1_5_0() {
    let Request::Qsslsend(send) = request("AT+QSSLSEND=1,5") else {
        panic!("not the variable-length QSSLSEND");
    };
    assert_eq!(
        send,
        Qsslsend {
            context_id: 1,
            connect_id: 5,
        }
    );
    writes_back(&send, "AT+QSSLSEND=1,5");
    let phase = send.data_phase().expect("QSSLSEND has a data phase");
    assert_eq!(phase.end, DataEnd::CtrlZ);
    assert_eq!(phase.prompt_wait_ms, 500);
    assert_eq!(
        phase.hex_when,
        Some(When {
            param: "send_data_format",
            equals: 1,
        })
    );
    assert_eq!(Qsslsend::parse_response(b""), Ok(()));
    assert_eq!(fin("OK"), FinalCode::Ok);

    // Erratum 2.2.3 (spec): the command section prints +QSSSEND; the example's +QSSLSEND holds.
    let u = urc(b"+QSSLSEND: 1,5,0");
    assert_eq!(
        u,
        Urc::QsslsendResult(QsslsendResult {
            context_id: 1,
            connect_id: 5,
            err: SslError::OperationSuccessful,
        })
    );
    assert!(send.is_result(&u));
}

#[test]
fn bc26_3_1_recv_urc_carries_ten_bytes_inline_in_quotes() {
    let frame: &'static [u8] = b"+QSSLURC: \"recv\",1,5,10,\"1234567890\"";
    assert_eq!(
        urc(frame),
        Urc::RecvPush(RecvPush {
            context_id: 1,
            connect_id: 5,
            length: 10,
            data: b"1234567890",
        })
    );
    let mut out = Vec::new();
    urc(frame).write_to(&mut out).unwrap();
    assert_eq!(out, b"+QSSLURC: \"recv\",1,5,10,\"1234567890\"\r\n");

    // Framing takes the payload by its length, right after the opening quote.
    match QuectelBc26::probe_payload(frame, false) {
        PayloadProbe::Payload {
            start,
            len,
            trailer,
        } => {
            assert_eq!(&frame[start..start + len], b"1234567890");
            assert!(trailer.starts_with(b"\""), "{trailer:?}");
        }
        other => panic!("no payload found: {other:?}"),
    }
    // From the wire: the digester hands the frame to the URC parser in one piece.
    let wire = b"+QSSLURC: \"recv\",1,5,10,\"1234567890\"\r\n";
    let mut d = Digester::new();
    let (f, _) = d.digest::<QuectelBc26>(wire, b"");
    let Frame::Payload { frame: f, data, .. } = f else {
        panic!("not a payload frame: {f:?}");
    };
    assert_eq!(data, b"1234567890");
    assert_eq!(
        QuectelBc26::parse_urc(f, false),
        Some(Ok(Urc::RecvPush(RecvPush {
            context_id: 1,
            connect_id: 5,
            length: 10,
            data: b"1234567890",
        })))
    );
}

#[test]
fn bc26_2_3_1_recv_urc_in_hex_format_carries_twice_the_length_in_hex_text() {
    // Not an example of the manual: the same ten bytes while <recv_data_format>=1 (2.3.1:
    // hex format, <length> 1~650 counts decoded bytes).
    let frame: &'static [u8] = b"+QSSLURC: \"recv\",1,5,10,\"31323334353637383930\"";
    let Some(Ok(Urc::RecvPush(u))) = Urc::parse(frame, true) else {
        panic!("hex recv URC does not decode");
    };
    assert_eq!(
        u,
        RecvPush {
            context_id: 1,
            connect_id: 5,
            length: 10,
            data: b"31323334353637383930",
        }
    );
    assert_eq!(
        atgen_runtime::Payload::new(u.data, true).to_vec().unwrap(),
        b"1234567890"
    );
}

#[test]
fn bc26_2_family_reads_hex_payloads_while_recv_data_format_is_1() {
    // `Family::PAYLOAD_HEX_WHEN` tells the link when the module's payloads are hex text;
    // for BC26 that is <recv_data_format>=1 (2.2.1 "dataformat", 2.3.1).
    assert_eq!(
        QuectelBc26::PAYLOAD_HEX_WHEN,
        Some(When {
            param: "recv_data_format",
            equals: 1,
        })
    );
}

#[test]
fn bc26_3_1_close_answers_ok_then_result_urc_1_5_0() {
    let Request::Qsslclose(close) = request("AT+QSSLCLOSE=1,5") else {
        panic!("not a QSSLCLOSE write");
    };
    assert_eq!(
        close,
        Qsslclose {
            context_id: 1,
            connect_id: 5,
        }
    );
    writes_back(&close, "AT+QSSLCLOSE=1,5");
    assert_eq!(close.max_response().total_ms(|_| None), 300);
    assert_eq!(Qsslclose::parse_response(b""), Ok(()));
    assert_eq!(fin("OK"), FinalCode::Ok);
    let u = urc(b"+QSSLCLOSE: 1,5,0");
    assert_eq!(
        u,
        Urc::QsslcloseResult(QsslcloseResult {
            context_id: 1,
            connect_id: 5,
            err: SslError::OperationSuccessful,
        })
    );
    assert!(close.is_result(&u));
}

// ---------------------------------------------------------------- 2.3.2, 4

#[test]
fn bc26_2_3_2_closed_urc_names_context_and_socket() {
    assert_eq!(
        urc(b"+QSSLURC: \"closed\",1,5"),
        Urc::Closed(Closed {
            context_id: 1,
            connect_id: 5,
        })
    );
}

#[test]
fn bc26_4_error_table_decodes_every_code_with_both_descriptions() {
    // 表 4: <err>, 英文描述, 中文描述.
    let table: &[(i64, SslError, &str, &str)] = &[
        (
            0,
            SslError::OperationSuccessful,
            "Operation successful",
            "执行成功",
        ),
        (-1, SslError::ExceptionError, "Exception error", "异常错误"),
        (
            -2,
            SslError::ConnectionError,
            "Connection error",
            "连接失败",
        ),
        (
            -3,
            SslError::CertError,
            "Cert error",
            "配置 CA 证书或客户端证书错误",
        ),
        (-4, SslError::KeyError, "Key error", "配置客户端密钥错误"),
        (
            -5,
            SslError::CipherError,
            "Cipher error",
            "配置加密套件错误",
        ),
        (-6, SslError::StateError, "State error", "状态错误"),
        (-7, SslError::TimeOut, "Time out", "执行超时"),
        (-9, SslError::OtherErrors, "Other errors", "其他错误"),
    ];
    assert_eq!(table.len(), SslError::ALL.len());
    for &(code, variant, en, zh) in table {
        assert_eq!(SslError::from_value(code), Some(variant));
        assert_eq!(variant.value(), code);
        assert_eq!(variant.description(), en);
        assert_eq!(variant.description_zh(), Some(zh));
        assert_eq!(variant.to_string(), format!("{code}: {en}"));
    }
    // A failed open, send and close report the code in their result URCs.
    assert_eq!(
        urc(b"+QSSLOPEN: 1,5,-3"),
        Urc::QsslopenResult(QsslopenResult {
            context_id: 1,
            connect_id: 5,
            err: SslError::CertError,
        })
    );
    assert_eq!(
        urc(b"+QSSLSEND: 1,5,-7"),
        Urc::QsslsendResult(QsslsendResult {
            context_id: 1,
            connect_id: 5,
            err: SslError::TimeOut,
        })
    );
    assert_eq!(
        urc(b"+QSSLCLOSE: 1,5,-6"),
        Urc::QsslcloseResult(QsslcloseResult {
            context_id: 1,
            connect_id: 5,
            err: SslError::StateError,
        })
    );
    // -8 is not in the table: kept, but not described.
    assert_eq!(SslError::from_value(-8), Some(SslError::Unknown(-8)));
    assert!(!SslError::Unknown(-8).is_known());
}

#[test]
fn bc26_4_family_explains_error_codes_and_failed_result_urcs() {
    for &code in SslError::ALL.iter().filter(|&&c| c != 0) {
        assert_eq!(
            QuectelBc26::describe_error(code),
            SslError::from_value(code).map(SslError::description),
            "{code}"
        );
    }
    assert_eq!(QuectelBc26::describe_error(-3), Some("Cert error"));
    assert_eq!(QuectelBc26::urc_error(&urc(b"+QSSLOPEN: 1,5,-3")), Some(-3));
    assert_eq!(QuectelBc26::urc_error(&urc(b"+QSSLSEND: 1,5,-7")), Some(-7));
    assert_eq!(
        QuectelBc26::urc_error(&urc(b"+QSSLCLOSE: 1,5,-6")),
        Some(-6)
    );
    assert_eq!(QuectelBc26::urc_error(&urc(b"+QSSLOPEN: 1,5,0")), None);
}

// ---------------------------------------------------------------- parameter tables

#[test]
fn bc26_2_2_out_of_range_values_are_refused_naming_the_parameter_and_range() {
    let not_only_1 = |c: &str| {
        format!(
            "{c} <contextID>=2 is not supported; supported: 1 (manual: {ONLY_CONTEXT_1}) (quectel-bc26)"
        )
    };
    let cases: Vec<(&str, String)> = vec![
        // 2.2.2 QSSLOPEN: <contextID> 1~3 (only 1 supported), <connectID> 0~5,
        // <connect_mode> 0/1 (only 0 supported).
        (
            "AT+QSSLOPEN=4,5,\"hf.quectel.com\",8164,0",
            "QSSLOPEN <contextID>=4 is out of range 1..=3 (quectel-bc26)".into(),
        ),
        (
            "AT+QSSLOPEN=0,5,\"hf.quectel.com\",8164,0",
            "QSSLOPEN <contextID>=0 is out of range 1..=3 (quectel-bc26)".into(),
        ),
        (
            "AT+QSSLOPEN=2,5,\"hf.quectel.com\",8164,0",
            not_only_1("QSSLOPEN"),
        ),
        (
            "AT+QSSLOPEN=1,6,\"hf.quectel.com\",8164,0",
            "QSSLOPEN <connectID>=6 is out of range 0..=5 (quectel-bc26)".into(),
        ),
        (
            "AT+QSSLOPEN=1,5,\"hf.quectel.com\",8164,2",
            "QSSLOPEN <connect_mode>=2 is not an allowed value; allowed: 0 (Non-transparent mode), 1 (Transparent mode) (quectel-bc26)"
                .into(),
        ),
        // 2.2.3 QSSLSEND: <send_length> 1~1460 in text format.
        (
            "AT+QSSLSEND=1,5,0",
            "QSSLSEND <send_length>=0 is out of range 1..=1460 (quectel-bc26)".into(),
        ),
        (
            "AT+QSSLSEND=1,5,1461",
            "QSSLSEND <send_length>=1461 is out of range 1..=1460 (quectel-bc26)".into(),
        ),
        (
            "AT+QSSLSEND=1,6",
            "QSSLSEND <connectID>=6 is out of range 0..=5 (quectel-bc26)".into(),
        ),
        ("AT+QSSLSEND=2,5", not_only_1("QSSLSEND")),
        // 2.2.4 QSSLCLOSE.
        (
            "AT+QSSLCLOSE=1,6",
            "QSSLCLOSE <connectID>=6 is out of range 0..=5 (quectel-bc26)".into(),
        ),
        (
            "AT+QSSLCLOSE=4,5",
            "QSSLCLOSE <contextID>=4 is out of range 1..=3 (quectel-bc26)".into(),
        ),
        // 2.2.1 QSSLCFG sub-commands.
        (
            "AT+QSSLCFG=1,5,\"seclevel\",3",
            "QSSLCFG <seclevel>=3 is not an allowed value; allowed: 0 (No authentication), 1 (One-way authentication (server authenticated; needs the CA certificate)), 2 (Two-way (mutual) authentication (needs the CA certificate, client certificate and client key)) (quectel-bc26)".into(),
        ),
        (
            "AT+QSSLCFG=1,5,\"sslversion\",5",
            "QSSLCFG <sslversion>=5 is not an allowed value; allowed: 0 (SSL 3.0), 1 (TLS 1.0), 2 (TLS 1.1), 3 (TLS 1.2), 4 (All protocols supported; the version actually used is negotiated with the server) (quectel-bc26)"
                .into(),
        ),
        (
            "AT+QSSLCFG=1,5,\"dataformat\",2,0",
            "QSSLCFG <send_data_format>=2 is not an allowed value; allowed: 0 (Text (character) format), 1 (Hexadecimal format) (quectel-bc26)"
                .into(),
        ),
        (
            "AT+QSSLCFG=1,5,\"dataformat\",0,2",
            "QSSLCFG <recv_data_format>=2 is not an allowed value; allowed: 0 (Text (character) format), 1 (Hexadecimal format) (quectel-bc26)"
                .into(),
        ),
        (
            "AT+QSSLCFG=1,5,\"timeout\",9",
            "QSSLCFG <timeout>=9 is out of range 10..=300 (quectel-bc26)".into(),
        ),
        (
            "AT+QSSLCFG=1,5,\"timeout\",301",
            "QSSLCFG <timeout>=301 is out of range 10..=300 (quectel-bc26)".into(),
        ),
        (
            "AT+QSSLCFG=1,5,\"debug\",5",
            "QSSLCFG <debug_level>=5 is not an allowed value; allowed: 0 (Print no debug log), 1 (Print Error-related debug log), 2 (Print State-related debug log), 3 (Print Info-related debug log), 4 (Print Detail-related debug log) (quectel-bc26)"
                .into(),
        ),
        (
            "AT+QSSLCFG=1,6,\"cacert\"",
            "QSSLCFG <connectID>=6 is out of range 0..=5 (quectel-bc26)".into(),
        ),
        ("AT+QSSLCFG=2,5,\"seclevel\",2", not_only_1("QSSLCFG")),
    ];
    refuses_all(&cases);

    // <connect_mode>=1 is in the table but not supported (2.2.2 备注 2).
    let e = refused("AT+QSSLOPEN=1,5,\"hf.quectel.com\",8164,1");
    assert_eq!(e.param, "connect_mode");
    assert_eq!(e.value, Value::Int(1));
    assert!(
        matches!(e.problem, Problem::NotSupported { supported: [0], .. }),
        "{e}"
    );
}

#[test]
fn bc26_2_2_3_send_length_is_1_to_730_while_send_data_format_is_hex() {
    // <send_length>: 文本字符串格式下范围：1~1460；十六进制格式下范围：1~730.
    let Request::QsslsendFixedLength(r) = request("AT+QSSLSEND=1,5,731") else {
        panic!("not the fixed-length QSSLSEND");
    };
    assert_eq!(
        r,
        QsslsendFixedLength {
            context_id: 1,
            connect_id: 5,
            send_length: 731,
        }
    );
    // Text format (the default, or <send_data_format>=0): 731 is fine.
    assert_eq!(r.validate(), Ok(()));
    assert_eq!(
        r.validate_in(&|p| (p == "send_data_format").then_some(0)),
        Ok(())
    );
    // Hex format: refused, naming the range and the setting that imposes it.
    let hex = |p: &str| (p == "send_data_format").then_some(1);
    let e = r.validate_in(&hex).unwrap_err();
    assert_eq!(
        e.to_string(),
        "QSSLSEND <send_length>=731 is out of range 1..=730 while <send_data_format>=1 (quectel-bc26)"
    );
    let ok = QsslsendFixedLength {
        send_length: 730,
        ..r
    };
    assert_eq!(ok.validate_in(&hex), Ok(()));
    // In hex format the data phase carries twice <send_length> hex characters.
    assert_eq!(
        ok.data_phase().and_then(|d| d.hex_when),
        Some(When {
            param: "send_data_format",
            equals: 1,
        })
    );
    assert_eq!(ok.data_phase().map(|d| d.end), Some(DataEnd::Length(730)));
}

//! The portable SSL socket over the BC26 dialog: `<contextID>,<connectID>`,
//! data pushed inline in URCs, QSSLSEND and QSSLCLOSE completed by result URCs,
//! certificates uploaded in QSSLCFG data mode.

mod socket_common;

use atgen::ssl::Bc26;
use atgen_runtime::link::script::ScriptTransport;
use atgen_runtime::socket::{AccessMode, CertKind, SecLevel, SocketError, SslConfig, TlsVersion};
use socket_common::*;

fn open(s: ScriptTransport) -> ScriptTransport {
    s.expect("AT+QSSLOPEN=1,0,\"example.com\",443,0\r")
        .reply("\r\nOK\r\n\r\n+QSSLOPEN: 1,0,0\r\n")
}

/// QSSLSEND with its length, `>`, the wire bytes, OK and `+QSSLSEND: 1,0,0`.
fn send(s: ScriptTransport, len: usize, wire: &[u8]) -> ScriptTransport {
    s.expect(format!("AT+QSSLSEND=1,0,{len}\r"))
        .reply("\r\n> ")
        .expect(wire)
        .reply("\r\nOK\r\n\r\n+QSSLSEND: 1,0,0\r\n")
}

#[test]
fn bc26_session_configures_opens_sends_with_result_urc_receives_inline_and_closes() {
    let cfg = SslConfig {
        ssl_version: Some(TlsVersion::All),
        seclevel: Some(SecLevel::None),
        negotiate_time: Some(60),
        // BC26 has no buffer mode: the socket uses push.
        access_mode: AccessMode::Buffer,
        ..config()
    };
    let mut s = socket::<Bc26>(cfg, |s| {
        let s = s
            .expect("AT+QSSLCFG=1,0,\"sslversion\",4\r")
            .reply("\r\nOK\r\n")
            .expect("AT+QSSLCFG=1,0,\"seclevel\",0\r")
            .reply("\r\nOK\r\n")
            .expect("AT+QSSLCFG=1,0,\"timeout\",60\r")
            .reply("\r\nOK\r\n")
            .expect("AT+QSSLCFG=1,0,\"dataformat\",0,0\r")
            .reply("\r\nOK\r\n");
        send(open(s), 5, b"hello")
            .reply("\r\n+QSSLURC: \"recv\",1,0,10,\"1234567890\"\r\n")
            .expect("AT+QSSLCLOSE=1,0\r")
            .reply("\r\nOK\r\n\r\n+QSSLCLOSE: 1,0,0\r\n")
    });
    s.connect("example.com", 443).unwrap();
    assert_eq!(s.access_mode(), AccessMode::Push);
    s.write(b"hello").unwrap();
    let mut buf = [0u8; 32];
    let n = s.read(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"1234567890");
    s.close().unwrap();
    assert_finished(&s);
}

#[test]
fn bc26_hex_format_sends_hex_text_in_730_byte_chunks_and_decodes_received_hex() {
    let data: Vec<u8> = (0..1000u32).map(|i| (i % 256) as u8).collect();
    let hex = |d: &[u8]| d.iter().map(|b| format!("{b:02X}")).collect::<String>();
    let cfg = SslConfig {
        hex_data: true,
        ..config()
    };
    let (a, b) = data.split_at(730);
    let (ha, hb) = (hex(a), hex(b));
    let mut s = socket::<Bc26>(cfg, |s| {
        let s = s
            .expect("AT+QSSLCFG=1,0,\"dataformat\",1,1\r")
            .reply("\r\nOK\r\n");
        let s = send(open(s), 730, ha.as_bytes());
        send(s, 270, hb.as_bytes()).reply("\r\n+QSSLURC: \"recv\",1,0,3,\"001AFF\"\r\n")
    });
    s.connect("example.com", 443).unwrap();
    s.write(&data).unwrap();
    let mut buf = [0u8; 8];
    let n = s.read(&mut buf).unwrap();
    assert_eq!(&buf[..n], [0x00, 0x1A, 0xFF]);
    assert_finished(&s);
}

#[test]
fn bc26_send_error_in_the_result_urc_reports_the_code_and_description() {
    let mut s = socket::<Bc26>(config(), |s| {
        open(s)
            .expect("AT+QSSLSEND=1,0,2\r")
            .reply("\r\n> ")
            .expect("hi")
            .reply("\r\nOK\r\n\r\n+QSSLSEND: 1,0,-2\r\n")
    });
    s.open("example.com", 443).unwrap();
    let e = s.write(b"hi").unwrap_err();
    assert_eq!(
        e.to_string(),
        "QSSLSEND failed: -2 Connection error (quectel-bc26)"
    );
}

#[test]
fn bc26_peer_close_gives_eof_after_the_data_and_needs_no_qsslclose() {
    let mut s = socket::<Bc26>(config(), |s| {
        open(s).reply("\r\n+QSSLURC: \"recv\",1,0,4,\"OK\r\n\"\r\n+QSSLURC: \"closed\",1,0\r\n")
    });
    s.open("example.com", 443).unwrap();
    assert_eq!(read_all(&mut s), b"OK\r\n");
    assert!(s.peer_closed());
    // 2.3.2: the module closes by itself; no AT+QSSLCLOSE is written.
    s.close().unwrap();
    assert_finished(&s);
}

#[test]
fn bc26_ca_certificate_upload_checks_the_byte_count() {
    let pem = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    let mut s = socket::<Bc26>(config(), |s| {
        s.expect("AT+QSSLCFG=1,0,\"cacert\"\r")
            .reply("\r\n> ")
            .expect([pem.as_slice(), b"\x1a"].concat())
            .reply(format!(
                "\r\n+QSSLCFG: 1,0,\"cacert\",{}\r\n\r\nOK\r\n",
                pem.len()
            ))
    });
    s.upload(CertKind::CaCert, pem).unwrap();
    assert_finished(&s);
}

#[test]
fn bc26_client_key_upload_with_a_wrong_byte_count_is_an_error() {
    let key = b"-----BEGIN PRIVATE KEY-----\nsecret\n-----END PRIVATE KEY-----\n";
    let mut s = socket::<Bc26>(config(), |s| {
        s.expect("AT+QSSLCFG=1,0,\"clientkey\"\r")
            .reply("\r\n> ")
            .expect([key.as_slice(), b"\x1a"].concat())
            .reply("\r\n+QSSLCFG: 1,0,\"clientkey\",3\r\n\r\nOK\r\n")
    });
    let e = s.upload(CertKind::ClientKey, key).unwrap_err();
    assert!(e.to_string().contains("checksum"), "{e}");
}

#[test]
fn bc26_refuses_options_it_has_no_command_for() {
    let cfg = SslConfig {
        cipher_suite: Some(0x0035),
        ..config()
    };
    let s = socket::<Bc26>(cfg, |s| s);
    let e = s.check("example.com", 443).unwrap_err();
    assert!(matches!(e, SocketError::Unsupported { .. }), "{e:?}");
    assert!(e.to_string().contains("quectel-bc26"), "{e}");
}

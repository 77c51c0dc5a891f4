//! The portable SSL socket over the ML302 dialog: `<ssid>`/`<ctxindex>`,
//! QSECWRITE certificates, Ctrl+Z sends, QSSLRECV=<cid>,<ssid>,<len>, and
//! QSSLCLOSE answered by OK and `<ssid>,CLOSE OK`.

mod socket_common;

use std::time::Duration;

use atgen::ssl::Ml302;
use atgen_runtime::link::script::ScriptTransport;
use atgen_runtime::socket::{AccessMode, CertKind, SecLevel, SocketError, SslConfig};
use atgen_runtime::wire::xor16;
use socket_common::*;

fn open(s: ScriptTransport) -> ScriptTransport {
    s.expect("AT+QSSLOPEN=0,1,\"example.com\",443,0\r")
        .reply("\r\nOK\r\n\r\n+QSSLOPEN: 0,0\r\n")
}

fn recv(s: ScriptTransport, data: &[u8]) -> ScriptTransport {
    let mut reply = Vec::new();
    if !data.is_empty() {
        reply.extend_from_slice(
            format!("\r\n+QSSLRECV: 1.2.3.4:443,TCP,{}\r\n", data.len()).as_bytes(),
        );
        reply.extend_from_slice(data);
        reply.extend_from_slice(b"\r\n");
    }
    reply.extend_from_slice(b"\r\nOK\r\n");
    s.expect("AT+QSSLRECV=1,0,1460\r").reply(reply)
}

#[test]
fn ml302_session_configures_opens_sends_reads_and_closes() {
    let cfg = SslConfig {
        seclevel: Some(SecLevel::None),
        // ML302 has no push mode: the socket reads with QSSLRECV.
        access_mode: AccessMode::Push,
        ..config()
    };
    let mut s = socket::<Ml302>(cfg, |s| {
        let s = s
            .expect("AT+QSSLCFG=\"seclevel\",1,0\r")
            .reply("\r\nOK\r\n");
        let s = open(s)
            .expect("AT+QSSLSEND=0\r")
            .reply("\r\n> ")
            .expect("hello\x1a")
            .reply("\r\nSEND OK\r\n\r\n+QSSLURC: \"recv\",1,0\r\n");
        let s = recv(s, b"world");
        recv(s, b"")
            .expect("AT+QSSLCLOSE=0\r")
            .reply("\r\nOK\r\n\r\n0,CLOSE OK\r\n")
    });
    s.connect("example.com", 443).unwrap();
    assert_eq!(s.access_mode(), AccessMode::Buffer);
    s.write(b"hello").unwrap();
    let mut buf = [0u8; 2000];
    let n = s.read(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"world");
    assert_eq!(
        s.read_within(&mut buf, Some(Duration::from_secs(1)))
            .unwrap(),
        None
    );
    s.close().unwrap();
    assert_finished(&s);
}

#[test]
fn ml302_refuses_data_with_ctrl_z_or_esc_before_sending_anything() {
    let mut s = socket::<Ml302>(config(), open);
    s.open("example.com", 443).unwrap();
    let mut data = vec![b'a'; 2000];
    data[1700] = 0x1A;
    let e = s.write(&data).unwrap_err();
    assert!(
        matches!(
            e,
            SocketError::Unsendable {
                byte: 0x1A,
                index: 1700,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("Ctrl+Z"), "{e}");
    assert!(
        !String::from_utf8_lossy(&s.link().transport().written()).contains("QSSLSEND"),
        "no chunk was sent"
    );
}

#[test]
fn ml302_received_data_with_final_codes_and_every_byte_value_is_read_by_length() {
    let data = nasty_payload();
    let mut s = socket::<Ml302>(config(), |s| {
        let s = open(s).reply("\r\n+QSSLURC: \"recv\",1,0\r\n");
        recv(recv(s, &data), b"")
    });
    s.open("example.com", 443).unwrap();
    assert_eq!(read_all(&mut s), data);
}

#[test]
fn ml302_certificate_upload_deletes_writes_with_xor16_and_points_the_context_at_it() {
    let pem = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    let mut s = socket::<Ml302>(config(), |s| {
        s.expect("AT+QSECDEL=0\r")
            .reply("\r\nERROR\r\n")
            .expect("AT+QSECWRITE=0\r")
            .reply("\r\n> ")
            .expect([pem.as_slice(), b"\x1a"].concat())
            .reply(format!(
                "\r\n+QSECWRITE: {},{:x}\r\n\r\nOK\r\n",
                pem.len(),
                xor16(pem)
            ))
            .expect("AT+QSSLCFG=\"cacert\",1,\"/caCrt.pem\"\r")
            .reply("\r\nOK\r\n")
    });
    s.upload(CertKind::CaCert, pem).unwrap();
    assert_finished(&s);
}

#[test]
fn ml302_failed_open_reports_the_connectcode_and_its_meaning() {
    let mut s = socket::<Ml302>(config(), |s| {
        s.expect("AT+QSSLOPEN=0,1,\"example.com\",443,0\r")
            .reply("\r\nOK\r\n\r\n+QSSLOPEN: 0,-2\r\n")
    });
    let e = s.open("example.com", 443).unwrap_err();
    assert_eq!(
        e.to_string(),
        "QSSLOPEN failed: -2 Socket already in use (cmiot-ml302)"
    );
}

#[test]
fn ml302_peer_close_urc_ends_reads_with_eof() {
    let mut s = socket::<Ml302>(config(), |s| {
        let s = open(s).reply("\r\n+QSSLURC: \"recv\",1,0\r\n\r\n+QSSLURC: \"close\",0\r\n");
        recv(recv(s, b"bye"), b"")
            .expect("AT+QSSLCLOSE=0\r")
            .reply("\r\nERROR\r\n")
    });
    s.open("example.com", 443).unwrap();
    assert_eq!(read_all(&mut s), b"bye");
    assert!(s.peer_closed());
    // The module's ERROR for a connection already gone is not an error here.
    s.close().unwrap();
    assert_finished(&s);
}

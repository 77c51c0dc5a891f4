//! The portable SSL socket over the Quectel LTE / WCDMA dialog (EC2x, EC200x,
//! UGxx), against scripted fake modules.

mod socket_common;

use std::time::Duration;

use atgen::ssl::{Ec200x, Ec2x, Ugxx};
use atgen_runtime::link::script::ScriptTransport;
use atgen_runtime::link::{Clock, ManualClock};
use atgen_runtime::socket::{
    AccessMode, CertKind, Dialect, Psk, SecLevel, SocketError, SocketState, SslConfig, TlsVersion,
};
use socket_common::*;

fn configured() -> SslConfig {
    SslConfig {
        ssl_version: Some(TlsVersion::Tls1_2),
        seclevel: Some(SecLevel::None),
        cipher_suite: Some(0xFFFF),
        negotiate_time: Some(300),
        ..config()
    }
}

fn configure_and_open_with(s: ScriptTransport, mode: u8, cipher: &str) -> ScriptTransport {
    s.expect("AT+QSSLCFG=\"sslversion\",1,3\r")
        .reply("\r\nOK\r\n")
        .expect("AT+QSSLCFG=\"seclevel\",1,0\r")
        .reply("\r\nOK\r\n")
        .expect(format!("AT+QSSLCFG=\"ciphersuite\",1,{cipher}\r"))
        .reply("\r\nOK\r\n")
        .expect("AT+QSSLCFG=\"negotiatetime\",1,300\r")
        .reply("\r\nOK\r\n")
        .expect(format!("AT+QSSLOPEN=1,1,0,\"example.com\",443,{mode}\r"))
        .reply("\r\nOK\r\n\r\n+QSSLOPEN: 0,0\r\n")
}

/// `cipher`: how the family writes cipher suite 0xFFFF (UGxx quotes it).
fn buffer_session<D: Dialect + Default>(cipher: &str) {
    let mut s = socket::<D>(configured(), |s| {
        let s = configure_and_open_with(s, 0, cipher);
        let s = quectel_send(s, 0, b"hello").reply("\r\n+QSSLURC: \"recv\",0\r\n");
        let s = quectel_recv(s, 0, 1500, b"world");
        let s = quectel_recv(s, 0, 1500, b"");
        s.expect("AT+QSSLCLOSE=0\r").reply("\r\nOK\r\n")
    });
    s.connect("example.com", 443).unwrap();
    assert!(s.is_open());
    assert_eq!(s.write(b"hello").unwrap(), 5);
    let mut buf = [0u8; 1500];
    assert_eq!(s.read(&mut buf).unwrap(), 5);
    assert_eq!(&buf[..5], b"world");
    // Drained: `+QSSLRECV: 0`, then nothing until the next "recv" URC.
    assert_eq!(
        s.read_within(&mut buf, Some(Duration::from_secs(1)))
            .unwrap(),
        None
    );
    s.close().unwrap();
    assert_eq!(s.state(), SocketState::Closed);
    assert_finished(&s);
}

#[test]
fn ec2x_buffer_mode_session_configures_opens_writes_reads_and_closes() {
    buffer_session::<Ec2x>("0XFFFF");
}

#[test]
fn ec200x_buffer_mode_session_configures_opens_writes_reads_and_closes() {
    buffer_session::<Ec200x>("0XFFFF");
}

#[test]
fn ugxx_buffer_mode_session_configures_opens_writes_reads_and_closes() {
    buffer_session::<Ugxx>("\"0XFFFF\"");
}

#[test]
fn buffer_mode_read_drains_until_qsslrecv_0_because_the_recv_urc_comes_once_per_drain() {
    let mut s = socket::<Ec2x>(config(), |s| {
        let s = s
            .expect("AT+QSSLOPEN=1,1,0,\"example.com\",443,0\r")
            .reply("\r\nOK\r\n\r\n+QSSLOPEN: 0,0\r\n\r\n+QSSLURC: \"recv\",0\r\n");
        // Read with a 4-byte buffer: three reads before the buffer is empty.
        let s = quectel_recv(s, 0, 4, b"abcd");
        let s = quectel_recv(s, 0, 4, b"ef");
        let s = quectel_recv(s, 0, 4, b"");
        // The next URC announces new data only after the drain.
        let s = s
            .wait(Duration::from_millis(300))
            .reply("\r\n+QSSLURC: \"recv\",0\r\n");
        let s = quectel_recv(s, 0, 4, b"gh");
        quectel_recv(s, 0, 4, b"")
    });
    s.open("example.com", 443).unwrap();
    let mut buf = [0u8; 4];
    let mut got = Vec::new();
    while let Ok(Some(n)) = s.read_within(&mut buf, Some(Duration::from_secs(1))) {
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(got, b"abcdefgh");
    assert_finished(&s);
}

#[test]
fn push_mode_data_arrives_in_recv_urcs_without_qsslrecv() {
    let cfg = SslConfig {
        access_mode: AccessMode::Push,
        ..config()
    };
    let mut s = socket::<Ec2x>(cfg, |s| {
        let s = s
            .expect("AT+QSSLOPEN=1,1,0,\"example.com\",443,1\r")
            .reply("\r\nOK\r\n\r\n+QSSLOPEN: 0,0\r\n");
        quectel_send(s, 0, b"ping")
            .reply("\r\n+QSSLURC: \"recv\",0,4\r\npong\r\n\r\n+QSSLURC: \"recv\",0,6\r\n\r\nOK\r\n\r\n")
            .expect("AT+QSSLCLOSE=0\r")
            .reply("\r\nOK\r\n")
    });
    s.open("example.com", 443).unwrap();
    assert_eq!(s.access_mode(), AccessMode::Push);
    s.write(b"ping").unwrap();
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"pong\r\nOK\r\n");
    s.close().unwrap();
    assert_finished(&s);
}

#[test]
fn a_write_larger_than_1460_bytes_is_split_into_fixed_length_sends() {
    let data: Vec<u8> = (0..3000u32).map(|i| (i % 251) as u8).collect();
    let mut s = socket::<Ec2x>(config(), |s| {
        let s = s
            .expect("AT+QSSLOPEN=1,1,0,\"example.com\",443,0\r")
            .reply("\r\nOK\r\n\r\n+QSSLOPEN: 0,0\r\n");
        let s = quectel_send(s, 0, &data[..1460]);
        let s = quectel_send(s, 0, &data[1460..2920]);
        quectel_send(s, 0, &data[2920..])
    });
    s.open("example.com", 443).unwrap();
    assert_eq!(s.write(&data).unwrap(), 3000);
    assert_finished(&s);
}

#[test]
fn send_fail_is_retried_with_a_doubling_backoff() {
    let clock_probe = std::cell::Cell::new(Duration::ZERO);
    let mut s = socket::<Ec2x>(config(), |s| {
        let s = s
            .expect("AT+QSSLOPEN=1,1,0,\"example.com\",443,0\r")
            .reply("\r\nOK\r\n\r\n+QSSLOPEN: 0,0\r\n");
        let s = s
            .expect("AT+QSSLSEND=0,2\r")
            .reply("\r\n> ")
            .expect("hi")
            .reply("\r\nSEND FAIL\r\n");
        let s = s
            .expect("AT+QSSLSEND=0,2\r")
            .reply("\r\n> ")
            .expect("hi")
            .reply("\r\nSEND FAIL\r\n");
        quectel_send(s, 0, b"hi")
    });
    s.open("example.com", 443).unwrap();
    let before = s.link().clock().now();
    clock_probe.set(before);
    s.write(b"hi").unwrap();
    let waited = s.link().clock().now() - clock_probe.get();
    assert!(
        waited >= Duration::from_millis(300),
        "backoff 100 + 200 ms, waited {waited:?}"
    );
    assert_finished(&s);
}

#[test]
fn send_fail_every_time_gives_up_after_the_configured_retries() {
    let cfg = SslConfig {
        send_retries: 1,
        ..config()
    };
    let mut s = socket::<Ec2x>(cfg, |s| {
        let mut s = s
            .expect("AT+QSSLOPEN=1,1,0,\"example.com\",443,0\r")
            .reply("\r\nOK\r\n\r\n+QSSLOPEN: 0,0\r\n");
        for _ in 0..2 {
            s = s
                .expect("AT+QSSLSEND=0,2\r")
                .reply("\r\n> ")
                .expect("hi")
                .reply("\r\nSEND FAIL\r\n");
        }
        s
    });
    s.open("example.com", 443).unwrap();
    let e = s.write(b"hi").unwrap_err();
    assert!(
        matches!(
            e,
            SocketError::SendFail {
                attempts: 2,
                sent: 0,
                total: 2,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("SEND FAIL 2 time(s)"), "{e}");
    assert_finished(&s);
}

#[test]
fn peer_close_ends_reads_with_eof_after_the_buffered_data() {
    let mut s = socket::<Ec2x>(config(), |s| {
        let s = s
            .expect("AT+QSSLOPEN=1,1,0,\"example.com\",443,0\r")
            .reply("\r\nOK\r\n\r\n+QSSLOPEN: 0,0\r\n")
            .reply("\r\n+QSSLURC: \"recv\",0\r\n\r\n+QSSLURC: \"closed\",0\r\n");
        let s = quectel_recv(s, 0, 1500, b"last words");
        let s = quectel_recv(s, 0, 1500, b"");
        s.expect("AT+QSSLCLOSE=0\r").reply("\r\nOK\r\n")
    });
    s.open("example.com", 443).unwrap();
    assert_eq!(read_all(&mut s), b"last words");
    assert!(s.peer_closed());
    let mut buf = [0u8; 8];
    assert_eq!(s.read(&mut buf).unwrap(), 0, "EOF stays EOF");
    let e = s.write(b"x").unwrap_err();
    assert!(matches!(e, SocketError::PeerClosed { .. }), "{e:?}");
    s.close().unwrap();
    assert_finished(&s);
}

#[test]
fn a_failed_open_reports_the_module_code_and_the_manuals_description() {
    let mut s = socket::<Ec2x>(config(), |s| {
        s.expect("AT+QSSLOPEN=1,1,0,\"example.com\",443,0\r")
            .reply("\r\nOK\r\n\r\n+QSSLOPEN: 0,566\r\n")
    });
    let e = s.open("example.com", 443).unwrap_err();
    assert_eq!(
        e.to_string(),
        "QSSLOPEN failed: 566 Socket connection failed (quectel-ec2x)"
    );
    assert_eq!(e.module_code(), Some("566"));
    assert!(!s.is_open());
}

#[test]
fn a_cme_error_on_open_reports_the_code_and_description() {
    let mut s = socket::<Ec200x>(config(), |s| {
        s.expect("AT+QSSLOPEN=1,1,0,\"example.com\",443,0\r")
            .reply("\r\n+CME ERROR: 563\r\n")
    });
    let e = s.open("example.com", 443).unwrap_err();
    assert_eq!(
        e.to_string(),
        "QSSLOPEN failed: 563 Socket identity has been used (quectel-ec200x)"
    );
}

#[test]
fn out_of_range_ids_are_refused_before_anything_is_written() {
    let cfg = SslConfig {
        ssl_ctx: 9,
        ..configured()
    };
    let mut s = socket::<Ec2x>(cfg, |s| s);
    let e = s.connect("example.com", 443).unwrap_err();
    assert!(e.is_usage(), "{e:?}");
    assert!(e.to_string().contains("SSL_ctxID"), "{e}");
    assert!(s.link().transport().written().is_empty());
}

#[test]
fn payloads_with_final_codes_urc_text_and_every_byte_value_round_trip() {
    let data = nasty_payload();
    let mut s = socket::<Ec2x>(config(), |s| {
        let s = s
            .expect("AT+QSSLOPEN=1,1,0,\"example.com\",443,0\r")
            .reply("\r\nOK\r\n\r\n+QSSLOPEN: 0,0\r\n");
        let s = quectel_send(s, 0, &data).reply("\r\n+QSSLURC: \"recv\",0\r\n");
        let s = quectel_recv(s, 0, 1500, &data);
        quectel_recv(s, 0, 1500, b"")
    });
    s.open("example.com", 443).unwrap();
    s.write(&data).unwrap();
    assert_eq!(read_all(&mut s), data);
    assert!(!s.peer_closed(), "a close URC inside the data is data");
    assert_finished(&s);
}

#[test]
fn urcs_of_other_connections_stay_in_the_links_queue() {
    let mut s = socket::<Ec2x>(config(), |s| {
        s.expect("AT+QSSLOPEN=1,1,0,\"example.com\",443,0\r")
            .reply("\r\nOK\r\n\r\n+QSSLURC: \"closed\",3\r\n\r\n+QSSLOPEN: 0,0\r\n\r\n+QSSLURC: \"recv\",5\r\n")
    });
    s.open("example.com", 443).unwrap();
    let mut buf = [0u8; 8];
    assert_eq!(
        s.read_within(&mut buf, Some(Duration::from_millis(10)))
            .unwrap(),
        None
    );
    assert!(!s.peer_closed());
    let others: Vec<String> = s.link_mut().drain_urcs().map(|u| u.text()).collect();
    assert_eq!(others, ["+QSSLURC: \"closed\",3", "+QSSLURC: \"recv\",5"]);
}

#[test]
fn the_psk_is_configured_and_registered_as_a_secret() {
    let cfg = SslConfig {
        psk: Some(Psk {
            identity: "me".into(),
            key: "0123abcd".into(),
        }),
        ..config()
    };
    assert!(!format!("{:?}", cfg.psk).contains("0123abcd"));
    let mut s = socket::<Ec2x>(cfg, |s| {
        s.expect("AT+QSSLCFG=\"psk\",1,\"me\",\"0123abcd\"\r")
            .reply("\r\nOK\r\n")
    });
    s.configure().unwrap();
    assert_finished(&s);
}

#[test]
fn certificate_upload_is_refused_with_a_hint_where_the_family_takes_file_paths() {
    let mut s = socket::<Ugxx>(config(), |s| s);
    let e = s.upload(CertKind::CaCert, b"-----BEGIN").unwrap_err();
    assert!(e.is_usage());
    assert!(e.to_string().contains("AT+QFUPL"), "{e}");
}

#[test]
fn reads_before_open_say_the_connection_is_not_open() {
    let mut s = socket::<Ec2x>(config(), |s| s);
    let e = s.read(&mut [0u8; 4]).unwrap_err();
    assert!(e.to_string().contains("not open"), "{e}");
    let e = s.write(b"x").unwrap_err();
    assert!(matches!(e, SocketError::NotOpen { .. }), "{e:?}");
}

#[test]
fn std_io_read_and_write_work_on_the_socket() {
    use std::io::{Read, Write};
    let mut s = socket::<Ec2x>(config(), |s| {
        let s = s
            .expect("AT+QSSLOPEN=1,1,0,\"example.com\",443,0\r")
            .reply("\r\nOK\r\n\r\n+QSSLOPEN: 0,0\r\n");
        quectel_send(s, 0, b"abc").reply("\r\n+QSSLURC: \"closed\",0\r\n")
    });
    s.open("example.com", 443).unwrap();
    s.write_all(b"abc").unwrap();
    s.flush().unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    assert!(out.is_empty());
    let _ = ManualClock::new();
}

#[test]
fn ec2x_rdy_during_a_session_is_reported_as_a_restart() {
    let mut s = socket::<Ec2x>(config(), |s| {
        s.expect("AT+QSSLOPEN=1,1,0,\"example.com\",443,0\r")
            .reply("\r\nOK\r\n\r\n+QSSLOPEN: 0,0\r\n")
            .reply("\r\nRDY\r\n")
    });
    s.open("example.com", 443).unwrap();
    let mut buf = [0u8; 16];
    let e = s
        .read_within(&mut buf, Some(Duration::from_secs(1)))
        .unwrap_err();
    assert!(
        matches!(e, atgen_runtime::socket::SocketError::Rebooted { .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("the module restarted (RDY)"), "{e}");
    assert!(!s.is_open(), "the connection is gone after a restart");
}

#[test]
fn a_result_urc_in_the_same_read_as_ok_completes_the_open_without_waiting() {
    // Module time passes only while the link waits for bytes: a result URC
    // already buffered behind OK must end the open at once, not after the
    // manual's maximum response time.
    let mut s = socket::<Ec2x>(config(), |s| {
        s.expect("AT+QSSLOPEN=1,1,0,\"example.com\",443,0\r")
            .reply("\r\nOK\r\n\r\n+QSSLOPEN: 0,563\r\n")
    });
    let start = s.link().clock().now();
    let e = s.open("example.com", 443).unwrap_err();
    assert_eq!(e.module_code(), Some("563"));
    assert_eq!(s.link().clock().now(), start, "no wait for more bytes");
}

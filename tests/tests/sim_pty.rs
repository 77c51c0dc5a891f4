//! The simulator on a PTY, opened by a host exactly like a serial device:
//! `atgen_runtime::link::Link::open(path, 115200)` (serialport).

#![cfg(unix)]

use std::time::{Duration, Instant};

use atgen::quectel_ec2x::{Family, QsslcfgSslversionQuery, SslVersion};
use atgen::sim::{Options, Simulator};
use atgen_runtime::link::{Link, SerialTransport, Transport};

#[test]
fn pty_slave_opens_with_link_open_and_answers_at_with_ok() {
    let sim = Simulator::spawn_pty("quectel-ec2x", Options::default()).expect("a PTY");
    let path = sim.pty_path().expect("a slave path").display().to_string();
    assert!(path.starts_with("/dev/"), "{path}");
    let mut link: Link<SerialTransport, Family> = match Link::open(&path, 115_200) {
        Ok(l) => l,
        Err(e) => panic!("serialport cannot open the PTY slave {path}: {e:?}"),
    };

    link.transport_mut().write_all(b"AT\r").unwrap();
    let mut got = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(2);
    while !got.windows(4).any(|w| w == b"OK\r\n") && Instant::now() < deadline {
        let mut buf = [0u8; 64];
        let n = link
            .transport_mut()
            .read(&mut buf, Duration::from_millis(100))
            .unwrap();
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(got, b"\r\nOK\r\n");

    let r = link
        .execute_timeout(
            &QsslcfgSslversionQuery { ssl_ctx_id: 0 },
            Duration::from_secs(2),
        )
        .unwrap();
    assert_eq!(r.response().unwrap().ssl_version, SslVersion::All);
    drop(link);
    sim.stop();
}

//! Helpers for the socket tests: a socket over a scripted fake module and a
//! manual clock, so no test waits for a real timeout.
#![allow(dead_code)]

use std::time::Duration;

use atgen_runtime::link::script::ScriptTransport;
use atgen_runtime::link::{Link, ManualClock};
use atgen_runtime::socket::{Dialect, SslConfig, SslSocket};

pub type TestSocket<D> = SslSocket<ScriptTransport, D, ManualClock>;

/// A configuration whose reads give up after 2 s of (manual) silence.
pub fn config() -> SslConfig {
    SslConfig {
        read_timeout: Some(Duration::from_secs(2)),
        ..SslConfig::default()
    }
}

pub fn socket<D: Dialect + Default>(
    config: SslConfig,
    build: impl FnOnce(ScriptTransport) -> ScriptTransport,
) -> TestSocket<D> {
    let clock = ManualClock::new();
    let link = Link::with_clock(build(ScriptTransport::new(clock.clone())), clock);
    SslSocket::new(link, D::default(), config)
}

/// Panics unless every scripted step was played and every write matched.
pub fn assert_finished<D: Dialect>(s: &TestSocket<D>) {
    let (rest, failure) = s.link().transport().remaining();
    assert!(
        rest.is_empty() && failure.is_none(),
        "script not played: {rest:?}, failure: {failure:?}"
    );
}

/// Reads until EOF or a read timeout; the bytes read.
pub fn read_all<D: Dialect>(s: &mut TestSocket<D>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(Some(n)) = s.read_within(&mut buf, Some(Duration::from_secs(2))) {
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    out
}

/// A fixed-length QSSLSEND exchange of the Quectel LTE families.
pub fn quectel_send(s: ScriptTransport, client: u8, data: &[u8]) -> ScriptTransport {
    s.expect(format!("AT+QSSLSEND={client},{}\r", data.len()))
        .reply("\r\n> ")
        .expect(data)
        .reply("\r\nSEND OK\r\n")
}

/// `+QSSLRECV: <n>\r\n<data>\r\n\r\nOK\r\n` for a QSSLRECV of `readlen`.
pub fn quectel_recv(
    s: ScriptTransport,
    client: u8,
    readlen: usize,
    data: &[u8],
) -> ScriptTransport {
    let mut reply = format!("\r\n+QSSLRECV: {}\r\n", data.len()).into_bytes();
    reply.extend_from_slice(data);
    reply.extend_from_slice(b"\r\n\r\nOK\r\n");
    s.expect(format!("AT+QSSLRECV={client},{readlen}\r"))
        .reply(reply)
}

/// Every byte value, and text that looks like final codes and URCs.
pub fn nasty_payload() -> Vec<u8> {
    let mut d: Vec<u8> = b"\r\nOK\r\nERROR\r\n+QSSLURC: \"closed\",0\r\nSEND FAIL\r\n> ".to_vec();
    d.extend(0..=255u8);
    d
}

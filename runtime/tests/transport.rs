//! Real byte streams: the reader thread gives blocking streams timeouts.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use atgen_runtime::link::{Link, LinkError, StreamTransport, Transport};
use common::{Ec2x, QsslRecv};

#[test]
fn a_silent_stream_times_out_after_the_short_limit() {
    let (a, _b) = UnixStream::pair().unwrap();
    let mut t = StreamTransport::new(a.try_clone().unwrap(), a);
    let start = Instant::now();
    let mut buf = [0u8; 8];
    assert_eq!(t.read(&mut buf, Duration::from_millis(30)).unwrap(), 0);
    assert!(start.elapsed() >= Duration::from_millis(30));
}

#[test]
fn a_closed_stream_is_an_error_not_silence() {
    let (a, b) = UnixStream::pair().unwrap();
    drop(b);
    let mut t = StreamTransport::new(a.try_clone().unwrap(), a);
    let mut buf = [0u8; 8];
    assert!(t.read(&mut buf, Duration::from_secs(5)).is_err());
    assert!(t.read(&mut buf, Duration::from_secs(5)).is_err());
}

#[test]
fn a_dialog_runs_over_a_tcp_stream() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let module = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut line = Vec::new();
        let mut b = [0u8; 1];
        while !line.ends_with(b"\r") {
            s.read_exact(&mut b).unwrap();
            line.push(b[0]);
        }
        assert_eq!(line, b"AT+QSSLRECV=1,1500\r");
        for part in [&b"\r\n+QSSLRECV: 4\r\nO"[..], b"K\r\n", b"\r\n\r\nOK\r\n"] {
            s.write_all(part).unwrap();
            s.flush().unwrap();
            std::thread::sleep(Duration::from_millis(5));
        }
        s
    });
    let t = StreamTransport::tcp(TcpStream::connect(addr).unwrap()).unwrap();
    let mut link: Link<_, Ec2x> = Link::new(t);
    let reply = link
        .execute(&QsslRecv {
            client: 1,
            len: 1500,
        })
        .unwrap();
    assert_eq!(reply.response().unwrap().wire(), b"OK\r\n");
    let _keep_open = module.join().unwrap();
}

#[test]
fn a_module_that_never_answers_times_out_with_the_given_limit() {
    let (a, _b) = UnixStream::pair().unwrap();
    let mut link: Link<_, Ec2x> = Link::new(StreamTransport::new(a.try_clone().unwrap(), a));
    let err = link
        .execute_timeout(&QsslRecv { client: 1, len: 10 }, Duration::from_millis(40))
        .unwrap_err();
    assert!(
        matches!(err, LinkError::Timeout { waited, .. } if waited == Duration::from_millis(40)),
        "{err}"
    );
}

#[test]
fn opening_a_missing_serial_device_says_which() {
    let err = Link::<_, Ec2x>::open("/dev/atgen-no-such-tty", 115_200)
        .err()
        .unwrap();
    assert!(err.to_string().contains("/dev/atgen-no-such-tty"), "{err}");
}

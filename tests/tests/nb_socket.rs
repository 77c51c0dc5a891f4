//! The blocking `no_std` driver's SSL socket (`atgen_runtime::nb::SslSocket`)
//! over the generated dialects, against a scripted `embedded-io` port on a
//! manual clock: (what the module sends, what the socket makes of it).

use std::time::Duration;

use atgen::ssl::{Bc26, Ec2x, Ml302};
use atgen_runtime::dialog::{Dialect, Options, SockError, SocketState};
use atgen_runtime::driver::SocketError;
use atgen_runtime::link::ManualClock;
use atgen_runtime::nb::script::ScriptPort;
use atgen_runtime::nb::{Clock as _, Modem, SslSocket};

type Socket<D> = SslSocket<'static, ScriptPort, ManualClock, D, 512>;

fn socket<D: Dialect + Default>(
    options: Options<'static>,
    build: impl FnOnce(ScriptPort) -> ScriptPort,
) -> Socket<D> {
    let clock = ManualClock::new();
    let modem: Modem<ScriptPort, ManualClock, D::Family> =
        Modem::new(build(ScriptPort::new(clock.clone())), clock);
    let mut s = Socket::<D>::new(modem, D::default(), options);
    s.set_read_timeout(Some(Duration::from_secs(2)));
    s
}

fn finished<D: Dialect>(s: &Socket<D>) {
    let port = s.modem().port();
    assert!(port.finished(), "script not played: {:?}", port.remaining());
}

const OPEN: &str = "AT+QSSLOPEN=1,1,0,\"example.com\",443,0\r";

fn ec2x_open(s: ScriptPort) -> ScriptPort {
    s.expect(OPEN).reply("\r\nOK\r\n\r\n+QSSLOPEN: 0,0\r\n")
}

fn ec2x_send(s: ScriptPort, data: &str, answer: &str) -> ScriptPort {
    s.expect(format!("AT+QSSLSEND=0,{}\r", data.len()))
        .reply("\r\n> ")
        .expect(data)
        .reply(answer)
}

#[test]
fn ec2x_buffer_mode_session_opens_writes_drains_the_buffer_and_closes() {
    let mut s = socket::<Ec2x>(Options::default(), |s| {
        let s = ec2x_open(s);
        ec2x_send(s, "hello", "\r\nSEND OK\r\n\r\n+QSSLURC: \"recv\",0\r\n")
            .expect("AT+QSSLRECV=0,5\r")
            .reply("\r\n+QSSLRECV: 5\r\nworld\r\n\r\nOK\r\n")
            .expect("AT+QSSLRECV=0,1500\r")
            .reply("\r\n+QSSLRECV: 0\r\n\r\nOK\r\n")
            .expect("AT+QSSLCLOSE=0\r")
            .reply("\r\nOK\r\n")
    });
    s.connect("example.com", 443).expect("open");
    assert_eq!(s.write(b"hello").expect("send"), 5);
    let mut five = [0u8; 5];
    assert_eq!(s.read(&mut five).expect("read"), 5);
    assert_eq!(&five, b"world");
    // Drained: `+QSSLRECV: 0`, then nothing until the next "recv" URC.
    let mut buf = [0u8; 1500];
    assert_eq!(
        s.read_within(&mut buf, Some(Duration::from_secs(1))),
        Ok(None)
    );
    s.close().expect("close");
    assert_eq!(s.state(), SocketState::Closed);
    finished(&s);
}

#[test]
fn ec2x_send_fail_is_retried_after_the_backoff() {
    let mut s = socket::<Ec2x>(Options::default(), |s| {
        let s = ec2x_open(s);
        let s = ec2x_send(s, "hi", "\r\nSEND FAIL\r\n");
        ec2x_send(s, "hi", "\r\nSEND OK\r\n")
    });
    s.connect("example.com", 443).expect("open");
    let before = s.modem().clock().now();
    assert_eq!(s.write(b"hi").expect("sent on the second try"), 2);
    assert!(s.modem().clock().now() - before >= Duration::from_millis(100));
    finished(&s);
}

#[test]
fn ec2x_send_fail_every_time_gives_up_after_the_retries() {
    let options = Options {
        send_retries: 1,
        ..Options::default()
    };
    let mut s = socket::<Ec2x>(options, |s| {
        let s = ec2x_open(s);
        let s = ec2x_send(s, "hi", "\r\nSEND FAIL\r\n");
        ec2x_send(s, "hi", "\r\nSEND FAIL\r\n")
    });
    s.connect("example.com", 443).expect("open");
    let e = s.write(b"hi").expect_err("the buffer stays full");
    assert!(
        matches!(
            e,
            SocketError::Connection(SockError::SendFail {
                attempts: 2,
                sent: 0,
                total: 2,
                ..
            })
        ),
        "{e}"
    );
    finished(&s);
}

#[test]
fn a_failed_open_keeps_the_module_code_and_the_manuals_text() {
    let mut s = socket::<Ec2x>(Options::default(), |s| {
        s.expect(OPEN).reply("\r\nOK\r\n\r\n+QSSLOPEN: 0,552\r\n")
    });
    let e = s.connect("example.com", 443).expect_err("552");
    assert_eq!(e.module_code(), Some(552));
    let text = e.to_string();
    assert!(
        text.starts_with(
            "open failed: AT+QSSLOPEN: the result +QSSLOPEN: 0,552 reports error 552 ("
        ),
        "{text}"
    );
    assert_eq!(s.state(), SocketState::Idle);
}

#[test]
fn a_silent_module_is_a_timeout_of_the_request_not_a_hang() {
    let options = Options {
        timeout: Some(Duration::from_secs(3)),
        ..Options::default()
    };
    let mut s = socket::<Ec2x>(options, |s| s.expect(OPEN));
    let e = s.connect("example.com", 443).expect_err("no answer");
    assert!(
        e.modem_error().is_some_and(|m| m.is_timeout()),
        "a timeout: {e}"
    );
    assert!(e.to_string().contains("within 3s"), "{e}");
}

#[test]
fn a_restart_while_open_fails_the_next_read_as_rebooted() {
    let mut s = socket::<Ec2x>(Options::default(), |s| {
        ec2x_open(s)
            .silence(Duration::from_millis(100))
            .reply("\r\nRDY\r\n")
    });
    s.connect("example.com", 443).expect("open");
    let mut buf = [0u8; 16];
    let e = s.read(&mut buf).expect_err("the connection is lost");
    assert!(matches!(e, SocketError::Rebooted { .. }), "{e}");
    assert_eq!(s.modem().restarts(), 1);
    assert_eq!(s.state(), SocketState::Closed);
}

#[test]
fn a_peer_close_after_data_reads_the_data_then_end_of_file() {
    let mut s = socket::<Ec2x>(Options::default(), |s| {
        ec2x_open(s)
            .reply("\r\n+QSSLURC: \"recv\",0\r\n")
            .expect("AT+QSSLRECV=0,16\r")
            .reply("\r\n+QSSLRECV: 3\r\nbye\r\n\r\n+QSSLURC: \"closed\",0\r\nOK\r\n")
            .expect("AT+QSSLRECV=0,16\r")
            .reply("\r\nERROR\r\n")
    });
    s.connect("example.com", 443).expect("open");
    let mut buf = [0u8; 16];
    assert_eq!(s.read(&mut buf).expect("the data"), 3);
    assert_eq!(&buf[..3], b"bye");
    assert_eq!(s.read(&mut buf).expect("end of file"), 0);
    assert!(s.peer_closed());
}

#[test]
fn bc26_pushed_data_arrives_in_urcs_and_the_close_waits_for_its_result() {
    let mut s = socket::<Bc26>(Options::default(), |s| {
        s.expect("AT+QSSLCFG=1,0,\"dataformat\",0,0\r")
            .reply("\r\nOK\r\n")
            .expect("AT+QSSLOPEN=1,0,\"example.com\",443,0\r")
            .reply("\r\nOK\r\n\r\n+QSSLOPEN: 1,0,0\r\n")
            .expect("AT+QSSLSEND=1,0,2\r")
            .reply("\r\n> ")
            .expect("hi")
            .reply("\r\nOK\r\n\r\n+QSSLSEND: 1,0,0\r\n\r\n+QSSLURC: \"recv\",1,0,2,\"ho\"\r\n")
            .expect("AT+QSSLCLOSE=1,0\r")
            .reply("\r\nOK\r\n\r\n+QSSLCLOSE: 1,0,0\r\n")
    });
    s.modem_mut().session_mut().config_mut().prompt_wait = Some(Duration::ZERO);
    s.connect("example.com", 443).expect("open");
    assert_eq!(s.write(b"hi").expect("send"), 2);
    let mut buf = [0u8; 8];
    assert_eq!(s.read(&mut buf).expect("pushed"), 2);
    assert_eq!(&buf[..2], b"ho");
    s.close().expect("close");
    finished(&s);
}

#[test]
fn ml302_refuses_data_holding_ctrl_z_before_writing_anything() {
    let mut s = socket::<Ml302>(Options::default(), |s| {
        s.expect("AT+QSSLOPEN=0,1,\"example.com\",443,0\r")
            .reply("\r\nOK\r\n\r\n+QSSLOPEN: 0,0\r\n")
    });
    s.connect("example.com", 443).expect("open");
    let e = s.write(b"a\x1Ab").expect_err("Ctrl+Z cannot be sent");
    assert!(e.is_usage(), "{e}");
    assert!(e.to_string().contains("0x1A at offset 1"), "{e}");
    finished(&s);
}

//! A hostile BC26 against the socket: result URCs, data pushed inline in
//! `+QSSLURC: "recv"`, and the same rules as for EC2x (tests/hostile_ec2x.rs).

mod hostile_common;

use std::time::Duration;

use atgen::ssl::Bc26;
use atgen_runtime::socket::SocketError;
use hostile_common::*;

#[global_allocator]
static ALLOC: Counting = Counting;

const OPEN: &str = "AT+QSSLOPEN=1,0,\"example.com\",443,0\r";
const OPENED: &str = "\r\nOK\r\n\r\n+QSSLOPEN: 1,0,0\r\n";
const SEND: &str = "AT+QSSLSEND=1,0,5\r";
const GRACE: Duration = Duration::from_secs(1);

fn opened(after: &[u8]) -> HostileSocket<Bc26> {
    let mut reply = OPENED.as_bytes().to_vec();
    reply.extend_from_slice(after);
    let mut s = socket::<Bc26>(config(), |m| m.reply(OPEN, reply));
    s.open("example.com", 443).unwrap();
    s
}

#[test]
fn bc26_empty_cme_error_ends_the_open_at_once() {
    let mut s = socket::<Bc26>(config(), |m| m.reply(OPEN, "\r\n+CME ERROR:\r\n"));
    let e = s.open("example.com", 443).unwrap_err();
    assert!(matches!(e, SocketError::Module { .. }), "{e:?}");
    assert!(e.to_string().contains("QSSLOPEN"), "{e}");
    assert_eq!(now(&s), Duration::ZERO);
}

#[test]
fn bc26_cme_error_not_utf8_ends_the_open_at_once() {
    let mut s = socket::<Bc26>(config(), |m| m.reply(OPEN, b"\r\n+CME ERROR: \x80\x81\r\n"));
    let e = s.open("example.com", 443).unwrap_err();
    assert!(matches!(e, SocketError::Module { .. }), "{e:?}");
    assert_eq!(now(&s), Duration::ZERO);
}

#[test]
fn bc26_data_phase_answered_by_an_unrelated_line_and_ok_without_its_result_is_not_sent() {
    let mut s = socket::<Bc26>(config(), |m| {
        m.reply(OPEN, OPENED)
            .reply(SEND, "\r\n> ")
            .reply("hello", "\r\nhello world\r\n\r\nOK\r\n")
    });
    s.open("example.com", 443).unwrap();
    let start = now(&s);
    let e = s.write(b"hello").unwrap_err();
    assert!(e.to_string().contains("QSSLSEND"), "{e}");
    assert!(now(&s) - start <= Duration::from_secs(300) + GRACE);
}

#[test]
fn bc26_failed_send_is_reported_with_its_code_not_retried() {
    let mut s = socket::<Bc26>(config(), |m| {
        m.reply(OPEN, OPENED)
            .reply(SEND, "\r\n> ")
            .reply("hello", "\r\nOK\r\n\r\n+QSSLSEND: 1,0,-9\r\n")
    });
    s.open("example.com", 443).unwrap();
    let e = s.write(b"hello").unwrap_err();
    assert_eq!(e.module_code(), Some("-9"), "{e}");
    assert!(e.to_string().contains("Other errors"), "{e}");
    // One QSSLSEND only.
    let sends = s
        .link()
        .transport()
        .wrote
        .iter()
        .filter(|w| w.starts_with(b"AT+QSSLSEND"))
        .count();
    assert_eq!(sends, 1);
}

#[test]
fn bc26_pushed_data_is_byte_exact_with_final_codes_inside() {
    let mut s = opened(b"\r\n+QSSLURC: \"recv\",1,0,12,\"OK\r\nERROR\r\n\0\"\r\n");
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"OK\r\nERROR\r\n\0");
}

#[test]
fn bc26_a_huge_announced_length_is_a_typed_error() {
    let mut s = opened(b"\r\n+QSSLURC: \"recv\",1,0,99999999,\"abc\"\r\n");
    let mut buf = [0u8; 64];
    let e = s
        .read_within(&mut buf, Some(Duration::from_secs(2)))
        .expect_err("no data for an impossible length");
    assert!(e.to_string().contains("99999999"), "{e}");
}

#[test]
fn bc26_a_short_payload_is_a_typed_error() {
    let mut s = opened(b"\r\n+QSSLURC: \"recv\",1,0,10,\"abc");
    let mut buf = [0u8; 64];
    let e = s
        .read_within(&mut buf, Some(Duration::from_secs(2)))
        .expect_err("3 of 10 bytes is not data");
    assert!(!matches!(e, SocketError::ReadTimeout { .. }), "{e:?}");
    assert!(e.to_string().contains("of the 10 bytes"), "{e}");
}

#[test]
fn bc26_a_urc_flood_during_open_is_bounded_and_counted() {
    let ((len, dropped), peak) = peak_during(|| {
        let mut s = socket::<Bc26>(config(), |m| {
            m.on(
                OPEN,
                vec![
                    Out::Bytes(b"\r\nOK\r\n".to_vec()),
                    flood("+CEREG: 1", 100_000),
                    Out::Bytes(b"\r\n+QSSLOPEN: 1,0,0\r\n".to_vec()),
                ],
            )
        });
        s.open("example.com", 443).unwrap();
        let len = s.link().urcs().len();
        (len, s.link_mut().urc_overflow())
    });
    assert!(len <= 1024, "{len}");
    assert!(dropped >= 100_000 - 1024, "{dropped}");
    assert!(peak < 8 << 20, "{peak}");
}

#[test]
fn bc26_an_endless_line_is_dropped_and_the_open_succeeds() {
    let mut s = socket::<Bc26>(config(), |m| {
        m.on(
            OPEN,
            vec![
                Out::Repeat(b"\0garbage".repeat(100), 2_000),
                Out::Bytes(OPENED.into()),
            ],
        )
    });
    s.open("example.com", 443).unwrap();
}

#[test]
fn bc26_echo_on_is_dropped() {
    let mut s = socket::<Bc26>(config(), |m| {
        m.reply(OPEN, format!("{OPEN}{OPENED}"))
            .reply(SEND, format!("{SEND}\r\n> "))
            .reply("hello", "hello\r\nOK\r\n\r\n+QSSLSEND: 1,0,0\r\n")
    });
    s.open("example.com", 443).unwrap();
    assert_eq!(s.write(b"hello").unwrap(), 5);
}

#[test]
fn bc26_restart_during_send_ends_it_at_once() {
    let mut s = socket::<Bc26>(config(), |m| {
        m.reply(OPEN, OPENED)
            .reply(SEND, "\r\n> ")
            .reply("hello", "\r\nOK\r\n\r\nRDY\r\n")
    });
    s.open("example.com", 443).unwrap();
    let e = s.write(b"hello").unwrap_err();
    assert!(matches!(e, SocketError::Rebooted { .. }), "{e:?}");
    // Only the manual's 500 ms wait after the prompt passed.
    assert_eq!(now(&s), Duration::from_millis(500));
}

#[test]
fn bc26_no_answer_to_open_times_out_within_its_maximum() {
    let mut s = socket::<Bc26>(config(), |m| m);
    let e = s.open("example.com", 443).unwrap_err();
    assert!(e.to_string().contains("QSSLOPEN"), "{e}");
    let t = now(&s);
    assert!(t > Duration::ZERO, "{t:?}");
    // <timeout> of AT+QSSLCFG, 90 s by default.
    assert!(t <= Duration::from_secs(90) + GRACE, "waited {t:?}: {e}");
}

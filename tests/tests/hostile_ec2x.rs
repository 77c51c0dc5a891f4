//! A hostile EC2x against the socket and the link: every scenario ends within
//! its bound with a typed error naming the command and what arrived, or succeeds
//! byte-exact; none reports success for data that did not arrive; memory stays
//! bounded however many URCs or bytes arrive.

mod hostile_common;

use std::time::Duration;

use atgen::ssl::Ec2x;
use atgen_runtime::socket::{AccessMode, SocketError};
use hostile_common::*;

#[global_allocator]
static ALLOC: Counting = Counting;

const OPEN: &str = "AT+QSSLOPEN=1,1,0,\"example.com\",443,0\r";
const OPEN_PUSH: &str = "AT+QSSLOPEN=1,1,0,\"example.com\",443,1\r";
const OPENED: &str = "\r\nOK\r\n\r\n+QSSLOPEN: 0,0\r\n";
/// QSSLOPEN's maximum response time: 150 s plus the default <negotiate_time> of 300 s.
const OPEN_MAX: Duration = Duration::from_secs(450);
/// What the runtime may add to a manual's maximum (stated in README.md, Reliability).
const GRACE: Duration = Duration::from_secs(1);

fn push() -> atgen_runtime::socket::SslConfig {
    atgen_runtime::socket::SslConfig {
        access_mode: AccessMode::Push,
        ..config()
    }
}

fn open_fails_with(reply: &[u8]) -> (SocketError, Duration) {
    let mut s = socket::<Ec2x>(config(), |m| m.reply(OPEN, reply));
    let e = s.open("example.com", 443).unwrap_err();
    (e, now(&s))
}

#[test]
fn empty_cme_error_ends_the_open_at_once_as_a_module_error() {
    let (e, t) = open_fails_with(b"\r\n+CME ERROR:\r\n");
    assert!(matches!(e, SocketError::Module { .. }), "{e:?}");
    assert!(e.to_string().contains("QSSLOPEN"), "{e}");
    assert_eq!(t, Duration::ZERO, "no wait: {e}");
}

#[test]
fn cme_error_that_is_not_utf8_ends_the_open_at_once_with_the_bytes_shown() {
    let (e, t) = open_fails_with(b"\r\n+CME ERROR: \xff\xfebad\r\n");
    assert!(matches!(e, SocketError::Module { .. }), "{e:?}");
    let msg = e.to_string();
    assert!(msg.contains("QSSLOPEN") && msg.contains("bad"), "{msg}");
    assert_eq!(t, Duration::ZERO);
}

#[test]
fn verbose_cme_error_ends_the_open_with_its_text() {
    let (e, _) = open_fails_with(b"\r\n+CME ERROR: operation not allowed\r\n");
    assert!(
        e.to_string().contains("operation not allowed"),
        "{e}: the module's text"
    );
}

#[test]
fn a_data_phase_answered_by_an_unrelated_line_and_ok_is_not_a_successful_send() {
    let mut s = socket::<Ec2x>(config(), |m| {
        m.reply(OPEN, OPENED)
            .reply("AT+QSSLSEND=0,5\r", "\r\n> ")
            .reply("hello", "\r\nhello world\r\n\r\nOK\r\n")
    });
    s.open("example.com", 443).unwrap();
    let e = s.write(b"hello").unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("QSSLSEND"), "{msg}");
    assert!(msg.contains("OK") || msg.contains("hello world"), "{msg}");
}

#[test]
fn a_huge_announced_length_in_buffer_mode_is_an_error_not_data() {
    let mut s = socket::<Ec2x>(config(), |m| {
        m.reply(OPEN, format!("{OPENED}\r\n+QSSLURC: \"recv\",0\r\n"))
            .reply(
                "AT+QSSLRECV=0,1500\r",
                "\r\n+QSSLRECV: 99999999\r\nabc\r\n\r\nOK\r\n",
            )
    });
    s.open("example.com", 443).unwrap();
    let mut buf = [0u8; 64];
    let e = s
        .read_within(&mut buf, Some(Duration::from_secs(5)))
        .unwrap_err();
    assert!(e.to_string().contains("QSSLRECV"), "{e}");
}

#[test]
fn a_short_payload_in_buffer_mode_is_an_error_not_data() {
    let mut s = socket::<Ec2x>(config(), |m| {
        m.reply(OPEN, format!("{OPENED}\r\n+QSSLURC: \"recv\",0\r\n"))
            .reply("AT+QSSLRECV=0,1500\r", "\r\n+QSSLRECV: 10\r\nabc")
    });
    s.open("example.com", 443).unwrap();
    let before = now(&s);
    let mut buf = [0u8; 64];
    let e = s
        .read_within(&mut buf, Some(Duration::from_secs(5)))
        .unwrap_err();
    assert!(e.to_string().contains("QSSLRECV"), "{e}");
    assert!(now(&s) - before <= Duration::from_secs(5) + GRACE);
}

#[test]
fn a_huge_announced_length_in_push_mode_is_a_typed_error() {
    let mut s = socket::<Ec2x>(push(), |m| {
        m.reply(
            OPEN_PUSH,
            format!("{OPENED}\r\n+QSSLURC: \"recv\",0,99999999\r\nabc\r\n"),
        )
    });
    s.open("example.com", 443).unwrap();
    let mut buf = [0u8; 64];
    let r = s.read_within(&mut buf, Some(Duration::from_secs(2)));
    let e = r.expect_err("no data arrived for an impossible length");
    assert!(e.to_string().contains("99999999"), "{e}");
}

#[test]
fn a_short_payload_in_push_mode_is_a_typed_error() {
    let mut s = socket::<Ec2x>(push(), |m| {
        m.reply(
            OPEN_PUSH,
            format!("{OPENED}\r\n+QSSLURC: \"recv\",0,10\r\nabc"),
        )
    });
    s.open("example.com", 443).unwrap();
    let mut buf = [0u8; 64];
    let e = s
        .read_within(&mut buf, Some(Duration::from_secs(2)))
        .expect_err("3 of 10 bytes is not data");
    assert!(!matches!(e, SocketError::ReadTimeout { .. }), "{e:?}");
    assert!(e.to_string().contains("10"), "{e}");
}

#[test]
fn a_pushed_payload_still_arriving_is_not_short_to_a_read_that_only_polls() {
    let mut s = socket::<Ec2x>(push(), |m| {
        m.on(
            OPEN_PUSH,
            vec![
                Out::Bytes(format!("{OPENED}\r\n+QSSLURC: \"recv\",0,10\r\nabc").into_bytes()),
                Out::Silence(Duration::from_millis(300)),
                Out::Bytes(b"defghij\r\n".to_vec()),
            ],
        )
    });
    s.open("example.com", 443).unwrap();
    let mut buf = [0u8; 64];
    // What `atgen ssl` does between writes: take what has arrived, wait for nothing.
    let polled = s.read_within(&mut buf, Some(Duration::ZERO));
    assert!(matches!(polled, Ok(None)), "{polled:?}");
    let n = s
        .read_within(&mut buf, Some(Duration::from_secs(2)))
        .unwrap()
        .expect("the payload completes");
    assert_eq!(&buf[..n], b"abcdefghij");
}

#[test]
fn an_endless_line_during_open_is_cut_and_the_open_still_succeeds() {
    let (r, peak) = peak_during(|| {
        let mut s = socket::<Ec2x>(config(), |m| {
            m.on(
                OPEN,
                vec![
                    Out::Repeat(b"x".repeat(1000), 5_000),
                    Out::Bytes(OPENED.into()),
                ],
            )
        });
        s.open("example.com", 443)
    });
    r.unwrap();
    assert!(peak < 4 << 20, "5 MB of garbage held {peak} bytes");
}

/// The most one socket holds while a command runs, whatever arrives (README.md, Reliability).
const BOUND: usize = 8 << 20;

fn open_under_flood(n: usize) -> (usize, u64, usize) {
    let ((len, dropped), peak) = peak_during(|| {
        let mut s = socket::<Ec2x>(config(), |m| {
            m.on(
                OPEN,
                vec![
                    Out::Bytes(b"\r\nOK\r\n".to_vec()),
                    flood("+QIURC: \"pdpdeact\",1", n),
                    Out::Bytes(b"\r\n+QSSLOPEN: 0,0\r\n".to_vec()),
                ],
            )
        });
        s.open("example.com", 443).unwrap();
        let len = s.link().urcs().len();
        (len, s.link_mut().urc_overflow())
    });
    (len, dropped, peak)
}

#[test]
fn a_urc_flood_during_open_is_bounded_and_counted_not_accumulated() {
    let (small_len, _, small_peak) = open_under_flood(2_000);
    let (len, dropped, peak) = open_under_flood(200_000);
    eprintln!(
        "2 000 URCs: peak {small_peak} bytes; 200 000 URCs: peak {peak} bytes, {dropped} dropped"
    );
    assert!(len <= 1024, "queue holds {len}");
    assert!(dropped >= 200_000 - 1024, "dropped {dropped}");
    assert!(peak < BOUND, "peak {peak}");
    // It does not grow with the number of URCs.
    assert!(
        peak <= small_peak + (64 << 10),
        "{peak} vs {small_peak}, queue {small_len}"
    );
}

#[test]
fn nul_bytes_and_final_codes_inside_payloads_round_trip() {
    let mut data = b"\0\0OK\r\nERROR\r\n+CME ERROR:\r\n\0".to_vec();
    data.extend(0..=255u8);
    let mut reply = format!("\r\n+QSSLRECV: {}\r\n", data.len()).into_bytes();
    reply.extend_from_slice(&data);
    reply.extend_from_slice(b"\r\n\r\nOK\r\n");
    let mut s = socket::<Ec2x>(config(), |m| {
        m.reply(OPEN, format!("{OPENED}\r\n+QSSLURC: \"recv\",0\r\n"))
            .reply("AT+QSSLRECV=0,1500\r", reply)
            .reply("AT+QSSLRECV=0,1500\r", "\r\n+QSSLRECV: 0\r\n\r\nOK\r\n")
    });
    s.open("example.com", 443).unwrap();
    let mut buf = [0u8; 1500];
    let n = s.read(&mut buf).unwrap();
    assert_eq!(&buf[..n], &data[..]);
}

#[test]
fn echo_on_is_dropped_and_the_send_succeeds() {
    let mut s = socket::<Ec2x>(config(), |m| {
        m.reply(OPEN, format!("{OPEN}\r\nOK\r\n\r\n+QSSLOPEN: 0,0\r\n"))
            .reply("AT+QSSLSEND=0,5\r", "AT+QSSLSEND=0,5\r\r\n> ")
            .reply("hello", "hello\r\nSEND OK\r\n")
    });
    s.open("example.com", 443).unwrap();
    assert_eq!(s.write(b"hello").unwrap(), 5);
    assert!(s.link().transport().played());
}

#[test]
fn a_restart_during_open_ends_it_at_once_as_rebooted() {
    let (e, t) = open_fails_with(b"\r\nOK\r\n\r\nRDY\r\n");
    assert!(matches!(e, SocketError::Rebooted { .. }), "{e:?}");
    assert!(e.to_string().contains("QSSLOPEN"), "{e}");
    assert_eq!(t, Duration::ZERO, "no wait after RDY: {e}");
}

#[test]
fn a_restart_during_send_ends_it_at_once_as_rebooted() {
    let mut s = socket::<Ec2x>(config(), |m| {
        m.reply(OPEN, OPENED)
            .reply("AT+QSSLSEND=0,5\r", "\r\n> ")
            .reply("hello", "\r\nRDY\r\n")
    });
    s.open("example.com", 443).unwrap();
    let e = s.write(b"hello").unwrap_err();
    assert!(matches!(e, SocketError::Rebooted { .. }), "{e:?}");
    assert_eq!(now(&s), Duration::ZERO);
}

#[test]
fn no_answer_to_open_is_a_timeout_within_the_manuals_maximum() {
    let (e, t) = open_fails_with(b"");
    let msg = e.to_string();
    assert!(msg.contains("QSSLOPEN") && msg.contains("no "), "{msg}");
    assert!(t >= OPEN_MAX && t <= OPEN_MAX + GRACE, "waited {t:?}");
}

#[test]
fn ok_then_no_result_urc_still_ends_within_the_manuals_maximum() {
    let mut s = socket::<Ec2x>(config(), |m| {
        m.on(
            OPEN,
            vec![
                Out::Silence(Duration::from_secs(400)),
                Out::Bytes(b"\r\nOK\r\n".to_vec()),
            ],
        )
    });
    let e = s.open("example.com", 443).unwrap_err();
    let t = now(&s);
    assert!(t <= OPEN_MAX + GRACE, "waited {t:?}: {e}");
}

#[test]
fn urcs_trickling_in_do_not_extend_the_wait() {
    let mut outs = Vec::new();
    for _ in 0..200 {
        outs.push(Out::Bytes(b"\r\n+QIURC: \"pdpdeact\",1\r\n".to_vec()));
        outs.push(Out::Silence(Duration::from_secs(10)));
    }
    let mut s = socket::<Ec2x>(config(), |m| m.on(OPEN, outs));
    let e = s.open("example.com", 443).unwrap_err();
    let t = now(&s);
    assert!(t >= OPEN_MAX && t <= OPEN_MAX + GRACE, "waited {t:?}: {e}");
}

#[test]
fn a_late_answer_after_a_timeout_is_never_the_next_commands_answer() {
    let mut s = socket::<Ec2x>(config(), |m| {
        m.on(
            OPEN,
            vec![
                Out::Silence(OPEN_MAX + Duration::from_millis(100)),
                Out::Bytes(b"\r\n+CME ERROR: 550\r\n".to_vec()),
            ],
        )
        .reply(OPEN, OPENED)
    });
    let e = s.open("example.com", 443).unwrap_err();
    assert!(e.to_string().contains("no "), "{e}");
    s.open("example.com", 443)
        .expect("the late CME ERROR of the first open is not the second's answer");
}

#[test]
fn a_result_urc_in_the_same_read_as_ok_is_taken_without_waiting() {
    let mut s = socket::<Ec2x>(config(), |m| m.reply(OPEN, OPENED));
    s.open("example.com", 443).unwrap();
    assert_eq!(now(&s), Duration::ZERO);
}

#[test]
fn hosts_that_are_empty_blank_not_ascii_or_too_long_are_refused_before_anything_is_written() {
    let long = "a".repeat(100_000);
    for (host, says) in [
        ("", "<serveraddr> of 0 bytes is empty"),
        ("   ", "<serveraddr> contains a space (0x20) at byte 0"),
        (
            "bücher.example",
            "contains a byte that is not ASCII (0xC3) at byte 1",
        ),
        (long.as_str(), "is too long; at most 253 bytes"),
    ] {
        let mut s = socket::<Ec2x>(config(), |m| m);
        let e = s.open(host, 443).unwrap_err();
        assert!(matches!(e, SocketError::Validation(_)), "{e:?}");
        let msg = e.to_string();
        assert!(msg.contains("QSSLOPEN") && msg.contains(says), "{msg}");
        assert_eq!(msg.matches("quectel-ec2x").count(), 1, "{msg}");
        assert!(s.link().transport().wrote.is_empty(), "{msg}");
    }
}

#[test]
fn an_answer_later_than_the_maximum_is_queued_not_taken_by_the_next_command() {
    // QSSLCFG's maximum is 300 ms; the answer comes at 500 ms (the simulator's delay fault).
    let mut s = socket::<Ec2x>(
        atgen_runtime::socket::SslConfig {
            negotiate_time: Some(60),
            ..config()
        },
        |m| {
            m.on(
                "AT+QSSLCFG=\"negotiatetime\",1,60\r",
                vec![
                    Out::Silence(Duration::from_millis(500)),
                    Out::Bytes(b"\r\n+CME ERROR: 3\r\n".to_vec()),
                ],
            )
            .reply("AT+QSSLCFG=\"negotiatetime\",1,60\r", "\r\nOK\r\n")
        },
    );
    let e = s.configure().unwrap_err();
    assert!(e.to_string().contains("no final result code"), "{e}");
    s.configure()
        .expect("the late +CME ERROR of the first QSSLCFG is not the second's answer");
    assert!(s.link().transport().played());
}

#[test]
fn a_link_error_names_the_command_and_the_family_once() {
    let mut s = socket::<Ec2x>(config(), |m| {
        m.reply(OPEN, format!("{OPENED}\r\n+QSSLURC: \"recv\",0\r\n"))
            .reply("AT+QSSLRECV=0,1500\r", "\r\n+QSSLRECV: x\r\n\r\nOK\r\n")
    });
    s.open("example.com", 443).unwrap();
    let mut buf = [0u8; 64];
    let msg = s
        .read_within(&mut buf, Some(Duration::from_secs(5)))
        .unwrap_err()
        .to_string();
    assert_eq!(msg.matches("quectel-ec2x").count(), 1, "{msg}");
    assert_eq!(msg.matches("QSSLRECV").count(), 1, "{msg}");
    let (e, _) = open_fails_with(b"");
    let msg = e.to_string();
    assert_eq!(msg.matches("QSSLOPEN").count(), 1, "{msg}");
}

//! Properties of the socket dialog: the module's bytes split at any points, and
//! unsolicited frames of other connections injected at every position, change
//! nothing but the link's queue of other URCs.

mod socket_common;

use atgen::ssl::{Ec2x, Ml302};
use atgen_runtime::link::script::{ScriptTransport, Step};
use atgen_runtime::socket::Dialect;
use proptest::prelude::*;
use socket_common::*;

/// Another connection's close and a network registration URC: neither concerns this
/// connection. (`RDY` would: it means the module restarted, see
/// `ec2x_rdy_during_a_session_is_reported_as_a_restart`.)
const FOREIGN: &str = "\r\n+QSSLURC: \"closed\",7\r\n\r\n+CREG: 1\r\n";

/// An EC2x buffer-mode session: open, write, a "recv" URC, two QSSLRECVs, close.
fn ec2x_steps(data: &[u8]) -> Vec<Step> {
    let s = ScriptTransport::new(Default::default())
        .expect("AT+QSSLOPEN=1,1,0,\"example.com\",443,0\r")
        .reply("\r\nOK\r\n\r\n+QSSLOPEN: 0,0\r\n");
    let s = quectel_send(s, 0, data).reply("\r\n+QSSLURC: \"recv\",0\r\n");
    let s = quectel_recv(s, 0, 1500, data);
    let s = quectel_recv(s, 0, 1500, b"");
    s.expect("AT+QSSLCLOSE=0\r")
        .reply("\r\nOK\r\n")
        .remaining()
        .0
}

/// An ML302 session with the same shape.
fn ml302_steps(data: &[u8]) -> Vec<Step> {
    let mut recv = format!("\r\n+QSSLRECV: 1.2.3.4:443,TCP,{}\r\n", data.len()).into_bytes();
    recv.extend_from_slice(data);
    recv.extend_from_slice(b"\r\n\r\nOK\r\n");
    let mut sent = data.to_vec();
    sent.push(0x1A);
    ScriptTransport::new(Default::default())
        .expect("AT+QSSLOPEN=0,1,\"example.com\",443,0\r")
        .reply("\r\nOK\r\n\r\n+QSSLOPEN: 0,0\r\n")
        .expect("AT+QSSLSEND=0\r")
        .reply("\r\n> ")
        .expect(sent)
        .reply("\r\nSEND OK\r\n\r\n+QSSLURC: \"recv\",1,0\r\n")
        .expect("AT+QSSLRECV=1,0,1460\r")
        .reply(recv)
        .expect("AT+QSSLRECV=1,0,1460\r")
        .reply("\r\nOK\r\n")
        .expect("AT+QSSLCLOSE=0\r")
        .reply("\r\nOK\r\n\r\n0,CLOSE OK\r\n")
        .remaining()
        .0
}

/// Replays `steps` with `FOREIGN` before reply number `inject` (if any; both
/// sessions have six replies), the
/// replies cut into `chunks`; checks the data and the queue of other URCs.
fn play<D: Dialect + Default>(
    steps: &[Step],
    data: &[u8],
    inject: Option<usize>,
    chunks: Vec<usize>,
) {
    let mut s = socket::<D>(config(), |mut t| {
        let mut reply_no = 0;
        for step in steps {
            if let Step::Reply(bytes) = step {
                if inject == Some(reply_no) {
                    t = t.reply(FOREIGN);
                }
                reply_no += 1;
                t = t.reply(bytes);
            } else if let Step::Expect(bytes) = step {
                t = t.expect(bytes);
            }
        }
        t.chunks(chunks)
    });
    s.open("example.com", 443).unwrap();
    s.write(data).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 1500];
    while got.len() < data.len() {
        match s.read(&mut buf) {
            Ok(n) if n > 0 => got.extend_from_slice(&buf[..n]),
            other => panic!("read ended early: {other:?}"),
        }
    }
    assert_eq!(got, data);
    // The drain ends with an empty QSSLRECV; then silence.
    let rest = s.read_within(&mut buf, Some(std::time::Duration::from_secs(1)));
    assert!(matches!(rest, Ok(None)), "{rest:?}");
    s.close().unwrap();
    assert!(!s.peer_closed(), "another connection's close is not ours");
    let others: Vec<String> = s.link_mut().drain_urcs().map(|u| u.text()).collect();
    if inject.is_some() {
        assert_eq!(
            others,
            ["+QSSLURC: \"closed\",7", "+CREG: 1"],
            "inject at {inject:?}"
        );
    }
    assert_finished(&s);
}

#[test]
fn ec2x_urcs_of_other_connections_injected_at_every_position_change_nothing() {
    let data = nasty_payload();
    let steps = ec2x_steps(&data);
    let replies = steps.iter().filter(|s| matches!(s, Step::Reply(_))).count();
    for i in 0..replies {
        play::<Ec2x>(&steps, &data, Some(i), vec![usize::MAX]);
    }
}

#[test]
fn ml302_urcs_of_other_connections_injected_at_every_position_change_nothing() {
    let data: Vec<u8> = (0..=255u8).filter(|b| *b != 0x1A && *b != 0x1B).collect();
    let steps = ml302_steps(&data);
    let replies = steps.iter().filter(|s| matches!(s, Step::Reply(_))).count();
    for i in 0..replies {
        play::<Ml302>(&steps, &data, Some(i), vec![usize::MAX]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn ec2x_session_survives_the_module_bytes_split_at_random_points(
        data in proptest::collection::vec(any::<u8>(), 1..600),
        chunks in proptest::collection::vec(1usize..40, 1..8),
        inject in proptest::option::of(0usize..6),
    ) {
        let steps = ec2x_steps(&data);
        play::<Ec2x>(&steps, &data, inject, chunks);
    }

    #[test]
    fn ml302_session_survives_the_module_bytes_split_at_random_points(
        data in proptest::collection::vec(any::<u8>().prop_filter("no Ctrl+Z/ESC", |b| *b != 0x1A && *b != 0x1B), 1..600),
        chunks in proptest::collection::vec(1usize..40, 1..8),
        inject in proptest::option::of(0usize..6),
    ) {
        let steps = ml302_steps(&data);
        play::<Ml302>(&steps, &data, inject, chunks);
    }
}

//! The link driver against scripted fake modules: every dialog of the manuals,
//! with the byte stream split at random points and URCs injected everywhere.

mod common;

use std::time::Duration;

use atgen_runtime::link::script::{ScriptTransport, Seen};
use atgen_runtime::link::{
    Clock, CmeError, Completion, Exec, Link, LinkError, ManualClock, UrcKind,
};
use atgen_runtime::request::ChecksumKind;
use atgen_runtime::{Family, Problem, Value};
use common::*;
use proptest::prelude::*;

type TestLink<Fam> = Link<ScriptTransport, Fam, ManualClock>;

fn link<Fam: Family>(build: impl FnOnce(ScriptTransport) -> ScriptTransport) -> TestLink<Fam> {
    let clock = ManualClock::new();
    Link::with_clock(build(ScriptTransport::new(clock.clone())), clock)
}

fn assert_finished<Fam: Family>(link: &TestLink<Fam>) {
    let (rest, failure) = link.transport().remaining();
    assert!(
        rest.is_empty() && failure.is_none(),
        "script not played: {rest:?}, failure: {failure:?}"
    );
}

fn urc_texts<Fam: Family>(link: &mut TestLink<Fam>) -> Vec<String> {
    link.drain_urcs().map(|u| u.text()).collect()
}

const RECV: QsslRecv = QsslRecv {
    client: 1,
    len: 1500,
};

const BC26_SEND: Bc26Send = Bc26Send {
    ctx: 1,
    conn: 5,
    len: 2,
};

/// A link whose script expects `RECV` and gives `reply`.
fn recv_link(reply: impl AsRef<[u8]>) -> TestLink<Ec2x> {
    link::<Ec2x>(|s| s.expect("AT+QSSLRECV=1,1500\r").reply(reply))
}

/// `AT+QSSLSEND=1[,<len>]`
fn send1(len: Option<usize>) -> QsslSend {
    QsslSend { client: 1, len }
}

/// The command line of `open(4)`, and of `open_transparent()`.
const OPEN_4: &str = "AT+QSSLOPEN=1,1,4,\"example.com\",443,0\r";
const OPEN_4_TRANSPARENT: &str = "AT+QSSLOPEN=1,1,4,\"example.com\",443,2\r";

/// When the first write of exactly `bytes` happened.
fn wrote_at(log: &[Seen], bytes: &[u8]) -> Duration {
    log.iter()
        .find_map(|s| match s {
            Seen::Wrote(t, b) if b == bytes => Some(*t),
            _ => None,
        })
        .unwrap()
}

/// When the first delivery ending in `suffix` happened.
fn delivered_at(log: &[Seen], suffix: &[u8]) -> Duration {
    log.iter()
        .find_map(|s| match s {
            Seen::Delivered(t, b) if b.ends_with(suffix) => Some(*t),
            _ => None,
        })
        .unwrap()
}

/// Reads transparent data until an error ends it: the bytes read and that error.
fn read_until_error(l: &mut TestLink<Ec2x>) -> (Vec<u8>, LinkError) {
    let mut buf = [0u8; 64];
    let mut got = Vec::new();
    loop {
        match l.transparent_read(&mut buf, Duration::from_millis(100)) {
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) => return (got, e),
        }
    }
}

// ---------------------------------------------------------------- responses

#[test]
fn information_lines_are_parsed_into_the_typed_response() {
    let mut l = link::<Ec2x>(|s| {
        s.expect("AT+QSSLCFG=\"sslversion\",1\r")
            .reply("\r\n+QSSLCFG: \"sslversion\",1,4\r\n\r\nOK\r\n")
    });
    let reply = l.execute(&QsslCfgSslVersionQuery { ctx: 1 }).unwrap();
    assert_eq!(reply.response().unwrap(), (1, 4));
    assert_eq!(reply.completion(), &Completion::Ok);
    assert_finished(&l);
}

#[test]
fn qsslrecv_payload_containing_ok_is_read_by_length() {
    let mut l = recv_link("\r\n+QSSLRECV: 17\r\n\r\nOK\r\nERROR\r\nSEND\r\n\r\nOK\r\n");
    let reply = l.execute(&RECV).unwrap();
    assert_eq!(reply.response().unwrap().wire(), b"\r\nOK\r\nERROR\r\nSEND");
    assert!(l.urcs().is_empty());
}

#[test]
fn qsslrecv_payload_of_every_byte_value_comes_back_intact() {
    let data: Vec<u8> = (0..=255u8).collect();
    let mut reply_bytes = b"\r\n+QSSLRECV: 256\r\n".to_vec();
    reply_bytes.extend_from_slice(&data);
    reply_bytes.extend_from_slice(b"\r\n\r\nOK\r\n");
    let mut l = link::<Ec2x>(|s| {
        s.expect("AT+QSSLRECV=1,1500\r")
            .reply(reply_bytes)
            .chunks(vec![7, 1, 30])
    });
    let reply = l.execute(&RECV).unwrap();
    assert_eq!(reply.response().unwrap().to_vec().unwrap(), data);
}

#[test]
fn qsslrecv_payload_containing_a_urc_line_is_not_mistaken_for_a_urc() {
    let data = b"\r\n+QSSLURC: \"closed\",1\r\n";
    let mut r = format!("\r\n+QSSLRECV: {}\r\n", data.len()).into_bytes();
    r.extend_from_slice(data);
    r.extend_from_slice(b"\r\n\r\nOK\r\n");
    let mut l = recv_link(r);
    let reply = l.execute(&RECV).unwrap();
    assert_eq!(reply.response().unwrap().wire(), data);
    assert!(l.urcs().is_empty());
}

#[test]
fn empty_qsslrecv_buffer_gives_an_empty_payload() {
    let mut l = recv_link("\r\n+QSSLRECV: 0\r\n\r\nOK\r\n");
    assert!(l.execute(&RECV).unwrap().response().unwrap().is_empty());
}

#[test]
fn ml302_qsslrecv_payload_after_address_header_is_read_by_length() {
    let mut l = link::<Ml302>(|s| {
        s.expect("AT+QSSLRECV=1,0,1460\r")
            .reply("\r\n+QSSLRECV: 106.12.79.254:443,TCP,6\r\nOK\r\nOK\r\n\r\nOK\r\n")
    });
    let reply = l.execute(&Ml302Recv { ssid: 0, len: 1460 }).unwrap();
    assert_eq!(reply.response().unwrap(), b"OK\r\nOK");
}

#[test]
fn a_response_that_does_not_match_the_template_is_a_parse_error_naming_the_command() {
    let mut l = link::<Ec2x>(|s| {
        s.expect("AT+QSSLCFG=\"sslversion\",1\r")
            .reply("\r\n+QSSLCFG: \"sslversion\",1,x\r\n\r\nOK\r\n")
    });
    let err = l.execute(&QsslCfgSslVersionQuery { ctx: 1 }).unwrap_err();
    assert!(
        matches!(&err, LinkError::Parse { command, source } if command == "AT+QSSLCFG=\"sslversion\"" && source.expected == "<SSL_version>"),
        "{err}"
    );
}

// ---------------------------------------------------------------- validation

#[test]
fn an_invalid_request_is_refused_and_nothing_is_written() {
    let mut l = link::<Ec2x>(|s| s);
    let err = l.execute(&QsslRecv { client: 1, len: 0 }).unwrap_err();
    match err {
        LinkError::Validation(v) => {
            assert_eq!(
                (v.command, v.param, v.value),
                ("QSSLRECV", "readlen", Value::Int(0))
            );
        }
        other => panic!("expected a validation error, got {other}"),
    }
    assert!(l.transport().written().is_empty());
}

#[test]
fn ctrl_z_send_refuses_payloads_containing_ctrl_z_or_esc_and_writes_nothing() {
    for bad in [&b"ab\x1acd"[..], &b"\x1b"[..]] {
        let mut l = link::<Ec2x>(|s| s);
        let err = l.send(&send1(None), bad).unwrap_err();
        assert!(
            matches!(&err, LinkError::Validation(v) if v.problem == Problem::PayloadContainsTerminator),
            "{err}"
        );
        assert!(l.transport().written().is_empty());
    }
}

#[test]
fn fixed_length_send_refuses_a_payload_of_another_length() {
    let mut l = link::<Ec2x>(|s| s);
    let err = l.send(&send1(Some(5)), b"abc").unwrap_err();
    assert!(
        matches!(&err, LinkError::Validation(v) if v.problem == Problem::PayloadLengthMismatch { expected: 5 }),
        "{err}"
    );
    assert!(l.transport().written().is_empty());
}

#[test]
fn a_data_phase_without_data_is_refused() {
    let mut l = link::<Ec2x>(|s| s);
    let err = l.execute(&send1(None)).unwrap_err();
    assert!(
        matches!(&err, LinkError::Validation(v) if v.problem == Problem::PayloadEmpty),
        "{err}"
    );
}

// ---------------------------------------------------------------- errors

#[test]
fn plain_error_names_the_command() {
    let mut l = recv_link("\r\nERROR\r\n");
    let err = l.execute(&RECV).unwrap_err();
    assert!(matches!(&err, LinkError::Error { command } if command == "AT+QSSLRECV"));
    assert_eq!(err.to_string(), "AT+QSSLRECV: the module answered ERROR");
}

#[test]
fn numeric_cme_error_carries_the_family_description() {
    let mut l = recv_link("\r\n+CME ERROR: 552\r\n");
    let err = l.execute(&RECV).unwrap_err();
    assert!(matches!(
        &err,
        LinkError::Cme {
            code: CmeError::Numeric(552),
            description: Some("Invalid parameters"),
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        "AT+QSSLRECV: the module answered +CME ERROR: 552 (Invalid parameters)"
    );
}

#[test]
fn verbose_cme_error_keeps_its_text() {
    let mut l = recv_link("\r\n+CME ERROR: operation not allowed\r\n");
    let err = l.execute(&RECV).unwrap_err();
    assert!(
        matches!(&err, LinkError::Cme { code: CmeError::Verbose(t), .. } if t == "operation not allowed")
    );
}

#[test]
fn error_lookup_can_be_replaced() {
    let mut l = recv_link("\r\n+CME ERROR: 7\r\n");
    l.set_error_lookup(|c| (c == 7).then_some("seven"));
    let err = l.execute(&RECV).unwrap_err();
    assert!(matches!(
        &err,
        LinkError::Cme {
            description: Some("seven"),
            ..
        }
    ));
}

#[test]
fn send_fail_is_its_own_retryable_error() {
    let mut l = link::<Ec2x>(|s| {
        s.expect("AT+QSSLSEND=1,5\r")
            .reply("\r\n> ")
            .expect("hello")
            .reply("\r\nSEND FAIL\r\n")
    });
    let err = l.send(&send1(Some(5)), b"hello").unwrap_err();
    assert!(matches!(err, LinkError::SendFail { .. }));
    assert!(err.is_retryable());
}

#[test]
fn a_broken_transport_is_an_io_error_saying_where() {
    // The script expects another command: the write fails.
    let mut l = link::<Ec2x>(|s| s.expect("AT+QSSLCLOSE=1\r"));
    let err = l.execute(&RECV).unwrap_err();
    assert!(
        matches!(&err, LinkError::Io { context, .. } if context.contains("AT+QSSLRECV") && context.contains("writing")),
        "{err}"
    );
}

// ---------------------------------------------------------------- URCs

#[test]
fn unknown_unsolicited_lines_like_rdy_go_to_the_urc_queue() {
    let mut l = recv_link("\r\nRDY\r\n\r\n+CPIN: READY\r\n\r\n+QSSLRECV: 0\r\n\r\nOK\r\n");
    assert!(l.execute(&RECV).unwrap().response().unwrap().is_empty());
    let urcs: Vec<_> = l.drain_urcs().collect();
    assert_eq!(urcs.len(), 2);
    assert_eq!(
        (urcs[0].frame.as_slice(), urcs[0].kind),
        (&b"RDY"[..], UrcKind::Unknown)
    );
    assert_eq!(urcs[1].frame, b"+CPIN: READY");
}

#[test]
fn direct_push_urc_during_a_command_is_queued_with_its_payload() {
    let mut l = recv_link("\r\n+QSSLURC: \"recv\",2,4\r\nOK\r\n\r\n+QSSLRECV: 0\r\n\r\nOK\r\n");
    l.execute(&RECV).unwrap();
    let u = l.pop_urc().unwrap();
    match u.parse::<Ec2x>() {
        Some(Ok(Ec2xUrc::RecvPush { id: 2, data })) => assert_eq!(data.wire(), b"OK\r\n"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn urcs_arriving_while_idle_are_polled_in_order() {
    let mut l =
        link::<Ec2x>(|s| s.reply("\r\n+QSSLURC: \"recv\",1\r\n\r\n+QSSLURC: \"closed\",1\r\n"));
    assert_eq!(l.poll_urcs(Duration::from_secs(1)).unwrap(), 2);
    let u: Vec<_> = l.drain_urcs().collect();
    assert!(matches!(
        u[0].parse::<Ec2x>(),
        Some(Ok(Ec2xUrc::Recv { id: 1 }))
    ));
    assert!(matches!(
        u[1].parse::<Ec2x>(),
        Some(Ok(Ec2xUrc::Closed { id: 1 }))
    ));
}

#[test]
fn poll_returns_zero_after_the_timeout_without_sleeping() {
    let mut l = link::<Ec2x>(|s| s);
    assert_eq!(l.poll_urcs(Duration::from_secs(3600)).unwrap(), 0);
    assert_eq!(l.clock().now(), Duration::from_secs(3600));
}

#[test]
fn wait_urc_takes_the_matching_one_and_keeps_the_others_in_order() {
    let mut l = link::<Ec2x>(|s| {
        s.reply("\r\n+QSSLURC: \"recv\",1\r\n")
            .wait(Duration::from_secs(2))
            .reply("\r\n+QSSLURC: \"closed\",3\r\n\r\n+QSSLURC: \"recv\",4\r\n")
    });
    let got = l
        .wait_urc(Duration::from_secs(10), |u| {
            matches!(u.parse::<Ec2x>(), Some(Ok(Ec2xUrc::Closed { .. })))
        })
        .unwrap()
        .unwrap();
    assert_eq!(got.frame, b"+QSSLURC: \"closed\",3");
    assert_eq!(
        urc_texts(&mut l),
        ["+QSSLURC: \"recv\",1", "+QSSLURC: \"recv\",4"]
    );
}

#[test]
fn a_malformed_family_urc_is_queued_as_malformed() {
    let mut l = link::<Ec2x>(|s| s.reply("\r\n+QSSLOPEN: x\r\n"));
    l.poll_urcs(Duration::from_secs(1)).unwrap();
    assert!(
        matches!(l.pop_urc().unwrap().kind, UrcKind::Malformed(e) if e.expected == "<clientID>")
    );
}

/// The EC2x QSSLRECV dialog as frames, echo included.
fn recv_dialog(data: &[u8]) -> Vec<Vec<u8>> {
    let mut payload = format!("\r\n+QSSLRECV: {}\r\n", data.len()).into_bytes();
    payload.extend_from_slice(data);
    payload.extend_from_slice(b"\r\n");
    vec![
        b"AT+QSSLRECV=1,1500\r".to_vec(),
        payload,
        b"\r\nOK\r\n".to_vec(),
    ]
}

proptest! {
    #[test]
    fn urcs_injected_at_every_position_of_a_dialog_are_queued_and_never_mixed_in(
        data in proptest::collection::vec(any::<u8>(), 1..64),
        chunks in proptest::collection::vec(1usize..24, 1..8),
    ) {
        let frames = recv_dialog(&data);
        let urcs: [(&[u8], &[u8]); 3] = [
            (b"\r\n+QSSLURC: \"recv\",2\r\n", b"+QSSLURC: \"recv\",2"),
            (b"\r\nRDY\r\n", b"RDY"),
            (b"\r\n+QSSLURC: \"recv\",3,4\r\nOK\r\n\r\n", b"+QSSLURC: \"recv\",3,4\r\nOK\r\n"),
        ];
        for at in 0..=frames.len() {
            for (urc, want) in urcs {
                let mut stream = Vec::new();
                for (i, f) in frames.iter().enumerate() {
                    if i == at { stream.extend_from_slice(urc); }
                    stream.extend_from_slice(f);
                }
                if at == frames.len() { stream.extend_from_slice(urc); }
                // Echo comes back only after the command is written, so the URC before it
                // is still part of this dialog's reply.
                let mut l = link::<Ec2x>(|s| s.expect("AT+QSSLRECV=1,1500\r").reply(&stream).chunks(chunks.clone()));
                let reply = l.execute(&RECV).unwrap();
                prop_assert_eq!(reply.response().unwrap().wire(), data.as_slice());
                if at == frames.len() {
                    l.poll_urcs(Duration::from_millis(10)).unwrap();
                }
                let queued: Vec<_> = l.drain_urcs().collect();
                prop_assert_eq!(queued.len(), 1, "URC at frame {}: {:?}", at, queued);
                prop_assert_eq!(queued[0].frame.as_slice(), want);
            }
        }
    }

    #[test]
    fn fixed_length_send_of_any_bytes_writes_exactly_them(
        data in proptest::collection::vec(any::<u8>(), 1..200),
        chunks in proptest::collection::vec(1usize..10, 1..5),
    ) {
        let cmd = format!("AT+QSSLSEND=1,{}\r", data.len());
        let mut l = link::<Ec2x>(|s| {
            s.expect(&cmd).reply("\r\n> ").expect(&data).reply("\r\nSEND OK\r\n").chunks(chunks.clone())
        });
        let reply = l.send(&send1(Some(data.len())), &data).unwrap();
        prop_assert_eq!(reply.completion(), &Completion::SendOk);
        let mut want = cmd.into_bytes();
        want.extend_from_slice(&data);
        prop_assert_eq!(l.transport().written(), want);
    }
}

// ---------------------------------------------------------------- data phase

#[test]
fn data_is_written_only_after_the_prompt() {
    let mut l = link::<Ec2x>(|s| {
        s.expect("AT+QSSLSEND=1\r")
            .wait(Duration::from_millis(100))
            .reply("\r\n> ")
            .expect(b"hello\x1a")
            .reply("\r\nSEND OK\r\n")
    });
    l.send(&send1(None), b"hello").unwrap();
    let log = l.transport().log();
    let prompt = log
        .iter()
        .position(|s| matches!(s, Seen::Delivered(_, b) if b.ends_with(b"> ")))
        .unwrap();
    let data = log
        .iter()
        .position(|s| matches!(s, Seen::Wrote(_, b) if b == b"hello"))
        .unwrap();
    assert!(prompt < data, "{log:?}");
    assert_finished(&l);
}

#[test]
fn fixed_length_send_of_every_byte_value_writes_no_ctrl_z() {
    let data: Vec<u8> = (0..=255u8).collect();
    let mut l = link::<Ec2x>(|s| {
        s.expect("AT+QSSLSEND=1,256\r")
            .reply("\r\n> ")
            .expect(&data)
            .reply("\r\nSEND OK\r\n")
    });
    l.send(&send1(Some(256)), &data).unwrap();
    let mut want = b"AT+QSSLSEND=1,256\r".to_vec();
    want.extend_from_slice(&data);
    assert_eq!(l.transport().written(), want);
}

#[test]
fn error_instead_of_the_prompt_writes_no_data() {
    let mut l = link::<Ec2x>(|s| s.expect("AT+QSSLSEND=1,5\r").reply("\r\nERROR\r\n"));
    assert!(matches!(
        l.send(&send1(Some(5)), b"hello"),
        Err(LinkError::Error { .. })
    ));
    assert_eq!(l.transport().written(), b"AT+QSSLSEND=1,5\r");
}

#[test]
fn no_prompt_in_time_is_a_timeout_waiting_for_the_prompt() {
    let mut l = link::<Ec2x>(|s| s.expect("AT+QSSLSEND=1,5\r"));
    let err = l.send(&send1(Some(5)), b"hello").unwrap_err();
    assert!(
        matches!(
            err,
            LinkError::Timeout {
                waiting_for: "> prompt",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(l.transport().written(), b"AT+QSSLSEND=1,5\r");
}

#[test]
fn esc_cancels_the_data_phase() {
    let mut l = link::<Ec2x>(|s| {
        s.expect("AT+QSSLSEND=1\r")
            .reply("\r\n> ")
            .expect([0x1b])
            .reply("\r\nOK\r\n")
    });
    let reply = l
        .execute_with(
            &send1(None),
            Exec {
                cancel: true,
                ..Exec::default()
            },
        )
        .unwrap();
    assert_eq!(reply.completion(), &Completion::Cancelled);
    assert_finished(&l);
}

#[test]
fn urcs_around_the_prompt_and_data_are_queued() {
    let mut l = link::<Ec2x>(|s| {
        s.expect("AT+QSSLSEND=1,2\r")
            .reply("\r\n+QSSLURC: \"recv\",1\r\n\r\n> ")
            .expect("hi")
            .reply("\r\n+QSSLURC: \"recv\",2\r\n\r\nSEND OK\r\n\r\n+QSSLURC: \"recv\",3\r\n")
    });
    l.send(&send1(Some(2)), b"hi").unwrap();
    l.poll_urcs(Duration::from_millis(1)).unwrap();
    assert_eq!(
        urc_texts(&mut l),
        [
            "+QSSLURC: \"recv\",1",
            "+QSSLURC: \"recv\",2",
            "+QSSLURC: \"recv\",3"
        ]
    );
}

#[test]
fn echoed_command_and_data_are_dropped_with_ate1() {
    let mut l = link::<Ec2x>(|s| {
        s.expect("AT+QSSLSEND=1,6\r")
            .reply("AT+QSSLSEND=1,6\r\r\n> ")
            .expect("OK\r\nhi")
            .reply("OK\r\nhi\r\nSEND OK\r\n")
            .chunks(vec![1])
    });
    l.send(&send1(Some(6)), b"OK\r\nhi").unwrap();
    assert!(l.urcs().is_empty(), "{:?}", l.urcs());
    assert_finished(&l);
}

#[test]
fn bc26_hex_format_send_is_encoded_after_the_500_ms_wait_and_completed_by_its_result_urc() {
    let mut l = link::<Bc26>(|s| {
        s.expect("AT+QSSLSEND=1,5,2\r")
            .reply("\r\n> ")
            .expect("0D0A")
            .reply("\r\nOK\r\n")
            .wait(Duration::from_millis(100))
            .reply("\r\n+QSSLSEND: 1,5,0\r\n")
    });
    l.set_setting("send_data_format", 1);
    let reply = l.send(&BC26_SEND, b"\r\n").unwrap();
    assert!(matches!(
        reply.result_urc(),
        Some(Ok(Bc26Urc::Send { err: 0, .. }))
    ));
    let log = l.transport().log();
    let prompt_at = delivered_at(log, b"> ");
    let data_at = wrote_at(log, b"0D0A");
    assert!(data_at - prompt_at >= Duration::from_millis(500));
}

#[test]
fn bc26_result_urc_with_an_error_is_a_module_error() {
    let mut l = link::<Bc26>(|s| {
        s.expect("AT+QSSLSEND=1,5,2\r")
            .reply("\r\n> ")
            .expect("hi")
            .reply("\r\nOK\r\n\r\n+QSSLSEND: 1,5,3\r\n")
    });
    let err = l.send(&BC26_SEND, b"hi").unwrap_err();
    assert!(
        matches!(&err, LinkError::Module { code: 3, urc, .. } if urc == "+QSSLSEND: 1,5,3"),
        "{err}"
    );
}

#[test]
fn bc26_hex_recv_urc_is_read_by_twice_its_length_and_decodes() {
    let mut l = link::<Bc26>(|s| s.reply("\r\n+QSSLURC: \"recv\",1,5,3,\"0D0A4F\"\r\n"));
    l.set_setting("recv_data_format", 1);
    assert!(l.payload_hex());
    l.poll_urcs(Duration::from_secs(1)).unwrap();
    let u = l.pop_urc().unwrap();
    match u.parse::<Bc26>() {
        Some(Ok(Bc26Urc::Recv { data, .. })) => assert_eq!(data.to_vec().unwrap(), b"\r\nO"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn bc26_certificate_upload_checksum_is_verified() {
    let pem = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    let mut data = pem.to_vec();
    data.push(0x1a);
    let answer = format!("\r\n+QSSLCFG: 1,5,\"cacert\",{}\r\n\r\nOK\r\n", pem.len());
    let mut l = link::<Bc26>(|s| {
        s.expect("AT+QSSLCFG=1,5,\"cacert\"\r")
            .reply("\r\n> ")
            .expect(&data)
            .reply(answer)
    });
    let reply = l.send(&Bc26CaCert { ctx: 1, conn: 5 }, pem).unwrap();
    assert_eq!(reply.response().unwrap(), i64::try_from(pem.len()).unwrap());
}

#[test]
fn bc26_certificate_upload_checksum_mismatch_is_an_error() {
    let mut l = link::<Bc26>(|s| {
        s.expect("AT+QSSLCFG=1,5,\"cacert\"\r")
            .reply("\r\n> ")
            .expect(b"abc\x1a")
            .reply("\r\n+QSSLCFG: 1,5,\"cacert\",2\r\n\r\nOK\r\n")
    });
    let err = l.send(&Bc26CaCert { ctx: 1, conn: 5 }, b"abc").unwrap_err();
    assert!(
        matches!(
            err,
            LinkError::Checksum {
                kind: ChecksumKind::ByteCount,
                local: 3,
                module: 2,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn ml302_qsecwrite_xor16_checksum_is_verified() {
    let data = [0x12u8, 0x34, 0x56];
    let sum = atgen_runtime::wire::xor16(&data);
    let mut l = link::<Ml302>(|s| {
        s.expect("AT+QSECWRITE=0\r")
            .reply("\r\n>")
            .expect([0x12, 0x34, 0x56, 0x1a])
            .reply(format!("\r\n+QSECWRITE: 3,{sum:x}\r\n\r\nOK\r\n"))
    });
    let reply = l.send(&QsecWrite { flag: 0 }, &data).unwrap();
    assert_eq!(reply.response().unwrap(), (3, i64::from(sum)));

    let mut l = link::<Ml302>(|s| {
        s.expect("AT+QSECWRITE=0\r")
            .reply("\r\n> ")
            .expect([0x12, 0x34, 0x56, 0x1a])
            .reply("\r\n+QSECWRITE: 3,0\r\n\r\nOK\r\n")
    });
    assert!(matches!(
        l.send(&QsecWrite { flag: 0 }, &data),
        Err(LinkError::Checksum {
            kind: ChecksumKind::Xor16,
            ..
        })
    ));
}

// ---------------------------------------------------------------- close

#[test]
fn ml302_close_ok_with_an_id_ends_the_close_command() {
    let mut l = link::<Ml302>(|s| s.expect("AT+QSSLCLOSE=0\r").reply("\r\n0,CLOSE OK\r\n"));
    let reply = l.execute(&Ml302Close { ssid: 0 }).unwrap();
    assert_eq!(reply.completion(), &Completion::CloseOk { id: Some(0) });
}

#[test]
fn a_late_close_ok_during_another_command_is_unsolicited() {
    let mut l = link::<Ml302>(|s| {
        s.expect("AT+QSSLRECV=1,0,10\r")
            .reply("\r\n0,CLOSE OK\r\n\r\n+QSSLRECV: 1.2.3.4:443,TCP,1\r\nx\r\n\r\nOK\r\n")
    });
    let reply = l.execute(&Ml302Recv { ssid: 0, len: 10 }).unwrap();
    assert_eq!(reply.response().unwrap(), b"x");
    assert_eq!(urc_texts(&mut l), ["0,CLOSE OK"]);
}

#[test]
fn qsslclose_timeout_follows_closetimemode() {
    let mut l = link::<Ec2x>(|s| s.expect("AT+QSSLCLOSE=1,500\r"));
    l.set_setting("closetimemode", 1);
    let err = l
        .execute(&QsslClose {
            client: 1,
            timeout: Some(500),
        })
        .unwrap_err();
    assert!(
        matches!(err, LinkError::Timeout { waited, .. } if waited == Duration::from_millis(500)),
        "{err}"
    );
}

// ---------------------------------------------------------------- two-phase commands

fn open(client: i64) -> QsslOpen {
    QsslOpen {
        client,
        host: "example.com".into(),
        port: 443,
        access_mode: Some(0),
    }
}

#[test]
fn qsslopen_waits_for_its_result_urc_after_ok() {
    let mut l = link::<Ec2x>(|s| {
        s.expect(OPEN_4)
            .reply("\r\nOK\r\n")
            .wait(Duration::from_secs(20))
            .reply("\r\n+QSSLURC: \"recv\",1\r\n\r\n+QSSLOPEN: 3,0\r\n\r\n+QSSLOPEN: 4,0\r\n")
    });
    let reply = l.execute(&open(4)).unwrap();
    assert!(matches!(
        reply.result_urc(),
        Some(Ok(Ec2xUrc::Open { id: 4, err: 0 }))
    ));
    // Another client's result and the recv notice are ordinary URCs.
    assert_eq!(
        urc_texts(&mut l),
        ["+QSSLURC: \"recv\",1", "+QSSLOPEN: 3,0"]
    );
}

#[test]
fn qsslopen_result_with_an_error_code_is_a_module_error_with_its_description() {
    let mut l = link::<Ec2x>(|s| s.expect(OPEN_4).reply("\r\nOK\r\n\r\n+QSSLOPEN: 4,552\r\n"));
    let err = l.execute(&open(4)).unwrap_err();
    assert!(matches!(
        err,
        LinkError::Module {
            code: 552,
            description: Some("Invalid parameters"),
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        "AT+QSSLOPEN: the result +QSSLOPEN: 4,552 reports error 552 (Invalid parameters)"
    );
}

#[test]
fn qsslopen_waits_150_s_plus_the_default_negotiate_time() {
    let mut l = link::<Ec2x>(|s| s.expect(OPEN_4).reply("\r\nOK\r\n"));
    let err = l.execute(&open(4)).unwrap_err();
    assert!(
        matches!(err, LinkError::Timeout { waited, waiting_for: "result URC", .. } if waited == Duration::from_secs(450)),
        "{err}"
    );
    assert_eq!(l.clock().now(), Duration::from_secs(450));
}

#[test]
fn qsslopen_timeout_uses_the_negotiate_time_set_earlier() {
    let mut l = link::<Ec2x>(|s| {
        s.expect("AT+QSSLCFG=\"negotiatetime\",1,60\r")
            .reply("\r\nOK\r\n")
            .expect(OPEN_4)
            .reply("\r\nOK\r\n")
    });
    l.execute(&QsslCfgNegotiate { ctx: 1, secs: 60 }).unwrap();
    assert_eq!(l.setting("negotiate_time"), Some(60));
    let err = l.execute(&open(4)).unwrap_err();
    assert!(
        matches!(err, LinkError::Timeout { waited, .. } if waited == Duration::from_secs(210)),
        "{err}"
    );
}

#[test]
fn a_failed_setting_command_records_nothing() {
    let mut l = link::<Ec2x>(|s| {
        s.expect("AT+QSSLCFG=\"negotiatetime\",1,60\r")
            .reply("\r\nERROR\r\n")
    });
    assert!(l.execute(&QsslCfgNegotiate { ctx: 1, secs: 60 }).is_err());
    assert_eq!(l.setting("negotiate_time"), None);
}

#[test]
fn a_result_arriving_after_its_timeout_is_a_urc_not_the_next_commands_response() {
    let mut l = link::<Ec2x>(|s| {
        s.expect(OPEN_4)
            .reply("\r\nOK\r\n")
            .expect("AT+QSSLRECV=1,1500\r")
            .reply("\r\n+QSSLOPEN: 4,0\r\n")
            .reply("\r\n+QSSLRECV: 0\r\n\r\nOK\r\n")
    });
    let err = l
        .execute_with(
            &open(4),
            Exec {
                timeout: Some(Duration::from_secs(1)),
                ..Exec::default()
            },
        )
        .unwrap_err();
    assert!(matches!(
        err,
        LinkError::Timeout {
            waiting_for: "result URC",
            ..
        }
    ));
    assert!(err.is_retryable());
    let reply = l.execute(&RECV).unwrap();
    assert!(reply.response().unwrap().is_empty());
    let late = l.pop_urc().unwrap();
    assert!(matches!(
        late.parse::<Ec2x>(),
        Some(Ok(Ec2xUrc::Open { id: 4, err: 0 }))
    ));
}

#[test]
fn a_payload_that_never_completes_does_not_wedge_the_next_command() {
    let mut l = link::<Ec2x>(|s| {
        s.expect("AT+QSSLRECV=1,1500\r")
            .reply("\r\n+QSSLRECV: 100\r\nshort")
            .expect("AT+QSSLRECV=1,1500\r")
            .reply("\r\n+QSSLRECV: 0\r\n\r\nOK\r\n")
    });
    assert!(matches!(l.execute(&RECV), Err(LinkError::Timeout { .. })));
    assert!(l.execute(&RECV).unwrap().response().unwrap().is_empty());
}

// ---------------------------------------------------------------- transparent mode

fn transparent_link(after_connect: &[u8]) -> TestLink<Ec2x> {
    let mut first = b"\r\nCONNECT\r\n".to_vec();
    first.extend_from_slice(after_connect);
    link::<Ec2x>(|s| s.expect(OPEN_4_TRANSPARENT).reply(first))
}

fn open_transparent() -> QsslOpen {
    QsslOpen {
        access_mode: Some(2),
        ..open(4)
    }
}

#[test]
fn connect_enters_transparent_mode_and_bytes_flow_raw() {
    let mut l = link::<Ec2x>(|s| {
        s.expect(OPEN_4_TRANSPARENT)
            .reply("\r\nCONNECT 115200\r\n\r\nOK\r\nERROR\r\n")
            .expect("GET / \x1a\x1b")
            .reply(b"\x00\xff+QSSLURC: x\r\n")
    });
    let reply = l.execute(&open_transparent()).unwrap();
    assert_eq!(
        reply.completion(),
        &Completion::Connect {
            rate: Some("115200".into())
        }
    );
    assert!(l.is_transparent());
    l.transparent_write(b"GET / \x1a\x1b").unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 64];
    loop {
        let n = l
            .transparent_read(&mut buf, Duration::from_millis(100))
            .unwrap();
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(got, b"\r\nOK\r\nERROR\r\n\x00\xff+QSSLURC: x\r\n");
    assert!(l.urcs().is_empty());
}

#[test]
fn commands_are_refused_in_transparent_mode() {
    let mut l = transparent_link(b"");
    l.execute(&open_transparent()).unwrap();
    assert!(matches!(l.execute(&RECV), Err(LinkError::Mode { .. })));
    assert!(l.transport().written().ends_with(b",2\r"));
}

#[test]
fn plus_plus_plus_is_surrounded_by_one_second_guard_times() {
    let mut l = link::<Ec2x>(|s| {
        s.expect(OPEN_4_TRANSPARENT)
            .reply("\r\nCONNECT\r\n")
            .expect("data")
            .expect("+++")
            .reply("tail\r\nOK\r\n")
            .expect("AT+QSSLRECV=1,1500\r")
            .reply("\r\n+QSSLRECV: 0\r\n\r\nOK\r\n")
    });
    l.execute(&open_transparent()).unwrap();
    l.transparent_write(b"data").unwrap();
    let data_at = l.clock().now();
    let leftover = l.exit_transparent().unwrap();
    assert_eq!(leftover, b"tail");
    assert!(!l.is_transparent());
    let log = l.transport().log();
    let plus_at = wrote_at(log, b"+++");
    let ok_at = delivered_at(log, b"OK\r\n");
    assert!(
        plus_at - data_at >= Duration::from_secs(1),
        "guard before: {:?}",
        plus_at - data_at
    );
    assert!(
        ok_at - plus_at >= Duration::from_secs(1),
        "guard after: {:?}",
        ok_at - plus_at
    );
    assert!(l.execute(&RECV).unwrap().response().unwrap().is_empty());
}

#[test]
fn no_carrier_ends_transparent_mode_after_the_data_before_it() {
    let mut l = transparent_link(b"last bytes\r\nNO CARRIER\r\n\r\n+QSSLURC: \"closed\",4\r\n");
    l.execute(&open_transparent()).unwrap();
    let (got, err) = read_until_error(&mut l);
    assert!(matches!(err, LinkError::NoCarrier { .. }));
    assert_eq!(got, b"last bytes");
    assert!(!l.is_transparent());
    l.poll_urcs(Duration::from_millis(1)).unwrap();
    assert_eq!(urc_texts(&mut l), ["+QSSLURC: \"closed\",4"]);
}

#[test]
fn a_partial_no_carrier_in_the_data_is_data() {
    let mut l = transparent_link(b"ab\r\nNO CAR");
    l.execute(&open_transparent()).unwrap();
    let mut buf = [0u8; 64];
    let mut got = Vec::new();
    for _ in 0..4 {
        let n = l
            .transparent_read(&mut buf, Duration::from_millis(100))
            .unwrap();
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(got, b"ab\r\nNO CAR");
}

#[test]
fn no_carrier_split_across_reads_is_still_found() {
    let mut l = link::<Ec2x>(|s| {
        s.expect(OPEN_4_TRANSPARENT)
            .reply("\r\nCONNECT\r\nxy\r\nNO CARRIER\r\n")
            .chunks(vec![1])
    });
    l.execute(&open_transparent()).unwrap();
    let (got, err) = read_until_error(&mut l);
    assert!(matches!(err, LinkError::NoCarrier { .. }));
    assert_eq!(got, b"xy");
}

proptest! {
    #[test]
    fn a_whole_ec2x_session_gives_the_same_results_however_the_replies_are_split(
        chunks in proptest::collection::vec(1usize..16, 1..8),
        data in proptest::collection::vec(any::<u8>(), 1..40),
    ) {
        let mut recv = format!("\r\n+QSSLURC: \"recv\",4\r\n\r\n+QSSLRECV: {}\r\n", data.len()).into_bytes();
        recv.extend_from_slice(&data);
        recv.extend_from_slice(b"\r\n\r\nOK\r\n");
        let mut l = link::<Ec2x>(|s| {
            s.expect("AT+QSSLCFG=\"negotiatetime\",1,60\r")
                .reply("\r\nOK\r\n")
                .expect(OPEN_4)
                .reply("\r\nOK\r\n\r\nRDY\r\n")
                .wait(Duration::from_secs(3))
                .reply("\r\n+QSSLOPEN: 4,0\r\n")
                .expect("AT+QSSLSEND=4,3\r")
                .reply("\r\n> ")
                .expect("abc")
                .reply("\r\nSEND OK\r\n")
                .expect("AT+QSSLRECV=4,1500\r")
                .reply(recv)
                .expect("AT+QSSLCLOSE=4\r")
                .reply("\r\nOK\r\n")
                .chunks(chunks.clone())
        });
        l.execute(&QsslCfgNegotiate { ctx: 1, secs: 60 }).unwrap();
        let opened = l.execute(&open(4)).unwrap();
        let result_ok = matches!(
            opened.result_urc(),
            Some(Ok(Ec2xUrc::Open { id: 4, err: 0 }))
        );
        prop_assert!(result_ok, "result URC: {:?}", opened.result_frame());
        l.send(&QsslSend { client: 4, len: Some(3) }, b"abc").unwrap();
        let got = l.execute(&QsslRecv { client: 4, len: 1500 }).unwrap();
        prop_assert_eq!(got.response().unwrap().wire(), data.as_slice());
        l.execute(&QsslClose { client: 4, timeout: None }).unwrap();
        prop_assert_eq!(urc_texts(&mut l), ["RDY", "+QSSLURC: \"recv\",4"]);
        assert_finished(&l);
    }
}

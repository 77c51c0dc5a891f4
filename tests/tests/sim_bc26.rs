//! The simulator's BC26 dialect through the runtime `Link`: certificate upload with
//! its byte count, the two-phase open, sends completed by `+QSSLSEND: 1,<conn>,0`,
//! inline "recv" URCs in text and hex, close with `+QSSLCLOSE: 1,<conn>,0`.

mod sim_common;

use atgen::quectel_bc26::*;
use atgen_runtime::link::{Completion, LinkError};
use sim_common::*;

const PEM: &[u8] = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

fn open(link: &mut SimLink<Family>, conn: u8) {
    let r = exec(
        link,
        &Qsslopen {
            context_id: 1,
            connect_id: conn,
            host_name: "220.180.239.212",
            port: 8010,
            connect_mode: ConnectMode::NonTransparent,
        },
    )
    .unwrap();
    match r.result_urc() {
        Some(Ok(Urc::QsslopenResult(u))) => {
            assert_eq!(
                (u.context_id, u.connect_id, u.err),
                (1, conn, SslError::OperationSuccessful)
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn bc26_full_session_with_upload_text_and_hex_data_and_close() {
    let (sim, mut link) = start::<Family>("quectel-bc26", fast());

    exec(
        &mut link,
        &QsslcfgSeclevel {
            context_id: 1,
            connect_id: 5,
            seclevel: Seclevel::OneWayAuthentication,
        },
    )
    .unwrap();
    let q = exec(
        &mut link,
        &QsslcfgSeclevelQuery {
            context_id: 1,
            connect_id: 5,
        },
    )
    .unwrap();
    assert_eq!(
        q.response().unwrap().seclevel,
        Seclevel::OneWayAuthentication
    );
    let q = exec(
        &mut link,
        &QsslcfgTimeoutQuery {
            context_id: 1,
            connect_id: 5,
        },
    )
    .unwrap();
    assert_eq!(q.response().unwrap().timeout, 90, "the spec's default");

    // Upload: > , PEM, Ctrl+Z, the byte count (the link checks it), OK.
    let r = send(
        &mut link,
        &QsslcfgCacert {
            context_id: 1,
            connect_id: 5,
        },
        PEM,
    )
    .unwrap();
    assert_eq!(r.response().unwrap().checksum as usize, PEM.len());
    let all = exec(
        &mut link,
        &QsslcfgAll {
            context_id: 1,
            connect_id: 5,
        },
    )
    .unwrap();
    let all = all.response().unwrap();
    assert_eq!(all.cacert.checksum as usize, PEM.len());
    // The manual lists every line unconditionally: no client certificate reads 0 bytes.
    assert_eq!(all.clientcert.checksum, 0);

    open(&mut link, 5);

    // Text: OK, then +QSSLSEND: 1,5,0; the echo comes back inline.
    let r = send(
        &mut link,
        &Qsslsend {
            context_id: 1,
            connect_id: 5,
        },
        b"1234567890",
    )
    .unwrap();
    assert_eq!(r.completion(), &Completion::Ok);
    match r.result_urc() {
        Some(Ok(Urc::QsslsendResult(u))) => {
            assert_eq!((u.connect_id, u.err), (5, SslError::OperationSuccessful))
        }
        other => panic!("{other:?}"),
    }
    let u = wait_urc(&mut link, starts("+QSSLURC: \"recv\""));
    assert_eq!(u.frame, b"+QSSLURC: \"recv\",1,5,10,\"1234567890\"");

    // Hex both ways: the link hex-encodes the fixed-length send, the URC carries hex text.
    exec(
        &mut link,
        &QsslcfgDataformat {
            context_id: 1,
            connect_id: 5,
            send_data_format: SendDataFormat::Hex,
            recv_data_format: RecvDataFormat::Hex,
        },
    )
    .unwrap();
    assert!(link.payload_hex());
    let r = send(
        &mut link,
        &QsslsendFixedLength {
            context_id: 1,
            connect_id: 5,
            send_length: 3,
        },
        b"\x00\x1a\xff",
    )
    .unwrap();
    assert!(matches!(r.result_urc(), Some(Ok(Urc::QsslsendResult(_)))));
    let u = wait_urc(&mut link, starts("+QSSLURC: \"recv\""));
    match u.parse::<Family>() {
        Some(Ok(Urc::RecvPush(p))) => {
            assert_eq!((p.length, p.data), (3, &b"001AFF"[..]));
        }
        other => panic!("{other:?}"),
    }
    // 731 bytes in hex is more than the manual allows: ERROR.
    use atgen_runtime::link::Transport;
    link.transport_mut()
        .write_all(b"AT+QSSLSEND=1,5,731\r")
        .unwrap();
    wait_urc(&mut link, |u| u.frame == b"ERROR");

    // Inline URCs carry at most 650 bytes as hex.
    let big = vec![0x55u8; 1000];
    sim.peer_send(5, &big).unwrap();
    let a = wait_urc(&mut link, starts("+QSSLURC: \"recv\""));
    let b = wait_urc(&mut link, starts("+QSSLURC: \"recv\""));
    assert!(a.frame.starts_with(b"+QSSLURC: \"recv\",1,5,650,\""));
    assert!(b.frame.starts_with(b"+QSSLURC: \"recv\",1,5,350,\""));

    let r = exec(
        &mut link,
        &Qsslclose {
            context_id: 1,
            connect_id: 5,
        },
    )
    .unwrap();
    assert!(matches!(r.result_urc(), Some(Ok(Urc::QsslcloseResult(u))) if u.connect_id == 5));
    assert!(sim.state().unwrap().sockets.is_empty());
    // Not open any more: ERROR.
    assert!(matches!(
        exec(
            &mut link,
            &Qsslclose {
                context_id: 1,
                connect_id: 5
            }
        ),
        Err(LinkError::Error { .. })
    ));
}

#[test]
fn bc26_peer_close_reports_closed_and_frees_the_socket() {
    let (sim, mut link) = start::<Family>("quectel-bc26", fast());
    open(&mut link, 0);
    sim.peer_close(0).unwrap();
    let u = wait_urc(&mut link, starts("+QSSLURC: \"closed\""));
    assert!(matches!(u.parse::<Family>(), Some(Ok(Urc::Closed(c))) if c.connect_id == 0));
    assert!(sim.state().unwrap().sockets.is_empty());
    // A connect id in use: the open result reports the state error.
    open(&mut link, 1);
    let again = Qsslopen {
        context_id: 1,
        connect_id: 1,
        host_name: "x",
        port: 1,
        connect_mode: ConnectMode::NonTransparent,
    };
    assert!(matches!(
        exec(&mut link, &again),
        Err(LinkError::Module { code: -6, .. })
    ));
    // Sending on a socket that is not open: ERROR.
    assert!(matches!(
        send(
            &mut link,
            &Qsslsend {
                context_id: 1,
                connect_id: 3
            },
            b"x"
        ),
        Err(LinkError::Error { .. })
    ));
}

//! The simulator's Quectel LTE dialects (EC2x, EC200x) and UGxx, driven through the
//! runtime `Link` with the generated request types: a full session per family, the
//! once-per-drain "recv" URC, direct push, transparent mode, and misuse.

mod sim_common;

use std::time::Duration;

use atgen::sim::{AccessMode as SimMode, SocketState as SimState};
use atgen_runtime::link::{Completion, LinkError};
use sim_common::*;

/// One buffer-mode session: configure, query by omission, open (two phases), send,
/// the "recv" URC, read by QSSLRECV, state, close.
macro_rules! lte_session {
    ($name:ident, $fam:ident, $id:literal, $ctx:ident, $pdp:ident, $cacert:ident, $readlen:ident) => {
        #[test]
        fn $name() {
            use atgen::$fam::*;
            let (sim, mut link) = start::<Family>($id, fast());

            // Settings: write, then the query by omission answers the stored value.
            let q = exec(&mut link, &QsslcfgSslversionQuery { $ctx: 1 }).unwrap();
            assert_eq!(
                q.response().unwrap().ssl_version,
                SslVersion::All,
                "power-on default"
            );
            exec(
                &mut link,
                &QsslcfgSslversion {
                    $ctx: 1,
                    ssl_version: SslVersion::Tls1_2,
                },
            )
            .unwrap();
            exec(
                &mut link,
                &QsslcfgCacert {
                    $ctx: 1,
                    $cacert: "UFS:cacert.pem",
                },
            )
            .unwrap();
            let q = exec(&mut link, &QsslcfgSslversionQuery { $ctx: 1 }).unwrap();
            assert_eq!(q.response().unwrap().ssl_version, SslVersion::Tls1_2);
            let q = exec(&mut link, &QsslcfgCacertQuery { $ctx: 1 }).unwrap();
            assert_eq!(q.response().unwrap().$cacert, "UFS:cacert.pem");
            assert_eq!(
                exec(&mut link, &QsslcfgNegotiatetimeQuery { $ctx: 2 })
                    .unwrap()
                    .response()
                    .unwrap()
                    .ssl_ctx_id_or_default(),
                2
            );

            // Two-phase open: OK, then +QSSLOPEN: 4,0.
            let open = Qsslopen {
                $pdp: 1,
                $ctx: 1,
                client_id: 4,
                serveraddr: "220.180.239.212",
                server_port: 8010,
                access_mode: Some(AccessMode::Buffer),
            };
            let reply = exec(&mut link, &open).unwrap();
            assert_eq!(reply.completion(), &Completion::Ok);
            match reply.result_urc() {
                Some(Ok(Urc::QsslopenResult(r))) => assert_eq!(r.client_id, 4),
                other => panic!("{other:?}"),
            }

            // Send, then the echo peer answers: one "recv" URC.
            let r = send(&mut link, &Qsslsend { client_id: 4 }, b"hello").unwrap();
            assert_eq!(r.completion(), &Completion::SendOk);
            let u = wait_urc(&mut link, starts("+QSSLURC: \"recv\""));
            assert!(matches!(
                u.parse::<Family>(),
                Some(Ok(Urc::Recv(Recv { client_id: 4 })))
            ));

            let r = exec(
                &mut link,
                &Qsslrecv {
                    client_id: 4,
                    $readlen: 1500,
                },
            )
            .unwrap();
            assert_eq!(r.response().unwrap().data, b"hello");
            let r = exec(
                &mut link,
                &Qsslrecv {
                    client_id: 4,
                    $readlen: 1500,
                },
            )
            .unwrap();
            assert!(r.response().unwrap().data.is_empty());

            // Fixed length: exactly <sendlen> bytes.
            let r = send(
                &mut link,
                &QsslsendFixedLength {
                    client_id: 4,
                    sendlen: 3,
                },
                b"abc",
            )
            .unwrap();
            assert_eq!(r.completion(), &Completion::SendOk);
            wait_urc(&mut link, starts("+QSSLURC: \"recv\""));

            let st = sim.state().unwrap();
            assert_eq!(st.sockets.len(), 1);
            assert_eq!(st.sockets[0].state, atgen::sim::SocketState::Connected);
            assert_eq!(st.sockets[0].buffered, 3);

            exec(
                &mut link,
                &Qsslclose {
                    client_id: 4,
                    close_timeout: None,
                },
            )
            .unwrap();
            assert!(sim.state().unwrap().sockets.is_empty());
        }
    };
}

/// The response types name the context id alike; this reads it.
trait CtxId {
    fn ssl_ctx_id_or_default(&self) -> u8;
}
impl CtxId for atgen::quectel_ec2x::QsslcfgNegotiatetimeQueryResponse {
    fn ssl_ctx_id_or_default(&self) -> u8 {
        assert_eq!(self.negotiate_time, 300, "the spec's default");
        self.ssl_ctx_id
    }
}
impl CtxId for atgen::quectel_ec200x::QsslcfgNegotiatetimeQueryResponse {
    fn ssl_ctx_id_or_default(&self) -> u8 {
        assert_eq!(self.negotiate_time, 300, "the spec's default");
        self.ssl_ctx_id
    }
}
impl CtxId for atgen::quectel_ugxx::QsslcfgNegotiatetimeQueryResponse {
    fn ssl_ctx_id_or_default(&self) -> u8 {
        assert_eq!(self.negotiatetime, 300, "the spec's default");
        self.sslctx_id
    }
}

lte_session!(
    ec2x_full_session_in_buffer_mode,
    quectel_ec2x,
    "quectel-ec2x",
    ssl_ctx_id,
    pdp_ctx_id,
    cacertpath,
    readlen
);
lte_session!(
    ec200x_full_session_in_buffer_mode,
    quectel_ec200x,
    "quectel-ec200x",
    ssl_ctx_id,
    pdp_ctx_id,
    cacertpath,
    readlen
);
lte_session!(
    ugxx_full_session_in_buffer_mode,
    quectel_ugxx,
    "quectel-ugxx",
    sslctx_id,
    pdpctx_id,
    cacert_path,
    readlen
);

mod ec2x {
    use super::*;
    use atgen::quectel_ec2x::*;

    fn open(link: &mut SimLink<Family>, id: u8, mode: AccessMode) -> Completion {
        let open = Qsslopen {
            pdp_ctx_id: 1,
            ssl_ctx_id: 0,
            client_id: id,
            serveraddr: "example.com",
            server_port: 443,
            access_mode: Some(mode),
        };
        exec(link, &open).unwrap().completion().clone()
    }

    fn recv(link: &mut SimLink<Family>, id: u8) -> Vec<u8> {
        let r = exec(
            link,
            &Qsslrecv {
                client_id: id,
                readlen: 1500,
            },
        )
        .unwrap();
        r.response().unwrap().data.to_vec()
    }

    #[test]
    fn recv_urc_comes_once_per_drain() {
        let (sim, mut link) = start::<Family>("quectel-ec2x", fast());
        open(&mut link, 1, AccessMode::Buffer);
        sim.peer_send(1, b"one").unwrap();
        wait_urc(&mut link, starts("+QSSLURC: \"recv\",1"));
        // More data before the host read the buffer empty: no second URC.
        sim.peer_send(1, b"two").unwrap();
        assert!(no_urc(&mut link, starts("+QSSLURC")));
        assert_eq!(recv(&mut link, 1), b"onetwo");
        // Emptied by a read, but not yet read to `+QSSLRECV: 0`: still armed off.
        sim.peer_send(1, b"three").unwrap();
        assert!(no_urc(&mut link, starts("+QSSLURC")));
        assert_eq!(recv(&mut link, 1), b"three");
        assert_eq!(recv(&mut link, 1), b"");
        assert!(!sim.state().unwrap().sockets[0].recv_urc_pending);
        // Read to empty: the next data is announced again, once.
        sim.peer_send(1, b"four").unwrap();
        sim.peer_send(1, b"five").unwrap();
        let u = wait_urc(&mut link, starts("+QSSLURC"));
        assert_eq!(
            u.parse::<Family>(),
            Some(Ok(Urc::Recv(Recv { client_id: 1 })))
        );
        assert!(no_urc(&mut link, starts("+QSSLURC")));
        assert_eq!(recv(&mut link, 1), b"fourfive");
    }

    #[test]
    fn direct_push_carries_the_data_in_urcs_of_at_most_1500_bytes() {
        let (sim, mut link) = start::<Family>("quectel-ec2x", fast());
        open(&mut link, 2, AccessMode::DirectPush);
        send(&mut link, &Qsslsend { client_id: 2 }, b"ping").unwrap();
        let u = wait_urc(&mut link, starts("+QSSLURC: \"recv\""));
        match u.parse::<Family>() {
            Some(Ok(Urc::RecvPush(p))) => {
                assert_eq!(
                    (p.client_id, p.current_recvlength, p.data),
                    (2, 4, &b"ping"[..])
                )
            }
            other => panic!("{other:?}"),
        }
        let big: Vec<u8> = (0..4000u32).map(|i| (i % 251) as u8).collect();
        sim.peer_send(2, &big).unwrap();
        let mut got = Vec::new();
        let mut sizes = Vec::new();
        while got.len() < big.len() {
            let u = wait_urc(&mut link, starts("+QSSLURC: \"recv\""));
            let Some(Ok(Urc::RecvPush(p))) = u.parse::<Family>() else {
                panic!("{}", u.text())
            };
            sizes.push(p.data.len());
            got.extend_from_slice(p.data);
        }
        assert_eq!(got, big);
        assert_eq!(sizes, [1500, 1500, 1000]);
        // Push mode has no buffer to read.
        assert!(matches!(
            exec(
                &mut link,
                &Qsslrecv {
                    client_id: 2,
                    readlen: 10
                }
            ),
            Err(LinkError::Error { .. })
        ));
    }

    #[test]
    fn transparent_mode_pipes_bytes_escapes_with_plus_plus_plus_and_ends_with_no_carrier() {
        let (sim, mut link) = start::<Family>("quectel-ec2x", fast());
        assert!(matches!(
            open(&mut link, 3, AccessMode::Transparent),
            Completion::Connect { .. }
        ));
        assert!(link.is_transparent());
        assert_eq!(sim.state().unwrap().transparent, Some(3));
        let data = b"raw \r\nOK\r\n bytes";
        link.transparent_write(data).unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 64];
        while got.len() < data.len() {
            let n = link.transparent_read(&mut buf, T).unwrap();
            assert!(n > 0, "the echo comes back");
            got.extend_from_slice(&buf[..n]);
        }
        assert_eq!(got, b"raw \r\nOK\r\n bytes");
        // +++ with guard times: OK, command mode, the connection stays.
        link.exit_transparent().unwrap();
        assert!(!link.is_transparent());
        let st = sim.state().unwrap();
        assert_eq!(st.transparent, None);
        assert_eq!(st.sockets[0].state, SimState::Connected);
        assert_eq!(st.sockets[0].mode, SimMode::Transparent);
        exec(
            &mut link,
            &Qsslclose {
                client_id: 3,
                close_timeout: None,
            },
        )
        .unwrap();

        // The peer closing ends transparent mode with NO CARRIER.
        assert!(matches!(
            open(&mut link, 5, AccessMode::Transparent),
            Completion::Connect { .. }
        ));
        sim.peer_close(5).unwrap();
        let err = loop {
            match link.transparent_read(&mut buf, T) {
                Ok(0) => panic!("NO CARRIER never came"),
                Ok(_) => continue,
                Err(e) => break e,
            }
        };
        assert!(matches!(err, LinkError::NoCarrier { .. }), "{err}");
        assert!(!link.is_transparent());
        assert_eq!(sim.state().unwrap().sockets[0].state, SimState::Closing);
    }

    #[test]
    fn misuse_gets_the_manuals_errors() {
        let (_sim, mut link) = start::<Family>("quectel-ec2x", fast());
        // Not connected: ERROR.
        assert!(matches!(
            send(&mut link, &Qsslsend { client_id: 7 }, b"x"),
            Err(LinkError::Error { .. })
        ));
        assert!(matches!(
            exec(
                &mut link,
                &Qsslrecv {
                    client_id: 7,
                    readlen: 1
                }
            ),
            Err(LinkError::Error { .. })
        ));
        // A client id in use: OK, then +QSSLOPEN: <id>,563.
        open(&mut link, 0, AccessMode::Buffer);
        let again = Qsslopen {
            pdp_ctx_id: 1,
            ssl_ctx_id: 0,
            client_id: 0,
            serveraddr: "example.com",
            server_port: 443,
            access_mode: None,
        };
        match exec(&mut link, &again) {
            Err(LinkError::Module {
                code: 563,
                description,
                ..
            }) => {
                assert_eq!(description, Some("Socket identity has been used"))
            }
            other => panic!("{other:?}"),
        }
        // More than 1460 bytes in one variable-length send: the simulator refuses them
        // (the link refuses them first, so write the bytes by hand).
        let (_sim2, mut link2) = start::<Family>("quectel-ec2x", fast());
        open(&mut link2, 0, AccessMode::Buffer);
        use atgen_runtime::link::Transport;
        link2.transport_mut().write_all(b"AT+QSSLSEND=0\r").unwrap();
        std::thread::sleep(Duration::from_millis(50));
        let mut big = vec![b'x'; 1461];
        big.push(0x1A);
        link2.transport_mut().write_all(&big).unwrap();
        let u = wait_urc(&mut link2, |u| u.frame == b"ERROR");
        assert_eq!(u.frame, b"ERROR");
    }

    #[test]
    fn esc_cancels_a_data_phase() {
        let (sim, mut link) = start::<Family>("quectel-ec2x", fast());
        open(&mut link, 0, AccessMode::Buffer);
        let r = link
            .execute_with(
                &Qsslsend { client_id: 0 },
                atgen_runtime::link::Exec {
                    data: None,
                    timeout: Some(T),
                    cancel: true,
                },
            )
            .unwrap();
        assert_eq!(r.completion(), &Completion::Cancelled);
        assert_eq!(sim.state().unwrap().sockets[0].sent, 0);
        send(&mut link, &Qsslsend { client_id: 0 }, b"after").unwrap();
    }

    #[test]
    fn test_forms_answer_their_test_lines() {
        let (_sim, mut link) = start::<Family>("quectel-ec2x", fast());
        let r = exec(&mut link, &QsslcfgTest).unwrap();
        let t = r.response().unwrap();
        assert_eq!(t.sslversion.unwrap().ssl_ctx_id, "0-5");
        assert!(t.renegotiation.is_some());
        let r = exec(&mut link, &QsslopenTest).unwrap();
        assert_eq!(r.response().unwrap().line1.unwrap().client_id, "0-11");
        let r = exec(&mut link, &QsslrecvTest).unwrap();
        assert_eq!(r.response().unwrap().line1.unwrap().readlen, "1-1500");
        exec(&mut link, &QsslstateTest).unwrap();
    }

    #[test]
    fn state_lists_every_socket() {
        let (_sim, mut link) = start::<Family>("quectel-ec2x", fast());
        open(&mut link, 1, AccessMode::Buffer);
        open(&mut link, 2, AccessMode::DirectPush);
        let r = exec(&mut link, &QsslstateExec).unwrap();
        let lines: Vec<_> = r.response().unwrap().ssl_client.clone().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].client_id, 1);
        assert_eq!(lines[1].access_mode, AccessMode::DirectPush);
        assert_eq!(
            lines[1].socket_state,
            atgen::quectel_ec2x::SocketState::Connected
        );
        let r = exec(&mut link, &Qsslstate { client_id: 2 }).unwrap();
        // The manual's list may be empty for a <clientID> without a connection.
        let line = r.response().unwrap().ssl_client.unwrap();
        assert_eq!(line.ip_address, "example.com");
    }

    #[test]
    fn http_peer_answers_a_request_with_content_length() {
        let opts = atgen::sim::Options {
            peer: atgen::sim::PeerKind::Http,
            ..fast()
        };
        let (_sim, mut link) = start::<Family>("quectel-ec2x", opts);
        open(&mut link, 0, AccessMode::Buffer);
        send(
            &mut link,
            &Qsslsend { client_id: 0 },
            b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
        )
        .unwrap();
        wait_urc(&mut link, starts("+QSSLURC: \"recv\",0"));
        let body = recv(&mut link, 0);
        let text = String::from_utf8(body).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
        assert!(text.ends_with(atgen::sim::HTTP_BODY));
        assert!(text.contains(&format!("Content-Length: {}", atgen::sim::HTTP_BODY.len())));
    }

    #[test]
    fn garbage_input_never_wedges_the_simulator() {
        use atgen_runtime::link::Transport;
        let (sim, mut link) = start::<Family>("quectel-ec2x", fast());
        let mut junk: Vec<u8> = (0..10_000u32)
            .map(|i| (i.wrapping_mul(7919) % 256) as u8)
            .collect();
        junk.retain(|b| *b != b'\r' && *b != b'\n');
        link.transport_mut().write_all(&junk).unwrap();
        link.transport_mut()
            .write_all(b"\rAT+QSSLOPEN=9,9\r\x1b\x1a\r")
            .unwrap();
        std::thread::sleep(Duration::from_millis(100));
        link.poll_urcs(QUIET).unwrap();
        link.drain_urcs().for_each(drop);
        let q = exec(&mut link, &QsslcfgSslversionQuery { ssl_ctx_id: 0 }).unwrap();
        assert_eq!(q.response().unwrap().ssl_version, SslVersion::All);
        assert!(sim.is_running());
    }
}

//! The simulator's ML302 dialect through the runtime `Link`: QSECWRITE with its
//! XOR16 checksum, QSECREAD, QSECDEL, configuration, open, send, the "recv" URC,
//! `+QSSLRECV: <ip>:<port>,TCP,<len>`, close with `OK` then `<ssid>,CLOSE OK`.

mod sim_common;

use atgen::cmiot_ml302::*;
use atgen_runtime::link::{Completion, LinkError};
use atgen_runtime::wire::xor16;
use sim_common::*;

#[test]
fn ml302_full_session() {
    let (sim, mut link) = start::<Family>("cmiot-ml302", fast());
    let pem = b"-----BEGIN CERTIFICATE-----\nMIIBx\n-----END CERTIFICATE-----\n";

    // QSECWRITE answers the size and the XOR16 checksum (the link verifies it too).
    let r = send(
        &mut link,
        &Qsecwrite {
            crtflag: Crtflag::CaCert,
        },
        pem,
    )
    .unwrap();
    let w = r.response().unwrap();
    assert_eq!((w.uploadsize as usize, w.checksum), (pem.len(), xor16(pem)));
    let r = exec(
        &mut link,
        &Qsecread {
            crtflag: Crtflag::CaCert,
        },
    )
    .unwrap();
    let rd = r.response().unwrap();
    assert_eq!((rd.good, rd.checksum), (Good::Correct, xor16(pem)));
    exec(
        &mut link,
        &Qsecdel {
            crtflag: Crtflag::CaCert,
        },
    )
    .unwrap();
    assert!(matches!(
        exec(
            &mut link,
            &Qsecread {
                crtflag: Crtflag::CaCert
            }
        ),
        Err(LinkError::Error { .. })
    ));

    exec(
        &mut link,
        &QsslcfgSeclevel {
            ctxindex: 0,
            seclevel: Seclevel::ServerAuthentication,
        },
    )
    .unwrap();
    exec(
        &mut link,
        &QsslcfgCacert {
            ctxindex: 0,
            cacertname: "/caCrt.pem",
        },
    )
    .unwrap();
    let q = exec(&mut link, &QsslcfgCacertQuery { ctxindex: 0 }).unwrap();
    assert_eq!(q.response().unwrap().cacertname, "/caCrt.pem");
    let all = exec(&mut link, &QsslcfgCtxindex { ctxindex: 0 }).unwrap();
    let all = all.response().unwrap();
    assert_eq!(
        (all.seclevel, all.ciphersuite),
        (Seclevel::ServerAuthentication, CipherSuite::All)
    );

    let open = Qsslopen {
        ssid: 0,
        ctxindex: 0,
        ipaddr_domainname: "106.12.79.254",
        port: 443,
        connectmode: Connectmode::NonTransparent,
        timeout: None,
    };
    let r = exec(&mut link, &open).unwrap();
    assert!(
        matches!(r.result_urc(), Some(Ok(Urc::QsslopenResult(u))) if u.connectcode == ConnectCode::Success)
    );
    // The same ssid again: -2, socket in use.
    assert!(matches!(
        exec(&mut link, &open),
        Err(LinkError::Module { code: -2, .. })
    ));

    let r = send(&mut link, &Qsslsend { ssid: 0 }, b"This is the recv data").unwrap();
    assert_eq!(r.completion(), &Completion::SendOk);
    let u = wait_urc(&mut link, starts("+QSSLURC: \"recv\""));
    assert!(matches!(
        u.parse::<Family>(),
        Some(Ok(Urc::Recv(Recv { cid: 1, ssid: 0 })))
    ));
    let r = exec(
        &mut link,
        &Qsslrecv {
            cid: 1,
            ssid: 0,
            length: 1460,
        },
    )
    .unwrap();
    let line = r.response().unwrap().line1.unwrap();
    assert_eq!(
        (line.ipaddr, line.port, line.data),
        ("106.12.79.254", 443, &b"This is the recv data"[..])
    );
    // Read to empty: no line, OK; the next data is announced again.
    let r = exec(
        &mut link,
        &Qsslrecv {
            cid: 1,
            ssid: 0,
            length: 1460,
        },
    )
    .unwrap();
    assert!(r.response().unwrap().line1.is_none());
    sim.peer_send(0, b"again").unwrap();
    wait_urc(&mut link, starts("+QSSLURC: \"recv\",1,0"));

    let st = exec(&mut link, &QsslstateExec).unwrap();
    let lines: Vec<_> = st.response().unwrap().line2.clone().collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[0].socketstatus, Socketstatus::Connected);
    assert_eq!(lines[1].socketstatus, Socketstatus::Initial);

    // Close: OK, then "0,CLOSE OK".
    let r = exec(
        &mut link,
        &Qsslclose {
            ssid: 0,
            closetype: None,
        },
    )
    .unwrap();
    assert_eq!(r.completion(), &Completion::Ok);
    assert!(matches!(
        r.result_urc(),
        Some(Ok(Urc::QsslcloseResult(QsslcloseResult { ssid: 0 })))
    ));
    assert!(matches!(
        send(&mut link, &Qsslsend { ssid: 0 }, b"x"),
        Err(LinkError::Error { .. })
    ));
}

#[test]
fn ml302_peer_close_reports_close_and_keeps_the_socket_until_closed() {
    let (sim, mut link) = start::<Family>("cmiot-ml302", fast());
    let open = Qsslopen {
        ssid: 3,
        ctxindex: 1,
        ipaddr_domainname: "example.com",
        port: 443,
        connectmode: Connectmode::NonTransparent,
        timeout: Some(30),
    };
    exec(&mut link, &open).unwrap();
    sim.peer_send(3, b"last words").unwrap();
    wait_urc(&mut link, starts("+QSSLURC: \"recv\""));
    sim.peer_close(3).unwrap();
    let u = wait_urc(&mut link, starts("+QSSLURC: \"close\""));
    assert!(matches!(
        u.parse::<Family>(),
        Some(Ok(Urc::Closed(Closed { ssid: 3 })))
    ));
    // Buffered data stays readable.
    let r = exec(
        &mut link,
        &Qsslrecv {
            cid: 1,
            ssid: 3,
            length: 100,
        },
    )
    .unwrap();
    assert_eq!(r.response().unwrap().line1.unwrap().data, b"last words");
    let st = exec(&mut link, &QsslstateExec).unwrap();
    let lines: Vec<_> = st.response().unwrap().line2.clone().collect();
    assert_eq!(lines[3].socketstatus, Socketstatus::RemoteClosing);
    exec(
        &mut link,
        &Qsslclose {
            ssid: 3,
            closetype: None,
        },
    )
    .unwrap();
}

//! Each fault's observable behaviour, through the runtime `Link` (EC2x dialect),
//! plus UART pacing.

mod sim_common;

use std::time::{Duration, Instant};

use atgen::quectel_ec2x::*;
use atgen::sim::{Fault, FaultKind, Options};
use atgen_runtime::link::{LinkError, UrcKind};
use sim_common::*;

fn with(faults: Vec<Fault>) -> Options {
    Options { faults, ..fast() }
}

fn query(link: &mut SimLink<Family>, timeout: Duration) -> Result<SslVersion, LinkError> {
    let r = link.execute_timeout(&QsslcfgSslversionQuery { ssl_ctx_id: 1 }, timeout)?;
    Ok(r.response().unwrap().ssl_version)
}

fn open(link: &mut SimLink<Family>, id: u8) {
    let open = Qsslopen {
        pdp_ctx_id: 1,
        ssl_ctx_id: 1,
        client_id: id,
        serveraddr: "example.com",
        server_port: 443,
        access_mode: None,
    };
    exec(link, &open).unwrap();
}

fn fired(sim: &atgen::sim::SimHandle, kind: FaultKind) -> u32 {
    sim.state()
        .unwrap()
        .faults_fired
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(0, |(_, n)| *n)
}

#[test]
fn drop_withholds_the_final_result_code_once() {
    let (sim, mut link) =
        start::<Family>("quectel-ec2x", with(vec![Fault::count(FaultKind::Drop, 1)]));
    let e = query(&mut link, Duration::from_millis(300)).unwrap_err();
    assert!(
        matches!(
            e,
            LinkError::Timeout {
                waiting_for: "final result code",
                ..
            }
        ),
        "{e}"
    );
    assert_eq!(query(&mut link, T).unwrap(), SslVersion::All);
    assert_eq!(fired(&sim, FaultKind::Drop), 1);
}

#[test]
fn delay_holds_the_response_back() {
    let fault = Fault::count(FaultKind::Delay, 1).with_delay(Duration::from_millis(300));
    let (_sim, mut link) = start::<Family>("quectel-ec2x", with(vec![fault]));
    let t = Instant::now();
    assert_eq!(query(&mut link, T).unwrap(), SslVersion::All);
    assert!(
        t.elapsed() >= Duration::from_millis(290),
        "{:?}",
        t.elapsed()
    );
    let t = Instant::now();
    query(&mut link, T).unwrap();
    assert!(t.elapsed() < Duration::from_millis(200));
}

#[test]
fn urc_inside_a_response_is_queued_and_the_response_still_parses() {
    let (_sim, mut link) =
        start::<Family>("quectel-ec2x", with(vec![Fault::count(FaultKind::Urc, 2)]));
    let r = exec(&mut link, &QsslcfgTest).unwrap();
    assert!(
        r.response().unwrap().alpn.is_some(),
        "every test line is still there"
    );
    let u = link.pop_urc().expect("the injected URC");
    assert_eq!(
        u.parse::<Family>(),
        Some(Ok(Urc::Recv(Recv { client_id: 11 })))
    );
    assert_eq!(query(&mut link, T).unwrap(), SslVersion::All);
    assert!(link.pop_urc().is_some());
}

#[test]
fn garbage_lines_follow_responses_and_are_unsolicited() {
    let (sim, mut link) = start::<Family>(
        "quectel-ec2x",
        with(vec![Fault::count(FaultKind::Garbage, 3)]),
    );
    for _ in 0..4 {
        assert_eq!(query(&mut link, T).unwrap(), SslVersion::All);
    }
    link.poll_urcs(QUIET).unwrap();
    let junk = link
        .urcs()
        .iter()
        .filter(|u| u.kind == UrcKind::Unknown)
        .count();
    assert_eq!(junk, 3);
    assert_eq!(fired(&sim, FaultKind::Garbage), 3);
}

#[test]
fn send_fail_refuses_the_send_and_discards_the_data() {
    let (sim, mut link) = start::<Family>(
        "quectel-ec2x",
        with(vec![Fault::count(FaultKind::SendFail, 1)]),
    );
    open(&mut link, 0);
    let e = send(&mut link, &Qsslsend { client_id: 0 }, b"lost").unwrap_err();
    assert!(matches!(e, LinkError::SendFail { .. }), "{e}");
    assert_eq!(sim.state().unwrap().sockets[0].sent, 0);
    assert!(no_urc(&mut link, starts("+QSSLURC")));
    send(&mut link, &Qsslsend { client_id: 0 }, b"kept").unwrap();
    assert_eq!(sim.state().unwrap().sockets[0].sent, 4);
}

#[test]
fn reboot_answers_nothing_resets_everything_and_says_rdy() {
    let fault = Fault::count(FaultKind::Reboot, 1).after(2);
    let (sim, mut link) = start::<Family>("quectel-ec2x", with(vec![fault]));
    exec(
        &mut link,
        &QsslcfgSslversion {
            ssl_ctx_id: 1,
            ssl_version: SslVersion::Tls1_2,
        },
    )
    .unwrap();
    open(&mut link, 2);
    assert!(
        query(&mut link, Duration::from_millis(300)).is_err(),
        "the third command reboots"
    );
    wait_urc(&mut link, |u| u.frame == b"RDY");
    let st = sim.state().unwrap();
    assert_eq!((st.reboots, st.sockets.len()), (1, 0));
    assert_eq!(
        query(&mut link, T).unwrap(),
        SslVersion::All,
        "settings are back to defaults"
    );
}

#[test]
fn peer_close_closes_the_connection_instead_of_answering() {
    let (sim, mut link) = start::<Family>(
        "quectel-ec2x",
        with(vec![Fault::count(FaultKind::PeerClose, 1)]),
    );
    open(&mut link, 6);
    send(&mut link, &Qsslsend { client_id: 6 }, b"bye").unwrap();
    let u = wait_urc(&mut link, starts("+QSSLURC"));
    assert_eq!(
        u.parse::<Family>(),
        Some(Ok(Urc::Closed(Closed { client_id: 6 })))
    );
    assert_eq!(
        sim.state().unwrap().sockets[0].state,
        atgen::sim::SocketState::Closing
    );
    assert!(matches!(
        send(&mut link, &Qsslsend { client_id: 6 }, b"x"),
        Err(LinkError::Error { .. })
    ));
}

#[test]
fn fault_specs_parse_like_the_cli_flag() {
    let f = Fault::parse("delay=250:0.5+1").unwrap();
    assert_eq!(f.kind, FaultKind::Delay);
    assert_eq!(f.delay, Duration::from_millis(250));
    assert_eq!(f.skip, 1);
    assert!(Fault::parse("meteor")
        .unwrap_err()
        .to_string()
        .contains("known faults"));
}

#[test]
fn baud_rate_paces_what_goes_both_ways() {
    let (_sim, mut link) = start::<Family>("quectel-ec2x", fast());
    let t = Instant::now();
    query(&mut link, T).unwrap();
    let unpaced = t.elapsed();
    // 27 bytes in, 36 bytes out at 2400 baud (240 bytes/s): about 260 ms.
    let (_sim, mut link) = start::<Family>(
        "quectel-ec2x",
        Options {
            baud: Some(2400),
            ..fast()
        },
    );
    let t = Instant::now();
    query(&mut link, Duration::from_secs(3)).unwrap();
    let paced = t.elapsed();
    assert!(paced >= Duration::from_millis(200), "{paced:?}");
    assert!(unpaced < Duration::from_millis(150), "{unpaced:?}");
}

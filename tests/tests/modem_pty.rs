//! Several SSL connections at once through one `socket::Modem`, end to end
//! over a real PTY (the simulator opened with `Link::open` like a serial
//! device), with the `urc` and `garbage` faults on: for every family whose
//! spec allows more than one connection id, 3 connections (EC2x: 4) move
//! data to their echo peers interleaved, and each gets back exactly its own
//! bytes. Connection `k` sends only bytes congruent to `k` modulo the
//! connection count, so one foreign byte in a connection's data is caught even
//! if the lengths happened to match.

#![cfg(unix)]

use std::time::Duration;

use atgen::sim::{Fault, FaultKind, Options, Simulator};
use atgen::ssl::SslFamily;
use atgen_runtime::dialog::Dialect;
use atgen_runtime::link::{Link, SerialTransport};
use atgen_runtime::socket::{ConnId, Modem, SocketState, SslConfig};
use atgen_runtime::Family;
use atgen_tests::e2e::random_bytes;

/// Bytes each connection sends.
const PER_CONNECTION: usize = 24 * 1024;
/// The size of one write before the next connection's turn.
const TURN: usize = 1500;

/// How many connections the test opens on a family.
fn wanted(family: &str) -> usize {
    if family == "quectel-ec2x" {
        4
    } else {
        3
    }
}

/// Connection `k`'s data: bytes congruent to `k` modulo `n`, without Ctrl+Z
/// and ESC for a family whose send ends with Ctrl+Z.
fn data_of(k: usize, n: usize, ctrl_z: bool) -> Vec<u8> {
    let exclude: &[u8] = if ctrl_z { &[0x1A, 0x1B] } else { &[] };
    random_bytes(PER_CONNECTION * 2, 0x5EED + k as u64, &[])
        .into_iter()
        .map(|b| (b as usize / n * n + k) as u8)
        .filter(|b| !exclude.contains(b) && usize::from(*b) % n == k)
        .take(PER_CONNECTION)
        .collect()
}

fn faulty() -> Options {
    Options {
        faults: vec![
            Fault::rate(FaultKind::Urc, 0.3),
            Fault::rate(FaultKind::Garbage, 0.3),
        ],
        seed: 10,
        handshake: Duration::from_millis(10),
        peer_latency: Duration::from_millis(2),
        ..Options::default()
    }
}

fn session<D: Dialect + Default>() -> Option<usize> {
    let dialect = D::default();
    let family = dialect.family();
    let (lo, hi) = dialect.dialog().socket.connection_range();
    if hi <= lo {
        return None;
    }
    let n = wanted(family);
    assert!(hi - lo + 1 >= n as i64, "{family}: ids {lo}..={hi}");
    let sim = Simulator::spawn_pty(family, faulty()).expect("a PTY");
    let path = sim.pty_path().expect("a slave path").display().to_string();
    let mut link: Link<SerialTransport, D::Family> =
        Link::open(&path, 115_200).unwrap_or_else(|e| panic!("{family}: open {path}: {e}"));
    link.config_mut().prompt_wait = Some(Duration::ZERO);
    let mut modem = Modem::new(link, dialect);
    let config = SslConfig {
        timeout: Some(Duration::from_secs(5)),
        ..SslConfig::default()
    };
    let conns: Vec<ConnId> = (0..n)
        .map(|k| {
            modem
                .connect(config.clone(), "example.com", 443)
                .unwrap_or_else(|e| panic!("{family}: connect #{k}: {e}"))
        })
        .collect();
    let ids: Vec<u8> = conns.iter().map(ConnId::id).collect();
    let expected_ids: Vec<u8> = (0..n).map(|k| (lo as usize + k) as u8).collect();
    assert_eq!(ids, expected_ids, "{family}: ids from the family's range");
    let ctrl_z = !modem.dialect().dialog().fixed_length_send();
    let sent: Vec<Vec<u8>> = (0..n).map(|k| data_of(k, n, ctrl_z)).collect();
    let mut got: Vec<Vec<u8>> = vec![Vec::new(); n];
    let mut offset = 0;
    let mut buf = [0u8; 4096];
    let mut idle_rounds = 0;
    while got.iter().zip(&sent).any(|(g, s)| g.len() < s.len()) {
        let mut moved = false;
        for (k, c) in conns.iter().enumerate() {
            if let Some(chunk) = sent[k].get(offset..(offset + TURN).min(sent[k].len())) {
                if !chunk.is_empty() {
                    modem
                        .write(*c, chunk)
                        .unwrap_or_else(|e| panic!("{family}: write on {c}: {e}"));
                    moved = true;
                }
            }
        }
        offset += TURN;
        for (k, c) in conns.iter().enumerate() {
            if got[k].len() >= sent[k].len() {
                continue;
            }
            match modem.read_within(*c, &mut buf, Some(Duration::from_millis(50))) {
                Ok(Some(0)) => panic!("{family}: {c} closed early"),
                Ok(Some(r)) => {
                    got[k].extend_from_slice(&buf[..r]);
                    moved = true;
                }
                Ok(None) => {}
                Err(e) => panic!("{family}: read on {c}: {e}"),
            }
        }
        idle_rounds = if moved { 0 } else { idle_rounds + 1 };
        assert!(idle_rounds < 100, "{family}: no progress for 5 s");
    }
    for (k, c) in conns.iter().enumerate() {
        assert!(
            got[k].iter().all(|b| usize::from(*b) % n == k),
            "{family}: {c} received bytes of another connection"
        );
        assert_eq!(got[k].len(), sent[k].len(), "{family}: bytes back on {c}");
        assert!(
            got[k] == sent[k],
            "{family}: {c}: the data came back changed"
        );
    }
    let urc = sim.state().expect("state").faults_fired;
    for c in &conns {
        modem
            .close(*c)
            .unwrap_or_else(|e| panic!("{family}: close {c}: {e}"));
        assert!(
            modem.state(*c).is_err(),
            "{family}: a closed connection is forgotten"
        );
    }
    assert_eq!(modem.connections().count(), 0);
    let fired = |k: FaultKind| urc.iter().find(|(f, _)| *f == k).map_or(0, |(_, n)| *n);
    assert!(
        fired(FaultKind::Urc) > 0 && fired(FaultKind::Garbage) > 0,
        "{family}: the faults fired: {urc:?}"
    );
    drop(modem);
    sim.stop();
    Some(n)
}

#[test]
fn every_multi_connection_family_keeps_each_connections_bytes_apart_over_a_pty_with_faults() {
    let mut ran = Vec::new();
    atgen::for_each_family!(m => {
        type D = <m::Family as SslFamily>::Dialect;
        if let Some(n) = session::<D>() {
            ran.push((<m::Family as Family>::ID, n));
        }
    });
    let multi: Vec<&str> = atgen::FAMILIES
        .iter()
        .filter(|f| {
            f.desc
                .socket
                .is_some_and(|s| s.connection_range().1 > s.connection_range().0)
        })
        .map(|f| f.id)
        .collect();
    let names: Vec<&str> = ran.iter().map(|(f, _)| *f).collect();
    assert_eq!(names, multi, "every multi-connection family ran");
    assert!(ran.contains(&("quectel-ec2x", 4)));
}

#[test]
fn a_modem_refuses_an_id_in_use_and_out_of_range_before_sending() {
    type D = <atgen::quectel_ec2x::Family as SslFamily>::Dialect;
    let sim = Simulator::spawn_pty("quectel-ec2x", faulty()).expect("a PTY");
    let path = sim.pty_path().expect("a slave path").display().to_string();
    let link: Link<SerialTransport, atgen::quectel_ec2x::Family> =
        Link::open(&path, 115_200).expect("open");
    let mut modem = Modem::new(link, D::default());
    let a = modem
        .connect(SslConfig::default(), "example.com", 443)
        .expect("connect");
    let busy = modem
        .connect_as(
            SslConfig {
                client: a.id(),
                ..SslConfig::default()
            },
            "example.com",
            443,
        )
        .expect_err("an id in use");
    assert!(
        busy.to_string().contains("connection id 0 is in use"),
        "{busy}"
    );
    let out = modem
        .connect_as(
            SslConfig {
                client: 12,
                ..SslConfig::default()
            },
            "example.com",
            443,
        )
        .expect_err("an id out of range");
    assert!(out.to_string().contains("out of range 0..=11"), "{out}");
    assert_eq!(modem.state(a).expect("a"), SocketState::Open);
    modem.close(a).expect("close");
    assert!(modem.write(a, b"x").is_err(), "a closed connection is gone");
    drop(modem);
    sim.stop();
}

#[test]
fn a_connection_is_a_std_io_stream_while_another_keeps_its_own_bytes() {
    use std::io::{Read as _, Write as _};
    type D = <atgen::quectel_ec2x::Family as SslFamily>::Dialect;
    let sim = Simulator::spawn_pty("quectel-ec2x", faulty()).expect("a PTY");
    let path = sim.pty_path().expect("a slave path").display().to_string();
    let link: Link<SerialTransport, atgen::quectel_ec2x::Family> =
        Link::open(&path, 115_200).expect("open");
    let mut modem = Modem::new(link, D::default());
    let config = SslConfig {
        read_timeout: Some(Duration::from_secs(5)),
        ..SslConfig::default()
    };
    let a = modem
        .connect(config.clone(), "example.com", 443)
        .expect("a");
    let b = modem.connect(config, "example.com", 443).expect("b");
    modem.write(b, b"for b").expect("write b");
    let mut stream = modem.stream(a);
    stream.write_all(b"hello").expect("write a");
    let mut five = [0u8; 5];
    stream.read_exact(&mut five).expect("read a");
    assert_eq!(&five, b"hello");
    let mut buf = [0u8; 16];
    let mut got = Vec::new();
    while got.len() < 5 {
        let n = modem.read(b, &mut buf).expect("read b");
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(got, b"for b");
    drop(modem);
    sim.stop();
}

//! `atgen demo [--family ID|all]`: an SSL session against the in-process module
//! simulator: configure the context, open, send an HTTP GET, read the reply,
//! close. Prints the AT trace and the reply. Needs no hardware.
//! `--connections N`: N connections at once on one `socket::Modem`, their
//! requests and replies interleaved in the trace.

use super::dispatch::{with_family, KNOWN};
use super::trace::{self, Sink};
use super::Failure;
use atgen::sim::{Options, PeerKind, SimHandle, Simulator};
use atgen::ssl::SslFamily;
use atgen_runtime::link::Link;
use atgen_runtime::socket::{ConnId, Dialect, Modem, SecLevel, SslConfig, SslSocket, TlsVersion};
use std::io::Write;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// Family id, or `all` for every family in turn.
    #[arg(long, default_value = "quectel-ec2x")]
    family: String,
    /// The server name sent in QSSLOPEN (the simulator's peer answers any).
    #[arg(long, default_value = "example.com")]
    host: String,
    /// The server port sent in QSSLOPEN.
    #[arg(long, default_value_t = 443)]
    port: u16,
    /// Pace the simulated UART at this rate (bits per second).
    #[arg(long)]
    baud: Option<u32>,
    /// Open this many connections at once and interleave their traffic.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..))]
    connections: u8,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let families: Vec<&str> = if args.family == "all" {
        KNOWN.to_vec()
    } else {
        vec![args.family.as_str()]
    };
    trace::init(1, Sink::StdoutAt);
    for id in families {
        with_family!(id, m => session::<<m::Family as SslFamily>::Dialect>(id, &args))?;
    }
    Ok(())
}

fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
}

fn session<D: Dialect + Default>(id: &str, args: &Args) -> Result<(), Failure> {
    if args.connections > 1 {
        return sessions::<D>(id, args);
    }
    let (sim, link) = start::<D>(id, args)?;
    let config = config();
    let mut sock = SslSocket::new(link, D::default(), config);
    let fail =
        |what: &str, e: &dyn std::fmt::Display| Failure::failed(format!("{id}: {what}: {e}"));

    say(&format!(
        "== {id}: SSL session with the simulated module (HTTP peer)"
    ));
    say("-- configure the SSL context and open the connection");
    sock.connect(&args.host, args.port)
        .map_err(|e| fail("open", &e))?;
    say("-- send an HTTP GET");
    let request = get(&args.host, "/");
    sock.write(request.as_bytes())
        .map_err(|e| fail("send", &e))?;
    say("-- read the reply");
    let reply = read_reply(&mut sock).map_err(|e| fail("read", &e))?;
    say("-- close");
    sock.close().map_err(|e| fail("close", &e))?;
    say(&format!("== {id}: reply ({} bytes)", reply.len()));
    say(&String::from_utf8_lossy(&reply));
    sim.stop();
    Ok(())
}

type SimLink<F> = Link<atgen_runtime::link::StreamTransport<atgen::sim::HostWriter>, F>;

/// The simulated module (HTTP peer) and a link to it.
fn start<D: Dialect>(id: &str, args: &Args) -> Result<(SimHandle, SimLink<D::Family>), Failure> {
    let options = Options {
        peer: PeerKind::Http,
        baud: args.baud,
        ..Options::default()
    };
    let mut sim = Simulator::spawn(id, options)
        .map_err(|e| Failure::failed(format!("cannot start the {id} simulator: {e}")))?;
    let transport = sim
        .transport()
        .map_err(|e| Failure::failed(format!("cannot connect to the {id} simulator: {e}")))?;
    let mut link: Link<_, D::Family> = Link::new(transport);
    // The simulator takes data at once; BC26's recommended 500 ms pause is not needed.
    link.config_mut().prompt_wait = Some(Duration::ZERO);
    Ok((sim, link))
}

/// The demo's SSL configuration: TLS 1.2, no verification (the peer is simulated).
fn config() -> SslConfig {
    SslConfig {
        ssl_version: Some(TlsVersion::Tls1_2),
        seclevel: Some(SecLevel::None),
        timeout: Some(Duration::from_secs(5)),
        ..SslConfig::default()
    }
}

fn get(host: &str, path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
}

/// `--connections N`: N connections on one modem, requests sent one after the
/// other before any reply is read, replies read in turns.
fn sessions<D: Dialect + Default>(id: &str, args: &Args) -> Result<(), Failure> {
    let n = usize::from(args.connections);
    let (sim, link) = start::<D>(id, args)?;
    let mut modem = Modem::new(link, D::default());
    let fail =
        |what: String, e: &dyn std::fmt::Display| Failure::failed(format!("{id}: {what}: {e}"));
    let (lo, hi) = modem.connection_ids();
    say(&format!(
        "== {id}: {n} SSL connections at once with the simulated module (HTTP peer; ids {lo}..={hi})"
    ));
    let mut conns: Vec<ConnId> = Vec::new();
    for k in 0..n {
        say(&format!("-- open connection #{k}"));
        let c = modem
            .connect(config(), &args.host, args.port)
            .map_err(|e| fail(format!("open #{k}"), &e))?;
        conns.push(c);
    }
    for (k, c) in conns.iter().enumerate() {
        say(&format!("-- {c}: send an HTTP GET /{k}"));
        modem
            .write(*c, get(&args.host, &format!("/{k}")).as_bytes())
            .map_err(|e| fail(format!("send on {c}"), &e))?;
    }
    let mut replies: Vec<Vec<u8>> = vec![Vec::new(); n];
    let mut buf = [0u8; 512];
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline && !replies.iter().all(|r| complete(r)) {
        for (c, reply) in conns.iter().zip(replies.iter_mut()) {
            if complete(reply) {
                continue;
            }
            say(&format!("-- {c}: read"));
            match modem
                .read_within(*c, &mut buf, Some(Duration::from_millis(200)))
                .map_err(|e| fail(format!("read on {c}"), &e))?
            {
                Some(0) | None => {}
                Some(r) => reply.extend_from_slice(buf.get(..r).unwrap_or(&[])),
            }
        }
    }
    for c in &conns {
        say(&format!("-- {c}: close"));
        modem
            .close(*c)
            .map_err(|e| fail(format!("close {c}"), &e))?;
    }
    for (c, reply) in conns.iter().zip(&replies) {
        say(&format!("== {id}: {c}: reply ({} bytes)", reply.len()));
        say(&String::from_utf8_lossy(reply));
    }
    drop(modem);
    sim.stop();
    if let Some((c, _)) = conns.iter().zip(&replies).find(|(_, r)| !complete(r)) {
        return Err(Failure::failed(format!(
            "{id}: {c}: the reply did not complete within 10 s"
        )));
    }
    Ok(())
}

/// Reads until the headers and `Content-Length` bytes of body have arrived.
fn read_reply<T, D, C>(
    sock: &mut SslSocket<T, D, C>,
) -> Result<Vec<u8>, atgen_runtime::socket::SocketError>
where
    T: atgen_runtime::link::Transport,
    D: Dialect,
    C: atgen_runtime::link::Clock,
{
    let mut reply = Vec::new();
    let mut buf = [0u8; 1024];
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline && !complete(&reply) {
        match sock.read_within(&mut buf, Some(Duration::from_millis(200)))? {
            Some(0) => break,
            Some(n) => reply.extend_from_slice(buf.get(..n).unwrap_or(&[])),
            None => {}
        }
    }
    Ok(reply)
}

fn complete(reply: &[u8]) -> bool {
    let Some(end) = reply.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(reply.get(..end).unwrap_or(&[])).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    reply.len() >= end + 4 + length
}

//! `atgen ssl --family ID --device PATH --host H --port P`: an SSL connection
//! through the module at PATH, with stdin copied to the connection and the
//! connection to stdout (like `openssl s_client -quiet`, the TLS done by the module).
//!
//! It ends when stdin has ended and the peer has been quiet for `--peer-quiet-ms`
//! (so echoed and answered data is read), or when the peer closes. Exit codes:
//! 0 success; 1 a module or connection error, with the module's code and text
//! (`atgen: QSSLOPEN failed: 566 Socket connection failed (quectel-ec2x)`);
//! 2 usage errors, values out of the manual's range included.

use std::io::{Read, Write};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::{Duration, Instant};

use atgen::ssl::SslFamily;
use atgen_runtime::link::{Link, StreamTransport, Transport};
use atgen_runtime::socket::{
    AccessMode, Dialect, SecLevel, SocketError, SslConfig, SslSocket, TlsVersion,
};

use super::dispatch::with_family;
use super::Failure;

/// How long one read waits before stdin is looked at again.
const POLL: Duration = Duration::from_millis(20);
/// About how many stdin bytes go to one write: rounded up to whole sends of the
/// family (4380 for sends of 1460), so the socket splits it into full sends.
const STDIN_CHUNK: usize = 4096;
/// Chunks read ahead of the connection: stdin is read only as fast as the module
/// takes it, so memory stays bounded however much is streamed.
const STDIN_AHEAD: usize = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Mode {
    /// QSSLRECV after each "recv" URC.
    Buffer,
    /// Data inside the "recv" URCs (direct push).
    Push,
}

#[derive(clap::Args)]
pub struct Args {
    /// Family id, e.g. quectel-ec2x.
    #[arg(long)]
    family: String,
    /// The module's AT port: a serial device or a PTY (`/dev/ttyUSB2`, `/dev/pts/5`).
    #[arg(long)]
    device: String,
    /// The server's host name or IP address.
    #[arg(long)]
    host: String,
    /// The server's port.
    #[arg(long)]
    port: u16,
    /// Serial speed.
    #[arg(long, default_value_t = 115_200)]
    baud: u32,
    /// PDP context id (BC26 `<contextID>`, ML302 `<cid>`).
    #[arg(long, default_value_t = 1)]
    pdp_ctx: u8,
    /// SSL context id (ML302 `<ctxindex>`; unused by BC26).
    #[arg(long, default_value_t = 1)]
    ssl_ctx: u8,
    /// Socket id (`<clientID>`; BC26 `<connectID>`, ML302 `<ssid>`).
    #[arg(long, default_value_t = 0)]
    client_id: u8,
    /// How received data reaches the host, where the family offers both.
    #[arg(long, value_enum, default_value_t = Mode::Buffer)]
    access_mode: Mode,
    /// Authentication: 0 none, 1 server, 2 server and client.
    #[arg(long)]
    seclevel: Option<i64>,
    /// SSL/TLS version: 0..=4 or ssl3.0, tls1.0, tls1.1, tls1.2, all.
    #[arg(long)]
    ssl_version: Option<String>,
    /// Caps every wait for the module, in milliseconds.
    #[arg(long)]
    timeout_ms: Option<u64>,
    /// Wait after a `>` prompt before sending data, overriding the manual's
    /// recommendation (BC26: 500 ms).
    #[arg(long)]
    prompt_wait_ms: Option<u64>,
    /// After stdin ends, how long the peer must stay quiet before closing.
    #[arg(long, default_value_t = 500)]
    peer_quiet_ms: u64,
    /// The AT trace on stderr (-v commands and answers, -vv every byte).
    #[arg(short, long, action = clap::ArgAction::Count)]
    verbose: u8,
}

pub fn run(args: Args) -> Result<(), Failure> {
    super::trace::init(args.verbose, super::trace::Sink::Stderr);
    let config = config(&args)?;
    let id = args.family.as_str();
    with_family!(id, m => session::<<m::Family as SslFamily>::Dialect>(&args, config))
}

fn config(args: &Args) -> Result<SslConfig, Failure> {
    let ssl_version = match &args.ssl_version {
        None => None,
        Some(s) => Some(TlsVersion::parse(s).ok_or_else(|| {
            Failure::usage(format!(
                "--ssl-version {s:?} is not a version; expected 0..=4, ssl3.0, tls1.0, tls1.1, tls1.2 or all"
            ))
        })?),
    };
    let seclevel = match args.seclevel {
        None => None,
        Some(n) => Some(SecLevel::from_value(n).ok_or_else(|| {
            Failure::usage(format!(
                "--seclevel {n} is not a seclevel; expected 0 (none), 1 (server) or 2 (server and client)"
            ))
        })?),
    };
    Ok(SslConfig {
        pdp_ctx: args.pdp_ctx,
        ssl_ctx: args.ssl_ctx,
        client: args.client_id,
        access_mode: match args.access_mode {
            Mode::Buffer => AccessMode::Buffer,
            Mode::Push => AccessMode::Push,
        },
        ssl_version,
        seclevel,
        timeout: args.timeout_ms.map(Duration::from_millis),
        ..SslConfig::default()
    })
}

fn failure(e: SocketError) -> Failure {
    // Data the family cannot carry is a failure of the session, not of the flags.
    if e.is_usage() && !matches!(e, SocketError::Unsendable { .. }) {
        Failure::usage(e.to_string())
    } else {
        Failure::failed(e.to_string())
    }
}

/// The serial device; when `serialport` cannot open the path (a PTY slave on
/// some systems refuses its ioctls), the path opened as a plain file through a
/// [`StreamTransport`]. The PTY is expected in raw mode (the simulator or
/// `socat ... ,raw,echo=0` sets it); no termios calls are made here.
pub(crate) fn open_transport(path: &str, baud: u32) -> Result<Box<dyn Transport>, Failure> {
    match atgen_runtime::link::SerialTransport::open(path, baud) {
        Ok(t) => Ok(Box::new(t)),
        Err(serial_err) => {
            log::debug!(
                target: "atgen::cli",
                "{path}: not opened as a serial port ({serial_err}); opening it as a file (PTY)"
            );
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(path)
                .map_err(|e| {
                    Failure::failed(format!(
                        "cannot open {path}: as a serial port at {baud} baud: {serial_err}; as a file: {e}"
                    ))
                })?;
            let t = StreamTransport::file(file)
                .map_err(|e| Failure::failed(format!("cannot open {path}: {e}")))?;
            Ok(Box::new(t))
        }
    }
}

/// Chunks of stdin of at most `chunk` bytes; `None` at its end. The channel is
/// bounded: the reader blocks while [`STDIN_AHEAD`] chunks wait (backpressure).
fn spawn_stdin(chunk: usize) -> Receiver<std::io::Result<Option<Vec<u8>>>> {
    let (tx, rx) = mpsc::sync_channel(STDIN_AHEAD);
    std::thread::spawn(move || {
        let mut stdin = unbuffered_stdin();
        let mut buf = vec![0u8; chunk.max(1)];
        loop {
            let msg = match stdin.read(&mut buf) {
                Ok(0) => Ok(None),
                Ok(n) => Ok(Some(buf.get(..n).unwrap_or(&[]).to_vec())),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => Err(e),
            };
            let last = !matches!(msg, Ok(Some(_)));
            if tx.send(msg).is_err() || last {
                return;
            }
        }
    });
    rx
}

/// stdin without std's buffer in between, so a read takes as much as is there
/// up to the chunk (whole sends), not what is left in an 8 KiB buffer.
#[cfg(unix)]
fn unbuffered_stdin() -> Box<dyn Read> {
    use std::os::fd::AsFd;
    match std::io::stdin().as_fd().try_clone_to_owned() {
        Ok(fd) => Box::new(std::fs::File::from(fd)),
        Err(_) => Box::new(std::io::stdin().lock()),
    }
}

#[cfg(not(unix))]
fn unbuffered_stdin() -> Box<dyn Read> {
    Box::new(std::io::stdin().lock())
}

fn session<D: Dialect + Default>(args: &Args, config: SslConfig) -> Result<(), Failure> {
    let dialect = D::default();
    // Every value checked against the manual before the device is touched.
    atgen_runtime::socket::check(&dialect, &config, &args.host, args.port).map_err(failure)?;
    let transport = open_transport(&args.device, args.baud)?;
    let mut link: Link<Box<dyn Transport>, D::Family> = Link::new(transport);
    link.config_mut().prompt_wait = args.prompt_wait_ms.map(Duration::from_millis);
    let mut sock = SslSocket::new(link, dialect, config);
    sock.configure().map_err(failure)?;
    sock.open(&args.host, args.port).map_err(failure)?;
    log::info!(
        target: "atgen::cli",
        "connected to {}:{} ({:?} mode)",
        args.host,
        args.port,
        sock.access_mode()
    );
    let pumped = pump(&mut sock, Duration::from_millis(args.peer_quiet_ms));
    let closed = sock.close().map_err(failure);
    pumped.and(closed)
}

/// stdin → connection, connection → stdout, until stdin ended and the peer has
/// been quiet for `quiet`, or the peer closed. Writes and reads alternate, so
/// received data reaches stdout while stdin is still being sent. A peer that
/// closes before all of stdin was sent is a connection error.
fn pump<T: Transport, D: Dialect>(
    sock: &mut SslSocket<T, D>,
    quiet: Duration,
) -> Result<(), Failure> {
    let send = sock.send_chunk().max(1);
    let stdin = spawn_stdin(STDIN_CHUNK.div_ceil(send) * send);
    let mut stdout = std::io::stdout().lock();
    let mut buf = vec![0u8; 16 * 1024];
    let mut stdin_open = true;
    let mut sent = 0usize;
    let mut received = 0usize;
    let mut last_activity = Instant::now();
    let peer_closed_early = |sent: usize, received: usize| {
        Failure::failed(format!(
            "the peer closed the SSL connection before all of stdin was sent ({sent} bytes sent, {received} received)"
        ))
    };
    loop {
        let mut wrote = false;
        if stdin_open {
            match stdin.try_recv() {
                Ok(Ok(Some(data))) => {
                    match sock.write(&data) {
                        Ok(n) => sent += n,
                        Err(SocketError::PeerClosed { .. }) => {
                            drain_to(sock, &mut stdout, &mut buf, &mut received)?;
                            return Err(peer_closed_early(sent, received));
                        }
                        Err(e) => {
                            let _ = drain_to(sock, &mut stdout, &mut buf, &mut received);
                            return Err(failure(e));
                        }
                    }
                    wrote = true;
                    last_activity = Instant::now();
                }
                Ok(Ok(None)) | Err(TryRecvError::Disconnected) => {
                    stdin_open = false;
                    last_activity = Instant::now();
                }
                Ok(Err(e)) => return Err(Failure::failed(format!("reading stdin: {e}"))),
                Err(TryRecvError::Empty) => {}
            }
        }
        // While stdin still flows, only take what has already arrived, but all of
        // it: the next write may bring more pushed data than one read holds.
        let mut wait = if wrote { Duration::ZERO } else { POLL };
        loop {
            match sock.read_within(&mut buf, Some(wait)).map_err(failure)? {
                Some(0) if stdin_open => return Err(peer_closed_early(sent, received)),
                Some(0) => {
                    log::info!(target: "atgen::cli", "the peer closed the connection");
                    return Ok(());
                }
                Some(n) => {
                    emit(&mut stdout, buf.get(..n).unwrap_or(&[]))?;
                    received += n;
                    last_activity = Instant::now();
                    wait = Duration::ZERO;
                }
                None if !stdin_open && last_activity.elapsed() >= quiet => return Ok(()),
                None => break,
            }
        }
        for u in sock.link_mut().drain_urcs() {
            log::debug!(target: "atgen::cli", "unsolicited, not for this connection: {}", u.text());
        }
    }
}

fn emit(stdout: &mut impl Write, data: &[u8]) -> Result<(), Failure> {
    stdout
        .write_all(data)
        .and_then(|()| stdout.flush())
        .map_err(|e| Failure::failed(format!("writing stdout: {e}")))
}

/// Copies what the connection already holds to stdout (before reporting a failure).
fn drain_to<T: Transport, D: Dialect>(
    sock: &mut SslSocket<T, D>,
    stdout: &mut impl Write,
    buf: &mut [u8],
    received: &mut usize,
) -> Result<(), Failure> {
    while let Ok(Some(n)) = sock.read_within(buf, Some(Duration::ZERO)) {
        if n == 0 {
            break;
        }
        emit(stdout, buf.get(..n).unwrap_or(&[]))?;
        *received += n;
    }
    Ok(())
}

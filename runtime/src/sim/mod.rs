//! A simulator of any family's AT interface, driven by its spec: one engine
//! for every family, no per-family code.
//!
//! It parses every command line with the family's request forms
//! ([`crate::codec::parse_any_request`]), validates it against the manual's
//! ranges and the settings in force, and answers from the family's line
//! descriptors, as the generated response and URC types write them; only final
//! result codes (`OK`, `ERROR`, `SEND OK`, …) and the `>` prompt are written
//! literally. A line that does not parse or validate gets `ERROR`, as a real
//! module would answer. What it does comes from the spec:
//! - settings: the forms marked `records` keep their values per the ids they
//!   name (`<SSL_ctxID>`, BC26's `<contextID>,<connectID>`); queries by omission
//!   and listing forms answer them, power-on values from the spec's defaults and
//!   its `[simulator] power_on`;
//! - test commands answer the spec's ranges and lists;
//! - the SSL dialog's roles (`[socket]`: open and its result, send with its data
//!   phase and answer, buffer-mode "data ready" and read, push-mode data URCs,
//!   peer close, close) and the `[simulator]` choices (the code of a busy id, of a
//!   failed send, of an open the module gives up, the state command's lines, a
//!   certificate file store);
//! - the open's result comes within the manual's bound: a handshake
//!   ([`Options::handshake`]) longer than the open's result wait (its
//!   `result_wait`, else its maximum response time, the request's and the
//!   settings' values added) ends there with `[simulator] open_timeout`.
//!
//! Each connection talks to an in-process [`PeerKind`] standing in for the TLS
//! server. [`Fault`]s make it misbehave on purpose, deterministically for a seed.
//! Time comes from [`Options::clock`] (the runtime's injected clock).
//!
//! ```no_run
//! use atgen_runtime::sim::{Options, Simulator};
//! # fn demo(desc: &'static atgen_runtime::desc::FamilyDesc) -> Result<(), Box<dyn std::error::Error>> {
//! let mut sim = Simulator::spawn(desc, Options::default())?;
//! let transport = sim.transport()?; // a link transport to the simulated module
//! # let _ = transport; Ok(()) }
//! ```
//!
//! Behaviour common to every family:
//! - Echo is off (`ATE0`) at power-on unless [`Options::echo`]; `ATE1`/`ATE0` switch
//!   it, plain `AT` answers `OK`, other basic commands `ERROR`. Lines that do not start
//!   with `AT` get no answer; a line longer than 2048 bytes gets `ERROR`.
//! - Responses are framed like the modules frame them: `<CR><LF>` before every
//!   information line and before the final result code.
//! - Data phases: `>`, then Ctrl+Z ends and ESC cancels (answered `OK`), or exactly
//!   the announced number of bytes; more than the form's cap is answered `ERROR`.
//! - On a paced line ([`Options::baud`]) bytes reach the other side once they have
//!   crossed the line, and the line carries one thing at a time: a frame is never
//!   cut. Answers (prompts, result codes, responses and the result URCs the host waits
//!   for) go out in order as they are due; unsolicited frames (pushed data, "data
//!   ready", a peer's close) go in order when the line is free and nothing is due:
//!   during a data phase (the host is sending, the line toward it would stand idle),
//!   or once the host has left the link alone for [`Options::urc_hold`] after an
//!   answer (a frame waits ten times that at most). So the next command's
//!   prompt is not held behind a long data URC, and pushed data overlaps the host's
//!   sends as far as the framing allows. Unpaced, everything goes out in order at once.
//! - Transparent mode: after `CONNECT` every byte goes to the peer and back; `+++`
//!   with [`Options::guard_time`] of silence before and after answers `OK` and returns
//!   to command mode (the connection stays, later data is buffered as in buffer
//!   mode); the peer closing answers `NO CARRIER`.

mod depart;
mod dialect;
mod fault;
mod machine;
mod pacing;
mod peer;
#[cfg(unix)]
mod pty;
mod store;
mod transport;

pub use dialect::push_chunk;
pub use fault::{Fault, FaultKind, FaultSpecError, Trigger, DEFAULT_DELAY_MS};
pub use peer::{source_bytes, PeerKind, HTTP_BODY, MAX_SOURCE};
#[cfg(unix)]
pub use pty::open_raw as open_pty;
pub use transport::{HostReader, HostStream, HostWriter};

use std::fmt;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::desc::FamilyDesc;
use crate::link::{Clock, SystemClock};
use dialect::Dialect;
use machine::{Machine, Sim};
use pacing::Pacer;

/// The simulator's time: the runtime's injected clock, shared by its threads.
#[derive(Clone)]
pub struct SimClock(Arc<dyn Clock + Send + Sync>);

impl SimClock {
    pub fn new(clock: impl Clock + Send + Sync + 'static) -> Self {
        SimClock(Arc::new(clock))
    }

    /// The real clock.
    pub fn system() -> Self {
        Self::new(SystemClock::default())
    }

    pub fn now(&self) -> Duration {
        self.0.now()
    }

    pub fn sleep(&self, d: Duration) {
        self.0.sleep(d)
    }
}

impl fmt::Debug for SimClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SimClock({:?})", self.now())
    }
}

impl Default for SimClock {
    fn default() -> Self {
        Self::system()
    }
}

/// How a simulator behaves.
#[derive(Debug, Clone)]
pub struct Options {
    /// The server every socket talks to.
    pub peer: PeerKind,
    /// Paces the bytes the simulator writes, and the host input it reads, like a
    /// UART at this rate (10 bits per byte). `None`: unpaced.
    pub baud: Option<u32>,
    /// Faults to inject.
    pub faults: Vec<Fault>,
    /// Seed of the random source behind fault rates and junk lines.
    pub seed: u64,
    /// Simulated SSL handshake: from `AT+QSSLOPEN` to its result (or `CONNECT`).
    pub handshake: Duration,
    /// From data reaching a peer to its answer arriving.
    pub peer_latency: Duration,
    /// On a paced line: how long an unsolicited frame (pushed data, "data
    /// ready", a peer's close) waits after an answer for the host's next
    /// command, whose answer then goes first (see the module docs); never
    /// more than ten times this in all.
    pub urc_hold: Duration,
    /// Silence required before and after `+++` in transparent mode (the manuals: 1 s).
    pub guard_time: Duration,
    /// Echo at power-on (the simulator's default is `ATE0`).
    pub echo: bool,
    /// The simulator's time (the real clock unless a test injects one).
    pub clock: SimClock,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            peer: PeerKind::Echo,
            baud: None,
            faults: Vec::new(),
            seed: 0,
            handshake: Duration::from_millis(20),
            peer_latency: Duration::from_millis(5),
            urc_hold: Duration::from_millis(20),
            guard_time: Duration::from_secs(1),
            echo: false,
            clock: SimClock::system(),
        }
    }
}

/// A socket's state as the manuals name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketState {
    /// Not connected (ML302's INITIAL).
    Initial,
    /// Handshake in progress.
    Opening,
    /// The handshake succeeded; data flows.
    Connected,
    /// The peer closed; the host has not closed the socket yet.
    Closing,
}

/// How received data reaches the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessMode {
    /// Buffered; a "recv" URC announces it, the host reads it.
    Buffer,
    /// Pushed inside URCs.
    DirectPush,
    /// The serial link is a raw pipe after `CONNECT`.
    Transparent,
}

/// One socket, as [`SimHandle::state`] shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocketInfo {
    /// The connection id (the spec's `[socket] ids.connection`: Quectel `<clientID>`,
    /// BC26 `<connectID>`, ML302 `<ssid>`).
    pub id: u32,
    /// The SSL context it uses.
    pub ctx: u8,
    /// Where the connection is.
    pub state: SocketState,
    /// How received data reaches the host.
    pub mode: AccessMode,
    /// The server address the host gave.
    pub host: String,
    /// The server port the host gave.
    pub port: u32,
    /// Received bytes not read yet.
    pub buffered: usize,
    /// A "recv" URC was sent and the buffer has not been read empty since.
    pub recv_urc_pending: bool,
    /// Bytes the host sent to the peer.
    pub sent: u64,
    /// Bytes the peer sent.
    pub received: u64,
}

/// A snapshot of a running simulator.
#[derive(Debug, Clone, PartialEq)]
pub struct SimState {
    /// The family id.
    pub family: &'static str,
    /// Whether command lines are echoed (`ATE1`).
    pub echo: bool,
    /// The socket the serial link is a raw pipe to, in transparent mode.
    pub transparent: Option<u32>,
    /// Every socket that exists, by id.
    pub sockets: Vec<SocketInfo>,
    /// How often the module rebooted (the `reboot` fault).
    pub reboots: u32,
    /// How often each configured fault fired.
    pub faults_fired: Vec<(FaultKind, u32)>,
    /// Where the `depart` fault made an answer depart from the manual: the
    /// command line answered and the field changed (`AT+QSSLOPEN=? <PDP_ctxID>`).
    pub departures: Vec<String>,
}

/// Why a simulator could not start or answer.
#[derive(Debug)]
pub enum SimError {
    /// No such family in this build; lists the known ones.
    UnknownFamily {
        /// The id asked for.
        id: String,
        /// The ids this build knows.
        known: Vec<&'static str>,
    },
    /// Creating the PTY or a thread failed.
    Io {
        /// What was being done.
        context: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The simulator thread has ended.
    Stopped,
    /// The host side was already taken, or this simulator serves a PTY.
    NoHostStream,
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::UnknownFamily { id, known } => write!(
                f,
                "unknown family `{id}`; known families: {}",
                known.join(", ")
            ),
            SimError::Io { context, source } => write!(f, "{context}: {source}"),
            SimError::Stopped => f.write_str("the simulator has stopped"),
            SimError::NoHostStream => {
                f.write_str("no in-process host stream (already taken, or a PTY simulator)")
            }
        }
    }
}

impl std::error::Error for SimError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SimError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// What reaches the simulator thread.
#[derive(Debug)]
pub(crate) enum Event {
    /// Bytes from the host, and when they have crossed the line (paced; `None`:
    /// they are in now).
    Host(Vec<u8>, Option<Duration>),
    Control(Control),
}

#[derive(Debug)]
pub(crate) enum Control {
    State(Sender<SimState>),
    PeerSend(u32, Vec<u8>),
    PeerClose(u32),
    Reboot,
}

/// Starts simulators.
#[derive(Debug, Clone, Copy)]
pub struct Simulator;

impl Simulator {
    /// Starts a simulator of the family `desc` describes, with an in-process
    /// host side ([`SimHandle::take_host`]).
    pub fn spawn(desc: &'static FamilyDesc, options: Options) -> Result<SimHandle, SimError> {
        let (out_tx, out_rx) = mpsc::channel();
        let sink = transport::ChannelSink(out_tx);
        let (mut handle, tx) = Self::start(desc, options.clone(), Box::new(sink), None)?;
        let writer = HostWriter::new(tx, Pacer::new(options.baud, options.clock.clone()));
        handle.host = Some(HostStream::new(HostReader::new(out_rx), writer));
        Ok(handle)
    }

    /// Starts a simulator of the family `desc` describes on a new PTY; a host
    /// opens [`SimHandle::pty_path`] like a serial device.
    #[cfg(unix)]
    pub fn spawn_pty(desc: &'static FamilyDesc, options: Options) -> Result<SimHandle, SimError> {
        let io = |context: &str| {
            let context = context.to_string();
            move |source| SimError::Io { context, source }
        };
        let p = pty::Pty::open().map_err(io("opening a PTY"))?;
        let reader = p.master.try_clone().map_err(io("cloning the PTY master"))?;
        let writer = p.master.try_clone().map_err(io("cloning the PTY master"))?;
        // Bytes the host wrote that the reader has not taken yet: a command on
        // its way, however late the reader thread runs.
        let probe = p.master.try_clone().map_err(io("cloning the PTY master"))?;
        let unread = machine::Unread(Box::new(move || pty::unread(&probe)));
        let (mut handle, tx) = Self::start(desc, options.clone(), Box::new(writer), Some(unread))?;
        let reader = pty::spawn_reader(
            reader,
            tx,
            Pacer::new(options.baud, options.clock.clone()),
            Arc::clone(&handle.stop),
        )
        .map_err(io("starting the PTY reader"))?;
        handle.extra_threads.push(reader);
        handle.pty = Some(p);
        Ok(handle)
    }

    fn start(
        desc: &'static FamilyDesc,
        options: Options,
        sink: Box<dyn Write + Send>,
        unread: Option<machine::Unread>,
    ) -> Result<(SimHandle, Sender<Event>), SimError> {
        let id = desc.id;
        let (tx, rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let mut machine = Machine::new(id, &options);
        machine.unread = unread;
        let sim = Sim::new(machine, Dialect::new(desc));
        let (out_tx, out_rx) = mpsc::channel::<Vec<u8>>();
        let pacer = Pacer::new(options.baud, options.clock.clone());
        let writer = std::thread::Builder::new()
            .name("atgen-sim-writer".into())
            .spawn(move || write_loop(out_rx, sink, pacer))
            .map_err(|source| SimError::Io {
                context: "starting the simulator's writer".into(),
                source,
            })?;
        let stop2 = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name(format!("atgen-sim-{id}"))
            .spawn(move || run(sim, rx, out_tx, stop2, options.clock))
            .map_err(|source| SimError::Io {
                context: "starting the simulator".into(),
                source,
            })?;
        Ok((
            SimHandle {
                family: id,
                control: tx.clone(),
                stop,
                thread: Some(thread),
                extra_threads: vec![writer],
                host: None,
                #[cfg(unix)]
                pty: None,
            },
            tx,
        ))
    }
}

fn write_loop(rx: Receiver<Vec<u8>>, mut sink: Box<dyn Write + Send>, mut pacer: Option<Pacer>) {
    while let Ok(bytes) = rx.recv() {
        let r = match pacer.as_mut() {
            Some(p) => p.write_paced(sink.as_mut(), &bytes),
            None => sink.write_all(&bytes).and_then(|()| sink.flush()),
        };
        if r.is_err() {
            return;
        }
    }
}

fn run(
    mut sim: Sim,
    rx: Receiver<Event>,
    out: Sender<Vec<u8>>,
    stop: Arc<AtomicBool>,
    clock: SimClock,
) {
    // The longest real wait between two looks at the clock (an injected clock
    // may move while the thread waits).
    const IDLE: Duration = Duration::from_millis(50);
    while !stop.load(Ordering::Relaxed) {
        // Everything already handed over is taken in before anything due runs,
        // so host bytes that crossed the line first are handled first.
        loop {
            match rx.try_recv() {
                Ok(event) => handle(&mut sim, event, &clock),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return,
            }
        }
        if !send_due(&mut sim, &clock, &out) {
            return;
        }
        let now = clock.now();
        let wait = sim
            .next_wake()
            .map_or(IDLE, |at| at.saturating_sub(now).min(IDLE));
        match rx.recv_timeout(wait) {
            Ok(event) => {
                // What fell due before unpaced host bytes came goes out first
                // (an injected clock may have moved while the thread waited);
                // paced bytes are taken in at their arrival time anyway.
                if matches!(event, Event::Host(_, None)) && !send_due(&mut sim, &clock, &out) {
                    return;
                }
                handle(&mut sim, event, &clock)
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Sends what is due: paced, one write per answer or frame (each reaches the
/// host once it has crossed the line); unpaced, everything due in one write.
/// `false` when the writer is gone.
fn send_due(sim: &mut Sim, clock: &SimClock, out: &Sender<Vec<u8>>) -> bool {
    let units = sim.tick(clock.now());
    let writes = if sim.paced() {
        units
    } else {
        vec![units.concat()]
    };
    writes
        .into_iter()
        .filter(|b| !b.is_empty())
        .all(|bytes| out.send(bytes).is_ok())
}

fn handle(sim: &mut Sim, event: Event, clock: &SimClock) {
    match event {
        Event::Host(bytes, None) => sim.input(&bytes, clock.now()),
        Event::Host(bytes, Some(at)) => sim.arrive(bytes, at),
        Event::Control(c) => match c {
            Control::State(reply) => {
                let _ = reply.send(sim.m.snapshot());
            }
            Control::PeerSend(key, data) => sim.peer_send(key, data, clock.now()),
            Control::PeerClose(key) => sim.peer_close(key, clock.now()),
            Control::Reboot => sim.reboot_at(clock.now()),
        },
    }
}

/// A running simulator. Dropping it stops the simulator.
#[derive(Debug)]
pub struct SimHandle {
    family: &'static str,
    control: Sender<Event>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    extra_threads: Vec<JoinHandle<()>>,
    host: Option<HostStream>,
    #[cfg(unix)]
    pty: Option<pty::Pty>,
}

impl SimHandle {
    /// The family it simulates.
    pub fn family(&self) -> &'static str {
        self.family
    }

    /// The host side of an in-process simulator (once); `None` for a PTY simulator.
    pub fn take_host(&mut self) -> Option<HostStream> {
        self.host.take()
    }

    /// The host side as a link transport:
    /// `StreamTransport::new(reader, writer)` over [`SimHandle::take_host`].
    pub fn transport(&mut self) -> Result<crate::link::StreamTransport<HostWriter>, SimError> {
        let (r, w) = self.take_host().ok_or(SimError::NoHostStream)?.split();
        Ok(crate::link::StreamTransport::new(r, w))
    }

    /// The PTY slave a host opens (`/dev/pts/N`), for a PTY simulator.
    pub fn pty_path(&self) -> Option<&Path> {
        #[cfg(unix)]
        {
            self.pty.as_ref().map(|p| p.path.as_path())
        }
        #[cfg(not(unix))]
        {
            None
        }
    }

    fn send(&self, c: Control) -> Result<(), SimError> {
        self.control
            .send(Event::Control(c))
            .map_err(|_| SimError::Stopped)
    }

    /// A snapshot of the sockets and the rest of the state.
    pub fn state(&self) -> Result<SimState, SimError> {
        let (tx, rx) = mpsc::channel();
        self.send(Control::State(tx))?;
        rx.recv_timeout(Duration::from_secs(5))
            .map_err(|_| SimError::Stopped)
    }

    /// Makes the peer of socket `id` send `data` now, unasked (as if the server pushed it).
    pub fn peer_send(&self, id: u32, data: &[u8]) -> Result<(), SimError> {
        self.send(Control::PeerSend(id, data.to_vec()))
    }

    /// Makes the peer of socket `id` close the connection now.
    pub fn peer_close(&self, id: u32) -> Result<(), SimError> {
        self.send(Control::PeerClose(id))
    }

    /// Reboots the module now (as the `reboot` fault does).
    pub fn reboot(&self) -> Result<(), SimError> {
        self.send(Control::Reboot)
    }

    /// Whether the simulator thread still runs.
    pub fn is_running(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// Stops the simulator and waits for its threads.
    pub fn stop(mut self) {
        self.shutdown();
    }

    /// Serves until the simulator thread ends (the CLI: until killed).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        // The writer ends once the simulator dropped its output channel; a PTY reader
        // sees the stop flag within its poll interval. A writer blocked on a full PTY
        // is left to end with the process.
        for t in self.extra_threads.drain(..) {
            if t.is_finished() {
                let _ = t.join();
            }
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        self.shutdown();
    }
}

//! One SSL connection as a pure state machine: each operation (configure,
//! open, write, read, close, upload) says what to do next — run this request,
//! poll for URCs until a time, sleep, or done — and is told what happened.
//! URCs are routed to the connection by the driver ([`Connection::route`]).
//!
//! The protocol logic lives here once: splitting sends at the family's cap,
//! retrying failed sends with a doubling backoff, draining the module's buffer
//! after a "data ready" URC, taking pushed data, end of file after a peer close
//! once the data before it is read, a typed error after a module restart.

use core::time::Duration;

use super::{decode_data, AccessMode, Dialog, Event, Extra, Options};
use crate::error::ValidationError;
use crate::session::{DynRequest, Ids};
use crate::vals::Val;

/// Where the connection is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketState {
    /// Not opened yet (or a failed open).
    Idle,
    /// Open; data may flow both ways.
    Open,
    /// Closed (by close, or lost in a module restart).
    Closed,
}

/// Received bytes not yet read: a bounded byte queue.
pub trait ByteQueue {
    /// Appends as much as fits; returns how many bytes were taken.
    fn push(&mut self, data: &[u8]) -> usize;
    /// Moves up to `out.len()` bytes out; returns how many.
    fn pop_into(&mut self, out: &mut [u8]) -> usize;
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn clear(&mut self);
}

impl<const N: usize> ByteQueue for heapless::Deque<u8, N> {
    fn push(&mut self, data: &[u8]) -> usize {
        let mut n = 0;
        for &b in data {
            if self.push_back(b).is_err() {
                break;
            }
            n += 1;
        }
        n
    }
    fn pop_into(&mut self, out: &mut [u8]) -> usize {
        let mut n = 0;
        for slot in out.iter_mut() {
            match self.pop_front() {
                Some(b) => {
                    *slot = b;
                    n += 1;
                }
                None => break,
            }
        }
        n
    }
    fn len(&self) -> usize {
        heapless::Deque::len(self)
    }
    fn clear(&mut self) {
        heapless::Deque::clear(self)
    }
}

/// What a pushed data frame must be ([`SockError::Malformed`]).
pub const MALFORMED_EXPECTED: &str =
    "a data frame whose payload has the length its header announces";
/// What a read waits for once a payload started ([`SockError::ShortData`]).
pub const SHORT_EXPECTED: &str = "the whole payload within the read's wait";

/// Why a connection operation failed (no heap: the driver adds the details
/// of a failed request, see [`SockError::Failed`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SockError {
    /// The request last run failed; the driver knows how.
    Failed,
    /// A value is outside what the manual allows; nothing was written.
    Validation(ValidationError),
    /// The family has no command for an option or operation.
    Unsupported {
        family: &'static str,
        what: &'static str,
        hint: &'static str,
    },
    /// Data the send cannot carry.
    Unsendable {
        family: &'static str,
        command: &'static str,
        byte: u8,
        index: usize,
        why: &'static str,
    },
    NotOpen {
        family: &'static str,
        op: &'static str,
    },
    /// A second open on an open connection.
    AlreadyOpen { family: &'static str },
    PeerClosed {
        family: &'static str,
        op: &'static str,
    },
    /// Nothing arrived within the read's wait.
    TimedOut,
    /// Every retry of a send failed.
    SendFail {
        family: &'static str,
        command: &'static str,
        attempts: u32,
        sent: usize,
        total: usize,
    },
    /// The module restarted: the connection is lost.
    Rebooted { family: &'static str },
    /// Received data did not fit the connection's buffer.
    Overflow { family: &'static str, lost: usize },
    /// A pushed data frame did not parse: its data is lost (the frame as it came, cut).
    Malformed {
        family: &'static str,
        frame: crate::session::Text,
    },
    /// The read's wait ended inside a payload: fewer bytes came than announced.
    ShortData {
        family: &'static str,
        announced: usize,
        arrived: usize,
    },
}

impl From<ValidationError> for SockError {
    fn from(e: ValidationError) -> Self {
        SockError::Validation(e)
    }
}

/// What the driver does next.
// Returned and consumed at once; boxing the request would need an allocator.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Action<'a> {
    /// Run this request (the data for its data phase; each wait capped by
    /// `cap`), then report with [`Connection::ran`].
    Run {
        cmd: DynRequest<'a>,
        data: Option<&'a [u8]>,
        cap: Option<Duration>,
    },
    /// Read URCs (route them) until one came or this time passed, then step again.
    Poll(Duration),
    /// Wait until this time (a retry backoff), then step again.
    Sleep(Duration),
    /// The operation is over: bytes written, or available to read (0: end of file).
    Done(Result<usize, SockError>),
}

/// How the request of the last [`Action::Run`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ran<'b> {
    /// It succeeded; `response`: its information lines (`hex`: payloads are hex text).
    Ok { response: &'b [u8], hex: bool },
    /// `SEND FAIL`.
    SendFail,
    /// The module reported this code (result URC or `+CME ERROR`).
    Code(i64),
    /// A plain `ERROR`.
    Error,
    /// Anything else (timeout, I/O, protocol).
    Failed,
}

/// One operation under way.
#[derive(Debug)]
pub enum Op<'a> {
    Configure {
        next: usize,
    },
    Open {
        host: &'a str,
        port: u16,
        running: bool,
    },
    Write {
        data: &'a [u8],
        sent: usize,
        chunk: usize,
        failures: u32,
        backoff: Duration,
        running: bool,
        checked: bool,
    },
    Read {
        want: usize,
        deadline: Option<Duration>,
        running: bool,
        before: usize,
        /// When the read was first polled.
        started: Option<Duration>,
    },
    Close {
        running: bool,
    },
    Upload {
        kind: u8,
        data: &'a [u8],
        step: usize,
    },
    Finished,
}

impl<'a> Op<'a> {
    pub fn configure() -> Self {
        Op::Configure { next: 0 }
    }
    pub fn open(host: &'a str, port: u16) -> Self {
        Op::Open {
            host,
            port,
            running: false,
        }
    }
    pub fn write(data: &'a [u8]) -> Self {
        Op::Write {
            data,
            sent: 0,
            chunk: 0,
            failures: 0,
            backoff: Duration::ZERO,
            running: false,
            checked: false,
        }
    }
    /// A read of at most `want` bytes, waiting until `deadline` (`None`: until
    /// data or the peer's close).
    pub fn read(want: usize, deadline: Option<Duration>) -> Self {
        Op::Read {
            want,
            deadline,
            running: false,
            before: 0,
            started: None,
        }
    }
    pub fn close() -> Self {
        Op::Close { running: false }
    }
    /// Uploads a certificate (0 CA, 1 client certificate, 2 client key).
    pub fn upload(kind: u8, data: &'a [u8]) -> Self {
        Op::Upload {
            kind,
            data,
            step: 0,
        }
    }
}

/// What the connection needs of the session its requests run on.
pub trait Context {
    /// A setting for a request naming `ids`.
    fn setting(&self, name: &str, ids: &Ids) -> Option<i64>;
    /// Records the ids an opened connection uses.
    fn bind(&mut self, connection: (&'static str, i64), ids: Ids);
    /// Never log these bytes.
    fn add_secret(&mut self, secret: &[u8]);
    /// A payload under way: its announced length and the bytes of it received.
    fn partial_payload(&self) -> Option<(usize, usize)> {
        None
    }
}

impl<F: crate::Family, const RX: usize, const BLK: usize, const TX: usize> Context
    for crate::session::Session<F, RX, BLK, TX>
{
    fn setting(&self, name: &str, ids: &Ids) -> Option<i64> {
        crate::session::Session::setting(self, name, ids)
    }
    fn bind(&mut self, connection: (&'static str, i64), ids: Ids) {
        crate::session::Session::bind(self, connection, ids)
    }
    fn add_secret(&mut self, secret: &[u8]) {
        crate::session::Session::add_secret(self, secret)
    }
    fn partial_payload(&self) -> Option<(usize, usize)> {
        crate::session::Session::partial_payload(self)
    }
}

impl Context for crate::session::Parts<'_> {
    fn setting(&self, name: &str, ids: &Ids) -> Option<i64> {
        self.settings.get(name, ids)
    }
    fn bind(&mut self, connection: (&'static str, i64), ids: Ids) {
        self.settings.bind(connection, ids)
    }
    fn add_secret(&mut self, secret: &[u8]) {
        self.secrets.add(secret)
    }
}

/// How long a payload may make no progress before a read reports it short.
pub const PAYLOAD_STALL: Duration = Duration::from_secs(1);

/// How long one poll waits when a read has no deadline.
const IDLE_POLL: Duration = Duration::from_secs(1);

/// One SSL connection: its state and its received bytes (`Q`, bounded).
#[derive(Debug)]
pub struct Connection<Q: ByteQueue> {
    pub dialog: Dialog,
    state: SocketState,
    rx: Q,
    data_ready: bool,
    peer_closed: bool,
    rebooted: bool,
    lost: usize,
    /// A pushed data frame that did not parse, reported by the next operation.
    malformed: Option<crate::session::Text>,
    /// A payload under way (announced, arrived) and since when it has made no progress.
    stall: Option<(Duration, (usize, usize))>,
}

impl<Q: ByteQueue + Default> Connection<Q> {
    pub fn new(dialog: Dialog) -> Self {
        Self::with_queue(dialog, Q::default())
    }
}

impl<Q: ByteQueue> Connection<Q> {
    /// A connection keeping received bytes in `rx`.
    pub fn with_queue(dialog: Dialog, rx: Q) -> Self {
        Connection {
            dialog,
            state: SocketState::Idle,
            rx,
            data_ready: false,
            peer_closed: false,
            rebooted: false,
            lost: 0,
            malformed: None,
            stall: None,
        }
    }

    pub fn state(&self) -> SocketState {
        self.state
    }

    pub fn is_open(&self) -> bool {
        self.state == SocketState::Open
    }

    pub fn peer_closed(&self) -> bool {
        self.peer_closed
    }

    /// Whether the module restarted while the connection was open.
    pub fn rebooted(&self) -> bool {
        self.rebooted
    }

    /// Received bytes waiting to be read.
    pub fn buffered(&self) -> usize {
        self.rx.len()
    }

    /// Moves received bytes into `buf`.
    pub fn take(&mut self, buf: &mut [u8]) -> usize {
        self.rx.pop_into(buf)
    }

    fn family(&self) -> &'static str {
        self.dialog.family()
    }

    /// The module restarted (the driver saw its restart line): an open
    /// connection is lost, and its operations fail with [`SockError::Rebooted`].
    pub fn restarted(&mut self) {
        if self.state == SocketState::Open {
            self.rebooted = true;
            self.state = SocketState::Closed;
        }
    }

    /// Routes an unsolicited frame: `true` when it was this connection's (data,
    /// data ready, peer closed). The restart line is not routed here: it is every
    /// connection's ([`Connection::restarted`]).
    pub fn route(&mut self, o: &Options<'_>, frame: &[u8], hex: bool) -> bool {
        match self.dialog.classify(o, frame, hex) {
            Event::DataReady => {
                self.data_ready = true;
                true
            }
            Event::Data { wire, hex } => {
                self.take_data(wire, hex);
                true
            }
            Event::Closed => {
                self.peer_closed = true;
                true
            }
            Event::Malformed => {
                if self.malformed.is_none() {
                    let n = frame.len().min(crate::session::TEXT_LEN);
                    self.malformed = heapless::Vec::from_slice(frame.get(..n).unwrap_or(&[])).ok();
                }
                true
            }
            Event::Other => false,
        }
    }

    /// Decoded data into the receive queue; what does not fit is counted as lost.
    fn take_data(&mut self, wire: &[u8], hex: bool) {
        let mut chunk = [0u8; 128];
        let step = if hex { 2 * chunk.len() } else { chunk.len() };
        for piece in wire.chunks(step) {
            match decode_data(piece, hex, &mut chunk) {
                Ok(n) => {
                    let bytes = chunk.get(..n).unwrap_or(&[]);
                    let kept = self.rx.push(bytes);
                    self.lost += n - kept;
                }
                Err(_) => self.lost += piece.len() / if hex { 2 } else { 1 },
            }
        }
    }

    fn ids(&self, o: &Options<'_>) -> Ids {
        let s = self.dialog.socket;
        let mut ids = Ids::new();
        if let Some(p) = s.pdp {
            ids.push(p, i64::from(o.pdp));
        }
        if let Some(p) = s.ssl_ctx {
            ids.push(p, i64::from(o.ssl_ctx));
        }
        ids.push(s.connection, i64::from(o.connection));
        ids
    }

    fn run<'r>(&self, cmd: DynRequest<'r>, data: Option<&'r [u8]>, o: &Options<'_>) -> Action<'r> {
        Action::Run {
            cmd,
            data,
            cap: o.timeout,
        }
    }

    /// The most bytes one send carries now: the family's cap under the
    /// settings made for this connection (BC26 hex data: 730).
    pub fn send_chunk(&self, o: &Options<'_>, ctx: &dyn Context) -> usize {
        let ids = self.ids(o);
        let setting = |name: &str| ctx.setting(name, &ids);
        self.dialog.max_chunk(o, &setting)
    }

    /// What to do next for `op`.
    pub fn step<'a>(
        &mut self,
        op: &mut Op<'a>,
        o: &Options<'a>,
        ctx: &dyn Context,
        now: Duration,
    ) -> Action<'a> {
        let family = self.family();
        if let Some(frame) = self.malformed.take() {
            if !matches!(op, Op::Close { .. }) {
                *op = Op::Finished;
                return Action::Done(Err(SockError::Malformed { family, frame }));
            }
        }
        if let Some(lost) = (self.lost > 0).then_some(self.lost) {
            if !matches!(op, Op::Close { .. }) {
                self.lost = 0;
                *op = Op::Finished;
                return Action::Done(Err(SockError::Overflow { family, lost }));
            }
        }
        match op {
            Op::Finished => Action::Done(Ok(0)),
            Op::Configure { next } => {
                if *next == 0 {
                    if let Some(e) = self.dialog.unsupported(o) {
                        *op = Op::Finished;
                        return Action::Done(Err(e));
                    }
                }
                match self.dialog.setup(o).nth(*next) {
                    Some(cmd) => {
                        *next += 1;
                        self.run(cmd, None, o)
                    }
                    None => {
                        *op = Op::Finished;
                        Action::Done(Ok(0))
                    }
                }
            }
            Op::Open {
                host,
                port,
                running,
            } => {
                if self.state == SocketState::Open {
                    *op = Op::Finished;
                    return Action::Done(Err(SockError::AlreadyOpen { family }));
                }
                if let Err(e) = self.dialog.check_host(host) {
                    *op = Op::Finished;
                    return Action::Done(Err(SockError::Validation(e)));
                }
                *running = true;
                self.rx.clear();
                self.data_ready = false;
                self.peer_closed = false;
                self.rebooted = false;
                self.run(self.dialog.open(o, host, *port), None, o)
            }
            Op::Write {
                data,
                sent,
                chunk,
                failures,
                backoff,
                running,
                checked,
            } => {
                if self.state != SocketState::Open {
                    *op = Op::Finished;
                    return Action::Done(Err(if self.rebooted {
                        SockError::Rebooted { family }
                    } else {
                        SockError::NotOpen {
                            family,
                            op: "write",
                        }
                    }));
                }
                if !*checked {
                    *checked = true;
                    *backoff = o.send_backoff;
                    if let Err(e) = self.dialog.check_payload(o, data) {
                        *op = Op::Finished;
                        return Action::Done(Err(e));
                    }
                }
                if *sent >= data.len() {
                    let n = data.len();
                    *op = Op::Finished;
                    return Action::Done(Ok(n));
                }
                if self.peer_closed {
                    *op = Op::Finished;
                    return Action::Done(Err(SockError::PeerClosed {
                        family,
                        op: "write",
                    }));
                }
                let max = self.send_chunk(o, ctx);
                let rest = data.get(*sent..).unwrap_or(&[]);
                *chunk = rest.len().min(max);
                *running = true;
                let piece = rest.get(..*chunk).unwrap_or(&[]);
                let _ = failures;
                self.run(self.dialog.send(o, piece.len()), Some(piece), o)
            }
            Op::Read {
                want,
                deadline,
                running,
                before,
                started,
            } => {
                let started = *started.get_or_insert(now);
                if !self.rx.is_empty() {
                    let n = self.rx.len();
                    *op = Op::Finished;
                    return Action::Done(Ok(n));
                }
                if self.rebooted {
                    *op = Op::Finished;
                    return Action::Done(Err(SockError::Rebooted { family }));
                }
                if self.state == SocketState::Idle {
                    *op = Op::Finished;
                    return Action::Done(Err(SockError::NotOpen { family, op: "read" }));
                }
                if self.data_ready
                    && self.state == SocketState::Open
                    && self.dialog.mode(o.mode) == AccessMode::Buffer
                {
                    if let Some(cmd) = self.dialog.recv(o, *want) {
                        // Cleared first: a "recv" URC that arrives during the read sets it again.
                        self.data_ready = false;
                        *running = true;
                        *before = self.rx.len();
                        return self.run(cmd, None, o);
                    }
                }
                if self.peer_closed || self.state != SocketState::Open {
                    *op = Op::Finished;
                    return Action::Done(Ok(0));
                }
                // A payload still arriving is not short: only one that has made no
                // progress for PAYLOAD_STALL is (a read that merely polls, or ends
                // while the bytes are on their way, times out and keeps them).
                let partial = ctx.partial_payload();
                match (partial, self.stall) {
                    (Some(p), Some((_, q))) if p == q => {}
                    (Some(p), _) => self.stall = Some((now, p)),
                    (None, _) => self.stall = None,
                }
                match *deadline {
                    Some(d) if now >= d => {
                        *op = Op::Finished;
                        // Short: no progress for PAYLOAD_STALL over several reads, or
                        // still incomplete after a read that itself waited that long.
                        let stalled = self
                            .stall
                            .is_some_and(|(since, _)| now.saturating_sub(since) >= PAYLOAD_STALL)
                            || now.saturating_sub(started) >= PAYLOAD_STALL;
                        Action::Done(Err(match partial {
                            Some((announced, arrived)) if stalled => SockError::ShortData {
                                family,
                                announced,
                                arrived,
                            },
                            _ => SockError::TimedOut,
                        }))
                    }
                    Some(d) => Action::Poll(d),
                    None => Action::Poll(now.saturating_add(IDLE_POLL)),
                }
            }
            Op::Close { running } => {
                if self.state != SocketState::Open {
                    *op = Op::Finished;
                    return Action::Done(Ok(0));
                }
                if self.peer_closed && !self.dialog.socket.close_after_peer {
                    self.state = SocketState::Closed;
                    self.data_ready = false;
                    *op = Op::Finished;
                    return Action::Done(Ok(0));
                }
                *running = true;
                self.run(self.dialog.close(o), None, o)
            }
            Op::Upload { kind, data, step } => {
                let (kind, data, step) = (*kind, *data, *step);
                let Some(steps) = self.dialog.upload(kind) else {
                    *op = Op::Finished;
                    return Action::Done(Err(SockError::Unsupported {
                        family,
                        what: "uploading a certificate through the SSL commands",
                        hint: self
                            .dialog
                            .socket
                            .lacks("upload")
                            .unwrap_or("the family's spec has no upload"),
                    }));
                };
                let Some(st) = steps.get(step) else {
                    *op = Op::Finished;
                    return Action::Done(Ok(data.len()));
                };
                let x = Extra {
                    cert_kind: Some(kind),
                    ..Extra::default()
                };
                let mut cmd = self.dialog.request(&st.request, o, x);
                if let Some(path) = st.default_path {
                    for (i, f) in st.request.form.args.fields.iter().enumerate() {
                        let is_path = st.request.values.iter().any(|(p, s)| {
                            *p == f.param.name
                                && matches!(
                                    s,
                                    crate::desc::Source::Opt(
                                        crate::desc::Opt::CaCert
                                            | crate::desc::Opt::ClientCert
                                            | crate::desc::Opt::ClientKey
                                    )
                                )
                        });
                        if is_path && cmd.vals.get(i).is_none() {
                            cmd.vals.set(i, Val::Str(path));
                        }
                    }
                }
                self.run(cmd, st.data.then_some(data), o)
            }
        }
    }

    /// What happened to the request the last [`Action::Run`] asked for.
    pub fn ran<'a>(
        &mut self,
        op: &mut Op<'a>,
        o: &Options<'a>,
        ran: Ran<'_>,
        ctx: &mut dyn Context,
        now: Duration,
    ) -> Option<Action<'a>> {
        let family = self.family();
        let failed = |op: &mut Op<'a>| {
            *op = Op::Finished;
            Some(Action::Done(Err(SockError::Failed)))
        };
        match op {
            Op::Configure { .. } => match ran {
                Ran::Ok { .. } => None,
                _ => failed(op),
            },
            Op::Open { .. } => match ran {
                Ran::Ok { .. } => {
                    self.state = SocketState::Open;
                    let ids = self.ids(o);
                    ctx.bind(
                        (self.dialog.socket.connection, i64::from(o.connection)),
                        ids,
                    );
                    *op = Op::Finished;
                    Some(Action::Done(Ok(0)))
                }
                _ => failed(op),
            },
            Op::Write {
                data,
                sent,
                chunk,
                failures,
                backoff,
                running,
                ..
            } => {
                *running = false;
                let send = &self.dialog.socket.send;
                let retry = match ran {
                    Ran::Ok { .. } => {
                        *sent += *chunk;
                        *failures = 0;
                        *backoff = o.send_backoff;
                        return None;
                    }
                    Ran::SendFail => send.retry_send_fail,
                    Ran::Code(c) => send.retry_codes.contains(&c),
                    _ => false,
                };
                if !retry {
                    if self.peer_closed {
                        *op = Op::Finished;
                        return Some(Action::Done(Err(SockError::PeerClosed {
                            family,
                            op: "write",
                        })));
                    }
                    return failed(op);
                }
                *failures += 1;
                if *failures > o.send_retries {
                    let e = SockError::SendFail {
                        family,
                        command: send.request.form.command,
                        attempts: *failures,
                        sent: *sent,
                        total: data.len(),
                    };
                    *op = Op::Finished;
                    return Some(Action::Done(Err(e)));
                }
                let until = now.saturating_add(*backoff);
                *backoff = backoff.saturating_mul(2);
                Some(Action::Sleep(until))
            }
            Op::Read {
                running, before, ..
            } => {
                *running = false;
                match ran {
                    Ran::Ok { response, hex } => {
                        match self.dialog.response_data(response, hex) {
                            Ok(wire) if !wire.is_empty() => self.take_data(wire, hex),
                            Ok(_) => {}
                            Err(_) => return failed(op),
                        }
                        // Data came (in the response or in data URCs): more may wait.
                        if self.rx.len() > *before {
                            self.data_ready = true;
                        }
                        None
                    }
                    // The module may refuse to read a connection the peer closed: end of file.
                    _ if self.peer_closed => None,
                    _ => {
                        self.data_ready = true;
                        failed(op)
                    }
                }
            }
            Op::Close { .. } => {
                let peer_closed = self.peer_closed;
                self.state = SocketState::Closed;
                self.data_ready = false;
                *op = Op::Finished;
                match ran {
                    Ran::Ok { .. } => Some(Action::Done(Ok(0))),
                    // After a peer close the module's own close errors do not matter.
                    _ if peer_closed => Some(Action::Done(Ok(0))),
                    _ => Some(Action::Done(Err(SockError::Failed))),
                }
            }
            Op::Upload {
                step, kind, data, ..
            } => {
                let ignore = self
                    .dialog
                    .upload(*kind)
                    .and_then(|s| s.get(*step))
                    .is_some_and(|s| s.errors_ignored);
                let _ = data;
                match ran {
                    Ran::Ok { .. } => {}
                    Ran::Error | Ran::Code(_) if ignore => {}
                    _ => return failed(op),
                }
                *step += 1;
                None
            }
            Op::Finished => Some(Action::Done(Ok(0))),
        }
    }

    /// Registers an uploaded client key as a secret before it is sent.
    pub fn secret_upload(&self, op: &Op<'_>, ctx: &mut dyn Context) {
        if let Op::Upload { kind: 2, data, .. } = op {
            ctx.add_secret(data);
        }
    }
}

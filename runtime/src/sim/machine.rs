//! The family-independent core: command-line assembly, data phases, transparent
//! mode with its `+++` escape, sockets and their peers, timers, the output queue
//! and where the faults strike. The [`Dialect`] turns command lines into actions
//! and answers them from the family's descriptors.
//!
//! Time is an input: every entry point takes the current time (the runtime's
//! injected clock), so the machine never reads the wall clock.

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use super::dialect::Dialect;
use super::fault::{FaultKind, Faults};
use super::peer::{Peer, PeerKind};
use super::store::{IdKey, Owned};
use super::{AccessMode, Options, SimState, SocketInfo, SocketState};
use crate::codec;
use crate::desc::{FinalKind, Form};

/// A socket's number as the family counts it (client id, BC26 connect id, ML302 ssid).
pub(crate) type SockKey = u32;

/// Whether host bytes wait to be read (a PTY's unread input).
pub(crate) struct Unread(pub(crate) Box<dyn Fn() -> bool + Send>);

impl std::fmt::Debug for Unread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Unread")
    }
}

const CTRL_Z: u8 = 0x1A;
const ESC: u8 = 0x1B;
/// Longest command line; longer lines are answered with `ERROR`.
pub(crate) const MAX_LINE: usize = 2048;
/// Longest Ctrl+Z data phase kept when the command sets no cap (certificates).
const MAX_DATA: usize = 64 * 1024;
/// Time from a reboot to `RDY`.
const BOOT_TIME: Duration = Duration::from_millis(20);
/// How long before the line is free an unsolicited frame is handed to the
/// writer, so that frames follow each other on the line without a gap.
const LEAD: Duration = Duration::from_millis(2);

/// One simulated SSL connection.
#[derive(Debug)]
pub(crate) struct Socket {
    pub(crate) key: SockKey,
    /// SSL context (Quectel `<SSL_ctxID>`, BC26 `<contextID>`, ML302 `<ctxindex>`).
    pub(crate) ctx: u8,
    /// PDP context (`<PDP_ctxID>`), where the family has one.
    pub(crate) pdp: u8,
    pub(crate) state: SocketState,
    pub(crate) mode: AccessMode,
    pub(crate) host: String,
    pub(crate) port: u32,
    pub(crate) local_port: u16,
    /// Received and not read yet (buffer access mode).
    pub(crate) rx: VecDeque<u8>,
    /// A "recv" URC was sent and the host has not read the buffer empty since.
    pub(crate) notified: bool,
    pub(crate) sent: u64,
    pub(crate) received: u64,
    generation: u64,
    peer: Box<dyn Peer>,
}

/// How a data phase ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    /// Ctrl+Z sends, ESC cancels; more than `max` bytes is an error.
    CtrlZ { max: Option<usize> },
    /// Exactly this many bytes on the wire.
    Length(usize),
}

/// What a data phase is for; the dialect interprets it.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub(crate) kind: JobKind,
    pub(crate) key: SockKey,
    /// The data is hex text (BC26 `<send_data_format>`=1).
    pub(crate) hex: bool,
    /// The request that opened the data phase, and the ids it named.
    pub(crate) form: &'static Form,
    pub(crate) vals: Vec<Owned>,
    pub(crate) ids: IdKey,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JobKind {
    Send,
    /// A certificate or key upload.
    Upload,
}

#[derive(Debug)]
struct DataPhase {
    end: End,
    job: Job,
    buf: Vec<u8>,
    overflow: bool,
}

#[derive(Debug)]
struct Escape {
    key: SockKey,
    /// `+` characters seen after a guard time of silence.
    plus: usize,
    last: Duration,
}

#[derive(Debug)]
enum Mode {
    Command,
    Data(DataPhase),
    Transparent(Escape),
}

#[derive(Debug)]
enum Timer {
    Opened(SockKey, u64),
    /// The module gave up an open at the end of its result wait.
    GaveUp(SockKey, u64),
    PeerData(SockKey, u64, Vec<u8>),
    PeerClosed(SockKey, u64),
    Ready,
}

/// The state a dialect acts on, and the output it writes to.
#[derive(Debug)]
pub(crate) struct Machine {
    pub(crate) family: &'static str,
    handshake: Duration,
    peer_latency: Duration,
    guard: Duration,
    default_echo: bool,
    pub(crate) echo: bool,
    pub(crate) sockets: BTreeMap<SockKey, Socket>,
    peer_kind: PeerKind,
    faults: Faults,
    timers: Vec<(Duration, u64, Timer)>,
    seq: u64,
    generation: u64,
    /// Answers (prompts, result codes, responses, result URCs) and raw bytes,
    /// each with the time it is due.
    out: VecDeque<(Duration, Vec<u8>)>,
    /// Unsolicited frames waiting for the line (paced only), with when each came.
    held: VecDeque<(Duration, Vec<u8>)>,
    /// Host bytes on their way, with when each chunk has crossed the line (paced).
    arrivals: VecDeque<(Duration, Vec<u8>)>,
    /// The line time of a byte toward the host (`None`: unpaced).
    byte_time: Option<Duration>,
    /// When the line toward the host is free again, and when the last answer
    /// has crossed it.
    tx_free_at: Duration,
    answered_at: Duration,
    urc_hold: Duration,
    /// Host bytes not handed over yet (a PTY simulator: written, not yet read).
    pub(crate) unread: Option<Unread>,
    resp: Vec<Vec<u8>>,
    mode: Mode,
    line: Vec<u8>,
    line_too_long: bool,
    skip_lf: bool,
    transparent: Option<SockKey>,
    reboots: u32,
    /// What the `depart` fault changed, in order.
    pub(crate) departures: Vec<String>,
    /// The URC the `urc` fault injects (refreshed before each command).
    inject: Vec<u8>,
    /// The time of the event being handled.
    now: Duration,
}

impl Machine {
    pub(crate) fn new(family: &'static str, o: &Options) -> Self {
        Machine {
            family,
            handshake: o.handshake,
            peer_latency: o.peer_latency,
            guard: o.guard_time,
            default_echo: o.echo,
            echo: o.echo,
            sockets: BTreeMap::new(),
            peer_kind: o.peer,
            faults: Faults::new(&o.faults, o.seed),
            departures: Vec::new(),
            timers: Vec::new(),
            seq: 0,
            generation: 0,
            out: VecDeque::new(),
            held: VecDeque::new(),
            arrivals: VecDeque::new(),
            byte_time: super::pacing::byte_time(o.baud),
            tx_free_at: Duration::ZERO,
            answered_at: Duration::ZERO,
            urc_hold: o.urc_hold,
            unread: None,
            resp: Vec::new(),
            mode: Mode::Command,
            line: Vec::new(),
            line_too_long: false,
            skip_lf: false,
            transparent: None,
            reboots: 0,
            inject: Vec::new(),
            now: Duration::ZERO,
        }
    }

    // ---- output ----

    fn push_out(&mut self, not_before: Duration, bytes: Vec<u8>) {
        if !bytes.is_empty() {
            self.out.push_back((not_before, bytes));
        }
    }

    /// Raw bytes (echo, transparent data), in order behind anything queued.
    fn raw(&mut self, bytes: &[u8]) {
        self.push_out(self.now, bytes.to_vec());
    }

    /// Adds an information line formatted beforehand.
    pub(crate) fn info_raw(&mut self, line: Vec<u8>) {
        if !line.is_empty() {
            self.resp.push(line);
        }
    }

    /// Ends the response with a final result code; the response faults strike here.
    pub(crate) fn finish(&mut self, code: FinalKind) {
        let mut lines = std::mem::take(&mut self.resp);
        let now = self.now;
        let not_before = match self.faults.fire(FaultKind::Delay) {
            Some(f) => now + f.delay,
            None => now,
        };
        if self.faults.fire(FaultKind::Urc).is_some() && !self.inject.is_empty() {
            let at = if lines.len() >= 2 {
                1 + self.faults.rng.below(lines.len() - 1)
            } else {
                lines.len()
            };
            lines.insert(at, self.inject.clone());
        }
        let mut unit = Vec::new();
        for l in lines {
            unit.extend_from_slice(codec::LINE_START);
            unit.extend_from_slice(&l);
        }
        if self.faults.fire(FaultKind::Drop).is_none() {
            let _ = codec::write_final(code.text(), &mut unit);
        }
        if self.faults.fire(FaultKind::Garbage).is_some() {
            unit.extend_from_slice(b"\r\n");
            unit.extend_from_slice(&self.faults.junk());
            unit.extend_from_slice(b"\r\n");
        }
        self.push_out(not_before, unit);
    }

    pub(crate) fn ok(&mut self) {
        self.finish(FinalKind::Ok);
    }

    pub(crate) fn error(&mut self) {
        self.finish(FinalKind::Error);
    }

    /// Sends a URC line (with its CR LF) at once, in order with the answers
    /// (a command's result URC).
    pub(crate) fn urc_raw(&mut self, line: Vec<u8>) {
        let mut v = codec::LINE_START.to_vec();
        v.extend_from_slice(&line);
        self.raw(&v);
    }

    /// Sends an unsolicited URC line (pushed data, "data ready", a peer's
    /// close): on a paced line it waits until the line is free and no answer is
    /// due ([`Machine::held_due`]); unpaced it goes out in order at once.
    pub(crate) fn unsolicited(&mut self, line: Vec<u8>) {
        if self.byte_time.is_none() {
            self.urc_raw(line);
            return;
        }
        let mut v = codec::LINE_START.to_vec();
        v.extend_from_slice(&line);
        self.held.push_back((self.now, v));
    }

    /// Books the line toward the host for `n` bytes handed over at `now`
    /// (they go after what is on it); when they have crossed it.
    fn occupy(&mut self, now: Duration, n: usize) -> Duration {
        if let Some(bt) = self.byte_time {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            self.tx_free_at = self.tx_free_at.max(now) + bt.saturating_mul(n);
        }
        self.tx_free_at
    }

    /// When the oldest unsolicited frame (held since `since`) may take the
    /// line, once no answer is due: when the line is free, and the host is
    /// sending data (a data phase, transparent mode) or has left the link alone
    /// for the hold time after the last answer. A host that never pauses does not
    /// hold a frame back more than ten hold times.
    fn held_due(&self, since: Duration) -> Duration {
        let longest = since + self.urc_hold.saturating_mul(10);
        let quiet = match self.mode {
            Mode::Data(_) | Mode::Transparent(_) => Duration::ZERO,
            Mode::Command if self.line.is_empty() && !self.host_sending() => {
                self.answered_at + self.urc_hold
            }
            Mode::Command => longest,
        };
        quiet.min(longest).max(self.tx_free_at.saturating_sub(LEAD))
    }

    /// Whether host bytes are on their way: handed over and not yet arrived,
    /// or written and not yet handed over.
    fn host_sending(&self) -> bool {
        !self.arrivals.is_empty() || self.unread.as_ref().is_some_and(|u| (u.0)())
    }

    /// What goes to the host now, one entry per answer or frame: the answers
    /// that are due, in order, then the unsolicited frames that may go.
    fn release(&mut self, now: Duration) -> Vec<Vec<u8>> {
        let mut units = Vec::new();
        while let Some((at, _)) = self.out.front() {
            if *at > now {
                break;
            }
            if let Some((_, bytes)) = self.out.pop_front() {
                self.answered_at = self.occupy(now, bytes.len());
                units.push(bytes);
            }
        }
        while self.out.is_empty() {
            match self.held.front() {
                Some((since, _)) if self.held_due(*since) <= now => {}
                _ => break,
            }
            if let Some((_, bytes)) = self.held.pop_front() {
                self.occupy(now, bytes.len());
                units.push(bytes);
            }
        }
        units
    }

    /// Answers `>` and takes the data phase.
    pub(crate) fn prompt(&mut self, end: End, job: Job) {
        self.resp.clear();
        self.raw(codec::PROMPT);
        self.mode = Mode::Data(DataPhase {
            end,
            job,
            buf: Vec::new(),
            overflow: false,
        });
    }

    /// Whether the `depart` fault strikes this answer line; noted when it does.
    pub(crate) fn departs(&mut self, what: String) -> bool {
        let hit = self.faults.fire(FaultKind::Depart).is_some();
        if hit {
            self.departures.push(what);
        }
        hit
    }

    /// Whether the `send-fail` fault strikes this send.
    pub(crate) fn send_fails(&mut self) -> bool {
        self.faults.fire(FaultKind::SendFail).is_some()
    }

    // ---- sockets ----

    fn schedule(&mut self, after: Duration, t: Timer) {
        self.seq += 1;
        self.timers.push((self.now + after, self.seq, t));
    }

    /// Starts opening a socket; the dialect's `opened` runs after the simulated
    /// handshake, or its `gave_up` at `give_up` where the handshake takes longer.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn open(
        &mut self,
        key: SockKey,
        ctx: u8,
        pdp: u8,
        host: &str,
        port: u32,
        mode: AccessMode,
        give_up: Option<Duration>,
    ) {
        self.generation += 1;
        let generation = self.generation;
        let local_port = 40000u16.wrapping_add((generation % 20000) as u16);
        self.sockets.insert(
            key,
            Socket {
                key,
                ctx,
                pdp,
                state: SocketState::Opening,
                mode,
                host: host.to_string(),
                port,
                local_port,
                rx: VecDeque::new(),
                notified: false,
                sent: 0,
                received: 0,
                generation,
                peer: self.peer_kind.connect(),
            },
        );
        match give_up.filter(|w| *w < self.handshake) {
            Some(w) => self.schedule(w, Timer::GaveUp(key, generation)),
            None => self.schedule(self.handshake, Timer::Opened(key, generation)),
        }
    }

    /// Forgets a socket (its peer is dropped, pending deliveries are discarded).
    pub(crate) fn remove(&mut self, key: SockKey) -> Option<Socket> {
        if self.transparent == Some(key) {
            self.transparent = None;
        }
        self.sockets.remove(&key)
    }

    pub(crate) fn socket(&self, key: SockKey) -> Option<&Socket> {
        self.sockets.get(&key)
    }

    pub(crate) fn socket_mut(&mut self, key: SockKey) -> Option<&mut Socket> {
        self.sockets.get_mut(&key)
    }

    /// Whether the socket exists and is connected.
    pub(crate) fn connected(&self, key: SockKey) -> bool {
        self.socket(key)
            .is_some_and(|s| s.state == SocketState::Connected)
    }

    /// Hands the host's data to the socket's peer (the `peer-close` fault strikes here).
    pub(crate) fn send_to_peer(&mut self, key: SockKey, data: &[u8]) {
        let close = self.faults.fire(FaultKind::PeerClose).is_some();
        let latency = self.peer_latency;
        let Some(s) = self.sockets.get_mut(&key) else {
            return;
        };
        s.sent += data.len() as u64;
        let generation = s.generation;
        if close {
            self.schedule(latency, Timer::PeerClosed(key, generation));
            return;
        }
        let reply = s.peer.input(data);
        if !reply.is_empty() {
            self.schedule(latency, Timer::PeerData(key, generation, reply));
        }
    }

    /// Takes up to `max` received bytes.
    pub(crate) fn take_rx(&mut self, key: SockKey, max: usize) -> Vec<u8> {
        match self.sockets.get_mut(&key) {
            Some(s) => {
                let n = max.min(s.rx.len());
                s.rx.drain(..n).collect()
            }
            None => Vec::new(),
        }
    }

    /// Switches the serial link to a raw pipe to the socket's peer (after `CONNECT`).
    pub(crate) fn enter_transparent(&mut self, key: SockKey) {
        self.transparent = Some(key);
        self.mode = Mode::Transparent(Escape {
            key,
            plus: 0,
            last: self.now,
        });
        let pending = self.take_rx(key, usize::MAX);
        if !pending.is_empty() {
            self.raw(&pending);
        }
    }

    /// Whether the link is in transparent mode for `key` now.
    pub(crate) fn is_transparent(&self, key: SockKey) -> bool {
        self.transparent == Some(key)
    }

    pub(crate) fn snapshot(&self) -> SimState {
        SimState {
            family: self.family,
            echo: self.echo,
            transparent: self.transparent,
            sockets: self
                .sockets
                .values()
                .map(|s| SocketInfo {
                    id: s.key,
                    ctx: s.ctx,
                    state: s.state,
                    mode: s.mode,
                    host: s.host.clone(),
                    port: s.port,
                    buffered: s.rx.len(),
                    recv_urc_pending: s.notified,
                    sent: s.sent,
                    received: s.received,
                })
                .collect(),
            reboots: self.reboots,
            faults_fired: self.faults.fired(),
            departures: self.departures.clone(),
        }
    }
}

/// A machine and its dialect: what the simulator thread runs.
pub(crate) struct Sim {
    pub(crate) m: Machine,
    d: Dialect,
}

fn trim(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

impl Sim {
    pub(crate) fn new(m: Machine, d: Dialect) -> Self {
        Sim { m, d }
    }

    /// Whether the line has a rate.
    pub(crate) fn paced(&self) -> bool {
        self.m.byte_time.is_some()
    }

    /// Bytes from the host on their way: they are taken in at `at`, when they
    /// have crossed the line, in time order with the timers.
    pub(crate) fn arrive(&mut self, bytes: Vec<u8>, at: Duration) {
        self.m.arrivals.push_back((at, bytes));
    }

    /// Bytes from the host, arrived at `now`.
    pub(crate) fn input(&mut self, bytes: &[u8], now: Duration) {
        self.m.now = now;
        let mut i = 0;
        while i < bytes.len() {
            i += match self.m.mode {
                Mode::Command => self.command_bytes(bytes.get(i..).unwrap_or(&[])),
                Mode::Data(_) => self.data_bytes(bytes.get(i..).unwrap_or(&[])),
                Mode::Transparent(_) => self.transparent_bytes(bytes.get(i..).unwrap_or(&[])),
            };
        }
    }

    /// Consumes command-mode bytes up to and including one line end.
    fn command_bytes(&mut self, bytes: &[u8]) -> usize {
        for (i, &b) in bytes.iter().enumerate() {
            if self.m.skip_lf {
                self.m.skip_lf = false;
                if b == b'\n' {
                    if self.m.echo {
                        self.m.raw(b"\n");
                    }
                    continue;
                }
            }
            if self.m.echo {
                self.m.raw(&[b]);
            }
            match b {
                b'\r' | b'\n' => {
                    self.m.skip_lf = b == b'\r';
                    let line = std::mem::take(&mut self.m.line);
                    let too_long = std::mem::replace(&mut self.m.line_too_long, false);
                    self.line(&line, too_long);
                    return i + 1;
                }
                0x08 | 0x7F => {
                    self.m.line.pop();
                }
                _ if self.m.line.len() < MAX_LINE => self.m.line.push(b),
                _ => self.m.line_too_long = true,
            }
        }
        bytes.len()
    }

    fn line(&mut self, raw: &[u8], too_long: bool) {
        let line = trim(raw);
        if line.is_empty() && !too_long {
            return;
        }
        // A real module does not answer a line that does not start with AT.
        if !too_long && !line.get(..2).is_some_and(|p| p.eq_ignore_ascii_case(b"AT")) {
            return;
        }
        if self.m.faults.fire(FaultKind::Reboot).is_some() {
            self.reboot();
            return;
        }
        if too_long {
            self.m.error();
            return;
        }
        let rest = line.get(2..).unwrap_or(&[]);
        let upper = rest.to_ascii_uppercase();
        match upper.as_slice() {
            b"" => self.m.ok(),
            b"E" | b"E0" => {
                self.m.echo = false;
                self.m.ok();
            }
            b"E1" => {
                self.m.echo = true;
                self.m.ok();
            }
            [b'+', ..] => {
                self.m.inject = self.d.injected_urc(&self.m);
                self.d.command(&mut self.m, line);
            }
            _ => self.m.error(),
        }
    }

    fn data_bytes(&mut self, bytes: &[u8]) -> usize {
        let Mode::Data(phase) = &mut self.m.mode else {
            return bytes.len();
        };
        let mut used = bytes.len();
        let mut done = None;
        let mut cancelled = false;
        let mut echo = Vec::new();
        for (i, &b) in bytes.iter().enumerate() {
            match phase.end {
                End::CtrlZ { max } => {
                    if b == CTRL_Z || b == ESC {
                        cancelled = b == ESC;
                        done = Some(());
                        used = i + 1;
                        break;
                    }
                    let cap = max.unwrap_or(MAX_DATA);
                    if phase.buf.len() < cap {
                        phase.buf.push(b);
                    } else {
                        phase.overflow = true;
                    }
                    echo.push(b);
                }
                End::Length(n) => {
                    phase.buf.push(b);
                    echo.push(b);
                    if phase.buf.len() >= n {
                        done = Some(());
                        used = i + 1;
                        break;
                    }
                }
            }
        }
        if self.m.echo && !echo.is_empty() {
            self.m.raw(&echo);
        }
        if done.is_some() {
            if let Mode::Data(phase) = std::mem::replace(&mut self.m.mode, Mode::Command) {
                if cancelled {
                    self.d.cancelled(&mut self.m, phase.job);
                } else if phase.overflow {
                    self.m.error();
                } else {
                    self.d.data(&mut self.m, phase.job, phase.buf);
                }
            }
        }
        used
    }

    fn transparent_bytes(&mut self, bytes: &[u8]) -> usize {
        let guard = self.m.guard;
        let now = self.m.now;
        let Mode::Transparent(esc) = &mut self.m.mode else {
            return bytes.len();
        };
        let mut data = Vec::new();
        for &b in bytes {
            let quiet = now.saturating_sub(esc.last) >= guard;
            if b == b'+' && esc.plus < 3 && (esc.plus > 0 || quiet) {
                esc.plus += 1;
            } else {
                data.extend(std::iter::repeat_n(b'+', esc.plus));
                esc.plus = 0;
                data.push(b);
            }
            esc.last = now;
        }
        let key = esc.key;
        if !data.is_empty() {
            self.m.send_to_peer(key, &data);
        }
        bytes.len()
    }

    /// Runs what is due at `now`: host bytes that have arrived and timers, in
    /// time order (each at its own time), the `+++` guard, output. Returns what
    /// to write now, one entry per answer or frame.
    pub(crate) fn tick(&mut self, now: Duration) -> Vec<Vec<u8>> {
        self.m.now = now;
        loop {
            let timer = self
                .m
                .timers
                .iter()
                .enumerate()
                .filter(|(_, (at, _, _))| *at <= now)
                .min_by_key(|(_, (at, seq, _))| (*at, *seq))
                .map(|(i, (at, _, _))| (i, *at));
            let arrived = self.m.arrivals.front().map(|(at, _)| *at);
            let arrived = arrived.filter(|at| *at <= now);
            match (timer, arrived) {
                // Host bytes first when both are due at the same time.
                (Some((i, at)), a) if a.is_none_or(|a| at < a) => {
                    let (_, _, t) = self.m.timers.swap_remove(i);
                    self.m.now = at;
                    self.timer(t);
                }
                (_, None) => break,
                (_, Some(_)) => {
                    if let Some((at, bytes)) = self.m.arrivals.pop_front() {
                        self.input(&bytes, at);
                    }
                }
            }
        }
        self.m.now = now;
        let guard = self.m.guard;
        if let Mode::Transparent(esc) = &mut self.m.mode {
            if esc.plus > 0 && now.saturating_sub(esc.last) >= guard {
                let (key, plus) = (esc.key, esc.plus);
                esc.plus = 0;
                if plus == 3 {
                    // `+++` between two guard times: back to command mode, the connection stays.
                    self.m.mode = Mode::Command;
                    self.m.transparent = None;
                    self.m.raw(b"\r\nOK\r\n");
                } else {
                    self.m.send_to_peer(key, &b"++"[..plus]);
                }
            }
        }
        self.m.release(now)
    }

    /// How long the thread may sleep before [`Sim::tick`] has something to do.
    pub(crate) fn next_wake(&self) -> Option<Duration> {
        let timers = self.m.timers.iter().map(|(at, _, _)| *at).min();
        let out = self.m.out.front().map(|(at, _)| *at);
        let esc = match &self.m.mode {
            Mode::Transparent(e) if e.plus > 0 => Some(e.last + self.m.guard),
            _ => None,
        };
        let arrived = self.m.arrivals.front().map(|(at, _)| *at);
        let held = match self.m.held.front() {
            Some((since, _)) if self.m.out.is_empty() => Some(self.m.held_due(*since)),
            _ => None,
        };
        [timers, out, esc, arrived, held]
            .into_iter()
            .flatten()
            .min()
    }

    fn timer(&mut self, t: Timer) {
        match t {
            Timer::Ready => self.m.raw(b"\r\nRDY\r\n"),
            Timer::Opened(key, g) => {
                let Some(s) = self.m.sockets.get_mut(&key) else {
                    return;
                };
                if s.generation != g || s.state != SocketState::Opening {
                    return;
                }
                s.state = SocketState::Connected;
                self.m.inject = self.d.injected_urc(&self.m);
                self.d.opened(&mut self.m, key);
            }
            Timer::GaveUp(key, g) => {
                let opening = self
                    .m
                    .sockets
                    .get(&key)
                    .is_some_and(|s| s.generation == g && s.state == SocketState::Opening);
                if opening {
                    self.d.gave_up(&mut self.m, key);
                }
            }
            Timer::PeerData(key, g, data) => self.deliver(key, Some(g), data),
            Timer::PeerClosed(key, g) => self.peer_closed(key, Some(g)),
        }
    }

    fn deliver(&mut self, key: SockKey, g: Option<u64>, data: Vec<u8>) {
        let transparent = self.m.transparent == Some(key);
        let Some(s) = self.m.sockets.get_mut(&key) else {
            return;
        };
        if g.is_some_and(|g| g != s.generation) || s.state != SocketState::Connected {
            return;
        }
        s.received += data.len() as u64;
        if transparent {
            self.m.raw(&data);
            return;
        }
        s.rx.extend(data.iter().copied());
        self.d.received(&mut self.m, key);
    }

    fn peer_closed(&mut self, key: SockKey, g: Option<u64>) {
        let Some(s) = self.m.sockets.get_mut(&key) else {
            return;
        };
        if g.is_some_and(|g| g != s.generation) || s.state != SocketState::Connected {
            return;
        }
        s.state = SocketState::Closing;
        if self.m.transparent == Some(key) {
            self.m.transparent = None;
            self.m.mode = Mode::Command;
            self.m.raw(b"\r\nNO CARRIER\r\n");
            return;
        }
        self.d.peer_closed(&mut self.m, key);
    }

    /// Power-on state again at `now`: no sockets, default settings, then `RDY`.
    pub(crate) fn reboot_at(&mut self, now: Duration) {
        self.m.now = now;
        self.reboot();
    }

    /// Power-on state again: no sockets, default settings, then `RDY`.
    pub(crate) fn reboot(&mut self) {
        self.m.sockets.clear();
        self.m.timers.clear();
        self.m.resp.clear();
        // Unsolicited frames not yet sent are lost with the module's memory.
        self.m.held.clear();
        self.m.mode = Mode::Command;
        self.m.line.clear();
        self.m.line_too_long = false;
        self.m.transparent = None;
        self.m.echo = self.m.default_echo;
        self.m.reboots += 1;
        self.d.reset();
        self.m.schedule(BOOT_TIME, Timer::Ready);
    }

    /// The peer sends `data` at `now`, unasked.
    pub(crate) fn peer_send(&mut self, key: SockKey, data: Vec<u8>, now: Duration) {
        self.m.now = now;
        self.deliver(key, None, data);
    }

    /// The peer closes the connection at `now`.
    pub(crate) fn peer_close(&mut self, key: SockKey, now: Duration) {
        self.m.now = now;
        self.peer_closed(key, None);
    }
}

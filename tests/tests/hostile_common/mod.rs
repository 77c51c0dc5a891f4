//! A hostile module for the link and the socket: answers are queued per command
//! and played lazily (a flood of a million URCs costs no memory in the test),
//! silence advances a [`ManualClock`], and a counting allocator measures what
//! the runtime itself holds while one command runs.
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::VecDeque;
use std::io;
use std::time::Duration;

use atgen_runtime::link::{Clock, Link, ManualClock, Transport};
use atgen_runtime::socket::{Dialect, SslConfig, SslSocket};

#[path = "../socket_common/mod.rs"]
mod socket_common;
/// Reads give up after 2 s of silence.
#[allow(unused_imports)]
pub use socket_common::config;

/// Counts the bytes this thread has allocated, and their high-water mark.
pub struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn note(delta: isize) {
    let _ = LIVE.try_with(|l| {
        let now = l.get() + delta;
        l.set(now);
        let _ = PEAK.try_with(|p| p.set(p.get().max(now)));
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        note(new as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new) }
    }
}

/// Runs `f` and returns its result and the most bytes this thread held above
/// what it held when `f` started.
pub fn peak_during<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let r = f();
    let peak = PEAK.with(Cell::get);
    (r, usize::try_from(peak - base).unwrap_or(0))
}

/// What the module sends, produced as it is read.
#[derive(Debug, Clone)]
pub enum Out {
    Bytes(Vec<u8>),
    /// `unit` `times` times.
    Repeat(Vec<u8>, usize),
    /// Silence this long (on the clock).
    Silence(Duration),
}

/// One step: when the host has written `after` (accumulated over writes), the
/// module sends `outs`.
#[derive(Debug, Clone)]
struct Answer {
    after: Vec<u8>,
    outs: Vec<Out>,
}

/// A hostile module.
#[derive(Debug)]
pub struct Hostile {
    clock: ManualClock,
    answers: VecDeque<Answer>,
    playing: VecDeque<Out>,
    at: usize,
    written: Vec<u8>,
    /// Every write, for assertions (commands and data are small).
    pub wrote: Vec<Vec<u8>>,
}

impl Hostile {
    pub fn new(clock: ManualClock) -> Self {
        Hostile {
            clock,
            answers: VecDeque::new(),
            playing: VecDeque::new(),
            at: 0,
            written: Vec::new(),
            wrote: Vec::new(),
        }
    }

    /// Once the host wrote `after`, the module sends `outs`.
    pub fn on(mut self, after: impl AsRef<[u8]>, outs: Vec<Out>) -> Self {
        self.answers.push_back(Answer {
            after: after.as_ref().to_vec(),
            outs,
        });
        self
    }

    /// Once the host wrote `after`, the module sends `reply`.
    pub fn reply(self, after: impl AsRef<[u8]>, reply: impl AsRef<[u8]>) -> Self {
        self.on(after, vec![Out::Bytes(reply.as_ref().to_vec())])
    }

    /// Whether every answer was triggered and played.
    pub fn played(&self) -> bool {
        self.answers.is_empty() && self.playing.is_empty()
    }
}

impl Transport for Hostile {
    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        loop {
            let Some(out) = self.playing.front_mut() else {
                self.clock.advance(timeout);
                return Ok(0);
            };
            match out {
                Out::Bytes(b) => {
                    let rest = b.get(self.at..).unwrap_or(&[]);
                    if rest.is_empty() {
                        self.playing.pop_front();
                        self.at = 0;
                        continue;
                    }
                    let n = rest.len().min(buf.len());
                    buf[..n].copy_from_slice(&rest[..n]);
                    self.at += n;
                    if self.at >= b.len() {
                        self.playing.pop_front();
                        self.at = 0;
                    }
                    return Ok(n);
                }
                Out::Repeat(unit, times) => {
                    if *times == 0 || unit.is_empty() {
                        self.playing.pop_front();
                        self.at = 0;
                        continue;
                    }
                    let rest = &unit[self.at..];
                    let n = rest.len().min(buf.len());
                    buf[..n].copy_from_slice(&rest[..n]);
                    self.at += n;
                    if self.at == unit.len() {
                        self.at = 0;
                        *times -= 1;
                    }
                    return Ok(n);
                }
                Out::Silence(d) => {
                    if timeout >= *d {
                        self.clock.advance(*d);
                        self.playing.pop_front();
                        continue;
                    }
                    *d -= timeout;
                    self.clock.advance(timeout);
                    return Ok(0);
                }
            }
        }
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.wrote.push(bytes.to_vec());
        self.written.extend_from_slice(bytes);
        if let Some(a) = self.answers.front() {
            if self.written.ends_with(&a.after) {
                let a = self.answers.pop_front().unwrap_or(Answer {
                    after: Vec::new(),
                    outs: Vec::new(),
                });
                self.playing.extend(a.outs);
                self.written.clear();
            }
        }
        Ok(())
    }
}

pub type HostileSocket<D> = SslSocket<Hostile, D, ManualClock>;

pub fn socket<D: Dialect + Default>(
    config: SslConfig,
    build: impl FnOnce(Hostile) -> Hostile,
) -> HostileSocket<D> {
    let clock = ManualClock::new();
    let link = Link::with_clock(build(Hostile::new(clock.clone())), clock);
    SslSocket::new(link, D::default(), config)
}

/// The socket's clock, now.
pub fn now<D: Dialect>(s: &HostileSocket<D>) -> Duration {
    s.link().clock().now()
}

/// `n` copies of `line` (CR LF around it, as modules send URCs).
pub fn flood(line: &str, n: usize) -> Out {
    Out::Repeat(format!("\r\n{line}\r\n").into_bytes(), n)
}

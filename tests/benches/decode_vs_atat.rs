//! Decode throughput of atgen through the CLI's path (`atgen::decode::decode_read`,
//! what `atgen decode` runs: the same framing, phases, classification and secrets, with a visitor that keeps the typed items instead of
//! printing them) against atat 0.25 (its `AtDigester` with a `SEND OK` handler,
//! derived URCs and responses parsed with serde_at, as its users write drivers),
//! on a text-heavy and a payload-heavy EC2x transcript, with heap allocations
//! per item. The two run interleaved in one process, so the machine's load
//! falls on both alike: the ratio is the figure to read.
//!
//! `cargo bench -p atgen-tests --bench decode_vs_atat`

use atat::atat_derive::{AtatResp, AtatUrc};
use atat::digest::{DigestResult, Digester as _, ParseError as AtatParseError};
use atat::{AtDigester, AtatUrc as _};
use atgen::decode::{decode_read, At, DataMode, Secrets, Visit};
use atgen_runtime::final_code::FinalCode;
use atgen_runtime::{ParseError, RequestError};
use atgen_tests::transcript::{mixed_ec2x_transcript, text_ec2x_transcript};
use criterion::{Criterion, Throughput};
use heapless_09::String;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

type Ec2x = atgen::quectel_ec2x::Family;

/// Takes every typed item (so nothing is optimised away) and counts them.
#[derive(Default)]
struct Items {
    items: usize,
    unknown: usize,
}

impl Visit for Items {
    type Error = ();
    fn prompt(&mut self, at: At<'_>) -> Result<(), ()> {
        black_box(at);
        self.items += 1;
        Ok(())
    }
    fn final_code(&mut self, _: At<'_>, code: FinalCode<'_>, _: &[u8]) -> Result<(), ()> {
        black_box(code);
        self.items += 1;
        Ok(())
    }
    fn unsolicited(&mut self, _: At<'_>, word: &'static str, _: bool) -> Result<(), ()> {
        black_box(word);
        self.items += 1;
        Ok(())
    }
    fn urc<T: serde::Serialize>(
        &mut self,
        _: At<'_>,
        urc: &T,
        s: Secrets<'_, '_>,
    ) -> Result<(), ()> {
        black_box((urc, s));
        self.items += 1;
        Ok(())
    }
    fn info<T: serde::Serialize>(
        &mut self,
        _: At<'_>,
        line: &T,
        s: Secrets<'_, '_>,
    ) -> Result<(), ()> {
        black_box((line, s));
        self.items += 1;
        Ok(())
    }
    fn command<T: serde::Serialize>(
        &mut self,
        _: At<'_>,
        r: &T,
        s: Secrets<'_, '_>,
    ) -> Result<(), ()> {
        black_box((r, s));
        self.items += 1;
        Ok(())
    }
    fn data(&mut self, _: At<'_>, line: &[u8], _: DataMode, _: bool) -> Result<(), ()> {
        black_box(line);
        self.items += 1;
        Ok(())
    }
    fn escape(&mut self, at: At<'_>) -> Result<(), ()> {
        black_box(at);
        self.items += 1;
        Ok(())
    }
    fn bad_command(&mut self, _: At<'_>, _: &[u8], e: RequestError) -> Result<(), ()> {
        black_box(e);
        self.items += 1;
        self.unknown += 1;
        Ok(())
    }
    fn malformed(&mut self, _: At<'_>, _: &[u8], e: ParseError) -> Result<(), ()> {
        black_box(e);
        self.items += 1;
        self.unknown += 1;
        Ok(())
    }
    fn unrecognised(&mut self, _: At<'_>, line: &[u8]) -> Result<(), ()> {
        black_box(line);
        self.items += 1;
        self.unknown += 1;
        Ok(())
    }
    fn incomplete(&mut self, _: At<'_>, rest: &[u8]) -> Result<(), ()> {
        black_box(rest);
        self.items += 1;
        self.unknown += 1;
        Ok(())
    }
}

fn atgen_decode(input: &[u8]) -> Items {
    let mut v = Items::default();
    let _ = decode_read::<Ec2x, _, _>(input, false, &mut v);
    v
}

// ---------------------------------------------------------------- atat

#[derive(Clone, AtatResp)]
pub struct OpenResult {
    #[at_arg(position = 0)]
    pub client_id: u8,
    #[at_arg(position = 1)]
    pub err: i32,
}

#[derive(Clone, AtatResp)]
pub struct UrcEvent {
    #[at_arg(position = 0)]
    pub kind: String<16>,
    #[at_arg(position = 1)]
    pub client_id: u8,
}

#[derive(Clone, AtatUrc)]
pub enum Urc {
    #[at_urc("+QSSLOPEN")]
    Opened(OpenResult),
    #[at_urc("+QSSLURC")]
    Event(UrcEvent),
}

#[derive(Clone, AtatResp)]
pub struct State {
    #[at_arg(position = 0)]
    pub client_id: u8,
    #[at_arg(position = 1)]
    pub service: String<16>,
    #[at_arg(position = 2)]
    pub ip: String<64>,
    #[at_arg(position = 3)]
    pub remote_port: u16,
    #[at_arg(position = 4)]
    pub local_port: u16,
    #[at_arg(position = 5)]
    pub socket_state: u8,
    #[at_arg(position = 6)]
    pub pdp_ctx_id: u8,
    #[at_arg(position = 7)]
    pub server_id: u8,
    #[at_arg(position = 8)]
    pub access_mode: u8,
    #[at_arg(position = 9)]
    pub at_port: String<16>,
    #[at_arg(position = 10)]
    pub ssl_ctx_id: u8,
}

/// `+QSSLCFG: "<name>",<SSL_ctxID>,<value>`.
#[derive(Clone, AtatResp)]
pub struct Cfg {
    #[at_arg(position = 0)]
    pub name: String<32>,
    #[at_arg(position = 1)]
    pub ssl_ctx_id: u8,
    #[at_arg(position = 2)]
    pub value: u32,
}

/// `+QSSLRECV: <n>` and `n` bytes, parsed by hand as atat has no payload by length.
fn atat_recv(resp: &[u8]) -> Option<&[u8]> {
    let rest = resp.strip_prefix(b"+QSSLRECV: ")?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let n: usize = std::str::from_utf8(rest.get(..digits)?)
        .ok()?
        .parse()
        .ok()?;
    let data = rest.get(digits + 2..).unwrap_or(&[]);
    Some(data.get(..n).unwrap_or(data))
}

/// `SEND OK` as a success (atat hands the buffer with leading white space trimmed).
fn send_ok(b: &[u8]) -> Result<(&[u8], usize), AtatParseError> {
    const SEND_OK: &[u8] = b"SEND OK\r\n";
    if b.starts_with(SEND_OK) {
        Ok((&[], SEND_OK.len()))
    } else if SEND_OK.starts_with(b) {
        Err(AtatParseError::Incomplete)
    } else {
        Err(AtatParseError::NoMatch)
    }
}

/// atat's ingress buffer size in this comparison (its users pick 256..4096).
const ATAT_WINDOW: usize = 4096;

/// Feeds `input` through atat's digester in a bounded window as its ingress does,
/// parsing each URC and response into its derived type; returns the item count.
fn atat_decode(input: &[u8]) -> (usize, usize) {
    let mut digester = AtDigester::<Urc>::new().with_custom_success(send_ok);
    let mut window: Vec<u8> = Vec::with_capacity(ATAT_WINDOW);
    let mut fed = 0usize;
    let (mut items, mut unknown) = (0usize, 0usize);
    loop {
        let room = ATAT_WINDOW - window.len();
        let n = room.min(input.len() - fed);
        window.extend_from_slice(input.get(fed..fed + n).unwrap_or(&[]));
        fed += n;
        let mut pos = 0usize;
        loop {
            let (r, used) = digester.digest(window.get(pos..).unwrap_or(&[]));
            match r {
                DigestResult::None if used == 0 => break,
                DigestResult::None => {}
                DigestResult::Urc(u) => {
                    items += 1;
                    if black_box(Urc::parse(u)).is_none() {
                        unknown += 1;
                    }
                }
                DigestResult::Response(Ok(resp)) => {
                    items += 1;
                    let ok = if resp.starts_with(b"+QSSLSTATE:") {
                        black_box(atat::serde_at::from_slice::<State>(resp)).is_ok()
                    } else if resp.starts_with(b"+QSSLCFG:") {
                        black_box(atat::serde_at::from_slice::<Cfg>(resp)).is_ok()
                    } else if resp.starts_with(b"+QSSLRECV:") {
                        black_box(atat_recv(resp)).is_some()
                    } else {
                        true
                    };
                    if !ok {
                        unknown += 1;
                    }
                }
                DigestResult::Response(Err(e)) => {
                    black_box(e);
                    items += 1;
                }
                DigestResult::Prompt(p) => {
                    black_box(p);
                    items += 1;
                }
            }
            pos += used;
        }
        window.drain(..pos.min(window.len()));
        if fed >= input.len() {
            break;
        }
        if window.len() >= ATAT_WINDOW {
            // Nothing atat can frame in a full window: its ingress clears it.
            unknown += 1;
            window.clear();
        }
    }
    (items, unknown)
}

// ---------------------------------------------------------------- the comparison

/// Runs both decoders alternately, `rounds` times each, and keeps the best time of each.
fn interleaved(input: &[u8], rounds: usize) -> (Duration, Duration) {
    let (mut a, mut b) = (Duration::MAX, Duration::MAX);
    for _ in 0..rounds {
        let t = Instant::now();
        black_box(atgen_decode(black_box(input)).items);
        a = a.min(t.elapsed());
        let t = Instant::now();
        black_box(atat_decode(black_box(input)).0);
        b = b.min(t.elapsed());
    }
    (a, b)
}

fn mbps(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / d.as_secs_f64() / 1e6
}

fn main() {
    // `cargo test --benches` runs bench binaries without `--bench`: measure only under `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    // `ATGEN_DECODE_PROFILE=text|payload|atat-text|atat-payload|atgen-file:PATH|atat-file:PATH`:
    // one decode, nothing else
    // (for callgrind's instruction counts, which the machine's load does not change).
    // `ATGEN_DECODE_TIME=PATH`: both decoders on a transcript of one's own,
    // interleaved as below (which kinds of line each is fast on).
    if let Ok(path) = std::env::var("ATGEN_DECODE_TIME") {
        let input = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let (a, b) = interleaved(&input, 15);
        println!(
            "{path}: atgen {:.0} MB/s, atat {:.0} MB/s, {:.2}x",
            mbps(input.len(), a),
            mbps(input.len(), b),
            b.as_secs_f64() / a.as_secs_f64()
        );
        return;
    }
    if let Ok(which) = std::env::var("ATGEN_DECODE_PROFILE") {
        // `atgen-file:PATH` / `atat-file:PATH`: a transcript of one's own.
        let file = which.split_once("file:").map(|(_, path)| path);
        let input = if let Some(path) = file {
            std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
        } else if which.ends_with("text") {
            text_ec2x_transcript(2_000)
        } else {
            mixed_ec2x_transcript(300, 1460)
        };
        let items = if which.starts_with("atat") {
            atat_decode(&input).0
        } else {
            atgen_decode(&input).items
        };
        println!("{which}: {} bytes, {items} items", input.len());
        return;
    }
    let transcripts = [
        ("text-heavy", text_ec2x_transcript(15_000)),
        ("payload-heavy", mixed_ec2x_transcript(2_000, 1460)),
    ];
    println!("decode: atgen through the CLI's path vs atat 0.25, interleaved, best of 15 each");
    println!(
        "{:14} {:>9} {:>8} {:>10} {:>10} {:>7} {:>12}",
        "transcript", "bytes", "items", "atgen MB/s", "atat MB/s", "ratio", "allocs/item"
    );
    for (name, input) in &transcripts {
        let before = ALLOCATIONS.load(Ordering::Relaxed);
        let v = atgen_decode(input);
        let allocs = ALLOCATIONS.load(Ordering::Relaxed) - before;
        let (atat_items, atat_unknown) = atat_decode(input);
        let (a, b) = interleaved(input, 15);
        println!(
            "{name:14} {:>9} {:>8} {:>10.0} {:>10.0} {:>6.2}x {:>12.5}",
            input.len(),
            v.items,
            mbps(input.len(), a),
            mbps(input.len(), b),
            b.as_secs_f64() / a.as_secs_f64(),
            allocs as f64 / v.items.max(1) as f64,
        );
        println!(
            "{:14} atgen: {} not recognised, {allocs} allocations in all (the read window); atat: {atat_items} items, {atat_unknown} not parsed",
            "", v.unknown
        );
    }
    let mut c = Criterion::default().configure_from_args().sample_size(10);
    for (name, input) in &transcripts {
        let mut g = c.benchmark_group(format!("decode_{name}"));
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.bench_function("atgen", |b| b.iter(|| atgen_decode(black_box(input)).items));
        g.bench_function("atat", |b| b.iter(|| atat_decode(black_box(input)).0));
        g.finish();
    }
    c.final_summary();
}

//! Payload rates through `atgen ssl` and `atgen simulate --pty`, both paced at
//! 115200 baud, for every family and every access mode its spec gives the SSL
//! socket: upload (the `discard` peer), download (the `source` peer, asked for
//! the bytes by one line) and echo (the `echo` peer), each beside the limit the
//! AT framing allows ([`atgen_tests::framing`]).
//!
//! Seconds are wall-clock: the whole `atgen ssl` run, less the best of two runs
//! of the same session without payload (process start, configure, open, the
//! 300 ms quiet period, close). BC26's wait after the prompt is off
//! (`--prompt-wait-ms 0`), as the limit leaves it out.
//!
//! `cargo bench -p atgen-tests --bench throughput`. `ATGEN_BENCH_BYTES` sets the
//! payload of a case (default 32768); `ATGEN_BENCH_ONLY=ec2x/push,bc26` runs the
//! cases whose `family/mode/direction` contains one of the comma-separated words.

use atgen_tests::e2e::{desc, dialog, random_bytes, ssl, Session, Simulator};
use atgen_tests::framing::{access_modes, Direction, Down, Framing};
use std::time::Duration;

const BAUD: u32 = 115_200;
const HOST: &str = "example.com";
const QUIET_MS: &str = "300";

fn main() {
    // `cargo test --benches` runs bench binaries with `--bench` absent: measure only under `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let bytes: usize = std::env::var("ATGEN_BENCH_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32 * 1024);
    let only: Vec<String> = std::env::var("ATGEN_BENCH_ONLY")
        .unwrap_or_default()
        .split(',')
        .map(|w| w.trim().to_string())
        .filter(|w| !w.is_empty())
        .collect();
    let raw = f64::from(BAUD) / 10.0;
    let started = std::time::Instant::now();
    println!("payload rates at {BAUD} baud ({raw} bytes/s raw each way), {bytes} bytes a case");
    println!(
        "{:15} {:6} {:9} {:>8} {:>7} {:>6} {:>6} {:>6}",
        "family", "mode", "direction", "seconds", "B/s", "% raw", "limit", "% lim"
    );
    let mut failed = 0;
    for f in atgen::FAMILIES {
        let any_byte = dialog(f.id).fixed_length_send();
        for (mode, mode_name) in access_modes(f.id) {
            let wanted: Vec<Direction> = Direction::ALL
                .into_iter()
                .filter(|dir| {
                    let case = format!("{}/{mode_name}/{}", f.id, dir.name());
                    only.is_empty() || only.iter().any(|w| case.contains(w.as_str()))
                })
                .collect();
            if wanted.is_empty() {
                continue;
            }
            let framing = match Framing::of(desc(f.id), mode, HOST, 443) {
                Ok(x) => x,
                Err(e) => {
                    println!("{:15} {mode_name:6} FAILED: {e}", f.id);
                    failed += 1;
                    continue;
                }
            };
            println!("{:15} {mode_name:6} {}", f.id, describe(&framing));
            // The fixed costs of a session, without payload (best of two).
            let base = (0..2)
                .map(|_| run(f.id, mode_name, "echo", &[]).elapsed)
                .min()
                .unwrap_or_default();
            for dir in wanted {
                let (peer, input, expected) = case(f.id, dir, bytes, any_byte);
                let s = run(f.id, mode_name, peer, &input);
                let secs = s.elapsed.saturating_sub(base).as_secs_f64().max(1e-3);
                let rate = bytes as f64 / secs;
                let limit = framing.limit(dir);
                let verdict = if s.code == Some(0) && s.stdout == expected {
                    String::new()
                } else {
                    failed += 1;
                    format!(
                        "  FAILED (exit {:?}, {} of {} bytes back): {}",
                        s.code,
                        s.stdout.len(),
                        expected.len(),
                        s.stderr.lines().next().unwrap_or("")
                    )
                };
                println!(
                    "{:15} {mode_name:6} {:9} {secs:8.2} {rate:7.0} {:6.1} {:6.1} {:6.1}{verdict}",
                    f.id,
                    dir.name(),
                    100.0 * rate / raw,
                    100.0 * limit,
                    100.0 * rate / raw / limit,
                );
            }
        }
    }
    println!(
        "{:.0} s in all{}",
        started.elapsed().as_secs_f64(),
        if failed > 0 {
            format!(", {failed} FAILED")
        } else {
            String::new()
        }
    );
}

/// The peer, stdin and expected stdout of a case.
fn case(
    family: &str,
    dir: Direction,
    bytes: usize,
    any_byte: bool,
) -> (&'static str, Vec<u8>, Vec<u8>) {
    // A send ended by Ctrl+Z cannot carry Ctrl+Z or ESC.
    let exclude: &[u8] = if any_byte { &[] } else { &[0x1A, 0x1B] };
    let seed = family.len() as u64 + 7;
    match dir {
        Direction::Upload => ("discard", random_bytes(bytes, seed, exclude), Vec::new()),
        Direction::Download => (
            "source",
            format!("{bytes}\n").into_bytes(),
            atgen::sim::source_bytes(bytes),
        ),
        Direction::Echo => {
            let input = random_bytes(bytes, seed, exclude);
            ("echo", input.clone(), input)
        }
    }
}

/// One `atgen ssl` session against a fresh simulator with `peer`.
fn run(family: &str, mode: &str, peer: &str, input: &[u8]) -> Session {
    let baud = BAUD.to_string();
    let sim = Simulator::start(family, &["--baud", &baud, "--peer", peer]);
    let args = [
        "--baud",
        &baud,
        "--access-mode",
        mode,
        "--peer-quiet-ms",
        QUIET_MS,
        "--prompt-wait-ms",
        "0",
    ];
    // Generous: at a tenth of the line rate, plus a minute.
    let limit = Duration::from_secs(60 + (input.len() as u64) / 1000);
    ssl(family, &sim.path, &args, input, limit)
}

/// The framing of one chunk each way, for the reader to check the limits.
fn describe(f: &Framing) -> String {
    let s = f.send;
    let down = match f.down {
        Down::Read {
            payload,
            command,
            response,
        } => format!("read {payload} B: host {command}, module {response}"),
        Down::Push { payload, urc, echo } => {
            format!("push {payload} B: module {urc} (the echo of a send: {echo})")
        }
    };
    format!(
        "framing: send {} B: host {} + {}, module {} + {}; {down}",
        s.payload, s.command, s.data, s.prompt, s.answer
    )
}

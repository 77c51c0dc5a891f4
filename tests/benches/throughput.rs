//! Payload throughput through `atgen ssl` and `atgen simulate --pty` paced at
//! 115200 baud, as a fraction of the UART's raw byte rate (10 bits a byte),
//! in buffer and direct-push access modes.
//! `cargo bench -p atgen-tests --bench throughput` (ATGEN_BENCH_BYTES to change the size).

use atgen_tests::e2e::{random_bytes, ssl, Simulator};
use std::time::Duration;

const BAUD: u32 = 115_200;

fn main() {
    // `cargo test --benches` runs bench binaries with `--bench` absent: measure only under `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let bytes: usize = std::env::var("ATGEN_BENCH_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32 * 1024);
    let raw_rate = f64::from(BAUD) / 10.0;
    let baud = BAUD.to_string();
    println!(
        "payload throughput at {BAUD} baud ({raw_rate} bytes/s raw each way), {bytes} bytes echoed"
    );
    // BC26 only pushes (inline URCs); ML302 only buffers.
    let runs = [
        ("quectel-ec2x", "buffer"),
        ("quectel-ec2x", "push"),
        ("quectel-bc26", "push"),
        ("cmiot-ml302", "buffer"),
    ];
    {
        for (family, mode) in runs {
            let exclude: &[u8] = if family == "cmiot-ml302" {
                &[0x1A, 0x1B]
            } else {
                &[]
            };
            let input = random_bytes(bytes, 7, exclude);
            let sim = Simulator::start(family, &["--baud", &baud]);
            let args = [
                "--baud",
                &baud,
                "--access-mode",
                mode,
                "--peer-quiet-ms",
                "300",
                "--prompt-wait-ms",
                "0",
            ];
            let s = ssl(family, &sim.path, &args, &input, Duration::from_secs(600));
            let ok = s.code == Some(0) && s.stdout == input;
            // The quiet period after the last byte is not transfer time.
            let secs = s.elapsed.as_secs_f64() - 0.3;
            let rate = bytes as f64 / secs;
            println!(
                "{family:15} {mode:6} {secs:7.2} s  {rate:8.0} B/s  {:5.1} % of the raw rate{}",
                100.0 * rate / raw_rate,
                if ok {
                    ""
                } else {
                    "  (FAILED: data differs or exit code != 0)"
                }
            );
        }
    }
}

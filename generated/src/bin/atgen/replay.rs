//! `atgen replay FILE --pty`: a recorded transcript (`atgen record`) as a module
//! on a new PTY, for any program: it expects the recorded host bytes and answers
//! with the recorded module bytes (with the recorded timing, or `--fast`). The
//! first divergence ends it with exit 1 and both sides' bytes; the program
//! closing the PTY after the whole recording was played ends it with exit 0.
//! In tests the same playback is a transport: `atgen_runtime::link::Replay`.

use std::time::{Duration, Instant};

use atgen_runtime::link::{Pace, Replay, Transport};
use atgen_runtime::transcript::{self, Dir};

use super::host_pty::{Host, HostPty};
use super::Failure;

/// How long one side is waited on before the other is looked at.
const POLL: Duration = Duration::from_millis(2);

#[derive(clap::Args)]
pub struct Args {
    /// The transcript (`atgen record --output`).
    file: std::path::PathBuf,
    /// Serve on a new PTY; its path is printed (one line).
    #[arg(long, required = true)]
    pty: bool,
    /// Module chunks as soon as the host bytes before them were written, not with the recorded gaps.
    #[arg(long)]
    fast: bool,
    /// Once everything was played, how long to wait for the program to close the PTY.
    #[arg(long, default_value_t = 2000)]
    linger_ms: u64,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let text = std::fs::read_to_string(&args.file)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", args.file.display())))?;
    let entries = transcript::parse(&text)
        .map_err(|e| Failure::failed(format!("{}: {e}", args.file.display())))?;
    let host_bytes = transcript::stream(&entries, Dir::Host).len();
    let chunks = entries.len();
    let pace = if args.fast {
        Pace::Fast
    } else {
        Pace::Recorded
    };
    let replay = Replay::new(entries, pace);
    serve(replay, Duration::from_millis(args.linger_ms))?;
    super::input::say(&format!(
        "replayed {chunks} chunks; the program wrote every recorded host byte ({host_bytes}) as recorded"
    ))
}

fn serve(mut replay: Replay, linger: Duration) -> Result<(), Failure> {
    let mut host = HostPty::open()?;
    let mut finished_at: Option<Instant> = None;
    let mut buf = vec![0u8; 4096];
    loop {
        match host.read(&mut buf, POLL)? {
            Host::Quiet => {}
            Host::Wrote(n) => {
                if let Err(e) = replay.write_all(buf.get(..n).unwrap_or(&[])) {
                    return Err(Failure::failed(e.to_string()));
                }
            }
            Host::Closed => return closed(&replay),
        }
        match replay.read(&mut buf, POLL) {
            Ok(0) => {}
            Ok(n) => {
                if let Err(e) = host.write(buf.get(..n).unwrap_or(&[])) {
                    return Err(Failure::failed(format!("writing the PTY: {e}")));
                }
            }
            Err(e) => return Err(Failure::failed(e.to_string())),
        }
        if replay.finished() {
            let at = *finished_at.get_or_insert_with(Instant::now);
            if at.elapsed() >= linger {
                return Ok(());
            }
        }
    }
}

/// The program closed the PTY: fine once everything was played.
fn closed(replay: &Replay) -> Result<(), Failure> {
    if replay.finished() {
        Ok(())
    } else {
        Err(Failure::failed(format!(
            "the program closed the PTY before the end of the recording ({} host bytes matched)",
            replay.matched()
        )))
    }
}

//! `atgen simulate --family ID --pty`: a simulated module on a PTY, until killed.

use super::Failure;
use atgen::sim::{Fault, Options, PeerKind, Simulator};
use std::io::Write;
use std::time::Duration;

const AFTER_HELP: &str = "\
FAULTS (--fault KIND[=VALUE][:TRIGGER], repeatable):
  drop        the final result code of a command (OK, ERROR, SEND OK, CONNECT, ...) is
              never sent; information lines before it are, and the command took effect
  delay=MS    the command response, and everything queued behind it, is held back MS
              milliseconds (default 500)
  urc         a URC of the family about a socket that is not open is injected before
              the final result code (between two information lines when there are several)
  garbage     a line of random printable junk follows the final result code (never
              starting with '+', never a result code)
  send-fail   a send that would succeed answers SEND FAIL, or, where the family's
              send ends with a result URC, OK and the URC with the spec's
              [simulator] send_failure code (BC26: -9); the data is discarded
  reboot      the command line gets no answer; every socket and setting goes back to
              its power-on state without close URCs, echo to its default, then RDY
  peer-close  data the host sends to a peer makes it close the connection instead of
              answering: the family's close URC, or NO CARRIER in transparent mode
  depart      a test-command or query answer departs from the manual: a supported list's
              last number one higher, or a query field outside the manual's values
              (for checking `atgen conform`)

TRIGGER: a rate with a decimal point (0.25: each opportunity with that probability,
drawn from --seed), or a count (3: the first 3 opportunities), optionally +SKIP
(reboot:1+2 reboots at the third command line). Without a trigger: once.
Opportunities: every command response (drop, delay, urc, garbage), every send data
phase (send-fail), every command line (reboot), every chunk sent to a peer (peer-close), every test or
query answer line that can depart (depart).

PEERS: echo returns every byte; http answers every request that ends in a blank line
with HTTP/1.1 200 OK and a Content-Length body; discard takes everything and answers
nothing; source answers each line of decimal digits (32768) with that many bytes of a
fixed pseudo-random sequence (at most 16 MiB a request).

PACING (--baud): a byte reaches the other side once it has crossed the line, and
the module writes one answer or URC at a time. Answers go out as they are due; URCs
about data and closes wait for a free line while an answer may still come: they go
during a data phase (the host is sending), or 20 ms after the last answer if the
host sends nothing, so pushed data overlaps the host's sends as far as the framing
allows.

The simulator is driven by the family's spec: each line is parsed and validated with
the family's request forms and answered from its line descriptors (settings recorded by
the forms marked `records` and read back by the queries, test commands from the spec's
ranges, the SSL dialog from its [socket] roles and [simulator] choices); a line that
does not parse or validate gets ERROR. Echo is off.";

#[derive(clap::Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct Args {
    /// Family id, e.g. quectel-ec2x.
    #[arg(long)]
    family: String,
    /// Serve on a new PTY; prints the slave path (one line) and serves until killed.
    #[arg(long, required = true)]
    pty: bool,
    /// Pace output and input like a UART at this rate (10 bits per byte); default unpaced.
    #[arg(long)]
    baud: Option<u32>,
    /// The server every socket talks to: echo, http, discard or source.
    #[arg(long, default_value = "echo")]
    peer: PeerKind,
    /// Inject a fault (see below); repeatable.
    #[arg(long = "fault", value_parser = Fault::parse)]
    faults: Vec<Fault>,
    /// Seed of fault rates and junk lines.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Simulated SSL handshake in milliseconds. One longer than the open's result
    /// wait (the manual's bound) fails the open there, with the spec's
    /// `[simulator] open_timeout` code.
    #[arg(long, default_value_t = 20)]
    handshake_ms: u64,
    /// Guard time around +++ in milliseconds.
    #[arg(long, default_value_t = 1000)]
    guard_ms: u64,
}

pub fn run(args: Args) -> Result<(), Failure> {
    if !Simulator::families().contains(&args.family.as_str()) {
        return Err(Failure::usage(format!(
            "unknown family `{}`; known families: {}",
            args.family,
            Simulator::families().join(", ")
        )));
    }
    let options = Options {
        peer: args.peer,
        baud: args.baud,
        faults: args.faults,
        seed: args.seed,
        handshake: Duration::from_millis(args.handshake_ms),
        guard_time: Duration::from_millis(args.guard_ms),
        ..Options::default()
    };
    serve(&args.family, options, args.pty)
}

#[cfg(unix)]
fn serve(family: &str, options: Options, _pty: bool) -> Result<(), Failure> {
    let handle =
        Simulator::spawn_pty(family, options).map_err(|e| Failure::failed(e.to_string()))?;
    let path = handle
        .pty_path()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let mut out = std::io::stdout().lock();
    writeln!(out, "{path}")
        .and_then(|()| out.flush())
        .map_err(|e| Failure::failed(e.to_string()))?;
    drop(out);
    handle.wait();
    Ok(())
}

#[cfg(not(unix))]
fn serve(_family: &str, _options: Options, _pty: bool) -> Result<(), Failure> {
    Err(Failure::failed("--pty needs a Unix system"))
}

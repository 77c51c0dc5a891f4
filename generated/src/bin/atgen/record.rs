//! `atgen record --device PATH --pty --output FILE`: a pass-through between a
//! host program and the module at PATH. It opens a new PTY for the program
//! (its path is the first line on stdout), forwards both directions unchanged
//! and writes a transcript (`atgen_runtime::transcript`: one chunk a line, with
//! direction and time). It ends when the program closes the PTY.

use std::io::Write;
use std::time::{Duration, Instant};

use atgen_runtime::link::Transport;
use atgen_runtime::transcript::{Dir, Entry, HEADER};

use super::host_pty::{Host, HostPty};
use super::redact::{Piece, Redactor};
use super::Failure;

/// How long one side is waited on before the other is looked at.
const POLL: Duration = Duration::from_millis(2);

const AFTER_HELP: &str = "\
TRANSCRIPT: one chunk a line, `SECONDS DIR BYTES`: `>` host to module, `<` module to
host, `>* N` N secret host bytes left out; bytes printable, with \\r \\n \\\\ \\xNN:
  # atgen transcript 1
  0.000000 > AT+QSSLSTATE\\r
  0.001520 < \\r\\nOK\\r\\n
Secrets (parameters and data phases the spec marks `secret`: PSK keys, private keys)
are recorded by their length (and masked with * where the module prints them back)
unless --keep-secrets; `atgen replay` accepts any bytes
of that length there. `atgen decode` reads a transcript as well as raw bytes (what the module sent).";

#[derive(clap::Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct Args {
    /// The module's AT port: a serial device or a PTY.
    #[arg(long)]
    device: String,
    /// Serve the host program on a new PTY; its path is printed (one line).
    #[arg(long, required = true)]
    pty: bool,
    /// Where the transcript goes.
    #[arg(long, short)]
    output: std::path::PathBuf,
    /// Serial speed of the device.
    #[arg(long, default_value_t = 115_200)]
    baud: u32,
    /// Only this family's commands are looked at for secrets (default: every family).
    #[arg(long)]
    family: Option<String>,
    /// Record secrets in clear.
    #[arg(long)]
    keep_secrets: bool,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let families: Vec<_> = match (&args.family, args.keep_secrets) {
        (_, true) => Vec::new(),
        (Some(id), false) => vec![
            atgen::FAMILIES
                .iter()
                .find(|f| f.id == id)
                .ok_or_else(|| super::dispatch::unknown(id))?
                .desc,
        ],
        (None, false) => atgen::FAMILIES.iter().map(|f| f.desc).collect(),
    };
    let mut device = super::ssl::open_transport(&args.device, args.baud)?;
    let file = std::fs::File::create(&args.output)
        .map_err(|e| Failure::failed(format!("cannot create {}: {e}", args.output.display())))?;
    let mut out = Transcript {
        file: std::io::BufWriter::new(file),
        start: Instant::now(),
        path: args.output.display().to_string(),
    };
    out.comment(HEADER)?;
    out.comment(&format!("# device {}", args.device))?;
    serve(&mut *device, &mut out, Redactor::new(families))
}

struct Transcript {
    file: std::io::BufWriter<std::fs::File>,
    start: Instant,
    path: String,
}

impl Transcript {
    fn comment(&mut self, line: &str) -> Result<(), Failure> {
        self.write(&format!("{line}\n"))
    }

    fn write(&mut self, text: &str) -> Result<(), Failure> {
        self.file
            .write_all(text.as_bytes())
            .and_then(|()| self.file.flush())
            .map_err(|e| Failure::failed(format!("cannot write {}: {e}", self.path)))
    }

    fn pieces(&mut self, pieces: Vec<Piece>) -> Result<(), Failure> {
        let at = self.start.elapsed();
        for p in pieces {
            let e = match p {
                Piece::Clear(b) => Entry::new(at, Dir::Host, &b),
                Piece::Secret(n) => Entry::redacted(at, n),
            };
            self.write(&e.to_line())?;
        }
        Ok(())
    }

    fn module(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        let e = Entry::new(self.start.elapsed(), Dir::Module, bytes);
        self.write(&e.to_line())
    }
}

fn serve(
    device: &mut dyn Transport,
    out: &mut Transcript,
    mut redactor: Redactor,
) -> Result<(), Failure> {
    let mut host = HostPty::open()?;
    let mut buf = vec![0u8; 4096];
    loop {
        match host.read(&mut buf, POLL)? {
            Host::Quiet => {}
            Host::Wrote(n) => {
                let bytes = buf.get(..n).unwrap_or(&[]);
                device
                    .write_all(bytes)
                    .map_err(|e| Failure::failed(format!("writing the device: {e}")))?;
                out.pieces(redactor.host(bytes))?;
            }
            Host::Closed => break,
        }
        match device.read(&mut buf, POLL) {
            Ok(0) => {}
            Ok(n) => {
                let bytes = buf.get(..n).unwrap_or(&[]);
                // What the program may not read any more is still recorded.
                let _ = host.write(bytes);
                out.pieces(redactor.module(bytes))?;
                out.module(&redactor.masked(bytes))?;
            }
            Err(e) => {
                out.pieces(redactor.finish())?;
                return Err(Failure::failed(format!("reading the device: {e}")));
            }
        }
    }
    out.pieces(redactor.finish())
}

/// `atgen decode`'s input: a transcript (it starts with its header line) gives
/// the bytes the module sent, in order, with the host's command lines among
/// them as a module's echo would place them (so a `>` prompt is expected after
/// a command with a data phase); the host's data phases are left out. Anything
/// else is taken as raw bytes.
pub fn module_bytes(input: Vec<u8>) -> Result<Vec<u8>, Failure> {
    if !input.starts_with(HEADER.as_bytes()) {
        return Ok(input);
    }
    let text = String::from_utf8_lossy(&input);
    let entries = atgen_runtime::transcript::parse(&text)
        .map_err(|e| Failure::failed(format!("transcript: {e}")))?;
    let mut out = Vec::new();
    let mut line = Vec::new();
    for e in &entries {
        match e.dir {
            Dir::Module => out.extend_from_slice(&e.bytes),
            Dir::Host => {
                line.extend_from_slice(&e.bytes);
                line.extend(std::iter::repeat_n(b'*', e.redacted.unwrap_or(0)));
                if line.ends_with(b"\r") {
                    let is_command = line.get(..2).is_some_and(|h| h.eq_ignore_ascii_case(b"AT"));
                    if is_command {
                        out.extend_from_slice(&line);
                        out.push(b'\n');
                    }
                    line.clear();
                } else if !line.get(..2).is_some_and(|h| h.eq_ignore_ascii_case(b"AT")) {
                    // Data after a prompt, not a command being typed.
                    line.clear();
                }
            }
        }
    }
    Ok(out)
}

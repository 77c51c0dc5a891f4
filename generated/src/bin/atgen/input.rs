//! Reading the input of `lint` and `decode`: a file, or `-` / nothing for stdin.

use super::Failure;
use std::io::Read;
use std::path::PathBuf;

/// The arguments `lint` and `decode` share.
#[derive(clap::Args)]
pub struct FamilyInput {
    /// Family id, e.g. quectel-ec2x.
    #[arg(long)]
    pub family: String,
    /// JSON output, one object per line.
    #[arg(long)]
    pub json: bool,
    /// Input file; `-` or nothing reads stdin.
    pub input: Option<PathBuf>,
}

impl FamilyInput {
    /// Checks the family id first (a bad id fails fast, before reading), then reads the input.
    pub fn load(&self) -> Result<Vec<u8>, Failure> {
        let id = self.family.as_str();
        super::dispatch::with_family!(id, m => { let _ = m::FAMILY; Ok::<(), Failure>(()) })?;
        read(&self.input)
    }
}

/// Where `decode` reads from, opened but not read.
pub enum Source {
    File(std::fs::File),
    Stdin(std::io::StdinLock<'static>),
}

impl std::io::Read for Source {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Source::File(f) => f.read(buf),
            Source::Stdin(s) => s.read(buf),
        }
    }
}

impl FamilyInput {
    /// Checks the family id, then opens the input for reading as it goes.
    pub fn open_known(&self) -> Result<Source, Failure> {
        let id = self.family.as_str();
        super::dispatch::with_family!(id, m => { let _ = m::FAMILY; Ok::<(), Failure>(()) })?;
        self.open()
    }

    /// Opens the input for reading as it goes.
    pub fn open(&self) -> Result<Source, Failure> {
        match &self.input {
            Some(p) if p.as_os_str() != "-" => std::fs::File::open(p)
                .map(Source::File)
                .map_err(|e| Failure::usage(format!("cannot read {}: {e}", p.display()))),
            _ => Ok(Source::Stdin(std::io::stdin().lock())),
        }
    }
}

pub fn read(path: &Option<PathBuf>) -> Result<Vec<u8>, Failure> {
    let mut buf = Vec::new();
    match path {
        Some(p) if p.as_os_str() != "-" => {
            buf = std::fs::read(p)
                .map_err(|e| Failure::usage(format!("cannot read {}: {e}", p.display())))?;
        }
        _ => {
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| Failure::failed(format!("cannot read stdin: {e}")))?;
        }
    }
    Ok(buf)
}

/// Text for JSON: invalid UTF-8 replaced, everything else kept (JSON escapes it).
pub fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Prints one line to stdout; a closed pipe (`| head`) ends the output quietly.
pub fn say(line: &str) -> Result<(), super::Failure> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}").map_err(write_failure)
}

/// Writes one line to a buffered stdout; a closed pipe ends the output quietly.
pub fn write_line(out: &mut impl std::io::Write, line: &str) -> Result<(), super::Failure> {
    writeln!(out, "{line}").map_err(write_failure)
}

/// Flushes a buffered stdout (a closed pipe ends quietly).
pub fn finish_output(out: &mut impl std::io::Write) -> Result<(), super::Failure> {
    out.flush().map_err(write_failure)
}

/// A failed write to stdout; a closed pipe (`| head`) ends the output quietly.
pub fn write_failure(e: std::io::Error) -> super::Failure {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        super::Failure {
            code: 0,
            message: String::new(),
        }
    } else {
        super::Failure::failed(format!("cannot write stdout: {e}"))
    }
}

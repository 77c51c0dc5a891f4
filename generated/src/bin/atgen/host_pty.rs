//! The PTY `atgen record` and `atgen replay` offer a host program: a new pair,
//! its path printed as the first line on stdout, the program's bytes read with
//! a timeout, and its closing of the PTY seen as the end.

use std::fs::File;
use std::time::Duration;

use atgen_runtime::link::{StreamTransport, Transport};

use super::Failure;

/// What the program did within one wait.
pub enum Host {
    Quiet,
    Wrote(usize),
    /// The program closed the PTY (after it had opened it).
    Closed,
}

pub struct HostPty {
    io: StreamTransport<File>,
    /// Held until the program has written, so that the raw settings stay and
    /// the master sees no hang-up before the program opened its side.
    slave: Option<File>,
}

impl HostPty {
    #[cfg(unix)]
    pub fn open() -> Result<Self, Failure> {
        let (master, slave, path) = atgen::sim::open_pty()
            .map_err(|e| Failure::failed(format!("cannot open a PTY: {e}")))?;
        let io = StreamTransport::file(master)
            .map_err(|e| Failure::failed(format!("cannot use the PTY: {e}")))?;
        super::input::say(&path.display().to_string())?;
        use std::io::Write;
        let _ = std::io::stdout().flush();
        Ok(HostPty {
            io,
            slave: Some(slave),
        })
    }

    #[cfg(not(unix))]
    pub fn open() -> Result<Self, Failure> {
        Err(Failure::failed("--pty needs a Unix system"))
    }

    /// Waits at most `wait` for the program's bytes.
    pub fn read(&mut self, buf: &mut [u8], wait: Duration) -> Result<Host, Failure> {
        match self.io.read(buf, wait) {
            Ok(0) => Ok(Host::Quiet),
            Ok(n) => {
                self.slave = None;
                Ok(Host::Wrote(n))
            }
            // EIO once the program's side is closed.
            Err(_) if self.slave.is_none() => Ok(Host::Closed),
            Err(e) => Err(Failure::failed(format!("reading the PTY: {e}"))),
        }
    }

    pub fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.io.write_all(bytes)
    }
}

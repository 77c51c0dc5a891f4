//! The in-process transport: the host side of a simulator as a `Read + Write` stream.

use std::io::{self, Read, Write};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};

use super::pacing::{Pacer, AHEAD};
use super::Event;

/// What the simulated module writes, as the host reads it.
///
/// `read` blocks until bytes arrive; it returns `Ok(0)` (end of file) once the
/// simulator has stopped and everything it wrote has been read.
#[derive(Debug)]
pub struct HostReader {
    rx: Receiver<Vec<u8>>,
    pending: Vec<u8>,
    at: usize,
}

impl HostReader {
    pub(crate) fn new(rx: Receiver<Vec<u8>>) -> Self {
        HostReader {
            rx,
            pending: Vec::new(),
            at: 0,
        }
    }
}

impl Read for HostReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while self.at >= self.pending.len() {
            match self.rx.recv() {
                Ok(chunk) => {
                    self.pending = chunk;
                    self.at = 0;
                }
                Err(_) => return Ok(0),
            }
        }
        let src = self.pending.get(self.at..).unwrap_or(&[]);
        let n = src.len().min(buf.len());
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), src.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.at += n;
        Ok(n)
    }
}

/// What the host writes to the simulated module. Clones write to the same module.
///
/// With a baud rate set, `write` takes about as long as the bytes would take on
/// the line (it returns once all but the last 20 ms of them are on their way), and
/// the simulator takes each chunk in once it has crossed the line.
/// Writing after the simulator stopped fails with [`io::ErrorKind::BrokenPipe`].
#[derive(Debug, Clone)]
pub struct HostWriter {
    tx: Sender<Event>,
    pacer: Option<Arc<Mutex<Pacer>>>,
}

impl HostWriter {
    pub(crate) fn new(tx: Sender<Event>, pacer: Option<Pacer>) -> Self {
        HostWriter {
            tx,
            pacer: pacer.map(|p| Arc::new(Mutex::new(p))),
        }
    }

    fn send(&self, chunk: &[u8], at: Option<std::time::Duration>) -> io::Result<()> {
        self.tx
            .send(Event::Host(chunk.to_vec(), at))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the simulator has stopped"))
    }
}

impl Write for HostWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &self.pacer {
            None => self.send(buf, None)?,
            Some(p) => {
                let mut p = p.lock().unwrap_or_else(|e| e.into_inner());
                let chunk = p.chunk();
                for c in buf.chunks(chunk) {
                    p.throttle(AHEAD);
                    let at = p.book(c.len());
                    self.send(c, Some(at))?;
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Both halves of the host side of a simulator.
#[derive(Debug)]
pub struct HostStream {
    reader: HostReader,
    writer: HostWriter,
}

impl HostStream {
    pub(crate) fn new(reader: HostReader, writer: HostWriter) -> Self {
        HostStream { reader, writer }
    }

    /// The two halves, e.g. for
    /// [`StreamTransport::new(reader, writer)`](crate::link::StreamTransport::new).
    pub fn split(self) -> (HostReader, HostWriter) {
        (self.reader, self.writer)
    }
}

impl Read for HostStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.reader.read(buf)
    }
}

impl Write for HostStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// The simulator's output end of the in-process stream.
#[derive(Debug)]
pub(crate) struct ChannelSink(pub(crate) Sender<Vec<u8>>);

impl Write for ChannelSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .send(buf.to_vec())
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the host side was dropped"))?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

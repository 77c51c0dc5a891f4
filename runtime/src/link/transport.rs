//! Byte transports: a serial device, or any `Read + Write` stream (PTY, pipe, TCP).

use std::io::{self, Read, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

/// What the link reads from and writes to.
pub trait Transport {
    /// Reads what has arrived into `buf`, waiting at most `timeout`.
    /// `Ok(0)` means nothing arrived in time; a closed stream is an error.
    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize>;
    /// Writes all of `bytes` and flushes them.
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()>;
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        (**self).read(buf, timeout)
    }
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        (**self).write_all(bytes)
    }
}

/// A blocking stream given timeouts by a reader thread.
///
/// The thread owns the read half and forwards chunks over a channel; it ends when
/// the stream reports end of file or an error (or the transport is dropped and the
/// next chunk cannot be delivered).
pub struct StreamTransport<W> {
    chunks: Receiver<io::Result<Vec<u8>>>,
    pending: Vec<u8>,
    pending_at: usize,
    writer: W,
    closed: Option<(io::ErrorKind, String)>,
}

impl<W: Write> StreamTransport<W> {
    /// `reader` and `writer` are the two halves of one stream (`try_clone`, a PTY's two fds, …).
    pub fn new<R: Read + Send + 'static>(mut reader: R, writer: W) -> Self {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 4096];
            loop {
                let msg = match reader.read(&mut buf) {
                    Ok(0) => Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the stream was closed by the other side",
                    )),
                    Ok(n) => Ok(buf.get(..n).unwrap_or(&[]).to_vec()),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => Err(e),
                };
                let last = msg.is_err();
                if tx.send(msg).is_err() || last {
                    return;
                }
            }
        });
        StreamTransport {
            chunks: rx,
            pending: Vec::new(),
            pending_at: 0,
            writer,
            closed: None,
        }
    }

    pub fn writer(&self) -> &W {
        &self.writer
    }
}

impl StreamTransport<std::net::TcpStream> {
    /// A TCP stream (a module simulator, a serial-over-TCP bridge).
    pub fn tcp(stream: std::net::TcpStream) -> io::Result<Self> {
        let reader = stream.try_clone()?;
        Ok(Self::new(reader, stream))
    }
}

impl StreamTransport<std::fs::File> {
    /// A character device or PTY opened as a file.
    pub fn file(file: std::fs::File) -> io::Result<Self> {
        let reader = file.try_clone()?;
        Ok(Self::new(reader, file))
    }
}

impl<W: Write> Transport for StreamTransport<W> {
    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        if self.pending_at >= self.pending.len() {
            if let Some((kind, msg)) = &self.closed {
                return Err(io::Error::new(*kind, msg.clone()));
            }
            match self.chunks.recv_timeout(timeout) {
                Ok(Ok(chunk)) => {
                    self.pending = chunk;
                    self.pending_at = 0;
                }
                Ok(Err(e)) => {
                    self.closed = Some((e.kind(), e.to_string()));
                    return Err(e);
                }
                Err(RecvTimeoutError::Timeout) => return Ok(0),
                Err(RecvTimeoutError::Disconnected) => {
                    let e = io::Error::new(io::ErrorKind::BrokenPipe, "the reader thread ended");
                    self.closed = Some((e.kind(), e.to_string()));
                    return Err(e);
                }
            }
        }
        let src = self.pending.get(self.pending_at..).unwrap_or(&[]);
        let n = src.len().min(buf.len());
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), src.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.pending_at += n;
        Ok(n)
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.writer.write_all(bytes)?;
        self.writer.flush()
    }
}

/// A real serial device through the `serialport` crate.
pub struct SerialTransport {
    port: Box<dyn serialport::SerialPort>,
    timeout: Duration,
}

impl SerialTransport {
    /// Opens `path` (`/dev/ttyUSB2`, `COM3`) at `baud`, 8N1, no flow control.
    pub fn open(path: &str, baud: u32) -> Result<Self, serialport::Error> {
        let timeout = Duration::from_millis(100);
        let port = serialport::new(path, baud).timeout(timeout).open()?;
        Ok(SerialTransport { port, timeout })
    }

    /// An already opened and configured port.
    pub fn from_port(port: Box<dyn serialport::SerialPort>) -> Self {
        let timeout = port.timeout();
        SerialTransport { port, timeout }
    }

    pub fn port_mut(&mut self) -> &mut dyn serialport::SerialPort {
        self.port.as_mut()
    }
}

impl Transport for SerialTransport {
    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        // A zero timeout would mean "block forever" on some platforms.
        let timeout = timeout.max(Duration::from_millis(1));
        if timeout != self.timeout {
            self.port.set_timeout(timeout).map_err(io::Error::from)?;
            self.timeout = timeout;
        }
        match self.port.read(buf) {
            Ok(n) => Ok(n),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
                ) =>
            {
                Ok(0)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(0),
            Err(e) => Err(e),
        }
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.port.write_all(bytes)?;
        self.port.flush()
    }
}

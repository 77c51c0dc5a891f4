//! A pseudo-terminal for the simulator: the simulator owns the master side, a host
//! opens the slave path (`/dev/pts/N`) like a serial device.

use std::ffi::CStr;
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsRawFd, FromRawFd};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::Duration;

use super::pacing::{Pacer, AHEAD};
use super::Event;

/// An open PTY pair.
#[derive(Debug)]
pub(crate) struct Pty {
    pub(crate) master: File,
    /// Kept open so that the line settings (raw) stay put and the master never
    /// sees end of file while no host has the slave open.
    _slave: File,
    pub(crate) path: PathBuf,
}

fn last_error(what: &str) -> io::Error {
    let e = io::Error::last_os_error();
    io::Error::new(e.kind(), format!("{what}: {e}"))
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn slave_name(fd: libc::c_int) -> io::Result<String> {
    let mut buf = [0 as libc::c_char; 256];
    // SAFETY: `buf` is writable for its whole length, which is what we pass.
    let rc = unsafe { libc::ptsname_r(fd, buf.as_mut_ptr(), buf.len()) };
    if rc != 0 {
        return Err(io::Error::from_raw_os_error(rc));
    }
    // SAFETY: ptsname_r wrote a NUL-terminated string into `buf`.
    let name = unsafe { CStr::from_ptr(buf.as_ptr()) };
    Ok(name.to_string_lossy().into_owned())
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn slave_name(fd: libc::c_int) -> io::Result<String> {
    use std::sync::Mutex;
    // ptsname uses a static buffer: one caller at a time.
    static LOCK: Mutex<()> = Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: fd is an open PTY master; the returned pointer is valid until the next call,
    // which the lock excludes, and we copy it out at once.
    let p = unsafe { libc::ptsname(fd) };
    if p.is_null() {
        return Err(last_error("ptsname"));
    }
    // SAFETY: non-null, NUL-terminated (see above).
    Ok(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
}

impl Pty {
    /// Opens a PTY pair and puts the slave in raw mode (no echo, no line editing,
    /// no CR/LF translation), 8N1.
    pub(crate) fn open() -> io::Result<Self> {
        // SAFETY: plain libc calls on a descriptor we own; every result is checked.
        unsafe {
            let fd = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
            if fd < 0 {
                return Err(last_error("posix_openpt"));
            }
            let master = File::from_raw_fd(fd);
            if libc::grantpt(fd) != 0 {
                return Err(last_error("grantpt"));
            }
            if libc::unlockpt(fd) != 0 {
                return Err(last_error("unlockpt"));
            }
            let path = slave_name(fd)?;
            let cpath = std::ffi::CString::new(path.clone())
                .map_err(|_| io::Error::other("PTY path with a NUL byte"))?;
            let sfd = libc::open(cpath.as_ptr(), libc::O_RDWR | libc::O_NOCTTY);
            if sfd < 0 {
                return Err(last_error(&format!("opening {path}")));
            }
            let slave = File::from_raw_fd(sfd);
            let mut t: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(sfd, &mut t) != 0 {
                return Err(last_error("tcgetattr"));
            }
            libc::cfmakeraw(&mut t);
            if libc::tcsetattr(sfd, libc::TCSANOW, &t) != 0 {
                return Err(last_error("tcsetattr"));
            }
            Ok(Pty {
                master,
                _slave: slave,
                path: PathBuf::from(path),
            })
        }
    }
}

/// A new PTY pair in raw mode, for a tool standing in for a module or between
/// a host and one (`atgen record`, `atgen replay`): the master, the slave (keep
/// it open until the host has opened its own, so the raw settings stay) and
/// the slave's path.
pub fn open_raw() -> io::Result<(File, File, PathBuf)> {
    let p = Pty::open()?;
    Ok((p.master, p._slave, p.path))
}

/// Whether the host wrote bytes to the slave that nobody has read from the
/// master yet.
pub(crate) fn unread(master: &File) -> bool {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD writes one c_int through the pointer, which is valid.
    let rc = unsafe { libc::ioctl(master.as_raw_fd(), libc::FIONREAD, &mut n) };
    rc == 0 && n > 0
}

/// Reads what the host writes to the slave and forwards it to the simulator,
/// stamped with when it has crossed the line (no faster than the line rate).
/// Ends when `stop` is set or the simulator is gone.
pub(crate) fn spawn_reader(
    master: File,
    tx: Sender<Event>,
    mut pacer: Option<Pacer>,
    stop: Arc<AtomicBool>,
) -> io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("atgen-sim-pty-reader".into())
        .spawn(move || {
            let mut master = master;
            let fd = master.as_raw_fd();
            let chunk = pacer.as_ref().map_or(4096, Pacer::chunk);
            let mut buf = vec![0u8; chunk];
            while !stop.load(Ordering::Relaxed) {
                // No more than AHEAD of line time taken from the host: the rest
                // stays in the PTY, as it would in the host's UART.
                if let Some(p) = pacer.as_ref() {
                    p.throttle(AHEAD);
                }
                let mut pfd = libc::pollfd {
                    fd,
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one valid pollfd, count 1.
                let rc = unsafe { libc::poll(&mut pfd, 1, 100) };
                if rc <= 0 {
                    continue;
                }
                if pfd.revents & libc::POLLIN == 0 {
                    // POLLHUP while no host has the slave open: wait for one.
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                }
                match master.read(&mut buf) {
                    Ok(0) => std::thread::sleep(Duration::from_millis(50)),
                    Ok(n) => {
                        // Handed over at once, with when they have crossed the line:
                        // the simulator takes them in at that time, in order with its
                        // own events (a command on its way is never behind a peer's
                        // answer that comes later).
                        let at = pacer.as_mut().map(|p| p.book(n));
                        let bytes = buf.get(..n).unwrap_or(&[]).to_vec();
                        if tx.send(Event::Host(bytes, at)).is_err() {
                            return;
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    // EIO: no slave open at the moment.
                    Err(_) => std::thread::sleep(Duration::from_millis(50)),
                }
            }
        })
}

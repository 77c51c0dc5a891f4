//! `atgen ssl` over a real PTY against a hostile EC2x written here: a thread on
//! the PTY's master answers every line with OK except the ones a scenario
//! makes hostile. Each run ends within its bound with exit 1 and the command
//! and what arrived on stderr; none exits 0 for data that was not delivered.
#![cfg(unix)]

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::FromRawFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use atgen_tests::e2e::ssl;

/// How long `atgen ssl` may take in any scenario here: its timeouts are cut to
/// 2 s, so a hang shows as a kill at this limit (exit code `None`).
const LIMIT: Duration = Duration::from_secs(60);

/// A PTY pair: the master (the module's side) and the slave's path.
fn pty() -> (File, File, String) {
    // SAFETY: plain libc calls on descriptors we own; every result is checked.
    unsafe {
        let fd = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
        assert!(fd >= 0, "posix_openpt");
        assert_eq!(libc::grantpt(fd), 0, "grantpt");
        assert_eq!(libc::unlockpt(fd), 0, "unlockpt");
        let mut buf = [0 as libc::c_char; 128];
        assert_eq!(libc::ptsname_r(fd, buf.as_mut_ptr(), buf.len()), 0);
        let path = std::ffi::CStr::from_ptr(buf.as_ptr())
            .to_string_lossy()
            .into_owned();
        let c = std::ffi::CString::new(path.clone()).unwrap();
        let sfd = libc::open(c.as_ptr(), libc::O_RDWR | libc::O_NOCTTY);
        assert!(sfd >= 0, "open slave");
        let mut t: libc::termios = std::mem::zeroed();
        assert_eq!(libc::tcgetattr(sfd, &mut t), 0);
        libc::cfmakeraw(&mut t);
        assert_eq!(libc::tcsetattr(sfd, libc::TCSANOW, &t), 0);
        (File::from_raw_fd(fd), File::from_raw_fd(sfd), path)
    }
}

/// How the module answers a command line that starts with `prefix`.
struct Rule {
    prefix: &'static str,
    /// Sent after the line.
    reply: Vec<u8>,
    /// Bytes of data the host writes after the reply (a data phase), then `after`.
    data: usize,
    after: Vec<u8>,
}

fn rule(prefix: &'static str, reply: &[u8]) -> Rule {
    Rule {
        prefix,
        reply: reply.to_vec(),
        data: 0,
        after: Vec::new(),
    }
}

/// Runs the module on `master` until `stop`: lines matching a rule get its
/// answer (the first matching rule, used once), every other line `OK`.
fn module(mut master: File, mut rules: Vec<Rule>, stop: Arc<AtomicBool>) {
    let fd = {
        use std::os::fd::AsRawFd;
        master.as_raw_fd()
    };
    let mut line = Vec::new();
    let mut data_left = 0usize;
    let mut after = Vec::new();
    let mut buf = [0u8; 4096];
    while !stop.load(Ordering::Relaxed) {
        let mut pfd = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        if unsafe { libc::poll(&mut pfd, 1, 50) } <= 0 || pfd.revents & libc::POLLIN == 0 {
            continue;
        }
        let n = match master.read(&mut buf) {
            Ok(n) if n > 0 => n,
            _ => continue,
        };
        for &b in &buf[..n] {
            if data_left > 0 {
                data_left -= 1;
                if data_left == 0 {
                    let _ = master.write_all(&after);
                }
                continue;
            }
            line.push(b);
            if b != b'\r' {
                continue;
            }
            let text = String::from_utf8_lossy(&line).into_owned();
            line.clear();
            match rules.iter().position(|r| text.starts_with(r.prefix)) {
                Some(i) => {
                    let r = rules.remove(i);
                    let _ = master.write_all(&r.reply);
                    data_left = r.data;
                    after = r.after;
                }
                None => {
                    let _ = master.write_all(b"\r\nOK\r\n");
                }
            }
        }
    }
}

/// One session at a time: each is timed, on two cores shared with the build.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// `atgen ssl` against the module; its session.
fn run(rules: Vec<Rule>, input: &[u8]) -> atgen_tests::e2e::Session {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (master, _slave, path) = pty();
    let stop = Arc::new(AtomicBool::new(false));
    let s2 = stop.clone();
    let t = std::thread::spawn(move || module(master, rules, s2));
    let args = ["--timeout-ms", "2000", "--peer-quiet-ms", "1000"];
    let session = ssl("quectel-ec2x", &path, &args, input, LIMIT);
    stop.store(true, Ordering::Relaxed);
    let _ = t.join();
    session
}

const OPENED: &[u8] = b"\r\nOK\r\n\r\n+QSSLOPEN: 0,0\r\n";

/// QSSLSEND of the 2 bytes `hi`: the prompt, then `after` once the data came.
fn send_rule(after: &[u8]) -> Rule {
    Rule {
        prefix: "AT+QSSLSEND=",
        reply: b"\r\n> ".to_vec(),
        data: 2,
        after: after.to_vec(),
    }
}

#[test]
fn ssl_over_a_pty_ends_at_once_on_an_empty_cme_error_naming_the_command() {
    let s = run(vec![rule("AT+QSSLOPEN=", b"\r\n+CME ERROR:\r\n")], b"hi");
    assert_eq!(s.code, Some(1), "stderr: {}", s.stderr);
    assert!(s.stderr.contains("QSSLOPEN"), "{}", s.stderr);
    assert!(s.stderr.contains("empty +CME ERROR"), "{}", s.stderr);
    assert!(s.stdout.is_empty());
}

#[test]
fn ssl_over_a_pty_does_not_exit_0_when_the_data_phase_got_an_unrelated_line_and_ok() {
    let s = run(
        vec![
            rule("AT+QSSLOPEN=", OPENED),
            send_rule(b"\r\nhello world\r\n\r\nOK\r\n"),
        ],
        b"hi",
    );
    assert_eq!(s.code, Some(1), "stderr: {}", s.stderr);
    assert!(s.stderr.contains("QSSLSEND"), "{}", s.stderr);
}

#[test]
fn ssl_over_a_pty_reports_a_restart_during_open() {
    let s = run(vec![rule("AT+QSSLOPEN=", b"\r\nOK\r\n\r\nRDY\r\n")], b"hi");
    assert_eq!(s.code, Some(1), "stderr: {}", s.stderr);
    assert!(s.stderr.contains("RDY"), "{}", s.stderr);
}

#[test]
fn ssl_over_a_pty_reports_a_short_pushed_payload() {
    let s = run(
        vec![
            rule("AT+QSSLOPEN=", OPENED),
            send_rule(b"\r\nSEND OK\r\n\r\n+QSSLURC: \"recv\",0,10\r\nabc"),
        ],
        b"hi",
    );
    assert_eq!(s.code, Some(1), "stderr: {}", s.stderr);
    assert!(s.stdout.is_empty(), "{:?}", s.stdout);
}

#[test]
fn ssl_over_a_pty_refuses_a_blank_host_before_writing() {
    let (master, _slave, path) = pty();
    let out = std::process::Command::new(atgen_tests::e2e::atgen_bin())
        .args(["ssl", "--family", "quectel-ec2x", "--device", &path])
        .args(["--host", " ", "--port", "443"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("a space"), "{stderr}");
    // Nothing reached the module.
    let mut pfd = libc::pollfd {
        fd: std::os::fd::AsRawFd::as_raw_fd(&master),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    let ready = unsafe { libc::poll(&mut pfd, 1, 100) };
    assert!(
        ready <= 0 || pfd.revents & libc::POLLIN == 0,
        "bytes were written"
    );
}

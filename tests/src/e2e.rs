//! End-to-end harness: the real `atgen` binary, `atgen simulate --pty` in one
//! process and `atgen ssl` in another, talking over a real PTY.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The `atgen` binary of this workspace, brought up to date once per test
/// process (a no-op when fresh), so a test never runs a stale CLI.
pub fn atgen_bin() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().unwrap_or_default();
        // target/<profile>/deps/<test> → target/<profile>/atgen
        let dir = exe
            .parent()
            .and_then(|d| d.parent())
            .map(PathBuf::from)
            .unwrap_or_default();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.args(["build", "-q", "-p", "atgen", "--bin", "atgen"]);
        if dir.ends_with("release") {
            cmd.arg("--release");
        }
        let status = cmd.status();
        assert!(
            status.is_ok_and(|s| s.success()),
            "cannot build the atgen binary"
        );
        dir.join(format!("atgen{}", std::env::consts::EXE_SUFFIX))
    })
    .clone()
}

/// The descriptors of a family of this build.
pub fn desc(family: &str) -> &'static atgen::runtime::desc::FamilyDesc {
    atgen::FAMILIES
        .iter()
        .find(|f| f.id == family)
        .map(|f| f.desc)
        .unwrap_or_else(|| panic!("no family `{family}` in this build"))
}

/// The SSL dialog of a family of this build (its spec's `[socket]`).
pub fn dialog(family: &str) -> atgen::runtime::dialog::Dialog {
    let d = desc(family);
    let socket = d
        .socket
        .unwrap_or_else(|| panic!("`{family}` has no [socket] section"));
    atgen::runtime::dialog::Dialog::new(socket, d.ids)
}

/// A running `atgen simulate --pty`, killed on drop.
pub struct Simulator {
    child: Child,
    pub path: String,
}

impl Simulator {
    pub fn start(family: &str, extra: &[&str]) -> Simulator {
        Self::start_with(&atgen_bin(), family, extra)
    }

    /// With another `atgen` binary (a workspace with another spec).
    pub fn start_with(bin: &std::path::Path, family: &str, extra: &[&str]) -> Simulator {
        let mut child = Command::new(bin)
            .args(["simulate", "--family", family, "--pty"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start atgen simulate: {e}"));
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        let mut line = String::new();
        let read = BufReader::new(stdout).read_line(&mut line);
        assert!(
            read.is_ok_and(|n| n > 0),
            "atgen simulate printed no PTY path"
        );
        Simulator {
            child,
            path: line.trim().to_string(),
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What `atgen ssl` did.
pub struct Session {
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub elapsed: Duration,
}

/// Runs `atgen ssl` against the PTY with `input` on stdin; kills it after `limit`.
pub fn ssl(family: &str, device: &str, extra: &[&str], input: &[u8], limit: Duration) -> Session {
    ssl_with(&atgen_bin(), family, device, extra, input, limit)
}

/// [`ssl`] with another `atgen` binary.
pub fn ssl_with(
    bin: &std::path::Path,
    family: &str,
    device: &str,
    extra: &[&str],
    input: &[u8],
    limit: Duration,
) -> Session {
    let start = Instant::now();
    let mut child = Command::new(bin)
        .args(["ssl", "--family", family, "--device", device])
        .args(["--host", "example.com", "--port", "443"])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start atgen ssl: {e}"));
    let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
    let data = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let mut stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stdout.read_to_end(&mut v);
        v
    });
    let mut stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let code = wait_or_kill(&mut child, start, limit);
    let _ = writer.join();
    Session {
        code,
        stdout: reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
        elapsed: start.elapsed(),
    }
}

/// Waits for a child to end by itself, killing it once `limit` has passed
/// since `start`: its exit code (`None` when killed).
pub fn wait_or_kill(child: &mut Child, start: Instant, limit: Duration) -> Option<i32> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return status.code(),
            Ok(None) if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => return None,
        }
    }
}

/// Deterministic pseudo-random bytes (xorshift), optionally without some values.
pub fn random_bytes(n: usize, seed: u64, exclude: &[u8]) -> Vec<u8> {
    let mut x = seed.max(1);
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        for b in x.to_le_bytes() {
            if out.len() < n && !exclude.contains(&b) {
                out.push(b);
            }
        }
    }
    out
}

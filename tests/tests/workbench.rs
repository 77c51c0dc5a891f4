//! Working with a real module, shown against the simulator over real PTYs:
//! `atgen term` (in tmux, a real terminal) sends a valid line and refuses an
//! invalid one with zero bytes written (`atgen record` sits in between and its
//! transcript shows every byte that reached the module); an `atgen ssl` session
//! recorded with `atgen record` replays through `atgen replay` (and through
//! `link::Replay` in process) to the same output, and a divergence is reported;
//! `atgen conform` reports exactly the departures the `depart` fault injected.

#![cfg(unix)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use atgen::runtime::link::{Link, Pace, Replay};
use atgen::runtime::socket::{AccessMode, SslConfig, SslSocket};
use atgen::runtime::transcript::{self, Dir};
use atgen::sim::{Fault, FaultKind, Options, Simulator as InProcess};
use atgen::ssl::SslFamily;
use atgen_tests::e2e::{atgen_bin, ssl, wait_or_kill, Simulator};

const LIMIT: Duration = Duration::from_secs(60);
const SSL_ARGS: [&str; 4] = ["--timeout-ms", "2000", "--peer-quiet-ms", "300"];

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("atgen-workbench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir.join(name)
}

/// An `atgen` command that prints a PTY path as its first line, and that path.
fn spawn_pty_tool(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(atgen_bin())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start atgen {args:?}: {e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    let read = reader.read_line(&mut line);
    assert!(
        read.is_ok_and(|n| n > 0),
        "atgen {args:?} printed no PTY path"
    );
    // The rest of stdout is read when the tool has ended.
    child.stdout = None;
    std::thread::spawn(move || {
        let mut rest = String::new();
        let _ = reader.read_to_string(&mut rest);
        rest
    });
    (child, line.trim().to_string())
}

/// Waits for a child to end by itself (killed after `LIMIT`): its exit code and stderr.
fn finish(mut child: Child) -> (Option<i32>, String) {
    let code = wait_or_kill(&mut child, Instant::now(), LIMIT);
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    (code, err)
}

/// Runs `atgen`, which must exit 0: its JSON lines.
fn json_lines(args: &[&str]) -> Vec<serde_json::Value> {
    let o = Command::new(atgen_bin())
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run atgen {args:?}: {e}"));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(
        o.status.code(),
        Some(0),
        "atgen {args:?}: {out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_default())
        .collect()
}

fn read_transcript(path: &Path) -> Vec<transcript::Entry> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    assert!(text.starts_with(transcript::HEADER), "{text}");
    transcript::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A tmux server of this test's own, removed on drop.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(command: &str) -> Tmux {
        let t = Tmux {
            socket: format!("atgen-test-{}", std::process::id()),
        };
        let ok = t
            .cmd(&[
                "new-session",
                "-d",
                "-s",
                "term",
                "-x",
                "200",
                "-y",
                "50",
                command,
            ])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "tmux cannot start a session");
        t
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket]).args(args);
        c
    }

    fn send_line(&self, line: &str) {
        let ok = self
            .cmd(&["send-keys", "-t", "term", "-l", line])
            .status()
            .is_ok_and(|s| s.success())
            && self
                .cmd(&["send-keys", "-t", "term", "Enter"])
                .status()
                .is_ok_and(|s| s.success());
        assert!(ok, "tmux send-keys failed");
    }

    fn screen(&self) -> String {
        self.cmd(&["capture-pane", "-p", "-t", "term", "-S", "-"])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    }

    /// Waits until the screen shows `text` `times` times.
    fn wait_for(&self, text: &str, times: usize) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.matches(text).count() >= times || start.elapsed() > LIMIT {
                return s;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]).status();
    }
}

#[test]
fn term_sends_a_valid_line_and_refuses_an_invalid_one_writing_nothing() {
    let family = "quectel-ec200x";
    let sim = Simulator::start(family, &[]);
    let out = scratch("term.transcript");
    let out_s = out.display().to_string();
    let (record, pty) = spawn_pty_tool(&["record", "--device", &sim.path, "--pty", "-o", &out_s]);
    let term = format!(
        "{} term --family {family} --device {pty}",
        atgen_bin().display()
    );
    let tmux = Tmux::start(&term);
    // capture-pane drops the blank after the prompt.
    tmux.wait_for(&format!("{family}>"), 1);
    tmux.send_line("AT+QSSLCFG=\"sslversion\",1");
    let screen = tmux.wait_for("final Ok", 1);
    assert!(
        screen.contains(
            "info QsslcfgSslversionQueryResponse {\"ssl_ctx_id\":1,\"ssl_version\":{\"name\":\"All\",\"value\":4,\"meaning\":\"All\"}}"
        ),
        "the answer is shown decoded: {screen}"
    );
    tmux.send_line("AT+QSSLOPEN=16,1,4,\"host\",443");
    let screen = tmux.wait_for("refused", 1);
    assert!(
        screen.contains("refused: QSSLOPEN <PDP_ctxID>=16 is out of range 1..=15 (quectel-ec200x)"),
        "{screen}"
    );
    tmux.send_line(":quit");
    let (code, err) = finish(record);
    assert_eq!(code, Some(0), "record ends when term closes the PTY: {err}");
    let entries = read_transcript(&out);
    assert_eq!(
        transcript::stream(&entries, Dir::Host),
        b"AT+QSSLCFG=\"sslversion\",1\r",
        "the valid line reached the module, and not one byte of the invalid one"
    );
    assert_eq!(
        transcript::stream(&entries, Dir::Module),
        b"\r\n+QSSLCFG: \"sslversion\",1,4\r\n\r\nOK\r\n"
    );
}

#[test]
fn term_script_json_shows_urcs_results_and_error_text() {
    let family = "quectel-ec2x";
    let sim = Simulator::start(family, &[]);
    let script = scratch("term.script");
    let _ = std::fs::write(
        &script,
        "AT+QSSLOPEN=1,1,0,\"example.com\",443,0\nAT+QSSLSEND=0,5\nhello\n:wait 10000\nAT+QSSLCLOSE=99\n:raw AT\nAT+QSSLCLOSE=0\n",
    );
    let script_s = script.display().to_string();
    let events = json_lines(&[
        "term", "--family", family, "--device", &sim.path, "--json", "--script", &script_s,
    ]);
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["kind"].as_str()).collect();
    assert!(kinds.contains(&"result"), "{kinds:?}");
    assert!(kinds.contains(&"urc"), "the echo's recv URC: {kinds:?}");
    let refused = events.iter().find(|e| e["kind"] == "refused");
    assert!(
        refused.is_some_and(|e| e["error"]
            .as_str()
            .is_some_and(|m| m.contains("QSSLCLOSE <clientID>=99"))),
        "{events:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "final").count(),
        4,
        "{kinds:?}"
    );
}

/// One `atgen ssl` session through `atgen record`: its stdout and the transcript.
fn recorded_ssl(family: &str, input: &[u8], out: &Path) -> Vec<u8> {
    let sim = Simulator::start(family, &[]);
    let out_s = out.display().to_string();
    let (record, pty) = spawn_pty_tool(&["record", "--device", &sim.path, "--pty", "-o", &out_s]);
    let s = ssl(family, &pty, &SSL_ARGS, input, LIMIT);
    assert_eq!(s.code, Some(0), "recorded ssl: {}", s.stderr);
    let (code, err) = finish(record);
    assert_eq!(code, Some(0), "record: {err}");
    s.stdout
}

#[test]
fn a_recorded_ssl_session_replays_byte_exact_and_a_divergence_is_reported() {
    let family = "quectel-ec2x";
    let input = b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";
    let out = scratch("ssl.transcript");
    let recorded = recorded_ssl(family, input, &out);
    assert_eq!(recorded, input, "the echo peer's answer");
    let entries = read_transcript(&out);
    let host = transcript::stream(&entries, Dir::Host);
    assert!(
        host.windows(input.len()).any(|w| w == input),
        "the data is recorded"
    );

    // `atgen decode` reads the transcript: commands, prompt, answers and URCs, all recognised.
    let out_s = out.display().to_string();
    let kinds: Vec<String> = json_lines(&["decode", "--family", family, "--json", &out_s])
        .iter()
        .filter_map(|v| v["kind"].as_str().map(String::from))
        .collect();
    for k in ["command", "prompt", "final", "urc", "info"] {
        assert!(kinds.iter().any(|x| x == k), "{k} in {kinds:?}");
    }

    for pace in [&["--fast"][..], &[][..]] {
        let mut args = vec!["replay", out.to_str().unwrap_or_default(), "--pty"];
        args.extend_from_slice(pace);
        let (replay, pty) = spawn_pty_tool(&args);
        let s = ssl(family, &pty, &SSL_ARGS, input, LIMIT);
        assert_eq!(
            s.code,
            Some(0),
            "{pace:?}: ssl through the replay: {}",
            s.stderr
        );
        assert_eq!(s.stdout, recorded, "{pace:?}: the same output");
        let (code, err) = finish(replay);
        assert_eq!(
            code,
            Some(0),
            "{pace:?}: every host byte as recorded: {err}"
        );
    }

    let (replay, pty) = spawn_pty_tool(&[
        "replay",
        out.to_str().unwrap_or_default(),
        "--pty",
        "--fast",
    ]);
    let other = b"GET /x HTTP/1.1\r\nHost: example.com\r\n\r\n";
    let s = ssl(family, &pty, &SSL_ARGS, other, LIMIT);
    assert_eq!(s.code, Some(1), "the session fails: {}", s.stderr);
    let (code, err) = finish(replay);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("the replay diverged at transcript line")
            && err.contains("the host wrote \"8\\r")
            && err.contains("where the recording has \"7\\r"),
        "both sides' bytes: {err}"
    );
}

#[test]
fn a_recorded_session_replays_in_process_through_the_runtime_transport() {
    type D = <atgen::quectel_ec2x::Family as SslFamily>::Dialect;
    let family = "quectel-ec2x";
    let input = b"ping over a replay";
    let out = scratch("inproc.transcript");
    let recorded = recorded_ssl(family, input, &out);
    let replay = Replay::new(read_transcript(&out), Pace::Fast);
    let link: Link<Replay, atgen::quectel_ec2x::Family> = Link::new(replay);
    // The configuration `atgen ssl` uses by default.
    let config = SslConfig {
        pdp_ctx: 1,
        ssl_ctx: 1,
        client: 0,
        access_mode: AccessMode::Buffer,
        ..SslConfig::default()
    };
    let mut sock = SslSocket::new(link, D::default(), config);
    sock.configure()
        .unwrap_or_else(|e| panic!("configure: {e}"));
    sock.open("example.com", 443)
        .unwrap_or_else(|e| panic!("open: {e}"));
    sock.write(input).unwrap_or_else(|e| panic!("write: {e}"));
    let mut got = Vec::new();
    let mut buf = [0u8; 1500];
    while got.len() < recorded.len() {
        match sock.read_within(&mut buf, Some(Duration::from_millis(500))) {
            Ok(Some(n)) if n > 0 => got.extend_from_slice(&buf[..n]),
            other => panic!("read: {other:?}"),
        }
    }
    assert_eq!(got, recorded);
}

#[test]
fn conform_reports_exactly_the_injected_departures_for_every_family() {
    for (i, f) in atgen::FAMILIES.iter().enumerate() {
        // Clean: the simulator answers as the spec says.
        let (code, diffs) = conform(f.id, Vec::new(), 0);
        assert_eq!((code, diffs.len()), (Some(0), 0), "{}: {diffs:?}", f.id);

        let faults = vec![Fault::rate(FaultKind::Depart, 0.3)];
        let sim = InProcess::spawn_pty(
            f.id,
            Options {
                faults,
                seed: 7 + i as u64,
                ..Options::default()
            },
        )
        .unwrap_or_else(|e| panic!("{}: {e}", f.id));
        let path = sim
            .pty_path()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let (code, diffs) = run_conform(f.id, &path, &[]);
        let injected = sim.state().map(|s| s.departures).unwrap_or_default();
        sim.stop();
        assert!(!injected.is_empty(), "{}: the fault fired", f.id);
        assert_eq!(code, Some(1), "{}: differences exit 1", f.id);
        let mut reported: Vec<String> = diffs
            .iter()
            .map(|d| {
                format!(
                    "{} {}",
                    d["form"].as_str().unwrap_or(""),
                    d["response"].as_str().unwrap_or("")
                )
            })
            .collect();
        let mut expected: Vec<String> = injected
            .iter()
            .map(|s| {
                s.rsplit_once(" <")
                    .map_or(s.as_str(), |(a, _)| a)
                    .to_string()
            })
            .collect();
        reported.sort();
        expected.sort();
        assert_eq!(
            reported, expected,
            "{}: every departure, nothing else: {diffs:?}",
            f.id
        );
        for d in &diffs {
            if let Some(p) = d["param"].as_str() {
                let key = format!(
                    "{} {} <{p}>",
                    d["form"].as_str().unwrap_or(""),
                    d["response"].as_str().unwrap_or("")
                );
                assert!(injected.contains(&key), "{}: {key} in {injected:?}", f.id);
            }
        }
    }
}

fn conform(family: &str, faults: Vec<Fault>, seed: u64) -> (Option<i32>, Vec<serde_json::Value>) {
    let sim = InProcess::spawn_pty(
        family,
        Options {
            faults,
            seed,
            ..Options::default()
        },
    )
    .unwrap_or_else(|e| panic!("{family}: {e}"));
    let path = sim
        .pty_path()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let r = run_conform(family, &path, &[]);
    sim.stop();
    r
}

fn run_conform(
    family: &str,
    device: &str,
    extra: &[&str],
) -> (Option<i32>, Vec<serde_json::Value>) {
    let o = Command::new(atgen_bin())
        .args([
            "conform",
            "--family",
            family,
            "--device",
            device,
            "--json",
            "--timeout-ms",
            "2000",
        ])
        .args(extra)
        .output()
        .unwrap_or_else(|e| panic!("cannot run atgen conform: {e}"));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_default())
        .collect();
    assert!(
        lines.last().is_some_and(|s| s["kind"] == "summary"),
        "{family}: a summary ends the output: {lines:?} {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let diffs = lines
        .into_iter()
        .filter(|l| l["kind"] == "difference")
        .collect();
    (o.status.code(), diffs)
}

#[test]
fn conform_writes_nothing_unless_asked_and_then_restores_every_setting() {
    for f in atgen::FAMILIES {
        let sim = Simulator::start(f.id, &[]);
        let out = scratch(&format!("conform-{}.transcript", f.id));
        let out_s = out.display().to_string();
        let (record, pty) =
            spawn_pty_tool(&["record", "--device", &sim.path, "--pty", "-o", &out_s]);
        let (code, diffs) = run_conform(f.id, &pty, &[]);
        assert_eq!((code, diffs.len()), (Some(0), 0), "{}: {diffs:?}", f.id);
        let (rc, err) = finish(record);
        assert_eq!(rc, Some(0), "{}: {err}", f.id);
        let host = transcript::stream(&read_transcript(&out), Dir::Host);
        let lines: Vec<&[u8]> = host
            .split(|&b| b == b'\r')
            .filter(|l| !l.is_empty())
            .collect();
        assert!(!lines.is_empty(), "{}", f.id);
        for l in lines {
            let (i, _) = atgen::runtime::codec::parse_any_request(f.id, f.desc.forms, &[], l)
                .unwrap_or_else(|e| panic!("{}: {e}", f.id));
            let form = f.desc.forms[i];
            assert!(
                form.kind == atgen::runtime::request::FormKind::Test
                    || form.kind == atgen::runtime::request::FormKind::Read
                    || !form.omits.is_empty(),
                "{}: only test commands and queries are sent, not {}",
                f.id,
                String::from_utf8_lossy(l)
            );
        }

        // With writes: each written setting reads back, and is written back.
        let (code, diffs) = run_conform(f.id, &sim.path, &["--with-writes"]);
        assert_eq!((code, diffs.len()), (Some(0), 0), "{}: {diffs:?}", f.id);
        // The defaults the manual gives are in force again.
        let (code, diffs) = run_conform(f.id, &sim.path, &[]);
        assert_eq!(
            (code, diffs.len()),
            (Some(0), 0),
            "{}: after --with-writes: {diffs:?}",
            f.id
        );
    }
}

#[test]
fn record_leaves_secrets_out_and_replay_accepts_any_bytes_in_their_place() {
    let family = "quectel-ec2x";
    let key = "s3cr3tPSKkey";
    let script = scratch("psk.script");
    let _ = std::fs::write(
        &script,
        format!("AT+QSSLCFG=\"psk\",1,\"me\",\"{key}\"\nAT+QSSLCFG=\"psk\",1\n"),
    );
    let script_s = script.display().to_string();
    let term = |device: &str| {
        json_lines(&[
            "term", "--family", family, "--device", device, "--json", "--script", &script_s,
        ])
    };
    let sim = Simulator::start(family, &[]);
    let out = scratch("psk.transcript");
    let out_s = out.display().to_string();
    let (record, pty) = spawn_pty_tool(&["record", "--device", &sim.path, "--pty", "-o", &out_s]);
    let recorded = term(&pty);
    let (code, err) = finish(record);
    assert_eq!(code, Some(0), "{err}");
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(
        !text.contains(key),
        "the key is not in the transcript: {text}"
    );
    assert!(text.contains(&format!(" >* {}\n", key.len())), "{text}");
    assert!(
        text.contains(&"*".repeat(key.len())),
        "the key read back is masked: {text}"
    );

    let (replay, pty) = spawn_pty_tool(&["replay", &out_s, "--pty", "--fast"]);
    let replayed = term(&pty);
    let (code, err) = finish(replay);
    assert_eq!(
        code,
        Some(0),
        "the key's bytes match the redacted chunk: {err}"
    );
    // The same session, but for the key the module read back: masked in the recording.
    let key_of = |events: &[serde_json::Value]| -> Vec<String> {
        events
            .iter()
            .filter_map(|e| e["fields"]["key"].as_str().map(String::from))
            .collect()
    };
    assert_eq!(key_of(&recorded), [key]);
    assert_eq!(key_of(&replayed), ["*".repeat(key.len())]);
    assert_eq!(replayed.len(), recorded.len());
}

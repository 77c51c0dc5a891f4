//! A new family is its TOML file and one cargo feature line, no Rust.
//!
//! The test copies the workspace's crates (spec/, codegen/, generated/, runtime/)
//! into a temporary workspace, adds a synthetic family of another vendor's
//! dialect (`tests/families/simcom-a76xx.toml`: SIMCom-style AT+CCH* commands,
//! other names and ids, a Ctrl+Z send whose result URC depends on a setting,
//! data pushed in URC frames, an error line before ERROR, empty integers) and
//! the one feature line a maintainer adds to generated/Cargo.toml, builds the
//! `atgen` CLI there, and runs what a user runs on a family: spec check,
//! families, lint, decode, doc, demo, and `atgen ssl` echo through
//! `atgen simulate --pty`. Any per-family Rust the family needed would make the
//! build or one of these fail.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use atgen_tests::e2e::{random_bytes, ssl_with, Simulator};

const FAMILY: &str = "simcom-a76xx";

/// The copies share one target directory (dependencies built once), where
/// each build writes `debug/atgen`: one test at a time.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a directory of the copy");
    for entry in std::fs::read_dir(from).expect("read a directory to copy") {
        let entry = entry.expect("a directory entry");
        let path = entry.path();
        let name = entry.file_name();
        if name == "target" {
            continue;
        }
        let dest = to.join(&name);
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).expect("copy a file");
        }
    }
}

/// A temporary copy of the workspace's crates (without tests/), named `name`.
fn copy_workspace(name: &str) -> PathBuf {
    let ws = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("new-family")
        .join(name);
    let _ = std::fs::remove_dir_all(&ws);
    for dir in ["spec", "codegen", "generated", "runtime"] {
        copy_dir(&repo().join(dir), &ws.join(dir));
    }
    for file in ["Cargo.toml", "Cargo.lock"] {
        std::fs::copy(repo().join(file), ws.join(file)).expect("copy the workspace manifest");
    }
    // The copy has no tests/ crate (not part of what a maintainer touches).
    let manifest = std::fs::read_to_string(ws.join("Cargo.toml")).expect("read Cargo.toml");
    let manifest: String = manifest
        .lines()
        .map(|l| {
            if l.starts_with("members") {
                "members = [\"codegen\", \"generated\", \"runtime\"]"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(ws.join("Cargo.toml"), manifest).expect("write Cargo.toml");
    ws
}

/// Runs cargo in a copied workspace (its own target directory).
fn cargo(ws: &Path, args: &[&str]) -> Output {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("new-family/target");
    Command::new(env!("CARGO"))
        .args(args)
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("run cargo")
}

/// The temporary workspace with the new family, and the `atgen` binary built in it.
fn workspace() -> (PathBuf, PathBuf) {
    let ws = copy_workspace("ws");

    // What a maintainer adds: the TOML file and one feature line.
    std::fs::copy(
        repo().join("tests/families").join(format!("{FAMILY}.toml")),
        ws.join("spec").join(format!("{FAMILY}.toml")),
    )
    .expect("add the family's spec file");
    let features = ws.join("generated/Cargo.toml");
    let text = std::fs::read_to_string(&features).expect("read generated/Cargo.toml");
    let text = text.replacen("[features]\n", &format!("[features]\n{FAMILY} = []\n"), 1);
    std::fs::write(&features, text).expect("write generated/Cargo.toml");

    let out = cargo(
        &ws,
        &["build", "-q", "--offline", "-p", "atgen", "--bin", "atgen"],
    );
    assert!(
        out.status.success(),
        "the workspace with {FAMILY} builds: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bin = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("new-family/target/debug")
        .join(format!("atgen{}", std::env::consts::EXE_SUFFIX));
    (ws, bin)
}

fn run(bin: &Path, args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(bin)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start atgen");
    if let Some(mut i) = child.stdin.take() {
        let _ = i.write_all(stdin);
    }
    child.wait_with_output().expect("atgen finishes")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn a_family_of_another_vendor_works_end_to_end_from_its_toml_and_one_feature_line() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (ws, bin) = workspace();
    let spec = ws.join("spec");
    let spec = spec.to_string_lossy();

    let o = run(&bin, &["spec", "check", &spec], b"");
    assert_eq!(o.status.code(), Some(0), "spec check: {}", text(&o.stderr));
    let families = atgen::FAMILY_IDS.len() + 1;
    assert!(
        text(&o.stdout).contains(&format!("{families} families")),
        "{}",
        text(&o.stdout)
    );

    let o = run(&bin, &["families"], b"");
    assert!(
        text(&o.stdout)
            .lines()
            .any(|l| l.starts_with(&format!("{FAMILY}\t"))),
        "families lists it: {}",
        text(&o.stdout)
    );

    // lint: the manual's ranges, in its notation.
    let o = run(
        &bin,
        &["lint", "--family", FAMILY],
        b"AT+CCHSET=1,0\r\nAT+CCHOPEN=0,\"example.com\",443,1\r\nAT+CCHOPEN=2,\"x\",1\r\n",
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let out = text(&o.stdout);
    assert!(out.contains("line 1: ok"), "{out}");
    assert!(out.contains("line 2: ok"), "{out}");
    assert!(
        out.contains("CCHOPEN <session_id>=2 is out of range 0..=1 (simcom-a76xx)"),
        "{out}"
    );

    // decode: pushed data by length, empty integers, a response line that
    // starts like a URC, the error line before ERROR.
    let o = run(
        &bin,
        &["decode", "--family", FAMILY, "--json"],
        b"+CCHOPEN: 1,\"\",,,\r\n+CCHRECV: DATA,0,7\r\nOK\r\nhi\r\n\r\n+CCH_PEER_CLOSED: 0\r\n+CCHOPEN: 0,3\r\nERROR\r\n",
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    let out = text(&o.stdout);
    assert!(out.contains("\"open_port\":null"), "{out}");
    assert!(out.contains("\"type\":\"RecvData\""), "{out}");
    assert!(
        out.contains("4f4b0d0a68690d"),
        "the payload is read by length: {out}"
    );
    assert!(out.contains("\"type\":\"PeerClosed\""), "{out}");
    // Codes decode with their name, number and the manual's text.
    assert!(
        out.contains("\"err\":{\"name\":\"Busy\",\"code\":3,\"text\":\"Busy\"}"),
        "{out}"
    );

    // doc: a page for the family.
    let docs = Path::new(env!("CARGO_TARGET_TMPDIR")).join("new-family/docs");
    let _ = std::fs::remove_dir_all(&docs);
    let o = run(&bin, &["doc", "--out", &docs.to_string_lossy()], b"");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let page = std::fs::read_dir(&docs)
        .expect("doc wrote its pages")
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().contains(FAMILY))
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .expect("a page for the family");
    assert!(
        page.contains("AT+CCHOPEN"),
        "the page documents the commands"
    );

    // demo: configure, open, send, read, close against the simulator.
    let o = run(&bin, &["demo", "--family", FAMILY], b"");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("HTTP/1.1 200 OK"),
        "{}",
        text(&o.stdout)
    );

    // ssl through simulate --pty: 64 KiB echoed byte-exact (no Ctrl+Z or ESC:
    // the family's send ends with Ctrl+Z).
    let sim = Simulator::start_with(&bin, FAMILY, &[]);
    let input = random_bytes(64 * 1024, 7, &[0x1A, 0x1B]);
    let args = ["--timeout-ms", "2000", "--peer-quiet-ms", "1000"];
    let s = ssl_with(
        &bin,
        FAMILY,
        &sim.path,
        &args,
        &input,
        Duration::from_secs(120),
    );
    assert_eq!(s.code, Some(0), "atgen ssl: {}", s.stderr);
    assert!(
        s.stdout == input,
        "the echo came back byte-exact ({} of {} bytes)",
        s.stdout.len(),
        input.len()
    );

    // conform from the spec alone: clean against the simulator, and the two
    // departures the `depart` fault injects are the two reported.
    let conform = |device: &str| {
        let o = run(
            &bin,
            &["conform", "--family", FAMILY, "--device", device, "--json"],
            b"",
        );
        let out = text(&o.stdout);
        let diffs = out.lines().filter(|l| l.contains("\"difference\"")).count();
        ((o.status.code(), diffs), out)
    };
    // A fresh module: the ssl session above changed settings from their defaults.
    let fresh = Simulator::start_with(&bin, FAMILY, &[]);
    let (clean, out) = conform(&fresh.path);
    assert_eq!(clean, (Some(0), 0), "conform, clean: {out}");
    let departing = Simulator::start_with(&bin, FAMILY, &["--fault", "depart:2"]);
    let (departed, out) = conform(&departing.path);
    assert_eq!(departed, (Some(1), 2), "conform, two departures: {out}");
}

#[test]
fn spec_check_through_cargo_run_shows_the_diagnostics_of_a_broken_spec() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let ws = copy_workspace("broken");
    let file = ws.join("spec/quectel-ec2x.toml");
    let text = std::fs::read_to_string(&file).expect("read a spec file");
    let broken = text.replacen("\nvendor = ", "\nvendr = ", 1);
    assert_ne!(text, broken, "the test breaks the file");
    std::fs::write(&file, broken).expect("write the broken spec");
    let o = cargo(
        &ws,
        &[
            "run",
            "-q",
            "--offline",
            "-p",
            "atgen",
            "--",
            "spec",
            "check",
        ],
    );
    let err = text_of(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("spec/quectel-ec2x.toml:") && err.contains("unknown field `vendr`"),
        "the diagnostic with file:line:col: {err}"
    );
    assert!(
        err.contains("help: see spec/README.md"),
        "with its help: {err}"
    );
    assert!(err.contains("1 problem(s) in the spec"), "{err}");
}

fn text_of(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

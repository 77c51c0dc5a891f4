//! The CLI against hostile input: a missing file is a usage error (exit 2) for
//! every command that reads one, an empty spec file fails `spec check`, and a
//! line longer than the link could write is refused without being parsed.

use std::process::{Command, Output, Stdio};

use atgen_tests::e2e::atgen_bin;

fn atgen(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(atgen_bin())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let w = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    let _ = w.join();
    out
}

#[test]
fn a_missing_file_is_exit_2_for_lint_decode_spec_check_and_spec_show() {
    let missing = "/nonexistent/atgen-hostile.toml";
    for args in [
        vec!["lint", "--family", "quectel-ec2x", missing],
        vec!["decode", "--family", "quectel-ec2x", missing],
        vec!["spec", "check", missing],
        vec![
            "spec",
            "show",
            "--family",
            "quectel-ec2x",
            "--spec",
            missing,
        ],
    ] {
        let out = atgen(&args, b"");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot read") && stderr.contains(missing),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn an_empty_spec_file_fails_spec_check() {
    let dir = std::env::temp_dir().join(format!("atgen-empty-spec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("empty.toml");
    std::fs::write(&file, "").unwrap();
    let out = atgen(&["spec", "check", file.to_str().unwrap()], b"");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("empty spec file"), "{stderr}");
}

#[test]
fn lint_refuses_a_line_longer_than_the_link_writes_without_echoing_it() {
    let mut line = b"AT+QSSLOPEN=1,1,0,\"".to_vec();
    line.extend(std::iter::repeat_n(b'a', 5_000_000));
    line.extend_from_slice(b"\",443,0\r\nAT\r\n");
    let out = atgen(&["lint", "--family", "quectel-ec2x", "--json"], &line);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.len() < 10_000, "{} bytes of output", stdout.len());
    assert!(stdout.contains("at most 2048 bytes"), "{stdout}");
}

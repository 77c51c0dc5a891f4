//! The `atgen` command line as scripts use it: output, JSON fields and exit codes.

use atgen_tests::cli::{atgen, text};

#[test]
fn families_lists_every_family_of_the_spec_one_per_line() {
    let o = atgen(&["families"], b"");
    assert!(o.status.success());
    let out = text(&o.stdout);
    assert_eq!(out.lines().count(), atgen::FAMILY_IDS.len(), "{out}");
    for id in atgen::FAMILY_IDS {
        assert!(
            out.lines().any(|l| l.starts_with(&format!("{id}\t"))),
            "{id} in {out}"
        );
    }
}

#[test]
fn spec_check_passes_on_the_repository_spec() {
    let spec = atgen_tests::gen::spec_dir();
    let o = atgen(&["spec", "check", &spec.display().to_string()], b"");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

#[test]
fn spec_check_reports_a_broken_spec_with_line_and_column_and_exit_1() {
    let dir = std::env::temp_dir().join(format!("atgen-cli-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join("quectel-x.toml");
    let _ = std::fs::write(&file, "[family]\nid = \"quectel-x\"\nvendr = \"Q\"\n");
    let o = atgen(&["spec", "check", &file.display().to_string()], b"");
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("quectel-x.toml:3:1"), "{err}");
    assert!(err.contains("unknown field `vendr`"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unknown_family_is_a_usage_error_listing_the_known_ids() {
    for args in [
        &["spec", "show", "--family", "quectel-xx"][..],
        &["lint", "--family", "quectel-xx", "-"][..],
        &["gen", "--family", "quectel-xx"][..],
    ] {
        let o = atgen(args, b"");
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = text(&o.stderr);
        assert!(err.contains("unknown family `quectel-xx`"), "{err}");
        assert!(
            err.contains("quectel-ec2x") && err.contains("cmiot-ml302"),
            "{err}"
        );
    }
}

#[test]
fn spec_show_prints_the_resolved_family_as_json() {
    let o = atgen(&["spec", "show", "--family", "quectel-ec2x"], b"");
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    assert_eq!(v["id"], "quectel-ec2x");
    assert!(v["tables"]["quectel-lte-ssl-errors"]["entries"]
        .as_array()
        .is_some_and(|e| e.len() == 26));
}

#[test]
fn lint_exits_0_when_every_line_is_valid_and_1_otherwise() {
    let ok = atgen(
        &["lint", "--family", "quectel-ec2x"],
        b"AT+QSSLOPEN=1,1,4,\"host\",443,0\r\n\nAT+QSSLSTATE\n",
    );
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stdout));
    let bad = atgen(
        &["lint", "--family", "quectel-ec200x", "--json", "-"],
        b"AT+QSSLOPEN=16,1,4,\"host\",443\nAT+QSSLCLOSE=4\n",
    );
    assert_eq!(bad.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = text(&bad.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_default())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["line"], 1);
    assert_eq!(lines[0]["ok"], false);
    assert_eq!(lines[0]["param"], "PDP_ctxID");
    assert_eq!(lines[0]["value"], 16);
    assert_eq!(lines[0]["allowed"]["max"], 15);
    assert_eq!(
        lines[0]["error"],
        "QSSLOPEN <PDP_ctxID>=16 is out of range 1..=15 (quectel-ec200x)"
    );
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["ok"], true);
    assert_eq!(lines[1]["request"]["type"], "Qsslclose");
}

#[test]
fn decode_reports_every_item_in_order_with_payloads_as_hex() {
    let input = b"\r\n+QSSLRECV: 4\r\nOK\r\n\r\nOK\r\n\r\n+QSSLURC: \"recv\",4\r\nJUNK\r\n";
    let o = atgen(&["decode", "--family", "quectel-ec2x", "--json"], input);
    // The junk line is reported, so the exit code says something was not recognised.
    assert_eq!(o.status.code(), Some(1));
    let items: Vec<serde_json::Value> = text(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_default())
        .collect();
    let kinds: Vec<&str> = items.iter().filter_map(|i| i["kind"].as_str()).collect();
    assert_eq!(kinds, ["info", "final", "urc", "unrecognised"]);
    assert_eq!(items[0]["fields"]["data"], "4f4b0d0a");
    assert_eq!(items[2]["type"], "Recv");
    assert_eq!(items[3]["text"], "JUNK");
}

#[test]
fn decode_never_panics_on_arbitrary_bytes() {
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    for family in ["quectel-ec2x", "quectel-bc26", "cmiot-ml302"] {
        let o = atgen(&["decode", "--family", family], &junk);
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{family}: {}",
            text(&o.stderr)
        );
    }
}

#[test]
fn gen_prints_the_generated_module_with_its_header() {
    let o = atgen(&["gen", "--family", "quectel-bc26"], b"");
    assert!(o.status.success());
    let out = text(&o.stdout);
    assert!(out.starts_with("// @generated"));
    assert!(out.contains("pub struct QsslsendFixedLength"));
}

#[test]
fn demo_runs_an_https_get_for_every_family_without_hardware() {
    let o = atgen(&["demo", "--family", "all"], b"");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert_eq!(out.matches("HTTP/1.1 200 OK").count(), 5, "{out}");
    assert!(
        out.contains("--> AT+QSSLOPEN=1,1,0,\"example.com\",443,0"),
        "{out}"
    );
    assert!(
        out.contains("<-- +QSSLOPEN: 1,0,0"),
        "BC26's result URC: {out}"
    );
}

#[test]
fn demo_with_connections_opens_them_at_once_and_interleaves_their_traffic() {
    let o = atgen(
        &["demo", "--family", "quectel-ec2x", "--connections", "3"],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    for id in 0..3 {
        assert!(
            out.contains(&format!("--> AT+QSSLOPEN=1,1,{id},\"example.com\",443,0")),
            "{out}"
        );
        assert!(out.contains(&format!("GET /{id} HTTP/1.1")), "{out}");
        assert!(out.contains(&format!("--> AT+QSSLCLOSE={id}")), "{out}");
    }
    assert_eq!(out.matches("HTTP/1.1 200 OK").count(), 3, "{out}");
    // Interleaved: every connection is open before the first request is sent,
    // and every request is sent before the first reply is read.
    let last_open = out.rfind("AT+QSSLOPEN=").unwrap();
    let first_send = out.find("AT+QSSLSEND=").unwrap();
    let last_send = out.rfind("AT+QSSLSEND=").unwrap();
    let first_recv = out.find("AT+QSSLRECV=").unwrap();
    assert!(last_open < first_send && last_send < first_recv, "{out}");
}

#[test]
fn demo_refuses_zero_connections() {
    let o = atgen(&["demo", "--connections", "0"], b"");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
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

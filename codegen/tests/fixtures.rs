//! Broken-spec fixtures: every directory under `tests/fixtures/` is one case.
//!
//! A case holds the `.toml` files of a small spec (a family file named after its id, and a
//! `shared.toml` where the case needs shared tables) and `expected.txt`: every diagnostic the
//! validator must report, in order, one per line as `<file>:<line>:<col>: <message>` with the
//! file relative to the case directory. A case that validates cleanly is a broken fixture.
//!
//! `UPDATE_EXPECT=1 cargo test -p atgen-codegen --test fixtures` rewrites `expected.txt`;
//! review every rewritten line against the spec before keeping it.

use atgen_codegen::load::load;
use atgen_codegen::validate::{check, resolve};
use atgen_codegen::Diagnostic;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
}

fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures exists")
        .map(|e| e.expect("readable fixtures dir").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Every diagnostic of one case, as the CLI would report it: load, check, and lower when clean.
fn diagnostics(dir: &Path) -> Vec<Diagnostic> {
    let (files, mut diags) = load(&[dir.to_path_buf()]);
    diags.0.extend(check(&files).0);
    if diags.is_empty() {
        if let Err(more) = resolve(&files) {
            diags.0.extend(more.0);
        }
    }
    diags.0
}

/// `<file relative to the case>:<line>:<col>: <message>`.
fn line_of(dir: &Path, d: &Diagnostic) -> String {
    let path = Path::new(&d.source.path);
    let rel = path.strip_prefix(dir).unwrap_or(path);
    let rel = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    let (line, col) = d.source.line_col(d.span.start);
    format!("{rel}:{line}:{col}: {}", d.message)
}

/// Problems with the rendered report itself: it must quote the offending line and give a hint.
fn render_problems(rendered_line: &str, d: &Diagnostic) -> Vec<String> {
    let mut out = Vec::new();
    let report = d.render();
    let (line, _) = d.source.line_col(d.span.start);
    let snippet = d.source.text.lines().nth(line - 1).unwrap_or("").trim();
    if !snippet.is_empty() && !report.contains(snippet) {
        out.push(format!(
            "{rendered_line}\n    report does not quote the offending line `{snippet}`:\n{report}"
        ));
    }
    let help = |l: &str| {
        l.trim_start()
            .trim_start_matches('=')
            .trim_start()
            .starts_with("help:")
    };
    if !report.lines().any(help) {
        out.push(format!(
            "{rendered_line}\n    report has no `help:` line:\n{report}"
        ));
    }
    out
}

#[test]
fn broken_specs_report_the_expected_diagnostics() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1");
    let cases = cases();
    assert!(
        !cases.is_empty(),
        "no fixture cases under {}",
        fixtures_dir().display()
    );
    let mut failures = String::new();
    for dir in &cases {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let diags = diagnostics(dir);
        let actual: Vec<String> = diags.iter().map(|d| line_of(dir, d)).collect();
        if actual.is_empty() {
            let _ = writeln!(
                failures,
                "[{name}] the spec validates cleanly: a fixture must report at least one diagnostic"
            );
            continue;
        }
        for (l, d) in actual.iter().zip(&diags) {
            for p in render_problems(l, d) {
                let _ = writeln!(failures, "[{name}] {p}");
            }
        }
        let expected_path = dir.join("expected.txt");
        if update {
            let mut text = actual.join("\n");
            text.push('\n');
            std::fs::write(&expected_path, text).expect("write expected.txt");
            continue;
        }
        let expected_text = match std::fs::read_to_string(&expected_path) {
            Ok(t) => t,
            Err(e) => {
                let _ = writeln!(
                    failures,
                    "[{name}] cannot read expected.txt ({e}); actual:\n{}",
                    actual.join("\n")
                );
                continue;
            }
        };
        let expected: Vec<&str> = expected_text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect();
        if expected != actual {
            let _ =
                writeln!(
                failures,
                "[{name}] diagnostics differ\n--- expected\n{}\n--- actual\n{}\n--- reports\n{}",
                expected.join("\n"),
                actual.join("\n"),
                diags.iter().map(Diagnostic::render).collect::<Vec<_>>().join("\n")
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture case(s) checked:\n{failures}",
        cases.len()
    );
}

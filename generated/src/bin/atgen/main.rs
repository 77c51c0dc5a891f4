//! The `atgen` command-line tool: argument parsing and dispatch. Exit codes:
//! 0 success, 1 failure (invalid spec, invalid input, module error), 2 usage
//! error (bad flags, unknown family).

mod conform;
mod decode;
mod demo;
mod dispatch;
mod doc;
mod explain;
mod families;
mod gen;
mod host_pty;
mod input;
mod lint;
mod module_args;
mod record;
mod redact;
mod replay;
mod simulate;
mod spec;
mod ssl;
mod term;
mod trace;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// atgen: typed AT-command APIs for cellular modules' SSL/TLS commands, from one spec.
#[derive(Parser)]
#[command(name = "atgen", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// One line per family: id, the modules it covers, its manual.
    Families(families::Args),
    /// Check or show the spec.
    #[command(subcommand)]
    Spec(spec::SpecCommand),
    /// Print the generated Rust code of one family.
    Gen(gen::Args),
    /// Check AT command lines (one per line) against a family's spec.
    Lint(lint::Args),
    /// Decode module output into typed items.
    Decode(decode::Args),
    /// An SSL session (HTTP GET) against the built-in module simulator: no hardware.
    Demo(demo::Args),
    /// Write the Markdown reference: a page per family and a README with the cross-family matrix.
    Doc(doc::Args),
    /// Simulate a module's SSL AT interface on a PTY, from the spec.
    Simulate(simulate::Args),
    /// Open an SSL connection through a module; copy stdin to it and it to stdout.
    Ssl(ssl::Args),
    /// An interactive terminal for one module: lines validated before they are sent, answers decoded.
    Term(term::Args),
    /// Compare a module's answers to test commands and queries with the spec (non-destructive).
    Conform(conform::Args),
    /// Pass a program's traffic with a module through a new PTY, writing a transcript.
    Record(record::Args),
    /// Play a transcript back as the module, on a new PTY; report the first divergence.
    Replay(replay::Args),
}

/// A failure with its exit code.
pub struct Failure {
    pub code: i32,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: message.into(),
        }
    }
    pub fn failed(message: impl Into<String>) -> Self {
        Failure {
            code: 1,
            message: message.into(),
        }
    }
}

fn main() {
    std::process::exit(run());
}

fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    if let (Some(_), false) = (
        atgen::SPEC_PROBLEMS,
        matches!(cli.command, Command::Spec(_)),
    ) {
        eprintln!("atgen: this atgen was built from a spec with problems, so it has no families; run `atgen spec check` (or `cargo run -p atgen -- spec check`) to see them");
        return 1;
    }
    let result = match cli.command {
        Command::Families(a) => families::run(a),
        Command::Spec(c) => spec::run(c),
        Command::Gen(a) => gen::run(a),
        Command::Lint(a) => lint::run(a),
        Command::Decode(a) => decode::run(a),
        Command::Demo(a) => demo::run(a),
        Command::Doc(a) => doc::run(a),
        Command::Simulate(a) => simulate::run(a),
        Command::Ssl(a) => ssl::run(a),
        Command::Term(a) => term::run(a),
        Command::Conform(a) => conform::run(a),
        Command::Record(a) => record::run(a),
        Command::Replay(a) => replay::run(a),
    };
    match result {
        Ok(()) => 0,
        Err(f) => {
            if !f.message.is_empty() {
                eprintln!("atgen: {}", f.message);
            }
            f.code
        }
    }
}

/// Every path given on the command line exists: a missing file is a usage
/// error (exit 2), as for `lint` and `decode`.
pub fn require_paths(paths: &[PathBuf]) -> Result<(), Failure> {
    for p in paths {
        std::fs::metadata(p)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", p.display())))?;
    }
    Ok(())
}

/// The resolved spec as JSON: from `--spec PATH` when given, else the one built in.
pub fn spec_json(path: &Option<Vec<PathBuf>>) -> Result<serde_json::Value, Failure> {
    match path {
        Some(paths) => {
            require_paths(paths)?;
            let spec = atgen_codegen::load_spec(paths).map_err(|d| Failure::failed(d.render()))?;
            serde_json::to_value(&spec).map_err(|e| Failure::failed(e.to_string()))
        }
        None => serde_json::from_str(atgen::SPEC_JSON).map_err(|e| Failure::failed(e.to_string())),
    }
}

/// The resolved spec: from `--spec PATH` when given, else the IR built into this binary.
pub fn spec_ir(paths: &Option<Vec<PathBuf>>) -> Result<atgen_codegen::ir::Spec, Failure> {
    match paths {
        Some(paths) => {
            require_paths(paths)?;
            atgen_codegen::load_spec(paths).map_err(|d| Failure::failed(d.render()))
        }
        None => serde_json::from_str(atgen::SPEC_JSON)
            .map_err(|e| Failure::failed(format!("the built-in spec does not load: {e}"))),
    }
}

/// One family's JSON, or a usage error listing the known ids.
pub fn family<'a>(spec: &'a serde_json::Value, id: &str) -> Result<&'a serde_json::Value, Failure> {
    let families = &spec["families"];
    families.get(id).ok_or_else(|| {
        let known: Vec<&str> = families
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        Failure::usage(format!(
            "unknown family `{id}`; known families: {}",
            known.join(", ")
        ))
    })
}

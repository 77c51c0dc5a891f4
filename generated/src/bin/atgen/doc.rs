//! `atgen doc --out DIR`: the Markdown reference (a page per family and a
//! README with the cross-family matrix), written only where it changed.
//! With `--check`, writes nothing and fails when DIR is not up to date.

use super::Failure;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// The directory to write the pages to (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Read the spec from these files or directories instead of the built-in one.
    #[arg(long, num_args = 1..)]
    spec: Option<Vec<PathBuf>>,
    /// Write nothing; exit 1 listing the stale or missing files when DIR is not up to date.
    #[arg(long)]
    check: bool,
}

/// How a page on disk compares with the rendered one.
enum State {
    Fresh,
    Stale,
    Missing,
}

fn state(path: &Path, content: &str) -> Result<State, Failure> {
    match std::fs::read(path) {
        Ok(bytes) if bytes == content.as_bytes() => Ok(State::Fresh),
        Ok(_) => Ok(State::Stale),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::Missing),
        Err(e) => Err(Failure::failed(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

pub fn run(args: Args) -> Result<(), Failure> {
    let spec = super::spec_ir(&args.spec)?;
    let pages = atgen_codegen::emit::markdown::render(&spec);

    let mut stale = Vec::new();
    for (name, content) in &pages {
        let path = args.out.join(name);
        match state(&path, content)? {
            State::Fresh => {}
            State::Stale => stale.push(format!("stale:   {}", path.display())),
            State::Missing => stale.push(format!("missing: {}", path.display())),
        }
    }

    if args.check {
        if stale.is_empty() {
            super::input::say(&format!(
                "docs up to date: {} files in {}",
                pages.len(),
                args.out.display()
            ))?;
            return Ok(());
        }
        for s in &stale {
            eprintln!("{s}");
        }
        return Err(Failure::failed(format!(
            "{} of {} doc files in {} are not up to date; run `cargo run -p atgen -- doc --out {}`",
            stale.len(),
            pages.len(),
            args.out.display(),
            args.out.display()
        )));
    }

    std::fs::create_dir_all(&args.out)
        .map_err(|e| Failure::failed(format!("cannot create {}: {e}", args.out.display())))?;
    let mut written = 0;
    for (name, content) in &pages {
        let path = args.out.join(name);
        if matches!(state(&path, content)?, State::Fresh) {
            continue;
        }
        std::fs::write(&path, content)
            .map_err(|e| Failure::failed(format!("cannot write {}: {e}", path.display())))?;
        super::input::say(&format!("wrote {}", path.display()))?;
        written += 1;
    }
    super::input::say(&format!(
        "{written} written, {} unchanged, in {}",
        pages.len() - written,
        args.out.display()
    ))?;
    Ok(())
}

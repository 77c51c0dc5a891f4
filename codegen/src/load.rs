//! Reading spec files: TOML text → [`SpecFile`], syntax and unknown-key errors as diagnostics.

use crate::diag::{Diagnostic, Diagnostics, Source};
use crate::model::SpecFile;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One parsed spec file with its text.
#[derive(Debug)]
pub struct Loaded {
    pub source: Source,
    pub file: SpecFile,
}

/// Every `.toml` file under the given paths (directories are searched recursively), sorted.
pub fn spec_files(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            collect(p, &mut out)?;
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Whether a file that parsed declares nothing at all (empty, or only comments).
fn is_empty(f: &SpecFile) -> bool {
    f.family.is_none()
        && f.params.is_empty()
        && f.commands.is_empty()
        && f.urcs.is_empty()
        && f.tables.is_empty()
        && f.errata.is_empty()
        && f.socket.is_none()
        && f.simulator.is_none()
}

/// Parses one file's text; a syntax error or unknown key becomes a diagnostic.
// The error is a full report, built once per broken file: boxing it buys nothing.
#[allow(clippy::result_large_err)]
pub fn parse(path: &str, text: &str) -> Result<Loaded, Diagnostic> {
    let source = Source {
        path: path.to_string(),
        text: Arc::from(text),
    };
    match toml::from_str::<SpecFile>(text) {
        Ok(file) if is_empty(&file) => Err(Diagnostic::new(&source, 0..0, "empty spec file")
            .label("nothing here")
            .help("a spec file declares a [family] (spec/README.md) or shared [[tables]] (under shared/)")),
        Ok(file) => Ok(Loaded { source, file }),
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let message = e.message().trim().to_string();
            let help = if message.starts_with("unknown field") {
                "see spec/README.md for the keys each table takes"
            } else if message.contains("unknown variant") {
                "use one of the values listed above"
            } else if message.starts_with("missing field") {
                "add the key; spec/README.md describes it"
            } else {
                "fix the TOML syntax"
            };
            Err(Diagnostic::new(&source, span, message)
                .label("here")
                .help(help))
        }
    }
}

/// Reads and parses every file; returns the files that parsed and a diagnostic for each that did not.
pub fn load(paths: &[PathBuf]) -> (Vec<Loaded>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut out = Vec::new();
    let files = match spec_files(paths) {
        Ok(f) => f,
        Err(e) => {
            let source = Source {
                path: paths
                    .first()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                text: Arc::from(""),
            };
            diags.push(Diagnostic::new(
                &source,
                0..0,
                format!("cannot read spec: {e}"),
            ));
            return (out, diags);
        }
    };
    if files.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        let source = Source {
            path: shown.join(", "),
            text: Arc::from(""),
        };
        diags.push(
            Diagnostic::new(
                &source,
                0..0,
                "no spec files: expected `<family-id>.toml` files (and shared tables under shared/)",
            )
            .help("point at the spec directory, e.g. `atgen spec check spec`"),
        );
        return (out, diags);
    }
    for path in files {
        let shown = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => match parse(&shown, &text) {
                Ok(l) => out.push(l),
                Err(d) => diags.push(d),
            },
            Err(e) => {
                let source = Source {
                    path: shown,
                    text: Arc::from(""),
                };
                diags.push(Diagnostic::new(&source, 0..0, format!("cannot read: {e}")));
            }
        }
    }
    (out, diags)
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_empty_spec_file_is_an_error() {
        for text in ["", "\n  \n", "# only a comment\n"] {
            let Err(e) = super::parse("empty.toml", text) else {
                panic!("{text:?} is accepted");
            };
            assert_eq!(e.message, "empty spec file", "{text:?}");
            assert!(e.render().contains("empty.toml"));
        }
    }
}

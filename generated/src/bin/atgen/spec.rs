//! `atgen spec check` and `atgen spec show`.

use super::{family, spec_json, Failure};
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum SpecCommand {
    /// Validate spec files (default: spec/); every diagnostic on stderr, exit 1 if any.
    Check {
        /// Spec files or directories.
        paths: Vec<PathBuf>,
    },
    /// Print one family's resolved spec (shared tables merged in) as JSON.
    Show {
        /// Family id, e.g. quectel-ec2x.
        #[arg(long)]
        family: String,
        /// Read the spec from these files or directories instead of the built-in one.
        #[arg(long, num_args = 1..)]
        spec: Option<Vec<PathBuf>>,
    },
}

pub fn run(cmd: SpecCommand) -> Result<(), Failure> {
    match cmd {
        SpecCommand::Check { paths } => {
            let paths = if paths.is_empty() {
                vec![PathBuf::from("spec")]
            } else {
                paths
            };
            super::require_paths(&paths)?;
            let (files, mut diags) = atgen_codegen::load::load(&paths);
            diags.0.extend(atgen_codegen::validate::check(&files).0);
            if diags.is_empty() {
                if let Err(d) = atgen_codegen::validate::resolve(&files) {
                    diags = d;
                }
            }
            if diags.is_empty() {
                let families = files.iter().filter(|f| f.file.family.is_some()).count();
                super::input::say(&format!(
                    "spec ok: {} files, {families} families",
                    files.len()
                ))?;
                Ok(())
            } else {
                eprintln!("{}", diags.render());
                Err(Failure::failed(format!(
                    "{} problem(s) in the spec",
                    diags.len()
                )))
            }
        }
        SpecCommand::Show { family: id, spec } => {
            let spec = spec_json(&spec)?;
            let fam = family(&spec, &id)?;
            let text =
                serde_json::to_string_pretty(fam).map_err(|e| Failure::failed(e.to_string()))?;
            super::input::say(&text)?;
            Ok(())
        }
    }
}

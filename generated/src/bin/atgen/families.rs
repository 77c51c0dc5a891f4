//! `atgen families`.

use super::{spec_json, Failure};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Read the spec from these files or directories instead of the built-in one.
    #[arg(long, num_args = 1..)]
    spec: Option<Vec<PathBuf>>,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let spec = spec_json(&args.spec)?;
    let Some(families) = spec["families"].as_object() else {
        return Err(Failure::failed("the spec has no families"));
    };
    for (id, f) in families {
        let modules: Vec<&str> = f["modules"]
            .as_array()
            .map(|a| a.iter().filter_map(|m| m.as_str()).collect())
            .unwrap_or_default();
        let manual = &f["manual"];
        let version = manual["version"]
            .as_str()
            .map(|v| format!(" V{v}"))
            .unwrap_or_default();
        super::input::say(&format!(
            "{id}\t{}\t{}{version} ({})",
            modules.join(", "),
            manual["title"].as_str().unwrap_or(""),
            manual["file"].as_str().unwrap_or(""),
        ))?;
    }
    Ok(())
}

//! `atgen gen --family ID`: the generated Rust code of one family, for reading.

use super::{spec_json, Failure};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Family id, e.g. quectel-ec2x.
    #[arg(long)]
    family: String,
    /// Read the spec from these files or directories instead of the built-in one.
    #[arg(long, num_args = 1..)]
    spec: Option<Vec<PathBuf>>,
}

pub fn run(args: Args) -> Result<(), Failure> {
    // Validate the id against the spec first, so an unknown id is a usage error.
    let json = spec_json(&args.spec)?;
    super::family(&json, &args.family)?;
    let spec = super::spec_ir(&args.spec)?;
    let fam = spec
        .families
        .get(&args.family)
        .ok_or_else(|| Failure::usage(format!("unknown family `{}`", args.family)))?;
    let code = atgen_codegen::emit::rust::family_source(fam)
        .map_err(|e| Failure::failed(e.to_string()))?;
    super::input::say(code.trim_end())
}

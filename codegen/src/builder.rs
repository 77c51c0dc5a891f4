//! The build-script API: generate typed APIs from spec files in a crate's `build.rs`,
//! in the manner of prost-build.
//!
//! In the `build.rs` of a crate that depends on `atgen-runtime` and builds from
//! its own TOML (its `src/lib.rs` then holds `include!(concat!(env!("OUT_DIR"), "/atgen.rs"));`):
//!
//! ```no_run
//! if let Err(e) = atgen_codegen::Builder::new()
//!     .spec("spec/my-family.toml")
//!     .generate()
//! {
//!     eprintln!("{e}");
//!     std::process::exit(1);
//! }
//! ```
//!
//! The output file holds one module per family (named like the family id, `-` as
//! `_`), the family registry (`FAMILIES`, `with_family!`, `for_each_family!`) and
//! is written only when its content changed, so cargo does not rebuild for nothing.
//! A spec with mistakes fails with every diagnostic (`file:line:col`, snippet, help).

use crate::diag::Diagnostics;
use crate::ir::Spec;
use std::fmt;
use std::path::{Path, PathBuf};

/// Why generation failed.
#[derive(Debug)]
pub enum BuildError {
    /// The spec has mistakes; every diagnostic, rendered.
    Spec(Diagnostics),
    /// The spec is valid but could not be turned into Rust.
    Emit(crate::emit::rust::EmitError),
    /// The spec has mistakes and a stub without families was written instead
    /// ([`Builder::stub_on_error`]); every diagnostic, rendered.
    Stubbed(Diagnostics),
    /// No output directory: neither [`Builder::out_dir`] nor `OUT_DIR`.
    NoOutDir,
    /// Writing a file failed.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Spec(d) | BuildError::Stubbed(d) => write!(f, "{}", d.render()),
            BuildError::Emit(e) => write!(f, "{e}"),
            BuildError::NoOutDir => f.write_str(
                "no output directory: call Builder::out_dir, or run from a build script (OUT_DIR)",
            ),
            BuildError::Io { path, source } => {
                write!(f, "cannot write {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for BuildError {}

/// Which families of the spec are generated.
#[derive(Debug, Clone)]
enum Select {
    All,
    /// The families whose cargo feature (named like the id) is on, or every family
    /// while the feature `all` (given) is on.
    CargoFeatures {
        all: Option<String>,
    },
    Only(Vec<String>),
}

/// What a successful [`Builder::generate`] produced.
#[derive(Debug)]
pub struct Generated {
    /// The resolved spec (the IR), with spec file paths relative to the root.
    pub spec: Spec,
    /// The family ids generated.
    pub families: Vec<String>,
    /// The files written or found unchanged.
    pub files: Vec<PathBuf>,
}

/// Generates Rust from spec files. See the [module documentation](self).
#[derive(Debug, Clone)]
pub struct Builder {
    specs: Vec<PathBuf>,
    out_dir: Option<PathBuf>,
    root: Option<PathBuf>,
    file_name: String,
    select: Select,
    json: Option<String>,
    cargo: bool,
    stub_feature: Option<String>,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    pub fn new() -> Self {
        Builder {
            specs: Vec::new(),
            out_dir: None,
            root: None,
            file_name: "atgen.rs".into(),
            select: Select::All,
            json: None,
            cargo: true,
            stub_feature: None,
        }
    }

    /// A spec file, or a directory searched for `.toml` files (repeatable).
    pub fn spec(mut self, path: impl Into<PathBuf>) -> Self {
        self.specs.push(path.into());
        self
    }

    /// Where the generated file goes (default: `OUT_DIR`).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Spec file paths in generated docs are shown relative to this directory
    /// (default: `CARGO_MANIFEST_DIR`), never as absolute build paths.
    pub fn root(mut self, dir: impl Into<PathBuf>) -> Self {
        self.root = Some(dir.into());
        self
    }

    /// The generated file's name in the output directory (default `atgen.rs`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = name.into();
        self
    }

    /// Generates the families whose cargo feature of the same name is on; with
    /// `all` set, every family while that feature is on.
    pub fn cargo_features(mut self, all: Option<&str>) -> Self {
        self.select = Select::CargoFeatures {
            all: all.map(str::to_string),
        };
        self
    }

    /// Generates only these family ids.
    pub fn only<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Self {
        self.select = Select::Only(ids.into_iter().map(Into::into).collect());
        self
    }

    /// Also writes the resolved spec (IR) as JSON under this file name.
    pub fn json(mut self, name: impl Into<String>) -> Self {
        self.json = Some(name.into());
        self
    }

    /// When the spec does not validate and this cargo feature is on, writes a
    /// registry without families (its `SPEC_PROBLEMS` holding the diagnostics)
    /// and returns [`BuildError::Stubbed`], so the crate still builds and a tool
    /// made from it (the CLI's `spec check`) can show the problems. Without the
    /// feature a broken spec fails the build.
    pub fn stub_on_error(mut self, feature: impl Into<String>) -> Self {
        self.stub_feature = Some(feature.into());
        self
    }

    /// Whether to print `cargo:rerun-if-changed` lines (default: yes).
    pub fn cargo_metadata(mut self, on: bool) -> Self {
        self.cargo = on;
        self
    }

    fn enabled(&self, id: &str) -> bool {
        match &self.select {
            Select::All => true,
            Select::Only(ids) => ids.iter().any(|i| i == id),
            Select::CargoFeatures { all } => {
                let var = |name: &str| {
                    let key = format!(
                        "CARGO_FEATURE_{}",
                        name.to_ascii_uppercase().replace('-', "_")
                    );
                    std::env::var_os(key).is_some()
                };
                all.as_deref().is_some_and(var) || var(id)
            }
        }
    }

    /// Loads and validates the spec, writes the generated code (and JSON), and returns the IR.
    pub fn generate(self) -> Result<Generated, BuildError> {
        if self.cargo {
            for p in &self.specs {
                println!("cargo:rerun-if-changed={}", p.display());
            }
            if let Ok(files) = crate::load::spec_files(&self.specs) {
                for f in files {
                    println!("cargo:rerun-if-changed={}", f.display());
                }
            }
        }
        let mut spec = match crate::load_spec(&self.specs) {
            Ok(spec) => spec,
            Err(diags) => return Err(self.stub(diags)),
        };
        let root = self
            .root
            .clone()
            .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from));
        if let Some(root) = &root {
            relativize(&mut spec, root);
        }
        let out = self
            .out_dir
            .clone()
            .or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from))
            .ok_or(BuildError::NoOutDir)?;
        let code = crate::emit::rust::all_families(&spec, &|id| self.enabled(id))
            .map_err(BuildError::Emit)?;
        let mut files = Vec::new();
        let path = out.join(&self.file_name);
        write_if_changed(&path, code.as_bytes())?;
        files.push(path);
        if let Some(name) = &self.json {
            let json = serde_json::to_string(&spec).map_err(|e| BuildError::Io {
                path: out.join(name),
                source: std::io::Error::other(e),
            })?;
            let path = out.join(name);
            write_if_changed(&path, json.as_bytes())?;
            files.push(path);
        }
        let families = spec
            .families
            .keys()
            .filter(|id| self.enabled(id))
            .cloned()
            .collect();
        Ok(Generated {
            spec,
            families,
            files,
        })
    }
}

impl Builder {
    /// A broken spec: the stub when its feature is on (see [`Builder::stub_on_error`]).
    fn stub(&self, diags: Diagnostics) -> BuildError {
        let on = self.stub_feature.as_deref().is_some_and(|f| {
            let key = format!("CARGO_FEATURE_{}", f.to_ascii_uppercase().replace('-', "_"));
            std::env::var_os(key).is_some()
        });
        let out = self
            .out_dir
            .clone()
            .or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from));
        let (true, Some(out)) = (on, out) else {
            return BuildError::Spec(diags);
        };
        let Ok(code) = crate::emit::rust::broken_spec(&diags.render()) else {
            return BuildError::Spec(diags);
        };
        let mut files = vec![(out.join(&self.file_name), code)];
        if let Some(name) = &self.json {
            files.push((out.join(name), "{\"families\":{}}".to_string()));
        }
        for (path, text) in files {
            if let Err(e) = write_if_changed(&path, text.as_bytes()) {
                return e;
            }
        }
        BuildError::Stubbed(diags)
    }
}

/// `path` relative to `root` with `/` separators, when it lies under it.
fn relative(path: &str, root: &Path) -> String {
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (p, r) = (abs(Path::new(path)), abs(root));
    match p.strip_prefix(&r) {
        Ok(rel) => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => path.to_string(),
    }
}

fn relativize(spec: &mut Spec, root: &Path) {
    for fam in spec.families.values_mut() {
        fam.spec_file = relative(&fam.spec_file, root);
        for t in fam.tables.values_mut() {
            t.spec_file = relative(&t.spec_file, root);
        }
    }
}

/// Writes only when the content changed, so cargo does not rebuild for nothing.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<(), BuildError> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    std::fs::write(path, bytes).map_err(|source| BuildError::Io {
        path: path.to_path_buf(),
        source,
    })
}

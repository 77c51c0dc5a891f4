//! Validation in small named passes. Each pass reads the raw model, pushes a
//! diagnostic for every problem it finds and keeps going, so one run reports
//! every mistake. Only a spec with no diagnostics is lowered to the IR.

mod family_ids;
mod form_keys;
mod lower;
mod names_unique;
mod references;
mod simulator;
mod socket_roles;
mod templates;
mod values_checked;

use crate::diag::{Diagnostic, Diagnostics, Source};
use crate::ir::Spec;
use crate::load::{load, Loaded};
use crate::model::{Family, Param, Table};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;
use toml::Spanned;

/// What every pass sees: the parsed files and the tables and families found in them.
pub struct Ctx<'a> {
    pub files: &'a [Loaded],
    /// Table id → (file index, table): the first declaration of each id.
    pub tables: BTreeMap<&'a str, (usize, &'a Spanned<Table>)>,
}

impl<'a> Ctx<'a> {
    fn new(files: &'a [Loaded]) -> Self {
        let mut tables = BTreeMap::new();
        for (i, f) in files.iter().enumerate() {
            for t in &f.file.tables {
                tables
                    .entry(t.get_ref().id.get_ref().as_str())
                    .or_insert((i, t));
            }
        }
        Ctx { files, tables }
    }

    /// Files that declare a family, with it.
    pub fn families(&self) -> impl Iterator<Item = (&'a Loaded, &'a Spanned<Family>)> {
        self.files
            .iter()
            .filter_map(|f| f.file.family.as_ref().map(|fam| (f, fam)))
    }

    /// The tables a family can see: its own and the shared ones it `uses`.
    pub fn table_for(&self, file: &'a Loaded, id: &str) -> Option<&'a Spanned<Table>> {
        if let Some(t) = file
            .file
            .tables
            .iter()
            .find(|t| t.get_ref().id.get_ref() == id)
        {
            return Some(t);
        }
        let fam = file.file.family.as_ref()?;
        if fam.get_ref().uses.iter().any(|u| u.get_ref() == id) {
            return self.tables.get(id).map(|(_, t)| *t);
        }
        None
    }
}

/// A span of a `Spanned`.
pub(crate) fn sp<T>(s: &Spanned<T>) -> Range<usize> {
    s.span()
}

/// The span of a byte offset inside a TOML string value, past its opening quote(s).
pub(crate) fn inner(source: &Source, string: Range<usize>, at: usize, len: usize) -> Range<usize> {
    let text: &str = &source.text;
    let open = match text.get(string.start..) {
        Some(t) if t.starts_with("'''") || t.starts_with("\"\"\"") => 3,
        _ => 1,
    };
    let start = (string.start + open + at).min(string.end);
    start..(start + len).min(string.end)
}

/// The span of the `index`-th item of a TOML inline array of numbers (`[0, 550, 565]`);
/// the whole array when it cannot be found.
pub(crate) fn array_item(source: &Source, array: Range<usize>, index: usize) -> Range<usize> {
    let Some(text) = source.text.get(array.clone()) else {
        return array;
    };
    let mut items = Vec::new();
    let mut start = None;
    let mut end = 0;
    let mut comment = false;
    for (i, c) in text.char_indices() {
        match c {
            '\n' => comment = false,
            _ if comment => {}
            '#' => comment = true,
            '[' | ']' | ',' => {
                if let Some(s) = start.take() {
                    items.push(s..end);
                }
            }
            c if c.is_whitespace() => {}
            _ => {
                start.get_or_insert(i);
                end = i + c.len_utf8();
            }
        }
    }
    match items.get(index) {
        Some(r) => array.start + r.start..array.start + r.end,
        None => array,
    }
}

/// Looks up a declared parameter of a family file.
pub(crate) fn param<'a>(file: &'a Loaded, name: &str) -> Option<&'a Spanned<Param>> {
    file.file
        .params
        .iter()
        .find(|(k, _)| k.get_ref() == name)
        .map(|(_, v)| v)
}

/// The command ids a file declares.
pub(crate) fn command_ids(file: &Loaded) -> Vec<&str> {
    file.file
        .commands
        .iter()
        .map(|c| c.get_ref().id.get_ref().as_str())
        .collect()
}

/// The URC ids a file declares.
pub(crate) fn urc_ids(file: &Loaded) -> Vec<&str> {
    file.file
        .urcs
        .iter()
        .map(|u| u.get_ref().id.get_ref().as_str())
        .collect()
}

/// `what` names a command id the file does not declare.
pub(crate) fn unknown_command(file: &Loaded, id: &Spanned<String>, what: &str) -> Diagnostic {
    let known = command_ids(file);
    diag(
        &file.source,
        sp(id),
        format!(
            "{what} names `{}`, which is not a command of this file",
            id.get_ref()
        ),
    )
    .label("unknown command")
    .help(format!("known commands: {}", known.join(", ")))
}

type Pass = fn(&Ctx, &mut Diagnostics);

/// The passes, in order.
const PASSES: &[(&str, Pass)] = &[
    ("family_ids", family_ids::run),
    ("names_unique", names_unique::run),
    ("values_checked", values_checked::run),
    ("templates", templates::run),
    ("references", references::run),
    ("form_keys", form_keys::run),
    ("socket_roles", socket_roles::run),
    ("simulator", simulator::run),
];

/// Runs every pass over parsed files; the diagnostics come in file and position order.
pub fn check(files: &[Loaded]) -> Diagnostics {
    let ctx = Ctx::new(files);
    let mut diags = Diagnostics::default();
    for (_, pass) in PASSES {
        pass(&ctx, &mut diags);
    }
    // Stable: diagnostics at the same place keep their pass order.
    diags
        .0
        .sort_by(|a, b| (&a.source.path, a.span.start).cmp(&(&b.source.path, b.span.start)));
    diags
}

/// Validates parsed files and lowers them to the IR.
pub fn resolve(files: &[Loaded]) -> Result<Spec, Diagnostics> {
    let diags = check(files);
    if !diags.is_empty() {
        return Err(diags);
    }
    lower::lower(&Ctx::new(files))
}

/// Reads, validates and lowers every spec file under `paths`.
pub fn load_spec(paths: &[PathBuf]) -> Result<Spec, Diagnostics> {
    let (files, mut diags) = load(paths);
    let more = check(&files);
    diags.0.extend(more.0);
    if !diags.is_empty() {
        return Err(diags);
    }
    lower::lower(&Ctx::new(&files))
}

/// Shorthand for a new diagnostic.
pub(crate) fn diag(source: &Source, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(source, span, message)
}

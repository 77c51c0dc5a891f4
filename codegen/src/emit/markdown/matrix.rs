//! The cross-family matrix: which family has which command, QSSLCFG
//! sub-command and URC. Commands are matched by name and sub-command
//! keyword; rows keep the manuals' order, merged across families.

use super::text::{code, link, slug, Table};
use super::{commands, page, urcs};
use crate::ir::{Command, Family, Spec, Urc};
use std::collections::BTreeMap;

/// What makes two families' commands the same row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RowKey {
    pub name: String,
    pub sub: Option<String>,
    /// For a second command with the same name and sub-command in one family
    /// (BC26's query-all `AT+QSSLCFG=<contextID>,<connectID>`): its first syntax.
    pub variant: Option<String>,
}

impl RowKey {
    /// `AT+QSSLCFG "sslversion"`, for headings; a variant is named by its syntax.
    pub fn label(&self) -> String {
        match (&self.variant, &self.sub) {
            (Some(v), _) => v.clone(),
            (None, Some(s)) => format!("AT+{} \"{s}\"", self.name),
            (None, None) => format!("AT+{}", self.name),
        }
    }

    /// The anchor of this row's differences in README.md.
    pub fn diff_anchor(&self) -> String {
        let mut s = format!("diff-{}", self.name);
        if let Some(sub) = &self.sub {
            s.push('-');
            s.push_str(sub);
        }
        if let Some(v) = &self.variant {
            s.push('-');
            s.push_str(v);
        }
        let s = slug(&s);
        // Collapse the dashes left by punctuation.
        let mut out = String::new();
        for c in s.chars() {
            if !(c == '-' && out.ends_with('-')) {
                out.push(c);
            }
        }
        out.trim_end_matches('-').to_string()
    }
}

/// One row: the command of each family that has it.
pub struct Row<'a> {
    pub key: RowKey,
    pub cmds: BTreeMap<&'a str, &'a Command>,
}

/// The row keys of one family's commands, in the manual's order.
fn keyed(fam: &Family) -> Vec<(RowKey, &Command)> {
    let mut out: Vec<(RowKey, &Command)> = Vec::new();
    for cmd in &fam.commands {
        let mut key = RowKey {
            name: cmd.name.clone(),
            sub: cmd.sub.clone(),
            variant: None,
        };
        if out.iter().any(|(k, _)| *k == key) {
            let syntax = cmd
                .forms
                .first()
                .map_or_else(|| cmd.id.clone(), |f| f.syntax.clone());
            key.variant = Some(syntax);
        }
        out.push((key, cmd));
    }
    out
}

/// Families in the order their lists are merged: most commands first, then by id.
fn merge_order(spec: &Spec) -> Vec<&Family> {
    let mut fams: Vec<&Family> = spec.families.values().collect();
    fams.sort_by(|a, b| {
        b.commands
            .len()
            .cmp(&a.commands.len())
            .then_with(|| a.id.cmp(&b.id))
    });
    fams
}

/// Merges ordered lists: an item new to the result goes right after the
/// previous item of its own list, so every manual's order is kept.
fn merge<K: PartialEq + Clone>(lists: Vec<Vec<K>>) -> Vec<K> {
    let mut out: Vec<K> = Vec::new();
    for list in lists {
        let mut cursor: Option<usize> = None;
        for k in list {
            match out.iter().position(|o| *o == k) {
                Some(i) => cursor = Some(i),
                None => {
                    let at = cursor.map_or(out.len(), |c| c + 1);
                    out.insert(at, k);
                    cursor = Some(at);
                }
            }
        }
    }
    out
}

/// Every command and QSSLCFG sub-command of every family, one row each:
/// command names in the manuals' merged order, and under each name its
/// sub-commands in the manuals' merged order.
pub fn rows(spec: &Spec) -> Vec<Row<'_>> {
    let fams = merge_order(spec);
    let keyed_fams: Vec<Vec<RowKey>> = fams
        .iter()
        .map(|f| keyed(f).into_iter().map(|(k, _)| k).collect())
        .collect();
    let names = merge(
        keyed_fams
            .iter()
            .map(|keys| {
                let mut names: Vec<String> = Vec::new();
                for k in keys {
                    if !names.contains(&k.name) {
                        names.push(k.name.clone());
                    }
                }
                names
            })
            .collect(),
    );
    let mut keys: Vec<RowKey> = Vec::new();
    for name in &names {
        keys.extend(merge(
            keyed_fams
                .iter()
                .map(|ks| ks.iter().filter(|k| &k.name == name).cloned().collect())
                .collect(),
        ));
    }
    let mut rows: Vec<Row<'_>> = keys
        .into_iter()
        .map(|key| Row {
            key,
            cmds: BTreeMap::new(),
        })
        .collect();
    for fam in spec.families.values() {
        for (key, cmd) in keyed(fam) {
            if let Some(r) = rows.iter_mut().find(|r| r.key == key) {
                r.cmds.insert(fam.id.as_str(), cmd);
            }
        }
    }
    rows
}

/// The command matrix; `with_diff(row)` says whether a row has differences to link to.
pub fn commands_table(
    spec: &Spec,
    rows: &[Row<'_>],
    with_diff: impl Fn(&Row<'_>) -> bool,
) -> String {
    let mut header = vec!["Command".to_string(), "Sub-command".to_string()];
    header.extend(spec.families.keys().map(|id| code(id)));
    header.push("Differences".into());
    let mut t = Table::new(header);
    for r in rows {
        let mut sub = r
            .key
            .sub
            .as_deref()
            .map(|s| code(&format!("\"{s}\"")))
            .unwrap_or_default();
        if let Some(v) = &r.key.variant {
            if !sub.is_empty() {
                sub.push(' ');
            }
            sub.push_str(&code(v));
        }
        let mut cells = vec![code(&format!("AT+{}", r.key.name)), sub];
        for id in spec.families.keys() {
            cells.push(match r.cmds.get(id.as_str()) {
                Some(cmd) => link(
                    "✓",
                    &format!("{}#{}", page::file_name(id), commands::anchor_id(&cmd.id)),
                ),
                None => "—".into(),
            });
        }
        cells.push(if with_diff(r) {
            link("differences", &format!("#{}", r.key.diff_anchor()))
        } else {
            String::new()
        });
        t.row(cells);
    }
    t.render()
}

/// The URC matrix: URCs matched by their spec id, cells show each family's line.
pub fn urcs_table(spec: &Spec) -> String {
    let fams = merge_order(spec);
    let lists: Vec<Vec<String>> = fams
        .iter()
        .map(|f| f.urcs.iter().map(|u| u.id.clone()).collect())
        .collect();
    let ids = merge(lists);
    let mut header = vec!["URC".to_string()];
    header.extend(spec.families.keys().map(|id| code(id)));
    let mut t = Table::new(header);
    for id in ids {
        let mut cells = vec![code(&id)];
        for fam in spec.families.values() {
            let urc: Option<&Urc> = fam.urcs.iter().find(|u| u.id == id);
            cells.push(match urc {
                Some(u) => link(
                    &code(&u.line.template),
                    &format!("{}#{}", page::file_name(&fam.id), urcs::anchor_id(&u.id)),
                ),
                None => "—".into(),
            });
        }
        t.row(cells);
    }
    t.render()
}

#[cfg(test)]
mod tests {
    use super::merge;

    #[test]
    fn merge_keeps_each_lists_order() {
        let m = merge(vec![
            vec!["cfg", "open", "send", "close"],
            vec!["cfg", "write", "open", "close", "state"],
        ]);
        assert_eq!(m, vec!["cfg", "write", "open", "send", "close", "state"]);
    }
}

//! `README.md` of the docs: the families, the cross-family command and URC
//! matrices, and where the families differ.

use super::facts::language;
use super::text::{code, link, prose, Table};
use super::{differences, matrix, page, GENERATED};
use crate::ir::Spec;

pub const FILE_NAME: &str = "README.md";

pub fn render(spec: &Spec) -> String {
    let mut out = String::new();
    out.push_str(GENERATED);
    out.push_str("\n\n# atgen reference\n\n");
    out.push_str(
        "The SSL/TLS AT commands of each module family, as the atgen spec records them \
         from the vendors' manuals: every command, parameter, response, URC and table, \
         and every place where a manual contradicts itself (errata). \
         Generated from `spec/` by `atgen doc`; do not edit these files by hand, \
         edit the spec and run `cargo run -p atgen -- doc --out docs`.\n\n",
    );
    out.push_str("- [Families](#families)\n");
    out.push_str("- [Command matrix](#command-matrix)\n");
    out.push_str("- [URC matrix](#urc-matrix)\n");
    out.push_str("- [Differences between families](#differences-between-families)\n\n");

    out.push_str("## Families\n\n");
    out.push_str(&families(spec));
    out.push('\n');

    let rows = matrix::rows(spec);
    out.push_str("## Command matrix\n\n");
    out.push_str(
        "One row per command and per `AT+QSSLCFG` sub-command, matched across families by \
         command name and sub-command keyword. ✓ links to the command on the family's page; \
         — means the family's manual does not document it.\n\n",
    );
    out.push_str(&matrix::commands_table(spec, &rows, |r| {
        !differences::of_row(spec, r).is_empty()
    }));
    out.push('\n');

    out.push_str("## URC matrix\n\n");
    out.push_str("URCs matched by their spec id; each cell shows the family's line.\n\n");
    out.push_str(&matrix::urcs_table(spec));
    out.push('\n');

    out.push_str("## Differences between families\n\n");
    out.push_str(
        "For each command that two or more families document differently: the forms, the \
         order of the write arguments, and each argument's type, range, values, default and \
         unit. Arguments are matched by name (`SSL_version` = `sslversion`) and otherwise by \
         position where their types agree; each cell names the family's own parameter. \
         Long value lists are counted; the family pages list them.\n\n",
    );
    out.push_str(&differences::section(spec, &rows));
    out
}

fn families(spec: &Spec) -> String {
    let mut t = Table::new([
        "Family", "Title", "Modules", "Manual", "Language", "Commands", "URCs", "Errata",
    ]);
    for fam in spec.families.values() {
        let m = &fam.manual;
        let mut manual = prose(&m.title);
        let meta: Vec<String> = [
            m.version.as_deref().map(|v| format!("V{v}")),
            m.date.clone(),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !meta.is_empty() {
            manual.push_str(&format!(" ({})", prose(&meta.join(", "))));
        }
        t.row([
            link(&code(&fam.id), &page::file_name(&fam.id)),
            prose(&fam.title),
            prose(&fam.modules.join(", ")),
            manual,
            language(&m.language),
            fam.commands.len().to_string(),
            fam.urcs.len().to_string(),
            fam.errata.len().to_string(),
        ]);
    }
    t.render()
}

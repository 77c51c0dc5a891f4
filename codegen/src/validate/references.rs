//! Every reference resolves: shared tables, `values_from`, parameters named by
//! conditions and units, result URCs, completed commands and errata targets.

use super::{diag, param, sp, Ctx};
use crate::diag::Diagnostics;
use crate::load::Loaded;
use crate::model::Condition;
use toml::Spanned;

/// The hint naming the tables a family can use (only tables that exist).
fn known_tables(ctx: &Ctx, f: &Loaded) -> String {
    let mut ids: Vec<&str> = f
        .file
        .tables
        .iter()
        .map(|t| t.get_ref().id.get_ref().as_str())
        .collect();
    if let Some(fam) = &f.file.family {
        ids.extend(
            fam.get_ref()
                .uses
                .iter()
                .map(|u| u.get_ref().as_str())
                .filter(|u| ctx.tables.contains_key(u)),
        );
    }
    if ids.is_empty() {
        ids = ctx.tables.keys().copied().collect();
    }
    ids.sort_unstable();
    ids.dedup();
    tables_hint(&ids)
}

fn tables_hint(ids: &[&str]) -> String {
    if ids.is_empty() {
        "no table is declared: add it under [[tables]] here or in a shared file of spec/shared/"
            .into()
    } else {
        format!("known tables: {}", ids.join(", "))
    }
}

fn table_ref(ctx: &Ctx, f: &Loaded, r: &Spanned<String>, what: &str, diags: &mut Diagnostics) {
    if ctx.table_for(f, r.get_ref()).is_none() {
        let hint = if ctx.tables.contains_key(r.get_ref().as_str()) {
            format!(
                "the table exists in spec/shared/: add \"{}\" to `family.uses`",
                r.get_ref()
            )
        } else {
            known_tables(ctx, f)
        };
        diags.push(
            diag(
                &f.source,
                sp(r),
                format!(
                    "{what} names `{}`, which is not a table of this family",
                    r.get_ref()
                ),
            )
            .label("unknown table")
            .help(hint),
        );
    }
}

fn param_ref(f: &Loaded, r: &Spanned<String>, what: &str, diags: &mut Diagnostics) {
    if param(f, r.get_ref()).is_none() {
        diags.push(
            diag(
                &f.source,
                sp(r),
                format!(
                    "{what} names <{}>, which is not a declared parameter",
                    r.get_ref()
                ),
            )
            .label("undeclared")
            .help("declare it under [params] or fix the spelling"),
        );
    }
}

fn cond(f: &Loaded, c: &Option<Spanned<Condition>>, what: &str, diags: &mut Diagnostics) {
    if let Some(c) = c {
        param_ref(f, &c.get_ref().param, what, diags);
    }
}

pub fn run(ctx: &Ctx, diags: &mut Diagnostics) {
    for f in ctx.files {
        if let Some(fam) = &f.file.family {
            let fam = fam.get_ref();
            for u in &fam.uses {
                if !ctx.tables.contains_key(u.get_ref().as_str()) {
                    diags.push(
                        diag(&f.source, sp(u), format!("shared table `{}` does not exist", u.get_ref()))
                            .label("unknown table")
                            .help(if ctx.tables.is_empty() {
                                "no shared table is declared: declare it under [[tables]] in a file of spec/shared/".to_string()
                            } else {
                                tables_hint(&ctx.tables.keys().copied().collect::<Vec<_>>())
                            }),
                    );
                }
            }
            for e in &fam.errors {
                table_ref(ctx, f, e, "`family.errors`", diags);
            }
            if let Some(cs) = &fam.cipher_suites {
                table_ref(ctx, f, cs, "`family.cipher_suites`", diags);
            }
        }
        for (key, p) in &f.file.params {
            let p = p.get_ref();
            if let Some(vf) = &p.values_from {
                table_ref(
                    ctx,
                    f,
                    vf,
                    &format!("`values_from` of <{}>", key.get_ref()),
                    diags,
                );
            }
            if let Some(u) = &p.unit_by {
                param_ref(f, &u.get_ref().param, "`unit_by`", diags);
            }
            for rw in &p.range_when {
                param_ref(f, &rw.get_ref().param, "`range_when`", diags);
            }
            cond(f, &p.requires, "`requires`", diags);
        }
        let command_ids = super::command_ids(f);
        let urc_ids = super::urc_ids(f);
        for c in &f.file.commands {
            let c = c.get_ref();
            if let Some(t) = &c.max_response_time {
                if let Some(p) = &t.get_ref().plus {
                    param_ref(f, p, "`max_response_time.plus`", diags);
                }
            }
            if let Some(p) = c
                .result_wait
                .as_ref()
                .and_then(|w| w.get_ref().plus.as_ref())
            {
                param_ref(f, p, "`result_wait.plus`", diags);
            }
            for form in &c.forms {
                let fm = form.get_ref();
                if let Some(r) = &fm.result_urc {
                    if !urc_ids.contains(&r.get_ref().as_str()) {
                        diags.push(
                            diag(
                                &f.source,
                                sp(r),
                                format!("result URC `{}` is not declared", r.get_ref()),
                            )
                            .label("unknown URC")
                            .help(format!("declared URCs: {}", urc_ids.join(", "))),
                        );
                    }
                }
                cond(f, &fm.connect_when, "`connect_when`", diags);
                cond(f, &fm.result_when, "`result_when`", diags);
                if let Some(d) = &fm.data {
                    cond(f, &d.get_ref().hex_when, "`hex_when`", diags);
                    cond(f, &d.get_ref().secret_when, "`secret_when`", diags);
                }
                for l in fm
                    .responses
                    .iter()
                    .chain(fm.queries.iter().flat_map(|q| q.get_ref().responses.iter()))
                {
                    cond(
                        f,
                        &l.get_ref().payload_hex_when,
                        "`payload_hex_when`",
                        diags,
                    );
                }
            }
        }
        for u in &f.file.urcs {
            let u = u.get_ref();
            cond(f, &u.payload_hex_when, "`payload_hex_when`", diags);
            if let Some(c) = &u.completes {
                if !command_ids.contains(&c.get_ref().as_str()) {
                    diags.push(
                        diag(
                            &f.source,
                            sp(c),
                            format!("URC completes `{}`, which is not a command id", c.get_ref()),
                        )
                        .label("unknown command")
                        .help(format!("command ids: {}", command_ids.join(", "))),
                    );
                }
            }
        }
        for e in &f.file.errata {
            if let Some(a) = &e.get_ref().applies_to {
                let id = a.get_ref().as_str();
                if !command_ids.contains(&id) && !urc_ids.contains(&id) {
                    diags.push(
                        diag(&f.source, sp(a), format!("erratum applies to `{id}`, which is neither a command nor a URC id"))
                            .label("unknown id")
                            .help("name a [[commands]] or [[urcs]] id"),
                    );
                }
            }
        }
    }
}

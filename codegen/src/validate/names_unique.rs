//! Ids and names are well-formed and unique: command and URC ids, table ids,
//! Rust names, enumerated values and table entries.

use super::{diag, sp, Ctx};
use crate::diag::{Diagnostics, Source};
use crate::names::{is_kebab, is_snake, is_upper_camel, snake_case, upper_camel};
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

/// Reports the second and later uses of a key.
struct Unique<'a> {
    what: &'static str,
    seen: BTreeMap<String, (&'a Source, Range<usize>)>,
}

impl<'a> Unique<'a> {
    fn new(what: &'static str) -> Self {
        Unique {
            what,
            seen: BTreeMap::new(),
        }
    }

    /// Records a use; returns false (and reports) when the key was used before.
    fn add(
        &mut self,
        key: String,
        src: &'a Source,
        span: Range<usize>,
        diags: &mut Diagnostics,
    ) -> bool {
        if let Some((first_src, first)) = self.seen.get(&key) {
            diags.push(
                diag(src, span, format!("duplicate {} `{key}`", self.what))
                    .label("used again here")
                    .also(first_src, first.clone(), "first used here")
                    .help(format!("every {} must be unique", self.what)),
            );
            false
        } else {
            self.seen.insert(key, (src, span));
            true
        }
    }
}

fn check_ident(
    src: &Source,
    name: &Spanned<String>,
    ok: fn(&str) -> bool,
    kind: &str,
    example: &str,
    diags: &mut Diagnostics,
) {
    if !ok(name.get_ref()) {
        diags.push(
            diag(
                src,
                sp(name),
                format!("`{}` is not a valid {kind}", name.get_ref()),
            )
            .label(format!("not a {kind}"))
            .help(format!("write it like `{example}`")),
        );
    }
}

pub fn run(ctx: &Ctx, diags: &mut Diagnostics) {
    let mut tables = Unique::new("table id");
    for f in ctx.files {
        let src = &f.source;
        let mut commands = Unique::new("command id");
        let mut command_types = Unique::new("command Rust name");
        for c in &f.file.commands {
            let c = c.get_ref();
            check_ident(
                src,
                &c.id,
                is_snake,
                "snake_case id",
                "qsslcfg_sslversion",
                diags,
            );
            let new_id = commands.add(c.id.get_ref().clone(), src, sp(&c.id), diags);
            let rust = match &c.rust {
                Some(r) => {
                    check_ident(
                        src,
                        r,
                        is_upper_camel,
                        "Rust type name",
                        "SslVersion",
                        diags,
                    );
                    r.get_ref().clone()
                }
                // A duplicate id already reported: its derived type name clashes too, say it once.
                None if !new_id => continue,
                None => upper_camel(c.id.get_ref()),
            };
            command_types.add(rust, src, sp(c.rust.as_ref().unwrap_or(&c.id)), diags);
        }
        let mut urcs = Unique::new("URC id");
        for u in &f.file.urcs {
            let u = u.get_ref();
            check_ident(src, &u.id, is_snake, "snake_case id", "recv_push", diags);
            if let Some(r) = &u.rust {
                check_ident(src, r, is_upper_camel, "Rust type name", "RecvPush", diags);
            }
            urcs.add(u.id.get_ref().clone(), src, sp(&u.id), diags);
        }
        let mut fields = Unique::new("parameter Rust name");
        for (key, p) in &f.file.params {
            let p = p.get_ref();
            let rust = match &p.rust {
                Some(r) => {
                    check_ident(src, r, is_snake, "Rust field name", "ssl_ctx_id", diags);
                    r.get_ref().clone()
                }
                None => snake_case(p.name.as_deref().unwrap_or(key.get_ref())),
            };
            fields.add(rust, src, sp(p.rust.as_ref().unwrap_or(key)), diags);
            if let Some(values) = &p.values {
                let mut names = Unique::new("value name");
                let mut wire = Unique::new("value");
                for v in values {
                    let vv = v.get_ref();
                    check_ident(
                        src,
                        &vv.name,
                        is_upper_camel,
                        "Rust variant name",
                        "Tls1_2",
                        diags,
                    );
                    names.add(vv.name.get_ref().clone(), src, sp(&vv.name), diags);
                    wire.add(vv.value.to_string(), src, sp(v), diags);
                }
            }
        }
        for t in &f.file.tables {
            let t = t.get_ref();
            check_ident(
                src,
                &t.id,
                is_kebab,
                "kebab-case table id",
                "quectel-lte-ssl-errors",
                diags,
            );
            check_ident(
                src,
                &t.rust,
                is_upper_camel,
                "Rust type name",
                "SslError",
                diags,
            );
            tables.add(t.id.get_ref().clone(), src, sp(&t.id), diags);
            let mut codes = Unique::new("table code");
            let mut names = Unique::new("table entry name");
            for e in &t.entries {
                let e = e.get_ref();
                check_ident(
                    src,
                    &e.name,
                    is_upper_camel,
                    "Rust variant name",
                    "UnknownError",
                    diags,
                );
                codes.add(e.code.get_ref().to_string(), src, sp(&e.code), diags);
                names.add(e.name.get_ref().clone(), src, sp(&e.name), diags);
            }
        }
    }
}

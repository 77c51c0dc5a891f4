//! Family ids are kebab-case, unique, and match their file name; shared files hold only tables.

use super::{diag, sp, Ctx};
use crate::diag::Diagnostics;
use crate::names::is_kebab;
use std::collections::BTreeMap;
use std::path::Path;

pub fn run(ctx: &Ctx, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, (&crate::load::Loaded, std::ops::Range<usize>)> = BTreeMap::new();
    for f in ctx.files {
        let src = &f.source;
        let Some(fam) = &f.file.family else {
            // Each kind of family-only entry is reported once, at its first occurrence.
            let stray = [
                (
                    f.file.params.keys().map(sp).min_by_key(|r| r.start),
                    "[params]",
                ),
                (f.file.commands.first().map(sp), "[[commands]]"),
                (f.file.urcs.first().map(sp), "[[urcs]]"),
                (f.file.errata.first().map(sp), "[[errata]]"),
            ];
            for (first, what) in stray {
                if let Some(span) = first {
                    // Point at the entry's first line (`[[commands]]`), not the whole table.
                    let text: &str = &src.text;
                    let end = text
                        .get(span.start..span.end)
                        .and_then(|t| t.find('\n'))
                        .map_or(span.end, |i| span.start + i);
                    let span = span.start..end;
                    diags.push(
                        diag(src, span, format!("{what} in a file without [family]"))
                            .label("belongs to a family; this file has no [family] table")
                            .help("a shared file holds only [[tables]]; add a [family] table or move these into a family file"),
                    );
                }
            }
            continue;
        };
        let id = &fam.get_ref().id;
        let span = sp(id);
        if !is_kebab(id.get_ref()) {
            diags.push(
                diag(
                    src,
                    span.clone(),
                    format!("family id `{}` is not kebab-case", id.get_ref()),
                )
                .label("not kebab-case")
                .help("use lower-case letters, digits and single `-`, e.g. `quectel-ec2x`"),
            );
        }
        let stem = Path::new(&src.path)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("");
        if stem != id.get_ref() {
            diags.push(
                diag(
                    src,
                    span.clone(),
                    format!("family `{}` is declared in `{stem}.toml`", id.get_ref()),
                )
                .label("id and file name differ")
                .help(format!("name the file `{}.toml`", id.get_ref())),
            );
        }
        if let Some((first, first_span)) = seen.get(id.get_ref().as_str()) {
            diags.push(
                diag(
                    src,
                    span,
                    format!("family `{}` is declared twice", id.get_ref()),
                )
                .label("second declaration")
                .also(&first.source, first_span.clone(), "first declared here")
                .help("each family id is declared by exactly one spec file"),
            );
        } else {
            seen.insert(id.get_ref(), (f, span));
        }
        if fam.get_ref().manual.language != "en" && fam.get_ref().manual.language != "zh" {
            diags.push(
                diag(
                    src,
                    sp(fam),
                    format!(
                        "manual language `{}` is not `en` or `zh`",
                        fam.get_ref().manual.language
                    ),
                )
                .label("in this [family]")
                .help("write `language = \"en\"` or `language = \"zh\"`"),
            );
        }
    }
}

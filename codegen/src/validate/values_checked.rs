//! Ranges, defaults, enumerated values and their meanings make sense for each parameter's type.

use super::{array_item, diag, sp, Ctx};
use crate::diag::{Diagnostics, Source};
use crate::model::{Param, ParamType};
use toml::Spanned;

fn numeric(t: ParamType) -> bool {
    matches!(t, ParamType::Int | ParamType::Hex)
}

fn check_range(src: &Source, key: &str, r: &Spanned<[i64; 2]>, diags: &mut Diagnostics) {
    let [min, max] = *r.get_ref();
    if min > max {
        diags.push(
            diag(
                src,
                sp(r),
                format!("range of <{key}> has min {min} > max {max}"),
            )
            .label("min is greater than max")
            .help(format!(
                "write the range as [min, max], e.g. [{max}, {min}]"
            )),
        );
    }
}

pub fn run(ctx: &Ctx, diags: &mut Diagnostics) {
    for f in ctx.files {
        let src = &f.source;
        for (key, p) in &f.file.params {
            let name = key.get_ref().as_str();
            let pr: &Param = p.get_ref();
            let ty = *pr.ty.get_ref();
            if let Some(r) = &pr.range {
                check_range(src, name, r, diags);
                if !numeric(ty) {
                    diags.push(
                        diag(
                            src,
                            sp(r),
                            format!("<{name}> is a {ty:?} parameter and cannot have a range"),
                        )
                        .label("range on a non-integer")
                        .help("use `max_len` for strings, or change `type` to `int` or `hex`"),
                    );
                }
            }
            for rw in &pr.range_when {
                check_range(src, name, &rw.get_ref().range, diags);
            }
            if let Some(m) = &pr.max_len {
                if ty != ParamType::String {
                    diags.push(
                        diag(
                            src,
                            sp(m),
                            format!("`max_len` on <{name}>, which is not a string"),
                        )
                        .label("only strings have a length limit")
                        .help("use `range` for integers"),
                    );
                }
            }
            if pr.open_enum && !numeric(ty) {
                diags.push(
                    diag(src, sp(p), format!("`open_enum` on <{name}>, whose values are not integers"))
                        .label("in this parameter")
                        .help("only integer codes can be kept when unknown; list every string value instead"),
                );
            }
            if pr.hex.is_some() && ty != ParamType::Hex {
                diags.push(
                    diag(
                        src,
                        sp(p),
                        format!("`hex` format on <{name}>, which is not a hex parameter"),
                    )
                    .label("in this parameter")
                    .help("remove `hex`, or set `type = \"hex\"`"),
                );
            }
            if let (Some(v), Some(vf)) = (&pr.values, &pr.values_from) {
                diags.push(
                    diag(
                        src,
                        sp(vf),
                        format!("<{name}> has both `values` and `values_from`"),
                    )
                    .label("second source of values")
                    .also(src, v.first().map(sp).unwrap_or(0..0), "values given here")
                    .help("keep one: the table, or the inline list"),
                );
            }
            if pr.subset.is_some() && pr.values_from.is_none() {
                if let Some(s) = &pr.subset {
                    diags.push(
                        diag(
                            src,
                            sp(s),
                            format!("`subset` on <{name}> without `values_from`"),
                        )
                        .label("subset of nothing")
                        .help("add `values_from = \"<table id>\"`"),
                    );
                }
            }
            let mut allowed_ints: Vec<i64> = Vec::new();
            if let Some(values) = &pr.values {
                for v in values {
                    let vv = v.get_ref();
                    let fits = match (&vv.value, ty) {
                        (toml::Value::Integer(i), ParamType::Int | ParamType::Hex) => {
                            allowed_ints.push(*i);
                            true
                        }
                        (toml::Value::String(_), ParamType::String) => true,
                        _ => false,
                    };
                    if !fits {
                        diags.push(
                            diag(src, sp(v), format!("value {} does not fit <{name}> of type {ty:?}", vv.value))
                                .label("wrong value type")
                                .help("integer parameters take integer values, string parameters string values"),
                        );
                    }
                    if vv.meaning.as_deref().is_none_or(|m| m.trim().is_empty()) {
                        diags.push(
                            diag(
                                src,
                                sp(v),
                                format!("value {} of <{name}> has no meaning", vv.value),
                            )
                            .label("meaning missing")
                            .help("copy the manual's meaning: `meaning = \"…\"`"),
                        );
                    }
                    if let (Some(r), toml::Value::Integer(i)) = (&pr.range, &vv.value) {
                        let [min, max] = *r.get_ref();
                        if *i < min || *i > max {
                            diags.push(
                                diag(
                                    src,
                                    sp(v),
                                    format!("value {i} of <{name}> is outside {min}..={max}"),
                                )
                                .label("outside the range")
                                .also(src, sp(r), "range declared here")
                                .help("fix the value or the range"),
                            );
                        }
                    }
                }
            }
            if let Some(vf) = &pr.values_from {
                if let Some(t) = ctx.table_for(f, vf.get_ref()) {
                    let codes: Vec<i64> = t
                        .get_ref()
                        .entries
                        .iter()
                        .map(|e| *e.get_ref().code.get_ref())
                        .collect();
                    match &pr.subset {
                        Some(s) => {
                            for (i, c) in s.get_ref().iter().enumerate() {
                                if !codes.contains(c) {
                                    diags.push(
                                        diag(
                                            src,
                                            array_item(src, sp(s), i),
                                            format!(
                                                "subset code {c} of <{name}> is not in table `{}`",
                                                vf.get_ref()
                                            ),
                                        )
                                        .label("unknown code")
                                        .also(
                                            &ctx.files[ctx
                                                .tables
                                                .get(vf.get_ref().as_str())
                                                .map_or(0, |x| x.0)]
                                            .source,
                                            sp(&t.get_ref().id),
                                            "table declared here",
                                        )
                                        .help(
                                            "add the entry to the table or remove it from `subset`",
                                        ),
                                    );
                                }
                            }
                            allowed_ints.extend(s.get_ref().iter().copied());
                        }
                        None => allowed_ints.extend(codes),
                    }
                }
            }
            if let Some(s) = &pr.supported {
                if let Some(r) = &pr.range {
                    let [min, max] = *r.get_ref();
                    for (i, v) in s.get_ref().iter().enumerate() {
                        if *v < min || *v > max {
                            diags.push(
                                diag(
                                    src,
                                    array_item(src, sp(s), i),
                                    format!(
                                        "supported value {v} of <{name}> is outside {min}..={max}"
                                    ),
                                )
                                .label("outside the range")
                                .help("supported values narrow the range; they cannot widen it"),
                            );
                        }
                    }
                }
            }
            if let Some(d) = &pr.default {
                check_default(src, name, pr, d, &allowed_ints, diags);
            }
        }
    }
}

fn check_default(
    src: &Source,
    name: &str,
    pr: &Param,
    d: &Spanned<toml::Value>,
    allowed_ints: &[i64],
    diags: &mut Diagnostics,
) {
    let ty = *pr.ty.get_ref();
    match (d.get_ref(), ty) {
        (toml::Value::Integer(i), ParamType::Int | ParamType::Hex) => {
            if let Some(r) = &pr.range {
                let [min, max] = *r.get_ref();
                if *i < min || *i > max {
                    diags.push(
                        diag(
                            src,
                            sp(d),
                            format!("default {i} is outside {min}..={max} for <{name}>"),
                        )
                        .label("outside the range")
                        .also(src, sp(r), "range declared here")
                        .help("copy the default the manual underlines, inside the range"),
                    );
                }
            }
            let enumerated = pr.values.is_some() || pr.values_from.is_some();
            if enumerated && !allowed_ints.contains(i) {
                diags.push(
                    diag(
                        src,
                        sp(d),
                        format!("default {i} is not one of the values of <{name}>"),
                    )
                    .label("not an enumerated value")
                    .help(format!("allowed: {}", list(allowed_ints))),
                );
            }
        }
        (toml::Value::String(s), ParamType::String) => {
            if let Some(values) = &pr.values {
                if !values.iter().any(|v| v.get_ref().value.as_str() == Some(s)) {
                    diags.push(
                        diag(
                            src,
                            sp(d),
                            format!("default \"{s}\" is not one of the values of <{name}>"),
                        )
                        .label("not an enumerated value")
                        .help("use one of the `values`"),
                    );
                }
            }
        }
        (v, _) => diags.push(
            diag(
                src,
                sp(d),
                format!("default {v} does not fit <{name}> of type {ty:?}"),
            )
            .label("wrong type")
            .help("integer parameters take an integer default, strings a string"),
        ),
    }
}

fn list(v: &[i64]) -> String {
    v.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

//! Descriptor statics: the spec as `rt::desc` data (parameters, tables, and the
//! family's index of forms, URCs and lines). Templates, lines and forms are
//! emitted next to the types they describe (`lines.rs`, `requests.rs`, `urcs.rs`).

use super::fields::{enum_values, expected, kind, type_bounds, Kind, Repr};
use super::EmitError;
use crate::ir::{Condition, Family, Literal, Param, Table};
use crate::model::{ParamType, TableKind};
use crate::names::upper_camel;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// `SCREAMING_SNAKE` of an `UpperCamel` type name: the name of its descriptor static.
pub fn static_name(type_name: &str) -> Ident {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in type_name.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_uppercase());
    }
    Ident::new(&out, Span::call_site())
}

/// The static of a parameter's descriptor, from its key.
pub fn param_static(key: &str) -> Ident {
    static_name(&format!(
        "Param{}",
        upper_camel(&key.replace(['/', '-'], "_"))
    ))
}

/// The static of a table's descriptor.
pub fn table_static(t: &Table) -> Ident {
    static_name(&format!("Table{}", t.rust))
}

/// Milliseconds per unit of a time unit as the manuals write it.
pub fn unit_ms(unit: Option<&str>) -> u64 {
    match unit.map(str::trim) {
        Some("ms") | Some("毫秒") => 1,
        Some("min") | Some("分钟") => 60_000,
        _ => 1000,
    }
}

/// `(param, equals)` of a condition, naming the parameter as the manual does:
/// the arguments of the descriptors' `.hex_when(…)` and `.connect_when(…)`.
pub fn cond_args(fam: &Family, c: &Condition) -> TokenStream {
    let param = manual_name(fam, &c.param);
    let eq = int(c.equals);
    quote!(#param, #eq)
}

fn manual_name<'f>(fam: &'f Family, key: &'f str) -> &'f str {
    fam.params.get(key).map_or(key, |p| p.name.as_str())
}

fn ints(values: &[Literal]) -> Vec<i64> {
    values
        .iter()
        .filter_map(|v| match v {
            Literal::Int(i) => Some(*i),
            Literal::Str(_) => None,
        })
        .collect()
}

/// An integer literal without a type suffix (`5`, not `5i64`).
pub fn int(x: i64) -> proc_macro2::Literal {
    proc_macro2::Literal::i64_unsuffixed(x)
}

/// A small index literal.
pub fn index(x: usize) -> proc_macro2::Literal {
    proc_macro2::Literal::usize_unsuffixed(x)
}

fn param(fam: &Family, p: &Param) -> Result<TokenStream, EmitError> {
    let name = &p.name;
    let k = kind(fam, p, false)?;
    let kind_tok = match p.ty {
        ParamType::Int => quote!(Kind::Int),
        ParamType::Hex => quote!(Kind::Hex),
        ParamType::String => quote!(Kind::Str),
        ParamType::Bytes => quote!(Kind::Bytes),
    };
    let exp = expected(p, &k, fam);
    let mut chain = quote!(Param::new(#name, #kind_tok, #exp));
    if in_parens(fam, &p.key) {
        let exp = expected(p, &Kind::Supported, fam);
        chain.extend(quote!(.in_parens(#exp)));
    }
    if p.quoted {
        chain.extend(quote!(.quoted()));
    }
    if p.quotes_optional {
        chain.extend(quote!(.quotes_optional()));
    }
    if p.ty == ParamType::Hex && (p.hex.prefix != "0X" || p.hex.digits != 4 || p.hex.lowercase) {
        let (prefix, digits, lower) =
            (&p.hex.prefix, int(i64::from(p.hex.digits)), p.hex.lowercase);
        chain.extend(quote!(.hex(#prefix, #digits, #lower)));
    }
    if let Some((a, b)) = p.range {
        let (a, b) = (int(a), int(b));
        chain.extend(quote!(.range(#a, #b)));
    }
    if let Kind::Int { ty } | Kind::Hex { ty } = &k {
        let (lo, hi) = type_bounds(ty);
        if (lo, hi) != (i64::MIN, i64::MAX) {
            let (lo, hi) = (int(lo), int(hi));
            chain.extend(quote!(.bounds(#lo, #hi)));
        }
    }
    let all = enum_values(fam, p);
    let string_enum = matches!(
        k,
        Kind::Enum {
            repr: Repr::Str,
            ..
        }
    );
    if string_enum {
        let words: Vec<String> = all.iter().map(Literal::wire).collect();
        let meanings = p.values.iter().map(|v| {
            v.meaning_en
                .clone()
                .or_else(|| v.meaning.clone())
                .unwrap_or_default()
        });
        chain.extend(quote!(.words(&[#(#words),*]).meanings(&[#(#meanings),*])));
    } else if !all.is_empty() {
        let codes = ints(&all).into_iter().map(int);
        let meanings: Vec<String> = match p.values_from.as_ref().and_then(|t| fam.tables.get(t)) {
            Some(t) => t
                .entries
                .iter()
                .map(|e| e.en.clone().or_else(|| e.zh.clone()).unwrap_or_default())
                .collect(),
            None => p
                .values
                .iter()
                .map(|v| {
                    v.meaning_en
                        .clone()
                        .or_else(|| v.meaning.clone())
                        .unwrap_or_default()
                })
                .collect(),
        };
        chain.extend(quote!(.codes(&[#(#codes),*], &[#(#meanings),*])));
    }
    if p.values_from.is_some() || p.open_enum {
        chain.extend(quote!(.open()));
    }
    if let Some(t) = p.values_from.as_ref().and_then(|t| fam.tables.get(t)) {
        if p.values.len() != t.entries.len() {
            let sub = ints(&p.values.iter().map(|v| v.value.clone()).collect::<Vec<_>>())
                .into_iter()
                .map(int);
            chain.extend(quote!(.subset(&[#(#sub),*])));
        }
    }
    if let Some(s) = &p.supported {
        let note = p.supported_note.clone().unwrap_or_default();
        let s = s.iter().copied().map(int);
        chain.extend(quote!(.supported(&[#(#s),*], #note)));
    }
    if !p.range_when.is_empty() {
        let rws = p.range_when.iter().map(|rw| {
            let other = manual_name(fam, &rw.param);
            let (eq, min, max) = (int(rw.equals), int(rw.range.0), int(rw.range.1));
            quote!(RangeWhen::new(#other, #eq, #min, #max))
        });
        chain.extend(quote!(.range_when(&[#(#rws),*])));
    }
    if let Some(r) = &p.requires {
        let other = manual_name(fam, &r.param);
        let eq = int(r.equals);
        chain.extend(quote!(.requires(#other, #eq)));
    }
    if let Some(m) = p.max_len {
        let m = index(m as usize);
        chain.extend(quote!(.max_len(#m)));
    }
    if p.secret {
        chain.extend(quote!(.secret()));
    }
    if p.empty {
        chain.extend(quote!(.empty()));
    }
    if let Some(Literal::Int(d)) = &p.default {
        let d = int(*d);
        chain.extend(quote!(.default(#d)));
    }
    let unit = unit_ms(p.unit.as_deref());
    if unit != 1000 {
        let unit = proc_macro2::Literal::u64_unsuffixed(unit);
        chain.extend(quote!(.unit_ms(#unit)));
    }
    if let Some(u) = &p.unit_by {
        let other = manual_name(fam, &u.param);
        let pairs = u.units.iter().filter_map(|(k, v)| {
            let k = int(k.parse().ok()?);
            let ms = proc_macro2::Literal::u64_unsuffixed(unit_ms(Some(v)));
            Some(quote!((#k, #ms)))
        });
        chain.extend(quote!(.unit_by(#other, &[#(#pairs),*])));
    }
    let id = param_static(&p.key);
    let doc = format!(" `<{}>`", p.name);
    Ok(quote! {
        #[doc = #doc]
        pub static #id: Param = #chain;
    })
}

/// Whether a test response shows the parameter's supported values in parentheses.
fn in_parens(fam: &Family, key: &str) -> bool {
    fn any(tokens: &[crate::template::Token], key: &str) -> bool {
        use crate::template::Token;
        tokens.iter().any(|t| match t {
            Token::Supported { name, .. } => name == key,
            Token::Optional { tokens } => any(tokens, key),
            _ => false,
        })
    }
    fam.response_lines().any(|l| any(&l.tokens, key))
}

/// Every parameter's and table's descriptor static.
pub fn params_and_tables(fam: &Family) -> Result<TokenStream, EmitError> {
    let mut out = TokenStream::new();
    for p in fam.params.values() {
        out.extend(param(fam, p)?);
    }
    for t in fam.tables.values() {
        let id = table_static(t);
        let tid = &t.id;
        let entries = t.entries.iter().map(|e| {
            let c = int(e.code);
            let text = e.en.clone().or_else(|| e.zh.clone()).unwrap_or_default();
            let zh = match &e.zh {
                Some(z) => quote!(Some(#z)),
                None => quote!(None),
            };
            quote!((#c, #text, #zh))
        });
        let doc = format!(" The table `{}`.", t.id);
        // Codes in hex are written like the hex parameter that takes them.
        let hex_param = fam
            .params
            .values()
            .find(|p| p.ty == ParamType::Hex && p.values_from.as_deref() == Some(t.id.as_str()));
        let hex = match (hex_param, t.kind) {
            (Some(p), _) => {
                let (prefix, digits, lower) =
                    (&p.hex.prefix, int(i64::from(p.hex.digits)), p.hex.lowercase);
                quote!(Some(Hex { prefix: #prefix, digits: #digits, lowercase: #lower }))
            }
            (None, TableKind::CipherSuites) => {
                quote!(Some(Hex {
                    prefix: "0X",
                    digits: 4,
                    lowercase: false
                }))
            }
            (None, _) => quote!(None),
        };
        out.extend(quote! {
            #[doc = #doc]
            pub static #id: Table = Table { id: #tid, entries: &[#(#entries),*], hex: #hex };
        });
    }
    Ok(out)
}

/// The tables `describe_error` consults: the family's error tables first, then
/// its other code tables (cipher suites are not error codes).
pub fn error_tables(fam: &Family) -> Vec<Ident> {
    let mut order: Vec<&Table> = fam
        .errors
        .iter()
        .filter_map(|e| fam.tables.get(e))
        .collect();
    for t in fam.tables.values() {
        if t.kind != TableKind::CipherSuites && !order.iter().any(|o| o.id == t.id) {
            order.push(t);
        }
    }
    order.into_iter().map(table_static).collect()
}

//! Enums: one per error/code/cipher-suite table (unknown codes kept), and one
//! per parameter with enumerated values, named from the manual's meanings.

use super::docs::{lines, md};
use super::fields::{ident, kind, Kind, Repr};
use super::EmitError;
use crate::ir::{Family, Literal, Param, Table};
use proc_macro2::TokenStream;
use quote::quote;

const DERIVES: &str = "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]";

/// The derives; `serde` for enums whose macro does not serialise them itself
/// (codes and integer values serialise with their number and the manual's text).
fn derives(serde: bool) -> TokenStream {
    let _ = DERIVES;
    let serde = serde.then(|| quote!(#[cfg_attr(feature = "serde", derive(serde::Serialize))]));
    quote! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #serde
    }
}

/// `#[doc(alias)]`es that rustdoc accepts: not empty, no `"`, not the item's own name.
fn aliases<const N: usize>(item: &str, candidates: [String; N]) -> TokenStream {
    let mut seen: Vec<String> = Vec::new();
    for c in candidates {
        let c = c.trim().to_string();
        let ok = !c.is_empty()
            && c != item
            && !c.contains(['"', '\\'])
            && !c.starts_with(' ')
            && !seen.contains(&c);
        if ok {
            seen.push(c);
        }
    }
    quote!(#(#[doc(alias = #seen)])*)
}

pub fn table(t: &Table) -> TokenStream {
    let name = ident(&t.rust);
    let mut doc = format!("{} (`{}`).", md(&t.title), t.id);
    if let Some(s) = &t.source {
        doc.push_str(&format!("\n\nSource: {}", md(s)));
    }
    if let Some(s) = &t.section {
        doc.push_str(&format!("\n\nManual section {s}."));
    }
    doc.push_str("\n\nCodes the manual does not list are kept as `Unknown`.");
    let doc = lines(&doc);
    let variants = t.entries.iter().map(|e| {
        let v = ident(&e.name);
        let code = if t.kind == crate::model::TableKind::CipherSuites {
            format!("0X{:04X}", e.code)
        } else {
            e.code.to_string()
        };
        let text = match (&e.en, &e.zh) {
            (Some(en), Some(zh)) => format!("{code}: {en} ({zh})"),
            (Some(t), None) | (None, Some(t)) => format!("{code}: {t}"),
            (None, None) => code,
        };
        let doc = lines(&md(&text));
        let aliases = aliases(
            &e.name,
            [
                e.code.to_string(),
                format!("0X{:04X}", e.code),
                e.en.clone().unwrap_or_default(),
            ],
        );
        quote! { #doc #aliases #v, }
    });
    let pairs = t.entries.iter().map(|e| {
        let v = ident(&e.name);
        let c = code(e.code);
        quote!(#v = #c)
    });
    let derives = derives(false);
    let stat = super::desc::table_static(t);
    quote! {
        #doc
        #derives
        pub enum #name {
            #(#variants)*
            /// A code the manual does not list.
            Unknown(i64),
        }

        rt::code_table!(#name: desc::#stat; #(#pairs),*);
    }
}

/// A code as one token for the enum macros: `550`, `(-1)`.
fn code(c: i64) -> TokenStream {
    let lit = proc_macro2::Literal::i64_unsuffixed(c.abs());
    if c < 0 {
        quote!((-#lit))
    } else {
        quote!(#lit)
    }
}

pub fn param_enum(fam: &Family, p: &Param) -> Result<TokenStream, EmitError> {
    let Kind::Enum {
        ty: name,
        repr,
        open,
    } = kind(fam, p, false)?
    else {
        return Err(EmitError(format!("<{}> has no values", p.key)));
    };
    let doc = lines(&super::docs::param(p));
    let variants = p.values.iter().map(|v| {
        let id = ident(&v.name);
        let mut text = format!("{}: {}", v.value, md(v.meaning.as_deref().unwrap_or("")));
        if let Some(en) = &v.meaning_en {
            text.push_str(&format!(" ({})", md(en)));
        }
        let doc = lines(&text);
        let aliases = aliases(&v.name, [v.value.wire()]);
        quote!(#doc #aliases #id,)
    });
    let unknown = open.then(|| {
        quote!(/// A value the manual does not list.
        Unknown(i64),)
    });
    let derives = derives(repr == Repr::Str);
    let stat = super::desc::param_static(&p.key);
    let mac = if repr == Repr::Str {
        if open {
            return Err(EmitError(format!(
                "<{}>: string values cannot be open_enum",
                p.key
            )));
        }
        let pairs = p.values.iter().map(|v| {
            let id = ident(&v.name);
            let w = v.value.wire();
            quote!(#id = #w)
        });
        quote!(rt::word_enum!(#name: desc::#stat; #(#pairs),*);)
    } else {
        let pairs = p.values.iter().filter_map(|v| {
            let id = ident(&v.name);
            match v.value {
                Literal::Int(i) => {
                    let c = code(i);
                    Some(quote!(#id = #c))
                }
                Literal::Str(_) => None,
            }
        });
        let open_kw = open.then(|| quote!(open));
        quote!(rt::value_enum!(#open_kw #name: desc::#stat; #(#pairs),*);)
    };
    Ok(quote! {
        #doc
        #derives
        pub enum #name {
            #(#variants)*
            #unknown
        }

        #mac
    })
}

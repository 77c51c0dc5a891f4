//! Enums: one per error/code/cipher-suite table (unknown codes kept), and one
//! per parameter with enumerated values, named from the manual's meanings.

use super::docs::{lines, md};
use super::fields::{ident, kind, Kind, Repr};
use super::EmitError;
use crate::ir::{Family, Literal, Param, Table};
use proc_macro2::TokenStream;
use quote::quote;

const DERIVES: &str = "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]";

fn derives() -> TokenStream {
    let _ = DERIVES;
    quote! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
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
    let codes: Vec<i64> = t.entries.iter().map(|e| e.code).collect();
    let to_code = t.entries.iter().map(|e| {
        let v = ident(&e.name);
        let c = e.code;
        quote!(Self::#v => #c,)
    });
    let from_code = t.entries.iter().map(|e| {
        let v = ident(&e.name);
        let c = e.code;
        quote!(#c => Self::#v,)
    });
    let en = t.entries.iter().map(|e| {
        let v = ident(&e.name);
        let text = e.en.clone().or_else(|| e.zh.clone()).unwrap_or_default();
        quote!(Self::#v => #text,)
    });
    let zh = t.entries.iter().map(|e| {
        let v = ident(&e.name);
        match &e.zh {
            Some(z) => quote!(Self::#v => Some(#z),),
            None => quote!(Self::#v => None,),
        }
    });
    let derives = derives();
    quote! {
        #doc
        #derives
        pub enum #name {
            #(#variants)*
            /// A code the manual does not list.
            Unknown(i64),
        }

        impl #name {
            /// Every code the manual lists.
            pub const ALL: &'static [i64] = &[#(#codes),*];

            /// The numeric code.
            pub const fn value(self) -> i64 {
                match self {
                    #(#to_code)*
                    Self::Unknown(v) => v,
                }
            }

            /// The variant of a code; unknown codes are kept.
            pub const fn from_value(v: i64) -> Option<Self> {
                Some(match v {
                    #(#from_code)*
                    other => Self::Unknown(other),
                })
            }

            /// The manual's description (English where it gives one).
            pub const fn description(self) -> &'static str {
                match self {
                    #(#en)*
                    Self::Unknown(_) => "code not listed in the manual",
                }
            }

            /// The manual's Chinese description, where it gives one.
            pub const fn description_zh(self) -> Option<&'static str> {
                match self {
                    #(#zh)*
                    Self::Unknown(_) => None,
                }
            }

            /// Whether the manual lists this code.
            pub const fn is_known(self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl core::fmt::Display for #name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "{}: {}", self.value(), self.description())
            }
        }
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
    let meanings = p.values.iter().map(|v| {
        let id = ident(&v.name);
        let m = v
            .meaning_en
            .clone()
            .or_else(|| v.meaning.clone())
            .unwrap_or_default();
        quote!(Self::#id => #m,)
    });
    let unknown_meaning =
        open.then(|| quote!(Self::Unknown(_) => "value not listed in the manual",));
    let derives = derives();
    let body = if repr == Repr::Str {
        let to = p.values.iter().map(|v| {
            let id = ident(&v.name);
            let s = v.value.wire();
            quote!(Self::#id => #s,)
        });
        let from = p.values.iter().map(|v| {
            let id = ident(&v.name);
            let s = v.value.wire();
            quote!(#s => Some(Self::#id),)
        });
        let all: Vec<String> = p.values.iter().map(|v| v.value.wire()).collect();
        if open {
            return Err(EmitError(format!(
                "<{}>: string values cannot be open_enum",
                p.key
            )));
        }
        quote! {
            /// Every value the manual lists.
            pub const ALL: &'static [&'static str] = &[#(#all),*];

            /// The value as written on the wire.
            pub const fn as_str(self) -> &'static str {
                match self { #(#to)* }
            }

            /// The variant of a wire value.
            pub fn from_value(v: &str) -> Option<Self> {
                match v { #(#from)* _ => None }
            }
        }
    } else {
        let ints: Vec<i64> = p
            .values
            .iter()
            .filter_map(|v| match v.value {
                Literal::Int(i) => Some(i),
                Literal::Str(_) => None,
            })
            .collect();
        let to = p.values.iter().zip(&ints).map(|(v, i)| {
            let id = ident(&v.name);
            quote!(Self::#id => #i,)
        });
        let from = p.values.iter().zip(&ints).map(|(v, i)| {
            let id = ident(&v.name);
            quote!(#i => Some(Self::#id),)
        });
        let (unknown_to, fallback) = if open {
            (
                quote!(Self::Unknown(v) => v,),
                quote!(other => Some(Self::Unknown(other)),),
            )
        } else {
            (quote!(), quote!(_ => None,))
        };
        quote! {
            /// Every value the manual lists.
            pub const ALL: &'static [i64] = &[#(#ints),*];

            /// The value as written on the wire.
            pub const fn value(self) -> i64 {
                match self { #(#to)* #unknown_to }
            }

            /// The variant of a wire value.
            pub const fn from_value(v: i64) -> Option<Self> {
                match v { #(#from)* #fallback }
            }
        }
    };
    Ok(quote! {
        #doc
        #derives
        pub enum #name {
            #(#variants)*
            #unknown
        }

        impl #name {
            #body

            /// The manual's meaning of the value.
            pub const fn meaning(self) -> &'static str {
                match self { #(#meanings)* #unknown_meaning }
            }
        }

        impl core::fmt::Display for #name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.meaning())
            }
        }
    })
}

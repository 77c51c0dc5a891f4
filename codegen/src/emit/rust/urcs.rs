//! URCs: a struct per URC, the family's `Urc` enum, and the `rt::Family` impl
//! that tells framing where payloads taken by length start.

use super::docs::md;
use super::fields::ident;
use super::lines::line_type;
use super::template::{Gen, Mode, Shape};
use super::EmitError;
use crate::ir::{Family, Line};
use crate::template::Token;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// The literal text a template starts with (up to its first parameter).
pub fn prefix(tokens: &[Token]) -> String {
    let mut out = String::new();
    for t in tokens {
        match t {
            Token::Lit { text } => out.push_str(text),
            _ => break,
        }
    }
    out
}

pub fn emit(fam: &Family, family_type: &Ident) -> Result<TokenStream, EmitError> {
    let mut items = TokenStream::new();
    let mut variants = Vec::new();
    let mut parses = Vec::new();
    let mut writes = Vec::new();
    let mut heads: Vec<String> = Vec::new();
    let mut borrows = false;
    let mut urc_errors = Vec::new();
    for u in &fam.urcs {
        let mut doc = md(&u.title);
        if let Some(en) = &u.title_en {
            doc.push_str(&format!(" ({})", md(en)));
        }
        doc.push_str(&format!("\n\n{}", md(&u.description)));
        if let Some(en) = &u.description_en {
            doc.push_str(&format!("\n\n{}", md(en)));
        }
        doc.push_str(&format!("\n\nManual section {}.", u.section));
        if let Some(c) = &u.completes {
            doc.push_str(&format!(" Completes the `{c}` command."));
        }
        let lt = line_type(fam, &u.rust, &u.line, &doc, false)?;
        items.extend(lt.items.clone());
        let v = ident(&u.rust);
        borrows |= lt.borrows;
        let ty = lt.ty(quote!('a));
        let vdoc = format!(" `{}`", u.line.template);
        variants.push(quote!(#[doc = #vdoc] #v(#ty),));
        let pre = prefix(&u.line.tokens);
        let head = match pre.find(':') {
            Some(i) => pre[..=i].to_string(),
            None => pre.clone(),
        };
        if !head.is_empty() && !heads.contains(&head) {
            heads.push(head);
        }
        let name = &lt.name;
        if pre.is_empty() {
            // Starts with a parameter (`<ssid>,CLOSE OK`): a URC only when it parses whole.
            parses.push(quote! {
                if let Ok(v) = #name::parse(frame, hex) {
                    return Some(Ok(Urc::#v(v)));
                }
            });
        } else {
            parses.push(quote! {
                if frame.starts_with(#pre.as_bytes()) {
                    matched = true;
                    match #name::parse(frame, hex) {
                        Ok(v) => return Some(Ok(Urc::#v(v))),
                        Err(e) => best = Some(rt::wire::further(best, e)),
                    }
                }
            });
        }
        let err_field = ushape_error_field(fam, &u.line)?;
        if let Some(f) = err_field {
            let f = ident(&f);
            urc_errors.push(quote!(Urc::#v(u) => { let c = u.#f.value(); (c != 0).then_some(c) }));
        }
        writes.push(quote!(Urc::#v(u) => u.write_to(sink),));
    }
    let probe = probe(fam)?;
    let hex_when = super::requests::when(
        fam,
        fam.urcs
            .iter()
            .find_map(|u| u.line.payload_hex_when.as_ref()),
    );
    let describe = describe_error(fam);
    let urc_error_body = if urc_errors.is_empty() {
        quote!(let _ = urc; None)
    } else {
        quote!(match urc { #(#urc_errors,)* #[allow(unreachable_patterns)] _ => None })
    };
    let head_strs = heads.iter();
    let id = &fam.id;
    if variants.is_empty() {
        return Err(EmitError(format!("family {} declares no URC", fam.id)));
    }
    let (generics, lt_a, lt_any) = if borrows {
        (quote!(<'a>), quote!(Urc<'a>), quote!(Urc<'_>))
    } else {
        (quote!(), quote!(Urc), quote!(Urc))
    };
    let urc_enum = quote! {
        /// Every unsolicited result code of the family.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        pub enum Urc #generics {
            #(#variants)*
        }
    };
    let write_body = quote!(match self { #(#writes)* });
    let frame_lt = if borrows { quote!('a) } else { quote!('_) };
    Ok(quote! {
        #items

        #urc_enum

        impl #generics #lt_a {
            /// Parses a URC frame (its line, and its payload when it has one).
            /// `None` when the frame starts like none of the family's URCs.
            #[allow(unused_mut, unused_variables)]
            pub fn parse(frame: &#frame_lt [u8], hex: bool) -> Option<Result<Self, rt::ParseError>> {
                let mut matched = false;
                let mut best: Option<rt::ParseError> = None;
                #(#parses)*
                if matched { best.map(Err) } else { None }
            }

            /// Writes the URC as the module prints it, with its CR LF.
            pub fn write_to<S: rt::ByteSink + ?Sized>(&self, sink: &mut S) -> Result<(), rt::Overflow> {
                #write_body
            }
        }

        impl rt::Family for #family_type {
            const ID: &'static str = #id;
            type Urc<'a> = #lt_a;
            const URC_PREFIXES: &'static [&'static str] = &[#(#head_strs),*];

            fn probe_payload(buf: &[u8], hex: bool) -> rt::PayloadProbe {
                #probe
            }

            fn parse_urc(frame: &[u8], hex: bool) -> Option<Result<#lt_any, rt::ParseError>> {
                Urc::parse(frame, hex)
            }

            const PAYLOAD_HEX_WHEN: Option<rt::request::When> = #hex_when;

            fn describe_error(code: i64) -> Option<&'static str> {
                #describe
            }

            fn urc_error(urc: &#lt_any) -> Option<i64> {
                #urc_error_body
            }
        }
    })
}

/// The field of a URC holding a code from an error or result-code table.
fn ushape_error_field(fam: &Family, line: &Line) -> Result<Option<String>, EmitError> {
    let shape = Shape::new(fam, &line.tokens)?;
    Ok(shape
        .fields
        .iter()
        .filter(|f| !f.optional)
        .find(|f| {
            f.param
                .values_from
                .as_ref()
                .and_then(|t| fam.tables.get(t))
                .is_some_and(|t| t.kind != crate::model::TableKind::CipherSuites)
        })
        .map(|f| f.ident.to_string()))
}

/// `describe_error`: the family's error tables first (`family.errors`), then its other code tables.
fn describe_error(fam: &Family) -> TokenStream {
    let mut order: Vec<&crate::ir::Table> = fam
        .errors
        .iter()
        .filter_map(|e| fam.tables.get(e))
        .collect();
    for t in fam.tables.values() {
        if t.kind != crate::model::TableKind::CipherSuites && !order.iter().any(|o| o.id == t.id) {
            order.push(t);
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let arms = order
        .iter()
        .flat_map(|t| t.entries.iter())
        .filter(|e| seen.insert(e.code))
        .map(|e| {
            let c = e.code;
            let text = e.en.clone().or_else(|| e.zh.clone()).unwrap_or_default();
            quote!(#c => Some(#text),)
        });
    quote!(match code { #(#arms)* _ => None })
}

/// Every line template that carries a payload, URCs and responses alike (deduplicated).
fn payload_lines(fam: &Family) -> Vec<&Line> {
    let mut out: Vec<&Line> = Vec::new();
    for l in fam.urcs.iter().map(|u| &u.line).chain(fam.response_lines()) {
        if l.payload_length.is_some() && !out.iter().any(|o| o.template == l.template) {
            out.push(l);
        }
    }
    out
}

fn probe(fam: &Family) -> Result<TokenStream, EmitError> {
    let mut blocks = Vec::new();
    for l in payload_lines(fam) {
        let shape = Shape::new(fam, &l.tokens)?;
        let Some(len_key) = &l.payload_length else {
            continue;
        };
        let len = shape
            .by_param(len_key)
            .map(|f| f.ident.clone())
            .ok_or_else(|| {
                EmitError(format!(
                    "payload length <{len_key}> not in `{}`",
                    l.template
                ))
            })?;
        let Some(data) = shape
            .fields
            .iter()
            .find(|f| matches!(f.kind, super::fields::Kind::Bytes))
        else {
            continue;
        };
        let gen = Gen {
            fam,
            shape: &shape,
            mode: Mode::Response,
            command: "",
            payload_len: Some(len.clone()),
            hex: l.payload_hex_when.is_some(),
        };
        let stmts = gen.parse(&l.tokens, Some(data.token))?;
        let hex = l.payload_hex_when.is_some();
        let quoted = data.param.quoted;
        let open = if quoted {
            quote!(p.lit("\"")?;)
        } else {
            quote!()
        };
        let trailer = if quoted { quote!(b"\"") } else { quote!(b"") };
        let what = format!("payload header `{}`", l.template);
        let double = if hex {
            quote!(Ok(if hex { n.saturating_mul(2) } else { n }))
        } else {
            quote!(Ok(n))
        };
        blocks.push(quote! {
            {
                let mut p = rt::wire::Cursor::new(FAMILY, #what, buf);
                #[allow(unused_variables)]
                let r = (|| -> Result<usize, rt::ParseError> {
                    let start = p.pos();
                    #stmts
                    let n = usize::try_from(i64::from(#len)).map_err(|_| p.error_at(start, "payload length"))?;
                    #open
                    #double
                })();
                match r {
                    Ok(len) => return rt::PayloadProbe::Payload { start: p.pos(), len, trailer: #trailer },
                    Err(e) if e.offset >= buf.len() => incomplete = true,
                    Err(_) => {}
                }
            }
        });
    }
    Ok(quote! {
        let _ = hex;
        let mut incomplete = false;
        #(#blocks)*
        if incomplete { rt::PayloadProbe::Incomplete } else { rt::PayloadProbe::No }
    })
}

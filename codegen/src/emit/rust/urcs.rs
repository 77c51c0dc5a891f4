//! URCs: a struct per URC, the family's `Urc` enum, and the `rt::Family` impl
//! that tells framing where payloads taken by length start.

use super::desc::static_name;
use super::docs::md;
use super::fields::ident;
use super::lines::line_type_at;
use super::template::Shape;
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

/// The URC types, the `Urc` enum, their descriptors, and the `rt::Family` impl.
pub struct Emitted {
    pub items: TokenStream,
    pub descriptors: TokenStream,
    /// The descriptor statics of the URCs, in enum order.
    pub statics: Vec<Ident>,
}

pub fn emit(fam: &Family, family_type: &Ident) -> Result<Emitted, EmitError> {
    let mut items = TokenStream::new();
    let mut descriptors = TokenStream::new();
    let mut statics = Vec::new();
    let mut variants = Vec::new();
    let mut froms = Vec::new();
    let mut quicks = Vec::new();
    let mut parts = Vec::new();
    let mut heads: Vec<String> = Vec::new();
    let mut borrows = false;
    for (i, u) in fam.urcs.iter().enumerate() {
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
        let stat = static_name(&format!("Urc{}", u.rust));
        let lt = line_type_at(fam, &u.rust, &u.line, &doc, false, quote!(desc::#stat.line))?;
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
        froms.push(quote!(#i => Urc::#v(#name::from_vals(v)?),));
        quicks.push(quote!(#i => #name::quick_from(frame, start).map(|u| u.map(Urc::#v)),));
        parts.push(quote!(Urc::#v(u) => (&desc::#stat, u.vals()),));
        let outcome = match outcome(fam, u)? {
            Some((f, success)) => {
                let f = super::desc::index(f);
                let success = success.iter().map(|c| super::desc::int(*c));
                quote!(.outcome(#f, &[#(#success),*]))
            }
            None => quote!(),
        };
        let sdoc = format!(" The descriptor of the URC [`{0}`](super::{0}).", u.rust);
        let line = &lt.descriptor;
        descriptors.extend(quote! {
            #[doc = #sdoc]
            pub static #stat: Urc = Urc::new(#line)#outcome;
        });
        statics.push(stat);
    }
    let head_strs = heads.iter();
    let id = &fam.id;
    // A family without URCs (a downstream crate's bring-up commands) has an
    // empty `Urc`: nothing parses as one of its URCs.
    let (from_body, quick_body, parts_body) = if variants.is_empty() {
        (
            quote!(let _ = (i, v); None),
            quote!(let _ = (i, frame, start); None),
            quote!(match *self {}),
        )
    } else {
        (
            quote!(Some(match i {
                #(#froms)*
                _ => return None,
            })),
            quote!(match i {
                #(#quicks)*
                _ => None,
            }),
            quote!(match self { #(#parts)* }),
        )
    };
    let (generics, lt_a, lt_any, vals_lt) = if borrows {
        (quote!(<'a>), quote!(Urc<'a>), quote!(Urc<'_>), quote!('a))
    } else {
        (quote!(), quote!(Urc), quote!(Urc), quote!('static))
    };
    let frame_lt = if borrows { quote!('a) } else { quote!('_) };
    // `parse_into` ties the frame to the values: `'a` when the URC borrows, its own otherwise.
    let (into_generics, into_lt) = if borrows {
        (quote!(), quote!('a))
    } else {
        (quote!(<'f>), quote!('f))
    };
    items.extend(quote! {
        /// Every unsolicited result code of the family.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        pub enum Urc #generics {
            #(#variants)*
        }

        impl #generics #lt_a {
            /// The URCs by their keys (`rt::dispatch`), computed at compile time.
            pub const INDEX: rt::dispatch::LineIndex<{ desc::FAMILY_DESC.urcs.len() }> =
                rt::dispatch::LineIndex::of_urcs(desc::FAMILY_DESC.urcs);

            /// Parses a URC frame (its line, and its payload when it has one).
            /// `None` when the frame starts like none of the family's URCs.
            pub fn parse(frame: &#frame_lt [u8], hex: bool) -> Option<Result<Self, rt::ParseError>> {
                let mut v = rt::Vals::EMPTY;
                let keys = rt::dispatch::LineKeys::of(frame);
                Some(Self::parse_into(frame, &keys, hex, &mut v)?.map(|(u, _)| u))
            }

            /// [`Self::parse`] of a frame whose keys are known, with the URC's
            /// descriptor; the values by field are left in `v`, except for a
            /// URC read straight into its type ([`Self::quick_at`]), which has
            /// no secret parameter.
            pub fn parse_into #into_generics(
                frame: &#into_lt [u8],
                keys: &rt::dispatch::LineKeys,
                hex: bool,
                v: &mut rt::Vals<#into_lt>,
            ) -> Option<Result<(Self, &'static rt::desc::Urc), rt::ParseError>> {
                const URCS: &[&rt::desc::Urc] = desc::FAMILY_DESC.urcs;
                // A plain URC read straight into its type (no values left in `v` then).
                let read = rt::typed::first(Self::INDEX.candidates(keys), |i| {
                    Self::quick_started_at(i, frame)
                });
                if let Some((i, u)) = read {
                    if let Some(&d) = URCS.get(i) {
                        return Some(Ok((u, d)));
                    }
                }
                let r = rt::codec::parse_urc(URCS, Self::INDEX.candidates(keys), frame, hex, v)?;
                Some(r.and_then(|i| {
                    let mismatch = || rt::codec::urc_mismatch(URCS, i);
                    let d = URCS.get(i).copied().ok_or_else(mismatch)?;
                    Ok((Self::from_index(i, v).ok_or_else(mismatch)?, d))
                }))
            }

            fn from_index(i: usize, v: &rt::Vals<#frame_lt>) -> Option<Self> {
                #from_body
            }

            /// URC `i` of the family read straight into its type where its
            /// template is plain (its type's `quick`).
            pub fn quick_at(i: usize, frame: &#frame_lt [u8]) -> Option<Option<Self>> {
                Self::quick_in(i, frame, false)
            }

            /// [`Self::quick_at`] of a frame that may not start as URC `i`
            /// does: `Some(None)` when it does not ([`rt::codec::may_start`]; a
            /// URC is no test response, so that is its leading literal, as
            /// [`rt::codec::parse_urc`] reads it).
            pub fn quick_started_at(i: usize, frame: &#frame_lt [u8]) -> Option<Option<Self>> {
                Self::quick_in(i, frame, true)
            }

            /// URC `i`'s `quick_from` (inlined, so each caller's `start` is a constant).
            #[inline(always)]
            fn quick_in(i: usize, frame: &#frame_lt [u8], start: bool) -> Option<Option<Self>> {
                #quick_body
            }

            /// The URC's descriptor and values by field.
            pub fn parts(&self) -> (&'static rt::desc::Urc, rt::Vals<#vals_lt>) {
                #parts_body
            }

            /// Writes the URC as the module prints it, with its CR LF.
            pub fn write_to<S: rt::ByteSink + ?Sized>(&self, sink: &mut S) -> Result<(), rt::Overflow> {
                let (u, v) = self.parts();
                rt::codec::write_line(&u.line, &v, sink)
            }
        }

        impl rt::Family for #family_type {
            const ID: &'static str = #id;
            type Urc<'a> = #lt_a;
            const URC_PREFIXES: &'static [&'static str] = &[#(#head_strs),*];
            const DESC: Option<&'static rt::desc::FamilyDesc> = Some(&desc::FAMILY_DESC);
            const PAYLOAD_HEX_WHEN: Option<rt::request::When> = match desc::FAMILY_DESC.payload_hex_when {
                Some(c) => Some(rt::request::When { param: c.param, equals: c.equals }),
                None => None,
            };

            const PAYLOAD_STARTS: rt::PayloadStarts = rt::PayloadStarts::of(desc::FAMILY_DESC.payload_lines);

            fn probe_payload(buf: &[u8], hex: bool) -> rt::PayloadProbe {
                rt::codec::probe_payload(desc::FAMILY_DESC.payload_lines, buf, hex)
            }

            fn parse_urc(frame: &[u8], hex: bool) -> Option<Result<#lt_any, rt::ParseError>> {
                Urc::parse(frame, hex)
            }

            fn urc_parts<'a>(urc: &Self::Urc<'a>) -> Option<(&'static rt::desc::Urc, rt::Vals<'a>)> {
                let (u, v) = urc.parts();
                Some((u, v))
            }
        }
    });
    Ok(Emitted {
        items,
        descriptors,
        statics,
    })
}

/// Where a URC reports its result: the spec's `outcome` (a parameter and its
/// success codes), else a field from an error table with success 0.
fn outcome(fam: &Family, u: &crate::ir::Urc) -> Result<Option<(usize, Vec<i64>)>, EmitError> {
    if let Some(o) = &u.outcome {
        let shape = Shape::new(fam, &u.line.tokens)?;
        let i = shape
            .fields
            .iter()
            .position(|f| {
                f.param.name == o.param
                    || fam
                        .params
                        .get(&o.param)
                        .is_some_and(|p| p.name == f.param.name)
            })
            .ok_or_else(|| {
                EmitError(format!(
                    "outcome <{}> is not a field of `{}`",
                    o.param, u.line.template
                ))
            })?;
        return Ok(Some((i, o.success.clone())));
    }
    Ok(outcome_field(fam, &u.line)?.map(|f| (f, vec![0])))
}

/// The index of the field of a URC holding a code from an error or result-code table.
fn outcome_field(fam: &Family, line: &Line) -> Result<Option<usize>, EmitError> {
    let shape = Shape::new(fam, &line.tokens)?;
    Ok(shape.fields.iter().position(|f| {
        !f.optional
            && f.param
                .values_from
                .as_ref()
                .and_then(|t| fam.tables.get(t))
                .is_some_and(|t| t.kind != crate::model::TableKind::CipherSuites)
    }))
}

/// Every template that carries a payload, URCs and responses alike (deduplicated
/// by template): the paths of their line descriptors.
pub fn payload_lines(
    urcs: &[(TokenStream, Line)],
    responses: &[(TokenStream, Line)],
) -> Vec<TokenStream> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for (path, l) in urcs.iter().chain(responses) {
        if l.payload_length.is_some() && !seen.contains(&l.template.as_str()) {
            seen.push(&l.template);
            out.push(path.clone());
        }
    }
    out
}

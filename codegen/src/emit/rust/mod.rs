//! The Rust emitter: IR → one module per family, formatted with prettyplease.
//!
//! Generated code is data and small impls of `atgen_runtime` traits; the
//! state machines live in the runtime (svd2rust's generic.rs, atat's AtatCmd).

mod desc;
mod dialects;
mod docs;
mod enums;
mod fields;
mod lines;
pub mod registry;
mod requests;
mod settings;
mod simulator;
mod socket;
mod template;
mod urcs;

use crate::ir::{Family, Spec};
use fields::ident;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// Something in the IR the emitter cannot turn into Rust.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot generate Rust: {0}")]
pub struct EmitError(pub String);

/// The module name of a family: `quectel-ec2x` → `quectel_ec2x`.
pub fn module_name(id: &str) -> String {
    id.replace('-', "_")
}

/// The marker type of a family: `quectel-ec2x` → `QuectelEc2x`.
pub fn family_type(id: &str) -> String {
    crate::names::upper_camel(id)
}

/// The items of one family's module (without the `mod` wrapper).
pub fn family_items(fam: &Family) -> Result<TokenStream, EmitError> {
    let fty = ident(&family_type(&fam.id));
    let id = &fam.id;
    let modules = &fam.modules;
    let manual = format!("{} ({})", fam.manual.title, fam.manual.file);
    let mut items = TokenStream::new();
    let mut descriptors = desc::params_and_tables(fam)?;

    // Enums: tables first, then parameters with their own values.
    let mut enum_names: BTreeMap<String, String> = BTreeMap::new();
    for t in fam.tables.values() {
        claim(&mut enum_names, &t.rust, &format!("table {}", t.id))?;
        items.extend(enums::table(t));
    }
    for p in fam.params.values() {
        if p.values_from.is_none() && !p.values.is_empty() {
            let name = fields::enum_name(fam, p).unwrap_or_default();
            claim(&mut enum_names, &name, &format!("parameter <{}>", p.key))?;
            items.extend(enums::param_enum(fam, p)?);
        }
    }

    // Requests.
    let mut variants = Vec::new();
    let mut forms = Vec::new();
    let mut names = Vec::new();
    let mut info_lines = Vec::new();
    let mut response_lines: Vec<(TokenStream, crate::ir::Line)> = Vec::new();
    for cmd in &fam.commands {
        for req in requests::of_command(cmd) {
            claim(
                &mut enum_names,
                &req.name,
                &format!("request of `{}`", cmd.id),
            )?;
            let emitted = requests::emit(fam, &req, &fty)?;
            items.extend(emitted.items);
            descriptors.extend(emitted.descriptors);
            for (stat, l) in emitted.line_statics.iter().zip(&req.responses) {
                response_lines.push((quote!(&#stat), l.clone()));
            }
            info_lines.extend(emitted.lines);
            let n = ident(&req.name);
            let shape = template::Shape::new(fam, &req.args)?;
            let ty = if shape.borrows() {
                quote!(#n<'a>)
            } else {
                quote!(#n)
            };
            let doc = format!(" `{}` ({})", req.form.syntax, docs::md(&req.what));
            variants.push(quote!(#[doc = #doc] #n(#ty),));
            forms.push(desc::static_name(&req.name));
            names.push(n);
        }
    }
    claim(&mut enum_names, "Setting", "the family's settings")?;
    items.extend(settings::emit(fam, &fty));
    let urcs = urcs::emit(fam, &fty)?;
    items.extend(urcs.items);
    descriptors.extend(urcs.descriptors);
    let urc_statics = &urcs.statics;
    items.extend(info_enum(&info_lines));
    let info_statics: Vec<_> = info_lines
        .iter()
        .map(|(n, _)| desc::static_name(&n.to_string()))
        .collect();
    let urc_lines: Vec<(TokenStream, crate::ir::Line)> = fam
        .urcs
        .iter()
        .map(|u| {
            let s = desc::static_name(&format!("Urc{}", u.rust));
            (quote!(&#s.line), u.line.clone())
        })
        .collect();
    let payload_lines = urcs::payload_lines(&urc_lines, &response_lines);
    let errors = desc::error_tables(fam);
    let hex_when = match fam
        .urcs
        .iter()
        .find_map(|u| u.line.payload_hex_when.as_ref())
    {
        Some(c) => {
            let args = desc::cond_args(fam, c);
            quote!(Some(Cond::new(#args)))
        }
        None => quote!(None),
    };
    descriptors.extend(socket::emit(fam)?);
    descriptors.extend(simulator::emit(fam)?);
    let ids = socket::ids(fam);
    let socket_ref = if fam.socket.is_some() {
        quote!(Some(&SOCKET))
    } else {
        quote!(None)
    };
    descriptors.extend(quote! {
        /// The family's descriptors, for the runtime: every form, URC, line and error table.
        pub static FAMILY_DESC: FamilyDesc = FamilyDesc {
            id: FAMILY,
            forms: &[#(&#forms),*],
            urcs: &[#(&#urc_statics),*],
            lines: &[#(&#info_statics),*],
            payload_lines: &[#(#payload_lines),*],
            errors: &[#(&#errors),*],
            payload_hex_when: #hex_when,
            ids: &[#(#ids),*],
            socket: #socket_ref,
            simulator: &SIMULATOR,
        };
    });

    let doc = format!(
        " The `{id}` family: {}. Modules: {}.",
        fam.title,
        fam.modules.join(", ")
    );
    Ok(quote! {
        #[allow(unused_imports)]
        use atgen_runtime as rt;

        /// The family id.
        pub const FAMILY: &str = #id;
        /// The modules this family covers.
        pub const MODULES: &[&str] = &[#(#modules),*];
        /// The manual this module is generated from.
        pub const MANUAL: &str = #manual;

        #[doc = #doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct #fty;

        /// The family marker type, under a name shared by every family module.
        pub type Family = #fty;

        #items

        /// Every request form of the family, for parsing command lines (linting, simulation).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        #[cfg_attr(feature = "serde", serde(tag = "type", content = "fields"))]
        pub enum Request<'a> {
            #(#variants)*
        }

        rt::request_enum!(Request: FAMILY, desc::FAMILY_DESC.forms; #(#names),*);

        /// The spec of the family as data: the descriptors the runtime validates,
        /// writes and parses from ([`atgen_runtime::codec`]).
        pub mod desc {
            #[allow(unused_imports)]
            use atgen_runtime::desc::Tok::{Field as F, Group, LineBreak, Lit, Supported};
            #[allow(unused_imports)]
            use atgen_runtime::desc::*;
            #[allow(unused_imports)]
            use atgen_runtime::{form, line_desc, request::ChecksumKind, FormKind};
            use super::FAMILY;

            #descriptors
        }
    })
}

/// `InfoLine`: every information-response line of the family, for decoding
/// module output without knowing which command it answers.
fn info_enum(lines: &[(proc_macro2::Ident, bool)]) -> TokenStream {
    let variants = lines.iter().map(|(n, b)| {
        let doc = format!(" A [`{n}`] line.");
        if *b {
            quote!(#[doc = #doc] #n(#n<'a>),)
        } else {
            quote!(#[doc = #doc] #n(#n),)
        }
    });
    let names = lines.iter().map(|(n, _)| n);
    quote! {
        /// Any information-response line of the family (with its payload).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        #[cfg_attr(feature = "serde", serde(tag = "type", content = "fields"))]
        pub enum InfoLine<'a> {
            #(#variants)*
        }

        rt::info_enum!(InfoLine: FAMILY, desc::FAMILY_DESC.lines; #(#names),*);
    }
}

fn claim(names: &mut BTreeMap<String, String>, name: &str, what: &str) -> Result<(), EmitError> {
    if let Some(prev) = names.insert(name.to_string(), what.to_string()) {
        return Err(EmitError(format!(
            "the Rust name `{name}` is used by both {prev} and {what}; set `rust = \"…\"` on one"
        )));
    }
    Ok(())
}

/// The `@generated` header.
pub const HEADER: &str =
    "// @generated by atgen-codegen from spec/. Do not edit: change the spec and rebuild.\n";

/// One family's module: `pub mod quectel_ec2x { … }`.
pub fn family_module(fam: &Family) -> Result<TokenStream, EmitError> {
    let items = family_items(fam)?;
    let m = ident(&module_name(&fam.id));
    let doc = format!(
        " {} — {} ({}).\n\n Generated from `{}`; manual: {} (`{}`). Built with the cargo feature `{}`.",
        fam.id,
        fam.title,
        fam.modules.join(", "),
        fam.spec_file,
        fam.manual.title,
        fam.manual.file,
        fam.id,
    );
    Ok(quote! {
        #[doc = #doc]
        pub mod #m {
            #items
        }
    })
}

/// Formats tokens as a file with the `@generated` header.
pub fn format(tokens: TokenStream) -> Result<String, EmitError> {
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| EmitError(format!("generated code does not parse: {e}")))?;
    Ok(format!("{HEADER}\n{}", prettyplease::unparse(&file)))
}

/// The modules of the families `enabled` accepts, in family-id order, and the
/// registry of them ([`registry::emit`]), formatted.
pub fn all_families(spec: &Spec, enabled: &dyn Fn(&str) -> bool) -> Result<String, EmitError> {
    let mut out = TokenStream::new();
    for fam in spec.families.values().filter(|f| enabled(&f.id)) {
        out.extend(family_module(fam)?);
    }
    out.extend(registry::emit(spec, enabled)?);
    format(out)
}

/// The registry of a build whose spec did not validate (see [`registry::stub`]).
pub fn broken_spec(problems: &str) -> Result<String, EmitError> {
    format(registry::stub(problems))
}

/// One family's items, formatted (what `atgen gen --family ID` prints).
pub fn family_source(fam: &Family) -> Result<String, EmitError> {
    format(family_items(fam)?)
}

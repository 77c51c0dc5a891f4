//! The Rust emitter: IR → one module per family, formatted with prettyplease.
//!
//! Generated code is data and small impls of `atgen_runtime` traits; the
//! state machines live in the runtime (svd2rust's generic.rs, atat's AtatCmd).

mod docs;
mod enums;
mod fields;
mod lines;
pub mod registry;
mod requests;
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
    let mut tries = Vec::new();
    let mut writes = Vec::new();
    let mut names = Vec::new();
    let mut datas = Vec::new();
    let mut info_lines = Vec::new();
    for cmd in &fam.commands {
        for req in requests::of_command(cmd) {
            claim(
                &mut enum_names,
                &req.name,
                &format!("request of `{}`", cmd.id),
            )?;
            let emitted = requests::emit(fam, &req, &fty)?;
            items.extend(emitted.items);
            info_lines.extend(emitted.lines);
            let n = ident(&req.name);
            let shape = template::Shape::new(fam, &req.args)?;
            let ty = if shape.borrows() {
                quote!(#n<'a>)
            } else {
                quote!(#n)
            };
            let doc = format!(" `{}` ({})", req.form.syntax, req.what);
            variants.push(quote!(#[doc = #doc] #n(#ty),));
            tries.push(quote! {
                match #n::parse(line) {
                    Ok(r) => return Ok(Request::#n(r)),
                    Err(e) => best = rt::request_error::further(best, e),
                }
            });
            writes.push(quote!(Request::#n(r) => rt::AtRequest::write_line(r, sink),));
            let (c, s) = (&cmd.name, cmd.sub.clone().unwrap_or_default());
            names.push(quote!(Request::#n(_) => (#c, #s),));
            datas.push(quote!(Request::#n(r) => rt::AtRequest::data_phase(r).is_some(),));
        }
    }
    items.extend(urcs::emit(fam, &fty)?);
    items.extend(info_enum(&info_lines));

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

        impl<'a> Request<'a> {
            /// Parses and validates one command line; the error of the form that
            /// matched furthest explains a failure.
            pub fn parse(line: &'a [u8]) -> Result<Self, rt::RequestError> {
                let mut best: Option<rt::RequestError> = None;
                #(#tries)*
                Err(best.unwrap_or(rt::RequestError::Unknown { family: FAMILY }))
            }

            /// Writes the command line (`AT+…\r`).
            pub fn write_line<S: rt::ByteSink + ?Sized>(&self, sink: &mut S) -> Result<(), rt::Overflow> {
                match self { #(#writes)* }
            }

            /// Whether the form sends data after a `>` prompt.
            pub fn has_data_phase(&self) -> bool {
                match self { #(#datas)* }
            }

            /// The command name and sub-command keyword (empty when none).
            pub fn name(&self) -> (&'static str, &'static str) {
                match self { #(#names)* }
            }
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
    let tries = lines.iter().map(|(n, _)| {
        quote! {
            match #n::parse(line, hex) {
                Ok(v) => return Ok(InfoLine::#n(v)),
                Err(e) => best = Some(rt::wire::further(best, e)),
            }
        }
    });
    let writes = lines
        .iter()
        .map(|(n, _)| quote!(InfoLine::#n(l) => l.write_to(sink),));
    quote! {
        /// Any information-response line of the family (with its payload).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        #[cfg_attr(feature = "serde", serde(tag = "type", content = "fields"))]
        pub enum InfoLine<'a> {
            #(#variants)*
        }

        impl<'a> InfoLine<'a> {
            /// Parses one information line (and its payload); the first template
            /// that matches the whole line wins.
            pub fn parse(line: &'a [u8], hex: bool) -> Result<Self, rt::ParseError> {
                let mut best: Option<rt::ParseError> = None;
                #(#tries)*
                Err(best.unwrap_or(rt::ParseError { family: FAMILY, what: "information line", offset: 0, expected: "an information response of the family" }))
            }

            /// Writes the line as the module prints it.
            pub fn write_to<S: rt::ByteSink + ?Sized>(&self, sink: &mut S) -> Result<(), rt::Overflow> {
                match self { #(#writes)* }
            }
        }
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

/// One family's items, formatted (what `atgen gen --family ID` prints).
pub fn family_source(fam: &Family) -> Result<String, EmitError> {
    format(family_items(fam)?)
}

//! The family registry: the one list of the families a build has (`FAMILIES`),
//! and the macros that dispatch to a family's generated module by id
//! (`with_family!`) or run code for each (`for_each_family!`).
//!
//! The macros are written for the enabled families only (the build script
//! knows the cargo features), because a `#[cfg(feature = …)]` inside an
//! exported macro would be evaluated in the crate that expands it.

use super::fields::ident;
use super::{module_name, EmitError};
use crate::ir::{Family, Spec};
use proc_macro2::TokenStream;
use quote::quote;

fn info(fam: &Family) -> TokenStream {
    let id = &fam.id;
    let module = module_name(&fam.id);
    let vendor = &fam.vendor;
    let title = &fam.title;
    let modules = &fam.modules;
    let manual = &fam.manual.title;
    let version = match &fam.manual.version {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    };
    let file = &fam.manual.file;
    let spec_file = &fam.spec_file;
    let module_id = ident(&module);
    quote! {
        atgen_runtime::FamilyInfo {
            id: #id,
            module: #module,
            feature: #id,
            vendor: #vendor,
            title: #title,
            modules: &[#(#modules),*],
            manual: #manual,
            manual_version: #version,
            manual_file: #file,
            spec_file: #spec_file,
            desc: &crate::#module_id::desc::FAMILY_DESC,
        }
    }
}

/// `FAMILIES`, `with_family!` and `for_each_family!` for `families` (in id order).
pub fn emit(spec: &Spec, enabled: &dyn Fn(&str) -> bool) -> Result<TokenStream, EmitError> {
    let fams: Vec<&Family> = spec.families.values().filter(|f| enabled(&f.id)).collect();
    let infos = fams.iter().map(|f| info(f));
    let ids: Vec<&str> = fams.iter().map(|f| f.id.as_str()).collect();
    let mods: Vec<_> = fams.iter().map(|f| ident(&module_name(&f.id))).collect();
    let count = fams.len();
    let ssl = super::dialects::emit(&fams)?;
    Ok(quote! {
        /// `None`: the spec validated. (A build of a broken spec with a stub has
        /// the diagnostics here and no families.)
        pub const SPEC_PROBLEMS: Option<&str> = None;

        #ssl

        /// Every module family of this build (the spec's families whose cargo feature
        /// is on), in id order.
        pub static FAMILIES: &[atgen_runtime::FamilyInfo] = &[#(#infos),*];

        /// The ids of [`FAMILIES`], in the same order.
        pub const FAMILY_IDS: [&str; #count] = [#(#ids),*];

        /// `with_family!(id, m => expr, other => fallback)`: evaluates `expr` with `m`
        /// naming the generated module of the family `id` (a `&str` known at run time),
        /// or `fallback` with `other` bound to the id when this build has no such family.
        #[macro_export]
        macro_rules! with_family {
            ($id:expr, $m:ident => $body:expr, $other:ident => $fallback:expr) => {
                match $id {
                    #(#ids => {
                        #[allow(unused_imports)]
                        use $crate::#mods as $m;
                        $body
                    })*
                    $other => $fallback,
                }
            };
        }

        /// `for_each_family!(m => { … })`: the block once for every family of this
        /// build, with `m` naming its generated module.
        #[macro_export]
        macro_rules! for_each_family {
            ($m:ident => $body:block) => {
                #({
                    #[allow(unused_imports)]
                    use $crate::#mods as $m;
                    $body
                })*
            };
        }
    })
}

/// The registry of a build whose spec did not validate: no families, and the
/// diagnostics in `SPEC_PROBLEMS`, so a tool built from the crate (the CLI's
/// `spec check`) still runs and can show them.
pub fn stub(problems: &str) -> TokenStream {
    quote! {
        /// The spec did not validate: every diagnostic, rendered. This build has
        /// no families; `atgen spec check` shows the problems.
        pub const SPEC_PROBLEMS: Option<&str> = Some(#problems);

        /// Every module family of this build: none, the spec did not validate.
        pub static FAMILIES: &[atgen_runtime::FamilyInfo] = &[];

        /// The ids of [`FAMILIES`].
        pub const FAMILY_IDS: [&str; 0] = [];

        /// `with_family!(id, m => expr, other => fallback)`: always the fallback here.
        #[macro_export]
        macro_rules! with_family {
            ($id:expr, $m:ident => $body:expr, $other:ident => $fallback:expr) => {
                match $id {
                    $other => $fallback,
                }
            };
        }

        /// `for_each_family!(m => { … })`: nothing here.
        #[macro_export]
        macro_rules! for_each_family {
            ($m:ident => $body:block) => {};
        }

        /// The SSL dialects of this build: none.
        pub mod ssl {
            pub use atgen_runtime::dialog::{Dialect, SslFamily};
        }
    }
}

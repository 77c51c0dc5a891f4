//! `Setting`: one variant per value the family's commands record (write forms
//! marked `records`, the dialog's id parameters excepted) or that a condition
//! reads (`result_when`, `connect_when`, `hex_when`, `requires`, `range_when`,
//! `unit_by`), so the link's settings are asked for by type, not by text.

use super::docs::{lines, param as param_doc};
use super::fields::ident;
use crate::ir::{Family, Param};
use crate::model::{FormKind, ParamType};
use crate::template::params_of;
use proc_macro2::TokenStream;
use quote::quote;

/// The family's settings, each parameter once, in the order the spec first names it.
pub fn of_family(fam: &Family) -> Vec<&Param> {
    let ids = super::socket::ids(fam);
    let mut keys: Vec<String> = Vec::new();
    let mut add = |key: &str| {
        if !keys.iter().any(|k| k == key) {
            keys.push(key.to_string());
        }
    };
    let mut conds: Vec<&str> = Vec::new();
    for cmd in &fam.commands {
        for form in &cmd.forms {
            if form.kind == FormKind::Write && form.records {
                for (key, _, _) in params_of(&form.args) {
                    let recorded = fam.params.get(&key).is_some_and(|p| {
                        matches!(p.ty, ParamType::Int | ParamType::Hex) && !ids.contains(&p.name)
                    });
                    if recorded {
                        add(&key);
                    }
                }
            }
            conds.extend(form.result_when.iter().map(|c| c.param.as_str()));
            conds.extend(form.connect_when.iter().map(|c| c.param.as_str()));
            if let Some(d) = &form.data {
                conds.extend(d.hex_when.iter().map(|c| c.param.as_str()));
            }
            for l in &form.responses {
                conds.extend(l.payload_hex_when.iter().map(|c| c.param.as_str()));
            }
        }
    }
    for u in &fam.urcs {
        conds.extend(u.line.payload_hex_when.iter().map(|c| c.param.as_str()));
    }
    for p in fam.params.values() {
        conds.extend(p.requires.iter().map(|c| c.param.as_str()));
        conds.extend(p.range_when.iter().map(|r| r.param.as_str()));
        conds.extend(p.unit_by.iter().map(|u| u.param.as_str()));
    }
    for c in conds {
        // Conditions name the parameter by key or by the manual's name.
        if let Some(p) = fam
            .params
            .get(c)
            .or_else(|| fam.params.values().find(|p| p.name == c))
        {
            add(p.key.as_str());
        }
    }
    keys.iter().filter_map(|k| fam.params.get(k)).collect()
}

/// `pub enum Setting { … }` and its `atgen_runtime::Setting` impl.
pub fn emit(fam: &Family, family_type: &proc_macro2::Ident) -> TokenStream {
    let settings = of_family(fam);
    let variants = settings.iter().map(|p| {
        let v = ident(&crate::names::upper_camel(&p.rust));
        let doc = lines(&param_doc(p));
        let name = &p.name;
        quote!(#doc #[doc(alias = #name)] #v,)
    });
    let arms = settings.iter().map(|p| {
        let v = ident(&crate::names::upper_camel(&p.rust));
        let name = &p.name;
        quote!(#v => #name)
    });
    quote! {
        /// A setting the family's commands record, by the manual's parameter:
        /// what the link's `setting`, `set_setting` and `clear_setting` take.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Setting {
            #(#variants)*
        }

        rt::setting_enum!(Setting: #family_type; #(#arms),*);
    }
}

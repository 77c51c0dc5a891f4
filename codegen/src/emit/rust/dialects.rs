//! `ssl`: one dialect type per family whose spec has a `[socket]` section
//! (`ssl::Ec2x`), naming the family's dialog for the drivers
//! (`atgen_runtime::socket::SslSocket` and the others). The dialog itself is
//! data (`desc::SOCKET`); these are names for it, and the module's table says
//! what each family's dialog is like, from the same data.

use super::fields::ident;
use super::{module_name, EmitError};
use crate::ir::{Family, RoleRequest};
use proc_macro2::TokenStream;
use quote::quote;

/// `AT+QSSLSEND`, `AT+QSSLCFG="cacert"`: a role's command, as the manual writes it.
fn command(fam: &Family, r: &RoleRequest) -> String {
    match fam.commands.iter().find(|c| c.id == r.command) {
        Some(c) => match &c.sub {
            Some(sub) => format!("{}=\"{sub}\"", c.name),
            None => c.name.clone(),
        },
        None => r.command.clone(),
    }
}

/// One row of the module's table: receive, send, certificates.
fn row(fam: &Family) -> String {
    let Some(s) = &fam.socket else {
        return String::new();
    };
    let recv = match (&s.recv, &s.push) {
        (Some(r), Some(_)) if s.modes.is_some() => {
            format!("buffer (`{}`) or push", command(fam, &r.request))
        }
        (Some(r), _) => format!("buffer (`{}`)", command(fam, &r.request)),
        (None, _) => "push (data in URCs)".to_string(),
    };
    let send_form = fam
        .commands
        .iter()
        .find(|c| c.id == s.send.request.command)
        .and_then(|c| c.forms.get(s.send.request.form));
    let ends = match send_form.and_then(|f| f.data.as_ref()) {
        Some(d) if d.length.is_some() => "fixed length",
        Some(_) => "ends with Ctrl+Z",
        None => "data in the command line",
    };
    let send = format!("`{}`, {ends}", command(fam, &s.send.request));
    let certs = if s.uploads.is_empty() {
        "file paths on the module".to_string()
    } else {
        let steps: Vec<String> = s
            .uploads
            .iter()
            .flat_map(|u| u.steps.iter())
            .filter(|st| st.data)
            .map(|st| format!("`{}`", command(fam, &st.request)))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        format!("uploaded: {}", steps.join(", "))
    };
    format!(
        "| [`{}`] | `{}` | {recv} | {send} | {certs} |",
        s.dialect, fam.id
    )
}

/// `pub mod ssl { … }` for the families of the build that have a dialog.
pub fn emit(fams: &[&Family]) -> Result<TokenStream, EmitError> {
    let with: Vec<&Family> = fams
        .iter()
        .copied()
        .filter(|f| f.socket.is_some())
        .collect();
    let mut doc = vec![
        " The SSL dialects of this build's families, for".to_string(),
        " [`atgen_runtime::socket::SslSocket`]: one program, any module. Each names".to_string(),
        " its family's dialog, which the spec's `[socket]` section describes.".to_string(),
        String::new(),
        " | dialect | family | receive | send | certificates |".to_string(),
        " |---|---|---|---|---|".to_string(),
    ];
    doc.extend(with.iter().map(|f| format!(" {}", row(f))));
    let items = with.iter().map(|f| {
        let s = f
            .socket
            .as_ref()
            .map(|s| s.dialect.as_str())
            .unwrap_or_default();
        let name = ident(s);
        let module = ident(&module_name(&f.id));
        let text = format!(" The SSL dialect of `{}` ({}).", f.id, f.title);
        quote! {
            #[doc = #text]
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
            pub struct #name;

            impl atgen_runtime::dialog::Dialect for #name {
                type Family = crate::#module::Family;
                fn dialog(&self) -> atgen_runtime::dialog::Dialog {
                    atgen_runtime::dialog::Dialog::new(
                        &crate::#module::desc::SOCKET,
                        crate::#module::desc::FAMILY_DESC.ids,
                    )
                }
            }

            impl atgen_runtime::dialog::SslFamily for crate::#module::Family {
                type Dialect = #name;
            }
        }
    });
    Ok(quote! {
        pub mod ssl {
            #(#![doc = #doc])*
            pub use atgen_runtime::dialog::{Dialect, SslFamily};
            #(#items)*
        }
    })
}

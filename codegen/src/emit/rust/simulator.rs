//! The simulator's choices as data: `desc::SIMULATOR`, from the spec's `[simulator]`.

use super::desc::{self, static_name};
use super::requests::form_type_name;
use super::EmitError;
use crate::ir::{Command, Family, Literal, SimSource};
use crate::model::FormKind;
use proc_macro2::TokenStream;
use quote::quote;

fn lit(l: &Literal) -> TokenStream {
    match l {
        Literal::Int(i) => {
            let i = desc::int(*i);
            quote!(Const::Int(#i))
        }
        Literal::Str(s) => quote!(Const::Str(#s)),
    }
}

fn source(s: &SimSource) -> TokenStream {
    match s {
        SimSource::Connection => quote!(SimSource::Connection),
        SimSource::Host => quote!(SimSource::Host),
        SimSource::Port => quote!(SimSource::Port),
        SimSource::LocalPort => quote!(SimSource::LocalPort),
        SimSource::State => quote!(SimSource::State),
        SimSource::Mode => quote!(SimSource::Mode),
        SimSource::Int(i) => {
            let i = desc::int(*i);
            quote!(SimSource::Const(Const::Int(#i)))
        }
        SimSource::Text(t) => quote!(SimSource::Const(Const::Str(#t))),
    }
}

fn command<'f>(fam: &'f Family, id: &str) -> Result<&'f Command, EmitError> {
    fam.commands
        .iter()
        .find(|c| c.id == id)
        .ok_or_else(|| EmitError(format!("command `{id}` missing")))
}

/// `&FORM_STATIC` of a command's first form that `pick` accepts.
fn form(
    fam: &Family,
    id: &str,
    pick: impl Fn(&crate::ir::Form) -> bool,
) -> Result<TokenStream, EmitError> {
    let cmd = command(fam, id)?;
    let i = cmd
        .forms
        .iter()
        .position(pick)
        .ok_or_else(|| EmitError(format!("`{id}` has no such form")))?;
    let name =
        form_type_name(cmd, i).ok_or_else(|| EmitError(format!("no request type for `{id}`")))?;
    let stat = static_name(&name);
    Ok(quote!(&#stat))
}

/// `pub static SIMULATOR: Simulator = …;`
pub fn emit(fam: &Family) -> Result<TokenStream, EmitError> {
    let s = &fam.simulator;
    let power_on = s.power_on.iter().map(|(k, v)| {
        let v = lit(v);
        quote!((#k, #v))
    });
    let opt_int = |v: Option<i64>| match v {
        Some(i) => {
            let i = desc::int(i);
            quote!(Some(#i))
        }
        None => quote!(None),
    };
    let busy = opt_int(s.busy);
    let send_failure = opt_int(s.send_failure);
    let open_timeout = opt_int(s.open_timeout);
    let close_ok = s.close_unknown_ok;
    let push_chunk = match s.push_chunk {
        Some(c) => {
            let c = desc::index(c as usize);
            quote!(Some(#c))
        }
        None => quote!(None),
    };
    let recv = s.recv.iter().map(|(k, v)| {
        let v = source(v);
        quote!((#k, #v))
    });
    let state = match &s.state {
        Some(st) => {
            let cmd = command(fam, &st.command)?;
            let forms = (0..cmd.forms.len())
                .filter(|i| cmd.forms.get(*i).is_some_and(|f| f.kind != FormKind::Test))
                .filter_map(|i| form_type_name(cmd, i))
                .map(|n| {
                    let stat = static_name(&n);
                    quote!(&#stat)
                });
            let values = st.values.iter().map(|(k, v)| {
                let v = source(v);
                quote!((#k, #v))
            });
            let states = st.states.iter().map(lit);
            let every = st.every_id;
            quote!(Some(StateLines {
                forms: &[#(#forms),*],
                values: &[#(#values),*],
                states: [#(#states),*],
                every_id: #every,
            }))
        }
        None => quote!(None),
    };
    let files = match &s.files {
        Some(f) => {
            let write = form(fam, &f.write, |f| f.data.is_some())?;
            let read = form(fam, &f.read, |f| f.kind == FormKind::Write)?;
            let delete = form(fam, &f.delete, |f| f.kind == FormKind::Write)?;
            let size = match &f.size {
                Some(s) => quote!(Some(#s)),
                None => quote!(None),
            };
            let values = f.values.iter().map(|(k, v)| {
                let v = lit(v);
                quote!((#k, #v))
            });
            quote!(Some(Files {
                write: #write,
                read: #read,
                delete: #delete,
                size: #size,
                values: &[#(#values),*],
            }))
        }
        None => quote!(None),
    };
    Ok(quote! {
        /// What the simulator needs beyond the manual, from the spec's `[simulator]`.
        pub static SIMULATOR: Simulator = Simulator {
            power_on: &[#(#power_on),*],
            busy: #busy,
            send_failure: #send_failure,
            open_timeout: #open_timeout,
            close_unknown_ok: #close_ok,
            push_chunk: #push_chunk,
            recv: &[#(#recv),*],
            state: #state,
            files: #files,
        };
    })
}

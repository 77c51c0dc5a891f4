//! The family's SSL dialog as data: `desc::SOCKET`, from the spec's `[socket]`.

use super::desc::{self, static_name};
use super::requests::form_type_name;
use super::EmitError;
use crate::ir::{Family, RoleRequest, Socket, Source};
use proc_macro2::TokenStream;
use quote::quote;

fn opt(name: &str) -> Result<TokenStream, EmitError> {
    let variant = match name {
        "ssl_version" => quote!(SslVersion),
        "seclevel" => quote!(SecLevel),
        "cipher_suite" => quote!(CipherSuite),
        "negotiate_time" => quote!(NegotiateTime),
        "psk_identity" => quote!(PskIdentity),
        "psk_key" => quote!(PskKey),
        "ca_cert" => quote!(CaCert),
        "client_cert" => quote!(ClientCert),
        "client_key" => quote!(ClientKey),
        "sni" => quote!(Sni),
        "alpn" => quote!(Alpn),
        "ignore_local_time" => quote!(IgnoreLocalTime),
        "hex_data" => quote!(HexData),
        "pdp" => quote!(Pdp),
        "ssl_ctx" => quote!(SslCtx),
        "connection" => quote!(Connection),
        "cert_kind" => quote!(CertKind),
        other => return Err(EmitError(format!("`{other}` is not an option"))),
    };
    Ok(quote!(Source::Opt(Opt::#variant)))
}

fn source(s: &Source) -> Result<TokenStream, EmitError> {
    Ok(match s {
        Source::Option(o) => opt(o)?,
        Source::Int(i) => {
            let i = desc::int(*i);
            quote!(Source::Int(#i))
        }
        Source::Text(t) => quote!(Source::Str(#t)),
        Source::Host => quote!(Source::Host),
        Source::Port => quote!(Source::Port),
        Source::ReadLen => quote!(Source::ReadLen),
        Source::DataLen => quote!(Source::DataLen),
    })
}

/// `Request { form, values }`: the listed values, then the ids and a data phase's
/// length, which every request of the dialog takes from the connection.
fn request(fam: &Family, s: &Socket, r: &RoleRequest) -> Result<TokenStream, EmitError> {
    let cmd = fam
        .commands
        .iter()
        .find(|c| c.id == r.command)
        .ok_or_else(|| EmitError(format!("command `{}` missing", r.command)))?;
    let form = cmd
        .forms
        .get(r.form)
        .ok_or_else(|| EmitError(format!("form {} of `{}` missing", r.form, r.command)))?;
    let name = form_type_name(cmd, r.form)
        .ok_or_else(|| EmitError(format!("no request type for `{}`", r.command)))?;
    let stat = static_name(&name);
    let manual = |key: &str| {
        fam.params
            .get(key)
            .map_or(key.to_string(), |p| p.name.clone())
    };
    let mut values: Vec<(String, TokenStream)> = Vec::new();
    for (k, v) in &r.values {
        values.push((manual(k), source(v)?));
    }
    let ids = [
        (&s.pdp, "pdp"),
        (&s.ssl_ctx, "ssl_ctx"),
        (&Some(s.connection.clone()), "connection"),
    ];
    for (key, o) in ids {
        if let Some(key) = key {
            let m = manual(key);
            let in_form = crate::template::params_of(&form.args)
                .iter()
                .any(|(n, _, _)| n == key);
            if in_form && !values.iter().any(|(n, _)| *n == m) {
                values.push((m, opt(o)?));
            }
        }
    }
    if let Some(len) = form.data.as_ref().and_then(|d| d.length.as_ref()) {
        let m = manual(len);
        if !values.iter().any(|(n, _)| *n == m) {
            values.push((m, quote!(Source::DataLen)));
        }
    }
    let values = values.iter().map(|(n, v)| quote!((#n, #v)));
    Ok(quote!(Request { form: &#stat, values: &[#(#values),*] }))
}

fn urc(fam: &Family, id: &str) -> Result<TokenStream, EmitError> {
    let u = fam
        .urcs
        .iter()
        .find(|u| u.id == id)
        .ok_or_else(|| EmitError(format!("URC `{id}` missing")))?;
    let stat = static_name(&format!("Urc{}", u.rust));
    Ok(quote!(&#stat))
}

fn opt_tokens(t: Option<TokenStream>) -> TokenStream {
    match t {
        Some(t) => quote!(Some(#t)),
        None => quote!(None),
    }
}

/// `pub static SOCKET: Socket = …;`, when the family has a dialog.
pub fn emit(fam: &Family) -> Result<TokenStream, EmitError> {
    let Some(s) = &fam.socket else {
        return Ok(quote!());
    };
    let manual = |key: &str| {
        fam.params
            .get(key)
            .map_or(key.to_string(), |p| p.name.clone())
    };
    let pdp = opt_tokens(s.pdp.as_deref().map(|p| {
        let m = manual(p);
        quote!(#m)
    }));
    let ssl_ctx = opt_tokens(s.ssl_ctx.as_deref().map(|p| {
        let m = manual(p);
        quote!(#m)
    }));
    let connection = manual(&s.connection);
    let modes = opt_tokens(s.modes.as_ref().map(|m| {
        let (param, b, p) = (manual(&m.param), desc::int(m.buffer), desc::int(m.push));
        quote!(Modes { param: #param, buffer: #b, push: #p })
    }));
    let setup = s
        .setup
        .iter()
        .map(|r| {
            let req = request(fam, s, &r.request)?;
            let always = r.always;
            Ok(quote!(Setup { request: #req, always: #always }))
        })
        .collect::<Result<Vec<_>, EmitError>>()?;
    let open = request(fam, s, &s.open)?;
    let send_req = request(fam, s, &s.send.request)?;
    let retry_fail = s.send.retry_send_fail;
    let retry_codes = s.send.retry_codes.iter().map(|c| desc::int(*c));
    let max = opt_tokens(s.send.max.map(|m| {
        let m = desc::index(m as usize);
        quote!(#m)
    }));
    let recv = opt_tokens(
        s.recv
            .as_ref()
            .map(|r| {
                let ready = urc(fam, &r.ready)?;
                let req = request(fam, s, &r.request)?;
                Ok::<_, EmitError>(quote!(Recv { ready: #ready, request: #req }))
            })
            .transpose()?,
    );
    let push = opt_tokens(s.push.as_deref().map(|u| urc(fam, u)).transpose()?);
    let closed = opt_tokens(s.closed.as_deref().map(|u| urc(fam, u)).transpose()?);
    let close_after = s.close_after_peer;
    let close = request(fam, s, &s.close)?;
    let state = opt_tokens(s.state.as_ref().map(|r| request(fam, s, r)).transpose()?);
    let uploads = s
        .uploads
        .iter()
        .map(|u| {
            let kind = desc::index(crate::ir::CERT_KINDS.iter().position(|k| *k == u.kind).unwrap_or(0));
            let steps = u
                .steps
                .iter()
                .map(|st| {
                    let req = request(fam, s, &st.request)?;
                    let (data, ignore) = (st.data, st.ignore_errors);
                    let path = opt_tokens(st.default_path.as_ref().map(|p| quote!(#p)));
                    Ok(quote!(UploadStep { request: #req, data: #data, errors_ignored: #ignore, default_path: #path }))
                })
                .collect::<Result<Vec<_>, EmitError>>()?;
            Ok(quote!(Upload { kind: #kind, steps: &[#(#steps),*] }))
        })
        .collect::<Result<Vec<_>, EmitError>>()?;
    let lacks = s.lacks.iter().map(|(k, v)| quote!((#k, #v)));
    Ok(quote! {
        /// The family's SSL dialog, from the spec's `[socket]`: the generic dialect
        /// (`atgen_runtime::socket`) and the simulator drive the family from it.
        pub static SOCKET: Socket = Socket {
            family: FAMILY,
            pdp: #pdp,
            ssl_ctx: #ssl_ctx,
            connection: #connection,
            modes: #modes,
            setup: &[#(#setup),*],
            open: #open,
            send: Send { request: #send_req, retry_send_fail: #retry_fail, retry_codes: &[#(#retry_codes),*], max: #max },
            recv: #recv,
            push: #push,
            closed: #closed,
            close_after_peer: #close_after,
            close: #close,
            state: #state,
            uploads: &[#(#uploads),*],
            lacks: &[#(#lacks),*],
        };
    })
}

/// The manual names of the dialog's id parameters (settings are kept per their values).
pub fn ids(fam: &Family) -> Vec<String> {
    let Some(s) = &fam.socket else {
        return Vec::new();
    };
    let manual = |key: &str| {
        fam.params
            .get(key)
            .map_or(key.to_string(), |p| p.name.clone())
    };
    s.pdp
        .iter()
        .chain(s.ssl_ctx.iter())
        .chain(std::iter::once(&s.connection))
        .map(|k| manual(k))
        .collect()
}

//! Request types: one per command form (query-by-omission forms split out),
//! each implementing `rt::AtRequest`: validation, encoding, parsing, timing,
//! data phase and result URC.

use super::desc::{self, static_name};
use super::docs::{lines as doc_lines, request as request_doc};
use super::fields::ident;
use super::lines::{fields as struct_fields, response};
use super::template::Shape;
use super::EmitError;
use crate::ir::{Command, Family, Form, Line};
use crate::model::{ChecksumAlgorithm, DataEnd, FormKind};
use crate::template::Token;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// One generated request type.
pub struct Request<'f> {
    pub name: String,
    pub cmd: &'f Command,
    pub form: &'f Form,
    pub kind: FormKind,
    /// Arguments after dropping omitted groups and inlining required ones.
    pub args: Vec<Token>,
    pub responses: Vec<Line>,
    pub what: String,
    /// The index of its form in the command's forms.
    pub form_index: usize,
    /// A query by omission of that form.
    pub is_query: bool,
    /// The parameters a query leaves out (manual names).
    pub omits: Vec<String>,
}

fn direct_params(tokens: &[Token]) -> Vec<&str> {
    tokens
        .iter()
        .filter_map(|t| match t {
            Token::Param { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect()
}

/// Drops optional groups that directly name an omitted parameter; inlines groups
/// that directly name a parameter some query omits (they are required here).
fn reshape(tokens: &[Token], omitted: &BTreeSet<&str>, queried: &BTreeSet<&str>) -> Vec<Token> {
    let mut out = Vec::new();
    for t in tokens {
        match t {
            Token::Optional { tokens: inner } => {
                let direct = direct_params(inner);
                if direct.iter().any(|p| omitted.contains(p)) {
                    continue;
                }
                let inner = reshape(inner, omitted, queried);
                if direct.iter().any(|p| queried.contains(p)) {
                    out.extend(inner);
                } else {
                    out.push(Token::Optional { tokens: inner });
                }
            }
            other => out.push(other.clone()),
        }
    }
    out
}

/// Every request type of a command, in the manual's order.
pub fn of_command<'f>(cmd: &'f Command) -> Vec<Request<'f>> {
    let mut out = Vec::new();
    let mut writes = 0;
    for (form_index, form) in cmd.forms.iter().enumerate() {
        let (suffix, what) = match form.kind {
            FormKind::Test => ("Test".to_string(), "test command"),
            FormKind::Read => ("Read".to_string(), "read command"),
            FormKind::Exec => ("Exec".to_string(), "execute command"),
            FormKind::Write => {
                writes += 1;
                let s = if writes == 1 {
                    String::new()
                } else if form.data.as_ref().is_some_and(|d| d.end == DataEnd::Length) {
                    "FixedLength".to_string()
                } else {
                    format!("Form{writes}")
                };
                (s, "write command")
            }
        };
        let queried: BTreeSet<&str> = form
            .queries
            .iter()
            .flat_map(|q| q.omitted.iter().map(String::as_str))
            .collect();
        out.push(Request {
            name: format!("{}{suffix}", cmd.rust),
            cmd,
            form,
            kind: form.kind,
            args: reshape(&form.args, &BTreeSet::new(), &queried),
            responses: form.responses.clone(),
            what: what.to_string(),
            form_index,
            is_query: false,
            omits: Vec::new(),
        });
        let many = form.queries.len() > 1;
        for (i, q) in form.queries.iter().enumerate() {
            let omitted: BTreeSet<&str> = q.omitted.iter().map(String::as_str).collect();
            let args = reshape(&form.args, &omitted, &queried);
            let remaining = crate::template::params_of(&args).len();
            let mut name = format!("{}{suffix}Query", cmd.rust);
            if many && remaining == 0 {
                name.push_str("All");
            } else if many && i > 0 {
                name.push_str(&(i + 1).to_string());
            }
            out.push(Request {
                name,
                cmd,
                form,
                kind: FormKind::Write,
                args,
                responses: q.responses.clone(),
                what: format!(
                    "query by omission of {}",
                    q.omitted
                        .iter()
                        .map(|o| format!("<{o}>"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                form_index,
                is_query: true,
                omits: q.omitted.clone(),
            });
        }
    }
    out
}

fn form_kind(k: FormKind) -> TokenStream {
    match k {
        FormKind::Test => quote!(FormKind::Test),
        FormKind::Read => quote!(FormKind::Read),
        FormKind::Write => quote!(FormKind::Write),
        FormKind::Exec => quote!(FormKind::Exec),
    }
}

fn final_kind(result: &str) -> Option<TokenStream> {
    Some(match result {
        "OK" => quote!(FinalKind::Ok),
        "ERROR" => quote!(FinalKind::Error),
        "+CME ERROR" => quote!(FinalKind::CmeError),
        "SEND OK" => quote!(FinalKind::SendOk),
        "SEND FAIL" => quote!(FinalKind::SendFail),
        "CLOSE OK" => quote!(FinalKind::CloseOk),
        "CONNECT" => quote!(FinalKind::Connect),
        "NO CARRIER" => quote!(FinalKind::NoCarrier),
        _ => return None,
    })
}

/// A request type's items, its descriptor static, and the response line structs it defined.
pub struct Emitted {
    pub items: TokenStream,
    pub descriptors: TokenStream,
    pub lines: Vec<(proc_macro2::Ident, bool)>,
    /// The descriptor statics of the response lines, in the order of the form's lines.
    pub line_statics: Vec<proc_macro2::Ident>,
}

pub fn emit(
    fam: &Family,
    req: &Request,
    family_type: &proc_macro2::Ident,
) -> Result<Emitted, EmitError> {
    let shape = Shape::new(fam, &req.args)?;
    let cmd = req.cmd.name.as_str();
    let name = ident(&req.name);
    let stat = static_name(&req.name);
    let borrows = shape.borrows();
    let generics = if borrows { quote!(<'a>) } else { quote!() };
    let doc = doc_lines(&request_doc(fam, req.cmd, req.form, &req.what));
    let fields = struct_fields(&shape);
    let is_query = req.is_query;

    // The descriptor.
    let tmpl = shape.descriptor(
        &req.form.syntax,
        &req.args,
        &|k| desc::param_static(k),
        None,
    )?;
    // A time the manual states: `MaxTime::new(150000, "…").plus(&P_NEGOTIATE_TIME)`.
    let time = |ms: u64, plus: Option<&String>, text: &str| {
        let base = proc_macro2::Literal::u64_unsuffixed(ms);
        let plus = match plus.filter(|k| fam.params.contains_key(*k)) {
            Some(k) => {
                let p = desc::param_static(k);
                quote!(.plus(&#p))
            }
            None => quote!(),
        };
        quote!(MaxTime::new(#base, #text)#plus)
    };
    let max = req.cmd.max_response_time.as_ref().map(|t| {
        let t = time(t.ms, t.plus.as_ref(), &t.text);
        quote!(.max(#t))
    });
    let result_wait = req
        .cmd
        .result_wait
        .as_ref()
        .filter(|_| req.form.result_urc.is_some())
        .map(|w| {
            let t = time(w.time.ms, w.time.plus.as_ref(), &w.time.text);
            quote!(.result_wait(#t))
        });
    let sub = &req.cmd.sub;
    let kind = form_kind(req.kind);
    let req_name = &req.name;
    let section = &req.cmd.section;
    let mut form = quote!(form!(#req_name, #cmd, #kind, #section, #tmpl)#max #result_wait);
    if let Some(sub) = sub {
        form.extend(quote!(.sub(#sub)));
    }
    let finals: Vec<TokenStream> = req
        .form
        .finals
        .iter()
        .filter_map(|f| final_kind(&f.result))
        .collect();
    if !finals.is_empty() {
        form.extend(quote!(.finals(&[#(#finals),*])));
    }
    if let (Some(d), false) = (&req.form.data, is_query) {
        let end = match (
            d.end,
            d.length
                .as_ref()
                .and_then(|l| shape.fields.iter().position(|f| &f.param.key == l)),
        ) {
            (DataEnd::Length, Some(i)) => {
                let i = desc::index(i);
                quote!(DataLen::Field(#i))
            }
            _ => quote!(DataLen::CtrlZ),
        };
        let mut data = quote!(Data::new(#end));
        if let Some(m) = d.max_len {
            let m = desc::index(m as usize);
            data.extend(quote!(.max_len(#m)));
        }
        if let Some(c) = &d.hex_when {
            let args = desc::cond_args(fam, c);
            data.extend(quote!(.hex_when(#args)));
        }
        match d.checksum.as_ref().map(|c| c.algorithm) {
            Some(ChecksumAlgorithm::ByteCount) => {
                data.extend(quote!(.checksum(ChecksumKind::ByteCount)))
            }
            Some(ChecksumAlgorithm::Xor16) => data.extend(quote!(.checksum(ChecksumKind::Xor16))),
            None => {}
        }
        if let Some(w) = d.prompt_wait_ms.filter(|w| *w > 0) {
            let w = proc_macro2::Literal::u32_unsuffixed(w);
            data.extend(quote!(.prompt_wait_ms(#w)));
        }
        if d.secret {
            data.extend(quote!(.secret()));
        }
        if let Some(c) = &d.secret_when {
            let args = desc::cond_args(fam, c);
            data.extend(quote!(.secret_when(#args)));
        }
        form.extend(quote!(.data(#data)));
    }
    if let (Some(id), false) = (&req.form.result_urc, is_query) {
        let urc = fam
            .urcs
            .iter()
            .find(|u| &u.id == id)
            .ok_or_else(|| EmitError(format!("result URC `{id}` missing")))?;
        let u = static_name(&format!("Urc{}", urc.rust));
        form.extend(quote!(.result(&#u)));
    }
    if let (Some(c), false) = (&req.form.result_when, is_query) {
        let args = desc::cond_args(fam, c);
        form.extend(quote!(.result_when(#args)));
    }
    if let (Some(c), false) = (&req.form.connect_when, is_query) {
        let args = desc::cond_args(fam, c);
        form.extend(quote!(.connect_when(#args)));
    }
    if !is_query && req.form.records {
        form.extend(quote!(.records()));
    }
    if is_query {
        let omits = &req.omits;
        form.extend(quote!(.omits(&[#(#omits),*])));
    }

    let all_optional = req.kind == FormKind::Test;
    let resp_doc = format!("The information response of [`{}`].", req.name);
    let resp = response(fam, &req.name, &req.responses, all_optional, &resp_doc)?;
    let resp_statics = resp.statics.clone();
    if !resp_statics.is_empty() {
        form.extend(quote!(.responses(&[#(&#resp_statics),*])));
    }
    let mut descriptors = resp.descriptors;
    if let (Some(e), false) = (&req.form.error_line, is_query) {
        let eshape = Shape::new(fam, &e.line.tokens)?;
        let code = eshape
            .fields
            .iter()
            .position(|f| f.param.key == e.code || f.param.name == e.code)
            .ok_or_else(|| {
                EmitError(format!(
                    "error line `{}` has no <{}>",
                    e.line.template, e.code
                ))
            })?;
        let etmpl = eshape.descriptor(
            &e.line.template,
            &e.line.tokens,
            &|k| desc::param_static(k),
            None,
        )?;
        let estat = static_name(&format!("{}ErrorLine", req.name));
        let ename = format!("{}ErrorLine", req.name);
        let code = desc::index(code);
        descriptors.extend(quote! {
            /// The line the module prints before `ERROR`, carrying the error code.
            pub static #estat: Line = line_desc!(#ename, #etmpl);
        });
        form.extend(quote!(.error_line(&#estat, #code)));
    }
    let sdoc = format!(" The descriptor of [`{0}`](super::{0}).", req.name);
    descriptors.extend(quote! {
        #[doc = #sdoc]
        pub static #stat: Form = #form;
    });

    let resp_tail = resp.tail;
    let resp_items = resp.items;
    let derives = quote! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
    };
    let body = if shape.fields.is_empty() {
        quote!(pub struct #name;)
    } else {
        quote!(pub struct #name #generics { #fields })
    };
    let head = if borrows {
        quote!(#name<'a>)
    } else {
        quote!(#name)
    };
    let field_names = shape.fields.iter().map(|f| &f.ident);
    let items = quote! {
        #doc
        #derives
        #body

        rt::request!(#head: #family_type, desc::#stat, #resp_tail; #(#field_names),*);

        #resp_items
    };
    Ok(Emitted {
        items,
        descriptors,
        lines: resp.lines,
        line_statics: resp_statics,
    })
}

/// The name of the request type of a command's form (not its queries).
pub fn form_type_name(cmd: &Command, form: usize) -> Option<String> {
    of_command(cmd)
        .into_iter()
        .find(|r| r.form_index == form && !r.is_query)
        .map(|r| r.name)
}

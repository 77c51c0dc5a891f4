//! Request types: one per command form (query-by-omission forms split out),
//! each implementing `rt::AtRequest`: validation, encoding, parsing, timing,
//! data phase and result URC.

use super::docs::{lines as doc_lines, request as request_doc};
use super::fields::{ident, Kind};
use super::lines::{fields as struct_fields, response};
use super::template::{Field, Gen, Mode, Shape};
use super::EmitError;
use crate::ir::{Command, Family, Form, Line};
use crate::model::{ChecksumAlgorithm, DataEnd, FormKind};
use crate::names::upper_camel;
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
    for form in &cmd.forms {
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
            });
        }
    }
    out
}

fn form_kind(k: FormKind) -> TokenStream {
    match k {
        FormKind::Test => quote!(rt::FormKind::Test),
        FormKind::Read => quote!(rt::FormKind::Read),
        FormKind::Write => quote!(rt::FormKind::Write),
        FormKind::Exec => quote!(rt::FormKind::Exec),
    }
}

/// `AT+NAME` plus the form's suffix.
fn head(req: &Request) -> String {
    let s = match req.kind {
        FormKind::Test => "=?",
        FormKind::Read => "?",
        FormKind::Write => "=",
        FormKind::Exec => "",
    };
    format!("{}{s}", req.cmd.name)
}

/// An expression giving a parameter's current value as `Option<i64>`: from this
/// request when it carries it, else from the settings made by other commands.
fn value_of(shape: &Shape, key: &str, name: &str) -> TokenStream {
    field_value(shape, key).unwrap_or_else(|| quote!(setting(#name)))
}

/// `Option<i64>` of a field of this request, when the request has it.
fn field_value(shape: &Shape, key: &str) -> Option<TokenStream> {
    let f = shape.by_param(key)?;
    let id = &f.ident;
    let conv = f.kind.int_expr(&quote!(v)).unwrap_or(quote!(0i64));
    Some(
        if f.optional && matches!(f.kind, Kind::Int { .. } | Kind::Hex { .. }) {
            quote!(self.#id.map(i64::from))
        } else if f.optional {
            quote!(self.#id.map(|v| #conv))
        } else {
            quote!({ let v = self.#id; Some(#conv) })
        },
    )
}

/// `Option<rt::request::When>` of a condition, naming the parameter as the manual does.
pub(super) fn when(fam: &Family, c: Option<&crate::ir::Condition>) -> TokenStream {
    match c {
        Some(c) => {
            let other = fam
                .params
                .get(&c.param)
                .map_or(c.param.as_str(), |o| o.name.as_str());
            let eq = c.equals;
            quote!(Some(rt::request::When { param: #other, equals: #eq }))
        }
        None => quote!(None),
    }
}

fn unit_ms(unit: Option<&str>) -> u64 {
    match unit.map(str::trim) {
        Some("ms") | Some("毫秒") => 1,
        Some("min") | Some("分钟") => 60_000,
        _ => 1000,
    }
}

fn validate_field(fam: &Family, shape: &Shape, f: &Field, cmd: &str) -> TokenStream {
    let p = f.param;
    let name = &p.name;
    let err = |value: TokenStream, problem: TokenStream| quote!(return Err(rt::ValidationError { family: FAMILY, command: #cmd, param: #name, value: #value, problem: #problem }));
    let mut checks = TokenStream::new();
    if let Some(int) = f.kind.int_expr(&quote!(v)) {
        checks.extend(quote!(let n: i64 = #int;));
        if let Kind::Enum { ty, open: true, .. } = &f.kind {
            let e = err(
                quote!(rt::Value::Int(n)),
                quote!(rt::Problem::NotAValue { allowed: #ty::ALL }),
            );
            checks.extend(quote!(if !#ty::ALL.contains(&n) { #e; }));
        }
        if let Some(t) = p.values_from.as_ref().and_then(|t| fam.tables.get(t)) {
            let subset: Vec<i64> = p
                .values
                .iter()
                .filter_map(|v| match v.value {
                    crate::ir::Literal::Int(i) => Some(i),
                    crate::ir::Literal::Str(_) => None,
                })
                .collect();
            if subset.len() != t.entries.len() {
                let e = err(
                    quote!(rt::Value::Int(n)),
                    quote!(rt::Problem::NotAValue { allowed: &[#(#subset),*] }),
                );
                checks.extend(quote!(if ![#(#subset),*].contains(&n) { #e; }));
            }
        }
        let base = if matches!(f.kind, Kind::Int { .. } | Kind::Hex { .. }) {
            p.range
        } else {
            None
        };
        let mut range_code = match base {
            Some((min, max)) => {
                let e = err(
                    quote!(rt::Value::Int(n)),
                    quote!(rt::Problem::OutOfRange { min: #min, max: #max }),
                );
                quote!(if !(#min..=#max).contains(&n) { #e; })
            }
            None => quote!(),
        };
        for rw in p.range_when.iter().rev() {
            let other = fam
                .params
                .get(&rw.param)
                .map_or(rw.param.as_str(), |o| o.name.as_str());
            let cond = value_of(shape, &rw.param, other);
            let (min, max, eq) = (rw.range.0, rw.range.1, rw.equals);
            let e = err(
                quote!(rt::Value::Int(n)),
                quote!(rt::Problem::OutOfRangeWhen { min: #min, max: #max, other: #other, equals: #eq }),
            );
            range_code = quote!(if #cond == Some(#eq) { if !(#min..=#max).contains(&n) { #e; } } else { #range_code });
        }
        checks.extend(range_code);
        if let Some(sup) = &p.supported {
            let note = p.supported_note.clone().unwrap_or_default();
            let e = err(
                quote!(rt::Value::Int(n)),
                quote!(rt::Problem::NotSupported { supported: &[#(#sup),*], note: #note }),
            );
            checks.extend(quote!(if ![#(#sup),*].contains(&n) { #e; }));
        }
        if let Some(r) = &p.requires {
            let other = fam
                .params
                .get(&r.param)
                .map_or(r.param.as_str(), |o| o.name.as_str());
            let cond = value_of(shape, &r.param, other);
            let eq = r.equals;
            let e = err(
                quote!(rt::Value::Int(n)),
                quote!(rt::Problem::Requires { other: #other, equals: #eq }),
            );
            checks.extend(quote!(if let Some(o) = #cond { if o != #eq { #e; } }));
        }
    } else if matches!(f.kind, Kind::Str) {
        let quoted = p.quoted;
        let max = match p.max_len {
            Some(m) => {
                let m = m as usize;
                quote!(Some(#m))
            }
            None => quote!(None),
        };
        checks.extend(quote!(rt::wire::check_str(FAMILY, #cmd, #name, v, #quoted, #max)?;));
    }
    if checks.is_empty() {
        return quote!();
    }
    let id = &f.ident;
    if f.optional {
        quote!(if let Some(v) = self.#id { #checks })
    } else {
        quote!({ let v = self.#id; #checks })
    }
}

/// `(lead, dependent)` pairs: a dependent parameter of an optional group needs the group's lead.
fn group_pairs(
    tokens: &[Token],
    counter: &mut usize,
    lead: Option<usize>,
    out: &mut Vec<(usize, usize)>,
) {
    for t in tokens {
        let index = *counter;
        *counter += 1;
        match t {
            Token::Param { .. } | Token::Supported { .. } => {
                if let Some(l) = lead {
                    if l != index {
                        out.push((l, index));
                    }
                }
            }
            Token::Optional { tokens: inner } => {
                let first = *counter;
                let mut probe = first;
                let inner_lead = first_param(inner, &mut probe);
                if let (Some(l), Some(il)) = (lead, inner_lead) {
                    out.push((l, il));
                }
                group_pairs(inner, counter, inner_lead.or(lead), out);
            }
            Token::Lit { .. } | Token::LineBreak => {}
        }
    }
}

fn first_param(tokens: &[Token], counter: &mut usize) -> Option<usize> {
    for t in tokens {
        let index = *counter;
        *counter += 1;
        match t {
            Token::Param { .. } | Token::Supported { .. } => return Some(index),
            Token::Optional { tokens: inner } => {
                if let Some(i) = first_param(inner, counter) {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// A request type's items, and the response line structs it defined.
pub struct Emitted {
    pub items: TokenStream,
    pub lines: Vec<(proc_macro2::Ident, bool)>,
}

pub fn emit(
    fam: &Family,
    req: &Request,
    family_type: &proc_macro2::Ident,
) -> Result<Emitted, EmitError> {
    let shape = Shape::new(fam, &req.args)?;
    let cmd = req.cmd.name.as_str();
    let name = ident(&req.name);
    let borrows = shape.borrows();
    let generics = if borrows { quote!(<'a>) } else { quote!() };
    let doc = doc_lines(&request_doc(fam, req.cmd, req.form, &req.what));
    let fields = struct_fields(&shape);
    let field_names: Vec<_> = shape.fields.iter().map(|f| &f.ident).collect();

    let gen = Gen {
        fam,
        shape: &shape,
        mode: Mode::Request,
        command: cmd,
        payload_len: None,
        hex: false,
    };
    let parse_args = gen.parse(&req.args, None)?;
    let write_args = gen.write(&req.args, &|f| {
        let id = &f.ident;
        quote!(self.#id)
    })?;
    let head_text = head(req);
    let at_head = proc_macro2::Literal::byte_string(format!("AT+{head_text}").as_bytes());
    let suffix = &head_text[cmd.len()..];

    // Validation.
    let mut checks: Vec<TokenStream> = shape
        .fields
        .iter()
        .map(|f| validate_field(fam, &shape, f, cmd))
        .collect();
    let mut pairs = Vec::new();
    group_pairs(&req.args, &mut 0, None, &mut pairs);
    for (lead, dep) in pairs {
        if let (Some(l), Some(d)) = (shape.by_token(lead), shape.by_token(dep)) {
            if l.optional && d.optional {
                let (lid, did) = (&l.ident, &d.ident);
                let (lname, dname) = (&l.param.name, &d.param.name);
                checks.push(quote! {
                    if self.#did.is_some() && self.#lid.is_none() {
                        return Err(rt::ValidationError { family: FAMILY, command: #cmd, param: #lname, value: rt::Value::Absent, problem: rt::Problem::NeededBy { later: #dname } });
                    }
                });
            }
        }
    }

    // Maximum response time.
    let max = match &req.cmd.max_response_time {
        Some(t) => {
            let base = t.ms;
            let text = &t.text;
            let plus = match t.plus.as_ref().and_then(|k| fam.params.get(k)) {
                Some(pp) => {
                    let pname = &pp.name;
                    let value = field_value(&shape, &pp.key).unwrap_or_else(|| quote!(None));
                    let default = match &pp.default {
                        Some(crate::ir::Literal::Int(d)) => quote!(Some(#d)),
                        _ => quote!(None),
                    };
                    let unit = unit_ms(pp.unit.as_deref());
                    let unit_by = match &pp.unit_by {
                        Some(u) => {
                            let other = fam
                                .params
                                .get(&u.param)
                                .map_or(u.param.as_str(), |o| o.name.as_str());
                            let pairs = u.units.iter().filter_map(|(k, v)| {
                                let k: i64 = k.parse().ok()?;
                                let ms = unit_ms(Some(v));
                                Some(quote!((#k, #ms)))
                            });
                            quote!(Some((#other, &[#(#pairs),*])))
                        }
                        None => quote!(None),
                    };
                    quote!(Some(rt::request::PlusParam { param: #pname, value: #value, default: #default, unit_ms: #unit, unit_by: #unit_by }))
                }
                None => quote!(None),
            };
            quote!(rt::MaxResponse { base_ms: #base, plus: #plus, text: #text })
        }
        None => quote!(rt::MaxResponse {
            base_ms: 300,
            plus: None,
            text: "not stated in the manual; 300 ms assumed"
        }),
    };

    // Data phase (only the form's own write type has it; queries don't).
    let is_query = req.what.starts_with("query");
    let data = match (&req.form.data, is_query) {
        (Some(d), false) => {
            let end = match (d.end, d.length.as_ref().and_then(|l| shape.by_param(l))) {
                (DataEnd::Length, Some(f)) => {
                    let id = &f.ident;
                    let conv = f.kind.int_expr(&quote!(self.#id)).unwrap_or(quote!(0i64));
                    quote!(rt::DataEnd::Length(usize::try_from(#conv).unwrap_or(usize::MAX)))
                }
                _ => quote!(rt::DataEnd::CtrlZ),
            };
            let max_len = match d.max_len {
                Some(m) => {
                    let m = m as usize;
                    quote!(Some(#m))
                }
                None => quote!(None),
            };
            let hex_when = when(fam, d.hex_when.as_ref());
            let checksum = match d.checksum.as_ref().map(|c| c.algorithm) {
                Some(ChecksumAlgorithm::ByteCount) => {
                    quote!(Some(rt::request::ChecksumKind::ByteCount))
                }
                Some(ChecksumAlgorithm::Xor16) => quote!(Some(rt::request::ChecksumKind::Xor16)),
                None => quote!(None),
            };
            let wait = d.prompt_wait_ms.unwrap_or(0);
            let secret = d.secret;
            quote! {
                fn data_phase(&self) -> Option<rt::DataPhase> {
                    Some(rt::DataPhase { end: #end, max_len: #max_len, hex_when: #hex_when, checksum: #checksum, prompt_wait_ms: #wait, secret: #secret })
                }
            }
        }
        _ => quote!(),
    };

    // Transparent mode and result URC.
    let connects = match (&req.form.connect_when, is_query) {
        (Some(c), false) => {
            let other = fam
                .params
                .get(&c.param)
                .map_or(c.param.as_str(), |o| o.name.as_str());
            let v = value_of(&shape, &c.param, other);
            let eq = c.equals;
            let v = if shape.by_param(&c.param).is_some() {
                v
            } else {
                quote!(None::<i64>)
            };
            quote!(fn connects(&self) -> bool { #v == Some(#eq) })
        }
        _ => quote!(),
    };
    let result = match (&req.form.result_urc, is_query) {
        (Some(id), false) => {
            let urc = fam
                .urcs
                .iter()
                .find(|u| &u.id == id)
                .ok_or_else(|| EmitError(format!("result URC `{id}` missing")))?;
            let variant = ident(&urc.rust);
            let ushape = Shape::new(fam, &urc.line.tokens)?;
            let compares = ushape
                .fields
                .iter()
                .filter(|uf| !uf.optional)
                .filter_map(|uf| {
                    let rf = shape.by_param(&uf.param.key)?;
                    let (u, r) = (&uf.ident, &rf.ident);
                    Some(if rf.optional {
                        quote!(self.#r.is_none_or(|v| v == u.#u))
                    } else {
                        quote!(self.#r == u.#u)
                    })
                })
                .collect::<Vec<TokenStream>>();
            let matches = if compares.is_empty() {
                quote!(true)
            } else {
                quote!(#(#compares)&&*)
            };
            quote! {
                fn expects_result_urc(&self) -> bool {
                    !self.connects()
                }
                fn is_result(&self, urc: &<Self::Family as rt::Family>::Urc<'_>) -> bool {
                    match urc {
                        Urc::#variant(u) => #matches,
                        _ => false,
                    }
                }
            }
        }
        _ => quote!(),
    };

    // Settings a configuration write makes, and secrets to keep out of logs.
    let records_settings = !is_query
        && req.kind == FormKind::Write
        && (req.cmd.sub.is_some() || req.cmd.name.ends_with("CFG"));
    let setting_stmts: Vec<TokenStream> = if records_settings {
        shape
            .fields
            .iter()
            .filter_map(|f| {
                let conv = f.kind.int_expr(&quote!(v))?;
                let (id, name) = (&f.ident, &f.param.name);
                Some(if f.optional {
                    quote!(if let Some(v) = self.#id { record(#name, #conv); })
                } else {
                    quote!({ let v = self.#id; record(#name, #conv); })
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let settings_fn = if setting_stmts.is_empty() {
        quote!()
    } else {
        quote!(fn settings(&self, record: &mut dyn FnMut(&'static str, i64)) { #(#setting_stmts)* })
    };
    let secret_stmts: Vec<TokenStream> = shape
        .fields
        .iter()
        .filter(|f| f.param.secret && matches!(f.kind, Kind::Str | Kind::Bytes))
        .map(|f| {
            let id = &f.ident;
            let bytes = if matches!(f.kind, Kind::Str) {
                quote!(v.as_bytes())
            } else {
                quote!(v)
            };
            if f.optional {
                quote!(if let Some(v) = self.#id { record(#bytes); })
            } else {
                quote!({ let v = self.#id; record(#bytes); })
            }
        })
        .collect();
    let secrets_fn = if secret_stmts.is_empty() {
        quote!()
    } else {
        quote!(fn secrets(&self, record: &mut dyn FnMut(&[u8])) { #(#secret_stmts)* })
    };

    let all_optional = req.kind == FormKind::Test;
    let resp_doc = format!("The information response of [`{}`].", req.name);
    let resp = response(fam, &req.name, &req.responses, all_optional, &resp_doc)?;
    let resp_lines = resp.lines;
    let resp_ty = resp.ty;
    let resp_items = resp.items;
    let resp_parse = resp.parse;
    let sub = match &req.cmd.sub {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    };
    let section = &req.cmd.section;
    let kind = form_kind(req.kind);
    let what = format!("AT+{cmd} command line");
    let cursor_lt = if borrows { quote!('a) } else { quote!('_) };
    let syntax = &req.form.syntax;
    let derives = quote! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
    };
    let body = if shape.fields.is_empty() {
        quote!(pub struct #name;)
    } else {
        quote!(pub struct #name #generics { #fields })
    };
    let construct = if shape.fields.is_empty() {
        quote!(Self)
    } else {
        quote!(Self { #(#field_names),* })
    };
    let _ = upper_camel;
    let items = quote! {
        #doc
        #derives
        #body

        impl #generics #name #generics {
            /// The form as the manual writes it.
            pub const SYNTAX: &'static str = #syntax;

            /// Parses a command line (`AT+…`, CR LF optional) of this form and validates it.
            #[allow(unused_variables)]
            pub fn parse(line: &#cursor_lt [u8]) -> Result<Self, rt::RequestError> {
                let mut p = rt::wire::Cursor::new(FAMILY, #what, line);
                p.lit_ci("AT+")?;
                p.lit_ci(#cmd)?;
                p.lit(#suffix)?;
                #parse_args
                p.line_end()?;
                let r = #construct;
                rt::AtRequest::validate(&r)?;
                Ok(r)
            }
        }

        impl #generics rt::AtRequest for #name #generics {
            type Family = #family_type;
            const COMMAND: &'static str = #cmd;
            const SUB: Option<&'static str> = #sub;
            const FORM: rt::FormKind = #kind;
            const SECTION: &'static str = #section;
            type Response<'r> = #resp_ty;

            #[allow(unused_variables)]
            fn validate_in(&self, setting: &dyn Fn(&str) -> Option<i64>) -> Result<(), rt::ValidationError> {
                #(#checks)*
                Ok(())
            }

            fn write_line<S: rt::ByteSink + ?Sized>(&self, sink: &mut S) -> Result<(), rt::Overflow> {
                sink.put(#at_head)?;
                #write_args
                sink.put(b"\r")
            }

            #[allow(unused_variables)]
            fn max_response(&self) -> rt::MaxResponse {
                #max
            }

            #data
            #connects
            #result
            #settings_fn
            #secrets_fn

            fn parse_response(block: &[u8]) -> Result<Self::Response<'_>, rt::ParseError> {
                #resp_parse
            }
        }

        #resp_items
    };
    Ok(Emitted {
        items,
        lines: resp_lines,
    })
}

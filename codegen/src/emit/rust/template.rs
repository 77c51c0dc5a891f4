//! Code for one template (command arguments, a response line, a URC): the
//! fields it holds, and the statements that parse and write it in order.

use super::fields::{expected, ident, kind, type_bounds, Kind, Repr};
use super::EmitError;
use crate::ir::{Family, Param};
use crate::template::Token;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// A field of a generated struct: one `<param>` of a template.
#[derive(Debug, Clone)]
pub struct Field<'f> {
    pub param: &'f Param,
    pub ident: Ident,
    pub kind: Kind,
    /// Inside an optional group: `Option<T>`.
    pub optional: bool,
    /// Index of the template token (depth-first) it comes from.
    pub token: usize,
}

impl Field<'_> {
    pub fn ty(&self) -> TokenStream {
        let t = self.kind.ty();
        if self.optional {
            quote!(Option<#t>)
        } else {
            t
        }
    }
}

/// The fields of a template, in order.
#[derive(Debug, Clone)]
pub struct Shape<'f> {
    pub fields: Vec<Field<'f>>,
}

impl<'f> Shape<'f> {
    pub fn new(fam: &'f Family, tokens: &[Token]) -> Result<Self, EmitError> {
        let mut fields = Vec::new();
        let mut counter = 0;
        collect(fam, tokens, false, &mut fields, &mut counter)?;
        Ok(Shape { fields })
    }

    pub fn borrows(&self) -> bool {
        self.fields.iter().any(|f| f.kind.borrows())
    }

    pub fn by_token(&self, token: usize) -> Option<&Field<'f>> {
        self.fields.iter().find(|f| f.token == token)
    }

    pub fn by_param(&self, key: &str) -> Option<&Field<'f>> {
        self.fields.iter().find(|f| f.param.key == key)
    }
}

fn collect<'f>(
    fam: &'f Family,
    tokens: &[Token],
    optional: bool,
    out: &mut Vec<Field<'f>>,
    counter: &mut usize,
) -> Result<(), EmitError> {
    for t in tokens {
        let index = *counter;
        *counter += 1;
        match t {
            Token::Param { name, .. } | Token::Supported { name, .. } => {
                let param = fam
                    .params
                    .get(name)
                    .ok_or_else(|| EmitError(format!("undeclared <{name}>")))?;
                let k = kind(fam, param, matches!(t, Token::Supported { .. }))?;
                let mut id = param.rust.clone();
                let mut n = 2;
                while out.iter().any(|f: &Field| f.ident == id.as_str()) {
                    id = format!("{}_{n}", param.rust);
                    n += 1;
                }
                out.push(Field {
                    param,
                    ident: ident(&id),
                    kind: k,
                    optional,
                    token: index,
                });
            }
            Token::Optional { tokens } => collect(fam, tokens, true, out, counter)?,
            Token::Lit { .. } | Token::LineBreak => {}
        }
    }
    Ok(())
}

/// What a parse is for: module output (errors are parse errors) or a command
/// line (values that don't fit are validation errors naming the parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Response,
    Request,
}

/// Context for generated statements.
pub struct Gen<'a, 'f> {
    pub fam: &'f Family,
    pub shape: &'a Shape<'f>,
    pub mode: Mode,
    /// The command name for validation errors (request mode).
    pub command: &'a str,
    /// The local holding the payload length of this line (`payload_length`).
    pub payload_len: Option<Ident>,
    /// The line honours the `hex` flag (`payload_hex_when`).
    pub hex: bool,
}

/// The first literal text of a token list (to decide whether an optional group is present).
fn first_lit(tokens: &[Token]) -> Option<&str> {
    match tokens.first() {
        Some(Token::Lit { text }) => Some(text.as_str()),
        Some(Token::LineBreak) => Some("\r\n"),
        _ => None,
    }
}

/// The bytes that may end an unquoted string: the first byte of the next literal.
fn stops_after(tokens: &[Token], i: usize) -> Vec<u8> {
    match tokens.get(i + 1) {
        Some(Token::Lit { text }) => text.bytes().take(1).collect(),
        Some(Token::Optional { tokens }) => first_lit(tokens)
            .map(|t| t.bytes().take(1).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

impl Gen<'_, '_> {
    /// Statements binding one local per field (named like the field), in template order.
    /// `upto`: stop before this token index (payload probes).
    pub fn parse(&self, tokens: &[Token], upto: Option<usize>) -> Result<TokenStream, EmitError> {
        let mut counter = 0;
        let (stmts, _) = self.parse_seq(tokens, &mut counter, upto)?;
        Ok(stmts)
    }

    fn parse_seq(
        &self,
        tokens: &[Token],
        counter: &mut usize,
        upto: Option<usize>,
    ) -> Result<(TokenStream, Vec<(Ident, bool)>), EmitError> {
        let mut out = TokenStream::new();
        let mut bound = Vec::new();
        for (i, t) in tokens.iter().enumerate() {
            let index = *counter;
            if upto.is_some_and(|u| index >= u) {
                break;
            }
            *counter += 1;
            match t {
                Token::Lit { text } => out.extend(quote!(p.lit(#text)?;)),
                Token::LineBreak => out.extend(quote!(p.lit("\r\n")?;)),
                Token::Param { .. } | Token::Supported { .. } => {
                    let f = self
                        .shape
                        .by_token(index)
                        .ok_or_else(|| EmitError("template field lost".into()))?;
                    out.extend(self.parse_field(f, &stops_after(tokens, i))?);
                    bound.push((f.ident.clone(), false));
                }
                Token::Optional { tokens: inner } => {
                    let (stmts, inner_bound) = self.parse_seq(inner, counter, upto)?;
                    if inner_bound.is_empty() {
                        // A group of literals only: consume it when present.
                        if let Some(lit) = first_lit(inner) {
                            out.extend(quote!(if p.peek(#lit) { #stmts }));
                        }
                        continue;
                    }
                    let cond = match first_lit(inner) {
                        Some(lit) => quote!(p.peek(#lit)),
                        None => quote!(!p.at_line_end()),
                    };
                    let names: Vec<&Ident> = inner_bound.iter().map(|(n, _)| n).collect();
                    let some =
                        inner_bound.iter().map(
                            |(n, opt)| {
                                if *opt {
                                    quote!(#n)
                                } else {
                                    quote!(Some(#n))
                                }
                            },
                        );
                    let nones = inner_bound.iter().map(|_| quote!(None));
                    out.extend(quote! {
                        let (#(#names,)*) = if #cond {
                            #stmts
                            (#(#some,)*)
                        } else {
                            (#(#nones,)*)
                        };
                    });
                    bound.extend(inner_bound.into_iter().map(|(n, _)| (n, true)));
                }
            }
        }
        Ok((out, bound))
    }

    fn conv_err(
        &self,
        f: &Field,
        raw: TokenStream,
        problem: TokenStream,
        exp: &str,
    ) -> TokenStream {
        match self.mode {
            Mode::Response => quote!(p.error_at(start, #exp)),
            Mode::Request => {
                let name = &f.param.name;
                let cmd = self.command;
                quote!(rt::RequestError::Invalid(rt::ValidationError {
                    family: FAMILY,
                    command: #cmd,
                    param: #name,
                    value: rt::Value::Int(#raw),
                    problem: #problem,
                }))
            }
        }
    }

    fn parse_field(&self, f: &Field, stops: &[u8]) -> Result<TokenStream, EmitError> {
        let p = f.param;
        let id = &f.ident;
        let exp = expected(p, &f.kind, self.fam);
        let quoted = p.quoted;
        let (open_q, close_q) = if quoted {
            (quote!(p.lit("\"")?;), quote!(p.lit("\"")?;))
        } else {
            (quote!(), quote!())
        };
        let prefixed = !p.hex.prefix.is_empty();
        Ok(match &f.kind {
            Kind::Int { ty } | Kind::Hex { ty } => {
                let read = if matches!(f.kind, Kind::Hex { .. }) {
                    quote!(p.hex(#exp, #prefixed)?)
                } else {
                    quote!(p.int(#exp)?)
                };
                let (min, max) = p.range.unwrap_or_else(|| type_bounds(ty));
                let err = self.conv_err(
                    f,
                    quote!(raw),
                    quote!(rt::Problem::OutOfRange { min: #min, max: #max }),
                    &exp,
                );
                quote! {
                    #open_q
                    let start = p.pos();
                    let raw = #read;
                    let #id = #ty::try_from(raw).map_err(|_| #err)?;
                    #close_q
                }
            }
            Kind::Enum {
                ty,
                repr: repr @ (Repr::Int | Repr::Hex),
                ..
            } => {
                let read = if *repr == Repr::Hex {
                    quote!(p.hex(#exp, #prefixed)?)
                } else {
                    quote!(p.int(#exp)?)
                };
                let err = self.conv_err(
                    f,
                    quote!(raw),
                    quote!(rt::Problem::NotAValue { allowed: #ty::ALL }),
                    &exp,
                );
                let lazy = match self.mode {
                    Mode::Response => quote!(#ty::from_value(raw).ok_or_else(|| #err)?),
                    Mode::Request => quote!(#ty::from_value(raw).ok_or(#err)?),
                };
                quote! {
                    #open_q
                    let start = p.pos();
                    let raw = #read;
                    let #id = #lazy;
                    #close_q
                }
            }
            Kind::Enum { ty, .. } => {
                let read = if quoted {
                    quote!(p.quoted(#exp)?)
                } else {
                    quote!(p.bare(#exp, &[#(#stops),*])?)
                };
                let err = match self.mode {
                    Mode::Response => quote!(p.error_at(start, #exp)),
                    Mode::Request => quote!(rt::RequestError::Parse(p.error_at(start, #exp))),
                };
                let lazy = quote!(#ty::from_value(raw).ok_or_else(|| #err)?);
                quote! {
                    let start = p.pos();
                    let raw = #read;
                    let #id = #lazy;
                }
            }
            Kind::Str => {
                if quoted {
                    quote!(let #id = p.quoted(#exp)?;)
                } else {
                    quote!(let #id = p.bare(#exp, &[#(#stops),*])?;)
                }
            }
            Kind::Supported => quote!(let #id = p.supported(#exp)?;),
            Kind::Bytes => {
                let len = self.payload_len.clone().ok_or_else(|| {
                    EmitError(format!("payload <{}> without its length field", p.key))
                })?;
                let double = if self.hex {
                    quote!(let n = if hex { n.saturating_mul(2) } else { n };)
                } else {
                    quote!()
                };
                quote! {
                    let start = p.pos();
                    let n = usize::try_from(i64::from(#len)).map_err(|_| p.error_at(start, #exp))?;
                    #double
                    #open_q
                    let #id = p.take(#exp, n)?;
                    #close_q
                }
            }
        })
    }

    /// Statements writing the template; `v(field)` is the expression of a field's value.
    pub fn write(
        &self,
        tokens: &[Token],
        access: &dyn Fn(&Field) -> TokenStream,
    ) -> Result<TokenStream, EmitError> {
        let mut counter = 0;
        self.write_seq(tokens, &mut counter, access)
    }

    fn write_seq(
        &self,
        tokens: &[Token],
        counter: &mut usize,
        access: &dyn Fn(&Field) -> TokenStream,
    ) -> Result<TokenStream, EmitError> {
        let mut out = TokenStream::new();
        for t in tokens {
            let index = *counter;
            *counter += 1;
            match t {
                Token::Lit { text } => {
                    let b = proc_macro2::Literal::byte_string(text.as_bytes());
                    out.extend(quote!(sink.put(#b)?;));
                }
                Token::LineBreak => out.extend(quote!(sink.put(b"\r\n")?;)),
                Token::Param { .. } | Token::Supported { .. } => {
                    let f = self
                        .shape
                        .by_token(index)
                        .ok_or_else(|| EmitError("template field lost".into()))?;
                    let value = access(f);
                    let put = self.write_field(f, quote!(v));
                    if f.optional {
                        out.extend(quote!(if let Some(v) = #value { #put }));
                    } else {
                        out.extend(quote!({ let v = #value; #put }));
                    }
                }
                Token::Optional { tokens: inner } => {
                    let first = *counter;
                    let stmts = self.write_seq(inner, counter, access)?;
                    let lead = self
                        .shape
                        .fields
                        .iter()
                        .find(|f| f.token >= first && f.token < *counter);
                    match lead {
                        Some(f) => {
                            let value = access(f);
                            out.extend(quote!(if #value.is_some() { #stmts }));
                        }
                        None => out.extend(stmts),
                    }
                }
            }
        }
        Ok(out)
    }

    fn write_field(&self, f: &Field, v: TokenStream) -> TokenStream {
        let p = f.param;
        let quoted = p.quoted;
        let (prefix, digits, lower) = (&p.hex.prefix, usize::from(p.hex.digits), p.hex.lowercase);
        let q = |inner: TokenStream| {
            if quoted {
                quote!(sink.put(b"\"")?; #inner sink.put(b"\"")?;)
            } else {
                inner
            }
        };
        match &f.kind {
            Kind::Int { .. } => q(quote!(rt::wire::put_int(sink, i64::from(#v))?;)),
            Kind::Hex { .. } => {
                q(quote!(rt::wire::put_hex_fmt(sink, i64::from(#v), #prefix, #digits, #lower)?;))
            }
            Kind::Enum {
                repr: Repr::Int, ..
            } => q(quote!(rt::wire::put_int(sink, #v.value())?;)),
            Kind::Enum {
                repr: Repr::Hex, ..
            } => q(quote!(rt::wire::put_hex_fmt(sink, #v.value(), #prefix, #digits, #lower)?;)),
            Kind::Enum {
                repr: Repr::Str, ..
            } => quote!(rt::wire::put_str(sink, #v.as_str(), #quoted)?;),
            Kind::Str => quote!(rt::wire::put_str(sink, #v, #quoted)?;),
            Kind::Supported => quote!(sink.put(b"(")?; sink.put(#v.as_bytes())?; sink.put(b")")?;),
            Kind::Bytes => q(quote!(sink.put(#v)?;)),
        }
    }
}

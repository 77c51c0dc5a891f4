//! One template (command arguments, a response line, a URC): the fields it
//! holds, and its descriptor (`rt::desc::Template`) for the runtime's codec.

use super::fields::{ident, kind, Kind};
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
    /// In a test response: the manual's `<name>`, which a module may print
    /// instead of a value (the field is then `None`).
    pub placeholder: Option<String>,
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

    /// Marks the fields of these template names (a test line's bare
    /// placeholders): `Option`s, `None` where the module prints `<name>`.
    pub fn placeholders(mut self, names: &[String], tokens: &[Token]) -> Self {
        let mut at = 0;
        let mut by_token = Vec::new();
        index_names(tokens, &mut at, &mut by_token);
        for f in &mut self.fields {
            let name = by_token.iter().find(|(i, _)| *i == f.token).map(|(_, n)| n);
            if let Some(n) = name.filter(|n| names.contains(n)) {
                f.optional = true;
                f.placeholder = Some(format!("<{n}>"));
            }
        }
        self
    }

    pub fn borrows(&self) -> bool {
        self.fields.iter().any(|f| f.kind.borrows())
    }
}

/// (depth-first token index, name) of every bare `<name>`.
fn index_names(tokens: &[Token], at: &mut usize, out: &mut Vec<(usize, String)>) {
    for t in tokens {
        let index = *at;
        *at += 1;
        match t {
            Token::Param { name, .. } => out.push((index, name.clone())),
            Token::Optional { tokens } => index_names(tokens, at, out),
            _ => {}
        }
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
                    // An integer that may be left empty reads as absent.
                    optional: optional || param.empty,
                    token: index,
                    placeholder: None,
                });
            }
            Token::Optional { tokens } => collect(fam, tokens, true, out, counter)?,
            Token::Lit { .. } | Token::LineBreak => {}
        }
    }
    Ok(())
}

impl Shape<'_> {
    /// The arguments of `Template::new(text, tokens, fields)` (names from
    /// `rt::desc`), as `form!` and `line_desc!` take them: the text, the
    /// flattened tokens and the fields. `params` names a parameter's
    /// descriptor static; `length` is the parameter giving a payload's length.
    pub fn descriptor(
        &self,
        text: &str,
        tokens: &[Token],
        params: &dyn Fn(&str) -> Ident,
        length: Option<&str>,
    ) -> Result<TokenStream, EmitError> {
        let mut toks = Vec::new();
        let mut counter = 0;
        self.flatten(tokens, &mut counter, &mut toks)?;
        let len_index = match length {
            Some(key) => Some(
                self.fields
                    .iter()
                    .position(|f| f.param.key == key)
                    .ok_or_else(|| EmitError(format!("payload length <{key}> not in `{text}`")))?,
            ),
            None => None,
        };
        let fields = self.fields.iter().map(|f| {
            let p = params(&f.param.key);
            let mut field = if f.optional {
                quote!(opt(&#p))
            } else {
                quote!(of(&#p))
            };
            if let Some(ph) = &f.placeholder {
                field.extend(quote!(.placeholder(#ph)));
            }
            if let (Kind::Bytes, Some(i)) = (&f.kind, len_index) {
                let i = super::desc::index(i);
                field.extend(quote!(.payload(#i)));
            }
            field
        });
        Ok(quote!(#text, &[#(#toks),*], &[#(#fields),*]))
    }

    fn flatten(
        &self,
        tokens: &[Token],
        counter: &mut usize,
        out: &mut Vec<TokenStream>,
    ) -> Result<(), EmitError> {
        for t in tokens {
            let index = *counter;
            *counter += 1;
            match t {
                Token::Lit { text } => out.push(quote!(Lit(#text))),
                Token::LineBreak => out.push(quote!(LineBreak)),
                Token::Param { .. } | Token::Supported { .. } => {
                    let i = self
                        .fields
                        .iter()
                        .position(|f| f.token == index)
                        .ok_or_else(|| EmitError("template field lost".into()))?;
                    if u8::try_from(i).is_err() {
                        return Err(EmitError("too many fields".into()));
                    }
                    let n = super::desc::index(i);
                    if let Token::Supported { .. } = t {
                        out.push(quote!(Supported(#n)));
                    } else {
                        out.push(quote!(F(#n)));
                    }
                }
                Token::Optional { tokens: inner } => {
                    let at = out.len();
                    out.push(TokenStream::new());
                    self.flatten(inner, counter, out)?;
                    let len = out.len() - at - 1;
                    if u8::try_from(len).is_err() {
                        return Err(EmitError("optional group too long".into()));
                    }
                    let len = super::desc::index(len);
                    out[at] = quote!(Group(#len));
                }
            }
        }
        Ok(())
    }
}

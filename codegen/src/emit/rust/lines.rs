//! Line structs (one per response line or URC) and response structs (the
//! information lines of one request), with their parsers and formatters.

use super::docs::{lines as doc_lines, md, param as param_doc};
use super::fields::{ident, supported_text, Kind};
use super::template::{Gen, Mode, Shape};
use super::EmitError;
use crate::ir::{Family, Line};
use crate::names::upper_camel;
use crate::template::Token;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// A generated line struct.
pub struct LineType {
    pub name: Ident,
    pub borrows: bool,
    pub items: TokenStream,
    /// It has a `SUPPORTED` constant (a test response line built from the spec).
    pub supported: bool,
}

impl LineType {
    /// The type with its lifetime, using `lt`.
    pub fn ty(&self, lt: TokenStream) -> TokenStream {
        let n = &self.name;
        if self.borrows {
            quote!(#n<#lt>)
        } else {
            quote!(#n)
        }
    }
}

fn derives() -> TokenStream {
    quote! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
    }
}

/// Struct fields with their docs (`'a` lifetime).
pub fn fields(shape: &Shape) -> TokenStream {
    let fields = shape.fields.iter().map(|f| {
        let doc = doc_lines(&param_doc(f.param));
        let alias = (f.ident != f.param.name.as_str()).then(|| {
            let a = &f.param.name;
            quote!(#[doc(alias = #a)])
        });
        let serde = matches!(f.kind, super::fields::Kind::Bytes).then(
            || quote!(#[cfg_attr(feature = "serde", serde(serialize_with = "rt::serde_bytes"))]),
        );
        let id = &f.ident;
        let ty = f.ty();
        quote!(#doc #alias #serde pub #id: #ty,)
    });
    quote!(#(#fields)*)
}

/// A struct for one line template, with `parse_with`, `parse_line` and `write_to`.
pub fn line_type(
    fam: &Family,
    name: &str,
    line: &Line,
    doc: &str,
    test: bool,
) -> Result<LineType, EmitError> {
    let shape = Shape::new(fam, &line.tokens)?;
    let supported = if test {
        supported_const(fam, &shape)
    } else {
        None
    };
    let payload_len = match &line.payload_length {
        Some(key) => Some(
            shape
                .by_param(key)
                .map(|f| f.ident.clone())
                .ok_or_else(|| {
                    EmitError(format!("payload length <{key}> not in `{}`", line.template))
                })?,
        ),
        None => None,
    };
    let gen = Gen {
        fam,
        shape: &shape,
        mode: Mode::Response,
        command: "",
        payload_len,
        hex: line.payload_hex_when.is_some(),
    };
    let parse = gen.parse(&line.tokens, None)?;
    let write = gen.write(&line.tokens, &|f| {
        let id = &f.ident;
        quote!(self.#id)
    })?;
    let name_id = ident(name);
    let borrows = shape.borrows();
    let fields = fields(&shape);
    let names = shape.fields.iter().map(|f| &f.ident);
    let template = &line.template;
    let mut text = doc.to_string();
    text.push_str(&format!("\n\n`{}`", line.template));
    if let Some(d) = &line.description {
        text.push_str(&format!("\n\n{}", md(d)));
    }
    if let Some(h) = &line.payload_hex_when {
        text.push_str(&format!(
            "\n\nThe payload is hex text while `<{}>`={}.",
            h.param, h.equals
        ));
    }
    let doc = doc_lines(&text);
    let derives = derives();
    let (generics, cursor_lt) = if borrows {
        (quote!(<'a>), quote!('a))
    } else {
        (quote!(), quote!('_))
    };
    let what = format!("`{}`", line.template);
    let has_supported = supported.is_some();
    let supported_item = supported.map(|body| {
        quote! {
            /// The line a module prints for the test command: every range and list of
            /// supported values from the spec, other values by their manual name.
            pub const SUPPORTED: Self = #body;
        }
    });
    let items = quote! {
        #doc
        #derives
        pub struct #name_id #generics {
            #fields
        }

        impl #generics #name_id #generics {
            /// The line as the manual writes it.
            pub const TEMPLATE: &'static str = #template;

            #supported_item

            /// Parses the line (and its payload) at the cursor, including its CR LF.
            /// `hex`: payloads are hex text (twice as many bytes on the wire).
            #[allow(unused_variables)]
            pub fn parse_with(p: &mut rt::wire::Cursor<#cursor_lt>, hex: bool) -> Result<Self, rt::ParseError> {
                #parse
                p.eol()?;
                Ok(Self { #(#names),* })
            }

            /// Parses the line at the cursor (payloads as raw bytes).
            pub fn parse_line(p: &mut rt::wire::Cursor<#cursor_lt>) -> Result<Self, rt::ParseError> {
                Self::parse_with(p, false)
            }

            /// Parses exactly one line (a URC frame, or one information line).
            pub fn parse(input: &#cursor_lt [u8], hex: bool) -> Result<Self, rt::ParseError> {
                let mut p = rt::wire::Cursor::new(FAMILY, #what, input);
                let v = Self::parse_with(&mut p, hex)?;
                p.end()?;
                Ok(v)
            }

            /// Writes the line as the module prints it, with its CR LF.
            pub fn write_to<S: rt::ByteSink + ?Sized>(&self, sink: &mut S) -> Result<(), rt::Overflow> {
                #write
                sink.put(b"\r\n")
            }
        }
    };
    Ok(LineType {
        name: name_id,
        borrows,
        items,
        supported: has_supported,
    })
}

/// `Self { … }` of a test response line, when every field can be derived from the spec
/// (ranges and lists of supported values; strings shown as `<name>`).
fn supported_const(fam: &Family, shape: &Shape) -> Option<TokenStream> {
    let fields = shape
        .fields
        .iter()
        .map(|f| {
            let text = match f.kind {
                Kind::Supported => supported_text(fam, f.param),
                Kind::Str => format!("<{}>", f.param.name),
                _ => return None,
            };
            let id = &f.ident;
            Some(if f.optional {
                quote!(#id: Some(#text))
            } else {
                quote!(#id: #text)
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(quote!(Self { #(#fields),* }))
}

/// A field name for a line of a multi-line response: its sub-command keyword or `line<i>`.
fn line_field_name(line: &Line, i: usize, taken: &[String]) -> String {
    let keyword = line.tokens.iter().find_map(|t| match t {
        Token::Lit { text } => {
            let mut parts = text.split('"');
            parts.next();
            parts.next().filter(|k| {
                !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
        }
        _ => None,
    });
    let base = keyword
        .map(crate::names::snake_case)
        .unwrap_or_else(|| format!("line{}", i + 1));
    if taken.contains(&base) {
        format!("{base}_{}", i + 1)
    } else {
        base
    }
}

/// The response of one request: its type, items, parser and formatter.
pub struct ResponseType {
    /// `type Response<'r> = …;`
    pub ty: TokenStream,
    pub items: TokenStream,
    /// Body of `parse_response(block)`.
    pub parse: TokenStream,
    /// The line structs it defines: (name, borrows).
    pub lines: Vec<(Ident, bool)>,
}

pub fn response(
    fam: &Family,
    req_name: &str,
    lines: &[Line],
    all_optional: bool,
    doc: &str,
) -> Result<ResponseType, EmitError> {
    let what = format!("{req_name} response");
    if lines.is_empty() {
        return Ok(ResponseType {
            ty: quote!(()),
            items: quote!(),
            lines: Vec::new(),
            parse: quote! {
                if block.is_empty() {
                    Ok(())
                } else {
                    Err(rt::wire::Cursor::new(FAMILY, #what, block).error("no information response"))
                }
            },
        });
    }
    let single = lines.len() == 1 && !lines[0].repeat && !lines[0].optional && !all_optional;
    if single {
        let lt = line_type(fam, &format!("{req_name}Response"), &lines[0], doc, false)?;
        let ty = lt.ty(quote!('r));
        let name = &lt.name;
        let items = lt.items;
        return Ok(ResponseType {
            ty,
            items,
            lines: vec![(lt.name.clone(), lt.borrows)],
            parse: quote! {
                let mut p = rt::wire::Cursor::new(FAMILY, #what, block);
                let v = #name::parse_line(&mut p)?;
                p.end()?;
                Ok(v)
            },
        });
    }
    let mut items = TokenStream::new();
    let mut field_defs = Vec::new();
    let mut stmts = Vec::new();
    let mut writes = Vec::new();
    let mut names: Vec<Ident> = Vec::new();
    let mut taken = Vec::new();
    let mut borrows = false;
    let mut line_names = Vec::new();
    let mut supported_fields = Vec::new();
    let mut all_supported = all_optional;
    for (i, l) in lines.iter().enumerate() {
        let fname = line_field_name(l, i, &taken);
        taken.push(fname.clone());
        let tname = format!("{req_name}{}", upper_camel(&fname));
        let lt = line_type(
            fam,
            &tname,
            l,
            &format!("A line of the {req_name} response."),
            all_optional,
        )?;
        if lt.supported && !l.repeat {
            let (lname, fid) = (&lt.name, ident(&fname));
            supported_fields.push(quote!(#fid: Some(#lname::SUPPORTED)));
        } else {
            all_supported = false;
        }
        items.extend(lt.items.clone());
        line_names.push((lt.name.clone(), lt.borrows));
        let lty = lt.ty(quote!('a));
        let lname = &lt.name;
        let fid = ident(&fname);
        let mut fdoc = format!("`{}`", l.template);
        if let Some(d) = &l.description {
            fdoc.push_str(&format!("\n\n{}", md(d)));
        }
        let fdoc = doc_lines(&fdoc);
        let optional = l.optional || all_optional;
        if l.repeat {
            borrows = true;
            field_defs.push(quote!(#fdoc pub #fid: rt::Repeated<'a, #lty>,));
            let need_check = if optional {
                quote!()
            } else {
                quote!(if count == 0 { return Err(p.error(#tname)); })
            };
            stmts.push(quote! {
                let from = p.clone();
                let mut count = 0usize;
                while !p.rest().is_empty() {
                    let save = p.pos();
                    if #lname::parse_line(&mut p).is_err() {
                        p.reset(save);
                        break;
                    }
                    count += 1;
                }
                #need_check
                let #fid = rt::Repeated::new(from, count, #lname::parse_line);
            });
            writes.push(quote!(for l in self.#fid.clone() { l.write_to(sink)?; }));
        } else if optional {
            borrows |= lt.borrows;
            field_defs.push(quote!(#fdoc pub #fid: Option<#lty>,));
            stmts.push(quote! {
                let save = p.pos();
                let #fid = match #lname::parse_line(&mut p) {
                    Ok(v) => Some(v),
                    Err(_) => {
                        p.reset(save);
                        None
                    }
                };
            });
            writes.push(quote!(if let Some(l) = &self.#fid { l.write_to(sink)?; }));
        } else {
            borrows |= lt.borrows;
            field_defs.push(quote!(#fdoc pub #fid: #lty,));
            stmts.push(quote!(let #fid = #lname::parse_line(&mut p)?;));
            writes.push(quote!(self.#fid.write_to(sink)?;));
        }
        names.push(fid);
    }
    let rname = ident(&format!("{req_name}Response"));
    let generics = if borrows { quote!(<'a>) } else { quote!() };
    let ty = if borrows {
        quote!(#rname<'r>)
    } else {
        quote!(#rname)
    };
    let doc = doc_lines(doc);
    let supported_item = all_supported.then(|| {
        quote! {
            /// The response a module prints for the test command, from the spec.
            pub const SUPPORTED: Self = Self { #(#supported_fields),* };
        }
    });
    items.extend(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        pub struct #rname #generics {
            #(#field_defs)*
        }

        impl #generics #rname #generics {
            #supported_item

            /// Writes the lines as the module prints them.
            pub fn write_to<S: rt::ByteSink + ?Sized>(&self, sink: &mut S) -> Result<(), rt::Overflow> {
                #(#writes)*
                Ok(())
            }
        }
    });
    Ok(ResponseType {
        ty,
        items,
        lines: line_names,
        parse: quote! {
            let mut p = rt::wire::Cursor::new(FAMILY, #what, block);
            #(#stmts)*
            p.end()?;
            Ok(#rname { #(#names),* })
        },
    })
}

//! Line structs (one per response line or URC) and response structs (the
//! information lines of one request), with their parsers and formatters.

use super::desc::{self, static_name};
use super::docs::{lines as doc_lines, md, param as param_doc};
use super::fields::{ident, supported_text, Kind};
use super::template::Shape;
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
    /// The descriptor static (goes into the family's `desc` module); from
    /// [`line_type_at`], the `rt::desc::Line` expression.
    pub descriptor: TokenStream,
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

/// A struct for one line template, with `parse_with`, `parse_line`, `parse` and
/// `write_to` over its descriptor (`desc::<NAME>`, a static emitted with it).
pub fn line_type(
    fam: &Family,
    name: &str,
    line: &Line,
    doc: &str,
    test: bool,
) -> Result<LineType, EmitError> {
    let stat = static_name(name);
    let mut lt = line_type_at(fam, name, line, doc, test, quote!(desc::#stat))?;
    let expr = &lt.descriptor;
    let sdoc = format!(" The descriptor of [`{name}`](super::{name}).");
    lt.descriptor = quote! {
        #[doc = #sdoc]
        pub static #stat: Line = #expr;
    };
    Ok(lt)
}

/// [`line_type`] with its descriptor at `path`; `descriptor` is the `rt::desc::Line` expression.
pub fn line_type_at(
    fam: &Family,
    name: &str,
    line: &Line,
    doc: &str,
    test: bool,
    path: TokenStream,
) -> Result<LineType, EmitError> {
    let shape = Shape::new(fam, &line.tokens)?.placeholders(&line.placeholders, &line.tokens);
    let supported = if test {
        supported_const(fam, &shape)
    } else {
        None
    };
    let name_id = ident(name);
    let borrows = shape.borrows();
    let fields = fields(&shape);
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
    let generics = if borrows { quote!(<'a>) } else { quote!() };
    let has_supported = supported.is_some();
    let supported_item = supported.map(|body| {
        quote! {
            /// The line a module prints for the test command: every range and list of
            /// supported values from the spec, other values by their manual name.
            pub const SUPPORTED: Self = #body;
        }
    });
    let tmpl = shape.descriptor(
        &line.template,
        &line.tokens,
        &|k| desc::param_static(k),
        line.payload_length.as_deref(),
    )?;
    let mut descriptor = quote!(line_desc!(#name, #tmpl));
    if let Some(c) = &line.payload_hex_when {
        let args = desc::cond_args(fam, c);
        descriptor.extend(quote!(.hex_when(#args)));
    }
    if line.optional {
        descriptor.extend(quote!(.optional()));
    }
    if line.repeat {
        descriptor.extend(quote!(.repeat()));
    }
    if test {
        let texts = supported_texts(fam, &shape);
        descriptor.extend(quote!(.supported(&[#(#texts),*])));
    }
    let field_names = shape.fields.iter().map(|f| &f.ident);
    let head = if borrows {
        quote!(#name_id<'a>)
    } else {
        quote!(#name_id)
    };
    let supported_impl =
        supported_item.map(|item| quote!(impl #generics #name_id #generics { #item }));
    let items = quote! {
        #doc
        #derives
        pub struct #name_id #generics {
            #fields
        }

        rt::line!(#head: #path; #(#field_names),*);
        #supported_impl
    };
    Ok(LineType {
        name: name_id,
        borrows,
        items,
        descriptor,
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
            let id = &f.ident;
            if f.placeholder.is_some() {
                // The manual's `<name>`, as the module prints it.
                return Some(quote!(#id: None));
            }
            let text = supported_field(fam, f)?;
            Some(if f.optional {
                quote!(#id: Some(#text))
            } else {
                quote!(#id: #text)
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(quote!(Self { #(#fields),* }))
}

/// What a test line prints for a field: the supported values, or `<name>` for a
/// string; `None` for an integer field and for a placeholder printed as written.
fn supported_field(fam: &Family, f: &super::template::Field<'_>) -> Option<String> {
    if f.placeholder.is_some() {
        return None;
    }
    match f.kind {
        Kind::Supported => Some(supported_text(fam, f.param)),
        Kind::Str => Some(format!("<{}>", f.param.name)),
        _ => None,
    }
}

/// The simulator's test answer per field (empty: an integer field).
fn supported_texts(fam: &Family, shape: &Shape) -> Vec<String> {
    shape
        .fields
        .iter()
        .map(|f| supported_field(fam, f).unwrap_or_default())
        .collect()
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
    pub items: TokenStream,
    /// How `rt::request!` reads it: `()` (no response), `Ty => one Line`
    /// (exactly one line), or `Ty => |block| <parser>`.
    pub tail: TokenStream,
    /// The line structs it defines: (name, borrows).
    pub lines: Vec<(Ident, bool)>,
    /// The descriptor statics of its lines, and their names.
    pub descriptors: TokenStream,
    pub statics: Vec<Ident>,
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
            items: quote!(),
            lines: Vec::new(),
            tail: quote!(()),
            descriptors: quote!(),
            statics: Vec::new(),
        });
    }
    let single = lines.len() == 1 && !lines[0].repeat && !lines[0].optional && !all_optional;
    if single {
        let lt = line_type(fam, &format!("{req_name}Response"), &lines[0], doc, false)?;
        let ty = lt.ty(quote!('r));
        let name = &lt.name;
        let tail = quote!(#ty => one #name);
        return Ok(ResponseType {
            items: lt.items,
            lines: vec![(lt.name.clone(), lt.borrows)],
            tail,
            descriptors: lt.descriptor,
            statics: vec![static_name(&lt.name.to_string())],
        });
    }
    let mut items = TokenStream::new();
    let mut descriptors = TokenStream::new();
    let mut statics = Vec::new();
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
        descriptors.extend(lt.descriptor.clone());
        statics.push(static_name(&tname));
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
            let required = if optional {
                quote!(None)
            } else {
                quote!(Some(#tname))
            };
            stmts.push(
                quote!(let #fid = rt::codec::repeated(&mut p, #lname::parse_line, #required)?;),
            );
            writes.push(quote!(for l in self.#fid.clone() { l.write_to(sink)?; }));
        } else if optional {
            borrows |= lt.borrows;
            field_defs.push(quote!(#fdoc pub #fid: Option<#lty>,));
            stmts.push(quote!(let #fid = rt::codec::optional(&mut p, #lname::parse_line);));
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
    let parse = quote! {{
        let mut p = rt::wire::Cursor::new(FAMILY, #what, block);
        #(#stmts)*
        p.end()?;
        Ok(#rname { #(#names),* })
    }};
    Ok(ResponseType {
        tail: quote!(#ty => |block| #parse),
        items,
        lines: line_names,
        descriptors,
        statics,
    })
}

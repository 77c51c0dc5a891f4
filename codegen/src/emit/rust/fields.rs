//! How a parameter becomes a Rust field: its type, and the code that reads,
//! writes and checks it.

use super::EmitError;
use crate::ir::{Family, Literal, Param};
use crate::model::ParamType;
use crate::names::upper_camel;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

pub fn ident(s: &str) -> Ident {
    Ident::new(s, Span::call_site())
}

/// How an enumerated value is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repr {
    Int,
    Hex,
    Str,
}

#[derive(Debug, Clone)]
pub enum Kind {
    Int {
        ty: Ident,
    },
    Hex {
        ty: Ident,
    },
    /// An enum type (`open`: it has an `Unknown(i64)` variant).
    Enum {
        ty: Ident,
        repr: Repr,
        open: bool,
    },
    Str,
    /// `(…)` in a test response.
    Supported,
    Bytes,
}

impl Kind {
    pub fn borrows(&self) -> bool {
        matches!(self, Kind::Str | Kind::Supported | Kind::Bytes)
    }

    /// The field's Rust type (`'a` is the struct's lifetime).
    pub fn ty(&self) -> TokenStream {
        match self {
            Kind::Int { ty } | Kind::Hex { ty } => quote!(#ty),
            Kind::Enum { ty, .. } => quote!(#ty),
            Kind::Str | Kind::Supported => quote!(&'a str),
            Kind::Bytes => quote!(&'a [u8]),
        }
    }
}

/// The smallest integer type holding the range (`u32` without one).
pub fn int_type(range: Option<(i64, i64)>) -> Ident {
    let name = match range {
        None => "u32",
        Some((min, max)) if min >= 0 => {
            if max <= i64::from(u8::MAX) {
                "u8"
            } else if max <= i64::from(u16::MAX) {
                "u16"
            } else if max <= i64::from(u32::MAX) {
                "u32"
            } else {
                "i64"
            }
        }
        Some((min, max)) => {
            if min >= i64::from(i8::MIN) && max <= i64::from(i8::MAX) {
                "i8"
            } else if min >= i64::from(i16::MIN) && max <= i64::from(i16::MAX) {
                "i16"
            } else if min >= i64::from(i32::MIN) && max <= i64::from(i32::MAX) {
                "i32"
            } else {
                "i64"
            }
        }
    };
    ident(name)
}

/// The bounds of an integer type, for messages about values that don't fit it.
pub fn type_bounds(ty: &Ident) -> (i64, i64) {
    match ty.to_string().as_str() {
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        _ => (i64::MIN, i64::MAX),
    }
}

/// The enum type name of a parameter with enumerated values.
pub fn enum_name(fam: &Family, p: &Param) -> Option<String> {
    if let Some(t) = p.values_from.as_ref().and_then(|t| fam.tables.get(t)) {
        return Some(t.rust.clone());
    }
    if p.values.is_empty() {
        None
    } else {
        Some(upper_camel(&p.rust))
    }
}

pub fn kind(fam: &Family, p: &Param, supported: bool) -> Result<Kind, EmitError> {
    if supported {
        return Ok(Kind::Supported);
    }
    if let Some(name) = enum_name(fam, p) {
        let repr = match (p.ty, p.values.first().map(|v| &v.value)) {
            (ParamType::String, _) | (_, Some(Literal::Str(_))) => Repr::Str,
            (ParamType::Hex, _) => Repr::Hex,
            _ => Repr::Int,
        };
        let open = p.values_from.is_some() || p.open_enum;
        return Ok(Kind::Enum {
            ty: ident(&name),
            repr,
            open,
        });
    }
    Ok(match p.ty {
        ParamType::Int => Kind::Int {
            ty: int_type(p.range),
        },
        ParamType::Hex => Kind::Hex {
            ty: int_type(p.range.or(Some((0, i64::from(u32::MAX))))),
        },
        ParamType::String => Kind::Str,
        ParamType::Bytes => Kind::Bytes,
    })
}

/// `"<SSL_ctxID> (integer)"`: what a parser expected, for error messages.
pub fn expected(p: &Param, k: &Kind, fam: &Family) -> String {
    // Hex codes as the manual writes them, inside quotes where the family quotes them.
    let q = |s: String| if p.quoted { format!("\"{s}\"") } else { s };
    let hex = |v: i64| {
        let d = usize::from(p.hex.digits);
        if p.hex.lowercase {
            format!("{}{v:0d$x}", p.hex.prefix)
        } else {
            format!("{}{v:0d$X}", p.hex.prefix)
        }
    };
    // Only where quotes are a question: numbers a family writes quoted, and hex codes.
    let quoting = match (p.quoted, p.ty == ParamType::Hex, p.quotes_optional) {
        (_, _, true) => "with or without double quotes, ",
        (true, _, false) => "inside double quotes, ",
        (false, true, false) => "without quotes, ",
        (false, false, false) => "",
    };
    // The one hex rule: the prefix and exactly this many digits (`0X0035`, not `0X35`).
    let digits = if p.ty == ParamType::Hex && !p.hex.prefix.is_empty() && p.hex.digits > 1 {
        format!("{} and {} hex digits, ", p.hex.prefix, p.hex.digits)
    } else {
        String::new()
    };
    let quoting = format!("{quoting}{digits}");
    let what = match k {
        Kind::Int { .. } if p.quoted => "integer inside double quotes".to_string(),
        Kind::Int { .. } => "integer".to_string(),
        Kind::Hex { .. } => format!("hex integer {quoting}like {}", q(hex(0x35))),
        Kind::Enum { repr, .. } => {
            let vals: Vec<String> = if p.values.is_empty() {
                enum_values(fam, p)
                    .iter()
                    .map(|v| match (v, p.ty) {
                        (Literal::Int(i), ParamType::Hex) => q(hex(*i)),
                        (v, _) => v.to_string(),
                    })
                    .collect()
            } else {
                p.values
                    .iter()
                    .map(|v| match (&v.value, p.ty) {
                        (Literal::Int(i), ParamType::Hex) => q(hex(*i)),
                        (v, _) => v.to_string(),
                    })
                    .collect()
            };
            let shown: Vec<String> = vals.iter().take(12).cloned().collect();
            let more = if vals.len() > 12 { ", …" } else { "" };
            match repr {
                Repr::Str => format!("one of {}{more}", shown.join(", ")),
                _ if p.ty == ParamType::Hex || p.quoted => {
                    format!("{quoting}one of {}{more}", shown.join(", "))
                }
                _ => format!("one of {}{more}", shown.join(", ")),
            }
        }
        Kind::Str => {
            if p.quoted {
                "quoted string".to_string()
            } else {
                "string".to_string()
            }
        }
        Kind::Supported => "range of supported values in parentheses".to_string(),
        Kind::Bytes => "payload bytes".to_string(),
    };
    format!("<{}> ({what})", p.name)
}

/// What a test response prints for "the range of supported <name>s", from the
/// spec: `0-5` for a range or a run of values, `0,1` or `0X0035,0XFFFF` for a list;
/// where the manual narrows a range to what the firmware accepts (`supported`), those.
pub fn supported_text(fam: &Family, p: &Param) -> String {
    let ints: Vec<i64> = match &p.supported {
        Some(s) => s.clone(),
        None => enum_values(fam, p)
            .iter()
            .filter_map(|v| match v {
                Literal::Int(i) => Some(*i),
                Literal::Str(_) => None,
            })
            .collect(),
    };
    // Hex codes as the family writes them, quoted where it quotes them (UGxx:
    // `("0X0035","0X002F",…)`).
    let show = |v: i64| {
        if p.ty == ParamType::Hex {
            let digits = usize::from(p.hex.digits);
            let code = if p.hex.lowercase {
                format!("{}{v:0digits$x}", p.hex.prefix)
            } else {
                format!("{}{v:0digits$X}", p.hex.prefix)
            };
            if p.quoted {
                format!("\"{code}\"")
            } else {
                code
            }
        } else {
            v.to_string()
        }
    };
    let contiguous = ints.len() > 2 && ints.windows(2).all(|w| w[1] == w[0] + 1);
    match (p.range, ints.first(), ints.last()) {
        (_, Some(&lo), Some(&hi)) if contiguous => format!("{}-{}", show(lo), show(hi)),
        (_, Some(_), _) => ints.iter().map(|&v| show(v)).collect::<Vec<_>>().join(","),
        // Two values are listed, as the manuals write them: `(0,1)`.
        (Some((lo, hi)), None, _) if hi - lo == 1 => format!("{},{}", show(lo), show(hi)),
        (Some((lo, hi)), None, _) => format!("{}-{}", show(lo), show(hi)),
        (None, None, _) if !p.values.is_empty() => p
            .values
            .iter()
            .map(|v| format!("\"{}\"", v.value.wire()))
            .collect::<Vec<_>>()
            .join(","),
        (None, None, _) => format!("<{}>", p.name),
    }
}

/// Every enumerated value of a parameter (table codes included).
pub fn enum_values(fam: &Family, p: &Param) -> Vec<Literal> {
    if let Some(t) = p.values_from.as_ref().and_then(|t| fam.tables.get(t)) {
        return t.entries.iter().map(|e| Literal::Int(e.code)).collect();
    }
    p.values.iter().map(|v| v.value.clone()).collect()
}

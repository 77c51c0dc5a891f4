//! The values of one template, untyped: what [`crate::codec`] reads and writes.
//! Generated types convert to and from them field by field.

/// The most fields one template has (the validator refuses more).
pub const MAX_FIELDS: usize = 16;

/// One field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Val<'a> {
    /// Left out (an optional field).
    #[default]
    None,
    Int(i64),
    Str(&'a str),
    Bytes(&'a [u8]),
}

impl<'a> Val<'a> {
    pub fn int(&self) -> Option<i64> {
        match *self {
            Val::Int(i) => Some(i),
            _ => None,
        }
    }

    pub fn str(&self) -> Option<&'a str> {
        match *self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn bytes(&self) -> Option<&'a [u8]> {
        match *self {
            Val::Bytes(b) => Some(b),
            Val::Str(s) => Some(s.as_bytes()),
            _ => None,
        }
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Val::None)
    }
}

/// The values of a template's fields, by field index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Vals<'a>(pub [Val<'a>; MAX_FIELDS]);

impl<'a> Vals<'a> {
    pub const EMPTY: Vals<'static> = Vals([Val::None; MAX_FIELDS]);

    /// The value of field `i` (`Val::None` past the end).
    pub fn get(&self, i: usize) -> Val<'a> {
        self.0.get(i).copied().unwrap_or_default()
    }

    /// Leaves the first `n` fields out (what a parse of `n` fields starts from).
    #[inline]
    pub fn clear(&mut self, n: usize) {
        for slot in self.0.iter_mut().take(n) {
            *slot = Val::None;
        }
    }

    pub fn set(&mut self, i: usize, v: Val<'a>) {
        if let Some(slot) = self.0.get_mut(i) {
            *slot = v;
        }
    }

    /// Field `i` converted to a generated field type; `None` when it does not fit
    /// (which the parser already ruled out).
    pub fn take<T: FromVal<'a>>(&self, i: usize) -> Option<T> {
        T::from_val(self.get(i))
    }
}

/// Values from a list (the rest left out).
pub fn vals<'a, const N: usize>(list: [Val<'a>; N]) -> Vals<'a> {
    let mut v = Vals::default();
    for (slot, x) in v.0.iter_mut().zip(list) {
        *slot = x;
    }
    v
}

/// A generated field type as a [`Val`].
pub trait IntoVal<'a> {
    fn into_val(self) -> Val<'a>;
}

/// A [`Val`] as a generated field type.
pub trait FromVal<'a>: Sized {
    fn from_val(v: Val<'a>) -> Option<Self>;
}

macro_rules! int_vals {
    ($($t:ty),*) => {$(
        impl<'a> IntoVal<'a> for $t {
            fn into_val(self) -> Val<'a> {
                Val::Int(i64::from(self))
            }
        }
        impl<'a> FromVal<'a> for $t {
            fn from_val(v: Val<'a>) -> Option<Self> {
                <$t>::try_from(v.int()?).ok()
            }
        }
    )*};
}
int_vals!(u8, u16, u32, i8, i16, i32, i64);

impl<'a> IntoVal<'a> for &'a str {
    fn into_val(self) -> Val<'a> {
        Val::Str(self)
    }
}

impl<'a> FromVal<'a> for &'a str {
    fn from_val(v: Val<'a>) -> Option<Self> {
        v.str()
    }
}

impl<'a> IntoVal<'a> for &'a [u8] {
    fn into_val(self) -> Val<'a> {
        Val::Bytes(self)
    }
}

impl<'a> FromVal<'a> for &'a [u8] {
    fn from_val(v: Val<'a>) -> Option<Self> {
        match v {
            Val::Bytes(b) => Some(b),
            _ => None,
        }
    }
}

impl<'a, T: IntoVal<'a>> IntoVal<'a> for Option<T> {
    fn into_val(self) -> Val<'a> {
        self.map_or(Val::None, IntoVal::into_val)
    }
}

impl<'a, T: FromVal<'a>> FromVal<'a> for Option<T> {
    fn from_val(v: Val<'a>) -> Option<Self> {
        match v {
            Val::None => Some(None),
            other => T::from_val(other).map(Some),
        }
    }
}

/// [`IntoVal`] and [`FromVal`] for a generated enum with `value()` / `from_value(i64)`.
#[macro_export]
#[doc(hidden)]
macro_rules! int_enum_vals {
    ($t:ty) => {
        impl<'a> $crate::vals::IntoVal<'a> for $t {
            fn into_val(self) -> $crate::vals::Val<'a> {
                $crate::vals::Val::Int(self.value())
            }
        }
        impl<'a> $crate::vals::FromVal<'a> for $t {
            fn from_val(v: $crate::vals::Val<'a>) -> Option<Self> {
                Self::from_value(v.int()?)
            }
        }
    };
}

/// [`IntoVal`] and [`FromVal`] for a generated enum with `as_str()` / `from_value(&str)`.
#[macro_export]
#[doc(hidden)]
macro_rules! str_enum_vals {
    ($t:ty) => {
        impl<'a> $crate::vals::IntoVal<'a> for $t {
            fn into_val(self) -> $crate::vals::Val<'a> {
                $crate::vals::Val::Str(self.as_str())
            }
        }
        impl<'a> $crate::vals::FromVal<'a> for $t {
            fn from_val(v: $crate::vals::Val<'a>) -> Option<Self> {
                Self::from_value(v.str()?)
            }
        }
    };
}

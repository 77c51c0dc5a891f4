//! The impls every generated request and line type has, written once: the
//! generator emits a struct, its descriptor and one invocation of these macros
//! naming the fields in template order. Not for hand-written code.

/// `AtRequest` and the inherent `SYNTAX` / `parse` / `from_vals` of a request type.
///
/// `request!(Name<'a>: FamilyType, desc::NAME, Response<'r> = Type => |block| parse; field, …)`
#[macro_export]
#[doc(hidden)]
macro_rules! request {
    // No response: only the final result code.
    ($name:ident $(<$lt:lifetime>)?: $fam:ty, $desc:path, (); $($f:ident),*) => {
        $crate::request!($name $(<$lt>)?: $fam, $desc, () => |block| $crate::codec::no_response(
            $desc.family, concat!(stringify!($name), " response"), block
        ); $($f),*);
    };
    // Exactly one information line, of the line type `$line`.
    ($name:ident $(<$lt:lifetime>)?: $fam:ty, $desc:path, $resp:ty => one $line:ident; $($f:ident),*) => {
        $crate::request!($name $(<$lt>)?: $fam, $desc, $resp => |block| $crate::codec::one_line(
            $desc.family, concat!(stringify!($name), " response"), block, $line::parse_line
        ); $($f),*);
    };
    ($name:ident<$lt:lifetime>: $fam:ty, $desc:path, $resp:ty => |$b:ident| $parse:expr; $($f:ident),*) => {
        $crate::request!(@impl [<$lt>] [$name<$lt>] [$lt] [$lt]: $fam, $desc, $resp => |$b| $parse; $($f),*);
    };
    ($name:ident: $fam:ty, $desc:path, $resp:ty => |$b:ident| $parse:expr; $($f:ident),*) => {
        $crate::request!(@impl [] [$name] ['_] ['static]: $fam, $desc, $resp => |$b| $parse; $($f),*);
    };
    (@impl [$($g:tt)*] [$ty:ty] [$in:lifetime] [$out:lifetime]: $fam:ty, $desc:path, $resp:ty => |$b:ident| $parse:expr; $($f:ident),*) => {
        impl $($g)* $ty {
            /// The form as the manual writes it.
            pub const SYNTAX: &'static str = $desc.syntax();
            /// The form's descriptor.
            pub const DESCRIPTOR: &'static $crate::desc::Form = &$desc;

            /// Parses a command line (`AT+…`, CR LF optional) of this form and validates it.
            pub fn parse(line: &$in [u8]) -> Result<Self, $crate::RequestError> {
                let v = $crate::codec::parse_request(&$desc, line)?;
                Self::from_vals(&v).ok_or_else(|| $crate::codec::request_mismatch(&$desc))
            }

            /// The request from values by field (`None` when one does not fit its type).
            #[allow(unused_mut, unused_variables, unused_assignments)]
            pub fn from_vals(v: &$crate::Vals<$in>) -> Option<Self> {
                let mut i = 0usize;
                Some(Self { $($f: { i += 1; v.take(i - 1)? }),* })
            }
        }

        impl $($g)* $crate::AtRequest for $ty {
            type Family = $fam;
            const COMMAND: &'static str = $desc.command;
            const SUB: Option<&'static str> = $desc.sub;
            const FORM: $crate::FormKind = $desc.kind;
            const SECTION: &'static str = $desc.section;
            const DESC: Option<&'static $crate::desc::Form> = Some(&$desc);
            type Response<'r> = $resp;

            fn vals(&self) -> $crate::Vals<'_> {
                $crate::vals::vals([$($crate::IntoVal::into_val(self.$f)),*])
            }

            fn parse_response($b: &[u8]) -> Result<Self::Response<'_>, $crate::ParseError> {
                $parse
            }
        }
    };
}

/// The inherent `TEMPLATE` / `parse_with` / `parse_line` / `parse` / `write_to` /
/// `vals` / `from_vals` of a response or URC line type.
///
/// `line!(Name<'a>: desc::NAME; field, …)`
#[macro_export]
#[doc(hidden)]
macro_rules! line {
    ($name:ident<$lt:lifetime>: $desc:expr; $($f:ident),*) => {
        $crate::line!(@impl [<$lt>] [$name<$lt>] [$lt] [$lt]: $desc; $($f),*);
    };
    ($name:ident: $desc:expr; $($f:ident),*) => {
        $crate::line!(@impl [] [$name] ['_] ['static]: $desc; $($f),*);
    };
    (@impl [$($g:tt)*] [$ty:ty] [$in:lifetime] [$out:lifetime]: $desc:expr; $($f:ident),*) => {
        impl $($g)* $ty {
            /// The line as the manual writes it.
            pub const TEMPLATE: &'static str = $desc.template.text;

            /// Parses the line (and its payload) at the cursor, including its CR LF.
            /// `hex`: payloads are hex text (twice as many bytes on the wire).
            pub fn parse_with(p: &mut $crate::wire::Cursor<$in>, hex: bool) -> Result<Self, $crate::ParseError> {
                let v = $crate::codec::parse_line_at(&$desc, p, hex)?;
                Self::from_vals(&v).ok_or_else(|| $crate::codec::mismatch(&$desc))
            }

            /// Parses the line at the cursor (payloads as raw bytes).
            pub fn parse_line(p: &mut $crate::wire::Cursor<$in>) -> Result<Self, $crate::ParseError> {
                Self::parse_with(p, false)
            }

            /// Parses exactly one line (a URC frame, or one information line).
            pub fn parse(input: &$in [u8], hex: bool) -> Result<Self, $crate::ParseError> {
                let v = $crate::codec::parse_line(&$desc, input, hex)?;
                Self::from_vals(&v).ok_or_else(|| $crate::codec::mismatch(&$desc))
            }

            /// Writes the line as the module prints it, with its CR LF.
            pub fn write_to<S: $crate::ByteSink + ?Sized>(&self, sink: &mut S) -> Result<(), $crate::Overflow> {
                $crate::codec::write_line(&$desc, &self.vals(), sink)
            }

            /// The values by field, as the descriptor numbers them.
            pub fn vals(&self) -> $crate::Vals<$out> {
                $crate::vals::vals([$($crate::IntoVal::into_val(self.$f)),*])
            }

            /// The line from values by field (`None` when one does not fit its type).
            #[allow(unused_mut, unused_variables, unused_assignments)]
            pub fn from_vals(v: &$crate::Vals<$in>) -> Option<Self> {
                let mut i = 0usize;
                Some(Self { $($f: { i += 1; v.take(i - 1)? }),* })
            }

            /// Exactly one line read straight into the type when its template is
            /// plain ([`$crate::typed`]): `Some(None)` when it lacks a literal the
            /// template must have, `None` when [`Self::parse`] must decide.
            #[inline]
            pub fn quick(line: &$in [u8]) -> Option<Option<Self>> {
                Self::quick_read(line, false)
            }

            /// [`Self::quick`]; when `started`, a line without the template's
            /// leading literal is refused (`Some(None)`), as
            /// [`$crate::codec::may_start`] tells.
            #[inline]
            fn quick_read(line: &$in [u8], started: bool) -> Option<Option<Self>> {
                const PLAIN: bool = $crate::typed::plain(&$desc);
                if !PLAIN {
                    return None;
                }
                let d = &$desc;
                let mut c = $crate::wire::Cursor::new(d.family, d.what, line);
                let mut k = 0usize;
                // A block, not a closure: `c` and `k` stay locals the compiler follows.
                let fields = 'read: {
                    Ok(Self { $($f: match $crate::typed::field(d, &mut c, &mut k) {
                        Ok(v) => v,
                        Err(e) => break 'read Err(e),
                    }),* })
                };
                // Refused before its first token: the leading literal is not there.
                if started && k == 0 && fields.is_err() && $crate::typed::leads_with_literal(d) {
                    return Some(None);
                }
                $crate::typed::done(d, &mut c, k, fields)
            }

            /// [`Self::quick`]; when `start`, `Some(None)` for a line that does
            /// not start as the template does ([`$crate::codec::may_start`],
            /// told here, where the template is a constant; a plain template's
            /// read tells it from its leading literal, with no compare before).
            #[inline(always)]
            pub fn quick_from(line: &$in [u8], start: bool) -> Option<Option<Self>> {
                const PLAIN: bool = $crate::typed::plain(&$desc);
                if PLAIN {
                    return Self::quick_read(line, start);
                }
                if start && !$crate::codec::may_start(&$desc, line) {
                    return Some(None);
                }
                Self::quick(line)
            }
        }
    };
}

/// The inherent impl of a family's `Request` enum: every variant is named like
/// the request type it holds (`Request::Qsslopen(Qsslopen)`).
#[macro_export]
#[doc(hidden)]
macro_rules! request_enum {
    ($name:ident: $family:expr, $forms:expr; $($v:ident),* $(,)?) => {
        impl<'a> $name<'a> {
            /// Parses and validates one command line; the error of the form that
            /// matched furthest explains a failure.
            pub fn parse(line: &'a [u8]) -> Result<Self, $crate::RequestError> {
                const INDEX: [$crate::dispatch::Entry; $forms.len()] =
                    $crate::dispatch::forms_by_command($forms);
                let (i, v) = $crate::codec::parse_any_request($family, $forms, &INDEX, line)?;
                Self::from_index(i, &v).ok_or($crate::RequestError::Unknown { family: $family })
            }

            #[allow(unused_assignments)]
            fn from_index(i: usize, v: &$crate::Vals<'a>) -> Option<Self> {
                let mut n = 0usize;
                $(
                    if i == n {
                        return Some(Self::$v($v::from_vals(v)?));
                    }
                    n += 1;
                )*
                None
            }

            /// The form's descriptor and the request's values by field.
            pub fn parts(&self) -> (&'static $crate::desc::Form, $crate::Vals<'_>) {
                match self {
                    $(Self::$v(r) => ($v::DESCRIPTOR, $crate::AtRequest::vals(r)),)*
                }
            }

            /// Writes the command line (`AT+…\r`).
            pub fn write_line<S: $crate::ByteSink + ?Sized>(&self, sink: &mut S) -> Result<(), $crate::Overflow> {
                let (f, v) = self.parts();
                $crate::codec::write_request(f, &v, sink)
            }

            /// Whether the form sends data after a `>` prompt.
            pub fn has_data_phase(&self) -> bool {
                self.parts().0.data.is_some()
            }

            /// The command name and sub-command keyword (empty when none).
            pub fn name(&self) -> (&'static str, &'static str) {
                let f = self.parts().0;
                (f.command, f.sub.unwrap_or(""))
            }
        }
    };
}

/// The inherent impl of a family's `InfoLine` enum (variants named like their line types).
#[macro_export]
#[doc(hidden)]
macro_rules! info_enum {
    ($name:ident: $family:expr, $lines:expr; $($v:ident),* $(,)?) => {
        impl<'a> $name<'a> {
            /// The information lines by their keys ([`$crate::dispatch`]), computed at compile time.
            pub const INDEX: $crate::dispatch::LineIndex<{ $lines.len() }> =
                $crate::dispatch::LineIndex::of_lines($lines);

            /// Parses one information line (and its payload); the first template
            /// that matches the whole line wins.
            pub fn parse(line: &'a [u8], hex: bool) -> Result<Self, $crate::ParseError> {
                let mut v = $crate::Vals::EMPTY;
                let keys = $crate::dispatch::LineKeys::of(line);
                Self::parse_into(line, &keys, hex, &mut v).map(|(l, _)| l)
            }

            /// [`Self::parse`] of a line whose keys are known, the values by field
            /// left in `v`, with the line's descriptor.
            pub fn parse_into(
                line: &'a [u8],
                keys: &$crate::dispatch::LineKeys,
                hex: bool,
                v: &mut $crate::Vals<'a>,
            ) -> Result<(Self, &'static $crate::desc::Line), $crate::ParseError> {
                let i = $crate::codec::parse_info($family, $lines, Self::INDEX.candidates(keys), line, hex, v)?;
                let d = $lines.get(i).ok_or_else(|| $crate::codec::line_mismatch($lines, i))?;
                let l = Self::from_index(i, v).ok_or_else(|| $crate::codec::line_mismatch($lines, i))?;
                Ok((l, d))
            }

            #[allow(unused_assignments)]
            fn from_index(i: usize, v: &$crate::Vals<'a>) -> Option<Self> {
                let mut n = 0usize;
                $(
                    if i == n {
                        return Some(Self::$v($v::from_vals(v)?));
                    }
                    n += 1;
                )*
                None
            }

            /// [`Self::parse_into`], a plain line read straight into its type
            /// (its type's `quick`, [`$crate::typed`]): the values by field are
            /// then not left in `v`, and the line has no secret parameter.
            pub fn parse_fast(
                line: &'a [u8],
                keys: &$crate::dispatch::LineKeys,
                hex: bool,
                v: &mut $crate::Vals<'a>,
            ) -> Result<(Self, &'static $crate::desc::Line), $crate::ParseError> {
                let lines: &[&'static $crate::desc::Line] = $lines;
                let read = $crate::typed::first(Self::INDEX.candidates(keys), |i| {
                    Self::quick_started_at(i, line)
                });
                if let Some((i, l)) = read {
                    if let Some(&d) = lines.get(i) {
                        return Ok((l, d));
                    }
                }
                Self::parse_into(line, keys, hex, v)
            }

            /// Line `i` of the family read straight into its type where its
            /// template is plain (its type's `quick`).
            pub fn quick_at(i: usize, line: &'a [u8]) -> Option<Option<Self>> {
                Self::quick_in(i, line, false)
            }

            /// [`Self::quick_at`] of a line that may not start as line `i`
            /// does: `Some(None)` when it does not ([`$crate::codec::may_start`]).
            pub fn quick_started_at(i: usize, line: &'a [u8]) -> Option<Option<Self>> {
                Self::quick_in(i, line, true)
            }

            /// Line `i`'s `quick_from` (inlined, so each caller's `start` is a constant).
            #[allow(unused_assignments)]
            #[inline(always)]
            fn quick_in(i: usize, line: &'a [u8], start: bool) -> Option<Option<Self>> {
                let mut n = 0usize;
                $(
                    if i == n {
                        return $v::quick_from(line, start).map(|l| l.map(Self::$v));
                    }
                    n += 1;
                )*
                None
            }

            /// Writes the line as the module prints it.
            pub fn write_to<S: $crate::ByteSink + ?Sized>(&self, sink: &mut S) -> Result<(), $crate::Overflow> {
                match self {
                    $(Self::$v(l) => l.write_to(sink),)*
                }
            }

            /// The values by field, as the line's descriptor numbers them.
            pub fn vals(&self) -> $crate::Vals<'a> {
                match self {
                    $(Self::$v(l) => l.vals(),)*
                }
            }
        }
    };
}

/// The impls of an error/code/cipher-suite table enum (with `Unknown(i64)`).
/// Codes are single tokens: `550`, `(-1)`.
#[macro_export]
#[doc(hidden)]
macro_rules! code_table {
    ($name:ident: $table:expr; $($v:ident = $code:tt),* $(,)?) => {
        impl $name {
            /// Every code the manual lists.
            #[allow(unused_parens)]
            pub const ALL: &'static [i64] = &[$($code),*];

            /// The numeric code.
            #[allow(unused_parens)]
            pub const fn value(self) -> i64 {
                match self {
                    $(Self::$v => $code,)*
                    Self::Unknown(v) => v,
                }
            }

            /// The variant of a code; unknown codes are kept.
            #[allow(unused_parens)]
            pub const fn from_value(v: i64) -> Option<Self> {
                Some(match v {
                    $($code => Self::$v,)*
                    other => Self::Unknown(other),
                })
            }

            /// The manual's description (English where it gives one).
            pub const fn description(self) -> &'static str {
                match $table.entry(self.value()) {
                    Some(e) => e.1,
                    None => "code not listed in the manual",
                }
            }

            /// The manual's Chinese description, where it gives one.
            pub const fn description_zh(self) -> Option<&'static str> {
                match $table.entry(self.value()) {
                    Some(e) => e.2,
                    None => None,
                }
            }

            /// Whether the manual lists this code.
            pub const fn is_known(self) -> bool {
                !matches!(self, Self::Unknown(_))
            }

            /// The variant's name.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Self::$v => stringify!($v),)*
                    Self::Unknown(_) => "Unknown",
                }
            }
        }

        /// The code, its name and the manual's text: `{"name":"DnsParseFailed","code":565,"text":"DNS parse failed"}`.
        #[cfg(feature = "serde")]
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $crate::serde_impls::code(s, self.name(), ("code", self.value()), $table.hex, ("text", self.description()))
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "{}: {}", self.value(), self.description())
            }
        }

        $crate::int_enum_vals!($name);
    };
}

/// The impls of a parameter's enum of integer values; `open` adds `Unknown(i64)`.
#[macro_export]
#[doc(hidden)]
macro_rules! value_enum {
    ($name:ident: $param:expr; $($v:ident = $code:tt),* $(,)?) => {
        impl $name {
            /// Every value the manual lists.
            #[allow(unused_parens)]
            pub const ALL: &'static [i64] = &[$($code),*];

            /// The value as written on the wire.
            #[allow(unused_parens)]
            pub const fn value(self) -> i64 {
                match self { $(Self::$v => $code,)* }
            }

            /// The variant of a wire value.
            #[allow(unused_parens)]
            pub const fn from_value(v: i64) -> Option<Self> {
                match v { $($code => Some(Self::$v),)* _ => None }
            }

            /// The manual's meaning of the value.
            pub const fn meaning(self) -> &'static str {
                $param.meaning_of(self.value())
            }
        }
        $crate::value_enum!(@common $name: $param; $($v),*);
    };
    (open $name:ident: $param:expr; $($v:ident = $code:tt),* $(,)?) => {
        impl $name {
            /// Every value the manual lists.
            #[allow(unused_parens)]
            pub const ALL: &'static [i64] = &[$($code),*];

            /// The value as written on the wire.
            #[allow(unused_parens)]
            pub const fn value(self) -> i64 {
                match self { $(Self::$v => $code,)* Self::Unknown(v) => v }
            }

            /// The variant of a wire value.
            #[allow(unused_parens)]
            pub const fn from_value(v: i64) -> Option<Self> {
                Some(match v { $($code => Self::$v,)* other => Self::Unknown(other) })
            }

            /// The manual's meaning of the value.
            pub const fn meaning(self) -> &'static str {
                match self {
                    Self::Unknown(_) => "value not listed in the manual",
                    _ => $param.meaning_of(self.value()),
                }
            }
        }
        $crate::value_enum!(@common $name: $param; $($v),*);
    };
    (@common $name:ident: $param:expr; $($v:ident),*) => {
        impl $name {
            /// The variant's name.
            #[allow(unreachable_patterns)]
            pub const fn name(self) -> &'static str {
                match self {
                    $(Self::$v => stringify!($v),)*
                    _ => "Unknown",
                }
            }
        }

        /// The value, its name and the manual's meaning: `{"name":"Tls1_2","value":3,"meaning":"TLS 1.2"}`.
        #[cfg(feature = "serde")]
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let hex = match $param.kind {
                    $crate::desc::Kind::Hex => Some($param.hex),
                    _ => None,
                };
                $crate::serde_impls::code(s, self.name(), ("value", self.value()), hex, ("meaning", self.meaning()))
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.meaning())
            }
        }
        $crate::int_enum_vals!($name);
    };
}

/// The impls of a parameter's enum of string values (`TCP`, `UDP`).
#[macro_export]
#[doc(hidden)]
macro_rules! word_enum {
    ($name:ident: $param:expr; $($v:ident = $word:literal),* $(,)?) => {
        impl $name {
            /// Every value the manual lists.
            pub const ALL: &'static [&'static str] = &[$($word),*];

            /// The value as written on the wire.
            pub const fn as_str(self) -> &'static str {
                match self { $(Self::$v => $word,)* }
            }

            /// The variant of a wire value.
            pub fn from_value(v: &str) -> Option<Self> {
                match v { $($word => Some(Self::$v),)* _ => None }
            }

            /// The manual's meaning of the value.
            pub const fn meaning(self) -> &'static str {
                $param.meaning_of_word(self.as_str())
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.meaning())
            }
        }

        $crate::str_enum_vals!($name);
    };
}

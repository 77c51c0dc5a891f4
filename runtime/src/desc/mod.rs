//! Descriptors: the spec as `'static` data. The generator emits one per
//! parameter, line template, command form and URC of a family; one runtime
//! ([`crate::codec`]) validates, writes and parses from them, as svd2rust's
//! `generic.rs` does for registers. Generated types stay thin: a struct, its
//! descriptor and the conversion to and from [`crate::vals::Vals`].
//!
//! Everything here is `no_std` and allocation-free.

mod sim;
mod socket;

pub use sim::{Const, Files, SimSource, Simulator, StateLines};
pub use socket::{Modes, Opt, Recv, Request, Send, Setup, Socket, Source, Upload, UploadStep};

use crate::request::{ChecksumKind, FormKind};

/// How a value is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A decimal integer.
    Int,
    /// A hex integer (`0X0035`), written as [`Param::hex`] says.
    Hex,
    /// A string (quoted when [`Param::quoted`]).
    Str,
    /// Payload bytes, taken by length.
    Bytes,
}

/// How a hex value is written: `0X0035`, or ML302's bare `384a`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hex {
    pub prefix: &'static str,
    pub digits: u8,
    pub lowercase: bool,
}

/// A condition on another parameter: from the same request when it carries it,
/// else from the settings made by earlier commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cond {
    /// The manual's name, e.g. `send_data_format`.
    pub param: &'static str,
    pub equals: i64,
}

/// Another range in force while a condition holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RangeWhen {
    pub when: Cond,
    pub min: i64,
    pub max: i64,
}

/// The unit of a time parameter chosen by another setting (`closetimemode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitBy {
    pub param: &'static str,
    /// (value of the other parameter, milliseconds per unit).
    pub units: &'static [(i64, u64)],
}

/// A parameter as the spec declares it.
#[derive(Debug)]
pub struct Param {
    /// The manual's name, e.g. `PDP_ctxID`.
    pub name: &'static str,
    pub kind: Kind,
    pub quoted: bool,
    /// Read with or without the quotes (the manual is ambiguous about them).
    pub quotes_optional: bool,
    pub hex: Hex,
    /// The manual's inclusive range (integers).
    pub range: Option<(i64, i64)>,
    /// The bounds of the generated field's integer type (beyond the range: a
    /// value that does not fit the type is refused while parsing).
    pub bounds: (i64, i64),
    /// Enumerated integer values (an enum's `ALL`, a table's codes); empty when none.
    pub codes: &'static [i64],
    /// The manual's meaning of each of `codes` (or `words`), in the same order.
    pub meanings: &'static [&'static str],
    /// Enumerated string values (`TCP`, `UDP`); empty when none.
    pub words: &'static [&'static str],
    /// Codes outside `codes` are read from modules (open tables), not refused.
    pub open: bool,
    /// The codes a request may carry when narrower than `codes` (a table subset).
    pub subset: Option<&'static [i64]>,
    /// Values the firmware accepts within the range, with the manual's words.
    pub supported: Option<(&'static [i64], &'static str)>,
    pub range_when: &'static [RangeWhen],
    /// Only valid while another parameter has a value.
    pub requires: Option<Cond>,
    /// Longest string in bytes.
    pub max_len: Option<usize>,
    /// Never logged.
    pub secret: bool,
    /// An integer a module may leave empty (`+CCHOPEN: 1,"",,,`): read as absent.
    pub empty: bool,
    /// The manual's default, for integers.
    pub default: Option<i64>,
    /// Milliseconds per unit, for time parameters (1000 for seconds).
    pub unit_ms: u64,
    pub unit_by: Option<UnitBy>,
    /// What a parser expects here, for messages: `<SSL_ctxID> (integer)`.
    pub expected: &'static str,
    /// The same where a test response shows the supported values in parentheses
    /// (`(<SSL_ctxID>)`): `<SSL_ctxID> (range of supported values in parentheses)`.
    pub expected_in_parens: &'static str,
}

impl Param {
    /// Whether the parameter has enumerated values.
    pub fn is_enum(&self) -> bool {
        !self.codes.is_empty() || !self.words.is_empty()
    }

    /// The manual's meaning of an enumerated code.
    pub fn meaning(&self, code: i64) -> Option<&'static str> {
        let i = self.codes.iter().position(|&c| c == code)?;
        self.meanings.get(i).copied()
    }

    /// [`Param::meaning`] in const context, empty when the manual gives none.
    pub const fn meaning_of(&self, code: i64) -> &'static str {
        let mut i = 0;
        while i < self.codes.len() && i < self.meanings.len() {
            if self.codes[i] == code {
                return self.meanings[i];
            }
            i += 1;
        }
        ""
    }

    /// The manual's meaning of an enumerated string value, empty when it gives none.
    pub const fn meaning_of_word(&self, word: &str) -> &'static str {
        let mut i = 0;
        while i < self.words.len() && i < self.meanings.len() {
            if const_eq(self.words[i].as_bytes(), word.as_bytes()) {
                return self.meanings[i];
            }
            i += 1;
        }
        ""
    }
}

/// One `<param>` of a template.
#[derive(Debug)]
pub struct Field {
    pub param: &'static Param,
    /// Inside an optional group.
    pub optional: bool,
    /// For a payload: the index of the field holding its length.
    pub length: Option<u8>,
    /// In a test response: the manual's `<name>`, which the module may print
    /// instead of a value (UGxx `<serveraddr>`); read and written as absent.
    pub placeholder: Option<&'static str>,
}

/// A piece of a template, flattened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    /// Literal text.
    Lit(&'static str),
    /// `<param>`: the field of that index.
    Field(u8),
    /// `(<param>)`: the range or list of supported values of a field, as text.
    Supported(u8),
    /// `<CR><LF>` inside a template.
    LineBreak,
    /// `[ … ]`: the next `len` tokens form an optional group.
    Group(u8),
}

/// A template: tokens and the fields they name.
#[derive(Debug)]
pub struct Template {
    /// The manual's notation.
    pub text: &'static str,
    pub toks: &'static [Tok],
    pub fields: &'static [Field],
}

impl Template {
    /// The literal text the template starts with (up to its first field), for dispatch.
    pub fn prefix(&self) -> &'static str {
        match self.toks.first() {
            Some(Tok::Lit(t)) => t,
            _ => "",
        }
    }

    /// The index of the field holding a payload taken by length, if any.
    pub fn payload_field(&self) -> Option<usize> {
        self.fields.iter().position(|f| f.param.kind == Kind::Bytes)
    }

    /// The index of the field of a parameter (by the manual's name).
    pub fn field_of(&self, param: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.param.name == param)
    }
}

/// An information-response line or a URC line.
#[derive(Debug)]
pub struct Line {
    pub family: &'static str,
    /// The generated type's name, e.g. `QsslopenResult`.
    pub name: &'static str,
    /// What the parser reports parsing: `` `+QSSLOPEN: <clientID>,<err>` ``.
    pub what: &'static str,
    pub template: Template,
    /// The payload is hex text while this holds (BC26 `recv_data_format`).
    pub hex_when: Option<Cond>,
    /// A test response line: what each field prints, from the spec (`0-5` for a
    /// range, `<name>` for a string; empty: an integer field, printed as its
    /// range's maximum).
    pub supported: &'static [&'static str],
    /// A test response line ([`Line::supported`] sets it): an optional part may
    /// come with its brackets, as the UGxx and ML302 manuals print their
    /// examples (`+QSSLSEND: (0-11)[,(1-1460)]`), or without them.
    pub test: bool,
    /// In a response: the line may be absent, or repeated.
    pub optional: bool,
    pub repeat: bool,
}

/// How a result URC reports success.
#[derive(Debug)]
pub struct Outcome {
    /// The field holding the result code.
    pub field: u8,
    /// The codes that mean success.
    pub success: &'static [i64],
}

/// A URC.
#[derive(Debug)]
pub struct Urc {
    pub line: Line,
    /// Where its result code is (result URCs of two-phase commands).
    pub outcome: Option<Outcome>,
}

/// A final result code a form can end with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalKind {
    Ok,
    Error,
    CmeError,
    SendOk,
    SendFail,
    CloseOk,
    Connect,
    NoCarrier,
}

impl FinalKind {
    /// The code as a module prints it (`+CME ERROR` without its `: <err>`).
    pub const fn text(self) -> &'static str {
        match self {
            FinalKind::Ok => "OK",
            FinalKind::Error => "ERROR",
            FinalKind::CmeError => "+CME ERROR",
            FinalKind::SendOk => "SEND OK",
            FinalKind::SendFail => "SEND FAIL",
            FinalKind::CloseOk => "CLOSE OK",
            FinalKind::Connect => "CONNECT",
            FinalKind::NoCarrier => "NO CARRIER",
        }
    }
}

/// A time the manual states for a form: its maximum response time, or its
/// wait for the result URC.
#[derive(Debug)]
pub struct MaxTime {
    pub base_ms: u64,
    /// A parameter whose value adds to it (`<negotiate_time>`).
    pub plus: Option<&'static Param>,
    /// The manual's words.
    pub text: &'static str,
}

/// The length of a data phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataLen {
    /// Ended by Ctrl+Z; ESC cancels.
    CtrlZ,
    /// Exactly the value of this field, in bytes.
    Field(u8),
}

/// The data phase after `>`.
#[derive(Debug)]
pub struct Data {
    pub end: DataLen,
    pub max_len: Option<usize>,
    pub hex_when: Option<Cond>,
    pub checksum: Option<ChecksumKind>,
    pub prompt_wait_ms: u32,
    pub secret: bool,
    /// Secret only while a field of the request has a value (ML302 client keys).
    pub secret_when: Option<Cond>,
}

/// One command form as a request type sees it (a query by omission is a form of its own).
#[derive(Debug)]
pub struct Form {
    pub family: &'static str,
    /// The generated type's name, e.g. `QsslcfgSslversionQuery`.
    pub name: &'static str,
    /// `QSSLCFG`.
    pub command: &'static str,
    /// `sslversion`.
    pub sub: Option<&'static str>,
    pub kind: FormKind,
    pub section: &'static str,
    /// What follows the command name: `=`, `=?`, `?` or nothing.
    pub suffix: &'static str,
    /// What the parser reports parsing: `AT+QSSLOPEN command line`.
    pub what: &'static str,
    pub args: Template,
    /// The manual's maximum response time; `None`: it states none
    /// ([`crate::request::UNSTATED_RESPONSE`] applies).
    pub max: Option<MaxTime>,
    /// The manual's wait for the result URC where it states one apart from the
    /// maximum response time (ML302 `AT+QSSLOPEN`'s `<timeout>`).
    pub result_wait: Option<MaxTime>,
    pub finals: &'static [FinalKind],
    pub data: Option<Data>,
    /// The URC that completes the command after its final result.
    pub result: Option<&'static Urc>,
    /// The result URC comes only while this setting holds (a report switched on).
    pub result_when: Option<Cond>,
    /// The form answers `CONNECT` while this holds.
    pub connect_when: Option<Cond>,
    /// The integer values it writes are settings the link records.
    pub records: bool,
    /// The response lines (for decoding and the simulator).
    pub responses: &'static [&'static Line],
    /// A query by omission: the parameters it leaves out (the settings it reads back).
    pub omits: &'static [&'static str],
    /// A line the module prints before `ERROR`, and the index of its code field.
    pub error_line: Option<(&'static Line, u8)>,
}

impl Form {
    /// Whether the form can end with this final result code.
    pub fn ends_with(&self, kind: FinalKind) -> bool {
        self.finals.contains(&kind)
    }

    /// The final result code of a data phase that went through: `SEND OK`
    /// where the form has it, else `OK`.
    pub fn sent_final(&self) -> FinalKind {
        if self.ends_with(FinalKind::SendOk) {
            FinalKind::SendOk
        } else {
            FinalKind::Ok
        }
    }
}

/// An error or result-code table: code, the manual's text (English where it
/// gives one) and its Chinese text.
#[derive(Debug)]
pub struct Table {
    pub id: &'static str,
    pub entries: &'static [(i64, &'static str, Option<&'static str>)],
    /// How the manual writes the codes when in hex (cipher suites: `0XC02F`).
    pub hex: Option<Hex>,
}

impl Table {
    /// The entry of a code.
    pub const fn entry(&self, code: i64) -> Option<&(i64, &'static str, Option<&'static str>)> {
        let mut i = 0;
        while i < self.entries.len() {
            if self.entries[i].0 == code {
                return Some(&self.entries[i]);
            }
            i += 1;
        }
        None
    }
}

const fn const_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Everything the runtime needs of a family, from its spec.
#[derive(Debug)]
pub struct FamilyDesc {
    pub id: &'static str,
    /// Every request form, in the order `Request::parse` tries them.
    pub forms: &'static [&'static Form],
    pub urcs: &'static [&'static Urc],
    /// Every information-response line, in the order `InfoLine::parse` tries them.
    pub lines: &'static [&'static Line],
    /// Lines that carry a payload taken by length (URCs and responses).
    pub payload_lines: &'static [&'static Line],
    /// The error tables, in the order `describe_error` consults them.
    pub errors: &'static [&'static Table],
    /// The payloads are hex text while this holds.
    pub payload_hex_when: Option<Cond>,
    /// The parameters that are ids of a connection or context (settings are kept
    /// per their values): from the spec's `[socket] ids`.
    pub ids: &'static [&'static str],
    /// The SSL dialog, when the spec has a `[socket]` section.
    pub socket: Option<&'static Socket>,
    /// The simulator's choices (`[simulator]`).
    pub simulator: &'static Simulator,
}

// ---------------------------------------------------------------- const constructors
// The generator writes descriptors with these, so a parameter states only what the
// spec says of it and the rest keeps its default.

impl Hex {
    /// `0X` and 4 upper-case digits.
    pub const DEFAULT: Hex = Hex {
        prefix: "0X",
        digits: 4,
        lowercase: false,
    };
}

impl Cond {
    pub const fn new(param: &'static str, equals: i64) -> Self {
        Cond { param, equals }
    }
}

impl RangeWhen {
    pub const fn new(param: &'static str, equals: i64, min: i64, max: i64) -> Self {
        RangeWhen {
            when: Cond::new(param, equals),
            min,
            max,
        }
    }
}

impl Param {
    pub const fn new(name: &'static str, kind: Kind, expected: &'static str) -> Self {
        Param {
            name,
            kind,
            quoted: false,
            quotes_optional: false,
            hex: Hex::DEFAULT,
            range: None,
            bounds: (i64::MIN, i64::MAX),
            codes: &[],
            meanings: &[],
            words: &[],
            open: false,
            subset: None,
            supported: None,
            range_when: &[],
            requires: None,
            max_len: None,
            secret: false,
            empty: false,
            default: None,
            unit_ms: 1000,
            unit_by: None,
            expected,
            expected_in_parens: expected,
        }
    }
    /// What a parser expects of the supported values in parentheses.
    pub const fn in_parens(mut self, expected: &'static str) -> Self {
        self.expected_in_parens = expected;
        self
    }

    pub const fn quoted(mut self) -> Self {
        self.quoted = true;
        self
    }
    /// Read with or without quotes (the manual is ambiguous).
    pub const fn quotes_optional(mut self) -> Self {
        self.quotes_optional = true;
        self
    }
    pub const fn hex(mut self, prefix: &'static str, digits: u8, lowercase: bool) -> Self {
        self.hex = Hex {
            prefix,
            digits,
            lowercase,
        };
        self
    }
    pub const fn range(mut self, min: i64, max: i64) -> Self {
        self.range = Some((min, max));
        self
    }
    pub const fn bounds(mut self, min: i64, max: i64) -> Self {
        self.bounds = (min, max);
        self
    }
    pub const fn codes(mut self, codes: &'static [i64], meanings: &'static [&'static str]) -> Self {
        self.codes = codes;
        self.meanings = meanings;
        self
    }
    pub const fn words(mut self, words: &'static [&'static str]) -> Self {
        self.words = words;
        self
    }
    pub const fn open(mut self) -> Self {
        self.open = true;
        self
    }
    pub const fn subset(mut self, subset: &'static [i64]) -> Self {
        self.subset = Some(subset);
        self
    }
    pub const fn supported(mut self, values: &'static [i64], note: &'static str) -> Self {
        self.supported = Some((values, note));
        self
    }
    pub const fn range_when(mut self, rw: &'static [RangeWhen]) -> Self {
        self.range_when = rw;
        self
    }
    pub const fn requires(mut self, param: &'static str, equals: i64) -> Self {
        self.requires = Some(Cond::new(param, equals));
        self
    }
    pub const fn max_len(mut self, n: usize) -> Self {
        self.max_len = Some(n);
        self
    }
    pub const fn secret(mut self) -> Self {
        self.secret = true;
        self
    }
    pub const fn empty(mut self) -> Self {
        self.empty = true;
        self
    }
    pub const fn default(mut self, d: i64) -> Self {
        self.default = Some(d);
        self
    }
    pub const fn unit_ms(mut self, ms: u64) -> Self {
        self.unit_ms = ms;
        self
    }
    pub const fn unit_by(mut self, param: &'static str, units: &'static [(i64, u64)]) -> Self {
        self.unit_by = Some(UnitBy { param, units });
        self
    }
}

impl Field {
    /// A field outside any optional group.
    pub const fn of(param: &'static Param) -> Self {
        Field {
            param,
            optional: false,
            length: None,
            placeholder: None,
        }
    }
    /// A field inside an optional group.
    pub const fn opt(param: &'static Param) -> Self {
        Field {
            param,
            optional: true,
            length: None,
            placeholder: None,
        }
    }
    /// A test response's placeholder the module may print as written (`<serveraddr>`).
    pub const fn placeholder(mut self, text: &'static str) -> Self {
        self.placeholder = Some(text);
        self
    }
    /// A payload whose length is field `length`.
    pub const fn payload(mut self, length: u8) -> Self {
        self.length = Some(length);
        self
    }
}

/// [`Field::of`], the generator's shorthand (a field list fits on one line).
pub const fn of(param: &'static Param) -> Field {
    Field::of(param)
}

/// [`Field::opt`], the generator's shorthand.
pub const fn opt(param: &'static Param) -> Field {
    Field::opt(param)
}

impl Template {
    pub const fn new(text: &'static str, toks: &'static [Tok], fields: &'static [Field]) -> Self {
        Template { text, toks, fields }
    }
}

impl Line {
    pub const fn new(
        family: &'static str,
        name: &'static str,
        what: &'static str,
        template: Template,
    ) -> Self {
        Line {
            family,
            name,
            what,
            template,
            hex_when: None,
            supported: &[],
            test: false,
            optional: false,
            repeat: false,
        }
    }
    pub const fn optional(mut self) -> Self {
        self.optional = true;
        self
    }
    pub const fn repeat(mut self) -> Self {
        self.repeat = true;
        self
    }
    pub const fn hex_when(mut self, param: &'static str, equals: i64) -> Self {
        self.hex_when = Some(Cond::new(param, equals));
        self
    }
    /// Marks a test response line, with what each field prints.
    pub const fn supported(mut self, texts: &'static [&'static str]) -> Self {
        self.supported = texts;
        self.test = true;
        self
    }
}

impl Urc {
    pub const fn new(line: Line) -> Self {
        Urc {
            line,
            outcome: None,
        }
    }
    pub const fn outcome(mut self, field: u8, success: &'static [i64]) -> Self {
        self.outcome = Some(Outcome { field, success });
        self
    }
}

impl MaxTime {
    pub const fn new(base_ms: u64, text: &'static str) -> Self {
        MaxTime {
            base_ms,
            plus: None,
            text,
        }
    }
    pub const fn plus(mut self, p: &'static Param) -> Self {
        self.plus = Some(p);
        self
    }
}

impl Data {
    pub const fn new(end: DataLen) -> Self {
        Data {
            end,
            max_len: None,
            hex_when: None,
            checksum: None,
            prompt_wait_ms: 0,
            secret: false,
            secret_when: None,
        }
    }
    pub const fn max_len(mut self, n: usize) -> Self {
        self.max_len = Some(n);
        self
    }
    pub const fn hex_when(mut self, param: &'static str, equals: i64) -> Self {
        self.hex_when = Some(Cond::new(param, equals));
        self
    }
    pub const fn checksum(mut self, c: ChecksumKind) -> Self {
        self.checksum = Some(c);
        self
    }
    pub const fn prompt_wait_ms(mut self, ms: u32) -> Self {
        self.prompt_wait_ms = ms;
        self
    }
    pub const fn secret(mut self) -> Self {
        self.secret = true;
        self
    }
    pub const fn secret_when(mut self, param: &'static str, equals: i64) -> Self {
        self.secret_when = Some(Cond::new(param, equals));
        self
    }
}

/// A form's descriptor as generated code writes it: of the module's `FAMILY`,
/// named in errors `AT+<command> command line`, with its template's text,
/// tokens and fields (each fact said once).
#[macro_export]
#[doc(hidden)]
macro_rules! form {
    ($name:literal, $cmd:literal, $kind:expr, $section:literal, $text:literal, $toks:expr, $fields:expr $(,)?) => {
        $crate::desc::Form::new(
            FAMILY,
            $name,
            $cmd,
            $kind,
            $section,
            concat!("AT+", $cmd, " command line"),
            $crate::desc::Template::new($text, $toks, $fields),
        )
    };
}

/// A line's descriptor as generated code writes it: of the module's `FAMILY`,
/// named in errors by its template in backquotes.
#[macro_export]
#[doc(hidden)]
macro_rules! line_desc {
    ($name:literal, $text:literal, $toks:expr, $fields:expr $(,)?) => {
        $crate::desc::Line::new(
            FAMILY,
            $name,
            concat!("`", $text, "`"),
            $crate::desc::Template::new($text, $toks, $fields),
        )
    };
}

impl Form {
    pub const fn new(
        family: &'static str,
        name: &'static str,
        command: &'static str,
        kind: FormKind,
        section: &'static str,
        what: &'static str,
        args: Template,
    ) -> Self {
        Form {
            family,
            name,
            command,
            sub: None,
            kind,
            section,
            suffix: match kind {
                FormKind::Test => "=?",
                FormKind::Read => "?",
                FormKind::Write => "=",
                FormKind::Exec => "",
            },
            what,
            args,
            max: None,
            result_wait: None,
            finals: &[],
            data: None,
            result: None,
            result_when: None,
            connect_when: None,
            records: false,
            responses: &[],
            omits: &[],
            error_line: None,
        }
    }
    pub const fn sub(mut self, sub: &'static str) -> Self {
        self.sub = Some(sub);
        self
    }
    pub const fn max(mut self, max: MaxTime) -> Self {
        self.max = Some(max);
        self
    }
    pub const fn result_wait(mut self, wait: MaxTime) -> Self {
        self.result_wait = Some(wait);
        self
    }
    pub const fn finals(mut self, finals: &'static [FinalKind]) -> Self {
        self.finals = finals;
        self
    }
    pub const fn data(mut self, data: Data) -> Self {
        self.data = Some(data);
        self
    }
    pub const fn result(mut self, urc: &'static Urc) -> Self {
        self.result = Some(urc);
        self
    }
    pub const fn result_when(mut self, param: &'static str, equals: i64) -> Self {
        self.result_when = Some(Cond::new(param, equals));
        self
    }
    pub const fn connect_when(mut self, param: &'static str, equals: i64) -> Self {
        self.connect_when = Some(Cond::new(param, equals));
        self
    }
    pub const fn records(mut self) -> Self {
        self.records = true;
        self
    }
    pub const fn responses(mut self, lines: &'static [&'static Line]) -> Self {
        self.responses = lines;
        self
    }
    pub const fn omits(mut self, params: &'static [&'static str]) -> Self {
        self.omits = params;
        self
    }
    pub const fn error_line(mut self, line: &'static Line, code: u8) -> Self {
        self.error_line = Some((line, code));
        self
    }
    /// The manual's syntax of the form.
    pub const fn syntax(&self) -> &'static str {
        self.args.text
    }
}

impl Param {
    /// The meanings of string values (`words`), in their order.
    pub const fn meanings(mut self, meanings: &'static [&'static str]) -> Self {
        self.meanings = meanings;
        self
    }
}

//! The validated intermediate representation. It holds no TOML types; every
//! emitter (Rust, Markdown, simulator tables, `spec show`) reads only this.
//! Maps are `BTreeMap`s and lists keep the manual's order, so output is deterministic.

use crate::model::{ChecksumAlgorithm, DataEnd, FormKind, ParamType, TableKind};
use crate::template::Token;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Spec {
    pub families: BTreeMap<String, Family>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Family {
    pub id: String,
    pub vendor: String,
    pub title: String,
    pub modules: Vec<String>,
    pub manual: Manual,
    pub ssl_versions: Vec<String>,
    pub cipher_suites: Option<String>,
    pub errors: Vec<String>,
    pub notes: Vec<String>,
    pub params: BTreeMap<String, Param>,
    pub commands: Vec<Command>,
    pub urcs: Vec<Urc>,
    pub tables: BTreeMap<String, Table>,
    pub errata: Vec<Erratum>,
    /// The spec file it came from.
    pub spec_file: String,
    /// The SSL dialog (`[socket]`), when the spec has one.
    #[serde(default)]
    pub socket: Option<Socket>,
    /// The simulator's choices (`[simulator]`).
    #[serde(default)]
    pub simulator: Simulator,
}

impl Form {
    /// Every information line of the form: its own and those of its queries by omission.
    pub fn all_responses(&self) -> impl Iterator<Item = &Line> {
        self.responses
            .iter()
            .chain(self.queries.iter().flat_map(|q| q.responses.iter()))
    }
}

impl Family {
    /// Every information line of every command form of the family.
    pub fn response_lines(&self) -> impl Iterator<Item = &Line> {
        self.commands
            .iter()
            .flat_map(|c| c.forms.iter())
            .flat_map(Form::all_responses)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manual {
    pub file: String,
    pub title: String,
    pub version: Option<String>,
    pub date: Option<String>,
    pub language: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Literal {
    Int(i64),
    Str(String),
}

impl Literal {
    /// The value as written on the wire, without quotes: `0`, `INITIAL`.
    pub fn wire(&self) -> String {
        match self {
            Literal::Int(i) => i.to_string(),
            Literal::Str(s) => s.clone(),
        }
    }
}

impl std::fmt::Display for Literal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Literal::Int(i) => write!(f, "{i}"),
            Literal::Str(s) => write!(f, "\"{s}\""),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Param {
    /// The key under `[params]`.
    pub key: String,
    /// The manual's spelling.
    pub name: String,
    /// Rust field name.
    pub rust: String,
    #[serde(rename = "type")]
    pub ty: ParamType,
    pub quoted: bool,
    #[serde(default)]
    pub quotes_optional: bool,
    pub description: String,
    pub description_en: Option<String>,
    pub section: Option<String>,
    pub range: Option<(i64, i64)>,
    pub supported: Option<Vec<i64>>,
    pub supported_note: Option<String>,
    /// Enumerated values, resolved from `values` or `values_from` (+ `subset`).
    pub values: Vec<Value>,
    pub values_from: Option<String>,
    pub default: Option<Literal>,
    pub unit: Option<String>,
    pub unit_by: Option<UnitBy>,
    pub range_when: Vec<RangeWhen>,
    pub requires: Option<Condition>,
    pub max_len: Option<u32>,
    pub secret: bool,
    pub open_enum: bool,
    /// An integer that may be empty in a response.
    #[serde(default)]
    pub empty: bool,
    /// How `hex` values are written.
    pub hex: HexFormat,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HexFormat {
    pub prefix: String,
    pub digits: u8,
    pub lowercase: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Value {
    pub value: Literal,
    pub name: String,
    pub meaning: Option<String>,
    pub meaning_en: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnitBy {
    pub param: String,
    pub units: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Condition {
    pub param: String,
    pub equals: i64,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RangeWhen {
    pub param: String,
    pub equals: i64,
    pub range: (i64, i64),
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Command {
    pub id: String,
    pub name: String,
    pub sub: Option<String>,
    /// Rust type name stem (UpperCamelCase).
    pub rust: String,
    pub title: String,
    pub title_en: Option<String>,
    pub description: String,
    pub description_en: Option<String>,
    pub section: String,
    /// The manual's maximum response time; `None`: it states none (the runtime's
    /// default applies, `atgen_runtime::request::UNSTATED_RESPONSE`).
    pub max_response_time: Option<ResponseTime>,
    /// The wait for the command's result URC where the manual states one apart
    /// from the maximum response time; `None`: the maximum response time bounds it.
    pub result_wait: Option<ResultWait>,
    pub saved: Option<bool>,
    pub characteristics: Option<String>,
    pub forms: Vec<Form>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResponseTime {
    pub ms: u64,
    pub plus: Option<String>,
    pub text: String,
}

/// The wait for a result URC, counted from the command line (or the end of its data).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResultWait {
    /// The time and the manual's words about it (with `max_response_time`: the
    /// time of the command's maximum response time).
    pub time: ResponseTime,
    /// The manual says to wait the command's maximum response time.
    pub max_response_time: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Form {
    pub kind: FormKind,
    pub syntax: String,
    /// The arguments after `=` (write forms).
    pub args: Vec<Token>,
    pub description: Option<String>,
    pub responses: Vec<Line>,
    pub queries: Vec<Query>,
    pub finals: Vec<Final>,
    pub data: Option<DataPhase>,
    pub result_urc: Option<String>,
    #[serde(default)]
    pub result_when: Option<Condition>,
    #[serde(default)]
    pub error_line: Option<ErrorLine>,
    /// The integer values it writes are settings the link records.
    #[serde(default)]
    pub records: bool,
    pub connect_when: Option<Condition>,
}

/// A line printed before `ERROR` that carries the error code.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorLine {
    pub line: Line,
    pub code: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Query {
    pub omitted: Vec<String>,
    pub description: Option<String>,
    pub responses: Vec<Line>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Line {
    pub template: String,
    pub tokens: Vec<Token>,
    pub repeat: bool,
    pub optional: bool,
    pub payload_length: Option<String>,
    pub payload_hex_when: Option<Condition>,
    pub description: Option<String>,
    /// A test response line's bare `<name>`s (template names) that a module may
    /// print as the manual writes them (UGxx `<serveraddr>`) or fill with a value.
    #[serde(default)]
    pub placeholders: Vec<String>,
}

/// A final result code: a fixed word (`OK`, `SEND FAIL`, …) or a template (`<ssid>,CLOSE OK`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Final {
    pub text: String,
    pub tokens: Vec<Token>,
    /// The standard result this is (`OK`, `ERROR`, `+CME ERROR`, …) with any prefix stripped.
    pub result: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DataPhase {
    pub end: DataEnd,
    pub length: Option<String>,
    pub max_len: Option<u32>,
    pub text: String,
    pub hex_when: Option<Condition>,
    pub checksum: Option<Checksum>,
    pub prompt_wait_ms: Option<u32>,
    pub secret: bool,
    #[serde(default)]
    pub secret_when: Option<Condition>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Checksum {
    pub algorithm: ChecksumAlgorithm,
    pub param: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Urc {
    pub id: String,
    pub rust: String,
    pub line: Line,
    pub title: String,
    pub title_en: Option<String>,
    pub description: String,
    pub description_en: Option<String>,
    pub section: String,
    pub completes: Option<String>,
    /// The field carrying the result code and the codes meaning success.
    #[serde(default)]
    pub outcome: Option<Outcome>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outcome {
    pub param: String,
    pub success: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Table {
    pub id: String,
    pub kind: TableKind,
    pub rust: String,
    pub title: String,
    pub source: Option<String>,
    pub section: Option<String>,
    pub entries: Vec<Entry>,
    /// The file it was declared in.
    pub spec_file: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub code: i64,
    pub name: String,
    pub en: Option<String>,
    pub zh: Option<String>,
    pub families: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Erratum {
    pub section: String,
    pub manual: String,
    pub spec: String,
    pub why: String,
    pub applies_to: Option<String>,
}

/// The final result words the manuals use.
pub const KNOWN_FINALS: &[&str] = &[
    "OK",
    "ERROR",
    "+CME ERROR",
    "SEND OK",
    "SEND FAIL",
    "CLOSE OK",
    "CONNECT",
    "NO CARRIER",
];

// ---------------------------------------------------------------- the SSL dialog

/// Where a parameter of a dialog request gets its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// A portable option or an id (`ssl_version`, `pdp`, …).
    Option(String),
    Int(i64),
    Text(String),
    Host,
    Port,
    ReadLen,
    DataLen,
}

/// A request of the dialog: a command's form and its values.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoleRequest {
    /// The command id.
    pub command: String,
    /// The index of the form in the command's forms.
    pub form: usize,
    /// (parameter key, source).
    pub values: Vec<(String, Source)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SetupRole {
    pub request: RoleRequest,
    pub always: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SendRole {
    pub request: RoleRequest,
    pub retry_send_fail: bool,
    pub retry_codes: Vec<i64>,
    pub max: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecvRole {
    /// The URC id announcing data.
    pub ready: String,
    pub request: RoleRequest,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Modes {
    pub param: String,
    pub buffer: i64,
    pub push: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UploadStep {
    pub request: RoleRequest,
    pub data: bool,
    pub ignore_errors: bool,
    pub default_path: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Upload {
    /// `ca_cert`, `client_cert`, `client_key`.
    pub kind: String,
    pub steps: Vec<UploadStep>,
}

/// Where a simulated answer's field gets its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SimSource {
    /// The connection's id (where a line names it otherwise, ML302 `<socketindex>`).
    Connection,
    /// The connection's peer host and port, the module's local port.
    Host,
    Port,
    LocalPort,
    /// The connection's state ([`SimStateLines::states`]) and receive mode
    /// (the open's mode parameter value).
    State,
    Mode,
    Int(i64),
    Text(String),
}

/// The state command's lines.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SimStateLines {
    pub command: String,
    /// (parameter's manual name, source).
    pub values: Vec<(String, SimSource)>,
    /// The values of initial, opening, connected, closing.
    pub states: [Literal; 4],
    pub every_id: bool,
}

/// The file store of uploaded certificates.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SimFiles {
    /// Command ids.
    pub write: String,
    pub read: String,
    pub delete: String,
    /// The manual name of the byte-count parameter of the upload response.
    pub size: Option<String>,
    pub values: Vec<(String, Literal)>,
}

/// The simulator's choices where the manual is silent.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Simulator {
    /// (parameter's manual name, power-on value).
    pub power_on: Vec<(String, Literal)>,
    /// Codes, resolved from table names.
    pub busy: Option<i64>,
    pub send_failure: Option<i64>,
    pub open_timeout: Option<i64>,
    /// A close of an id that is not open answers `OK` (else `ERROR`).
    pub close_unknown_ok: bool,
    pub push_chunk: Option<u32>,
    pub recv: Vec<(String, SimSource)>,
    pub state: Option<SimStateLines>,
    pub files: Option<SimFiles>,
    pub notes: Vec<String>,
}

/// The SSL dialog of a family.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Socket {
    /// The Rust name of the family's dialect (`Ec2x`: the id's last word; the
    /// whole id where two families share it).
    #[serde(default)]
    pub dialect: String,
    /// Parameter keys of the ids.
    pub pdp: Option<String>,
    pub ssl_ctx: Option<String>,
    pub connection: String,
    pub modes: Option<Modes>,
    pub lacks: BTreeMap<String, String>,
    pub setup: Vec<SetupRole>,
    pub open: RoleRequest,
    pub send: SendRole,
    pub recv: Option<RecvRole>,
    /// URC ids.
    pub push: Option<String>,
    pub closed: Option<String>,
    pub close_after_peer: bool,
    pub close: RoleRequest,
    pub state: Option<RoleRequest>,
    pub uploads: Vec<Upload>,
    pub notes: Vec<String>,
}

/// The portable options a dialog value can name, and the other sources.
pub const OPTIONS: &[&str] = &[
    "ssl_version",
    "seclevel",
    "cipher_suite",
    "negotiate_time",
    "psk_identity",
    "psk_key",
    "ca_cert",
    "client_cert",
    "client_key",
    "sni",
    "alpn",
    "ignore_local_time",
    "hex_data",
    "pdp",
    "ssl_ctx",
    "connection",
    "cert_kind",
];

/// The role-specific value sources.
pub const ROLE_SOURCES: &[&str] = &["host", "port", "read_len", "data_len"];

/// The certificate kinds of uploads.
pub const CERT_KINDS: &[&str] = &["ca_cert", "client_cert", "client_key"];

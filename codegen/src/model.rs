//! The raw spec model: what a TOML file under `spec/` deserialises into.
//!
//! Only this module and [`crate::load`] know about TOML. Everything is wrapped
//! in [`Spanned`] where a diagnostic may need to point at it; the validation
//! passes turn this model into the [`crate::ir`] which holds no TOML types.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// A spec file: either a family (`[family]`) or a file of shared tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecFile {
    pub family: Option<Spanned<Family>>,
    #[serde(default)]
    pub params: BTreeMap<Spanned<String>, Spanned<Param>>,
    #[serde(default)]
    pub commands: Vec<Spanned<Command>>,
    #[serde(default)]
    pub urcs: Vec<Spanned<Urc>>,
    #[serde(default)]
    pub tables: Vec<Spanned<Table>>,
    #[serde(default)]
    pub errata: Vec<Spanned<Erratum>>,
    /// The SSL dialog: which form, parameter and URC plays each role.
    pub socket: Option<Spanned<Socket>>,
    /// What the simulator needs that the manual does not say (power-on values,
    /// which code reports a busy id), and the commands it answers beyond the dialog.
    pub simulator: Option<Spanned<Simulator>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    /// Kebab-case id, e.g. `quectel-ec2x`.
    pub id: Spanned<String>,
    pub vendor: String,
    pub title: String,
    /// Module models the manual covers.
    pub modules: Vec<String>,
    pub manual: Manual,
    /// Ids of shared tables (from `spec/shared/`) this family uses.
    #[serde(default)]
    pub uses: Vec<Spanned<String>>,
    /// Ids of the error tables that explain this family's error results.
    #[serde(default)]
    pub errors: Vec<Spanned<String>>,
    /// Supported SSL/TLS versions as the manual lists them.
    #[serde(default)]
    pub ssl_versions: Vec<String>,
    /// The cipher-suite table of this family (a table id).
    pub cipher_suites: Option<Spanned<String>>,
    #[serde(default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manual {
    /// File name under `shared/seeds/`.
    pub file: String,
    pub title: String,
    pub version: Option<String>,
    pub date: Option<String>,
    /// `en` or `zh`.
    pub language: String,
}

/// Parameter value types, as the manuals write them.
#[derive(Debug, Deserialize, serde::Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ParamType {
    /// Decimal integer, unquoted.
    Int,
    /// Hex integer such as `0X0035` (unquoted unless `quoted = true`).
    Hex,
    /// A string, quoted unless `quoted = false`.
    String,
    /// Raw payload bytes, taken by length (never part of a command line).
    Bytes,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// The manual's spelling when the table key has to differ from it.
    pub name: Option<String>,
    /// Rust field name override (snake_case).
    pub rust: Option<Spanned<String>>,
    #[serde(rename = "type")]
    pub ty: Spanned<ParamType>,
    /// Whether the value is written inside double quotes.
    pub quoted: Option<bool>,
    /// The manual is ambiguous about the quotes: values are read with or
    /// without them (and written as `quoted` says).
    #[serde(default)]
    pub quotes_optional: bool,
    pub description: String,
    /// English rendering where the manual is not in English.
    pub description_en: Option<String>,
    pub section: Option<String>,
    /// Inclusive `[min, max]`.
    pub range: Option<Spanned<[i64; 2]>>,
    /// Values the firmware currently accepts, when the manual narrows the range.
    pub supported: Option<Spanned<Vec<i64>>>,
    /// The manual's words for `supported`.
    pub supported_note: Option<String>,
    pub values: Option<Vec<Spanned<Value>>>,
    /// Take the enumerated values from a table (`[[tables]]` id).
    pub values_from: Option<Spanned<String>>,
    /// With `values_from`: only these codes of the table apply.
    pub subset: Option<Spanned<Vec<i64>>>,
    pub default: Option<Spanned<toml::Value>>,
    pub unit: Option<String>,
    /// Unit chosen by another parameter's value.
    pub unit_by: Option<Spanned<UnitBy>>,
    /// Other ranges in force while another parameter has a given value.
    #[serde(default)]
    pub range_when: Vec<Spanned<RangeWhen>>,
    /// Only meaningful while another parameter has a given value.
    pub requires: Option<Spanned<Condition>>,
    /// How a `hex` value is written (default `0X`, 4 upper-case digits).
    pub hex: Option<HexFormat>,
    /// Maximum length in bytes (strings).
    pub max_len: Option<Spanned<u32>>,
    /// Whether the value is secret (redacted in logs).
    #[serde(default)]
    pub secret: bool,
    /// Whether a response may carry codes outside `values` (keep, don't fail).
    #[serde(default)]
    pub open_enum: bool,
    /// An integer that may be left empty in a response (`+CCHOPEN: 1,"",,,`).
    #[serde(default)]
    pub empty: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HexFormat {
    /// `0X` (default), `0x` or empty for bare digits.
    #[serde(default = "default_hex_prefix")]
    pub prefix: String,
    /// At least this many digits (zero-padded); default 4.
    #[serde(default = "default_hex_digits")]
    pub digits: u8,
    /// Lower-case digits (`384a`).
    #[serde(default)]
    pub lowercase: bool,
}

fn default_hex_prefix() -> String {
    "0X".into()
}

fn default_hex_digits() -> u8 {
    4
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Value {
    /// The value as it appears on the wire (integer or string).
    pub value: toml::Value,
    /// Rust variant name (UpperCamelCase).
    pub name: Spanned<String>,
    /// The manual's meaning of the value.
    pub meaning: Option<String>,
    pub meaning_en: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitBy {
    pub param: Spanned<String>,
    /// Map from the other parameter's value (as a string) to the unit.
    pub units: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub param: Spanned<String>,
    pub equals: i64,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeWhen {
    pub param: Spanned<String>,
    pub equals: i64,
    pub range: Spanned<[i64; 2]>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Command {
    /// Unique snake_case id, e.g. `qsslcfg_sslversion`.
    pub id: Spanned<String>,
    /// Command name without `AT+`, e.g. `QSSLCFG`.
    pub name: Spanned<String>,
    /// The QSSLCFG sub-command keyword, e.g. `sslversion`.
    pub sub: Option<String>,
    /// Rust type name override (UpperCamelCase).
    pub rust: Option<Spanned<String>>,
    pub title: String,
    pub title_en: Option<String>,
    pub description: String,
    pub description_en: Option<String>,
    pub section: String,
    pub max_response_time: Option<Spanned<ResponseTime>>,
    /// The wait for the result URC of the command's forms (`result_urc`), where the
    /// manual states it apart from the maximum response time.
    pub result_wait: Option<Spanned<ResultWait>>,
    /// Whether settings survive a reboot (`None`: the manual says nothing).
    pub saved: Option<bool>,
    /// The manual's "characteristics" words.
    pub characteristics: Option<String>,
    pub forms: Vec<Spanned<Form>>,
    #[serde(default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseTime {
    /// Fixed part in milliseconds.
    #[serde(default)]
    pub ms: u64,
    /// A parameter whose value (in its unit, its default when absent) is added.
    pub plus: Option<Spanned<String>>,
    /// The manual's words.
    pub text: String,
}

/// How long the result URC of a command may take, counted like the maximum
/// response time from the command line (or the end of its data).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultWait {
    /// Fixed part in milliseconds.
    #[serde(default)]
    pub ms: u64,
    /// A parameter whose value (in its unit, its default when absent) is added.
    pub plus: Option<Spanned<String>>,
    /// The manual says to wait the command's maximum response time for the URC.
    #[serde(default)]
    pub max_response_time: Option<Spanned<bool>>,
    /// The manual's words about the wait.
    pub text: String,
}

#[derive(Debug, Deserialize, serde::Serialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum FormKind {
    Test,
    Read,
    Write,
    Exec,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    pub kind: Spanned<FormKind>,
    /// The command line in the manual's notation: `AT+QSSLCFG="sslversion",<SSL_ctxID>[,<SSL_version>]`.
    pub syntax: Spanned<String>,
    pub description: Option<String>,
    /// Information response lines when every parameter is given.
    #[serde(default)]
    pub responses: Vec<Spanned<Line>>,
    /// Query by omission: what the module answers when parameters are left out.
    #[serde(default)]
    pub queries: Vec<Spanned<Query>>,
    /// Final result codes the form can end with (`OK`, `ERROR`, `+CME ERROR`, `SEND OK`, …).
    pub finals: Vec<Spanned<String>>,
    /// A data phase after the `>` prompt.
    pub data: Option<Spanned<DataPhase>>,
    /// A URC that completes the command later (a `[[urcs]]` id).
    pub result_urc: Option<Spanned<String>>,
    /// The result URC comes only while another command's setting holds.
    pub result_when: Option<Spanned<Condition>>,
    /// A line the module prints before `ERROR`, carrying the error code.
    pub error_line: Option<Spanned<ErrorLine>>,
    /// The integer values this form writes are settings the link records (after
    /// `OK`), kept per the ids of `[socket] ids` the form names.
    #[serde(default)]
    pub records: bool,
    /// The form switches to transparent mode (`CONNECT`) while this holds.
    pub connect_when: Option<Spanned<Condition>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Query {
    /// The parameters left out.
    pub omitted: Vec<Spanned<String>>,
    pub description: Option<String>,
    pub responses: Vec<Spanned<Line>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// Template in the manual's notation: `+QSSLRECV: <have_readlen><CR><LF><data>`.
    pub line: Spanned<String>,
    /// The line may be repeated (a "list of" response).
    #[serde(default)]
    pub repeat: bool,
    /// The line may be absent.
    #[serde(default)]
    pub optional: bool,
    /// The integer parameter that gives the byte length of a `bytes` parameter.
    pub payload_length: Option<Spanned<String>>,
    /// The payload is hex text while this holds (BC26 dataformat).
    pub payload_hex_when: Option<Spanned<Condition>>,
    pub description: Option<String>,
    /// In a test response: the bare `<name>` placeholders a module always fills
    /// with a value (ML302 `+QSSLCFG: "type",(0-5),"value"`); every other bare
    /// placeholder may also be printed as the manual writes it (`<serveraddr>`).
    #[serde(default)]
    pub filled: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize, serde::Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum DataEnd {
    /// Ends with Ctrl+Z (0x1A); ESC cancels.
    CtrlZ,
    /// Exactly `length` bytes; no terminator.
    Length,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataPhase {
    pub end: Spanned<DataEnd>,
    /// With `end = "length"`: the parameter holding the byte count.
    pub length: Option<Spanned<String>>,
    /// Largest payload in bytes.
    pub max_len: Option<u32>,
    /// The manual's words about the data phase.
    pub text: String,
    /// Payload is hex text while this holds (BC26 dataformat).
    pub hex_when: Option<Spanned<Condition>>,
    /// How the module reports the payload's integrity.
    pub checksum: Option<Spanned<Checksum>>,
    /// Recommended wait after the prompt, in milliseconds.
    pub prompt_wait_ms: Option<u32>,
    /// The payload is secret material (redacted in logs).
    #[serde(default)]
    pub secret: bool,
    /// The payload is secret only while this holds (ML302 QSECWRITE: client keys, not CA certificates).
    pub secret_when: Option<Spanned<Condition>>,
}

#[derive(Debug, Deserialize, serde::Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ChecksumAlgorithm {
    /// The total byte count of the payload (BC26).
    ByteCount,
    /// XOR of big-endian 16-bit words, odd tail padded with 0x00 (ML302).
    Xor16,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checksum {
    pub algorithm: ChecksumAlgorithm,
    /// The response parameter carrying it.
    pub param: Spanned<String>,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Urc {
    /// Unique snake_case id, e.g. `recv_push`.
    pub id: Spanned<String>,
    pub rust: Option<Spanned<String>>,
    pub line: Spanned<String>,
    pub title: String,
    pub title_en: Option<String>,
    pub description: String,
    pub description_en: Option<String>,
    pub section: String,
    pub payload_length: Option<Spanned<String>>,
    pub payload_hex_when: Option<Spanned<Condition>>,
    /// The command (id) this URC completes.
    pub completes: Option<Spanned<String>>,
    /// Which field carries the result code and which codes mean success
    /// (default: a field from an error table, success 0).
    pub outcome: Option<Spanned<Outcome>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub param: Spanned<String>,
    pub success: Vec<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorLine {
    /// The line in the manual's notation: `+CCHSEND: <session_id>,<err>`.
    pub line: Spanned<String>,
    /// The parameter holding the error code.
    pub code: Spanned<String>,
}

#[derive(Debug, Deserialize, serde::Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum TableKind {
    Errors,
    CipherSuites,
    Codes,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// Kebab-case id, unique across spec/.
    pub id: Spanned<String>,
    pub kind: TableKind,
    /// Rust enum name (UpperCamelCase).
    pub rust: Spanned<String>,
    pub title: String,
    pub source: Option<String>,
    pub section: Option<String>,
    pub entries: Vec<Spanned<Entry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub code: Spanned<i64>,
    /// Rust variant name (UpperCamelCase).
    pub name: Spanned<String>,
    /// English text (the manual's, or for IANA cipher suites the official name).
    pub en: Option<String>,
    /// Chinese text where the manual gives it.
    pub zh: Option<String>,
    /// Families whose manual lists this entry (shared tables only).
    #[serde(default)]
    pub families: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Erratum {
    pub section: String,
    /// What the manual says, in its words.
    pub manual: String,
    /// What the spec records instead.
    pub spec: String,
    /// Why.
    pub why: String,
    /// The command or URC id concerned.
    pub applies_to: Option<Spanned<String>>,
}

// ---------------------------------------------------------------- the SSL dialog

/// `[simulator]`: the simulator's choices where the manual is silent, each a
/// fact about the simulated module rather than about the protocol.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Simulator {
    /// Power-on values of settings the manual gives no default for
    /// (`SSL_version = 4`); the others start at the spec's default, else 0 or "".
    #[serde(default)]
    pub power_on: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    /// The code the open result reports for a connection id in use: a code, or
    /// the name of a table entry (`"SocketIdentityHasBeenUsed"`).
    pub busy: Option<Spanned<toml::Value>>,
    /// The code a send's result URC reports when the send fails (families
    /// without `SEND FAIL`).
    pub send_failure: Option<Spanned<toml::Value>>,
    /// The code the open result reports when the simulated handshake outlasts
    /// the open's result wait (`result_wait`, else its maximum response time):
    /// the simulated module gives up then, as the manual bounds it.
    pub open_timeout: Option<Spanned<toml::Value>>,
    /// How a close of an id that is not open is answered: `"ok"` or `"error"`.
    pub close_unknown: Option<Spanned<String>>,
    /// The most bytes one data URC carries (default: the range of its length
    /// parameter).
    pub push_chunk: Option<Spanned<u32>>,
    /// What the read response's fields carry beyond the ids, length and data:
    /// `param = "host"` / `"port"`.
    #[serde(default)]
    pub recv: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    /// The connection-state command.
    pub state: Option<Spanned<SimState>>,
    /// A file store of uploaded certificates (write, read back, delete).
    pub files: Option<Spanned<SimFiles>>,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// `[simulator.state]`: the state command's lines.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimState {
    pub command: Spanned<String>,
    /// `param = "host" | "port" | "local_port" | "state" | "mode"`, a constant,
    /// or `{ text = "…" }`.
    #[serde(default)]
    pub values: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    /// The state parameter's value for each connection state.
    pub states: Spanned<SimStates>,
    /// The listing names every id of the connection parameter's range (unused
    /// ones as initial), not only the open connections.
    #[serde(default)]
    pub every_id: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimStates {
    pub initial: Spanned<toml::Value>,
    pub opening: Spanned<toml::Value>,
    pub connected: Spanned<toml::Value>,
    pub closing: Spanned<toml::Value>,
}

/// `[simulator.files]`: certificates kept by the upload's key parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimFiles {
    /// The upload command (its data phase stores the file).
    pub write: Spanned<String>,
    /// The command answering a stored file's checksum (`ERROR` when none).
    pub read: Spanned<String>,
    /// The command forgetting a file.
    pub delete: Spanned<String>,
    /// The upload response's parameter holding the byte count.
    pub size: Option<Spanned<String>>,
    /// Constant fields of the read answer (`good = 1`).
    #[serde(default)]
    pub values: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
}

/// `[socket]`: the SSL connection's dialog as roles played by the spec's forms,
/// parameters and URCs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Socket {
    pub ids: Spanned<SocketIds>,
    pub modes: Option<Spanned<Modes>>,
    /// Why the family lacks an option or `upload`, in words for the user.
    #[serde(default)]
    pub lacks: BTreeMap<Spanned<String>, String>,
    #[serde(default)]
    pub setup: Vec<Spanned<SetupRole>>,
    pub open: Spanned<Role>,
    pub send: Spanned<SendRole>,
    pub recv: Option<Spanned<RecvRole>>,
    pub push: Option<Spanned<UrcRole>>,
    pub closed: Option<Spanned<ClosedRole>>,
    pub close: Spanned<Role>,
    pub state: Option<Spanned<Role>>,
    #[serde(default)]
    pub upload: Vec<Spanned<UploadRole>>,
    #[serde(default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SocketIds {
    pub pdp: Option<Spanned<String>>,
    pub ssl_ctx: Option<Spanned<String>>,
    pub connection: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Modes {
    pub param: Spanned<String>,
    pub buffer: i64,
    pub push: i64,
}

/// A request of the dialog: a command's write form and where its values come from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub command: Spanned<String>,
    /// `param = "option"` (a portable option or `host`, `port`, `read_len`,
    /// `data_len`, `cert_kind`), `param = 0` (a constant), `param = { text = "…" }`.
    #[serde(default)]
    pub values: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetupRole {
    pub command: Spanned<String>,
    #[serde(default)]
    pub values: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    /// Sent even when its options are not given (with their defaults).
    #[serde(default)]
    pub always: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendRole {
    pub command: Spanned<String>,
    /// Which write form: the one whose data phase ends so.
    pub data: Option<Spanned<DataEnd>>,
    #[serde(default)]
    pub values: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    /// Answers after which the same data may be sent again: `"SEND FAIL"`, or
    /// result codes of the result URC.
    #[serde(default)]
    pub retry: Vec<Spanned<toml::Value>>,
    /// The largest payload of one send where the manual states none.
    pub max: Option<Spanned<u32>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecvRole {
    /// The URC that announces data waiting in the module.
    pub ready: Spanned<String>,
    pub command: Spanned<String>,
    #[serde(default)]
    pub values: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrcRole {
    pub urc: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClosedRole {
    pub urc: Spanned<String>,
    /// The connection must still be closed after the peer closed it (default: yes).
    #[serde(default = "yes")]
    pub close: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadRole {
    /// `ca_cert`, `client_cert` or `client_key`.
    pub kind: Spanned<String>,
    pub steps: Vec<Spanned<UploadStep>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadStep {
    pub command: Spanned<String>,
    #[serde(default)]
    pub values: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    /// The certificate goes in this step's data phase.
    #[serde(default)]
    pub data: bool,
    /// `ERROR` from this step is no failure.
    #[serde(default)]
    pub ignore_errors: bool,
    /// The path to name when the configuration gives none.
    pub default_path: Option<String>,
}

//! The simulator's choices where the manual is silent (the spec's
//! `[simulator]`): power-on values, which code reports a busy id or a failed
//! send, how a close of an unknown id is answered, and the commands it answers
//! beyond the SSL dialog (connection states, a certificate file store).

use super::Form;

/// A constant value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Const {
    Int(i64),
    Str(&'static str),
}

/// Where a simulated answer's field gets its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimSource {
    /// The connection's id (where a line names it otherwise, ML302 `<socketindex>`).
    Connection,
    /// The connection's peer host and port, the module's local port.
    Host,
    Port,
    LocalPort,
    /// The connection's state ([`StateLines::states`]).
    State,
    /// The receive mode, as the open's mode parameter writes it.
    Mode,
    Const(Const),
}

/// The state command.
#[derive(Debug)]
pub struct StateLines {
    /// The command's forms (listing all, and naming one id).
    pub forms: &'static [&'static Form],
    /// (parameter's manual name, source).
    pub values: &'static [(&'static str, SimSource)],
    /// The state parameter's value when initial, opening, connected, closing.
    pub states: [Const; 4],
    /// Every id of the connection parameter's range is listed.
    pub every_id: bool,
}

/// A store of uploaded certificates, keyed by the upload's parameters.
#[derive(Debug)]
pub struct Files {
    pub write: &'static Form,
    pub read: &'static Form,
    pub delete: &'static Form,
    /// The upload response's byte-count parameter.
    pub size: Option<&'static str>,
    /// Constant fields of the read answer.
    pub values: &'static [(&'static str, Const)],
}

/// What the simulator needs beyond the manual.
#[derive(Debug)]
pub struct Simulator {
    /// (parameter's manual name, power-on value) where the manual gives no default.
    pub power_on: &'static [(&'static str, Const)],
    /// The open result's code for an id in use.
    pub busy: Option<i64>,
    /// A send result's code for a failed send.
    pub send_failure: Option<i64>,
    /// The open result's code when the simulated handshake outlasts the open's
    /// result wait: the simulated module gives up at the end of that wait.
    pub open_timeout: Option<i64>,
    /// A close of an id that is not open answers `OK` (else `ERROR`).
    pub close_unknown_ok: bool,
    /// The most bytes one data URC carries.
    pub push_chunk: Option<usize>,
    /// What the read response's fields carry beyond ids, length and data.
    pub recv: &'static [(&'static str, SimSource)],
    pub state: Option<StateLines>,
    pub files: Option<Files>,
}

impl Simulator {
    /// No choices: every setting starts at its spec default, else 0 or "".
    pub const NONE: Simulator = Simulator {
        power_on: &[],
        busy: None,
        send_failure: None,
        open_timeout: None,
        close_unknown_ok: false,
        push_chunk: None,
        recv: &[],
        state: None,
        files: None,
    };
}

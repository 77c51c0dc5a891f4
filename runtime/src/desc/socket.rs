//! The SSL dialog of a family as data (the spec's `[socket]` section): which
//! parameters carry the connection's ids, which forms configure, open, send,
//! read and close, which URCs announce data, carry it, or report a peer close.
//! One generic dialect ([`crate::socket`]) drives any family from this.

use super::{Form, Urc};

/// A portable option of the SSL configuration, as the spec maps it to a
/// family's set-up requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Opt {
    /// The SSL/TLS version (the manuals number it 0..=4).
    SslVersion,
    /// Who is authenticated (0..=2).
    SecLevel,
    /// A cipher suite by its IANA code (`0xFFFF`: all).
    CipherSuite,
    /// Seconds the handshake may take.
    NegotiateTime,
    /// A pre-shared key's identity and key (secret).
    PskIdentity,
    PskKey,
    /// Paths of certificate files on the module.
    CaCert,
    ClientCert,
    ClientKey,
    /// Server Name Indication on (1) or off (0).
    Sni,
    /// ALPN protocol names.
    Alpn,
    /// Whether the certificates' validity period is checked against local time
    /// (1: ignore it).
    IgnoreLocalTime,
    /// Data in hex text (1) or as it is (0).
    HexData,
    /// The PDP context id, the SSL context id and the connection id.
    Pdp,
    SslCtx,
    Connection,
    /// The certificate kind of an upload: 0 CA certificate, 1 client certificate, 2 client key.
    CertKind,
}

impl Opt {
    /// The option's name as the spec writes it.
    pub const fn name(self) -> &'static str {
        match self {
            Opt::SslVersion => "ssl_version",
            Opt::SecLevel => "seclevel",
            Opt::CipherSuite => "cipher_suite",
            Opt::NegotiateTime => "negotiate_time",
            Opt::PskIdentity => "psk_identity",
            Opt::PskKey => "psk_key",
            Opt::CaCert => "ca_cert",
            Opt::ClientCert => "client_cert",
            Opt::ClientKey => "client_key",
            Opt::Sni => "sni",
            Opt::Alpn => "alpn",
            Opt::IgnoreLocalTime => "ignore_local_time",
            Opt::HexData => "hex_data",
            Opt::Pdp => "pdp",
            Opt::SslCtx => "ssl_ctx",
            Opt::Connection => "connection",
            Opt::CertKind => "cert_kind",
        }
    }

    /// Every option a set-up request can take: the twelve a program sets
    /// ([`Opt::PORTABLE`]) first, then the data format, the ids and the upload kind.
    pub const ALL: &'static [Opt] = &[
        Opt::SslVersion,
        Opt::SecLevel,
        Opt::CipherSuite,
        Opt::NegotiateTime,
        Opt::PskIdentity,
        Opt::PskKey,
        Opt::CaCert,
        Opt::ClientCert,
        Opt::ClientKey,
        Opt::Sni,
        Opt::Alpn,
        Opt::IgnoreLocalTime,
        Opt::HexData,
        Opt::Pdp,
        Opt::SslCtx,
        Opt::Connection,
        Opt::CertKind,
    ];

    /// The options a program sets (the others are ids and the upload's kind).
    pub const PORTABLE: &'static [Opt] = Self::ALL.split_at(12).0;

    /// The option of a spec name.
    pub fn from_name(name: &str) -> Option<Opt> {
        Self::ALL.iter().copied().find(|o| o.name() == name)
    }
}

/// Where a parameter of a dialog request gets its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A portable option (or an id).
    Opt(Opt),
    /// A fixed integer.
    Int(i64),
    /// A fixed string.
    Str(&'static str),
    /// The host name of an open.
    Host,
    /// The port of an open.
    Port,
    /// The byte count of a read (the most bytes to take).
    ReadLen,
    /// The byte count of a send's data.
    DataLen,
}

/// One request of the dialog: a form and where its parameters' values come from
/// (parameters not listed and not ids are left out).
#[derive(Debug)]
pub struct Request {
    pub form: &'static Form,
    /// (parameter's manual name, source).
    pub values: &'static [(&'static str, Source)],
}

/// A set-up request for options of the configuration.
#[derive(Debug)]
pub struct Setup {
    pub request: Request,
    /// Sent even when none of its options is given (their defaults are sent).
    pub always: bool,
}

/// How the family sends data.
#[derive(Debug)]
pub struct Send {
    pub request: Request,
    /// `SEND FAIL` may be retried.
    pub retry_send_fail: bool,
    /// Result codes (of the result URC) after which the send may be retried.
    pub retry_codes: &'static [i64],
    /// The largest payload of one send when neither the form's data phase nor its
    /// length parameter states one (a spec choice, noted there).
    pub max: Option<usize>,
}

/// Buffer mode: the module keeps the data until it is read.
#[derive(Debug)]
pub struct Recv {
    /// The URC that announces data (once per drain).
    pub ready: &'static Urc,
    /// The read command; its data comes in its response line, or in data URCs
    /// before its result URC.
    pub request: Request,
}

/// The receive modes and the open parameter that picks one.
#[derive(Debug, Clone, Copy)]
pub struct Modes {
    pub param: &'static str,
    pub buffer: i64,
    pub push: i64,
}

/// One step of a certificate upload.
#[derive(Debug)]
pub struct UploadStep {
    pub request: Request,
    /// The step sends the certificate after `>`.
    pub data: bool,
    /// A plain `ERROR` (or module error) of this step is no failure (deleting a
    /// file that is not there).
    pub errors_ignored: bool,
    /// A path option used by the step, with the manual's default when unset.
    pub default_path: Option<&'static str>,
}

/// How a certificate or key is uploaded through the family's own commands.
#[derive(Debug)]
pub struct Upload {
    /// 0 CA certificate, 1 client certificate, 2 client key.
    pub kind: u8,
    pub steps: &'static [UploadStep],
}

/// The SSL dialog of a family.
#[derive(Debug)]
pub struct Socket {
    pub family: &'static str,
    /// The parameters carrying the ids (PDP context, SSL context, connection).
    pub pdp: Option<&'static str>,
    pub ssl_ctx: Option<&'static str>,
    pub connection: &'static str,
    /// The open parameter choosing buffer or push mode, where the family has both.
    pub modes: Option<Modes>,
    pub setup: &'static [Setup],
    pub open: Request,
    pub send: Send,
    pub recv: Option<Recv>,
    /// The URC carrying data (push mode, and buffer-mode reads that answer with URCs).
    pub push: Option<&'static Urc>,
    /// The URC reporting that the peer closed.
    pub closed: Option<&'static Urc>,
    /// After a peer close the connection must still be closed.
    pub close_after_peer: bool,
    pub close: Request,
    pub state: Option<Request>,
    pub uploads: &'static [Upload],
    /// Why the family lacks an option or operation, in the spec's words:
    /// (option or `upload`, reason).
    pub lacks: &'static [(&'static str, &'static str)],
}

impl Socket {
    /// The spec's reason for lacking `what`.
    pub fn lacks(&self, what: &str) -> Option<&'static str> {
        self.lacks
            .iter()
            .find(|(w, _)| *w == what)
            .map(|(_, why)| *why)
    }

    /// Whether a set-up request takes this option.
    pub fn sets(&self, opt: Opt) -> bool {
        self.setup
            .iter()
            .flat_map(|s| s.request.values.iter())
            .chain(self.open.values.iter())
            .any(|(_, s)| *s == Source::Opt(opt))
    }

    /// The connection ids the open request takes: its connection parameter's
    /// range in the manual (EC2x `<clientID>` 0..=11), `(0, 0)` when it has none.
    pub fn connection_range(&self) -> (i64, i64) {
        self.open
            .form
            .args
            .fields
            .iter()
            .find(|f| f.param.name == self.connection)
            .and_then(|f| f.param.range)
            .unwrap_or((0, 0))
    }
}

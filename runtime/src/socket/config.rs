//! What a program asks of the connection, in words every family understands.

use std::time::Duration;

use crate::dialog::{AccessMode, Options};

/// The SSL/TLS protocol version, as all five manuals number it (0..=4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsVersion {
    Ssl3_0,
    Tls1_0,
    Tls1_1,
    Tls1_2,
    /// Any version the module supports.
    All,
}

impl TlsVersion {
    /// The manuals' number: 0 SSL3.0, 1 TLS1.0, 2 TLS1.1, 3 TLS1.2, 4 all.
    pub const fn value(self) -> i64 {
        match self {
            TlsVersion::Ssl3_0 => 0,
            TlsVersion::Tls1_0 => 1,
            TlsVersion::Tls1_1 => 2,
            TlsVersion::Tls1_2 => 3,
            TlsVersion::All => 4,
        }
    }

    /// From the manuals' number.
    pub const fn from_value(v: i64) -> Option<Self> {
        Some(match v {
            0 => TlsVersion::Ssl3_0,
            1 => TlsVersion::Tls1_0,
            2 => TlsVersion::Tls1_1,
            3 => TlsVersion::Tls1_2,
            4 => TlsVersion::All,
            _ => return None,
        })
    }

    /// From the manuals' number (`3`) or a name (`tls1.2`, `ssl3.0`, `all`).
    pub fn parse(s: &str) -> Option<Self> {
        let lower = s.trim().to_ascii_lowercase();
        if let Ok(n) = lower.parse::<i64>() {
            return Self::from_value(n);
        }
        Some(match lower.replace(['_', ' ', 'v'], "").as_str() {
            "ssl3" | "ssl3.0" | "ssl30" => TlsVersion::Ssl3_0,
            "tls1" | "tls1.0" | "tls10" => TlsVersion::Tls1_0,
            "tls1.1" | "tls11" => TlsVersion::Tls1_1,
            "tls1.2" | "tls12" => TlsVersion::Tls1_2,
            "all" | "any" => TlsVersion::All,
            _ => return None,
        })
    }
}

/// Who is authenticated during the handshake (`<seclevel>` 0..=2 in every manual).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecLevel {
    /// 0: no authentication.
    None,
    /// 1: the server is authenticated (needs the CA certificate).
    Server,
    /// 2: server and client (needs the CA certificate, client certificate and key).
    Mutual,
}

impl SecLevel {
    /// The manuals' number.
    pub const fn value(self) -> i64 {
        match self {
            SecLevel::None => 0,
            SecLevel::Server => 1,
            SecLevel::Mutual => 2,
        }
    }

    /// From the manuals' number.
    pub const fn from_value(v: i64) -> Option<Self> {
        Some(match v {
            0 => SecLevel::None,
            1 => SecLevel::Server,
            2 => SecLevel::Mutual,
            _ => return None,
        })
    }
}

/// A TLS pre-shared key (EC2x `AT+QSSLCFG="psk"`). The key is registered with
/// the link as a secret and never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Psk {
    pub identity: String,
    pub key: String,
}

impl std::fmt::Debug for Psk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Psk")
            .field("identity", &self.identity)
            .field("key", &"***")
            .finish()
    }
}

/// Which certificate or key an upload or a path is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertKind {
    /// The trusted CA certificate (server authentication).
    CaCert,
    /// The client certificate (mutual authentication).
    ClientCert,
    /// The client's private key (mutual authentication): secret, never logged.
    ClientKey,
}

impl CertKind {
    /// The number the spec's `[socket]` uploads use: 0 CA certificate, 1 client
    /// certificate, 2 client key.
    pub const fn index(self) -> u8 {
        match self {
            CertKind::CaCert => 0,
            CertKind::ClientCert => 1,
            CertKind::ClientKey => 2,
        }
    }

    /// `cacert`, `clientcert`, `clientkey`: the manuals' keyword.
    pub const fn keyword(self) -> &'static str {
        match self {
            CertKind::CaCert => "cacert",
            CertKind::ClientCert => "clientcert",
            CertKind::ClientKey => "clientkey",
        }
    }
}

/// The connection's identifiers and options. Each family maps the three ids onto
/// its own parameters:
///
/// | field | EC2x / EC200x / UGxx | BC26 | ML302 |
/// |---|---|---|---|
/// | `pdp_ctx` | `<PDP_ctxID>` | `<contextID>` | `<cid>` (QSSLRECV) |
/// | `ssl_ctx` | `<SSL_ctxID>` | (unused) | `<ctxindex>` |
/// | `client` | `<clientID>` | `<connectID>` | `<ssid>` |
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SslConfig {
    pub pdp_ctx: u8,
    pub ssl_ctx: u8,
    pub client: u8,
    /// Buffer or push, where the family offers both.
    pub access_mode: AccessMode,
    /// `sslversion`; `None` leaves the module's setting alone.
    pub ssl_version: Option<TlsVersion>,
    /// `seclevel`; `None` leaves the module's setting alone.
    pub seclevel: Option<SecLevel>,
    /// `ciphersuite` by its IANA code (`0xFFFF`: all); `None` leaves it alone.
    pub cipher_suite: Option<u16>,
    /// Seconds the handshake may take (`negotiatetime`; BC26 `timeout`; ML302
    /// the `<timeout>` of QSSLOPEN); `None` leaves the module's default.
    pub negotiate_time: Option<u16>,
    /// A pre-shared key, where the family has `AT+QSSLCFG="psk"`.
    pub psk: Option<Psk>,
    /// Paths of certificate files already on the module's file system, for
    /// families that take paths (EC2x, EC200x, UGxx, ML302). BC26 takes the
    /// contents instead: use [`SslSocket::upload`](super::SslSocket::upload).
    pub ca_cert: Option<String>,
    pub client_cert: Option<String>,
    pub client_key: Option<String>,
    /// Server Name Indication on or off, where the family has a command for it.
    pub sni: Option<bool>,
    /// ALPN protocol names (comma-separated), where the family takes them.
    pub alpn: Option<String>,
    /// Whether the certificates' validity period is checked against the
    /// module's clock (`true`: ignore it), where the family has a command for it.
    pub ignore_local_time: Option<bool>,
    /// BC26: send and receive data as hex text (`dataformat` 1,1), which halves
    /// the largest send to 730 bytes.
    pub hex_data: bool,
    /// Caps every wait for the module (each command's manual maximum is used
    /// when it is shorter); `None`: the manuals' maximum response times.
    pub timeout: Option<Duration>,
    /// How often a `SEND FAIL` is retried before the write fails.
    pub send_retries: u32,
    /// The wait before the first retry; doubled before each further one.
    pub send_backoff: Duration,
    /// How long [`SslSocket::read`](super::SslSocket::read) waits for data;
    /// `None`: until data arrives or the peer closes.
    pub read_timeout: Option<Duration>,
    /// The most bytes asked for by one QSSLRECV (the manuals: 1500).
    pub recv_chunk: u16,
    /// The most received bytes kept until they are read; pushed data beyond it
    /// is lost and the next call reports [`SocketError::Overflow`](super::SocketError::Overflow).
    pub rx_capacity: usize,
}

impl Default for SslConfig {
    /// The sans-IO connection's defaults ([`Options::default`]): ids 1, 1, 0,
    /// buffer mode, 3 send retries from 100 ms, reads of 1500 bytes; nothing
    /// of the module's own settings changed.
    fn default() -> Self {
        let o = Options::default();
        SslConfig {
            pdp_ctx: o.pdp,
            ssl_ctx: o.ssl_ctx,
            client: o.connection,
            access_mode: o.mode,
            ssl_version: None,
            seclevel: None,
            cipher_suite: None,
            negotiate_time: None,
            psk: None,
            ca_cert: None,
            client_cert: None,
            client_key: None,
            sni: None,
            alpn: None,
            ignore_local_time: None,
            hex_data: o.hex_data,
            timeout: o.timeout,
            send_retries: o.send_retries,
            send_backoff: o.send_backoff,
            read_timeout: None,
            recv_chunk: o.recv_chunk,
            rx_capacity: 1 << 20,
        }
    }
}

impl SslConfig {
    /// The borrowed view the sans-IO connection works with.
    pub fn options(&self) -> Options<'_> {
        Options {
            pdp: self.pdp_ctx,
            ssl_ctx: self.ssl_ctx,
            connection: self.client,
            mode: self.access_mode,
            ssl_version: self.ssl_version.map(TlsVersion::value),
            seclevel: self.seclevel.map(SecLevel::value),
            cipher_suite: self.cipher_suite.map(i64::from),
            negotiate_time: self.negotiate_time.map(i64::from),
            psk: self
                .psk
                .as_ref()
                .map(|p| (p.identity.as_str(), p.key.as_str())),
            ca_cert: self.ca_cert.as_deref(),
            client_cert: self.client_cert.as_deref(),
            client_key: self.client_key.as_deref(),
            sni: self.sni,
            alpn: self.alpn.as_deref(),
            ignore_local_time: self.ignore_local_time,
            hex_data: self.hex_data,
            recv_chunk: self.recv_chunk,
            timeout: self.timeout,
            send_retries: self.send_retries,
            send_backoff: self.send_backoff,
        }
    }

    /// The path configured for `kind`.
    pub fn cert_path(&self, kind: CertKind) -> Option<&str> {
        match kind {
            CertKind::CaCert => self.ca_cert.as_deref(),
            CertKind::ClientCert => self.client_cert.as_deref(),
            CertKind::ClientKey => self.client_key.as_deref(),
        }
    }
}

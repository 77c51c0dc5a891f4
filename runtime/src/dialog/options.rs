//! What a program asks of a connection, borrowed: the portable options every
//! family maps onto its own parameters (the std [`crate::socket::SslConfig`]
//! owns the strings and lends this view).

use core::time::Duration;

use crate::desc::Opt;
use crate::vals::Val;

/// How received data reaches the host.
///
/// A preference: a family with only one of the two uses the one it has (BC26
/// always pushes data in URCs, ML302 always buffers it), so one program runs on all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccessMode {
    /// The module buffers data and announces it once with a "recv" URC; the
    /// socket reads it until the buffer is empty.
    #[default]
    Buffer,
    /// The module pushes data in "recv" URCs as it arrives.
    Push,
}

/// The portable options of one connection.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The PDP context, SSL context and connection ids.
    pub pdp: u8,
    pub ssl_ctx: u8,
    pub connection: u8,
    pub mode: AccessMode,
    /// The manuals' numbers: SSL version 0..=4, seclevel 0..=2, a cipher suite's
    /// IANA code, seconds of handshake.
    pub ssl_version: Option<i64>,
    pub seclevel: Option<i64>,
    pub cipher_suite: Option<i64>,
    pub negotiate_time: Option<i64>,
    /// A pre-shared key: identity and key.
    pub psk: Option<(&'a str, &'a str)>,
    /// Paths of certificate files on the module.
    pub ca_cert: Option<&'a str>,
    pub client_cert: Option<&'a str>,
    pub client_key: Option<&'a str>,
    pub sni: Option<bool>,
    pub alpn: Option<&'a str>,
    pub ignore_local_time: Option<bool>,
    /// Data as hex text (BC26 `dataformat`).
    pub hex_data: bool,
    /// The most bytes asked for by one buffer-mode read.
    pub recv_chunk: u16,
    /// Caps every wait for the module (the manual's maximum when shorter).
    pub timeout: Option<Duration>,
    /// How often a failed send is retried, and the wait before the first retry
    /// (doubled before each further one).
    pub send_retries: u32,
    pub send_backoff: Duration,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            pdp: 1,
            ssl_ctx: 1,
            connection: 0,
            mode: AccessMode::Buffer,
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
            hex_data: false,
            recv_chunk: 1500,
            timeout: None,
            send_retries: 3,
            send_backoff: Duration::from_millis(100),
        }
    }
}

impl<'a> Options<'a> {
    /// The value an option gives a parameter (`Val::None` when not given).
    pub fn value(&self, opt: Opt) -> Val<'a> {
        let int = |v: Option<i64>| v.map_or(Val::None, Val::Int);
        let flag = |v: Option<bool>| v.map_or(Val::None, |b| Val::Int(i64::from(b)));
        let text = |v: Option<&'a str>| v.map_or(Val::None, Val::Str);
        match opt {
            Opt::SslVersion => int(self.ssl_version),
            Opt::SecLevel => int(self.seclevel),
            Opt::CipherSuite => int(self.cipher_suite),
            Opt::NegotiateTime => int(self.negotiate_time),
            Opt::PskIdentity => text(self.psk.map(|p| p.0)),
            Opt::PskKey => text(self.psk.map(|p| p.1)),
            Opt::CaCert => text(self.ca_cert),
            Opt::ClientCert => text(self.client_cert),
            Opt::ClientKey => text(self.client_key),
            Opt::Sni => flag(self.sni),
            Opt::Alpn => text(self.alpn),
            Opt::IgnoreLocalTime => flag(self.ignore_local_time),
            Opt::HexData => Val::Int(i64::from(self.hex_data)),
            Opt::Pdp => Val::Int(i64::from(self.pdp)),
            Opt::SslCtx => Val::Int(i64::from(self.ssl_ctx)),
            Opt::Connection => Val::Int(i64::from(self.connection)),
            Opt::CertKind => Val::None,
        }
    }
}

//! The `Dialect` trait: how one module family holds an SSL conversation.
//!
//! The socket owns the state (open, peer closed, data waiting, received bytes)
//! and the policies (splitting, retrying, draining); a dialect only knows its
//! family's commands and URCs. The five dialects are in the `atgen` crate
//! (`atgen::ssl`), written with the generated request and URC types.

use super::config::{AccessMode, CertKind, SslConfig};
use super::error::SocketError;
use crate::family::Family;
use crate::link::{Clock, Link, Transport, UrcFrame};

/// What an unsolicited frame means for the connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrcEvent {
    /// Buffer mode: data is waiting in the module (`+QSSLURC: "recv",<id>`).
    /// Announced once per drain: read until the module's buffer is empty.
    DataReady,
    /// Push mode: the data itself (`+QSSLURC: "recv",<id>,<len>\r\n<data>`),
    /// already decoded from hex where the family sends hex text.
    Data(Vec<u8>),
    /// The peer closed the connection (`+QSSLURC: "closed",<id>`).
    Closed,
    /// Not about this connection, or not understood: left in the link's queue.
    Other,
}

/// What a family can do, so one program can adapt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// Receive via QSSLRECV after a "recv" URC.
    pub buffer_mode: bool,
    /// Receive data inside "recv" URCs.
    pub push_mode: bool,
    /// Sends carry a length, so any byte may be sent; otherwise the data ends
    /// with Ctrl+Z and may not contain Ctrl+Z or ESC.
    pub fixed_length_send: bool,
    /// Certificates are uploaded through the SSL commands themselves (BC26
    /// QSSLCFG data mode, ML302 QSECWRITE); otherwise they are files on the
    /// module, named by [`SslConfig::ca_cert`] and friends.
    pub cert_upload: bool,
    /// A PSK can be configured.
    pub psk: bool,
}

/// One family's SSL dialog. Every method gets the link and the configuration;
/// a dialect keeps no connection state of its own.
pub trait Dialect {
    /// The family whose link this dialect talks on.
    type Family: Family;

    /// The family id, for messages.
    fn family(&self) -> &'static str {
        <Self::Family as Family>::ID
    }

    /// What the family offers.
    fn capabilities(&self) -> Capabilities;

    /// The receive mode actually used for `config` (a family with one mode uses it).
    fn access_mode(&self, config: &SslConfig) -> AccessMode {
        let caps = self.capabilities();
        match config.access_mode {
            AccessMode::Push if caps.push_mode => AccessMode::Push,
            AccessMode::Buffer if caps.buffer_mode => AccessMode::Buffer,
            _ if caps.buffer_mode => AccessMode::Buffer,
            _ => AccessMode::Push,
        }
    }

    /// Validates every request [`Dialect::configure`] and [`Dialect::open`]
    /// would send, without a link: ranges of the ids, the host, the port, and
    /// options the family does not have.
    fn check(&self, config: &SslConfig, host: &str, port: u16) -> Result<(), SocketError>;

    /// The largest payload of one send command under `config` (1460; BC26 hex: 730).
    fn max_chunk(&self, config: &SslConfig) -> usize;

    /// Refuses data the send command cannot carry, before any of it is sent.
    fn check_payload(&self, _config: &SslConfig, _data: &[u8]) -> Result<(), SocketError> {
        Ok(())
    }

    /// Sends the QSSLCFG settings `config` asks for.
    fn configure<T: Transport, C: Clock>(
        &self,
        link: &mut Link<T, Self::Family, C>,
        config: &SslConfig,
    ) -> Result<(), SocketError>;

    /// Uploads a certificate or key in the family's own way.
    fn upload<T: Transport, C: Clock>(
        &self,
        link: &mut Link<T, Self::Family, C>,
        config: &SslConfig,
        kind: CertKind,
        data: &[u8],
    ) -> Result<(), SocketError>;

    /// Opens the connection: returns once the module reported success.
    fn open<T: Transport, C: Clock>(
        &self,
        link: &mut Link<T, Self::Family, C>,
        config: &SslConfig,
        host: &str,
        port: u16,
    ) -> Result<(), SocketError>;

    /// Sends one chunk (at most [`Dialect::max_chunk`] bytes). `SEND FAIL` is
    /// [`SocketError::SendFail`]; the socket retries it.
    fn send<T: Transport, C: Clock>(
        &self,
        link: &mut Link<T, Self::Family, C>,
        config: &SslConfig,
        chunk: &[u8],
    ) -> Result<(), SocketError>;

    /// Buffer mode: reads up to `max` bytes from the module's buffer; empty when
    /// the buffer is empty (`+QSSLRECV: 0`).
    fn recv<T: Transport, C: Clock>(
        &self,
        link: &mut Link<T, Self::Family, C>,
        config: &SslConfig,
        max: usize,
    ) -> Result<Vec<u8>, SocketError>;

    /// What `frame` means for the connection `config` names.
    fn classify(&self, config: &SslConfig, frame: &UrcFrame) -> UrcEvent;

    /// Closes the connection. `peer_closed`: the peer already closed it (some
    /// families then close it themselves and need no command).
    fn close<T: Transport, C: Clock>(
        &self,
        link: &mut Link<T, Self::Family, C>,
        config: &SslConfig,
        peer_closed: bool,
    ) -> Result<(), SocketError>;
}

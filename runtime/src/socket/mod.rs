//! A portable SSL socket: one program for every module family.
//!
//! [`SslSocket`] is the blocking driver of the sans-IO connection in
//! [`crate::dialog`]: the connection decides (split sends, retry `SEND FAIL`
//! with a backoff, drain the module's receive buffer after a "recv" URC,
//! collect pushed data, end reads with EOF after a peer close once the data
//! before it is read), the socket runs what it asks for on a [`Link`] and routes
//! the link's URCs back to it. A [`Dialect`] names the family's dialog, which
//! comes from its spec's `[socket]` section; the generated `atgen::ssl` module
//! has one per family.
//!
//! Files: [`config`](SslConfig) (what a program asks for), [`SocketError`], the
//! socket itself, `std::io` impls.
//!
//! [`Link`]: crate::link::Link

mod config;
mod connection;
mod error;
mod io;
mod modem;
mod stream;

pub use crate::dialog::ConnId;
pub use crate::dialog::{AccessMode, Capabilities, Dialect, SocketState, SslFamily};
pub use config::{CertKind, Psk, SecLevel, SslConfig, TlsVersion};
pub use connection::{check, SslSocket};
pub use error::SocketError;
pub use modem::{Modem, MAX_CONNECTIONS};
pub use stream::Stream;

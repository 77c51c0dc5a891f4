//! A portable SSL socket: one program for every module family.
//!
//! [`SslSocket`] keeps the connection's state and does what every family needs
//! alike: it splits large sends, retries `SEND FAIL` with a backoff, drains the
//! module's receive buffer after a "recv" URC, collects pushed data, and ends
//! reads with EOF (`Ok(0)`) after a peer close once the data before it is read.
//! A [`Dialect`] supplies the family's commands and URCs; the five dialects are
//! in the `atgen` crate (`atgen::ssl`).
//!
//! Files: [`config`](SslConfig) (what a program asks for), [`Dialect`] (what a
//! family supplies), [`SocketError`], the socket itself, `std::io` impls, and
//! [`run`] for dialects (a request with the manual's wait, capped).

mod config;
mod connection;
mod dialect;
mod error;
mod exec;
mod io;

pub use config::{AccessMode, CertKind, Psk, SecLevel, SslConfig, TlsVersion};
pub use connection::{SocketState, SslSocket};
pub use dialect::{Capabilities, Dialect, UrcEvent};
pub use error::SocketError;
pub use exec::{check, command_name, run};

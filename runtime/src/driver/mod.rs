//! What the `embedded-io` drivers share: the blocking [`crate::nb`] driver
//! and the async [`crate::asynch`] driver are one [`Modem`] and one
//! [`SslSocket`] type each, over a different I/O half (`nb::Blocking`,
//! `asynch::Async`). Everything but the `.await` points is written once:
//! the state, the accessors, the URC queue, the error mapping here, and the
//! loops that drive [`crate::session::Session`] and
//! [`crate::dialog::Connection`] in the `io` module's macros, which each driver
//! expands once, blocking or async.
//!
//! Transparent mode (`CONNECT`) is the std `link::Link`'s only:
//! after a request answers `CONNECT`, these drivers refuse further commands
//! and polls with [`Failure::Mode`](crate::session::Failure::Mode).
//!
//! No allocator: the session's buffers, the URC queue and the socket's
//! receive queue are sized by const parameters; errors are enums of
//! `&'static str`s, numbers and short copies of module text
//! ([`ModemError`], [`SocketError`]).

// No allocator to box with: an error carries the module's text (up to
// `session::TEXT_LEN` bytes) by value. Errors are the rare path.
#![allow(clippy::result_large_err)]

mod connections;
mod error;
#[macro_use]
mod io;
pub(crate) mod modem;
pub(crate) mod socket;

pub use crate::dialog::ConnId;
pub use connections::Connections;
pub use error::{CommandName, Escaped, ModemError, SocketError, COMMAND_LEN};
pub use modem::{Modem, RawReply, Reply, Route};
pub use socket::SslSocket;

pub(crate) use connections::connections_methods;
pub(crate) use io::{driver_impls, modem_methods, socket_methods};

/// What reading from the port can run into (beside the port's own error).
#[derive(Debug)]
pub(crate) enum PortError<E> {
    Io(E),
    /// End of file: the other side is gone.
    Eof,
    /// The session's receive buffer is full (it never is while framing works).
    Full,
}

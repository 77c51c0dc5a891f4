//! The SSL dialects of the five families, for [`atgen_runtime::socket::SslSocket`]:
//! one program, any module.
//!
//! ```no_run
//! use atgen_runtime::link::Link;
//! use atgen_runtime::socket::{SslConfig, SslSocket};
//! use atgen::ssl::Ec2x;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let link = Link::open("/dev/ttyUSB2", 115_200)?;
//! let mut sock = SslSocket::new(link, Ec2x, SslConfig::default());
//! sock.connect("example.com", 443)?;
//! sock.write(b"hello")?;
//! # Ok(()) }
//! ```
//!
//! | dialect | family | receive | send | certificates |
//! |---|---|---|---|---|
//! | [`Ec2x`], [`Ec200x`], [`Ugxx`] | Quectel LTE / WCDMA | buffer (QSSLRECV) or push | QSSLSEND fixed length, ≤1460 | file paths (QSSLCFG "cacert", …) |
//! | [`Bc26`] | Quectel NB-IoT | push (inline URC) | QSSLSEND fixed length, ≤1460 text / 730 hex, result URC | upload: QSSLCFG "cacert" data mode, byte count checked |
//! | [`Ml302`] | China Mobile ML302 | buffer (QSSLRECV) | QSSLSEND with Ctrl+Z (no Ctrl+Z / ESC in data) | upload: QSECWRITE, XOR-16 checked |

use atgen_runtime::socket::SocketError;

#[cfg(any(
    feature = "quectel-ec2x",
    feature = "quectel-ec200x",
    feature = "quectel-ugxx"
))]
mod quectel;

#[cfg(feature = "quectel-bc26")]
mod bc26;
#[cfg(feature = "quectel-ec200x")]
mod ec200x;
#[cfg(feature = "quectel-ec2x")]
mod ec2x;
#[cfg(feature = "cmiot-ml302")]
mod ml302;
#[cfg(feature = "quectel-ugxx")]
mod ugxx;

#[cfg(feature = "quectel-bc26")]
pub use bc26::Bc26;
#[cfg(feature = "quectel-ec200x")]
pub use ec200x::Ec200x;
#[cfg(feature = "quectel-ec2x")]
pub use ec2x::Ec2x;
#[cfg(feature = "cmiot-ml302")]
pub use ml302::Ml302;
#[cfg(feature = "quectel-ugxx")]
pub use ugxx::Ugxx;

/// Maps a family marker type (`atgen::quectel_ec2x::Family`) to its dialect, so
/// code that picks the family at run time (`with_family!`) finds the dialect too.
pub trait SslFamily: atgen_runtime::Family + Sized {
    /// The family's dialect.
    type Dialect: atgen_runtime::socket::Dialect<Family = Self> + Default;
}

/// The largest payload of one send in every family's manual (BC26 text format).
pub const MAX_SEND: usize = 1460;

/// A family enum from the manuals' number, or an error naming the option.
pub(crate) fn pick<E>(
    family: &'static str,
    what: &'static str,
    from_value: impl Fn(i64) -> Option<E>,
    value: i64,
) -> Result<E, SocketError> {
    from_value(value).ok_or(SocketError::Unsupported {
        family,
        what,
        hint: "the value is not in the family's table",
    })
}

/// `u16` for a length the family's command carries.
pub(crate) fn len_u16(
    family: &'static str,
    command: &'static str,
    n: usize,
) -> Result<u16, SocketError> {
    u16::try_from(n).map_err(|_| SocketError::Unsendable {
        family,
        command,
        byte: 0,
        index: n,
        why: "the chunk is longer than a length parameter can state",
    })
}

/// A refusal for an option the family has no command for.
pub(crate) fn unsupported(
    family: &'static str,
    what: &'static str,
    hint: &'static str,
) -> SocketError {
    SocketError::Unsupported { family, what, hint }
}

/// `apply!(link, cap, req)`: with a link, runs the request (the manual's wait,
/// capped); without one (`check`), only validates it.
macro_rules! apply {
    ($link:expr, $cap:expr, $req:expr) => {{
        let req = $req;
        match $link.as_deref_mut() {
            Some(l) => {
                atgen_runtime::socket::run(l, &req, None, $cap)?;
            }
            None => atgen_runtime::socket::check(&req)?,
        }
    }};
}
pub(crate) use apply;

/// The `configure` and `open` of a `Dialect` impl, alike in every family: run
/// the type's `settings`, and its `open_request` (`OK`, then the `+QSSLOPEN`
/// result: the link waits for both and turns an error code into the family's
/// error-table entry).
macro_rules! configure_and_open {
    () => {
        fn configure<T: atgen_runtime::link::Transport, C: atgen_runtime::link::Clock>(
            &self,
            link: &mut atgen_runtime::link::Link<T, Self::Family, C>,
            config: &atgen_runtime::socket::SslConfig,
        ) -> Result<(), atgen_runtime::socket::SocketError> {
            Self::settings(config, Some(link))
        }

        fn open<T: atgen_runtime::link::Transport, C: atgen_runtime::link::Clock>(
            &self,
            link: &mut atgen_runtime::link::Link<T, Self::Family, C>,
            config: &atgen_runtime::socket::SslConfig,
            host: &str,
            port: u16,
        ) -> Result<(), atgen_runtime::socket::SocketError> {
            let req = self.open_request(config, host, port);
            atgen_runtime::socket::run(link, &req, None, config.timeout)?;
            Ok(())
        }
    };
}
pub(crate) use configure_and_open;

/// The link type `check` passes as "no link".
pub(crate) type NoLink<F> = atgen_runtime::link::Link<
    Box<dyn atgen_runtime::link::Transport>,
    F,
    atgen_runtime::link::SystemClock,
>;

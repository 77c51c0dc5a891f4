//! `embedded-nal-async` on the async driver (feature `nal`): [`Stack`]
//! implements `TcpConnect` and `Dns` over [`Connections`], so clients written
//! against those traits (`reqwless` for HTTP, `rust-mqtt`) run over any
//! family. TLS is terminated in the module: the client speaks plain bytes
//! (`http://host:443/` for reqwless), and the module's SSL connection
//! encrypts them.
//!
//! Names: the module resolves host names itself, and certificates are checked
//! against the name, so [`Stack`]'s `Dns` does not resolve: it hands out a
//! placeholder address from 240.0.0.0/4 (reserved, never routed) for each
//! name, and `connect` to such an address opens the connection by the name.
//! A literal IP address passes through as text.
//!
//! One operation at a time: a connection's read or write holds the modem until
//! it ends; a second one started meanwhile (another task) fails with
//! [`NalError::Busy`] rather than interleave commands on the port. Dropping a
//! connection closes it on the module at the stack's next operation
//! ([`Stack::close_dropped`] does it at once).

use core::cell::RefCell;
use core::fmt::Write as _;
use core::net::{IpAddr, Ipv4Addr, SocketAddr};

use embedded_io_async::{ErrorKind, ErrorType, Read, Write};
use embedded_nal_async::{AddrType, Dns, TcpConnect};

use super::{Async, Timer};
use crate::dialog::{Dialect, Options, SockError};
use crate::driver::{ConnId, Connections, SocketError};

/// The longest host name the stack keeps.
pub const HOST_LEN: usize = 64;
/// How many names the stack's `Dns` remembers.
pub const NAMES: usize = 8;

type Host = heapless::String<HOST_LEN>;

/// What the stack's traits report.
// No allocator to box with; errors are the rare path (as the driver's own errors).
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum NalError<E> {
    /// The connection failed (the modem's error says which command and why).
    Socket(SocketError<E>),
    /// Another operation of this stack is under way (a second task).
    Busy,
    /// A host name longer than [`HOST_LEN`], more than [`NAMES`] names, or an
    /// address the stack never handed out.
    Name(&'static str),
}

impl<E: core::fmt::Debug> core::fmt::Display for NalError<E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            NalError::Socket(e) => write!(f, "{e}"),
            NalError::Busy => {
                f.write_str("another operation of this modem is under way; expected one at a time")
            }
            NalError::Name(why) => f.write_str(why),
        }
    }
}

impl<E: core::fmt::Debug> embedded_io_async::Error for NalError<E> {
    fn kind(&self) -> ErrorKind {
        match self {
            NalError::Socket(SocketError::ReadTimeout { .. }) => ErrorKind::TimedOut,
            NalError::Socket(SocketError::Connection(SockError::PeerClosed { .. })) => {
                ErrorKind::BrokenPipe
            }
            NalError::Socket(SocketError::Connection(SockError::NotOpen { .. })) => {
                ErrorKind::NotConnected
            }
            NalError::Socket(e) if e.is_usage() => ErrorKind::InvalidInput,
            NalError::Name(_) => ErrorKind::InvalidInput,
            _ => ErrorKind::Other,
        }
    }
}

type Conns<'o, P, T, D, const M: usize, const N: usize> = Connections<'o, Async<P, T>, D, M, N>;

/// `TcpConnect` and `Dns` over the async driver's connections; every
/// connection is opened with `options` (its id picked from the family's range).
pub struct Stack<'o, P, T, D: Dialect, const M: usize = 4, const N: usize = 2048> {
    conns: RefCell<Conns<'o, P, T, D, M, N>>,
    options: Options<'o>,
    names: RefCell<heapless::Vec<Host, NAMES>>,
    dropped: RefCell<heapless::Vec<ConnId, M>>,
}

impl<'o, P: Read + Write, T: Timer, D: Dialect, const M: usize, const N: usize>
    Stack<'o, P, T, D, M, N>
{
    pub fn new(conns: Conns<'o, P, T, D, M, N>, options: Options<'o>) -> Self {
        Stack {
            conns: RefCell::new(conns),
            options,
            names: RefCell::new(heapless::Vec::new()),
            dropped: RefCell::new(heapless::Vec::new()),
        }
    }

    pub fn into_inner(self) -> Conns<'o, P, T, D, M, N> {
        self.conns.into_inner()
    }

    /// Closes the connections dropped since the last operation.
    #[allow(clippy::await_holding_refcell_ref)] // see `close_pending`
    pub async fn close_dropped(&self) -> Result<(), NalError<P::Error>> {
        let mut conns = self.conns.try_borrow_mut().map_err(|_| NalError::Busy)?;
        Self::close_pending(&mut conns, &self.dropped).await
    }

    // The borrow is this stack's lock: held across the operation's awaits on
    // purpose, and a second operation meanwhile gets `Busy` (try_borrow_mut).
    #[allow(clippy::await_holding_refcell_ref)]
    async fn close_pending(
        conns: &mut Conns<'o, P, T, D, M, N>,
        dropped: &RefCell<heapless::Vec<ConnId, M>>,
    ) -> Result<(), NalError<P::Error>> {
        let pending: heapless::Vec<ConnId, M> = dropped
            .try_borrow_mut()
            .map(|mut d| core::mem::take(&mut *d))
            .unwrap_or_default();
        let mut first = Ok(());
        for c in pending {
            if let Err(e) = conns.close(c).await {
                if first.is_ok() {
                    first = Err(NalError::Socket(e));
                }
            }
        }
        first
    }

    /// The host a connection to `addr` opens: the name behind a placeholder
    /// address, else the address as text.
    fn host(&self, addr: IpAddr) -> Result<Host, NalError<P::Error>> {
        if let Some(i) = placeholder_index(addr) {
            let names = self.names.try_borrow().map_err(|_| NalError::Busy)?;
            return names.get(i).cloned().ok_or(NalError::Name(
                "an address this stack's Dns never handed out",
            ));
        }
        let mut h = Host::new();
        write!(h, "{addr}").map_err(|_| NalError::Name("an address too long to write"))?;
        Ok(h)
    }
}

/// 240.0.0.0/4 is reserved and never routed: the stack's placeholders live there.
fn placeholder(i: usize) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(240, 0, 0, u8::try_from(i).unwrap_or(u8::MAX)))
}

fn placeholder_index(addr: IpAddr) -> Option<usize> {
    match addr {
        IpAddr::V4(v4) => match v4.octets() {
            [240, 0, 0, i] => Some(usize::from(i)),
            _ => None,
        },
        IpAddr::V6(_) => None,
    }
}

impl<'o, P: Read + Write, T: Timer, D: Dialect, const M: usize, const N: usize> Dns
    for Stack<'o, P, T, D, M, N>
{
    type Error = NalError<P::Error>;

    async fn get_host_by_name(&self, host: &str, _: AddrType) -> Result<IpAddr, Self::Error> {
        if let Ok(ip) = host.parse::<IpAddr>() {
            return Ok(ip);
        }
        let mut names = self.names.try_borrow_mut().map_err(|_| NalError::Busy)?;
        if let Some(i) = names.iter().position(|n| n.as_str() == host) {
            return Ok(placeholder(i));
        }
        let mut name = Host::new();
        name.push_str(host)
            .map_err(|_| NalError::Name("a host name longer than HOST_LEN (64) bytes"))?;
        names
            .push(name)
            .map_err(|_| NalError::Name("more host names than NAMES (8)"))?;
        Ok(placeholder(names.len() - 1))
    }

    async fn get_host_by_address(
        &self,
        addr: IpAddr,
        result: &mut [u8],
    ) -> Result<usize, Self::Error> {
        let host = self.host(addr)?;
        let out = result
            .get_mut(..host.len())
            .ok_or(NalError::Name("the buffer is shorter than the host name"))?;
        out.copy_from_slice(host.as_bytes());
        Ok(host.len())
    }
}

/// One connection of a [`Stack`]: `embedded-io-async` `Read` and `Write`;
/// closed on the module once dropped (see the module documentation).
pub struct TcpConnection<'s, 'o, P, T, D: Dialect, const M: usize, const N: usize> {
    stack: &'s Stack<'o, P, T, D, M, N>,
    id: ConnId,
}

impl<P: Read + Write, T: Timer, D: Dialect, const M: usize, const N: usize>
    TcpConnection<'_, '_, P, T, D, M, N>
{
    /// The connection's id on the module.
    pub fn id(&self) -> ConnId {
        self.id
    }
}

impl<'o, P: Read + Write, T: Timer, D: Dialect, const M: usize, const N: usize> TcpConnect
    for Stack<'o, P, T, D, M, N>
{
    type Error = NalError<P::Error>;
    type Connection<'a>
        = TcpConnection<'a, 'o, P, T, D, M, N>
    where
        Self: 'a;

    #[allow(clippy::await_holding_refcell_ref)] // see `close_pending`
    async fn connect<'a>(
        &'a self,
        remote: SocketAddr,
    ) -> Result<Self::Connection<'a>, Self::Error> {
        let host = self.host(remote.ip())?;
        let mut conns = self.conns.try_borrow_mut().map_err(|_| NalError::Busy)?;
        Self::close_pending(&mut conns, &self.dropped).await?;
        let id = conns
            .connect(self.options, &host, remote.port())
            .await
            .map_err(NalError::Socket)?;
        Ok(TcpConnection { stack: self, id })
    }
}

impl<P: Read + Write, T: Timer, D: Dialect, const M: usize, const N: usize> ErrorType
    for TcpConnection<'_, '_, P, T, D, M, N>
{
    type Error = NalError<P::Error>;
}

impl<P: Read + Write, T: Timer, D: Dialect, const M: usize, const N: usize> Read
    for TcpConnection<'_, '_, P, T, D, M, N>
{
    #[allow(clippy::await_holding_refcell_ref)] // see `Stack::close_pending`
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        let mut conns = self
            .stack
            .conns
            .try_borrow_mut()
            .map_err(|_| NalError::Busy)?;
        Stack::close_pending(&mut conns, &self.stack.dropped).await?;
        conns.read(self.id, buf).await.map_err(NalError::Socket)
    }
}

impl<P: Read + Write, T: Timer, D: Dialect, const M: usize, const N: usize> Write
    for TcpConnection<'_, '_, P, T, D, M, N>
{
    #[allow(clippy::await_holding_refcell_ref)] // see `Stack::close_pending`
    async fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        let mut conns = self
            .stack
            .conns
            .try_borrow_mut()
            .map_err(|_| NalError::Busy)?;
        Stack::close_pending(&mut conns, &self.stack.dropped).await?;
        conns.write(self.id, buf).await.map_err(NalError::Socket)
    }

    async fn flush(&mut self) -> Result<(), Self::Error> {
        // Every write has reached the module when it returns.
        Ok(())
    }
}

impl<P, T, D: Dialect, const M: usize, const N: usize> Drop
    for TcpConnection<'_, '_, P, T, D, M, N>
{
    fn drop(&mut self) {
        if let Ok(mut d) = self.stack.dropped.try_borrow_mut() {
            // At most M connections exist, so there is room for each.
            let _ = d.push(self.id);
        }
    }
}

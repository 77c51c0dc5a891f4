//! `Modem`: one module, several SSL connections at once. It owns the link,
//! hands out connections with ids from the family's range, routes URCs to the
//! connection they name through the sans-IO dispatcher
//! ([`crate::dialog::Mux`]), keeps each connection's data in its own bounded
//! queue, and leaves every other URC in the link's queue. Commands outside
//! the SSL dialog (bring-up: `AT+QIACT=1`) go through [`Modem::raw`] or
//! [`Modem::link_mut`] on the same link.

use std::collections::BTreeMap;
use std::time::Duration;

use super::config::{CertKind, SslConfig};
use super::connection::{drive, RxQueue};
use super::error::SocketError;
use crate::dialog::mux::{Active, Ids, Slot};
use crate::dialog::{ConnId, Connection, Dialect, Handle, Mux, MuxError, Op, SocketState};
use crate::link::{Clock, Exec, Link, RawReply, Reply, SystemClock, Transport};
use crate::request::AtRequest;

/// The most connections one [`Modem`] holds (EC2x has 12 client ids).
pub const MAX_CONNECTIONS: usize = 16;

/// One module with several SSL connections:
///
/// ```no_run
/// # use atgen_runtime::socket::{Dialect, Modem, SslConfig};
/// # use atgen_runtime::link::{Link, SerialTransport};
/// # use std::time::Duration;
/// # fn demo<D: Dialect>(dialect: D) -> Result<(), Box<dyn std::error::Error>> {
/// let link: Link<SerialTransport, D::Family> = Link::open("/dev/ttyUSB2", 115_200)?;
/// let mut modem = Modem::new(link, dialect);
/// modem.raw("AT+QIACT=1", Duration::from_secs(150))?;          // bring-up, outside the spec
/// let api = modem.connect(SslConfig::default(), "api.example.com", 443)?;
/// let mqtt = modem.connect(SslConfig::default(), "mqtt.example.com", 8883)?;
/// modem.write(api, b"GET / HTTP/1.0\r\n\r\n")?;
/// modem.write(mqtt, &[0x10, 0x00])?;
/// let mut buf = [0u8; 512];
/// let n = modem.read(api, &mut buf)?;     // only api's bytes; mqtt's wait in its queue
/// modem.close(api)?;
/// # let _ = n; Ok(()) }
/// ```
///
/// Dropping the modem closes every connection still open on the module.
pub struct Modem<T: Transport, D: Dialect, C: Clock = SystemClock> {
    link: Link<T, D::Family, C>,
    dialect: D,
    mux: Mux<RxQueue, MAX_CONNECTIONS>,
    configs: BTreeMap<Handle, SslConfig>,
    /// The link's restart count the connections have seen.
    restarts: u64,
}

impl<T: Transport, D: Dialect, C: Clock> Modem<T, D, C> {
    /// A modem over `link`; nothing is sent yet. A module restart (`RDY`) ends
    /// the command under way at once (every connection is lost with it).
    pub fn new(mut link: Link<T, D::Family, C>, dialect: D) -> Self {
        link.config_mut().abort_on_restart = true;
        let restarts = link.restarts();
        Modem {
            mux: Mux::new(dialect.dialog()),
            link,
            dialect,
            configs: BTreeMap::new(),
            restarts,
        }
    }

    pub fn dialect(&self) -> &D {
        &self.dialect
    }

    pub fn link(&self) -> &Link<T, D::Family, C> {
        &self.link
    }

    /// The link, for typed commands and for the URCs no connection took.
    pub fn link_mut(&mut self) -> &mut Link<T, D::Family, C> {
        &mut self.link
    }

    /// Sends any AT command line (`AT+QIACT=1`) on the modem's link and waits up
    /// to `timeout` for its final result code: the same injection checks, URC
    /// separation and final-result parsing as typed requests. URCs that
    /// arrive meanwhile reach their connections.
    pub fn raw(
        &mut self,
        line: &str,
        timeout: Duration,
    ) -> Result<RawReply, crate::link::LinkError> {
        let r = self.link.raw(line, timeout);
        self.absorb();
        r
    }

    /// Runs a typed request on the modem's link: the family's own, or one of
    /// a spec a crate generated itself (bring-up: AT+QICSGP, AT+QIACT,
    /// AT+QFUPL with its data in `opts.data`). URCs that arrive meanwhile reach
    /// their connections.
    pub fn execute<R: AtRequest>(
        &mut self,
        req: &R,
        opts: Exec<'_>,
    ) -> Result<Reply<R>, crate::link::LinkError> {
        let r = self.link.execute_spec(req, opts);
        self.absorb();
        r
    }

    /// The connection ids of the family (the manual's range).
    pub fn connection_ids(&self) -> (i64, i64) {
        self.mux.range()
    }

    /// The connections the modem holds, open or not yet closed.
    pub fn connections(&self) -> impl Iterator<Item = ConnId> + '_ {
        self.mux.connections()
    }

    /// Configures and opens a connection on the lowest free id of the
    /// family's range (`config.client` is set to it).
    pub fn connect(
        &mut self,
        config: SslConfig,
        host: &str,
        port: u16,
    ) -> Result<ConnId, SocketError> {
        let family = self.dialect.family();
        let id = self
            .mux
            .free_id()
            .ok_or(SocketError::Connections(MuxError::NoFreeId {
                family,
                range: self.mux.range(),
                limit: MAX_CONNECTIONS,
            }))?;
        self.connect_as(
            SslConfig {
                client: id,
                ..config
            },
            host,
            port,
        )
    }

    /// Configures and opens a connection on the id `config.client` names.
    /// Nothing is sent when the id is out of range or in use, or a value is
    /// outside what the manual allows.
    pub fn connect_as(
        &mut self,
        config: SslConfig,
        host: &str,
        port: u16,
    ) -> Result<ConnId, SocketError> {
        super::check(&self.dialect, &config, host, port)?;
        if let Some(psk) = &config.psk {
            self.link.add_secret(psk.key.as_bytes());
        }
        let ids = Ids::of(&config.options());
        let c = self
            .mux
            .add(ids, RxQueue::new(config.rx_capacity))
            .map_err(SocketError::Connections)?;
        self.configs.insert(c.handle, config);
        let opened = self
            .run(c, Op::configure(), "configure")
            .and_then(|_| self.run(c, Op::open(host, port), "open"));
        match opened {
            Ok(_) => Ok(c),
            Err(e) => {
                self.forget(c);
                Err(e)
            }
        }
    }

    /// Uploads a certificate or key the family's way, on the SSL context of
    /// `config` (BC26: QSSLCFG data mode, ML302: QSECWRITE). A client key is
    /// registered as a secret first.
    pub fn upload(
        &mut self,
        config: &SslConfig,
        kind: CertKind,
        data: &[u8],
    ) -> Result<(), SocketError> {
        if kind == CertKind::ClientKey {
            self.link.add_secret(data);
        }
        let mut slot = Slot {
            ids: Ids::of(&config.options()),
            conn: Connection::with_queue(self.dialect.dialog(), RxQueue::new(1)),
        };
        self.drive(&mut slot, config, Op::upload(kind.index(), data), "upload")
            .map(drop)
    }

    /// Connection `c` as a `std::io::Read + Write` stream (borrowing the modem).
    pub fn stream(&mut self, c: ConnId) -> super::Stream<'_, T, D, C> {
        super::Stream {
            modem: self,
            conn: c,
        }
    }

    /// Sends all of `data` on `c`, split into the family's largest sends.
    pub fn write(&mut self, c: ConnId, data: &[u8]) -> Result<usize, SocketError> {
        self.run(c, Op::write(data), "write")
    }

    /// Reads what has arrived for `c` into `buf`, waiting up to the
    /// connection's [`SslConfig::read_timeout`] (none: until data or close).
    /// `Ok(0)`: the peer closed and every byte before the close was read. Data
    /// of the other connections stays in their queues.
    pub fn read(&mut self, c: ConnId, buf: &mut [u8]) -> Result<usize, SocketError> {
        let timeout = self.config(c)?.read_timeout;
        match self.read_within(c, buf, timeout)? {
            Some(n) => Ok(n),
            None => Err(SocketError::ReadTimeout {
                family: self.dialect.family(),
                waited: timeout.unwrap_or_default(),
            }),
        }
    }

    /// Like [`Modem::read`] with its own wait: `Ok(None)` when nothing arrived
    /// within `timeout`.
    pub fn read_within(
        &mut self,
        c: ConnId,
        buf: &mut [u8],
        timeout: Option<Duration>,
    ) -> Result<Option<usize>, SocketError> {
        if buf.is_empty() && self.state(c)? != SocketState::Idle {
            return Ok(Some(0));
        }
        let deadline = timeout.map(|t| self.link.clock().now().saturating_add(t));
        match self.run(c, Op::read(buf.len().max(1), deadline), "read") {
            Ok(_) => Ok(Some(self.slot_mut(c)?.conn.take(buf))),
            Err(SocketError::ReadTimeout { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Closes `c` on the module and frees its id. After a peer close the
    /// module's own close errors are ignored.
    pub fn close(&mut self, c: ConnId) -> Result<(), SocketError> {
        let r = self.run(c, Op::close(), "close").map(drop);
        self.forget(c);
        r
    }

    /// Closes every connection still open (each tried even when one fails);
    /// the first failure.
    pub fn close_all(&mut self) -> Result<(), SocketError> {
        let all: Vec<ConnId> = self.connections().collect();
        let mut first = Ok(());
        for c in all {
            if let Err(e) = self.close(c) {
                if first.is_ok() {
                    first = Err(e);
                }
            }
        }
        first
    }

    pub fn state(&self, c: ConnId) -> Result<SocketState, SocketError> {
        Ok(self.slot(c)?.conn.state())
    }

    /// Whether the peer closed `c` (reads end once the data before it is read).
    pub fn peer_closed(&self, c: ConnId) -> Result<bool, SocketError> {
        Ok(self.slot(c)?.conn.peer_closed())
    }

    /// Bytes received for `c` and not read yet (without asking the module).
    pub fn buffered(&self, c: ConnId) -> Result<usize, SocketError> {
        Ok(self.slot(c)?.conn.buffered())
    }

    /// The configuration `c` was opened with.
    pub fn config(&self, c: ConnId) -> Result<&SslConfig, SocketError> {
        self.slot(c)?;
        self.configs.get(&c.handle).ok_or_else(|| self.gone(c))
    }

    /// Waits up to `timeout` for URCs, routing each to its connection; the
    /// others stay in the link's queue. How many frames arrived.
    pub fn poll(&mut self, timeout: Duration) -> Result<usize, SocketError> {
        let n = self
            .link
            .poll_urcs(timeout)
            .map_err(|e| SocketError::from_link(self.dialect.family(), "URC poll", e))?;
        self.absorb();
        Ok(n)
    }

    fn gone(&self, c: ConnId) -> SocketError {
        SocketError::Connections(MuxError::Gone {
            family: self.dialect.family(),
            id: c.id(),
        })
    }

    fn slot(&self, c: ConnId) -> Result<&Slot<RxQueue>, SocketError> {
        self.mux.slot_of(c).ok_or_else(|| self.gone(c))
    }

    fn slot_mut(&mut self, c: ConnId) -> Result<&mut Slot<RxQueue>, SocketError> {
        let gone = self.gone(c);
        self.mux.slot_of_mut(c).ok_or(gone)
    }

    fn forget(&mut self, c: ConnId) {
        if self.slot(c).is_ok() {
            self.mux.remove(c.handle);
            self.configs.remove(&c.handle);
        }
    }

    /// Routes what the link queued since the last operation.
    fn absorb(&mut self) {
        if self.link.restarts() != self.restarts {
            self.restarts = self.link.restarts();
            self.mux.restarted();
        }
        let mux = &mut self.mux;
        let _ = self.link.take_urcs(|f| mux.route(&f.frame, f.hex));
    }

    /// Runs one operation of `c` to its end, the URCs of every connection routed.
    fn run(&mut self, c: ConnId, op: Op<'_>, what: &'static str) -> Result<usize, SocketError> {
        self.slot(c)?;
        let Some(mut slot) = self.mux.remove(c.handle) else {
            return Err(self.gone(c));
        };
        let config = self.configs.remove(&c.handle);
        let result = match &config {
            Some(config) => self.drive(&mut slot, config, op, what),
            None => Err(self.gone(c)),
        };
        if let Some(config) = config {
            self.configs.insert(c.handle, config);
        }
        self.mux.put_back(c.handle, slot);
        result
    }

    /// Runs one operation of `slot` (out of the dispatcher) to its end, the
    /// URCs of every connection routed.
    fn drive(
        &mut self,
        slot: &mut Slot<RxQueue>,
        config: &SslConfig,
        op: Op<'_>,
        what: &'static str,
    ) -> Result<usize, SocketError> {
        let family = self.dialect.family();
        let mut active = Active {
            slot,
            others: &mut self.mux,
        };
        drive(
            &mut self.link,
            &mut active,
            config,
            &mut self.restarts,
            op,
            what,
            family,
        )
    }
}

impl<T: Transport, D: Dialect, C: Clock> Drop for Modem<T, D, C> {
    /// Leaves no connection open on the module.
    fn drop(&mut self) {
        let open: Vec<ConnId> = self
            .connections()
            .filter(|c| matches!(self.state(*c), Ok(SocketState::Open)))
            .collect();
        for c in open {
            if let Err(e) = self.close(c) {
                log::warn!(target: "atgen::socket", "{c}: close on drop failed: {e}");
            }
        }
    }
}

//! Several connections on one module: the dispatcher the multi-connection
//! drivers share. It hands out connection ids from the family's range (the
//! open request's connection parameter), routes each unsolicited frame to the
//! connection it names (data, data ready, peer closed: by the ids in the
//! frame, read through the spec's templates), tells every connection about a
//! module restart, and leaves every other frame to the modem's URC queue.
//! `no_std`, no allocator: at most `N` connections, each with its own bounded
//! receive queue `Q`.

use super::machine::{ByteQueue, Connection};
use super::{AccessMode, Dialog, Options};

/// The ids a connection is known by on the module (what its URCs name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ids {
    pub pdp: u8,
    pub ssl_ctx: u8,
    pub connection: u8,
    pub mode: AccessMode,
}

impl Ids {
    /// The ids of a connection's options.
    pub fn of(o: &Options<'_>) -> Self {
        Ids {
            pdp: o.pdp,
            ssl_ctx: o.ssl_ctx,
            connection: o.connection,
            mode: o.mode,
        }
    }

    /// The options URC routing reads (only the ids matter to it).
    pub fn options(&self) -> Options<'static> {
        Options {
            pdp: self.pdp,
            ssl_ctx: self.ssl_ctx,
            connection: self.connection,
            mode: self.mode,
            ..Options::default()
        }
    }
}

/// Why a connection could not be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MuxError {
    /// Every id of the family's range is in use, or the dispatcher holds `N`.
    NoFreeId {
        family: &'static str,
        range: (i64, i64),
        limit: usize,
    },
    /// The id asked for is outside the family's range.
    OutOfRange {
        family: &'static str,
        id: u8,
        range: (i64, i64),
    },
    /// The id asked for is held by another connection of this modem.
    InUse { family: &'static str, id: u8 },
    /// The connection was closed and forgotten (its id may serve another now).
    Gone { family: &'static str, id: u8 },
}

impl core::fmt::Display for MuxError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            MuxError::NoFreeId {
                family,
                range: (lo, hi),
                limit,
            } => write!(
                f,
                "no free connection id ({family}): ids {lo}..={hi} are in use or the modem holds its limit of {limit} connections; close one first"
            ),
            MuxError::OutOfRange {
                family,
                id,
                range: (lo, hi),
            } => write!(
                f,
                "connection id {id} is out of range {lo}..={hi} ({family})"
            ),
            MuxError::InUse { family, id } => write!(
                f,
                "connection id {id} is in use by another connection ({family}); close it first or let the modem pick an id"
            ),
            MuxError::Gone { family, id } => write!(
                f,
                "connection {id} is closed and no longer this modem's ({family}); connect again"
            ),
        }
    }
}

/// One connection in the dispatcher and the ids its URCs carry.
#[derive(Debug)]
pub struct Slot<Q: ByteQueue> {
    pub ids: Ids,
    pub conn: Connection<Q>,
}

/// Up to `N` connections of one family on one module.
#[derive(Debug)]
pub struct Mux<Q: ByteQueue, const N: usize> {
    dialog: Dialog,
    slots: heapless::Vec<Option<Slot<Q>>, N>,
}

/// A connection's place in the dispatcher (stable while it lives).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Handle(pub usize);

/// A connection of a multi-connection modem: its place and the id the module
/// knows it by. Stale once the connection is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnId {
    pub handle: Handle,
    id: u8,
}

impl ConnId {
    /// The connection id on the module (`<clientID>`, BC26 `<connectID>`, ML302 `<ssid>`).
    pub fn id(&self) -> u8 {
        self.id
    }
}

impl core::fmt::Display for ConnId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "connection {}", self.id)
    }
}

impl<Q: ByteQueue, const N: usize> Mux<Q, N> {
    pub fn new(dialog: Dialog) -> Self {
        Mux {
            dialog,
            slots: heapless::Vec::new(),
        }
    }

    pub fn dialog(&self) -> Dialog {
        self.dialog
    }

    /// The family's connection ids (the open's connection parameter's range).
    pub fn range(&self) -> (i64, i64) {
        self.dialog.socket.connection_range()
    }

    fn in_use(&self, id: u8) -> bool {
        self.iter().any(|(_, s)| s.ids.connection == id)
    }

    /// The lowest id of the family's range no connection holds.
    pub fn free_id(&self) -> Option<u8> {
        let (lo, hi) = self.range();
        (lo..=hi)
            .filter_map(|i| u8::try_from(i).ok())
            .find(|&i| !self.in_use(i))
    }

    /// Adds a connection under `ids` (its connection id from the family's
    /// range, free in this dispatcher), its received bytes kept in `rx`.
    pub fn add(&mut self, ids: Ids, rx: Q) -> Result<ConnId, MuxError> {
        let family = self.dialog.family();
        let range = self.range();
        if !(range.0..=range.1).contains(&i64::from(ids.connection)) {
            return Err(MuxError::OutOfRange {
                family,
                id: ids.connection,
                range,
            });
        }
        if self.in_use(ids.connection) {
            return Err(MuxError::InUse {
                family,
                id: ids.connection,
            });
        }
        let slot = Slot {
            ids,
            conn: Connection::with_queue(self.dialog, rx),
        };
        if let Some(i) = self.slots.iter().position(Option::is_none) {
            if let Some(free) = self.slots.get_mut(i) {
                *free = Some(slot);
                return Ok(ConnId {
                    handle: Handle(i),
                    id: ids.connection,
                });
            }
        }
        let i = self.slots.len();
        self.slots
            .push(Some(slot))
            .map_err(|_| MuxError::NoFreeId {
                family,
                range,
                limit: N,
            })?;
        Ok(ConnId {
            handle: Handle(i),
            id: ids.connection,
        })
    }

    /// Forgets a connection (its received bytes with it); its id is free again.
    pub fn remove(&mut self, h: Handle) -> Option<Slot<Q>> {
        self.slots.get_mut(h.0).and_then(Option::take)
    }

    /// Puts back a connection [`Mux::remove`] took out to drive it alone
    /// (its handle unchanged); `false` when the place was taken meanwhile.
    pub fn put_back(&mut self, h: Handle, slot: Slot<Q>) -> bool {
        match self.slots.get_mut(h.0) {
            Some(place @ None) => {
                *place = Some(slot);
                true
            }
            _ => false,
        }
    }

    pub fn get(&self, h: Handle) -> Option<&Slot<Q>> {
        self.slots.get(h.0).and_then(Option::as_ref)
    }

    pub fn get_mut(&mut self, h: Handle) -> Option<&mut Slot<Q>> {
        self.slots.get_mut(h.0).and_then(Option::as_mut)
    }

    /// The connections held, open or not yet closed.
    pub fn connections(&self) -> impl Iterator<Item = ConnId> + '_ {
        self.iter().map(|(handle, s)| ConnId {
            handle,
            id: s.ids.connection,
        })
    }

    /// The connection `c` names, while it is held.
    pub fn slot_of(&self, c: ConnId) -> Option<&Slot<Q>> {
        self.get(c.handle).filter(|s| s.ids.connection == c.id)
    }

    pub fn slot_of_mut(&mut self, c: ConnId) -> Option<&mut Slot<Q>> {
        self.get_mut(c.handle).filter(|s| s.ids.connection == c.id)
    }

    /// Every connection, by handle.
    pub fn iter(&self) -> impl Iterator<Item = (Handle, &Slot<Q>)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.as_ref().map(|s| (Handle(i), s)))
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The module restarted: every open connection is lost.
    pub fn restarted(&mut self) {
        for s in self.slots.iter_mut().flatten() {
            s.conn.restarted();
        }
    }

    /// Routes an unsolicited frame to the connection it names: `true` when one
    /// took it (its data, data ready, peer closed). Frames about ids no
    /// connection holds, and every other URC, are left to the caller's queue.
    pub fn route(&mut self, frame: &[u8], hex: bool) -> bool {
        self.slots
            .iter_mut()
            .flatten()
            .any(|s| s.conn.route(&s.ids.options(), frame, hex))
    }
}

/// The connections an operation's URCs go to: the one it runs on, and (on a
/// multi-connection modem) the others. The drivers' loops take this.
pub trait Conns<Q: ByteQueue> {
    /// The connection the operation runs on.
    fn active(&mut self) -> &mut Connection<Q>;
    /// Hands an unsolicited frame to the connection it names; `true`: taken.
    fn route(&mut self, o: &Options<'_>, frame: &[u8], hex: bool) -> bool;
    /// The module restarted.
    fn restarted(&mut self);
}

impl<Q: ByteQueue> Conns<Q> for Connection<Q> {
    fn active(&mut self) -> &mut Connection<Q> {
        self
    }
    fn route(&mut self, o: &Options<'_>, frame: &[u8], hex: bool) -> bool {
        Connection::route(self, o, frame, hex)
    }
    fn restarted(&mut self) {
        Connection::restarted(self)
    }
}

/// The connection an operation runs on, taken out of its dispatcher
/// ([`Mux::remove`]), and the dispatcher with the others.
pub struct Active<'m, Q: ByteQueue, const N: usize> {
    pub slot: &'m mut Slot<Q>,
    pub others: &'m mut Mux<Q, N>,
}

impl<Q: ByteQueue, const N: usize> Conns<Q> for Active<'_, Q, N> {
    fn active(&mut self) -> &mut Connection<Q> {
        &mut self.slot.conn
    }
    fn route(&mut self, o: &Options<'_>, frame: &[u8], hex: bool) -> bool {
        self.slot.conn.route(o, frame, hex) || self.others.route(frame, hex)
    }
    fn restarted(&mut self) {
        self.slot.conn.restarted();
        self.others.restarted();
    }
}

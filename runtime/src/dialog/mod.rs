//! The SSL dialog of any family, from its spec's `[socket]` data: one generic
//! dialect that builds the requests each role needs ([`Dialog`]), and the
//! connection as a pure state machine ([`machine`]) that decides what to run
//! next: configure, open, send with splitting and retry, buffer-mode drain,
//! push-mode data, peer close, close. `no_std`, no allocator.
//!
//! Dialects return requests; they never run them. The drivers (the blocking
//! [`crate::socket::SslSocket`], `modem`, the `embedded-io` and async
//! drivers) run what the machine asks for and route URCs back to it.

pub mod machine;
pub mod mux;
mod options;

pub use machine::{Action, Connection, Op, Ran, SockError, SocketState};
pub use mux::{ConnId, Handle, Mux, MuxError};
pub use options::{AccessMode, Options};

use crate::codec::{self, Lookup};
use crate::desc::{DataLen, Form, Kind, Opt, Request, Socket, Source, Urc};
use crate::error::{ParseError, ValidationError};
use crate::family::Family;
use crate::payload::hex_decode_into;
use crate::session::DynRequest;
use crate::vals::{Val, Vals};

/// What a family can do, so one program can adapt (read from its dialog).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// Receive with a read command after a "data ready" URC.
    pub buffer_mode: bool,
    /// Receive data inside URCs.
    pub push_mode: bool,
    /// Sends carry a length, so any byte may be sent; otherwise the data ends
    /// with Ctrl+Z and may not contain Ctrl+Z or ESC.
    pub fixed_length_send: bool,
    /// Certificates are uploaded through the family's own commands (BC26
    /// QSSLCFG data mode, ML302 QSECWRITE); otherwise they are files on the
    /// module, named by path.
    pub cert_upload: bool,
    /// A pre-shared key can be configured.
    pub psk: bool,
}

/// A family's SSL dialog for the drivers: the generated unit types
/// (`atgen::ssl::Ec2x`, one per family whose spec has a `[socket]` section)
/// implement it from the spec. It builds requests; the drivers run them.
pub trait Dialect {
    /// The family whose link this dialect talks on.
    type Family: Family;

    /// The family's dialog, from its spec.
    fn dialog(&self) -> Dialog;

    /// The family id, for messages.
    fn family(&self) -> &'static str {
        <Self::Family as Family>::ID
    }

    /// What the family offers.
    fn capabilities(&self) -> Capabilities {
        self.dialog().capabilities()
    }

    /// The receive mode actually used for a wanted one (a family with one mode uses it).
    fn access_mode(&self, wanted: AccessMode) -> AccessMode {
        self.dialog().mode(wanted)
    }
}

/// Maps a family marker type (`atgen::quectel_ec2x::Family`) to its dialect, so
/// code that picks the family at run time (`with_family!`) finds the dialect too.
pub trait SslFamily: Family + Sized {
    /// The family's dialect.
    type Dialect: Dialect<Family = Self> + Default;
}

/// Values a role gets from the operation at hand.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extra<'a> {
    pub host: Option<&'a str>,
    pub port: Option<u16>,
    pub read_len: Option<usize>,
    pub data_len: Option<usize>,
    pub cert_kind: Option<u8>,
}

/// What an unsolicited frame means for one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event<'a> {
    /// Buffer mode: data is waiting in the module (announced once per drain).
    DataReady,
    /// The data itself (push mode, or a read answered with data URCs), as on
    /// the wire; `hex`: hex text to decode.
    Data { wire: &'a [u8], hex: bool },
    /// The peer closed the connection.
    Closed,
    /// A pushed data frame that does not parse (an impossible announced length,
    /// a payload that does not match it): data was lost, which is an error.
    Malformed,
    /// Not about this connection.
    Other,
}

/// The dialog of a family: its `[socket]` data and the ids its settings are kept by.
#[derive(Debug, Clone, Copy)]
pub struct Dialog {
    pub socket: &'static Socket,
    pub ids: &'static [&'static str],
}

impl Dialog {
    /// A dialog from a family's `[socket]` data and id parameters.
    pub const fn new(socket: &'static Socket, ids: &'static [&'static str]) -> Self {
        Dialog { socket, ids }
    }

    /// What the family offers.
    pub fn capabilities(&self) -> Capabilities {
        Capabilities {
            buffer_mode: self.has_buffer_mode(),
            push_mode: self.has_push_mode(),
            fixed_length_send: self.fixed_length_send(),
            cert_upload: !self.socket.uploads.is_empty(),
            psk: self.socket.sets(Opt::PskKey),
        }
    }

    /// The dialog of a family, when its spec has a `[socket]` section.
    pub fn of<F: Family>() -> Option<Dialog> {
        let d = F::DESC?;
        Some(Dialog {
            socket: d.socket?,
            ids: d.ids,
        })
    }

    pub fn family(&self) -> &'static str {
        self.socket.family
    }

    /// The receive mode actually used: a family with one mode uses it.
    pub fn mode(&self, wanted: AccessMode) -> AccessMode {
        match (wanted, self.has_buffer_mode(), self.has_push_mode()) {
            (AccessMode::Push, _, true) => AccessMode::Push,
            (AccessMode::Buffer, true, _) => AccessMode::Buffer,
            (_, true, _) => AccessMode::Buffer,
            _ => AccessMode::Push,
        }
    }

    pub fn has_buffer_mode(&self) -> bool {
        self.socket.recv.is_some()
    }

    pub fn has_push_mode(&self) -> bool {
        self.socket.push.is_some() && (self.socket.modes.is_some() || self.socket.recv.is_none())
    }

    /// Whether the send carries a length (any byte may be sent).
    pub fn fixed_length_send(&self) -> bool {
        self.socket
            .send
            .request
            .form
            .data
            .as_ref()
            .is_some_and(|d| matches!(d.end, DataLen::Field(_)))
    }

    /// The request of a role with the operation's values.
    pub fn request<'a>(
        &self,
        r: &'static Request,
        o: &Options<'a>,
        x: Extra<'a>,
    ) -> DynRequest<'a> {
        let mut vals = Vals::default();
        for (i, field) in r.form.args.fields.iter().enumerate() {
            let Some(source) = r
                .values
                .iter()
                .find(|(p, _)| *p == field.param.name)
                .map(|(_, s)| *s)
            else {
                continue;
            };
            let v = match source {
                Source::Int(n) => Val::Int(n),
                Source::Str(s) => Val::Str(s),
                Source::Host => x.host.map_or(Val::None, Val::Str),
                Source::Port => x.port.map_or(Val::None, |p| Val::Int(i64::from(p))),
                Source::ReadLen => x.read_len.map_or(Val::None, |n| Val::Int(len_i64(n))),
                Source::DataLen => x.data_len.map_or(Val::None, |n| Val::Int(len_i64(n))),
                Source::Opt(Opt::CertKind) => {
                    x.cert_kind.map_or(Val::None, |k| Val::Int(i64::from(k)))
                }
                Source::Opt(opt) => o.value(opt),
            };
            // A string option for a parameter written as a hex code (a quoted cipher).
            let v = match (field.param.kind, v) {
                (Kind::Hex | Kind::Int, Val::Str(s)) => s.parse().map_or(v, Val::Int),
                _ => v,
            };
            vals.set(i, v);
        }
        if let (Some(modes), Some(i)) = (
            self.socket.modes,
            r.form
                .args
                .field_of(self.socket.modes.map_or("", |m| m.param)),
        ) {
            if core::ptr::eq(r, &self.socket.open) {
                let v = match self.mode(o.mode) {
                    AccessMode::Buffer => modes.buffer,
                    AccessMode::Push => modes.push,
                };
                vals.set(i, Val::Int(v));
            }
        }
        DynRequest {
            form: r.form,
            vals,
            ids: self.ids,
        }
    }

    /// The options a set-up request takes; whether any is given.
    fn given(&self, r: &Request, o: &Options<'_>) -> bool {
        r.values.iter().any(|(_, s)| match s {
            Source::Opt(opt) if !matches!(opt, Opt::Pdp | Opt::SslCtx | Opt::Connection) => {
                !o.value(*opt).is_none()
            }
            _ => false,
        })
    }

    /// The set-up requests `o` asks for, in the spec's order.
    pub fn setup<'s, 'a: 's>(
        &'s self,
        o: &'s Options<'a>,
    ) -> impl Iterator<Item = DynRequest<'a>> + 's {
        self.socket
            .setup
            .iter()
            .filter(move |s| s.always || self.given(&s.request, o))
            .map(move |s| self.request(&s.request, o, Extra::default()))
    }

    /// An option `o` gives that no request of the family takes.
    pub fn unsupported(&self, o: &Options<'_>) -> Option<SockError> {
        let opt = Opt::PORTABLE
            .iter()
            .copied()
            .find(|opt| !o.value(*opt).is_none() && !self.socket.sets(*opt))?;
        Some(SockError::Unsupported {
            family: self.family(),
            what: opt.name(),
            hint: self
                .socket
                .lacks(opt.name())
                .unwrap_or("no command of the family's spec takes this option"),
        })
    }

    /// Validates every request configure and open would send, and refuses
    /// options the family lacks: no I/O.
    pub fn check(&self, o: &Options<'_>, host: &str, port: u16) -> Result<(), SockError> {
        if let Some(e) = self.unsupported(o) {
            return Err(e);
        }
        for r in self.setup(o) {
            r.validate_now()?;
        }
        self.check_host(host)?;
        let x = Extra {
            host: Some(host),
            port: Some(port),
            ..Extra::default()
        };
        self.request(&self.socket.open, o, x).validate_now()?;
        if let Some(recv) = &self.socket.recv {
            let x = Extra {
                read_len: Some(self.read_len(o, usize::from(o.recv_chunk))),
                ..Extra::default()
            };
            self.request(&recv.request, o, x).validate_now()?;
        }
        self.request(&self.socket.close, o, Extra::default())
            .validate_now()?;
        Ok(())
    }

    /// Checks the host of an open as a host name or address, under the open
    /// form's name for it (`<serveraddr>`, `<host_name>`).
    pub fn check_host(&self, host: &str) -> Result<(), ValidationError> {
        let open = &self.socket.open;
        let param = open
            .values
            .iter()
            .find(|(_, s)| matches!(s, Source::Host))
            .map_or("host", |(name, _)| *name);
        crate::wire::check_host(self.family(), open.form.command, param, host)
    }

    /// The open request.
    pub fn open<'a>(&self, o: &Options<'a>, host: &'a str, port: u16) -> DynRequest<'a> {
        let x = Extra {
            host: Some(host),
            port: Some(port),
            ..Extra::default()
        };
        self.request(&self.socket.open, o, x)
    }

    /// The send request for `len` bytes.
    pub fn send<'a>(&self, o: &Options<'a>, len: usize) -> DynRequest<'a> {
        let x = Extra {
            data_len: Some(len),
            ..Extra::default()
        };
        self.request(&self.socket.send.request, o, x)
    }

    /// The largest payload of one send now (the data phase's cap, or the length
    /// parameter's range in force under the settings made: BC26 hex is 730).
    pub fn max_chunk(&self, o: &Options<'_>, setting: Lookup<'_>) -> usize {
        let send = &self.socket.send;
        let form = send.request.form;
        let probe = self.send(o, 1);
        let mut max = form.data.as_ref().and_then(|d| d.max_len);
        if let Some(DataLen::Field(i)) = form.data.as_ref().map(|d| d.end) {
            if let Some(field) = form.args.fields.get(usize::from(i)) {
                let (_, hi) = codec::range_in(form, &probe.vals, field.param, setting);
                let hi = usize::try_from(hi).unwrap_or(usize::MAX);
                max = Some(max.map_or(hi, |m| m.min(hi)));
            }
        }
        max.or(send.max).unwrap_or(1460).max(1)
    }

    /// Refuses data the send cannot carry, before any of it is sent: a Ctrl+Z
    /// data phase cannot hold Ctrl+Z (0x1A) or ESC (0x1B).
    pub fn check_payload(&self, o: &Options<'_>, data: &[u8]) -> Result<(), SockError> {
        let form = self.socket.send.request.form;
        let ctrl_z = form.data.as_ref().is_some_and(|d| d.end == DataLen::CtrlZ);
        if !ctrl_z || o.hex_data {
            return Ok(());
        }
        match data.iter().position(|&b| b == 0x1A || b == 0x1B) {
            Some(index) => Err(SockError::Unsendable {
                family: self.family(),
                command: form.command,
                byte: data.get(index).copied().unwrap_or(0x1A),
                index,
                why: "the data ends with Ctrl+Z (0x1A) and ESC (0x1B) cancels it, so neither can be part of the data; encode binary data (base64, hex) first",
            }),
            None => Ok(()),
        }
    }

    /// The byte count of one read: at most `want`, the configured chunk, and
    /// the range of the read's length parameter.
    pub fn read_len(&self, o: &Options<'_>, want: usize) -> usize {
        let n = want.min(usize::from(o.recv_chunk.max(1))).max(1);
        let Some(recv) = &self.socket.recv else {
            return n;
        };
        let field = recv
            .request
            .values
            .iter()
            .find(|(_, s)| *s == Source::ReadLen)
            .and_then(|(p, _)| {
                recv.request
                    .form
                    .args
                    .fields
                    .iter()
                    .find(|f| f.param.name == *p)
            });
        match field.and_then(|f| f.param.range) {
            Some((lo, hi)) => {
                let lo = usize::try_from(lo).unwrap_or(1);
                let hi = usize::try_from(hi).unwrap_or(usize::MAX);
                n.clamp(lo.max(1), hi.max(1))
            }
            None => n,
        }
    }

    /// The buffer-mode read request for at most `want` bytes.
    pub fn recv<'a>(&self, o: &Options<'a>, want: usize) -> Option<DynRequest<'a>> {
        let recv = self.socket.recv.as_ref()?;
        let x = Extra {
            read_len: Some(self.read_len(o, want)),
            ..Extra::default()
        };
        Some(self.request(&recv.request, o, x))
    }

    pub fn close<'a>(&self, o: &Options<'a>) -> DynRequest<'a> {
        self.request(&self.socket.close, o, Extra::default())
    }

    pub fn state<'a>(&self, o: &Options<'a>) -> Option<DynRequest<'a>> {
        Some(self.request(self.socket.state.as_ref()?, o, Extra::default()))
    }

    /// The data of a buffer-mode read's response: the payload of its response
    /// line (empty when the module's buffer was empty or no line came).
    pub fn response_data<'b>(&self, block: &'b [u8], hex: bool) -> Result<&'b [u8], ParseError> {
        let Some(recv) = &self.socket.recv else {
            return Ok(&[]);
        };
        let form = recv.request.form;
        if block.is_empty() {
            return Ok(&[]);
        }
        let mut first: Option<ParseError> = None;
        for line in form.responses {
            match codec::parse_line(line, trim_crlf(block), hex) {
                Ok(v) => {
                    let data = line
                        .template
                        .fields
                        .iter()
                        .position(|f| f.param.kind == Kind::Bytes)
                        .and_then(|i| v.get(i).bytes());
                    return Ok(data.unwrap_or(&[]));
                }
                Err(e) => first = Some(crate::wire::further(first, e)),
            }
        }
        Err(first.unwrap_or_else(|| {
            crate::wire::Cursor::new(self.family(), form.what, block)
                .error("a response with the data")
        }))
    }

    /// Whether the fields of a URC name this connection (its connection id, and
    /// its PDP or SSL context where the URC carries one).
    fn mine(&self, urc: &Urc, v: &Vals<'_>, o: &Options<'_>) -> bool {
        let ids = [
            (Some(self.socket.connection), i64::from(o.connection)),
            (self.socket.pdp, i64::from(o.pdp)),
            (self.socket.ssl_ctx, i64::from(o.ssl_ctx)),
        ];
        let mut named_connection = false;
        for (param, value) in ids {
            let Some(i) = param.and_then(|p| urc.line.template.field_of(p)) else {
                continue;
            };
            if param == Some(self.socket.connection) {
                named_connection = true;
            }
            if v.get(i).int() != Some(value) {
                return false;
            }
        }
        named_connection
    }

    /// What a frame means for the connection `o` names.
    pub fn classify<'f>(&self, o: &Options<'_>, frame: &'f [u8], hex: bool) -> Event<'f> {
        let s = self.socket;
        for (urc, what) in [
            (s.push, 0u8),
            (s.recv.as_ref().map(|r| r.ready), 1),
            (s.closed, 2),
        ] {
            let Some(urc) = urc else { continue };
            let Ok(v) = codec::parse_line(&urc.line, frame, hex) else {
                continue;
            };
            if !self.mine(urc, &v, o) {
                return Event::Other;
            }
            return match what {
                0 => {
                    let data = urc
                        .line
                        .template
                        .fields
                        .iter()
                        .position(|f| f.param.kind == Kind::Bytes)
                        .and_then(|i| v.get(i).bytes())
                        .unwrap_or(&[]);
                    Event::Data {
                        wire: data,
                        hex: hex && urc.line.hex_when.is_some(),
                    }
                }
                1 => Event::DataReady,
                _ => Event::Closed,
            };
        }
        if let Some(push) = s.push {
            let prefix = push.line.template.prefix();
            if !prefix.is_empty() && frame.starts_with(prefix.as_bytes()) {
                return Event::Malformed;
            }
        }
        Event::Other
    }

    /// The steps of uploading a certificate kind (0 CA, 1 client certificate, 2 key).
    pub fn upload(&self, kind: u8) -> Option<&'static [crate::desc::UploadStep]> {
        self.socket
            .uploads
            .iter()
            .find(|u| u.kind == kind)
            .map(|u| u.steps)
    }

    /// The form of a role, for messages.
    pub fn send_form(&self) -> &'static Form {
        self.socket.send.request.form
    }
}

fn trim_crlf(b: &[u8]) -> &[u8] {
    b.strip_suffix(b"\r\n").unwrap_or(b)
}

fn len_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Decodes pushed data in place into `out` (hex text, or a copy); the decoded length.
pub fn decode_data(
    wire: &[u8],
    hex: bool,
    out: &mut [u8],
) -> Result<usize, crate::payload::PayloadError> {
    if hex {
        hex_decode_into(wire, out).map(<[u8]>::len)
    } else {
        let n = wire.len().min(out.len());
        if let (Some(d), Some(s)) = (out.get_mut(..n), wire.get(..n)) {
            d.copy_from_slice(s);
        }
        Ok(n)
    }
}

impl DynRequest<'_> {
    /// Validates without settings (before anything is sent).
    pub fn validate_now(&self) -> Result<(), ValidationError> {
        codec::validate(self.form, &self.vals, &|_| None)
    }
}

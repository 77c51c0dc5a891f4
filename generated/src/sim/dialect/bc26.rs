//! BC26 / BC20 (`quectel-bc26`).
//!
//! - Settings per `<contextID>,<connectID>` pair (the manual supports `<contextID>`=1
//!   only; the generated parser refuses the others). `AT+QSSLCFG=<ctx>,<conn>` lists
//!   every setting, certificates only once uploaded.
//! - `AT+QSSLCFG=<ctx>,<conn>,"cacert"|"clientcert"|"clientkey"`: `>`, the PEM text up
//!   to Ctrl+Z, then `+QSSLCFG: <ctx>,<conn>,"cacert",<byte count>` and `OK`.
//! - `AT+QSSLOPEN`: `OK`, then `+QSSLOPEN: <ctx>,<conn>,<err>` after the handshake:
//!   0, or -6 (state error) when the `<connectID>` is already in use.
//! - `AT+QSSLSEND`: `ERROR` unless connected; `>`, the data (hex text while
//!   `<send_data_format>`=1, Ctrl+Z or exactly `<send_length>` bytes: 1..=1460, 1..=730
//!   in hex), `OK`, then `+QSSLSEND: <ctx>,<conn>,0` (or -9 when the `send-fail`
//!   fault strikes; the data is discarded).
//! - Received data is always pushed inline: `+QSSLURC: "recv",<ctx>,<conn>,<len>,"<data>"`,
//!   at most 1300 bytes per URC (650 as hex text while `<recv_data_format>`=1).
//! - `AT+QSSLCLOSE`: `OK`, then `+QSSLCLOSE: <ctx>,<conn>,0`; `ERROR` for a
//!   socket that is not open.
//! - The peer closing: `+QSSLURC: "closed",<ctx>,<conn>`, and the module closes the
//!   socket by itself.

use std::collections::BTreeMap;

use atgen_runtime::AtRequest;

use super::{end_of, hex_decode, hex_encode, id, key, unused_id, Dialect};
use crate::quectel_bc26 as fam;
use crate::sim::machine::{Job, JobKind, Machine, SockKey};
use crate::sim::AccessMode;
use fam::Request;

/// Largest inline payload per URC, raw bytes (half of it as hex text).
const PUSH_CHUNK: usize = 1300;
/// `<connectID>` 0..=5.
const MAX_ID: SockKey = 5;

const CACERT: u8 = 0;
const CLIENTCERT: u8 = 1;
const CLIENTKEY: u8 = 2;

/// The settings of one `<contextID>,<connectID>` pair. Defaults: the spec's
/// (`<timeout>` 90 s); where the manual gives none: no authentication, all SSL
/// versions, text data formats, no debug log.
#[derive(Debug, Clone)]
struct Cfg {
    seclevel: fam::Seclevel,
    sslversion: fam::Sslversion,
    send_format: fam::SendDataFormat,
    recv_format: fam::RecvDataFormat,
    timeout: u16,
    debug: fam::DebugLevel,
    /// Byte counts of the uploaded certificates and key.
    uploads: [Option<u32>; 3],
}

impl Default for Cfg {
    fn default() -> Self {
        Cfg {
            seclevel: fam::Seclevel::NoAuthentication,
            sslversion: fam::Sslversion::All,
            send_format: fam::SendDataFormat::Text,
            recv_format: fam::RecvDataFormat::Text,
            timeout: 90,
            debug: fam::DebugLevel::NoLog,
            uploads: [None; 3],
        }
    }
}

/// The BC26 dialect.
#[derive(Debug, Default)]
pub(crate) struct Bc26 {
    cfg: BTreeMap<(u8, u8), Cfg>,
}

/// An upload's key: context and connect id together.
fn upload_key(ctx: u8, conn: u8) -> SockKey {
    SockKey::from(ctx) << 8 | SockKey::from(conn)
}

/// Sets values of the pair a request names: `set!(self, m, r => cfg_field: field)`.
macro_rules! set {
    ($self:ident, $m:ident, $r:ident => $($field:ident : $val:ident),+) => {{
        let c = $self.cfg($r.context_id, $r.connect_id);
        $(c.$field = $r.$val;)+
        $m.ok()
    }};
}

/// Answers a query by omission: `get!(self, m, q => Response { field: cfg_field })`.
macro_rules! get {
    ($self:ident, $m:ident, $q:ident => $Resp:ident { $($val:ident : $field:ident),+ }) => {{
        let c = $self.peek($q.context_id, $q.connect_id);
        let line = fam::$Resp {
            context_id: $q.context_id,
            connect_id: $q.connect_id,
            $($val: c.$field,)+
        };
        $m.answer(|v| line.write_to(v))
    }};
}

impl Bc26 {
    fn cfg(&mut self, ctx: u8, conn: u8) -> &mut Cfg {
        self.cfg.entry((ctx, conn)).or_default()
    }

    fn peek(&self, ctx: u8, conn: u8) -> Cfg {
        self.cfg.get(&(ctx, conn)).cloned().unwrap_or_default()
    }

    fn ctx_of(m: &Machine, conn: u8) -> u8 {
        m.socket(key(conn)).map_or(1, |s| s.ctx)
    }

    fn all(&self, m: &mut Machine, ctx: u8, conn: u8) {
        let c = self.peek(ctx, conn);
        let upload = |i: usize| c.uploads.get(i).copied().flatten();
        let r = fam::QsslcfgAllResponse {
            seclevel: Some(fam::QsslcfgAllSeclevel {
                context_id: ctx,
                connect_id: conn,
                seclevel: c.seclevel,
            }),
            sslversion: Some(fam::QsslcfgAllSslversion {
                context_id: ctx,
                connect_id: conn,
                sslversion: c.sslversion,
            }),
            dataformat: Some(fam::QsslcfgAllDataformat {
                context_id: ctx,
                connect_id: conn,
                send_data_format: c.send_format,
                recv_data_format: c.recv_format,
            }),
            timeout: Some(fam::QsslcfgAllTimeout {
                context_id: ctx,
                connect_id: conn,
                timeout: c.timeout,
            }),
            debug: Some(fam::QsslcfgAllDebug {
                context_id: ctx,
                connect_id: conn,
                debug_level: c.debug,
            }),
            cacert: upload(0).map(|checksum| fam::QsslcfgAllCacert {
                context_id: ctx,
                connect_id: conn,
                checksum,
            }),
            clientcert: upload(1).map(|checksum| fam::QsslcfgAllClientcert {
                context_id: ctx,
                connect_id: conn,
                checksum,
            }),
            clientkey: upload(2).map(|checksum| fam::QsslcfgAllClientkey {
                context_id: ctx,
                connect_id: conn,
                checksum,
            }),
        };
        m.answer(|v| r.write_to(v));
    }

    fn upload(
        &mut self,
        m: &mut Machine,
        ctx: u8,
        conn: u8,
        which: u8,
        phase: Option<atgen_runtime::DataPhase>,
    ) {
        m.prompt(
            end_of(phase, false),
            Job {
                kind: JobKind::Upload(which),
                key: upload_key(ctx, conn),
                hex: false,
            },
        );
    }

    fn send(
        &mut self,
        m: &mut Machine,
        ctx: u8,
        conn: u8,
        phase: Option<atgen_runtime::DataPhase>,
    ) {
        if !m.connected(key(conn)) || Self::ctx_of(m, conn) != ctx {
            m.error();
            return;
        }
        let hex = self.peek(ctx, conn).send_format == fam::SendDataFormat::Hex;
        m.prompt(
            end_of(phase, hex),
            Job {
                kind: JobKind::Send,
                key: key(conn),
                hex,
            },
        );
    }
}

impl Dialect for Bc26 {
    fn command(&mut self, m: &mut Machine, line: &[u8]) {
        let Ok(req) = Request::parse(line) else {
            m.error();
            return;
        };
        match req {
            Request::QsslcfgTest(_) => {
                m.answer(|v| fam::QsslcfgTestResponse::SUPPORTED.write_to(v))
            }
            Request::QsslcfgAll(r) => self.all(m, r.context_id, r.connect_id),
            Request::QsslcfgSeclevel(r) => set!(self, m, r => seclevel: seclevel),
            Request::QsslcfgSeclevelQuery(q) => {
                get!(self, m, q => QsslcfgSeclevelQueryResponse { seclevel: seclevel })
            }
            Request::QsslcfgSslversion(r) => set!(self, m, r => sslversion: sslversion),
            Request::QsslcfgSslversionQuery(q) => {
                get!(self, m, q => QsslcfgSslversionQueryResponse { sslversion: sslversion })
            }
            Request::QsslcfgDataformat(r) => {
                set!(self, m, r => send_format: send_data_format, recv_format: recv_data_format)
            }
            Request::QsslcfgDataformatQuery(q) => {
                get!(self, m, q => QsslcfgDataformatQueryResponse {
                    send_data_format: send_format,
                    recv_data_format: recv_format
                })
            }
            Request::QsslcfgTimeout(r) => set!(self, m, r => timeout: timeout),
            Request::QsslcfgTimeoutQuery(q) => {
                get!(self, m, q => QsslcfgTimeoutQueryResponse { timeout: timeout })
            }
            Request::QsslcfgDebug(r) => set!(self, m, r => debug: debug_level),
            Request::QsslcfgDebugQuery(q) => {
                get!(self, m, q => QsslcfgDebugQueryResponse { debug_level: debug })
            }
            Request::QsslcfgCacert(r) => {
                self.upload(m, r.context_id, r.connect_id, CACERT, r.data_phase())
            }
            Request::QsslcfgClientcert(r) => {
                self.upload(m, r.context_id, r.connect_id, CLIENTCERT, r.data_phase())
            }
            Request::QsslcfgClientkey(r) => {
                self.upload(m, r.context_id, r.connect_id, CLIENTKEY, r.data_phase())
            }
            Request::QsslopenTest(_) => {
                let line = fam::QsslopenTestLine1 {
                    context_id: "1",
                    connect_id: "0-5",
                    host_name: "<host_name>",
                    port: 65535,
                    connect_mode: "0",
                };
                m.answer(|v| line.write_to(v));
            }
            Request::QsslopenRead(_) | Request::QsslsendRead(_) | Request::QsslcloseRead(_) => {
                m.ok()
            }
            Request::Qsslopen(r) => {
                m.ok();
                if m.socket(key(r.connect_id)).is_some() {
                    let urc = fam::QsslopenResult {
                        context_id: r.context_id,
                        connect_id: r.connect_id,
                        err: fam::SslError::StateError,
                    };
                    m.urc(|v| urc.write_to(v));
                    return;
                }
                m.open(
                    key(r.connect_id),
                    r.context_id,
                    0,
                    r.host_name,
                    r.port,
                    AccessMode::DirectPush,
                );
            }
            Request::QsslsendTest(_) => {
                m.answer(|v| fam::QsslsendTestResponse::SUPPORTED.write_to(v));
            }
            Request::Qsslsend(r) => self.send(m, r.context_id, r.connect_id, r.data_phase()),
            Request::QsslsendFixedLength(r) => {
                let c = self.peek(r.context_id, r.connect_id);
                let format = c.send_format.value();
                let settings = |name: &str| (name == "send_data_format").then_some(format);
                if r.validate_in(&settings).is_err() {
                    m.error();
                    return;
                }
                self.send(m, r.context_id, r.connect_id, r.data_phase());
            }
            Request::QsslcloseTest(_) => {
                m.answer(|v| fam::QsslcloseTestResponse::SUPPORTED.write_to(v));
            }
            Request::Qsslclose(r) => {
                if m.remove(key(r.connect_id)).is_none() {
                    m.error();
                    return;
                }
                m.ok();
                let urc = fam::QsslcloseResult {
                    context_id: r.context_id,
                    connect_id: r.connect_id,
                    err: fam::SslError::OperationSuccessful,
                };
                m.urc(|v| urc.write_to(v));
            }
        }
    }

    fn data(&mut self, m: &mut Machine, job: Job, data: Vec<u8>) {
        match job.kind {
            JobKind::Upload(which) => {
                let (ctx, conn) = ((job.key >> 8) as u8, (job.key & 0xFF) as u8);
                let checksum = u32::try_from(data.len()).unwrap_or(u32::MAX);
                if let Some(slot) = self.cfg(ctx, conn).uploads.get_mut(usize::from(which)) {
                    *slot = Some(checksum);
                }
                let line = match which {
                    CACERT => Machine::format(|v| {
                        fam::QsslcfgCacertResponse {
                            context_id: ctx,
                            connect_id: conn,
                            checksum,
                        }
                        .write_to(v)
                    }),
                    CLIENTCERT => Machine::format(|v| {
                        fam::QsslcfgClientcertResponse {
                            context_id: ctx,
                            connect_id: conn,
                            checksum,
                        }
                        .write_to(v)
                    }),
                    _ => Machine::format(|v| {
                        fam::QsslcfgClientkeyResponse {
                            context_id: ctx,
                            connect_id: conn,
                            checksum,
                        }
                        .write_to(v)
                    }),
                };
                m.info_raw(line);
                m.ok();
            }
            JobKind::Send => {
                let conn = id(job.key);
                let ctx = Self::ctx_of(m, conn);
                let payload = if job.hex {
                    hex_decode(&data)
                } else {
                    Some(data)
                };
                let Some(payload) = payload.filter(|_| m.connected(job.key)) else {
                    m.error();
                    return;
                };
                let err = if m.send_fails() {
                    fam::SslError::OtherErrors
                } else {
                    m.send_to_peer(job.key, &payload);
                    fam::SslError::OperationSuccessful
                };
                m.ok();
                let urc = fam::QsslsendResult {
                    context_id: ctx,
                    connect_id: conn,
                    err,
                };
                m.urc(|v| urc.write_to(v));
            }
        }
    }

    fn opened(&mut self, m: &mut Machine, k: SockKey) {
        let ctx = m.socket(k).map_or(1, |s| s.ctx);
        let urc = fam::QsslopenResult {
            context_id: ctx,
            connect_id: id(k),
            err: fam::SslError::OperationSuccessful,
        };
        m.urc(|v| urc.write_to(v));
    }

    fn received(&mut self, m: &mut Machine, k: SockKey) {
        let ctx = m.socket(k).map_or(1, |s| s.ctx);
        let hex = self.peek(ctx, id(k)).recv_format == fam::RecvDataFormat::Hex;
        let chunk = if hex { PUSH_CHUNK / 2 } else { PUSH_CHUNK };
        loop {
            let data = m.take_rx(k, chunk);
            if data.is_empty() {
                break;
            }
            let wire = if hex { hex_encode(&data) } else { data.clone() };
            let urc = fam::RecvPush {
                context_id: ctx,
                connect_id: id(k),
                length: u16::try_from(data.len()).unwrap_or(u16::MAX),
                data: &wire,
            };
            m.urc(|v| urc.write_to(v));
        }
    }

    fn peer_closed(&mut self, m: &mut Machine, k: SockKey) {
        let ctx = m.socket(k).map_or(1, |s| s.ctx);
        m.remove(k);
        let urc = fam::Closed {
            context_id: ctx,
            connect_id: id(k),
        };
        m.urc(|v| urc.write_to(v));
    }

    fn reset(&mut self) {
        *self = Self::default();
    }

    fn injected_urc(&self, m: &Machine) -> Vec<u8> {
        let urc = fam::Closed {
            context_id: 1,
            connect_id: id(unused_id(m, MAX_ID)),
        };
        Machine::format(|v| urc.write_to(v))
    }
}

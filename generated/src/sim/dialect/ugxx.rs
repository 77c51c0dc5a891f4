//! UGxx / UG95 (`quectel-ugxx`): the Quectel LTE behaviour (see `quectel_lte.rs`)
//! with this manual's names: `<sslctxID>` 0..=5, `<clientID>` 0..=11, the open
//! result `+QSSLOPEN: <clientID>,<errorcode>` (563 when the id is in use, from the
//! UGxx TCP/IP manual the spec refers to), `"SSL CLIENT"` state lines.

/// Sets a per-context value: `set!(self, m, r.field => ctx_field)`.
macro_rules! set {
    ($self:ident, $m:ident, $r:ident . $val:ident => $field:ident) => {
        match $self.ctx.get_mut(usize::from($r.sslctx_id)) {
            Some(c) => {
                c.$field = $r.$val.to_owned();
                $m.ok()
            }
            None => $m.error(),
        }
    };
}

/// Answers a query by omission: `get!(self, m, q => Response { field: ctx_field })`.
macro_rules! get {
    ($self:ident, $m:ident, $q:ident => $Resp:ident { $($val:ident : $field:ident),+ }) => {
        match $self.ctx.get(usize::from($q.sslctx_id)) {
            Some(c) => {
                let line = fam::$Resp {
                    sslctx_id: $q.sslctx_id,
                    $($val: c.$field,)+
                };
                $m.info(|v| line.write_to(v));
                $m.ok()
            }
            None => $m.error(),
        }
    };
}

/// `get!` for string settings.
macro_rules! get_str {
    ($self:ident, $m:ident, $q:ident => $Resp:ident { $($val:ident : $field:ident),+ }) => {
        match $self.ctx.get(usize::from($q.sslctx_id)) {
            Some(c) => {
                let line = fam::$Resp {
                    sslctx_id: $q.sslctx_id,
                    $($val: c.$field.as_str(),)+
                };
                $m.info(|v| line.write_to(v));
                $m.ok()
            }
            None => $m.error(),
        }
    };
}

use crate::quectel_ugxx as fam;
use crate::sim::dialect::{end_of, unused_id, Dialect};
use crate::sim::machine::{Job, JobKind, Machine, SockKey};
use crate::sim::{AccessMode, SocketState};
use atgen_runtime::AtRequest;
use fam::Request;

/// Client ids 0..=11.
const MAX_ID: SockKey = 11;
/// The TCP/IP manual's "Socket identity has been used".
const SOCKET_ID_IN_USE: u32 = 563;
/// Largest push URC payload.
const PUSH_CHUNK: usize = 1500;
/// What `<AT_port>` reads in `+QSSLSTATE`.
const AT_PORT: &str = "uart1";

fn mode_of(a: Option<fam::AccessMode>) -> AccessMode {
    match a {
        Some(fam::AccessMode::DirectPush) => AccessMode::DirectPush,
        Some(fam::AccessMode::Transparent) => AccessMode::Transparent,
        _ => AccessMode::Buffer,
    }
}

fn access(a: AccessMode) -> fam::AccessMode {
    match a {
        AccessMode::Buffer => fam::AccessMode::Buffer,
        AccessMode::DirectPush => fam::AccessMode::DirectPush,
        AccessMode::Transparent => fam::AccessMode::Transparent,
    }
}

fn state(s: SocketState) -> fam::SocketState {
    match s {
        SocketState::Initial => fam::SocketState::Initial,
        SocketState::Opening => fam::SocketState::Opening,
        SocketState::Connected => fam::SocketState::Connected,
        SocketState::Closing => fam::SocketState::Closing,
    }
}

fn key(id: u8) -> SockKey {
    SockKey::from(id)
}

fn id(key: SockKey) -> u8 {
    u8::try_from(key).unwrap_or(u8::MAX)
}

/// The settings of one SSL context. Defaults: the spec's (`<negotiatetime>` 300 s);
/// where the manual gives none: all SSL versions and cipher suites, no authentication,
/// local time ignored, paths empty.
#[derive(Debug, Clone)]
struct Ctx {
    sslversion: fam::SslVersion,
    ciphersuite: fam::CipherSuite,
    cacert: String,
    clientcert: String,
    clientkey: String,
    seclevel: fam::Seclevel,
    ignorelocaltime: fam::Ignoreltime,
    negotiatetime: u16,
}

impl Default for Ctx {
    fn default() -> Self {
        Ctx {
            sslversion: fam::SslVersion::All,
            ciphersuite: fam::CipherSuite::All,
            cacert: String::new(),
            clientcert: String::new(),
            clientkey: String::new(),
            seclevel: fam::Seclevel::NoAuthentication,
            ignorelocaltime: fam::Ignoreltime::IgnoreTimeCheck,
            negotiatetime: 300,
        }
    }
}

/// The UGxx dialect: six SSL contexts, sockets in the machine.
#[derive(Debug, Default)]
pub(crate) struct Ugxx {
    ctx: [Ctx; 6],
}

impl Ugxx {
    fn cfg_test(&self, m: &mut Machine) {
        let r = fam::QsslcfgTestResponse {
            sslversion: Some(fam::QsslcfgTestSslversion {
                sslctx_id: "0-5",
                ssl_version: "0-4",
            }),
            ciphersuite: Some(fam::QsslcfgTestCiphersuite {
                sslctx_id: "0-5",
                cipher_suites: "0X0035,0X002F,0X0005,0X0004,0X000A,0X003D,0XFFFF",
            }),
            cacert: Some(fam::QsslcfgTestCacert {
                sslctx_id: "0-5",
                cacert_path: "<cacert_path>",
            }),
            clientcert: Some(fam::QsslcfgTestClientcert {
                sslctx_id: "0-5",
                client_cert_path: "<client_cert_path>",
            }),
            clientkey: Some(fam::QsslcfgTestClientkey {
                sslctx_id: "0-5",
                client_key_path: "<client_key_path>",
            }),
            seclevel: Some(fam::QsslcfgTestSeclevel {
                sslctx_id: "0-5",
                seclevel: "0-2",
            }),
            ignorelocaltime: Some(fam::QsslcfgTestIgnorelocaltime {
                sslctx_id: "0-5",
                ignoreltime: "0,1",
            }),
            negotiatetime: Some(fam::QsslcfgTestNegotiatetime {
                sslctx_id: "0-5",
                negotiatetime: "10-300",
            }),
        };
        m.info(|v| r.write_to(v));
    }

    fn state_line(s: &crate::sim::machine::Socket) -> fam::QsslstateExecLine1<'_> {
        fam::QsslstateExecLine1 {
            client_id: id(s.key),
            ip_address: &s.host,
            remote_port: s.port,
            local_port: u32::from(s.local_port),
            socket_state: state(s.state),
            pdpctx_id: s.pdp,
            server_id: 0,
            access_mode: access(s.mode),
            at_port: AT_PORT,
            sslctx_id: s.ctx,
        }
    }

    fn common(&mut self, m: &mut Machine, req: Request<'_>) {
        match req {
            Request::QsslcfgTest(_) => {
                self.cfg_test(m);
                m.ok();
            }
            Request::QsslcfgSslversion(r) => set!(self, m, r.ssl_version => sslversion),
            Request::QsslcfgSslversionQuery(q) => {
                get!(self, m, q => QsslcfgSslversionQueryResponse { ssl_version: sslversion })
            }
            Request::QsslcfgCiphersuite(r) => set!(self, m, r.cipher_suites => ciphersuite),
            Request::QsslcfgCiphersuiteQuery(q) => {
                get!(self, m, q => QsslcfgCiphersuiteQueryResponse { cipher_suites: ciphersuite })
            }
            Request::QsslcfgCacert(r) => set!(self, m, r.cacert_path => cacert),
            Request::QsslcfgCacertQuery(q) => {
                get_str!(self, m, q => QsslcfgCacertQueryResponse { cacert_path: cacert })
            }
            Request::QsslcfgClientcert(r) => set!(self, m, r.client_cert_path => clientcert),
            Request::QsslcfgClientcertQuery(q) => {
                get_str!(self, m, q => QsslcfgClientcertQueryResponse { client_cert_path: clientcert })
            }
            Request::QsslcfgClientkey(r) => set!(self, m, r.client_key_path => clientkey),
            Request::QsslcfgClientkeyQuery(q) => {
                get_str!(self, m, q => QsslcfgClientkeyQueryResponse { client_key_path: clientkey })
            }
            Request::QsslcfgSeclevel(r) => set!(self, m, r.seclevel => seclevel),
            Request::QsslcfgSeclevelQuery(q) => {
                get!(self, m, q => QsslcfgSeclevelQueryResponse { seclevel: seclevel })
            }
            Request::QsslcfgIgnorelocaltime(r) => set!(self, m, r.ignoreltime => ignorelocaltime),
            Request::QsslcfgIgnorelocaltimeQuery(q) => {
                get!(self, m, q => QsslcfgIgnorelocaltimeQueryResponse { ignoreltime: ignorelocaltime })
            }
            Request::QsslcfgNegotiatetime(r) => set!(self, m, r.negotiatetime => negotiatetime),
            Request::QsslcfgNegotiatetimeQuery(q) => {
                get!(self, m, q => QsslcfgNegotiatetimeQueryResponse { negotiatetime: negotiatetime })
            }
            Request::QsslopenTest(_) => {
                let line = fam::QsslopenTestLine1 {
                    pdpctx_id: "1-16",
                    sslctx_id: "0-5",
                    client_id: "0-11",
                    serveraddr: "ADDRESS",
                    server_port: 65535,
                    access_mode: Some("0-2"),
                };
                m.info(|v| line.write_to(v));
                m.ok();
            }
            Request::Qsslopen(r) => {
                let k = key(r.client_id);
                let mode = mode_of(r.access_mode);
                if m.socket(k).is_some() {
                    if mode == AccessMode::Transparent {
                        m.error();
                    } else {
                        m.ok();
                        let urc = fam::QsslopenResult {
                            client_id: r.client_id,
                            errorcode: SOCKET_ID_IN_USE,
                        };
                        m.urc(|v| urc.write_to(v));
                    }
                    return;
                }
                m.open(
                    k,
                    r.sslctx_id,
                    r.pdpctx_id,
                    r.serveraddr,
                    r.server_port,
                    mode,
                );
                if mode != AccessMode::Transparent {
                    m.ok();
                }
            }
            Request::QsslsendTest(_) => {
                let line = fam::QsslsendTestLine1 {
                    client_id: "0-11",
                    sendlen: Some("1-1460"),
                };
                m.info(|v| line.write_to(v));
                m.ok();
            }
            Request::Qsslsend(r) => self.send(m, key(r.client_id), r.data_phase()),
            Request::QsslsendFixedLength(r) => self.send(m, key(r.client_id), r.data_phase()),
            Request::QsslrecvTest(_) => {
                let line = fam::QsslrecvTestLine1 {
                    client_id: "0-11",
                    readlen: "1-1500",
                };
                m.info(|v| line.write_to(v));
                m.ok();
            }
            Request::Qsslrecv(r) => {
                let k = key(r.client_id);
                let readable = m.socket(k).is_some_and(|s| {
                    matches!(s.state, SocketState::Connected | SocketState::Closing)
                        && s.mode != AccessMode::DirectPush
                });
                if !readable {
                    m.error();
                    return;
                }
                let data = m.take_rx(k, usize::from(r.readlen));
                if data.is_empty() {
                    // Read to empty: the next data is announced again.
                    if let Some(s) = m.socket_mut(k) {
                        s.notified = false;
                    }
                }
                let line = fam::QsslrecvResponse {
                    havereadlen: u32::try_from(data.len()).unwrap_or(u32::MAX),
                    data: &data,
                };
                m.info(|v| line.write_to(v));
                m.ok();
            }
            Request::QsslcloseTest(_) => {
                let line = fam::QsslcloseTestLine1 {
                    client_id: "0-11",
                    close_timeout: Some("0-65535"),
                };
                m.info(|v| line.write_to(v));
                m.ok();
            }
            Request::Qsslclose(r) => {
                m.remove(key(r.client_id));
                m.ok();
            }
            Request::QsslstateTest(_) => m.ok(),
            Request::Qsslstate(r) => {
                if let Some(s) = m.socket(key(r.client_id)) {
                    let l = Self::state_line(s);
                    let line = fam::QsslstateLine1 {
                        client_id: l.client_id,
                        ip_address: l.ip_address,
                        remote_port: l.remote_port,
                        local_port: l.local_port,
                        socket_state: l.socket_state,
                        pdpctx_id: l.pdpctx_id,
                        server_id: l.server_id,
                        access_mode: l.access_mode,
                        at_port: l.at_port,
                        sslctx_id: l.sslctx_id,
                    };
                    let bytes = Machine::format(|v| line.write_to(v));
                    m.info_raw(bytes);
                }
                m.ok();
            }
            Request::QsslstateExec(_) => {
                let lines: Vec<Vec<u8>> = m
                    .sockets
                    .values()
                    .map(|s| Machine::format(|v| Self::state_line(s).write_to(v)))
                    .collect();
                for l in lines {
                    m.info_raw(l);
                }
                m.ok();
            }
        }
    }

    fn send(&mut self, m: &mut Machine, k: SockKey, phase: Option<atgen_runtime::DataPhase>) {
        let ok = m.connected(k) && !m.is_transparent(k);
        if !ok {
            m.error();
            return;
        }
        m.prompt(
            end_of(phase, false),
            Job {
                kind: JobKind::Send,
                key: k,
                hex: false,
            },
        );
    }
}

impl Dialect for Ugxx {
    fn command(&mut self, m: &mut Machine, line: &[u8]) {
        match Request::parse(line) {
            Ok(req) => self.common(m, req),
            Err(_) => m.error(),
        }
    }

    fn data(&mut self, m: &mut Machine, job: Job, data: Vec<u8>) {
        if job.kind != JobKind::Send || !m.connected(job.key) {
            m.error();
            return;
        }
        if m.send_fails() {
            m.finish("SEND FAIL");
            return;
        }
        m.send_to_peer(job.key, &data);
        m.finish("SEND OK");
    }

    fn opened(&mut self, m: &mut Machine, k: SockKey) {
        if m.socket(k)
            .is_some_and(|s| s.mode == AccessMode::Transparent)
        {
            m.finish("CONNECT");
            m.enter_transparent(k);
            return;
        }
        let urc = fam::QsslopenResult {
            client_id: id(k),
            errorcode: 0,
        };
        m.urc(|v| urc.write_to(v));
    }

    fn received(&mut self, m: &mut Machine, k: SockKey) {
        let Some(s) = m.socket_mut(k) else { return };
        if s.mode == AccessMode::DirectPush {
            loop {
                let data = m.take_rx(k, PUSH_CHUNK);
                if data.is_empty() {
                    break;
                }
                let urc = fam::RecvPush {
                    client_id: id(k),
                    currentrecvlength: u32::try_from(data.len()).unwrap_or(u32::MAX),
                    data: &data,
                };
                m.urc(|v| urc.write_to(v));
            }
        } else if !s.notified {
            s.notified = true;
            let urc = fam::Recv { client_id: id(k) };
            m.urc(|v| urc.write_to(v));
        }
    }

    fn peer_closed(&mut self, m: &mut Machine, k: SockKey) {
        let urc = fam::Closed { client_id: id(k) };
        m.urc(|v| urc.write_to(v));
    }

    fn reset(&mut self) {
        *self = Self::default();
    }

    fn injected_urc(&self, m: &Machine) -> Vec<u8> {
        let urc = fam::Recv {
            client_id: id(unused_id(m, MAX_ID)),
        };
        Machine::format(|v| urc.write_to(v))
    }
}

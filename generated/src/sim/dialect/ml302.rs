//! ML302 (`cmiot-ml302`).
//!
//! - Settings per `<ctxindex>` 0..=5 (`AT+QSSLCFG="ctxindex",<n>` lists them in one
//!   line); `ignorertctime`, `https` and `httpsctxi` are global.
//! - `AT+QSECWRITE=<crtflag>`: `>`, the data up to Ctrl+Z, then
//!   `+QSECWRITE: <size>,<xor16 checksum>` and `OK`. `AT+QSECREAD` answers
//!   `+QSECREAD: 1,<checksum>` for a stored file (`ERROR` when there is none);
//!   `AT+QSECDEL` forgets it.
//! - `AT+QSSLOPEN`: `OK`, then `+QSSLOPEN: <ssid>,0` after the handshake, or
//!   `+QSSLOPEN: <ssid>,-2` at once when the `<ssid>` is in use. `<connectmode>`=1 is
//!   answered the same way (the manual does not describe transparent data exchange).
//! - Received data is buffered: `+QSSLURC: "recv",1,<ssid>` once until the host read
//!   the buffer empty; `AT+QSSLRECV=<cid>,<ssid>,<len>` answers
//!   `+QSSLRECV: <host>:<port>,TCP,<n>` and the data, or no line when the buffer is
//!   empty, then `OK`.
//! - `AT+QSSLSEND=<ssid>`: `ERROR` unless connected; `>`, the data up to Ctrl+Z,
//!   `SEND OK` (or `SEND FAIL`).
//! - `AT+QSSLCLOSE=<ssid>`: `OK`, then `<ssid>,CLOSE OK`; `ERROR` when not open.
//! - The peer closing: `+QSSLURC: "close",<ssid>`; the socket is "REMOTE CLOSING"
//!   until `AT+QSSLCLOSE`.
//! - Errors are plain `ERROR`: the manual lists `+CME ERROR: <err>` without any code.

use atgen_runtime::wire::xor16;
use atgen_runtime::AtRequest;

use super::{end_of, id, key, unused_id, Dialect};
use crate::cmiot_ml302 as fam;
use crate::sim::machine::{Job, JobKind, Machine, SockKey};
use crate::sim::{AccessMode, SocketState};
use fam::Request;

/// `<ssid>` 0..=5.
const MAX_ID: SockKey = 5;
/// The `<cid>` the "recv" URC names (the manual's examples read with `<cid>`=1).
const CID: u8 = 1;

/// The settings of one SSL context. Defaults: the spec's (`<ciphersuite>` 0XFFFF);
/// where the manual gives none: all SSL versions, no authentication, no file names.
#[derive(Debug, Clone)]
struct Ctx {
    sslversion: fam::Sslversion,
    ciphersuite: fam::CipherSuite,
    seclevel: fam::Seclevel,
    cacert: String,
    clientcert: String,
    clientkey: String,
}

impl Default for Ctx {
    fn default() -> Self {
        Ctx {
            sslversion: fam::Sslversion::All,
            ciphersuite: fam::CipherSuite::All,
            seclevel: fam::Seclevel::NoAuthentication,
            cacert: String::new(),
            clientcert: String::new(),
            clientkey: String::new(),
        }
    }
}

/// The ML302 dialect.
#[derive(Debug)]
pub(crate) struct Ml302 {
    ctx: [Ctx; 6],
    ignorertctime: fam::Ignorertctime,
    https: fam::Httpsenable,
    httpsctxi: u8,
    /// Stored security files by `<crtflag>`.
    files: [Option<Vec<u8>>; 3],
}

impl Default for Ml302 {
    fn default() -> Self {
        Ml302 {
            ctx: Default::default(),
            ignorertctime: fam::Ignorertctime::Ignore,
            https: fam::Httpsenable::Disable,
            httpsctxi: 0,
            files: [None, None, None],
        }
    }
}

fn crt(flag: fam::Crtflag) -> usize {
    match flag {
        fam::Crtflag::CaCert => 0,
        fam::Crtflag::ClientCert => 1,
        fam::Crtflag::ClientKey => 2,
    }
}

fn status(s: Option<SocketState>) -> fam::Socketstatus {
    match s {
        None | Some(SocketState::Initial) => fam::Socketstatus::Initial,
        Some(SocketState::Opening) => fam::Socketstatus::Connecting,
        Some(SocketState::Connected) => fam::Socketstatus::Connected,
        Some(SocketState::Closing) => fam::Socketstatus::RemoteClosing,
    }
}

/// Sets a per-context value.
macro_rules! set {
    ($self:ident, $m:ident, $r:ident . $val:ident => $field:ident) => {
        match $self.ctx.get_mut(usize::from($r.ctxindex)) {
            Some(c) => {
                c.$field = $r.$val.to_owned();
                $m.ok()
            }
            None => $m.error(),
        }
    };
}

/// Answers a query by omission (`$conv` turns the stored value into the field).
macro_rules! get {
    ($self:ident, $m:ident, $q:ident => $Resp:ident { $val:ident : $field:ident $(. $conv:ident ())? }) => {
        match $self.ctx.get(usize::from($q.ctxindex)) {
            Some(c) => {
                let line = fam::$Resp {
                    $val: c.$field $(. $conv ())?,
                };
                $m.answer(|v| line.write_to(v))
            }
            None => $m.error(),
        }
    };
}

impl Dialect for Ml302 {
    fn command(&mut self, m: &mut Machine, line: &[u8]) {
        let Ok(req) = Request::parse(line) else {
            m.error();
            return;
        };
        match req {
            Request::QsslcfgTest(_) => {
                m.answer(|v| fam::QsslcfgTestResponse::SUPPORTED.write_to(v));
            }
            Request::QsslcfgCtxindex(r) => match self.ctx.get(usize::from(r.ctxindex)) {
                Some(c) => {
                    let line = fam::QsslcfgCtxindexResponse {
                        ctxindex: r.ctxindex,
                        sslversion: c.sslversion,
                        seclevel: c.seclevel,
                        ciphersuite: c.ciphersuite,
                        cacertname: &c.cacert,
                        clientcertname: &c.clientcert,
                        clientkeyname: &c.clientkey,
                    };
                    m.answer(|v| line.write_to(v));
                }
                None => m.error(),
            },
            Request::QsslcfgSslversion(r) => set!(self, m, r.sslversion => sslversion),
            Request::QsslcfgSslversionQuery(q) => {
                get!(self, m, q => QsslcfgSslversionQueryResponse { sslversion: sslversion })
            }
            Request::QsslcfgCiphersuite(r) => set!(self, m, r.ciphersuite => ciphersuite),
            Request::QsslcfgCiphersuiteQuery(q) => {
                get!(self, m, q => QsslcfgCiphersuiteQueryResponse { ciphersuite: ciphersuite })
            }
            Request::QsslcfgSeclevel(r) => set!(self, m, r.seclevel => seclevel),
            Request::QsslcfgSeclevelQuery(q) => {
                get!(self, m, q => QsslcfgSeclevelQueryResponse { seclevel: seclevel })
            }
            Request::QsslcfgCacert(r) => set!(self, m, r.cacertname => cacert),
            Request::QsslcfgCacertQuery(q) => {
                get!(self, m, q => QsslcfgCacertQueryResponse { cacertname: cacert.as_str() })
            }
            Request::QsslcfgClientcert(r) => set!(self, m, r.clientcertname => clientcert),
            Request::QsslcfgClientcertQuery(q) => {
                get!(self, m, q => QsslcfgClientcertQueryResponse { clientcertname: clientcert.as_str() })
            }
            Request::QsslcfgClientkey(r) => set!(self, m, r.clientkeyname => clientkey),
            Request::QsslcfgClientkeyQuery(q) => {
                get!(self, m, q => QsslcfgClientkeyQueryResponse { clientkeyname: clientkey.as_str() })
            }
            Request::QsslcfgIgnorertctime(r) => {
                self.ignorertctime = r.ignorertctime;
                m.ok();
            }
            Request::QsslcfgIgnorertctimeQuery(_) => {
                let line = fam::QsslcfgIgnorertctimeQueryResponse {
                    ignorertctime: self.ignorertctime,
                };
                m.answer(|v| line.write_to(v));
            }
            Request::QsslcfgHttps(r) => {
                self.https = r.httpsenable;
                m.ok();
            }
            Request::QsslcfgHttpsQuery(_) => {
                let line = fam::QsslcfgHttpsQueryResponse {
                    httpsenable: self.https,
                };
                m.answer(|v| line.write_to(v));
            }
            Request::QsslcfgHttpsctxi(r) => {
                self.httpsctxi = r.httpsctxindex;
                m.ok();
            }
            Request::QsslcfgHttpsctxiQuery(_) => {
                let line = fam::QsslcfgHttpsctxiQueryResponse {
                    httpsctxindex: self.httpsctxi,
                };
                m.answer(|v| line.write_to(v));
            }
            Request::QsecwriteTest(_) => {
                m.answer(|v| fam::QsecwriteTestResponse::SUPPORTED.write_to(v));
            }
            Request::Qsecwrite(r) => m.prompt(
                end_of(r.data_phase(), false),
                Job {
                    kind: JobKind::Upload(crt(r.crtflag) as u8),
                    key: 0,
                    hex: false,
                },
            ),
            Request::QsecreadTest(_) => {
                m.answer(|v| fam::QsecreadTestResponse::SUPPORTED.write_to(v));
            }
            Request::Qsecread(r) => match self.files.get(crt(r.crtflag)).and_then(Option::as_ref) {
                Some(file) => {
                    let line = fam::QsecreadResponse {
                        good: fam::Good::Correct,
                        checksum: xor16(file),
                    };
                    m.answer(|v| line.write_to(v));
                }
                None => m.error(),
            },
            Request::QsecdelTest(_) => {
                m.answer(|v| fam::QsecdelTestResponse::SUPPORTED.write_to(v));
            }
            Request::Qsecdel(r) => {
                if let Some(f) = self.files.get_mut(crt(r.crtflag)) {
                    *f = None;
                }
                m.ok();
            }
            Request::QsslopenTest(_) => {
                let l = fam::QsslopenTestLine1 {
                    ssid: 0,
                    ctxindex: 0,
                    ipaddr_domainname: "<ipaddr/domainname>",
                    port: 443,
                    connectmode: fam::Connectmode::NonTransparent,
                    timeout: Some(90),
                };
                m.answer(|v| l.write_to(v));
            }
            Request::QsslopenRead(_)
            | Request::QsslcloseRead(_)
            | Request::QsslsendRead(_)
            | Request::QsslrecvRead(_)
            | Request::QsslstateTest(_)
            | Request::QsslstateRead(_) => m.ok(),
            Request::Qsslopen(r) => {
                m.ok();
                if m.socket(key(r.ssid)).is_some() {
                    let urc = fam::QsslopenResult {
                        ssid: r.ssid,
                        connectcode: fam::ConnectCode::SocketInUse,
                    };
                    m.urc(|v| urc.write_to(v));
                    return;
                }
                m.open(
                    key(r.ssid),
                    r.ctxindex,
                    0,
                    r.ipaddr_domainname,
                    r.port,
                    AccessMode::Buffer,
                );
            }
            Request::QsslcloseTest(_) => {
                m.answer(|v| fam::QsslcloseTestResponse::SUPPORTED.write_to(v));
            }
            Request::Qsslclose(r) => {
                if m.remove(key(r.ssid)).is_none() {
                    m.error();
                    return;
                }
                m.ok();
                let urc = fam::QsslcloseResult { ssid: r.ssid };
                m.urc(|v| urc.write_to(v));
            }
            Request::QsslsendTest(_) => {
                m.answer(|v| fam::QsslsendTestResponse::SUPPORTED.write_to(v));
            }
            Request::Qsslsend(r) => {
                if !m.connected(key(r.ssid)) {
                    m.error();
                    return;
                }
                m.prompt(
                    end_of(r.data_phase(), false),
                    Job {
                        kind: JobKind::Send,
                        key: key(r.ssid),
                        hex: false,
                    },
                );
            }
            Request::QsslrecvTest(_) => {
                m.answer(|v| fam::QsslrecvTestResponse::SUPPORTED.write_to(v));
            }
            Request::Qsslrecv(r) => {
                let k = key(r.ssid);
                let Some(s) = m.socket(k) else {
                    m.error();
                    return;
                };
                if !matches!(s.state, SocketState::Connected | SocketState::Closing) {
                    m.error();
                    return;
                }
                let (host, port) = (s.host.clone(), s.port);
                let data = m.take_rx(k, usize::from(r.length));
                if data.is_empty() {
                    if let Some(s) = m.socket_mut(k) {
                        s.notified = false;
                    }
                } else {
                    let line = fam::QsslrecvLine1 {
                        ipaddr: &host,
                        port,
                        actuallength: u32::try_from(data.len()).unwrap_or(u32::MAX),
                        data: &data,
                    };
                    m.info(|v| line.write_to(v));
                }
                m.ok();
            }
            Request::QsslstateExec(_) => {
                for ssid in 0..=MAX_ID {
                    let s = m.socket(ssid);
                    let line = fam::QsslstateExecLine2 {
                        socketindex: id(ssid),
                        connectiontype: fam::Connectiontype::Tcp,
                        ipadd: s.map_or("", |s| s.host.as_str()),
                        port: s.map_or(0, |s| s.port),
                        socketstatus: status(s.map(|s| s.state)),
                        sslconnectionflag: fam::Sslconnectionflag::Ssl,
                    };
                    let bytes = Machine::format(|v| line.write_to(v));
                    m.info_raw(bytes);
                }
                m.ok();
            }
        }
    }

    fn data(&mut self, m: &mut Machine, job: Job, data: Vec<u8>) {
        match job.kind {
            JobKind::Upload(which) => {
                let line = fam::QsecwriteResponse {
                    uploadsize: u32::try_from(data.len()).unwrap_or(u32::MAX),
                    checksum: xor16(&data),
                };
                m.info(|v| line.write_to(v));
                if let Some(f) = self.files.get_mut(usize::from(which)) {
                    *f = Some(data);
                }
                m.ok();
            }
            JobKind::Send => {
                if !m.connected(job.key) {
                    m.error();
                } else if m.send_fails() {
                    m.finish("SEND FAIL");
                } else {
                    m.send_to_peer(job.key, &data);
                    m.finish("SEND OK");
                }
            }
        }
    }

    fn opened(&mut self, m: &mut Machine, k: SockKey) {
        let urc = fam::QsslopenResult {
            ssid: id(k),
            connectcode: fam::ConnectCode::Success,
        };
        m.urc(|v| urc.write_to(v));
    }

    fn received(&mut self, m: &mut Machine, k: SockKey) {
        let Some(s) = m.socket_mut(k) else { return };
        if !s.notified {
            s.notified = true;
            let urc = fam::Recv {
                cid: CID,
                ssid: id(k),
            };
            m.urc(|v| urc.write_to(v));
        }
    }

    fn peer_closed(&mut self, m: &mut Machine, k: SockKey) {
        let urc = fam::Closed { ssid: id(k) };
        m.urc(|v| urc.write_to(v));
    }

    fn reset(&mut self) {
        // Security files are stored in flash (the manual: stored encrypted); they survive.
        let files = std::mem::take(&mut self.files);
        *self = Self::default();
        self.files = files;
    }

    fn injected_urc(&self, m: &Machine) -> Vec<u8> {
        let urc = fam::Recv {
            cid: CID,
            ssid: id(unused_id(m, MAX_ID)),
        };
        Machine::format(|v| urc.write_to(v))
    }
}

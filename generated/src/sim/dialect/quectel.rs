//! The Quectel SSL dialect of EC2x, EC200x and UGxx: the manuals describe the same
//! commands and differ only in parameter names, so one implementation is stamped
//! out for each generated module, the names passed in.
//!
//! Behaviour (the LTE manuals, sections 2.2 and 2.3; UGxx alike):
//! - `AT+QSSLCFG=...`: per `<SSL_ctxID>` (0..=5) settings; a write without the value
//!   is a query and answers with the stored value (power-on defaults from the spec
//!   where it gives one).
//! - `AT+QSSLOPEN`: a `<clientID>` already in use answers `OK` then
//!   `+QSSLOPEN: <id>,563` (buffer/push) or `ERROR` (transparent); otherwise `OK`,
//!   then `+QSSLOPEN: <id>,0` after the simulated handshake, or `CONNECT` after it in
//!   transparent mode.
//! - Buffer mode: `+QSSLURC: "recv",<id>` once, then nothing more until the host has
//!   read the buffer empty (`+QSSLRECV: 0`). Direct push: `+QSSLURC: "recv",<id>,<len>`
//!   plus the data, at most 1500 bytes per URC.
//! - `AT+QSSLSEND`: `ERROR` unless connected (and not in push... any mode but an
//!   active transparent link); `>`, then the data (Ctrl+Z or exactly `<sendlen>`, at
//!   most 1460 bytes), `SEND OK`.
//! - `AT+QSSLRECV`: `ERROR` for an unknown or not yet connected socket, or one in
//!   direct push mode; otherwise `+QSSLRECV: <n>` and the data, `OK`.
//! - `AT+QSSLCLOSE`: `OK` (also for an unknown id); the socket is gone.
//! - The peer closing: `+QSSLURC: "closed",<id>`, the socket is `Closing` until
//!   `AT+QSSLCLOSE`; buffered data stays readable.

/// Sets a per-context value: `set!(id_field: self, m, r.field => ctx_field)`.
macro_rules! set {
    ($id:ident: $self:ident, $m:ident, $r:ident . $val:ident => $field:ident) => {
        match $self.ctx.get_mut(usize::from($r.$id)) {
            Some(c) => {
                c.$field = $r.$val.to_owned();
                $m.ok()
            }
            None => $m.error(),
        }
    };
}

/// Answers a query by omission, repeating the context id:
/// `get!(id_field: self, m, q => Response { field: ctx_field })` (`ctx_field.as_str()`
/// for strings).
macro_rules! get {
    ($id:ident: $self:ident, $m:ident, $q:ident => $Resp:ident {
        $($val:ident : $field:ident $(. $conv:ident ())?),+
    }) => {
        match $self.ctx.get(usize::from($q.$id)) {
            Some(c) => {
                let line = fam::$Resp {
                    $id: $q.$id,
                    $($val: c.$field $(. $conv ())?,)+
                };
                $m.answer(|v| line.write_to(v))
            }
            None => $m.error(),
        }
    };
}

/// Writes the Quectel dialect for the generated module `$fam` into the type
/// `$Name`, which implements `extra` (the family's other commands; `false` for
/// anything else). The rest of the input names the family's parameters and types;
/// `ctx` adds per-context settings (name, type, default). Test commands answer
/// with the spec's ranges (`SUPPORTED`).
macro_rules! quectel_dialect {
    (
        $(#[$doc:meta])*
        $Name:ident, $fam:ident {
            pdp: $pdp:ident,
            ssl: $ssl:ident,
            pdp_range: $pdp_range:literal,
            cacert: $cacert:ident,
            ignore_ltime: $ignore_ltime:ident = $IgnoreLtime:ident::$ignore_default:ident,
            negotiate: $negotiate:ident,
            have_readlen: $have_readlen:ident,
            push_len: $push_len:ident,
            open_result: $err:ident { ok: $ok:expr, in_use: $in_use:expr $(,)? },
            state: $StateExec:ident ($port:ty, $local_port:ty), $StateOne:ident,
            ctx: { $($xf:ident: $xt:ty = $xd:expr),* $(,)? } $(,)?
        }
    ) => {
        use crate::$fam as fam;
        use crate::sim::dialect::{end_of, id, key, unused_id, Dialect};
        use crate::sim::machine::{Job, JobKind, Machine, SockKey};
        use crate::sim::{AccessMode, SocketState};
        use atgen_runtime::AtRequest;
        use fam::Request;

        /// Client ids 0..=11.
        const MAX_ID: SockKey = 11;
        /// Largest push URC payload.
        const PUSH_CHUNK: usize = 1500;
        /// What `<AT_port>` reads in `+QSSLSTATE`.
        const AT_PORT: &str = "uart1";

        /// The settings of one SSL context. Defaults: the spec's (`<cipher_suites>`
        /// 0XFFFF, `<negotiate_time>` 300 s); where the manual gives none: all SSL
        /// versions, no authentication, local time ignored, everything else off or
        /// 0, paths empty.
        #[derive(Debug, Clone)]
        struct Ctx {
            sslversion: fam::SslVersion,
            ciphersuite: fam::CipherSuite,
            cacert: String,
            clientcert: String,
            clientkey: String,
            seclevel: fam::Seclevel,
            ignorelocaltime: fam::$IgnoreLtime,
            negotiatetime: u16,
            $($xf: $xt,)*
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
                    ignorelocaltime: fam::$IgnoreLtime::$ignore_default,
                    negotiatetime: 300,
                    $($xf: $xd,)*
                }
            }
        }

        $(#[$doc])*
        #[derive(Debug, Default)]
        pub(crate) struct $Name {
            ctx: [Ctx; 6],
        }

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

        impl $Name {
            fn state_line(s: &crate::sim::machine::Socket) -> fam::$StateExec<'_> {
                fam::$StateExec {
                    client_id: id(s.key),
                    ip_address: &s.host,
                    remote_port: <$port>::try_from(s.port).unwrap_or(<$port>::MAX),
                    local_port: <$local_port>::from(s.local_port),
                    socket_state: state(s.state),
                    $pdp: s.pdp,
                    server_id: 0,
                    access_mode: access(s.mode),
                    at_port: AT_PORT,
                    $ssl: s.ctx,
                }
            }

            fn common(&mut self, m: &mut Machine, req: Request<'_>) {
                match req {
                    Request::QsslcfgTest(_) => {
                        m.answer(|v| fam::QsslcfgTestResponse::SUPPORTED.write_to(v));
                    }
                    Request::QsslcfgSslversion(r) => set!($ssl: self, m, r.ssl_version => sslversion),
                    Request::QsslcfgSslversionQuery(q) => {
                        get!($ssl: self, m, q => QsslcfgSslversionQueryResponse { ssl_version: sslversion })
                    }
                    Request::QsslcfgCiphersuite(r) => set!($ssl: self, m, r.cipher_suites => ciphersuite),
                    Request::QsslcfgCiphersuiteQuery(q) => {
                        get!($ssl: self, m, q => QsslcfgCiphersuiteQueryResponse { cipher_suites: ciphersuite })
                    }
                    Request::QsslcfgCacert(r) => set!($ssl: self, m, r.$cacert => cacert),
                    Request::QsslcfgCacertQuery(q) => {
                        get!($ssl: self, m, q => QsslcfgCacertQueryResponse { $cacert: cacert.as_str() })
                    }
                    Request::QsslcfgClientcert(r) => set!($ssl: self, m, r.client_cert_path => clientcert),
                    Request::QsslcfgClientcertQuery(q) => get!($ssl: self, m, q =>
                        QsslcfgClientcertQueryResponse { client_cert_path: clientcert.as_str() }),
                    Request::QsslcfgClientkey(r) => set!($ssl: self, m, r.client_key_path => clientkey),
                    Request::QsslcfgClientkeyQuery(q) => get!($ssl: self, m, q =>
                        QsslcfgClientkeyQueryResponse { client_key_path: clientkey.as_str() }),
                    Request::QsslcfgSeclevel(r) => set!($ssl: self, m, r.seclevel => seclevel),
                    Request::QsslcfgSeclevelQuery(q) => {
                        get!($ssl: self, m, q => QsslcfgSeclevelQueryResponse { seclevel: seclevel })
                    }
                    Request::QsslcfgIgnorelocaltime(r) => set!($ssl: self, m, r.$ignore_ltime => ignorelocaltime),
                    Request::QsslcfgIgnorelocaltimeQuery(q) => get!($ssl: self, m, q =>
                        QsslcfgIgnorelocaltimeQueryResponse { $ignore_ltime: ignorelocaltime }),
                    Request::QsslcfgNegotiatetime(r) => set!($ssl: self, m, r.$negotiate => negotiatetime),
                    Request::QsslcfgNegotiatetimeQuery(q) => get!($ssl: self, m, q =>
                        QsslcfgNegotiatetimeQueryResponse { $negotiate: negotiatetime }),

                    Request::QsslopenTest(_) => {
                        let line = fam::QsslopenTestLine1 {
                            $pdp: $pdp_range,
                            $ssl: "0-5",
                            client_id: "0-11",
                            serveraddr: "ADDRESS",
                            server_port: 65535,
                            access_mode: Some("0-2"),
                        };
                        m.answer(|v| line.write_to(v));
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
                                    $err: $in_use,
                                };
                                m.urc(|v| urc.write_to(v));
                            }
                            return;
                        }
                        m.open(k, r.$ssl, r.$pdp, r.serveraddr, r.server_port, mode);
                        if mode != AccessMode::Transparent {
                            m.ok();
                        }
                    }
                    Request::QsslsendTest(_) => {
                        m.answer(|v| fam::QsslsendTestResponse::SUPPORTED.write_to(v));
                    }
                    Request::Qsslsend(r) => self.send(m, key(r.client_id), r.data_phase()),
                    Request::QsslsendFixedLength(r) => self.send(m, key(r.client_id), r.data_phase()),
                    Request::QsslrecvTest(_) => {
                        m.answer(|v| fam::QsslrecvTestResponse::SUPPORTED.write_to(v));
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
                            $have_readlen: u32::try_from(data.len()).unwrap_or(u32::MAX),
                            data: &data,
                        };
                        m.answer(|v| line.write_to(v));
                    }
                    Request::QsslcloseTest(_) => {
                        m.answer(|v| fam::QsslcloseTestResponse::SUPPORTED.write_to(v));
                    }
                    Request::Qsslclose(r) => {
                        m.remove(key(r.client_id));
                        m.ok();
                    }
                    Request::QsslstateTest(_) => m.ok(),
                    Request::Qsslstate(r) => {
                        if let Some(s) = m.socket(key(r.client_id)) {
                            let l = Self::state_line(s);
                            let line = fam::$StateOne {
                                client_id: l.client_id,
                                ip_address: l.ip_address,
                                remote_port: l.remote_port,
                                local_port: l.local_port,
                                socket_state: l.socket_state,
                                $pdp: l.$pdp,
                                server_id: l.server_id,
                                access_mode: l.access_mode,
                                at_port: l.at_port,
                                $ssl: l.$ssl,
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
                    #[allow(unreachable_patterns)]
                    other => {
                        if !self.extra(m, other) {
                            m.error();
                        }
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

        impl Dialect for $Name {
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
                if m.socket(k).is_some_and(|s| s.mode == AccessMode::Transparent) {
                    m.finish("CONNECT");
                    m.enter_transparent(k);
                    return;
                }
                let urc = fam::QsslopenResult {
                    client_id: id(k),
                    $err: $ok,
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
                            $push_len: u32::try_from(data.len()).unwrap_or(u32::MAX),
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
    };
}

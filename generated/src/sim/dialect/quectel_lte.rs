//! The Quectel LTE Standard dialect (EC2x family and EC200x family): the two
//! manuals describe the same SSL commands with the same parameter names, so one
//! implementation is stamped out for each generated module.
//!
//! Behaviour (both manuals, sections 2.2 and 2.3):
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

/// Sets a per-context value: `set!(self, m, r.field => ctx_field)`.
macro_rules! set {
    ($self:ident, $m:ident, $r:ident . $val:ident => $field:ident) => {
        match $self.ctx.get_mut(usize::from($r.ssl_ctx_id)) {
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
        match $self.ctx.get(usize::from($q.ssl_ctx_id)) {
            Some(c) => {
                let line = fam::$Resp {
                    ssl_ctx_id: $q.ssl_ctx_id,
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
        match $self.ctx.get(usize::from($q.ssl_ctx_id)) {
            Some(c) => {
                let line = fam::$Resp {
                    ssl_ctx_id: $q.ssl_ctx_id,
                    $($val: c.$field.as_str(),)+
                };
                $m.info(|v| line.write_to(v));
                $m.ok()
            }
            None => $m.error(),
        }
    };
}

/// Writes the shared Quectel LTE dialect for the generated module `$fam` into the
/// type `$Name`, which has `ctx: [Ctx; 6]` and implements `cfg_test` and `extra`.
macro_rules! quectel_lte_dialect {
    ($fam:ident, $Name:ident) => {
        use crate::$fam as fam;
        use crate::sim::dialect::{end_of, unused_id, Dialect};
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

        impl $Name {
            fn state_line(s: &crate::sim::machine::Socket) -> fam::QsslstateExecSslClient<'_> {
                fam::QsslstateExecSslClient {
                    client_id: id(s.key),
                    ip_address: &s.host,
                    remote_port: u16::try_from(s.port).unwrap_or(u16::MAX),
                    local_port: s.local_port,
                    socket_state: state(s.state),
                    pdp_ctx_id: s.pdp,
                    server_id: 0,
                    access_mode: access(s.mode),
                    at_port: AT_PORT,
                    ssl_ctx_id: s.ctx,
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
                    Request::QsslcfgCacert(r) => set!(self, m, r.cacertpath => cacert),
                    Request::QsslcfgCacertQuery(q) => {
                        get_str!(self, m, q => QsslcfgCacertQueryResponse { cacertpath: cacert })
                    }
                    Request::QsslcfgCacertex(r) => set!(self, m, r.cacertpath => cacertex),
                    Request::QsslcfgCacertexQuery2(q) => {
                        get_str!(self, m, q => QsslcfgCacertexQuery2Response { cacertpath: cacertex })
                    }
                    Request::QsslcfgCacertexQueryAll(_) => {
                        for (i, c) in self.ctx.iter().enumerate() {
                            if c.cacertex.is_empty() {
                                continue;
                            }
                            let line = fam::QsslcfgCacertexQueryAllCacertex {
                                ssl_ctx_id: u8::try_from(i).unwrap_or(0),
                                cacertpath: &c.cacertex,
                            };
                            m.info(|v| line.write_to(v));
                        }
                        m.ok();
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
                    Request::QsslcfgIgnorelocaltime(r) => set!(self, m, r.ignore_ltime => ignorelocaltime),
                    Request::QsslcfgIgnorelocaltimeQuery(q) => {
                        get!(self, m, q => QsslcfgIgnorelocaltimeQueryResponse { ignore_ltime: ignorelocaltime })
                    }
                    Request::QsslcfgNegotiatetime(r) => set!(self, m, r.negotiate_time => negotiatetime),
                    Request::QsslcfgNegotiatetimeQuery(q) => {
                        get!(self, m, q => QsslcfgNegotiatetimeQueryResponse { negotiate_time: negotiatetime })
                    }
                    Request::QsslcfgSni(r) => set!(self, m, r.sni => sni),
                    Request::QsslcfgSniQuery(q) => get!(self, m, q => QsslcfgSniQueryResponse { sni: sni }),
                    Request::QsslcfgClosetimemode(r) => set!(self, m, r.close_time_mode => closetimemode),
                    Request::QsslcfgClosetimemodeQuery(q) => {
                        get!(self, m, q => QsslcfgClosetimemodeQueryResponse { close_time_mode: closetimemode })
                    }
                    Request::QsslcfgIgnoremulticertchainverify(r) => {
                        set!(self, m, r.ignore_multicertchain_verify => ignoremulticertchainverify)
                    }
                    Request::QsslcfgIgnoremulticertchainverifyQuery(q) => get!(self, m, q =>
                        QsslcfgIgnoremulticertchainverifyQueryResponse {
                            ignore_multicertchain_verify: ignoremulticertchainverify
                        }),
                    Request::QsslcfgIgnoreinvalidcertsign(r) => {
                        set!(self, m, r.ignore_invalid_certsign => ignoreinvalidcertsign)
                    }
                    Request::QsslcfgIgnoreinvalidcertsignQuery(q) => get!(self, m, q =>
                        QsslcfgIgnoreinvalidcertsignQueryResponse {
                            ignore_invalid_certsign: ignoreinvalidcertsign
                        }),
                    Request::QsslcfgSessionCache(r) => set!(self, m, r.session_cache_enable => session_cache),
                    Request::QsslcfgSessionCacheQuery(q) => get!(self, m, q =>
                        QsslcfgSessionCacheQueryResponse { session_cache_enable: session_cache }),

                    Request::QsslopenTest(_) => {
                        let line = fam::QsslopenTestLine1 {
                            pdp_ctx_id: PDP_RANGE,
                            ssl_ctx_id: "0-5",
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
                                    err: fam::SslError::SocketIdentityHasBeenUsed,
                                };
                                m.urc(|v| urc.write_to(v));
                            }
                            return;
                        }
                        m.open(k, r.ssl_ctx_id, r.pdp_ctx_id, r.serveraddr, r.server_port, mode);
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
                            have_readlen: u32::try_from(data.len()).unwrap_or(u32::MAX),
                            data: &data,
                        };
                        m.info(|v| line.write_to(v));
                        m.ok();
                    }
                    Request::QsslcloseTest(_) => {
                        let line = fam::QsslcloseTestLine1 {
                            client_id: "0-11",
                            close_timeout: "0-65535",
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
                            let line = fam::QsslstateResponse {
                                client_id: l.client_id,
                                ip_address: l.ip_address,
                                remote_port: l.remote_port,
                                local_port: l.local_port,
                                socket_state: l.socket_state,
                                pdp_ctx_id: l.pdp_ctx_id,
                                server_id: l.server_id,
                                access_mode: l.access_mode,
                                at_port: l.at_port,
                                ssl_ctx_id: l.ssl_ctx_id,
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
                    err: fam::SslError::OperationSuccessful,
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
                            current_recvlength: u32::try_from(data.len()).unwrap_or(u32::MAX),
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

//! EC2x / EG9x / EG2x-G / EM05 (`quectel-ec2x`): the Quectel LTE dialect plus the
//! settings only this manual has (`psk`, `dtls`, `dtlsversion`, `alpn`, `renegotiation`).

quectel_lte_dialect!(quectel_ec2x, Ec2x);

/// `<PDP_ctxID>` range in the test response.
const PDP_RANGE: &str = "1-16";

/// The settings of one SSL context. Defaults: the spec's (`<cipher_suites>` 0XFFFF,
/// `<negotiate_time>` 300 s); where the manual gives none: all SSL versions, no
/// authentication, everything else off or 0, paths empty.
#[derive(Debug, Clone)]
struct Ctx {
    sslversion: fam::SslVersion,
    ciphersuite: fam::CipherSuite,
    cacert: String,
    cacertex: String,
    clientcert: String,
    clientkey: String,
    seclevel: fam::Seclevel,
    ignorelocaltime: fam::IgnoreLtime,
    negotiatetime: u16,
    sni: fam::Sni,
    closetimemode: fam::CloseTimeMode,
    ignoremulticertchainverify: fam::IgnoreMulticertchainVerify,
    ignoreinvalidcertsign: fam::IgnoreInvalidCertsign,
    session_cache: fam::SessionCacheEnable,
    psk_identity: String,
    psk_key: String,
    dtls: fam::DtlsEnable,
    dtlsversion: fam::DtlsVer,
    alpn: String,
    renegotiation: fam::RenegotiationEnable,
}

impl Default for Ctx {
    fn default() -> Self {
        Ctx {
            sslversion: fam::SslVersion::All,
            ciphersuite: fam::CipherSuite::All,
            cacert: String::new(),
            cacertex: String::new(),
            clientcert: String::new(),
            clientkey: String::new(),
            seclevel: fam::Seclevel::NoAuthentication,
            ignorelocaltime: fam::IgnoreLtime::IgnoreValidityCheck,
            negotiatetime: 300,
            sni: fam::Sni::Disable,
            closetimemode: fam::CloseTimeMode::Disable,
            ignoremulticertchainverify: fam::IgnoreMulticertchainVerify::NotIgnore,
            ignoreinvalidcertsign: fam::IgnoreInvalidCertsign::NotIgnore,
            session_cache: fam::SessionCacheEnable::Disable,
            psk_identity: String::new(),
            psk_key: String::new(),
            dtls: fam::DtlsEnable::Disable,
            dtlsversion: fam::DtlsVer::Dtls1_2,
            alpn: String::new(),
            renegotiation: fam::RenegotiationEnable::Disable,
        }
    }
}

/// The EC2x dialect: six SSL contexts, sockets in the machine.
#[derive(Debug, Default)]
pub(crate) struct Ec2x {
    ctx: [Ctx; 6],
}

impl Ec2x {
    fn cfg_test(&self, m: &mut Machine) {
        let r = fam::QsslcfgTestResponse {
            sslversion: Some(fam::QsslcfgTestSslversion {
                ssl_ctx_id: "0-5",
                ssl_version: "0-4",
            }),
            ciphersuite: Some(fam::QsslcfgTestCiphersuite {
                ssl_ctx_id: "0-5",
                cipher_suites: "0X0035,0X002F,0X0005,0X0004,0X000A,0X003D,0XC002,0XC003,0XC004,0XC005,0XC007,0XC008,0XC009,0XC00A,0XC011,0XC012,0XC013,0XC014,0XC00C,0XC00D,0XC00E,0XC00F,0XC023,0XC024,0XC025,0XC026,0XC027,0XC028,0XC029,0XC02A,0XC02F,0XC030,0XFFFF",
            }),
            cacert: Some(fam::QsslcfgTestCacert {
                ssl_ctx_id: "0-5",
                cacertpath: "<cacertpath>",
            }),
            cacertex: Some(fam::QsslcfgTestCacertex {
                ssl_ctx_id: "0-5",
                cacertpath: "<cacertpath>",
            }),
            clientcert: Some(fam::QsslcfgTestClientcert {
                ssl_ctx_id: "0-5",
                client_cert_path: "<client_cert_path>",
            }),
            clientkey: Some(fam::QsslcfgTestClientkey {
                ssl_ctx_id: "0-5",
                client_key_path: "<client_key_path>",
            }),
            seclevel: Some(fam::QsslcfgTestSeclevel {
                ssl_ctx_id: "0-5",
                seclevel: "0-2",
            }),
            ignorelocaltime: Some(fam::QsslcfgTestIgnorelocaltime {
                ssl_ctx_id: "0-5",
                ignore_ltime: "0,1",
            }),
            negotiatetime: Some(fam::QsslcfgTestNegotiatetime {
                ssl_ctx_id: "0-5",
                negotiate_time: "10-300",
            }),
            sni: Some(fam::QsslcfgTestSni {
                ssl_ctx_id: "0-5",
                sni: "0,1",
            }),
            closetimemode: Some(fam::QsslcfgTestClosetimemode {
                ssl_ctx_id: "0-5",
                close_time_mode: "0,1",
            }),
            ignoremulticertchainverify: Some(fam::QsslcfgTestIgnoremulticertchainverify {
                ssl_ctx_id: "0-5",
                ignore_multicertchain_verify: "0,1",
            }),
            ignoreinvalidcertsign: Some(fam::QsslcfgTestIgnoreinvalidcertsign {
                ssl_ctx_id: "0-5",
                ignore_invalid_certsign: "0,1",
            }),
            psk: Some(fam::QsslcfgTestPsk {
                ssl_ctx_id: "0-5",
                identity: "<identity>",
                key: "<key>",
            }),
            dtls: Some(fam::QsslcfgTestDtls {
                ssl_ctx_id: "0-5",
                dtls_enable: "0,1",
            }),
            dtlsversion: Some(fam::QsslcfgTestDtlsversion {
                ssl_ctx_id: "0-5",
                dtls_ver: "0,1",
            }),
            session_cache: Some(fam::QsslcfgTestSessionCache {
                ssl_ctx_id: "0-5",
                session_cache_enable: "0,1",
            }),
            alpn: Some(fam::QsslcfgTestAlpn {
                ssl_ctx_id: "0-5",
                alpn_name: "<ALPN_name>",
            }),
            renegotiation: Some(fam::QsslcfgTestRenegotiation {
                ssl_ctx_id: "0-5",
                renegotiation_enable: "0,1",
            }),
        };
        m.info(|v| r.write_to(v));
    }

    /// The EC2x-only settings; `false` for anything else.
    fn extra(&mut self, m: &mut Machine, req: Request<'_>) -> bool {
        match req {
            Request::QsslcfgPsk(r) => match self.ctx.get_mut(usize::from(r.ssl_ctx_id)) {
                Some(c) => {
                    c.psk_identity = r.identity.to_string();
                    c.psk_key = r.key.to_string();
                    m.ok();
                }
                None => m.error(),
            },
            Request::QsslcfgPskQuery(q) => {
                get_str!(self, m, q => QsslcfgPskQueryResponse { identity: psk_identity, key: psk_key })
            }
            Request::QsslcfgDtls(r) => set!(self, m, r.dtls_enable => dtls),
            Request::QsslcfgDtlsQuery(q) => {
                get!(self, m, q => QsslcfgDtlsQueryResponse { dtls_enable: dtls })
            }
            Request::QsslcfgDtlsversion(r) => set!(self, m, r.dtls_ver => dtlsversion),
            Request::QsslcfgDtlsversionQuery(q) => {
                get!(self, m, q => QsslcfgDtlsversionQueryResponse { dtls_ver: dtlsversion })
            }
            Request::QsslcfgAlpn(r) => set!(self, m, r.alpn_name => alpn),
            Request::QsslcfgAlpnQuery(q) => {
                get_str!(self, m, q => QsslcfgAlpnQueryResponse { alpn_name: alpn })
            }
            Request::QsslcfgRenegotiation(r) => {
                set!(self, m, r.renegotiation_enable => renegotiation)
            }
            Request::QsslcfgRenegotiationQuery(q) => get!(self, m, q =>
                QsslcfgRenegotiationQueryResponse { renegotiation_enable: renegotiation }),
            _ => return false,
        }
        true
    }
}

//! EC200x / EC600x / EG912Y (`quectel-ec200x`): the Quectel LTE dialect.

quectel_lte_dialect!(quectel_ec200x, Ec200x);

/// `<PDP_ctxID>` range in the test response.
const PDP_RANGE: &str = "1-15";

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
            ignorelocaltime: fam::IgnoreLtime::Ignore,
            negotiatetime: 300,
            sni: fam::Sni::Disable,
            closetimemode: fam::CloseTimeMode::Disable,
            ignoremulticertchainverify: fam::IgnoreMulticertchainVerify::NotIgnore,
            ignoreinvalidcertsign: fam::IgnoreInvalidCertsign::NotIgnore,
            session_cache: fam::SessionCacheEnable::Disable,
        }
    }
}

/// The EC200x dialect: six SSL contexts, sockets in the machine.
#[derive(Debug, Default)]
pub(crate) struct Ec200x {
    ctx: [Ctx; 6],
}

impl Ec200x {
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
            session_cache: Some(fam::QsslcfgTestSessionCache {
                ssl_ctx_id: "0-5",
                session_cache_enable: "0,1",
            }),
        };
        m.info(|v| r.write_to(v));
    }

    /// Every command is common to the Quectel LTE dialect.
    fn extra(&mut self, _m: &mut Machine, _req: Request<'_>) -> bool {
        false
    }
}

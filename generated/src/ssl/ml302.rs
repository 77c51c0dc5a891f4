//! ML302 (`cmiot-ml302`): `<ssid>` and `<ctxindex>`, certificates written with
//! QSECWRITE (XOR-16 checksum verified by the link), QSSLSEND ended by Ctrl+Z
//! (`SEND OK`), QSSLRECV=<cid>,<ssid>,<len> answering
//! `+QSSLRECV: <ip>:<port>,TCP,<len>\r\n<data>`, QSSLCLOSE answering `OK` then
//! `<ssid>,CLOSE OK`.

use atgen_runtime::link::{Clock, Link, Transport, UrcFrame};
use atgen_runtime::socket::{
    check, run, Capabilities, CertKind, Dialect, SocketError, SslConfig, UrcEvent,
};

use super::{apply, configure_and_open, pick, unsupported, NoLink, SslFamily, MAX_SEND};
use crate::cmiot_ml302 as m;

const CTRL_Z: u8 = 0x1A;
const ESC: u8 = 0x1B;
/// `<length>` of QSSLRECV: 1..=1460.
const MAX_RECV: u16 = 1460;

/// The `cmiot-ml302` dialect. [`SslConfig::client`] is the `<ssid>`,
/// [`SslConfig::ssl_ctx`] the `<ctxindex>`, [`SslConfig::pdp_ctx`] the `<cid>`
/// of QSSLRECV (0..=1); [`SslConfig::negotiate_time`] is QSSLOPEN's `<timeout>`.
///
/// ML302 sends end with Ctrl+Z, so data containing Ctrl+Z (0x1A) or ESC
/// (0x1B) cannot be sent: [`SslSocket::write`] refuses it before sending
/// anything. Its manual states no send limit; sends are split at 1460 bytes.
///
/// [`SslSocket::write`]: atgen_runtime::socket::SslSocket::write
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ml302;

impl SslFamily for m::Family {
    type Dialect = Ml302;
}

/// The manual's file names for what QSECWRITE stores (2.1, remark).
fn default_path(kind: CertKind) -> &'static str {
    match kind {
        CertKind::CaCert => "/caCrt.pem",
        CertKind::ClientCert => "/clientCrt.pem",
        CertKind::ClientKey => "/privateKey.pem",
    }
}

fn crtflag(kind: CertKind) -> m::Crtflag {
    match kind {
        CertKind::CaCert => m::Crtflag::CaCert,
        CertKind::ClientCert => m::Crtflag::ClientCert,
        CertKind::ClientKey => m::Crtflag::ClientKey,
    }
}

impl Ml302 {
    fn settings<T: Transport, C: Clock>(
        config: &SslConfig,
        mut link: Option<&mut Link<T, m::Family, C>>,
    ) -> Result<(), SocketError> {
        let cap = config.timeout;
        let ctxindex = config.ssl_ctx;
        if config.psk.is_some() {
            return Err(unsupported(
                m::FAMILY,
                "a pre-shared key (PSK)",
                "the manual has no PSK setting; use certificates",
            ));
        }
        if let Some(v) = config.ssl_version {
            let sslversion = pick(
                m::FAMILY,
                "this SSL version",
                m::Sslversion::from_value,
                v.value(),
            )?;
            apply!(
                link,
                cap,
                m::QsslcfgSslversion {
                    ctxindex,
                    sslversion
                }
            );
        }
        if let Some(v) = config.seclevel {
            let seclevel = pick(
                m::FAMILY,
                "this seclevel",
                m::Seclevel::from_value,
                v.value(),
            )?;
            apply!(link, cap, m::QsslcfgSeclevel { ctxindex, seclevel });
        }
        if let Some(v) = config.cipher_suite {
            let ciphersuite = pick(
                m::FAMILY,
                "this cipher suite",
                m::CipherSuite::from_value,
                i64::from(v),
            )?;
            apply!(
                link,
                cap,
                m::QsslcfgCiphersuite {
                    ctxindex,
                    ciphersuite
                }
            );
        }
        for kind in [CertKind::CaCert, CertKind::ClientCert, CertKind::ClientKey] {
            if let Some(path) = config.cert_path(kind) {
                Self::use_file(link.as_deref_mut(), config, kind, path)?;
            }
        }
        Ok(())
    }

    /// Points the context at a certificate or key file (QSSLCFG "cacert", …).
    fn use_file<T: Transport, C: Clock>(
        mut link: Option<&mut Link<T, m::Family, C>>,
        config: &SslConfig,
        kind: CertKind,
        path: &str,
    ) -> Result<(), SocketError> {
        let (cap, ctxindex) = (config.timeout, config.ssl_ctx);
        match kind {
            CertKind::CaCert => apply!(
                link,
                cap,
                m::QsslcfgCacert {
                    ctxindex,
                    cacertname: path
                }
            ),
            CertKind::ClientCert => {
                apply!(
                    link,
                    cap,
                    m::QsslcfgClientcert {
                        ctxindex,
                        clientcertname: path
                    }
                )
            }
            CertKind::ClientKey => {
                apply!(
                    link,
                    cap,
                    m::QsslcfgClientkey {
                        ctxindex,
                        clientkeyname: path
                    }
                )
            }
        }
        Ok(())
    }

    fn open_request<'h>(&self, config: &SslConfig, host: &'h str, port: u16) -> m::Qsslopen<'h> {
        m::Qsslopen {
            ssid: config.client,
            ctxindex: config.ssl_ctx,
            ipaddr_domainname: host,
            port: u32::from(port),
            connectmode: m::Connectmode::NonTransparent,
            timeout: config.negotiate_time,
        }
    }

    fn recv_request(config: &SslConfig, max: usize) -> m::Qsslrecv {
        let length = u16::try_from(max)
            .unwrap_or(u16::MAX)
            .min(config.recv_chunk)
            .clamp(1, MAX_RECV);
        m::Qsslrecv {
            cid: config.pdp_ctx,
            ssid: config.client,
            length,
        }
    }
}

impl Dialect for Ml302 {
    type Family = m::Family;

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            buffer_mode: true,
            push_mode: false,
            fixed_length_send: false,
            cert_upload: true,
            psk: false,
        }
    }

    fn check(&self, config: &SslConfig, host: &str, port: u16) -> Result<(), SocketError> {
        Self::settings(config, None::<&mut NoLink<m::Family>>)?;
        check(&self.open_request(config, host, port))?;
        check(&Self::recv_request(config, usize::from(config.recv_chunk)))?;
        check(&m::Qsslclose {
            ssid: config.client,
            closetype: None,
        })
    }

    fn max_chunk(&self, _config: &SslConfig) -> usize {
        MAX_SEND
    }

    fn check_payload(&self, _config: &SslConfig, data: &[u8]) -> Result<(), SocketError> {
        match data.iter().position(|&b| b == CTRL_Z || b == ESC) {
            Some(index) => Err(SocketError::Unsendable {
                family: m::FAMILY,
                command: "QSSLSEND",
                byte: data.get(index).copied().unwrap_or(CTRL_Z),
                index,
                why: "ML302 data ends with Ctrl+Z (0x1A) and ESC (0x1B) cancels it, so neither can be part of the data; encode binary data (base64, hex) first",
            }),
            None => Ok(()),
        }
    }

    configure_and_open!();

    /// `AT+QSECDEL=<crtflag>` (the manual: delete before writing; an error
    /// because nothing was stored is ignored), `AT+QSECWRITE=<crtflag>`, `>`, the
    /// data and Ctrl+Z; the link checks `+QSECWRITE: <size>,<xor16>` against the
    /// data. Then the context is pointed at the stored file (QSSLCFG, the path
    /// in the configuration or the manual's default name).
    fn upload<T: Transport, C: Clock>(
        &self,
        link: &mut Link<T, m::Family, C>,
        config: &SslConfig,
        kind: CertKind,
        data: &[u8],
    ) -> Result<(), SocketError> {
        let cap = config.timeout;
        let flag = crtflag(kind);
        match run(link, &m::Qsecdel { crtflag: flag }, None, cap) {
            Ok(_) | Err(SocketError::Error { .. }) | Err(SocketError::Module { .. }) => {}
            Err(e) => return Err(e),
        }
        run(link, &m::Qsecwrite { crtflag: flag }, Some(data), cap)?;
        let path = config.cert_path(kind).unwrap_or(default_path(kind));
        Self::use_file(Some(link), config, kind, path)
    }

    fn send<T: Transport, C: Clock>(
        &self,
        link: &mut Link<T, m::Family, C>,
        config: &SslConfig,
        chunk: &[u8],
    ) -> Result<(), SocketError> {
        self.check_payload(config, chunk)?;
        run(
            link,
            &m::Qsslsend {
                ssid: config.client,
            },
            Some(chunk),
            config.timeout,
        )?;
        Ok(())
    }

    fn recv<T: Transport, C: Clock>(
        &self,
        link: &mut Link<T, m::Family, C>,
        config: &SslConfig,
        max: usize,
    ) -> Result<Vec<u8>, SocketError> {
        let reply = run(link, &Self::recv_request(config, max), None, config.timeout)?;
        let response = reply.response().map_err(|e| SocketError::Protocol {
            family: m::FAMILY,
            command: "QSSLRECV".to_string(),
            got: e.to_string(),
            expected: "+QSSLRECV: <ip>:<port>,TCP,<len> and the data, or nothing",
        })?;
        Ok(response.line1.map(|l| l.data.to_vec()).unwrap_or_default())
    }

    fn classify(&self, config: &SslConfig, frame: &UrcFrame) -> UrcEvent {
        match frame.parse::<m::Family>() {
            Some(Ok(m::Urc::Recv(u))) if u.ssid == config.client => UrcEvent::DataReady,
            Some(Ok(m::Urc::Closed(u))) if u.ssid == config.client => UrcEvent::Closed,
            _ => UrcEvent::Other,
        }
    }

    fn close<T: Transport, C: Clock>(
        &self,
        link: &mut Link<T, m::Family, C>,
        config: &SslConfig,
        _peer_closed: bool,
    ) -> Result<(), SocketError> {
        // OK, then `<ssid>,CLOSE OK`.
        run(
            link,
            &m::Qsslclose {
                ssid: config.client,
                closetype: None,
            },
            None,
            config.timeout,
        )?;
        Ok(())
    }
}

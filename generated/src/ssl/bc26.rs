//! BC26 / BC20 (`quectel-bc26`): `<contextID>,<connectID>` everywhere, data
//! pushed inline in `+QSSLURC: "recv",<contextID>,<connectID>,<len>,"<data>"`,
//! QSSLSEND and QSSLCLOSE completed by result URCs (`+QSSLSEND: 1,5,0`),
//! certificates uploaded in QSSLCFG data mode with a byte-count check.

use atgen_runtime::link::{Clock, Link, Transport, UrcFrame};
use atgen_runtime::socket::{
    check, run, Capabilities, CertKind, Dialect, SocketError, SslConfig, UrcEvent,
};
use atgen_runtime::Payload;

use super::{apply, configure_and_open, len_u16, pick, unsupported, NoLink, SslFamily, MAX_SEND};
use crate::quectel_bc26 as m;

/// The largest send in hex format (`<send_length>` 1..=730 while `<send_data_format>`=1).
const MAX_SEND_HEX: usize = 730;

/// The `quectel-bc26` dialect (BC26, BC20). [`SslConfig::pdp_ctx`] is the
/// `<contextID>` (the firmware supports only 1), [`SslConfig::client`] the
/// `<connectID>`; [`SslConfig::ssl_ctx`] is unused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bc26;

impl SslFamily for m::Family {
    type Dialect = Bc26;
}

impl Bc26 {
    fn settings<T: Transport, C: Clock>(
        config: &SslConfig,
        mut link: Option<&mut Link<T, m::Family, C>>,
    ) -> Result<(), SocketError> {
        let cap = config.timeout;
        let (context_id, connect_id) = (config.pdp_ctx, config.client);
        if config.cipher_suite.is_some() {
            return Err(unsupported(
                m::FAMILY,
                "choosing a cipher suite",
                "the manual has no AT+QSSLCFG \"ciphersuite\"; leave SslConfig::cipher_suite unset",
            ));
        }
        if config.psk.is_some() {
            return Err(unsupported(
                m::FAMILY,
                "a pre-shared key (PSK)",
                "the manual has no AT+QSSLCFG \"psk\"; use certificates",
            ));
        }
        if config.ca_cert.is_some() || config.client_cert.is_some() || config.client_key.is_some() {
            return Err(unsupported(
                m::FAMILY,
                "certificate file paths",
                "BC26 takes certificate contents: use SslSocket::upload instead of SslConfig::ca_cert / client_cert / client_key",
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
                    context_id,
                    connect_id,
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
            apply!(
                link,
                cap,
                m::QsslcfgSeclevel {
                    context_id,
                    connect_id,
                    seclevel
                }
            );
        }
        if let Some(timeout) = config.negotiate_time {
            apply!(
                link,
                cap,
                m::QsslcfgTimeout {
                    context_id,
                    connect_id,
                    timeout
                }
            );
        }
        // Always stated, so the link knows whether data is hex text.
        let (send_data_format, recv_data_format) = if config.hex_data {
            (m::SendDataFormat::Hex, m::RecvDataFormat::Hex)
        } else {
            (m::SendDataFormat::Text, m::RecvDataFormat::Text)
        };
        apply!(
            link,
            cap,
            m::QsslcfgDataformat {
                context_id,
                connect_id,
                send_data_format,
                recv_data_format
            }
        );
        Ok(())
    }

    fn open_request<'h>(&self, config: &SslConfig, host: &'h str, port: u16) -> m::Qsslopen<'h> {
        m::Qsslopen {
            context_id: config.pdp_ctx,
            connect_id: config.client,
            host_name: host,
            port: u32::from(port),
            connect_mode: m::ConnectMode::NonTransparent,
        }
    }
}

impl Dialect for Bc26 {
    type Family = m::Family;

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            buffer_mode: false,
            push_mode: true,
            fixed_length_send: true,
            cert_upload: true,
            psk: false,
        }
    }

    fn check(&self, config: &SslConfig, host: &str, port: u16) -> Result<(), SocketError> {
        Self::settings(config, None::<&mut NoLink<m::Family>>)?;
        check(&self.open_request(config, host, port))?;
        check(&m::Qsslclose {
            context_id: config.pdp_ctx,
            connect_id: config.client,
        })
    }

    fn max_chunk(&self, config: &SslConfig) -> usize {
        if config.hex_data {
            MAX_SEND_HEX
        } else {
            MAX_SEND
        }
    }

    configure_and_open!();

    /// `AT+QSSLCFG=<contextID>,<connectID>,"cacert"` (or "clientcert",
    /// "clientkey"), `>`, the PEM text and Ctrl+Z; the link compares the
    /// module's `+QSSLCFG: …,<checksum>` with the byte count sent.
    fn upload<T: Transport, C: Clock>(
        &self,
        link: &mut Link<T, m::Family, C>,
        config: &SslConfig,
        kind: CertKind,
        data: &[u8],
    ) -> Result<(), SocketError> {
        let (context_id, connect_id) = (config.pdp_ctx, config.client);
        let cap = config.timeout;
        match kind {
            CertKind::CaCert => {
                let req = m::QsslcfgCacert {
                    context_id,
                    connect_id,
                };
                run(link, &req, Some(data), cap).map(drop)
            }
            CertKind::ClientCert => {
                let req = m::QsslcfgClientcert {
                    context_id,
                    connect_id,
                };
                run(link, &req, Some(data), cap).map(drop)
            }
            CertKind::ClientKey => {
                link.add_secret(data);
                let req = m::QsslcfgClientkey {
                    context_id,
                    connect_id,
                };
                run(link, &req, Some(data), cap).map(drop)
            }
        }
    }

    fn send<T: Transport, C: Clock>(
        &self,
        link: &mut Link<T, m::Family, C>,
        config: &SslConfig,
        chunk: &[u8],
    ) -> Result<(), SocketError> {
        // Fixed length (raw bytes; the link hex-encodes in hex format), then OK
        // and `+QSSLSEND: <contextID>,<connectID>,<err>`.
        let send_length = len_u16(m::FAMILY, "QSSLSEND", chunk.len())?;
        let req = m::QsslsendFixedLength {
            context_id: config.pdp_ctx,
            connect_id: config.client,
            send_length,
        };
        run(link, &req, Some(chunk), config.timeout)?;
        Ok(())
    }

    /// BC26 has no QSSLRECV: data always comes in URCs. Nothing to read.
    fn recv<T: Transport, C: Clock>(
        &self,
        _link: &mut Link<T, m::Family, C>,
        _config: &SslConfig,
        _max: usize,
    ) -> Result<Vec<u8>, SocketError> {
        Ok(Vec::new())
    }

    fn classify(&self, config: &SslConfig, frame: &UrcFrame) -> UrcEvent {
        let mine = |context: u8, connect: u8| context == config.pdp_ctx && connect == config.client;
        match frame.parse::<m::Family>() {
            Some(Ok(m::Urc::RecvPush(u))) if mine(u.context_id, u.connect_id) => {
                match Payload::new(u.data, frame.hex).to_vec() {
                    Ok(data) => UrcEvent::Data(data),
                    Err(e) => {
                        log::warn!(
                            target: "atgen::socket",
                            "{}: +QSSLURC: \"recv\" with data that is not hex text ({e}); left in the URC queue",
                            m::FAMILY
                        );
                        UrcEvent::Other
                    }
                }
            }
            Some(Ok(m::Urc::Closed(u))) if mine(u.context_id, u.connect_id) => UrcEvent::Closed,
            _ => UrcEvent::Other,
        }
    }

    fn close<T: Transport, C: Clock>(
        &self,
        link: &mut Link<T, m::Family, C>,
        config: &SslConfig,
        peer_closed: bool,
    ) -> Result<(), SocketError> {
        if peer_closed {
            // 2.3.2: after `+QSSLURC: "closed"` the module closes the connection
            // itself; the MCU need not send AT+QSSLCLOSE.
            return Ok(());
        }
        let req = m::Qsslclose {
            context_id: config.pdp_ctx,
            connect_id: config.client,
        };
        run(link, &req, None, config.timeout)?;
        Ok(())
    }
}

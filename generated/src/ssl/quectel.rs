//! The dialog EC2x, EC200x and UGxx share (their manuals differ in names, not in
//! steps): QSSLCFG, two-phase QSSLOPEN, fixed-length QSSLSEND, QSSLRECV in
//! buffer mode or "recv" URCs with the data in direct push mode, QSSLCLOSE.

use atgen_runtime::link::{Clock, Link, Transport};
use atgen_runtime::socket::{SocketError, SslConfig};
use atgen_runtime::Family;

/// Defines a Quectel LTE/WCDMA dialect over the generated module `$m`. The
/// field names of the family's requests are passed in; `$extra` configures
/// what only that family has (PSK), `$psk` says whether it has a PSK.
macro_rules! quectel_dialect {
    (
        $(#[$doc:meta])*
        $name:ident, $m:ident {
            pdp: $pdp:ident,
            ssl: $ssl:ident,
            negotiate: $neg:ident,
            cacert: $cacert:ident,
            extra: $extra:path,
            psk: $psk:expr $(,)?
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name;

        impl crate::ssl::SslFamily for crate::$m::Family {
            type Dialect = $name;
        }

        impl $name {
            /// Every QSSLCFG the configuration asks for: run with a link, validated without.
            fn settings<T: atgen_runtime::link::Transport, C: atgen_runtime::link::Clock>(
                config: &atgen_runtime::socket::SslConfig,
                mut link: Option<&mut atgen_runtime::link::Link<T, crate::$m::Family, C>>,
            ) -> Result<(), atgen_runtime::socket::SocketError> {
                use crate::$m as m;
                use crate::ssl::{apply, pick};
                const FAMILY: &str = m::FAMILY;
                let cap = config.timeout;
                let ctx = config.ssl_ctx;
                if let Some(v) = config.ssl_version {
                    let ssl_version = pick(FAMILY, "this SSL version", m::SslVersion::from_value, v.value())?;
                    apply!(link, cap, m::QsslcfgSslversion { $ssl: ctx, ssl_version });
                }
                if let Some(v) = config.seclevel {
                    let seclevel = pick(FAMILY, "this seclevel", m::Seclevel::from_value, v.value())?;
                    apply!(link, cap, m::QsslcfgSeclevel { $ssl: ctx, seclevel });
                }
                if let Some(v) = config.cipher_suite {
                    let cipher_suites = pick(FAMILY, "this cipher suite", m::CipherSuite::from_value, i64::from(v))?;
                    apply!(link, cap, m::QsslcfgCiphersuite { $ssl: ctx, cipher_suites });
                }
                if let Some(v) = config.negotiate_time {
                    apply!(link, cap, m::QsslcfgNegotiatetime { $ssl: ctx, $neg: v });
                }
                if let Some(path) = config.ca_cert.as_deref() {
                    apply!(link, cap, m::QsslcfgCacert { $ssl: ctx, $cacert: path });
                }
                if let Some(path) = config.client_cert.as_deref() {
                    apply!(link, cap, m::QsslcfgClientcert { $ssl: ctx, client_cert_path: path });
                }
                if let Some(path) = config.client_key.as_deref() {
                    apply!(link, cap, m::QsslcfgClientkey { $ssl: ctx, client_key_path: path });
                }
                $extra(config, link)
            }

            fn open_request<'h>(
                &self,
                config: &atgen_runtime::socket::SslConfig,
                host: &'h str,
                port: u16,
            ) -> crate::$m::Qsslopen<'h> {
                use atgen_runtime::socket::{AccessMode, Dialect};
                crate::$m::Qsslopen {
                    $pdp: config.pdp_ctx,
                    $ssl: config.ssl_ctx,
                    client_id: config.client,
                    serveraddr: host,
                    server_port: u32::from(port),
                    access_mode: Some(match self.access_mode(config) {
                        AccessMode::Buffer => crate::$m::AccessMode::Buffer,
                        AccessMode::Push => crate::$m::AccessMode::DirectPush,
                    }),
                }
            }

            fn recv_request(config: &atgen_runtime::socket::SslConfig, max: usize) -> crate::$m::Qsslrecv {
                let max = u16::try_from(max).unwrap_or(u16::MAX).min(config.recv_chunk).max(1);
                crate::$m::Qsslrecv { client_id: config.client, readlen: max }
            }
        }

        impl atgen_runtime::socket::Dialect for $name {
            type Family = crate::$m::Family;

            fn capabilities(&self) -> atgen_runtime::socket::Capabilities {
                atgen_runtime::socket::Capabilities {
                    buffer_mode: true,
                    push_mode: true,
                    fixed_length_send: true,
                    cert_upload: false,
                    psk: $psk,
                }
            }

            fn check(
                &self,
                config: &atgen_runtime::socket::SslConfig,
                host: &str,
                port: u16,
            ) -> Result<(), atgen_runtime::socket::SocketError> {
                use atgen_runtime::socket::check;
                Self::settings(config, None::<&mut crate::ssl::NoLink<crate::$m::Family>>)?;
                check(&self.open_request(config, host, port))?;
                check(&Self::recv_request(config, usize::from(config.recv_chunk)))?;
                check(&crate::$m::Qsslclose { client_id: config.client, close_timeout: None })
            }

            fn max_chunk(&self, _config: &atgen_runtime::socket::SslConfig) -> usize {
                crate::ssl::MAX_SEND
            }

            crate::ssl::configure_and_open!();

            fn upload<T: atgen_runtime::link::Transport, C: atgen_runtime::link::Clock>(
                &self,
                _link: &mut atgen_runtime::link::Link<T, Self::Family, C>,
                _config: &atgen_runtime::socket::SslConfig,
                _kind: atgen_runtime::socket::CertKind,
                _data: &[u8],
            ) -> Result<(), atgen_runtime::socket::SocketError> {
                Err(crate::ssl::unsupported(
                    crate::$m::FAMILY,
                    "uploading a certificate through the SSL commands",
                    "store the file on the module (AT+QFUPL) and name it in SslConfig::ca_cert / client_cert / client_key",
                ))
            }

            fn send<T: atgen_runtime::link::Transport, C: atgen_runtime::link::Clock>(
                &self,
                link: &mut atgen_runtime::link::Link<T, Self::Family, C>,
                config: &atgen_runtime::socket::SslConfig,
                chunk: &[u8],
            ) -> Result<(), atgen_runtime::socket::SocketError> {
                // Fixed length: any byte may be sent, Ctrl+Z included.
                let sendlen = crate::ssl::len_u16(crate::$m::FAMILY, "QSSLSEND", chunk.len())?;
                let req = crate::$m::QsslsendFixedLength { client_id: config.client, sendlen };
                atgen_runtime::socket::run(link, &req, Some(chunk), config.timeout)?;
                Ok(())
            }

            fn recv<T: atgen_runtime::link::Transport, C: atgen_runtime::link::Clock>(
                &self,
                link: &mut atgen_runtime::link::Link<T, Self::Family, C>,
                config: &atgen_runtime::socket::SslConfig,
                max: usize,
            ) -> Result<Vec<u8>, atgen_runtime::socket::SocketError> {
                let req = Self::recv_request(config, max);
                let reply = atgen_runtime::socket::run(link, &req, None, config.timeout)?;
                let response = reply.response().map_err(|e| atgen_runtime::socket::SocketError::Protocol {
                    family: crate::$m::FAMILY,
                    command: "QSSLRECV".to_string(),
                    got: e.to_string(),
                    expected: "+QSSLRECV: <len> and the data",
                })?;
                Ok(response.data.to_vec())
            }

            fn classify(
                &self,
                config: &atgen_runtime::socket::SslConfig,
                frame: &atgen_runtime::link::UrcFrame,
            ) -> atgen_runtime::socket::UrcEvent {
                use crate::$m::Urc;
                use atgen_runtime::socket::UrcEvent;
                let id = config.client;
                match frame.parse::<crate::$m::Family>() {
                    Some(Ok(Urc::Recv(u))) if u.client_id == id => UrcEvent::DataReady,
                    Some(Ok(Urc::RecvPush(u))) if u.client_id == id => UrcEvent::Data(u.data.to_vec()),
                    Some(Ok(Urc::Closed(u))) if u.client_id == id => UrcEvent::Closed,
                    _ => UrcEvent::Other,
                }
            }

            fn close<T: atgen_runtime::link::Transport, C: atgen_runtime::link::Clock>(
                &self,
                link: &mut atgen_runtime::link::Link<T, Self::Family, C>,
                config: &atgen_runtime::socket::SslConfig,
                _peer_closed: bool,
            ) -> Result<(), atgen_runtime::socket::SocketError> {
                // After `+QSSLURC: "closed"` the manuals still want QSSLCLOSE, to free the id.
                let req = crate::$m::Qsslclose { client_id: config.client, close_timeout: None };
                atgen_runtime::socket::run(link, &req, None, config.timeout)?;
                Ok(())
            }
        }
    };
}

pub(crate) use quectel_dialect;

/// The `extra` of a family without `AT+QSSLCFG="psk"`: refuses a PSK.
pub(crate) fn no_psk<F: Family, T: Transport, C: Clock>(
    config: &SslConfig,
    _link: Option<&mut Link<T, F, C>>,
) -> Result<(), SocketError> {
    match config.psk {
        Some(_) => Err(super::unsupported(
            F::ID,
            "a pre-shared key (PSK)",
            "the manual has no AT+QSSLCFG=\"psk\"; use certificates",
        )),
        None => Ok(()),
    }
}

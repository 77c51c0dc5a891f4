//! `quectel-ugxx` (UGxx, UG95): the shared Quectel dialog; no PSK command.

use atgen_runtime::link::{Clock, Link, Transport};
use atgen_runtime::socket::{SocketError, SslConfig};

use super::quectel::quectel_dialect;
use crate::quectel_ugxx as m;

quectel_dialect! {
    /// The `quectel-ugxx` dialect (UGxx, UG95).
    Ugxx, quectel_ugxx {
        pdp: pdpctx_id,
        ssl: sslctx_id,
        negotiate: negotiatetime,
        cacert: cacert_path,
        extra: extra,
        psk: false,
    }
}

/// The family has no `AT+QSSLCFG="psk"`.
fn extra<T: Transport, C: Clock>(
    config: &SslConfig,
    _link: Option<&mut Link<T, m::Family, C>>,
) -> Result<(), SocketError> {
    match config.psk {
        Some(_) => Err(super::unsupported(
            m::FAMILY,
            "a pre-shared key (PSK)",
            "the manual has no AT+QSSLCFG=\"psk\"; use certificates",
        )),
        None => Ok(()),
    }
}

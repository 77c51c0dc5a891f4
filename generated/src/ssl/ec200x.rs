//! `quectel-ec200x` (EC200T, EC200S, EC200N-CN, EC600S-CN, EC600N-CN, EG912Y): the shared Quectel dialog; no PSK command.

use atgen_runtime::link::{Clock, Link, Transport};
use atgen_runtime::socket::{SocketError, SslConfig};

use super::quectel::quectel_dialect;
use crate::quectel_ec200x as m;

quectel_dialect! {
    /// The `quectel-ec200x` dialect (EC200T, EC200S, EC200N-CN, EC600S-CN, EC600N-CN, EG912Y).
    Ec200x, quectel_ec200x {
        pdp: pdp_ctx_id,
        ssl: ssl_ctx_id,
        negotiate: negotiate_time,
        cacert: cacertpath,
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

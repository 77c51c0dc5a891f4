//! EC2x / EG9x / EG2x-G / EM05 (`quectel-ec2x`): the shared Quectel dialog, plus PSK.

use atgen_runtime::link::{Clock, Link, Transport};
use atgen_runtime::socket::{SocketError, SslConfig};

use super::apply;
use super::quectel::quectel_dialect;
use crate::quectel_ec2x as m;

quectel_dialect! {
    /// The `quectel-ec2x` dialect (EC21, EC25, EC20 R2.1, EG91, EG95, EG21-G, EG25-G, EM05).
    Ec2x, quectel_ec2x {
        pdp: pdp_ctx_id,
        ssl: ssl_ctx_id,
        negotiate: negotiate_time,
        cacert: cacertpath,
        extra: extra,
        psk: true,
    }
}

/// `AT+QSSLCFG="psk"`; the key is a secret parameter, never logged.
fn extra<T: Transport, C: Clock>(
    config: &SslConfig,
    mut link: Option<&mut Link<T, m::Family, C>>,
) -> Result<(), SocketError> {
    if let Some(psk) = &config.psk {
        if let Some(l) = link.as_deref_mut() {
            l.add_secret(psk.key.as_bytes());
        }
        apply!(
            link,
            config.timeout,
            m::QsslcfgPsk {
                ssl_ctx_id: config.ssl_ctx,
                identity: &psk.identity,
                key: &psk.key,
            }
        );
    }
    Ok(())
}

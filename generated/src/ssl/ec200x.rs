//! `quectel-ec200x` (EC200T, EC200S, EC200N-CN, EC600S-CN, EC600N-CN, EG912Y): the shared Quectel dialog; no PSK command.

use super::quectel::{no_psk, quectel_dialect};

quectel_dialect! {
    /// The `quectel-ec200x` dialect (EC200T, EC200S, EC200N-CN, EC600S-CN, EC600N-CN, EG912Y).
    Ec200x, quectel_ec200x {
        pdp: pdp_ctx_id,
        ssl: ssl_ctx_id,
        negotiate: negotiate_time,
        cacert: cacertpath,
        extra: no_psk,
        psk: false,
    }
}

//! `quectel-ugxx` (UGxx, UG95): the shared Quectel dialog; no PSK command.

use super::quectel::{no_psk, quectel_dialect};

quectel_dialect! {
    /// The `quectel-ugxx` dialect (UGxx, UG95).
    Ugxx, quectel_ugxx {
        pdp: pdpctx_id,
        ssl: sslctx_id,
        negotiate: negotiatetime,
        cacert: cacert_path,
        extra: no_psk,
        psk: false,
    }
}

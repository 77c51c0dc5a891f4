//! EC2x / EG9x / EG2x-G / EM05 (`quectel-ec2x`): the Quectel LTE dialect plus the
//! settings only this manual has (`psk`, `dtls`, `dtlsversion`, `alpn`, `renegotiation`).

quectel_lte_dialect! {
    /// The EC2x dialect: six SSL contexts, sockets in the machine.
    Ec2x, quectel_ec2x {
        pdp_range: "1-16",
        ignore_ltime: IgnoreValidityCheck,
        ctx: {
            psk_identity: String = String::new(),
            psk_key: String = String::new(),
            dtls: fam::DtlsEnable = fam::DtlsEnable::Disable,
            dtlsversion: fam::DtlsVer = fam::DtlsVer::Dtls1_2,
            alpn: String = String::new(),
            renegotiation: fam::RenegotiationEnable = fam::RenegotiationEnable::Disable,
        },
    }
}

impl Ec2x {
    /// The EC2x-only settings; `false` for anything else.
    fn own(&mut self, m: &mut Machine, req: Request<'_>) -> bool {
        match req {
            Request::QsslcfgPsk(r) => match self.ctx.get_mut(usize::from(r.ssl_ctx_id)) {
                Some(c) => {
                    c.psk_identity = r.identity.to_string();
                    c.psk_key = r.key.to_string();
                    m.ok();
                }
                None => m.error(),
            },
            Request::QsslcfgPskQuery(q) => get!(ssl_ctx_id: self, m, q =>
                QsslcfgPskQueryResponse { identity: psk_identity.as_str(), key: psk_key.as_str() }),
            Request::QsslcfgDtls(r) => set!(ssl_ctx_id: self, m, r.dtls_enable => dtls),
            Request::QsslcfgDtlsQuery(q) => {
                get!(ssl_ctx_id: self, m, q => QsslcfgDtlsQueryResponse { dtls_enable: dtls })
            }
            Request::QsslcfgDtlsversion(r) => set!(ssl_ctx_id: self, m, r.dtls_ver => dtlsversion),
            Request::QsslcfgDtlsversionQuery(q) => get!(ssl_ctx_id: self, m, q =>
                QsslcfgDtlsversionQueryResponse { dtls_ver: dtlsversion }),
            Request::QsslcfgAlpn(r) => set!(ssl_ctx_id: self, m, r.alpn_name => alpn),
            Request::QsslcfgAlpnQuery(q) => get!(ssl_ctx_id: self, m, q =>
                QsslcfgAlpnQueryResponse { alpn_name: alpn.as_str() }),
            Request::QsslcfgRenegotiation(r) => {
                set!(ssl_ctx_id: self, m, r.renegotiation_enable => renegotiation)
            }
            Request::QsslcfgRenegotiationQuery(q) => get!(ssl_ctx_id: self, m, q =>
                QsslcfgRenegotiationQueryResponse { renegotiation_enable: renegotiation }),
            _ => return false,
        }
        true
    }
}

//! The Quectel LTE Standard dialect (EC2x family and EC200x family): the Quectel
//! dialect (`quectel.rs`) with these manuals' names, plus the settings both have
//! and UGxx has not (`cacertex`, `sni`, `closetimemode`, the two `ignore…` checks,
//! `session_cache`).

/// Writes the Quectel LTE dialect for the generated module `$fam` into the type
/// `$Name`; `ignore_ltime` is the default `IgnoreLtime` variant, `ctx` adds the
/// family's own settings as in `quectel_dialect!`. The type implements
/// `own` for the family's own commands (`false` for anything else).
macro_rules! quectel_lte_dialect {
    (
        $(#[$doc:meta])*
        $Name:ident, $fam:ident {
            pdp_range: $pdp_range:literal,
            ignore_ltime: $ignore_default:ident,
            ctx: { $($xf:ident: $xt:ty = $xd:expr),* $(,)? } $(,)?
        }
    ) => {
        quectel_dialect! {
            $(#[$doc])*
            $Name, $fam {
                pdp: pdp_ctx_id,
                ssl: ssl_ctx_id,
                pdp_range: $pdp_range,
                cacert: cacertpath,
                ignore_ltime: ignore_ltime = IgnoreLtime::$ignore_default,
                negotiate: negotiate_time,
                have_readlen: have_readlen,
                push_len: current_recvlength,
                open_result: err {
                    ok: fam::SslError::OperationSuccessful,
                    in_use: fam::SslError::SocketIdentityHasBeenUsed,
                },
                state: QsslstateExecSslClient(u16, u16), QsslstateResponse,
                ctx: {
                    cacertex: String = String::new(),
                    sni: fam::Sni = fam::Sni::Disable,
                    closetimemode: fam::CloseTimeMode = fam::CloseTimeMode::Disable,
                    ignoremulticertchainverify: fam::IgnoreMulticertchainVerify =
                        fam::IgnoreMulticertchainVerify::NotIgnore,
                    ignoreinvalidcertsign: fam::IgnoreInvalidCertsign =
                        fam::IgnoreInvalidCertsign::NotIgnore,
                    session_cache: fam::SessionCacheEnable = fam::SessionCacheEnable::Disable,
                    $($xf: $xt = $xd,)*
                },
            }
        }

        impl $Name {
            /// The settings UGxx has not, then the family's own (`own`).
            fn extra(&mut self, m: &mut Machine, req: Request<'_>) -> bool {
                match req {
                    Request::QsslcfgCacertex(r) => set!(ssl_ctx_id: self, m, r.cacertpath => cacertex),
                    Request::QsslcfgCacertexQuery2(q) => get!(ssl_ctx_id: self, m, q =>
                        QsslcfgCacertexQuery2Response { cacertpath: cacertex.as_str() }),
                    Request::QsslcfgCacertexQueryAll(_) => {
                        for (i, c) in self.ctx.iter().enumerate() {
                            if c.cacertex.is_empty() {
                                continue;
                            }
                            let line = fam::QsslcfgCacertexQueryAllCacertex {
                                ssl_ctx_id: u8::try_from(i).unwrap_or(0),
                                cacertpath: &c.cacertex,
                            };
                            m.info(|v| line.write_to(v));
                        }
                        m.ok();
                    }
                    Request::QsslcfgSni(r) => set!(ssl_ctx_id: self, m, r.sni => sni),
                    Request::QsslcfgSniQuery(q) => {
                        get!(ssl_ctx_id: self, m, q => QsslcfgSniQueryResponse { sni: sni })
                    }
                    Request::QsslcfgClosetimemode(r) => {
                        set!(ssl_ctx_id: self, m, r.close_time_mode => closetimemode)
                    }
                    Request::QsslcfgClosetimemodeQuery(q) => get!(ssl_ctx_id: self, m, q =>
                        QsslcfgClosetimemodeQueryResponse { close_time_mode: closetimemode }),
                    Request::QsslcfgIgnoremulticertchainverify(r) => {
                        set!(ssl_ctx_id: self, m, r.ignore_multicertchain_verify => ignoremulticertchainverify)
                    }
                    Request::QsslcfgIgnoremulticertchainverifyQuery(q) => get!(ssl_ctx_id: self, m, q =>
                        QsslcfgIgnoremulticertchainverifyQueryResponse {
                            ignore_multicertchain_verify: ignoremulticertchainverify
                        }),
                    Request::QsslcfgIgnoreinvalidcertsign(r) => {
                        set!(ssl_ctx_id: self, m, r.ignore_invalid_certsign => ignoreinvalidcertsign)
                    }
                    Request::QsslcfgIgnoreinvalidcertsignQuery(q) => get!(ssl_ctx_id: self, m, q =>
                        QsslcfgIgnoreinvalidcertsignQueryResponse {
                            ignore_invalid_certsign: ignoreinvalidcertsign
                        }),
                    Request::QsslcfgSessionCache(r) => {
                        set!(ssl_ctx_id: self, m, r.session_cache_enable => session_cache)
                    }
                    Request::QsslcfgSessionCacheQuery(q) => get!(ssl_ctx_id: self, m, q =>
                        QsslcfgSessionCacheQueryResponse { session_cache_enable: session_cache }),
                    other => return self.own(m, other),
                }
                true
            }
        }
    };
}

//! UGxx / UG95 (`quectel-ugxx`): the Quectel dialect (see `quectel.rs`) with this
//! manual's names: `<sslctxID>` 0..=5, `<clientID>` 0..=11, the open result
//! `+QSSLOPEN: <clientID>,<errorcode>` (563 when the id is in use, from the UGxx
//! TCP/IP manual the spec refers to), `"SSL CLIENT"` state lines.

quectel_dialect! {
    /// The UGxx dialect: six SSL contexts, sockets in the machine.
    Ugxx, quectel_ugxx {
        pdp: pdpctx_id,
        ssl: sslctx_id,
        pdp_range: "1-16",
        cacert: cacert_path,
        ignore_ltime: ignoreltime = Ignoreltime::IgnoreTimeCheck,
        negotiate: negotiatetime,
        have_readlen: havereadlen,
        push_len: currentrecvlength,
        open_result: errorcode { ok: 0, in_use: SOCKET_ID_IN_USE },
        state: QsslstateExecLine1(u32, u32), QsslstateLine1,
        ctx: {},
    }
}

/// The TCP/IP manual's "Socket identity has been used".
const SOCKET_ID_IN_USE: u32 = 563;

impl Ugxx {
    /// UGxx has no settings beyond the common ones.
    fn extra(&mut self, _m: &mut Machine, _req: Request<'_>) -> bool {
        false
    }
}

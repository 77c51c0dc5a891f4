//! `quectel-ugxx`: the Quectel session (see `atgen_firmware::quectel`) with `atgen::quectel_ugxx`.
#![no_std]
#![no_main]

atgen_firmware::quectel_session!(quectel_ugxx {
    pdp: pdpctx_id,
    ssl: sslctx_id,
    have_readlen: havereadlen,
    open_ok: |r| r.errorcode == 0,
});

#[cortex_m_rt::entry]
fn main() -> ! {
    atgen_firmware::run(
        atgen::quectel_ugxx::FAMILY,
        session::<atgen_firmware::board::Uart>,
    )
}

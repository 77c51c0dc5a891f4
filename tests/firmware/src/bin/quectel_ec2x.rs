//! `quectel-ec2x`: the Quectel session (see `atgen_firmware::quectel`) with `atgen::quectel_ec2x`.
#![no_std]
#![no_main]

atgen_firmware::quectel_session!(quectel_ec2x {
    pdp: pdp_ctx_id,
    ssl: ssl_ctx_id,
    have_readlen: have_readlen,
    open_ok: |r| r.err == m::SslError::OperationSuccessful,
});

#[cortex_m_rt::entry]
fn main() -> ! {
    atgen_firmware::run(
        atgen::quectel_ec2x::FAMILY,
        session::<atgen_firmware::board::Uart>,
    )
}

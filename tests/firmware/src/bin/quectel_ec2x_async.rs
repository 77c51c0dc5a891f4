//! `quectel-ec2x` on the async driver: the same session as `quectel-ec2x`, awaited on
//! a tiny executor ([`atgen_firmware::asynch`]).
#![no_std]
#![no_main]

#[cortex_m_rt::entry]
fn main() -> ! {
    atgen_firmware::asynch::run::<atgen::ssl::Ec2x>("quectel-ec2x-async")
}

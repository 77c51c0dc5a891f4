//! `quectel-bc26`: the generic SSL session ([`atgen_firmware::run`]) with the family's dialect.
#![no_std]
#![no_main]

#[cortex_m_rt::entry]
fn main() -> ! {
    atgen_firmware::run::<atgen::ssl::Bc26>()
}

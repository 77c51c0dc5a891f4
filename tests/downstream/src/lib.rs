//! The bring-up commands the Quectel LTE SSL procedures name (1.2 of the EC2x
//! SSL Application Note: AT+QICSGP, AT+QIACT, AT+QIDEACT, and AT+QFUPL to put
//! certificates on the module), generated at build time from this crate's own
//! `spec/quectel-lte-bringup.toml` by `atgen_codegen::Builder` (see
//! `build.rs`). They run on the same `atgen_runtime` link and `Modem` as
//! atgen's own families: `Modem::execute` takes a typed request of any spec.

include!(concat!(env!("OUT_DIR"), "/atgen.rs"));

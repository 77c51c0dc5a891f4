//! The AT trace on the host's standard output, with the `trace` feature: atgen-runtime
//! traces every line written and every frame read through `log` (secrets shown as
//! `***`), and this logger prints each record through semihosting. Nothing without.

#[cfg(feature = "trace")]
mod on {
    struct Semihosting;

    impl log::Log for Semihosting {
        fn enabled(&self, _: &log::Metadata<'_>) -> bool {
            true
        }
        fn log(&self, record: &log::Record<'_>) {
            crate::board::report(format_args!("{}", record.args()));
        }
        fn flush(&self) {}
    }

    static LOGGER: Semihosting = Semihosting;

    pub fn init() {
        // `set_logger_racy`: the firmware has one thread and no logger before this.
        // SAFETY: called once, before anything logs, with interrupts not logging.
        if unsafe { log::set_logger_racy(&LOGGER) }.is_ok() {
            log::set_max_level(log::LevelFilter::Debug);
        }
    }
}

/// Installs the semihosting logger (with the `trace` feature).
#[inline]
pub fn init() {
    #[cfg(feature = "trace")]
    on::init();
}

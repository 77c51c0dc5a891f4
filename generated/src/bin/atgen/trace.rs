//! The AT trace: a tiny `log` logger for the CLI (no logging framework needed).

use std::io::Write;

/// Where trace lines go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sink {
    Stderr,
    /// Stdout, AT traffic only, as `  --> AT+…` / `  <-- OK` (`atgen demo`).
    StdoutAt,
}

struct Logger {
    sink: Sink,
}

static STDERR: Logger = Logger { sink: Sink::Stderr };
static STDOUT_AT: Logger = Logger {
    sink: Sink::StdoutAt,
};

/// `verbose` 1: commands and answers; 2 and more: every byte.
pub fn init(verbose: u8, sink: Sink) {
    let level = match verbose {
        0 => return,
        1 => log::LevelFilter::Debug,
        _ => log::LevelFilter::Trace,
    };
    let logger: &'static Logger = match sink {
        Sink::Stderr => &STDERR,
        Sink::StdoutAt => &STDOUT_AT,
    };
    if log::set_logger(logger).is_ok() {
        log::set_max_level(level);
    }
}

impl log::Log for Logger {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::max_level()
            && (self.sink == Sink::Stderr || metadata.target() == "atgen::at")
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        match self.sink {
            Sink::Stderr => eprintln!(
                "atgen: {} {}: {}",
                record.level(),
                record.target(),
                record.args()
            ),
            Sink::StdoutAt => {
                // "<family> --> AT+…": the family is shown once per session by the caller.
                let text = record.args().to_string();
                let shown = text.split_once(' ').map_or(text.as_str(), |(_, rest)| rest);
                let _ = writeln!(std::io::stdout().lock(), "  {shown}");
            }
        }
    }

    fn flush(&self) {}
}

//! A PSK read back through the `Link` API directly (no socket to register it
//! as a secret) never reaches the log in clear.

use std::sync::Mutex;

use atgen::quectel_ec2x::{Family, QsslcfgPskQuery};
use atgen_runtime::link::script::ScriptTransport;
use atgen_runtime::link::{Link, ManualClock};

static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }
    fn log(&self, record: &log::Record) {
        if let Ok(mut l) = LINES.lock() {
            l.push(record.args().to_string());
        }
    }
    fn flush(&self) {}
}

// One test: the logger is global to the process.
#[test]
fn a_psk_query_through_the_link_is_logged_without_the_key() {
    log::set_logger(&Capture).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let clock = ManualClock::new();
    let script = ScriptTransport::new(clock.clone())
        .expect("AT+QSSLCFG=\"psk\",1\r")
        .reply("\r\n+QSSLCFG: \"psk\",1,\"ident\",\"s3cr3tkey\"\r\n\r\nOK\r\n");
    let mut link: Link<_, Family, _> = Link::with_clock(script, clock);
    let reply = link.execute(&QsslcfgPskQuery { ssl_ctx_id: 1 }).unwrap();
    assert!(reply.response().is_ok());
    let logged = LINES.lock().map(|l| l.join("\n")).unwrap_or_default();
    assert!(logged.contains("QSSLCFG"), "traffic is logged: {logged}");
    assert!(!logged.contains("s3cr3tkey"), "{logged}");
}

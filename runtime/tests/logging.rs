//! AT traffic goes to the log with secrets redacted.

mod common;

use std::sync::Mutex;
use std::time::Duration;

use atgen_runtime::link::script::ScriptTransport;
use atgen_runtime::link::{Link, ManualClock};
use common::{Bc26, Bc26CaCert, Ec2x, QsslCfgPsk, QsslRecv};

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

fn captured() -> String {
    LINES.lock().map(|l| l.join("\n")).unwrap_or_default()
}

// One test: the logger is global to the process.
#[test]
fn traffic_is_logged_and_secrets_never_are() {
    log::set_logger(&Capture).unwrap();
    log::set_max_level(log::LevelFilter::Trace);

    let clock = ManualClock::new();
    let script = ScriptTransport::new(clock.clone())
        .expect("AT+QSSLCFG=\"psk\",1,\"s3cr3tkey\",\"ident\"\r")
        .reply("\r\nOK\r\n")
        .expect("AT+QSSLRECV=1,10\r")
        .reply("\r\n+QSSLRECV: 3\r\nabc\r\n\r\nOK\r\n");
    let mut link: Link<_, Ec2x, _> = Link::with_clock(script, clock);
    link.add_secret("ident");
    link.execute(&QsslCfgPsk {
        ctx: 1,
        key: "s3cr3tkey".into(),
        identity: "ident".into(),
    })
    .unwrap();
    link.execute(&QsslRecv { client: 1, len: 10 }).unwrap();

    let clock = ManualClock::new();
    let script = ScriptTransport::new(clock.clone())
        .expect("AT+QSSLCFG=1,5,\"cacert\"\r")
        .reply("\r\n> ")
        .expect(b"PRIVATE-PEM\x1a")
        .reply("\r\n+QSSLCFG: 1,5,\"cacert\",11\r\n\r\nOK\r\n")
        .reply("\r\n+QSSLURC: \"closed\",1,5\r\n");
    let mut link: Link<_, Bc26, _> = Link::with_clock(script, clock);
    link.send(&Bc26CaCert { ctx: 1, conn: 5 }, b"PRIVATE-PEM")
        .unwrap();
    link.poll_urcs(Duration::from_millis(1)).unwrap();

    let log = captured();
    assert!(
        log.contains("AT+QSSLCFG=\"psk\",1,\"***\",\"***\"\\r"),
        "{log}"
    );
    assert!(log.contains("AT+QSSLRECV=1,10\\r"), "{log}");
    assert!(log.contains("+QSSLRECV: 3 <3 bytes>"), "{log}");
    assert!(log.contains("<11 secret bytes>"), "{log}");
    assert!(log.contains("+QSSLURC: \"closed\",1,5"), "{log}");
    assert!(!log.contains("s3cr3tkey"), "{log}");
    assert!(!log.contains("PRIVATE-PEM"), "{log}");
    assert!(!log.contains("ident"), "{log}");
}

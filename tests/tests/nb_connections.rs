//! Several connections on the blocking `no_std` driver (`nb::Connections`)
//! against a scripted port: each connection's URCs reach it while another's
//! command runs, a URC naming no connection of the modem stays in its queue,
//! and ids come from the family's range.

use std::time::Duration;

use atgen::ssl::Ec2x;
use atgen_runtime::dialog::{MuxError, Options};
use atgen_runtime::driver::SocketError;
use atgen_runtime::link::ManualClock;
use atgen_runtime::nb::script::ScriptPort;
use atgen_runtime::nb::{Connections, Modem};

type Conns = Connections<'static, ScriptPort, ManualClock, Ec2x, 2, 256>;

fn conns(build: impl FnOnce(ScriptPort) -> ScriptPort) -> Conns {
    let clock = ManualClock::new();
    let modem: Modem<ScriptPort, ManualClock, atgen::quectel_ec2x::Family> =
        Modem::new(build(ScriptPort::new(clock.clone())), clock);
    let mut c = Conns::new(modem, Ec2x);
    c.set_read_timeout(Some(Duration::from_secs(2)));
    c
}

fn open(s: ScriptPort, id: u8) -> ScriptPort {
    s.expect(format!("AT+QSSLOPEN=1,1,{id},\"example.com\",443,0\r"))
        .reply(format!("\r\nOK\r\n\r\n+QSSLOPEN: {id},0\r\n"))
}

#[test]
fn data_ready_for_one_connection_during_another_ones_send_reaches_it_and_foreign_urcs_stay_queued()
{
    let mut c = conns(|s| {
        let s = open(open(s, 0), 1);
        s.expect("AT+QSSLSEND=0,2\r")
            .reply("\r\n> ")
            .expect("hi")
            // Connection 1's data is announced inside connection 0's send; id 7 is no one's.
            .reply("\r\n+QSSLURC: \"recv\",1\r\n\r\n+QSSLURC: \"closed\",7\r\n\r\nSEND OK\r\n")
            .expect("AT+QSSLRECV=1,64\r")
            .reply("\r\n+QSSLRECV: 3\r\none\r\n\r\nOK\r\n")
    });
    let a = c
        .connect(Options::default(), "example.com", 443)
        .expect("open a");
    let b = c
        .connect(Options::default(), "example.com", 443)
        .expect("open b");
    assert_eq!((a.id(), b.id()), (0, 1));
    let full = c.connect(Options::default(), "example.com", 443);
    assert!(
        matches!(
            full,
            Err(SocketError::Connections(MuxError::NoFreeId {
                limit: 2,
                ..
            }))
        ),
        "{full:?}"
    );
    assert_eq!(c.write(a, b"hi").expect("send"), 2);
    let mut buf = [0u8; 64];
    let n = c.read(b, &mut buf).expect("read b");
    assert_eq!(&buf[..n], b"one");
    assert_eq!(c.buffered(a), Some(0), "a got none of b's bytes");
    let queued = c.modem_mut().pop_urc().expect("the foreign URC is queued");
    assert_eq!(queued.frame.as_slice(), b"+QSSLURC: \"closed\",7");
    assert!(
        c.modem().port().finished(),
        "{:?}",
        c.modem().port().remaining()
    );
}

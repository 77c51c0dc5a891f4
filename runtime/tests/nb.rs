//! The blocking `no_std` driver (`atgen_runtime::nb`) against a scripted
//! `embedded-io` port on a manual clock: tables of (what the module sends,
//! what the driver makes of it). No test waits for a real timeout.

mod common;

use std::time::Duration;

use atgen_runtime::driver::ModemError;
use atgen_runtime::link::ManualClock;
use atgen_runtime::nb::script::{ScriptError, ScriptPort};
use atgen_runtime::nb::{Clock, Modem};
use atgen_runtime::session::{CmeText, Completion, Failure, Opts};
use atgen_runtime::{AtRequest, Family};
use common::*;

/// A small modem: 1 KiB of input and response, 4 URCs of 64 bytes.
type TestModem<Fam> = Modem<ScriptPort, ManualClock, Fam, 1024, 1024, 256, 4, 64>;

fn modem<Fam: Family>(build: impl FnOnce(ScriptPort) -> ScriptPort) -> TestModem<Fam> {
    let clock = ManualClock::new();
    TestModem::new(build(ScriptPort::new(clock.clone())), clock)
}

/// What the driver made of a case, in a form a table can hold.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Got {
    /// The information lines and how the command ended.
    Ok(Vec<u8>, Completion),
    Timeout(&'static str),
    Error,
    Cme(i64, Option<&'static str>),
    Module(i64, Option<&'static str>),
    SendFail,
    Rebooted,
    Invalid(&'static str),
    Parse,
    Io,
    /// Not possible in the current mode (transparent).
    Mode,
}

fn got<T>(r: Result<T, ModemError<ScriptError>>, ok: impl FnOnce(T) -> Got) -> Got {
    match r {
        Ok(v) => ok(v),
        Err(ModemError::Command {
            failure,
            description,
            ..
        }) => match failure {
            Failure::Timeout { waiting_for, .. } => Got::Timeout(waiting_for),
            Failure::Error => Got::Error,
            Failure::Cme {
                code: CmeText::Numeric(n),
            } => Got::Cme(n, description),
            Failure::Module { code, .. } => Got::Module(code, description),
            Failure::SendFail => Got::SendFail,
            Failure::Rebooted => Got::Rebooted,
            Failure::Validation(v) => Got::Invalid(v.param),
            Failure::Mode { .. } => Got::Mode,
            other => panic!("unexpected failure {other:?}"),
        },
        Err(ModemError::Parse { .. }) => Got::Parse,
        Err(ModemError::Io { .. } | ModemError::Closed { .. }) => Got::Io,
    }
}

fn exec<Fam: Family, R: AtRequest<Family = Fam>>(
    m: &mut TestModem<Fam>,
    req: &R,
    opts: Opts<'_>,
) -> Got {
    got(m.execute_with(req, opts), |r| {
        Got::Ok(r.block().to_vec(), r.completion().clone())
    })
}

fn data(d: &'static [u8]) -> Opts<'static> {
    Opts {
        data: Some(d),
        ..Opts::default()
    }
}

fn queued<Fam: Family>(m: &mut TestModem<Fam>) -> Vec<Vec<u8>> {
    std::iter::from_fn(|| m.pop_urc())
        .map(|u| u.frame.to_vec())
        .collect()
}

const RECV: QsslRecv = QsslRecv {
    client: 1,
    len: 1500,
};

struct Case {
    name: &'static str,
    script: fn(ScriptPort) -> ScriptPort,
    run: fn(&mut TestModem<Ec2x>) -> Got,
    want: Got,
    /// The URCs queued afterwards, oldest first.
    urcs: &'static [&'static [u8]],
}

fn recv(m: &mut TestModem<Ec2x>) -> Got {
    exec(m, &RECV, Opts::default())
}

fn send5(m: &mut TestModem<Ec2x>) -> Got {
    exec(
        m,
        &QsslSend {
            client: 1,
            len: Some(5),
        },
        data(b"hello"),
    )
}

fn open(m: &mut TestModem<Ec2x>) -> Got {
    let open = QsslOpen {
        client: 1,
        host: "example.com".into(),
        port: 443,
        access_mode: None,
    };
    exec(m, &open, Opts::default())
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "information lines are the typed request's response",
            script: |s| {
                s.expect("AT+QSSLCFG=\"sslversion\",1\r")
                    .reply("\r\n+QSSLCFG: \"sslversion\",1,4\r\n\r\nOK\r\n")
            },
            run: |m| {
                got(m.execute(&QsslCfgSslVersionQuery { ctx: 1 }), |r| {
                    assert_eq!(r.response().ok(), Some((1, 4)));
                    Got::Ok(r.block().to_vec(), r.completion().clone())
                })
            },
            want: Got::Ok(b"+QSSLCFG: \"sslversion\",1,4\r\n".to_vec(), Completion::Ok),
            urcs: &[],
        },
        Case {
            name: "a payload holding OK and ERROR is read by length, cut into 1-byte reads",
            script: |s| {
                s.expect("AT+QSSLRECV=1,1500\r")
                    .reply("\r\n+QSSLRECV: 17\r\n\r\nOK\r\nERROR\r\nSEND\r\n\r\nOK\r\n")
                    .chunks(vec![1])
            },
            run: recv,
            want: Got::Ok(
                b"+QSSLRECV: 17\r\n\r\nOK\r\nERROR\r\nSEND\r\n".to_vec(),
                Completion::Ok,
            ),
            urcs: &[],
        },
        Case {
            name: "a URC inside a response is queued, not mixed into it",
            script: |s| {
                s.expect("AT+QSSLRECV=1,1500\r").reply(
                "\r\n+QSSLURC: \"recv\",3\r\n+QSSLRECV: 2\r\nhi\r\n\r\n+QSSLURC: \"closed\",4\r\nOK\r\n",
            )
            },
            run: recv,
            want: Got::Ok(b"+QSSLRECV: 2\r\nhi\r\n".to_vec(), Completion::Ok),
            urcs: &[b"+QSSLURC: \"recv\",3", b"+QSSLURC: \"closed\",4"],
        },
        Case {
            name: "URCs before the command are queued before it is written",
            script: |s| {
                s.reply("\r\nRDY\r\n+QSSLURC: \"recv\",2\r\n")
                    .expect("AT+QSSLRECV=1,1500\r")
                    .reply("\r\n+QSSLRECV: 0\r\n\r\nOK\r\n")
            },
            run: |m| {
                // Idle URCs are framed only once read: poll first.
                assert_eq!(m.poll_urcs(Duration::from_millis(10)).ok(), Some(2));
                recv(m)
            },
            want: Got::Ok(b"+QSSLRECV: 0\r\n".to_vec(), Completion::Ok),
            urcs: &[b"RDY", b"+QSSLURC: \"recv\",2"],
        },
        Case {
            name: "plain ERROR is the command's error",
            script: |s| s.expect("AT+QSSLRECV=1,1500\r").reply("\r\nERROR\r\n"),
            run: recv,
            want: Got::Error,
            urcs: &[],
        },
        Case {
            name: "a numeric +CME ERROR carries the family's description",
            script: |s| {
                s.expect("AT+QSSLRECV=1,1500\r")
                    .reply("\r\n+CME ERROR: 552\r\n")
            },
            run: recv,
            want: Got::Cme(552, Some("Invalid parameters")),
            urcs: &[],
        },
        Case {
            name: "silence is a timeout after the manual's maximum response time",
            script: |s| s.expect("AT+QSSLRECV=1,1500\r"),
            run: recv,
            want: Got::Timeout("final result code"),
            urcs: &[],
        },
        Case {
            name: "the data is written only after the prompt, and SEND OK ends the send",
            script: |s| {
                s.expect("AT+QSSLSEND=1,5\r")
                    .silence(Duration::from_millis(50))
                    .reply("\r\n> ")
                    .expect("hello")
                    .reply("\r\nSEND OK\r\n")
            },
            run: send5,
            want: Got::Ok(Vec::new(), Completion::SendOk),
            urcs: &[],
        },
        Case {
            name: "no prompt in time is a timeout waiting for the prompt, and no data is written",
            script: |s| s.expect("AT+QSSLSEND=1,5\r"),
            run: send5,
            want: Got::Timeout("> prompt"),
            urcs: &[],
        },
        Case {
            name: "SEND FAIL is its own error",
            script: |s| {
                s.expect("AT+QSSLSEND=1,5\r")
                    .reply("\r\n> ")
                    .expect("hello")
                    .reply("\r\nSEND FAIL\r\n")
            },
            run: send5,
            want: Got::SendFail,
            urcs: &[],
        },
        Case {
            name: "an invalid request is refused before anything is written",
            script: |s| s,
            run: |m| exec(m, &QsslRecv { client: 1, len: 0 }, Opts::default()),
            want: Got::Invalid("readlen"),
            urcs: &[],
        },
        Case {
            name: "a response off the template is a parse error",
            script: |s| {
                s.expect("AT+QSSLRECV=1,1500\r")
                    .reply("\r\n+QSSLRECV: x\r\n\r\nOK\r\n")
            },
            run: recv,
            want: Got::Parse,
            urcs: &[],
        },
        Case {
            name: "QSSLOPEN waits for its result URC after OK",
            script: |s| {
                s.expect("AT+QSSLOPEN=1,1,1,\"example.com\",443\r")
                    .reply("\r\nOK\r\n")
                    .silence(Duration::from_secs(3))
                    .reply("\r\n+QSSLOPEN: 1,0\r\n")
            },
            run: open,
            want: Got::Ok(Vec::new(), Completion::Ok),
            urcs: &[],
        },
        Case {
            name: "an error code in the result URC is a module error with the manual's text",
            script: |s| {
                s.expect("AT+QSSLOPEN=1,1,1,\"example.com\",443\r")
                    .reply("\r\nOK\r\n\r\n+QSSLOPEN: 1,552\r\n")
            },
            run: open,
            want: Got::Module(552, Some("Invalid parameters")),
            urcs: &[],
        },
        Case {
            name: "a write the port refuses is an I/O error",
            script: |s| s.expect("AT+QSSLCLOSE"),
            run: recv,
            want: Got::Io,
            urcs: &[],
        },
        Case {
            name: "a raw line gets the same URC separation and final codes",
            script: |s| {
                s.expect("AT+QIACT=1\r")
                    .reply("\r\n+QIURC: \"pdpdeact\",1\r\nOK\r\n")
            },
            run: |m| {
                got(m.raw("AT+QIACT=1", Duration::from_secs(1)), |r| {
                    Got::Ok(r.block.to_vec(), r.completion)
                })
            },
            want: Got::Ok(Vec::new(), Completion::Ok),
            urcs: &[b"+QIURC: \"pdpdeact\",1"],
        },
    ]
}

#[test]
fn every_case_of_the_table_gives_its_outcome_and_queues_its_urcs() {
    for case in cases() {
        let mut m = modem::<Ec2x>(case.script);
        let got = (case.run)(&mut m);
        assert_eq!(got, case.want, "{}", case.name);
        let urcs = queued(&mut m);
        let want: Vec<Vec<u8>> = case.urcs.iter().map(|u| u.to_vec()).collect();
        assert_eq!(urcs, want, "{}: queued URCs", case.name);
        if case.want != Got::Io {
            assert!(
                m.port().finished(),
                "{}: script played: {:?}",
                case.name,
                m.port().remaining()
            );
        }
    }
}

#[test]
fn a_restart_line_during_a_command_fails_it_as_rebooted_when_asked_to() {
    let mut m = modem::<Ec2x>(|s| s.expect("AT+QSSLRECV=1,1500\r").reply("\r\nRDY\r\n"));
    m.session_mut().config_mut().abort_on_restart = true;
    assert_eq!(recv(&mut m), Got::Rebooted);
    assert_eq!(m.restarts(), 1);
    assert_eq!(queued(&mut m), vec![b"RDY".to_vec()]);
}

#[test]
fn a_full_urc_queue_counts_every_frame_it_drops() {
    // Four slots of 64 bytes: six short URCs and one too long for a slot.
    let long = format!("+QSSLURC: \"recv\",1{}", " ".repeat(80));
    let mut m = modem::<Ec2x>(|s| {
        s.expect("AT+QSSLRECV=1,1500\r").reply(format!(
            "\r\n{long}\r\n+QSSLURC: \"recv\",1\r\n+QSSLURC: \"recv\",2\r\n+QSSLURC: \"recv\",3\r\n+QSSLURC: \"recv\",4\r\n+QSSLURC: \"recv\",5\r\n+QSSLURC: \"recv\",6\r\n+QSSLRECV: 0\r\n\r\nOK\r\n"
        ))
    });
    assert_eq!(
        recv(&mut m),
        Got::Ok(b"+QSSLRECV: 0\r\n".to_vec(), Completion::Ok)
    );
    assert_eq!(
        m.urc_overflow(),
        3,
        "the long one and the two past the four slots"
    );
    assert_eq!(m.urc_overflow(), 0, "counted since the last call");
    assert_eq!(queued(&mut m).len(), 4);
}

#[test]
fn a_late_answer_after_a_timeout_is_queued_not_taken_for_the_next_command() {
    let mut m = modem::<Ec2x>(|s| {
        s.expect("AT+QSSLOPEN=1,1,4,\"example.com\",443\r")
            .reply("\r\nOK\r\n")
            .expect("AT+QSSLRECV=1,1500\r")
            // The result comes just after the next command was written.
            .reply("\r\n+QSSLOPEN: 4,0\r\n")
            .reply("\r\n+QSSLRECV: 0\r\n\r\nOK\r\n")
    });
    let open = QsslOpen {
        client: 4,
        host: "example.com".into(),
        port: 443,
        access_mode: None,
    };
    let quick = Opts {
        timeout: Some(Duration::from_secs(1)),
        ..Opts::default()
    };
    assert_eq!(exec(&mut m, &open, quick), Got::Timeout("result URC"));
    assert_eq!(
        recv(&mut m),
        Got::Ok(b"+QSSLRECV: 0\r\n".to_vec(), Completion::Ok)
    );
    assert_eq!(queued(&mut m), vec![b"+QSSLOPEN: 4,0".to_vec()]);
    assert!(m.port().finished());
}

#[test]
fn bc26_hex_data_is_encoded_after_the_manuals_prompt_wait_and_ended_by_its_result_urc() {
    let clock = ManualClock::new();
    let port = ScriptPort::new(clock.clone())
        .expect("AT+QSSLSEND=1,5,2\r")
        .reply("\r\n> ")
        .expect("0D0A")
        .reply("\r\nOK\r\n")
        .silence(Duration::from_millis(100))
        .reply("\r\n+QSSLSEND: 1,5,0\r\n");
    let mut m: TestModem<Bc26> = TestModem::new(port, clock.clone());
    m.set_setting("send_data_format", 1);
    let before = clock.now();
    let reply = m.send(&BC26_SEND, b"\r\n").expect("sent");
    assert!(matches!(
        reply.result_urc(),
        Some(Ok(Bc26Urc::Send { err: 0, .. }))
    ));
    // The manual clock: it moved through the 500 ms pause and the 100 ms silence.
    assert!(clock.now() - before >= Duration::from_millis(600));
    assert!(m.port().finished(), "{:?}", m.port().remaining());
}

const BC26_SEND: Bc26Send = Bc26Send {
    ctx: 1,
    conn: 5,
    len: 2,
};

#[test]
fn after_connect_polls_and_commands_are_refused_not_spun_on() {
    let mut m = modem::<Ec2x>(|s| s.expect("ATD*99#\r").reply("\r\nCONNECT 150000000\r\n"));
    let connected = m.raw("ATD*99#", Duration::from_secs(1));
    assert!(
        matches!(
            connected.as_ref().map(|r| &r.completion),
            Ok(Completion::Connect { .. })
        ),
        "{connected:?}"
    );
    let polled = m.poll_urcs(Duration::from_secs(60));
    assert!(
        matches!(
            polled,
            Err(ModemError::Command {
                failure: Failure::Mode { .. },
                ..
            })
        ),
        "{polled:?}"
    );
    let refused = got(m.raw("AT", Duration::from_secs(1)), |_| Got::Error);
    assert_eq!(refused, Got::Mode, "no command runs in transparent mode");
}

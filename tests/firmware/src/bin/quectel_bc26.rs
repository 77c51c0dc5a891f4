//! `quectel-bc26` (BC26, BC20): `<contextID>,<connectID>` everywhere, results in URCs,
//! received data pushed inline in `+QSSLURC: "recv",...`.
//!
//! 1. `AT` → `OK` (up to three tries);
//! 2. `AT+QSSLOPEN=1,0,"<host>",<port>,0` → `OK`, then `+QSSLOPEN: 1,0,0`;
//! 3. `AT+QSSLSEND=1,0,<len>` → `>` (and the manual's 500 ms pause) → exactly `<len>`
//!    bytes → `OK`, then `+QSSLSEND: 1,0,0`;
//! 4. the echo: `+QSSLURC: "recv",1,0,<len>,"<data>"` until every byte is back;
//! 5. `AT+QSSLCLOSE=1,0` → `OK`, then `+QSSLCLOSE: 1,0,0`.
#![no_std]
#![no_main]

use atgen::quectel_bc26 as m;
use atgen_firmware::at::{Modem, Step};
use atgen_firmware::board::Clock;
use atgen_firmware::{HOST, PAYLOAD, PORT};
use atgen_runtime::{Family as _, Frame};
use embedded_io::{Read, ReadReady, Write};

/// `<contextID>`: the firmware supports 1 only.
const CONTEXT: u8 = 1;
/// `<connectID>`.
const CONNECT: u8 = 0;

/// Waits for the result URC that `pick` recognises (`+QSSLOPEN: 1,0,<err>`, …) and
/// fails with the manual's description of a non-zero `<err>`. Pushed data that comes
/// meanwhile is handed to `data`.
fn result<U: Read + ReadReady + Write>(
    at: &mut Modem<'_, U, m::Family>,
    timeout_ms: u32,
    what: &'static str,
    pick: impl Fn(&m::Urc<'_>) -> bool,
    mut data: impl FnMut(&[u8]) -> Result<(), &'static str>,
) -> Result<(), &'static str> {
    at.wait(timeout_ms, what, |frame| {
        let bytes = match frame {
            Frame::Line(line) => line,
            Frame::Payload { frame, .. } => frame,
            _ => return Ok(Step::Next),
        };
        match m::Urc::parse(bytes, false) {
            Some(Ok(m::Urc::RecvPush(u))) if u.context_id == CONTEXT && u.connect_id == CONNECT => {
                data(u.data)?;
                Ok(Step::Next)
            }
            Some(Ok(m::Urc::Closed(u))) if u.context_id == CONTEXT && u.connect_id == CONNECT => {
                Err("the peer closed the connection")
            }
            Some(Ok(urc)) if pick(&urc) => {
                match m::Family::urc_error(&urc) {
                    None => Ok(Step::Done(())),
                    Some(code) => Err(m::Family::describe_error(code)
                        .unwrap_or("the result URC reports an error")),
                }
            }
            Some(Err(_)) => Err("a URC of the family did not parse"),
            _ => Ok(Step::Next),
        }
    })
}

/// The echo collected so far.
struct Echo {
    buf: [u8; PAYLOAD.len()],
    got: usize,
}

impl Echo {
    fn new() -> Self {
        Echo {
            buf: [0; PAYLOAD.len()],
            got: 0,
        }
    }

    fn push(&mut self, data: &[u8]) -> Result<(), &'static str> {
        let end = self.got + data.len();
        let dst = self
            .buf
            .get_mut(self.got..end)
            .ok_or("more data came back than was sent")?;
        dst.copy_from_slice(data);
        self.got = end;
        Ok(())
    }

    fn complete(&self) -> bool {
        self.got == self.buf.len()
    }
}

fn ignore(_: &[u8]) -> Result<(), &'static str> {
    Err("data arrived before anything was sent")
}

pub fn session<U: Read + ReadReady + Write>(
    uart: &mut U,
    clock: Clock,
) -> Result<(), &'static str> {
    let mut at = Modem::<U, m::Family>::new(uart, clock);

    // 1. Is anyone there?
    at.sync(3)?;

    // 2. Open: OK, then +QSSLOPEN: <contextID>,<connectID>,<err>.
    let open = m::Qsslopen {
        context_id: CONTEXT,
        connect_id: CONNECT,
        host_name: HOST,
        port: u32::from(PORT),
        connect_mode: m::ConnectMode::NonTransparent,
    };
    let wait = Modem::<U, m::Family>::max_wait(&open);
    at.command(&open)?;
    at.ok(wait, "no OK to AT+QSSLOPEN")?;
    result(
        &mut at,
        wait,
        "no +QSSLOPEN result URC",
        |u| matches!(u, m::Urc::QsslopenResult(r) if r.context_id == CONTEXT && r.connect_id == CONNECT),
        ignore,
    )?;

    // 3. Send, fixed length: OK, then +QSSLSEND: <contextID>,<connectID>,<err>. The
    // echo may be pushed before that URC, so data is collected from here on.
    let mut echo = Echo::new();
    let send_length = u16::try_from(PAYLOAD.len()).map_err(|_| "payload too long")?;
    let send = m::QsslsendFixedLength {
        context_id: CONTEXT,
        connect_id: CONNECT,
        send_length,
    };
    let wait = Modem::<U, m::Family>::max_wait(&send);
    at.command(&send)?;
    at.data(&send, PAYLOAD, wait)?;
    at.final_code(
        wait,
        atgen_runtime::FinalCode::Ok,
        "no OK after the data",
        "ERROR after the data",
        |frame| {
            if let Frame::Payload { frame, .. } = frame {
                if let Some(Ok(m::Urc::RecvPush(u))) = m::Urc::parse(frame, false) {
                    if u.context_id == CONTEXT && u.connect_id == CONNECT {
                        echo.push(u.data)?;
                    }
                }
            }
            Ok(())
        },
    )?;
    result(
        &mut at,
        wait,
        "no +QSSLSEND result URC",
        |u| matches!(u, m::Urc::QsslsendResult(r) if r.context_id == CONTEXT && r.connect_id == CONNECT),
        |data| echo.push(data),
    )?;

    // 4. The echo, pushed in "recv" URCs.
    while !echo.complete() {
        at.wait(
            atgen_firmware::at::STEP_CAP_MS,
            "no +QSSLURC: \"recv\" with the echo",
            |frame| {
                let Frame::Payload { frame, .. } = frame else {
                    return Ok(Step::Next);
                };
                match m::Urc::parse(frame, false) {
                    Some(Ok(m::Urc::RecvPush(u)))
                        if u.context_id == CONTEXT && u.connect_id == CONNECT =>
                    {
                        echo.push(u.data)?;
                        Ok(Step::Done(()))
                    }
                    Some(Err(_)) => Err("a +QSSLURC: \"recv\" did not parse"),
                    _ => Ok(Step::Next),
                }
            },
        )?;
    }
    if echo.buf != *PAYLOAD {
        return Err("the echo differs from what was sent");
    }

    // 5. Close: OK, then +QSSLCLOSE: <contextID>,<connectID>,<err>.
    let close = m::Qsslclose {
        context_id: CONTEXT,
        connect_id: CONNECT,
    };
    let wait = Modem::<U, m::Family>::max_wait(&close);
    at.command(&close)?;
    at.ok(wait, "no OK to AT+QSSLCLOSE")?;
    result(
        &mut at,
        wait,
        "no +QSSLCLOSE result URC",
        |u| matches!(u, m::Urc::QsslcloseResult(r) if r.context_id == CONTEXT && r.connect_id == CONNECT),
        |_| Err("data arrived after the echo"),
    )
}

#[cortex_m_rt::entry]
fn main() -> ! {
    atgen_firmware::run(m::FAMILY, session::<atgen_firmware::board::Uart>)
}

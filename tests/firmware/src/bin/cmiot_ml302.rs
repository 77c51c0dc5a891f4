//! `cmiot-ml302` (China Mobile ML302): `<ssid>` and `<ctxindex>`, sends ended by
//! Ctrl+Z, received data buffered and read with `AT+QSSLRECV=<cid>,<ssid>,<len>`.
//!
//! 1. `AT` → `OK` (up to three tries);
//! 2. `AT+QSSLOPEN=0,0,"<host>",<port>,0` → `OK`, then `+QSSLOPEN: 0,0`;
//! 3. `AT+QSSLSEND=0` → `>` → the data and Ctrl+Z → `SEND OK`;
//! 4. the echo: `+QSSLURC: "recv",<cid>,0`, then `AT+QSSLRECV=<cid>,0,1460` →
//!    `+QSSLRECV: <ip>:<port>,TCP,<n>` and the data (or no line when empty) → `OK`;
//! 5. `AT+QSSLCLOSE=0` → `OK`, then `0,CLOSE OK`.
#![no_std]
#![no_main]

use atgen::cmiot_ml302 as m;
use atgen_firmware::at::{with_crlf, Modem, Step};
use atgen_firmware::board::Clock;
use atgen_firmware::{HOST, PAYLOAD, PORT};
use atgen_runtime::{AtRequest, Family as _, FinalCode, Frame};
use embedded_io::{Read, ReadReady, Write};

/// `<ssid>`: the connection.
const SSID: u8 = 0;
/// `<ctxindex>`: the SSL context.
const CTX: u8 = 0;

pub fn session<U: Read + ReadReady + Write>(
    uart: &mut U,
    clock: Clock,
) -> Result<(), &'static str> {
    let mut at = Modem::<U, m::Family>::new(uart, clock);

    // 1. Is anyone there?
    at.sync(3)?;

    // 2. Open: OK, then +QSSLOPEN: <ssid>,<connectcode>.
    let open = m::Qsslopen {
        ssid: SSID,
        ctxindex: CTX,
        ipaddr_domainname: HOST,
        port: u32::from(PORT),
        connectmode: m::Connectmode::NonTransparent,
        timeout: None,
    };
    let wait = Modem::<U, m::Family>::max_wait(&open);
    at.command(&open)?;
    at.ok(wait, "no OK to AT+QSSLOPEN")?;
    at.wait(wait, "no +QSSLOPEN result URC", |frame| {
        let Frame::Line(line) = frame else {
            return Ok(Step::Next);
        };
        match m::Urc::parse(line, false) {
            Some(Ok(urc @ m::Urc::QsslopenResult(r))) if r.ssid == SSID => {
                match m::Family::urc_error(&urc) {
                    None => Ok(Step::Done(())),
                    Some(code) => {
                        Err(m::Family::describe_error(code)
                            .unwrap_or("+QSSLOPEN reported an error"))
                    }
                }
            }
            Some(Err(_)) => Err("a URC of the family did not parse"),
            _ => Ok(Step::Next),
        }
    })?;

    // 3. Send, ended by Ctrl+Z: SEND OK. The "recv" URC may come before it; it names
    // the <cid> to read with.
    let send = m::Qsslsend { ssid: SSID };
    let wait = Modem::<U, m::Family>::max_wait(&send);
    let mut announced: Option<u8> = None;
    at.command(&send)?;
    at.data(&send, PAYLOAD, wait)?;
    at.final_code(
        wait,
        FinalCode::SendOk,
        "no SEND OK",
        "SEND FAIL or ERROR",
        |frame| {
            if let Frame::Line(line) = frame {
                if let Some(Ok(m::Urc::Recv(u))) = m::Urc::parse(line, false) {
                    if u.ssid == SSID {
                        announced = Some(u.cid);
                    }
                }
            }
            Ok(())
        },
    )?;

    // 4. The echo, read from the buffer as often as it is announced.
    let mut echo = [0u8; PAYLOAD.len()];
    let mut got = 0;
    while got < PAYLOAD.len() {
        let cid = match announced {
            Some(cid) => cid,
            None => at.wait(
                atgen_firmware::at::STEP_CAP_MS,
                "no +QSSLURC: \"recv\"",
                |frame| {
                    let Frame::Line(line) = frame else {
                        return Ok(Step::Next);
                    };
                    match m::Urc::parse(line, false) {
                        Some(Ok(m::Urc::Recv(u))) if u.ssid == SSID => Ok(Step::Done(u.cid)),
                        Some(Ok(m::Urc::Closed(u))) if u.ssid == SSID => {
                            Err("the peer closed the connection")
                        }
                        _ => Ok(Step::Next),
                    }
                },
            )?,
        };
        let recv = m::Qsslrecv {
            cid,
            ssid: SSID,
            length: 1460,
        };
        let wait = Modem::<U, m::Family>::max_wait(&recv);
        at.command(&recv)?;
        // `+QSSLRECV: <ip>:<port>,TCP,<n>` and the data, or no line at all when the
        // buffer is empty; then OK.
        let mut n = 0;
        at.final_code(
            wait,
            FinalCode::Ok,
            "no OK to AT+QSSLRECV",
            "ERROR to AT+QSSLRECV",
            |frame| {
                let Frame::Payload { frame, .. } = frame else {
                    return Ok(());
                };
                if !frame.starts_with(b"+QSSLRECV:") {
                    return Ok(());
                }
                n = with_crlf(frame, |block| {
                    let r = m::Qsslrecv::parse_response(block)
                        .map_err(|_| "+QSSLRECV did not parse")?;
                    let Some(line) = r.line1 else {
                        return Ok(0);
                    };
                    if usize::try_from(line.actuallength).ok() != Some(line.data.len()) {
                        return Err("+QSSLRECV length and data disagree");
                    }
                    let dst = echo
                        .get_mut(got..got + line.data.len())
                        .ok_or("more data came back than was sent")?;
                    dst.copy_from_slice(line.data);
                    Ok(line.data.len())
                })??;
                Ok(())
            },
        )?;
        // Read to empty: the next data is announced again.
        announced = if n > 0 { Some(cid) } else { None };
        got += n;
    }
    if echo != *PAYLOAD {
        return Err("the echo differs from what was sent");
    }

    // 5. Close: OK, then <ssid>,CLOSE OK.
    let close = m::Qsslclose {
        ssid: SSID,
        closetype: None,
    };
    let wait = Modem::<U, m::Family>::max_wait(&close);
    at.command(&close)?;
    at.ok(wait, "no OK to AT+QSSLCLOSE")?;
    at.wait(wait, "no <ssid>,CLOSE OK", |frame| {
        let Frame::Line(line) = frame else {
            return Ok(Step::Next);
        };
        match m::Urc::parse(line, false) {
            Some(Ok(m::Urc::QsslcloseResult(r))) if r.ssid == SSID => Ok(Step::Done(())),
            _ => Ok(Step::Next),
        }
    })
}

#[cortex_m_rt::entry]
fn main() -> ! {
    atgen_firmware::run(m::FAMILY, session::<atgen_firmware::board::Uart>)
}

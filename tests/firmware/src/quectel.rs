//! The session of the Quectel LTE / WCDMA families (EC2x, EC200x, UGxx), whose manuals
//! describe the same dialog under different parameter names:
//!
//! 1. `AT` → `OK` (up to three tries);
//! 2. `AT+QSSLOPEN=<pdp>,<ssl>,0,"<host>",<port>,0` (buffer access mode) → `OK`, then
//!    the result URC `+QSSLOPEN: 0,<err>` with `<err>` 0;
//! 3. `AT+QSSLSEND=0,<len>` → `>` → exactly `<len>` bytes → `SEND OK`;
//! 4. the echo: `+QSSLURC: "recv",0`, then `AT+QSSLRECV=0,1500` →
//!    `+QSSLRECV: <n>` and the data → `OK`, until every byte is back;
//! 5. `AT+QSSLCLOSE=0` → `OK`.

/// Defines `pub fn session(uart, clock)` for the generated family module `atgen::$m`,
/// given the names of its fields that differ between the manuals, and how its
/// `+QSSLOPEN` result says success.
#[macro_export]
macro_rules! quectel_session {
    (
        $m:ident {
            pdp: $pdp:ident,
            ssl: $ssl:ident,
            have_readlen: $have_readlen:ident,
            open_ok: |$r:ident| $ok:expr $(,)?
        }
    ) => {
        /// The family's SSL session over `uart`: open, send [`PAYLOAD`], read the echo
        /// back, close. See `atgen_firmware::quectel`.
        ///
        /// [`PAYLOAD`]: atgen_firmware::PAYLOAD
        pub fn session<U>(uart: &mut U, clock: $crate::board::Clock) -> Result<(), &'static str>
        where
            U: embedded_io::Read + embedded_io::ReadReady + embedded_io::Write,
        {
            use atgen::$m as m;
            use atgen_runtime::{AtRequest, Family as _, FinalCode, Frame};
            use $crate::at::{with_crlf, Modem, Step};
            use $crate::{HOST, PAYLOAD, PORT};

            const CLIENT: u8 = 0;
            let mut at = Modem::<U, m::Family>::new(uart, clock);

            // 1. Is anyone there?
            at.sync(3)?;

            // 2. Open, in buffer access mode: OK, then the result URC.
            let open = m::Qsslopen {
                $pdp: 1,
                $ssl: 1,
                client_id: CLIENT,
                serveraddr: HOST,
                server_port: u32::from(PORT),
                access_mode: Some(m::AccessMode::Buffer),
            };
            let wait = Modem::<U, m::Family>::max_wait(&open);
            at.command(&open)?;
            at.ok(wait, "no OK to AT+QSSLOPEN")?;
            at.wait(wait, "no +QSSLOPEN result URC", |frame| {
                let Frame::Line(line) = frame else {
                    return Ok(Step::Next);
                };
                match m::Urc::parse(line, false) {
                    Some(Ok(urc @ m::Urc::QsslopenResult($r))) if $r.client_id == CLIENT => {
                        if $ok {
                            Ok(Step::Done(()))
                        } else {
                            Err(m::Family::urc_error(&urc)
                                .and_then(m::Family::describe_error)
                                .unwrap_or("+QSSLOPEN reported an error"))
                        }
                    }
                    Some(Err(_)) => Err("a URC of the family did not parse"),
                    _ => Ok(Step::Next),
                }
            })?;

            // 3. Send, fixed length. A "recv" URC may already come before SEND OK.
            let sendlen = u16::try_from(PAYLOAD.len()).map_err(|_| "payload too long")?;
            let send = m::QsslsendFixedLength {
                client_id: CLIENT,
                sendlen,
            };
            let wait = Modem::<U, m::Family>::max_wait(&send);
            let mut announced = false;
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
                            announced |= u.client_id == CLIENT;
                        }
                    }
                    Ok(())
                },
            )?;

            // 4. The echo, read from the buffer as often as it is announced.
            let mut echo = [0u8; PAYLOAD.len()];
            let mut got = 0;
            while got < PAYLOAD.len() {
                if !announced {
                    at.wait($crate::at::STEP_CAP_MS, "no +QSSLURC: \"recv\"", |frame| {
                        let Frame::Line(line) = frame else {
                            return Ok(Step::Next);
                        };
                        match m::Urc::parse(line, false) {
                            Some(Ok(m::Urc::Recv(u))) if u.client_id == CLIENT => {
                                Ok(Step::Done(()))
                            }
                            Some(Ok(m::Urc::Closed(u))) if u.client_id == CLIENT => {
                                Err("the peer closed the connection")
                            }
                            _ => Ok(Step::Next),
                        }
                    })?;
                }
                let recv = m::Qsslrecv {
                    client_id: CLIENT,
                    readlen: 1500,
                };
                let wait = Modem::<U, m::Family>::max_wait(&recv);
                at.command(&recv)?;
                let n = at.wait(wait, "no +QSSLRECV response", |frame| {
                    let Frame::Payload { frame, .. } = frame else {
                        return Ok(Step::Next);
                    };
                    if !frame.starts_with(b"+QSSLRECV:") {
                        return Ok(Step::Next);
                    }
                    let copied = with_crlf(frame, |block| {
                        let r = m::Qsslrecv::parse_response(block)
                            .map_err(|_| "+QSSLRECV did not parse")?;
                        if usize::try_from(r.$have_readlen).ok() != Some(r.data.len()) {
                            return Err("+QSSLRECV length and data disagree");
                        }
                        let dst = echo
                            .get_mut(got..got + r.data.len())
                            .ok_or("more data came back than was sent")?;
                        dst.copy_from_slice(r.data);
                        Ok(r.data.len())
                    })??;
                    Ok(Step::Done(copied))
                })?;
                at.ok(wait, "no OK after +QSSLRECV")?;
                // Read to empty: the next data is announced again.
                announced = n > 0;
                got += n;
            }
            if echo != *PAYLOAD {
                return Err("the echo differs from what was sent");
            }

            // 5. Close.
            let close = m::Qsslclose {
                client_id: CLIENT,
                close_timeout: None,
            };
            let wait = Modem::<U, m::Family>::max_wait(&close);
            at.command(&close)?;
            at.ok(wait, "no OK to AT+QSSLCLOSE")
        }
    };
}

//! The `quectel-ec2x` SSL session of atgen-firmware written with atat 0.25, the way
//! its users write drivers: each command a struct with `#[derive(AtatCmd)]`, the
//! responses `#[derive(AtatResp)]`, the URCs an `#[derive(AtatUrc)]` enum (so the
//! digester tells them from responses), run on atat's blocking `SimpleClient`
//! over the same UART. A benchmark for size and stack, not a test.
//!
//! What atat cannot do here, and how this program copes (as its users do):
//! - the `SimpleClient` drops URCs, so the `+QSSLOPEN: 0,<err>` result is not
//!   seen: the program polls `AT+QSSLSTATE=0` until the connection is up;
//! - the `>` prompt is answered like an empty `OK`, and the data is a second
//!   "command" whose written bytes are the payload; `SEND OK` is a custom success;
//! - no "read N raw bytes" mode: `AT+QSSLRECV` is parsed by hand from the
//!   response (the payload must not hold `\r\nOK\r\n`), polled until data came.
#![no_std]
#![no_main]

use atat::atat_derive::{AtatCmd, AtatResp, AtatUrc};
use atat::blocking::{AtatClient, SimpleClient};
use atat::{AtDigester, AtatCmd, Config, Error, InternalError};
use atgen_firmware::board::{self, Clock, Uart, UartError};
use atgen_firmware::{HOST, PAYLOAD, PORT};
use heapless::String;

#[derive(Clone, AtatResp)]
pub struct NoResponse;

#[derive(Clone, AtatCmd)]
#[at_cmd("", NoResponse, timeout_ms = 1000)]
pub struct At;

#[derive(Clone, AtatCmd)]
#[at_cmd("+QSSLOPEN", NoResponse, timeout_ms = 10000)]
pub struct Open<'a> {
    #[at_arg(position = 0)]
    pub pdp_ctx_id: u8,
    #[at_arg(position = 1)]
    pub ssl_ctx_id: u8,
    #[at_arg(position = 2)]
    pub client_id: u8,
    #[at_arg(position = 3)]
    pub serveraddr: &'a str,
    #[at_arg(position = 4)]
    pub server_port: u16,
    #[at_arg(position = 5)]
    pub access_mode: u8,
}

#[derive(Clone, AtatResp)]
pub struct State {
    #[at_arg(position = 0)]
    pub client_id: u8,
    #[at_arg(position = 1)]
    pub service: String<16>,
    #[at_arg(position = 2)]
    pub ip: String<64>,
    #[at_arg(position = 3)]
    pub remote_port: u16,
    #[at_arg(position = 4)]
    pub local_port: u16,
    #[at_arg(position = 5)]
    pub socket_state: u8,
    #[at_arg(position = 6)]
    pub pdp_ctx_id: u8,
    #[at_arg(position = 7)]
    pub server_id: u8,
    #[at_arg(position = 8)]
    pub access_mode: u8,
    #[at_arg(position = 9)]
    pub at_port: String<16>,
    #[at_arg(position = 10)]
    pub ssl_ctx_id: u8,
}

#[derive(Clone, AtatCmd)]
#[at_cmd("+QSSLSTATE", State, timeout_ms = 1000)]
pub struct QueryState {
    #[at_arg(position = 0)]
    pub client_id: u8,
}

/// `AT+QSSLSEND=<clientID>,<sendlen>`: answered by the `>` prompt.
#[derive(Clone, AtatCmd)]
#[at_cmd("+QSSLSEND", NoResponse, timeout_ms = 1000)]
pub struct Send {
    #[at_arg(position = 0)]
    pub client_id: u8,
    #[at_arg(position = 1)]
    pub sendlen: u16,
}

/// The data after the prompt, answered `SEND OK`.
pub struct Data<'a>(pub &'a [u8]);

impl AtatCmd for Data<'_> {
    type Response = NoResponse;
    const MAX_TIMEOUT_MS: u32 = 1000;

    fn write(&self, buf: &mut [u8]) -> usize {
        let n = self.0.len().min(buf.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        n
    }

    fn parse(&self, resp: Result<&[u8], InternalError>) -> Result<NoResponse, Error> {
        resp.map(|_| NoResponse).map_err(Error::from)
    }
}

/// `AT+QSSLRECV=<clientID>,<readlen>`: `+QSSLRECV: <n>` and `n` bytes.
pub struct Recv {
    pub client_id: u8,
    pub readlen: u16,
}

pub struct Received {
    pub data: heapless::Vec<u8, 256>,
}

impl atat::AtatResp for Received {}

impl AtatCmd for Recv {
    type Response = Received;
    const MAX_TIMEOUT_MS: u32 = 1000;

    fn write(&self, buf: &mut [u8]) -> usize {
        let mut s: String<32> = String::new();
        let _ = core::fmt::write(
            &mut s,
            format_args!("AT+QSSLRECV={},{}\r", self.client_id, self.readlen),
        );
        let n = s.len().min(buf.len());
        buf[..n].copy_from_slice(&s.as_bytes()[..n]);
        n
    }

    fn parse(&self, resp: Result<&[u8], InternalError>) -> Result<Received, Error> {
        let resp = resp.map_err(Error::from)?;
        let rest = resp.strip_prefix(b"+QSSLRECV: ").ok_or(Error::Parse)?;
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let n: usize = core::str::from_utf8(&rest[..digits])
            .ok()
            .and_then(|d| d.parse().ok())
            .ok_or(Error::Parse)?;
        // The digester trimmed the response: trailing CR LFs of the data are gone.
        let data = rest.get(digits + 2..).unwrap_or(&[]);
        let data = data.get(..n).unwrap_or(data);
        Ok(Received {
            data: heapless::Vec::from_slice(data).map_err(|_| Error::Parse)?,
        })
    }
}

#[derive(Clone, AtatCmd)]
#[at_cmd("+QSSLCLOSE", NoResponse, timeout_ms = 10000)]
pub struct Close {
    #[at_arg(position = 0)]
    pub client_id: u8,
}

/// The URCs, so the digester does not take them for responses.
#[derive(Clone, AtatUrc)]
pub enum Urc {
    #[at_urc("+QSSLOPEN")]
    Opened(OpenResult),
    #[at_urc("+QSSLURC")]
    Event(UrcEvent),
}

#[derive(Clone, AtatResp)]
pub struct OpenResult {
    #[at_arg(position = 0)]
    pub client_id: u8,
    #[at_arg(position = 1)]
    pub err: i32,
}

#[derive(Clone, AtatResp)]
pub struct UrcEvent {
    #[at_arg(position = 0)]
    pub kind: String<16>,
    #[at_arg(position = 1)]
    pub client_id: u8,
}

/// embedded-io 0.7 (atat's) over the board's embedded-io 0.6 UART.
pub struct Port<'u>(&'u mut Uart);

#[derive(Debug)]
pub struct PortError(UartError);

impl core::fmt::Display for PortError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl core::error::Error for PortError {}

impl embedded_io_07::Error for PortError {
    fn kind(&self) -> embedded_io_07::ErrorKind {
        embedded_io_07::ErrorKind::Other
    }
}

impl embedded_io_07::ErrorType for Port<'_> {
    type Error = PortError;
}

impl embedded_io_07::Read for Port<'_> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, PortError> {
        embedded_io::Read::read(self.0, buf).map_err(PortError)
    }
}

impl embedded_io_07::ReadReady for Port<'_> {
    fn read_ready(&mut self) -> Result<bool, PortError> {
        embedded_io::ReadReady::read_ready(self.0).map_err(PortError)
    }
}

impl embedded_io_07::Write for Port<'_> {
    fn write(&mut self, buf: &[u8]) -> Result<usize, PortError> {
        embedded_io::Write::write(self.0, buf).map_err(PortError)
    }
    fn flush(&mut self) -> Result<(), PortError> {
        embedded_io::Write::flush(self.0).map_err(PortError)
    }
}

impl embedded_io_07::WriteReady for Port<'_> {
    fn write_ready(&mut self) -> Result<bool, PortError> {
        embedded_io::WriteReady::write_ready(self.0).map_err(PortError)
    }
}

/// embassy-time's clock (atat times its waits with it): the SysTick milliseconds.
struct SysTickDriver;

impl embassy_time_driver::Driver for SysTickDriver {
    fn now(&self) -> u64 {
        let ms = board::millis();
        ms.saturating_mul(embassy_time_driver::TICK_HZ / 1000)
    }
    fn schedule_wake(&self, _at: u64, waker: &core::task::Waker) {
        // Only the blocking client runs: nothing waits on a waker.
        waker.wake_by_ref();
    }
}

embassy_time_driver::time_driver_impl!(static DRIVER: SysTickDriver = SysTickDriver);

fn session(uart: &mut Uart, clock: Clock) -> Result<(), &'static str> {
    let mut buf = [0u8; 1024];
    let digester = AtDigester::<Urc>::new().with_custom_success(|b| {
        const SEND_OK: &[u8] = b"\r\nSEND OK\r\n";
        match b.windows(SEND_OK.len()).position(|w| w == SEND_OK) {
            Some(at) => Ok((&b[..at], at + SEND_OK.len())),
            None => Err(atat::digest::ParseError::NoMatch),
        }
    });
    let mut client = SimpleClient::new(Port(uart), digester, &mut buf, Config::default());

    let mut synced = false;
    for _ in 0..3 {
        if client.send(&At).is_ok() {
            synced = true;
            break;
        }
    }
    if !synced {
        return Err("no OK to AT");
    }
    client
        .send(&Open {
            pdp_ctx_id: 1,
            ssl_ctx_id: 1,
            client_id: 0,
            serveraddr: HOST,
            server_port: PORT,
            access_mode: 0,
        })
        .map_err(|_| "AT+QSSLOPEN failed")?;
    // The result URC is dropped by the client: poll the state until connected (2).
    let mut open = false;
    for _ in 0..50 {
        if let Ok(s) = client.send(&QueryState { client_id: 0 }) {
            if s.socket_state == 2 {
                open = true;
                break;
            }
        }
        clock.delay_ms(20);
    }
    if !open {
        return Err("the connection did not come up");
    }
    let sendlen = u16::try_from(PAYLOAD.len()).map_err(|_| "payload too long")?;
    client
        .send(&Send {
            client_id: 0,
            sendlen,
        })
        .map_err(|_| "no > prompt to AT+QSSLSEND")?;
    client.send(&Data(PAYLOAD)).map_err(|_| "no SEND OK")?;
    let mut echo: heapless::Vec<u8, 256> = heapless::Vec::new();
    for _ in 0..50 {
        let got = client
            .send(&Recv {
                client_id: 0,
                readlen: 1500,
            })
            .map_err(|_| "AT+QSSLRECV failed")?;
        echo.extend_from_slice(&got.data)
            .map_err(|_| "echo too long")?;
        if echo.len() >= PAYLOAD.trim_ascii_end().len() {
            break;
        }
        clock.delay_ms(20);
    }
    // atat's digester trims the response, so a payload's trailing CR LFs are lost
    // (it has no "read N bytes" mode): compare what it can deliver.
    let trimmed = PAYLOAD.trim_ascii_end();
    if echo.as_slice().trim_ascii_end() != trimmed {
        return Err(if echo.len() < PAYLOAD.len() {
            "the echo came back short"
        } else {
            "the echo differs from the data sent"
        });
    }
    client
        .send(&Close { client_id: 0 })
        .map_err(|_| "AT+QSSLCLOSE failed")?;
    Ok(())
}

#[cortex_m_rt::entry]
fn main() -> ! {
    atgen_firmware::report_run("quectel-ec2x-atat", session)
}

//! The async driver against the in-process simulator on tokio: the
//! simulator's blocking host stream bridged into a tokio duplex stream (a
//! thread for each direction), seen through `embedded-io-adapters`' tokio
//! adapter as an `embedded-io-async` port; time from `tokio::time`.
#![allow(dead_code)]

use std::io::{Read as _, Write as _};
use std::time::Duration;

use atgen::sim::{Options, SimHandle, Simulator};
use atgen_runtime::asynch::{self, Timer};
use atgen_runtime::dialog::{Dialect, Options as SockOptions};
use embedded_io_adapters::tokio_1::FromTokio;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _, DuplexStream};

/// Every wait for the module is capped at this: the simulator answers within
/// milliseconds, so a dropped answer fails fast.
pub const CAP: Duration = Duration::from_millis(400);

/// How long a read waits for the echo.
pub const READ: Duration = Duration::from_millis(1500);

/// Time on tokio: since the timer was made.
#[derive(Debug, Clone, Copy)]
pub struct TokioTimer(tokio::time::Instant);

impl TokioTimer {
    pub fn new() -> Self {
        TokioTimer(tokio::time::Instant::now())
    }
}

impl Timer for TokioTimer {
    fn now(&self) -> Duration {
        self.0.elapsed()
    }
    async fn wait_until(&mut self, deadline: Duration) {
        tokio::time::sleep_until(self.0 + deadline).await
    }
}

/// The port the async driver talks on.
pub type Port = FromTokio<DuplexStream>;

pub type AsyncModem<F> = asynch::Modem<Port, TokioTimer, F>;
pub type AsyncSocket<D> = asynch::SslSocket<'static, Port, TokioTimer, D>;

/// The simulator's host side as a tokio stream: one thread copies what the
/// module writes into the duplex stream, a task copies what the host writes
/// to the module. Both end when the simulator stops (or the stream is dropped).
pub fn bridge(sim: &mut SimHandle) -> DuplexStream {
    let (reader, mut writer) = sim.take_host().expect("the host side").split();
    let (ours, theirs) = tokio::io::duplex(64 * 1024);
    let (mut from_host, mut to_host) = tokio::io::split(theirs);
    let handle = tokio::runtime::Handle::current();
    std::thread::spawn(move || {
        let mut reader = reader;
        let mut buf = [0u8; 4096];
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            let chunk = buf.get(..n).unwrap_or(&[]);
            if handle.block_on(to_host.write_all(chunk)).is_err() {
                return;
            }
        }
    });
    tokio::spawn(async move {
        let mut buf = [0u8; 4096];
        loop {
            let n = match from_host.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            if writer.write_all(buf.get(..n).unwrap_or(&[])).is_err() {
                return;
            }
        }
    });
    ours
}

/// A simulator of `family` with `options` and an async modem on it. The
/// session's prompt pause (BC26: the manual's 500 ms) is off: the simulator
/// takes data at once.
pub fn modem<F: atgen_runtime::Family>(
    family: &str,
    options: Options,
) -> (SimHandle, AsyncModem<F>) {
    let mut sim = Simulator::spawn(family, options).expect("the simulator starts");
    let stream = bridge(&mut sim);
    let mut modem = AsyncModem::<F>::new(FromTokio::new(stream), TokioTimer::new());
    modem.session_mut().config_mut().prompt_wait = Some(Duration::ZERO);
    modem.session_mut().config_mut().resync_quiet = Duration::from_millis(50);
    (sim, modem)
}

/// The socket options of the tests: every wait capped at [`CAP`], quick retries.
pub fn options() -> SockOptions<'static> {
    SockOptions {
        timeout: Some(CAP),
        send_backoff: Duration::from_millis(5),
        ..SockOptions::default()
    }
}

/// A simulator and an async SSL socket of the dialect `D` on it.
pub fn socket<D: Dialect + Default>(options: Options) -> (SimHandle, AsyncSocket<D>) {
    let family = D::default().family();
    let (sim, modem) = modem::<D::Family>(family, options);
    let mut sock = AsyncSocket::<D>::new(modem, D::default(), self::options());
    sock.set_read_timeout(Some(READ));
    (sim, sock)
}

/// Reads until `want` bytes came (or the read fails); the bytes.
pub async fn read_exactly<D: Dialect>(
    sock: &mut AsyncSocket<D>,
    want: usize,
) -> Result<Vec<u8>, atgen_runtime::driver::SocketError<std::io::Error>> {
    let mut out = Vec::new();
    let mut buf = [0u8; 512];
    while out.len() < want {
        let n = sock.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        out.extend_from_slice(buf.get(..n).unwrap_or(&[]));
    }
    Ok(out)
}

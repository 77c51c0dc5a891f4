//! The link driver (`atgen_runtime::link::Link`) of quectel-ec2x over a fake transport
//! whose module answers are the fuzzer's bytes, delivered in chunk sizes the fuzzer
//! chooses, with a `ManualClock` that jumps to the deadline on every idle read (so the
//! manuals' 150 s timeouts pass instantly). It runs a fuzzer-chosen list of typed
//! requests (QSSLOPEN, QSSLSEND with data, QSSLRECV, QSSLCLOSE, ...), URC polling and
//! transparent mode, or the portable `SslSocket` over the same link. It must never
//! panic, never hang (the transport panics past a read budget proportional to the
//! input, and libFuzzer's `-timeout` catches the rest), keep what it queues within what
//! the module sent, and a reply must parse again (`Reply::response`).
//!
//! Input layout (see tests/fuzz/README.md):
//! - byte 0: flags: bit 0 the module echoes what it is sent (ATE1), bit 1 the stream
//!   ends with an I/O error (else the module goes silent), bit 2 small line and payload
//!   limits, bit 3 drive `SslSocket` instead of the request list; bits 4..=7 the
//!   clientID (`% 12`) of every request
//! - byte 1: K (`% 16`), then K chunk sizes used in turn (0: an idle read; none: every
//!   read takes all it can)
//! - then M (`% 32`), then M operation bytes (low nibble: the operation, high nibble
//!   its argument; none: open, send 18 bytes, receive, close)
//! - then the module's output.
#![no_main]

use std::collections::VecDeque;
use std::io;
use std::time::Duration;

use atgen::quectel_ec2x::{
    AccessMode, Family, Qsslclose, Qsslopen, Qsslrecv, Qsslsend, QsslsendFixedLength, Qsslstate,
    QsslstateExec,
};
use atgen_runtime::link::{Clock, Completion, Config, Exec, Link, ManualClock, Transport};
use atgen_runtime::socket::{SslConfig, SslSocket};
use atgen_runtime::AtRequest;
use libfuzzer_sys::fuzz_target;

struct FakeModule<'a> {
    clock: ManualClock,
    stream: &'a [u8],
    at: usize,
    chunks: &'a [u8],
    chunk_at: usize,
    echo: bool,
    echoed: VecDeque<u8>,
    error_at_end: bool,
    reads: usize,
    max_reads: usize,
    delivered: usize,
}

impl FakeModule<'_> {
    fn idle(&mut self, timeout: Duration) -> io::Result<usize> {
        // Never a zero step: a caller that reads with no timeout still sees time pass.
        self.clock.advance(timeout.max(Duration::from_millis(1)));
        Ok(0)
    }
}

impl Transport for FakeModule<'_> {
    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        self.reads += 1;
        assert!(
            self.reads <= self.max_reads,
            "livelock: {} reads for {} bytes of module output",
            self.reads,
            self.stream.len()
        );
        let chunk = match self.chunks {
            [] => usize::MAX,
            c => {
                let n = c[self.chunk_at % c.len()];
                self.chunk_at += 1;
                usize::from(n)
            }
        };
        if chunk == 0 {
            return self.idle(timeout);
        }
        let want = chunk.min(buf.len());
        if !self.echoed.is_empty() {
            let n = want.min(self.echoed.len());
            for (dst, src) in buf.iter_mut().zip(self.echoed.drain(..n)) {
                *dst = src;
            }
            self.delivered += n;
            return Ok(n);
        }
        let rest = &self.stream[self.at..];
        if rest.is_empty() {
            if self.error_at_end {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the fake module is gone",
                ));
            }
            return self.idle(timeout);
        }
        let n = want.min(rest.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.at += n;
        self.delivered += n;
        Ok(n)
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.echo && self.echoed.len() < 1 << 16 {
            self.echoed.extend(bytes);
        }
        Ok(())
    }
}

/// Open, send the manual's 18 bytes, receive, close (the manual's examples 3.3).
const DEFAULT_OPS: &[u8] = &[0x00, 0x01, 0x03, 0x04];

fn ops(link: &mut Link<FakeModule<'_>, Family, ManualClock>, id: u8, list: &[u8]) {
    for &op in list {
        let arg = op >> 4;
        match op & 0x0f {
            0 => {
                let open = Qsslopen {
                    pdp_ctx_id: 1,
                    ssl_ctx_id: 1,
                    client_id: id,
                    serveraddr: "example.com",
                    server_port: 443,
                    access_mode: [
                        None,
                        Some(AccessMode::Buffer),
                        Some(AccessMode::DirectPush),
                        Some(AccessMode::Transparent),
                    ][usize::from(arg % 4)],
                };
                if let Ok(r) = link.execute(&open) {
                    let _ = r.result_urc();
                }
            }
            1 => {
                let data = match arg {
                    0 => b"Test data from SSL".to_vec(),
                    n => vec![b'x'; usize::from(n)],
                };
                let send = QsslsendFixedLength {
                    client_id: id,
                    sendlen: u16::try_from(data.len()).unwrap_or(u16::MAX),
                };
                check(link.send(&send, &data));
            }
            2 => check(link.send(&Qsslsend { client_id: id }, b"Test data from SSL")),
            3 => {
                let recv = Qsslrecv {
                    client_id: id,
                    readlen: 1500,
                };
                if let Ok(r) = link.execute(&recv) {
                    let resp = r.response().expect("a reply parses again");
                    let _ = format!("{resp:?}");
                }
            }
            4 => {
                let close = Qsslclose {
                    client_id: id,
                    close_timeout: (arg > 0).then_some(u16::from(arg)),
                };
                check(link.execute(&close));
            }
            5 => {
                if let Ok(r) = link.execute(&QsslstateExec) {
                    let resp = r.response().expect("a reply parses again");
                    let _ = format!("{resp:?}");
                }
            }
            6 => {
                let _ = link.poll_urcs(Duration::from_millis(100 * u64::from(arg)));
            }
            7 => {
                let _ = link.wait_urc(Duration::from_secs(u64::from(arg)), |u| u.is_known());
            }
            8 => {
                for u in link.drain_urcs() {
                    let _ = u.parse::<Family>();
                    let _ = u.text();
                }
            }
            9 => {
                let send = QsslsendFixedLength {
                    client_id: id,
                    sendlen: 4,
                };
                let cancel = Exec {
                    cancel: true,
                    ..Exec::default()
                };
                check(link.execute_with(&send, cancel));
            }
            10 => {
                let recv = Qsslrecv {
                    client_id: id,
                    readlen: u16::from(arg) * 100,
                };
                check(link.execute_timeout(&recv, Duration::from_millis(u64::from(arg) * 50)));
            }
            11 => {
                let _ = link.transparent_write(b"GET / HTTP/1.1\r\n\r\n");
                let mut buf = [0u8; 64];
                let _ = link.transparent_read(&mut buf, Duration::from_millis(200));
            }
            12 => {
                let _ = link.exit_transparent();
            }
            13 => check(link.execute(&Qsslstate { client_id: id })),
            14 => {
                let c = link.config_mut();
                c.max_line = 16 + 64 * usize::from(arg);
                c.max_payload = 32 * usize::from(arg);
            }
            _ => {
                let _ = link.take_urcs(|u| !u.is_known());
            }
        }
    }
}

/// A successful reply parses again (`Reply::response`: "the link already parsed it
/// once"; not so for a cancelled data phase, whose lines the link never parsed); an
/// error formats.
fn check<R: AtRequest>(r: Result<atgen_runtime::link::Reply<R>, atgen_runtime::link::LinkError>)
where
    for<'r> R::Response<'r>: std::fmt::Debug,
{
    match r {
        Ok(reply) if *reply.completion() == Completion::Cancelled => {
            let _ = format!("{:?} {reply:?}", reply.response());
        }
        Ok(reply) => {
            let resp = reply.response().expect("a reply parses again");
            let _ = format!("{resp:?} {reply:?}");
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

fn socket(link: Link<FakeModule<'_>, Family, ManualClock>, id: u8) -> FakeModule<'_> {
    let config = SslConfig {
        client: id,
        timeout: Some(Duration::from_secs(20)),
        read_timeout: Some(Duration::from_secs(1)),
        ..SslConfig::default()
    };
    let mut sock = SslSocket::new(link, atgen::ssl::Ec2x, config);
    if sock.connect("example.com", 443).is_ok() {
        let _ = sock.write(b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n");
        let mut buf = [0u8; 512];
        for _ in 0..4 {
            match sock.read_within(&mut buf, Some(Duration::from_secs(2))) {
                Ok(Some(0)) | Err(_) => break,
                Ok(_) => {}
            }
        }
        let _ = sock.close();
    }
    sock.into_link().into_transport()
}

fuzz_target!(|input: &[u8]| {
    let [flags, nchunks, rest @ ..] = input else {
        return;
    };
    let Some((chunks, rest)) = rest.split_at_checked(usize::from(nchunks % 16)) else {
        return;
    };
    let [nops, rest @ ..] = rest else {
        return;
    };
    let Some((op_list, stream)) = rest.split_at_checked(usize::from(nops % 32)) else {
        return;
    };
    let op_list = if op_list.is_empty() {
        DEFAULT_OPS
    } else {
        op_list
    };
    let id = (flags >> 4) % 12;
    let clock = ManualClock::new();
    let module = FakeModule {
        clock: clock.clone(),
        stream,
        at: 0,
        chunks,
        chunk_at: 0,
        echo: flags & 1 != 0,
        echoed: VecDeque::new(),
        error_at_end: flags & 2 != 0,
        reads: 0,
        max_reads: 64 * (input.len() + 16),
        delivered: 0,
    };
    let mut config = Config::default();
    if flags & 4 != 0 {
        config.max_line = 64;
        config.max_payload = 256;
    }
    let mut link = Link::with_config(module, clock.clone(), config);
    let module = if flags & 8 != 0 {
        socket(link, id)
    } else {
        // The list again while the module still has something to say, as a host would.
        for _ in 0..4 {
            let before = link.transport().at;
            ops(&mut link, id, op_list);
            if link.transport().at == before || link.transport().at >= stream.len() {
                break;
            }
        }
        let queued: usize = link.urcs().iter().map(|u| u.frame.len()).sum();
        assert!(
            queued <= link.transport().delivered,
            "{queued} bytes of URCs queued from {} bytes received",
            link.transport().delivered
        );
        link.into_transport()
    };
    assert!(module.at <= module.stream.len());
    let _ = clock.now();
});

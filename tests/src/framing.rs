//! The best payload rate the AT framing allows, computed from a family's spec.
//!
//! For one chunk of each exchange it counts the bytes each side of the UART
//! carries (both directions run at the line rate), rendering every line from
//! the spec's templates with the values the runtime sends and the module
//! answers, in the chunk sizes the runtime uses:
//! - a send of the family's largest chunk ([`Dialog::max_chunk`]): the host writes
//!   the command line and the data (and Ctrl+Z where the data phase ends so),
//!   the module the prompt and the answer (`SEND OK`, or `OK` and the send's
//!   result URC where it has one);
//! - buffer mode, a read of the runtime's read length ([`Dialog::read_len`]): the
//!   host writes the read command, the module its response (the information line
//!   with the payload, then `OK`);
//! - push mode, a data URC of the simulated module's largest push
//!   ([`atgen::sim::push_chunk`]).
//!
//! Lines are framed as V.250 frames them ([`codec::LINE_START`] before every line the
//! module prints, CR LF after it; the prompt [`codec::PROMPT`]).
//!
//! What can overlap decides the limit, as a fraction of the line rate:
//! - upload: nothing (each phase waits for the one before):
//!   `p / (command + prompt + data + answer)`;
//! - download: buffer mode `p / (read command + response)`; push mode `p / URC`
//!   (the module pushes back to back);
//! - echo in buffer mode: sends and reads take turns on the one command channel,
//!   so nothing overlaps and a byte costs its upload time and its download time:
//!   `1 / (1/upload + 1/download)`;
//! - echo in push mode: the echo of one send is pushed while the next send's data
//!   goes up (the line toward the host is idle then, and the command line is
//!   shorter than a URC, so that is where URCs cost least); a frame is never cut,
//!   so URCs longer than the data delay the answer:
//!   `p / (command + prompt + max(data, URCs of p) + answer)`.
//!
//! Left out: what is paid once (configure, open, the data-ready URC and the empty
//! read that end a drain, close) and every wait (the peer, the host, the module, a
//! wait after the prompt such as BC26's 500 ms, which `atgen ssl
//! --prompt-wait-ms 0` skips): each limit is the steady state of the framing
//! alone, a bound no run can pass.

use atgen::runtime::codec;
use atgen::runtime::desc::{FamilyDesc, FinalKind, Kind, Line, SimSource};
use atgen::runtime::dialog::{AccessMode, Dialog, Options};
use atgen::runtime::session::DynRequest;
use atgen::runtime::vals::{Val, Vals};

/// Which way the payload goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The host sends.
    Upload,
    /// The module sends (the peer's data).
    Download,
    /// Both: the peer returns what the host sends.
    Echo,
}

impl Direction {
    pub const ALL: [Direction; 3] = [Direction::Upload, Direction::Download, Direction::Echo];

    pub fn name(self) -> &'static str {
        match self {
            Direction::Upload => "upload",
            Direction::Download => "download",
            Direction::Echo => "echo",
        }
    }
}

/// The access modes the spec of `family` gives the SSL socket, each with its
/// `atgen ssl --access-mode` name.
pub fn access_modes(family: &str) -> Vec<(AccessMode, &'static str)> {
    let d = crate::e2e::dialog(family);
    [
        (AccessMode::Buffer, "buffer", d.has_buffer_mode()),
        (AccessMode::Push, "push", d.has_push_mode()),
    ]
    .into_iter()
    .filter(|(_, _, has)| *has)
    .map(|(mode, name, _)| (mode, name))
    .collect()
}

/// The bytes of one send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Send {
    /// Payload bytes it carries.
    pub payload: usize,
    /// Host: the command line.
    pub command: usize,
    /// Module: the prompt.
    pub prompt: usize,
    /// Host: the data phase (the payload, Ctrl+Z where it ends so).
    pub data: usize,
    /// Module: the final result code, and the result URC where the send has one.
    pub answer: usize,
}

/// The bytes of data coming down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Down {
    /// Buffer mode: one read.
    Read {
        payload: usize,
        /// Host: the read command.
        command: usize,
        /// Module: the response (information line with the payload, final code).
        response: usize,
    },
    /// Push mode: one data URC of the largest push.
    Push {
        payload: usize,
        urc: usize,
        /// The URCs pushing one send's payload back (echo).
        echo: usize,
    },
}

/// A family's framing in one access mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Framing {
    pub send: Send,
    pub down: Down,
}

impl Framing {
    /// The best payload rate the framing allows, as a fraction of the line rate.
    pub fn limit(&self, d: Direction) -> f64 {
        let s = &self.send;
        let ratio = |p: usize, bytes: usize| p as f64 / bytes.max(1) as f64;
        let upload = ratio(s.payload, s.command + s.prompt + s.data + s.answer);
        let download = match self.down {
            Down::Read {
                payload,
                command,
                response,
            } => ratio(payload, command + response),
            Down::Push { payload, urc, .. } => ratio(payload, urc),
        };
        match (d, self.down) {
            (Direction::Upload, _) => upload,
            (Direction::Download, _) => download,
            (Direction::Echo, Down::Read { .. }) => 1.0 / (1.0 / upload + 1.0 / download),
            (Direction::Echo, Down::Push { echo, .. }) => ratio(
                s.payload,
                s.command + s.prompt + s.data.max(echo) + s.answer,
            ),
        }
    }

    /// The framing of `desc`'s SSL dialog in `mode` (the family's only mode when
    /// it has one), as `atgen ssl` runs it with its default ids against a server
    /// named `host`, `port`, data as raw bytes.
    pub fn of(
        desc: &'static FamilyDesc,
        mode: AccessMode,
        host: &str,
        port: u16,
    ) -> Result<Framing, String> {
        let socket = desc
            .socket
            .ok_or_else(|| format!("{}: the spec has no [socket] section", desc.id))?;
        let dialog = Dialog::new(socket, desc.ids);
        let config = atgen::runtime::socket::SslConfig {
            access_mode: mode,
            ..Default::default()
        };
        let o = config.options();
        let none = |_: &str| None;
        let r = Render {
            desc,
            dialog,
            o: &o,
            host,
            port,
        };

        let p = dialog.max_chunk(&o, &none);
        let cmd = dialog.send(&o, p);
        let form = cmd.form;
        let ctrl_z = usize::from(!dialog.fixed_length_send());
        let mut answer = final_len(form.sent_final());
        if codec::expects_result(form, &cmd.vals, &none) {
            if let Some(urc) = form.result {
                answer += r.frame(&urc.line, &[], Some(&cmd))?;
            }
        }
        let send = Send {
            payload: p,
            command: request_len(&cmd)?,
            prompt: codec::PROMPT.len(),
            data: p + ctrl_z,
            answer,
        };

        let down = match dialog.mode(mode) {
            AccessMode::Buffer => {
                let recv = socket
                    .recv
                    .as_ref()
                    .ok_or_else(|| format!("{}: no buffer-mode read", desc.id))?;
                let payload = dialog.read_len(&o, usize::MAX);
                let cmd = dialog
                    .recv(&o, payload)
                    .ok_or_else(|| format!("{}: no buffer-mode read", desc.id))?;
                let line =
                    recv.request.form.responses.first().ok_or_else(|| {
                        format!("{}: the read command has no response line", desc.id)
                    })?;
                Down::Read {
                    payload,
                    command: request_len(&cmd)?,
                    response: r.frame(line, &vec![0; payload], Some(&cmd))?
                        + final_len(FinalKind::Ok),
                }
            }
            AccessMode::Push => {
                let urc = socket
                    .push
                    .ok_or_else(|| format!("{}: no push-mode data URC", desc.id))?;
                let chunk = atgen::sim::push_chunk(desc.simulator, &urc.line, &none);
                let mut echo = 0;
                for piece in vec![0u8; p].chunks(chunk) {
                    echo += r.frame(&urc.line, piece, None)?;
                }
                Down::Push {
                    payload: chunk,
                    urc: r.frame(&urc.line, &vec![0; chunk], None)?,
                    echo,
                }
            }
        };
        Ok(Framing { send, down })
    }
}

/// `<CR><LF>CODE<CR><LF>`.
fn final_len(code: FinalKind) -> usize {
    let mut v = Vec::new();
    let _ = codec::write_final(code.text(), &mut v);
    v.len()
}

fn request_len(cmd: &DynRequest<'_>) -> Result<usize, String> {
    let mut v = Vec::new();
    codec::write_request(cmd.form, &cmd.vals, &mut v)
        .map_err(|_| format!("{}: the command line does not fit", cmd.form.what))?;
    Ok(v.len())
}

/// What the module's lines about the connection are filled with.
struct Render<'a> {
    desc: &'static FamilyDesc,
    dialog: Dialog,
    o: &'a Options<'a>,
    host: &'a str,
    port: u16,
}

impl Render<'_> {
    /// The bytes of `line` as the module prints it (with its frame) carrying
    /// `payload`, about the connection (its ids), answering `request`: a
    /// result URC's outcome is success, other fields come from the request or
    /// the simulator's `[simulator] recv` (the read response's peer address).
    fn frame(
        &self,
        line: &Line,
        payload: &[u8],
        request: Option<&DynRequest<'_>>,
    ) -> Result<usize, String> {
        let socket = self.dialog.socket;
        let fields = line.template.fields;
        let length = fields.iter().find_map(|f| f.length).map(usize::from);
        let sim = self.desc.simulator.recv;
        let outcome = self
            .desc
            .urcs
            .iter()
            .find(|u| std::ptr::eq(&u.line, line))
            .and_then(|u| u.outcome.as_ref());
        let len = i64::try_from(payload.len()).unwrap_or(i64::MAX);
        let mut v = Vals::default();
        for (i, f) in fields.iter().enumerate() {
            let name = f.param.name;
            let from_request = request.and_then(|r| {
                let j = r.form.args.field_of(name)?;
                Some(r.vals.get(j)).filter(|x| !x.is_none())
            });
            let val = if f.param.kind == Kind::Bytes {
                Val::Bytes(payload)
            } else if length == Some(i) {
                Val::Int(len)
            } else if outcome.is_some_and(|o| usize::from(o.field) == i) {
                Val::Int(
                    outcome
                        .and_then(|o| o.success.first())
                        .copied()
                        .unwrap_or(0),
                )
            } else if name == socket.connection {
                Val::Int(i64::from(self.o.connection))
            } else if Some(name) == socket.pdp {
                Val::Int(i64::from(self.o.pdp))
            } else if Some(name) == socket.ssl_ctx {
                Val::Int(i64::from(self.o.ssl_ctx))
            } else if let Some(x) = from_request {
                x
            } else {
                match sim.iter().find(|(n, _)| *n == name).map(|(_, s)| *s) {
                    Some(SimSource::Host) => Val::Str(self.host),
                    Some(SimSource::Port) => Val::Int(i64::from(self.port)),
                    Some(SimSource::Connection) => Val::Int(i64::from(self.o.connection)),
                    _ if f.optional => Val::None,
                    _ => {
                        return Err(format!(
                            "{}: no value for <{name}> in {}",
                            socket.family, line.what
                        ))
                    }
                }
            };
            v.set(i, val);
        }
        let mut out = codec::LINE_START.to_vec();
        codec::write_line(line, &v, &mut out)
            .map_err(|_| format!("{}: the line does not fit", line.what))?;
        Ok(out.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::e2e::desc;
    use atgen::runtime::dialog::Dialect;
    use atgen::runtime::link::{Link, Transport};
    use atgen::runtime::socket::{SslConfig, SslSocket};
    use atgen::sim::{Options, PeerKind, Simulator};
    use atgen::ssl::SslFamily;
    use std::time::Duration;

    /// EC2x counted by hand from the manual's syntax:
    /// `AT+QSSLSEND=0,1460\r` 19, `\r\n> ` 4, 1460 data, `\r\nSEND OK\r\n` 11;
    /// `AT+QSSLRECV=0,1500\r` 19, `\r\n+QSSLRECV: 1500\r\n` 19 + 1500 + `\r\n` + `\r\nOK\r\n`;
    /// `\r\n+QSSLURC: "recv",0,1500\r\n` 27 + 1500 + `\r\n` (1460 bytes pushed: 1489).
    const EC2X_SEND: Send = Send {
        payload: 1460,
        command: 19,
        prompt: 4,
        data: 1460,
        answer: 11,
    };

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn ec2x_framing_is_counted_from_its_spec() {
        let buffer = Framing::of(desc("quectel-ec2x"), AccessMode::Buffer, "example.com", 443);
        assert_eq!(
            buffer,
            Ok(Framing {
                send: EC2X_SEND,
                down: Down::Read {
                    payload: 1500,
                    command: 19,
                    response: 19 + 1500 + 2 + 6,
                },
            })
        );
        let push = Framing::of(desc("quectel-ec2x"), AccessMode::Push, "example.com", 443);
        assert_eq!(
            push,
            Ok(Framing {
                send: EC2X_SEND,
                down: Down::Push {
                    payload: 1500,
                    urc: 27 + 1500 + 2,
                    echo: 27 + 1460 + 2,
                },
            })
        );
    }

    #[test]
    fn limits_follow_what_can_overlap() {
        let buffer = Framing {
            send: EC2X_SEND,
            down: Down::Read {
                payload: 1500,
                command: 19,
                response: 1527,
            },
        };
        let up = 1460.0 / 1494.0;
        let down = 1500.0 / 1546.0;
        assert!(close(buffer.limit(Direction::Upload), up));
        assert!(close(buffer.limit(Direction::Download), down));
        // Nothing overlaps: 1494/1460 + 1546/1500 byte times a byte, 48.68 %.
        let echo = buffer.limit(Direction::Echo);
        assert!(close(echo, 1.0 / (1494.0 / 1460.0 + 1546.0 / 1500.0)));
        assert!((echo - 0.4868).abs() < 1e-4, "{echo}");

        let push = Framing {
            send: EC2X_SEND,
            down: Down::Push {
                payload: 1500,
                urc: 1529,
                echo: 1489,
            },
        };
        assert!(close(push.limit(Direction::Upload), up));
        assert!(close(push.limit(Direction::Download), 1500.0 / 1529.0));
        // The 1489-byte URC goes down while the next 1460 bytes go up, and holds
        // the SEND OK back by 29 bytes: 19 + 4 + 1489 + 11 = 1523 a send, 95.86 %.
        let echo = push.limit(Direction::Echo);
        assert!(close(echo, 1460.0 / 1523.0));
        assert!((echo - 0.9586).abs() < 1e-4, "{echo}");
        // A URC shorter than the data costs nothing beyond the upload.
        let short = Framing {
            down: Down::Push {
                payload: 1500,
                urc: 1529,
                echo: 1000,
            },
            ..push
        };
        assert!(close(short.limit(Direction::Echo), up));
    }

    /// Counts what crosses a transport each way.
    struct Counting<T> {
        inner: T,
        up: usize,
        down: usize,
    }

    impl<T: Transport> Transport for Counting<T> {
        fn read(&mut self, buf: &mut [u8], timeout: Duration) -> std::io::Result<usize> {
            let n = self.inner.read(buf, timeout)?;
            self.down += n;
            Ok(n)
        }
        fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
            self.up += bytes.len();
            self.inner.write_all(bytes)
        }
    }

    /// Bytes (host, module) since the last call.
    fn counted<T: Transport, D: Dialect>(sock: &mut SslSocket<Counting<T>, D>) -> (usize, usize) {
        let t = sock.link_mut().transport_mut();
        (std::mem::take(&mut t.up), std::mem::take(&mut t.down))
    }

    /// One send and one chunk down through the in-process simulator, counted.
    fn exchange<D: Dialect + Default>(family: &str, mode: AccessMode) {
        let framing = Framing::of(desc(family), mode, "example.com", 443)
            .unwrap_or_else(|e| panic!("{family}: {e}"));
        let options = Options {
            peer: PeerKind::Discard,
            ..Options::default()
        };
        let mut sim = Simulator::spawn(family, options).expect("simulator");
        let inner = sim.transport().expect("transport");
        let link: Link<_, D::Family> = Link::new(Counting {
            inner,
            up: 0,
            down: 0,
        });
        let config = SslConfig {
            access_mode: mode,
            ..SslConfig::default()
        };
        let mut sock = SslSocket::new(link, D::default(), config);
        sock.connect("example.com", 443).expect("open");
        let _ = counted(&mut sock);

        let s = framing.send;
        assert_eq!(sock.write(&vec![b'a'; s.payload]).ok(), Some(s.payload));
        let sent = (s.command + s.data, s.prompt + s.answer);
        assert_eq!(counted(&mut sock), sent, "{family} {mode:?}: one send");

        let wait = Some(Duration::from_secs(5));
        let (payload, bytes) = match framing.down {
            Down::Read {
                payload,
                command,
                response,
            } => {
                sim.peer_send(0, &vec![1; payload]).expect("peer");
                // The data-ready URC is paid once a drain: not counted.
                sock.link_mut()
                    .poll_urcs(Duration::from_secs(5))
                    .expect("URC");
                let _ = counted(&mut sock);
                (payload, (command, response))
            }
            Down::Push { payload, urc, .. } => {
                sim.peer_send(0, &vec![1; payload]).expect("peer");
                (payload, (0, urc))
            }
        };
        let mut buf = vec![0u8; payload];
        let n = sock.read_within(&mut buf, wait).expect("read");
        assert_eq!(n, Some(payload), "{family} {mode:?}");
        assert_eq!(
            counted(&mut sock),
            bytes,
            "{family} {mode:?}: one chunk down"
        );
    }

    #[test]
    fn the_framing_is_what_the_simulator_exchanges() {
        for f in atgen::FAMILIES {
            for (mode, _) in access_modes(f.id) {
                crate::with_family!(f.id, m => exchange::<<m::Family as SslFamily>::Dialect>(f.id, mode));
            }
        }
    }

    #[test]
    fn every_family_and_mode_has_a_framing() {
        for f in atgen::FAMILIES {
            for (mode, _) in access_modes(f.id) {
                let framing = Framing::of(f.desc, mode, "example.com", 443)
                    .unwrap_or_else(|e| panic!("{}: {e}", f.id));
                for d in Direction::ALL {
                    let l = framing.limit(d);
                    assert!(l > 0.3 && l < 1.0, "{} {mode:?} {d:?}: {l}", f.id);
                }
            }
        }
    }
}

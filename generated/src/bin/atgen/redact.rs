//! Secrets out of a recorded host stream: each command line is parsed with the
//! families' request forms; the values of `secret` parameters (PSK keys) and the
//! data of `secret` data phases (private keys) are recorded by their length only,
//! and a secret value the module prints back is masked with `*`.

use atgen_runtime::codec;
use atgen_runtime::desc::{DataLen, FamilyDesc};

/// What to write of the host bytes.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece {
    Clear(Vec<u8>),
    Secret(usize),
}

/// The data phase under way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Data {
    /// Ended by Ctrl+Z (ESC cancels).
    CtrlZ { secret: bool, seen: usize },
    /// Exactly this many bytes more.
    Len {
        secret: bool,
        left: usize,
        seen: usize,
    },
}

/// The longest partial line held back while it is typed.
const MAX_LINE: usize = 4096;
const CTRL_Z: u8 = 0x1A;
const ESC: u8 = 0x1B;

pub struct Redactor {
    families: Vec<&'static FamilyDesc>,
    line: Vec<u8>,
    data: Option<Data>,
    /// The secret values seen in command lines, masked where the module prints them back.
    known: Vec<Vec<u8>>,
}

impl Redactor {
    /// With no families nothing is redacted.
    pub fn new(families: Vec<&'static FamilyDesc>) -> Self {
        Redactor {
            families,
            line: Vec::new(),
            data: None,
            known: Vec::new(),
        }
    }

    fn off(&self) -> bool {
        self.families.is_empty()
    }

    /// Host bytes in; what can be written now out.
    pub fn host(&mut self, bytes: &[u8]) -> Vec<Piece> {
        if self.off() {
            return vec![Piece::Clear(bytes.to_vec())];
        }
        let mut out = Vec::new();
        let mut clear = Vec::new();
        let mut secret = 0usize;
        for &b in bytes {
            match self.data.as_mut() {
                Some(Data::CtrlZ { secret: s, seen }) => {
                    *seen += 1;
                    if b == CTRL_Z || b == ESC {
                        self.data = None;
                        push_secret(&mut out, &mut clear, &mut secret);
                        clear.push(b);
                    } else if *s {
                        flush_clear(&mut out, &mut clear);
                        secret += 1;
                    } else {
                        clear.push(b);
                    }
                }
                Some(Data::Len {
                    secret: s,
                    left,
                    seen,
                }) => {
                    *seen += 1;
                    *left = left.saturating_sub(1);
                    if *s {
                        flush_clear(&mut out, &mut clear);
                        secret += 1;
                    } else {
                        clear.push(b);
                    }
                    if *left == 0 {
                        self.data = None;
                        push_secret(&mut out, &mut clear, &mut secret);
                    }
                }
                None => {
                    self.line.push(b);
                    if b == b'\r' || self.line.len() >= MAX_LINE {
                        flush_clear(&mut out, &mut clear);
                        let line = std::mem::take(&mut self.line);
                        out.extend(self.command(&line));
                    }
                }
            }
        }
        push_secret(&mut out, &mut clear, &mut secret);
        flush_clear(&mut out, &mut clear);
        out
    }

    /// The module is about to be recorded: a partial line goes first unless it
    /// is a command still being typed (its secrets are not known yet). A data
    /// phase that got no `>` and no byte is over (the module refused it).
    pub fn module(&mut self, bytes: &[u8]) -> Vec<Piece> {
        if let Some(Data::CtrlZ { seen: 0, .. } | Data::Len { seen: 0, .. }) = self.data {
            if !bytes.contains(&b'>') {
                self.data = None;
            }
        }
        let typing = self
            .line
            .get(..2)
            .is_some_and(|h| h.eq_ignore_ascii_case(b"AT"));
        if self.line.is_empty() || typing {
            return Vec::new();
        }
        vec![Piece::Clear(std::mem::take(&mut self.line))]
    }

    /// At the end: whatever is held back.
    pub fn finish(&mut self) -> Vec<Piece> {
        let line = std::mem::take(&mut self.line);
        if line.is_empty() {
            Vec::new()
        } else if line.get(..2).is_some_and(|h| h.eq_ignore_ascii_case(b"AT")) {
            self.command(&line)
        } else {
            vec![Piece::Clear(line)]
        }
    }

    /// A whole command line: its secret values redacted; a data phase noted.
    fn command(&mut self, line: &[u8]) -> Vec<Piece> {
        let body = line.strip_suffix(b"\r").unwrap_or(line);
        let mut secrets: Vec<Vec<u8>> = Vec::new();
        for desc in &self.families {
            let Ok((i, v)) = codec::parse_any_request(desc.id, desc.forms, &[], body) else {
                continue;
            };
            let Some(form) = desc.forms.get(i) else {
                continue;
            };
            codec::secrets(form, &v, &mut |s: &[u8]| secrets.push(s.to_vec()));
            if let Some(d) = &form.data {
                // `secret_when`: the spec says which requests' data is secret (a key, not a certificate).
                let secret = codec::data_phase(form, &v).is_some_and(|p| p.secret);
                self.data = Some(match d.end {
                    DataLen::CtrlZ => Data::CtrlZ { secret, seen: 0 },
                    DataLen::Field(f) => Data::Len {
                        secret,
                        left: v
                            .get(usize::from(f))
                            .int()
                            .and_then(|n| usize::try_from(n).ok())
                            .unwrap_or(0),
                        seen: 0,
                    },
                });
                if let Some(Data::Len { left: 0, .. }) = self.data {
                    self.data = None;
                }
            }
            break;
        }
        let pieces = split(line, &secrets);
        for s in secrets {
            if !self.known.contains(&s) {
                self.known.push(s);
            }
        }
        pieces
    }

    /// Module bytes with every secret seen so far as that many `*` (a query
    /// that reads a PSK key back); within one chunk.
    pub fn masked(&self, bytes: &[u8]) -> Vec<u8> {
        let mut out = bytes.to_vec();
        for s in self.known.iter().filter(|s| !s.is_empty()) {
            let mut i = 0;
            while let Some(at) = out
                .get(i..)
                .and_then(|r| r.windows(s.len()).position(|w| w == s.as_slice()))
            {
                for b in out.iter_mut().skip(i + at).take(s.len()) {
                    *b = b'*';
                }
                i += at + s.len();
            }
        }
        out
    }
}

/// `line` with every occurrence of a secret as [`Piece::Secret`].
fn split(line: &[u8], secrets: &[Vec<u8>]) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut clear = Vec::new();
    let mut i = 0;
    while let Some(rest) = line.get(i..).filter(|r| !r.is_empty()) {
        if let Some(s) = secrets
            .iter()
            .find(|s| !s.is_empty() && rest.starts_with(s))
        {
            flush_clear(&mut out, &mut clear);
            out.push(Piece::Secret(s.len()));
            i += s.len();
        } else {
            clear.extend_from_slice(rest.get(..1).unwrap_or(&[]));
            i += 1;
        }
    }
    flush_clear(&mut out, &mut clear);
    out
}

fn flush_clear(out: &mut Vec<Piece>, clear: &mut Vec<u8>) {
    if !clear.is_empty() {
        out.push(Piece::Clear(std::mem::take(clear)));
    }
}

fn push_secret(out: &mut Vec<Piece>, clear: &mut Vec<u8>, n: &mut usize) {
    if *n > 0 {
        flush_clear(out, clear);
        out.push(Piece::Secret(std::mem::take(n)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn family(id: &str) -> Vec<&'static FamilyDesc> {
        atgen::FAMILIES
            .iter()
            .filter(|f| f.id == id)
            .map(|f| f.desc)
            .collect()
    }

    #[test]
    fn a_ca_certificate_upload_is_not_secret_and_is_recorded_in_clear() {
        let mut r = Redactor::new(family("cmiot-ml302"));
        let mut pieces = r.host(b"AT+QSECWRITE=0\r");
        assert!(r.module(b"\r\n> ").is_empty());
        pieces.extend(r.host(b"-----BEGIN CERTIFICATE\x1a"));
        let clear: Vec<u8> = pieces
            .iter()
            .flat_map(|p| match p {
                Piece::Clear(b) => b.clone(),
                Piece::Secret(_) => panic!("a CA certificate recorded as secret: {pieces:?}"),
            })
            .collect();
        assert_eq!(clear, b"AT+QSECWRITE=0\r-----BEGIN CERTIFICATE\x1a");
    }

    #[test]
    fn a_secret_data_phase_is_recorded_by_its_length_and_its_end_in_clear() {
        let mut r = Redactor::new(family("cmiot-ml302"));
        let mut pieces = r.host(b"AT+QSECWRITE=2\r");
        assert!(r.module(b"\r\n> ").is_empty());
        pieces.extend(r.host(b"-----BEGIN KEY"));
        pieces.extend(r.host(b"-----\x1a"));
        pieces.extend(r.host(b"AT\r"));
        assert_eq!(
            pieces,
            [
                Piece::Clear(b"AT+QSECWRITE=2\r".to_vec()),
                Piece::Secret(14),
                Piece::Secret(5),
                Piece::Clear(vec![0x1A]),
                Piece::Clear(b"AT\r".to_vec()),
            ]
        );
    }

    #[test]
    fn a_refused_data_phase_ends_without_data() {
        let mut r = Redactor::new(family("cmiot-ml302"));
        let _ = r.host(b"AT+QSECWRITE=2\r");
        let _ = r.module(b"\r\nERROR\r\n");
        assert_eq!(r.host(b"AT\r"), [Piece::Clear(b"AT\r".to_vec())]);
    }

    #[test]
    fn secrets_the_module_prints_back_are_masked() {
        let mut r = Redactor::new(family("quectel-ec2x"));
        let p = r.host(b"AT+QSSLCFG=\"psk\",1,\"me\",\"k3y\"\r");
        assert_eq!(
            p,
            [
                Piece::Clear(b"AT+QSSLCFG=\"psk\",1,\"me\",\"".to_vec()),
                Piece::Secret(3),
                Piece::Clear(b"\"\r".to_vec()),
            ]
        );
        assert_eq!(
            r.masked(b"+QSSLCFG: \"psk\",1,\"me\",\"k3y\""),
            b"+QSSLCFG: \"psk\",1,\"me\",\"***\""
        );
    }

    #[test]
    fn without_families_nothing_is_redacted() {
        let mut r = Redactor::new(Vec::new());
        let line = b"AT+QSSLCFG=\"psk\",1,\"me\",\"k3y\"\r";
        assert_eq!(r.host(line), [Piece::Clear(line.to_vec())]);
    }
}

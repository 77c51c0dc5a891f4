//! The remote end of each simulated SSL connection (stands in for the TLS server).

use std::fmt;
use std::str::FromStr;

/// Which server every socket talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PeerKind {
    /// Returns every byte it receives.
    #[default]
    Echo,
    /// Answers each request that ends in a blank line (`\r\n\r\n`) with a canned
    /// `HTTP/1.1 200 OK` response carrying `Content-Length`.
    Http,
    /// Takes everything and answers nothing (RFC 863's discard service): what the
    /// host sends only goes up.
    Discard,
    /// Answers each request line of decimal digits (`32768\n`) with that many
    /// bytes of [`source_bytes`] (at most [`MAX_SOURCE`] a request); other lines
    /// get nothing. What comes down is what the host asked for.
    Source,
}

impl PeerKind {
    pub(crate) fn connect(self) -> Box<dyn Peer> {
        match self {
            PeerKind::Echo => Box::new(Echo),
            PeerKind::Http => Box::new(Http::default()),
            PeerKind::Discard => Box::new(Discard),
            PeerKind::Source => Box::new(Source::default()),
        }
    }
}

impl FromStr for PeerKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "echo" => Ok(PeerKind::Echo),
            "http" => Ok(PeerKind::Http),
            "discard" => Ok(PeerKind::Discard),
            "source" => Ok(PeerKind::Source),
            _ => Err(format!(
                "unknown peer `{s}`; known peers: echo, http, discard, source"
            )),
        }
    }
}

impl fmt::Display for PeerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PeerKind::Echo => "echo",
            PeerKind::Http => "http",
            PeerKind::Discard => "discard",
            PeerKind::Source => "source",
        })
    }
}

/// A server: bytes in, bytes back.
pub(crate) trait Peer: Send + fmt::Debug {
    /// Takes what the host sent; returns what the server sends back (may be empty).
    fn input(&mut self, data: &[u8]) -> Vec<u8>;
}

#[derive(Debug)]
struct Echo;

impl Peer for Echo {
    fn input(&mut self, data: &[u8]) -> Vec<u8> {
        data.to_vec()
    }
}

/// The body of the canned HTTP response.
pub const HTTP_BODY: &str = "<html><body>atgen simulator</body></html>\n";

#[derive(Debug, Default)]
struct Http {
    pending: Vec<u8>,
}

/// Longest request head the HTTP peer keeps before it gives up on it.
const MAX_HEAD: usize = 64 * 1024;

impl Peer for Http {
    fn input(&mut self, data: &[u8]) -> Vec<u8> {
        self.pending.extend_from_slice(data);
        let mut out = Vec::new();
        while let Some(end) = find(&self.pending, b"\r\n\r\n") {
            self.pending.drain(..end + 4);
            out.extend_from_slice(
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: keep-alive\r\n\r\n{HTTP_BODY}",
                    HTTP_BODY.len()
                )
                .as_bytes(),
            );
        }
        if self.pending.len() > MAX_HEAD {
            self.pending.clear();
        }
        out
    }
}

#[derive(Debug)]
struct Discard;

impl Peer for Discard {
    fn input(&mut self, _data: &[u8]) -> Vec<u8> {
        Vec::new()
    }
}

/// The most bytes the source peer sends for one request.
pub const MAX_SOURCE: usize = 16 << 20;

/// The bytes the source peer sends for a request of `n`: a fixed
/// pseudo-random sequence (the top byte of a multiplicative hash of each
/// offset), so a byte lost, doubled or moved shows.
pub fn source_bytes(n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| ((i as u32).wrapping_mul(0x9E37_79B1) >> 24) as u8)
        .collect()
}

#[derive(Debug, Default)]
struct Source {
    /// The request line so far.
    line: Vec<u8>,
}

/// Longest request line the source peer keeps (a count has at most 20 digits).
const MAX_REQUEST: usize = 64;

impl Peer for Source {
    fn input(&mut self, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for &b in data {
            if b != b'\n' {
                if self.line.len() < MAX_REQUEST {
                    self.line.push(b);
                }
                continue;
            }
            let line = std::mem::take(&mut self.line);
            let text = std::str::from_utf8(&line).unwrap_or("").trim();
            if !text.is_empty() && text.bytes().all(|c| c.is_ascii_digit()) {
                let n = text.parse::<usize>().unwrap_or(MAX_SOURCE).min(MAX_SOURCE);
                out.extend(source_bytes(n));
            }
        }
        out
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_returns_everything() {
        assert_eq!(PeerKind::Echo.connect().input(b"abc"), b"abc");
    }

    #[test]
    fn discard_answers_nothing() {
        assert!(PeerKind::Discard.connect().input(b"abc\n").is_empty());
    }

    #[test]
    fn source_answers_each_count_with_that_many_bytes() {
        let mut p = PeerKind::Source.connect();
        assert!(p.input(b"1").is_empty());
        let r = p.input(b"0\nhello\n3\n");
        assert_eq!(r.len(), 13);
        assert_eq!(r.get(..10), Some(&source_bytes(10)[..]));
        assert_eq!(r.get(10..), Some(&source_bytes(3)[..]));
        // Not every byte alike: a shifted or doubled byte shows.
        assert!(source_bytes(300).windows(2).any(|w| w[0] != w[1]));
        assert_eq!(p.input(b"99999999999999999999999\n").len(), MAX_SOURCE);
    }

    #[test]
    fn http_answers_each_complete_request() {
        let mut p = PeerKind::Http.connect();
        assert!(p.input(b"GET / HTTP/1.1\r\nHost: x\r\n").is_empty());
        let r = p.input(b"\r\nGET / HTTP/1.1\r\n\r\n");
        let text = String::from_utf8(r).unwrap();
        assert_eq!(text.matches("HTTP/1.1 200 OK").count(), 2);
        assert!(text.contains(&format!("Content-Length: {}", HTTP_BODY.len())));
    }
}

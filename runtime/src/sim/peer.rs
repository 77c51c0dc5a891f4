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
}

impl PeerKind {
    pub(crate) fn connect(self) -> Box<dyn Peer> {
        match self {
            PeerKind::Echo => Box::new(Echo),
            PeerKind::Http => Box::new(Http::default()),
        }
    }
}

impl FromStr for PeerKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "echo" => Ok(PeerKind::Echo),
            "http" => Ok(PeerKind::Http),
            _ => Err(format!("unknown peer `{s}`; known peers: echo, http")),
        }
    }
}

impl fmt::Display for PeerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PeerKind::Echo => "echo",
            PeerKind::Http => "http",
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
    fn http_answers_each_complete_request() {
        let mut p = PeerKind::Http.connect();
        assert!(p.input(b"GET / HTTP/1.1\r\nHost: x\r\n").is_empty());
        let r = p.input(b"\r\nGET / HTTP/1.1\r\n\r\n");
        let text = String::from_utf8(r).unwrap();
        assert_eq!(text.matches("HTTP/1.1 200 OK").count(), 2);
        assert!(text.contains(&format!("Content-Length: {}", HTTP_BODY.len())));
    }
}

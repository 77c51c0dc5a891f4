//! Decoding module output the way a streaming host does: bytes arrive in
//! chunks, the digester frames them, each frame is classified with the
//! family's generated parsers. Shared by the chunk-independence test and the
//! decode benchmark.

use atgen_runtime::digest::{Digester, Frame};
use atgen_runtime::final_code;

/// What one frame decoded to, in a form that can be compared across runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Prompt,
    Final(String),
    Urc(String),
    Info(String),
    Unrecognised(Vec<u8>),
}

/// A family's generated parsers, behind one interface.
pub trait Decoder: atgen_runtime::Family {
    /// Classifies one frame; `describe` says whether to build the comparable text
    /// (the benchmark skips it to measure parsing alone).
    fn classify(frame: &[u8], hex: bool, describe: bool) -> Item;
}

fn text(describe: bool, v: &dyn core::fmt::Debug) -> String {
    if describe {
        format!("{v:?}")
    } else {
        String::new()
    }
}

macro_rules! decoder {
    ($($m:ident),*) => {$(
        impl Decoder for atgen::$m::Family {
            fn classify(frame: &[u8], hex: bool, describe: bool) -> Item {
                if let Some(f) = final_code::parse(frame) {
                    return Item::Final(text(describe, &f));
                }
                if let Some(Ok(u)) = atgen::$m::Urc::parse(frame, hex) {
                    return Item::Urc(text(describe, &u));
                }
                match atgen::$m::InfoLine::parse(frame, hex) {
                    Ok(l) => Item::Info(text(describe, &l)),
                    Err(_) => Item::Unrecognised(frame.to_vec()),
                }
            }
        }
    )*};
}

decoder!(
    quectel_ec200x,
    quectel_ec2x,
    quectel_bc26,
    quectel_ugxx,
    cmiot_ml302
);

/// Decodes `input` fed in chunks of the given sizes (cycled; an empty list means one chunk).
pub fn decode<F: Decoder>(input: &[u8], chunks: &[usize], describe: bool) -> Vec<Item> {
    let mut out = Vec::new();
    let mut d = Digester::new();
    let mut buf: Vec<u8> = Vec::new();
    let mut fed = 0usize;
    let mut sizes = chunks.iter().copied().filter(|&n| n > 0).cycle();
    loop {
        loop {
            let (frame, used) = d.digest::<F>(&buf, b"");
            let done = matches!(frame, Frame::None);
            let item = match frame {
                Frame::None | Frame::Echo => None,
                Frame::Prompt => Some(Item::Prompt),
                Frame::Line(l) => Some(F::classify(l, false, describe)),
                Frame::Payload { frame, .. } => Some(F::classify(frame, false, describe)),
            };
            if let Some(i) = item {
                out.push(i);
            }
            buf.drain(..used.min(buf.len()));
            if done {
                break;
            }
        }
        if fed >= input.len() {
            break;
        }
        let n = sizes.next().unwrap_or(input.len()).min(input.len() - fed);
        buf.extend_from_slice(input.get(fed..fed + n).unwrap_or(&[]));
        fed += n;
    }
    out
}

/// Decodes a complete input in place (no buffering), calling `each` per item;
/// returns the number of items.
pub fn decode_slice<F: Decoder>(input: &[u8], describe: bool, mut each: impl FnMut(Item)) -> usize {
    let mut d = Digester::new();
    let mut pos = 0usize;
    let mut n = 0usize;
    while pos < input.len() {
        let (frame, used) = d.digest::<F>(input.get(pos..).unwrap_or(&[]), b"");
        let item = match frame {
            Frame::None if used == 0 => break,
            Frame::None | Frame::Echo => None,
            Frame::Prompt => Some(Item::Prompt),
            Frame::Line(l) => Some(F::classify(l, false, describe)),
            Frame::Payload { frame, .. } => Some(F::classify(frame, false, describe)),
        };
        if let Some(i) = item {
            n += 1;
            each(i);
        }
        pos += used;
    }
    n
}

/// A large mixed EC2x transcript: buffer-mode reads of `payload` bytes (the
/// payload holds `OK`, `ERROR` and URC text), URCs, state lists and result codes.
pub fn mixed_ec2x_transcript(rounds: usize, payload: usize) -> Vec<u8> {
    let mut body: Vec<u8> = Vec::with_capacity(payload);
    let filler = b"GET / HTTP/1.1\r\nOK\r\nERROR\r\n+QSSLURC: \"recv\",4\r\n\x00\x1a\x1b\xff";
    while body.len() < payload {
        body.extend_from_slice(filler);
    }
    body.truncate(payload);
    let mut t = Vec::new();
    for i in 0..rounds {
        t.extend_from_slice(b"\r\n+QSSLURC: \"recv\",4\r\n");
        t.extend_from_slice(format!("\r\n+QSSLRECV: {}\r\n", body.len()).as_bytes());
        t.extend_from_slice(&body);
        t.extend_from_slice(b"\r\n\r\nOK\r\n");
        t.extend_from_slice(
            format!("\r\n+QSSLURC: \"recv\",{},{}\r\n", i % 12, body.len() / 2).as_bytes(),
        );
        t.extend_from_slice(body.get(..body.len() / 2).unwrap_or(&[]));
        t.extend_from_slice(b"\r\nSEND OK\r\n\r\n+QSSLOPEN: 3,565\r\n");
        t.extend_from_slice(b"\r\n+QSSLSTATE: 4,\"SSLClient\",\"220.180.239.212\",8010,65344,2,1,4,0,\"usbmodem\",1\r\n\r\nOK\r\n");
    }
    t
}

/// A text-only EC2x transcript: configuration queries and their answers, state
/// lists, URCs and result codes, no payloads (every byte is parsed as text).
pub fn text_ec2x_transcript(rounds: usize) -> Vec<u8> {
    let mut t = Vec::new();
    for i in 0..rounds {
        let id = i % 12;
        t.extend_from_slice(
            format!("\r\n+QSSLCFG: \"sslversion\",{},4\r\n\r\nOK\r\n", i % 6).as_bytes(),
        );
        t.extend_from_slice(b"\r\n+QSSLCFG: \"seclevel\",1,2\r\n\r\nOK\r\n");
        t.extend_from_slice(b"\r\n+QSSLCFG: \"negotiatetime\",1,300\r\n\r\nOK\r\n");
        t.extend_from_slice(format!("\r\n+QSSLOPEN: {id},0\r\n").as_bytes());
        t.extend_from_slice(b"\r\nSEND OK\r\n");
        t.extend_from_slice(format!("\r\n+QSSLURC: \"recv\",{id}\r\n").as_bytes());
        t.extend_from_slice(
            format!("\r\n+QSSLSTATE: {id},\"SSLClient\",\"220.180.239.212\",8010,65344,2,1,4,0,\"usbmodem\",1\r\n\r\nOK\r\n")
                .as_bytes(),
        );
        t.extend_from_slice(format!("\r\n+QSSLURC: \"closed\",{id}\r\n\r\nOK\r\n").as_bytes());
    }
    t
}

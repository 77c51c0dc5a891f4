//! The digester (framing) fed the same bytes three ways: whole, in chunks split at
//! points taken from the input, and byte by byte. The frames must be the same (the
//! documented promise of `runtime/src/digest.rs`), nothing may panic, and every
//! `consumed` must be sane (within the buffer, non-zero for a frame, frames inside
//! the consumed bytes).
//!
//! Input layout (see tests/fuzz/README.md):
//! - byte 0: family (`% 5`: ec200x, ec2x, bc26, ugxx, ml302)
//! - byte 1: flags: bit 0 hex payloads, bit 1 a prompt is expected at the start,
//!   bit 2 small limits (max line 8..=71 from byte 2, max payload 0..=255 from byte 3),
//!   bits 4..=7 the echo length (0..=15 bytes, taken after the split points)
//! - byte 2, 3: the limits (read even when bit 2 is clear)
//! - byte 4: number of split points (`% 16`), then two bytes (LE) per split point
//! - then the echo bytes, then the module output.
#![no_main]

use atgen_runtime::{Digester, Family, Frame};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Owned {
    Prompt,
    Echo,
    Line(Vec<u8>),
    Payload {
        frame: Vec<u8>,
        header: Vec<u8>,
        data: Vec<u8>,
    },
}

struct Setup<'a> {
    hex: bool,
    prompt: bool,
    limits: Option<(usize, usize)>,
    echo: &'a [u8],
}

impl Setup<'_> {
    fn digester(&self) -> Digester {
        let mut d = match self.limits {
            Some((line, payload)) => Digester::new().with_limits(line, payload),
            None => Digester::new(),
        };
        d.set_hex(self.hex);
        d.expect_prompt(self.prompt);
        d
    }
}

/// Whether `inner` lies inside `outer` (by address).
fn inside(outer: &[u8], inner: &[u8]) -> bool {
    let o = outer.as_ptr() as usize;
    let i = inner.as_ptr() as usize;
    inner.is_empty() || (i >= o && i + inner.len() <= o + outer.len())
}

/// Feeds `chunks` in order, as the link does: keep the unconsumed bytes, drop exactly
/// `consumed` from the front after each call, call again while something happened,
/// else append the next chunk. The echo is dropped once it was seen (as the link does).
fn run<F: Family>(setup: &Setup<'_>, chunks: &[&[u8]]) -> (Vec<Owned>, usize) {
    let mut d = setup.digester();
    let mut echo = setup.echo.to_vec();
    let mut buf: Vec<u8> = Vec::new();
    let mut frames = Vec::new();
    let total: usize = chunks.iter().map(|c| c.len()).sum();
    // Each call either consumes a byte, yields a frame (which consumes), or waits for
    // the next chunk: more calls than this is a livelock.
    let mut budget = 4 * total + 4 * chunks.len() + 16;
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        loop {
            budget = budget
                .checked_sub(1)
                .unwrap_or_else(|| panic!("digester livelock: {frames:?}"));
            let (frame, used) = d.digest::<F>(&buf, &echo);
            assert!(
                used <= buf.len(),
                "consumed {used} of a {}-byte buffer",
                buf.len()
            );
            let taken = &buf[..used];
            let owned = match frame {
                Frame::None => None,
                Frame::Prompt => Some(Owned::Prompt),
                Frame::Echo => Some(Owned::Echo),
                Frame::Line(l) => {
                    assert!(!l.is_empty(), "an empty line");
                    assert!(inside(taken, l), "a line outside the consumed bytes");
                    let _ = F::parse_urc(l, d.hex());
                    Some(Owned::Line(l.to_vec()))
                }
                Frame::Payload {
                    frame,
                    header,
                    data,
                } => {
                    assert!(
                        inside(taken, frame),
                        "a payload frame outside the consumed bytes"
                    );
                    assert!(inside(frame, header), "a payload header outside its frame");
                    assert!(inside(frame, data), "payload data outside its frame");
                    let _ = F::parse_urc(frame, d.hex());
                    Some(Owned::Payload {
                        frame: frame.to_vec(),
                        header: header.to_vec(),
                        data: data.to_vec(),
                    })
                }
            };
            if owned.is_some() {
                assert!(used > 0, "a frame that consumed nothing: {owned:?}");
            }
            if owned == Some(Owned::Echo) {
                echo.clear();
            }
            let progressed = owned.is_some() || used > 0;
            if let Some(f) = owned {
                frames.push(f);
            }
            buf.drain(..used);
            if !progressed {
                break;
            }
        }
    }
    (frames, buf.len())
}

fn check<F: Family>(setup: &Setup<'_>, splits: &[usize], data: &[u8]) {
    let (whole, left_whole) = run::<F>(setup, &[data]);

    let mut chunks = Vec::new();
    let mut at = 0;
    for &s in splits {
        chunks.push(&data[at..s]);
        at = s;
    }
    chunks.push(&data[at..]);
    let (split, left_split) = run::<F>(setup, &chunks);
    assert_eq!(whole, split, "frames differ when split at {splits:?}");

    let bytes: Vec<&[u8]> = data.chunks(1).collect();
    let (single, left_single) = run::<F>(setup, &bytes);
    assert_eq!(whole, single, "frames differ when fed byte by byte");

    assert_eq!(
        left_whole, left_split,
        "leftover differs when split at {splits:?}"
    );
    assert_eq!(
        left_whole, left_single,
        "leftover differs when fed byte by byte"
    );
}

fuzz_target!(|input: &[u8]| {
    let [fam, flags, max_line, max_payload, nsplit, rest @ ..] = input else {
        return;
    };
    let nsplit = usize::from(nsplit % 16);
    let Some((split_bytes, rest)) = rest.split_at_checked(2 * nsplit) else {
        return;
    };
    let echo_len = usize::from(flags >> 4);
    let Some((echo, data)) = rest.split_at_checked(echo_len) else {
        return;
    };
    let mut splits: Vec<usize> = split_bytes
        .chunks(2)
        .map(|c| usize::from(u16::from_le_bytes([c[0], c[1]])) % (data.len() + 1))
        .collect();
    splits.sort_unstable();
    let setup = Setup {
        hex: flags & 1 != 0,
        prompt: flags & 2 != 0,
        limits: (flags & 4 != 0)
            .then(|| (8 + usize::from(max_line % 64), usize::from(*max_payload))),
        echo,
    };
    match fam % 5 {
        0 => check::<atgen::quectel_ec200x::Family>(&setup, &splits, data),
        1 => check::<atgen::quectel_ec2x::Family>(&setup, &splits, data),
        2 => check::<atgen::quectel_bc26::Family>(&setup, &splits, data),
        3 => check::<atgen::quectel_ugxx::Family>(&setup, &splits, data),
        _ => check::<atgen::cmiot_ml302::Family>(&setup, &splits, data),
    }
});

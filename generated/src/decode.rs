//! Decoding module output as `atgen decode` does: bytes in, framed by the
//! digester, each frame classified with the family's generated parsers and
//! handed to a [`Visit`] as it is found. Nothing is collected: memory is the
//! digester's bounded window, whatever the input's size, and a visitor that
//! does not allocate makes decoding allocation-free.

use atgen_runtime::digest::{Digester, Frame};
use atgen_runtime::final_code::{self, FinalCode};
use atgen_runtime::{ParseError, RequestError};
use serde::Serialize;

/// Where an item starts in the input, and the payload taken by length after its header.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    /// Byte offset of the frame in the whole input.
    pub offset: usize,
    /// The payload bytes of a frame that carries one.
    pub payload: Option<&'a [u8]>,
}

/// What a decoded item becomes; one method per kind of item.
pub trait Visit {
    /// What a visit returns (an error stops the decoding).
    type Error;
    /// The data prompt `>`.
    fn prompt(&mut self, at: At<'_>) -> Result<(), Self::Error>;
    /// A final result code (`OK`, `ERROR`, `+CME ERROR: …`).
    fn final_code(
        &mut self,
        at: At<'_>,
        code: FinalCode<'_>,
        line: &[u8],
    ) -> Result<(), Self::Error>;
    /// A URC of the family, typed.
    fn urc<T: Serialize>(&mut self, at: At<'_>, urc: &T) -> Result<(), Self::Error>;
    /// An information line of the family, typed.
    fn info<T: Serialize>(&mut self, at: At<'_>, line: &T) -> Result<(), Self::Error>;
    /// An echoed command line that parsed and validated.
    fn command<T: Serialize>(&mut self, at: At<'_>, request: &T) -> Result<(), Self::Error>;
    /// A command line that did not parse or validate.
    fn bad_command(&mut self, at: At<'_>, line: &[u8], e: RequestError) -> Result<(), Self::Error>;
    /// A line that starts like a URC and is neither that URC nor an information line.
    fn malformed(&mut self, at: At<'_>, line: &[u8], e: ParseError) -> Result<(), Self::Error>;
    /// A line the family does not know.
    fn unrecognised(&mut self, at: At<'_>, line: &[u8]) -> Result<(), Self::Error>;
    /// Bytes left at the end of the input that are no complete line.
    fn incomplete(&mut self, at: At<'_>, rest: &[u8]) -> Result<(), Self::Error>;
}

/// A family's parsers behind one interface (implemented for every family's `Family`).
pub trait Decode: atgen_runtime::Family {
    /// Classifies one frame; a command with a data phase makes the digester expect its prompt.
    fn classify<V: Visit>(
        at: At<'_>,
        line: &[u8],
        hex: bool,
        d: &mut Digester,
        v: &mut V,
    ) -> Result<(), V::Error>;
}

macro_rules! decode_impl {
    ($m:ident) => {
        impl Decode for $m::Family {
            fn classify<V: Visit>(
                at: At<'_>,
                line: &[u8],
                hex: bool,
                d: &mut Digester,
                v: &mut V,
            ) -> Result<(), V::Error> {
                if let Some(code) = final_code::parse(line) {
                    return v.final_code(at, code, line);
                }
                if let Some(r) = $m::Urc::parse(line, hex) {
                    return match r {
                        Ok(u) => v.urc(at, &u),
                        // A response line may start like a URC (`+CCHOPEN:` answers
                        // AT+CCHOPEN? and reports its result): malformed only when it
                        // is no line either.
                        Err(e) => match $m::InfoLine::parse(line, hex) {
                            Ok(l) => v.info(at, &l),
                            Err(_) => v.malformed(at, line, e),
                        },
                    };
                }
                if line.get(..2).is_some_and(|h| h.eq_ignore_ascii_case(b"AT")) {
                    return match $m::Request::parse(line) {
                        Ok(r) => {
                            d.expect_prompt(r.has_data_phase());
                            v.command(at, &r)
                        }
                        Err(e) => v.bad_command(at, line, e),
                    };
                }
                match $m::InfoLine::parse(line, hex) {
                    Ok(l) => v.info(at, &l),
                    Err(_) => v.unrecognised(at, line),
                }
            }
        }
    };
}

const _: () = {
    for_each_family!(m => { decode_impl!(m); });
};

/// Decodes one complete input held in memory, visiting every item in order.
pub fn decode_slice<F: Decode, V: Visit>(
    input: &[u8],
    hex: bool,
    v: &mut V,
) -> Result<(), V::Error> {
    let mut d = Digester::new();
    d.set_hex(hex);
    let used = frames::<F, V>(&mut d, input, 0, hex, v)?;
    finish::<F, V>(&mut d, input.get(used..).unwrap_or(&[]), used, hex, v)
}

/// Visits every complete frame at the start of `buf` (at offset `base` of the input);
/// returns how many bytes they used.
fn frames<F: Decode, V: Visit>(
    d: &mut Digester,
    buf: &[u8],
    base: usize,
    hex: bool,
    v: &mut V,
) -> Result<usize, V::Error> {
    let mut pos = 0usize;
    while pos < buf.len() {
        let rest = buf.get(pos..).unwrap_or(&[]);
        let (frame, used) = d.digest::<F>(rest, b"");
        let at = At {
            offset: base + pos + frame_start(rest, used),
            payload: None,
        };
        match frame {
            Frame::None if used == 0 => break,
            Frame::None | Frame::Echo => {}
            Frame::Prompt => v.prompt(at)?,
            Frame::Line(line) => F::classify(at, line, hex, d, v)?,
            Frame::Payload { frame, data, .. } => {
                let at = At {
                    payload: Some(data),
                    ..at
                };
                F::classify(at, frame, hex, d, v)?
            }
        }
        pos += used;
    }
    Ok(pos)
}

/// Where a frame starts in the bytes digested for it: after the line ends
/// before it, so an offset does not depend on how the input was split.
pub fn frame_start(digested: &[u8], used: usize) -> usize {
    digested
        .iter()
        .take(used)
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .count()
}

/// The bytes after the last frame: a last line without its CR LF is still a line.
fn finish<F: Decode, V: Visit>(
    d: &mut Digester,
    rest: &[u8],
    offset: usize,
    hex: bool,
    v: &mut V,
) -> Result<(), V::Error> {
    if !rest.iter().any(|b| !b.is_ascii_whitespace()) {
        return Ok(());
    }
    let at = At {
        offset,
        payload: None,
    };
    let line = rest.strip_suffix(b"\r").unwrap_or(rest);
    let mut probe = Known(false);
    F::classify(at, line, hex, d, &mut probe).unwrap_or(());
    if probe.0 {
        F::classify(at, line, hex, d, v)
    } else {
        v.incomplete(at, rest)
    }
}

/// Whether a line is known: anything but unrecognised or malformed.
struct Known(bool);

impl Visit for Known {
    type Error = ();
    fn prompt(&mut self, _: At<'_>) -> Result<(), ()> {
        self.0 = true;
        Ok(())
    }
    fn final_code(&mut self, _: At<'_>, _: FinalCode<'_>, _: &[u8]) -> Result<(), ()> {
        self.0 = true;
        Ok(())
    }
    fn urc<T: Serialize>(&mut self, _: At<'_>, _: &T) -> Result<(), ()> {
        self.0 = true;
        Ok(())
    }
    fn info<T: Serialize>(&mut self, _: At<'_>, _: &T) -> Result<(), ()> {
        self.0 = true;
        Ok(())
    }
    fn command<T: Serialize>(&mut self, _: At<'_>, _: &T) -> Result<(), ()> {
        self.0 = true;
        Ok(())
    }
    fn bad_command(&mut self, _: At<'_>, _: &[u8], _: RequestError) -> Result<(), ()> {
        self.0 = true;
        Ok(())
    }
    fn malformed(&mut self, _: At<'_>, _: &[u8], _: ParseError) -> Result<(), ()> {
        Ok(())
    }
    fn unrecognised(&mut self, _: At<'_>, _: &[u8]) -> Result<(), ()> {
        Ok(())
    }
    fn incomplete(&mut self, _: At<'_>, _: &[u8]) -> Result<(), ()> {
        Ok(())
    }
}

/// How much `decode_read` asks the reader for at a time.
#[cfg(feature = "std")]
const CHUNK: usize = 64 * 1024;

/// An error of [`decode_read`]: reading the input, or the visitor's.
#[cfg(feature = "std")]
#[derive(Debug)]
pub enum ReadError<E> {
    /// Reading the input failed.
    Io(std::io::Error),
    /// The visitor stopped the decoding.
    Visit(E),
}

/// Decodes a stream as it is read, in chunks: the window holds only the frame
/// being completed (the digester bounds lines and payloads), so memory does not
/// grow with the input. The items are those of [`decode_slice`] on the whole input.
#[cfg(feature = "std")]
pub fn decode_read<F: Decode, V: Visit, R: std::io::Read>(
    input: R,
    hex: bool,
    v: &mut V,
) -> Result<(), ReadError<V::Error>> {
    let mut d = Digester::new();
    d.set_hex(hex);
    let d = core::cell::RefCell::new(d);
    let v = core::cell::RefCell::new(v);
    read_windows(
        input,
        |buf, base| frames::<F, V>(&mut d.borrow_mut(), buf, base, hex, *v.borrow_mut()),
        |rest, base| finish::<F, V>(&mut d.borrow_mut(), rest, base, hex, *v.borrow_mut()),
    )
}

/// Reads a stream in chunks into a window: `frames` takes the complete frames at
/// the start of the window (at `base` in the input) and says how many bytes they
/// used; at the end of the input `rest` gets what is left. The window holds only
/// the frame being completed, so memory does not grow with the input.
#[cfg(feature = "std")]
pub fn read_windows<E, R: std::io::Read>(
    mut input: R,
    mut frames: impl FnMut(&[u8], usize) -> Result<usize, E>,
    rest: impl FnOnce(&[u8], usize) -> Result<(), E>,
) -> Result<(), ReadError<E>> {
    let mut buf: Vec<u8> = vec![0; CHUNK];
    // Bytes of `buf` read and not yet framed; the offset in the input of buf[0].
    let mut filled = 0usize;
    let mut base = 0usize;
    loop {
        if filled == buf.len() {
            // A frame longer than the window (the digester bounds it).
            buf.resize(buf.len() + CHUNK, 0);
        }
        let n = loop {
            match input.read(buf.get_mut(filled..).unwrap_or(&mut [])) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(ReadError::Io(e)),
            }
        };
        filled += n;
        let window = buf.get(..filled).unwrap_or(&[]);
        if n == 0 {
            return rest(window, base).map_err(ReadError::Visit);
        }
        let used = frames(window, base).map_err(ReadError::Visit)?.min(filled);
        buf.copy_within(used..filled, 0);
        filled -= used;
        base += used;
    }
}

//! Decoding module output as `atgen decode` does: bytes in, framed by the
//! digester, each frame classified with the family's generated parsers and
//! handed to a [`Visit`] as it is found. A transcript's phases are followed:
//! what comes after a `>` prompt is the data being sent (echoed), what comes
//! after `CONNECT` is transparent-mode data. Nothing is collected: memory is
//! the digester's bounded window, whatever the input's size, and a visitor
//! that does not allocate makes decoding allocation-free.

use atgen_runtime::desc::Field;
use atgen_runtime::digest::{Digester, Frame};
use atgen_runtime::dispatch::LineKeys;
use atgen_runtime::final_code::{self, FinalCode};
use atgen_runtime::session::{unsolicited_word, RESTART};
use atgen_runtime::{ParseError, RequestError, Vals};
use serde::Serialize;

/// Where an item starts in the input, and the payload taken by length after its header.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    /// Byte offset of the frame in the whole input.
    pub offset: usize,
    /// The payload bytes of a frame that carries one.
    pub payload: Option<&'a [u8]>,
}

/// The values of an item's `secret = true` parameters (PSK keys, passwords),
/// for a visitor that hides them.
#[derive(Clone, Copy)]
pub struct Secrets<'v, 'a> {
    fields: &'static [Field],
    vals: &'v Vals<'a>,
}

impl<'a> Secrets<'_, 'a> {
    /// An item without secret parameters.
    pub const NONE: Secrets<'static, 'static> = Secrets {
        fields: &[],
        vals: &Vals::EMPTY,
    };

    /// The non-empty values of the secret parameters, as written on the line.
    pub fn values(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        self.fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.param.secret)
            .filter_map(|(i, _)| self.vals.get(i).bytes())
            .filter(|s| !s.is_empty())
    }
}

/// Which data a [`Visit::data`] line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataMode {
    /// Written after a `>` prompt (and echoed by the module).
    Sent,
    /// Carried in transparent mode, after `CONNECT`.
    Transparent,
}

impl DataMode {
    /// The mode's name in `atgen decode --json` (`"sent"`, `"transparent"`).
    pub fn name(self) -> &'static str {
        match self {
            DataMode::Sent => "sent",
            DataMode::Transparent => "transparent",
        }
    }
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
    /// A power or boot notice (`RDY`, `+PBREADY`); `restart` for the line a
    /// module prints after it restarted.
    fn unsolicited(
        &mut self,
        at: At<'_>,
        word: &'static str,
        restart: bool,
    ) -> Result<(), Self::Error>;
    /// A URC of the family, typed.
    fn urc<T: Serialize>(
        &mut self,
        at: At<'_>,
        urc: &T,
        secrets: Secrets<'_, '_>,
    ) -> Result<(), Self::Error>;
    /// An information line of the family, typed.
    fn info<T: Serialize>(
        &mut self,
        at: At<'_>,
        line: &T,
        secrets: Secrets<'_, '_>,
    ) -> Result<(), Self::Error>;
    /// An echoed command line that parsed and validated.
    fn command<T: Serialize>(
        &mut self,
        at: At<'_>,
        request: &T,
        secrets: Secrets<'_, '_>,
    ) -> Result<(), Self::Error>;
    /// A command line that did not parse or validate.
    fn bad_command(&mut self, at: At<'_>, line: &[u8], e: RequestError) -> Result<(), Self::Error>;
    /// Data sent after a prompt or carried in transparent mode: bytes as they
    /// are, not module output; `secret` when the command's data is secret.
    fn data(
        &mut self,
        at: At<'_>,
        line: &[u8],
        mode: DataMode,
        secret: bool,
    ) -> Result<(), Self::Error>;
    /// `+++`, which leaves transparent mode.
    fn escape(&mut self, at: At<'_>) -> Result<(), Self::Error>;
    /// A line that starts like a URC and is neither that URC nor an information line.
    fn malformed(&mut self, at: At<'_>, line: &[u8], e: ParseError) -> Result<(), Self::Error>;
    /// A line the family does not know.
    fn unrecognised(&mut self, at: At<'_>, line: &[u8]) -> Result<(), Self::Error>;
    /// Bytes left at the end of the input that are no complete line.
    fn incomplete(&mut self, at: At<'_>, rest: &[u8]) -> Result<(), Self::Error>;
}

/// Where in a transcript the decoder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Phase {
    #[default]
    Normal,
    /// After a command with a data phase, before its prompt; `secret` when its data is secret.
    Announced { secret: bool },
    /// After the prompt: lines are the data being sent, up to the final result.
    Data { secret: bool },
    /// After `CONNECT`: lines are data, up to `+++` or `NO CARRIER`.
    Transparent,
}

/// The decoding state: the framing and the transcript's phase.
#[derive(Debug, Clone, Default)]
pub struct Decoder {
    digester: Digester,
    phase: Phase,
}

impl Decoder {
    /// A decoder; `hex`: payloads are hex text (BC26 `dataformat` 1).
    pub fn new(hex: bool) -> Self {
        let mut digester = Digester::new();
        digester.set_hex(hex);
        Decoder {
            digester,
            phase: Phase::Normal,
        }
    }

    fn hex(&self) -> bool {
        self.digester.hex()
    }

    /// Visits every complete frame at the start of `buf` (at offset `base` of
    /// the input); returns how many bytes they used.
    pub fn frames<'b, F: Decode, V: Visit>(
        &mut self,
        buf: &'b [u8],
        base: usize,
        v: &mut V,
    ) -> Result<usize, V::Error> {
        // One set of values for every line of the window (their fields are
        // cleared before each parse), not one per line.
        let mut vals: Vals<'b> = Vals::EMPTY;
        let mut pos = 0usize;
        while pos < buf.len() {
            let rest = buf.get(pos..).unwrap_or(&[]);
            // The commonest frame, `\r\nOK\r\n`, in one compare, where the
            // family has no URC that may start as it does.
            if matches!(self.phase, Phase::Normal)
                && !F::may_be_urc(b"OK")
                && self.digester.plain_ok::<F>(rest)
            {
                let at = At {
                    offset: base + pos + 2,
                    payload: None,
                };
                v.final_code(at, FinalCode::Ok, b"OK")?;
                pos += 6;
                continue;
            }
            // Most frames are lines with nothing expected around them.
            let known = match self.digester.plain::<F>(rest) {
                Ok((line, start, used)) => {
                    let at = At {
                        offset: base + pos + start,
                        payload: None,
                    };
                    if matches!(self.phase, Phase::Normal) {
                        if let Some(r) = quick::<F, V>(at, line, v) {
                            r?;
                            pos += used;
                            continue;
                        }
                    }
                    self.line_in::<F, V>(at, line, &mut vals, v)?;
                    pos += used;
                    continue;
                }
                Err(known) => known,
            };
            let (frame, used) = self.digester.digest_rest::<F>(rest, known);
            let at = At {
                offset: base + pos + frame_start(rest, used),
                payload: None,
            };
            match frame {
                Frame::None if used == 0 => break,
                Frame::None | Frame::Echo => {}
                Frame::Prompt => {
                    if let Phase::Announced { secret } = self.phase {
                        self.phase = Phase::Data { secret };
                    }
                    v.prompt(at)?
                }
                Frame::Line(line) => self.line_in::<F, V>(at, line, &mut vals, v)?,
                Frame::Payload { frame, data, .. } => {
                    let at = At {
                        payload: Some(data),
                        ..at
                    };
                    self.classify::<F, V>(at, frame, &mut vals, v)?
                }
            }
            pos += used;
        }
        Ok(pos)
    }

    /// The bytes after the last frame (at `offset` of the input): a last line
    /// without its CR LF is still a line; anything else is incomplete.
    pub fn finish<F: Decode, V: Visit>(
        &mut self,
        rest: &[u8],
        offset: usize,
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
        self.line::<F, _>(at, line, &mut Last { v, rest })
    }

    /// One frame (a line, or a payload frame's bytes without payload
    /// framing), read as the transcript's phase says.
    pub fn line<F: Decode, V: Visit>(
        &mut self,
        at: At<'_>,
        line: &[u8],
        v: &mut V,
    ) -> Result<(), V::Error> {
        let mut vals = Vals::EMPTY;
        self.line_in::<F, V>(at, line, &mut vals, v)
    }

    /// [`Self::line`] with the values of its parse in `vals`.
    fn line_in<'l, F: Decode, V: Visit>(
        &mut self,
        at: At<'_>,
        line: &'l [u8],
        vals: &mut Vals<'l>,
        v: &mut V,
    ) -> Result<(), V::Error> {
        match self.phase {
            Phase::Data { secret } => {
                // The data ends at the command's final result; URCs may come between.
                let hex = self.hex();
                if final_code::parse(line).is_some() {
                    self.phase = Phase::Normal;
                } else if !F::is_urc(line, &LineKeys::of(line), hex) {
                    // Ctrl+Z ends data sent that way: what follows is the module's answer.
                    if line.contains(&0x1A) {
                        self.phase = Phase::Normal;
                        return v.data(at, line, DataMode::Sent, secret);
                    }
                    // The module's answer to the data, an information line (the
                    // manuals' transcripts leave the data out: BC26 `>` then
                    // `+QSSLCFG: 1,5,"cacert",1216`).
                    if !(line.starts_with(b"+") && F::is_info(line, hex)) {
                        return v.data(at, line, DataMode::Sent, secret);
                    }
                    self.phase = Phase::Normal;
                }
            }
            Phase::Transparent => {
                // `+++` leaves transparent mode (the module then answers OK);
                // NO CARRIER is the peer closing the connection.
                if line == b"+++" {
                    self.phase = Phase::Normal;
                    return v.escape(at);
                }
                if !matches!(final_code::parse(line), Some(FinalCode::NoCarrier)) {
                    return v.data(at, line, DataMode::Transparent, false);
                }
                self.phase = Phase::Normal;
            }
            _ => {}
        }
        self.classify::<F, V>(at, line, vals, v)
    }

    fn classify<'l, F: Decode, V: Visit>(
        &mut self,
        at: At<'_>,
        line: &'l [u8],
        vals: &mut Vals<'l>,
        v: &mut V,
    ) -> Result<(), V::Error> {
        let hex = self.hex();
        // A line the spec declares a URC is one, even where it reads like a
        // final result code (ML302 `<ssid>,CLOSE OK`). Its keys find its
        // candidates among the URCs and the information lines alike; most
        // lines start like no URC, and a final result code needs no keys.
        let may_urc = F::may_be_urc(line);
        let mut keys = may_urc.then(|| LineKeys::of(line));
        let urc = match &keys {
            Some(keys) => match F::urc(at, Typed { line, keys, hex }, vals, v) {
                Parsed::Visited(r) => return r,
                Parsed::Failed(e) => Some(e),
                Parsed::NotThis => None,
            },
            None => None,
        };
        if let Some(code) = final_code::parse(line) {
            if matches!(code, FinalCode::Connect { .. }) {
                self.phase = Phase::Transparent;
            } else if matches!(self.phase, Phase::Announced { .. }) {
                self.phase = Phase::Normal;
            }
            return v.final_code(at, code, line);
        }
        if let Some(word) = unsolicited_word(line) {
            return v.unsolicited(at, word, word == RESTART);
        }
        let keys = keys.get_or_insert_with(|| LineKeys::of(line));
        let t = Typed { line, keys, hex };
        if let Some(e) = urc {
            // A response line may start like a URC (`+CCHOPEN:` answers
            // AT+CCHOPEN? and reports its result): malformed only when it is no
            // line either.
            return match F::info(at, t, vals, v) {
                Parsed::Visited(r) => r,
                _ => v.malformed(at, line, e),
            };
        }
        if line.get(..2).is_some_and(|h| h.eq_ignore_ascii_case(b"AT")) {
            return match F::command(at, line, v) {
                Ok((r, data)) => {
                    self.digester.expect_prompt(data.is_some());
                    if let Some(secret) = data {
                        self.phase = Phase::Announced { secret };
                    }
                    r
                }
                Err(e) => v.bad_command(at, line, e),
            };
        }
        match F::info(at, t, vals, v) {
            Parsed::Visited(r) => r,
            _ => v.unrecognised(at, line),
        }
    }
}

/// The common line of the normal phase, settled without the general
/// classification: a plain URC or information line read straight into its
/// type, or a final result code. `None` for any other line, which
/// [`Decoder::classify`] then reads from the start (and settles as this would
/// have: the same checks in the same order).
#[inline(always)]
fn quick<F: Decode, V: Visit>(at: At<'_>, line: &[u8], v: &mut V) -> Option<Result<(), V::Error>> {
    let may_urc = F::may_be_urc(line);
    if !may_urc {
        return match final_code::parse(line)? {
            FinalCode::Connect { .. } => None,
            code => Some(v.final_code(at, code, line)),
        };
    }
    let keys = LineKeys::of_short_for(line, F::SUB_HEADS)?;
    if let Some(r) = F::quick_urc(at, line, &keys, v)? {
        return Some(r);
    }
    if let Some(code) = final_code::may_be(line)
        .then(|| final_code::parse(line))
        .flatten()
    {
        return match code {
            FinalCode::Connect { .. } => None,
            code => Some(v.final_code(at, code, line)),
        };
    }
    if unsolicited_word(line).is_some()
        || line.get(..2).is_some_and(|h| h.eq_ignore_ascii_case(b"AT"))
    {
        return None;
    }
    F::quick_info(at, line, &keys, v)
}

/// A frame to parse with the family's typed parsers: its bytes, its keys
/// ([`LineKeys::of`]) and whether payloads are hex text.
#[derive(Clone, Copy)]
pub struct Typed<'l, 'k> {
    /// The frame (a line, or header, payload and trailer).
    pub line: &'l [u8],
    /// Its keys, which find its candidate templates.
    pub keys: &'k LineKeys,
    /// Payloads are hex text.
    pub hex: bool,
}

/// What a typed parse of a frame did.
pub enum Parsed<R> {
    /// It parsed and was visited: the visit's result.
    Visited(R),
    /// It starts like one (a URC's prefix) and does not parse.
    Failed(ParseError),
    /// It is not one.
    NotThis,
}

/// A command line visited: the visit's result, and when the command has a
/// data phase, whether that data is secret.
pub type Command<E> = (Result<(), E>, Option<bool>);

/// A family's parsers behind one interface (implemented for every family's `Family`).
pub trait Decode: atgen_runtime::Family {
    /// Visits the line when it is one of the family's URCs.
    fn urc<'l, V: Visit>(
        at: At<'_>,
        t: Typed<'l, '_>,
        vals: &mut Vals<'l>,
        v: &mut V,
    ) -> Parsed<Result<(), V::Error>>;
    /// The line read straight into the first of its candidate URCs that
    /// reads it ([`atgen_runtime::typed::first`]), visited: `Some(None)` when
    /// it has no candidate URC, `None` when only the full parser can tell.
    fn quick_urc<V: Visit>(
        at: At<'_>,
        line: &[u8],
        keys: &LineKeys,
        v: &mut V,
    ) -> Option<Option<Result<(), V::Error>>>;
    /// [`Self::quick_urc`] of the information lines; `None` unless it reads.
    fn quick_info<V: Visit>(
        at: At<'_>,
        line: &[u8],
        keys: &LineKeys,
        v: &mut V,
    ) -> Option<Result<(), V::Error>>;
    /// The head keys of the URCs' and information lines' templates keyed by
    /// their sub-command ([`atgen_runtime::dispatch::LineIndex::sub_heads`]).
    const SUB_HEADS: u64;
    /// Whether `line` is one of the family's URCs.
    fn is_urc(line: &[u8], keys: &LineKeys, hex: bool) -> bool;
    /// Whether `line` starts as one of the family's URCs may (its first byte).
    fn may_be_urc(line: &[u8]) -> bool;
    /// Whether `line` is one of the family's information lines.
    fn is_info(line: &[u8], hex: bool) -> bool;
    /// Visits the line when it is one of the family's information lines.
    fn info<'l, V: Visit>(
        at: At<'_>,
        t: Typed<'l, '_>,
        vals: &mut Vals<'l>,
        v: &mut V,
    ) -> Parsed<Result<(), V::Error>>;
    /// Visits a command line that parses; with the visit's result, whether the
    /// command has a data phase and whether that data is secret.
    fn command<V: Visit>(
        at: At<'_>,
        line: &[u8],
        v: &mut V,
    ) -> Result<Command<V::Error>, RequestError>;
}

macro_rules! decode_impl {
    ($m:ident) => {
        impl Decode for $m::Family {
            const SUB_HEADS: u64 = $m::Urc::INDEX.sub_heads() | $m::InfoLine::INDEX.sub_heads();
            fn urc<'l, V: Visit>(
                at: At<'_>,
                t: Typed<'l, '_>,
                vals: &mut Vals<'l>,
                v: &mut V,
            ) -> Parsed<Result<(), V::Error>> {
                // Most lines are no URC.
                if $m::Urc::INDEX.candidates(t.keys).is_empty() {
                    return Parsed::NotThis;
                }
                match $m::Urc::parse_into(t.line, t.keys, t.hex, vals) {
                    Some(Ok((u, d))) => {
                        let secrets = Secrets {
                            fields: d.line.template.fields,
                            vals,
                        };
                        Parsed::Visited(v.urc(at, &u, secrets))
                    }
                    Some(Err(e)) => Parsed::Failed(e),
                    None => Parsed::NotThis,
                }
            }
            #[inline]
            fn quick_urc<V: Visit>(
                at: At<'_>,
                line: &[u8],
                keys: &LineKeys,
                v: &mut V,
            ) -> Option<Option<Result<(), V::Error>>> {
                let candidates = $m::Urc::INDEX.candidates_of(keys, line);
                if candidates.is_empty() {
                    return Some(None);
                }
                let (i, u) = atgen_runtime::typed::first(candidates, |i| {
                    $m::Urc::quick_started_at(i, line)
                })?;
                let d = $m::desc::FAMILY_DESC.urcs.get(i)?;
                let secrets = Secrets {
                    fields: d.line.template.fields,
                    vals: &Vals::EMPTY,
                };
                Some(Some(v.urc(at, &u, secrets)))
            }
            #[inline]
            fn quick_info<V: Visit>(
                at: At<'_>,
                line: &[u8],
                keys: &LineKeys,
                v: &mut V,
            ) -> Option<Result<(), V::Error>> {
                let (i, l) = atgen_runtime::typed::first(
                    $m::InfoLine::INDEX.candidates_of(keys, line),
                    |i| $m::InfoLine::quick_started_at(i, line),
                )?;
                let d = $m::desc::FAMILY_DESC.lines.get(i)?;
                let secrets = Secrets {
                    fields: d.template.fields,
                    vals: &Vals::EMPTY,
                };
                Some(v.info(at, &l, secrets))
            }
            #[inline]
            fn may_be_urc(line: &[u8]) -> bool {
                $m::Urc::INDEX.may_start(line)
            }
            fn is_info(line: &[u8], hex: bool) -> bool {
                $m::InfoLine::parse(line, hex).is_ok()
            }
            fn is_urc(line: &[u8], keys: &LineKeys, hex: bool) -> bool {
                if $m::Urc::INDEX.candidates(keys).is_empty() {
                    return false;
                }
                let mut vals = Vals::EMPTY;
                matches!($m::Urc::parse_into(line, keys, hex, &mut vals), Some(Ok(_)))
            }
            fn info<'l, V: Visit>(
                at: At<'_>,
                t: Typed<'l, '_>,
                vals: &mut Vals<'l>,
                v: &mut V,
            ) -> Parsed<Result<(), V::Error>> {
                match $m::InfoLine::parse_fast(t.line, t.keys, t.hex, vals) {
                    Ok((l, d)) => {
                        let secrets = Secrets {
                            fields: d.template.fields,
                            vals,
                        };
                        Parsed::Visited(v.info(at, &l, secrets))
                    }
                    Err(e) => Parsed::Failed(e),
                }
            }
            fn command<V: Visit>(
                at: At<'_>,
                line: &[u8],
                v: &mut V,
            ) -> Result<Command<V::Error>, RequestError> {
                let r = $m::Request::parse(line)?;
                let (f, vals) = r.parts();
                let data = atgen_runtime::codec::data_phase(f, &vals).map(|d| d.secret);
                let secrets = Secrets {
                    fields: f.args.fields,
                    vals: &vals,
                };
                Ok((v.command(at, &r, secrets), data))
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
    let mut d = Decoder::new(hex);
    let used = d.frames::<F, V>(input, 0, v)?;
    d.finish::<F, V>(input.get(used..).unwrap_or(&[]), used, v)
}

/// Where a frame starts in the bytes digested for it: after the line ends
/// before it, so an offset does not depend on how the input was split.
#[inline]
pub fn frame_start(digested: &[u8], used: usize) -> usize {
    let mut n = 0;
    while n < used && matches!(digested.get(n), Some(b'\r' | b'\n')) {
        n += 1;
    }
    n
}

/// The visitor of the input's last bytes: a line that is neither known nor
/// well formed there is the input cut short (`incomplete`), not a bad line.
struct Last<'v, 'r, V> {
    v: &'v mut V,
    rest: &'r [u8],
}

impl<V: Visit> Visit for Last<'_, '_, V> {
    type Error = V::Error;
    fn prompt(&mut self, at: At<'_>) -> Result<(), V::Error> {
        self.v.prompt(at)
    }
    fn final_code(&mut self, at: At<'_>, code: FinalCode<'_>, line: &[u8]) -> Result<(), V::Error> {
        self.v.final_code(at, code, line)
    }
    fn unsolicited(
        &mut self,
        at: At<'_>,
        word: &'static str,
        restart: bool,
    ) -> Result<(), V::Error> {
        self.v.unsolicited(at, word, restart)
    }
    fn urc<T: Serialize>(
        &mut self,
        at: At<'_>,
        urc: &T,
        s: Secrets<'_, '_>,
    ) -> Result<(), V::Error> {
        self.v.urc(at, urc, s)
    }
    fn info<T: Serialize>(
        &mut self,
        at: At<'_>,
        line: &T,
        s: Secrets<'_, '_>,
    ) -> Result<(), V::Error> {
        self.v.info(at, line, s)
    }
    fn command<T: Serialize>(
        &mut self,
        at: At<'_>,
        request: &T,
        s: Secrets<'_, '_>,
    ) -> Result<(), V::Error> {
        self.v.command(at, request, s)
    }
    fn bad_command(&mut self, at: At<'_>, line: &[u8], e: RequestError) -> Result<(), V::Error> {
        self.v.bad_command(at, line, e)
    }
    fn data(
        &mut self,
        at: At<'_>,
        line: &[u8],
        mode: DataMode,
        secret: bool,
    ) -> Result<(), V::Error> {
        self.v.data(at, line, mode, secret)
    }
    fn escape(&mut self, at: At<'_>) -> Result<(), V::Error> {
        self.v.escape(at)
    }
    fn malformed(&mut self, at: At<'_>, _: &[u8], _: ParseError) -> Result<(), V::Error> {
        self.v.incomplete(at, self.rest)
    }
    fn unrecognised(&mut self, at: At<'_>, _: &[u8]) -> Result<(), V::Error> {
        self.v.incomplete(at, self.rest)
    }
    fn incomplete(&mut self, at: At<'_>, rest: &[u8]) -> Result<(), V::Error> {
        self.v.incomplete(at, rest)
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
    let d = core::cell::RefCell::new(Decoder::new(hex));
    let v = core::cell::RefCell::new(v);
    read_windows(
        input,
        |buf, base| d.borrow_mut().frames::<F, V>(buf, base, *v.borrow_mut()),
        |rest, base| d.borrow_mut().finish::<F, V>(rest, base, *v.borrow_mut()),
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

//! The trait a generated family module implements: its URCs, and where its
//! length-prefixed payloads are, so framing never reads a payload as lines.

use crate::error::ParseError;
use crate::request::When;

/// What [`Family::probe_payload`] finds at the start of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadProbe {
    /// Not a payload header: an ordinary line.
    No,
    /// Could be a payload header; more bytes are needed to tell.
    Incomplete,
    /// A payload of `len` bytes starts at `start`, followed by `trailer`
    /// (`"\r\n` for BC26's inline quoted data, empty when the payload follows
    /// its own header line).
    Payload {
        start: usize,
        len: usize,
        trailer: &'static [u8],
    },
}

/// How a family's payload headers may start: the first (up to 16) bytes of
/// the leading literal of each payload line, as two masked words, so two
/// loads and a compare or two tell most lines apart from every header
/// (`+QSSLURC: "closed"` from `+QSSLURC: "recv"`); and how many commas a
/// header's first line has at least, so a complete line with fewer is told
/// apart from the header it starts like (`+QSSLURC: "recv",1` from `+QSSLURC:
/// "recv",<clientID>,<currentrecvlength>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayloadStarts {
    /// `[(word, mask); 2]` per payload line; unused entries match nothing.
    words: [[(u64, u64); 2]; 4],
    /// Per payload line: the commas its template's literals have before the
    /// payload (or the header's line break), outside optional groups.
    commas: [u8; 4],
    /// Any line may start a header (a payload line starts with a field, or
    /// there are more payload lines than entries).
    any: bool,
}

impl PayloadStarts {
    /// Every line may start a header: [`Family::probe_payload`] decides.
    pub const ANY: PayloadStarts = PayloadStarts {
        words: [Self::NOTHING; 4],
        commas: [0; 4],
        any: true,
    };

    /// Words no line matches: a bit set outside the mask.
    const NOTHING: [(u64, u64); 2] = [(1, 0), (0, 0)];

    /// The starts of the leading literals of `lines`, computed at compile time.
    pub const fn of(lines: &[&crate::desc::Line]) -> Self {
        let mut words = [Self::NOTHING; 4];
        let mut commas = [0u8; 4];
        if lines.len() > words.len() {
            return Self::ANY;
        }
        let mut i = 0;
        while i < lines.len() {
            let p = match lines[i].template.toks.first() {
                Some(crate::desc::Tok::Lit(t)) if !t.is_empty() => t.as_bytes(),
                _ => return Self::ANY,
            };
            let (m0, m1) = (
                crate::dispatch::low(p.len()),
                crate::dispatch::low(p.len().saturating_sub(8)),
            );
            let second = if p.len() > 8 { 8 } else { p.len() };
            words[i] = [
                (crate::dispatch::word8(p, 0) & m0, m0),
                (crate::dispatch::word8(p, second) & m1, m1),
            ];
            commas[i] = header_commas(&lines[i].template);
            i += 1;
        }
        PayloadStarts {
            words,
            commas,
            any: false,
        }
    }

    /// Whether `line` (the bytes from a line start) may be a payload header:
    /// it agrees with a header's start as far as both go.
    #[inline(always)]
    pub fn may_start(&self, line: &[u8]) -> bool {
        if self.any {
            return true;
        }
        let Some(first) = line.first_chunk::<8>() else {
            // Too short to tell a word at a time.
            return true;
        };
        let w0 = u64::from_le_bytes(*first);
        if !self.words.iter().any(|&[(p0, m0), _]| w0 & m0 == p0) {
            return false;
        }
        // The second word only for a line whose first agrees with a
        // header's, and only the bytes the line has (past its end, zeros).
        let a1 = crate::dispatch::low(line.len().saturating_sub(8));
        let w1 = crate::dispatch::word8(line, 8) & a1;
        // The commas of the line, counted once and only for a line that starts like a header.
        let mut commas = None;
        self.words
            .iter()
            .zip(self.commas)
            .any(|(&[(p0, m0), (p1, m1)], need)| {
                w0 & m0 == p0
                    && w1 & m1 == p1 & a1
                    && *commas.get_or_insert_with(|| line_commas(line)) >= need
            })
    }
}

/// The commas a header line of `t` has at least: those of its literals up to
/// its payload field or its first line break, outside optional groups (at
/// most 255).
const fn header_commas(t: &crate::desc::Template) -> u8 {
    use crate::desc::Tok;
    let (toks, mut n, mut i) = (t.toks, 0u8, 0);
    while i < toks.len() {
        match toks[i] {
            Tok::Lit(s) => {
                let s = s.as_bytes();
                let mut k = 0;
                while k < s.len() {
                    if s[k] == b',' {
                        n = n.saturating_add(1);
                    }
                    k += 1;
                }
            }
            Tok::Field(f) => {
                let f = f as usize;
                if f < t.fields.len() && matches!(t.fields[f].param.kind, crate::desc::Kind::Bytes)
                {
                    break;
                }
            }
            Tok::LineBreak => break,
            // An optional group's commas may be absent.
            Tok::Group(len) => i += len as usize,
            Tok::Supported(_) => {}
        }
        i += 1;
    }
    n
}

/// The commas of a complete line before its LF (up to 255); 255 when `buf`
/// holds no LF yet, as the line may still get them.
#[inline]
fn line_commas(buf: &[u8]) -> u8 {
    match memchr::memchr(b'\n', buf) {
        Some(lf) => {
            let line = buf.get(..lf).unwrap_or(&[]);
            let n = line.iter().filter(|&&b| b == b',').count();
            u8::try_from(n).unwrap_or(u8::MAX)
        }
        None => u8::MAX,
    }
}

/// A module family: its id, its URC type and its framing rules.
pub trait Family {
    /// The family id, e.g. `quectel-ec2x`.
    const ID: &'static str;
    /// Every URC of the family.
    type Urc<'a>: core::fmt::Debug;

    /// Line prefixes that start URCs (`+QSSLURC: `, `+QSSLOPEN: `, …).
    const URC_PREFIXES: &'static [&'static str];

    /// Given bytes from the start of a line, whether a payload taken by length
    /// starts in it (`+QSSLRECV: 18\r\n<18 bytes>`). `hex` says whether payloads are
    /// currently hex text (BC26 dataformat), which doubles their length on the wire.
    fn probe_payload(buf: &[u8], hex: bool) -> PayloadProbe;

    /// How payload headers may start: a line that starts otherwise is no
    /// header, and [`Self::probe_payload`] is not asked.
    const PAYLOAD_STARTS: PayloadStarts = PayloadStarts::ANY;

    /// Parses a complete URC frame (line, and payload if any, without the final CR LF).
    /// `None` when the frame is not one of the family's URCs.
    fn parse_urc(frame: &[u8], hex: bool) -> Option<Result<Self::Urc<'_>, ParseError>>;

    /// While this setting holds, payloads the module sends are hex text
    /// (BC26 `recv_data_format`); the link passes it as `hex` above.
    const PAYLOAD_HEX_WHEN: Option<When> = None;

    /// The family's descriptors (the spec as data); generated families set it.
    const DESC: Option<&'static crate::desc::FamilyDesc> = None;

    /// The descriptor and values of a typed URC, for the descriptor-driven defaults.
    fn urc_parts<'a>(
        _urc: &Self::Urc<'a>,
    ) -> Option<(&'static crate::desc::Urc, crate::vals::Vals<'a>)> {
        None
    }

    /// The family's error table: the description of a code (`+CME ERROR: 552`,
    /// or the `<err>` of a result URC), when it is known.
    fn describe_error(code: i64) -> Option<&'static str> {
        Self::DESC.and_then(|d| crate::codec::describe_error(d.errors, code))
    }

    /// The error a result URC reports (`+QSSLOPEN: 1,552` gives `Some(552)`);
    /// `None` when it reports success or carries no code.
    fn urc_error(urc: &Self::Urc<'_>) -> Option<i64> {
        Self::urc_parts(urc).and_then(|(u, v)| crate::codec::urc_error(u, &v))
    }
}

/// One module family of a build, as the generated registry (`atgen::FAMILIES`) lists it.
#[derive(Debug, Clone, Copy)]
pub struct FamilyInfo {
    /// The family id, e.g. `quectel-ec2x`.
    pub id: &'static str,
    /// The Rust module of the generated API, e.g. `quectel_ec2x`.
    pub module: &'static str,
    /// The cargo feature that builds it (named like the id).
    pub feature: &'static str,
    pub vendor: &'static str,
    pub title: &'static str,
    /// The module models the manual covers.
    pub modules: &'static [&'static str],
    /// The manual's title, version (when it states one) and file under `shared/seeds/`.
    pub manual: &'static str,
    pub manual_version: Option<&'static str>,
    pub manual_file: &'static str,
    /// The spec file, relative to the repository.
    pub spec_file: &'static str,
    /// The family's descriptors (the simulator and the generic tools run on them).
    pub desc: &'static crate::desc::FamilyDesc,
}

/// Families are the same when their ids are (an id names one spec).
impl PartialEq for FamilyInfo {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for FamilyInfo {}

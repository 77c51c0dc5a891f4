//! Fault injection: what can go wrong, when it fires, and a seeded random source
//! so that a run with the same `--seed` fails the same way.
//!
//! A fault is written `KIND[=VALUE][:TRIGGER]` (the `--fault` flag of
//! `atgen simulate`, or [`Fault::parse`]):
//!
//! | kind | opportunity | what the host sees |
//! |---|---|---|
//! | `drop` | every final result code of a command | the final result code (`OK`, `ERROR`, `SEND OK`, `CONNECT`, …) is never sent; information lines before it are; the command itself took effect |
//! | `delay=MS` | every command response | the response (and everything queued behind it) is held back `MS` milliseconds |
//! | `urc` | every command response | one URC of the family is injected before the final result code (between two information lines when there are several) |
//! | `garbage` | every command response | a line of random printable junk follows the final result code (it never starts with `+` and is never a result code) |
//! | `send-fail` | every data phase of a send command that would succeed | `SEND FAIL` (BC26: `+QSSLSEND: <ctx>,<conn>,-9` after `OK`), the data is discarded |
//! | `reboot` | every command line | the command gets no answer; all sockets and settings go back to their power-on state (no close URCs), echo goes back to its default, then `RDY` |
//! | `peer-close` | every chunk of data the host sends to a peer | the peer closes the connection instead of answering: the close URC (or `NO CARRIER` in transparent mode) |
//! | `depart` | every test-command line with a number in its supported values, every query line with a field the manual bounds | the module departs from the manual: the last number of the line's first such supported list is one higher (`(1-16)` → `(1-17)`); the query's first bounded field is outside what the manual allows (its range's maximum + 1, its largest code + 1, or its default + 1); each is listed in [`crate::sim::SimState::departures`] |
//!
//! `TRIGGER` is a rate or a count, optionally followed by `+SKIP`:
//! `0.25` (a number with a decimal point) fires at each opportunity with that
//! probability; `3` (an integer) fires at the first 3 opportunities; `+SKIP`
//! lets the first SKIP opportunities pass first (`reboot:1+2` reboots at the
//! third command). Without a trigger a fault fires once (`1`).

use std::fmt;
use std::time::Duration;

/// What goes wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaultKind {
    /// The final result code of a command never comes.
    Drop,
    /// A command response comes late.
    Delay,
    /// A URC is injected inside a command response.
    Urc,
    /// A junk line follows a command response.
    Garbage,
    /// A send is refused with `SEND FAIL`; the data is discarded.
    SendFail,
    /// The module reboots: no answer, state reset, `RDY`.
    Reboot,
    /// The peer closes the connection instead of answering.
    PeerClose,
    /// A test or query answer departs from the manual.
    Depart,
}

impl FaultKind {
    /// Every kind, in the order of the documentation.
    pub const ALL: [FaultKind; 8] = [
        FaultKind::Drop,
        FaultKind::Delay,
        FaultKind::Urc,
        FaultKind::Garbage,
        FaultKind::SendFail,
        FaultKind::Reboot,
        FaultKind::PeerClose,
        FaultKind::Depart,
    ];

    /// The name used by `--fault`.
    pub fn name(self) -> &'static str {
        match self {
            FaultKind::Drop => "drop",
            FaultKind::Delay => "delay",
            FaultKind::Urc => "urc",
            FaultKind::Garbage => "garbage",
            FaultKind::SendFail => "send-fail",
            FaultKind::Reboot => "reboot",
            FaultKind::PeerClose => "peer-close",
            FaultKind::Depart => "depart",
        }
    }

    fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == s)
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// When a fault fires.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Trigger {
    /// At each opportunity with this probability (0.0..=1.0), from the seeded source.
    Rate(f64),
    /// At the first `n` opportunities.
    Count(u32),
}

/// One fault to inject.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// What goes wrong.
    pub kind: FaultKind,
    /// When it goes wrong.
    pub trigger: Trigger,
    /// Opportunities that pass before the trigger applies.
    pub skip: u32,
    /// For [`FaultKind::Delay`]: how long the response is held back.
    pub delay: Duration,
}

impl Fault {
    /// A fault that fires at the first `n` opportunities.
    pub fn count(kind: FaultKind, n: u32) -> Self {
        Fault {
            kind,
            trigger: Trigger::Count(n),
            skip: 0,
            delay: Duration::from_millis(DEFAULT_DELAY_MS),
        }
    }

    /// A fault that fires at each opportunity with probability `p`.
    pub fn rate(kind: FaultKind, p: f64) -> Self {
        Fault {
            trigger: Trigger::Rate(p),
            ..Self::count(kind, 1)
        }
    }

    /// Lets the first `n` opportunities pass.
    pub fn after(mut self, n: u32) -> Self {
        self.skip = n;
        self
    }

    /// Sets the delay of a [`FaultKind::Delay`] fault.
    pub fn with_delay(mut self, d: Duration) -> Self {
        self.delay = d;
        self
    }

    /// Parses `KIND[=VALUE][:TRIGGER]` (see the module documentation).
    pub fn parse(s: &str) -> Result<Self, FaultSpecError> {
        let err = |why: String| FaultSpecError {
            spec: s.to_string(),
            why,
        };
        let (head, trigger) = match s.split_once(':') {
            Some((h, t)) => (h, Some(t)),
            None => (s, None),
        };
        let (name, value) = match head.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (head, None),
        };
        let kind = FaultKind::from_name(name.trim()).ok_or_else(|| {
            let known: Vec<&str> = FaultKind::ALL.iter().map(|k| k.name()).collect();
            err(format!(
                "unknown fault `{name}`; known faults: {}",
                known.join(", ")
            ))
        })?;
        let mut fault = Fault::count(kind, 1);
        match (kind, value) {
            (FaultKind::Delay, Some(v)) => {
                let ms: u64 = v
                    .trim()
                    .trim_end_matches("ms")
                    .parse()
                    .map_err(|_| err(format!("`{v}` is not a number of milliseconds")))?;
                fault.delay = Duration::from_millis(ms);
            }
            (FaultKind::Delay, None) => {}
            (_, Some(v)) => {
                return Err(err(format!("`{name}` takes no value (got `={v}`)")));
            }
            (_, None) => {}
        }
        if let Some(t) = trigger {
            let (t, skip) = match t.split_once('+') {
                Some((t, k)) => {
                    let skip = k
                        .trim()
                        .parse()
                        .map_err(|_| err(format!("skip `{k}` is not a count")))?;
                    (t, skip)
                }
                None => (t, 0),
            };
            fault.skip = skip;
            let t = t.trim();
            fault.trigger =
                if t.contains('.') {
                    let p: f64 = t
                        .parse()
                        .map_err(|_| err(format!("rate `{t}` is not a number")))?;
                    if !(0.0..=1.0).contains(&p) {
                        return Err(err(format!("rate {p} is outside 0.0..=1.0")));
                    }
                    Trigger::Rate(p)
                } else {
                    Trigger::Count(t.parse().map_err(|_| {
                        err(format!("`{t}` is neither a rate (0.5) nor a count (3)"))
                    })?)
                };
        }
        Ok(fault)
    }
}

/// The default delay of `delay` without `=MS`.
pub const DEFAULT_DELAY_MS: u64 = 500;

/// A `--fault` that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultSpecError {
    /// The `--fault` value as given.
    pub spec: String,
    /// What is wrong with it.
    pub why: String,
}

impl fmt::Display for FaultSpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fault `{}`: {}", self.spec, self.why)
    }
}

impl std::error::Error for FaultSpecError {}

/// SplitMix64: small, seedable, good enough for fault dice and junk bytes.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0.0..1.0`.
    pub(crate) fn unit(&mut self) -> f64 {
        // 53 random bits.
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next_u64() % n as u64) as usize
    }
}

#[derive(Debug)]
struct Armed {
    fault: Fault,
    seen: u32,
    fired: u32,
}

/// Decides, opportunity by opportunity, whether a fault fires.
#[derive(Debug)]
pub(crate) struct Faults {
    armed: Vec<Armed>,
    pub(crate) rng: Rng,
}

impl Faults {
    pub(crate) fn new(faults: &[Fault], seed: u64) -> Self {
        Faults {
            armed: faults
                .iter()
                .map(|f| Armed {
                    fault: f.clone(),
                    seen: 0,
                    fired: 0,
                })
                .collect(),
            rng: Rng::new(seed),
        }
    }

    /// One opportunity for `kind`: the fault that fires, if any (the first listed wins).
    pub(crate) fn fire(&mut self, kind: FaultKind) -> Option<Fault> {
        let mut hit = None;
        for a in self.armed.iter_mut().filter(|a| a.fault.kind == kind) {
            a.seen = a.seen.saturating_add(1);
            if a.seen <= a.fault.skip || hit.is_some() {
                continue;
            }
            let fires = match a.fault.trigger {
                Trigger::Count(n) => a.fired < n,
                Trigger::Rate(p) => self.rng.unit() < p,
            };
            if fires {
                a.fired = a.fired.saturating_add(1);
                hit = Some(a.fault.clone());
            }
        }
        hit
    }

    /// How often each kind fired.
    pub(crate) fn fired(&self) -> Vec<(FaultKind, u32)> {
        let mut out: Vec<(FaultKind, u32)> = Vec::new();
        for a in &self.armed {
            match out.iter_mut().find(|(k, _)| *k == a.fault.kind) {
                Some((_, n)) => *n += a.fired,
                None => out.push((a.fault.kind, a.fired)),
            }
        }
        out
    }

    /// A line of printable junk (no line end): never starts with `+` or `>`,
    /// and is never a final result code.
    pub(crate) fn junk(&mut self) -> Vec<u8> {
        const START: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789#%&*~";
        let len = 4 + self.rng.below(28);
        let mut line = Vec::with_capacity(len + 1);
        line.push(START[self.rng.below(START.len())]);
        for _ in 1..len {
            // Printable ASCII without the double quote.
            let b = b' ' + self.rng.below(95) as u8;
            line.push(if b == b'"' { b'\'' } else { b });
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_with_rates_counts_skips_and_delays() {
        let f = Fault::parse("drop").unwrap();
        assert_eq!(
            (f.kind, f.trigger, f.skip),
            (FaultKind::Drop, Trigger::Count(1), 0)
        );
        let f = Fault::parse("delay=250:0.5").unwrap();
        assert_eq!(f.delay, Duration::from_millis(250));
        assert_eq!(f.trigger, Trigger::Rate(0.5));
        let f = Fault::parse("reboot:2+3").unwrap();
        assert_eq!((f.trigger, f.skip), (Trigger::Count(2), 3));
        assert!(Fault::parse("explode").is_err());
        assert!(Fault::parse("drop=3").is_err());
        assert!(Fault::parse("urc:1.5").is_err());
        assert!(Fault::parse("garbage:x").is_err());
    }

    #[test]
    fn counts_fire_after_the_skip_and_stop() {
        let mut f = Faults::new(&[Fault::count(FaultKind::Drop, 2).after(1)], 0);
        let fired: Vec<bool> = (0..5).map(|_| f.fire(FaultKind::Drop).is_some()).collect();
        assert_eq!(fired, [false, true, true, false, false]);
        assert_eq!(f.fire(FaultKind::Urc), None);
    }

    #[test]
    fn rates_are_deterministic_for_a_seed() {
        let run = |seed| {
            let mut f = Faults::new(&[Fault::rate(FaultKind::Garbage, 0.5)], seed);
            (0..64)
                .map(|_| f.fire(FaultKind::Garbage).is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn junk_is_never_a_result_code_or_urc() {
        let mut f = Faults::new(&[], 3);
        for _ in 0..1000 {
            let j = f.junk();
            assert!(j.iter().all(|b| (b' '..=b'~').contains(b)));
            assert!(!j.starts_with(b"+") && !j.starts_with(b">"));
            assert!(crate::final_code::parse(&j).is_none());
        }
    }
}

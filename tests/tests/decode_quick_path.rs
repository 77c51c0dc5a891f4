//! The decoder's quick path (the common lines of the normal phase settled
//! before the general classification) against that classification
//! (`Decoder::line`, which reads every line from the start), on every family:
//! each line of module output is visited alike either way, the same kind of
//! item with the same value or error. The lines are random valid ones from
//! every response and URC template of the spec, mangled copies of them, final
//! result codes, unsolicited words and command lines.

use atgen::decode::{decode_slice, At, DataMode, Decode, Decoder, Secrets, Visit};
use atgen_runtime::dispatch::LineKeys;
use atgen_runtime::final_code::FinalCode;
use atgen_runtime::{Family, ParseError, PayloadProbe, RequestError};
use atgen_tests::gen::{self, LineGen, Tape};
use serde::Serialize;

/// Every item as its kind and value (JSON) or error.
#[derive(Default)]
struct Record(Vec<String>);

impl Record {
    fn add(&mut self, kind: &str, what: String) -> Result<(), ()> {
        self.0.push(format!("{kind} {what}"));
        Ok(())
    }
}

fn json<T: Serialize>(t: &T) -> String {
    serde_json::to_string(t).unwrap_or_else(|e| format!("unserialisable: {e}"))
}

impl Visit for Record {
    type Error = ();
    fn prompt(&mut self, _: At<'_>) -> Result<(), ()> {
        self.add("prompt", String::new())
    }
    fn final_code(&mut self, _: At<'_>, code: FinalCode<'_>, line: &[u8]) -> Result<(), ()> {
        self.add("final", format!("{code:?} {}", line.escape_ascii()))
    }
    fn unsolicited(&mut self, _: At<'_>, word: &'static str, restart: bool) -> Result<(), ()> {
        self.add("unsolicited", format!("{word} {restart}"))
    }
    fn urc<T: Serialize>(&mut self, _: At<'_>, urc: &T, _: Secrets<'_, '_>) -> Result<(), ()> {
        self.add("urc", json(urc))
    }
    fn info<T: Serialize>(&mut self, _: At<'_>, line: &T, _: Secrets<'_, '_>) -> Result<(), ()> {
        self.add("info", json(line))
    }
    fn command<T: Serialize>(&mut self, _: At<'_>, r: &T, _: Secrets<'_, '_>) -> Result<(), ()> {
        self.add("command", json(r))
    }
    fn data(&mut self, _: At<'_>, line: &[u8], mode: DataMode, secret: bool) -> Result<(), ()> {
        self.add("data", format!("{mode:?} {secret} {}", line.escape_ascii()))
    }
    fn escape(&mut self, _: At<'_>) -> Result<(), ()> {
        self.add("escape", String::new())
    }
    fn bad_command(&mut self, _: At<'_>, line: &[u8], e: RequestError) -> Result<(), ()> {
        self.add("bad_command", format!("{} {e}", line.escape_ascii()))
    }
    fn malformed(&mut self, _: At<'_>, line: &[u8], e: ParseError) -> Result<(), ()> {
        self.add("malformed", format!("{} {e}", line.escape_ascii()))
    }
    fn unrecognised(&mut self, _: At<'_>, line: &[u8]) -> Result<(), ()> {
        self.add("unrecognised", line.escape_ascii().to_string())
    }
    fn incomplete(&mut self, _: At<'_>, rest: &[u8]) -> Result<(), ()> {
        self.add("incomplete", rest.escape_ascii().to_string())
    }
}

/// Bytes a mangled line gets: punctuation, digits, letters and a space.
const NOISE: &[u8] = b"\",:()+- 0179aZ";

/// Lines every family's output may hold besides its templates.
const OTHER_LINES: &[&[u8]] = &[
    b"OK",
    b"ERROR",
    b"SEND OK",
    b"SEND FAIL",
    b"CLOSE OK",
    b"1,CLOSE OK",
    b"NO CARRIER",
    b"+CME ERROR: 552",
    b"+CME ERROR: SSL open failed",
    b"+CMS ERROR: 500",
    b"RDY",
    b"+PBREADY",
    b"POWERED DOWN",
    b"AT",
    b"at+qsslstate",
    b"AT+QSSLCFG=\"sslversion\",1,4",
    b"AT+QSSLOPEN=1,1,4,\"a.b\",443,0",
    b"+",
    b"+Q",
    b"+QSSL",
    b":",
    b"+:",
    b"\"",
    b",",
    b"ok",
];

/// The line as the quick path and as the general classification see it; a
/// message when they differ.
fn compare<F: Decode>(line: &[u8]) -> Result<(), String> {
    let framed = [b"\r\n", line, b"\r\n"].concat();
    let mut quick = Record::default();
    let _ = decode_slice::<F, _>(&framed, false, &mut quick);
    let mut general = Record::default();
    let at = At {
        offset: 2,
        payload: None,
    };
    let _ = Decoder::new(false).line::<F, _>(at, line, &mut general);
    if quick.0 == general.0 {
        Ok(())
    } else {
        Err(format!(
            "{} `{}`: quick path {:?}, general {:?}",
            F::ID,
            line.escape_ascii(),
            quick.0,
            general.0
        ))
    }
}

/// Whether `line` is one frame of its own: no line end inside, and no
/// payload header (framed with its payload, which `Decoder::line` is not given).
fn one_line<F: Family>(line: &[u8]) -> bool {
    let framed = [line, b"\r\n"].concat();
    !line.is_empty()
        && !line.iter().any(|b| matches!(b, b'\r' | b'\n' | 0x1a))
        && F::probe_payload(&framed, false) == PayloadProbe::No
}

fn check_family<F: Decode>(fam: &atgen_codegen::ir::Family) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut check = |line: &[u8], failures: &mut Vec<String>| {
        if one_line::<F>(line) {
            checked += 1;
            if let Err(e) = compare::<F>(line) {
                failures.push(e);
            }
        }
    };
    for line in OTHER_LINES {
        check(line, &mut failures);
    }
    for (_, ir_line) in gen::line_templates(fam) {
        for seed in 0..48u64 {
            let mut tape = Tape::seeded(seed, 256);
            let line = LineGen::for_line(fam, ir_line, &mut tape, false).line(&ir_line.tokens);
            let bare = line.strip_suffix(b"\r\n").unwrap_or(&line).to_vec();
            check(&bare, &mut failures);
            for _ in 0..6 {
                let m = gen::mangle(&bare, &mut tape, NOISE);
                check(&m, &mut failures);
            }
        }
    }
    (checked, failures)
}

#[test]
fn the_quick_path_visits_every_line_as_the_general_classification_does() {
    let spec = gen::load();
    let mut failures = Vec::new();
    let mut families = 0;
    for fam in spec.families.values() {
        let (checked, f) = atgen::with_family!(fam.id.as_str(), m => check_family::<m::Family>(fam), other => panic!("family {other} is not built"));
        assert!(checked > 500, "{}: only {checked} lines checked", fam.id);
        failures.extend(f);
        families += 1;
    }
    assert_eq!(families, 5);
    assert!(
        failures.is_empty(),
        "{} lines differ:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Every template of a family is among the candidates its index gives a
/// valid line of it, with the keys of the general path and of the quick one
/// (which leaves out a sub-command no template of the line's head has).
fn check_candidates<F: Decode>(
    fam: &atgen_codegen::ir::Family,
    info: &atgen_runtime::FamilyInfo,
    lines: &dyn Fn(&LineKeys, &[u8]) -> Vec<usize>,
    urcs: &dyn Fn(&LineKeys, &[u8]) -> Vec<usize>,
) -> (usize, Vec<String>) {
    let (mut checked, mut failures) = (0, Vec::new());
    for (_, ir_line) in gen::line_templates(fam) {
        let in_lines = info
            .desc
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.template.text == ir_line.template)
            .map(|(i, _)| (i, lines));
        let in_urcs = info
            .desc
            .urcs
            .iter()
            .enumerate()
            .filter(|(_, u)| u.line.template.text == ir_line.template)
            .map(|(i, _)| (i, urcs));
        for (i, candidates) in in_lines.chain(in_urcs).collect::<Vec<_>>() {
            for seed in 0..8u64 {
                let mut tape = Tape::seeded(seed, 256);
                let line = LineGen::for_line(fam, ir_line, &mut tape, false).line(&ir_line.tokens);
                let bare = line.strip_suffix(b"\r\n").unwrap_or(&line);
                let keys = [
                    Some(LineKeys::of(bare)),
                    LineKeys::of_short_for(bare, F::SUB_HEADS),
                ];
                for k in keys.iter().flatten() {
                    checked += 1;
                    if !candidates(k, bare).contains(&i) {
                        failures.push(format!(
                            "{} `{}`: line {i} is no candidate of `{}`",
                            fam.id,
                            ir_line.template,
                            bare.escape_ascii()
                        ));
                    }
                }
            }
        }
    }
    (checked, failures)
}

#[test]
fn every_template_is_a_candidate_of_its_own_lines() {
    let spec = gen::load();
    let mut failures = Vec::new();
    atgen::for_each_family!(m => {
        let id = <m::Family as Family>::ID;
        let info = atgen::FAMILIES.iter().find(|f| f.id == id).unwrap_or_else(|| panic!("{id} is in the registry"));
        let fam = spec.families.get(id).unwrap_or_else(|| panic!("{id} is in the spec"));
        let lines = |k: &LineKeys, l: &[u8]| m::InfoLine::INDEX.candidates_of(k, l).collect::<Vec<_>>();
        let urcs = |k: &LineKeys, l: &[u8]| m::Urc::INDEX.candidates_of(k, l).collect::<Vec<_>>();
        let (checked, f) = check_candidates::<m::Family>(fam, info, &lines, &urcs);
        assert!(checked > 100, "{id}: only {checked} lines checked");
        failures.extend(f);
    });
    failures.truncate(20);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

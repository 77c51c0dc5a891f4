//! The quick path of response parsing (`atgen_runtime::quick`) against the full
//! parser (`codec::full_line_at`), on every response line and URC of every
//! family: random valid lines from the spec's templates, without their CR LF,
//! and mangled (bytes dropped, inserted, replaced, the line cut short).
//!
//! - wherever the quick path accepts a line, the full parser accepts it with
//!   the same values and the same end;
//! - it accepts every valid line of a template it reads itself (no test
//!   response, supported-value list, placeholder, hex value or payload), so the
//!   common case really takes it;
//! - wherever it refuses a line (a literal the line lacks), the full parser
//!   refuses it too;
//! - a payload header it reads stops where the full parser's payload starts,
//!   with the same values before it, and one it refuses has no payload for
//!   the full parser either.

use atgen_codegen::ir::Family;
use atgen_runtime::codec;
use atgen_runtime::desc::{Kind, Line, Tok};
use atgen_runtime::quick;
use atgen_runtime::wire::Cursor;
use atgen_runtime::{Val, Vals};
use atgen_tests::gen::{self, LineGen, Tape};

/// Bytes a mangled line gets: the template's own punctuation, digits and line ends.
const NOISE: &[u8] = b"\",:()[]+- 0179aZ\r\n\x1a";

fn show(b: &[u8]) -> String {
    b.escape_ascii().to_string()
}

/// Whether the quick path reads template `l` itself, not handing it on.
fn quick_reads(l: &Line) -> bool {
    !l.test
        && !l
            .template
            .toks
            .iter()
            .any(|t| matches!(t, Tok::Supported(_)))
        && l.template
            .fields
            .iter()
            .all(|f| f.placeholder.is_none() && matches!(f.param.kind, Kind::Int | Kind::Str))
}

fn same_vals(a: &Vals<'_>, b: &Vals<'_>, n: usize) -> bool {
    (0..n).all(|i| a.get(i) == b.get(i))
}

/// The property on one input; `Ok(true)` when the quick path accepted it.
fn agree(l: &Line, input: &[u8], hex: bool) -> Result<bool, String> {
    let n = l.template.fields.len();
    let mut qv = Vals::EMPTY;
    let mut qc = Cursor::new(l.family, l.what, input);
    let quick = quick::read(l, &mut qc, &mut qv);
    let mut fv = Vals::EMPTY;
    let mut c = Cursor::new(l.family, l.what, input);
    let full = codec::full_line_at(l, &mut c, hex, &mut fv).map(|()| c.pos());
    match (quick, full) {
        (None, _) | (Some(false), Err(_)) => Ok(false),
        (Some(false), Ok(f)) => Err(format!(
            "`{}`: quick refused the line, the full parser read {f} bytes {:?}",
            show(input),
            &fv.0[..n]
        )),
        (Some(true), Ok(f)) if qc.pos() == f && same_vals(&qv, &fv, n) => Ok(true),
        (Some(true), full) => Err(format!(
            "`{}`: quick read {} bytes {:?}, the full parser {full:?} {:?}",
            show(input),
            qc.pos(),
            &qv.0[..n],
            &fv.0[..n]
        )),
    }
}

/// A payload header the quick path refuses has no payload for the full parser either.
fn refusal_agrees(l: &Line, input: &[u8], hex: bool) -> Result<(), String> {
    let Some(data) = l.template.payload_field() else {
        return Ok(());
    };
    let mut qv = Vals::EMPTY;
    let Some(Err(at)) = quick::header(l, input, data as u8, &mut qv) else {
        return Ok(());
    };
    let mut fv = Vals::EMPTY;
    let mut c = Cursor::new(l.family, l.what, input);
    match codec::full_line_at(l, &mut c, hex, &mut fv) {
        Ok(()) if !matches!(fv.get(data), Val::None) => Err(format!(
            "`{}`: the header refused at {at}, the full parser's payload {:?}",
            show(input),
            fv.get(data)
        )),
        _ => Ok(()),
    }
}

/// A payload line's header: where the quick path stops, the full parser's
/// payload starts, with the same values before it.
fn header_agrees(l: &Line, input: &[u8], hex: bool) -> Result<(), String> {
    let Some(data) = l.template.payload_field() else {
        return Ok(());
    };
    let mut qv = Vals::EMPTY;
    let Some(header) = quick::header(l, input, data as u8, &mut qv) else {
        return Ok(());
    };
    let mut fv = Vals::EMPTY;
    let mut c = Cursor::new(l.family, l.what, input);
    codec::full_line_at(l, &mut c, hex, &mut fv).map_err(|e| format!("`{}`: {e}", show(input)))?;
    let at = match (header, fv.get(data)) {
        (Ok(c), Val::Bytes(_)) => c.pos(),
        // The template ended before the payload: the full parser has none either.
        (Err(_), Val::None) => return Ok(()),
        (header, other) => {
            return Err(format!(
                "`{}`: header {:?}, the full parser's payload {other:?}",
                show(input),
                header.map(|c| c.pos())
            ))
        }
    };
    let start = match fv.get(data) {
        Val::Bytes(b) => b.as_ptr() as usize - input.as_ptr() as usize,
        other => return Err(format!("`{}`: payload {other:?}", show(input))),
    };
    let quote = usize::from(l.template.fields[data].param.quoted);
    if at + quote != start || !same_vals(&qv, &fv, data) {
        return Err(format!(
            "`{}`: header ends at {at}, the payload starts at {start}",
            show(input)
        ));
    }
    Ok(())
}

/// The inputs of one seed for line `l` (template `ir_line`): a random valid
/// line, the same without its CR LF, and 8 mangled copies; and whether its
/// payloads are hex text.
fn inputs_of(
    fam: &Family,
    ir_line: &atgen_codegen::ir::Line,
    l: &Line,
    seed: u64,
) -> (bool, Vec<Vec<u8>>) {
    let mut tape = Tape::seeded(seed, 256);
    let hex = seed % 2 == 1 && l.hex_when.is_some();
    let line = LineGen::for_line(fam, ir_line, &mut tape, hex).line(&ir_line.tokens);
    let bare = line.strip_suffix(b"\r\n").unwrap_or(&line).to_vec();
    let mut inputs = vec![line.clone(), bare];
    for _ in 0..8 {
        inputs.push(gen::mangle(&line, &mut tape, NOISE));
    }
    (hex, inputs)
}

fn lines_of<'d>(f: &'d atgen_runtime::FamilyInfo, notation: &str) -> Vec<&'d Line> {
    let urcs = f.desc.urcs.iter().map(|u| &u.line);
    f.desc
        .lines
        .iter()
        .copied()
        .chain(urcs)
        .chain(f.desc.payload_lines.iter().copied())
        .filter(|l| l.template.text == notation)
        .collect()
}

fn check_family(
    fam: &Family,
    info: &atgen_runtime::FamilyInfo,
    failures: &mut Vec<String>,
) -> usize {
    let mut checked = 0;
    for (_, ir_line) in gen::line_templates(fam) {
        for l in lines_of(info, &ir_line.template) {
            checked += 1;
            let label = format!("{} `{}`", fam.id, l.template.text);
            for seed in 0..64u64 {
                let (hex, inputs) = inputs_of(fam, ir_line, l, seed);
                let line = &inputs[0];
                for (k, input) in inputs.iter().enumerate() {
                    match agree(l, input, hex) {
                        // The valid line, whole: the quick path reads it.
                        Ok(false) if k == 0 && quick_reads(l) => failures.push(format!(
                            "{label}: the quick path handed on its valid line `{}`",
                            show(input)
                        )),
                        Ok(_) => {}
                        Err(e) => failures.push(format!("{label}: {e}")),
                    }
                    if let Err(e) = refusal_agrees(l, input, hex) {
                        failures.push(format!("{label}: {e}"));
                    }
                }
                if let Err(e) = header_agrees(l, line, hex) {
                    failures.push(format!("{label}: {e}"));
                }
            }
        }
    }
    checked
}

#[test]
fn the_quick_path_reads_lines_as_the_full_parser_does() {
    let spec = gen::load();
    let mut failures = Vec::new();
    let mut checked = 0;
    for info in atgen::FAMILIES {
        let fam = spec
            .families
            .get(info.id)
            .unwrap_or_else(|| panic!("{} is in the spec", info.id));
        checked += check_family(fam, info, &mut failures);
    }
    assert!(checked > 100, "only {checked} templates checked");
    failures.truncate(20);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The values by field as text, for comparing reads of different lifetimes.
fn shown(v: &Vals<'_>, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{:?}", v.get(i))).collect()
}

/// A family's typed quick read of its line or URC `i` (`InfoLine::quick_at`,
/// `Urc::quick_at`), its values by field (`n` of them) as text.
type QuickAt<'f> = &'f dyn Fn(usize, &[u8], usize) -> TypedRead;

/// What a typed quick read gave: `None` handed on, `Some(None)` refused, else the values as text.
type TypedRead = Option<Option<Vec<String>>>;

/// The typed read against the full parser on one input; `Ok(true)` when it read the line.
fn typed_agrees(l: &Line, input: &[u8], hex: bool, quick: TypedRead) -> Result<bool, String> {
    let n = l.template.fields.len();
    let mut fv = Vals::EMPTY;
    let mut c = Cursor::new(l.family, l.what, input);
    let full = codec::full_line_at(l, &mut c, hex, &mut fv)
        .and_then(|()| c.end())
        .map(|()| shown(&fv, n));
    match (quick, full) {
        (None, _) | (Some(None), Err(_)) => Ok(false),
        (Some(Some(q)), Ok(f)) if q == f => Ok(true),
        (quick, full) => Err(format!(
            "`{}`: the typed read {quick:?}, the full parser {full:?}",
            show(input)
        )),
    }
}

/// A family's quick reads of its lines or of its URCs: `quick_at`, and
/// `quick_started_at` (which also tells a line that does not start as the
/// template does).
type Reads<'f> = (QuickAt<'f>, QuickAt<'f>);

fn check_typed(
    fam: &Family,
    info: &atgen_runtime::FamilyInfo,
    lines: Reads<'_>,
    urcs: Reads<'_>,
    failures: &mut Vec<String>,
) -> usize {
    let mut read = 0;
    for (_, ir_line) in gen::line_templates(fam) {
        for l in lines_of(info, &ir_line.template) {
            let n = l.template.fields.len();
            // The line's reader: as one of the family's lines, or as one of its URCs.
            let ((quick_at, started_at), i) = if let Some(i) =
                info.desc.lines.iter().position(|x| std::ptr::eq(*x, l))
            {
                (lines, i)
            } else if let Some(i) = info.desc.urcs.iter().position(|u| std::ptr::eq(&u.line, l)) {
                // A URC is no test response: where a line may start as it is
                // where it starts with its leading literal.
                if matches!(l.template.toks.get(1), Some(Tok::Supported(_))) {
                    failures.push(format!(
                        "{} `{}` is a URC with a list",
                        fam.id, l.template.text
                    ));
                }
                (urcs, i)
            } else {
                continue;
            };
            let quick = |input: &[u8]| quick_at(i, input, n);
            let label = format!("{} `{}`", fam.id, l.template.text);
            for seed in 0..64u64 {
                let (hex, inputs) = inputs_of(fam, ir_line, l, seed);
                for (k, input) in inputs.iter().enumerate() {
                    // The started read is the quick read of a line that starts
                    // as the template, and refuses any other.
                    let started = started_at(i, input, n);
                    let expected = if codec::may_start(l, input) {
                        quick(input)
                    } else {
                        Some(None)
                    };
                    if started != expected {
                        failures.push(format!(
                            "{label}: `{}` started read {started:?}, expected {expected:?}",
                            show(input)
                        ));
                    }
                    match typed_agrees(l, input, hex, quick(input)) {
                        Ok(true) => read += 1,
                        // A plain template's valid line is read the typed way.
                        Ok(false) if k == 0 && atgen_runtime::typed::plain(l) => failures.push(
                            format!("{label}: the typed read handed on `{}`", show(input)),
                        ),
                        Ok(false) => {}
                        Err(e) => failures.push(format!("{label}: {e}")),
                    }
                }
            }
        }
    }
    read
}

/// Plain lines read straight into their types (`atgen_runtime::typed`, each
/// line type's `quick`): wherever that read accepts a line, the full parser
/// accepts it with the same values; wherever it refuses one, the full parser
/// refuses it too; it reads every valid line of a plain template; and its
/// started form (`quick_started_at`) refuses every line that does not start as
/// the template does, and reads the others as it does.
#[test]
fn the_typed_reads_agree_with_the_full_parser() {
    let spec = gen::load();
    let mut failures = Vec::new();
    let mut read = 0;
    atgen::for_each_family!(m => {
        let id = <m::Family as atgen_runtime::Family>::ID;
        let info = atgen::FAMILIES
            .iter()
            .find(|f| f.id == id)
            .unwrap_or_else(|| panic!("{id} is in the registry"));
        let fam = spec.families.get(id).unwrap_or_else(|| panic!("{id} is in the spec"));
        let lines = |i: usize, input: &[u8], n: usize| {
            m::InfoLine::quick_at(i, input).map(|o| o.map(|l| shown(&l.vals(), n)))
        };
        let lines_started = |i: usize, input: &[u8], n: usize| {
            m::InfoLine::quick_started_at(i, input).map(|o| o.map(|l| shown(&l.vals(), n)))
        };
        let urcs = |i: usize, input: &[u8], n: usize| {
            m::Urc::quick_at(i, input).map(|o| o.map(|u| shown(&u.parts().1, n)))
        };
        let urcs_started = |i: usize, input: &[u8], n: usize| {
            m::Urc::quick_started_at(i, input).map(|o| o.map(|u| shown(&u.parts().1, n)))
        };
        read += check_typed(
            fam,
            info,
            (&lines, &lines_started),
            (&urcs, &urcs_started),
            &mut failures,
        );
    });
    assert!(read > 1000, "only {read} lines read the typed way");
    failures.truncate(20);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

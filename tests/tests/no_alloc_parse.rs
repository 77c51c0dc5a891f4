//! Parsing never touches the heap: command lines, information lines, URCs and
//! whole response blocks of every family, valid or not, are parsed (and written
//! into a fixed buffer) under a counting global allocator that must count zero.
//!
//! The inputs come from the spec's templates (seeded, so every run is the same)
//! and are all built before counting starts.

use atgen_codegen::ir::{Family, Line};
use atgen_runtime::{AtRequest, SliceSink};
use atgen_tests::gen::{self, LineGen, Override, Tape};
use atgen_tests::with_family;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts allocations made by the thread that is measuring (the test harness's
/// other threads may allocate at any time).
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static MEASURING: Cell<bool> = const { Cell::new(false) };
}

fn note() {
    if MEASURING.try_with(Cell::get).unwrap_or(false) {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns its result with the number of allocations it made.
fn allocations_in<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    MEASURING.with(|m| m.set(true));
    let out = f();
    MEASURING.with(|m| m.set(false));
    (out, ALLOCATIONS.load(Ordering::SeqCst) - before)
}

/// What one family gets parsed.
#[derive(Default)]
struct Inputs {
    /// Valid command lines.
    requests: Vec<Vec<u8>>,
    /// Command lines that must be refused (out of range, injection, garbage).
    bad_requests: Vec<Vec<u8>>,
    /// Information lines and their hex flag.
    lines: Vec<(Vec<u8>, bool)>,
    /// URC frames and their hex flag.
    urcs: Vec<(Vec<u8>, bool)>,
    /// Response blocks: (parser, block).
    blocks: Vec<(BlockParser, Vec<u8>)>,
}

/// A typed request's response parser: parses the block and writes it into a fixed buffer.
type BlockParser = fn(&[u8]) -> bool;

/// `(SYNTAX, parser)` of a typed request.
macro_rules! typed {
    ($($t:ty),* $(,)?) => {
        vec![$((<$t>::SYNTAX, (|b: &[u8]| {
            match <$t as AtRequest>::parse_response(b) {
                Ok(r) => {
                    let mut buf = [0u8; 8192];
                    let mut sink = SliceSink::new(&mut buf);
                    r.write_to(&mut sink).is_ok()
                }
                Err(_) => false,
            }
        }) as BlockParser)),*]
    };
}

/// Typed requests whose responses have several, optional or repeated lines, or payloads.
fn block_parsers(family: &str) -> Vec<(&'static str, BlockParser)> {
    use atgen::{cmiot_ml302 as ml, quectel_bc26 as bc, quectel_ec200x as e200};
    use atgen::{quectel_ec2x as e2, quectel_ugxx as ug};
    match family {
        "quectel-ec2x" => typed![
            e2::QsslcfgTest,
            e2::QsslstateExec,
            e2::Qsslrecv,
            e2::Qsslstate
        ],
        "quectel-ec200x" => typed![e200::QsslcfgTest, e200::QsslstateExec, e200::Qsslrecv],
        "quectel-bc26" => typed![bc::QsslcfgTest, bc::QsslcfgAll, bc::QsslopenTest],
        "quectel-ugxx" => typed![ug::QsslcfgTest, ug::QsslstateExec, ug::Qsslrecv],
        "cmiot-ml302" => typed![ml::QsslstateExec, ml::Qsslrecv, ml::QsslcfgCtxindex],
        other => panic!("no typed requests listed for {other}"),
    }
}

/// A block of the lines a form's response may hold, in the manual's order.
fn block(fam: &Family, lines: &[Line], all_optional: bool, tape: &mut Tape) -> Vec<u8> {
    let mut out = Vec::new();
    for l in lines {
        let optional = l.optional || all_optional;
        let times = match (l.repeat, optional) {
            (true, true) => tape.below(4),
            (true, false) => 1 + tape.below(3),
            (false, true) => tape.below(2),
            (false, false) => 1,
        };
        for _ in 0..times {
            out.extend(LineGen::for_line(fam, l, tape, false).line(&l.tokens));
        }
    }
    out
}

fn inputs(fam: &Family) -> Inputs {
    let mut inp = Inputs::default();
    let mut seed = 7;
    let mut tape = move || {
        seed += 1;
        Tape::seeded(seed, 512)
    };
    for t in gen::request_templates(fam) {
        for _ in 0..8 {
            inp.requests.push(t.line(fam, &mut tape(), None));
        }
        for key in t.params() {
            let p = &fam.params[&key];
            let text = match p.ty {
                atgen_codegen::model::ParamType::String if p.values.is_empty() => {
                    if p.quoted {
                        b"\"a\x1a\r\nAT+X\"".to_vec()
                    } else {
                        b"a\x1b".to_vec()
                    }
                }
                atgen_codegen::model::ParamType::Int | atgen_codegen::model::ParamType::Hex
                    if !gen::is_str_enum(p) =>
                {
                    match gen::invalid_ints(p, &mut tape()).first() {
                        Some(v) => gen::int_text(p, *v).into_bytes(),
                        None => continue,
                    }
                }
                _ => continue,
            };
            let target = Some(Override { key, text });
            inp.bad_requests.push(t.line(fam, &mut tape(), target));
        }
        let mut garbage = t.head.clone().into_bytes();
        garbage.extend_from_slice(b"\xff,\"");
        inp.bad_requests.push(garbage);
    }
    inp.bad_requests.push(b"AT+NOPE=1".to_vec());
    inp.bad_requests.push(b"".to_vec());
    for (urc, l) in gen::line_templates(fam) {
        for i in 0..8 {
            let hex = l.payload_hex_when.is_some() && i % 2 == 1;
            let bytes = LineGen::for_line(fam, l, &mut tape(), hex).line(&l.tokens);
            if urc {
                inp.urcs.push((bytes, hex));
            } else {
                inp.lines.push((bytes, hex));
            }
        }
    }
    for (syntax, parser) in block_parsers(&fam.id) {
        let form = fam
            .commands
            .iter()
            .flat_map(|c| c.forms.iter())
            .find(|f| f.syntax == syntax)
            .unwrap_or_else(|| panic!("{}: no form `{syntax}`", fam.id));
        let all_optional = form.kind == atgen_codegen::model::FormKind::Test;
        for _ in 0..8 {
            let b = block(fam, &form.responses, all_optional, &mut tape());
            inp.blocks.push((parser, b));
        }
    }
    inp
}

/// Parses everything; returns (valid inputs that failed, refused inputs that passed).
fn parse_all(id: &str, inp: &Inputs) -> (usize, usize) {
    let (mut failed, mut passed) = (0, 0);
    with_family!(id, m => {
        let mut buf = [0u8; 4096];
        for l in &inp.requests {
            match m::Request::parse(l) {
                Ok(r) => {
                    let mut sink = SliceSink::new(&mut buf);
                    if r.write_line(&mut sink).is_err() || r.name().0.is_empty() {
                        failed += 1;
                    }
                }
                Err(_) => failed += 1,
            }
        }
        for l in &inp.bad_requests {
            if m::Request::parse(l).is_ok() {
                passed += 1;
            }
        }
        for (l, hex) in &inp.lines {
            match m::InfoLine::parse(l, *hex) {
                Ok(v) => {
                    let mut sink = SliceSink::new(&mut buf);
                    if v.write_to(&mut sink).is_err() {
                        failed += 1;
                    }
                }
                Err(_) => failed += 1,
            }
            // Truncated lines fail without allocating too.
            if let Some(cut) = l.get(..l.len() / 2) {
                let _ = m::InfoLine::parse(cut, *hex);
                let _ = m::Urc::parse(cut, *hex);
            }
        }
        for (l, hex) in &inp.urcs {
            match m::Urc::parse(l, *hex) {
                Some(Ok(u)) => {
                    let mut sink = SliceSink::new(&mut buf);
                    if u.write_to(&mut sink).is_err() {
                        failed += 1;
                    }
                }
                _ => failed += 1,
            }
            let frame = &l[..l.len() - 2];
            if !matches!(m::Urc::parse(frame, *hex), Some(Ok(_))) {
                failed += 1;
            }
            if let Some(cut) = l.get(..l.len() / 2) {
                let _ = m::Urc::parse(cut, *hex);
            }
        }
        for (parser, b) in &inp.blocks {
            if !parser(b) {
                failed += 1;
            }
        }
    });
    (failed, passed)
}

#[test]
fn parsing_every_family_allocates_nothing() {
    let spec = gen::load();
    let mut total = 0;
    for fam in spec.families.values() {
        let inp = inputs(fam);
        let n = inp.requests.len()
            + inp.bad_requests.len()
            + inp.lines.len()
            + inp.urcs.len()
            + inp.blocks.len();
        assert!(
            !inp.requests.is_empty() && !inp.lines.is_empty() && !inp.urcs.is_empty(),
            "{}: nothing to parse",
            fam.id
        );
        let ((failed, passed), allocations) = allocations_in(|| parse_all(&fam.id, &inp));
        assert_eq!(allocations, 0, "{}: parsing {n} inputs allocated", fam.id);
        assert_eq!(failed, 0, "{}: valid inputs were refused", fam.id);
        assert_eq!(passed, 0, "{}: invalid command lines were accepted", fam.id);
        total += n;
    }
    assert!(total > 1000, "only {total} inputs parsed");
    eprintln!("{total} inputs parsed without allocating");
}

#[test]
fn the_counter_sees_allocations() {
    let (v, n) = allocations_in(|| vec![1u8, 2, 3]);
    assert_eq!(v.len(), 3);
    assert!(n >= 1, "the counting allocator does not count");
}

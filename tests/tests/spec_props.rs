//! Property tests over every template of every family, driven by the spec's IR:
//! nothing here lists a command, a parameter or a line by hand.
//!
//! - every request form (and query by omission): random valid command lines are
//!   accepted by the family's `Request::parse`, written back byte for byte, and
//!   parse again to the same request;
//! - every integer parameter of a request: values outside its range, its type,
//!   its enumeration or its supported set are refused as `Invalid` naming it;
//! - every string parameter of a request: injection bytes are refused;
//! - every response line and URC: random valid lines (payloads full of CR LF,
//!   `OK`, `ERROR`, URC heads; hex payloads) parse and are written back byte for byte.
//!
//! Each template gets its own proptest run (`PROPTEST_CASES`, default 64); all
//! failures are collected and reported together.

use atgen_codegen::ir::Family;
use atgen_codegen::model::ParamType;
use atgen_runtime::{AtRequest, Problem, RequestError, SliceSink, Value};
use atgen_tests::gen::{self, LineGen, Override, Tape, FORBIDDEN};
use atgen_tests::with_family;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default)
}

fn runner(n: u32) -> TestRunner {
    TestRunner::new(Config {
        cases: cases(n),
        failure_persistence: None,
        ..Config::default()
    })
}

/// The random choices of one case.
fn tape() -> impl Strategy<Value = Vec<u32>> {
    proptest::collection::vec(any::<u32>(), 0..400)
}

/// Bytes as an escaped string, for messages.
fn show(b: &[u8]) -> String {
    b.escape_ascii().to_string()
}

fn fail(msg: String) -> TestCaseError {
    TestCaseError::fail(msg)
}

/// Runs one property, recording its minimal failing case under `label`.
fn run<S: Strategy>(
    failures: &mut Vec<String>,
    label: &str,
    n: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    match runner(n).run(&strategy, test) {
        Ok(()) => {}
        Err(TestError::Fail(why, _)) => failures.push(format!("{label}: {why}")),
        Err(e) => failures.push(format!("{label}: {e}")),
    }
}

fn report(what: &str, checked: usize, failures: &[String]) {
    assert!(checked > 0, "{what}: nothing was checked");
    eprintln!("{what}: {checked} templates checked");
    assert!(
        failures.is_empty(),
        "{what}: {} of {checked} templates fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn spec() -> atgen_codegen::ir::Spec {
    let spec = gen::load();
    let ids: Vec<&str> = spec.families.keys().map(String::as_str).collect();
    assert_eq!(
        ids,
        gen::FAMILIES,
        "the spec's families and the generated modules differ"
    );
    spec
}

/// (a) the family parses the line, (b) writes it back with CR, (c) parses that to the same request.
fn request_round_trip(fam: &Family, cmd: &str, line: &[u8]) -> Result<(), TestCaseError> {
    with_family!(fam.id.as_str(), m => {
        let r = m::Request::parse(line)
            .map_err(|e| fail(format!("`{}` refused: {e} ({e:?})", show(line))))?;
        prop_assert_eq!(r.name().0, cmd, "`{}` parsed as another command", show(line));
        let mut out = Vec::new();
        r.write_line(&mut out)
            .map_err(|e| fail(format!("write_line: {e}")))?;
        let mut want = line.to_vec();
        want.push(b'\r');
        prop_assert_eq!(show(&out), show(&want), "write_line of {:?}", r);
        let again = m::Request::parse(&out)
            .map_err(|e| fail(format!("written `{}` refused: {e:?}", show(&out))))?;
        prop_assert_eq!(again, r);
        Ok(())
    })
}

#[test]
fn every_request_form_round_trips() {
    let spec = spec();
    let (mut checked, mut failures) = (0, Vec::new());
    for fam in spec.families.values() {
        for t in gen::request_templates(fam) {
            checked += 1;
            run(&mut failures, &t.label, 64, tape(), |words| {
                let line = t.line(fam, &mut Tape::new(words), None);
                request_round_trip(fam, &t.command.name, &line)
            });
        }
    }
    report("request round trip", checked, &failures);
}

/// The parameter keys of a request template whose values are integers on the wire.
fn int_params<'f>(fam: &'f Family, keys: &[String]) -> Vec<&'f atgen_codegen::ir::Param> {
    keys.iter()
        .filter_map(|k| fam.params.get(k))
        .filter(|p| matches!(p.ty, ParamType::Int | ParamType::Hex))
        .filter(|p| p.values.is_empty() || !gen::is_str_enum(p))
        .collect()
}

#[test]
fn out_of_range_values_are_invalid_naming_the_parameter() {
    let spec = spec();
    let (mut checked, mut failures) = (0, Vec::new());
    for fam in spec.families.values() {
        for t in gen::request_templates(fam) {
            for p in int_params(fam, &t.params()) {
                checked += 1;
                let label = format!("{} <{}>", t.label, p.name);
                run(&mut failures, &label, 16, tape(), |words| {
                    let mut tape = Tape::new(words);
                    let bad = gen::invalid_ints(p, &mut tape);
                    prop_assert!(!bad.is_empty(), "no invalid value for <{}>", p.name);
                    for v in bad {
                        let text = gen::int_text(p, v).into_bytes();
                        let target = Some(Override {
                            key: p.key.clone(),
                            text,
                        });
                        let line = t.line(fam, &mut tape, target);
                        let r = with_family!(fam.id.as_str(), m => m::Request::parse(&line).map(|r| format!("{r:?}")));
                        match r {
                            Err(RequestError::Invalid(e)) => {
                                prop_assert_eq!(
                                    e.param,
                                    p.name.as_str(),
                                    "`{}`: {:?}",
                                    show(&line),
                                    e
                                );
                                prop_assert_eq!(e.command, t.command.name.as_str());
                                prop_assert_eq!(e.value, Value::Int(v), "`{}`", show(&line));
                            }
                            other => {
                                return Err(fail(format!(
                                    "`{}` ({} = {v}): expected Invalid, got {other:?}",
                                    show(&line),
                                    p.name
                                )))
                            }
                        }
                    }
                    Ok(())
                });
            }
        }
    }
    report("out-of-range values", checked, &failures);
}

#[test]
fn strings_with_injection_bytes_are_refused() {
    let spec = spec();
    let (mut checked, mut failures) = (0, Vec::new());
    for fam in spec.families.values() {
        for t in gen::request_templates(fam) {
            let strings: Vec<_> = t
                .params()
                .iter()
                .filter_map(|k| fam.params.get(k))
                .filter(|p| p.ty == ParamType::String && p.values.is_empty())
                .collect();
            for p in strings {
                checked += 1;
                let label = format!("{} <{}>", t.label, p.name);
                run(&mut failures, &label, 16, tape(), |words| {
                    let mut tape = Tape::new(words);
                    let mut bytes: Vec<u8> = FORBIDDEN.to_vec();
                    bytes.push(tape.below(0x20) as u8);
                    if !p.quoted {
                        bytes.push(b',');
                    }
                    for b in bytes {
                        let clean = {
                            let mut g = LineGen::new(fam, gen::Mode::Request, &mut tape);
                            g.valid_str(p)
                        };
                        // Insert at a character boundary: the rest stays valid UTF-8.
                        let bounds: Vec<usize> = (0..=clean.len())
                            .filter(|&i| clean.is_char_boundary(i))
                            .collect();
                        let at = *tape.choose(&bounds);
                        let mut s = clean.into_bytes();
                        s.insert(at, b);
                        let text = if p.quoted {
                            [b"\"".as_slice(), &s, b"\""].concat()
                        } else {
                            s
                        };
                        let target = Some(Override {
                            key: p.key.clone(),
                            text,
                        });
                        let line = t.line(fam, &mut tape, target);
                        let r = with_family!(fam.id.as_str(), m => m::Request::parse(&line).map(|r| format!("{r:?}")));
                        // A quote, CR or LF ends a quoted string early: a syntax error at
                        // worst. Other bytes get through the syntax and must fail validation.
                        let ends_string =
                            b == b'"' || b == b'\r' || b == b'\n' || (!p.quoted && b == b',');
                        match r {
                            Err(RequestError::Invalid(e)) if !ends_string => {
                                prop_assert_eq!(e.param, p.name.as_str(), "`{}`", show(&line));
                                prop_assert_eq!(e.problem, Problem::ForbiddenByte);
                                prop_assert_eq!(e.value, Value::Byte { byte: b, index: at });
                            }
                            Err(RequestError::Invalid(_) | RequestError::Parse(_))
                                if ends_string => {}
                            other => {
                                return Err(fail(format!(
                                "`{}` (byte {b:#04x} in <{}>): expected a refusal, got {other:?}",
                                show(&line),
                                p.name
                            )))
                            }
                        }
                    }
                    Ok(())
                });
            }
        }
    }
    report("injection bytes", checked, &failures);
}

/// Encoding a typed request refuses the string and writes nothing.
fn refuses<R: AtRequest>(r: &R, param: &str) {
    let mut v = Vec::new();
    let e = r
        .encode(&mut v)
        .expect_err("encode accepted an injection string");
    assert!(v.is_empty(), "encode wrote {:?}", show(&v));
    let text = format!("{e}");
    assert!(
        text.contains(param),
        "error `{text}` does not name <{param}>"
    );
    let mut buf = [0u8; 256];
    let mut s = SliceSink::new(&mut buf);
    assert!(r.encode(&mut s).is_err());
    assert!(s.written().is_empty());
    assert!(r.validate().is_err());
}

#[test]
fn typed_requests_with_injection_strings_write_nothing() {
    use atgen::{cmiot_ml302, quectel_bc26, quectel_ec2x};
    let evil = [
        "a\"\r\nAT+X",
        "a\rb",
        "a\nb",
        "a\u{1a}",
        "\u{1b}",
        "x\"",
        "\0",
    ];
    for s in evil {
        let r = quectel_ec2x::Qsslopen {
            pdp_ctx_id: 1,
            ssl_ctx_id: 0,
            client_id: 0,
            serveraddr: s,
            server_port: 443,
            access_mode: None,
        };
        refuses(&r, "serveraddr");
        let r = quectel_ec2x::QsslcfgPsk {
            ssl_ctx_id: 0,
            identity: "id",
            key: s,
        };
        refuses(&r, "key");
        let r = quectel_bc26::Qsslopen {
            context_id: 1,
            connect_id: 0,
            host_name: s,
            port: 443,
            connect_mode: quectel_bc26::ConnectMode::from_value(0).expect("mode 0"),
        };
        refuses(&r, "host_name");
        let r = cmiot_ml302::QsslcfgCacert {
            ctxindex: 0,
            cacertname: s,
        };
        refuses(&r, "cacertname");
    }
    // The same requests with clean strings are written.
    let r = quectel_ec2x::Qsslopen {
        pdp_ctx_id: 1,
        ssl_ctx_id: 0,
        client_id: 0,
        serveraddr: "example.com",
        server_port: 443,
        access_mode: None,
    };
    let mut v = Vec::new();
    r.encode(&mut v).expect("clean request");
    assert_eq!(v, b"AT+QSSLOPEN=1,0,0,\"example.com\",443\r");
}

/// A response line or URC parses, is written back byte for byte, and parses again the same.
fn line_round_trip(fam: &Family, urc: bool, bytes: &[u8], hex: bool) -> Result<(), TestCaseError> {
    with_family!(fam.id.as_str(), m => {
        let mut out = Vec::new();
        if urc {
            let u = match m::Urc::parse(bytes, hex) {
                Some(Ok(u)) => u,
                other => return Err(fail(format!("Urc::parse(`{}`, hex={hex}) = {other:?}", show(bytes)))),
            };
            u.write_to(&mut out).map_err(|e| fail(format!("write_to: {e}")))?;
            prop_assert_eq!(show(&out), show(bytes), "write_to of {:?}", u);
            let again = m::Urc::parse(&out, hex);
            prop_assert_eq!(again, Some(Ok(u)));
            // As the digester hands frames over: without the final CR LF.
            let frame = &bytes[..bytes.len() - 2];
            let mut out = Vec::new();
            match m::Urc::parse(frame, hex) {
                Some(Ok(u)) => u.write_to(&mut out).map_err(|e| fail(format!("write_to: {e}")))?,
                other => return Err(fail(format!("Urc::parse(`{}`, hex={hex}) = {other:?}", show(frame)))),
            }
            prop_assert_eq!(show(&out), show(bytes), "frame `{}`", show(frame));
        } else {
            let l = m::InfoLine::parse(bytes, hex)
                .map_err(|e| fail(format!("InfoLine::parse(`{}`, hex={hex}): {e}", show(bytes))))?;
            l.write_to(&mut out).map_err(|e| fail(format!("write_to: {e}")))?;
            prop_assert_eq!(show(&out), show(bytes), "write_to of {:?}", l);
            let again = m::InfoLine::parse(&out, hex);
            prop_assert_eq!(again, Ok(l));
            // Without the final CR LF, as the digester hands lines over, it is accepted.
            // (Not compared: a payload line with an empty payload, `+QSSLRECV: 0<CR><LF>`,
            // is byte for byte the full line of a payload-less template.)
            let frame = &bytes[..bytes.len() - 2];
            m::InfoLine::parse(frame, hex)
                .map_err(|e| fail(format!("InfoLine::parse(`{}`, hex={hex}): {e}", show(frame))))?;
        }
        Ok(())
    })
}

#[test]
fn every_response_line_and_urc_round_trips() {
    let spec = spec();
    let (mut checked, mut failures) = (0, Vec::new());
    for fam in spec.families.values() {
        for (urc, line) in gen::line_templates(fam) {
            checked += 1;
            let label = format!(
                "{} {} `{}`",
                fam.id,
                if urc { "URC" } else { "response" },
                line.template
            );
            run(
                &mut failures,
                &label,
                64,
                (tape(), any::<bool>()),
                |(words, hex)| {
                    let hex = hex && line.payload_hex_when.is_some();
                    let mut tape = Tape::new(words);
                    let bytes = LineGen::for_line(fam, line, &mut tape, hex).line(&line.tokens);
                    line_round_trip(fam, urc, &bytes, hex)
                },
            );
        }
    }
    report("response and URC round trip", checked, &failures);
}

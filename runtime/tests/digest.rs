//! Framing: tables of (input, frames), and the same frames however the input is split.

mod common;

use atgen_runtime::{Digester, Family, Frame};
use common::{Bc26, Ec2x, Ml302};
use proptest::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
enum F {
    Prompt,
    Echo,
    Line(Vec<u8>),
    Payload {
        frame: Vec<u8>,
        header: Vec<u8>,
        data: Vec<u8>,
    },
}

fn line(s: &[u8]) -> F {
    F::Line(s.to_vec())
}

fn payload(frame: &[u8], header: &[u8], data: &[u8]) -> F {
    F::Payload {
        frame: frame.to_vec(),
        header: header.to_vec(),
        data: data.to_vec(),
    }
}

struct Setup<'a> {
    echo: &'a [u8],
    prompt: bool,
    hex: bool,
}

const PLAIN: Setup<'static> = Setup {
    echo: b"",
    prompt: false,
    hex: false,
};

/// Feeds `input` in chunks of the given sizes (cyclically) and collects every frame.
fn frames<Fam: Family>(input: &[u8], chunks: &[usize], setup: &Setup) -> Vec<F> {
    let mut d = Digester::new().with_limits(256, 4096);
    d.set_hex(setup.hex);
    d.expect_prompt(setup.prompt);
    let mut echo = setup.echo.to_vec();
    let mut buf: Vec<u8> = Vec::new();
    let mut out = Vec::new();
    let mut at = 0;
    let mut i = 0;
    while at < input.len() {
        let n = chunks
            .get(i % chunks.len().max(1))
            .copied()
            .unwrap_or(1)
            .max(1);
        i += 1;
        let end = (at + n).min(input.len());
        buf.extend_from_slice(&input[at..end]);
        at = end;
        loop {
            let (frame, used) = d.digest::<Fam>(&buf, &echo);
            let f = match frame {
                Frame::None => None,
                Frame::Prompt => Some(F::Prompt),
                Frame::Echo => Some(F::Echo),
                Frame::Line(l) => Some(line(l)),
                Frame::Payload {
                    frame,
                    header,
                    data,
                } => Some(payload(frame, header, data)),
            };
            assert!(used <= buf.len(), "consumed {used} of {}", buf.len());
            buf.drain(..used);
            if f == Some(F::Echo) {
                echo.clear();
            }
            match f {
                Some(f) => out.push(f),
                None if used == 0 => break,
                None => {}
            }
        }
    }
    out
}

fn all_at_once<Fam: Family>(input: &[u8], setup: &Setup) -> Vec<F> {
    frames::<Fam>(input, &[usize::MAX], setup)
}

fn byte_by_byte<Fam: Family>(input: &[u8], setup: &Setup) -> Vec<F> {
    frames::<Fam>(input, &[1], setup)
}

fn check<Fam: Family>(input: &[u8], setup: &Setup, expected: &[F]) {
    assert_eq!(
        all_at_once::<Fam>(input, setup),
        expected,
        "all at once: {:?}",
        String::from_utf8_lossy(input)
    );
    assert_eq!(
        byte_by_byte::<Fam>(input, setup),
        expected,
        "byte by byte: {:?}",
        String::from_utf8_lossy(input)
    );
}

#[test]
fn final_result_lines_are_framed_without_line_ends() {
    check::<Ec2x>(b"\r\nOK\r\n", &PLAIN, &[line(b"OK")]);
    check::<Ec2x>(
        b"\r\nERROR\r\n\r\n+CME ERROR: 552\r\n",
        &PLAIN,
        &[line(b"ERROR"), line(b"+CME ERROR: 552")],
    );
}

#[test]
fn qsslrecv_payload_containing_ok_is_read_by_length() {
    check::<Ec2x>(
        b"\r\n+QSSLRECV: 6\r\n\r\nOK\r\n\r\n\r\nOK\r\n",
        &PLAIN,
        &[
            payload(
                b"+QSSLRECV: 6\r\n\r\nOK\r\n",
                b"+QSSLRECV: 6",
                b"\r\nOK\r\n",
            ),
            line(b"OK"),
        ],
    );
}

#[test]
fn qsslrecv_payload_containing_error_and_urc_text_is_read_by_length() {
    let data = b"ERROR\r\n+QSSLURC: \"closed\",1\r\n";
    let mut input = format!("+QSSLRECV: {}\r\n", data.len()).into_bytes();
    input.extend_from_slice(data);
    input.extend_from_slice(b"\r\n\r\nOK\r\n");
    let header = format!("+QSSLRECV: {}", data.len()).into_bytes();
    let mut frame = header.clone();
    frame.extend_from_slice(b"\r\n");
    frame.extend_from_slice(data);
    check::<Ec2x>(
        &input,
        &PLAIN,
        &[payload(&frame, &header, data), line(b"OK")],
    );
}

#[test]
fn empty_qsslrecv_is_an_ordinary_line() {
    check::<Ec2x>(
        b"\r\n+QSSLRECV: 0\r\n\r\nOK\r\n",
        &PLAIN,
        &[line(b"+QSSLRECV: 0"), line(b"OK")],
    );
}

#[test]
fn direct_push_urc_carries_its_payload() {
    check::<Ec2x>(
        b"\r\n+QSSLURC: \"recv\",4,18\r\nTest data from SSL\r\n",
        &PLAIN,
        &[payload(
            b"+QSSLURC: \"recv\",4,18\r\nTest data from SSL",
            b"+QSSLURC: \"recv\",4,18",
            b"Test data from SSL",
        )],
    );
}

#[test]
fn buffer_mode_recv_urc_is_a_line() {
    check::<Ec2x>(
        b"\r\n+QSSLURC: \"recv\",4\r\n",
        &PLAIN,
        &[line(b"+QSSLURC: \"recv\",4")],
    );
}

#[test]
fn bc26_inline_payload_is_taken_by_length_with_its_quote_trailer() {
    check::<Bc26>(
        b"\r\n+QSSLURC: \"recv\",1,5,10,\"12\"\r\n\"8901\"\r\n",
        &PLAIN,
        &[payload(
            b"+QSSLURC: \"recv\",1,5,10,\"12\"\r\n\"8901\"",
            b"+QSSLURC: \"recv\",1,5,10,\"",
            b"12\"\r\n\"8901",
        )],
    );
}

#[test]
fn bc26_hex_payload_is_twice_as_long_on_the_wire() {
    let setup = Setup { hex: true, ..PLAIN };
    check::<Bc26>(
        b"+QSSLURC: \"recv\",1,5,2,\"0D0A\"\r\n",
        &setup,
        &[payload(
            b"+QSSLURC: \"recv\",1,5,2,\"0D0A\"",
            b"+QSSLURC: \"recv\",1,5,2,\"",
            b"0D0A",
        )],
    );
}

#[test]
fn ml302_qsslrecv_payload_follows_its_address_header() {
    check::<Ml302>(
        b"\r\n+QSSLRECV: 106.12.79.254:443,TCP,4\r\nOK\r\n\r\nOK\r\n",
        &PLAIN,
        &[
            payload(
                b"+QSSLRECV: 106.12.79.254:443,TCP,4\r\nOK\r\n",
                b"+QSSLRECV: 106.12.79.254:443,TCP,4",
                b"OK\r\n",
            ),
            line(b"OK"),
        ],
    );
}

#[test]
fn prompt_is_detected_without_line_end_when_expected() {
    let setup = Setup {
        prompt: true,
        ..PLAIN
    };
    check::<Ec2x>(b"\r\n> ", &setup, &[F::Prompt]);
    check::<Ec2x>(b"\r\n>", &setup, &[F::Prompt]);
    check::<Ec2x>(
        b"\r\n> \r\nSEND OK\r\n",
        &setup,
        &[F::Prompt, line(b"SEND OK")],
    );
}

#[test]
fn a_greater_than_sign_is_only_a_prompt_when_one_is_expected() {
    check::<Ec2x>(b"\r\n> x\r\n", &PLAIN, &[line(b"> x")]);
}

#[test]
fn echo_of_the_command_is_dropped_and_urcs_before_it_are_kept() {
    let setup = Setup {
        echo: b"AT+QSSLRECV=1,10\r",
        ..PLAIN
    };
    check::<Ec2x>(
        b"RDY\r\nAT+QSSLRECV=1,10\r\r\n+QSSLRECV: 0\r\n\r\nOK\r\n",
        &setup,
        &[line(b"RDY"), F::Echo, line(b"+QSSLRECV: 0"), line(b"OK")],
    );
}

#[test]
fn unknown_lines_and_garbage_do_not_wedge_the_framing() {
    check::<Ec2x>(
        b"\x00\xff\x1a garbage\r\n+WHATEVER: 1\r\nOK\r\n",
        &PLAIN,
        &[
            line(b"\x00\xff\x1a garbage"),
            line(b"+WHATEVER: 1"),
            line(b"OK"),
        ],
    );
}

#[test]
fn a_line_without_end_is_cut_at_the_limit_and_framing_goes_on() {
    let mut input = vec![b'x'; 300];
    input.extend_from_slice(b"\r\nOK\r\n");
    check::<Ec2x>(
        &input,
        &PLAIN,
        &[line(&[b'x'; 256]), line(&[b'x'; 44]), line(b"OK")],
    );
}

#[test]
fn a_header_announcing_too_much_is_read_as_a_line() {
    check::<Ec2x>(
        b"+QSSLRECV: 99999\r\nOK\r\n",
        &PLAIN,
        &[line(b"+QSSLRECV: 99999"), line(b"OK")],
    );
}

#[test]
fn a_line_arriving_byte_by_byte_is_scanned_once() {
    // Quadratic re-scanning would make this take seconds in a debug build.
    let mut input = vec![b'a'; 200_000];
    input.extend_from_slice(b"\n");
    let mut d = Digester::new().with_limits(usize::MAX, 16);
    let mut scanned_calls = 0;
    for end in 1..=input.len() {
        let (f, used) = d.digest::<Ec2x>(&input[..end], b"");
        scanned_calls += 1;
        if end < input.len() {
            assert_eq!((f, used), (Frame::None, 0));
        } else {
            assert_eq!(used, input.len());
        }
    }
    assert_eq!(scanned_calls, input.len());
}

fn dialog() -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(b"AT+QSSLRECV=1,1500\r");
    v.extend_from_slice(b"\r\n+QSSLURC: \"recv\",1\r\n");
    v.extend_from_slice(b"\r\n+QSSLRECV: 256\r\n");
    v.extend((0..=255u8).collect::<Vec<_>>());
    v.extend_from_slice(b"\r\n\r\nOK\r\n");
    v.extend_from_slice(b"\r\n+QSSLURC: \"recv\",2,7\r\n\r\nOK\r\n\r\n");
    v.extend_from_slice(b"RDY\r\n+CME ERROR: 550\r\n");
    v
}

proptest! {
    #[test]
    fn frames_do_not_depend_on_how_the_stream_is_split(chunks in proptest::collection::vec(1usize..40, 1..20)) {
        let input = dialog();
        let setup = Setup { echo: b"AT+QSSLRECV=1,1500\r", ..PLAIN };
        prop_assert_eq!(frames::<Ec2x>(&input, &chunks, &setup), all_at_once::<Ec2x>(&input, &setup));
    }

    #[test]
    fn any_payload_bytes_come_back_exactly(data in proptest::collection::vec(any::<u8>(), 1..300), chunks in proptest::collection::vec(1usize..50, 1..10)) {
        let mut input = format!("+QSSLRECV: {}\r\n", data.len()).into_bytes();
        input.extend_from_slice(&data);
        input.extend_from_slice(b"\r\n\r\nOK\r\n");
        let got = frames::<Ec2x>(&input, &chunks, &PLAIN);
        prop_assert_eq!(got.len(), 2);
        match &got[0] {
            F::Payload { data: d, .. } => prop_assert_eq!(d, &data),
            other => prop_assert!(false, "expected a payload, got {:?}", other),
        }
        prop_assert_eq!(&got[1], &line(b"OK"));
    }

    #[test]
    fn bc26_inline_payloads_of_any_bytes_are_chunk_independent(data in proptest::collection::vec(any::<u8>(), 1..100), chunks in proptest::collection::vec(1usize..30, 1..10)) {
        let mut input = format!("\r\n+QSSLURC: \"recv\",1,5,{},\"", data.len()).into_bytes();
        input.extend_from_slice(&data);
        input.extend_from_slice(b"\"\r\n+QSSLSEND: 1,5,0\r\n");
        let once = all_at_once::<Bc26>(&input, &PLAIN);
        prop_assert_eq!(frames::<Bc26>(&input, &chunks, &PLAIN), once.clone());
        match &once[0] {
            F::Payload { data: d, .. } => prop_assert_eq!(d, &data),
            other => prop_assert!(false, "expected a payload, got {:?}", other),
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_are_chunk_independent(input in proptest::collection::vec(any::<u8>(), 0..400), chunks in proptest::collection::vec(1usize..20, 1..10), prompt: bool) {
        let setup = Setup { prompt, echo: b"AT\r", hex: false };
        prop_assert_eq!(frames::<Ec2x>(&input, &chunks, &setup), all_at_once::<Ec2x>(&input, &setup));
        prop_assert_eq!(frames::<Bc26>(&input, &chunks, &setup), all_at_once::<Bc26>(&input, &setup));
        prop_assert_eq!(frames::<Ml302>(&input, &chunks, &setup), all_at_once::<Ml302>(&input, &setup));
    }
}

/// A probe that can never make up its mind.
struct Undecided;

impl Family for Undecided {
    const ID: &'static str = "undecided";
    type Urc<'a> = ();
    const URC_PREFIXES: &'static [&'static str] = &[];
    fn probe_payload(_buf: &[u8], _hex: bool) -> atgen_runtime::PayloadProbe {
        atgen_runtime::PayloadProbe::Incomplete
    }
    fn parse_urc(_frame: &[u8], _hex: bool) -> Option<Result<(), atgen_runtime::ParseError>> {
        None
    }
}

#[test]
fn a_probe_that_stays_incomplete_cannot_wedge_the_framing() {
    check::<Undecided>(
        b"+QSSLRECV: 3\r\nabc\r\nOK\r\n",
        &PLAIN,
        &[line(b"+QSSLRECV: 3"), line(b"abc"), line(b"OK")],
    );
}

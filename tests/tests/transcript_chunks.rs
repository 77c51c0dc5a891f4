//! Decoding a transcript gives the same items however its bytes are split.

use atgen_tests::transcript::{decode, Decoder, Item};
use proptest::prelude::*;

/// An EC2x session: responses, URCs inside and between them, payloads that
/// contain result codes and URC text, a prompt, garbage.
fn ec2x_transcript() -> Vec<u8> {
    let recv = |t: &mut Vec<u8>, payload: &[u8]| {
        t.extend_from_slice(format!("\r\n+QSSLRECV: {}\r\n", payload.len()).as_bytes());
        t.extend_from_slice(payload);
        t.extend_from_slice(b"\r\n\r\nOK\r\n");
    };
    let push = |t: &mut Vec<u8>, payload: &[u8]| {
        t.extend_from_slice(format!("\r\n+QSSLURC: \"recv\",4,{}\r\n", payload.len()).as_bytes());
        t.extend_from_slice(payload);
    };
    let mut t = Vec::new();
    t.extend_from_slice(b"\r\nOK\r\n\r\n+QSSLOPEN: 4,0\r\n");
    t.extend_from_slice(b"\r\n+QSSLURC: \"recv\",4\r\n");
    recv(&mut t, b"\r\nOK\r\n+QSSLURC: \"");
    push(&mut t, b"ERROR\r\nSEND OK\r\n");
    t.extend_from_slice(b"\r\n+QSSLSTATE: 4,\"SSLClient\",\"220.180.239.212\",8010,65344,2,1,4,0,\"usbmodem\",1\r\n\r\nOK\r\n");
    t.extend_from_slice(
        b"\r\n+QSSLURC: \"closed\",4\r\n\r\nGARBAGE \x01\x02 LINE\r\n\r\n+CME ERROR: 552\r\n",
    );
    let mut payload: Vec<u8> = (0..=255u8).collect();
    payload.extend_from_slice(b"\r\nOK\r\n+QSSLURC: \"recv\",1\r\n");
    recv(&mut t, &payload);
    t
}

/// A BC26 session with inline quoted payloads.
fn bc26_transcript() -> Vec<u8> {
    let mut t = Vec::new();
    t.extend_from_slice(b"\r\nOK\r\n\r\n+QSSLOPEN: 1,5,0\r\n\r\nOK\r\n\r\n+QSSLSEND: 1,5,0\r\n");
    t.extend_from_slice(b"\r\n+QSSLURC: \"recv\",1,5,10,\"1234567890\"\r\n");
    t.extend_from_slice(b"\r\n+QSSLURC: \"recv\",1,5,7,\"\r\nOK\r\n\"\"\r\n");
    t.extend_from_slice(b"\r\nOK\r\n\r\n+QSSLCLOSE: 1,5,0\r\n\r\n+QSSLURC: \"closed\",1,5\r\n");
    t
}

/// An ML302 session with its `<ip>:<port>,TCP,<len>` payload header.
fn ml302_transcript() -> Vec<u8> {
    let mut t = Vec::new();
    t.extend_from_slice(b"\r\nOK\r\n\r\n+QSSLOPEN: 0,0\r\n\r\n+QSSLURC: \"recv\",1,0\r\n");
    t.extend_from_slice(b"\r\n+QSSLRECV: 106.12.79.254:443,TCP,10\r\nOK\r\nERROR\r\n\r\nOK\r\n");
    t.extend_from_slice(b"\r\nOK\r\n\r\n0,CLOSE OK\r\n");
    t
}

fn check<F: Decoder>(input: &[u8], chunks: &[usize]) {
    let whole = decode::<F>(input, &[], true);
    assert!(
        !whole
            .iter()
            .any(|i| matches!(i, Item::Unrecognised(b) if !b.starts_with(b"GARBAGE"))),
        "the transcript decodes: {whole:?}"
    );
    let split = decode::<F>(input, chunks, true);
    assert_eq!(split, whole, "chunks {chunks:?}");
}

#[test]
fn payloads_containing_result_codes_stay_payloads() {
    let items = decode::<atgen::quectel_ec2x::Family>(&ec2x_transcript(), &[], true);
    let finals = items.iter().filter(|i| matches!(i, Item::Final(_))).count();
    // OK after the open, both reads and the state list, and +CME ERROR: the OK, ERROR and
    // SEND OK inside payloads are payload bytes.
    assert_eq!(finals, 5, "{items:#?}");
    let ml = decode::<atgen::cmiot_ml302::Family>(&ml302_transcript(), &[], true);
    assert!(
        ml.iter()
            .any(|i| matches!(i, Item::Info(s) if s.contains("actuallength: 10"))),
        "{ml:#?}"
    );
}

#[test]
fn byte_by_byte_decoding_equals_whole_decoding() {
    check::<atgen::quectel_ec2x::Family>(&ec2x_transcript(), &[1]);
    check::<atgen::quectel_bc26::Family>(&bc26_transcript(), &[1]);
    check::<atgen::cmiot_ml302::Family>(&ml302_transcript(), &[1]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn decoding_is_independent_of_chunk_boundaries(chunks in proptest::collection::vec(1usize..40, 1..12)) {
        check::<atgen::quectel_ec2x::Family>(&ec2x_transcript(), &chunks);
        check::<atgen::quectel_bc26::Family>(&bc26_transcript(), &chunks);
        check::<atgen::cmiot_ml302::Family>(&ml302_transcript(), &chunks);
    }
}

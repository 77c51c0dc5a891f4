//! Every family's response-side parsers: `Urc::parse(frame, hex)` and
//! `InfoLine::parse(line, hex)`, plus the family's `probe_payload` and the final
//! result codes. Whatever parses must write back (`write_to`) to bytes that parse
//! again to an equal value and write back to the same bytes; writing into a small
//! fixed buffer either fits exactly or overflows after a prefix of the full output.
//!
//! Input layout: byte 0: family (`% 5`: ec200x, ec2x, bc26, ugxx, ml302); byte 1:
//! bit 0 hex payloads, bits 1..=7 the size of the small buffer; then the frame (a URC
//! or information line as the digester gives it: without the final CR LF, payload
//! included).
#![no_main]

use atgen_runtime::{final_code, Family, SliceSink};
use libfuzzer_sys::fuzz_target;

/// What `write_to` wrote, minus the CR LF that ends the frame.
fn frame_of(written: &[u8]) -> &[u8] {
    written
        .strip_suffix(b"\r\n")
        .unwrap_or_else(|| panic!("write_to did not end in CR LF: {written:?}"))
}

/// With `FUZZ_SHOW` set, prints what each input decoded to (for reproducing by hand).
fn show(what: std::fmt::Arguments<'_>) {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if *ON.get_or_init(|| std::env::var_os("FUZZ_SHOW").is_some()) {
        eprintln!("{what}");
    }
}

macro_rules! family {
    ($m:ident, $frame:expr, $hex:expr, $small:expr) => {{
        use atgen::$m as fam;
        let (frame, hex, small): (&[u8], bool, usize) = ($frame, $hex, $small);
        let _ = <fam::Family as Family>::probe_payload(frame, hex);
        let _ = final_code::parse(frame);

        if let Some(Ok(u)) = fam::Urc::parse(frame, hex) {
            let _ = <fam::Family as Family>::urc_error(&u);
            show(format_args!("URC {u:?}"));
            let mut out = Vec::new();
            u.write_to(&mut out).expect("a Vec never overflows");
            let again = match fam::Urc::parse(frame_of(&out), hex) {
                Some(Ok(v)) => v,
                other => panic!("{u:?} wrote {out:?}, which parses as {other:?}"),
            };
            assert_eq!(u, again, "URC round trip through {out:?}");
            let mut out2 = Vec::new();
            again.write_to(&mut out2).expect("a Vec never overflows");
            assert_eq!(out, out2, "writing {again:?} twice");
            let mut buf = vec![0u8; small];
            let mut sink = SliceSink::new(&mut buf);
            match u.write_to(&mut sink) {
                Ok(()) => assert_eq!(sink.written(), &out[..], "small-buffer write"),
                Err(_) => assert!(out.starts_with(sink.written()), "overflowed write"),
            }
        }

        if let Ok(l) = fam::InfoLine::parse(frame, hex) {
            show(format_args!("information line {l:?}"));
            let mut out = Vec::new();
            l.write_to(&mut out).expect("a Vec never overflows");
            let again = match fam::InfoLine::parse(frame_of(&out), hex) {
                Ok(v) => v,
                Err(e) => panic!("{l:?} wrote {out:?}, which does not parse: {e}"),
            };
            assert_eq!(l, again, "information line round trip through {out:?}");
            let mut out2 = Vec::new();
            again.write_to(&mut out2).expect("a Vec never overflows");
            assert_eq!(out, out2, "writing {again:?} twice");
            let mut buf = vec![0u8; small];
            let mut sink = SliceSink::new(&mut buf);
            match l.write_to(&mut sink) {
                Ok(()) => assert_eq!(sink.written(), &out[..], "small-buffer write"),
                Err(_) => assert!(out.starts_with(sink.written()), "overflowed write"),
            }
        }
    }};
}

fuzz_target!(|input: &[u8]| {
    let [fam, flags, frame @ ..] = input else {
        return;
    };
    let hex = flags & 1 != 0;
    let small = usize::from(flags >> 1);
    match fam % 5 {
        0 => family!(quectel_ec200x, frame, hex, small),
        1 => family!(quectel_ec2x, frame, hex, small),
        2 => family!(quectel_bc26, frame, hex, small),
        3 => family!(quectel_ugxx, frame, hex, small),
        _ => family!(cmiot_ml302, frame, hex, small),
    }
});

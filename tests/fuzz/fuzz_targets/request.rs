//! Every family's command-line parser, `Request::parse(line)` (what `atgen lint` and
//! the simulator use). A line that parses must write back (`Request::write_line`) to
//! `AT+…\r`, whose line parses again to an equal request and writes back to the same
//! bytes; writing into a small fixed buffer fits exactly or overflows after a prefix.
//!
//! Input layout: byte 0: family (`% 5`: ec200x, ec2x, bc26, ugxx, ml302); byte 1: the
//! size of the small buffer; then the command line (without its CR).
#![no_main]

use atgen_runtime::SliceSink;
use libfuzzer_sys::fuzz_target;

/// With `FUZZ_SHOW` set, prints what each input decoded to (for reproducing by hand).
fn show(what: std::fmt::Arguments<'_>) {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if *ON.get_or_init(|| std::env::var_os("FUZZ_SHOW").is_some()) {
        eprintln!("{what}");
    }
}

macro_rules! family {
    ($m:ident, $line:expr, $small:expr) => {{
        use atgen::$m as fam;
        let (line, small): (&[u8], usize) = ($line, $small);
        if let Ok(r) = fam::Request::parse(line) {
            let _ = r.name();
            show(format_args!("request {r:?}"));
            let _ = r.has_data_phase();
            let mut out = Vec::new();
            r.write_line(&mut out).expect("a Vec never overflows");
            let Some(written) = out.strip_suffix(b"\r") else {
                panic!("{r:?} wrote {out:?}, which does not end in CR");
            };
            assert!(
                written.len() >= 3 && written[..3].eq_ignore_ascii_case(b"AT+"),
                "{r:?} wrote {out:?}"
            );
            let again = match fam::Request::parse(written) {
                Ok(v) => v,
                Err(e) => panic!("{r:?} wrote {out:?}, which does not parse: {e}"),
            };
            assert_eq!(r, again, "request round trip through {out:?}");
            let mut out2 = Vec::new();
            again.write_line(&mut out2).expect("a Vec never overflows");
            assert_eq!(out, out2, "writing {again:?} twice");
            let mut buf = vec![0u8; small];
            let mut sink = SliceSink::new(&mut buf);
            match r.write_line(&mut sink) {
                Ok(()) => assert_eq!(sink.written(), &out[..], "small-buffer write"),
                Err(_) => assert!(out.starts_with(sink.written()), "overflowed write"),
            }
        }
    }};
}

fuzz_target!(|input: &[u8]| {
    let [fam, small, line @ ..] = input else {
        return;
    };
    let small = usize::from(*small);
    match fam % 5 {
        0 => family!(quectel_ec200x, line, small),
        1 => family!(quectel_ec2x, line, small),
        2 => family!(quectel_bc26, line, small),
        3 => family!(quectel_ugxx, line, small),
        _ => family!(cmiot_ml302, line, small),
    }
});

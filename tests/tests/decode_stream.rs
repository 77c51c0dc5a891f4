//! `atgen::decode::decode_read` (what streams a file or stdin) visits exactly
//! the items `decode_slice` finds on the whole input, whatever sizes the reads
//! come in: a frame cut by a read boundary is completed, never split.

use atgen::decode::{decode_read, decode_slice, At, DataMode, Secrets, Visit};
use atgen_runtime::final_code::FinalCode;
use atgen_runtime::{ParseError, RequestError};
use atgen_tests::transcript::mixed_ec2x_transcript;
use serde::Serialize;

/// Every item as (offset, kind, payload length).
#[derive(Default)]
struct Items(Vec<(usize, &'static str, Option<usize>)>);

impl Items {
    fn add(&mut self, at: At<'_>, kind: &'static str) -> Result<(), ()> {
        self.0.push((at.offset, kind, at.payload.map(<[u8]>::len)));
        Ok(())
    }
}

impl Visit for Items {
    type Error = ();
    fn prompt(&mut self, at: At<'_>) -> Result<(), ()> {
        self.add(at, "prompt")
    }
    fn final_code(&mut self, at: At<'_>, _: FinalCode<'_>, _: &[u8]) -> Result<(), ()> {
        self.add(at, "final")
    }
    fn unsolicited(&mut self, at: At<'_>, _: &'static str, _: bool) -> Result<(), ()> {
        self.add(at, "unsolicited")
    }
    fn urc<T: Serialize>(&mut self, at: At<'_>, _: &T, _: Secrets<'_, '_>) -> Result<(), ()> {
        self.add(at, "urc")
    }
    fn info<T: Serialize>(&mut self, at: At<'_>, _: &T, _: Secrets<'_, '_>) -> Result<(), ()> {
        self.add(at, "info")
    }
    fn command<T: Serialize>(&mut self, at: At<'_>, _: &T, _: Secrets<'_, '_>) -> Result<(), ()> {
        self.add(at, "command")
    }
    fn data(&mut self, at: At<'_>, _: &[u8], _: DataMode, _: bool) -> Result<(), ()> {
        self.add(at, "data")
    }
    fn escape(&mut self, at: At<'_>) -> Result<(), ()> {
        self.add(at, "escape")
    }
    fn bad_command(&mut self, at: At<'_>, _: &[u8], _: RequestError) -> Result<(), ()> {
        self.add(at, "bad_command")
    }
    fn malformed(&mut self, at: At<'_>, _: &[u8], _: ParseError) -> Result<(), ()> {
        self.add(at, "malformed")
    }
    fn unrecognised(&mut self, at: At<'_>, _: &[u8]) -> Result<(), ()> {
        self.add(at, "unrecognised")
    }
    fn incomplete(&mut self, at: At<'_>, _: &[u8]) -> Result<(), ()> {
        self.add(at, "incomplete")
    }
}

/// A reader that hands out at most `n` bytes per read.
struct Trickle<'a> {
    data: &'a [u8],
    n: usize,
}

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = self.n.min(buf.len()).min(self.data.len());
        let (head, tail) = self.data.split_at(k);
        buf[..k].copy_from_slice(head);
        self.data = tail;
        Ok(k)
    }
}

#[test]
fn a_streamed_decode_visits_the_items_of_the_whole_input_whatever_the_read_sizes() {
    type Ec2x = atgen::quectel_ec2x::Family;
    let mut input = mixed_ec2x_transcript(12, 1460);
    // A last line without its CR LF.
    input.extend_from_slice(b"\r\n+QSSLURC: \"closed\",3");
    let mut whole = Items::default();
    decode_slice::<Ec2x, _>(&input, false, &mut whole).unwrap();
    assert!(whole.0.len() > 90, "{} items", whole.0.len());
    for n in [1, 7, 1460, 4096, 1 << 20] {
        let mut streamed = Items::default();
        decode_read::<Ec2x, _, _>(Trickle { data: &input, n }, false, &mut streamed).unwrap();
        assert_eq!(streamed.0, whole.0, "reads of {n} bytes");
    }
}

/// The framing probes a line for a payload only when it can be a header:
/// a complete line with fewer commas than a header's first line is none.
#[test]
fn a_complete_line_with_fewer_commas_than_a_payload_header_is_not_probed() {
    use atgen_runtime::Family;
    let starts = <atgen::quectel_ec2x::Family as Family>::PAYLOAD_STARTS;
    assert!(starts.may_start(b"+QSSLURC: \"recv\",1,5\r\nhello"));
    assert!(starts.may_start(b"+QSSLRECV: 5\r\nhello"));
    assert!(!starts.may_start(b"+QSSLURC: \"recv\",1\r\n\r\nOK\r\n"));
    assert!(
        starts.may_start(b"+QSSLURC: \"recv\",1"),
        "without its line end, its length may still come"
    );
    // The buffer-mode URC is still read as one.
    let mut items = Items::default();
    decode_slice::<atgen::quectel_ec2x::Family, _>(
        b"\r\n+QSSLURC: \"recv\",1\r\n",
        false,
        &mut items,
    )
    .unwrap();
    assert_eq!(items.0, vec![(2, "urc", None)]);
}

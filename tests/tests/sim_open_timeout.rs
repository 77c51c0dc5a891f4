//! The simulated module bounds an open's result as the manual does: a handshake
//! longer than the open's result wait (ML302: its `<timeout>`; EC2x: 150 s plus
//! `<negotiate_time>`; BC26: its `<timeout>`, the maximum response time) ends at
//! the end of that wait with the spec's `[simulator] open_timeout` code. Time is
//! the simulator's injected clock, advanced by the test.

mod sim_common;

use std::time::Duration;

use atgen::sim::SimClock;
use atgen_runtime::link::{ManualClock, UrcFrame};
use atgen_runtime::Family;
use sim_common::{fast, start, SimLink, T};

/// A simulator whose handshakes take an hour on a clock the test advances.
fn slow_handshakes<F: Family>(family: &str) -> (atgen::sim::SimHandle, SimLink<F>, ManualClock) {
    let clock = ManualClock::new();
    let options = atgen::sim::Options {
        handshake: Duration::from_secs(3600),
        clock: SimClock::new(clock.clone()),
        ..fast()
    };
    let (sim, link) = start::<F>(family, options);
    (sim, link, clock)
}

fn text(f: &UrcFrame) -> String {
    String::from_utf8_lossy(&f.frame).trim().to_string()
}

/// Advances the module's clock to `at` after the open and returns the URCs it
/// printed by then (an `AT` round trip lets it look at the clock first).
fn urcs_at<F: Family>(link: &mut SimLink<F>, clock: &ManualClock, by: Duration) -> Vec<String> {
    clock.advance(by);
    link.raw("AT", T).expect("AT answers");
    link.drain_urcs().map(|f| text(&f)).collect()
}

#[test]
fn ml302_module_gives_up_an_open_at_its_timeout_with_connectcode_minus_1() {
    let (_sim, mut link, clock) = slow_handshakes::<atgen::cmiot_ml302::Family>("cmiot-ml302");
    link.raw("AT+QSSLOPEN=0,0,\"www.iottest.work\",443,0,10", T)
        .expect("the open answers OK");
    assert!(urcs_at(&mut link, &clock, Duration::from_millis(9999)).is_empty());
    assert_eq!(
        urcs_at(&mut link, &clock, Duration::from_millis(1)),
        ["+QSSLOPEN: 0,-1"]
    );
    // The id is free again.
    link.raw("AT+QSSLCLOSE=0", T).expect_err("nothing to close");
}

#[test]
fn ml302_module_gives_up_after_the_default_90_s_timeout() {
    let (_sim, mut link, clock) = slow_handshakes::<atgen::cmiot_ml302::Family>("cmiot-ml302");
    link.raw("AT+QSSLOPEN=1,0,\"www.iottest.work\",443,0", T)
        .expect("the open answers OK");
    assert!(urcs_at(&mut link, &clock, Duration::from_secs(89)).is_empty());
    assert_eq!(
        urcs_at(&mut link, &clock, Duration::from_secs(1)),
        ["+QSSLOPEN: 1,-1"]
    );
}

#[test]
fn ec2x_module_gives_up_an_open_at_150_s_plus_negotiate_time_with_569() {
    let (_sim, mut link, clock) = slow_handshakes::<atgen::quectel_ec2x::Family>("quectel-ec2x");
    link.raw("AT+QSSLCFG=\"negotiatetime\",1,20", T)
        .expect("set");
    link.raw("AT+QSSLOPEN=1,1,4,\"220.180.239.212\",8010,0", T)
        .expect("the open answers OK");
    assert!(urcs_at(&mut link, &clock, Duration::from_secs(169)).is_empty());
    assert_eq!(
        urcs_at(&mut link, &clock, Duration::from_secs(1)),
        ["+QSSLOPEN: 4,569"]
    );
}

#[test]
fn bc26_module_gives_up_an_open_at_its_timeout_with_minus_7() {
    let (_sim, mut link, clock) = slow_handshakes::<atgen::quectel_bc26::Family>("quectel-bc26");
    link.raw("AT+QSSLCFG=1,2,\"timeout\",30", T).expect("set");
    link.raw("AT+QSSLOPEN=1,2,\"hf.quectel.com\",443,0", T)
        .expect("the open answers OK");
    assert!(urcs_at(&mut link, &clock, Duration::from_secs(29)).is_empty());
    assert_eq!(
        urcs_at(&mut link, &clock, Duration::from_secs(1)),
        ["+QSSLOPEN: 1,2,-7"]
    );
}

#[test]
fn a_handshake_within_the_wait_still_opens() {
    let (_sim, mut link) = start::<atgen::cmiot_ml302::Family>("cmiot-ml302", fast());
    link.raw("AT+QSSLOPEN=0,0,\"www.iottest.work\",443,0,10", T)
        .expect("the open answers OK");
    let urc = link
        .wait_urc(T, |f| f.frame[..].starts_with(b"+QSSLOPEN:"))
        .expect("link")
        .expect("the open result");
    assert_eq!(text(&urc), "+QSSLOPEN: 0,0");
}

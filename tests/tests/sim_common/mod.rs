//! Shared helpers of the simulator tests: an in-process simulator driven by the runtime `Link`.

#![allow(dead_code)]

use std::time::Duration;

use atgen::sim::{HostWriter, Options, SimHandle, Simulator};
use atgen_runtime::link::{Link, LinkError, StreamTransport, UrcFrame};
use atgen_runtime::{AtRequest, Family};

/// Link timeouts: the simulator answers within milliseconds.
pub const T: Duration = Duration::from_millis(1500);
/// How long to wait for something that must not come.
pub const QUIET: Duration = Duration::from_millis(150);

pub type SimLink<F> = Link<StreamTransport<HostWriter>, F>;

/// Fast simulated timings (handshake, peer latency, guard time).
pub fn fast() -> Options {
    Options {
        handshake: Duration::from_millis(10),
        peer_latency: Duration::from_millis(2),
        guard_time: Duration::from_millis(40),
        ..Options::default()
    }
}

/// A simulator of `family` and a link to it.
pub fn start<F: Family>(family: &str, options: Options) -> (SimHandle, SimLink<F>) {
    let mut sim = Simulator::spawn(family, options).expect("the simulator starts");
    let transport = sim.transport().expect("the in-process host side");
    let mut link = Link::new(transport);
    link.config_mut().guard_time = Duration::from_millis(80);
    link.config_mut().escape_timeout = T;
    (sim, link)
}

/// Executes with the short timeout.
pub fn exec<F: Family, R: AtRequest<Family = F>>(
    link: &mut SimLink<F>,
    req: &R,
) -> Result<atgen_runtime::link::Reply<R>, LinkError> {
    link.execute_timeout(req, T)
}

/// Runs a data phase with the short timeout.
pub fn send<F: Family, R: AtRequest<Family = F>>(
    link: &mut SimLink<F>,
    req: &R,
    data: &[u8],
) -> Result<atgen_runtime::link::Reply<R>, LinkError> {
    link.execute_with(
        req,
        atgen_runtime::link::Exec {
            data: Some(data),
            timeout: Some(T),
            cancel: false,
        },
    )
}

/// The first queued or arriving URC that `pred` accepts.
pub fn wait_urc<F: Family>(link: &mut SimLink<F>, pred: impl FnMut(&UrcFrame) -> bool) -> UrcFrame {
    link.wait_urc(T, pred)
        .expect("the link works")
        .expect("the URC arrives")
}

/// Whether no URC `pred` accepts arrives within [`QUIET`].
pub fn no_urc<F: Family>(link: &mut SimLink<F>, pred: impl FnMut(&UrcFrame) -> bool) -> bool {
    link.wait_urc(QUIET, pred)
        .expect("the link works")
        .is_none()
}

/// Frames starting with `prefix`.
pub fn starts(prefix: &'static str) -> impl FnMut(&UrcFrame) -> bool {
    move |u| u.frame.starts_with(prefix.as_bytes())
}

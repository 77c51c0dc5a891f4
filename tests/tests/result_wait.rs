//! How long a command waits for its final result code and for its result URC:
//! the manual's maximum response time and, where a manual states one apart, its
//! wait for the URC (`result_wait`); atgen's own default
//! (`UNSTATED_RESPONSE`) only where the manual states no time at all.

mod hostile_common;

use std::time::Duration;

use atgen::{cmiot_ml302, quectel_bc26, quectel_ec200x, quectel_ec2x, quectel_ugxx};
use atgen_runtime::link::{Clock, Link, LinkError, ManualClock};
use atgen_runtime::{AtRequest, UNSTATED_RESPONSE};
use hostile_common::{Hostile, Out};

fn ml302_open(timeout: Option<u16>) -> cmiot_ml302::Qsslopen<'static> {
    cmiot_ml302::Qsslopen {
        ssid: 0,
        ctxindex: 0,
        ipaddr_domainname: "www.iottest.work",
        port: 443,
        connectmode: cmiot_ml302::Connectmode::NonTransparent,
        timeout,
    }
}

/// The link over a scripted ML302 and its clock.
fn ml302(
    build: impl FnOnce(Hostile) -> Hostile,
) -> Link<Hostile, cmiot_ml302::Family, ManualClock> {
    let clock = ManualClock::new();
    Link::with_clock(build(Hostile::new(clock.clone())), clock)
}

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[test]
fn ml302_open_states_no_maximum_response_time_so_its_ok_waits_atgens_default() {
    let open = ml302_open(None);
    let max = open.max_response();
    assert!(!max.stated, "{max:?}");
    assert_eq!(max, UNSTATED_RESPONSE);
    assert!(
        max.text.contains("not stated in the manual"),
        "{}",
        max.text
    );
}

#[test]
fn ml302_open_waits_its_timeout_for_the_result_urc_default_90_s() {
    let w = ml302_open(None).result_wait();
    assert!(w.stated);
    assert_eq!(w.total_ms(|_| None), 90_000);
    assert!(w.text.contains("<timeout> 超时时间"), "{}", w.text);
    assert_eq!(
        ml302_open(Some(10)).result_wait().total_ms(|_| None),
        10_000
    );
    assert_eq!(
        ml302_open(Some(300)).result_wait().total_ms(|_| None),
        300_000
    );
}

#[test]
fn ml302_open_whose_ok_never_comes_times_out_after_atgens_default_naming_the_final_code() {
    let mut link = ml302(|m| m.on("AT+QSSLOPEN=0,0,\"www.iottest.work\",443,0\r", vec![]));
    let e = link.execute(&ml302_open(None)).unwrap_err();
    let LinkError::Timeout {
        waited,
        waiting_for,
        ..
    } = e
    else {
        panic!("not a timeout: {e}");
    };
    assert_eq!(waiting_for, "final result code");
    assert_eq!(ms(waited), UNSTATED_RESPONSE.base_ms);
}

#[test]
fn ml302_open_whose_result_urc_never_comes_waits_its_timeout_from_the_command_line() {
    let mut link = ml302(|m| {
        m.on(
            "AT+QSSLOPEN=0,0,\"www.iottest.work\",443,0,10\r",
            vec![
                Out::Silence(Duration::from_millis(100)),
                Out::Bytes(b"\r\nOK\r\n".to_vec()),
            ],
        )
    });
    let e = link.execute(&ml302_open(Some(10))).unwrap_err();
    let LinkError::Timeout {
        waited,
        waiting_for,
        ..
    } = e
    else {
        panic!("not a timeout: {e}");
    };
    assert_eq!(waiting_for, "result URC");
    assert_eq!(waited, Duration::from_secs(10));
    // Counted from the command line, not from OK.
    assert_eq!(link.clock().now(), Duration::from_secs(10));
}

#[test]
fn ml302_open_whose_result_urc_comes_late_within_its_timeout_succeeds() {
    let mut link = ml302(|m| {
        m.on(
            "AT+QSSLOPEN=0,0,\"www.iottest.work\",443,0,10\r",
            vec![
                Out::Bytes(b"\r\nOK\r\n".to_vec()),
                Out::Silence(Duration::from_secs(9)),
                Out::Bytes(b"\r\n+QSSLOPEN: 0,0\r\n".to_vec()),
            ],
        )
    });
    let reply = link
        .execute(&ml302_open(Some(10)))
        .expect("the URC came within <timeout>");
    assert!(reply.result_frame().is_some());
}

#[test]
fn ec2x_and_ec200x_wait_the_maximum_response_time_for_the_open_result_as_the_manual_says() {
    let ec2x = quectel_ec2x::Qsslopen {
        pdp_ctx_id: 1,
        ssl_ctx_id: 1,
        client_id: 4,
        serveraddr: "220.180.239.212",
        server_port: 8010,
        access_mode: Some(quectel_ec2x::AccessMode::Buffer),
    };
    let w = ec2x.result_wait();
    assert_eq!(w.total_ms(|_| None), ec2x.max_response().total_ms(|_| None));
    assert_eq!(w.total_ms(|_| None), 450_000);
    assert!(
        w.text.contains("refer to the Maximum Response Time"),
        "{}",
        w.text
    );
    let ec200x = quectel_ec200x::Qsslopen {
        pdp_ctx_id: 1,
        ssl_ctx_id: 1,
        client_id: 4,
        serveraddr: "220.180.239.212",
        server_port: 8010,
        access_mode: Some(quectel_ec200x::AccessMode::Buffer),
    };
    let w = ec200x.result_wait();
    assert_eq!(w.total_ms(|_| None), 450_000);
    assert!(w.text.contains("可参考下面的最大响应时间"), "{}", w.text);
}

#[test]
fn ugxx_waits_the_150_s_its_manual_states_for_the_open_result() {
    let open = quectel_ugxx::Qsslopen {
        pdpctx_id: 2,
        sslctx_id: 1,
        client_id: 1,
        serveraddr: "220.180.239.201",
        server_port: 8712,
        access_mode: Some(quectel_ugxx::AccessMode::Buffer),
    };
    let w = open.result_wait();
    assert_eq!(w.total_ms(|_| None), 150_000);
    assert!(
        w.text.contains("wait 150 seconds for the URC"),
        "{}",
        w.text
    );
    assert_eq!(
        open.max_response().text,
        "150 seconds, determined by network and <negotiatetimout>"
    );
}

#[test]
fn bc26_result_urcs_are_waited_for_within_the_maximum_response_time_the_manual_lists_them_under() {
    let open = quectel_bc26::Qsslopen {
        context_id: 1,
        connect_id: 5,
        host_name: "hf.quectel.com",
        port: 443,
        connect_mode: quectel_bc26::ConnectMode::NonTransparent,
    };
    assert_eq!(open.result_wait(), open.max_response());
    assert_eq!(open.result_wait().total_ms(|_| None), 90_000);
}

#[test]
fn ugxx_commands_without_a_stated_time_wait_atgens_default() {
    let send = quectel_ugxx::QsslsendFixedLength {
        client_id: 1,
        sendlen: 5,
    };
    assert_eq!(send.max_response(), UNSTATED_RESPONSE);
}

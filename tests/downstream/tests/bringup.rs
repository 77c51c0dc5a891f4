//! The downstream crate's own spec at work: its generated bring-up requests
//! (AT+QICSGP, AT+QIACT, AT+QIACT?, AT+QFUPL, AT+QIDEACT) run on atgen's EC2x
//! `socket::Modem` beside the SSL dialog, against a module scripted after the
//! procedures' examples (SSL Application Note 3.1): the certificate is
//! uploaded with AT+QFUPL (CONNECT, its bytes, +QFUPL), and the connection is
//! opened verifying the server with it (seclevel 1, cacert "UFS:ca.pem").

use std::time::Duration;

use atgen::ssl::Ec2x;
use atgen_downstream_example::quectel_lte_bringup::{
    Authentication, ContextState, ContextType, Qfupl, Qiact, QiactRead, Qicsgp, Qideact,
};
use atgen_runtime::link::script::ScriptTransport;
use atgen_runtime::link::{Exec, Link, ManualClock};
use atgen_runtime::socket::{Modem, SecLevel, SslConfig};

const CA: &[u8] =
    b"-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUatgen\n-----END CERTIFICATE-----\n";

fn script(clock: ManualClock) -> ScriptTransport {
    let qfupl_reply = format!("\r\n+QFUPL: {},3a6f\r\n\r\nOK\r\n", CA.len()).into_bytes();
    ScriptTransport::new(clock)
        .expect("AT+QICSGP=1,1,\"UNINET\",\"\",\"\",1\r")
        .reply("\r\nOK\r\n")
        .expect("AT+QIACT=1\r")
        .reply("\r\nOK\r\n")
        .expect("AT+QIACT?\r")
        .reply("\r\n+QIACT: 1,1,1,\"10.7.157.1\"\r\n\r\nOK\r\n")
        .expect(format!("AT+QFUPL=\"UFS:ca.pem\",{}\r", CA.len()))
        .reply("\r\nCONNECT\r\n")
        .expect(CA)
        .reply(qfupl_reply)
        .expect("AT+QSSLCFG=\"seclevel\",1,1\r")
        .reply("\r\nOK\r\n")
        .expect("AT+QSSLCFG=\"cacert\",1,\"UFS:ca.pem\"\r")
        .reply("\r\nOK\r\n")
        .expect("AT+QSSLOPEN=1,1,0,\"example.com\",443,0\r")
        .reply("\r\nOK\r\n\r\n+QSSLOPEN: 0,0\r\n")
        .expect("AT+QSSLCLOSE=0\r")
        .reply("\r\nOK\r\n")
        .expect("AT+QIDEACT=1\r")
        .reply("\r\nOK\r\n")
}

#[test]
fn bring_up_uploads_the_ca_certificate_and_opens_a_verified_connection() {
    let clock = ManualClock::new();
    let link = Link::with_clock(script(clock.clone()), clock);
    let mut modem = Modem::new(link, Ec2x);
    let apn = Qicsgp {
        context_id: 1,
        context_type: ContextType::Ipv4,
        apn: "UNINET",
        username: "",
        password: "",
        authentication: Authentication::Pap,
    };
    modem.execute(&apn, Exec::default()).expect("QICSGP");
    modem
        .execute(&Qiact { context_id: 1 }, Exec::default())
        .expect("QIACT");
    let state = modem.execute(&QiactRead, Exec::default()).expect("QIACT?");
    let contexts: Vec<_> = state.response().expect("parsed").line1.collect();
    assert_eq!(contexts.len(), 1);
    assert_eq!(contexts[0].context_state, ContextState::Activated);
    assert_eq!(contexts[0].ip_address, Some("10.7.157.1"));

    let upload = Qfupl {
        filename: "UFS:ca.pem",
        file_size: CA.len() as u32,
    };
    let stored = modem
        .execute(
            &upload,
            Exec {
                data: Some(CA),
                ..Exec::default()
            },
        )
        .expect("QFUPL");
    let stored = stored.response().expect("+QFUPL parsed");
    assert_eq!(
        stored.upload_size as usize,
        CA.len(),
        "the module stored every byte"
    );
    assert_eq!(stored.checksum, 0x3a6f);

    let verified = SslConfig {
        seclevel: Some(SecLevel::Server),
        ca_cert: Some("UFS:ca.pem".to_string()),
        timeout: Some(Duration::from_secs(5)),
        ..SslConfig::default()
    };
    let c = modem
        .connect(verified, "example.com", 443)
        .expect("a verified connection");
    modem.close(c).expect("close");
    modem
        .execute(&Qideact { context_id: 1 }, Exec::default())
        .expect("QIDEACT");
    let (rest, failure) = modem.link().transport().remaining();
    assert!(rest.is_empty() && failure.is_none(), "{rest:?} {failure:?}");
}

#[test]
fn an_apn_with_a_quote_is_refused_before_anything_is_written() {
    let clock = ManualClock::new();
    let link = Link::with_clock(ScriptTransport::new(clock.clone()), clock);
    let mut modem = Modem::new(link, Ec2x);
    let apn = Qicsgp {
        context_id: 1,
        context_type: ContextType::Ipv4,
        apn: "UNI\"NET",
        username: "",
        password: "",
        authentication: Authentication::None,
    };
    let e = modem.execute(&apn, Exec::default()).expect_err("refused");
    assert!(e.to_string().contains("APN"), "{e}");
    let context = modem.execute(&Qiact { context_id: 17 }, Exec::default());
    let e = context.expect_err("out of range");
    assert!(e.to_string().contains("out of range 1..=16"), "{e}");
    assert!(modem.link().transport().written().is_empty());
}

//! The link's settings are asked for by the family's generated `Setting` enum,
//! and kept per context: `"negotiatetime",1,60` decides for context 1 only.

use atgen::quectel_ec2x::{QsslcfgNegotiatetime, Setting};
use atgen_runtime::link::script::ScriptTransport;
use atgen_runtime::link::{Link, ManualClock};
use atgen_runtime::session::Ids;
use atgen_runtime::Setting as _;

fn link(
    build: impl FnOnce(ScriptTransport) -> ScriptTransport,
) -> Link<ScriptTransport, atgen::quectel_ec2x::Family, ManualClock> {
    let clock = ManualClock::new();
    Link::with_clock(build(ScriptTransport::new(clock.clone())), clock)
}

fn ctx(id: i64) -> Ids {
    let mut ids = Ids::new();
    ids.push("SSL_ctxID", id);
    ids
}

#[test]
fn a_recorded_setting_is_read_back_by_its_typed_name_for_its_context_only() {
    let mut l = link(|s| {
        s.expect("AT+QSSLCFG=\"negotiatetime\",1,60\r")
            .reply("\r\nOK\r\n")
    });
    l.execute(&QsslcfgNegotiatetime {
        ssl_ctx_id: 1,
        negotiate_time: 60,
    })
    .unwrap();
    assert_eq!(l.setting_for(Setting::NegotiateTime, &ctx(1)), Some(60));
    assert_eq!(l.setting_for(Setting::NegotiateTime, &ctx(2)), None);
    // The manual's name as text finds the same value.
    assert_eq!(l.setting_for("negotiate_time", &ctx(1)), Some(60));
}

#[test]
fn a_typed_setting_set_by_hand_is_cleared_by_hand() {
    let mut l = link(|s| s);
    l.set_setting(Setting::CloseTimeMode, 1);
    assert_eq!(l.setting(Setting::CloseTimeMode), Some(1));
    assert_eq!(l.setting("close_time_mode"), Some(1));
    l.clear_setting(Setting::CloseTimeMode);
    assert_eq!(l.setting(Setting::CloseTimeMode), None);
}

#[test]
fn every_generated_setting_names_a_parameter_of_its_family_once() {
    for s in Setting::ALL {
        assert_eq!(Setting::from_name(s.name()), Some(*s), "{s}");
    }
    assert!(Setting::ALL.contains(&Setting::NegotiateTime));
    // The dialog's id parameters are keys, not settings.
    assert_eq!(Setting::from_name("SSL_ctxID"), None);
    assert_eq!(Setting::NegotiateTime.to_string(), "negotiate_time");
}

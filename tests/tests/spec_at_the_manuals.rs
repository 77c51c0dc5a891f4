//! Facts of the resolved spec checked against the manuals' words (issue 11,
//! "the spec"): units, modules and times a manual does not state are not in the
//! spec; lists the manual gives unconditionally are not optional; the errata of
//! the manuals' own contradictions are recorded.

use atgen_codegen::ir::{Command, Family, Spec};

fn spec() -> Spec {
    atgen_tests::gen::load()
}

fn family<'s>(spec: &'s Spec, id: &str) -> &'s Family {
    spec.families
        .get(id)
        .unwrap_or_else(|| panic!("no family {id}"))
}

fn command<'f>(fam: &'f Family, id: &str) -> &'f Command {
    fam.commands
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("{}: no command {id}", fam.id))
}

fn unit(fam: &Family, param: &str) -> Option<String> {
    fam.params
        .get(param)
        .unwrap_or_else(|| panic!("{}: no <{param}>", fam.id))
        .unit
        .clone()
}

#[test]
fn lengths_have_a_unit_only_where_the_manual_states_one() {
    let spec = spec();
    // "Numeric type, the length of send data, range is 1-1460": no unit in UGxx.
    let ugxx = family(&spec, "quectel-ugxx");
    for p in ["sendlen", "readlen", "havereadlen", "currentrecvlength"] {
        assert_eq!(unit(ugxx, p), None, "quectel-ugxx <{p}>");
    }
    // EC2x: "Unit: byte." for <sendlen>, <readlen>, <have_readlen>, not for
    // <current_recvlength> ("The length of actual received data.").
    let ec2x = family(&spec, "quectel-ec2x");
    for p in ["sendlen", "readlen", "have_readlen"] {
        assert_eq!(unit(ec2x, p).as_deref(), Some("byte"), "quectel-ec2x <{p}>");
    }
    assert_eq!(unit(ec2x, "current_recvlength"), None);
    // EC200x: "单位：字节" for all four.
    let ec200x = family(&spec, "quectel-ec200x");
    for p in ["sendlen", "readlen", "have_readlen", "current_recvlength"] {
        assert_eq!(
            unit(ec200x, p).as_deref(),
            Some("byte"),
            "quectel-ec200x <{p}>"
        );
    }
    // ML302: "写入的数据长度", "接收长度", and <actuallength> without a description: no unit.
    let ml302 = family(&spec, "cmiot-ml302");
    for p in ["uploadsize", "length", "actuallength"] {
        assert_eq!(unit(ml302, p), None, "cmiot-ml302 <{p}>");
    }
    // ML302 <timeout>: "10-300（s，默认 90s）".
    assert_eq!(unit(ml302, "timeout").as_deref(), Some("s"));
}

#[test]
fn ugxx_lists_the_modules_its_manual_names_ug95_only_as_the_former_document_name() {
    let spec = spec();
    assert_eq!(family(&spec, "quectel-ugxx").modules, ["UGxx"]);
}

#[test]
fn ml302_open_has_no_maximum_response_time_and_waits_its_timeout_for_the_result() {
    let spec = spec();
    let open = command(family(&spec, "cmiot-ml302"), "qsslopen");
    assert!(
        open.max_response_time.is_none(),
        "{:?}",
        open.max_response_time
    );
    let wait = open.result_wait.as_ref().expect("a result wait");
    assert_eq!(
        (wait.time.ms, wait.time.plus.as_deref()),
        (0, Some("timeout"))
    );
    assert!(!wait.max_response_time);
}

#[test]
fn the_open_result_waits_are_each_manuals_own() {
    let spec = spec();
    // EC2x and EC200x refer to the maximum response time; UGxx states 150 s.
    for id in ["quectel-ec2x", "quectel-ec200x"] {
        let open = command(family(&spec, id), "qsslopen");
        let wait = open.result_wait.as_ref().expect("a result wait");
        assert!(wait.max_response_time, "{id}");
        let max = open.max_response_time.as_ref().expect("a maximum");
        assert_eq!((wait.time.ms, &wait.time.plus), (max.ms, &max.plus), "{id}");
    }
    let ugxx = command(family(&spec, "quectel-ugxx"), "qsslopen");
    let wait = ugxx.result_wait.as_ref().expect("a result wait");
    assert_eq!((wait.time.ms, wait.time.plus.as_deref()), (150_000, None));
    assert!(wait
        .time
        .text
        .starts_with("It is suggested to wait 150 seconds"));
    // BC26 lists the URC under the command's response: its maximum response time.
    let bc26 = command(family(&spec, "quectel-bc26"), "qsslopen");
    assert!(bc26.result_wait.is_none());
    // QSSLCLOSE answers OK when closed (no result URC): a command response time.
    for id in ["quectel-ec2x", "quectel-ec200x", "quectel-ugxx"] {
        let close = command(family(&spec, id), "qsslclose");
        assert!(close.result_wait.is_none(), "{id}");
        assert!(close.forms.iter().all(|f| f.result_urc.is_none()), "{id}");
        let t = close.max_response_time.as_ref().expect("a time");
        assert_eq!(
            (t.ms, t.plus.as_deref()),
            (10_000, Some("close_timeout")),
            "{id}"
        );
        assert!(
            !t.text.contains("the spec"),
            "{id}: the manual's words only: {}",
            t.text
        );
    }
}

#[test]
fn bc26_query_all_lists_every_line_unconditionally_as_the_manual_does() {
    let spec = spec();
    let bc26 = family(&spec, "quectel-bc26");
    let all = bc26
        .commands
        .iter()
        .find(|c| c.id == "qsslcfg_all")
        .expect("the query-all command");
    let lines: Vec<_> = all.forms.iter().flat_map(|f| f.responses.iter()).collect();
    assert_eq!(lines.len(), 8);
    assert!(lines.iter().all(|l| !l.optional), "{lines:?}");
}

#[test]
fn ml302_settings_are_not_said_to_be_saved_where_the_manual_says_nothing() {
    let spec = spec();
    let ml302 = family(&spec, "cmiot-ml302");
    for c in &ml302.commands {
        assert_eq!(c.saved, None, "{}", c.id);
    }
}

#[test]
fn the_errata_issue_11_names_are_recorded() {
    let spec = spec();
    let has = |fam: &str, applies: &str, words: &str| {
        family(&spec, fam)
            .errata
            .iter()
            .any(|e| e.applies_to.as_deref() == Some(applies) && e.manual.contains(words))
    };
    assert!(has(
        "quectel-ec200x",
        "qsslcfg_clientcert",
        "+QSSLCFG:\"clientcert\""
    ));
    assert!(has("cmiot-ml302", "qsslcfg_ciphersuite", "0x0035"));
    assert!(has("quectel-ugxx", "qsslcfg", "<cacert_path>"));
}

#[test]
fn ec2x_qsslstate_lists_may_be_empty_so_a_bare_ok_is_an_answer() {
    use atgen_runtime::AtRequest;
    // "List of (+QSSLSTATE: ...)": no connection, no line.
    assert!(atgen::quectel_ec2x::QsslstateExec::parse_response(b"").is_ok());
    assert!(atgen::quectel_ec2x::Qsslstate::parse_response(b"").is_ok());
    let one =
        b"+QSSLSTATE: 4,\"SSLClient\",\"220.180.239.212\",8010,65344,2,1,4,0,\"usbmodem\",1\r\n";
    assert!(atgen::quectel_ec2x::QsslstateExec::parse_response(one).is_ok());
    // The same holds for EC200x and UGxx.
    assert!(atgen::quectel_ec200x::QsslstateExec::parse_response(b"").is_ok());
    assert!(atgen::quectel_ugxx::QsslstateExec::parse_response(b"").is_ok());
}

#[test]
fn bc26_context_id_plays_the_ssl_context_role_it_is_and_docs_pair_it_so() {
    // "<contextID> 整型。SSL 上下文标识符。": the SSL context, not a PDP context.
    let spec = spec();
    let socket = family(&spec, "quectel-bc26")
        .socket
        .as_ref()
        .expect("[socket]");
    assert_eq!(socket.ssl_ctx.as_deref(), Some("contextID"));
    assert_eq!(socket.pdp, None);
    let pages = atgen_codegen::emit::markdown::render(&spec);
    let readme = &pages["README.md"];
    assert!(
        readme.contains("| Argument `<SSL_ctxID>` / `<contextID>` / `<ctxindex>` / `<sslctxID>` |"),
        "the cross-family rows pair <contextID> with the SSL context ids"
    );
    assert!(!readme.contains("`<PDP_ctxID>` / `<contextID>`"));
}

/// The rendered page of a family, and one command's part of it.
fn page_section(
    pages: &std::collections::BTreeMap<String, String>,
    family: &str,
    cmd: &str,
) -> String {
    let page = &pages[&format!("{family}.md")];
    let start = page
        .find(&format!("<a id=\"cmd-{cmd}\"></a>"))
        .unwrap_or_else(|| panic!("{family}: no {cmd}"));
    let rest = &page[start + 1..];
    // Up to the next anchor: the next command, or the URCs after the last one.
    let end = rest.find("<a id=\"").map_or(rest.len(), |i| i);
    rest[..end].to_string()
}

#[test]
fn each_parameter_is_listed_once_in_a_commands_parameter_table() {
    let spec = spec();
    let pages = atgen_codegen::emit::markdown::render(&spec);
    for fam in spec.families.values() {
        for c in &fam.commands {
            let section = page_section(&pages, &fam.id, &c.id);
            let rows: Vec<&str> = section
                .lines()
                .filter(|l| l.starts_with("| `<"))
                .filter_map(|l| l.split('|').nth(1))
                .collect();
            let mut seen = std::collections::BTreeSet::new();
            for r in &rows {
                assert!(seen.insert(*r), "{} {}: {r} listed twice", fam.id, c.id);
            }
        }
    }
}

#[test]
fn ugxx_docs_show_only_cipher_suites_of_ugxx() {
    let spec = spec();
    let pages = atgen_codegen::emit::markdown::render(&spec);
    let page = &pages["quectel-ugxx.md"];
    for foreign in ["0XC02F", "0XC02B", "0XC030"] {
        assert!(!page.contains(foreign), "quectel-ugxx.md shows {foreign}");
    }
}

#[test]
fn ec2x_dtls_version_is_not_refused_while_dtls_is_off() {
    // "<DTLS_ver> ... only takes effect when <DTLS_enable>=1": not a refusal.
    let o = atgen_tests::cli::atgen(
        &["lint", "--family", "quectel-ec2x", "-"],
        b"AT+QSSLCFG=\"dtls\",0,0\nAT+QSSLCFG=\"dtlsversion\",0,1\nAT+QSSLCFG=\"dtlsversion\",1,0\n",
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        atgen_tests::cli::text(&o.stdout)
    );
}

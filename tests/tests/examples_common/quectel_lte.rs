//! The example dialogs that the Quectel LTE SSL manuals share: the EC2x & EG9x & EG2x-G &
//! EM05 SSL application note V1.1 and the EC200x & EC600x & EG912Y SSL 应用指导 print the
//! same chapter 3 (PDP context, SSL context, buffer access, direct push and transparent
//! modes), the same URCs (2.3) and the same error table (5).
//!
//! What differs between the two stays in the test files: their test names (family and
//! manual section), the errata of each manual, the texts that differ (`TLS1.0` and
//! `TLS 1.0`, the certificate path of 3.2), the Chinese descriptions of 表 5 and the
//! `<PDP_ctxID>` range.

/// Defines `mod lte`, one function per shared dialog, for the family module `atgen::$m`
/// (marker type `$family`). Expanded after [`family_helpers!`](super::family_helpers),
/// whose `FAMILY`, `request`, `urc` and `refuses_all` it uses.
macro_rules! quectel_lte_ssl_dialogs {
    ($m:ident, $family:ident) => {
        mod lte {
            use super::{refused, refuses_all, request, unknown_to_the_family, urc, FAMILY};
            use crate::examples_common::{
                fin, writes_back, QIACT_LINE, QUECTEL_TCPIP_PDP_COMMANDS,
            };
            use atgen::$m::*;
            use atgen_runtime::{final_code, AtRequest, DataEnd, Family, FinalCode};

            // ------------------------------------------------------------ 3.1

            pub fn pdp_context_commands_are_not_ssl_commands_3_1() {
                // 3.1.1 - 3.1.3 use the TCP(IP) application note's commands; they are outside
                // this family, and the only responses are OK and the AT+QIACT? line (not an SSL
                // line).
                unknown_to_the_family(&QUECTEL_TCPIP_PDP_COMMANDS);
                assert_eq!(Urc::parse(QIACT_LINE, false), None);
                assert_eq!(final_code::parse(QIACT_LINE), None);
                assert_eq!(fin("OK"), FinalCode::Ok);
            }

            // ------------------------------------------------------------ 3.2

            /// `tls1_0` is the manual's meaning of `<SSL_version>`=1; `cacert_line` the
            /// example's cacert command, which sets `cacertpath`.
            pub fn configure_ssl_context_3_2(
                tls1_0: &str,
                cacert_line: &'static str,
                cacertpath: &str,
            ) {
                let Request::QsslcfgSslversion(r) = request("AT+QSSLCFG=\"sslversion\",1,1")
                else {
                    panic!("not a sslversion write");
                };
                assert_eq!(
                    r,
                    QsslcfgSslversion {
                        ssl_ctx_id: 1,
                        ssl_version: SslVersion::Tls1_0,
                    }
                );
                assert_eq!(r.ssl_version.meaning(), tls1_0);
                writes_back(&r, "AT+QSSLCFG=\"sslversion\",1,1");
                assert_eq!(QsslcfgSslversion::parse_response(b""), Ok(()));
                assert_eq!(fin("OK"), FinalCode::Ok);

                let Request::QsslcfgCiphersuite(r) =
                    request("AT+QSSLCFG=\"ciphersuite\",1,0X0035")
                else {
                    panic!("not a ciphersuite write");
                };
                assert_eq!(
                    r,
                    QsslcfgCiphersuite {
                        ssl_ctx_id: 1,
                        cipher_suites: CipherSuite::TlsRsaWithAes256CbcSha,
                    }
                );
                assert_eq!(r.cipher_suites.value(), 0x0035);
                assert_eq!(
                    r.cipher_suites.description(),
                    "TLS_RSA_WITH_AES_256_CBC_SHA"
                );
                writes_back(&r, "AT+QSSLCFG=\"ciphersuite\",1,0X0035");
                assert_eq!(QsslcfgCiphersuite::parse_response(b""), Ok(()));
                assert_eq!(fin("OK"), FinalCode::Ok);

                let Request::QsslcfgSeclevel(r) = request("AT+QSSLCFG=\"seclevel\",1,1") else {
                    panic!("not a seclevel write");
                };
                assert_eq!(
                    r,
                    QsslcfgSeclevel {
                        ssl_ctx_id: 1,
                        seclevel: Seclevel::ServerAuthentication,
                    }
                );
                assert_eq!(r.seclevel.meaning(), "Perform server authentication");
                writes_back(&r, "AT+QSSLCFG=\"seclevel\",1,1");
                assert_eq!(QsslcfgSeclevel::parse_response(b""), Ok(()));
                assert_eq!(fin("OK"), FinalCode::Ok);

                let Request::QsslcfgCacert(r) = request(cacert_line) else {
                    panic!("not a cacert write");
                };
                assert_eq!(
                    r,
                    QsslcfgCacert {
                        ssl_ctx_id: 1,
                        cacertpath,
                    }
                );
                writes_back(&r, cacert_line);
                assert_eq!(QsslcfgCacert::parse_response(b""), Ok(()));
                assert_eq!(fin("OK"), FinalCode::Ok);
            }

            // ------------------------------------------------------------ 3.3 buffer access mode

            pub fn open_in_buffer_mode_3_3_1() {
                let open = open_4(
                    "AT+QSSLOPEN=1,1,4,\"220.180.239.212\",8010,0",
                    8010,
                    AccessMode::Buffer,
                );
                writes_back(&open, "AT+QSSLOPEN=1,1,4,\"220.180.239.212\",8010,0");
                assert!(!open.connects());
                assert!(open.expects_result_urc());
                // 150 s plus <negotiate_time> (default 300 s).
                assert_eq!(open.max_response().total_ms(|_| None), 450_000);
                assert_eq!(Qsslopen::parse_response(b""), Ok(()));
                assert_eq!(fin("OK"), FinalCode::Ok);
                let state = opened_then_state_lists_the_socket(
                    &open,
                    b"+QSSLSTATE: 4,\"SSLClient\",\"220.180.239.212\",8010,65344,2,1,4,0,\"usbmodem\",1\r\n",
                    "the 3.3.1 QSSLSTATE list decodes",
                    (8010, 65344, AccessMode::Buffer),
                );
                writes_back(&state, "AT+QSSLSTATE");
            }

            /// `line` (`AT+QSSLOPEN=1,1,4,"220.180.239.212",…`) opens socket 4 to
            /// `server_port` in `access_mode`.
            fn open_4(
                line: &'static str,
                server_port: u32,
                access_mode: AccessMode,
            ) -> Qsslopen<'static> {
                let Request::Qsslopen(open) = request(line) else {
                    panic!("not a QSSLOPEN write");
                };
                assert_eq!(
                    open,
                    Qsslopen {
                        pdp_ctx_id: 1,
                        ssl_ctx_id: 1,
                        client_id: 4,
                        serveraddr: "220.180.239.212",
                        server_port,
                        access_mode: Some(access_mode),
                    }
                );
                open
            }

            /// The `+QSSLOPEN: 4,0` result of `open`, then `AT+QSSLSTATE` listing socket 4 as
            /// `state_block` prints it, with `(remote_port, local_port, access_mode)`. Gives
            /// the `AT+QSSLSTATE` request.
            fn opened_then_state_lists_the_socket(
                open: &Qsslopen<'_>,
                state_block: &[u8],
                decodes: &str,
                (remote_port, local_port, access_mode): (u16, u16, AccessMode),
            ) -> QsslstateExec {
                let u = urc(b"+QSSLOPEN: 4,0");
                assert_eq!(
                    u,
                    Urc::QsslopenResult(QsslopenResult {
                        client_id: 4,
                        err: SslError::OperationSuccessful,
                    })
                );
                assert!(open.is_result(&u));

                let Request::QsslstateExec(state) = request("AT+QSSLSTATE") else {
                    panic!("not the QSSLSTATE execute form");
                };
                let resp = QsslstateExec::parse_response(state_block).expect(decodes);
                let lines: Vec<_> = resp.ssl_client.clone().collect();
                assert_eq!(
                    lines,
                    [QsslstateExecSslClient {
                        client_id: 4,
                        ip_address: "220.180.239.212",
                        remote_port,
                        local_port,
                        socket_state: SocketState::Connected,
                        pdp_ctx_id: 1,
                        server_id: 4,
                        access_mode,
                        at_port: "usbmodem",
                        ssl_ctx_id: 1,
                    }]
                );
                assert_eq!(fin("OK"), FinalCode::Ok);
                state
            }

            pub fn send_variable_length_data_3_3_2_1() {
                let Request::Qsslsend(r) = request("AT+QSSLSEND=4") else {
                    panic!("not the variable-length QSSLSEND");
                };
                assert_eq!(r, Qsslsend { client_id: 4 });
                writes_back(&r, "AT+QSSLSEND=4");
                let phase = r.data_phase().expect("QSSLSEND has a data phase");
                assert_eq!(phase.end, DataEnd::CtrlZ);
                assert_eq!(phase.max_len, Some(1460));
                assert!(b"Test data from SSL".len() <= 1460);
                assert_eq!(Qsslsend::parse_response(b""), Ok(()));
                assert_eq!(fin("SEND OK"), FinalCode::SendOk);
            }

            pub fn send_fixed_length_data_3_3_2_2() {
                let Request::QsslsendFixedLength(r) = request("AT+QSSLSEND=4,18") else {
                    panic!("not the fixed-length QSSLSEND");
                };
                assert_eq!(
                    r,
                    QsslsendFixedLength {
                        client_id: 4,
                        sendlen: 18,
                    }
                );
                writes_back(&r, "AT+QSSLSEND=4,18");
                let phase = r.data_phase().expect("QSSLSEND has a data phase");
                assert_eq!(phase.end, DataEnd::Length(18));
                assert_eq!(b"Test data from SSL".len(), 18);
                assert_eq!(QsslsendFixedLength::parse_response(b""), Ok(()));
                assert_eq!(fin("SEND OK"), FinalCode::SendOk);
            }

            pub fn receive_in_buffer_mode_3_3_3() {
                assert_eq!(
                    urc(b"+QSSLURC: \"recv\",4"),
                    Urc::Recv(Recv { client_id: 4 })
                );
                let r = read_4_1500();
                writes_back(&r, "AT+QSSLRECV=4,1500");

                let resp = Qsslrecv::parse_response(b"+QSSLRECV: 18\r\nTest data from SSL\r\n")
                    .expect("the 18-byte read decodes");
                assert_eq!(
                    resp,
                    QsslrecvResponse {
                        have_readlen: 18,
                        data: b"Test data from SSL",
                    }
                );
                assert_eq!(fin("OK"), FinalCode::Ok);
            }

            /// `AT+QSSLRECV=4,1500`, the read of 3.3.3.
            fn read_4_1500() -> Qsslrecv {
                let Request::Qsslrecv(r) = request("AT+QSSLRECV=4,1500") else {
                    panic!("not a QSSLRECV write");
                };
                assert_eq!(
                    r,
                    Qsslrecv {
                        client_id: 4,
                        readlen: 1500,
                    }
                );
                r
            }

            pub fn second_read_of_an_empty_buffer_3_3_3() {
                read_4_1500();
                let empty =
                    Qsslrecv::parse_response(b"+QSSLRECV: 0\r\n").expect("the empty read decodes");
                assert_eq!(
                    empty,
                    QsslrecvResponse {
                        have_readlen: 0,
                        data: b"",
                    }
                );
                assert_eq!(fin("OK"), FinalCode::Ok);
            }

            pub fn close_waits_up_to_the_default_10_s_3_3_4() {
                let r = close_4();
                writes_back(&r, "AT+QSSLCLOSE=4");
                // "Depending on the network, the maximum response time is 10 s":
                // <close_timeout> defaults to 10, in seconds while <close_time_mode>=0,
                // and the wait adds the examples' 10 s beyond it (a close with
                // <close_timeout>=0 still has time to answer).
                assert_eq!(r.max_response().total_ms(|_| None), 20_000);
                assert_eq!(Qsslclose::parse_response(b""), Ok(()));
                assert_eq!(fin("OK"), FinalCode::Ok);
            }

            /// `AT+QSSLCLOSE=4`, the close of 3.3.4, 3.4.4 and 3.5.3.
            fn close_4() -> Qsslclose {
                let Request::Qsslclose(r) = request("AT+QSSLCLOSE=4") else {
                    panic!("not a QSSLCLOSE write");
                };
                assert_eq!(
                    r,
                    Qsslclose {
                        client_id: 4,
                        close_timeout: None,
                    }
                );
                r
            }

            // ------------------------------------------------------------ 3.4 direct push mode

            pub fn open_in_direct_push_mode_3_4_1() {
                let open = open_4(
                    "AT+QSSLOPEN=1,1,4,\"220.180.239.212\",8011,1",
                    8011,
                    AccessMode::DirectPush,
                );
                writes_back(&open, "AT+QSSLOPEN=1,1,4,\"220.180.239.212\",8011,1");
                assert!(!open.connects());
                assert_eq!(fin("OK"), FinalCode::Ok);
                opened_then_state_lists_the_socket(
                    &open,
                    b"+QSSLSTATE: 4,\"SSLClient\",\"220.180.239.212\",8011,65047,2,1,4,1,\"usbmodem\",1\r\n",
                    "the 3.4.1 QSSLSTATE list decodes",
                    (8011, 65047, AccessMode::DirectPush),
                );
            }

            pub fn send_in_direct_push_mode_3_4_2() {
                let Request::Qsslsend(r) = request("AT+QSSLSEND=4") else {
                    panic!("not the variable-length QSSLSEND");
                };
                assert_eq!(r, Qsslsend { client_id: 4 });
                assert_eq!(r.data_phase().map(|d| d.end), Some(DataEnd::CtrlZ));
                assert_eq!(fin("SEND OK"), FinalCode::SendOk);

                let Request::QsslsendFixedLength(r) = request("AT+QSSLSEND=4,18") else {
                    panic!("not the fixed-length QSSLSEND");
                };
                assert_eq!(
                    r,
                    QsslsendFixedLength {
                        client_id: 4,
                        sendlen: 18,
                    }
                );
                assert_eq!(r.data_phase().map(|d| d.end), Some(DataEnd::Length(18)));
                assert_eq!(fin("SEND OK"), FinalCode::SendOk);
            }

            pub fn direct_push_urc_carries_18_bytes_3_4_3() {
                let frame: &[u8] = b"+QSSLURC: \"recv\",4,18\r\nTest data from SSL";
                assert_eq!(
                    urc(frame),
                    Urc::RecvPush(RecvPush {
                        client_id: 4,
                        current_recvlength: 18,
                        data: b"Test data from SSL",
                    })
                );
                // Framing finds the payload after the header line, so it is never read as
                // lines.
                assert_eq!(
                    $family::probe_payload(frame, false),
                    atgen_runtime::PayloadProbe::Payload {
                        start: 23,
                        len: 18,
                        trailer: b"",
                    }
                );
                let mut out = Vec::new();
                urc(frame).write_to(&mut out).unwrap();
                assert_eq!(out, b"+QSSLURC: \"recv\",4,18\r\nTest data from SSL\r\n");
            }

            pub fn close_in_direct_push_mode_3_4_4() {
                let r = close_4();
                assert_eq!(r.max_response().total_ms(|_| None), 20_000);
                assert_eq!(fin("OK"), FinalCode::Ok);
            }

            // ------------------------------------------------------------ 3.5 transparent mode

            pub fn open_in_transparent_mode_3_5_1() {
                let open = open_4(
                    "AT+QSSLOPEN=1,1,4,\"220.180.239.212\",8011,2",
                    8011,
                    AccessMode::Transparent,
                );
                assert!(open.connects());
                assert!(!open.expects_result_urc());
                assert_eq!(fin("CONNECT"), FinalCode::Connect { rate: None });
                // After +++ the module answers OK; NO CARRIER reports that the server stopped.
                assert_eq!(fin("OK"), FinalCode::Ok);
                assert_eq!(fin("NO CARRIER"), FinalCode::NoCarrier);
                assert!(FinalCode::NoCarrier.is_error());
            }

            pub fn open_in_transparent_mode_to_receive_3_5_2() {
                let Request::Qsslopen(open) =
                    request("AT+QSSLOPEN=1,1,4,\"220.180.239.212\",8011,2")
                else {
                    panic!("not a QSSLOPEN write");
                };
                assert_eq!(open.access_mode, Some(AccessMode::Transparent));
                assert_eq!(
                    (open.pdp_ctx_id, open.ssl_ctx_id, open.client_id),
                    (1, 1, 4)
                );
                assert_eq!(
                    (open.serveraddr, open.server_port),
                    ("220.180.239.212", 8011)
                );
                assert!(open.connects());
                assert_eq!(fin("CONNECT"), FinalCode::Connect { rate: None });
                assert_eq!(fin("OK"), FinalCode::Ok);
                assert_eq!(fin("NO CARRIER"), FinalCode::NoCarrier);
            }

            pub fn close_after_transparent_mode_3_5_3() {
                let r = close_4();
                writes_back(&r, "AT+QSSLCLOSE=4");
                assert_eq!(fin("OK"), FinalCode::Ok);
            }

            // ------------------------------------------------------------ 2.3 URCs, 5 error table

            pub fn closed_urc_names_the_socket_2_3_2() {
                assert_eq!(
                    urc(b"+QSSLURC: \"closed\",4"),
                    Urc::Closed(Closed { client_id: 4 })
                );
            }

            /// Every `(code, variant, meaning)` of the family's error table, and no other code.
            pub fn error_table_decodes_every_code_5(table: &[(i64, SslError, &str)]) {
                assert_eq!(table.len(), SslError::ALL.len());
                for &(code, variant, meaning) in table {
                    assert_eq!(SslError::from_value(code), Some(variant));
                    assert_eq!(variant.value(), code);
                    assert_eq!(variant.description(), meaning);
                    assert_eq!(variant.to_string(), format!("{code}: {meaning}"));
                }
            }

            pub fn failed_open_reports_its_code_5() {
                // A failed open reports the code in its result URC.
                assert_eq!(
                    urc(b"+QSSLOPEN: 4,565"),
                    Urc::QsslopenResult(QsslopenResult {
                        client_id: 4,
                        err: SslError::DnsParseFailed,
                    })
                );
                assert_eq!(
                    fin("+CME ERROR: 565"),
                    FinalCode::CmeError(atgen_runtime::CmeCode::Numeric(565))
                );
            }

            pub fn family_explains_error_codes_and_failed_result_urcs_5() {
                // `Family::describe_error` / `Family::urc_error` are what the link uses to
                // explain a failure.
                for &code in SslError::ALL.iter().filter(|&&c| c != 0) {
                    assert_eq!(
                        $family::describe_error(code),
                        SslError::from_value(code).map(SslError::description),
                        "{code}"
                    );
                }
                assert_eq!($family::describe_error(565), Some("DNS parse failed"));
                let failed = urc(b"+QSSLOPEN: 4,565");
                assert_eq!($family::urc_error(&failed), Some(565));
                let opened = urc(b"+QSSLOPEN: 4,0");
                assert_eq!($family::urc_error(&opened), None);
            }

            // ------------------------------------------------------------ parameter tables

            /// The out-of-range values the two manuals' parameter tables share (all but
            /// `<PDP_ctxID>`): each is refused with the message, plus ` (<family id>)`.
            pub fn out_of_range_values_are_refused_2_2() {
                // The values' meanings are each manual's own words.
                let by_family = |ec2x: &'static str, ec200x: &'static str| {
                    if FAMILY == "quectel-ec2x" {
                        ec2x
                    } else {
                        ec200x
                    }
                };
                let cases: &[(&str, &str)] = &[
                    // 2.2.2 QSSLOPEN: <SSL_ctxID> 0-5, <clientID> 0-11, <access_mode> 0/1/2.
                    (
                        "AT+QSSLOPEN=1,6,4,\"220.180.239.212\",8010,0",
                        "QSSLOPEN <SSL_ctxID>=6 is out of range 0..=5",
                    ),
                    (
                        "AT+QSSLOPEN=1,1,12,\"220.180.239.212\",8010,0",
                        "QSSLOPEN <clientID>=12 is out of range 0..=11",
                    ),
                    (
                        "AT+QSSLOPEN=1,1,4,\"220.180.239.212\",8010,3",
                        by_family("QSSLOPEN <access_mode>=3 is not an allowed value; allowed: 0 (Buffer access mode), 1 (Direct push mode), 2 (Transparent mode (2.2.6: Transparent access mode))", "QSSLOPEN <access_mode>=3 is not an allowed value; allowed: 0 (Buffer access mode), 1 (Direct push mode), 2 (Transparent access mode)"),
                    ),
                    // 2.2.3 QSSLSEND: <clientID> 0-11, <sendlen> 1-1460.
                    (
                        "AT+QSSLSEND=12",
                        "QSSLSEND <clientID>=12 is out of range 0..=11",
                    ),
                    (
                        "AT+QSSLSEND=4,0",
                        "QSSLSEND <sendlen>=0 is out of range 1..=1460",
                    ),
                    (
                        "AT+QSSLSEND=4,1461",
                        "QSSLSEND <sendlen>=1461 is out of range 1..=1460",
                    ),
                    // 2.2.4 QSSLRECV: <readlen> 1-1500.
                    (
                        "AT+QSSLRECV=4,0",
                        "QSSLRECV <readlen>=0 is out of range 1..=1500",
                    ),
                    (
                        "AT+QSSLRECV=4,1501",
                        "QSSLRECV <readlen>=1501 is out of range 1..=1500",
                    ),
                    // 2.2.5 QSSLCLOSE: <close_timeout> 0-65535.
                    (
                        "AT+QSSLCLOSE=4,65536",
                        "QSSLCLOSE <close_timeout>=65536 is out of range 0..=65535",
                    ),
                    (
                        "AT+QSSLCLOSE=12,10",
                        "QSSLCLOSE <clientID>=12 is out of range 0..=11",
                    ),
                    // 2.2.1 QSSLCFG sub-commands.
                    (
                        "AT+QSSLCFG=\"sslversion\",6,1",
                        "QSSLCFG <SSL_ctxID>=6 is out of range 0..=5",
                    ),
                    (
                        "AT+QSSLCFG=\"sslversion\",1,5",
                        by_family("QSSLCFG <SSL_version>=5 is not an allowed value; allowed: 0 (SSL3.0), 1 (TLS1.0), 2 (TLS1.1), 3 (TLS1.2), 4 (All)", "QSSLCFG <SSL_version>=5 is not an allowed value; allowed: 0 (SSL 3.0), 1 (TLS 1.0), 2 (TLS 1.1), 3 (TLS 1.2), 4 (All)"),
                    ),
                    (
                        "AT+QSSLCFG=\"seclevel\",1,3",
                        "QSSLCFG <seclevel>=3 is not an allowed value; allowed: 0 (No authentication), 1 (Perform server authentication), 2 (Perform server and client authentication if requested by the remote server)",
                    ),
                    (
                        "AT+QSSLCFG=\"negotiatetime\",1,9",
                        "QSSLCFG <negotiate_time>=9 is out of range 10..=300",
                    ),
                    (
                        "AT+QSSLCFG=\"negotiatetime\",1,301",
                        "QSSLCFG <negotiate_time>=301 is out of range 10..=300",
                    ),
                    (
                        "AT+QSSLCFG=\"ignorelocaltime\",1,2",
                        by_family("QSSLCFG <ignore_ltime>=2 is not an allowed value; allowed: 0 (Care about validity check for certification), 1 (Ignore validity check for certification)", "QSSLCFG <ignore_ltime>=2 is not an allowed value; allowed: 0 (Do not ignore), 1 (Ignore)"),
                    ),
                    (
                        "AT+QSSLCFG=\"sni\",1,2",
                        "QSSLCFG <SNI>=2 is not an allowed value; allowed: 0 (Disable), 1 (Enable)",
                    ),
                    (
                        "AT+QSSLCFG=\"closetimemode\",1,2",
                        by_family("QSSLCFG <close_time_mode>=2 is not an allowed value; allowed: 0 (Disable, and the unit of SSL close linger time is s.), 1 (Enable, and the unit of SSL close linger time is ms.)", "QSSLCFG <close_time_mode>=2 is not an allowed value; allowed: 0 (Disabled; the close delay (<close_timeout>) is in seconds), 1 (Enabled; the SSL close delay (<close_timeout>) is in milliseconds)"),
                    ),
                ];
                let cases: Vec<(&str, String)> = cases
                    .iter()
                    .map(|&(line, message)| (line, format!("{message} ({FAMILY})")))
                    .collect();
                refuses_all(&cases);

                // A cipher suite that is not in Table 3 is refused with the table's
                // codes, written in hex as the table writes them, with their names.
                let e = refused("AT+QSSLCFG=\"ciphersuite\",1,0X0001");
                assert_eq!(e.param, "cipher_suites");
                assert!(
                    e.to_string().starts_with(
                        "QSSLCFG <cipher_suites>=0X0001 is not an allowed value; allowed: 0X0035 (TLS_RSA_WITH_AES_256_CBC_SHA), 0X002F (TLS_RSA_WITH_AES_128_CBC_SHA),"
                    ),
                    "{e}"
                );
            }
        }
    };
}
pub(crate) use quectel_lte_ssl_dialogs;

//! Every example dialog of the EC2x & EG9x & EG2x-G & EM05 SSL application note V1.1
//! (shared/seeds/003_cdf083edd79aa32b.txt, chapter 3 "Examples"), decoded and asserted
//! field by field with the generated `atgen::quectel_ec2x` API, plus the manual's error
//! table and the out-of-range values of its parameter tables.
//!
//! The `//` comments of the examples are OCR-damaged in the manual (`/I`, `/[`, `//I`);
//! they are dropped. Every command line is checked three ways: `Request::parse` gives the
//! expected typed request (all fields), the typed request writes the same line back, and
//! the `Request` enum writes it back too.
//!
//! The EC200x manual prints the same chapter 3: the dialogs are in
//! `examples_common/quectel_lte.rs` (`lte::…`), run here for EC2x; what is EC2x's own
//! (errata, texts, ranges) is here.

mod examples_common;

use atgen::quectel_ec2x::*;
use examples_common::{family_helpers, quectel_lte::quectel_lte_ssl_dialogs};

family_helpers!(QuectelEc2x, "quectel-ec2x");
quectel_lte_ssl_dialogs!(quectel_ec2x, QuectelEc2x);

// ---------------------------------------------------------------- 3.1

#[test]
fn ec2x_3_1_pdp_context_commands_are_not_ssl_commands_and_end_with_ok() {
    lte::pdp_context_commands_are_not_ssl_commands_3_1();
}

// ---------------------------------------------------------------- 3.2

#[test]
fn ec2x_3_2_configure_ssl_context_sets_version_cipher_seclevel_and_cacert() {
    lte::configure_ssl_context_3_2(
        "TLS1.0",
        "AT+QSSLCFG=\"cacert\",1,\"RAM:cacert.pem\"",
        "RAM:cacert.pem",
    );
}

// ---------------------------------------------------------------- 3.3 buffer access mode

#[test]
fn ec2x_3_3_1_open_in_buffer_mode_answers_ok_then_result_urc_and_state_lists_the_socket() {
    lte::open_in_buffer_mode_3_3_1();
}

#[test]
fn ec2x_3_3_2_1_send_variable_length_data_ends_with_ctrl_z_and_send_ok() {
    lte::send_variable_length_data_3_3_2_1();
}

#[test]
fn ec2x_3_3_2_2_send_fixed_length_data_of_18_bytes_answers_send_ok() {
    lte::send_fixed_length_data_3_3_2_2();
}

#[test]
fn ec2x_3_3_3_receive_in_buffer_mode_recv_urc_then_read_of_18_bytes() {
    // Erratum 3.3.3 (spec): the manual prints `+QSSLURC: "recv" 4` without the comma;
    // 2.3.1 and 1.3 define `+QSSLURC: "recv",<clientID>`.
    lte::receive_in_buffer_mode_3_3_3();
}

#[test]
fn ec2x_3_3_3_second_read_of_an_empty_buffer_is_qsslrecv_0_with_no_data() {
    // The second read of example 3.3.3: "+QSSLRECV: 0  //No data in buffer." The spec models
    // it as the payload line with <have_readlen>=0 and no data, as for EC200x and UGxx.
    lte::second_read_of_an_empty_buffer_3_3_3();
}

#[test]
fn ec2x_3_3_4_close_waits_up_to_the_default_10_s_and_answers_ok() {
    lte::close_waits_up_to_the_default_10_s_3_3_4();
}

// ---------------------------------------------------------------- 3.4 direct push mode

#[test]
fn ec2x_3_4_1_open_in_direct_push_mode_answers_ok_then_result_urc_and_state() {
    lte::open_in_direct_push_mode_3_4_1();
}

#[test]
fn ec2x_3_4_2_send_in_direct_push_mode_variable_then_fixed_length() {
    lte::send_in_direct_push_mode_3_4_2();
}

#[test]
fn ec2x_3_4_3_direct_push_urc_carries_18_bytes_of_payload() {
    lte::direct_push_urc_carries_18_bytes_3_4_3();
}

#[test]
fn ec2x_3_4_4_close_in_direct_push_mode_answers_ok() {
    lte::close_in_direct_push_mode_3_4_4();
}

// ---------------------------------------------------------------- 3.5 transparent mode

#[test]
fn ec2x_3_5_1_open_in_transparent_mode_answers_connect_then_no_carrier_and_ok() {
    lte::open_in_transparent_mode_3_5_1();
}

#[test]
fn ec2x_3_5_2_open_in_transparent_mode_to_receive_answers_connect() {
    lte::open_in_transparent_mode_to_receive_3_5_2();
}

#[test]
fn ec2x_3_5_3_close_after_transparent_mode_answers_ok() {
    lte::close_after_transparent_mode_3_5_3();
}

// ---------------------------------------------------------------- 2.3 URCs, 5 error table

#[test]
fn ec2x_2_3_2_closed_urc_names_the_socket() {
    lte::closed_urc_names_the_socket_2_3_2();
}

#[test]
fn ec2x_5_error_table_decodes_every_code_with_its_meaning() {
    lte::error_table_decodes_every_code_5(&[
        (0, SslError::OperationSuccessful, "Operation successful"),
        (550, SslError::UnknownError, "Unknown error"),
        (551, SslError::OperationBlocked, "Operation blocked"),
        (552, SslError::InvalidParameter, "Invalid parameter"),
        (553, SslError::MemoryNotEnough, "Memory not enough"),
        (554, SslError::CreateSocketFailed, "Create socket failed"),
        (
            555,
            SslError::OperationNotSupported,
            "Operation not supported",
        ),
        (556, SslError::SocketBindFailed, "Socket bind failed"),
        (557, SslError::SocketListenFailed, "Socket listen failed"),
        (558, SslError::SocketWriteFailed, "Socket write failed"),
        (559, SslError::SocketReadFailed, "Socket read failed"),
        (560, SslError::SocketAcceptFailed, "Socket accept failed"),
        (
            561,
            SslError::OpenPdpContextFailed,
            "Open PDP context failed",
        ),
        (
            562,
            SslError::ClosePdpContextFailed,
            "Close PDP context failed",
        ),
        (
            563,
            SslError::SocketIdentityHasBeenUsed,
            "Socket identity has been used",
        ),
        (564, SslError::DnsBusy, "DNS busy"),
        // Erratum 5 (spec): the manual prints the meanings from "DNS parse failed" on
        // without their codes; they continue 565..574.
        (565, SslError::DnsParseFailed, "DNS parse failed"),
        (
            566,
            SslError::SocketConnectionFailed,
            "Socket connection failed",
        ),
        (567, SslError::SocketHasBeenClosed, "Socket has been closed"),
        (568, SslError::OperationBusy, "Operation busy"),
        (569, SslError::OperationTimeout, "Operation timeout"),
        (570, SslError::PdpContextBreakDown, "PDP context break down"),
        (571, SslError::CancelSend, "Cancel send"),
        (572, SslError::OperationNotAllowed, "Operation not allowed"),
        (573, SslError::ApnNotConfigured, "APN not configured"),
        (574, SslError::PortBusy, "Port busy"),
    ]);
    assert_eq!(
        SslError::DnsParseFailed.description_zh(),
        Some("DNS解析失败")
    );
    lte::failed_open_reports_its_code_5();
}

#[test]
fn ec2x_5_family_explains_error_codes_and_failed_result_urcs() {
    // The family declares `errors = ["quectel-lte-ssl-errors"]` (Table 5).
    lte::family_explains_error_codes_and_failed_result_urcs_5();
}

// ---------------------------------------------------------------- parameter tables

#[test]
fn ec2x_2_2_out_of_range_values_are_refused_naming_the_parameter_and_range() {
    refuses_all(&[
        // 2.2.2 QSSLOPEN: <PDP_ctxID> 1-16.
        (
            "AT+QSSLOPEN=0,1,4,\"220.180.239.212\",8010,0",
            "QSSLOPEN <PDP_ctxID>=0 is out of range 1..=16 (quectel-ec2x)",
        ),
        (
            "AT+QSSLOPEN=17,1,4,\"220.180.239.212\",8010,0",
            "QSSLOPEN <PDP_ctxID>=17 is out of range 1..=16 (quectel-ec2x)",
        ),
        // 2.2.1 QSSLCFG "dtlsversion" (not in the EC200x manual).
        (
            "AT+QSSLCFG=\"dtlsversion\",1,2",
            "QSSLCFG <DTLS_ver>=2 is not an allowed value; allowed: 0 (DTLSv1), 1 (DTLSv1.2) (quectel-ec2x)",
        ),
    ]);
    lte::out_of_range_values_are_refused_2_2();
}

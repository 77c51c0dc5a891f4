//! Every example dialog of the EC200x & EC600x & EG912Y SSL 应用指导
//! (shared/seeds/000_267dfed5018dce7f.txt, chapter 3 "举例"; the command sections of
//! chapter 2 have no examples of their own), decoded and asserted field by field with the
//! generated `atgen::quectel_ec200x` API, plus the manual's result-code table (表 5) and the
//! out-of-range values of its parameter tables.
//!
//! The `//` comments of the examples are dropped. Every command line is checked three ways: `Request::parse` gives the
//! expected typed request (all fields), the typed request writes the same line back, and
//! the `Request` enum writes it back too.
//!
//! The EC2x manual prints the same chapter 3: the dialogs are in
//! `examples_common/quectel_lte.rs` (`lte::…`), run here for EC200x; what is EC200x's own
//! (errata, texts, ranges, the Chinese descriptions of 表 5) is here.

mod examples_common;

use atgen::quectel_ec200x::*;
use examples_common::{family_helpers, quectel_lte::quectel_lte_ssl_dialogs};

family_helpers!(QuectelEc200x, "quectel-ec200x");
quectel_lte_ssl_dialogs!(quectel_ec200x, QuectelEc200x);

// ---------------------------------------------------------------- 3.1

#[test]
fn ec200x_3_1_pdp_context_commands_are_not_ssl_commands_and_end_with_ok() {
    lte::pdp_context_commands_are_not_ssl_commands_3_1();
}

// ---------------------------------------------------------------- 3.2

#[test]
fn ec200x_3_2_configure_ssl_context_sets_version_cipher_seclevel_and_cacert() {
    lte::configure_ssl_context_3_2(
        "TLS 1.0",
        "AT+QSSLCFG=\"cacert\",1,\"UFS:cacert.pem\"",
        "UFS:cacert.pem",
    );
}

// ---------------------------------------------------------------- 3.3 buffer access mode

#[test]
fn ec200x_3_3_1_open_in_buffer_mode_answers_ok_then_result_urc_and_state_lists_the_socket() {
    lte::open_in_buffer_mode_3_3_1();
}

#[test]
fn ec200x_3_3_2_1_send_variable_length_data_ends_with_ctrl_z_and_send_ok() {
    lte::send_variable_length_data_3_3_2_1();
}

#[test]
fn ec200x_3_3_2_2_send_fixed_length_data_of_18_bytes_answers_send_ok() {
    lte::send_fixed_length_data_3_3_2_2();
}

#[test]
fn ec200x_3_3_3_receive_in_buffer_mode_recv_urc_then_read_of_18_bytes() {
    // Socket 4 (<clientID> = 4) has received data.
    lte::receive_in_buffer_mode_3_3_3();
}

#[test]
fn ec200x_3_3_3_second_read_of_an_empty_buffer_gives_have_readlen_0() {
    // The second read of example 3.3.3: "+QSSLRECV: 0  //缓冲区无数据。" The spec models it
    // as the one response line with <have_readlen>=0 and no <data>.
    lte::second_read_of_an_empty_buffer_3_3_3();
}

#[test]
fn ec200x_3_3_4_close_waits_up_to_the_default_10_s_and_answers_ok() {
    lte::close_waits_up_to_the_default_10_s_3_3_4();
}

// ---------------------------------------------------------------- 3.4 direct push mode

#[test]
fn ec200x_3_4_1_open_in_direct_push_mode_answers_ok_then_result_urc_and_state() {
    // Erratum 3.4.1 (spec): the manual writes `AT+QSSLOPEN= 1,1,4,...` with a space after
    // "="; the syntax table and example 3.3.1 have none, and so does the spec.
    lte::open_in_direct_push_mode_3_4_1();
}

#[test]
fn ec200x_3_4_2_send_in_direct_push_mode_variable_then_fixed_length() {
    lte::send_in_direct_push_mode_3_4_2();
}

#[test]
fn ec200x_3_4_3_direct_push_urc_carries_18_bytes_of_payload() {
    lte::direct_push_urc_carries_18_bytes_3_4_3();
}

#[test]
fn ec200x_3_4_4_close_in_direct_push_mode_answers_ok() {
    lte::close_in_direct_push_mode_3_4_4();
}

// ---------------------------------------------------------------- 3.5 transparent mode

#[test]
fn ec200x_3_5_1_open_in_transparent_mode_answers_connect_then_no_carrier_and_ok() {
    // Erratum 3.4.1 (spec) also covers 3.5.1: `AT+QSSLOPEN= 1,...` loses its space.
    lte::open_in_transparent_mode_3_5_1();
}

#[test]
fn ec200x_3_5_2_open_in_transparent_mode_to_receive_answers_connect() {
    // Erratum 3.4.1 (spec) also covers 3.5.2: `AT+QSSLOPEN= 1,...` loses its space.
    lte::open_in_transparent_mode_to_receive_3_5_2();
}

#[test]
fn ec200x_3_5_3_close_after_transparent_mode_answers_ok() {
    lte::close_after_transparent_mode_3_5_3();
}

// ---------------------------------------------------------------- 2.3 URCs, 5 error table

#[test]
fn ec200x_2_3_2_closed_urc_names_the_socket() {
    lte::closed_urc_names_the_socket_2_3_2();
}

#[test]
fn ec200x_5_error_table_decodes_every_code_with_its_meaning() {
    // 表 5: <err>, 结果码, 描述.
    let table: &[(i64, SslError, &str, &str)] = &[
        (
            0,
            SslError::OperationSuccessful,
            "Operation successful",
            "操作成功",
        ),
        (550, SslError::UnknownError, "Unknown error", "未知错误"),
        (
            551,
            SslError::OperationBlocked,
            "Operation blocked",
            "操作被阻止",
        ),
        (
            552,
            SslError::InvalidParameter,
            "Invalid parameter",
            "无效参数",
        ),
        (
            553,
            SslError::MemoryNotEnough,
            "Memory not enough",
            "内存不足",
        ),
        (
            554,
            SslError::CreateSocketFailed,
            "Create socket failed",
            "创建Socket失败",
        ),
        (
            555,
            SslError::OperationNotSupported,
            "Operation not supported",
            "不支持该操作",
        ),
        (
            556,
            SslError::SocketBindFailed,
            "Socket bind failed",
            "Socket绑定失败",
        ),
        (
            557,
            SslError::SocketListenFailed,
            "Socket listen failed",
            "Socket监听失败",
        ),
        (
            558,
            SslError::SocketWriteFailed,
            "Socket write failed",
            "Socket写入失败",
        ),
        (
            559,
            SslError::SocketReadFailed,
            "Socket read failed",
            "Socket读取失败",
        ),
        (
            560,
            SslError::SocketAcceptFailed,
            "Socket accept failed",
            "Socket接受失败",
        ),
        (
            561,
            SslError::OpenPdpContextFailed,
            "Open PDP context failed",
            "打开PDP上下文失败",
        ),
        (
            562,
            SslError::ClosePdpContextFailed,
            "Close PDP context failed",
            "关闭PDP上下文失败",
        ),
        (
            563,
            SslError::SocketIdentityHasBeenUsed,
            "Socket identity has been used",
            "Socket标识已被使用",
        ),
        (564, SslError::DnsBusy, "DNS busy", "DNS业务繁忙"),
        (
            565,
            SslError::DnsParseFailed,
            "DNS parse failed",
            "DNS解析失败",
        ),
        (
            566,
            SslError::SocketConnectionFailed,
            "Socket connection failed",
            "Socket连接失败",
        ),
        (
            567,
            SslError::SocketHasBeenClosed,
            "Socket has been closed",
            "Socket已关闭",
        ),
        (568, SslError::OperationBusy, "Operation busy", "操作繁忙"),
        (
            569,
            SslError::OperationTimeout,
            "Operation timeout",
            "操作超时",
        ),
        (
            570,
            SslError::PdpContextBreakDown,
            "PDP context break down",
            "PDP上下文崩溃",
        ),
        (571, SslError::CancelSend, "Cancel send", "取消发送"),
        (
            572,
            SslError::OperationNotAllowed,
            "Operation not allowed",
            "不允许操作",
        ),
        (
            573,
            SslError::ApnNotConfigured,
            "APN not configured",
            "未配置APN",
        ),
        (574, SslError::PortBusy, "Port busy", "端口繁忙"),
    ];
    let english: Vec<_> = table
        .iter()
        .map(|&(code, variant, meaning, _)| (code, variant, meaning))
        .collect();
    lte::error_table_decodes_every_code_5(&english);
    for &(_, variant, _, zh) in table {
        assert_eq!(variant.description_zh(), Some(zh));
    }
    lte::failed_open_reports_its_code_5();
}

#[test]
fn ec200x_5_family_explains_error_codes_and_failed_result_urcs() {
    // The family declares `errors = ["quectel-lte-ssl-errors"]` (表 5).
    lte::family_explains_error_codes_and_failed_result_urcs_5();
}

// ---------------------------------------------------------------- parameter tables

#[test]
fn ec200x_2_2_out_of_range_values_are_refused_naming_the_parameter_and_range() {
    refuses_all(&[
        // 2.2.2 QSSLOPEN: <PDP_ctxID> 1-15.
        (
            "AT+QSSLOPEN=0,1,4,\"220.180.239.212\",8010,0",
            "QSSLOPEN <PDP_ctxID>=0 is out of range 1..=15 (quectel-ec200x)",
        ),
        (
            "AT+QSSLOPEN=16,1,4,\"220.180.239.212\",8010,0",
            "QSSLOPEN <PDP_ctxID>=16 is out of range 1..=15 (quectel-ec200x)",
        ),
    ]);
    lte::out_of_range_values_are_refused_2_2();
}

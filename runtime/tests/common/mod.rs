//! Hand-written stand-ins for generated family modules: the real templates of
//! EC2x QSSLOPEN/QSSLSEND/QSSLRECV/QSSLCLOSE/QSSLCFG, BC26 QSSLSEND and certificate
//! upload, ML302 QSECWRITE/QSSLRECV/QSSLCLOSE, and their URCs.
#![allow(dead_code)]

use atgen_runtime::request::ChecksumKind;
use atgen_runtime::wire::{put_int, put_str, Cursor};
use atgen_runtime::{
    AtRequest, ByteSink, DataEnd, DataPhase, Family, FormKind, MaxResponse, Overflow, ParseError,
    Payload, PayloadProbe, PlusParam, Problem, ValidationError, Value, When,
};

fn digits(buf: &[u8]) -> usize {
    buf.iter().take_while(|b| b.is_ascii_digit()).count()
}

fn number(buf: &[u8]) -> Option<usize> {
    std::str::from_utf8(buf).ok()?.parse().ok()
}

/// Matches `prefix` at the start of `buf`: `Some(true)` matched, `Some(false)` need more, `None` no.
fn starts(buf: &[u8], prefix: &[u8]) -> Option<bool> {
    let n = buf.len().min(prefix.len());
    (buf.get(..n) == prefix.get(..n)).then_some(n == prefix.len())
}

/// After `prefix`, fields `<a>,<b>,…,<len>` then `term`; the payload starts after `term`.
fn probe_fields(
    buf: &[u8],
    prefix: &[u8],
    fields: usize,
    term: &[u8],
    hex: bool,
    trailer: &'static [u8],
) -> PayloadProbe {
    match starts(buf, prefix) {
        None => return PayloadProbe::No,
        Some(false) => return PayloadProbe::Incomplete,
        Some(true) => {}
    }
    let mut at = prefix.len();
    let mut last = 0;
    for i in 0..fields {
        let rest = buf.get(at..).unwrap_or(&[]);
        let d = digits(rest);
        let sep: &[u8] = if i + 1 == fields { term } else { b"," };
        let Some(after) = rest.get(d..) else {
            return PayloadProbe::Incomplete;
        };
        if d == 0 && after.is_empty() {
            return PayloadProbe::Incomplete;
        }
        if d == 0 {
            return PayloadProbe::No;
        }
        match starts(after, sep) {
            None => return PayloadProbe::No,
            Some(false) => return PayloadProbe::Incomplete,
            Some(true) => {}
        }
        last = number(rest.get(..d).unwrap_or(&[])).unwrap_or(0);
        at += d + sep.len();
    }
    if last == 0 {
        return PayloadProbe::No;
    }
    PayloadProbe::Payload {
        start: at,
        len: if hex { last * 2 } else { last },
        trailer,
    }
}

// ---------------------------------------------------------------- EC2x

pub struct Ec2x;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ec2xUrc<'a> {
    Recv { id: i64 },
    RecvPush { id: i64, data: Payload<'a> },
    Closed { id: i64 },
    Open { id: i64, err: i64 },
}

fn ec2x_urc(frame: &[u8]) -> Option<Result<Ec2xUrc<'_>, ParseError>> {
    let f = "test-ec2x";
    if frame.starts_with(b"+QSSLURC: ") {
        let mut c = Cursor::new(f, "+QSSLURC", frame);
        let r = (|| {
            c.lit("+QSSLURC: ")?;
            if c.peek("\"recv\"") {
                c.lit("\"recv\",")?;
                let id = c.int("<clientID>")?;
                if c.rest().is_empty() {
                    return Ok(Ec2xUrc::Recv { id });
                }
                c.lit(",")?;
                let len = c.int("<currentrecvlength>")?;
                c.lit("\r\n")?;
                let data = c.take("<data>", usize::try_from(len).unwrap_or(0))?;
                c.end()?;
                Ok(Ec2xUrc::RecvPush {
                    id,
                    data: Payload::new(data, false),
                })
            } else {
                c.lit("\"closed\",")?;
                let id = c.int("<clientID>")?;
                c.end()?;
                Ok(Ec2xUrc::Closed { id })
            }
        })();
        return Some(r);
    }
    if frame.starts_with(b"+QSSLOPEN: ") {
        let mut c = Cursor::new(f, "+QSSLOPEN", frame);
        let r = (|| {
            c.lit("+QSSLOPEN: ")?;
            let id = c.int("<clientID>")?;
            c.lit(",")?;
            let err = c.int("<err>")?;
            c.end()?;
            Ok(Ec2xUrc::Open { id, err })
        })();
        return Some(r);
    }
    None
}

impl Family for Ec2x {
    const ID: &'static str = "test-ec2x";
    type Urc<'a> = Ec2xUrc<'a>;
    const URC_PREFIXES: &'static [&'static str] = &["+QSSLURC: ", "+QSSLOPEN: "];

    fn probe_payload(buf: &[u8], hex: bool) -> PayloadProbe {
        match probe_fields(buf, b"+QSSLRECV: ", 1, b"\r\n", hex, b"") {
            PayloadProbe::No => probe_fields(buf, b"+QSSLURC: \"recv\",", 2, b"\r\n", hex, b""),
            other => other,
        }
    }

    fn parse_urc(frame: &[u8], _hex: bool) -> Option<Result<Ec2xUrc<'_>, ParseError>> {
        ec2x_urc(frame)
    }

    fn describe_error(code: i64) -> Option<&'static str> {
        match code {
            550 => Some("Unknown error"),
            552 => Some("Invalid parameters"),
            _ => None,
        }
    }

    fn urc_error(urc: &Ec2xUrc<'_>) -> Option<i64> {
        match urc {
            Ec2xUrc::Open { err, .. } if *err != 0 => Some(*err),
            _ => None,
        }
    }
}

fn invalid(
    command: &'static str,
    param: &'static str,
    v: i64,
    min: i64,
    max: i64,
) -> ValidationError {
    ValidationError {
        family: "test-ec2x",
        command,
        param,
        value: Value::Int(v),
        problem: Problem::OutOfRange { min, max },
    }
}

/// `AT+QSSLOPEN=<pdpctxID>,<sslctxID>,<clientID>,"<serveraddr>",<server_port>[,<access_mode>]`
pub struct QsslOpen {
    pub client: i64,
    pub host: String,
    pub port: i64,
    pub access_mode: Option<i64>,
}

impl AtRequest for QsslOpen {
    type Family = Ec2x;
    const COMMAND: &'static str = "QSSLOPEN";
    const SUB: Option<&'static str> = None;
    const FORM: FormKind = FormKind::Write;
    const SECTION: &'static str = "2.2.2";
    type Response<'r> = ();

    fn validate_in(&self, _setting: &dyn Fn(&str) -> Option<i64>) -> Result<(), ValidationError> {
        if !(0..=11).contains(&self.client) {
            return Err(invalid("QSSLOPEN", "clientID", self.client, 0, 11));
        }
        atgen_runtime::wire::check_str(
            "test-ec2x",
            "QSSLOPEN",
            "serveraddr",
            &self.host,
            true,
            None,
        )
    }
    fn write_line<S: ByteSink + ?Sized>(&self, s: &mut S) -> Result<(), Overflow> {
        s.put(b"AT+QSSLOPEN=1,1,")?;
        put_int(s, self.client)?;
        s.put(b",")?;
        put_str(s, &self.host, true)?;
        s.put(b",")?;
        put_int(s, self.port)?;
        if let Some(m) = self.access_mode {
            s.put(b",")?;
            put_int(s, m)?;
        }
        s.put(b"\r")
    }
    fn max_response(&self) -> MaxResponse {
        MaxResponse {
            base_ms: 150_000,
            plus: Some(PlusParam {
                param: "negotiate_time",
                value: None,
                default: Some(300),
                unit_ms: 1000,
                unit_by: None,
            }),
            text: "150 s plus <negotiate_time>",
        }
    }
    fn connects(&self) -> bool {
        self.access_mode == Some(2)
    }
    fn expects_result_urc(&self) -> bool {
        true
    }
    fn is_result(&self, urc: &Ec2xUrc<'_>) -> bool {
        matches!(urc, Ec2xUrc::Open { id, .. } if *id == self.client)
    }
    fn parse_response(block: &[u8]) -> Result<(), ParseError> {
        Cursor::new("test-ec2x", "QSSLOPEN response", block).end()
    }
}

/// `AT+QSSLSEND=<clientID>[,<sendlen>]`
pub struct QsslSend {
    pub client: i64,
    pub len: Option<usize>,
}

impl AtRequest for QsslSend {
    type Family = Ec2x;
    const COMMAND: &'static str = "QSSLSEND";
    const SUB: Option<&'static str> = None;
    const FORM: FormKind = FormKind::Write;
    const SECTION: &'static str = "2.2.3";
    type Response<'r> = ();

    fn validate_in(&self, _setting: &dyn Fn(&str) -> Option<i64>) -> Result<(), ValidationError> {
        if !(0..=11).contains(&self.client) {
            return Err(invalid("QSSLSEND", "clientID", self.client, 0, 11));
        }
        Ok(())
    }
    fn write_line<S: ByteSink + ?Sized>(&self, s: &mut S) -> Result<(), Overflow> {
        s.put(b"AT+QSSLSEND=")?;
        put_int(s, self.client)?;
        if let Some(n) = self.len {
            s.put(b",")?;
            put_int(s, i64::try_from(n).unwrap_or(0))?;
        }
        s.put(b"\r")
    }
    fn max_response(&self) -> MaxResponse {
        MaxResponse {
            base_ms: 300,
            plus: None,
            text: "300 ms",
        }
    }
    fn data_phase(&self) -> Option<DataPhase> {
        Some(DataPhase {
            end: self.len.map_or(DataEnd::CtrlZ, DataEnd::Length),
            max_len: Some(1460),
            hex_when: None,
            checksum: None,
            prompt_wait_ms: 0,
            secret: false,
        })
    }
    fn parse_response(block: &[u8]) -> Result<(), ParseError> {
        Cursor::new("test-ec2x", "QSSLSEND response", block).end()
    }
}

/// `AT+QSSLRECV=<clientID>,<readlen>` → `+QSSLRECV: <have_readlen><CR><LF><data>`
pub struct QsslRecv {
    pub client: i64,
    pub len: i64,
}

impl AtRequest for QsslRecv {
    type Family = Ec2x;
    const COMMAND: &'static str = "QSSLRECV";
    const SUB: Option<&'static str> = None;
    const FORM: FormKind = FormKind::Write;
    const SECTION: &'static str = "2.2.4";
    type Response<'r> = Payload<'r>;

    fn validate_in(&self, _setting: &dyn Fn(&str) -> Option<i64>) -> Result<(), ValidationError> {
        if !(1..=1500).contains(&self.len) {
            return Err(invalid("QSSLRECV", "readlen", self.len, 1, 1500));
        }
        Ok(())
    }
    fn write_line<S: ByteSink + ?Sized>(&self, s: &mut S) -> Result<(), Overflow> {
        s.put(b"AT+QSSLRECV=")?;
        put_int(s, self.client)?;
        s.put(b",")?;
        put_int(s, self.len)?;
        s.put(b"\r")
    }
    fn max_response(&self) -> MaxResponse {
        MaxResponse {
            base_ms: 300,
            plus: None,
            text: "300 ms",
        }
    }
    fn parse_response(block: &[u8]) -> Result<Payload<'_>, ParseError> {
        let mut c = Cursor::new("test-ec2x", "+QSSLRECV response", block);
        c.lit("+QSSLRECV: ")?;
        let n = c.int("<have_readlen>")?;
        c.lit("\r\n")?;
        if n == 0 {
            c.end()?;
            return Ok(Payload::new(&[], false));
        }
        let data = c.take("<data>", usize::try_from(n).unwrap_or(0))?;
        c.eol()?;
        c.end()?;
        Ok(Payload::new(data, false))
    }
}

/// `AT+QSSLCLOSE=<clientID>[,<timeout>]`, timeout in s (or ms by `closetimemode`).
pub struct QsslClose {
    pub client: i64,
    pub timeout: Option<i64>,
}

impl AtRequest for QsslClose {
    type Family = Ec2x;
    const COMMAND: &'static str = "QSSLCLOSE";
    const SUB: Option<&'static str> = None;
    const FORM: FormKind = FormKind::Write;
    const SECTION: &'static str = "2.2.6";
    type Response<'r> = ();

    fn validate_in(&self, _setting: &dyn Fn(&str) -> Option<i64>) -> Result<(), ValidationError> {
        Ok(())
    }
    fn write_line<S: ByteSink + ?Sized>(&self, s: &mut S) -> Result<(), Overflow> {
        s.put(b"AT+QSSLCLOSE=")?;
        put_int(s, self.client)?;
        if let Some(t) = self.timeout {
            s.put(b",")?;
            put_int(s, t)?;
        }
        s.put(b"\r")
    }
    fn max_response(&self) -> MaxResponse {
        MaxResponse {
            base_ms: 0,
            plus: Some(PlusParam {
                param: "timeout",
                value: self.timeout,
                default: Some(10),
                unit_ms: 1000,
                unit_by: Some(("closetimemode", &[(0, 1000), (1, 1)])),
            }),
            text: "<timeout>",
        }
    }
    fn parse_response(block: &[u8]) -> Result<(), ParseError> {
        Cursor::new("test-ec2x", "QSSLCLOSE response", block).end()
    }
}

/// `AT+QSSLCFG="negotiatetime",<SSL_ctxID>,<negotiate_time>`
pub struct QsslCfgNegotiate {
    pub ctx: i64,
    pub secs: i64,
}

impl AtRequest for QsslCfgNegotiate {
    type Family = Ec2x;
    const COMMAND: &'static str = "QSSLCFG";
    const SUB: Option<&'static str> = Some("negotiatetime");
    const FORM: FormKind = FormKind::Write;
    const SECTION: &'static str = "2.2.1";
    type Response<'r> = ();

    fn validate_in(&self, _setting: &dyn Fn(&str) -> Option<i64>) -> Result<(), ValidationError> {
        if !(10..=300).contains(&self.secs) {
            return Err(invalid("QSSLCFG", "negotiate_time", self.secs, 10, 300));
        }
        Ok(())
    }
    fn write_line<S: ByteSink + ?Sized>(&self, s: &mut S) -> Result<(), Overflow> {
        s.put(b"AT+QSSLCFG=\"negotiatetime\",")?;
        put_int(s, self.ctx)?;
        s.put(b",")?;
        put_int(s, self.secs)?;
        s.put(b"\r")
    }
    fn max_response(&self) -> MaxResponse {
        MaxResponse {
            base_ms: 300,
            plus: None,
            text: "300 ms",
        }
    }
    fn settings(&self, record: &mut dyn FnMut(&'static str, i64)) {
        record("SSL_ctxID", self.ctx);
        record("negotiate_time", self.secs);
    }
    fn parse_response(block: &[u8]) -> Result<(), ParseError> {
        Cursor::new("test-ec2x", "QSSLCFG response", block).end()
    }
}

/// `AT+QSSLCFG="psk",<SSL_ctxID>,"<pskkey>","<pskidentity>"` with a secret key.
pub struct QsslCfgPsk {
    pub ctx: i64,
    pub key: String,
    pub identity: String,
}

impl AtRequest for QsslCfgPsk {
    type Family = Ec2x;
    const COMMAND: &'static str = "QSSLCFG";
    const SUB: Option<&'static str> = Some("psk");
    const FORM: FormKind = FormKind::Write;
    const SECTION: &'static str = "2.2.1";
    type Response<'r> = ();

    fn validate_in(&self, _setting: &dyn Fn(&str) -> Option<i64>) -> Result<(), ValidationError> {
        Ok(())
    }
    fn write_line<S: ByteSink + ?Sized>(&self, s: &mut S) -> Result<(), Overflow> {
        s.put(b"AT+QSSLCFG=\"psk\",")?;
        put_int(s, self.ctx)?;
        s.put(b",")?;
        put_str(s, &self.key, true)?;
        s.put(b",")?;
        put_str(s, &self.identity, true)?;
        s.put(b"\r")
    }
    fn max_response(&self) -> MaxResponse {
        MaxResponse {
            base_ms: 300,
            plus: None,
            text: "300 ms",
        }
    }
    fn secrets(&self, record: &mut dyn FnMut(&[u8])) {
        record(self.key.as_bytes());
    }
    fn parse_response(block: &[u8]) -> Result<(), ParseError> {
        Cursor::new("test-ec2x", "QSSLCFG response", block).end()
    }
}

/// `AT+QSSLCFG="sslversion",<SSL_ctxID>` (query) → `+QSSLCFG: "sslversion",<SSL_ctxID>,<SSL_version>`
pub struct QsslCfgSslVersionQuery {
    pub ctx: i64,
}

impl AtRequest for QsslCfgSslVersionQuery {
    type Family = Ec2x;
    const COMMAND: &'static str = "QSSLCFG";
    const SUB: Option<&'static str> = Some("sslversion");
    const FORM: FormKind = FormKind::Write;
    const SECTION: &'static str = "2.2.1";
    type Response<'r> = (i64, i64);

    fn validate_in(&self, _setting: &dyn Fn(&str) -> Option<i64>) -> Result<(), ValidationError> {
        Ok(())
    }
    fn write_line<S: ByteSink + ?Sized>(&self, s: &mut S) -> Result<(), Overflow> {
        s.put(b"AT+QSSLCFG=\"sslversion\",")?;
        put_int(s, self.ctx)?;
        s.put(b"\r")
    }
    fn max_response(&self) -> MaxResponse {
        MaxResponse {
            base_ms: 300,
            plus: None,
            text: "300 ms",
        }
    }
    fn parse_response(block: &[u8]) -> Result<(i64, i64), ParseError> {
        let mut c = Cursor::new("test-ec2x", "+QSSLCFG response", block);
        c.lit("+QSSLCFG: \"sslversion\",")?;
        let ctx = c.int("<SSL_ctxID>")?;
        c.lit(",")?;
        let v = c.int("<SSL_version>")?;
        c.eol()?;
        c.end()?;
        Ok((ctx, v))
    }
}

// ---------------------------------------------------------------- BC26

pub struct Bc26;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bc26Urc<'a> {
    Recv {
        ctx: i64,
        conn: i64,
        data: Payload<'a>,
    },
    Closed {
        ctx: i64,
        conn: i64,
    },
    Send {
        ctx: i64,
        conn: i64,
        err: i64,
    },
}

impl Family for Bc26 {
    const ID: &'static str = "test-bc26";
    type Urc<'a> = Bc26Urc<'a>;
    const URC_PREFIXES: &'static [&'static str] = &["+QSSLURC: ", "+QSSLSEND: "];
    const PAYLOAD_HEX_WHEN: Option<When> = Some(When {
        param: "recv_data_format",
        equals: 1,
    });

    fn probe_payload(buf: &[u8], hex: bool) -> PayloadProbe {
        probe_fields(buf, b"+QSSLURC: \"recv\",", 3, b",\"", hex, b"\"\r\n")
    }

    fn parse_urc(frame: &[u8], hex: bool) -> Option<Result<Bc26Urc<'_>, ParseError>> {
        let f = "test-bc26";
        if frame.starts_with(b"+QSSLURC: ") {
            let mut c = Cursor::new(f, "+QSSLURC", frame);
            return Some((|| {
                c.lit("+QSSLURC: ")?;
                if c.peek("\"recv\"") {
                    c.lit("\"recv\",")?;
                    let ctx = c.int("<contextID>")?;
                    c.lit(",")?;
                    let conn = c.int("<connectID>")?;
                    c.lit(",")?;
                    let len = usize::try_from(c.int("<length>")?).unwrap_or(0);
                    c.lit(",\"")?;
                    let data = c.take("<data>", if hex { len * 2 } else { len })?;
                    c.lit("\"")?;
                    c.end()?;
                    Ok(Bc26Urc::Recv {
                        ctx,
                        conn,
                        data: Payload::new(data, hex),
                    })
                } else {
                    c.lit("\"closed\",")?;
                    let ctx = c.int("<contextID>")?;
                    c.lit(",")?;
                    let conn = c.int("<connectID>")?;
                    c.end()?;
                    Ok(Bc26Urc::Closed { ctx, conn })
                }
            })());
        }
        if frame.starts_with(b"+QSSLSEND: ") {
            let mut c = Cursor::new(f, "+QSSLSEND", frame);
            return Some((|| {
                c.lit("+QSSLSEND: ")?;
                let ctx = c.int("<contextID>")?;
                c.lit(",")?;
                let conn = c.int("<connectID>")?;
                c.lit(",")?;
                let err = c.int("<err>")?;
                c.end()?;
                Ok(Bc26Urc::Send { ctx, conn, err })
            })());
        }
        None
    }

    fn urc_error(urc: &Bc26Urc<'_>) -> Option<i64> {
        match urc {
            Bc26Urc::Send { err, .. } if *err != 0 => Some(*err),
            _ => None,
        }
    }
}

/// `AT+QSSLSEND=<contextID>,<connectID>,<send_length>`, then `OK` and `+QSSLSEND: <c>,<c>,<err>`.
pub struct Bc26Send {
    pub ctx: i64,
    pub conn: i64,
    pub len: usize,
}

impl AtRequest for Bc26Send {
    type Family = Bc26;
    const COMMAND: &'static str = "QSSLSEND";
    const SUB: Option<&'static str> = None;
    const FORM: FormKind = FormKind::Write;
    const SECTION: &'static str = "2.2.3";
    type Response<'r> = ();

    fn validate_in(&self, _setting: &dyn Fn(&str) -> Option<i64>) -> Result<(), ValidationError> {
        Ok(())
    }
    fn write_line<S: ByteSink + ?Sized>(&self, s: &mut S) -> Result<(), Overflow> {
        s.put(b"AT+QSSLSEND=")?;
        put_int(s, self.ctx)?;
        s.put(b",")?;
        put_int(s, self.conn)?;
        s.put(b",")?;
        put_int(s, i64::try_from(self.len).unwrap_or(0))?;
        s.put(b"\r")
    }
    fn max_response(&self) -> MaxResponse {
        MaxResponse {
            base_ms: 300,
            plus: None,
            text: "300 ms",
        }
    }
    fn data_phase(&self) -> Option<DataPhase> {
        Some(DataPhase {
            end: DataEnd::Length(self.len),
            max_len: Some(1460),
            hex_when: Some(When {
                param: "send_data_format",
                equals: 1,
            }),
            checksum: None,
            prompt_wait_ms: 500,
            secret: false,
        })
    }
    fn expects_result_urc(&self) -> bool {
        true
    }
    fn is_result(&self, urc: &Bc26Urc<'_>) -> bool {
        matches!(urc, Bc26Urc::Send { ctx, conn, .. } if *ctx == self.ctx && *conn == self.conn)
    }
    fn parse_response(block: &[u8]) -> Result<(), ParseError> {
        Cursor::new("test-bc26", "QSSLSEND response", block).end()
    }
}

/// `AT+QSSLCFG=<contextID>,<connectID>,"cacert"`, `>`, PEM, Ctrl+Z,
/// `+QSSLCFG: <contextID>,<connectID>,"cacert",<checksum>` (byte count).
pub struct Bc26CaCert {
    pub ctx: i64,
    pub conn: i64,
}

impl AtRequest for Bc26CaCert {
    type Family = Bc26;
    const COMMAND: &'static str = "QSSLCFG";
    const SUB: Option<&'static str> = Some("cacert");
    const FORM: FormKind = FormKind::Write;
    const SECTION: &'static str = "2.2.1";
    type Response<'r> = i64;

    fn validate_in(&self, _setting: &dyn Fn(&str) -> Option<i64>) -> Result<(), ValidationError> {
        Ok(())
    }
    fn write_line<S: ByteSink + ?Sized>(&self, s: &mut S) -> Result<(), Overflow> {
        s.put(b"AT+QSSLCFG=")?;
        put_int(s, self.ctx)?;
        s.put(b",")?;
        put_int(s, self.conn)?;
        s.put(b",\"cacert\"\r")
    }
    fn max_response(&self) -> MaxResponse {
        MaxResponse {
            base_ms: 300,
            plus: None,
            text: "300 ms",
        }
    }
    fn data_phase(&self) -> Option<DataPhase> {
        Some(DataPhase {
            end: DataEnd::CtrlZ,
            max_len: None,
            hex_when: None,
            checksum: Some(ChecksumKind::ByteCount),
            prompt_wait_ms: 500,
            secret: true,
        })
    }
    fn parse_response(block: &[u8]) -> Result<i64, ParseError> {
        let mut c = Cursor::new("test-bc26", "+QSSLCFG response", block);
        c.lit("+QSSLCFG: ")?;
        c.int("<contextID>")?;
        c.lit(",")?;
        c.int("<connectID>")?;
        c.lit(",\"cacert\",")?;
        let sum = c.int("<checksum>")?;
        c.eol()?;
        c.end()?;
        Ok(sum)
    }
}

// ---------------------------------------------------------------- ML302

pub struct Ml302;

impl Family for Ml302 {
    const ID: &'static str = "test-ml302";
    type Urc<'a> = &'a [u8];
    const URC_PREFIXES: &'static [&'static str] = &["+QSSLURC: "];

    fn probe_payload(buf: &[u8], _hex: bool) -> PayloadProbe {
        // `+QSSLRECV: <ipaddr>:<port>,TCP,<len>\r\n<data>`
        match starts(buf, b"+QSSLRECV: ") {
            None => return PayloadProbe::No,
            Some(false) => return PayloadProbe::Incomplete,
            Some(true) => {}
        }
        let Some(lf) = buf.iter().position(|&b| b == b'\n') else {
            return PayloadProbe::Incomplete;
        };
        let line = buf.get(..lf).unwrap_or(&[]);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(comma) = line.iter().rposition(|&b| b == b',') else {
            return PayloadProbe::No;
        };
        match number(line.get(comma + 1..).unwrap_or(&[])) {
            Some(len) if len > 0 => PayloadProbe::Payload {
                start: lf + 1,
                len,
                trailer: b"",
            },
            _ => PayloadProbe::No,
        }
    }

    fn parse_urc(frame: &[u8], _hex: bool) -> Option<Result<&[u8], ParseError>> {
        frame.starts_with(b"+QSSLURC: ").then_some(Ok(frame))
    }
}

/// `AT+QSECWRITE=<crtflag>`, `>`, data, Ctrl+Z, `+QSECWRITE: <uploadsize>,<checksum hex>`.
pub struct QsecWrite {
    pub flag: i64,
}

impl AtRequest for QsecWrite {
    type Family = Ml302;
    const COMMAND: &'static str = "QSECWRITE";
    const SUB: Option<&'static str> = None;
    const FORM: FormKind = FormKind::Write;
    const SECTION: &'static str = "2.2";
    type Response<'r> = (i64, i64);

    fn validate_in(&self, _setting: &dyn Fn(&str) -> Option<i64>) -> Result<(), ValidationError> {
        Ok(())
    }
    fn write_line<S: ByteSink + ?Sized>(&self, s: &mut S) -> Result<(), Overflow> {
        s.put(b"AT+QSECWRITE=")?;
        put_int(s, self.flag)?;
        s.put(b"\r")
    }
    fn max_response(&self) -> MaxResponse {
        MaxResponse {
            base_ms: 5000,
            plus: None,
            text: "5 s",
        }
    }
    fn data_phase(&self) -> Option<DataPhase> {
        Some(DataPhase {
            end: DataEnd::CtrlZ,
            max_len: None,
            hex_when: None,
            checksum: Some(ChecksumKind::Xor16),
            prompt_wait_ms: 0,
            secret: true,
        })
    }
    fn parse_response(block: &[u8]) -> Result<(i64, i64), ParseError> {
        let mut c = Cursor::new("test-ml302", "+QSECWRITE response", block);
        c.lit("+QSECWRITE: ")?;
        let size = c.int("<uploadsize>")?;
        c.lit(",")?;
        let sum = c.hex("<checksum>", false)?;
        c.eol()?;
        c.end()?;
        Ok((size, sum))
    }
}

/// `AT+QSSLRECV=<cid>,<ssid>,<length>` → `+QSSLRECV: <ip>:<port>,TCP,<len>\r\n<data>`
pub struct Ml302Recv {
    pub ssid: i64,
    pub len: i64,
}

impl AtRequest for Ml302Recv {
    type Family = Ml302;
    const COMMAND: &'static str = "QSSLRECV";
    const SUB: Option<&'static str> = None;
    const FORM: FormKind = FormKind::Write;
    const SECTION: &'static str = "2.8";
    type Response<'r> = &'r [u8];

    fn validate_in(&self, _setting: &dyn Fn(&str) -> Option<i64>) -> Result<(), ValidationError> {
        Ok(())
    }
    fn write_line<S: ByteSink + ?Sized>(&self, s: &mut S) -> Result<(), Overflow> {
        s.put(b"AT+QSSLRECV=1,")?;
        put_int(s, self.ssid)?;
        s.put(b",")?;
        put_int(s, self.len)?;
        s.put(b"\r")
    }
    fn max_response(&self) -> MaxResponse {
        MaxResponse {
            base_ms: 1000,
            plus: None,
            text: "1 s",
        }
    }
    fn parse_response(block: &[u8]) -> Result<&[u8], ParseError> {
        let mut c = Cursor::new("test-ml302", "+QSSLRECV response", block);
        c.lit("+QSSLRECV: ")?;
        c.bare("<ipaddr>:<port>", b",")?;
        c.lit(",TCP,")?;
        let n = c.int("<actuallength>")?;
        c.lit("\r\n")?;
        let data = c.take("<data>", usize::try_from(n).unwrap_or(0))?;
        c.eol()?;
        c.end()?;
        Ok(data)
    }
}

/// `AT+QSSLCLOSE=<ssid>` → `CLOSE OK` (or `<ssid>,CLOSE OK`).
pub struct Ml302Close {
    pub ssid: i64,
}

impl AtRequest for Ml302Close {
    type Family = Ml302;
    const COMMAND: &'static str = "QSSLCLOSE";
    const SUB: Option<&'static str> = None;
    const FORM: FormKind = FormKind::Write;
    const SECTION: &'static str = "2.6";
    type Response<'r> = ();

    fn validate_in(&self, _setting: &dyn Fn(&str) -> Option<i64>) -> Result<(), ValidationError> {
        Ok(())
    }
    fn write_line<S: ByteSink + ?Sized>(&self, s: &mut S) -> Result<(), Overflow> {
        s.put(b"AT+QSSLCLOSE=")?;
        put_int(s, self.ssid)?;
        s.put(b"\r")
    }
    fn max_response(&self) -> MaxResponse {
        MaxResponse {
            base_ms: 1000,
            plus: None,
            text: "1 s",
        }
    }
    fn parse_response(block: &[u8]) -> Result<(), ParseError> {
        Cursor::new("test-ml302", "QSSLCLOSE response", block).end()
    }
}

//! Hand-written stand-ins for generated family modules: the real templates of
//! EC2x QSSLOPEN/QSSLSEND/QSSLRECV/QSSLCLOSE/QSSLCFG, BC26 QSSLSEND and certificate
//! upload, ML302 QSECWRITE/QSSLRECV/QSSLCLOSE, and their URCs.
#![allow(dead_code)]

use atgen_runtime::request::ChecksumKind;
use atgen_runtime::wire::{check_range, put_int, put_str, Cursor};
use atgen_runtime::{
    AtRequest, ByteSink, DataEnd, DataPhase, Family, FormKind, MaxResponse, Overflow, ParseError,
    Payload, PayloadProbe, PlusParam, ValidationError, When,
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

/// Parses one URC kind: `None` unless `frame` starts with `prefix`, else `body` after it.
fn urc<'a, T>(
    family: &'static str,
    prefix: &'static str,
    frame: &'a [u8],
    body: impl FnOnce(&mut Cursor<'a>) -> Result<T, ParseError>,
) -> Option<Result<T, ParseError>> {
    if !frame.starts_with(prefix.as_bytes()) {
        return None;
    }
    let mut c = Cursor::new(family, prefix.trim_end_matches(": "), frame);
    Some(c.lit(prefix).and_then(|()| body(&mut c)))
}

/// `,<int>`: the next comma-separated field.
fn next_int(c: &mut Cursor<'_>, expected: &'static str) -> Result<i64, ParseError> {
    c.lit(",")?;
    c.int(expected)
}

/// `<prefix><a>,<b>,…[,<tail>]\r`: the command line of most requests here.
fn line<S: ByteSink + ?Sized>(
    s: &mut S,
    prefix: &[u8],
    args: &[i64],
    tail: Option<i64>,
) -> Result<(), Overflow> {
    s.put(prefix)?;
    for (i, &a) in args.iter().enumerate() {
        if i > 0 {
            s.put(b",")?;
        }
        put_int(s, a)?;
    }
    if let Some(t) = tail {
        s.put(b",")?;
        put_int(s, t)?;
    }
    s.put(b"\r")
}

/// A maximum response time with nothing added to it.
fn fixed(base_ms: u64, text: &'static str) -> MaxResponse {
    MaxResponse {
        base_ms,
        plus: None,
        text,
        stated: true,
    }
}

/// A data phase with no hex format and no checksum.
fn phase(end: DataEnd, max_len: Option<usize>, prompt_wait_ms: u32, secret: bool) -> DataPhase {
    DataPhase {
        end,
        max_len,
        hex_when: None,
        checksum: None,
        prompt_wait_ms,
        secret,
    }
}

fn len_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(0)
}

/// Declares a request struct and its [`AtRequest`] impl (always `FormKind::Write`):
///
/// - `$Family "COMMAND" ["SUB"] section "x.y.z" -> <'r> Response;`
/// - `check field in lo..=hi as "param", …;` range checks, in order, then
///   `and method` to run `self.method()` last (default `Ok(())`);
/// - `max ms, "text";` a fixed maximum response time (else write `max_response` below);
/// - `write |r, s| expr;` the command line, `r` the request and `s` the sink;
/// - `parse |c| { … }` reads the information response from a cursor named
///   `"+COMMAND response"`; without it the response must be empty (`"COMMAND response"`);
/// - then any further trait methods, written out.
macro_rules! request {
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $(pub $field:ident: $fty:ty),* $(,)? }
        $family:ident $command:literal $([$sub:literal])? section $section:literal -> <$lt:lifetime> $resp:ty;
        $(check $($cf:ident in $lo:literal ..= $hi:literal as $param:literal),+ $(and $more:ident)?;)?
        $(max $ms:literal, $text:literal;)?
        write |$r:ident, $s:ident| $write:expr;
        $(parse |$c:ident| $parse:block)?
        $(fn $($extra:tt)*)?
    ) => {
        $(#[$meta])*
        pub struct $name {
            $(pub $field: $fty),*
        }

        impl AtRequest for $name {
            type Family = $family;
            const COMMAND: &'static str = $command;
            const SUB: Option<&'static str> = request!(@sub $($sub)?);
            const FORM: FormKind = FormKind::Write;
            const SECTION: &'static str = $section;
            type Response<$lt> = $resp;

            fn validate_in(
                &self,
                _setting: &dyn Fn(&str) -> Option<i64>,
            ) -> Result<(), ValidationError> {
                $($(
                    check_range($family::ID, $command, $param, self.$cf, $lo, $hi)?;
                )+)?
                request!(@more self $($($more)?)?)
            }
            fn write_line<S: ByteSink + ?Sized>(&self, sink: &mut S) -> Result<(), Overflow> {
                let ($r, $s) = (self, sink);
                $write
            }
            $(
                fn max_response(&self) -> MaxResponse {
                    fixed($ms, $text)
                }
            )?
            fn parse_response(block: &[u8]) -> Result<Self::Response<'_>, ParseError> {
                request!(@parse $family $command block $(|$c| $parse)?)
            }
            $(fn $($extra)*)?
        }
    };
    (@sub) => { None };
    (@sub $sub:literal) => { Some($sub) };
    (@more $this:ident) => { Ok(()) };
    (@more $this:ident $more:ident) => { $this.$more() };
    (@parse $family:ident $command:literal $block:ident) => {
        Cursor::new($family::ID, concat!($command, " response"), $block).end()
    };
    (@parse $family:ident $command:literal $block:ident |$c:ident| $parse:block) => {{
        let mut $c = Cursor::new($family::ID, concat!("+", $command, " response"), $block);
        $parse
    }};
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
    let f = Ec2x::ID;
    urc(f, "+QSSLURC: ", frame, |c| {
        if c.peek("\"recv\"") {
            c.lit("\"recv\",")?;
            let id = c.int("<clientID>")?;
            if c.rest().is_empty() {
                return Ok(Ec2xUrc::Recv { id });
            }
            let len = next_int(c, "<currentrecvlength>")?;
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
    })
    .or_else(|| {
        urc(f, "+QSSLOPEN: ", frame, |c| {
            let id = c.int("<clientID>")?;
            let err = next_int(c, "<err>")?;
            c.end()?;
            Ok(Ec2xUrc::Open { id, err })
        })
    })
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

request! {
    /// `AT+QSSLOPEN=<pdpctxID>,<sslctxID>,<clientID>,"<serveraddr>",<server_port>[,<access_mode>]`
    pub struct QsslOpen {
        pub client: i64,
        pub host: String,
        pub port: i64,
        pub access_mode: Option<i64>,
    }
    Ec2x "QSSLOPEN" section "2.2.2" -> <'r> ();
    check client in 0..=11 as "clientID" and check_host;
    write |r, s| {
        s.put(b"AT+QSSLOPEN=1,1,")?;
        put_int(s, r.client)?;
        s.put(b",")?;
        put_str(s, &r.host, true)?;
        line(s, b",", &[r.port], r.access_mode)
    };
    fn max_response(&self) -> MaxResponse {
        MaxResponse {
            plus: Some(PlusParam {
                param: "negotiate_time",
                value: None,
                default: Some(300),
                unit_ms: 1000,
                unit_by: None,
            }),
            ..fixed(150_000, "150 s plus <negotiate_time>")
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
}

impl QsslOpen {
    fn check_host(&self) -> Result<(), ValidationError> {
        atgen_runtime::wire::check_str(
            Ec2x::ID,
            Self::COMMAND,
            "serveraddr",
            &self.host,
            true,
            None,
        )
    }
}

request! {
    /// `AT+QSSLSEND=<clientID>[,<sendlen>]`
    pub struct QsslSend {
        pub client: i64,
        pub len: Option<usize>,
    }
    Ec2x "QSSLSEND" section "2.2.3" -> <'r> ();
    check client in 0..=11 as "clientID";
    max 300, "300 ms";
    write |r, s| line(s, b"AT+QSSLSEND=", &[r.client], r.len.map(len_i64));
    fn data_phase(&self) -> Option<DataPhase> {
        let end = self.len.map_or(DataEnd::CtrlZ, DataEnd::Length);
        Some(phase(end, Some(1460), 0, false))
    }
}

request! {
    /// `AT+QSSLRECV=<clientID>,<readlen>` → `+QSSLRECV: <have_readlen><CR><LF><data>`
    pub struct QsslRecv {
        pub client: i64,
        pub len: i64,
    }
    Ec2x "QSSLRECV" section "2.2.4" -> <'r> Payload<'r>;
    check len in 1..=1500 as "readlen";
    max 300, "300 ms";
    write |r, s| line(s, b"AT+QSSLRECV=", &[r.client, r.len], None);
    parse |c| {
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

request! {
    /// `AT+QSSLCLOSE=<clientID>[,<timeout>]`, timeout in s (or ms by `closetimemode`).
    pub struct QsslClose {
        pub client: i64,
        pub timeout: Option<i64>,
    }
    Ec2x "QSSLCLOSE" section "2.2.6" -> <'r> ();
    write |r, s| line(s, b"AT+QSSLCLOSE=", &[r.client], r.timeout);
    fn max_response(&self) -> MaxResponse {
        MaxResponse {
            plus: Some(PlusParam {
                param: "timeout",
                value: self.timeout,
                default: Some(10),
                unit_ms: 1000,
                unit_by: Some(("closetimemode", &[(0, 1000), (1, 1)])),
            }),
            ..fixed(0, "<timeout>")
        }
    }
}

request! {
    /// `AT+QSSLCFG="negotiatetime",<SSL_ctxID>,<negotiate_time>`
    pub struct QsslCfgNegotiate {
        pub ctx: i64,
        pub secs: i64,
    }
    Ec2x "QSSLCFG" ["negotiatetime"] section "2.2.1" -> <'r> ();
    check secs in 10..=300 as "negotiate_time";
    max 300, "300 ms";
    write |r, s| line(s, b"AT+QSSLCFG=\"negotiatetime\",", &[r.ctx, r.secs], None);
    fn settings(&self, record: &mut dyn FnMut(&'static str, i64)) {
        record("SSL_ctxID", self.ctx);
        record("negotiate_time", self.secs);
    }
}

request! {
    /// `AT+QSSLCFG="psk",<SSL_ctxID>,"<pskkey>","<pskidentity>"` with a secret key.
    pub struct QsslCfgPsk {
        pub ctx: i64,
        pub key: String,
        pub identity: String,
    }
    Ec2x "QSSLCFG" ["psk"] section "2.2.1" -> <'r> ();
    max 300, "300 ms";
    write |r, s| {
        s.put(b"AT+QSSLCFG=\"psk\",")?;
        put_int(s, r.ctx)?;
        for text in [&r.key, &r.identity] {
            s.put(b",")?;
            put_str(s, text, true)?;
        }
        s.put(b"\r")
    };
    fn secrets(&self, record: &mut dyn FnMut(&[u8])) {
        record(self.key.as_bytes());
    }
}

request! {
    /// `AT+QSSLCFG="sslversion",<SSL_ctxID>` (query) → `+QSSLCFG: "sslversion",<SSL_ctxID>,<SSL_version>`
    pub struct QsslCfgSslVersionQuery {
        pub ctx: i64,
    }
    Ec2x "QSSLCFG" ["sslversion"] section "2.2.1" -> <'r> (i64, i64);
    max 300, "300 ms";
    write |r, s| line(s, b"AT+QSSLCFG=\"sslversion\",", &[r.ctx], None);
    parse |c| {
        c.lit("+QSSLCFG: \"sslversion\",")?;
        let ctx = c.int("<SSL_ctxID>")?;
        let v = next_int(&mut c, "<SSL_version>")?;
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

/// `<contextID>,<connectID>`
fn bc26_ids(c: &mut Cursor<'_>) -> Result<(i64, i64), ParseError> {
    let ctx = c.int("<contextID>")?;
    Ok((ctx, next_int(c, "<connectID>")?))
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
        urc(Self::ID, "+QSSLURC: ", frame, |c| {
            if c.peek("\"recv\"") {
                c.lit("\"recv\",")?;
                let (ctx, conn) = bc26_ids(c)?;
                let len = usize::try_from(next_int(c, "<length>")?).unwrap_or(0);
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
                let (ctx, conn) = bc26_ids(c)?;
                c.end()?;
                Ok(Bc26Urc::Closed { ctx, conn })
            }
        })
        .or_else(|| {
            urc(Self::ID, "+QSSLSEND: ", frame, |c| {
                let (ctx, conn) = bc26_ids(c)?;
                let err = next_int(c, "<err>")?;
                c.end()?;
                Ok(Bc26Urc::Send { ctx, conn, err })
            })
        })
    }

    fn urc_error(urc: &Bc26Urc<'_>) -> Option<i64> {
        match urc {
            Bc26Urc::Send { err, .. } if *err != 0 => Some(*err),
            _ => None,
        }
    }
}

request! {
    /// `AT+QSSLSEND=<contextID>,<connectID>,<send_length>`, then `OK` and `+QSSLSEND: <c>,<c>,<err>`.
    pub struct Bc26Send {
        pub ctx: i64,
        pub conn: i64,
        pub len: usize,
    }
    Bc26 "QSSLSEND" section "2.2.3" -> <'r> ();
    max 300, "300 ms";
    write |r, s| line(s, b"AT+QSSLSEND=", &[r.ctx, r.conn, len_i64(r.len)], None);
    fn data_phase(&self) -> Option<DataPhase> {
        Some(DataPhase {
            hex_when: Some(When {
                param: "send_data_format",
                equals: 1,
            }),
            ..phase(DataEnd::Length(self.len), Some(1460), 500, false)
        })
    }
    fn expects_result_urc(&self) -> bool {
        true
    }
    fn is_result(&self, urc: &Bc26Urc<'_>) -> bool {
        matches!(urc, Bc26Urc::Send { ctx, conn, .. } if *ctx == self.ctx && *conn == self.conn)
    }
}

request! {
    /// `AT+QSSLCFG=<contextID>,<connectID>,"cacert"`, `>`, PEM, Ctrl+Z,
    /// `+QSSLCFG: <contextID>,<connectID>,"cacert",<checksum>` (byte count).
    pub struct Bc26CaCert {
        pub ctx: i64,
        pub conn: i64,
    }
    Bc26 "QSSLCFG" ["cacert"] section "2.2.1" -> <'r> i64;
    max 300, "300 ms";
    write |r, s| {
        s.put(b"AT+QSSLCFG=")?;
        put_int(s, r.ctx)?;
        s.put(b",")?;
        put_int(s, r.conn)?;
        s.put(b",\"cacert\"\r")
    };
    parse |c| {
        c.lit("+QSSLCFG: ")?;
        bc26_ids(&mut c)?;
        c.lit(",\"cacert\",")?;
        let sum = c.int("<checksum>")?;
        c.eol()?;
        c.end()?;
        Ok(sum)
    }
    fn data_phase(&self) -> Option<DataPhase> {
        Some(DataPhase {
            checksum: Some(ChecksumKind::ByteCount),
            ..phase(DataEnd::CtrlZ, None, 500, true)
        })
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

request! {
    /// `AT+QSECWRITE=<crtflag>`, `>`, data, Ctrl+Z, `+QSECWRITE: <uploadsize>,<checksum hex>`.
    pub struct QsecWrite {
        pub flag: i64,
    }
    Ml302 "QSECWRITE" section "2.2" -> <'r> (i64, i64);
    max 5000, "5 s";
    write |r, s| line(s, b"AT+QSECWRITE=", &[r.flag], None);
    parse |c| {
        c.lit("+QSECWRITE: ")?;
        let size = c.int("<uploadsize>")?;
        c.lit(",")?;
        let sum = c.hex("<checksum>", false)?;
        c.eol()?;
        c.end()?;
        Ok((size, sum))
    }
    fn data_phase(&self) -> Option<DataPhase> {
        Some(DataPhase {
            checksum: Some(ChecksumKind::Xor16),
            ..phase(DataEnd::CtrlZ, None, 0, true)
        })
    }
}

request! {
    /// `AT+QSSLRECV=<cid>,<ssid>,<length>` → `+QSSLRECV: <ip>:<port>,TCP,<len>\r\n<data>`
    pub struct Ml302Recv {
        pub ssid: i64,
        pub len: i64,
    }
    Ml302 "QSSLRECV" section "2.8" -> <'r> &'r [u8];
    max 1000, "1 s";
    write |r, s| line(s, b"AT+QSSLRECV=1,", &[r.ssid, r.len], None);
    parse |c| {
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

request! {
    /// `AT+QSSLCLOSE=<ssid>` → `CLOSE OK` (or `<ssid>,CLOSE OK`).
    pub struct Ml302Close {
        pub ssid: i64,
    }
    Ml302 "QSSLCLOSE" section "2.6" -> <'r> ();
    max 1000, "1 s";
    write |r, s| line(s, b"AT+QSSLCLOSE=", &[r.ssid], None);
}

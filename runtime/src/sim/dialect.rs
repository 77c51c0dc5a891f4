//! The one dialect of every family, driven by its descriptors: a command line
//! is parsed and validated with the family's forms, settings are recorded by
//! the forms the spec marks (`records`) and read back by the queries by
//! omission, test commands answer the spec's ranges, and the SSL dialog's roles
//! (`[socket]`) and the simulator's choices (`[simulator]`) drive the
//! connections. Every answer is written from the family's line descriptors, as
//! the generated response and URC types write them.

use std::collections::BTreeMap;
use std::time::Duration;

use super::depart;
use super::machine::{End, Job, JobKind, Machine, SockKey, Socket as SimSocket};
use super::store::{own, vals, IdKey, Owned, Store};
use super::{AccessMode, SocketState};
use crate::codec;
use crate::desc::{
    Const, DataLen, FamilyDesc, FinalKind, Form, Kind, Line, Param, SimSource, Simulator, Socket,
    Source, Tok,
};
use crate::request::{ChecksumKind, FormKind};
use crate::vals::Vals;

/// No ids (lines about a connection take its ids from the connection).
static NO_IDS: IdKey = Vec::new();

/// Which parameters get a power-on value when nothing was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Defaults {
    /// None: only stored values (a query of every context lists what was written).
    None,
    /// Parameters some form records (settings), so uploads answer only once made.
    Settings,
    /// Every parameter (connection lines: reserved fields print their default).
    All,
}

/// What one line is filled from, besides stored settings.
struct Fill<'a> {
    /// The request being answered.
    req: Option<(&'static Form, &'a Vals<'a>)>,
    ids: &'a IdKey,
    /// Values for parameters by name (the connection's, data, codes).
    extra: &'a [(&'static str, Owned)],
    defaults: Defaults,
}

impl<'a> Fill<'a> {
    fn new(
        req: Option<(&'static Form, &'a Vals<'a>)>,
        ids: &'a IdKey,
        extra: &'a [(&'static str, Owned)],
        defaults: Defaults,
    ) -> Self {
        Fill {
            req,
            ids,
            extra,
            defaults,
        }
    }
}

/// The spec-driven dialect: the family's descriptors and the module's memory.
#[derive(Debug)]
pub(crate) struct Dialect {
    desc: &'static FamilyDesc,
    store: Store,
    /// Uploaded files by the upload's key parameters (they survive a restart).
    files: BTreeMap<Vec<(&'static str, Owned)>, Vec<u8>>,
}

/// `data` as upper-case hex text.
fn hex_encode(data: &[u8]) -> Vec<u8> {
    crate::payload::hex_encode(data)
}

fn hex_decode(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = vec![0u8; text.len() / 2];
    let n = crate::payload::hex_decode_into(text, &mut out).ok()?.len();
    out.truncate(n);
    Some(out)
}

/// A line as the module prints it, with its CR LF.
fn line_bytes(line: &Line, v: &[Owned]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    codec::write_line(line, &vals(v), &mut out).ok()?;
    Some(out)
}

fn constant(c: Const) -> Owned {
    match c {
        Const::Int(i) => Owned::Int(i),
        Const::Str(s) => Owned::Str(s.to_string()),
    }
}

impl Dialect {
    pub(crate) fn new(desc: &'static FamilyDesc) -> Self {
        Dialect {
            desc,
            store: Store::default(),
            files: BTreeMap::new(),
        }
    }

    fn socket(&self) -> Option<&'static Socket> {
        self.desc.socket
    }

    fn sim(&self) -> &'static Simulator {
        self.desc.simulator
    }

    // ---------------------------------------------------------------- values

    /// The ids a request names (the family's id parameters), in name order.
    fn ids(&self, form: &Form, v: &Vals<'_>) -> IdKey {
        let mut ids: IdKey = form
            .args
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| self.desc.ids.contains(&f.param.name))
            .filter_map(|(i, f)| Some((f.param.name, v.get(i).int()?)))
            .collect();
        ids.sort();
        ids
    }

    /// Whether some form records this parameter (it is a setting).
    fn recorded(&self, name: &str) -> bool {
        self.desc
            .forms
            .iter()
            .any(|f| f.records && f.args.field_of(name).is_some())
    }

    /// The sub-command that records a parameter, when only one does.
    fn owner_sub(&self, name: &str) -> Option<&'static str> {
        let mut subs = self
            .desc
            .forms
            .iter()
            .filter(|f| f.records && f.args.field_of(name).is_some())
            .map(|f| f.sub);
        let first = subs.next()?;
        subs.all(|s| s == first).then_some(first).flatten()
    }

    /// The sub-command a line names in quotes (`+QSSLCFG: "cacert",…`).
    fn line_sub(&self, line: &Line) -> Option<&'static str> {
        let texts: Vec<&str> = line
            .template
            .toks
            .iter()
            .filter_map(|t| match t {
                Tok::Lit(s) => Some(*s),
                _ => None,
            })
            .collect();
        self.desc.forms.iter().filter_map(|f| f.sub).find(|sub| {
            let quoted = format!("\"{sub}\"");
            texts.iter().any(|t| t.contains(&quoted))
        })
    }

    /// A parameter's power-on value: the simulator's choice, the spec's default,
    /// else 0 (or the first value the manual allows) or an empty string.
    fn power_on(&self, p: &Param) -> Owned {
        if let Some((_, c)) = self.sim().power_on.iter().find(|(n, _)| *n == p.name) {
            return constant(*c);
        }
        match p.kind {
            Kind::Int | Kind::Hex => {
                if let Some(d) = p.default {
                    return Owned::Int(d);
                }
                let allowed = |v: i64| {
                    (p.codes.is_empty() || p.codes.contains(&v))
                        && p.range.is_none_or(|(lo, hi)| (lo..=hi).contains(&v))
                };
                if allowed(0) {
                    Owned::Int(0)
                } else if let Some(c) = p.codes.first() {
                    Owned::Int(*c)
                } else {
                    Owned::Int(p.range.map_or(0, |(lo, _)| lo))
                }
            }
            Kind::Str => Owned::Str(p.words.first().map(|w| w.to_string()).unwrap_or_default()),
            Kind::Bytes => Owned::Bytes(Vec::new()),
        }
    }

    /// A setting in force for these ids (conditions of ranges and data phases).
    fn setting(&self, ids: &IdKey, name: &str) -> Option<i64> {
        if let Some(v) = self.store.any(ids, name) {
            return v.int();
        }
        let p = self
            .desc
            .forms
            .iter()
            .filter(|f| f.records)
            .find_map(|f| f.args.fields.iter().find(|x| x.param.name == name))?;
        self.power_on(p.param).int()
    }

    /// The values of a line, or `None` when a required field has none.
    fn fill(&self, line: &Line, x: &Fill<'_>) -> Option<Vec<Owned>> {
        let line_sub = self.line_sub(line);
        let form_sub = x.req.and_then(|(f, _)| f.sub);
        let mut out = Vec::with_capacity(line.template.fields.len());
        for field in line.template.fields {
            let name = field.param.name;
            let stored = |sub: Option<&'static str>| self.store.get(x.ids, (sub, name)).cloned();
            let value = x
                .extra
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
                .or_else(|| {
                    let (form, v) = x.req?;
                    let i = form.args.field_of(name)?;
                    Some(Owned::of(v.get(i))).filter(|o| !o.is_none())
                })
                .or_else(|| {
                    x.ids
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map(|(_, v)| Owned::Int(*v))
                })
                .or_else(|| line_sub.and_then(|s| stored(Some(s))))
                .or_else(|| form_sub.and_then(|s| stored(Some(s))))
                .or_else(|| {
                    let owner = self.owner_sub(name);
                    (line_sub.is_none() || owner != line_sub)
                        .then(|| stored(owner))
                        .flatten()
                })
                .or_else(|| match x.defaults {
                    Defaults::All => Some(self.power_on(field.param)),
                    Defaults::Settings if self.recorded(name) => Some(self.power_on(field.param)),
                    _ => None,
                });
            match value {
                Some(v) => out.push(v),
                None if field.optional => out.push(Owned::None),
                None => return None,
            }
        }
        Some(out)
    }

    /// Fills and writes a line.
    fn line(&self, line: &Line, x: &Fill<'_>) -> Option<Vec<u8>> {
        line_bytes(line, &self.fill(line, x)?)
    }

    /// Adds a filled information line to the response (left out when it cannot be filled).
    fn info(&self, m: &mut Machine, line: &Line, x: Fill<'_>) {
        if let Some(b) = self.line(line, &x) {
            m.info_raw(b);
        }
    }

    /// Sends a filled unsolicited frame (it waits for the line: [`Machine::unsolicited`]).
    fn unsolicited(&self, m: &mut Machine, line: &Line, x: Fill<'_>) {
        if let Some(b) = self.line(line, &x) {
            m.unsolicited(b);
        }
    }

    /// The values a connection gives the fields of its lines.
    fn of_socket(&self, s: Option<&SimSocket>, key: SockKey) -> Vec<(&'static str, Owned)> {
        let mut out = Vec::new();
        if let Some(sock) = self.socket() {
            out.push((sock.connection, Owned::Int(i64::from(key))));
            if let (Some(p), Some(s)) = (sock.pdp, s) {
                out.push((p, Owned::Int(i64::from(s.pdp))));
            }
            if let (Some(p), Some(s)) = (sock.ssl_ctx, s) {
                out.push((p, Owned::Int(i64::from(s.ctx))));
            }
        }
        out
    }

    /// The value of a simulator source for a connection (or an unused id).
    fn source(&self, src: SimSource, s: Option<&SimSocket>, key: SockKey) -> Owned {
        let state = self.sim().state.as_ref();
        match src {
            SimSource::Connection => Owned::Int(i64::from(key)),
            SimSource::Host => Owned::Str(s.map(|s| s.host.clone()).unwrap_or_default()),
            SimSource::Port => Owned::Int(s.map_or(0, |s| i64::from(s.port))),
            SimSource::LocalPort => Owned::Int(s.map_or(0, |s| i64::from(s.local_port))),
            SimSource::State => {
                let i = match s.map(|s| s.state) {
                    None | Some(SocketState::Initial) => 0,
                    Some(SocketState::Opening) => 1,
                    Some(SocketState::Connected) => 2,
                    Some(SocketState::Closing) => 3,
                };
                state
                    .and_then(|st| st.states.get(i))
                    .map_or(Owned::Int(i as i64), |c| constant(*c))
            }
            SimSource::Mode => {
                let sock = self.socket();
                let modes = sock.and_then(|s| s.modes);
                let transparent = sock
                    .and_then(|s| s.open.form.connect_when)
                    .map_or(2, |c| c.equals);
                Owned::Int(match s.map(|s| s.mode) {
                    Some(AccessMode::DirectPush) => modes.map_or(1, |m| m.push),
                    Some(AccessMode::Transparent) => transparent,
                    _ => modes.map_or(0, |m| m.buffer),
                })
            }
            SimSource::Const(c) => constant(c),
        }
    }

    fn sourced(
        &self,
        list: &[(&'static str, SimSource)],
        s: Option<&SimSocket>,
        key: SockKey,
    ) -> Vec<(&'static str, Owned)> {
        list.iter()
            .map(|(n, src)| (*n, self.source(*src, s, key)))
            .collect()
    }

    /// The connection id a request names.
    fn key_of(&self, form: &Form, v: &Vals<'_>) -> Option<SockKey> {
        let i = form.args.field_of(self.socket()?.connection)?;
        SockKey::try_from(v.get(i).int()?).ok()
    }

    /// The range of the connection parameter (for unused ids).
    fn connection_range(&self) -> (i64, i64) {
        self.socket().map_or((0, 0), |sock| sock.connection_range())
    }

    // ---------------------------------------------------------------- commands

    /// An `AT+…` line: answered (final result code or `>`), or left to a later
    /// event (`CONNECT` after the handshake).
    pub(crate) fn command(&mut self, m: &mut Machine, line: &[u8]) {
        let Ok((i, v)) = codec::parse_any_request(self.desc.id, self.desc.forms, &[], line) else {
            m.error();
            return;
        };
        let Some(form) = self.desc.forms.get(i).copied() else {
            m.error();
            return;
        };
        let ids = self.ids(form, &v);
        let valid = {
            let setting = |name: &str| self.setting(&ids, name);
            codec::validate(form, &v, &setting).is_ok()
        };
        if !valid {
            m.error();
            return;
        }
        let sock = self.socket();
        let sim = self.sim();
        let is = |r: Option<&'static Form>| r.is_some_and(|r| core::ptr::eq(r, form));
        if form.kind == FormKind::Test {
            self.test(m, form);
        } else if is(sock.map(|s| s.open.form)) {
            self.open(m, form, &v, &ids);
        } else if sock.is_some_and(|s| s.send.request.form.command == form.command)
            && form.data.is_some()
        {
            self.send(m, form, &v, ids);
        } else if is(sock.and_then(|s| s.recv.as_ref()).map(|r| r.request.form)) {
            self.recv(m, form, &v, &ids);
        } else if is(sock.map(|s| s.close.form)) {
            self.close(m, form, &v, &ids);
        } else if sim
            .state
            .as_ref()
            .is_some_and(|st| st.forms.iter().any(|f| core::ptr::eq(*f, form)))
        {
            self.state(m, form, &v);
        } else if is(sim.files.as_ref().map(|f| f.read)) {
            self.file_read(m, form, &v, &ids);
        } else if is(sim.files.as_ref().map(|f| f.delete)) {
            let key = self.file_key(form, &v);
            self.files.remove(&key);
            m.ok();
        } else if form.data.is_some() {
            self.upload(m, form, &v, ids);
        } else if form.records {
            self.record(form, &v, &ids);
            m.ok();
        } else {
            self.answer(m, form, &v, &ids);
        }
    }

    /// A test command: every line with the spec's ranges and lists.
    fn test(&self, m: &mut Machine, form: &Form) {
        for line in form.responses {
            let mut v: Vec<Owned> = line
                .template
                .fields
                .iter()
                .enumerate()
                .map(|(i, f)| match line.supported.get(i) {
                    // The manual's `<serveraddr>`, printed as written.
                    _ if f.placeholder.is_some() => Owned::None,
                    Some(t) if !t.is_empty() => Owned::Str(t.to_string()),
                    _ => Owned::Int(
                        f.param
                            .range
                            .map(|(_, hi)| hi)
                            .or(f.param.default)
                            .unwrap_or(0),
                    ),
                })
                .collect();
            let mut departed = v.clone();
            if let Some(p) = depart::test_line(line, &mut departed) {
                if m.departs(format!("{} {} <{p}>", form.name, line.name)) {
                    v = departed;
                }
            }
            if let Some(b) = line_bytes(line, &v) {
                m.info_raw(b);
            }
        }
        m.ok();
    }

    /// A form that records settings: its values are kept per the ids it names.
    fn record(&mut self, form: &'static Form, v: &Vals<'_>, ids: &IdKey) {
        for (i, f) in form.args.fields.iter().enumerate() {
            if self.desc.ids.contains(&f.param.name) {
                continue;
            }
            let value = Owned::of(v.get(i));
            if !value.is_none() {
                self.store.set(ids, (form.sub, f.param.name), value);
            }
        }
    }

    /// Any other form: its response lines from the request, the settings and
    /// the power-on values; a query of every context lists those written.
    fn answer(&self, m: &mut Machine, form: &'static Form, v: &Vals<'_>, ids: &IdKey) {
        for line in form.responses {
            let missing: Vec<&'static str> = line
                .template
                .fields
                .iter()
                .map(|f| f.param.name)
                .filter(|n| self.desc.ids.contains(n) && !ids.iter().any(|(i, _)| i == n))
                .collect();
            // A line the manual lists for every context (`+QSSLCFG: "cacertex",
            // <SSL_ctxID>,…` for each of 0~5): one per value of the id's range.
            let every = match (missing.as_slice(), line.repeat && !line.optional) {
                ([name], true) => line
                    .template
                    .fields
                    .iter()
                    .find(|f| f.param.name == *name)
                    .and_then(|f| f.param.range)
                    .map(|r| (*name, r)),
                _ => None,
            };
            if let (Some((name, (lo, hi))), false) = (every, form.omits.is_empty()) {
                for n in lo..=hi.min(lo.saturating_add(64)) {
                    let mut key = ids.clone();
                    key.push((name, n));
                    key.sort();
                    self.info(
                        m,
                        line,
                        Fill::new(Some((form, v)), &key, &[], Defaults::All),
                    );
                }
                continue;
            }
            if !missing.is_empty() && !form.omits.is_empty() {
                for key in self.store.keys() {
                    if !missing.iter().all(|n| key.iter().any(|(k, _)| k == n)) {
                        continue;
                    }
                    self.info(
                        m,
                        line,
                        Fill::new(Some((form, v)), key, &[], Defaults::None),
                    );
                }
                continue;
            }
            // A line the manual lists unconditionally is printed even before
            // anything was written (power-on values: no certificate, 0 bytes).
            let defaults = if line.optional {
                Defaults::Settings
            } else {
                Defaults::All
            };
            let x = Fill::new(Some((form, v)), ids, &[], defaults);
            let Some(mut vals) = self.fill(line, &x) else {
                continue;
            };
            let mut departed = vals.clone();
            let query = form.kind == FormKind::Read || !form.omits.is_empty();
            if let Some(p) =
                depart::query_line(line, &mut departed, self.desc.ids).filter(|_| query)
            {
                if m.departs(format!("{} {} <{p}>", form.name, line.name)) {
                    vals = departed;
                }
            }
            if let Some(b) = line_bytes(line, &vals) {
                m.info_raw(b);
            }
        }
        m.ok();
    }

    // ---------------------------------------------------------------- the dialog

    fn result_code(form: &Form, ok: bool, failure: Option<i64>) -> Option<(&'static str, i64)> {
        let urc = form.result?;
        let outcome = urc.outcome.as_ref()?;
        let field = urc.line.template.fields.get(usize::from(outcome.field))?;
        let code = if ok {
            outcome.success.first().copied().unwrap_or(0)
        } else {
            failure.unwrap_or(-1)
        };
        Some((field.param.name, code))
    }

    /// Writes a form's result URC for a connection.
    fn result_urc(
        &self,
        m: &mut Machine,
        form: &Form,
        req: Option<(&'static Form, &Vals<'_>)>,
        key: SockKey,
        code: Option<(&'static str, i64)>,
    ) {
        let Some(urc) = form.result else { return };
        let mut extra = self.of_socket(m.socket(key), key);
        if let Some((name, c)) = code {
            extra.push((name, Owned::Int(c)));
        }
        let x = Fill {
            req,
            ids: &NO_IDS,
            extra: &extra,
            defaults: Defaults::All,
        };
        if let Some(b) = self.line(&urc.line, &x) {
            m.urc_raw(b);
        }
    }

    fn open(&mut self, m: &mut Machine, form: &'static Form, v: &Vals<'_>, ids: &IdKey) {
        let Some(sock) = self.socket() else {
            m.error();
            return;
        };
        let Some(key) = self.key_of(form, v) else {
            m.error();
            return;
        };
        let id_value = |p: Option<&'static str>| -> u8 {
            let Some(name) = p else { return 0 };
            let value =
                form.args
                    .field_of(name)
                    .and_then(|i| v.get(i).int())
                    .or_else(|| {
                        self.desc
                            .forms
                            .iter()
                            .flat_map(|f| {
                                f.args.fields.iter().chain(
                                    f.responses.iter().flat_map(|l| l.template.fields.iter()),
                                )
                            })
                            .find(|f| f.param.name == name)
                            .and_then(|f| self.power_on(f.param).int())
                    });
            value.and_then(|x| u8::try_from(x).ok()).unwrap_or(0)
        };
        let (ctx, pdp) = (id_value(sock.ssl_ctx), id_value(sock.pdp));
        let value_of = |source: Source| {
            sock.open
                .values
                .iter()
                .find(|(_, s)| *s == source)
                .and_then(|(n, _)| form.args.field_of(n))
                .map(|i| v.get(i))
        };
        let host = value_of(Source::Host).and_then(|x| x.str()).unwrap_or("");
        let port = value_of(Source::Port)
            .and_then(|x| x.int())
            .and_then(|p| u32::try_from(p).ok())
            .unwrap_or(0);
        let transparent = {
            let setting = |name: &str| self.setting(ids, name);
            codec::connects_in(form, v, &setting)
        };
        let mode = if transparent {
            AccessMode::Transparent
        } else if let Some(modes) = sock.modes {
            let chosen = form
                .args
                .field_of(modes.param)
                .and_then(|i| v.get(i).int())
                .unwrap_or(modes.buffer);
            if chosen == modes.push {
                AccessMode::DirectPush
            } else {
                AccessMode::Buffer
            }
        } else if sock.recv.is_some() {
            AccessMode::Buffer
        } else {
            AccessMode::DirectPush
        };
        if m.socket(key).is_some() {
            if transparent || form.result.is_none() {
                m.error();
                return;
            }
            m.ok();
            let code = Self::result_code(form, false, self.sim().busy);
            self.result_urc(m, form, Some((form, v)), key, code);
            return;
        }
        // The manual bounds the open's result: a handshake that takes longer
        // ends there with the spec's timeout code ([simulator] open_timeout).
        let give_up = match (self.sim().open_timeout, transparent, form.result) {
            (Some(_), false, Some(_)) => {
                let wait = codec::result_wait(form, v);
                let setting = |name: &str| self.setting(ids, name);
                wait.stated
                    .then(|| Duration::from_millis(wait.total_ms(setting)))
            }
            _ => None,
        };
        m.open(key, ctx, pdp, host, port, mode, give_up);
        if !transparent {
            m.ok();
        }
    }

    /// The module gave up an open at the end of its result wait.
    pub(crate) fn gave_up(&mut self, m: &mut Machine, key: SockKey) {
        let Some(sock) = self.socket() else { return };
        let form = sock.open.form;
        let code = Self::result_code(form, false, self.sim().open_timeout);
        self.result_urc(m, form, None, key, code);
        m.remove(key);
    }

    /// The handshake of a connection finished (it is connected now).
    pub(crate) fn opened(&mut self, m: &mut Machine, key: SockKey) {
        if m.socket(key)
            .is_some_and(|s| s.mode == AccessMode::Transparent)
        {
            m.finish(FinalKind::Connect);
            m.enter_transparent(key);
            return;
        }
        let Some(sock) = self.socket() else { return };
        let form = sock.open.form;
        let code = Self::result_code(form, true, None);
        self.result_urc(m, form, None, key, code);
    }

    /// The end of a data phase in the simulator's terms.
    fn end(form: &Form, v: &Vals<'_>, hex: bool) -> End {
        let double = |n: usize| if hex { n.saturating_mul(2) } else { n };
        match form.data.as_ref().map(|d| d.end) {
            Some(DataLen::Field(i)) => {
                let n = v
                    .get(usize::from(i))
                    .int()
                    .and_then(|n| usize::try_from(n).ok())
                    .unwrap_or(0);
                End::Length(double(n))
            }
            _ => End::CtrlZ {
                max: form.data.as_ref().and_then(|d| d.max_len).map(double),
            },
        }
    }

    /// Whether a data phase is hex text under the settings of these ids.
    fn data_hex(&self, form: &Form, ids: &IdKey) -> bool {
        form.data
            .as_ref()
            .and_then(|d| d.hex_when)
            .is_some_and(|w| self.setting(ids, w.param) == Some(w.equals))
    }

    fn send(&mut self, m: &mut Machine, form: &'static Form, v: &Vals<'_>, ids: IdKey) {
        let Some(key) = self.key_of(form, v) else {
            m.error();
            return;
        };
        let same_context = self.of_socket(m.socket(key), key).iter().all(|(n, val)| {
            form.args
                .field_of(n)
                .is_none_or(|i| v.get(i).int() == val.int())
        });
        if !m.connected(key) || m.is_transparent(key) || !same_context {
            m.error();
            return;
        }
        let hex = self.data_hex(form, &ids);
        let end = Self::end(form, v, hex);
        let n = form.args.fields.len();
        m.prompt(
            end,
            Job {
                kind: JobKind::Send,
                key,
                hex,
                form,
                vals: own(v, n),
                ids,
            },
        );
    }

    /// A data phase ended with its data.
    pub(crate) fn data(&mut self, m: &mut Machine, job: Job, data: Vec<u8>) {
        match job.kind {
            JobKind::Send => self.sent(m, &job, data),
            JobKind::Upload => self.uploaded(m, &job, data),
        }
    }

    /// A data phase was cancelled with ESC.
    pub(crate) fn cancelled(&mut self, m: &mut Machine, _job: Job) {
        m.ok();
    }

    fn sent(&mut self, m: &mut Machine, job: &Job, data: Vec<u8>) {
        let payload = if job.hex {
            hex_decode(&data)
        } else {
            Some(data)
        };
        let Some(payload) = payload.filter(|_| m.connected(job.key)) else {
            m.error();
            return;
        };
        let form = job.form;
        let fails = m.send_fails();
        let v = vals(&job.vals);
        let reports = {
            let setting = |name: &str| self.setting(&job.ids, name);
            codec::expects_result(form, &v, &setting)
        };
        if reports {
            if !fails {
                m.send_to_peer(job.key, &payload);
            }
            m.ok();
            let code = Self::result_code(form, !fails, self.sim().send_failure);
            self.result_urc(m, form, Some((form, &v)), job.key, code);
            return;
        }
        if fails {
            // No result URC to report it: SEND FAIL where the form has it, else ERROR.
            if form.ends_with(FinalKind::SendFail) {
                m.finish(FinalKind::SendFail);
            } else {
                m.error();
            }
            return;
        }
        m.send_to_peer(job.key, &payload);
        m.finish(form.sent_final());
    }

    fn recv(&mut self, m: &mut Machine, form: &'static Form, v: &Vals<'_>, ids: &IdKey) {
        let Some(key) = self.key_of(form, v) else {
            m.error();
            return;
        };
        let readable = m.socket(key).is_some_and(|s| {
            matches!(s.state, SocketState::Connected | SocketState::Closing)
                && s.mode != AccessMode::DirectPush
        });
        let len_param = self
            .socket()
            .and_then(|s| s.recv.as_ref())
            .and_then(|r| r.request.values.iter().find(|(_, s)| *s == Source::ReadLen))
            .map(|(n, _)| *n);
        let want = len_param
            .and_then(|n| form.args.field_of(n))
            .and_then(|i| v.get(i).int())
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0);
        if !readable {
            m.error();
            return;
        }
        let data = m.take_rx(key, want);
        if data.is_empty() {
            // Read to empty: the next data is announced again.
            if let Some(s) = m.socket_mut(key) {
                s.notified = false;
            }
        }
        let Some(line) = form.responses.first() else {
            m.ok();
            return;
        };
        if data.is_empty() && line.optional {
            m.ok();
            return;
        }
        let mut extra = self.of_socket(m.socket(key), key);
        extra.extend(self.sourced(self.sim().recv, m.socket(key), key));
        extra.extend(payload_fields(line, data, false));
        self.info(
            m,
            line,
            Fill::new(Some((form, v)), ids, &extra, Defaults::All),
        );
        m.ok();
    }

    /// The peer's data was appended to a connection's receive buffer.
    pub(crate) fn received(&mut self, m: &mut Machine, key: SockKey) {
        let Some(sock) = self.socket() else { return };
        let Some(s) = m.socket(key) else { return };
        if s.mode == AccessMode::DirectPush {
            let Some(urc) = sock.push else { return };
            let ids = self.socket_ids(s, key);
            let hex = urc
                .line
                .hex_when
                .is_some_and(|w| self.setting(&ids, w.param) == Some(w.equals));
            let chunk = self.push_chunk(&urc.line, &ids);
            loop {
                let data = m.take_rx(key, chunk);
                if data.is_empty() {
                    break;
                }
                let mut extra = self.of_socket(m.socket(key), key);
                extra.extend(payload_fields(&urc.line, data, hex));
                self.unsolicited(m, &urc.line, Fill::new(None, &ids, &extra, Defaults::All));
            }
            return;
        }
        let Some(ready) = sock.recv.as_ref().map(|r| r.ready) else {
            return;
        };
        if s.notified {
            return;
        }
        let extra = self.of_socket(Some(s), key);
        let x = Fill::new(None, &NO_IDS, &extra, Defaults::All);
        let bytes = self.line(&ready.line, &x);
        if let Some(s) = m.socket_mut(key) {
            s.notified = true;
        }
        if let Some(b) = bytes {
            m.unsolicited(b);
        }
    }

    /// The ids a connection's settings are kept by (BC26: its context and id).
    fn socket_ids(&self, s: &SimSocket, key: SockKey) -> IdKey {
        let mut ids: IdKey = self
            .of_socket(Some(s), key)
            .into_iter()
            .filter_map(|(n, v)| Some((n, v.int()?)))
            .collect();
        ids.sort();
        ids
    }

    /// The most bytes one data URC carries ([`push_chunk`]) for these ids.
    fn push_chunk(&self, line: &Line, ids: &IdKey) -> usize {
        push_chunk(self.sim(), line, &|name| self.setting(ids, name))
    }

    /// The peer closed a connection (it is closing now).
    pub(crate) fn peer_closed(&mut self, m: &mut Machine, key: SockKey) {
        let Some(sock) = self.socket() else { return };
        let Some(urc) = sock.closed else { return };
        let extra = self.of_socket(m.socket(key), key);
        let x = Fill::new(None, &NO_IDS, &extra, Defaults::All);
        let bytes = self.line(&urc.line, &x);
        if !sock.close_after_peer {
            // The module closes the connection by itself.
            m.remove(key);
        }
        if let Some(b) = bytes {
            // Behind the data that came before the close.
            m.unsolicited(b);
        }
    }

    fn close(&mut self, m: &mut Machine, form: &'static Form, v: &Vals<'_>, _ids: &IdKey) {
        let Some(key) = self.key_of(form, v) else {
            m.error();
            return;
        };
        if m.socket(key).is_none() && !self.sim().close_unknown_ok {
            m.error();
            return;
        }
        let code = Self::result_code(form, true, None);
        let urc = form.result.and_then(|urc| {
            let mut extra = self.of_socket(m.socket(key), key);
            if let Some((name, c)) = code {
                extra.push((name, Owned::Int(c)));
            }
            let x = Fill::new(Some((form, v)), &NO_IDS, &extra, Defaults::All);
            self.line(&urc.line, &x)
        });
        m.remove(key);
        m.ok();
        if let Some(b) = urc {
            m.urc_raw(b);
        }
    }

    /// The state command: one line per connection (or per id).
    fn state(&self, m: &mut Machine, form: &'static Form, v: &Vals<'_>) {
        let Some(st) = self.sim().state.as_ref() else {
            m.ok();
            return;
        };
        let conn = self.socket().map(|s| s.connection);
        let keys: Vec<SockKey> = match self.key_of(form, v) {
            Some(k) => vec![k],
            None if st.every_id => {
                let (lo, hi) = self.connection_range();
                (lo..=hi)
                    .filter_map(|k| SockKey::try_from(k).ok())
                    .collect()
            }
            None => m.sockets.keys().copied().collect(),
        };
        for line in form.responses {
            let per_connection = line.template.fields.iter().any(|f| {
                Some(f.param.name) == conn
                    || st
                        .values
                        .iter()
                        .any(|(n, s)| *n == f.param.name && *s == SimSource::Connection)
            });
            if !per_connection {
                self.info(
                    m,
                    line,
                    Fill::new(Some((form, v)), &NO_IDS, &[], Defaults::Settings),
                );
                continue;
            }
            for key in &keys {
                let s = m.socket(*key);
                if s.is_none() && !st.every_id {
                    continue;
                }
                let mut extra = self.of_socket(s, *key);
                extra.extend(self.sourced(st.values, s, *key));
                self.info(m, line, Fill::new(None, &NO_IDS, &extra, Defaults::All));
            }
        }
        m.ok();
    }

    // ---------------------------------------------------------------- uploads

    fn upload(&mut self, m: &mut Machine, form: &'static Form, v: &Vals<'_>, ids: IdKey) {
        let hex = self.data_hex(form, &ids);
        let end = Self::end(form, v, hex);
        let n = form.args.fields.len();
        m.prompt(
            end,
            Job {
                kind: JobKind::Upload,
                key: 0,
                hex,
                form,
                vals: own(v, n),
                ids,
            },
        );
    }

    /// The key of a stored file: the upload's parameters by name.
    fn file_key(&self, form: &Form, v: &Vals<'_>) -> Vec<(&'static str, Owned)> {
        let Some(files) = self.sim().files.as_ref() else {
            return Vec::new();
        };
        files
            .write
            .args
            .fields
            .iter()
            .map(|f| {
                let value = form
                    .args
                    .field_of(f.param.name)
                    .map_or(Owned::None, |i| Owned::of(v.get(i)));
                (f.param.name, value)
            })
            .collect()
    }

    /// The checksum the manual's algorithm gives `data`.
    fn checksum(form: &Form, data: &[u8]) -> i64 {
        match form.data.as_ref().and_then(|d| d.checksum) {
            Some(ChecksumKind::Xor16) => i64::from(crate::wire::xor16(data)),
            _ => i64::try_from(data.len()).unwrap_or(i64::MAX),
        }
    }

    fn uploaded(&mut self, m: &mut Machine, job: &Job, data: Vec<u8>) {
        let form = job.form;
        let v = vals(&job.vals);
        let Some(line) = form.responses.first() else {
            m.ok();
            return;
        };
        let mut extra: Vec<(&'static str, Owned)> = Vec::new();
        if form.data.as_ref().is_some_and(|d| d.checksum.is_some()) {
            // The module reports the checksum in the last field of its line.
            if let Some(f) = line.template.fields.last() {
                extra.push((f.param.name, Owned::Int(Self::checksum(form, &data))));
            }
        }
        let files = self.sim().files.as_ref();
        if let Some(size) = files.and_then(|f| f.size) {
            extra.push((
                size,
                Owned::Int(i64::try_from(data.len()).unwrap_or(i64::MAX)),
            ));
        }
        // What the upload answers is remembered like a setting (BC26 lists it).
        for (name, value) in &extra {
            self.store.set(&job.ids, (form.sub, name), value.clone());
        }
        if files.is_some_and(|f| core::ptr::eq(f.write, form)) {
            let key = self.file_key(form, &v);
            self.files.insert(key, data);
        }
        self.info(
            m,
            line,
            Fill::new(Some((form, &v)), &job.ids, &extra, Defaults::All),
        );
        m.ok();
    }

    fn file_read(&self, m: &mut Machine, form: &'static Form, v: &Vals<'_>, ids: &IdKey) {
        let Some(files) = self.sim().files.as_ref() else {
            m.error();
            return;
        };
        let key = self.file_key(form, v);
        let Some(data) = self.files.get(&key) else {
            m.error();
            return;
        };
        let mut extra: Vec<(&'static str, Owned)> = files
            .values
            .iter()
            .map(|(n, c)| (*n, constant(*c)))
            .collect();
        for line in form.responses {
            if let Some(f) = line.template.fields.last() {
                extra.push((f.param.name, Owned::Int(Self::checksum(files.write, data))));
            }
            self.info(
                m,
                line,
                Fill::new(Some((form, v)), ids, &extra, Defaults::All),
            );
        }
        m.ok();
    }

    // ---------------------------------------------------------------- the rest

    /// Settings back to their power-on values (a restart); files survive.
    pub(crate) fn reset(&mut self) {
        self.store.clear();
    }

    /// The URC the `urc` fault injects: harmless, about an id that is not open.
    pub(crate) fn injected_urc(&self, m: &Machine) -> Vec<u8> {
        let Some(sock) = self.socket() else {
            return Vec::new();
        };
        let Some(urc) = sock.recv.as_ref().map(|r| r.ready).or(sock.closed) else {
            return Vec::new();
        };
        let (lo, hi) = self.connection_range();
        let unused = (lo..=hi)
            .rev()
            .filter_map(|k| SockKey::try_from(k).ok())
            .find(|k| m.socket(*k).is_none())
            .unwrap_or(0);
        let extra = [(sock.connection, Owned::Int(i64::from(unused)))];
        let x = Fill::new(None, &NO_IDS, &extra, Defaults::All);
        self.line(&urc.line, &x).unwrap_or_default()
    }
}

/// The most bytes one data URC (`line`) of the simulated module carries: the
/// spec's `[simulator] push_chunk`, else the range of the URC's length
/// parameter under the settings in force (`setting`; BC26 hex data: 650).
pub fn push_chunk(sim: &Simulator, line: &Line, setting: &dyn Fn(&str) -> Option<i64>) -> usize {
    if let Some(c) = sim.push_chunk {
        return c.max(1);
    }
    let len = line
        .template
        .fields
        .iter()
        .find_map(|f| f.length)
        .and_then(|i| line.template.fields.get(usize::from(i)));
    let Some(field) = len else { return 1500 };
    let p = field.param;
    let hi = p
        .range_when
        .iter()
        .find(|rw| setting(rw.when.param) == Some(rw.when.equals))
        .map(|rw| rw.max)
        .or(p.range.map(|(_, hi)| hi))
        .unwrap_or(1500);
    usize::try_from(hi).unwrap_or(1500).max(1)
}

/// The payload field of a line and its length field, for `data` (hex-encoded
/// on the wire when `hex`; the length counts the bytes).
fn payload_fields(line: &Line, data: Vec<u8>, hex: bool) -> Vec<(&'static str, Owned)> {
    let mut out = Vec::new();
    for f in line.template.fields {
        if f.param.kind != Kind::Bytes {
            continue;
        }
        if let Some(len) = f
            .length
            .and_then(|i| line.template.fields.get(usize::from(i)))
        {
            out.push((
                len.param.name,
                Owned::Int(i64::try_from(data.len()).unwrap_or(i64::MAX)),
            ));
        }
        let wire = if hex { hex_encode(&data) } else { data };
        out.push((f.param.name, Owned::Bytes(wire)));
        break;
    }
    out
}

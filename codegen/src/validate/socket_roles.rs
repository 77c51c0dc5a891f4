//! The `[socket]` roles resolve: every command has the form the role needs,
//! every value names a parameter of that form and a source the role can give,
//! every required parameter gets a value, every URC exists and names the
//! connection it is about, and the ids are declared parameters.

use super::{diag, param, sp, Ctx};
use crate::diag::Diagnostics;
use crate::ir;
use crate::load::Loaded;
use crate::model::{self, DataEnd, FormKind, Socket};
use crate::template::{params_of, parse_command, parse_template};
use std::collections::BTreeMap;
use toml::Spanned;

type Values = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

/// What a role may take its values from besides options and constants.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RoleKind {
    Setup,
    Open,
    Send,
    Recv,
    Close,
    State,
    Upload,
}

impl RoleKind {
    fn name(self) -> &'static str {
        match self {
            RoleKind::Setup => "socket.setup",
            RoleKind::Open => "socket.open",
            RoleKind::Send => "socket.send",
            RoleKind::Recv => "socket.recv",
            RoleKind::Close => "socket.close",
            RoleKind::State => "socket.state",
            RoleKind::Upload => "socket.upload",
        }
    }

    /// The role-specific sources it may name.
    fn sources(self) -> &'static [&'static str] {
        match self {
            RoleKind::Open => &["host", "port"],
            RoleKind::Send => &["data_len"],
            RoleKind::Recv => &["read_len"],
            _ => &[],
        }
    }
}

struct Pass<'a> {
    f: &'a Loaded,
    s: &'a Socket,
    diags: &'a mut Diagnostics,
}

pub fn run(ctx: &Ctx, diags: &mut Diagnostics) {
    for f in ctx.files {
        let Some(s) = &f.file.socket else { continue };
        let mut p = Pass {
            f,
            s: s.get_ref(),
            diags,
        };
        p.check();
    }
}

fn form_params(form: &model::Form) -> Vec<(String, bool)> {
    parse_command(form.syntax.get_ref())
        .map(|c| {
            params_of(&c.args)
                .into_iter()
                .map(|(n, _, opt)| (n, opt))
                .collect()
        })
        .unwrap_or_default()
}

impl<'a> Pass<'a> {
    fn check(&mut self) {
        let ids = self.s.ids.get_ref();
        for id in [&ids.pdp, &ids.ssl_ctx]
            .into_iter()
            .flatten()
            .chain(std::iter::once(&ids.connection))
        {
            self.param_exists(id, "socket.ids");
        }
        if let Some(m) = &self.s.modes {
            self.param_exists(&m.get_ref().param, "socket.modes");
        }
        for k in self.s.lacks.keys() {
            let ok = k.get_ref() == "upload"
                || (ir::OPTIONS.contains(&k.get_ref().as_str())
                    && !["pdp", "ssl_ctx", "connection", "cert_kind"]
                        .contains(&k.get_ref().as_str()));
            if !ok {
                self.diags.push(
                    diag(
                        &self.f.source,
                        sp(k),
                        format!("socket.lacks names `{}`, which is no option", k.get_ref()),
                    )
                    .label("unknown option")
                    .help(format!("known: upload, {}", options_hint())),
                );
            }
        }
        for r in &self.s.setup {
            let r = r.get_ref();
            self.role(RoleKind::Setup, &r.command, &r.values, None);
        }
        let open = self.s.open.get_ref();
        let open_form = self.role(RoleKind::Open, &open.command, &open.values, None);
        if let (Some(m), Some(form)) = (&self.s.modes, open_form) {
            let known = form_params(form)
                .iter()
                .any(|(n, _)| n == m.get_ref().param.get_ref());
            if !known {
                self.diags.push(
                    diag(
                        &self.f.source,
                        sp(&m.get_ref().param),
                        format!(
                            "socket.modes names <{}>, which is not a parameter of `{}`",
                            m.get_ref().param.get_ref(),
                            form.syntax.get_ref()
                        ),
                    )
                    .label("not in the open form")
                    .help("name the open form's parameter that picks buffer or push mode"),
                );
            }
        }
        let send = self.s.send.get_ref();
        let send_form = self.role(
            RoleKind::Send,
            &send.command,
            &send.values,
            Some(send.data.as_ref().map(|d| *d.get_ref())),
        );
        if let Some(form) = send_form {
            for r in &send.retry {
                match r.get_ref() {
                    toml::Value::String(t) if t == "SEND FAIL" => {
                        if !form.finals.iter().any(|fin| fin.get_ref() == "SEND FAIL") {
                            self.diags.push(
                                diag(&self.f.source, sp(r), "socket.send retries SEND FAIL, which the send form does not end with")
                                    .label("not a final of the form")
                                    .help("list SEND FAIL in the form's `finals`, or retry result codes instead"),
                            );
                        }
                    }
                    toml::Value::Integer(_) => {}
                    _ => self.diags.push(
                        diag(
                            &self.f.source,
                            sp(r),
                            "socket.send retry takes \"SEND FAIL\" or result codes",
                        )
                        .label("neither")
                        .help("e.g. retry = [\"SEND FAIL\"] or retry = [-9]"),
                    ),
                }
            }
        }
        if let Some(r) = &self.s.recv {
            let r = r.get_ref();
            self.urc(&r.ready, "socket.recv.ready", false);
            self.role(RoleKind::Recv, &r.command, &r.values, None);
        }
        if let Some(p) = &self.s.push {
            self.urc(&p.get_ref().urc, "socket.push", true);
        }
        if let Some(c) = &self.s.closed {
            self.urc(&c.get_ref().urc, "socket.closed", false);
        }
        let close = self.s.close.get_ref();
        self.role(RoleKind::Close, &close.command, &close.values, None);
        if let Some(st) = &self.s.state {
            let st = st.get_ref();
            self.role(RoleKind::State, &st.command, &st.values, None);
        }
        let mut kinds: Vec<&str> = Vec::new();
        for u in &self.s.upload {
            let u = u.get_ref();
            let k = u.kind.get_ref().as_str();
            if !ir::CERT_KINDS.contains(&k) {
                self.diags.push(
                    diag(
                        &self.f.source,
                        sp(&u.kind),
                        format!("socket.upload kind `{k}` is not a certificate kind"),
                    )
                    .label("unknown kind")
                    .help(format!("known: {}", ir::CERT_KINDS.join(", "))),
                );
            } else if kinds.contains(&k) {
                self.diags.push(
                    diag(
                        &self.f.source,
                        sp(&u.kind),
                        format!("socket.upload lists `{k}` twice"),
                    )
                    .label("duplicate")
                    .help("one [[socket.upload]] per certificate kind"),
                );
            }
            kinds.push(k);
            let data_steps = u.steps.iter().filter(|s| s.get_ref().data).count();
            if data_steps != 1 {
                self.diags.push(
                    diag(
                        &self.f.source,
                        sp(&u.kind),
                        format!("the upload of `{k}` has {data_steps} steps with `data = true`"),
                    )
                    .label("one data step needed")
                    .help(
                        "mark the step whose data phase takes the certificate with `data = true`",
                    ),
                );
            }
            for st in &u.steps {
                let st = st.get_ref();
                let needs = st.data.then_some(None);
                self.role(RoleKind::Upload, &st.command, &st.values, needs);
            }
        }
    }

    fn param_exists(&mut self, name: &Spanned<String>, what: &str) {
        if param(self.f, name.get_ref()).is_none() {
            self.diags.push(
                diag(
                    &self.f.source,
                    sp(name),
                    format!(
                        "{what} names <{}>, which is not a declared parameter",
                        name.get_ref()
                    ),
                )
                .label("undeclared")
                .help("declare it under [params] or name the manual's parameter"),
            );
        }
    }

    fn command(&self, id: &str) -> Option<&'a model::Command> {
        let f: &'a Loaded = self.f;
        f.file
            .commands
            .iter()
            .map(|c| c.get_ref())
            .find(|c| c.id.get_ref() == id)
    }

    /// The form a role uses; `data`: `Some(end)` for a send (which write form),
    /// `Some(None)` for a step that needs any data phase.
    fn role_form<'c>(
        &self,
        cmd: &'c model::Command,
        data: Option<Option<DataEnd>>,
    ) -> Option<&'c model::Form> {
        cmd.forms.iter().map(|f| f.get_ref()).find(|f| {
            *f.kind.get_ref() == FormKind::Write
                && match (data, &f.data) {
                    (Some(Some(end)), Some(d)) => *d.get_ref().end.get_ref() == end,
                    (Some(Some(_)), None) => false,
                    (Some(None), d) => d.is_some(),
                    (None, _) => true,
                }
        })
    }

    fn role(
        &mut self,
        kind: RoleKind,
        command: &Spanned<String>,
        values: &Values,
        data: Option<Option<DataEnd>>,
    ) -> Option<&'a model::Form> {
        let f = self.f;
        let Some(cmd) = self.command(command.get_ref()) else {
            self.diags
                .push(super::unknown_command(f, command, kind.name()));
            return None;
        };
        let Some(form) = self.role_form(cmd, data) else {
            let what = match data {
                Some(Some(DataEnd::Length)) => "a write form with a fixed-length data phase",
                Some(Some(DataEnd::CtrlZ)) => "a write form with a Ctrl+Z data phase",
                Some(None) => "a write form with a data phase",
                None => "a write form",
            };
            self.diags.push(
                diag(
                    &f.source,
                    sp(command),
                    format!(
                        "{} needs {what}; `{}` has none",
                        kind.name(),
                        command.get_ref()
                    ),
                )
                .label("no such form")
                .help("name another command, or add the form the manual documents"),
            );
            return None;
        };
        let params = form_params(form);
        let ids = self.s.ids.get_ref();
        let id_params: Vec<&str> = [&ids.pdp, &ids.ssl_ctx]
            .into_iter()
            .flatten()
            .chain(std::iter::once(&ids.connection))
            .map(|p| p.get_ref().as_str())
            .collect();
        for (k, v) in values {
            if !params.iter().any(|(n, _)| n == k.get_ref()) {
                let names: Vec<String> = params.iter().map(|(n, _)| format!("<{n}>")).collect();
                self.diags.push(
                    diag(
                        &f.source,
                        sp(k),
                        format!(
                            "{} gives <{}>, which is not a parameter of `{}`",
                            kind.name(),
                            k.get_ref(),
                            form.syntax.get_ref()
                        ),
                    )
                    .label("not in the form")
                    .help(if names.is_empty() {
                        "the form takes no parameters".to_string()
                    } else {
                        format!("the form's parameters: {}", names.join(", "))
                    }),
                );
            }
            self.source(kind, v);
        }
        // Every parameter outside an optional group needs a value.
        let data_len = form
            .data
            .as_ref()
            .and_then(|d| d.get_ref().length.as_ref().map(|l| l.get_ref().clone()));
        for (n, optional) in &params {
            let given = values.keys().any(|k| k.get_ref() == n)
                || id_params.contains(&n.as_str())
                || data_len.as_deref() == Some(n.as_str());
            if !optional && !given {
                self.diags.push(
                    diag(
                        &f.source,
                        sp(command),
                        format!(
                            "{} gives no value to <{n}> of `{}`",
                            kind.name(),
                            form.syntax.get_ref()
                        ),
                    )
                    .label("a required parameter has no source")
                    .help(format!(
                        "add `{n} = …` under values: an option ({}), a role source or a constant",
                        options_hint()
                    )),
                );
            }
        }
        Some(form)
    }

    fn source(&mut self, kind: RoleKind, v: &Spanned<toml::Value>) {
        let bad = match v.get_ref() {
            toml::Value::Integer(_) => None,
            toml::Value::String(s) if ir::OPTIONS.contains(&s.as_str()) => (s == "cert_kind"
                && kind != RoleKind::Upload)
                .then(|| format!("`{s}` is a value of uploads only")),
            toml::Value::String(s) if ir::ROLE_SOURCES.contains(&s.as_str()) => {
                (!kind.sources().contains(&s.as_str()))
                    .then(|| format!("`{s}` is not a value {} has", kind.name()))
            }
            toml::Value::String(s) => Some(format!("`{s}` is not an option or a value source")),
            toml::Value::Table(t) if t.len() == 1 && t.get("text").is_some_and(|x| x.is_str()) => {
                None
            }
            other => Some(format!(
                "{other} is not an option name, an integer or {{ text = \"…\" }}"
            )),
        };
        if let Some(msg) = bad {
            let mut help = format!("options: {}", options_hint());
            if !kind.sources().is_empty() {
                help.push_str(&format!(
                    "; {} also takes {}",
                    kind.name(),
                    kind.sources().join(", ")
                ));
            }
            self.diags.push(
                diag(&self.f.source, sp(v), msg)
                    .label("unknown value source")
                    .help(help),
            );
        }
    }

    /// A URC of a role exists and names the connection; `payload`: it carries data.
    fn urc(&mut self, id: &Spanned<String>, what: &str, payload: bool) {
        let f = self.f;
        let Some(u) = f
            .file
            .urcs
            .iter()
            .map(|u| u.get_ref())
            .find(|u| u.id.get_ref() == id.get_ref())
        else {
            let known: Vec<&str> = f
                .file
                .urcs
                .iter()
                .map(|u| u.get_ref().id.get_ref().as_str())
                .collect();
            self.diags.push(
                diag(
                    &f.source,
                    sp(id),
                    format!(
                        "{what} names `{}`, which is not a URC of this file",
                        id.get_ref()
                    ),
                )
                .label("unknown URC")
                .help(format!("known URCs: {}", known.join(", "))),
            );
            return;
        };
        let conn = self.s.ids.get_ref().connection.get_ref();
        let names: Vec<String> = parse_template(u.line.get_ref())
            .map(|t| params_of(&t).into_iter().map(|(n, _, _)| n).collect())
            .unwrap_or_default();
        if !names.iter().any(|n| n == conn) {
            self.diags.push(
                diag(
                    &f.source,
                    sp(id),
                    format!("{what} names `{}`, whose line `{}` has no <{conn}>: it cannot say which connection it is about", id.get_ref(), u.line.get_ref()),
                )
                .label("no connection id")
                .help("socket.ids.connection must be a parameter of every URC of the dialog"),
            );
        }
        if payload && u.payload_length.is_none() {
            self.diags.push(
                diag(
                    &f.source,
                    sp(id),
                    format!("{what} names `{}`, which carries no payload", id.get_ref()),
                )
                .label("no payload_length")
                .help("the push URC carries the data: give it `payload_length`"),
            );
        }
    }
}

fn options_hint() -> String {
    ir::OPTIONS
        .iter()
        .filter(|o| !["pdp", "ssl_ctx", "connection", "cert_kind"].contains(o))
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
}

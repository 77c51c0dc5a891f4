//! The `[simulator]` section resolves: power-on values name parameters and fit
//! them, codes named by table entries exist, every value names a parameter of
//! the lines it fills and a source the simulator has, and the state and file
//! commands exist with the forms they need.

use super::{diag, lower, sp, Ctx};
use crate::diag::Diagnostics;
use crate::load::Loaded;
use crate::model::{self, FormKind, Simulator};
use crate::template::{params_of, parse_command, parse_template};
use std::collections::{BTreeMap, BTreeSet};
use toml::Spanned;

type Values = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

pub fn run(ctx: &Ctx, diags: &mut Diagnostics) {
    for f in ctx.files {
        let Some(s) = &f.file.simulator else { continue };
        let mut p = Pass { ctx, f, diags };
        p.check(s.get_ref());
    }
}

struct Pass<'a, 'c> {
    ctx: &'c Ctx<'a>,
    f: &'a Loaded,
    diags: &'c mut Diagnostics,
}

/// Every parameter name a template of the file writes.
fn names_in(text: &str) -> Vec<String> {
    parse_template(text)
        .map(|t| params_of(&t).into_iter().map(|(n, _, _)| n).collect())
        .unwrap_or_default()
}

fn form_lines(form: &model::Form) -> Vec<String> {
    form.responses
        .iter()
        .map(|l| l.get_ref().line.get_ref().clone())
        .chain(
            form.queries
                .iter()
                .flat_map(|q| q.get_ref().responses.iter())
                .map(|l| l.get_ref().line.get_ref().clone()),
        )
        .collect()
}

impl Pass<'_, '_> {
    fn check(&mut self, s: &Simulator) {
        let every = self.all_params();
        for (k, v) in &s.power_on {
            if !every.contains(k.get_ref()) {
                self.unknown_param(k, "simulator.power_on", "any template of this file");
                continue;
            }
            if !matches!(
                v.get_ref(),
                toml::Value::Integer(_) | toml::Value::String(_)
            ) {
                self.diags.push(
                    diag(
                        &self.f.source,
                        sp(v),
                        "a power-on value is an integer or a string",
                    )
                    .label("neither")
                    .help("e.g. SSL_version = 4 or cacertpath = \"\""),
                );
            }
        }
        for v in [&s.busy, &s.send_failure, &s.open_timeout]
            .into_iter()
            .flatten()
        {
            self.code(v);
        }
        if let Some(c) = &s.close_unknown {
            if !["ok", "error"].contains(&c.get_ref().as_str()) {
                self.diags.push(
                    diag(
                        &self.f.source,
                        sp(c),
                        format!("close_unknown is `{}`", c.get_ref()),
                    )
                    .label("neither ok nor error")
                    .help("close_unknown = \"ok\" or \"error\": how a close of an id that is not open is answered"),
                );
            }
        }
        if !s.recv.is_empty() {
            let lines = self.recv_lines();
            self.values(&s.recv, &lines, "simulator.recv");
        }
        if let Some(st) = &s.state {
            let st = st.get_ref();
            if let Some(cmd) = self.command(&st.command, "simulator.state") {
                let lines: Vec<String> = cmd
                    .forms
                    .iter()
                    .flat_map(|f| form_lines(f.get_ref()))
                    .collect();
                self.values(&st.values, &lines, "simulator.state");
            }
            let states = st.states.get_ref();
            for v in [
                &states.initial,
                &states.opening,
                &states.connected,
                &states.closing,
            ] {
                if !matches!(
                    v.get_ref(),
                    toml::Value::Integer(_) | toml::Value::String(_)
                ) {
                    self.diags.push(
                        diag(&self.f.source, sp(v), "a state is written as an integer or a string")
                            .label("neither")
                            .help("the state parameter's value, e.g. connected = 2 or connected = \"CONNECTED\""),
                    );
                }
            }
        }
        if let Some(files) = &s.files {
            let files = files.get_ref();
            if let Some(cmd) = self.command(&files.write, "simulator.files.write") {
                let with_data = cmd
                    .forms
                    .iter()
                    .map(|f| f.get_ref())
                    .find(|f| f.data.is_some());
                match with_data {
                    None => self.diags.push(
                        diag(
                            &self.f.source,
                            sp(&files.write),
                            format!("`{}` has no form with a data phase", files.write.get_ref()),
                        )
                        .label("no upload")
                        .help("simulator.files.write names the command whose data phase uploads the file"),
                    ),
                    Some(form) => {
                        if let Some(size) = &files.size {
                            let names: Vec<String> =
                                form_lines(form).iter().flat_map(|l| names_in(l)).collect();
                            if !names.contains(size.get_ref()) {
                                self.unknown_param(size, "simulator.files.size", "the upload's response");
                            }
                        }
                    }
                }
            }
            for c in [&files.read, &files.delete] {
                self.command(c, "simulator.files");
            }
            if let Some(cmd) = self.find(files.read.get_ref()) {
                let names: Vec<String> = cmd
                    .forms
                    .iter()
                    .flat_map(|f| form_lines(f.get_ref()))
                    .flat_map(|l| names_in(&l))
                    .collect();
                for k in files.values.keys() {
                    if !names.contains(k.get_ref()) {
                        self.unknown_param(
                            k,
                            "simulator.files.values",
                            "the read command's response",
                        );
                    }
                }
            }
        }
    }

    fn all_params(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for c in &self.f.file.commands {
            for form in &c.get_ref().forms {
                let form = form.get_ref();
                if let Ok(cmd) = parse_command(form.syntax.get_ref()) {
                    out.extend(params_of(&cmd.args).into_iter().map(|(n, _, _)| n));
                }
                for l in form_lines(form) {
                    out.extend(names_in(&l));
                }
            }
        }
        out
    }

    /// The read command's response lines (from `[socket.recv]`).
    fn recv_lines(&self) -> Vec<String> {
        let Some(recv) = self
            .f
            .file
            .socket
            .as_ref()
            .and_then(|s| s.get_ref().recv.as_ref())
        else {
            return Vec::new();
        };
        self.find(recv.get_ref().command.get_ref())
            .map(|c| {
                c.forms
                    .iter()
                    .map(|f| f.get_ref())
                    .filter(|f| *f.kind.get_ref() == FormKind::Write)
                    .flat_map(form_lines)
                    .collect()
            })
            .unwrap_or_default()
    }

    fn find(&self, id: &str) -> Option<&model::Command> {
        self.f
            .file
            .commands
            .iter()
            .map(|c| c.get_ref())
            .find(|c| c.id.get_ref() == id)
    }

    fn command(&mut self, id: &Spanned<String>, what: &str) -> Option<&model::Command> {
        let found = self
            .f
            .file
            .commands
            .iter()
            .map(|c| c.get_ref())
            .find(|c| c.id.get_ref() == id.get_ref());
        if found.is_none() {
            self.diags.push(super::unknown_command(self.f, id, what));
        }
        found
    }

    fn code(&mut self, v: &Spanned<toml::Value>) {
        let Some(fam) = self.f.file.family.as_ref() else {
            return;
        };
        let mut tables = Vec::new();
        let ids = self
            .f
            .file
            .tables
            .iter()
            .map(|t| t.get_ref().id.get_ref().clone())
            .chain(fam.get_ref().uses.iter().map(|u| u.get_ref().clone()));
        for id in ids {
            if let Some(t) = self.ctx.table_for(self.f, &id) {
                tables.push(t.get_ref());
            }
        }
        let entries = tables.iter().flat_map(|t| t.entries.iter()).map(|e| {
            let e = e.get_ref();
            (
                e.name.get_ref().as_str(),
                e.en.as_deref(),
                *e.code.get_ref(),
            )
        });
        if let Err(msg) = lower::code_named(v.get_ref(), entries) {
            self.diags.push(
                diag(&self.f.source, sp(v), msg).label("unknown code").help(
                    "write the code, or the `name` of an entry of one of the family's tables",
                ),
            );
        }
    }

    fn values(&mut self, values: &Values, lines: &[String], what: &str) {
        let names: Vec<String> = lines.iter().flat_map(|l| names_in(l)).collect();
        for (k, v) in values {
            if !names.contains(k.get_ref()) {
                self.unknown_param(k, what, "the lines it fills");
            }
            if let Err(msg) = lower::sim_source(v.get_ref()) {
                self.diags.push(
                    diag(&self.f.source, sp(v), msg)
                        .label("not a source")
                        .help("connection, host, port, local_port, state, mode, an integer, or { text = \"…\" }"),
                );
            }
        }
    }

    fn unknown_param(&mut self, k: &Spanned<String>, what: &str, wher: &str) {
        self.diags.push(
            diag(
                &self.f.source,
                sp(k),
                format!(
                    "{what} names <{}>, which is not a parameter of {wher}",
                    k.get_ref()
                ),
            )
            .label("unknown parameter")
            .help("name a parameter as the manual's templates write it"),
        );
    }
}

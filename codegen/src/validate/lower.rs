//! Lowering a validated raw model to the IR. Runs only after every pass is
//! clean; lookups stay fallible all the same and report instead of panicking.

use super::{diag, Ctx};
use crate::diag::Diagnostics;
use crate::ir;
use crate::load::Loaded;
use crate::model;
use crate::names::{snake_case, upper_camel};
use crate::template::{parse_command, parse_template, Token};
use std::collections::BTreeMap;

pub fn lower(ctx: &Ctx) -> Result<ir::Spec, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut families = BTreeMap::new();
    for (f, fam) in ctx.families() {
        match family(ctx, f, fam.get_ref()) {
            Ok(fam) => {
                families.insert(fam.id.clone(), fam);
            }
            Err(msg) => diags.push(diag(&f.source, fam.span(), msg)),
        }
    }
    name_dialects(&mut families);
    if diags.is_empty() {
        Ok(ir::Spec { families })
    } else {
        Err(diags)
    }
}

/// The dialect type of each family with a dialog: the id's last word
/// (`quectel-ec2x` → `Ec2x`), or the whole id where that is shared.
fn name_dialects(families: &mut BTreeMap<String, ir::Family>) {
    let short = |id: &str| crate::names::upper_camel(id.rsplit('-').next().unwrap_or(id));
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for f in families.values().filter(|f| f.socket.is_some()) {
        *count.entry(short(&f.id)).or_default() += 1;
    }
    for f in families.values_mut() {
        let id = f.id.clone();
        if let Some(s) = &mut f.socket {
            let name = short(&id);
            s.dialect = if count.get(&name).copied().unwrap_or(0) > 1 {
                crate::names::upper_camel(&id)
            } else {
                name
            };
        }
    }
}

fn table(t: &model::Table, file: &Loaded) -> ir::Table {
    ir::Table {
        id: t.id.get_ref().clone(),
        kind: t.kind,
        rust: t.rust.get_ref().clone(),
        title: t.title.clone(),
        source: t.source.clone(),
        section: t.section.clone(),
        entries: t
            .entries
            .iter()
            .map(|e| {
                let e = e.get_ref();
                ir::Entry {
                    code: *e.code.get_ref(),
                    name: e.name.get_ref().clone(),
                    en: e.en.clone(),
                    zh: e.zh.clone(),
                    families: e.families.clone(),
                }
            })
            .collect(),
        spec_file: file.source.path.clone(),
    }
}

fn literal(v: &toml::Value) -> Result<ir::Literal, String> {
    match v {
        toml::Value::Integer(i) => Ok(ir::Literal::Int(*i)),
        toml::Value::String(s) => Ok(ir::Literal::Str(s.clone())),
        other => Err(format!("value {other} is neither an integer nor a string")),
    }
}

fn condition(c: &Option<toml::Spanned<model::Condition>>) -> Option<ir::Condition> {
    c.as_ref().map(|c| {
        let c = c.get_ref();
        ir::Condition {
            param: c.param.get_ref().clone(),
            equals: c.equals,
            note: c.note.clone(),
        }
    })
}

fn template(text: &str) -> Result<Vec<Token>, String> {
    parse_template(text).map_err(|e| format!("template `{text}`: {}", e.message))
}

fn line(l: &model::Line) -> Result<ir::Line, String> {
    Ok(ir::Line {
        template: l.line.get_ref().clone(),
        tokens: template(l.line.get_ref())?,
        repeat: l.repeat,
        optional: l.optional,
        payload_length: l.payload_length.as_ref().map(|p| p.get_ref().clone()),
        payload_hex_when: condition(&l.payload_hex_when),
        description: l.description.clone(),
        placeholders: Vec::new(),
    })
}

/// A line of a test response: its bare `<name>` placeholders may be printed as
/// the manual writes them or filled with a value, except those it `filled`
/// (always a value).
fn test_line(l: &model::Line) -> Result<ir::Line, String> {
    let filled: Vec<&str> = l.filled.iter().map(|n| n.get_ref().as_str()).collect();
    let mut out = line(l)?;
    out.placeholders = bare_names(&out.tokens)
        .into_iter()
        .filter(|n| !filled.contains(&n.as_str()))
        .collect();
    Ok(out)
}

/// The `<name>`s of a template outside parentheses, optional groups included.
pub(crate) fn bare_names(tokens: &[Token]) -> Vec<String> {
    tokens
        .iter()
        .flat_map(|t| match t {
            Token::Param { name, .. } => vec![name.clone()],
            Token::Optional { tokens } => bare_names(tokens),
            _ => Vec::new(),
        })
        .collect()
}

fn family(ctx: &Ctx, f: &Loaded, fam: &model::Family) -> Result<ir::Family, String> {
    let mut tables = BTreeMap::new();
    for t in &f.file.tables {
        tables.insert(t.get_ref().id.get_ref().clone(), table(t.get_ref(), f));
    }
    for u in &fam.uses {
        let (i, t) = ctx
            .tables
            .get(u.get_ref().as_str())
            .ok_or_else(|| format!("shared table `{}` vanished", u.get_ref()))?;
        let file = ctx.files.get(*i).ok_or("table file index out of bounds")?;
        tables.insert(u.get_ref().clone(), table(t.get_ref(), file));
    }

    let mut params = BTreeMap::new();
    for (key, p) in &f.file.params {
        let p = p.get_ref();
        let key = key.get_ref().clone();
        let name = p.name.clone().unwrap_or_else(|| key.clone());
        let mut values = Vec::new();
        if let Some(vs) = &p.values {
            for v in vs {
                let v = v.get_ref();
                values.push(ir::Value {
                    value: literal(&v.value)?,
                    name: v.name.get_ref().clone(),
                    meaning: v.meaning.clone(),
                    meaning_en: v.meaning_en.clone(),
                });
            }
        }
        if let Some(vf) = &p.values_from {
            let t = tables
                .get(vf.get_ref())
                .ok_or_else(|| format!("table `{}` of <{key}> vanished", vf.get_ref()))?;
            for e in &t.entries {
                let keep = p
                    .subset
                    .as_ref()
                    .is_none_or(|s| s.get_ref().contains(&e.code));
                if keep {
                    values.push(ir::Value {
                        value: ir::Literal::Int(e.code),
                        name: e.name.clone(),
                        meaning: e.en.clone().or_else(|| e.zh.clone()),
                        meaning_en: e.en.clone(),
                    });
                }
            }
        }
        let ty = *p.ty.get_ref();
        params.insert(
            key.clone(),
            ir::Param {
                rust: p
                    .rust
                    .as_ref()
                    .map(|r| r.get_ref().clone())
                    .unwrap_or_else(|| snake_case(&name)),
                key,
                name,
                ty,
                quoted: p.quoted.unwrap_or(ty == model::ParamType::String),
                quotes_optional: p.quotes_optional,
                description: p.description.clone(),
                description_en: p.description_en.clone(),
                section: p.section.clone(),
                range: p.range.as_ref().map(|r| (r.get_ref()[0], r.get_ref()[1])),
                supported: p.supported.as_ref().map(|s| s.get_ref().clone()),
                supported_note: p.supported_note.clone(),
                values,
                values_from: p.values_from.as_ref().map(|v| v.get_ref().clone()),
                default: p
                    .default
                    .as_ref()
                    .map(|d| literal(d.get_ref()))
                    .transpose()?,
                unit: p.unit.clone(),
                unit_by: p.unit_by.as_ref().map(|u| ir::UnitBy {
                    param: u.get_ref().param.get_ref().clone(),
                    units: u.get_ref().units.clone(),
                }),
                range_when: p
                    .range_when
                    .iter()
                    .map(|r| {
                        let r = r.get_ref();
                        ir::RangeWhen {
                            param: r.param.get_ref().clone(),
                            equals: r.equals,
                            range: (r.range.get_ref()[0], r.range.get_ref()[1]),
                            note: r.note.clone(),
                        }
                    })
                    .collect(),
                requires: condition(&p.requires),
                max_len: p.max_len.as_ref().map(|m| *m.get_ref()),
                secret: p.secret,
                open_enum: p.open_enum,
                empty: p.empty,
                hex: p.hex.as_ref().map_or_else(
                    || ir::HexFormat {
                        prefix: "0X".into(),
                        digits: 4,
                        lowercase: false,
                    },
                    |h| ir::HexFormat {
                        prefix: h.prefix.clone(),
                        digits: h.digits,
                        lowercase: h.lowercase,
                    },
                ),
            },
        );
    }

    let mut commands = Vec::new();
    for c in &f.file.commands {
        let c = c.get_ref();
        let mut forms = Vec::new();
        for form in &c.forms {
            let fm = form.get_ref();
            let syntax = parse_command(fm.syntax.get_ref())
                .map_err(|e| format!("syntax `{}`: {}", fm.syntax.get_ref(), e.message))?;
            let finals = fm
                .finals
                .iter()
                .map(|fin| {
                    let text = fin.get_ref().clone();
                    let tokens = template(&text)?;
                    let result = tokens
                        .iter()
                        .filter_map(|t| match t {
                            Token::Lit { text } => Some(text.as_str()),
                            _ => None,
                        })
                        .collect::<String>()
                        .trim_matches(|c: char| c == ',' || c == ':' || c.is_whitespace())
                        .to_string();
                    Ok(ir::Final {
                        text,
                        tokens,
                        result,
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            forms.push(ir::Form {
                kind: *fm.kind.get_ref(),
                syntax: fm.syntax.get_ref().clone(),
                args: syntax.args,
                description: fm.description.clone(),
                responses: fm
                    .responses
                    .iter()
                    .map(|l| match fm.kind.get_ref() {
                        model::FormKind::Test => test_line(l.get_ref()),
                        _ => line(l.get_ref()),
                    })
                    .collect::<Result<_, _>>()?,
                queries: fm
                    .queries
                    .iter()
                    .map(|q| {
                        let q = q.get_ref();
                        Ok(ir::Query {
                            omitted: q.omitted.iter().map(|o| o.get_ref().clone()).collect(),
                            description: q.description.clone(),
                            responses: q
                                .responses
                                .iter()
                                .map(|l| line(l.get_ref()))
                                .collect::<Result<_, String>>()?,
                        })
                    })
                    .collect::<Result<_, String>>()?,
                finals,
                data: fm.data.as_ref().map(|d| {
                    let d = d.get_ref();
                    ir::DataPhase {
                        end: *d.end.get_ref(),
                        length: d.length.as_ref().map(|l| l.get_ref().clone()),
                        max_len: d.max_len,
                        text: d.text.clone(),
                        hex_when: condition(&d.hex_when),
                        checksum: d.checksum.as_ref().map(|c| ir::Checksum {
                            algorithm: c.get_ref().algorithm,
                            param: c.get_ref().param.get_ref().clone(),
                            text: c.get_ref().text.clone(),
                        }),
                        prompt_wait_ms: d.prompt_wait_ms,
                        secret: d.secret,
                        secret_when: condition(&d.secret_when),
                    }
                }),
                result_urc: fm.result_urc.as_ref().map(|r| r.get_ref().clone()),
                result_when: condition(&fm.result_when),
                error_line: fm
                    .error_line
                    .as_ref()
                    .map(|e| {
                        let e = e.get_ref();
                        Ok::<_, String>(ir::ErrorLine {
                            line: ir::Line {
                                template: e.line.get_ref().clone(),
                                tokens: template(e.line.get_ref())?,
                                repeat: false,
                                optional: false,
                                payload_length: None,
                                payload_hex_when: None,
                                description: None,
                                placeholders: Vec::new(),
                            },
                            code: e.code.get_ref().clone(),
                        })
                    })
                    .transpose()?,
                records: fm.records,
                connect_when: condition(&fm.connect_when),
            });
        }
        commands.push(ir::Command {
            id: c.id.get_ref().clone(),
            name: c.name.get_ref().clone(),
            sub: c.sub.clone(),
            rust: c
                .rust
                .as_ref()
                .map(|r| r.get_ref().clone())
                .unwrap_or_else(|| upper_camel(c.id.get_ref())),
            title: c.title.clone(),
            title_en: c.title_en.clone(),
            description: c.description.clone(),
            description_en: c.description_en.clone(),
            section: c.section.clone(),
            max_response_time: c.max_response_time.as_ref().map(|t| ir::ResponseTime {
                ms: t.get_ref().ms,
                plus: t.get_ref().plus.as_ref().map(|p| p.get_ref().clone()),
                text: t.get_ref().text.clone(),
            }),
            result_wait: c.result_wait.as_ref().map(|w| {
                let w = w.get_ref();
                let same = w.max_response_time.as_ref().is_some_and(|b| *b.get_ref());
                let max = c.max_response_time.as_ref().map(|t| t.get_ref());
                let (ms, plus) = match max.filter(|_| same) {
                    Some(t) => (t.ms, t.plus.as_ref()),
                    None => (w.ms, w.plus.as_ref()),
                };
                ir::ResultWait {
                    time: ir::ResponseTime {
                        ms,
                        plus: plus.map(|p| p.get_ref().clone()),
                        text: w.text.clone(),
                    },
                    max_response_time: same,
                }
            }),
            saved: c.saved,
            characteristics: c.characteristics.clone(),
            forms,
            notes: c.notes.clone(),
        });
    }

    let urcs = f
        .file
        .urcs
        .iter()
        .map(|u| {
            let u = u.get_ref();
            Ok(ir::Urc {
                id: u.id.get_ref().clone(),
                rust: u
                    .rust
                    .as_ref()
                    .map(|r| r.get_ref().clone())
                    .unwrap_or_else(|| upper_camel(u.id.get_ref())),
                line: ir::Line {
                    template: u.line.get_ref().clone(),
                    tokens: template(u.line.get_ref())?,
                    repeat: false,
                    optional: false,
                    payload_length: u.payload_length.as_ref().map(|p| p.get_ref().clone()),
                    payload_hex_when: condition(&u.payload_hex_when),
                    description: None,
                    placeholders: Vec::new(),
                },
                title: u.title.clone(),
                title_en: u.title_en.clone(),
                description: u.description.clone(),
                description_en: u.description_en.clone(),
                section: u.section.clone(),
                completes: u.completes.as_ref().map(|c| c.get_ref().clone()),
                outcome: u.outcome.as_ref().map(|o| ir::Outcome {
                    param: o.get_ref().param.get_ref().clone(),
                    success: o.get_ref().success.clone(),
                }),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;

    let simulator = f
        .file
        .simulator
        .as_ref()
        .map(|s| simulator(s.get_ref(), &tables))
        .transpose()?
        .unwrap_or_default();
    Ok(ir::Family {
        id: fam.id.get_ref().clone(),
        vendor: fam.vendor.clone(),
        title: fam.title.clone(),
        modules: fam.modules.clone(),
        manual: ir::Manual {
            file: fam.manual.file.clone(),
            title: fam.manual.title.clone(),
            version: fam.manual.version.clone(),
            date: fam.manual.date.clone(),
            language: fam.manual.language.clone(),
        },
        ssl_versions: fam.ssl_versions.clone(),
        cipher_suites: fam.cipher_suites.as_ref().map(|c| c.get_ref().clone()),
        errors: fam.errors.iter().map(|e| e.get_ref().clone()).collect(),
        notes: fam.notes.clone(),
        params,
        urcs,
        tables,
        errata: f
            .file
            .errata
            .iter()
            .map(|e| {
                let e = e.get_ref();
                ir::Erratum {
                    section: e.section.clone(),
                    manual: e.manual.clone(),
                    spec: e.spec.clone(),
                    why: e.why.clone(),
                    applies_to: e.applies_to.as_ref().map(|a| a.get_ref().clone()),
                }
            })
            .collect(),
        socket: f
            .file
            .socket
            .as_ref()
            .map(|s| socket(s.get_ref(), &commands))
            .transpose()?,
        simulator,
        commands,
        spec_file: f.source.path.clone(),
    })
}

/// A code as the spec names it: an integer, or a table entry's name or text.
pub(crate) fn code_named<'e>(
    v: &toml::Value,
    mut entries: impl Iterator<Item = (&'e str, Option<&'e str>, i64)>,
) -> Result<i64, String> {
    match v {
        toml::Value::Integer(i) => Ok(*i),
        toml::Value::String(name) => entries
            .find(|(n, en, _)| n == name || *en == Some(name.as_str()))
            .map(|(_, _, code)| code)
            .ok_or_else(|| format!("no table entry of the family is named `{name}`")),
        other => Err(format!(
            "{other} is neither a code nor a table entry's name"
        )),
    }
}

/// A simulated field's source (the `simulator` pass checked it).
pub(crate) fn sim_source(v: &toml::Value) -> Result<ir::SimSource, String> {
    match v {
        toml::Value::Integer(i) => Ok(ir::SimSource::Int(*i)),
        toml::Value::String(s) => match s.as_str() {
            "connection" => Ok(ir::SimSource::Connection),
            "host" => Ok(ir::SimSource::Host),
            "port" => Ok(ir::SimSource::Port),
            "local_port" => Ok(ir::SimSource::LocalPort),
            "state" => Ok(ir::SimSource::State),
            "mode" => Ok(ir::SimSource::Mode),
            other => Err(format!(
                "`{other}` is not connection, host, port, local_port, state or mode (write {{ text = \"{other}\" }} for a constant)"
            )),
        },
        toml::Value::Table(t) => match t.get("text") {
            Some(toml::Value::String(text)) if t.len() == 1 => Ok(ir::SimSource::Text(text.clone())),
            _ => Err("a table value must be `{ text = \"…\" }`".into()),
        },
        other => Err(format!("{other} is not a source, an integer or {{ text = \"…\" }}")),
    }
}

type SpannedValues = BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>>;

fn sim_values(values: &SpannedValues) -> Result<Vec<(String, ir::SimSource)>, String> {
    values
        .iter()
        .map(|(k, v)| Ok((k.get_ref().clone(), sim_source(v.get_ref())?)))
        .collect()
}

fn literals(values: &SpannedValues) -> Result<Vec<(String, ir::Literal)>, String> {
    values
        .iter()
        .map(|(k, v)| Ok((k.get_ref().clone(), literal(v.get_ref())?)))
        .collect()
}

fn simulator(
    s: &model::Simulator,
    tables: &BTreeMap<String, ir::Table>,
) -> Result<ir::Simulator, String> {
    let code = |v: &Option<toml::Spanned<toml::Value>>| {
        v.as_ref()
            .map(|v| {
                let entries = tables
                    .values()
                    .flat_map(|t| t.entries.iter())
                    .map(|e| (e.name.as_str(), e.en.as_deref(), e.code));
                code_named(v.get_ref(), entries)
            })
            .transpose()
    };
    Ok(ir::Simulator {
        power_on: literals(&s.power_on)?,
        busy: code(&s.busy)?,
        send_failure: code(&s.send_failure)?,
        open_timeout: code(&s.open_timeout)?,
        close_unknown_ok: s
            .close_unknown
            .as_ref()
            .is_some_and(|c| c.get_ref() == "ok"),
        push_chunk: s.push_chunk.as_ref().map(|c| *c.get_ref()),
        recv: sim_values(&s.recv)?,
        state: s
            .state
            .as_ref()
            .map(|st| {
                let st = st.get_ref();
                let states = st.states.get_ref();
                Ok::<_, String>(ir::SimStateLines {
                    command: st.command.get_ref().clone(),
                    values: sim_values(&st.values)?,
                    states: [
                        literal(states.initial.get_ref())?,
                        literal(states.opening.get_ref())?,
                        literal(states.connected.get_ref())?,
                        literal(states.closing.get_ref())?,
                    ],
                    every_id: st.every_id,
                })
            })
            .transpose()?,
        files: s
            .files
            .as_ref()
            .map(|f| {
                let f = f.get_ref();
                Ok::<_, String>(ir::SimFiles {
                    write: f.write.get_ref().clone(),
                    read: f.read.get_ref().clone(),
                    delete: f.delete.get_ref().clone(),
                    size: f.size.as_ref().map(|s| s.get_ref().clone()),
                    values: literals(&f.values)?,
                })
            })
            .transpose()?,
        notes: s.notes.clone(),
    })
}

/// A dialog value as a source (the `socket_roles` pass checked it).
pub(crate) fn source(v: &toml::Value) -> Result<ir::Source, String> {
    match v {
        toml::Value::Integer(i) => Ok(ir::Source::Int(*i)),
        toml::Value::String(s) => match s.as_str() {
            "host" => Ok(ir::Source::Host),
            "port" => Ok(ir::Source::Port),
            "read_len" => Ok(ir::Source::ReadLen),
            "data_len" => Ok(ir::Source::DataLen),
            o if ir::OPTIONS.contains(&o) => Ok(ir::Source::Option(o.to_string())),
            other => Err(format!("`{other}` is not an option or a value source")),
        },
        toml::Value::Table(t) => match t.get("text") {
            Some(toml::Value::String(text)) if t.len() == 1 => Ok(ir::Source::Text(text.clone())),
            _ => Err("a table value must be `{ text = \"…\" }`".into()),
        },
        other => Err(format!(
            "{other} is not an option name, an integer or {{ text = \"…\" }}"
        )),
    }
}

/// The form of a command a role uses: its write form (with `data`, the one whose
/// data phase ends so; for a send without `data`, the first with a data phase).
pub(crate) fn role_form(
    cmd: &ir::Command,
    data: Option<model::DataEnd>,
    needs_data: bool,
) -> Option<usize> {
    cmd.forms.iter().position(|f| {
        f.kind == model::FormKind::Write
            && match (data, &f.data) {
                (Some(end), Some(d)) => d.end == end,
                (Some(_), None) => false,
                (None, d) => !needs_data || d.is_some(),
            }
    })
}

fn role(
    command: &toml::Spanned<String>,
    values: &BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>>,
    data: Option<model::DataEnd>,
    needs_data: bool,
    commands: &[ir::Command],
) -> Result<ir::RoleRequest, String> {
    let id = command.get_ref();
    let cmd = commands
        .iter()
        .find(|c| &c.id == id)
        .ok_or_else(|| format!("command `{id}` vanished"))?;
    let form =
        role_form(cmd, data, needs_data).ok_or_else(|| format!("`{id}` has no such form"))?;
    let values = values
        .iter()
        .map(|(k, v)| Ok((k.get_ref().clone(), source(v.get_ref())?)))
        .collect::<Result<Vec<_>, String>>()?;
    Ok(ir::RoleRequest {
        command: id.clone(),
        form,
        values,
    })
}

fn socket(s: &model::Socket, commands: &[ir::Command]) -> Result<ir::Socket, String> {
    let ids = s.ids.get_ref();
    let send = s.send.get_ref();
    let mut retry_send_fail = false;
    let mut retry_codes = Vec::new();
    for r in &send.retry {
        match r.get_ref() {
            toml::Value::String(t) if t == "SEND FAIL" => retry_send_fail = true,
            toml::Value::Integer(c) => retry_codes.push(*c),
            other => return Err(format!("retry {other} is neither \"SEND FAIL\" nor a code")),
        }
    }
    Ok(ir::Socket {
        dialect: String::new(),
        pdp: ids.pdp.as_ref().map(|p| p.get_ref().clone()),
        ssl_ctx: ids.ssl_ctx.as_ref().map(|p| p.get_ref().clone()),
        connection: ids.connection.get_ref().clone(),
        modes: s.modes.as_ref().map(|m| ir::Modes {
            param: m.get_ref().param.get_ref().clone(),
            buffer: m.get_ref().buffer,
            push: m.get_ref().push,
        }),
        lacks: s
            .lacks
            .iter()
            .map(|(k, v)| (k.get_ref().clone(), v.clone()))
            .collect(),
        setup: s
            .setup
            .iter()
            .map(|r| {
                let r = r.get_ref();
                Ok(ir::SetupRole {
                    request: role(&r.command, &r.values, None, false, commands)?,
                    always: r.always,
                })
            })
            .collect::<Result<_, String>>()?,
        open: role(
            &s.open.get_ref().command,
            &s.open.get_ref().values,
            None,
            false,
            commands,
        )?,
        send: ir::SendRole {
            request: role(
                &send.command,
                &send.values,
                send.data.as_ref().map(|d| *d.get_ref()),
                true,
                commands,
            )?,
            retry_send_fail,
            retry_codes,
            max: send.max.as_ref().map(|m| *m.get_ref()),
        },
        recv: s
            .recv
            .as_ref()
            .map(|r| {
                let r = r.get_ref();
                Ok::<_, String>(ir::RecvRole {
                    ready: r.ready.get_ref().clone(),
                    request: role(&r.command, &r.values, None, false, commands)?,
                })
            })
            .transpose()?,
        push: s.push.as_ref().map(|p| p.get_ref().urc.get_ref().clone()),
        closed: s.closed.as_ref().map(|c| c.get_ref().urc.get_ref().clone()),
        close_after_peer: s.closed.as_ref().is_none_or(|c| c.get_ref().close),
        close: role(
            &s.close.get_ref().command,
            &s.close.get_ref().values,
            None,
            false,
            commands,
        )?,
        state: s
            .state
            .as_ref()
            .map(|r| {
                role(
                    &r.get_ref().command,
                    &r.get_ref().values,
                    None,
                    false,
                    commands,
                )
            })
            .transpose()?,
        uploads: s
            .upload
            .iter()
            .map(|u| {
                let u = u.get_ref();
                Ok(ir::Upload {
                    kind: u.kind.get_ref().clone(),
                    steps: u
                        .steps
                        .iter()
                        .map(|st| {
                            let st = st.get_ref();
                            Ok(ir::UploadStep {
                                request: role(&st.command, &st.values, None, st.data, commands)?,
                                data: st.data,
                                ignore_errors: st.ignore_errors,
                                default_path: st.default_path.clone(),
                            })
                        })
                        .collect::<Result<_, String>>()?,
                })
            })
            .collect::<Result<_, String>>()?,
        notes: s.notes.clone(),
    })
}

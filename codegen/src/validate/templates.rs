//! Every syntax, response, URC and final template parses, matches its form's
//! kind and names only declared parameters; payloads say where their length is.

use super::{diag, inner, param, sp, Ctx};
use crate::diag::{Diagnostics, Source};
use crate::ir::KNOWN_FINALS;
use crate::load::Loaded;
use crate::model::{FormKind, Line, ParamType};
use crate::template::{params_of, parse_command, parse_template, Suffix, Token};
use toml::Spanned;

pub fn run(ctx: &Ctx, diags: &mut Diagnostics) {
    for f in ctx.files {
        let src = &f.source;
        for c in &f.file.commands {
            let cmd = c.get_ref();
            for form in &cmd.forms {
                let fm = form.get_ref();
                let syn = &fm.syntax;
                let parsed = match parse_command(syn.get_ref()) {
                    Ok(p) => p,
                    Err(e) => {
                        diags.push(
                            diag(
                                src,
                                inner(src, sp(syn), e.at, 1),
                                format!(
                                    "bad syntax in command `{}`: {}",
                                    cmd.id.get_ref(),
                                    e.message
                                ),
                            )
                            .label("here")
                            .help(e.help),
                        );
                        continue;
                    }
                };
                let (expected, kind) = match fm.kind.get_ref() {
                    FormKind::Test => (Suffix::Test, "test"),
                    FormKind::Read => (Suffix::Read, "read"),
                    FormKind::Write => (Suffix::Write, "write"),
                    FormKind::Exec => (Suffix::Exec, "exec"),
                };
                if parsed.suffix != expected {
                    let actual = match parsed.suffix {
                        Suffix::Test => "test",
                        Suffix::Read => "read",
                        Suffix::Write => "write",
                        Suffix::Exec => "exec",
                    };
                    diags.push(
                        diag(src, sp(&fm.kind), format!("form kind `{kind}` does not match its syntax `{}`, a {actual} form", syn.get_ref()))
                            .label("kind")
                            .also(src, sp(syn), "syntax")
                            .help("test forms end in `=?`, read forms in `?`, write forms in `=<args>`, execute forms in nothing"),
                    );
                }
                if !parsed.name.eq_ignore_ascii_case(cmd.name.get_ref()) {
                    diags.push(
                        diag(src, inner(src, sp(syn), 3, parsed.name.len()), format!("syntax names AT+{} but the command is {}", parsed.name, cmd.name.get_ref()))
                            .label("command name differs")
                            .also(src, sp(&cmd.name), "command name")
                            .help("a typo in the manual belongs in [[errata]]; the syntax uses the corrected name"),
                    );
                }
                let args = params_of(&parsed.args);
                for (name, at, _) in &args {
                    match param(f, name) {
                        None => undeclared(src, sp(syn), *at + parsed.args_at, name, diags),
                        Some(p) if *p.get_ref().ty.get_ref() == ParamType::Bytes => diags.push(
                            diag(
                                src,
                                inner(src, sp(syn), *at + parsed.args_at, name.len() + 2),
                                format!("payload <{name}> cannot be a command argument"),
                            )
                            .label("bytes parameter")
                            .help("payloads are sent in a data phase: use `data = {…}`"),
                        ),
                        Some(_) => {}
                    }
                }
                for q in &fm.queries {
                    for o in &q.get_ref().omitted {
                        match args.iter().find(|(n, _, _)| n == o.get_ref()) {
                            Some((_, _, true)) => {}
                            Some((_, _, false)) => diags.push(
                                diag(
                                    src,
                                    sp(o),
                                    format!(
                                        "<{}> is omitted by a query but is not optional in `{}`",
                                        o.get_ref(),
                                        syn.get_ref()
                                    ),
                                )
                                .label("not optional")
                                .help("only parameters inside `[...]` can be omitted"),
                            ),
                            None => diags.push(
                                diag(
                                    src,
                                    sp(o),
                                    format!(
                                        "<{}> is omitted by a query but does not appear in `{}`",
                                        o.get_ref(),
                                        syn.get_ref()
                                    ),
                                )
                                .label("not in the syntax")
                                .help("name a parameter of this form's syntax"),
                            ),
                        }
                    }
                    for l in &q.get_ref().responses {
                        line(f, l, false, diags);
                    }
                }
                let test = *fm.kind.get_ref() == FormKind::Test;
                for l in &fm.responses {
                    line(f, l, test, diags);
                }
                for fin in &fm.finals {
                    final_code(f, fin, diags);
                }
                if let Some(d) = &fm.data {
                    let d = d.get_ref();
                    if let Some(len) = &d.length {
                        if !args.iter().any(|(n, _, _)| n == len.get_ref()) {
                            diags.push(
                                diag(
                                    src,
                                    sp(len),
                                    format!(
                                        "data length <{}> is not an argument of `{}`",
                                        len.get_ref(),
                                        syn.get_ref()
                                    ),
                                )
                                .label("not in the syntax")
                                .help(
                                    "name the argument that carries the byte count, e.g. `sendlen`",
                                ),
                            );
                        }
                    } else if *d.end.get_ref() == crate::model::DataEnd::Length {
                        diags.push(
                            diag(src, sp(&d.end), "`end = \"length\"` without `length`")
                                .label("fixed-length data needs its length parameter")
                                .help("add `length = \"<param>\"`"),
                        );
                    }
                    if let Some(ck) = &d.checksum {
                        let p = &ck.get_ref().param;
                        let in_response = fm.responses.iter().any(|l| {
                            parse_template(l.get_ref().line.get_ref())
                                .map(|t| params_of(&t).iter().any(|(n, _, _)| n == p.get_ref()))
                                .unwrap_or(false)
                        });
                        if !in_response {
                            diags.push(
                                diag(
                                    src,
                                    sp(p),
                                    format!(
                                        "checksum <{}> appears in no response line of this form",
                                        p.get_ref()
                                    ),
                                )
                                .label("not in a response")
                                .help("name the response parameter that carries the checksum"),
                            );
                        }
                    }
                }
            }
        }
        for c in &f.file.commands {
            for fm in &c.get_ref().forms {
                if let Some(e) = &fm.get_ref().error_line {
                    check_line(f, &e.get_ref().line, &None, false, diags);
                }
            }
        }
        for u in &f.file.urcs {
            let u = u.get_ref();
            check_line(f, &u.line, &u.payload_length, false, diags);
        }
    }
}

fn undeclared(
    src: &Source,
    string: std::ops::Range<usize>,
    at: usize,
    name: &str,
    diags: &mut Diagnostics,
) {
    diags.push(
        diag(
            src,
            inner(src, string, at, name.len() + 2),
            format!("<{name}> is not a declared parameter"),
        )
        .label("undeclared")
        .help(format!(
            "declare it under [params.{name}] or fix the spelling"
        )),
    );
}

fn line(f: &Loaded, l: &Spanned<Line>, test: bool, diags: &mut Diagnostics) {
    let lr = l.get_ref();
    check_line(f, &lr.line, &lr.payload_length, test, diags);
    // Response parsers take payloads as the module sends them; only URCs switch to hex.
    if let Some(h) = &lr.payload_hex_when {
        diags.push(
            diag(&f.source, sp(h), "`payload_hex_when` on a command response line")
                .label("not supported on responses")
                .help("only URC payloads switch to hex text (BC26 `+QSSLURC: \"recv\"`); describe the format in `description`"),
        );
    }
}

fn check_line(
    f: &Loaded,
    text: &Spanned<String>,
    payload_length: &Option<Spanned<String>>,
    test: bool,
    diags: &mut Diagnostics,
) {
    let src = &f.source;
    let tokens = match parse_template(text.get_ref()) {
        Ok(t) => t,
        Err(e) => {
            diags.push(
                diag(
                    src,
                    inner(src, sp(text), e.at, 1),
                    format!("bad template: {}", e.message),
                )
                .label("here")
                .help(e.help),
            );
            return;
        }
    };
    let names = params_of(&tokens);
    let mut has_bytes = false;
    for (name, at, _) in &names {
        match param(f, name) {
            None => undeclared(src, sp(text), *at, name, diags),
            Some(p) => has_bytes |= *p.get_ref().ty.get_ref() == ParamType::Bytes,
        }
    }
    if !test && tokens.iter().any(|t| matches!(t, Token::Supported { .. })) {
        diags.push(
            diag(
                src,
                sp(text),
                "`(<name>)` range placeholders belong to test responses only",
            )
            .label("range placeholder outside a test form")
            .help("write `<name>` for a value"),
        );
    }
    match (has_bytes, payload_length) {
        (true, None) => diags.push(
            diag(
                src,
                sp(text),
                "a payload line does not say which parameter gives its length",
            )
            .label("payload without length")
            .help("add `payload_length = \"<param>\"`: payloads are read by length, never by line"),
        ),
        (_, Some(pl)) => {
            let ok = names.iter().any(|(n, _, _)| n == pl.get_ref())
                && param(f, pl.get_ref())
                    .is_some_and(|p| *p.get_ref().ty.get_ref() == ParamType::Int);
            if !ok {
                diags.push(
                    diag(
                        src,
                        sp(pl),
                        format!(
                            "payload length <{}> is not an integer parameter of this line",
                            pl.get_ref()
                        ),
                    )
                    .label("bad payload length")
                    .also(src, sp(text), "line")
                    .help("name the integer that precedes the payload, e.g. `have_readlen`"),
                );
            }
            if !has_bytes {
                diags.push(
                    diag(
                        src,
                        sp(pl),
                        "`payload_length` on a line without a bytes parameter",
                    )
                    .label("no payload here")
                    .help("declare the payload parameter with `type = \"bytes\"`"),
                );
            }
        }
        (false, None) => {}
    }
}

fn final_code(f: &Loaded, fin: &Spanned<String>, diags: &mut Diagnostics) {
    let src = &f.source;
    let text = fin.get_ref();
    let tokens = match parse_template(text) {
        Ok(t) => t,
        Err(e) => {
            diags.push(
                diag(
                    src,
                    inner(src, sp(fin), e.at, 1),
                    format!("bad final result: {}", e.message),
                )
                .label("here")
                .help(e.help),
            );
            return;
        }
    };
    for (name, at, _) in params_of(&tokens) {
        if param(f, &name).is_none() {
            undeclared(src, sp(fin), at, &name, diags);
        }
    }
    let lits: String = tokens
        .iter()
        .filter_map(|t| match t {
            Token::Lit { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let word = lits.trim_matches(|c: char| c == ',' || c == ':' || c.is_whitespace());
    if !KNOWN_FINALS.contains(&word) {
        diags.push(
            diag(src, sp(fin), format!("`{text}` is not a final result code"))
                .label("unknown result")
                .help(format!("use one of: {}", KNOWN_FINALS.join(", "))),
        );
    }
}

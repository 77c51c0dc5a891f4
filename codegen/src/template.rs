//! The manuals' notation for command lines and response lines.
//!
//! `AT+QSSLCFG="sslversion",<SSL_ctxID>[,<SSL_version>]` and
//! `+QSSLRECV: <have_readlen><CR><LF><data>` are parsed into [`Token`]s:
//! literal text, `<param>` placeholders, `(<param>)` "range of supported"
//! placeholders (test responses), `[...]` optional groups and `<CR><LF>`.

use serde::{Deserialize, Serialize};

/// One piece of a template. Offsets are byte offsets into the template text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Token {
    Lit {
        text: String,
    },
    Param {
        name: String,
        #[serde(skip)]
        at: usize,
    },
    /// `(<name>)`: the range or list of supported values of a parameter.
    Supported {
        name: String,
        #[serde(skip)]
        at: usize,
    },
    Optional {
        tokens: Vec<Token>,
    },
    /// `<CR><LF>` inside a response template.
    LineBreak,
}

/// A syntax error inside a template, at a byte offset of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub at: usize,
    pub message: String,
    pub help: String,
}

/// A command line split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandSyntax {
    /// The name after `AT+`, e.g. `QSSLCFG`.
    pub name: String,
    pub suffix: Suffix,
    /// The arguments after `=` (write forms only).
    pub args: Vec<Token>,
    /// Byte offset of `args` in the syntax text.
    pub args_at: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suffix {
    /// `AT+CMD=?`
    Test,
    /// `AT+CMD?`
    Read,
    /// `AT+CMD=<args>`
    Write,
    /// `AT+CMD`
    Exec,
}

/// Parses `AT+NAME`, `AT+NAME?`, `AT+NAME=?` or `AT+NAME=<args>`.
pub fn parse_command(text: &str) -> Result<CommandSyntax, TemplateError> {
    let rest = text.strip_prefix("AT+").ok_or_else(|| TemplateError {
        at: 0,
        message: "a command syntax must start with `AT+`".into(),
        help: "write the command as the manual does, e.g. `AT+QSSLOPEN=<PDP_ctxID>,...`".into(),
    })?;
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '&' || c == '_'))
        .unwrap_or(rest.len());
    if name_len == 0 {
        return Err(TemplateError {
            at: 3,
            message: "missing command name after `AT+`".into(),
            help: "e.g. `AT+QSSLCLOSE=<clientID>`".into(),
        });
    }
    let name = rest[..name_len].to_string();
    let after = &rest[name_len..];
    let after_at = 3 + name_len;
    let (suffix, args, args_at) = match after {
        "" => (Suffix::Exec, Vec::new(), after_at),
        "?" => (Suffix::Read, Vec::new(), after_at + 1),
        "=?" => (Suffix::Test, Vec::new(), after_at + 2),
        _ if after.starts_with('=') => {
            let args_at = after_at + 1;
            let tokens = parse_template(&after[1..]).map_err(|e| TemplateError {
                at: e.at + args_at,
                ..e
            })?;
            if tokens.is_empty() {
                return Err(TemplateError {
                    at: args_at,
                    message: "`=` is followed by no argument".into(),
                    help: "a write form names its parameters, e.g. `=<clientID>`".into(),
                });
            }
            (Suffix::Write, tokens, args_at)
        }
        _ => {
            return Err(TemplateError {
                at: after_at,
                message: format!("unexpected `{after}` after the command name"),
                help: "a command ends with nothing, `?`, `=?` or `=<arguments>`".into(),
            })
        }
    };
    Ok(CommandSyntax {
        name,
        suffix,
        args,
        args_at,
    })
}

/// Parses a response, URC or argument template.
pub fn parse_template(text: &str) -> Result<Vec<Token>, TemplateError> {
    let mut p = Parser { text, pos: 0 };
    let tokens = p.sequence(0)?;
    if p.pos < text.len() {
        return Err(TemplateError {
            at: p.pos,
            message: "unbalanced `]`".into(),
            help: "every `]` closes an optional group opened with `[`".into(),
        });
    }
    Ok(tokens)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn sequence(&mut self, depth: usize) -> Result<Vec<Token>, TemplateError> {
        let mut out: Vec<Token> = Vec::new();
        while let Some(c) = self.rest().chars().next() {
            match c {
                ']' => {
                    if depth == 0 {
                        return Err(TemplateError {
                            at: self.pos,
                            message: "unbalanced `]`".into(),
                            help: "every `]` closes an optional group opened with `[`".into(),
                        });
                    }
                    return Ok(out);
                }
                '[' => {
                    let open = self.pos;
                    self.pos += 1;
                    let inner = self.sequence(depth + 1)?;
                    if !self.rest().starts_with(']') {
                        return Err(TemplateError {
                            at: open,
                            message: "optional group `[` is never closed".into(),
                            help: "close it with `]`".into(),
                        });
                    }
                    self.pos += 1;
                    if inner.is_empty() {
                        return Err(TemplateError {
                            at: open,
                            message: "empty optional group `[]`".into(),
                            help: "an optional group holds at least one parameter or literal"
                                .into(),
                        });
                    }
                    out.push(Token::Optional { tokens: inner });
                }
                '<' => {
                    let at = self.pos;
                    let name = self.placeholder()?;
                    if name == "CR" && self.rest().starts_with("<LF>") {
                        self.pos += 4;
                        out.push(Token::LineBreak);
                    } else if name == "CR" || name == "LF" {
                        return Err(TemplateError {
                            at,
                            message: format!("`<{name}>` on its own"),
                            help: "a line break is written `<CR><LF>`".into(),
                        });
                    } else {
                        out.push(Token::Param { name, at });
                    }
                }
                '(' if self.rest().starts_with("(<") => {
                    let open = self.pos;
                    self.pos += 1;
                    let at = self.pos;
                    let name = self.placeholder()?;
                    if !self.rest().starts_with(')') {
                        return Err(TemplateError {
                            at: open,
                            message: "`(<name>` is not closed by `)`".into(),
                            help: "a range of supported values is written `(<name>)`".into(),
                        });
                    }
                    self.pos += 1;
                    out.push(Token::Supported { name, at });
                }
                _ => {
                    let start = self.pos;
                    self.pos += c.len_utf8();
                    while let Some(n) = self.rest().chars().next() {
                        if matches!(n, '<' | '[' | ']') || self.rest().starts_with("(<") {
                            break;
                        }
                        self.pos += n.len_utf8();
                    }
                    let text = &self.text[start..self.pos];
                    match out.last_mut() {
                        Some(Token::Lit { text: prev }) => prev.push_str(text),
                        _ => out.push(Token::Lit { text: text.into() }),
                    }
                }
            }
        }
        Ok(out)
    }

    fn placeholder(&mut self) -> Result<String, TemplateError> {
        let at = self.pos;
        let Some(end) = self.rest().find('>') else {
            return Err(TemplateError {
                at,
                message: "`<` is never closed by `>`".into(),
                help: "a parameter is written `<name>`".into(),
            });
        };
        let name = &self.rest()[1..end];
        if name.contains('<') {
            return Err(TemplateError {
                at,
                message: "`<` is never closed by `>`".into(),
                help: "a parameter is written `<name>`".into(),
            });
        }
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '/')
        {
            return Err(TemplateError {
                at,
                message: format!("`<{name}>` is not a parameter name"),
                help: "names use letters, digits, `_` and `/` as the manual writes them".into(),
            });
        }
        let name = name.to_string();
        self.pos += end + 1;
        Ok(name)
    }
}

/// Every parameter a template names, in order, with `optional` depth > 0 marked.
pub fn params_of(tokens: &[Token]) -> Vec<(String, usize, bool)> {
    fn walk(tokens: &[Token], optional: bool, out: &mut Vec<(String, usize, bool)>) {
        for t in tokens {
            match t {
                Token::Param { name, at } | Token::Supported { name, at } => {
                    out.push((name.clone(), *at, optional))
                }
                Token::Optional { tokens } => walk(tokens, true, out),
                Token::Lit { .. } | Token::LineBreak => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(tokens, false, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_with_nested_optional_groups_parses() {
        let c = parse_command(r#"AT+QSSLCFG="cacertex"[,<SSL_ctxID>[,<cacertpath>]]"#).unwrap();
        assert_eq!(c.name, "QSSLCFG");
        assert_eq!(c.suffix, Suffix::Write);
        let p = params_of(&c.args);
        assert_eq!(p.len(), 2);
        assert!(p[0].2 && p[1].2);
        let at = c.args_at + p[0].1;
        assert_eq!(&r#"AT+QSSLCFG="cacertex"[,<SSL_ctxID>"#[at..at + 1], "<");
    }

    #[test]
    fn response_with_payload_has_line_break() {
        let t = parse_template("+QSSLRECV: <have_readlen><CR><LF><data>").unwrap();
        assert!(t.contains(&Token::LineBreak));
    }

    #[test]
    fn test_form_suffixes_are_recognised() {
        assert_eq!(parse_command("AT+QSSLSTATE").unwrap().suffix, Suffix::Exec);
        assert_eq!(parse_command("AT+QSSLOPEN?").unwrap().suffix, Suffix::Read);
        assert_eq!(parse_command("AT+QSSLOPEN=?").unwrap().suffix, Suffix::Test);
    }

    #[test]
    fn unclosed_placeholder_points_at_its_angle_bracket() {
        let e = parse_template("<a>,<b,<c>").unwrap_err();
        assert_eq!(e.at, 4);
        assert_eq!(e.message, "`<` is never closed by `>`");
    }

    #[test]
    fn unclosed_group_points_at_its_bracket() {
        let e = parse_template("<a>[,<b>").unwrap_err();
        assert_eq!(e.at, 3);
    }
}

//! Markdown text: the manual's words as prose, code spans and blocks, tables
//! whose cells are escaped, and explicit anchors.
//!
//! Everything here is pure string work, so the pages come out byte for byte
//! the same on every run and every platform (`\n` line endings only).

/// The manual's words as Markdown prose.
///
/// `<name>` placeholders (and runs such as `<CR><LF>`) become code spans, so a
/// renderer does not take them for HTML; code spans already in the text are
/// kept; any other `<` is escaped, as are the characters that would start
/// emphasis, a heading, a quote or a list. Line breaks become hard breaks.
pub fn prose(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<String> = s.split('\n').map(|l| prose_line(l.trim_end())).collect();
    lines.join("\\\n")
}

fn prose_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    let mut at_start = true;
    while let Some(c) = rest.chars().next() {
        if at_start {
            at_start = false;
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            let after = &rest[digits..];
            if digits > 0 && (after.starts_with(". ") || after.starts_with(") ")) {
                // `1. text` would start an ordered list: write `1\. text`.
                out.push_str(&rest[..digits]);
                out.push('\\');
                rest = after;
                continue;
            }
            if block_marker(rest) {
                out.push('\\');
                out.push(c);
                rest = &rest[c.len_utf8()..];
                continue;
            }
        }
        if c == '`' {
            // Keep a code span the text already has, when it is closed.
            if let Some(end) = rest[1..].find('`') {
                out.push_str(&rest[..end + 2]);
                rest = &rest[end + 2..];
            } else {
                out.push_str("\\`");
                rest = &rest[1..];
            }
            continue;
        }
        if c == '<' {
            let n = placeholders_len(rest);
            if n > 0 {
                out.push_str(&code(&rest[..n]));
                rest = &rest[n..];
            } else {
                out.push_str("&lt;");
                rest = &rest[1..];
            }
            continue;
        }
        if c == '&' && looks_like_entity(&rest[1..]) {
            out.push_str("&amp;");
            rest = &rest[1..];
            continue;
        }
        let escape = match c {
            '*' | '\\' => true,
            '_' => starts_emphasis(&out, rest),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// An `_` opens or closes emphasis only at a word boundary.
fn starts_emphasis(before: &str, rest: &str) -> bool {
    let prev = before.chars().last();
    let next = rest.chars().nth(1);
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    !(word(prev) && word(next))
}

/// Whether the line starts with a `#` heading, `>` quote or `-`/`+`/`=` marker.
fn block_marker(line: &str) -> bool {
    match line.chars().next() {
        Some('#' | '>') => true,
        Some('-' | '+' | '=') => line.len() == 1 || line[1..].starts_with(' '),
        _ => false,
    }
}

/// The length of a run of `<name>` placeholders at the start of `s`.
fn placeholders_len(s: &str) -> usize {
    let mut n = 0;
    while s[n..].starts_with('<') {
        let inner = &s[n + 1..];
        let Some(end) = inner.find('>') else { break };
        let name = &inner[..end];
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '/' || c == '.')
        {
            break;
        }
        n += end + 2;
    }
    n
}

fn looks_like_entity(s: &str) -> bool {
    let n = s
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
        .count();
    n > 0 && s[n..].starts_with(';')
}

/// An inline code span holding `s` literally.
pub fn code(s: &str) -> String {
    let s = s.replace("\r\n", " ").replace(['\r', '\n'], " ");
    let longest = longest_run(&s, '`');
    let fence = "`".repeat(longest + 1);
    let pad = s.starts_with('`') || s.ends_with('`') || s.is_empty();
    if pad {
        format!("{fence} {s} {fence}")
    } else {
        format!("{fence}{s}{fence}")
    }
}

/// A fenced code block (`text`), fence longer than any backtick run inside.
pub fn code_block(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let fence = "`".repeat(longest_run(&s, '`').max(2) + 1);
    format!("{fence}text\n{}\n{fence}\n", s.trim_end())
}

fn longest_run(s: &str, c: char) -> usize {
    let mut best = 0;
    let mut cur = 0;
    for ch in s.chars() {
        if ch == c {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// An explicit anchor to link to: `<a id="cmd-qsslopen"></a>`.
pub fn anchor(id: &str) -> String {
    format!("<a id=\"{}\"></a>", slug(id))
}

/// A link target name made of `[a-z0-9-_]` only.
pub fn slug(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// A `[text](target)` link; `text` is Markdown already.
pub fn link(text: &str, target: &str) -> String {
    format!("[{text}]({target})")
}

/// A Markdown table. Cells hold Markdown; [`Table::render`] escapes `|` and
/// turns line breaks into `<br>`, so any text can go into a cell.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Self {
        Table {
            header: header.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Drops the columns that are empty in every row, except those in `keep`.
    pub fn without_empty_columns(mut self, keep: &[usize]) -> Self {
        let used: Vec<bool> = (0..self.header.len())
            .map(|i| {
                keep.contains(&i)
                    || self
                        .rows
                        .iter()
                        .any(|r| r.get(i).is_some_and(|c| !c.trim().is_empty()))
            })
            .collect();
        fn filter(cells: Vec<String>, used: &[bool]) -> Vec<String> {
            cells
                .into_iter()
                .enumerate()
                .filter(|(i, _)| used.get(*i).copied().unwrap_or(true))
                .map(|(_, c)| c)
                .collect()
        }
        self.header = filter(std::mem::take(&mut self.header), &used);
        self.rows = std::mem::take(&mut self.rows)
            .into_iter()
            .map(|r| filter(r, &used))
            .collect();
        self
    }

    pub fn render(&self) -> String {
        let width = self.header.len();
        let mut out = String::new();
        let line = |cells: &[String], out: &mut String| {
            out.push('|');
            for i in 0..width {
                let c = cells.get(i).map(String::as_str).unwrap_or("");
                let c = cell(c);
                out.push(' ');
                out.push_str(&c);
                out.push_str(" |");
            }
            // Cells beyond the header would be dropped by renderers; keep them visible.
            for extra in cells.iter().skip(width) {
                out.push(' ');
                out.push_str(&cell(extra));
                out.push_str(" |");
            }
            out.push('\n');
        };
        line(&self.header, &mut out);
        out.push('|');
        for _ in 0..width {
            out.push_str("---|");
        }
        out.push('\n');
        for r in &self.rows {
            line(r, &mut out);
        }
        out
    }
}

/// One table cell: `|` escaped, line breaks as `<br>`, no leading or trailing space.
pub fn cell(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let s = s.trim();
    let mut out = String::with_capacity(s.len());
    let mut prev_backslash = false;
    for c in s.chars() {
        match c {
            '|' if !prev_backslash => out.push_str("\\|"),
            '\n' => {
                // A hard break `\` at the end of a prose line is not needed in a cell.
                if out.ends_with('\\') && !out.ends_with("\\\\") {
                    out.pop();
                }
                out.push_str("<br>");
            }
            _ => out.push(c),
        }
        prev_backslash = c == '\\' && !prev_backslash;
    }
    out
}

/// Normalises a whole page: `\n` line endings, no trailing spaces, no runs of
/// blank lines, exactly one `\n` at the end.
pub fn finish(page: &str) -> String {
    let page = page.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(page.len());
    let mut blank = 0;
    let mut in_fence = false;
    for line in page.split('\n') {
        let line = line.trim_end();
        if line.starts_with("```") {
            in_fence = !in_fence;
        }
        if line.is_empty() && !in_fence {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    let trimmed = out.trim_matches('\n');
    format!("{trimmed}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_code_spans() {
        assert_eq!(
            prose("若<access_mode>=2 则 <CR><LF><data>"),
            "若`<access_mode>`=2 则 `<CR><LF><data>`"
        );
    }

    #[test]
    fn stray_angle_brackets_and_markers_are_escaped() {
        assert_eq!(prose("data[0]<<8 | x"), "data[0]&lt;&lt;8 | x");
        assert_eq!(prose("> After the prompt"), "\\> After the prompt");
        assert_eq!(prose("a * b"), "a \\* b");
        assert_eq!(prose("SSL_ctxID"), "SSL_ctxID");
        assert_eq!(prose("keep `<sslctxid>` as is"), "keep `<sslctxid>` as is");
    }

    #[test]
    fn cells_escape_pipes_and_line_breaks() {
        assert_eq!(cell("a | b\nc"), "a \\| b<br>c");
        assert_eq!(cell("`x|y`"), "`x\\|y`");
    }

    #[test]
    fn code_spans_outgrow_backticks_inside() {
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
    }
}

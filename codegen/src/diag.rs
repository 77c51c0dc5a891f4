//! Spec diagnostics: what went wrong, where (file:line:col), and a hint.

use annotate_snippets::{Level, Renderer, Snippet};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// A loaded spec file's text, shared by every diagnostic pointing into it.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: String,
    pub text: Arc<str>,
}

impl Source {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = self.text.get(..offset).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        (line, col)
    }
}

/// A secondary place a diagnostic points at.
#[derive(Debug, Clone)]
pub struct Label {
    pub source: Source,
    pub span: Range<usize>,
    pub text: String,
}

/// One problem found in the spec.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub source: Source,
    pub span: Range<usize>,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
    pub secondary: Vec<Label>,
}

impl Diagnostic {
    pub fn new(source: &Source, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            source: source.clone(),
            span,
            message: message.into(),
            label: String::new(),
            help: None,
            secondary: Vec::new(),
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn also(mut self, source: &Source, span: Range<usize>, text: impl Into<String>) -> Self {
        self.secondary.push(Label {
            source: source.clone(),
            span,
            text: text.into(),
        });
        self
    }

    /// `path:line:col`.
    pub fn location(&self) -> String {
        let (line, col) = self.source.line_col(self.span.start);
        format!("{}:{line}:{col}", self.source.path)
    }

    /// The full report with the offending snippet, as rustc prints it.
    pub fn render(&self) -> String {
        // Tabs shown as one space: the same byte offsets, and a caret in the
        // column of the character (annotate-snippets widens tabs unevenly).
        let shown = self.source.text.replace('\t', " ");
        let text: &str = &shown;
        let title = format!("{}: {}", self.location(), self.message);
        let notes: Vec<String> = self
            .secondary
            .iter()
            .filter(|l| !Arc::ptr_eq(&l.source.text, &self.source.text))
            .map(|l| {
                let (line, col) = l.source.line_col(l.span.start);
                format!("{} ({}:{line}:{col})", l.text, l.source.path)
            })
            .collect();
        // Within the text and on character boundaries (a span from a byte
        // offset may fall inside a multi-byte character).
        let floor = |mut i: usize| {
            i = i.min(text.len());
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let ceil = |mut i: usize| {
            i = i.min(text.len());
            while !text.is_char_boundary(i) {
                i += 1;
            }
            i
        };
        let clamp = |r: &Range<usize>| {
            let s = floor(r.start);
            s..ceil(r.end.max(s))
        };
        let mut snippet = Snippet::source(text)
            .origin(&self.source.path)
            .line_start(1)
            .fold(true)
            .annotation(Level::Error.span(clamp(&self.span)).label(&self.label));
        for l in &self.secondary {
            if Arc::ptr_eq(&l.source.text, &self.source.text) {
                snippet = snippet.annotation(Level::Info.span(clamp(&l.span)).label(&l.text));
            }
        }
        let mut message = Level::Error.title(&title).snippet(snippet);
        for n in &notes {
            message = message.footer(Level::Note.title(n));
        }
        if let Some(h) = &self.help {
            message = message.footer(Level::Help.title(h));
        }
        let out = Renderer::plain().render(message).to_string();
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

/// Every diagnostic of one run.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
    /// All reports, rendered, in file and position order.
    pub fn render(&self) -> String {
        self.0
            .iter()
            .map(Diagnostic::render)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source {
        Source {
            path: "t.toml".into(),
            text: text.into(),
        }
    }

    #[test]
    fn rendering_never_panics_on_tabs_multibyte_text_or_spans_off_char_boundaries() {
        let texts = [
            "a = 1\n\tb = \"é\"\t= 2\n",
            "\t\t[x]\r\nname = \"主机名\"\tx\r\n",
            "é\té\t\u{200b}\u{301}e\n\t",
            "\t",
            "",
        ];
        for text in texts {
            let src = source(text);
            for start in 0..=text.len() + 1 {
                for end in start..=text.len() + 2 {
                    let d = Diagnostic::new(&src, start..end, "expected `=`")
                        .label("here")
                        .also(&src, end..end, "and here");
                    let out = d.render();
                    assert!(out.contains("expected `=`"), "{out}");
                }
            }
        }
    }

    #[test]
    fn the_caret_is_under_the_character_after_tabs_and_multibyte_text() {
        let text = "\tname = \"é\" x\n";
        let at = text.find('x').unwrap();
        let out = Diagnostic::new(&source(text), at..at + 1, "m")
            .label("here")
            .render();
        let line = out.lines().find(|l| l.contains("name")).unwrap();
        let caret = out.lines().find(|l| l.contains('^')).unwrap();
        let col = |s: &str, c: char| s.chars().position(|x| x == c).unwrap();
        assert_eq!(col(line, 'x'), col(caret, '^'), "\n{out}");
    }
}

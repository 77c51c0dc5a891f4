//! `Repeated`: the lines of a "list of" response, parsed lazily without a heap.

use crate::error::ParseError;
use crate::wire::Cursor;

/// A parser of one line (including its CR LF).
pub type LineParser<'r, T> = fn(&mut Cursor<'r>) -> Result<T, ParseError>;

/// Lines that all parsed when the response was parsed; iterating parses them again.
pub struct Repeated<'r, T> {
    cursor: Cursor<'r>,
    remaining: usize,
    parse: LineParser<'r, T>,
}

impl<T> Clone for Repeated<'_, T> {
    fn clone(&self) -> Self {
        Repeated {
            cursor: self.cursor.clone(),
            remaining: self.remaining,
            parse: self.parse,
        }
    }
}

impl<'r, T> Repeated<'r, T> {
    /// `cursor` is positioned at the first of `count` lines.
    pub fn new(cursor: Cursor<'r>, count: usize, parse: LineParser<'r, T>) -> Self {
        Repeated {
            cursor,
            remaining: count,
            parse,
        }
    }

    /// How many lines there are.
    pub fn len(&self) -> usize {
        self.remaining
    }

    pub fn is_empty(&self) -> bool {
        self.remaining == 0
    }
}

impl<T> Iterator for Repeated<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        match (self.parse)(&mut self.cursor) {
            Ok(v) => Some(v),
            Err(_) => {
                self.remaining = 0;
                None
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.remaining))
    }
}

impl<T: core::fmt::Debug> core::fmt::Debug for Repeated<'_, T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(Repeated::clone(self)).finish()
    }
}

impl<T: PartialEq> PartialEq for Repeated<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        Iterator::eq(Repeated::clone(self), Repeated::clone(other))
    }
}

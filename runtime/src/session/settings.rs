//! Settings made by earlier commands (negotiate time, close-time unit, data
//! format), kept per context: each value is keyed by the id parameters of the
//! command that set it (`<SSL_ctxID>`, BC26's `<contextID>,<connectID>`), so
//! `"dtls",0,0` on context 0 does not decide for context 1.
//!
//! A look-up gives the value set for the context the asking request names.
//! A request that names the connection but not the context (`AT+QSSLCLOSE=<clientID>`)
//! finds it through the binding its open recorded (client 4 uses SSL context 1).
//! Where a request names no id at all, the value set last wins.

/// The longest parameter name kept (the manuals' names are short).
pub const NAME_LEN: usize = 32;

/// A parameter's manual name, as stored.
pub type Name = heapless::String<NAME_LEN>;

/// The id parameters (name and value) a setting is kept under, or a request names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ids {
    pairs: heapless::Vec<(&'static str, i64), 4>,
}

impl Ids {
    pub const fn new() -> Self {
        Ids {
            pairs: heapless::Vec::new(),
        }
    }

    /// Adds an id (a fifth one is not kept: the manuals have at most three).
    pub fn push(&mut self, param: &'static str, value: i64) {
        let _ = self.pairs.push((param, value));
    }

    pub fn get(&self, param: &str) -> Option<i64> {
        self.pairs
            .iter()
            .find(|(p, _)| *p == param)
            .map(|(_, v)| *v)
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, i64)> + '_ {
        self.pairs.iter().copied()
    }
}

#[derive(Debug, Clone)]
struct Entry {
    name: Name,
    key: Ids,
    value: i64,
    seq: u32,
}

/// What the connection id of an open is bound to (its other ids).
#[derive(Debug, Clone)]
struct Binding {
    connection: (&'static str, i64),
    ids: Ids,
}

/// The settings store: at most `N` values; when full, the oldest value goes.
#[derive(Debug, Clone, Default)]
pub struct Settings<const N: usize = 32> {
    entries: heapless::Vec<Entry, N>,
    bindings: heapless::Vec<Binding, 16>,
    seq: u32,
}

fn name(s: &str) -> Option<Name> {
    let mut n = Name::new();
    n.push_str(s).ok()?;
    Some(n)
}

impl<const N: usize> Settings<N> {
    pub const fn new() -> Self {
        Settings {
            entries: heapless::Vec::new(),
            bindings: heapless::Vec::new(),
            seq: 0,
        }
    }

    /// Records `param` = `value` for the context `key`.
    pub fn set(&mut self, param: &str, key: Ids, value: i64) {
        let Some(n) = name(param) else { return };
        self.seq = self.seq.wrapping_add(1);
        let seq = self.seq;
        if let Some(e) = self
            .entries
            .iter_mut()
            .find(|e| e.name == n && e.key == key)
        {
            e.value = value;
            e.seq = seq;
            return;
        }
        if self.entries.is_full() {
            if let Some(oldest) = self
                .entries
                .iter()
                .enumerate()
                .min_by_key(|(_, e)| e.seq)
                .map(|(i, _)| i)
            {
                self.entries.swap_remove(oldest);
            }
        }
        let _ = self.entries.push(Entry {
            name: n,
            key,
            value,
            seq,
        });
    }

    /// Forgets every value of `param`.
    pub fn clear(&mut self, param: &str) {
        self.entries.retain(|e| e.name.as_str() != param);
    }

    /// Forgets everything (a module restart).
    pub fn reset(&mut self) {
        self.entries.clear();
        self.bindings.clear();
    }

    /// Records that the connection `connection` uses the contexts `ids` (after an open).
    pub fn bind(&mut self, connection: (&'static str, i64), ids: Ids) {
        self.bindings.retain(|b| b.connection != connection);
        if self.bindings.is_full() {
            self.bindings.remove(0);
        }
        let _ = self.bindings.push(Binding { connection, ids });
    }

    /// Forgets the binding of a connection (after its close).
    pub fn unbind(&mut self, connection: (&'static str, i64)) {
        self.bindings.retain(|b| b.connection != connection);
    }

    /// The value of a key parameter as the asking request knows it: its own, or
    /// through the binding of a connection it names.
    fn known(&self, asking: &Ids, param: &str) -> Option<i64> {
        asking.get(param).or_else(|| {
            self.bindings
                .iter()
                .find(|b| asking.get(b.connection.0) == Some(b.connection.1))
                .and_then(|b| b.ids.get(param))
        })
    }

    /// The value of `param` for the request naming `asking`.
    pub fn get(&self, param: &str, asking: &Ids) -> Option<i64> {
        self.entries
            .iter()
            .filter(|e| e.name.as_str() == param)
            .filter(|e| {
                e.key
                    .iter()
                    .all(|(k, v)| self.known(asking, k).is_none_or(|a| a == v))
            })
            .max_by_key(|e| {
                // A value set for exactly this context beats one found by default.
                let exact = e.key.iter().all(|(k, v)| self.known(asking, k) == Some(v));
                (exact, e.seq)
            })
            .map(|e| e.value)
    }

    /// Every value: (parameter, context, value).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Ids, i64)> {
        self.entries
            .iter()
            .map(|e| (e.name.as_str(), &e.key, e.value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(pairs: &[(&'static str, i64)]) -> Ids {
        let mut i = Ids::new();
        for (p, v) in pairs {
            i.push(p, *v);
        }
        i
    }

    #[test]
    fn a_value_belongs_to_the_context_it_was_set_for() {
        let mut s: Settings = Settings::new();
        s.set("DTLS_enable", ids(&[("SSL_ctxID", 0)]), 0);
        s.set("DTLS_enable", ids(&[("SSL_ctxID", 1)]), 1);
        assert_eq!(s.get("DTLS_enable", &ids(&[("SSL_ctxID", 1)])), Some(1));
        assert_eq!(s.get("DTLS_enable", &ids(&[("SSL_ctxID", 0)])), Some(0));
        assert_eq!(s.get("DTLS_enable", &ids(&[("SSL_ctxID", 2)])), None);
    }

    #[test]
    fn a_connection_finds_its_context_through_the_binding_of_its_open() {
        let mut s: Settings = Settings::new();
        s.set("close_time_mode", ids(&[("SSL_ctxID", 1)]), 1);
        s.set("close_time_mode", ids(&[("SSL_ctxID", 2)]), 0);
        s.bind(("clientID", 4), ids(&[("SSL_ctxID", 1)]));
        assert_eq!(s.get("close_time_mode", &ids(&[("clientID", 4)])), Some(1));
        // Without a binding, the value set last.
        assert_eq!(s.get("close_time_mode", &ids(&[("clientID", 5)])), Some(0));
    }

    #[test]
    fn a_global_value_is_found_by_every_request() {
        let mut s: Settings = Settings::new();
        s.set("negotiate_time", Ids::new(), 60);
        assert_eq!(s.get("negotiate_time", &ids(&[("SSL_ctxID", 3)])), Some(60));
        s.clear("negotiate_time");
        assert_eq!(s.get("negotiate_time", &Ids::new()), None);
    }

    #[test]
    fn the_store_is_bounded_and_forgets_the_oldest() {
        let mut s: Settings<2> = Settings::new();
        s.set("a", Ids::new(), 1);
        s.set("b", Ids::new(), 2);
        s.set("c", Ids::new(), 3);
        assert_eq!(s.get("a", &Ids::new()), None);
        assert_eq!(s.get("c", &Ids::new()), Some(3));
    }
}

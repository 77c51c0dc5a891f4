//! What the simulated module remembers: settings written by the forms that
//! record them, kept per the ids the request named (`<SSL_ctxID>`, BC26's
//! `<contextID>,<connectID>` pair), and owned copies of request values.

use std::collections::BTreeMap;

use crate::vals::{Val, Vals};

/// An owned field value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) enum Owned {
    #[default]
    None,
    Int(i64),
    Str(String),
    Bytes(Vec<u8>),
}

impl Owned {
    pub(crate) fn of(v: Val<'_>) -> Self {
        match v {
            Val::None => Owned::None,
            Val::Int(i) => Owned::Int(i),
            Val::Str(s) => Owned::Str(s.to_string()),
            Val::Bytes(b) => Owned::Bytes(b.to_vec()),
        }
    }

    pub(crate) fn val(&self) -> Val<'_> {
        match self {
            Owned::None => Val::None,
            Owned::Int(i) => Val::Int(*i),
            Owned::Str(s) => Val::Str(s),
            Owned::Bytes(b) => Val::Bytes(b),
        }
    }

    pub(crate) fn int(&self) -> Option<i64> {
        match self {
            Owned::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub(crate) fn is_none(&self) -> bool {
        matches!(self, Owned::None)
    }
}

/// Owned copies of a template's values.
pub(crate) fn own(v: &Vals<'_>, n: usize) -> Vec<Owned> {
    (0..n).map(|i| Owned::of(v.get(i))).collect()
}

/// The values of owned copies.
pub(crate) fn vals(owned: &[Owned]) -> Vals<'_> {
    let mut v = Vals::default();
    for (i, o) in owned.iter().enumerate() {
        v.set(i, o.val());
    }
    v
}

/// The ids a request named, by manual name, in name order.
pub(crate) type IdKey = Vec<(&'static str, i64)>;

/// A setting's key: the sub-command that wrote it and the parameter.
pub(crate) type SettingKey = (Option<&'static str>, &'static str);

/// Settings per id key.
#[derive(Debug, Default)]
pub(crate) struct Store {
    by_ids: BTreeMap<IdKey, BTreeMap<SettingKey, Owned>>,
}

impl Store {
    pub(crate) fn set(&mut self, ids: &IdKey, key: SettingKey, value: Owned) {
        self.by_ids
            .entry(ids.clone())
            .or_default()
            .insert(key, value);
    }

    pub(crate) fn get(&self, ids: &IdKey, key: SettingKey) -> Option<&Owned> {
        self.by_ids.get(ids)?.get(&key)
    }

    /// A parameter's value for a request naming `ids`, written by any
    /// sub-command: the value kept for exactly these ids, else one kept for
    /// ids the request agrees with (a setting without ids holds for all).
    pub(crate) fn any(&self, ids: &IdKey, param: &str) -> Option<&Owned> {
        let of = |key: &IdKey| {
            self.by_ids
                .get(key)?
                .iter()
                .find(|((_, p), _)| *p == param)
                .map(|(_, v)| v)
        };
        of(ids).or_else(|| {
            self.by_ids
                .keys()
                .filter(|key| {
                    key.iter()
                        .all(|(k, v)| ids.iter().find(|(i, _)| i == k).is_none_or(|(_, a)| a == v))
                })
                .filter_map(|key| Some((key.len(), of(key)?)))
                .max_by_key(|(n, _)| *n)
                .map(|(_, v)| v)
        })
    }

    /// Every id key with settings, in order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &IdKey> {
        self.by_ids.keys()
    }

    pub(crate) fn clear(&mut self) {
        self.by_ids.clear();
    }
}

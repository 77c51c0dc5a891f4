//! Settings keyed by type: each generated family has a `Setting` enum of the
//! values its commands record (`<negotiate_time>`, `<closetimemode>`, …), so a
//! link of one family can only be asked for its own settings, and a typo is a
//! compile error rather than a silent `None`.

use crate::family::Family;

/// A setting a family's commands record: one variant per recorded parameter.
pub trait Setting: Copy + Eq + core::fmt::Debug + 'static {
    /// The family whose commands record it.
    type Family: Family;
    /// Every setting of the family, in spec order.
    const ALL: &'static [Self];
    /// The parameter's name as the manual writes it (`negotiate_time`).
    fn name(self) -> &'static str;
    /// The setting the manual calls `name`.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.name() == name)
    }
}

/// What a link's setting accessors take: a typed [`Setting`] of the link's
/// family, or the manual's parameter name as text (for settings a caller
/// reads from a configuration file or the command line).
pub trait SettingKey<F> {
    /// The manual's parameter name.
    fn setting_name(&self) -> &str;
}

impl<F> SettingKey<F> for &str {
    fn setting_name(&self) -> &str {
        self
    }
}

impl<S: Setting> SettingKey<S::Family> for S {
    fn setting_name(&self) -> &str {
        self.name()
    }
}

/// `impl Setting` for a generated settings enum (`setting_enum!(Setting: Family; Variant => "name", …)`).
#[macro_export]
#[doc(hidden)]
macro_rules! setting_enum {
    ($ty:ident: $fam:ty; $($v:ident => $name:expr),* $(,)?) => {
        impl $crate::setting::Setting for $ty {
            type Family = $fam;
            const ALL: &'static [Self] = &[$($ty::$v),*];
            fn name(self) -> &'static str {
                match self {
                    $($ty::$v => $name,)*
                }
            }
        }

        impl core::fmt::Display for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str($crate::setting::Setting::name(*self))
            }
        }
    };
}

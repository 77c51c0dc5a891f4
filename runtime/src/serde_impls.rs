//! serde support for runtime types used in generated structs (feature `serde`).

use crate::repeated::Repeated;
use serde::ser::{Serialize, SerializeSeq, Serializer};

impl<T: Serialize> Serialize for Repeated<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for item in self.clone() {
            seq.serialize_element(&item)?;
        }
        seq.end()
    }
}

/// A code of a table or an enumerated value as a map: its variant name, the
/// number, the number as the manual writes it in hex (when it does), and the
/// manual's text.
pub fn code<S: Serializer>(
    s: S,
    name: &str,
    (num_key, num): (&str, i64),
    hex: Option<crate::desc::Hex>,
    (text_key, text): (&str, &str),
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(None)?;
    m.serialize_entry("name", name)?;
    m.serialize_entry(num_key, &num)?;
    if let Some(h) = hex {
        m.serialize_entry(
            "hex",
            &format_args!("{}", crate::error::Shown::in_hex(num, h)),
        )?;
    }
    m.serialize_entry(text_key, text)?;
    m.end()
}

/// Serialises payload bytes as lower-case hex text, never as a list of numbers.
pub fn serde_bytes<S: Serializer>(bytes: &&[u8], s: S) -> Result<S::Ok, S::Error> {
    struct Hex<'a>(&'a [u8]);
    impl core::fmt::Display for Hex<'_> {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            for b in self.0 {
                write!(f, "{b:02x}")?;
            }
            Ok(())
        }
    }
    s.collect_str(&Hex(bytes))
}

//! The family registry: one list of families, from the spec, everywhere.

use std::collections::BTreeSet;

/// The family ids of the spec (`spec/*.toml` declaring a `[family]`).
fn spec_ids() -> BTreeSet<String> {
    let spec = atgen_codegen::load_spec(&[atgen_tests::gen::spec_dir()]).expect("the spec loads");
    spec.families.keys().cloned().collect()
}

/// The per-family cargo features of the `atgen` crate: every feature but the
/// few that are not families.
fn feature_ids() -> BTreeSet<String> {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("generated/Cargo.toml is readable");
    let doc: toml::Table = text.parse().expect("generated/Cargo.toml is TOML");
    let features = doc
        .get("features")
        .and_then(|f| f.as_table())
        .expect("a [features] table");
    const NOT_FAMILIES: &[&str] = &["default", "all-families", "std", "sim", "serde", "cli"];
    features
        .keys()
        .filter(|k| !NOT_FAMILIES.contains(&k.as_str()))
        .cloned()
        .collect()
}

#[test]
fn every_spec_family_has_a_cargo_feature_and_every_family_feature_a_spec() {
    assert_eq!(feature_ids(), spec_ids());
}

#[test]
fn the_registry_lists_every_spec_family_in_id_order() {
    let registry: Vec<&str> = atgen::FAMILIES.iter().map(|f| f.id).collect();
    let spec: Vec<String> = spec_ids().into_iter().collect();
    assert_eq!(registry, spec);
    assert_eq!(atgen::FAMILY_IDS.as_slice(), registry.as_slice());
    for f in atgen::FAMILIES {
        assert_eq!(f.feature, f.id);
        assert_eq!(f.module, f.id.replace('-', "_"));
        assert_eq!(
            f.spec_file,
            format!("spec/{}.toml", f.id),
            "relative, never absolute"
        );
    }
}

#[test]
fn with_family_dispatches_by_id_and_falls_back_for_unknown_ids() {
    for id in atgen::FAMILY_IDS {
        let got: &str = atgen::with_family!(id, m => m::FAMILY, other => panic!("{other} unknown"));
        assert_eq!(got, id);
    }
    let missing: Option<&str> =
        atgen::with_family!("no-such-family", m => Some(m::FAMILY), _other => None);
    assert_eq!(missing, None);
}

#[test]
fn for_each_family_visits_every_family_once() {
    let mut seen = Vec::new();
    atgen::for_each_family!(m => {
        seen.push(m::FAMILY);
    });
    assert_eq!(seen, atgen::FAMILY_IDS.to_vec());
}

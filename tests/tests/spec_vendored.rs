//! The vendored spec is present, and the operation registry matches it exactly: every operation
//! of the spec has a request type, nothing is registered that the spec lacks, and method, path,
//! tag and deprecation agree.

use std::collections::BTreeMap;

use clerk_backend_core::OPERATIONS;
use serde_json::Value;

use clerk_backend_tests::generated::spec::{SPEC_PATH, SPEC_YAML as SPEC};

fn spec_operations() -> BTreeMap<String, (String, String, String, bool)> {
    let spec: Value = serde_yaml::from_str(SPEC).expect("the vendored spec is YAML");
    let mut out = BTreeMap::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let Some(id) = op["operationId"].as_str() else {
                continue;
            };
            let tag = op["tags"][0].as_str().unwrap_or_default().to_owned();
            let deprecated = op["deprecated"].as_bool().unwrap_or(false);
            out.insert(
                id.to_owned(),
                (method.to_uppercase(), path.clone(), tag, deprecated),
            );
        }
    }
    out
}

#[test]
fn spec_is_vendored_with_version_and_licence() {
    let spec: Value = serde_yaml::from_str(SPEC).expect("the vendored spec is YAML");
    let version = spec["info"]["version"].as_str().expect("info.version");
    // The generated version, the file name and the spec agree.
    assert_eq!(clerk_backend_core::API_VERSION, version);
    assert_eq!(SPEC_PATH, format!("spec/bapi-{version}.yml"));
    let licence = include_str!("../../spec/LICENSE");
    assert!(licence.contains("Permission is hereby granted"));
}

#[test]
fn registry_covers_exactly_the_spec() {
    let spec = spec_operations();
    let mut per_tag: BTreeMap<&str, usize> = BTreeMap::new();
    for op in OPERATIONS {
        let (method, path, tag, deprecated) = spec
            .get(op.operation_id)
            .unwrap_or_else(|| panic!("{} is registered but not in the spec", op.operation_id));
        assert_eq!(op.method.as_str(), method, "{}", op.operation_id);
        assert_eq!(op.path, path, "{}", op.operation_id);
        assert_eq!(op.tag, tag, "{}", op.operation_id);
        assert_eq!(op.deprecated, *deprecated, "{}", op.operation_id);
        *per_tag.entry(op.tag).or_default() += 1;
    }
    let registered: std::collections::BTreeSet<&str> =
        OPERATIONS.iter().map(|o| o.operation_id).collect();
    let missing: Vec<&String> = spec
        .keys()
        .filter(|id| !registered.contains(id.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "in the spec but not registered: {missing:?}"
    );
    assert_eq!(
        registered.len(),
        OPERATIONS.len(),
        "an operation is registered twice"
    );
    println!(
        "coverage: {} of {} spec operations have a request type",
        OPERATIONS.len(),
        spec.len()
    );
    for (tag, n) in per_tag {
        println!("  {tag}: {n}");
    }
    assert_eq!(OPERATIONS.len(), 249);
    assert_eq!(OPERATIONS.iter().filter(|o| o.deprecated).count(), 14);
}

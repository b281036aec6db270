//! The vendored spec is present and every operation the core implements matches it: same
//! operation id, method and path template, deprecation as the spec says.

use clerk_backend_core::users::OPERATIONS;

const SPEC: &str = include_str!("../../spec/bapi-2026-05-12.yml");

/// The `(method, operationId, deprecated)` entries under one path of the spec, read from the
/// YAML's fixed indentation (paths at 2 spaces, methods at 4, their keys at 6).
fn operations_under(path: &str) -> Vec<(String, String, bool)> {
    let header = format!("  {path}:");
    let mut lines = SPEC.lines().skip_while(|l| *l != header).skip(1);
    let mut found = Vec::new();
    let mut current: Option<(String, String, bool)> = None;
    for line in lines.by_ref() {
        if line.starts_with("  ") && !line.starts_with("   ") || !line.starts_with(' ') {
            break; // the next path, or the end of `paths`
        }
        if let Some(method) = line.strip_prefix("    ").and_then(|l| l.strip_suffix(':')) {
            if !method.starts_with(' ') {
                found.extend(current.take());
                current = Some((method.to_uppercase(), String::new(), false));
                continue;
            }
        }
        if let Some(entry) = current.as_mut() {
            if let Some(id) = line.strip_prefix("      operationId: ") {
                entry.1 = id.trim().to_owned();
            } else if line == "      deprecated: true" {
                entry.2 = true;
            }
        }
    }
    found.extend(current);
    found
}

#[test]
fn spec_is_vendored_with_version_and_licence() {
    assert!(SPEC.contains("\n  version: 2026-05-12\n") || SPEC.contains("version: '2026-05-12'"));
    let licence = include_str!("../../spec/LICENSE");
    assert!(licence.contains("MIT") || licence.contains("Permission is hereby granted"));
    assert_eq!(clerk_backend_core::API_VERSION, "2026-05-12");
}

#[test]
fn every_implemented_operation_is_in_the_spec() {
    assert_eq!(OPERATIONS.len(), 16);
    for op in OPERATIONS {
        let under = operations_under(op.path);
        let entry = under
            .iter()
            .find(|(method, _, _)| method == op.method.as_str())
            .unwrap_or_else(|| panic!("{} {} not in the spec", op.method, op.path));
        assert_eq!(entry.1, op.operation_id, "{} {}", op.method, op.path);
        assert_eq!(entry.2, op.deprecated, "{}", op.operation_id);
        assert_eq!(op.tag, "Users");
    }
}

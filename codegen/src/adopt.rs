//! Adopting a new version of the Backend API spec (`--spec <file> [--dry-run]`), and the
//! generated files that carry the spec's version and path (`API_VERSION` in
//! `core/src/api/mod.rs`, `tests/src/generated/spec.rs`).
//!
//! Adoption goes: refuse a file that is not a Backend API OpenAPI 3 document with a usable
//! `info.version`; apply the overlay to the current spec and to the new one (a patch that does
//! not apply is noted, not fatal); print what changed for users ([`crate::diff`]); stop there on
//! `--dry-run` or when the overlay does not apply to the new spec; generate every file in
//! memory; only then vendor the file as `spec/bapi-<version>.yml`, remove the old one (when the
//! version differs) and write the generated files; last, list the files that still mention the
//! old version.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::diff;
use crate::emit_models::HEADER;

/// The generated file that declares `API_VERSION` (re-exported by `core/src/lib.rs`).
const API_MOD: &str = "core/src/api/mod.rs";
/// The generated test module that declares the spec module below.
const TESTS_MOD: &str = "tests/src/generated/mod.rs";
/// The generated test module that names the vendored spec's path and includes its text.
const TESTS_SPEC: &str = "tests/src/generated/spec.rs";
/// Directories never searched for mentions of the old version.
const SKIP_DIRS: &[&str] = &["target", "node_modules", ".git"];
/// Files larger than this are not searched for mentions of the old version.
const MAX_SCAN: u64 = 4 << 20;

/// Adds the spec's version and path to the generated files: `API_VERSION` to
/// `core/src/api/mod.rs`, and `tests/src/generated/spec.rs` (`SPEC_PATH`, `SPEC_YAML`).
pub fn emit_version(
    spec_rel: &str,
    version: &str,
    files: &mut BTreeMap<String, String>,
) -> Result<(), String> {
    let api = files
        .get_mut(API_MOD)
        .ok_or(format!("{API_MOD} was not generated"))?;
    api.push_str(&format!(
        "\n/// The `Clerk-API-Version` this crate's operations and models were generated for: the\n\
         /// `info.version` of `{spec_rel}`, sent with every request.\n\
         pub const API_VERSION: &str = {version:?};\n"
    ));
    let tests = files
        .get_mut(TESTS_MOD)
        .ok_or(format!("{TESTS_MOD} was not generated"))?;
    tests.push_str("pub mod spec;\n");
    files.insert(
        TESTS_SPEC.into(),
        format!(
            "{HEADER}//! The vendored Backend API spec the generated code was made from.\n\n\
             /// The spec's path from the repository root.\n\
             pub const SPEC_PATH: &str = {spec_rel:?};\n\n\
             /// The spec's text (YAML), as vendored.\n\
             pub const SPEC_YAML: &str = include_str!({include:?});\n",
            include = format!("../../../{spec_rel}"),
        ),
    );
    Ok(())
}

/// Checks that `spec` is a Backend API OpenAPI 3 document and returns its `info.version`.
///
/// # Errors
///
/// When it is not one, or its version is missing or unusable in a file name.
pub fn check_spec(spec: &Value) -> Result<String, String> {
    let openapi = spec.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !openapi.starts_with("3.") {
        return Err(format!(
            "not an OpenAPI 3 document (`openapi` is {})",
            spec.get("openapi")
                .map_or_else(|| "missing".to_owned(), |v| format!("`{v}`"))
        ));
    }
    let title = spec
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or("");
    if !title.contains("Backend API") {
        return Err(format!(
            "not the Backend API spec (its `info.title` is `{title}`, not `… Backend API`)"
        ));
    }
    if spec
        .get("paths")
        .and_then(Value::as_object)
        .is_none_or(|p| p.is_empty())
    {
        return Err("the spec has no `paths`".into());
    }
    let version = match spec.pointer("/info/version") {
        Some(Value::String(v)) => v.clone(),
        Some(other) => return Err(format!("`info.version` is not a string: {other}")),
        None => return Err("the spec has no `info.version`".into()),
    };
    let usable = !version.is_empty()
        && !version.starts_with('.')
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !usable {
        return Err(format!(
            "`info.version` `{version}` cannot name a file (letters, digits, `-`, `_`, `.` only)"
        ));
    }
    Ok(version)
}

/// A copy of `spec` with the overlay `patches` applied; a patch that does not apply is skipped
/// and noted (`patch N (<pointer>) does not apply to the {which} spec: why`).
fn patched(spec: &Value, patches: &[Value], which: &str) -> (Value, Vec<String>) {
    let mut spec = spec.clone();
    let mut notes = Vec::new();
    for (i, patch) in patches.iter().enumerate() {
        if let Err(e) = crate::apply_patch(&mut spec, patch) {
            let pointer = patch
                .get("pointer")
                .and_then(Value::as_str)
                .unwrap_or("(no pointer)");
            notes.push(format!(
                "patch {} ({pointer}) does not apply to the {which} spec: {e}",
                i + 1
            ));
        }
    }
    (spec, notes)
}

fn read_yaml(path: &Path) -> Result<(String, Value), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let value = serde_yaml::from_str(&text)
        .map_err(|e| format!("{}: not a YAML document: {e}", path.display()))?;
    Ok((text, value))
}

/// Adopts the spec in `file` into the checkout at `root` (see the module docs); with `dry_run`
/// only prints the report.
///
/// # Errors
///
/// When the file is refused, the overlay does not apply to it, generation fails or a file
/// cannot be written; in all but the last case nothing has been written.
pub fn adopt(root: &Path, file: &Path, dry_run: bool) -> Result<(), String> {
    let nothing = "nothing was written";
    let (text, new_raw) = read_yaml(file).map_err(|e| format!("{e}; {nothing}"))?;
    let version =
        check_spec(&new_raw).map_err(|e| format!("{}: {e}; {nothing}", file.display()))?;
    let old_rel = crate::current_spec(root)?;
    let (_, old_raw) = read_yaml(&root.join(&old_rel))?;
    let old_version = diff::version(&old_raw).unwrap_or_default().to_owned();
    let new_rel = crate::spec_path(&version);

    let patches = crate::overlay_patches(root, crate::OVERLAY)?;
    let (old_spec, old_notes) = patched(&old_raw, &patches, "current");
    let (new_spec, new_notes) = patched(&new_raw, &patches, "new");
    let mut report = diff::diff(&old_spec, &new_spec);
    report.overlay = new_notes.iter().chain(&old_notes).cloned().collect();
    print!("{}", report.render());
    if dry_run {
        println!("\n--dry-run: nothing was written.");
        return Ok(());
    }
    if !new_notes.is_empty() {
        return Err(format!(
            "{} overlay patch(es) do not apply to the new spec (listed above): fix them in {}, \
             then run the same command again; {nothing}",
            new_notes.len(),
            crate::OVERLAY
        ));
    }

    let webhooks = crate::load(
        root,
        crate::emit_webhooks::WEBHOOK_SPEC,
        Some(crate::WEBHOOK_OVERLAY),
    )?;
    let files = crate::generate(root, &new_spec, &webhooks, &new_rel).map_err(|e| {
        format!(
            "the new spec does not generate: {e}\nfix the generator or {}, then run the same \
             command again; {nothing}",
            crate::OVERLAY
        )
    })?;

    // The generated code first, then the spec: if writing fails part-way, the old spec is still
    // the current one, and `cargo run -p clerk-codegen` puts its output back.
    crate::write_generated(root, &files).map_err(|e| {
        format!(
            "{e}\nthe spec was not adopted; run `cargo run -p clerk-codegen` to restore the \
             generated code of {old_rel}"
        )
    })?;
    crate::write_whole(&root.join(&new_rel), text.as_bytes())?;
    if new_rel != old_rel {
        let old = root.join(&old_rel);
        std::fs::remove_file(&old).map_err(|e| format!("{}: {e}", old.display()))?;
        println!("vendored {new_rel} (removed {old_rel})");
    } else {
        println!("{new_rel} is the current version: regenerating");
    }

    if old_version != version && !old_version.is_empty() {
        let skip: BTreeSet<String> = files
            .keys()
            .cloned()
            .chain(std::iter::once(new_rel.clone()))
            .collect();
        let found = mentions(root, &old_version, &skip);
        if found.is_empty() {
            println!("no file mentions the old version {old_version} any more");
        } else {
            println!(
                "\nThese files still mention the old version {old_version} (update what is about \
                 the API version; dates in examples can stay):"
            );
            for (rel, lines) in found {
                let lines: Vec<String> = lines.iter().map(usize::to_string).collect();
                println!("  {rel}: line {}", lines.join(", "));
            }
        }
    }
    println!(
        "\nNext: review the report above, run the tests (`cargo test --workspace`), and note the \
         changes in the changelog."
    );
    Ok(())
}

/// The files under `root` (relative, `/`-separated, sorted) whose text contains `needle`, with
/// the line numbers it is on; `skip` lists files not to search.
pub fn mentions(root: &Path, needle: &str, skip: &BTreeSet<String>) -> Vec<(String, Vec<usize>)> {
    let mut found = Vec::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(dir) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                let name = entry.file_name();
                if !SKIP_DIRS.iter().any(|s| name == *s) {
                    todo.push(path);
                }
                continue;
            }
            if !kind.is_file() || entry.metadata().map_or(true, |m| m.len() > MAX_SCAN) {
                continue;
            }
            let Ok(rel) = path.strip_prefix(root) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if skip.contains(&rel) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let lines: Vec<usize> = text
                .lines()
                .enumerate()
                .filter(|(_, l)| l.contains(needle))
                .map(|(i, _)| i + 1)
                .collect();
            if !lines.is_empty() {
                found.push((rel, lines));
            }
        }
    }
    found.sort();
    found
}

//! The generator: reads the vendored specs and the project's overlays, writes the generated
//! modules of `clerk-backend-core` (`core/src/models/` and `core/src/api/` from the Backend API
//! spec, `core/src/webhook/events/` from the webhook spec) and the test inputs in
//! `tests/src/generated/`.
//!
//! ```text
//! cargo run -p clerk-codegen                                # regenerate
//! cargo run -p clerk-codegen -- --check                     # fail if the committed output differs
//! cargo run -p clerk-codegen -- --spec <file>               # adopt a new spec version
//! cargo run -p clerk-codegen -- --spec <file> --dry-run     # only print what would change
//! cargo run -p clerk-codegen -- --root <dir> …              # work on another checkout
//! ```
//!
//! The current spec is the single `spec/bapi-<version>.yml`; its `info.version` is the
//! generated `API_VERSION` (sent as `Clerk-API-Version`), and the test crate reads the file
//! through the generated `tests/src/generated/spec.rs`, so no Rust names the file by hand.
//!
//! `--spec <file>` adopts a new version of the Backend API spec (see [`adopt`]): it checks that
//! the file is a Backend API OpenAPI 3 document with an `info.version`, prints what changed for
//! users between the current spec and the new one (both with `spec/overlay.yml` applied; see
//! [`diff`]), then vendors the file as `spec/bapi-<version>.yml` (removing the old one when the
//! version differs), regenerates, and lists the files that still mention the old version.
//! Nothing is written when the file is refused, when the overlay does not apply to it or when
//! the generator fails on it; `--dry-run` prints the report and writes nothing. `--root <dir>`
//! reads and writes another checkout than the one the generator was built in.
//!
//! Dependencies: `serde_yaml` reads the spec into `serde_json` values. The generator is not a
//! dependency of any library crate.

mod adopt;
mod diff;
mod doc;
mod emit_conformance;
mod emit_manifests;
mod emit_models;
mod emit_ops;
mod emit_strategies;
mod emit_webhooks;
mod inputs;
mod ir;
mod naming;
mod overlay;
mod resolve;
mod sample;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use serde_json::Value;

/// Where the vendored Backend API spec lives: the single `spec/bapi-<version>.yml`.
const SPEC_DIR: &str = "spec";
const SPEC_PREFIX: &str = "bapi-";
const SPEC_SUFFIX: &str = ".yml";
const OVERLAY: &str = "spec/overlay.yml";
const WEBHOOK_OVERLAY: &str = "spec/webhooks-overlay.yml";
/// Directories whose files carry the generated header; stale ones there are removed.
const GENERATED_DIRS: &[&str] = &[
    "core/src/models",
    "core/src/api",
    emit_webhooks::EVENTS_DIR,
    "tests/src/generated",
    emit_strategies::DIR,
];

/// The command line.
#[derive(Default)]
struct Args {
    check: bool,
    spec: Option<PathBuf>,
    dry_run: bool,
    root: Option<PathBuf>,
}

const USAGE: &str = "usage: clerk-codegen [--check] [--spec <file> [--dry-run]] [--root <dir>] (see codegen/src/main.rs)";

impl Args {
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut out = Self::default();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--check" => out.check = true,
                "--dry-run" => out.dry_run = true,
                "--spec" => out.spec = Some(args.next().ok_or("--spec needs a file")?.into()),
                "--root" => out.root = Some(args.next().ok_or("--root needs a directory")?.into()),
                other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
            }
        }
        if out.dry_run && out.spec.is_none() {
            return Err(format!("--dry-run goes with --spec <file>\n{USAGE}"));
        }
        if out.check && out.spec.is_some() {
            return Err(format!("--check and --spec do not go together\n{USAGE}"));
        }
        Ok(out)
    }
}

fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("clerk-codegen: {e}");
            return ExitCode::FAILURE;
        }
    };
    let root = args
        .root
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".."));
    let result = match &args.spec {
        Some(file) => adopt::adopt(&root, file, args.dry_run).map(|()| true),
        None => run(&root, args.check),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("clerk-codegen: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The vendored Backend API spec's path relative to `root`: the one `spec/bapi-*.yml`.
fn current_spec(root: &Path) -> Result<String, String> {
    let dir = root.join(SPEC_DIR);
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut found: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.starts_with(SPEC_PREFIX) && n.ends_with(SPEC_SUFFIX))
        .map(|n| format!("{SPEC_DIR}/{n}"))
        .collect();
    found.sort();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!(
            "no {SPEC_DIR}/{SPEC_PREFIX}<version>{SPEC_SUFFIX} in {}",
            root.display()
        )),
        many => Err(format!(
            "more than one vendored spec, keep one: {}",
            many.join(", ")
        )),
    }
}

/// The path a spec of `version` is vendored at.
fn spec_path(version: &str) -> String {
    format!("{SPEC_DIR}/{SPEC_PREFIX}{version}{SPEC_SUFFIX}")
}

fn run(root: &Path, check: bool) -> Result<bool, String> {
    let spec_rel = current_spec(root)?;
    let spec = load(root, &spec_rel, Some(OVERLAY))?;
    let webhooks = load(root, emit_webhooks::WEBHOOK_SPEC, Some(WEBHOOK_OVERLAY))?;
    let files = generate(root, &spec, &webhooks, &spec_rel)?;
    if check {
        return check_generated(root, &files);
    }
    write_generated(root, &files)?;
    Ok(true)
}

/// Compares `files` with what is on disk under `root`; says what differs.
fn check_generated(root: &Path, files: &BTreeMap<String, String>) -> Result<bool, String> {
    let out = root.to_path_buf();
    let existing = existing_generated(&out)?;
    let mut clean = true;
    for (rel, content) in files {
        match std::fs::read_to_string(out.join(rel)) {
            Ok(on_disk) if on_disk == *content => {}
            Ok(_) => {
                eprintln!("differs: {rel}");
                clean = false;
            }
            Err(_) => {
                eprintln!("missing: {rel}");
                clean = false;
            }
        }
    }
    for rel in existing.iter().filter(|r| !files.contains_key(*r)) {
        eprintln!("stale: {rel}");
        clean = false;
    }
    if clean {
        println!("generated code is up to date ({} files)", files.len());
    } else {
        eprintln!("generated code is out of date: run `cargo run -p clerk-codegen`");
    }
    Ok(clean)
}

/// Writes `files` under `root` and removes the generated files it no longer has.
fn write_generated(root: &Path, files: &BTreeMap<String, String>) -> Result<(), String> {
    let out = root.to_path_buf();
    let existing = existing_generated(&out)?;
    // Every file is written whole (a temporary file renamed over it), and stale files go only
    // once all are written: an I/O failure part-way leaves no truncated file and no missing one.
    for (rel, content) in files {
        write_whole(&out.join(rel), content.as_bytes())?;
    }
    for rel in existing.iter().filter(|r| !files.contains_key(*r)) {
        std::fs::remove_file(out.join(rel)).map_err(|e| format!("{rel}: {e}"))?;
    }
    println!("wrote {} files", files.len());
    Ok(())
}

/// Writes `content` to `path` through a temporary file beside it and a rename, so that `path`
/// holds either its old content or the new one, never a part.
fn write_whole(path: &Path, content: &[u8]) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".codegen-tmp");
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, content).map_err(|e| format!("{}: {e}", temporary.display()))?;
    std::fs::rename(&temporary, path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The spec at `path`, with the overlay at `overlay` applied.
fn load(root: &Path, path: &str, overlay: Option<&str>) -> Result<Value, String> {
    let text = std::fs::read_to_string(root.join(path)).map_err(|e| format!("{path}: {e}"))?;
    let mut spec: Value = serde_yaml::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    let Some(overlay) = overlay else {
        return Ok(spec);
    };
    apply_overlay(root, overlay, &mut spec)?;
    Ok(spec)
}

/// Applies the patches of the overlay file `path` to `spec`.
fn apply_overlay(root: &Path, path: &str, spec: &mut Value) -> Result<(), String> {
    for patch in overlay_patches(root, path)? {
        apply_patch(spec, &patch).map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(())
}

/// The patches of the overlay file `path`.
fn overlay_patches(root: &Path, path: &str) -> Result<Vec<Value>, String> {
    let text = std::fs::read_to_string(root.join(path)).map_err(|e| format!("{path}: {e}"))?;
    let overlay: Value = serde_yaml::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    Ok(overlay["patches"].as_array().cloned().unwrap_or_default())
}

/// Applies one overlay patch (`pointer`, and `set` or nothing to remove) to `spec`.
fn apply_patch(spec: &mut Value, patch: &Value) -> Result<(), String> {
    let pointer = patch["pointer"]
        .as_str()
        .ok_or("overlay patch without pointer")?;
    let (parent, key) = pointer
        .rsplit_once('/')
        .ok_or("overlay pointer without a key")?;
    let key = key.replace("~1", "/").replace("~0", "~");
    let target = spec
        .pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .ok_or_else(|| format!("{parent} is not an object in the spec"))?;
    match patch.get("set") {
        Some(value) => {
            target.insert(key, value.clone());
        }
        None => {
            target
                .remove(&key)
                .ok_or_else(|| format!("nothing to remove at {pointer}"))?;
        }
    }
    Ok(())
}

/// Every generated file, formatted, by path relative to the workspace root.
fn generate(
    root: &Path,
    spec: &Value,
    webhooks: &Value,
    spec_rel: &str,
) -> Result<BTreeMap<String, String>, String> {
    let version = diff::version(spec).ok_or(format!("{spec_rel}: no info.version"))?;
    let dangling = resolve::unresolved_refs(spec);
    if !dangling.is_empty() {
        return Err(format!(
            "{spec_rel}: {} reference(s) name no component:\n  {}",
            dangling.len(),
            dangling.join("\n  ")
        ));
    }
    let naming = overlay::naming(root, OVERLAY)?;
    let mut resolver = resolve::Resolver::new(spec).with_names(naming.types);
    let mut ops = Vec::new();
    let paths = spec["paths"].as_object().ok_or("spec has no paths")?;
    for (path, item) in paths {
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            if let Some(op) = item.get(method) {
                let keys = keys(spec, op).map_err(|e| format!("{method} {path}: {e}"))?;
                let mut op = resolver.operation(path, method, op)?;
                op.keys = keys;
                inputs::assign_names(&mut op, &naming.setters)?;
                resolver.mark_op(&op);
                ops.push(op);
            }
        }
    }
    let naming_errors = resolver.naming_errors();
    if !naming_errors.is_empty() {
        return Err(format!(
            "{} type names need a decision:\n\n{}",
            naming_errors.len(),
            naming_errors.join("\n\n")
        ));
    }
    let kinds = resolver.defs.values().map(|d| &d.kind);
    let tagged = kinds
        .clone()
        .filter(|k| matches!(k, ir::DefKind::Union { .. }))
        .count();
    let untagged = kinds
        .filter(|k| matches!(k, ir::DefKind::Untagged { .. }))
        .count();
    eprintln!(
        "{} operations, {} types ({tagged} tagged unions, {untagged} untagged unions told apart by markers); untagged oneOf/anyOf kept as JSON: {:?}",
        ops.len(),
        resolver.defs.len(),
        resolver.untagged_fallbacks
    );
    let features: std::collections::BTreeSet<String> =
        ops.iter().map(|o| o.module.clone()).collect();
    let mut files = BTreeMap::new();
    // Before the models are written: the events mark the API models they reuse.
    let webhook_names = overlay::naming(root, WEBHOOK_OVERLAY)?.types;
    emit_webhooks::webhooks(webhooks, webhook_names, &mut resolver, &mut files)?;
    emit_models::models(&resolver.defs, features.len(), &mut files);
    emit_ops::ops(&ops, &resolver.defs, &mut files);
    emit_conformance::conformance(spec, &ops, &mut files);
    emit_strategies::strategies(&ops, &resolver.defs, features.len(), &mut files);
    adopt::emit_version(spec_rel, version, &mut files)?;
    let header = emit_models::HEADER.replace("{spec}", spec_rel);
    for (rel, content) in files.iter_mut() {
        if let Some(rest) = content.strip_prefix(emit_models::HEADER) {
            *content = format!("{header}{rest}");
        }
        *content = rustfmt(content).map_err(|e| format!("{rel}: {e}"))?;
    }
    emit_manifests::manifests(root, &features, &mut files)?;
    Ok(files)
}

/// The keys that may authorize `op`, from its `security` (else the spec's), in order: each
/// alternative names one `http` bearer scheme, whose `bearerFormat` prefix (`sk_`, `ak_`) says
/// which `SecretKeyKind` it is. An empty list means no key.
fn keys(spec: &Value, op: &Value) -> Result<Vec<String>, String> {
    let security = op
        .get("security")
        .or_else(|| spec.get("security"))
        .and_then(Value::as_array)
        .ok_or("no `security`, and the spec has no default")?;
    let mut keys = Vec::new();
    for requirement in security {
        let schemes = requirement
            .as_object()
            .ok_or("a `security` requirement is not an object")?;
        let mut names = schemes.keys();
        let (Some(name), None) = (names.next(), names.next()) else {
            return Err(format!(
                "a `security` requirement must name exactly one scheme: {requirement}"
            ));
        };
        let scheme = &spec["components"]["securitySchemes"][name];
        if scheme["type"] != "http" || scheme["scheme"] != "bearer" {
            return Err(format!(
                "security scheme `{name}` is not an http bearer scheme"
            ));
        }
        let format = scheme["bearerFormat"].as_str().unwrap_or_default();
        let kind = if format.starts_with("sk_") {
            "Instance"
        } else if format.starts_with("ak_") {
            "Machine"
        } else {
            return Err(format!(
                "security scheme `{name}` has bearerFormat `{format}`, neither `sk_…` nor `ak_…`"
            ));
        };
        if !keys.iter().any(|k| k == kind) {
            keys.push(kind.to_owned());
        }
    }
    Ok(keys)
}

fn rustfmt(source: &str) -> Result<String, String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("running rustfmt: {e}"))?;
    child
        .stdin
        .take()
        .ok_or("rustfmt stdin")?
        .write_all(source.as_bytes())
        .map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        let numbered: String = source
            .lines()
            .enumerate()
            .map(|(i, l)| format!("{:4} {l}\n", i + 1))
            .collect();
        return Err(format!(
            "rustfmt failed: {}\n{numbered}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}

/// Files under the generated directories that carry the generated header.
fn existing_generated(out: &Path) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    for dir in GENERATED_DIRS {
        walk(&out.join(dir), &mut |path| {
            if std::fs::read_to_string(path).is_ok_and(|t| t.starts_with("// @generated"))
                && let Ok(rel) = path.strip_prefix(out)
            {
                found.push(rel.to_string_lossy().replace('\\', "/"));
            }
        });
    }
    found.sort();
    Ok(found)
}

fn walk(dir: &Path, f: &mut dyn FnMut(&Path)) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, f);
        } else {
            f(&path);
        }
    }
}

//! `clerk-codegen --spec <file>`: the report, the refusals, and adoption into a scratch checkout
//! (`--root`), with the fixtures `tests/fixtures/tiny-v1.yml` and `tiny-v2.yml`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

const V1: &str = "2030-01-15";
const V2: &str = "2030-02-20";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn codegen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clerk-codegen"))
        .args(args)
        .output()
        .expect("clerk-codegen runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A scratch checkout holding what the generator reads: the tiny v1 spec as the current one,
/// the given overlay, the real webhook spec and overlay, `core/Cargo.toml`, and a note that
/// mentions the version. Removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(overlay: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "clerk-codegen-adopt-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("spec")).unwrap();
        for crate_dir in ["core", "transport-ureq", "transport-async"] {
            std::fs::create_dir_all(dir.join(crate_dir)).unwrap();
        }
        std::fs::copy(
            fixture("tiny-v1.yml"),
            dir.join(format!("spec/bapi-{V1}.yml")),
        )
        .unwrap();
        std::fs::copy(fixture(overlay), dir.join("spec/overlay.yml")).unwrap();
        for f in [
            "spec/webhooks-2025-04-15.yml",
            "spec/webhooks-overlay.yml",
            "core/Cargo.toml",
            "transport-ureq/Cargo.toml",
            "transport-async/Cargo.toml",
        ] {
            std::fs::copy(repo().join(f), dir.join(f)).unwrap();
        }
        std::fs::write(
            dir.join("NOTES.md"),
            format!("# Notes\n\nSends Clerk-API-Version {V1}.\n"),
        )
        .unwrap();
        Self(dir)
    }

    fn root(&self) -> &str {
        self.0.to_str().unwrap()
    }

    /// Every file under the checkout, with its content.
    fn files(&self) -> BTreeMap<String, Vec<u8>> {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(root, &path, out);
                } else {
                    let rel = path
                        .strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    out.insert(rel, std::fs::read(&path).unwrap());
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(&self.0, &self.0, &mut out);
        out
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.0.join(rel)).unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn dry_run_prints_the_report_and_writes_nothing() {
    let scratch = Scratch::new("overlay-stale.yml");
    let before = scratch.files();
    let v2 = fixture("tiny-v2.yml");
    let out = codegen(&[
        "--root",
        scratch.root(),
        "--spec",
        v2.to_str().unwrap(),
        "--dry-run",
    ]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    let expected = format!(
        "\
Backend API spec {V1} -> {V2}

Overlay patches that do not apply (1):
  ! patch 2 (/paths/~1gadgets~1{{gadget_id}}/delete/deprecated) does not apply to the new spec: /paths/~1gadgets~1{{gadget_id}}/delete is not an object in the spec

5 breaking change(s), marked [breaking].

Operations added (1):
  + ArchiveWidget  POST /widgets/{{widget_id}}/archive

Operations removed (1):
  - DeleteGadget  DELETE /gadgets/{{gadget_id}}  [breaking]

Operations changed (3):
  CreateWidget  POST /widgets
      request body field `color`: type string -> array of string  [breaking]
  DeleteWidget  DELETE /widgets/{{widget_id}}
      response 200: Widget -> DeletedObject  [breaking]
  ListWidgets  GET /widgets
      parameter `owner_id` (query): added, required  [breaking]

Types renamed (1):
  Owner -> WidgetOwner  [breaking]

--dry-run: nothing was written.
"
    );
    assert_eq!(stdout, expected);
    assert_eq!(scratch.files(), before);
}

#[test]
fn the_vendored_spec_against_itself_reports_no_change() {
    let root = repo();
    let spec = std::fs::read_dir(root.join("spec"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("bapi-") && name.ends_with(".yml")
        })
        .expect("a vendored spec/bapi-*.yml");
    let out = codegen(&[
        "--root",
        root.to_str().unwrap(),
        "--spec",
        spec.to_str().unwrap(),
        "--dry-run",
    ]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    let version = clerk_version(&spec);
    assert_eq!(
        stdout,
        format!(
            "Backend API spec {version} -> {version}\n\nNo changes for users.\n\n--dry-run: nothing was written.\n"
        )
    );
}

/// The `info.version` of the spec at `path`.
fn clerk_version(path: &Path) -> String {
    let spec: serde_json::Value =
        serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    spec["info"]["version"].as_str().unwrap().to_owned()
}

#[test]
fn adoption_waits_for_the_overlay_then_moves_the_spec_and_the_version() {
    let scratch = Scratch::new("overlay-stale.yml");
    let before = scratch.files();
    let v2 = fixture("tiny-v2.yml");
    let adopt =
        |scratch: &Scratch| codegen(&["--root", scratch.root(), "--spec", v2.to_str().unwrap()]);

    // The overlay names an operation v2 removed: reported, and nothing is written.
    let out = adopt(&scratch);
    assert!(!out.status.success());
    assert!(text(&out.stdout).contains("Operations removed (1):"));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("1 overlay patch(es) do not apply to the new spec")
            && stderr.contains("nothing was written"),
        "{stderr}"
    );
    assert_eq!(scratch.files(), before);

    // With the overlay fixed, the spec is vendored under its version and the code regenerated.
    std::fs::copy(fixture("overlay.yml"), scratch.0.join("spec/overlay.yml")).unwrap();
    let out = adopt(&scratch);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(!scratch.0.join(format!("spec/bapi-{V1}.yml")).exists());
    assert_eq!(
        std::fs::read(scratch.0.join(format!("spec/bapi-{V2}.yml"))).unwrap(),
        std::fs::read(&v2).unwrap(),
        "the spec is vendored unchanged"
    );
    let api = scratch.read("core/src/api/mod.rs");
    assert!(api.starts_with(&format!(
        "// @generated by clerk-codegen from spec/bapi-{V2}.yml."
    )));
    assert!(api.contains(&format!("pub const API_VERSION: &str = \"{V2}\";")));
    assert!(api.contains("pub mod widgets;") && !api.contains("gadgets"));
    let spec_rs = scratch.read("tests/src/generated/spec.rs");
    assert!(spec_rs.contains(&format!(
        "pub const SPEC_PATH: &str = \"spec/bapi-{V2}.yml\";"
    )));
    assert!(spec_rs.contains(&format!("include_str!(\"../../../spec/bapi-{V2}.yml\")")));
    assert!(
        scratch
            .read("tests/src/generated/mod.rs")
            .contains("pub mod spec;")
    );
    assert!(
        scratch
            .0
            .join("core/src/api/widgets/archive_widget.rs")
            .exists()
    );
    assert!(
        scratch
            .read("core/src/models/mod.rs")
            .contains("WidgetOwner")
    );
    assert!(
        stdout.contains(&format!("These files still mention the old version {V1}"))
            && stdout.contains("  NOTES.md: line 3\n"),
        "{stdout}"
    );

    // The result is what the generator makes of the checkout.
    let check = codegen(&["--root", scratch.root(), "--check"]);
    assert!(check.status.success(), "{}", text(&check.stderr));

    // Adopting the same version again regenerates and keeps the file.
    let after = scratch.files();
    let again = adopt(&scratch);
    let stdout = text(&again.stdout);
    assert!(again.status.success(), "{stdout}{}", text(&again.stderr));
    assert!(stdout.contains("No changes for users."));
    assert!(stdout.contains(&format!(
        "spec/bapi-{V2}.yml is the current version: regenerating"
    )));
    assert_eq!(scratch.files(), after);
}

#[test]
fn files_that_are_not_a_backend_api_spec_with_a_version_are_refused() {
    let scratch = Scratch::new("overlay.yml");
    let before = scratch.files();
    let v1 = std::fs::read_to_string(fixture("tiny-v1.yml")).unwrap();
    let cases = [
        (
            "no-version.yml",
            v1.replace(&format!("  version: '{V1}'\n"), ""),
            "the spec has no `info.version`",
        ),
        (
            "swagger.yml",
            v1.replace("openapi: 3.0.3", "swagger: '2.0'"),
            "not an OpenAPI 3 document",
        ),
        (
            "webhooks.yml",
            v1.replace("Tiny Backend API", "Clerk Webhook Events"),
            "not the Backend API spec",
        ),
        (
            "traversal.yml",
            v1.replace(&format!("'{V1}'"), "'../../x'"),
            "cannot name a file",
        ),
        ("not-yaml.yml", "paths: [".to_owned(), "not a YAML document"),
    ];
    let inputs = std::env::temp_dir().join(format!("clerk-codegen-refused-{}", std::process::id()));
    std::fs::create_dir_all(&inputs).unwrap();
    for (name, content, why) in cases {
        let path = inputs.join(name);
        std::fs::write(&path, content).unwrap();
        let out = codegen(&["--root", scratch.root(), "--spec", path.to_str().unwrap()]);
        let stderr = text(&out.stderr);
        assert!(!out.status.success(), "{name} was accepted");
        assert!(
            stderr.contains(why) && stderr.contains("nothing was written"),
            "{name}: {stderr}"
        );
        assert!(
            out.stdout.is_empty(),
            "{name}: no report for a refused file"
        );
    }
    let _ = std::fs::remove_dir_all(&inputs);
    assert_eq!(scratch.files(), before);
}

#[test]
fn flags_that_do_not_go_together_are_refused() {
    for args in [
        &["--dry-run"][..],
        &["--check", "--spec", "x.yml"],
        &["--spec"],
        &["--frobnicate"],
    ] {
        let out = codegen(args);
        assert!(!out.status.success(), "{args:?}");
        assert!(text(&out.stderr).contains("clerk-codegen:"), "{args:?}");
    }
}

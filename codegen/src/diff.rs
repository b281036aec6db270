//! What changed for users between two Backend API specs (both with the overlay applied):
//! operations added, removed and changed (parameters, request bodies, responses), and the
//! component schemas — the generated Rust types — added, removed, renamed and changed. Each
//! change says whether it breaks code written against the old version.
//!
//! A removed schema and an added one with the same structure (descriptions and examples aside)
//! are one renamed type; references to it are compared under its new name, so a rename is
//! reported once, under the types, and not again at every operation that uses it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use serde_json::Value;

use crate::naming::type_name;
use crate::resolve::deref;

/// The HTTP methods an OpenAPI path item may hold, in the generator's order.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Keys that document a schema without shaping it: ignored when telling whether two schemas
/// are the same type.
const DOC_KEYS: &[&str] = &[
    "description",
    "example",
    "examples",
    "title",
    "externalDocs",
];

/// One change, as a line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What changed: "parameter `limit` (query)", "request body field `name`", "response 200".
    pub subject: String,
    /// How it changed: "added, required", "type string -> integer".
    pub detail: String,
    /// Whether code written against the old version may stop compiling or behave differently.
    pub breaking: bool,
}

impl Change {
    fn new(subject: &str, detail: impl Into<String>, breaking: bool) -> Self {
        Self {
            subject: subject.to_owned(),
            detail: detail.into(),
            breaking,
        }
    }

    /// The change as one line: `subject: detail`, with ` [breaking]` when it is.
    pub fn line(&self) -> String {
        let mark = if self.breaking { "  [breaking]" } else { "" };
        format!("{}: {}{mark}", self.subject, self.detail)
    }
}

/// An operation, as the report names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpRef {
    /// The `operationId` (else `METHOD path`).
    pub id: String,
    /// The HTTP method, upper case.
    pub method: String,
    /// The path template.
    pub path: String,
}

impl OpRef {
    fn line(&self) -> String {
        format!("{}  {} {}", self.id, self.method, self.path)
    }
}

/// The changes to one operation or one type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed<T> {
    /// The operation or type name.
    pub what: T,
    /// Its changes, sorted.
    pub changes: Vec<Change>,
}

/// Everything that changed for users between two specs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// `info.version` of the old spec.
    pub old_version: String,
    /// `info.version` of the new spec.
    pub new_version: String,
    /// Overlay patches that could not be applied, one note each.
    pub overlay: Vec<String>,
    /// Operations only the new spec has, by id.
    pub ops_added: Vec<OpRef>,
    /// Operations only the old spec has, by id.
    pub ops_removed: Vec<OpRef>,
    /// Operations both have, with their changes.
    pub ops_changed: Vec<Changed<OpRef>>,
    /// Component schemas only the new spec has.
    pub types_added: Vec<String>,
    /// Component schemas only the old spec has.
    pub types_removed: Vec<String>,
    /// Component schemas with a new name and the same structure: (old, new).
    pub types_renamed: Vec<(String, String)>,
    /// Component schemas both have under the same name, with their changes.
    pub types_changed: Vec<Changed<String>>,
}

impl Report {
    /// Whether nothing changed for users (overlay notes aside).
    pub fn is_empty(&self) -> bool {
        self.ops_added.is_empty()
            && self.ops_removed.is_empty()
            && self.ops_changed.is_empty()
            && self.types_added.is_empty()
            && self.types_removed.is_empty()
            && self.types_renamed.is_empty()
            && self.types_changed.is_empty()
    }

    /// How many of the changes break users.
    pub fn breaking(&self) -> usize {
        let changes = self
            .ops_changed
            .iter()
            .flat_map(|c| &c.changes)
            .chain(self.types_changed.iter().flat_map(|c| &c.changes));
        self.ops_removed.len()
            + self.types_removed.len()
            + self.types_renamed.len()
            + changes.filter(|c| c.breaking).count()
    }

    /// The report as plain text, in a stable order.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Backend API spec {} -> {}",
            self.old_version, self.new_version
        );
        if !self.overlay.is_empty() {
            let _ = writeln!(
                out,
                "\nOverlay patches that do not apply ({}):",
                self.overlay.len()
            );
            for note in &self.overlay {
                let _ = writeln!(out, "  ! {note}");
            }
        }
        if self.is_empty() {
            out.push_str("\nNo changes for users.\n");
            return out;
        }
        let _ = writeln!(
            out,
            "\n{} breaking change(s), marked [breaking].",
            self.breaking()
        );
        section(&mut out, "Operations added", &self.ops_added, |o| {
            format!("+ {}", o.line())
        });
        section(&mut out, "Operations removed", &self.ops_removed, |o| {
            format!("- {}  [breaking]", o.line())
        });
        section(&mut out, "Operations changed", &self.ops_changed, |c| {
            changed_lines(&c.what.line(), &c.changes)
        });
        section(&mut out, "Types added", &self.types_added, |t| {
            format!("+ {}", rust_hint(t))
        });
        section(&mut out, "Types removed", &self.types_removed, |t| {
            format!("- {}  [breaking]", rust_hint(t))
        });
        section(
            &mut out,
            "Types renamed",
            &self.types_renamed,
            |(old, new)| format!("{} -> {}  [breaking]", rust_hint(old), rust_hint(new)),
        );
        section(&mut out, "Types changed", &self.types_changed, |c| {
            changed_lines(&rust_hint(&c.what), &c.changes)
        });
        out
    }
}

fn section<T>(out: &mut String, title: &str, items: &[T], line: impl Fn(&T) -> String) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title} ({}):", items.len());
    for item in items {
        let _ = writeln!(out, "  {}", line(item));
    }
}

fn changed_lines(head: &str, changes: &[Change]) -> String {
    let mut s = head.to_owned();
    for c in changes {
        let _ = write!(s, "\n      {}", c.line());
    }
    s
}

/// A schema name, with the Rust type it generates when that is spelled differently.
fn rust_hint(schema: &str) -> String {
    let rust = type_name(schema);
    if rust == schema {
        schema.to_owned()
    } else {
        format!("{schema} (models::{rust})")
    }
}

/// The `info.version` of a spec, if it has one.
pub fn version(spec: &Value) -> Option<&str> {
    spec.get("info")?.get("version")?.as_str()
}

/// Compares two specs (each with the overlay applied).
pub fn diff(old: &Value, new: &Value) -> Report {
    let renames = renames(old, new);
    let ctx = Ctx {
        old,
        new,
        renames: &renames,
    };
    let mut report = Report {
        old_version: version(old).unwrap_or("(none)").to_owned(),
        new_version: version(new).unwrap_or("(none)").to_owned(),
        ..Report::default()
    };

    let old_ops = operations(old);
    let new_ops = operations(new);
    for (id, op) in &new_ops {
        if !old_ops.contains_key(id) {
            report.ops_added.push(op.op_ref(id));
        }
    }
    for (id, op) in &old_ops {
        match new_ops.get(id) {
            None => report.ops_removed.push(op.op_ref(id)),
            Some(new_op) => {
                let changes = ctx.operation(op, new_op);
                if !changes.is_empty() {
                    report.ops_changed.push(Changed {
                        what: new_op.op_ref(id),
                        changes,
                    });
                }
            }
        }
    }

    let old_types = schemas(old);
    let new_types = schemas(new);
    let renamed_to: BTreeSet<&String> = renames.values().collect();
    for name in new_types.keys() {
        if !old_types.contains_key(name) && !renamed_to.contains(name) {
            report.types_added.push(name.clone());
        }
    }
    for (name, schema) in &old_types {
        if let Some(to) = renames.get(name) {
            report.types_renamed.push((name.clone(), to.clone()));
            continue;
        }
        let Some(new_schema) = new_types.get(name) else {
            report.types_removed.push(name.clone());
            continue;
        };
        if canonical(schema, &renames) == canonical(new_schema, &BTreeMap::new()) {
            continue;
        }
        let mut changes = Vec::new();
        ctx.schema("", schema, new_schema, true, &mut changes);
        if !changes.is_empty() {
            changes.sort_by(|a, b| a.subject.cmp(&b.subject).then(a.detail.cmp(&b.detail)));
            report.types_changed.push(Changed {
                what: name.clone(),
                changes,
            });
        }
    }
    report
}

/// The component schemas of a spec, by name.
fn schemas(spec: &Value) -> BTreeMap<String, &Value> {
    spec.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v)).collect())
        .unwrap_or_default()
}

/// A schema with its documentation removed and its `$ref`s renamed by `renames`, for telling
/// whether two schemas are the same type.
fn canonical(schema: &Value, renames: &BTreeMap<String, String>) -> Value {
    match schema {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !DOC_KEYS.contains(&k.as_str()))
                .map(|(k, v)| {
                    let v = match (k.as_str(), v.as_str()) {
                        ("$ref", Some(r)) => Value::String(rename_ref(r, renames)),
                        _ => canonical(v, renames),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| canonical(v, renames)).collect()),
        other => other.clone(),
    }
}

fn rename_ref(reference: &str, renames: &BTreeMap<String, String>) -> String {
    match reference.rsplit_once('/') {
        Some((prefix, name)) if prefix == "#/components/schemas" => match renames.get(name) {
            Some(to) => format!("{prefix}/{to}"),
            None => reference.to_owned(),
        },
        _ => reference.to_owned(),
    }
}

/// Old schema name → new name, for each removed schema whose structure an added one has (a
/// rename inside a renamed schema's members is found on a later round). When several added
/// schemas match, the first by name is taken.
fn renames(old: &Value, new: &Value) -> BTreeMap<String, String> {
    let old_types = schemas(old);
    let new_types = schemas(new);
    let removed: Vec<&String> = old_types
        .keys()
        .filter(|k| !new_types.contains_key(*k))
        .collect();
    let added: Vec<&String> = new_types
        .keys()
        .filter(|k| !old_types.contains_key(*k))
        .collect();
    let mut renames = BTreeMap::new();
    loop {
        let taken: BTreeSet<&String> = renames.values().collect();
        let mut found = BTreeMap::new();
        for name in removed.iter().filter(|n| !renames.contains_key(**n)) {
            let Some(schema) = old_types.get(*name) else {
                continue;
            };
            let shape = canonical(schema, &renames);
            let candidate = added.iter().find(|a| {
                !taken.contains(*a)
                    && !found.values().any(|f: &String| f == **a)
                    && new_types
                        .get(**a)
                        .is_some_and(|s| canonical(s, &BTreeMap::new()) == shape)
            });
            if let Some(to) = candidate {
                found.insert((*name).clone(), (*to).clone());
            }
        }
        if found.is_empty() {
            return renames;
        }
        renames.extend(found);
    }
}

/// One operation of a spec, as the report compares it.
struct Operation<'s> {
    method: String,
    path: String,
    tag: String,
    deprecated: bool,
    /// Parameters by name (`name (in)` when one name is used in two locations).
    params: BTreeMap<String, &'s Value>,
    body: Option<&'s Value>,
    responses: BTreeMap<String, &'s Value>,
}

impl Operation<'_> {
    fn op_ref(&self, id: &str) -> OpRef {
        OpRef {
            id: id.to_owned(),
            method: self.method.to_uppercase(),
            path: self.path.clone(),
        }
    }
}

/// The operations of a spec, by `operationId` (else `METHOD path`).
fn operations(spec: &Value) -> BTreeMap<String, Operation<'_>> {
    let mut out = BTreeMap::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let shared = item.get("parameters").and_then(Value::as_array);
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            let mut params: BTreeMap<(String, String), &Value> = BTreeMap::new();
            let own = op.get("parameters").and_then(Value::as_array);
            // Operation parameters override the path item's of the same name and location.
            for p in shared
                .into_iter()
                .flatten()
                .chain(own.into_iter().flatten())
            {
                let p = deref(spec, p);
                let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
                let location = p.get("in").and_then(Value::as_str).unwrap_or_default();
                params.insert((name.to_owned(), location.to_owned()), p);
            }
            let mut by_name: BTreeMap<&str, usize> = BTreeMap::new();
            for (name, _) in params.keys() {
                *by_name.entry(name.as_str()).or_default() += 1;
            }
            let params = params
                .iter()
                .map(|((name, location), p)| {
                    let key = if by_name.get(name.as_str()).copied().unwrap_or(0) > 1 {
                        format!("{name} ({location})")
                    } else {
                        name.clone()
                    };
                    (key, *p)
                })
                .collect();
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| format!("{} {path}", method.to_uppercase()));
            let responses = op
                .get("responses")
                .and_then(Value::as_object)
                .map(|r| {
                    r.iter()
                        .map(|(code, v)| (code.clone(), deref(spec, v)))
                        .collect()
                })
                .unwrap_or_default();
            out.insert(
                id,
                Operation {
                    method: (*method).to_owned(),
                    path: path.clone(),
                    tag: op
                        .pointer("/tags/0")
                        .and_then(Value::as_str)
                        .unwrap_or("Miscellaneous")
                        .to_owned(),
                    deprecated: flag(op, "deprecated"),
                    params,
                    body: op.get("requestBody").map(|b| deref(spec, b)),
                    responses,
                },
            );
        }
    }
    out
}

fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// The two specs and the renamed schemas, for comparing their parts.
struct Ctx<'a> {
    old: &'a Value,
    new: &'a Value,
    renames: &'a BTreeMap<String, String>,
}

/// Which spec a schema comes from: the old one's references are read under their new names.
#[derive(Clone, Copy)]
enum Side {
    Old,
    New,
}

impl Ctx<'_> {
    fn spec(&self, side: Side) -> &Value {
        match side {
            Side::Old => self.old,
            Side::New => self.new,
        }
    }

    fn operation(&self, old: &Operation<'_>, new: &Operation<'_>) -> Vec<Change> {
        let mut out = Vec::new();
        if old.method != new.method || old.path != new.path {
            out.push(Change::new(
                "endpoint",
                format!(
                    "{} {} -> {} {}",
                    old.method.to_uppercase(),
                    old.path,
                    new.method.to_uppercase(),
                    new.path
                ),
                false,
            ));
        }
        if old.tag != new.tag {
            // The tag is the module the request type lives in.
            out.push(Change::new(
                "tag",
                format!("{} -> {} (the request type moves module)", old.tag, new.tag),
                true,
            ));
        }
        if old.deprecated != new.deprecated {
            let detail = if new.deprecated {
                "now deprecated"
            } else {
                "no longer deprecated"
            };
            out.push(Change::new("operation", detail, false));
        }
        self.parameters(old, new, &mut out);
        self.body(old.body, new.body, &mut out);
        self.responses(old, new, &mut out);
        out.sort_by(|a, b| a.subject.cmp(&b.subject).then(a.detail.cmp(&b.detail)));
        out
    }

    fn parameters(&self, old: &Operation<'_>, new: &Operation<'_>, out: &mut Vec<Change>) {
        let required = |p: &Value| flag(p, "required") || str_of(p, "in") == Some("path");
        let location = |p: &Value| str_of(p, "in").unwrap_or("?").to_owned();
        for (name, p) in &new.params {
            if !old.params.contains_key(name) {
                let subject = format!("parameter `{name}` ({})", location(p));
                let req = required(p);
                let detail = if req {
                    "added, required"
                } else {
                    "added, optional"
                };
                out.push(Change::new(&subject, detail, req));
            }
        }
        for (name, p) in &old.params {
            let Some(q) = new.params.get(name) else {
                let subject = format!("parameter `{name}` ({})", location(p));
                out.push(Change::new(&subject, "removed", true));
                continue;
            };
            let subject = format!("parameter `{name}` ({})", location(q));
            if location(p) != location(q) {
                out.push(Change::new(
                    &subject,
                    format!("moved from {} to {}", location(p), location(q)),
                    false,
                ));
            }
            match (required(p), required(q)) {
                (false, true) => out.push(Change::new(&subject, "now required", true)),
                (true, false) => out.push(Change::new(
                    &subject,
                    "now optional (no longer a constructor argument)",
                    true,
                )),
                _ => {}
            }
            let null = Value::Null;
            let old_ty = self.describe(Side::Old, p.get("schema").unwrap_or(&null));
            let new_ty = self.describe(Side::New, q.get("schema").unwrap_or(&null));
            if old_ty != new_ty {
                out.push(Change::new(
                    &subject,
                    format!("type {old_ty} -> {new_ty}"),
                    true,
                ));
            }
        }
    }

    fn body(&self, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<Change>) {
        let subject = "request body";
        let (old, new) = match (old, new) {
            (None, None) => return,
            (None, Some(b)) => {
                let required = self.required_fields(Side::New, b);
                let breaking = flag(b, "required") || !required.is_empty();
                let detail = if required.is_empty() {
                    format!("added ({})", content_types(b).join(", "))
                } else {
                    format!(
                        "added ({}), required fields: {}",
                        content_types(b).join(", "),
                        required.join(", ")
                    )
                };
                out.push(Change::new(subject, detail, breaking));
                return;
            }
            (Some(_), None) => {
                out.push(Change::new(subject, "removed", true));
                return;
            }
            (Some(o), Some(n)) => (o, n),
        };
        match (flag(old, "required"), flag(new, "required")) {
            (false, true) => out.push(Change::new(subject, "now required", true)),
            (true, false) => out.push(Change::new(subject, "now optional", false)),
            _ => {}
        }
        let old_types = content_types(old);
        let new_types = content_types(new);
        if old_types.len() == 1 && new_types.len() == 1 && old_types != new_types {
            out.push(Change::new(
                subject,
                format!(
                    "content type {} -> {}",
                    old_types.join(""),
                    new_types.join("")
                ),
                true,
            ));
            let (Some(o), Some(n)) = (
                old.pointer("/content").and_then(first_schema),
                new.pointer("/content").and_then(first_schema),
            ) else {
                return;
            };
            self.schema(subject, o, n, true, out);
            return;
        }
        let prefixed = old_types.len() > 1 || new_types.len() > 1;
        self.contents(subject, prefixed, old, new, true, out);
    }

    /// Compares the `content` maps of two bodies (request or response): content types added,
    /// removed, and the schema of each kept one.
    fn contents(
        &self,
        subject: &str,
        prefixed: bool,
        old: &Value,
        new: &Value,
        breaking: bool,
        out: &mut Vec<Change>,
    ) {
        let empty = serde_json::Map::new();
        let old_content = old
            .get("content")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let new_content = new
            .get("content")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        for (ct, media) in new_content {
            if !old_content.contains_key(ct) {
                let ty = self.describe(Side::New, media.get("schema").unwrap_or(&Value::Null));
                out.push(Change::new(
                    subject,
                    format!("content {ct} added: {ty}"),
                    breaking,
                ));
            }
        }
        for (ct, media) in old_content {
            let Some(new_media) = new_content.get(ct) else {
                out.push(Change::new(
                    subject,
                    format!("content {ct} removed"),
                    breaking,
                ));
                continue;
            };
            let sub = if prefixed {
                format!("{subject} ({ct})")
            } else {
                subject.to_owned()
            };
            let null = Value::Null;
            self.schema(
                &sub,
                media.get("schema").unwrap_or(&null),
                new_media.get("schema").unwrap_or(&null),
                breaking,
                out,
            );
        }
    }

    fn responses(&self, old: &Operation<'_>, new: &Operation<'_>, out: &mut Vec<Change>) {
        // The success responses decide the type an operation returns; the others are errors.
        let success = |code: &str| code.starts_with('2');
        for (code, r) in &new.responses {
            if !old.responses.contains_key(code) {
                out.push(Change::new(
                    &format!("response {code}"),
                    format!("added: {}", self.response_type(Side::New, r)),
                    false,
                ));
            }
        }
        for (code, r) in &old.responses {
            let subject = format!("response {code}");
            let Some(n) = new.responses.get(code) else {
                out.push(Change::new(
                    &subject,
                    format!("removed (was {})", self.response_type(Side::Old, r)),
                    success(code),
                ));
                continue;
            };
            let prefixed = content_types(r).len() > 1 || content_types(n).len() > 1;
            self.contents(&subject, prefixed, r, n, success(code), out);
        }
    }

    fn response_type(&self, side: Side, response: &Value) -> String {
        let Some(content) = response.get("content").and_then(Value::as_object) else {
            return "no body".into();
        };
        if content.is_empty() {
            return "no body".into();
        }
        content
            .iter()
            .map(|(ct, media)| {
                let ty = self.describe(side, media.get("schema").unwrap_or(&Value::Null));
                format!("{ct} {ty}")
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The required top-level fields of a body's (first) schema.
    fn required_fields(&self, side: Side, body: &Value) -> Vec<String> {
        let Some(schema) = body.get("content").and_then(first_schema) else {
            return Vec::new();
        };
        self.fields(side, schema)
            .map(|f| {
                f.into_iter()
                    .filter(|(_, f)| f.required)
                    .map(|(name, _)| name)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Compares two schemas under `subject`: two references by the name they reference (the
    /// referenced schema's own changes are reported with the types), two inline objects field
    /// by field, two enums by their values, anything else by its description.
    fn schema(
        &self,
        subject: &str,
        old: &Value,
        new: &Value,
        breaking: bool,
        out: &mut Vec<Change>,
    ) {
        let join = |field: &str| {
            if subject.is_empty() {
                format!("field `{field}`")
            } else {
                format!("{subject} field `{field}`")
            }
        };
        let own = if subject.is_empty() { "type" } else { subject };
        let is_ref = |v: &Value| v.get("$ref").is_some();
        if !is_ref(old)
            && !is_ref(new)
            && let (Some(old_fields), Some(new_fields)) =
                (self.fields(Side::Old, old), self.fields(Side::New, new))
        {
            for (name, f) in &new_fields {
                if !old_fields.contains_key(name) {
                    let detail = if f.required {
                        format!("added, required: {}", f.ty)
                    } else {
                        format!("added, optional: {}", f.ty)
                    };
                    out.push(Change::new(&join(name), detail, breaking && f.required));
                }
            }
            for (name, f) in &old_fields {
                let Some(g) = new_fields.get(name) else {
                    out.push(Change::new(&join(name), "removed", breaking));
                    continue;
                };
                if f.ty != g.ty {
                    out.push(Change::new(
                        &join(name),
                        format!("type {} -> {}", f.ty, g.ty),
                        breaking,
                    ));
                }
                match (f.required, g.required) {
                    (false, true) => out.push(Change::new(&join(name), "now required", breaking)),
                    (true, false) => out.push(Change::new(&join(name), "now optional", breaking)),
                    _ => {}
                }
            }
            return;
        }
        let (old_enum, new_enum) = (enum_values(old), enum_values(new));
        if let (Some(o), Some(n)) = (&old_enum, &new_enum) {
            let added: Vec<&str> = n.difference(o).map(String::as_str).collect();
            let removed: Vec<&str> = o.difference(n).map(String::as_str).collect();
            if !added.is_empty() {
                // Enums keep a value they do not know in `Unknown`: new values break nothing.
                out.push(Change::new(
                    own,
                    format!("enum values added: {}", added.join(", ")),
                    false,
                ));
            }
            if !removed.is_empty() {
                out.push(Change::new(
                    own,
                    format!("enum values removed: {}", removed.join(", ")),
                    breaking,
                ));
            }
            if flag(old, "nullable") != flag(new, "nullable") {
                let detail = if flag(new, "nullable") {
                    "now nullable"
                } else {
                    "no longer nullable"
                };
                out.push(Change::new(own, detail, breaking));
            }
            return;
        }
        let (o, n) = (self.describe(Side::Old, old), self.describe(Side::New, new));
        if o != n {
            out.push(Change::new(own, format!("{o} -> {n}"), breaking));
        }
    }

    /// The fields of an object schema (an `allOf` merges its members'), or `None` for any
    /// other schema.
    fn fields(&self, side: Side, schema: &Value) -> Option<BTreeMap<String, FieldInfo>> {
        let spec = self.spec(side);
        let mut out = BTreeMap::new();
        let mut required = BTreeSet::new();
        let mut todo = vec![schema];
        let mut seen = 0;
        let mut any = false;
        while let Some(s) = todo.pop() {
            seen += 1;
            if seen > 64 {
                break;
            }
            let s = deref(spec, s);
            if let Some(members) = s.get("allOf").and_then(Value::as_array) {
                todo.extend(members.iter());
            }
            for r in s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                required.insert(r.to_owned());
            }
            if let Some(props) = s.get("properties").and_then(Value::as_object) {
                any = true;
                for (name, p) in props {
                    out.insert(name.clone(), self.describe(side, p));
                }
            }
        }
        if !any {
            return None;
        }
        Some(
            out.into_iter()
                .map(|(name, ty)| {
                    let required = required.contains(&name);
                    (name, FieldInfo { ty, required })
                })
                .collect(),
        )
    }

    /// A short description of the type a schema stands for: a referenced schema by its name
    /// (an old one under its new name), an inline one by its shape.
    fn describe(&self, side: Side, schema: &Value) -> String {
        let mut s = self.describe_inner(side, schema, 0);
        if flag(schema, "nullable") {
            s.push_str(" | null");
        }
        s
    }

    fn describe_inner(&self, side: Side, schema: &Value, depth: usize) -> String {
        if depth > 16 {
            return "…".into();
        }
        if let Some(r) = str_of(schema, "$ref") {
            let name = r.rsplit('/').next().unwrap_or(r);
            return match side {
                Side::Old => self
                    .renames
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| name.to_owned()),
                Side::New => name.to_owned(),
            };
        }
        let list = |key: &str, sep: &str| {
            schema.get(key).and_then(Value::as_array).map(|members| {
                members
                    .iter()
                    .map(|m| self.describe_inner(side, m, depth + 1))
                    .collect::<Vec<_>>()
                    .join(sep)
            })
        };
        if let Some(members) = schema.get("allOf").and_then(Value::as_array)
            && members.len() == 1
            && let Some(m) = members.first()
        {
            return self.describe_inner(side, m, depth + 1);
        }
        if let Some(all) = list("allOf", " & ") {
            return format!("all of ({all})");
        }
        if let Some(one) = list("oneOf", " | ") {
            return format!("one of ({one})");
        }
        if let Some(any) = list("anyOf", " | ") {
            return format!("any of ({any})");
        }
        if let Some(values) = enum_values(schema) {
            return format!(
                "enum ({})",
                values.into_iter().collect::<Vec<_>>().join(", ")
            );
        }
        let format = str_of(schema, "format");
        match str_of(schema, "type") {
            Some(t @ ("string" | "integer" | "number" | "boolean")) => match format {
                Some(f) => format!("{t} ({f})"),
                None => t.to_owned(),
            },
            Some("array") => {
                let null = Value::Null;
                let items = schema.get("items").unwrap_or(&null);
                format!("array of {}", self.describe_inner(side, items, depth + 1))
            }
            Some("object") | None if schema.get("properties").is_some() => {
                let fields = self.fields(side, schema).unwrap_or_default();
                let inner: Vec<String> = fields
                    .iter()
                    .map(|(name, f)| {
                        let q = if f.required { "" } else { "?" };
                        format!("{name}{q}: {}", f.ty)
                    })
                    .collect();
                format!("{{{}}}", inner.join(", "))
            }
            Some("object") => match schema.get("additionalProperties") {
                Some(v) if v.is_object() && !v.as_object().is_some_and(|m| m.is_empty()) => {
                    format!("map of {}", self.describe_inner(side, v, depth + 1))
                }
                _ => "object".into(),
            },
            Some(other) => other.to_owned(),
            None => "any".into(),
        }
    }
}

/// A field's type (described) and whether it is required.
struct FieldInfo {
    ty: String,
    required: bool,
}

/// The string values of an `enum`, if the schema is one.
fn enum_values(schema: &Value) -> Option<BTreeSet<String>> {
    let values = schema.get("enum")?.as_array()?;
    let strings: BTreeSet<String> = values
        .iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    Some(strings)
}

/// The content types of a body or response, sorted.
fn content_types(body: &Value) -> Vec<String> {
    body.get("content")
        .and_then(Value::as_object)
        .map(|c| c.keys().cloned().collect())
        .unwrap_or_default()
}

/// The schema of the first content type of a `content` map.
fn first_schema(content: &Value) -> Option<&Value> {
    content.as_object()?.values().next()?.get("schema")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const V1: &str = include_str!("../tests/fixtures/tiny-v1.yml");
    const V2: &str = include_str!("../tests/fixtures/tiny-v2.yml");
    const OVERLAY: &str = include_str!("../tests/fixtures/overlay.yml");

    fn patched(text: &str) -> Value {
        let mut spec: Value = serde_yaml::from_str(text).unwrap();
        let overlay: Value = serde_yaml::from_str(OVERLAY).unwrap();
        for patch in overlay["patches"].as_array().unwrap() {
            crate::apply_patch(&mut spec, patch).unwrap();
        }
        spec
    }

    fn op(id: &str, method: &str, path: &str) -> OpRef {
        OpRef {
            id: id.into(),
            method: method.into(),
            path: path.into(),
        }
    }

    fn change(subject: &str, detail: &str, breaking: bool) -> Change {
        Change::new(subject, detail, breaking)
    }

    #[test]
    fn the_fixtures_differ_by_exactly_the_planned_changes() {
        let report = diff(&patched(V1), &patched(V2));
        let expected = Report {
            old_version: "2030-01-15".into(),
            new_version: "2030-02-20".into(),
            overlay: vec![],
            ops_added: vec![op("ArchiveWidget", "POST", "/widgets/{widget_id}/archive")],
            ops_removed: vec![op("DeleteGadget", "DELETE", "/gadgets/{gadget_id}")],
            ops_changed: vec![
                Changed {
                    what: op("CreateWidget", "POST", "/widgets"),
                    changes: vec![change(
                        "request body field `color`",
                        "type string -> array of string",
                        true,
                    )],
                },
                Changed {
                    what: op("DeleteWidget", "DELETE", "/widgets/{widget_id}"),
                    changes: vec![change("response 200", "Widget -> DeletedObject", true)],
                },
                Changed {
                    what: op("ListWidgets", "GET", "/widgets"),
                    changes: vec![change(
                        "parameter `owner_id` (query)",
                        "added, required",
                        true,
                    )],
                },
            ],
            types_added: vec![],
            types_removed: vec![],
            types_renamed: vec![("Owner".into(), "WidgetOwner".into())],
            types_changed: vec![],
        };
        assert_eq!(report, expected);
        assert_eq!(report.breaking(), 5);
    }

    #[test]
    fn the_report_reads_in_a_stable_order() {
        let text = diff(&patched(V1), &patched(V2)).render();
        let expected = "\
Backend API spec 2030-01-15 -> 2030-02-20

5 breaking change(s), marked [breaking].

Operations added (1):
  + ArchiveWidget  POST /widgets/{widget_id}/archive

Operations removed (1):
  - DeleteGadget  DELETE /gadgets/{gadget_id}  [breaking]

Operations changed (3):
  CreateWidget  POST /widgets
      request body field `color`: type string -> array of string  [breaking]
  DeleteWidget  DELETE /widgets/{widget_id}
      response 200: Widget -> DeletedObject  [breaking]
  ListWidgets  GET /widgets
      parameter `owner_id` (query): added, required  [breaking]

Types renamed (1):
  Owner -> WidgetOwner  [breaking]
";
        assert_eq!(text, expected);
    }

    #[test]
    fn a_spec_against_itself_has_no_changes() {
        let v2 = patched(V2);
        let report = diff(&v2, &v2);
        assert!(report.is_empty());
        assert_eq!(report.breaking(), 0);
        assert!(report.render().contains("No changes for users."));
    }

    #[test]
    fn the_reverse_diff_mirrors_the_forward_one() {
        let report = diff(&patched(V2), &patched(V1));
        assert_eq!(
            report.ops_added,
            vec![op("DeleteGadget", "DELETE", "/gadgets/{gadget_id}")]
        );
        assert_eq!(
            report.ops_removed,
            vec![op("ArchiveWidget", "POST", "/widgets/{widget_id}/archive")]
        );
        assert_eq!(
            report.types_renamed,
            vec![("WidgetOwner".into(), "Owner".into())]
        );
        let list = report
            .ops_changed
            .iter()
            .find(|c| c.what.id == "ListWidgets")
            .unwrap();
        assert_eq!(
            list.changes,
            vec![change("parameter `owner_id` (query)", "removed", true)]
        );
    }

    /// A one-operation spec whose parts the tests below vary.
    fn spec(op: Value, schemas: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "Tiny Backend API", "version": "1"},
            "paths": {"/things": {"post": op}},
            "components": {"schemas": schemas},
        })
    }

    fn changes_of(old: &Value, new: &Value) -> Vec<Change> {
        let report = diff(old, new);
        report
            .ops_changed
            .into_iter()
            .flat_map(|c| c.changes)
            .chain(report.types_changed.into_iter().flat_map(|c| c.changes))
            .collect()
    }

    #[test]
    fn required_ness_and_location_changes_are_reported() {
        let param = |location: &str, required: bool| {
            json!({"operationId": "MakeThing", "parameters": [
                {"name": "q", "in": location, "required": required, "schema": {"type": "string"}}
            ], "responses": {}})
        };
        let old = spec(param("query", false), json!({}));
        let new = spec(param("header", true), json!({}));
        assert_eq!(
            changes_of(&old, &new),
            vec![
                change(
                    "parameter `q` (header)",
                    "moved from query to header",
                    false
                ),
                change("parameter `q` (header)", "now required", true),
            ]
        );
    }

    #[test]
    fn a_new_body_with_required_fields_breaks_an_optional_one_does_not() {
        let without = spec(
            json!({"operationId": "MakeThing", "responses": {}}),
            json!({}),
        );
        let body = |required: Value| {
            json!({"operationId": "MakeThing", "responses": {}, "requestBody": {"content": {
                "application/json": {"schema": {"type": "object", "required": required,
                    "properties": {"a": {"type": "string"}}}}}}})
        };
        let with_required = spec(body(json!(["a"])), json!({}));
        let with_optional = spec(body(json!([])), json!({}));
        assert_eq!(
            changes_of(&without, &with_required),
            vec![change(
                "request body",
                "added (application/json), required fields: a",
                true
            )]
        );
        assert_eq!(
            changes_of(&without, &with_optional),
            vec![change("request body", "added (application/json)", false)]
        );
        assert_eq!(
            changes_of(&with_optional, &with_required),
            vec![change("request body field `a`", "now required", true)]
        );
    }

    #[test]
    fn error_responses_and_new_enum_values_break_nothing() {
        let op = |errors: Value| json!({"operationId": "MakeThing", "responses": errors});
        let kind = |values: Value| json!({"Kind": {"type": "string", "enum": values}});
        let old = spec(op(json!({})), kind(json!(["a", "b"])));
        let new = spec(
            op(json!({"422": {"description": "invalid", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Kind"}}}}})),
            kind(json!(["a", "c", "d"])),
        );
        assert_eq!(
            changes_of(&old, &new),
            vec![
                change("response 422", "added: application/json Kind", false),
                change("type", "enum values added: c, d", false),
                change("type", "enum values removed: b", true),
            ]
        );
    }

    #[test]
    fn a_rename_inside_a_renamed_type_is_found() {
        let old = spec(
            json!({"operationId": "MakeThing", "responses": {}}),
            json!({
                "Outer": {"type": "object", "properties": {"inner": {"$ref": "#/components/schemas/Inner"}}},
                "Inner": {"type": "object", "properties": {"x": {"type": "integer"}}},
            }),
        );
        let new = spec(
            json!({"operationId": "MakeThing", "responses": {}}),
            json!({
                "Wrapper": {"type": "object", "properties": {"inner": {"$ref": "#/components/schemas/Core"}}},
                "Core": {"type": "object", "description": "renamed", "properties": {"x": {"type": "integer"}}},
            }),
        );
        let report = diff(&old, &new);
        assert_eq!(
            report.types_renamed,
            vec![
                ("Inner".into(), "Core".into()),
                ("Outer".into(), "Wrapper".into())
            ]
        );
        assert!(report.types_added.is_empty() && report.types_removed.is_empty());
    }
}

//! Writes `core/src/strategies/`: `proptest::arbitrary::Arbitrary` for every model
//! (`models.rs`) and every operation (`api/<group>.rs`), behind core's `proptest` feature, and
//! the list of both in `tests/src/generated/strategies.rs` that the test crate checks.
//!
//! The shared value strategies (ids, emails, URLs, text, JSON, nullable members) and the docs
//! of what values are chosen are hand-written in `core/src/strategies.rs`; each impl here only
//! says which of them each field or input takes. Every impl returns a `BoxedStrategy`, so the
//! strategy types stay shallow and the feature builds quickly; many fields are drawn as nested
//! tuples of at most [`CHUNK`] members (proptest implements `Strategy` for tuples up to 12).
//!
//! Operations are built as a user writes them: `new` with the required inputs in the
//! constructor's order ([`Body::constructor_members`]), then a setter per optional input that
//! was drawn, or the `clear_…` setter of a nullable member drawn as `null`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::emit_models::{HEADER, Side, Storage, cfg, enum_variants, storage};
use crate::inputs::ident_tail;
use crate::ir::{Body, Def, DefKind, Field, Marker, Op, Ty, models_path};
use crate::naming::words;

/// The most members drawn as one tuple.
const CHUNK: usize = 8;

/// Where the strategy files go.
pub const DIR: &str = "core/src/strategies";

/// How a generated type is named from the strategy modules (`crate::models::User`).
type Path<'a> = &'a dyn Fn(&str) -> String;

/// Whether a value is drawn for a request input or for a model.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    Request,
    Model,
}

/// Writes the strategy files into `files`.
pub fn strategies(
    ops: &[Op],
    defs: &BTreeMap<String, Def>,
    all: usize,
    files: &mut BTreeMap<String, String>,
) {
    let recursive = recursive_defs(defs);
    let mut models = String::from(HEADER);
    models.push_str(
        "//! `Arbitrary` for every model of [`crate::models`] (see [`crate::strategies`]).\n\n",
    );
    // With no API group and no `webhook` feature there is no model, and nothing uses these.
    models.push_str("#[allow(unused_imports)]\nuse proptest::prelude::*;\n\n#[allow(unused_imports)]\nuse crate::strategies as s;\n\n");
    for def in defs.values() {
        models.push_str(&cfg(&def.features, all));
        models.push_str(&model_impl(def, defs, &recursive, &models_path));
        models.push('\n');
    }
    files.insert(format!("{DIR}/models.rs"), models);

    let mut by_module: BTreeMap<&str, Vec<&Op>> = BTreeMap::new();
    for op in ops {
        by_module.entry(op.module.as_str()).or_default().push(op);
    }
    let mut api = String::from(HEADER);
    api.push_str("//! `Arbitrary` for every operation, one module per API group (see [`crate::strategies`]).\n\n");
    let mut list = String::from(HEADER);
    list.push_str("//! Every operation and model with an `Arbitrary` impl (core's `proptest` feature), for\n//! `tests/tests/strategies.rs`.\n\n");
    list.push_str("#![allow(deprecated)]\n\n");
    list.push_str(LIST_TRAITS);
    list.push_str("/// Runs `check` once per operation type.\npub fn every_operation(check: &mut impl OperationCheck) {\n");
    for (module, group) in &by_module {
        let _ = writeln!(api, "#[cfg(feature = {module:?})]\nmod {module};");
        let mut impls = String::new();
        for op in group {
            impls.push_str(&op_impl(op));
            impls.push('\n');
            let _ = writeln!(
                list,
                "    check.run::<clerk_backend_core::{module}::{}>({:?});",
                op.name, op.id
            );
        }
        let helpers = if uses_helpers(&impls) {
            "\nuse crate::strategies as s;\n"
        } else {
            ""
        };
        let src = format!(
            "{HEADER}//! `Arbitrary` for the operations of the `{module}` group.\n\n#![allow(deprecated)]\n\nuse proptest::prelude::*;\n{helpers}\n{impls}"
        );
        files.insert(format!("{DIR}/api/{module}.rs"), src);
    }
    list.push_str("}\n\n/// Runs `check` once per model type.\npub fn every_model(check: &mut impl ModelCheck) {\n");
    for def in defs.values() {
        let _ = writeln!(
            list,
            "    check.run::<clerk_backend_core::models::{}>({:?});",
            def.name, def.name
        );
    }
    list.push_str("}\n");
    files.insert(format!("{DIR}/api.rs"), api);
    // The webhook types' list, written before, goes after the models'.
    list.push_str(&files.remove(TESTS_LIST).unwrap_or_default());
    files.insert(TESTS_LIST.into(), list);
    if let Some(tests_mod) = files.get_mut(TESTS_MOD) {
        tests_mod.push_str("pub mod strategies;\n");
    }
}

/// The generated test module that declares the list below.
const TESTS_MOD: &str = "tests/src/generated/mod.rs";
/// The list of every operation and model type, for the test crate.
const TESTS_LIST: &str = "tests/src/generated/strategies.rs";

/// The traits the list calls, one generic method each (a type parameter per type listed).
const LIST_TRAITS: &str = "use clerk_backend_core::Endpoint;\nuse proptest::arbitrary::Arbitrary;\n\n/// A check run for one operation type.\npub trait OperationCheck {\n    /// Checks operation `E`, whose `operationId` is `id`.\n    fn run<E: Endpoint + Arbitrary>(&mut self, id: &'static str);\n}\n\n/// A check run for one model type.\npub trait ModelCheck {\n    /// Checks model `M`, named `name`.\n    fn run<M>(&mut self, name: &'static str)\n    where\n        M: Arbitrary + PartialEq + serde::Serialize + serde::de::DeserializeOwned;\n}\n\n";

/// Writes `Arbitrary` for the webhook events' own types (`crate::webhook::events`; the API
/// models they reuse have theirs in `models.rs`), named by `path`, into `files`, and adds them
/// to the test crate's list. Runs before [`strategies`], which puts the list after its own.
pub fn webhook_types(defs: &[Def], path: Path<'_>, files: &mut BTreeMap<String, String>) {
    let own: BTreeMap<String, Def> = defs.iter().map(|d| (d.name.clone(), d.clone())).collect();
    let recursive = recursive_defs(&own);
    let mut src = String::from(HEADER);
    src.push_str("//! `Arbitrary` for the webhook events' own types (see [`crate::strategies`]).\n\nuse proptest::prelude::*;\n\nuse crate::strategies as s;\n\n");
    let mut list = String::from(
        "\n/// Runs `check` once per type of the webhook events that is not an API model.\npub fn every_webhook_type(check: &mut impl ModelCheck) {\n",
    );
    for def in defs {
        src.push_str(&model_impl(def, &own, &recursive, path));
        src.push('\n');
        let _ = writeln!(
            list,
            "    check.run::<clerk_backend_core::webhook::events::{}>({:?});",
            def.name, def.name
        );
    }
    list.push_str("}\n");
    files.insert(format!("{DIR}/webhook.rs"), src);
    files.entry(TESTS_LIST.into()).or_default().push_str(&list);
}

/// The names of the definitions that can contain themselves.
fn recursive_defs(defs: &BTreeMap<String, Def>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for name in defs.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<String> = direct(defs, name);
        while let Some(next) = stack.pop() {
            if next == *name {
                out.insert(name.clone());
                break;
            }
            if seen.insert(next.clone()) {
                stack.extend(direct(defs, &next));
            }
        }
    }
    out
}

/// The named types a definition contains directly.
fn direct(defs: &BTreeMap<String, Def>, name: &str) -> Vec<String> {
    fn named(t: &Ty, out: &mut Vec<String>) {
        match t {
            Ty::Named(n) => out.push(n.clone()),
            Ty::Vec(inner) | Ty::Page(inner) => named(inner, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(def) = defs.get(name) {
        for t in def.kind.inner_types() {
            named(&t, &mut out);
        }
    }
    out
}

/// A member's name as the hint `crate::strategies::string_for` reads; a struct's own `id` is
/// named after the struct (`User.id` reads as `user_id`).
fn hint(owner: Option<&str>, wire: &str) -> String {
    match owner {
        Some(owner) if wire == "id" => format!("{}_id", words(owner).join("_")),
        _ => wire.to_owned(),
    }
}

/// The strategy of a value of `ty` for a member named `hint`.
fn value(ty: &Ty, hint: &str, used: Use, path: Path<'_>) -> String {
    match ty {
        Ty::Str => format!("s::string_for({hint:?})"),
        Ty::Int if hint == "limit" => "s::limit()".into(),
        Ty::Int if hint == "offset" => "s::offset()".into(),
        Ty::Int if hint.ends_with("_at") => "s::timestamp_ms()".into(),
        Ty::Int => "s::int()".into(),
        Ty::Num if used == Use::Request => "s::number()".into(),
        Ty::Num => "s::finite()".into(),
        Ty::Bool => "any::<bool>()".into(),
        Ty::Json => "s::json()".into(),
        Ty::Map if used == Use::Request => "s::metadata_value()".into(),
        Ty::Map => "s::metadata()".into(),
        Ty::Binary => "s::file_part()".into(),
        Ty::Vec(inner) | Ty::Page(inner) => format!("s::list({})", value(inner, hint, used, path)),
        Ty::Named(n) => format!("any::<{}>()", path(n)),
    }
}

/// Strategies as nested tuples of at most [`CHUNK`] members, and the matching pattern of
/// `v0`, `v1`, ….
fn nest(items: &[String]) -> (String, String) {
    let mut level: Vec<(String, String)> = items
        .iter()
        .enumerate()
        .map(|(i, s)| (s.clone(), format!("v{i}")))
        .collect();
    loop {
        if level.len() <= CHUNK {
            let strat: Vec<&str> = level.iter().map(|(s, _)| s.as_str()).collect();
            let pat: Vec<&str> = level.iter().map(|(_, p)| p.as_str()).collect();
            return (
                format!("({},)", strat.join(", ")),
                format!("({},)", pat.join(", ")),
            );
        }
        level = level
            .chunks(CHUNK)
            .map(|c| {
                let strat: Vec<&str> = c.iter().map(|(s, _)| s.as_str()).collect();
                let pat: Vec<&str> = c.iter().map(|(_, p)| p.as_str()).collect();
                (
                    format!("({},)", strat.join(", ")),
                    format!("({},)", pat.join(", ")),
                )
            })
            .collect();
    }
}

/// `impl Arbitrary for T { … }` with `body` (an expression of type `BoxedStrategy<Self>`).
fn arbitrary(ty: &str, body: &str) -> String {
    format!(
        "impl Arbitrary for {ty} {{\n    type Parameters = ();\n    type Strategy = BoxedStrategy<Self>;\n\n    fn arbitrary_with((): ()) -> Self::Strategy {{\n        {body}\n    }}\n}}\n"
    )
}

/// The `Arbitrary` impl of one model.
fn model_impl(
    def: &Def,
    defs: &BTreeMap<String, Def>,
    recursive: &BTreeSet<String>,
    path: Path<'_>,
) -> String {
    let ty = path(&def.name);
    let body = match &def.kind {
        DefKind::Struct(fields) if fields.is_empty() => "Just(Self::default()).boxed()".to_owned(),
        DefKind::Struct(fields) => {
            let side = Side::of(def);
            let strats: Vec<String> = fields
                .iter()
                .map(|f| {
                    let cut =
                        recursive.contains(&def.name) && contains(&f.ty, &def.name, recursive);
                    let st = storage(f, side);
                    if cut {
                        // A field that can lead back to a recursive type stays empty, so a
                        // drawn value is finite; the other fields still vary.
                        return match st {
                            Storage::Plain => format!("Just(<{}>::default())", f.ty.rust_in(path)),
                            Storage::Optional | Storage::Nullable => "Just(None)".to_owned(),
                        };
                    }
                    let v = if f.ty == Ty::Json && st != Storage::Plain {
                        // `Some(null)` would read back as `None`.
                        "s::json_present()".to_owned()
                    } else {
                        value(&f.ty, &hint(Some(&def.name), &f.wire), Use::Model, path)
                    };
                    match st {
                        Storage::Plain => v,
                        Storage::Optional => format!("s::optional({v})"),
                        Storage::Nullable => format!("s::nullable({v})"),
                    }
                })
                .collect();
            let (strat, pat) = nest(&strats);
            let inits: Vec<String> = fields
                .iter()
                .enumerate()
                .map(|(i, f)| format!("{}: v{i}", f.rust))
                .collect();
            format!(
                "{strat}\n            .prop_map(|{pat}| Self {{ {} }})\n            .boxed()",
                inits.join(", ")
            )
        }
        DefKind::Enum(values) => {
            let variants = enum_variants(values);
            let wires: Vec<String> = variants.iter().map(|(_, w)| format!("{w:?}")).collect();
            let unknown = format!(
                "s::unknown_wire(&[{}]).prop_map(Self::Unknown).boxed()",
                wires.join(", ")
            );
            if variants.is_empty() {
                unknown
            } else {
                let known: Vec<String> =
                    variants.iter().map(|(v, _)| format!("Self::{v}")).collect();
                format!(
                    "proptest::strategy::Union::new_weighted(vec![\n            (9, proptest::sample::select(vec![{}]).boxed()),\n            (1, {unknown}),\n        ])\n        .boxed()",
                    known.join(", ")
                )
            }
        }
        DefKind::Union { tag, variants } => {
            let wires: Vec<String> = variants.iter().map(|(_, _, w)| format!("{w:?}")).collect();
            let mut arms: Vec<String> = variants
                .iter()
                .map(|(v, t, wire)| {
                    let marker =
                        Marker::Equals(tag.clone(), serde_json::Value::String(wire.clone()));
                    variant_arm(defs, v, t, std::slice::from_ref(&marker), &[], path)
                })
                .collect();
            arms.push(format!(
                "(1, s::unknown_object({tag:?}, &[{}]).prop_map(Self::Unknown).boxed())",
                wires.join(", ")
            ));
            union(&arms)
        }
        DefKind::Untagged { variants } => {
            let mut arms = Vec::new();
            let mut keys = BTreeSet::new();
            for (i, (v, t, markers)) in variants.iter().enumerate() {
                arms.push(variant_arm(
                    defs,
                    v,
                    t,
                    markers,
                    variants.get(..i).unwrap_or_default(),
                    path,
                ));
                keys.extend(markers.iter().map(|m| match m {
                    Marker::Equals(k, _) | Marker::Present(k) => format!("{k:?}"),
                }));
            }
            let keys: Vec<String> = keys.into_iter().collect();
            arms.push(format!(
                "(1, s::object_without(&[{}]).prop_map(Self::Unknown).boxed())",
                keys.join(", ")
            ));
            union(&arms)
        }
    };
    arbitrary(&ty, &body)
}

/// Whether `ty` leads to a recursive definition (`recursive` holds them).
fn contains(ty: &Ty, _owner: &str, recursive: &BTreeSet<String>) -> bool {
    match ty {
        Ty::Named(n) => recursive.contains(n),
        Ty::Vec(inner) | Ty::Page(inner) => contains(inner, _owner, recursive),
        _ => false,
    }
}

/// How an operation takes one drawn input.
enum Take {
    /// As the next constructor argument.
    Ctor,
    /// Through this setter, when drawn (`Option<T>`).
    Setter(String),
    /// Through this setter or, drawn as `null`, this clearing setter (`Option<Nullable<T>>`).
    Nullable(String, String),
}

/// The `Arbitrary` impl of one operation.
fn op_impl(op: &Op) -> String {
    let mut inputs: Vec<(String, Take)> = Vec::new();
    for p in &op.path_params {
        inputs.push((
            value(&p.ty, &p.wire, Use::Request, &models_path),
            Take::Ctor,
        ));
    }
    for p in &op.query {
        let v = value(&p.ty, &p.wire, Use::Request, &models_path);
        if p.required {
            inputs.push((v, Take::Ctor));
        } else {
            inputs.push((format!("s::optional({v})"), Take::Setter(p.rust.clone())));
        }
    }
    match &op.body {
        Body::None => {}
        Body::Object(props) => {
            for f in op.body.constructor_members() {
                inputs.push((
                    value(&f.ty, &f.wire, Use::Request, &models_path),
                    Take::Ctor,
                ));
            }
            for f in props.iter().filter(|f| !f.required) {
                let v = value(&f.ty, &f.wire, Use::Request, &models_path);
                if f.nullable {
                    let clear = format!("clear_{}", ident_tail(&f.rust));
                    inputs.push((
                        format!("s::nullable({v})"),
                        Take::Nullable(f.rust.clone(), clear),
                    ));
                } else {
                    inputs.push((format!("s::optional({v})"), Take::Setter(f.rust.clone())));
                }
            }
        }
        Body::Array(item) => {
            inputs.push((
                format!(
                    "s::list({})",
                    value(item, "items", Use::Request, &models_path)
                ),
                Take::Ctor,
            ));
        }
        Body::Value => inputs.push(("s::json()".into(), Take::Ctor)),
        Body::Multipart(parts) => {
            for f in op.body.constructor_members() {
                inputs.push((
                    value(&f.ty, &f.wire, Use::Request, &models_path),
                    Take::Ctor,
                ));
            }
            for f in parts.iter().filter(|f| f.ty != Ty::Binary) {
                let v = value(&f.ty, &f.wire, Use::Request, &models_path);
                inputs.push((format!("s::optional({v})"), Take::Setter(f.rust.clone())));
            }
        }
    }
    let ty = format!("crate::{}::{}", op.module, op.name);
    if inputs.is_empty() {
        return arbitrary(&ty, "Just(Self::new()).boxed()");
    }
    let strats: Vec<String> = inputs.iter().map(|(s, _)| s.clone()).collect();
    let (strat, pat) = nest(&strats);
    let args: Vec<String> = inputs
        .iter()
        .enumerate()
        .filter(|(_, (_, t))| matches!(t, Take::Ctor))
        .map(|(i, _)| format!("v{i}"))
        .collect();
    let mut steps = String::new();
    for (i, (_, take)) in inputs.iter().enumerate() {
        match take {
            Take::Ctor => {}
            Take::Setter(name) => {
                let _ = write!(
                    steps,
                    "                if let Some(value) = v{i} {{\n                    request = request.{name}(value);\n                }}\n"
                );
            }
            Take::Nullable(name, clear) => {
                let _ = write!(
                    steps,
                    "                match v{i} {{\n                    Some(crate::Nullable::Value(value)) => request = request.{name}(value),\n                    Some(crate::Nullable::Null) => request = request.{clear}(),\n                    None => {{}}\n                }}\n"
                );
            }
        }
    }
    if steps.is_empty() {
        let body = format!(
            "{strat}\n            .prop_map(|{pat}| Self::new({}))\n            .boxed()",
            args.join(", ")
        );
        return arbitrary(&ty, &body);
    }
    let body = format!(
        "{strat}\n            .prop_map(|{pat}| {{\n                let mut request = Self::new({});\n{steps}                request\n            }})\n            .boxed()",
        args.join(", ")
    );
    arbitrary(&ty, &body)
}

/// A weighted union of `arms` (`(weight, boxed strategy)` expressions).
fn union(arms: &[String]) -> String {
    format!(
        "proptest::strategy::Union::new_weighted(vec![\n            {},\n        ])\n        .boxed()",
        arms.join(",\n            ")
    )
}

/// The arm of a union for variant `variant` holding a `ty` that shows `markers`: the drawn
/// value has each marked member set (a constant, or a drawn value for a member that must be
/// present), and leaves out the members whose presence would make an `earlier` variant (tried
/// first) claim it, so that its JSON reads back as the same variant.
fn variant_arm(
    defs: &BTreeMap<String, Def>,
    variant: &str,
    ty: &str,
    markers: &[Marker],
    earlier: &[(String, String, Vec<Marker>)],
    path: Path<'_>,
) -> String {
    let ty_path = path(ty);
    let plain = format!("(3, any::<{ty_path}>().prop_map(Self::{variant}).boxed())");
    let Some(def) = defs.get(ty) else {
        return plain;
    };
    let DefKind::Struct(fields) = &def.kind else {
        return plain;
    };
    let side = Side::of(def);
    let field = |key: &str| fields.iter().find(|f| f.wire == key);
    let mut drawn = Vec::new();
    let mut steps = String::new();
    for marker in markers {
        match marker {
            Marker::Equals(key, wanted) => {
                if let Some(f) = field(key)
                    && let Some(expr) = constant(&f.ty, wanted, path)
                {
                    let _ = write!(steps, " v.{} = {};", f.rust, stored(f, side, &expr));
                }
            }
            Marker::Present(key) => {
                if let Some(f) = field(key)
                    && storage(f, side) != Storage::Plain
                {
                    let p = format!("p{}", drawn.len());
                    drawn.push(value(&f.ty, &hint(Some(ty), &f.wire), Use::Model, path));
                    let _ = write!(steps, " v.{} = {};", f.rust, stored(f, side, &p));
                }
            }
        }
    }
    let ours: BTreeSet<String> = markers
        .iter()
        .map(|m| match m {
            Marker::Equals(k, _) | Marker::Present(k) => k.clone(),
        })
        .collect();
    for (_, _, theirs) in earlier {
        // An earlier variant whose constants this one shows too would claim a value that also
        // has its other marked members: leave those out.
        let constants_agree = theirs.iter().all(|m| match m {
            Marker::Equals(..) => markers.contains(m),
            Marker::Present(_) => true,
        });
        if !constants_agree {
            continue;
        }
        for m in theirs {
            if let Marker::Present(key) = m
                && !ours.contains(key)
                && let Some(f) = field(key)
                && storage(f, side) != Storage::Plain
            {
                let _ = write!(steps, " v.{} = None;", f.rust);
            }
        }
    }
    if steps.is_empty() {
        return plain;
    }
    if drawn.is_empty() {
        return format!(
            "(3, any::<{ty_path}>().prop_map(|mut v| {{{steps} Self::{variant}(v) }}).boxed())"
        );
    }
    let names: Vec<String> = (0..drawn.len()).map(|i| format!("p{i}")).collect();
    let mut strats = vec![format!("any::<{ty_path}>()")];
    strats.extend(drawn);
    format!(
        "(3, ({},).prop_map(|(mut v, {})| {{{steps} Self::{variant}(v) }}).boxed())",
        strats.join(", "),
        names.join(", ")
    )
}

/// A constant member value as a Rust expression of type `ty`.
fn constant(ty: &Ty, wanted: &serde_json::Value, path: Path<'_>) -> Option<String> {
    match (ty, wanted) {
        (Ty::Str, serde_json::Value::String(w)) => Some(format!("{w:?}.to_owned()")),
        (Ty::Named(n), serde_json::Value::String(w)) => {
            Some(format!("{}::from_wire({w:?})", path(n)))
        }
        (Ty::Bool, serde_json::Value::Bool(b)) => Some(b.to_string()),
        _ => None,
    }
}

/// `expr` as field `f` stores it.
fn stored(f: &Field, side: Side, expr: &str) -> String {
    match storage(f, side) {
        Storage::Plain => expr.to_owned(),
        Storage::Optional => format!("Some({expr})"),
        Storage::Nullable => format!("Some(crate::Nullable::Value({expr}))"),
    }
}

/// Whether generated source calls a shared helper (`s::…`, not `models::…`).
fn uses_helpers(src: &str) -> bool {
    src.match_indices("s::").any(|(i, _)| {
        src.get(..i)
            .is_some_and(|before| !before.ends_with(|c: char| c.is_alphanumeric() || c == '_'))
    })
}

#[cfg(test)]
mod tests {
    use super::{nest, uses_helpers};

    #[test]
    fn many_members_nest_in_tuples_of_at_most_eight_with_a_matching_pattern() {
        let items: Vec<String> = (0..10).map(|i| format!("s{i}")).collect();
        let (strat, pat) = nest(&items);
        assert_eq!(
            strat, "((s0, s1, s2, s3, s4, s5, s6, s7,), (s8, s9,),)",
            "ten members: one tuple of eight and one of two"
        );
        assert_eq!(pat, "((v0, v1, v2, v3, v4, v5, v6, v7,), (v8, v9,),)");
        let (strat, pat) = nest(&["a".to_owned()]);
        assert_eq!((strat.as_str(), pat.as_str()), ("(a,)", "(v0,)"));
        let many: Vec<String> = (0..70).map(|i| format!("s{i}")).collect();
        let (strat, _) = nest(&many);
        // 70 members: 9 tuples of at most 8, nested once more into tuples of at most 8.
        assert!(strat.starts_with("(((s0, "), "{strat}");
        assert_eq!(strat.matches("s69").count(), 1);
    }

    #[test]
    fn helper_calls_are_told_from_model_paths() {
        assert!(uses_helpers("s::text()"));
        assert!(uses_helpers("(s::optional(any::<bool>()),)"));
        assert!(!uses_helpers("any::<crate::models::User>()"));
    }
}

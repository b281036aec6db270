//! Resolves spec schemas and operations into the intermediate form: every schema becomes a
//! [`Ty`], every object, enum or union a named [`Def`], every operation an [`Op`].
//!
//! Names. A component schema's type is named after the component; a type declared inline is
//! named after where it is declared (its owner's name followed by the member's, `CreateUser` +
//! `Action`). The overlay's `names:` section replaces such a derived name by a deliberate one.
//! An inline type an operation declares with the exact shape of one already generated is not
//! generated twice: it is that type. Such a shared type, and a component the spec names like a
//! numbered variant of another (`CommercePlan-2`), must be named by the overlay; a name wanted
//! by two different types is refused. [`Resolver::naming_errors`] says what to add.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::ir::{Body, Cursor, Def, DefKind, Field, Marker, Op, PageShape, Param, Ty};
use crate::naming::{field_name, module_name, type_name, words};

pub struct Resolver<'s> {
    spec: &'s Value,
    pub defs: BTreeMap<String, Def>,
    /// Component schema name → Rust type name (or the resolved type, for non-named ones).
    components: BTreeMap<String, Ty>,
    resolving: BTreeSet<String>,
    taken: BTreeSet<String>,
    /// The shape of every finished definition → its name, to reuse an identical one.
    shapes: BTreeMap<String, String>,
    /// `oneOf`/`anyOf`s that could not be told apart by a tag and are kept as JSON values.
    pub untagged_fallbacks: Vec<String>,
    /// The names wanted by two different types. A name is never numbered (`Name2`): the
    /// caller refuses to generate.
    pub collisions: Vec<String>,
    /// The overlay's `names:`: derived name → deliberate name.
    overlay_names: BTreeMap<String, String>,
    /// The overlay names used (the others are stale).
    overlay_used: BTreeSet<String>,
    /// Definition name → every name derived for it (more than one when it is shared), each
    /// with the operation or component that declares it there.
    derived: BTreeMap<String, BTreeMap<String, String>>,
    /// The types of component schemas themselves (named by the spec).
    component_types: BTreeSet<String>,
    /// The operations and components being resolved, innermost last (for messages).
    context: Vec<String>,
    /// Components the spec names like numbered variants of another, without an overlay name.
    numbered_components: Vec<String>,
}

/// Follows `$ref`s (`#/components/<kind>/<name>`) to the schema, response or parameter they name.
/// An unresolvable reference yields `null`.
pub fn deref<'a>(spec: &'a Value, mut v: &'a Value) -> &'a Value {
    while let Some(r) = s(v, "$ref") {
        let name = r.rsplit('/').next().unwrap_or_default();
        let kind = r.split('/').nth(2).unwrap_or("schemas");
        v = &spec["components"][kind][name];
    }
    v
}

/// Every `$ref` in `spec` that names no component (`#/components/<kind>/<name>`), with the JSON
/// pointer where it stands, sorted. The resolver assumes references resolve; the generator
/// checks this first, so a spec with a dangling reference is an error naming it, not a panic.
pub fn unresolved_refs(spec: &Value) -> Vec<String> {
    fn walk(spec: &Value, v: &Value, at: &mut String, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                    let mut parts = reference.split('/');
                    let resolves = parts.next() == Some("#")
                        && parts.next() == Some("components")
                        && match (parts.next(), parts.next(), parts.next()) {
                            (Some(kind), Some(name), None) => {
                                !spec["components"][kind][name].is_null()
                            }
                            _ => false,
                        };
                    if !resolves {
                        out.push(format!("{reference} at {at}"));
                    }
                }
                for (key, child) in map {
                    let len = at.len();
                    at.push('/');
                    at.push_str(&key.replace('~', "~0").replace('/', "~1"));
                    walk(spec, child, at, out);
                    at.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let len = at.len();
                    at.push('/');
                    at.push_str(&i.to_string());
                    walk(spec, child, at, out);
                    at.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(spec, spec, &mut String::new(), &mut out);
    out.sort();
    out
}

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// The schema's own description, first paragraphs kept, for docs.
pub fn describe(v: &Value) -> String {
    s(v, "description").unwrap_or("").trim().to_owned()
}

impl<'s> Resolver<'s> {
    pub fn new(spec: &'s Value) -> Self {
        Self {
            spec,
            defs: BTreeMap::new(),
            components: BTreeMap::new(),
            resolving: BTreeSet::new(),
            taken: BTreeSet::new(),
            untagged_fallbacks: Vec::new(),
            shapes: BTreeMap::new(),
            collisions: Vec::new(),
            overlay_names: BTreeMap::new(),
            overlay_used: BTreeSet::new(),
            derived: BTreeMap::new(),
            component_types: BTreeSet::new(),
            context: Vec::new(),
            numbered_components: Vec::new(),
        }
    }

    /// The resolver with the overlay's type names (derived name → deliberate name).
    pub fn with_names(mut self, names: BTreeMap<String, String>) -> Self {
        self.overlay_names = names;
        self
    }

    fn component(&self, reference: &str) -> (&'s Value, String) {
        let name = reference.rsplit('/').next().unwrap_or(reference).to_owned();
        let kind = reference.split('/').nth(2).unwrap_or("schemas");
        let v = &self.spec["components"][kind][&name];
        assert!(!v.is_null(), "unresolved $ref {reference}");
        (v, name)
    }

    /// What is wrong with the names of the resolved types, each with the overlay entry that
    /// resolves it: a name wanted by two different types, a shared inline type or a numbered
    /// component without a deliberate name, an overlay name given to two different types, an
    /// overlay name that names nothing.
    pub fn naming_errors(&self) -> Vec<String> {
        let mut errors = Vec::new();
        for name in &self.collisions {
            let places = self
                .derived
                .get(name)
                .map(describe_places)
                .unwrap_or_default();
            errors.push(format!(
                "two different types want the name `{name}` ({places}); give one of them another name under `names:` in spec/overlay.yml"
            ));
        }
        for component in &self.numbered_components {
            errors.push(format!(
                "the spec names the schema `{component}` like a numbered variant of another; name it under `names:` in spec/overlay.yml:\n  {}: <Name>",
                type_name(component)
            ));
        }
        for (name, places) in &self.derived {
            if !self.defs.contains_key(name) || self.component_types.contains(name) {
                continue;
            }
            let chosen: BTreeSet<Option<&String>> =
                places.keys().map(|p| self.overlay_names.get(p)).collect();
            if places.len() > 1 && chosen != BTreeSet::from([Some(name)]) {
                let entries: String = places.keys().map(|p| format!("\n  {p}: <Name>")).collect();
                errors.push(format!(
                    "`{name}` is one inline type shared by {} places ({}); the spec gives it no name, and a name taken from one of them would change with the spec. Name it in spec/overlay.yml, every place with the same name:\nnames:{entries}",
                    places.len(),
                    describe_places(places)
                ));
            }
            for (place, chosen) in places
                .keys()
                .filter_map(|p| Some((p, self.overlay_names.get(p)?)))
            {
                if chosen != name {
                    errors.push(format!(
                        "spec/overlay.yml names `{place}` `{chosen}`, but `{chosen}` is another type (their shapes differ); choose another name"
                    ));
                }
            }
        }
        for stale in self
            .overlay_names
            .keys()
            .filter(|k| !self.overlay_used.contains(*k))
        {
            errors.push(format!(
                "spec/overlay.yml has a name for `{stale}`, which the spec no longer declares; remove or update the entry"
            ));
        }
        errors
    }

    /// Resolves `schema` (as [`Resolver::ty`]) on behalf of `place`, which messages about the
    /// types it declares name (`event \`user.created\``).
    pub fn ty_at(&mut self, place: String, schema: &Value, ctx: &str, file: &str) -> Ty {
        self.context.push(place);
        let (t, _) = self.ty(schema, ctx, file, false);
        self.context.pop();
        t
    }

    /// Follows `$ref`s of responses and parameters.
    pub fn deref<'v>(&self, v: &'v Value) -> &'v Value
    where
        's: 'v,
    {
        deref(self.spec, v)
    }

    /// The name of a new definition derived as `ctx`: the overlay's name for it, unless a type
    /// has that name already (then the derived one, which [`Resolver::reuse_twin`] drops when
    /// the two are the same type, and [`Resolver::naming_errors`] reports otherwise). A name
    /// already taken is recorded in `collisions`.
    fn unique(&mut self, ctx: &str) -> String {
        if self.overlay_names.contains_key(ctx) {
            self.overlay_used.insert(ctx.to_owned());
        }
        let name = match self.overlay_names.get(ctx) {
            Some(chosen) if !self.taken.contains(chosen) => chosen.clone(),
            _ => ctx.to_owned(),
        };
        if !self.taken.insert(name.clone()) {
            self.collisions.push(name.clone());
        }
        let place = self.context.last().cloned().unwrap_or_default();
        self.derived
            .entry(name.clone())
            .or_default()
            .insert(ctx.to_owned(), place);
        name
    }

    /// Resolves a schema to a type. `ctx` names an inline struct, enum or union; `file` is
    /// where such a definition is written. Returns the type and whether it is nullable.
    pub fn ty(&mut self, schema: &Value, ctx: &str, file: &str, request: bool) -> (Ty, bool) {
        let nullable = flag(schema, "nullable");
        if let Some(r) = s(schema, "$ref") {
            return (self.component_ty(r, request), nullable);
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(list) = schema.get(key).and_then(Value::as_array) {
                // Members that only add validation (`required: [domain]`) do not change the type.
                let shaping = |m: &Value| {
                    [
                        "$ref",
                        "type",
                        "properties",
                        "enum",
                        "allOf",
                        "oneOf",
                        "anyOf",
                    ]
                    .iter()
                    .any(|k| m.get(*k).is_some())
                };
                if !list.iter().any(shaping) {
                    continue;
                }
                if list.len() == 1 && (key == "allOf" || schema.get("discriminator").is_none()) {
                    let (t, n) = self.ty(&list[0], ctx, file, request);
                    return (t, nullable || n);
                }
                if key == "allOf" {
                    return (self.all_of(list, schema, ctx, file, request), nullable);
                }
                return (self.union(list, schema, ctx, file, request), nullable);
            }
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            let strings: Vec<String> = values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            if strings.len() == values.len() && !strings.is_empty() {
                return (
                    self.enumeration(strings, schema, ctx, file, request),
                    nullable,
                );
            }
        }
        let t = match s(schema, "type") {
            Some("string") if s(schema, "format") == Some("binary") => Ty::Binary,
            Some("string") => Ty::Str,
            Some("integer") => Ty::Int,
            Some("number") => Ty::Num,
            Some("boolean") => Ty::Bool,
            Some("array") => {
                let items = schema.get("items").unwrap_or(&Value::Null);
                let (inner, _) = self.ty(items, &format!("{ctx}Item"), file, request);
                Ty::Vec(Box::new(inner))
            }
            Some("object") | None if schema.get("properties").is_some() => {
                self.structure(schema, ctx, file, request)
            }
            Some("object") => Ty::Map,
            _ => Ty::Json,
        };
        (t, nullable)
    }

    fn component_ty(&mut self, reference: &str, request: bool) -> Ty {
        let (schema, name) = self.component(reference);
        if let Some(t) = self.components.get(&name).cloned() {
            if request {
                self.mark_request(&t);
            }
            return t;
        }
        let derived = type_name(&name);
        if numbered(&name) && !self.overlay_names.contains_key(&derived) {
            self.numbered_components.push(name.clone());
        }
        if self.overlay_names.contains_key(&derived) {
            self.overlay_used.insert(derived.clone());
        }
        let rust = self.overlay_names.get(&derived).cloned().unwrap_or(derived);
        if self.resolving.contains(&name) {
            // A recursive reference: its name was reserved when resolution started.
            return Ty::Named(rust);
        }
        self.resolving.insert(name.clone());
        let file = module_name(&name);
        self.context.push(format!("component `{name}`"));
        let t = self.ty(schema, &rust, &file, request).0;
        self.context.pop();
        self.resolving.remove(&name);
        if let Ty::Named(n) = &t
            && *n == rust
        {
            self.component_types.insert(n.clone());
        }
        self.components.insert(name, t.clone());
        t
    }

    /// Marks `t`, and every type inside it, as one a request may contain.
    fn mark_request(&mut self, t: &Ty) {
        self.mark(t, &mut |def| !std::mem::replace(&mut def.in_request, true));
    }

    /// Applies `visit` to the definition of `ty` and, while `visit` returns `true` (it changed
    /// something), to every type inside it: the one walk behind the request, response and
    /// feature marks. Stopping where nothing changed also ends recursion through cyclic types.
    fn mark(&mut self, ty: &Ty, visit: &mut dyn FnMut(&mut Def) -> bool) {
        let name = match ty {
            Ty::Named(n) => n,
            Ty::Vec(inner) | Ty::Page(inner) => return self.mark(inner, visit),
            _ => return,
        };
        let Some(def) = self.defs.get_mut(name) else {
            return;
        };
        if !visit(def) {
            return;
        }
        for inner in def.kind.inner_types() {
            self.mark(&inner, visit);
        }
    }

    /// Adds a definition of `kind` under a fresh name from `ctx` and returns that name.
    fn insert_def(
        &mut self,
        ctx: &str,
        schema: &Value,
        kind: DefKind,
        file: &str,
        request: bool,
    ) -> String {
        let name = self.unique(ctx);
        let def = Def {
            name: name.clone(),
            doc: describe(schema),
            kind,
            file: file.to_owned(),
            in_request: request,
            in_response: false,
            features: BTreeSet::new(),
        };
        self.defs.insert(name.clone(), def);
        name
    }

    /// Adds a finished definition and returns its type, or the identical one already generated.
    fn define(
        &mut self,
        ctx: &str,
        schema: &Value,
        kind: DefKind,
        file: &str,
        request: bool,
    ) -> Ty {
        let name = self.insert_def(ctx, schema, kind, file, request);
        Ty::Named(self.reuse_twin(name))
    }

    fn enumeration(
        &mut self,
        values: Vec<String>,
        schema: &Value,
        ctx: &str,
        file: &str,
        request: bool,
    ) -> Ty {
        self.define(ctx, schema, DefKind::Enum(values), file, request)
    }

    fn structure(&mut self, schema: &Value, ctx: &str, file: &str, request: bool) -> Ty {
        // Reserve the name first so recursive references resolve to it.
        let name = self.insert_def(ctx, schema, DefKind::Struct(Vec::new()), file, request);
        let fields = self.fields(schema, &name, file, request);
        if let Some(def) = self.defs.get_mut(&name) {
            def.kind = DefKind::Struct(fields);
        }
        Ty::Named(self.reuse_twin(name))
    }

    /// The spec repeats some shapes inline (the API key object in six responses, the same
    /// attribute mapping in create and update bodies). A type declared inline by an operation
    /// that has the exact shape of one already generated is dropped in favour of that one.
    /// Types of component schemas, and the types inside them, keep their own names.
    fn reuse_twin(&mut self, name: String) -> String {
        let Some(def) = self.defs.get(&name) else {
            return name;
        };
        let key = shape_key(&def.kind);
        let inline_in_op = merges_twins(&def.file);
        let request = def.in_request;
        match self.shapes.get(&key).cloned() {
            Some(twin) if inline_in_op && twin != name => {
                self.defs.remove(&name);
                self.taken.remove(&name);
                let derived = self.derived.remove(&name).unwrap_or_default();
                self.derived
                    .entry(twin.clone())
                    .or_default()
                    .extend(derived);
                if request {
                    self.mark_request(&Ty::Named(twin.clone()));
                }
                twin
            }
            Some(_) => name,
            None => {
                self.shapes.insert(key, name.clone());
                name
            }
        }
    }

    /// The properties of an object schema as fields (`owner` prefixes inline type names).
    pub fn fields(&mut self, schema: &Value, owner: &str, file: &str, request: bool) -> Vec<Field> {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut out = Vec::new();
        let Some(props) = schema.get("properties").and_then(Value::as_object) else {
            return out;
        };
        for (wire, prop) in props {
            let rust_field = field_name(wire);
            let ctx = format!("{owner}{}", type_name(wire));
            let (mut ty, nullable) = if wire == "object" && is_single_enum(prop) {
                (Ty::Str, flag(prop, "nullable"))
            } else {
                self.ty(prop, &ctx, file, request)
            };
            if let Ty::Named(n) = &ty
                && n == owner
            {
                ty = Ty::Json; // a struct directly inside itself: kept as JSON
            }
            let target = self.deref(prop);
            let mut doc = describe(prop);
            if doc.is_empty() {
                doc = describe(target);
            }
            out.push(Field {
                wire: wire.clone(),
                rust: rust_field,
                ty,
                required: required.contains(&wire.as_str()),
                required_at: required.iter().position(|r| r == wire),
                nullable,
                doc,
                deprecated: flag(prop, "deprecated"),
            });
        }
        out
    }

    fn all_of(
        &mut self,
        list: &[Value],
        schema: &Value,
        ctx: &str,
        file: &str,
        request: bool,
    ) -> Ty {
        // Merge the members' properties into one object schema.
        let mut props = serde_json::Map::new();
        let mut required = Vec::new();
        for member in list {
            let m = self.deref(member);
            if let Some(p) = m.get("properties").and_then(Value::as_object) {
                props.extend(p.clone());
            }
            if let Some(r) = m.get("required").and_then(Value::as_array) {
                required.extend(r.iter().cloned());
            }
        }
        let merged = serde_json::json!({
            "type": "object",
            "description": describe(schema),
            "properties": props,
            "required": required,
        });
        self.structure(&merged, ctx, file, request)
    }

    fn union(
        &mut self,
        list: &[Value],
        schema: &Value,
        ctx: &str,
        file: &str,
        request: bool,
    ) -> Ty {
        let tag = schema
            .get("discriminator")
            .and_then(|d| s(d, "propertyName"))
            .unwrap_or("object")
            .to_owned();
        let mapping: BTreeMap<String, String> = schema
            .get("discriminator")
            .and_then(|d| d.get("mapping"))
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (v.to_owned(), k.clone())))
                    .collect()
            })
            .unwrap_or_default();
        let mut wires = Vec::new();
        for member in list {
            let target = self.deref(member);
            let wire = s(member, "$ref")
                .and_then(|r| mapping.get(r).cloned())
                .or_else(|| {
                    target
                        .get("properties")
                        .and_then(|p| p.get(&tag))
                        .and_then(single_enum)
                });
            let Some(wire) = wire else {
                return self.untagged(list, schema, ctx, file, request);
            };
            wires.push(wire);
        }
        let mut variants = Vec::new();
        for (member, wire) in list.iter().zip(wires) {
            let (t, _) = self.ty(member, &format!("{ctx}{}", type_name(&wire)), file, request);
            let Ty::Named(type_name_) = t else {
                return Ty::Json;
            };
            variants.push((wire, type_name_));
        }
        let names = variant_names(&variants.iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>());
        let variants = variants
            .into_iter()
            .zip(names)
            .map(|((wire, t), v)| (v, t, wire))
            .collect();
        self.define(ctx, schema, DefKind::Union { tag, variants }, file, request)
    }

    /// A union without a tag property. Each variant is told apart by markers taken from the
    /// spec: its single-valued enum members, plus, for every other variant that could show the
    /// same constants, the members this one requires and that one does not define. Variants are
    /// tried most markers first, so a private key (`kty` and `d`) is checked before the public
    /// key it extends (`kty` only). When some variant has no marker at all, the union stays JSON.
    fn untagged(
        &mut self,
        list: &[Value],
        schema: &Value,
        ctx: &str,
        file: &str,
        request: bool,
    ) -> Ty {
        struct Shape<'a> {
            props: BTreeSet<&'a str>,
            required: Vec<&'a str>,
            consts: BTreeMap<&'a str, Value>,
        }
        let shapes: Vec<Shape<'_>> = list
            .iter()
            .map(|member| {
                let target = self.deref(member);
                let props = target.get("properties").and_then(Value::as_object);
                Shape {
                    props: props
                        .map(|p| p.keys().map(String::as_str).collect())
                        .unwrap_or_default(),
                    required: target
                        .get("required")
                        .and_then(Value::as_array)
                        .map(|r| r.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default(),
                    consts: props
                        .map(|p| {
                            p.iter()
                                .filter_map(|(k, v)| Some((k.as_str(), constant(self.deref(v))?)))
                                .collect()
                        })
                        .unwrap_or_default(),
                }
            })
            .collect();
        let mut markers: Vec<Vec<Marker>> = Vec::new();
        for (i, shape) in shapes.iter().enumerate() {
            let mut m: Vec<Marker> = shape
                .consts
                .iter()
                .map(|(k, v)| Marker::Equals((*k).to_owned(), v.clone()))
                .collect();
            for (j, other) in shapes.iter().enumerate() {
                // Could `other` show every constant of this variant?
                let look_alike = j != i
                    && shape.consts.iter().all(|(k, v)| match other.consts.get(k) {
                        Some(c) => c == v,
                        None => other.props.contains(k),
                    });
                if !look_alike {
                    continue;
                }
                for req in &shape.required {
                    let present = Marker::Present((*req).to_owned());
                    // A required name the variant never defines (`crv` of the RSA private
                    // key, a spec defect) is no marker: the API cannot be relied on to send it.
                    let defined = shape.props.contains(req);
                    if defined && !other.props.contains(req) && !m.contains(&present) {
                        m.push(present);
                    }
                }
            }
            if m.is_empty() {
                self.untagged_fallbacks.push(ctx.to_owned());
                return Ty::Json;
            }
            markers.push(m);
        }
        // Variant labels: the component name of a `$ref`, else the variant's first constant.
        let labels: Vec<String> = list
            .iter()
            .zip(&markers)
            .map(|(member, m)| match s(member, "$ref") {
                Some(r) => r.rsplit('/').next().unwrap_or(r).replace('.', "_"),
                None => match m.first() {
                    Some(Marker::Equals(_, Value::String(v))) => v.clone(),
                    Some(Marker::Equals(k, v)) => format!("{k}_{v}"),
                    Some(Marker::Present(k)) => format!("with_{k}"),
                    None => String::new(),
                },
            })
            .collect();
        let names = variant_names(&labels.iter().map(String::as_str).collect::<Vec<_>>());
        let mut variants = Vec::new();
        for ((member, label), (variant, m)) in
            list.iter().zip(&labels).zip(names.into_iter().zip(markers))
        {
            let (t, _) = self.ty(member, &format!("{ctx}{}", type_name(label)), file, request);
            let Ty::Named(type_name_) = t else {
                self.untagged_fallbacks.push(ctx.to_owned());
                return Ty::Json;
            };
            variants.push((variant, type_name_, m));
        }
        // Most markers first; the spec's order among equals.
        variants.sort_by_key(|(_, _, m)| std::cmp::Reverse(m.len()));
        self.define(ctx, schema, DefKind::Untagged { variants }, file, request)
    }

    /// Resolves the operation `method path`: its inputs, body and output, each type it
    /// declares inline written to the models file of its tag (`op_<tag>`).
    ///
    /// # Errors
    /// A parameter location or request content type the generator does not support.
    pub fn operation(&mut self, path: &str, method: &str, op: &'s Value) -> Result<Op, String> {
        let id = s(op, "operationId").unwrap_or_default().to_owned();
        let tag = op
            .get("tags")
            .and_then(|t| t.get(0))
            .and_then(Value::as_str)
            .unwrap_or("Miscellaneous")
            .to_owned();
        let module = module_name(&tag);
        let at = Declared {
            name: type_name(&id),
            inline: format!("op_{module}"),
        };
        self.context.push(format!("operation `{id}`"));
        let resolved = self.inputs_and_output(path, op, &at);
        self.context.pop();
        let (path_params, query, body, output) = resolved.map_err(|e| format!("{id}: {e}"))?;
        let has = |n: &str| query.iter().any(|q| q.wire == n);
        let page = if has("limit") && has("offset") {
            output.as_ref().and_then(|o| self.page_shape(o))
        } else {
            None
        };
        Ok(Op {
            file: format!("{module}/{}", module_name(&id)),
            id,
            name: at.name,
            tag,
            module,
            method: method.to_uppercase(),
            path: path.to_owned(),
            summary: s(op, "summary").unwrap_or_default().trim().to_owned(),
            description: describe(op),
            deprecated: flag(op, "deprecated"),
            path_params,
            query,
            body,
            output,
            page,
            cursor: cursor(op),
            keys: Vec::new(),
        })
    }

    /// The path and query parameters, the body and the output of `op`.
    #[allow(clippy::type_complexity)]
    fn inputs_and_output(
        &mut self,
        path: &str,
        op: &Value,
        at: &Declared,
    ) -> Result<(Vec<Param>, Vec<Param>, Body, Option<Ty>), String> {
        let (path_params, query) = self.params(path, op, at)?;
        let body = self.request_body(op, at)?;
        let paginated = query.iter().any(|q| q.wire == "paginated");
        let output = self.output(op, at, paginated)?;
        Ok((path_params, query, body, output))
    }

    /// The path parameters (in the order the template names them) and the query parameters
    /// (in the spec's order) of `op`.
    fn params(
        &mut self,
        path: &str,
        op: &Value,
        at: &Declared,
    ) -> Result<(Vec<Param>, Vec<Param>), String> {
        let mut path_params = Vec::new();
        let mut query = Vec::new();
        for p in op
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let p = self.deref(p);
            let wire = s(p, "name").unwrap_or_default().to_owned();
            let schema = p.get("schema").unwrap_or(&Value::Null);
            let ctx = format!("{}{}", at.name, type_name(&wire));
            let (ty, _) = self.ty(schema, &ctx, &at.inline, true);
            let param = Param {
                rust: field_name(&wire),
                wire,
                ty,
                required: flag(p, "required") || s(p, "in") == Some("path"),
                doc: describe(p),
                deprecated: flag(p, "deprecated"),
                csv: p.get("explode").and_then(Value::as_bool) == Some(false),
            };
            match s(p, "in") {
                Some("path") => path_params.push(param),
                Some("query") => query.push(param),
                other => return Err(format!("unsupported parameter location {other:?}")),
            }
        }
        path_params.sort_by_key(|p| path.find(&format!("{{{}}}", p.wire)).unwrap_or(usize::MAX));
        Ok((path_params, query))
    }

    /// The request body of `op`: a multipart form, a JSON array, object or other value.
    fn request_body(&mut self, op: &Value, at: &Declared) -> Result<Body, String> {
        let Some(rb) = op.get("requestBody") else {
            return Ok(Body::None);
        };
        let rb = self.deref(rb);
        let no_content = serde_json::Map::new();
        let content = rb
            .get("content")
            .and_then(Value::as_object)
            .unwrap_or(&no_content);
        if let Some(mp) = content.get("multipart/form-data") {
            let schema = self.deref(&mp["schema"]);
            return Ok(Body::Multipart(
                self.fields(schema, &at.name, &at.inline, true),
            ));
        }
        let Some(js) = content.get("application/json") else {
            let types: Vec<&String> = content.keys().collect();
            return Err(format!("unsupported request content {types:?}"));
        };
        let target = self.deref(&js["schema"]);
        if s(target, "type") == Some("array") {
            let items = target.get("items").unwrap_or(&Value::Null);
            let ctx = format!("{}Item", at.name);
            let (t, _) = self.ty(items, &ctx, &at.inline, true);
            self.mark_request(&t);
            Ok(Body::Array(t))
        } else if target.get("properties").is_some() {
            let fields = self.fields(target, &at.name, &at.inline, true);
            for f in &fields {
                self.mark_request(&f.ty);
            }
            Ok(Body::Object(fields))
        } else {
            Ok(Body::Value)
        }
    }

    /// The type of the first 2xx response's JSON body, if any (a [`Ty::Page`] for an operation
    /// with a `paginated` parameter).
    fn output(&mut self, op: &Value, at: &Declared, paginated: bool) -> Result<Option<Ty>, String> {
        let success = op
            .get("responses")
            .and_then(Value::as_object)
            .and_then(|r| r.iter().find(|(code, _)| code.starts_with('2')));
        let Some((_, resp)) = success else {
            return Ok(None);
        };
        let Some(schema) = self
            .deref(resp)
            .get("content")
            .and_then(|c| c.get("application/json"))
            .and_then(|j| j.get("schema"))
        else {
            return Ok(None);
        };
        let ctx = format!("{}Response", at.name);
        Ok(Some(if paginated {
            self.page_output(schema, &ctx, &at.inline)?
        } else {
            self.ty(schema, &ctx, &at.inline, false).0
        }))
    }

    /// Records that `feature` uses `ty` and everything inside it.
    pub fn mark_feature(&mut self, ty: &Ty, feature: &str) {
        self.mark(ty, &mut |def| def.features.insert(feature.to_owned()));
    }

    /// Marks `ty`, and every type inside it, as one a response may contain.
    fn mark_response(&mut self, ty: &Ty) {
        self.mark(ty, &mut |def| {
            !std::mem::replace(&mut def.in_response, true)
        });
    }

    /// Marks every type `op` uses with its API group's feature.
    pub fn mark_op(&mut self, op: &Op) {
        let mut types: Vec<Ty> = op
            .path_params
            .iter()
            .chain(op.query.iter())
            .map(|p| p.ty.clone())
            .collect();
        match &op.body {
            Body::Object(fields) | Body::Multipart(fields) => {
                types.extend(fields.iter().map(|f| f.ty.clone()))
            }
            Body::Array(t) => types.push(t.clone()),
            Body::Value | Body::None => {}
        }
        if let Some(output) = &op.output {
            self.mark_response(output);
        }
        types.extend(op.output.clone());
        for t in types {
            self.mark_feature(&t, &op.module);
        }
    }

    /// The output of an operation with a `paginated` query parameter: such a list is a bare
    /// array, or `{"data": [...], "total_count": N}` when `paginated=true` is sent, whichever of
    /// the two the spec describes, so it becomes a `crate::Page` of the items, which reads both.
    /// The wrapper object itself is not generated (only its `data` items are resolved).
    fn page_output(&mut self, schema: &Value, ctx: &str, inline: &str) -> Result<Ty, String> {
        let target = self.deref(schema);
        let props = target.get("properties").and_then(Value::as_object);
        let wrapped = props.filter(|p| {
            p.keys()
                .all(|k| ["data", "total_count", "object"].contains(&k.as_str()))
                && p.contains_key("total_count")
                && s(self.deref(&p["data"]), "type") == Some("array")
        });
        let (list, ctx, file) = match (wrapped, s(schema, "$ref")) {
            (Some(p), Some(r)) => {
                let component = r.rsplit('/').next().unwrap_or(r);
                (
                    &p["data"],
                    format!("{}Data", type_name(component)),
                    module_name(component),
                )
            }
            (Some(p), None) => (&p["data"], format!("{ctx}Data"), inline.to_owned()),
            (None, _) => (schema, ctx.to_owned(), inline.to_owned()),
        };
        match self.ty(list, &ctx, &file, false).0 {
            Ty::Vec(item) => Ok(Ty::Page(item)),
            other => Err(format!(
                "takes `paginated` but its response is neither an array nor {{data, total_count}}: {other:?}"
            )),
        }
    }

    fn page_shape(&self, output: &Ty) -> Option<PageShape> {
        match output {
            Ty::Vec(item) => Some(PageShape::Bare((**item).clone())),
            Ty::Page(item) => Some(PageShape::Page((**item).clone())),
            Ty::Named(n) => {
                let DefKind::Struct(fields) = &self.defs.get(n)?.kind else {
                    return None;
                };
                let total = fields.iter().any(|f| f.wire == "total_count");
                let arrays: Vec<&Field> = fields
                    .iter()
                    .filter(|f| matches!(f.ty, Ty::Vec(_)))
                    .collect();
                match (total, arrays.as_slice()) {
                    (true, [only]) => {
                        let Ty::Vec(item) = &only.ty else { return None };
                        Some(PageShape::Wrapped {
                            field: only.rust.clone(),
                            item: (**item).clone(),
                        })
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// Where an operation declares its inline types: the operation's type name (the prefix of
/// their names) and the models file of its tag.
struct Declared {
    name: String,
    inline: String,
}

/// The cursor pagination the overlay declares on `op` (`x-clerk-cursor`), if any.
fn cursor(op: &Value) -> Option<Cursor> {
    let c = op.get("x-clerk-cursor")?;
    Some(Cursor {
        param: s(c, "param").unwrap_or("starting_after").to_owned(),
        item_field: s(c, "item_field").unwrap_or("id").to_owned(),
        order_by: c
            .get("order_by")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// Whether a type declared inline and written to `file` is dropped for an identical one: the
/// types operations declare (`op_<tag>`) and webhook events declare (`events`).
fn merges_twins(file: &str) -> bool {
    file.starts_with("op_") || file == "events"
}

/// Whether a component's name ends in `-<digits>` (`CommercePlan-2`), the spec's way of naming
/// a second schema after a first.
fn numbered(component: &str) -> bool {
    component
        .rsplit_once('-')
        .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// `Derived (in operation `X`), …`, for messages.
fn describe_places(places: &BTreeMap<String, String>) -> String {
    places
        .iter()
        .map(|(derived, place)| format!("{derived} in {place}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What makes two definitions interchangeable: everything but names and docs.
fn shape_key(kind: &DefKind) -> String {
    match kind {
        DefKind::Struct(fields) => {
            let parts: Vec<String> = fields
                .iter()
                .map(|f| {
                    format!(
                        "{}:{:?}:{}:{}:{}",
                        f.wire, f.ty, f.required, f.nullable, f.deprecated
                    )
                })
                .collect();
            format!("struct{{{}}}", parts.join(","))
        }
        DefKind::Enum(values) => format!("enum{values:?}"),
        DefKind::Union { tag, variants } => format!("union:{tag}:{variants:?}"),
        DefKind::Untagged { variants } => format!("untagged:{variants:?}"),
    }
}

/// The one value of a single-valued enum of strings.
fn single_enum(v: &Value) -> Option<String> {
    constant(v)?.as_str().map(str::to_owned)
}

/// The one value of a single-valued enum of strings or booleans.
fn constant(v: &Value) -> Option<Value> {
    match v.get("enum").and_then(Value::as_array).map(Vec::as_slice) {
        Some([one @ (Value::String(_) | Value::Bool(_))]) => Some(one.clone()),
        _ => None,
    }
}

fn is_single_enum(v: &Value) -> bool {
    single_enum(v).is_some()
}

/// Variant names from wire tags: the words all tags share at the front are dropped
/// (`verification_otp`, `verification_admin` → `Otp`, `Admin`); a lone tag keeps its last word.
fn variant_names(wires: &[&str]) -> Vec<String> {
    let split: Vec<Vec<String>> = wires.iter().map(|w| words(w)).collect();
    let mut common = 0;
    if split.len() > 1 {
        while split
            .iter()
            .all(|w| w.len() > common + 1 && w[common] == split[0][common])
        {
            common += 1;
        }
    } else if let Some(first) = split.first() {
        common = first.len().saturating_sub(1);
    }
    let mut names: Vec<String> = split
        .iter()
        .map(|w| type_name(&w[common..].join("_")))
        .collect();
    let mut seen = BTreeSet::new();
    for n in &mut names {
        while !seen.insert(n.clone()) {
            n.push('2');
        }
    }
    names
}

#[cfg(test)]
mod tests {
    #[test]
    fn dangling_references_are_listed_with_where_they_stand() {
        let spec = serde_json::json!({
            "components": {"schemas": {"User": {"type": "object"}}},
            "paths": {"/users/{id}": {"get": {"responses": {
                "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
                "404": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Gone"}}}},
                "500": {"$ref": "other.yml#/x"}
            }}}}
        });
        assert_eq!(
            super::unresolved_refs(&spec),
            [
                "#/components/schemas/Gone at /paths/~1users~1{id}/get/responses/404/content/application~1json/schema",
                "other.yml#/x at /paths/~1users~1{id}/get/responses/500",
            ]
        );
    }

    use super::*;
    use serde_json::json;

    /// Two operations that declare the same inline `action` enum, and a numbered component.
    fn spec() -> Value {
        let action = json!({"type": "string", "enum": ["increase", "decrease"]});
        let op = |id: &str| {
            json!({
                "operationId": id,
                "tags": ["Billing"],
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"action": action, "plan": {"$ref": "#/components/schemas/Plan-2"}},
                    "required": ["action"],
                }}}},
                "responses": {"204": {"description": "none"}},
            })
        };
        json!({
            "paths": {"/a": {"post": op("AdjustA")}, "/b": {"post": op("AdjustB")}},
            "components": {"schemas": {
                "Plan-2": {"type": "object", "properties": {"id": {"type": "string"}}},
            }},
        })
    }

    fn resolve<'s>(spec: &'s Value, names: &[(&str, &str)]) -> Resolver<'s> {
        let names = names
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let mut resolver = Resolver::new(spec).with_names(names);
        for (path, id) in [("/a", "AdjustA"), ("/b", "AdjustB")] {
            let op = &spec["paths"][path]["post"];
            assert_eq!(op["operationId"], id);
            resolver.operation(path, "post", op).expect("resolves");
        }
        resolver
    }

    #[test]
    fn a_shared_inline_type_and_a_numbered_component_need_overlay_names() {
        let spec = spec();
        let errors = resolve(&spec, &[]).naming_errors();
        assert_eq!(errors.len(), 2, "{errors:#?}");
        let all = errors.join("\n");
        // Where the type is declared, and the entries to add.
        assert!(all.contains("AdjustAAction: <Name>"), "{all}");
        assert!(all.contains("AdjustBAction: <Name>"), "{all}");
        assert!(all.contains("operation `AdjustB`"), "{all}");
        assert!(all.contains("Plan2: <Name>"), "{all}");
    }

    #[test]
    fn overlay_names_name_the_shared_type_once() {
        let spec = spec();
        let resolver = resolve(
            &spec,
            &[
                ("AdjustAAction", "CreditAction"),
                ("AdjustBAction", "CreditAction"),
                ("Plan2", "BillingPlan"),
            ],
        );
        assert!(
            resolver.naming_errors().is_empty(),
            "{:#?}",
            resolver.naming_errors()
        );
        assert!(resolver.defs.contains_key("CreditAction"));
        assert!(resolver.defs.contains_key("BillingPlan"));
        assert!(!resolver.defs.keys().any(|n| n.starts_with("Adjust")));
    }

    #[test]
    fn a_half_named_shared_type_a_name_for_two_types_and_a_stale_entry_are_refused() {
        let spec = spec();
        let errors = resolve(
            &spec,
            &[
                ("AdjustAAction", "CreditAction"),
                ("Plan2", "BillingPlan"),
                ("Gone", "Nothing"),
            ],
        )
        .naming_errors();
        let all = errors.join("\n");
        assert!(all.contains("AdjustBAction: <Name>"), "{all}");
        assert!(
            all.contains("`Gone`, which the spec no longer declares"),
            "{all}"
        );
        // The overlay gives one name to the action and to the plan: two different types.
        let errors = resolve(
            &spec,
            &[
                ("AdjustAAction", "Same"),
                ("AdjustBAction", "Same"),
                ("Plan2", "Same"),
            ],
        )
        .naming_errors();
        assert!(!errors.is_empty());
    }
}

//! Resolves spec schemas and operations into the intermediate form.

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
    /// In strict mode a wanted name already taken is not numbered (`Name2`) but recorded here,
    /// for the caller to refuse: the webhook types' names must be the ones the spec suggests.
    strict: bool,
    /// The names wanted twice (strict mode only).
    pub collisions: Vec<String>,
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
            strict: false,
            collisions: Vec::new(),
        }
    }

    /// A resolver that never numbers a name: a name wanted twice is recorded in `collisions`.
    pub fn strict(spec: &'s Value) -> Self {
        Self {
            strict: true,
            ..Self::new(spec)
        }
    }

    fn component(&self, reference: &str) -> (&'s Value, String) {
        let name = reference.rsplit('/').next().unwrap_or(reference).to_owned();
        let kind = reference.split('/').nth(2).unwrap_or("schemas");
        let v = &self.spec["components"][kind][&name];
        assert!(!v.is_null(), "unresolved $ref {reference}");
        (v, name)
    }

    /// Follows `$ref`s of responses and parameters.
    pub fn deref<'v>(&self, v: &'v Value) -> &'v Value
    where
        's: 'v,
    {
        deref(self.spec, v)
    }

    fn unique(&mut self, wanted: String) -> String {
        if self.strict {
            if !self.taken.insert(wanted.clone()) {
                self.collisions.push(wanted.clone());
            }
            return wanted;
        }
        let mut name = wanted.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{wanted}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
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
        if self.resolving.contains(&name) {
            // A recursive reference: its name was reserved when resolution started.
            return Ty::Named(type_name(&name));
        }
        self.resolving.insert(name.clone());
        let rust = type_name(&name);
        let file = module_name(&name);
        let t = self.ty(schema, &rust, &file, request).0;
        self.resolving.remove(&name);
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
        let name = self.unique(ctx.to_owned());
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
        let inline_in_op = def.file.starts_with("op_");
        let request = def.in_request;
        match self.shapes.get(&key).cloned() {
            Some(twin) if inline_in_op && twin != name => {
                self.defs.remove(&name);
                self.taken.remove(&name);
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
    pub fn fields(
        &mut self,
        schema: &Value,
        owner: &str,
        file: &str,
        request: bool,
    ) -> Vec<Field> {
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

    pub fn operation(&mut self, path: &str, method: &str, op: &'s Value) -> Op {
        let id = s(op, "operationId").unwrap_or_default().to_owned();
        let name = type_name(&id);
        let tag = op
            .get("tags")
            .and_then(|t| t.get(0))
            .and_then(Value::as_str)
            .unwrap_or("Miscellaneous")
            .to_owned();
        let module = module_name(&tag);
        let file = format!("{module}/{}", module_name(&id));
        // Types declared inline in an operation go to one models file per tag.
        let inline = format!("op_{module}");
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
            let (ty, _) = self.ty(
                schema,
                &format!("{name}{}", type_name(&wire)),
                &inline,
                true,
            );
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
                other => panic!("{id}: unsupported parameter location {other:?}"),
            }
        }
        // Path parameters in the order the template names them.
        path_params.sort_by_key(|p| path.find(&format!("{{{}}}", p.wire)).unwrap_or(usize::MAX));

        let body = match op.get("requestBody") {
            None => Body::None,
            Some(rb) => {
                let rb = self.deref(rb);
                let no_content = serde_json::Map::new();
                let content = rb
                    .get("content")
                    .and_then(Value::as_object)
                    .unwrap_or(&no_content);
                if let Some(mp) = content.get("multipart/form-data") {
                    let schema = self.deref(&mp["schema"]);
                    Body::Multipart(self.fields(schema, &name, &inline, true))
                } else if let Some(js) = content.get("application/json") {
                    let target = self.deref(&js["schema"]);
                    if s(target, "type") == Some("array") {
                        let items = target.get("items").unwrap_or(&Value::Null);
                        let (t, _) = self.ty(items, &format!("{name}Item"), &inline, true);
                        self.mark_request(&t);
                        Body::Array(t)
                    } else if target.get("properties").is_some() {
                        let fields = self.fields(target, &name, &inline, true);
                        for f in &fields {
                            self.mark_request(&f.ty);
                        }
                        Body::Object(fields)
                    } else {
                        Body::Value
                    }
                } else {
                    panic!("{id}: unsupported request content {content:?}")
                }
            }
        };

        let success = op
            .get("responses")
            .and_then(Value::as_object)
            .and_then(|r| r.iter().find(|(code, _)| code.starts_with('2')));
        let mut output = None;
        if let Some((_, resp)) = success {
            let resp = self.deref(resp);
            if let Some(schema) = resp
                .get("content")
                .and_then(|c| c.get("application/json"))
                .and_then(|j| j.get("schema"))
            {
                let ctx = format!("{name}Response");
                output = Some(if query.iter().any(|q| q.wire == "paginated") {
                    self.page_output(&id, schema, &ctx, &inline)
                } else {
                    self.ty(schema, &ctx, &inline, false).0
                });
            }
        }
        let has = |n: &str| query.iter().any(|q| q.wire == n);
        let page = if has("limit") && has("offset") {
            output.as_ref().and_then(|o| self.page_shape(o))
        } else {
            None
        };
        let cursor = op.get("x-clerk-cursor").map(|c| Cursor {
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
        });
        Op {
            id,
            name,
            file,
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
            cursor,
            keys: Vec::new(),
        }
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
    fn page_output(&mut self, id: &str, schema: &Value, ctx: &str, inline: &str) -> Ty {
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
            Ty::Vec(item) => Ty::Page(item),
            other => panic!(
                "{id}: takes `paginated` but its response is neither an array nor {{data, total_count}}: {other:?}"
            ),
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

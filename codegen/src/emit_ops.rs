//! Writes `core/src/api/`: one module per tag, one file per operation, and the registry.
//!
//! Each operation is a struct with a constructor taking its required inputs and a setter per
//! optional one. The constructor's order is fixed, so that two ids of one type are never
//! swapped by a change of spelling: path parameters as the path template names them, then
//! required query parameters in the spec's order, then required body members in the order of
//! the body schema's `required` list ([`Body::constructor_members`]). The `required` list is
//! chosen over `properties` because it is a JSON array, whose order is the spec's statement,
//! while `properties` is a JSON object, whose member order JSON leaves undefined (and the
//! spec reader does not keep); in the vendored spec the two orders agree for every body with
//! two or more required members.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::doc::doc;
use crate::emit_models::HEADER;
use crate::inputs::ident_tail;
use crate::ir::{Body, Def, DefKind, Field, Op, PageShape, Param, Ty};

pub fn ops(ops: &[Op], defs: &BTreeMap<String, Def>, files: &mut BTreeMap<String, String>) {
    let mut by_tag: BTreeMap<&str, Vec<&Op>> = BTreeMap::new();
    for op in ops {
        by_tag.entry(op.module.as_str()).or_default().push(op);
        files.insert(format!("core/src/api/{}.rs", op.file), operation(op, defs));
    }
    let mut api = String::from(HEADER);
    api.push_str(
        "//! The operations of the Backend API, one module per tag, and their registry.\n\n",
    );
    let mut registry = String::new();
    for (module, tag_ops) in &by_tag {
        let tag = &tag_ops[0].tag;
        let _ = writeln!(api, "#[cfg(feature = {module:?})]\npub mod {module};");
        let mut m = String::from(HEADER);
        let _ = writeln!(m, "//! Operations tagged `{tag}` in the spec.\n");
        if tag_ops.iter().any(|o| o.deprecated) {
            m.push_str("#![allow(deprecated)]\n\n");
        }
        for op in tag_ops {
            let _ = writeln!(m, "mod {};", op.file.rsplit('/').next().unwrap_or_default());
        }
        m.push('\n');
        for op in tag_ops {
            let _ = writeln!(
                m,
                "pub use {}::{};",
                op.file.rsplit('/').next().unwrap_or_default(),
                op.name
            );
            let _ = writeln!(
                registry,
                "    #[cfg(feature = {module:?})]\n    <{module}::{} as crate::Endpoint>::OPERATION,",
                op.name
            );
        }
        let inline: Vec<&str> = defs
            .values()
            .filter(|d| d.file == format!("op_{module}"))
            .map(|d| d.name.as_str())
            .collect();
        if !inline.is_empty() {
            let _ = writeln!(
                m,
                "\n/// Types declared inline by these operations (also in [`crate::models`])."
            );
            let _ = writeln!(m, "pub use crate::models::{{{}}};", inline.join(", "));
        }
        files.insert(format!("core/src/api/{module}/mod.rs"), m);
    }
    api.push_str(
        "\n/// Every operation of the spec: id, method, path template, tag, deprecation.\n",
    );
    api.push_str("#[allow(deprecated)]\n");
    let _ = write!(
        api,
        "pub const OPERATIONS: &[crate::Operation] = &[\n{registry}];\n"
    );
    files.insert("core/src/api/mod.rs".into(), api);
}

/// How a value of `ty` is stored, taken by a setter, and converted.
struct Shape {
    stored: String,
    arg: String,
    convert: String,
}

fn shape(ty: &Ty) -> Shape {
    match ty {
        Ty::Str => Shape {
            stored: "String".into(),
            arg: "impl Into<String>".into(),
            convert: "value.into()".into(),
        },
        Ty::Map | Ty::Json => Shape {
            stored: "serde_json::Value".into(),
            arg: "impl Into<serde_json::Value>".into(),
            convert: "value.into()".into(),
        },
        // A request `number` is stored as `crate::encode::Number`, which writes whole values as
        // JSON integers (`60`, not `60.0`) and refuses NaN and infinities; setters take `f64`.
        Ty::Num => Shape {
            stored: "crate::encode::Number".into(),
            arg: "f64".into(),
            convert: "crate::encode::Number(value)".into(),
        },
        Ty::Vec(inner) if **inner == Ty::Num => Shape {
            stored: "Vec<crate::encode::Number>".into(),
            arg: "impl IntoIterator<Item = f64>".into(),
            convert: "value.into_iter().map(crate::encode::Number).collect()".into(),
        },
        Ty::Vec(inner) if **inner == Ty::Str => Shape {
            stored: "Vec<String>".into(),
            arg: "impl IntoIterator<Item = impl Into<String>>".into(),
            convert: "value.into_iter().map(Into::into).collect()".into(),
        },
        Ty::Vec(inner) => Shape {
            stored: ty.rust(),
            arg: format!("impl IntoIterator<Item = {}>", inner.rust()),
            convert: "value.into_iter().collect()".into(),
        },
        other => Shape {
            stored: other.rust(),
            arg: other.rust(),
            convert: "value".into(),
        },
    }
}

/// The source of one operation's file: the struct, its body struct, constructor and setters,
/// and its `Endpoint` (and `Paginated`) impl.
fn operation(op: &Op, defs: &BTreeMap<String, Def>) -> String {
    let mut parts = Parts::default();
    parts.path_params(op);
    parts.query_params(op);
    match &op.body {
        Body::None => {}
        Body::Object(props) => parts.object_body(op, props),
        Body::Array(item) => parts.array_body(item),
        Body::Value => parts.value_body(),
        Body::Multipart(form) => parts.multipart_body(&op.body, form),
    }
    let mut src = String::from(HEADER);
    let _ = writeln!(
        src,
        "//! `{} {}`: {}\n",
        op.method,
        op.path,
        op.summary.trim_end_matches('.')
    );
    if op.deprecated {
        src.push_str("#![allow(deprecated)]\n\n");
    }
    src.push_str(&parts.declaration(op));
    src.push_str(&parts.inherent_impl(op));
    src.push_str(&parts.endpoint_impl(op));
    if let Some(page) = &op.page {
        src.push_str(&paginated(op, page, defs, &parts.query_names));
    }
    src
}

/// The pieces of an operation's file, filled by one step per kind of input (path, query,
/// body), then assembled.
#[derive(Default)]
struct Parts {
    /// The fields of the operation struct.
    fields: String,
    /// The constructor's arguments, in order, and their doc lines.
    ctor_args: Vec<String>,
    ctor_docs: String,
    /// The constructor's initialisers of the fields it takes.
    ctor_init: Vec<String>,
    /// The constructor's initialisers of the optional fields outside the body (empty).
    empty_inits: Vec<String>,
    setters: String,
    /// The private body struct (with its `Debug`), when the body is a JSON object.
    body_struct: String,
    /// `fn encode_body`, when the operation has a body.
    body_fn: String,
    /// The path template with `{p_name}` placeholders, and the `let`s that encode them.
    path_fmt: String,
    path_lets: String,
    /// The lines of `fn encode_query`.
    query_src: String,
    /// Query parameter wire name → field name (the pagination impl reads `limit`, `offset`).
    query_names: BTreeMap<String, String>,
}

impl Parts {
    /// A constructor argument named `name` taking `arg`, documented from `doc`.
    fn ctor_arg(&mut self, name: &str, arg: &str, doc: &str) {
        self.ctor_args.push(format!("{name}: {arg}"));
        let _ = writeln!(self.ctor_docs, "/// - `{name}`{}", summary_suffix(doc));
    }

    /// Adds the field, and the constructor argument or setter, of a path or query parameter.
    fn param(&mut self, op: &Op, p: &Param, is_query: bool) {
        let name = &p.rust;
        let sh = shape(&p.ty);
        let is_vec = matches!(p.ty, Ty::Vec(_));
        if p.required {
            let _ = writeln!(self.fields, "    {name}: {},", sh.stored);
            self.ctor_arg(name, &sh.arg, &p.doc);
            let value = sh.convert.replace("value", name);
            self.ctor_init.push(if value == *name {
                name.clone()
            } else {
                format!("{name}: {value}")
            });
            return;
        }
        let stored = if is_vec {
            sh.stored.clone()
        } else {
            format!("Option<{}>", sh.stored)
        };
        let _ = writeln!(self.fields, "    {name}: {stored},");
        self.empty_inits.push(format!(
            "{name}: {}",
            if is_vec { "Vec::new()" } else { "None" }
        ));
        let mut text = if p.doc.is_empty() {
            format!("Sets `{}`.", p.wire)
        } else {
            p.doc.clone()
        };
        if is_query && p.wire == "paginated" && matches!(op.output, Some(Ty::Page(_))) {
            text.push_str(
                "\n\nThe output is a [`crate::Page`], which reads the answer either way; with `true`\n\
                 it also carries the list's `total_count`, which lets a [`crate::Pager`] stop at\n\
                 the end of the list without asking for an empty page.",
            );
        }
        if is_query && is_vec {
            text.push_str(if p.csv {
                "\n\nSent as one comma-separated value."
            } else {
                "\n\nSent as one `key=value` pair per element."
            });
        }
        self.setters.push_str(&doc(&text, "    "));
        if p.deprecated {
            self.setters.push_str(DEPRECATED_INPUT);
        }
        let value = if is_vec {
            sh.convert.clone()
        } else {
            format!("Some({})", sh.convert)
        };
        let _ = writeln!(
            self.setters,
            "    pub fn {name}(mut self, value: {}) -> Self {{\n        self.{name} = {value};\n        self\n    }}\n",
            sh.arg
        );
    }

    /// Path parameters (in template order): fields, and the encoding of each segment.
    fn path_params(&mut self, op: &Op) {
        self.path_fmt = op.path.clone();
        for p in &op.path_params {
            self.param(op, p, false);
            let name = &p.rust;
            let expr = match &p.ty {
                Ty::Str => format!("&self.{name}"),
                Ty::Named(_) => format!("self.{name}.as_str()"),
                _ => format!("&self.{name}.to_string()"),
            };
            let var = format!("p_{}", ident_tail(name));
            let _ = writeln!(
                self.path_lets,
                "        let {var} = crate::encode_path_segment({:?}, {expr})?;",
                p.wire
            );
            self.path_fmt = self
                .path_fmt
                .replace(&format!("{{{}}}", p.wire), &format!("{{{var}}}"));
        }
    }

    /// Query parameters (in spec order): fields, setters, and the lines that write them.
    fn query_params(&mut self, op: &Op) {
        for p in &op.query {
            self.param(op, p, true);
            let name = &p.rust;
            self.query_names.insert(p.wire.clone(), name.clone());
            let line = match (&p.ty, p.required) {
                (Ty::Vec(_), _) if p.csv => format!("query.push_csv({:?}, &self.{name});", p.wire),
                (Ty::Vec(_), _) => format!("query.push_each({:?}, &self.{name});", p.wire),
                (_, true) => format!("query.push({:?}, &self.{name});", p.wire),
                (_, false) => format!("query.push_opt({:?}, self.{name}.as_ref());", p.wire),
            };
            let _ = writeln!(self.query_src, "        {line}");
        }
    }

    /// A JSON object body: a private body struct, a constructor argument per required member,
    /// a setter (and a `clear_` setter when nullable) per optional one.
    fn object_body(&mut self, op: &Op, props: &[Field]) {
        let _ = writeln!(self.fields, "    body: {}Body,", op.name);
        let mut members = String::new();
        let mut checks = String::new();
        let mut body_init: Vec<String> = Vec::new();
        for f in props {
            let sh = shape(&f.ty);
            let rename = if crate::naming::needs_rename(&f.rust, &f.wire) {
                format!("rename = {:?}, ", f.wire)
            } else {
                String::new()
            };
            let fname = &f.rust;
            if matches!(f.ty, Ty::Map) {
                let _ = writeln!(
                    checks,
                    "        crate::encode::require_object({:?}, {})?;",
                    f.wire,
                    map_access(f)
                );
            }
            if f.required {
                if !rename.is_empty() {
                    let _ = writeln!(members, "    #[serde({})]", rename.trim_end_matches(", "));
                }
                let _ = writeln!(members, "    {fname}: {},", sh.stored);
                let value = sh.convert.replace("value", fname);
                body_init.push(if value == *fname {
                    value
                } else {
                    format!("{fname}: {value}")
                });
                continue;
            }
            let stored = if f.nullable {
                format!("Option<crate::Nullable<{}>>", sh.stored)
            } else {
                format!("Option<{}>", sh.stored)
            };
            let _ = writeln!(
                members,
                "    #[serde({rename}skip_serializing_if = \"Option::is_none\")]"
            );
            let _ = writeln!(members, "    {fname}: {stored},");
            self.member_setters(f, &sh);
        }
        // Struct members stay in wire order; the constructor takes them in the spec's order.
        for f in op.body.constructor_members() {
            self.ctor_arg(&f.rust, &shape(&f.ty).arg, &f.doc);
        }
        let all_required = props.iter().all(|f| f.required);
        let init = if body_init.is_empty() {
            format!("{}Body::default()", op.name)
        } else if all_required {
            format!("{}Body {{ {} }}", op.name, body_init.join(", "))
        } else {
            format!(
                "{}Body {{ {}, ..Default::default() }}",
                op.name,
                body_init.join(", ")
            )
        };
        self.ctor_init.push(format!("body: {init}"));
        let secret = props
            .iter()
            .any(|f| SECRET_MEMBERS.contains(&f.wire.as_str()));
        let _ = write!(
            self.body_struct,
            "\n/// The JSON body of [`{}`].\n#[derive({}Clone, PartialEq, Default, serde::Serialize)]\nstruct {}Body {{\n{members}}}\n",
            op.name,
            if secret { "" } else { "Debug, " },
            op.name
        );
        if secret {
            self.body_struct
                .push_str(&redacted_debug(&format!("{}Body", op.name), props));
        }
        let _ = write!(
            self.body_fn,
            "    fn encode_body(&self) -> Result<Option<crate::Body>, crate::Error> {{\n{checks}        crate::Body::json(&self.body).map(Some)\n    }}\n"
        );
    }

    /// The setter of an optional body member, and its `clear_` setter when it is nullable.
    fn member_setters(&mut self, f: &Field, sh: &Shape) {
        let fname = &f.rust;
        let mut text = if f.doc.is_empty() {
            format!("Sets `{}`.", f.wire)
        } else {
            f.doc.clone()
        };
        if matches!(f.ty, Ty::Map) {
            text.push_str("\n\nMust be a JSON object (a `serde_json::Map` or `json!({…})`); anything else is refused when the request is built.");
        }
        if f.deprecated {
            text.push_str("\n\n**Deprecated** in the API.");
        }
        self.setters.push_str(&doc(&text, "    "));
        let deprecated = if f.deprecated { DEPRECATED_INPUT } else { "" };
        self.setters.push_str(deprecated);
        let value = if f.nullable {
            format!("Some(crate::Nullable::Value({}))", sh.convert)
        } else {
            format!("Some({})", sh.convert)
        };
        let _ = writeln!(
            self.setters,
            "    pub fn {fname}(mut self, value: {}) -> Self {{\n        self.body.{fname} = {value};\n        self\n    }}\n",
            sh.arg
        );
        if f.nullable {
            let clear = format!("clear_{}", ident_tail(fname));
            let _ = writeln!(
                self.setters,
                "    /// Sends `{}: null`, which clears the value on the server.\n{deprecated}    pub fn {clear}(mut self) -> Self {{\n        self.body.{fname} = Some(crate::Nullable::Null);\n        self\n    }}\n",
                f.wire
            );
        }
    }

    /// A body that is a JSON array of `item`: the constructor takes its elements.
    fn array_body(&mut self, item: &Ty) {
        let sh = shape(&Ty::Vec(Box::new(item.clone())));
        let _ = writeln!(self.fields, "    body: {},", sh.stored);
        self.ctor_args.push(format!("items: {}", sh.arg));
        self.ctor_init
            .push(format!("body: {}", sh.convert.replace("value", "items")));
        let _ = writeln!(
            self.ctor_docs,
            "/// - `items`: the elements of the JSON array body"
        );
        self.body_fn.push_str(JSON_BODY_FN);
    }

    /// A body the spec leaves open: the constructor takes any JSON value.
    fn value_body(&mut self) {
        let _ = writeln!(self.fields, "    body: serde_json::Value,");
        self.ctor_args
            .push("body: impl Into<serde_json::Value>".into());
        self.ctor_init.push("body: body.into()".into());
        let _ = writeln!(self.ctor_docs, "/// - `body`: the JSON body");
        self.body_fn.push_str(JSON_BODY_FN);
    }

    /// A multipart form: the constructor takes the file parts, setters the text parts.
    fn multipart_body(&mut self, body: &Body, parts: &[Field]) {
        let mut form = String::from("        let mut form = crate::Multipart::new();\n");
        for f in body.constructor_members() {
            let name = &f.rust;
            self.ctor_args.push(format!("{name}: crate::FilePart"));
            let _ = writeln!(
                self.ctor_docs,
                "/// - `{name}`: the file uploaded as the `{}` part",
                f.wire
            );
        }
        for f in parts {
            let name = &f.rust;
            if f.ty == Ty::Binary {
                let _ = writeln!(self.fields, "    {name}: crate::FilePart,");
                self.ctor_init.push(name.clone());
                let _ = writeln!(
                    form,
                    "        form = form.file({:?}, self.{name}.clone());",
                    f.wire
                );
            } else {
                let _ = writeln!(self.fields, "    {name}: Option<String>,");
                self.empty_inits.push(format!("{name}: None"));
                let text = if f.doc.is_empty() {
                    format!("Sets the `{}` part.", f.wire)
                } else {
                    f.doc.clone()
                };
                self.setters.push_str(&doc(&text, "    "));
                let _ = writeln!(
                    self.setters,
                    "    pub fn {name}(mut self, value: impl std::fmt::Display) -> Self {{\n        self.{name} = Some(value.to_string());\n        self\n    }}\n"
                );
                let _ = writeln!(
                    form,
                    "        if let Some(value) = &self.{name} {{\n            form = form.text({:?}, value.clone());\n        }}",
                    f.wire
                );
            }
        }
        let _ = write!(
            self.body_fn,
            "    fn encode_body(&self) -> Result<Option<crate::Body>, crate::Error> {{\n{form}        Ok(Some(crate::Body::multipart(&form)))\n    }}\n"
        );
    }

    /// The operation struct with its docs, then the body struct.
    fn declaration(&self, op: &Op) -> String {
        let mut src = doc(&struct_doc(op), "");
        let derive_default = if self.ctor_args.is_empty() {
            ", Default"
        } else {
            ""
        };
        let _ = writeln!(
            src,
            "#[derive(Debug, Clone, PartialEq{derive_default})]\n#[must_use]"
        );
        if op.deprecated {
            src.push_str("#[deprecated(note = \"this operation is deprecated in the API\")]\n");
        }
        let _ = write!(src, "pub struct {} {{\n{}}}\n", op.name, self.fields);
        src.push_str(&self.body_struct);
        src
    }

    /// `impl Op { new, setters }`.
    fn inherent_impl(&self, op: &Op) -> String {
        let mut src = format!("\nimpl {} {{\n", op.name);
        if self.ctor_args.is_empty() {
            src.push_str("    /// The request with no optional input set.\n    pub fn new() -> Self {\n        Self::default()\n    }\n\n");
        } else {
            let mut d = String::from(CTOR_DOC);
            d.push_str(&self.ctor_docs);
            for line in d.lines() {
                let _ = writeln!(src, "    {line}");
            }
            let _ = write!(
                src,
                "    pub fn new({}) -> Self {{\n        Self {{\n",
                self.ctor_args.join(", ")
            );
            for init in self.ctor_init.iter().chain(&self.empty_inits) {
                let _ = writeln!(src, "            {init},");
            }
            src.push_str("        }\n    }\n\n");
        }
        src.push_str(&self.setters);
        src.push_str("}\n");
        src
    }

    /// `impl crate::Endpoint for Op`.
    fn endpoint_impl(&self, op: &Op) -> String {
        let output = op.output.as_ref().map_or("()".to_owned(), Ty::rust);
        let mut src = format!(
            "\nimpl crate::Endpoint for {} {{\n    type Output = {output};\n\n",
            op.name
        );
        // `Operation::new` means the instance secret key; any other `security` is spelled out.
        let keys = if op.keys == ["Instance"] {
            String::new()
        } else {
            let kinds: Vec<String> = op
                .keys
                .iter()
                .map(|k| format!("crate::SecretKeyKind::{k}"))
                .collect();
            format!(".with_keys(&[{}])", kinds.join(", "))
        };
        let _ = write!(
            src,
            "    const OPERATION: crate::Operation = crate::Operation::new({:?}, http::Method::{}, {:?}, {:?}, {}){keys};\n\n",
            op.id, op.method, op.path, op.tag, op.deprecated
        );
        let path_fmt = &self.path_fmt;
        let path_expr = if self.path_lets.is_empty() {
            format!("{path_fmt:?}.to_owned()")
        } else {
            format!("format!({path_fmt:?})")
        };
        let _ = write!(
            src,
            "    fn encode_path(&self) -> Result<String, crate::Error> {{\n{}        Ok({path_expr})\n    }}\n",
            self.path_lets
        );
        if !self.query_src.is_empty() {
            let _ = write!(
                src,
                "\n    fn encode_query(&self, query: &mut crate::Query) {{\n{}    }}\n",
                self.query_src
            );
        }
        if !self.body_fn.is_empty() {
            src.push('\n');
            src.push_str(&self.body_fn);
        }
        let parse = if op.output.is_some() {
            "crate::parse_json(response)"
        } else {
            "crate::parse_empty(response)"
        };
        let _ = write!(
            src,
            "\n    fn parse(response: http::Response<Vec<u8>>) -> Result<{output}, crate::Error> {{\n        {parse}\n    }}\n}}\n"
        );
        src
    }
}

/// The first lines of the docs of a constructor with arguments; they state the order rule.
const CTOR_DOC: &str = "/// The request with its required inputs, in this order: path parameters as the path\n/// names them, then required query parameters, then required body members, each in the\n/// order the spec lists them:\n";

/// `fn encode_body` of a body stored as a serializable value.
const JSON_BODY_FN: &str = "    fn encode_body(&self) -> Result<Option<crate::Body>, crate::Error> {\n        crate::Body::json(&self.body).map(Some)\n    }\n";

/// How the encoder reads a free-form object member, to check that it is an object.
fn map_access(f: &Field) -> String {
    let fname = &f.rust;
    if f.required {
        format!("Some(&self.body.{fname})")
    } else if f.nullable {
        format!("self.body.{fname}.as_ref().and_then(crate::Nullable::value)")
    } else {
        format!("self.body.{fname}.as_ref()")
    }
}

/// `: first line of doc`, or nothing for an undocumented input.
fn summary_suffix(doc: &str) -> String {
    if doc.is_empty() {
        String::new()
    } else {
        format!(": {}", first_line(doc))
    }
}

/// The docs of the operation struct: method and path, summary, description, which key
/// authorizes it, and the link to the API reference.
fn struct_doc(op: &Op) -> String {
    let mut text = format!("`{} {}`: {}", op.method, op.path, op.summary);
    if !op.description.is_empty() && op.description.trim() != op.summary.trim() {
        text.push_str("\n\n");
        text.push_str(&op.description);
    }
    let keys: Vec<&str> = op
        .keys
        .iter()
        .map(|k| match k.as_str() {
            "Machine" => "a machine secret key (`ak_…`)",
            _ => "the instance secret key (`sk_…`)",
        })
        .collect();
    if keys.is_empty() {
        text.push_str("\n\n**Authorization**: none; the request is sent without a key.");
    } else if op.keys == ["Machine"] {
        text.push_str("\n\n**Authorization**: a machine secret key (`ak_…`) only; a [`crate::Config`] without one refuses this operation before building a request.");
    } else if op.keys != ["Instance"] {
        let _ = write!(
            text,
            "\n\n**Authorization**: {}, the first of these that the [`crate::Config`] holds.",
            keys.join(", else ")
        );
    }
    let _ = write!(
        text,
        "\n\n[API reference]({})",
        reference_url(&op.tag, &op.method, &op.path)
    );
    text
}

fn paginated(
    op: &Op,
    page: &PageShape,
    defs: &BTreeMap<String, Def>,
    q: &BTreeMap<String, String>,
) -> String {
    let (item, into_page) = match page {
        PageShape::Bare(item) => (item.clone(), "crate::Page::new(output, None)".to_owned()),
        PageShape::Page(item) => (item.clone(), "output".to_owned()),
        PageShape::Wrapped { field, item } => {
            let plain = op
                .output
                .as_ref()
                .and_then(|o| {
                    if let Ty::Named(n) = o {
                        defs.get(n)
                    } else {
                        None
                    }
                })
                .and_then(|d| {
                    if let DefKind::Struct(f) = &d.kind {
                        f.iter().find(|f| f.wire == "total_count").cloned()
                    } else {
                        None
                    }
                })
                .is_some_and(|f| f.required && !f.nullable);
            let total = if plain {
                "Some(output.total_count)"
            } else {
                "output.total_count"
            };
            (
                item.clone(),
                format!("crate::Page::new(output.{field}, {total})"),
            )
        }
    };
    let limit = &q["limit"];
    let offset = &q["offset"];
    let mut src = format!(
        "\nimpl crate::Paginated for {name} {{\n    type Item = {item};\n\n    fn into_page(output: Self::Output) -> crate::Page<{item}> {{\n        {into_page}\n    }}\n\n    fn page_limit(&self) -> Option<i64> {{\n        self.{limit}\n    }}\n\n    fn set_page_limit(&mut self, limit: i64) {{\n        self.{limit} = Some(limit);\n    }}\n\n    fn page_offset(&self) -> Option<i64> {{\n        self.{offset}\n    }}\n\n    fn set_page_offset(&mut self, offset: i64) {{\n        self.{offset} = Some(offset);\n    }}\n",
        name = op.name,
        item = item.rust(),
    );
    if let Some(cursor) = &op.cursor {
        let param = &q[&cursor.param];
        let order_check = match q.get("order_by") {
            Some(order) if !cursor.order_by.is_empty() => {
                let allowed: Vec<String> =
                    cursor.order_by.iter().map(|o| format!("{o:?}")).collect();
                format!(
                    "let ordered = match self.{order}.as_deref() {{\n            None => true,\n            Some(order) => [{}].contains(&order.trim_start_matches(['+', '-'])),\n        }};\n        ordered && ",
                    allowed.join(", ")
                )
            }
            _ => String::new(),
        };
        let item_def = if let Ty::Named(n) = &item {
            defs.get(n)
        } else {
            None
        };
        let id_field = item_def
            .and_then(|d| {
                if let DefKind::Struct(f) = &d.kind {
                    f.iter().find(|f| f.wire == cursor.item_field).cloned()
                } else {
                    None
                }
            })
            .expect("cursor item field exists");
        let access = if id_field.required && !id_field.nullable {
            format!(
                "Some(item.{}.as_str()).filter(|id| !id.is_empty())",
                id_field.rust
            )
        } else {
            format!("item.{}.as_deref()", id_field.rust)
        };
        let _ = write!(
            src,
            "\n    fn cursor_supported(&self) -> bool {{\n        {order_check}self.{offset}.unwrap_or(0) == 0\n    }}\n\n    fn item_cursor(item: &Self::Item) -> Option<&str> {{\n        {access}\n    }}\n\n    fn set_cursor(&mut self, cursor: &str) {{\n        self.{param} = Some(cursor.to_owned());\n    }}\n"
        );
    }
    src.push_str("}\n");
    src
}

fn first_line(text: &str) -> String {
    let line = text.trim().lines().next().unwrap_or("").trim();
    line.to_owned()
}

/// The attribute on the setter of an input (query parameter or body member) the API deprecates.
const DEPRECATED_INPUT: &str = "    #[deprecated(note = \"deprecated in the API\")]\n";

/// The page of an operation in Clerk's API reference: one page per operation, addressed by the
/// tag's slug, the lowercase method and the path template with its braces percent-encoded
/// (`…/tag/email-addresses/patch/email_addresses/%7Bemail_address_id%7D`), the form Clerk's
/// own SDK reference pages link to.
pub fn reference_url(tag: &str, method: &str, path: &str) -> String {
    // The slug keeps letters and digits, lowercased; every run of anything else is one `-`.
    let slug = tag
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-");
    let path = path
        .trim_start_matches('/')
        .replace('{', "%7B")
        .replace('}', "%7D");
    format!(
        "https://clerk.com/docs/reference/backend-api/tag/{slug}/{}/{path}",
        method.to_lowercase()
    )
}

/// JSON members of request bodies that carry a credential or a one-time code: a body with one
/// gets a `Debug` that prints `<redacted>` for them, so a request logged with `{:?}` never shows
/// a password, a token or a secret.
const SECRET_MEMBERS: &[&str] = &[
    "access_token",
    "backup_codes",
    "client_secret",
    "code",
    "custom_signing_key",
    "expired_token",
    "password",
    "password_digest",
    "refresh_token",
    "secret",
    "signing_key",
    "token",
    "totp_secret",
];

/// A `Debug` impl for a body struct that redacts its [`SECRET_MEMBERS`].
fn redacted_debug(name: &str, props: &[crate::ir::Field]) -> String {
    let mut out = format!(
        "\nimpl std::fmt::Debug for {name} {{\n    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\n        f.debug_struct(\"{name}\")\n"
    );
    for field in props {
        let rust = &field.rust;
        if SECRET_MEMBERS.contains(&field.wire.as_str()) {
            out.push_str(&format!(
                "            .field(\"{rust}\", &\"<redacted>\")\n"
            ));
        } else {
            out.push_str(&format!("            .field(\"{rust}\", &self.{rust})\n"));
        }
    }
    out.push_str("            .finish()\n    }\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::reference_url;

    #[test]
    fn reference_urls_follow_the_per_operation_page_form() {
        assert_eq!(
            reference_url(
                "Email Addresses",
                "PATCH",
                "/email_addresses/{email_address_id}"
            ),
            "https://clerk.com/docs/reference/backend-api/tag/email-addresses/patch/email_addresses/%7Bemail_address_id%7D"
        );
        assert_eq!(
            reference_url("Allow-list / Block-list", "POST", "/allowlist_identifiers"),
            "https://clerk.com/docs/reference/backend-api/tag/allow-list-block-list/post/allowlist_identifiers"
        );
        assert_eq!(
            reference_url("API Keys", "GET", "/api_keys"),
            "https://clerk.com/docs/reference/backend-api/tag/api-keys/get/api_keys"
        );
        assert_eq!(
            reference_url("Users", "GET", "/users/{user_id}"),
            "https://clerk.com/docs/reference/backend-api/tag/users/get/users/%7Buser_id%7D"
        );
    }
}

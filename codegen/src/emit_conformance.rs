//! Writes `tests/src/generated/`: for every operation, a request with only its required inputs
//! and one with every optional input set (realistic sample values from the spec), and its
//! response parser; the conformance tests send them through the clients to a validator.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::Value;

use crate::emit_models::HEADER;
use crate::ir::{Body, Op, Ty};
use crate::naming::module_name;
use crate::resolve::deref;
use crate::sample::sample;

pub fn conformance(spec: &Value, ops: &[Op], files: &mut BTreeMap<String, String>) {
    let mut src = String::from(HEADER);
    src.push_str("//! Every operation with required-only and all-optional inputs, for conformance tests.\n\n");
    src.push_str("#![allow(deprecated)]\n\n");
    src.push_str("use clerk_backend_core::{Config, Endpoint, Error};\n\n");
    src.push_str("/// Builds one request of a case.\npub type Build = fn(&Config) -> Result<http::Request<Vec<u8>>, Error>;\n\n");
    src.push_str("/// Parses a response of a case's operation, dropping the typed output.\npub type Parse = fn(http::Response<Vec<u8>>) -> Result<(), Error>;\n\n");
    src.push_str("/// One operation under test.\npub struct Case {\n    /// The operation id.\n    pub id: &'static str,\n    /// Its tag.\n    pub tag: &'static str,\n    /// The request with only the required inputs.\n    pub minimal: Build,\n    /// The request with every optional input set too.\n    pub full: Build,\n    /// The operation's response parser.\n    pub parse: Parse,\n}\n\n");
    src.push_str("fn v<T: serde::de::DeserializeOwned>(json: &str) -> T {\n    serde_json::from_str(json).expect(\"generated sample decodes\")\n}\n\n");
    let mut table = String::new();
    for op in ops {
        let raw = &spec["paths"][&op.path][op.method.to_lowercase()];
        let fname = module_name(&op.id);
        let path = format!("clerk_backend_core::{}::{}", op.module, op.name);
        let (ctor, needed, mut optional) = inputs(spec, raw, op);
        let calls = |list: &[(String, String)]| {
            list.iter()
                .map(|(s, e)| format!("\n        .{s}({e})"))
                .collect::<String>()
        };
        let _ = writeln!(
            src,
            "fn {fname}_minimal(config: &Config) -> Result<http::Request<Vec<u8>>, Error> {{\n    {path}::new({}){}.to_http(config)\n}}\n",
            ctor.join(", "),
            calls(&needed)
        );
        optional.splice(0..0, needed);
        let _ = writeln!(
            src,
            "fn {fname}_full(config: &Config) -> Result<http::Request<Vec<u8>>, Error> {{\n    {path}::new({}){}.to_http(config)\n}}\n",
            ctor.join(", "),
            calls(&optional)
        );
        let _ = writeln!(
            src,
            "fn {fname}_parse(response: http::Response<Vec<u8>>) -> Result<(), Error> {{\n    {path}::parse(response).map(drop)\n}}\n"
        );
        let _ = writeln!(
            table,
            "    Case {{ id: {:?}, tag: {:?}, minimal: {fname}_minimal, full: {fname}_full, parse: {fname}_parse }},",
            op.id, op.tag
        );
    }
    let _ = write!(
        src,
        "/// Every operation of the spec.\npub const CASES: &[Case] = &[\n{table}];\n"
    );
    files.insert("tests/src/generated/conformance.rs".into(), src);
    files.insert(
        "tests/src/generated/mod.rs".into(),
        format!("{HEADER}//! Test inputs generated from the specs by clerk-codegen.\n\npub mod conformance;\npub mod webhook_events;\n"),
    );
}

/// The constructor arguments and the optional setter calls of `op`, as Rust expressions.
#[allow(clippy::type_complexity)]
fn inputs(
    spec: &Value,
    raw: &Value,
    op: &Op,
) -> (Vec<String>, Vec<(String, String)>, Vec<(String, String)>) {
    let mut params: BTreeMap<String, Value> = BTreeMap::new();
    for p in raw["parameters"].as_array().into_iter().flatten() {
        let p = deref(spec, p);
        let name = p["name"].as_str().unwrap_or_default().to_owned();
        let mut schema = p["schema"].clone();
        if let (Some(example), Some(obj)) = (p.get("example"), schema.as_object_mut()) {
            obj.entry("example").or_insert_with(|| example.clone());
        }
        params.insert(name, schema);
    }
    let body_schema = {
        let rb = deref(spec, &raw["requestBody"]);
        let content = &rb["content"];
        let s = if content.get("application/json").is_some() {
            &content["application/json"]["schema"]
        } else {
            &content["multipart/form-data"]["schema"]
        };
        deref(spec, s).clone()
    };
    // `anyOf: [{required: [a]}, {required: [b]}]` on a body: the first alternative's fields are
    // needed even in the required-only request.
    let one_of_required: Vec<String> = body_schema["anyOf"][0]["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    let mut ctor = Vec::new();
    let mut optional = Vec::new();
    let mut needed = Vec::new();
    for p in op.path_params.iter().chain(op.query.iter()) {
        let schema = params.get(&p.wire).cloned().unwrap_or(Value::Null);
        let value = sample(spec, &schema, &p.wire, 0);
        let e = expr(&p.ty, &value);
        if p.required {
            ctor.push(e);
        } else {
            optional.push((p.rust.clone(), e));
        }
    }
    let member = |f: &crate::ir::Field| {
        let schema = &body_schema["properties"][&f.wire];
        expr(&f.ty, &sample(spec, schema, &f.wire, 0))
    };
    let in_ctor = op.body.constructor_members();
    ctor.extend(in_ctor.iter().map(|f| member(f)));
    match &op.body {
        Body::Object(fields) | Body::Multipart(fields) => {
            for f in fields {
                if in_ctor.iter().any(|c| c.wire == f.wire) {
                    continue;
                }
                let e = member(f);
                if one_of_required.contains(&f.wire) {
                    needed.push((f.rust.clone(), e));
                } else {
                    optional.push((f.rust.clone(), e));
                }
            }
        }
        Body::Array(item) => {
            let value = sample(spec, &body_schema, "items", 0);
            ctor.push(expr(&Ty::Vec(Box::new(item.clone())), &value));
        }
        Body::Value => ctor.push(expr(&Ty::Json, &sample(spec, &body_schema, "body", 0))),
        Body::None => {}
    }
    (ctor, needed, optional)
}

/// A Rust expression of type `ty` holding `value`.
fn expr(ty: &Ty, value: &Value) -> String {
    let external = |t: &Ty| {
        t.rust()
            .replace("crate::models::", "clerk_backend_core::models::")
            .replace("crate::FilePart", "clerk_backend_core::FilePart")
    };
    match ty {
        Ty::Str => format!("{:?}", value.as_str().map_or_else(|| value.to_string(), str::to_owned)),
        Ty::Int => format!("{}_i64", value.as_i64().unwrap_or(1)),
        Ty::Num => format!("{:?}_f64", value.as_f64().unwrap_or(1.5)),
        Ty::Bool => format!("{}", value.as_bool().unwrap_or(true)),
        Ty::Binary => "clerk_backend_core::FilePart::new(b\"\\x89PNG\\r\\n\\x1a\\n sample\".to_vec()).filename(\"logo.png\").content_type(\"image/png\")".into(),
        Ty::Vec(inner) if **inner == Ty::Str => {
            let items: Vec<String> = value.as_array().into_iter().flatten().map(|v| expr(&Ty::Str, v)).collect();
            format!("[{}]", items.join(", "))
        }
        Ty::Map | Ty::Json => format!("v::<serde_json::Value>(r#\"{value}\"#)"),
        other => format!("v::<{}>(r#\"{value}\"#)", external(other)),
    }
}

//! Sample response bodies built from the vendored spec: for every operation's success schema,
//! one with every field, one with only the required ones, one with `null` wherever allowed and
//! one with unknown fields and enum values (the conformance and malformed-input tests use them).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

/// Which sample body of a schema to build.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// Every field (and, for unions, the last variant).
    Full,
    /// Only the required fields.
    Required,
    /// `null` wherever the spec allows it.
    Nulls,
    /// Unknown extra fields and unknown enum values everywhere.
    Unknown,
}

/// The four modes, in order.
pub const MODES: [Mode; 4] = [Mode::Full, Mode::Required, Mode::Nulls, Mode::Unknown];

/// The vendored Backend API spec, as JSON.
pub struct Spec(pub Value);

impl Spec {
    /// Loads the vendored spec (`spec/bapi-<version>.yml`, included by the generated
    /// [`crate::generated::spec`]).
    pub fn load() -> Self {
        let text = crate::generated::spec::SPEC_YAML;
        Self(serde_yaml::from_str(text).expect("spec"))
    }

    /// Follows `$ref`s to the schema (or response) they name.
    pub fn deref<'a>(&'a self, mut v: &'a Value) -> &'a Value {
        while let Some(r) = v.get("$ref").and_then(Value::as_str) {
            let name = r.rsplit('/').next().unwrap_or_default();
            let kind = r.split('/').nth(2).unwrap_or("schemas");
            v = &self.0["components"][kind][name];
        }
        v
    }

    /// Operation id → its 2xx JSON response schema (operations with an empty answer are absent).
    pub fn response_schemas(&self) -> BTreeMap<String, &Value> {
        let mut out = BTreeMap::new();
        for item in self.0["paths"].as_object().expect("paths").values() {
            for op in item.as_object().expect("path item").values() {
                let Some(id) = op["operationId"].as_str() else {
                    continue;
                };
                let Some((_, resp)) = op["responses"]
                    .as_object()
                    .and_then(|r| r.iter().find(|(c, _)| c.starts_with('2')))
                else {
                    continue;
                };
                let schema = &self.deref(resp)["content"]["application/json"]["schema"];
                if !schema.is_null() {
                    out.insert(id.to_owned(), schema);
                }
            }
        }
        out
    }

    /// A sample value of `schema` in `mode`, `depth` levels below the response body.
    pub fn sample(&self, schema: &Value, mode: Mode, depth: usize) -> Value {
        let schema = self.deref(schema);
        if depth > 7 {
            return Value::Null;
        }
        if mode == Mode::Nulls && schema["nullable"] == true && depth > 0 {
            return Value::Null;
        }
        if let Some(values) = schema["enum"].as_array() {
            if mode == Mode::Unknown && values.len() > 1 {
                return json!("a_value_from_the_future");
            }
            return values.first().cloned().unwrap_or(Value::Null);
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(list) = schema[key].as_array() {
                let shaping: Vec<&Value> = list
                    .iter()
                    .filter(|m| {
                        m.get("required").is_none()
                            || m.get("properties").is_some()
                            || m.get("$ref").is_some()
                    })
                    .collect();
                if key == "allOf" && shaping.len() > 1 {
                    let mut merged = Map::new();
                    for m in shaping {
                        if let Value::Object(o) = self.sample(m, mode, depth + 1) {
                            merged.extend(o);
                        }
                    }
                    return Value::Object(merged);
                }
                if let Some(first) = shaping.first() {
                    // Unions: the last variant too, so not only the first is exercised.
                    let pick = if mode == Mode::Full {
                        shaping.last().unwrap_or(first)
                    } else {
                        first
                    };
                    return self.sample(pick, mode, depth + 1);
                }
            }
        }
        match schema["type"].as_str() {
            Some("string") => json!("sample"),
            Some("integer") => json!(1_700_000_000_000_i64),
            // An integral number: valid for `type: number`, and what the API sends for the counts
            // the spec types as `number` (see spec/overlay.yml).
            Some("number") => json!(2),
            Some("boolean") => json!(true),
            Some("array") => {
                let item = self.sample(&schema["items"], mode, depth + 1);
                if item.is_null() {
                    json!([])
                } else {
                    json!([item])
                }
            }
            _ => {
                let required: Vec<&str> = schema["required"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                let mut out = Map::new();
                for (name, prop) in schema["properties"].as_object().into_iter().flatten() {
                    if mode == Mode::Required && !required.contains(&name.as_str()) {
                        continue;
                    }
                    out.insert(name.clone(), self.sample(prop, mode, depth + 1));
                }
                if mode == Mode::Unknown {
                    out.insert(
                        "field_added_next_year".into(),
                        json!({"nested": [1, "two", null]}),
                    );
                }
                Value::Object(out)
            }
        }
    }
}

//! Realistic sample values for request inputs, derived from a schema: its `example` when it has
//! one, else a value that satisfies its type, format, enum, bounds and (simple) pattern.

use serde_json::{Value, json};

use crate::resolve::deref;

/// A sample for `schema` (refs resolved through `spec`). `name` is the property or parameter
/// name, used to pick a plausible string.
pub fn sample(spec: &Value, schema: &Value, name: &str, depth: usize) -> Value {
    let schema = deref(spec, schema);
    if depth > 6 {
        return Value::Null;
    }
    if let Some(example) = schema.get("example")
        && !example.is_null()
        && fits(schema, example)
    {
        return example.clone();
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(list) = schema.get(key).and_then(Value::as_array) {
            let shaping: Vec<&Value> = list
                .iter()
                .filter(|m| {
                    m.get("required").is_none()
                        || m.get("properties").is_some()
                        || m.get("$ref").is_some()
                })
                .collect();
            if key == "allOf" && shaping.len() > 1 {
                let mut merged = serde_json::Map::new();
                for m in shaping {
                    if let Value::Object(o) = sample(spec, m, name, depth + 1) {
                        merged.extend(o);
                    }
                }
                return Value::Object(merged);
            }
            if let Some(first) = shaping.first() {
                return sample(spec, first, name, depth + 1);
            }
        }
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => Value::String(string(schema, name)),
        Some("integer") => {
            let min = schema.get("minimum").and_then(Value::as_i64).unwrap_or(1);
            let max = schema
                .get("maximum")
                .and_then(Value::as_i64)
                .unwrap_or(i64::MAX);
            json!(min.max(1).min(max))
        }
        Some("number") => json!(schema.get("minimum").and_then(Value::as_f64).unwrap_or(1.5)),
        Some("boolean") => json!(true),
        Some("array") => {
            let items = schema.get("items").unwrap_or(&Value::Null);
            let n = schema
                .get("minItems")
                .and_then(Value::as_u64)
                .unwrap_or(1)
                .max(1);
            Value::Array(
                (0..n)
                    .map(|_| sample(spec, items, name, depth + 1))
                    .collect(),
            )
        }
        _ => match schema.get("properties").and_then(Value::as_object) {
            Some(props) => Value::Object(
                props
                    .iter()
                    .filter(|(_, p)| !p.get("readOnly").and_then(Value::as_bool).unwrap_or(false))
                    .map(|(k, p)| (k.clone(), sample(spec, p, k, depth + 1)))
                    .filter(|(_, v)| !v.is_null())
                    .collect(),
            ),
            None => match schema.get("additionalProperties") {
                Some(inner)
                    if inner.is_object() && inner.as_object().is_some_and(|o| !o.is_empty()) =>
                {
                    json!({ "plan": sample(spec, inner, "plan", depth + 1) })
                }
                _ => json!({"source": "clerk-backend-rs", "tier": 2}),
            },
        },
    }
}

fn fits(schema: &Value, example: &Value) -> bool {
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => example.is_string(),
        Some("integer") => example.is_i64() || example.is_u64(),
        Some("number") => example.is_number(),
        Some("boolean") => example.is_boolean(),
        Some("array") => example.is_array(),
        Some("object") => example.is_object(),
        _ => true,
    }
}

fn string(schema: &Value, name: &str) -> String {
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        return from_pattern(pattern);
    }
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = schema
        .get("maxLength")
        .and_then(Value::as_u64)
        .map_or(usize::MAX, |m| m as usize);
    let base = match schema.get("format").and_then(Value::as_str) {
        Some("email") => "ada@example.com".to_owned(),
        Some("uri" | "url") => "https://example.com/callback".to_owned(),
        Some("date-time") => "2026-05-12T10:00:00Z".to_owned(),
        Some("date") => "2026-05-12".to_owned(),
        Some("uuid") => "123e4567-e89b-12d3-a456-426614174000".to_owned(),
        _ => {
            let n = name.to_ascii_lowercase();
            if n.contains("email") {
                "ada@example.com".to_owned()
            } else if n.contains("phone") {
                "+15555550100".to_owned()
            } else if n.contains("url") || n.contains("redirect") || n.contains("origin") {
                "https://example.com/callback".to_owned()
            } else if n.ends_with("_at") {
                "2026-05-12T10:00:00Z".to_owned()
            } else if n.ends_with("id") {
                format!(
                    "{}_2abcdefghijklmnopqrstuvwxyz",
                    n.trim_end_matches("_id").trim_end_matches("id")
                )
            } else {
                format!("sample_{n}")
            }
        }
    };
    let mut s = base;
    while s.len() < min {
        s.push('x');
    }
    if s.len() > max {
        s.truncate(max.max(1));
    }
    s
}

/// A string matching a simple regular expression: literals, `[...]` classes, `\w \d \S .`,
/// groups with alternatives (the first is taken) and quantifiers (`? * +` once, `{n}` n times).
pub fn from_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut pos = 0;
    sequence(&chars, &mut pos)
}

fn sequence(c: &[char], pos: &mut usize) -> String {
    let mut out = String::new();
    while *pos < c.len() {
        let ch = c[*pos];
        if ch == ')' || ch == '|' {
            break;
        }
        *pos += 1;
        let atom: String = match ch {
            '^' | '$' => continue,
            '(' => {
                if c.get(*pos) == Some(&'?') && c.get(*pos + 1) == Some(&':') {
                    *pos += 2;
                }
                let first = sequence(c, pos);
                let mut depth = 0;
                while *pos < c.len() {
                    match c[*pos] {
                        '(' => depth += 1,
                        ')' if depth == 0 => break,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    *pos += 1;
                }
                *pos += 1;
                first
            }
            '[' => {
                let negated = c.get(*pos) == Some(&'^');
                if negated {
                    *pos += 1;
                }
                let start = *pos;
                while *pos < c.len() && c[*pos] != ']' {
                    *pos += 1;
                }
                let class: String = c[start..*pos].iter().collect();
                *pos += 1;
                if negated {
                    "a".into()
                } else {
                    class.chars().next().map(String::from).unwrap_or_default()
                }
            }
            '\\' => {
                let e = c.get(*pos).copied().unwrap_or('a');
                *pos += 1;
                match e {
                    'w' | 'S' => "a".into(),
                    'd' => "1".into(),
                    's' => " ".into(),
                    other => other.to_string(),
                }
            }
            '.' => "a".into(),
            other => other.to_string(),
        };
        let times = match c.get(*pos) {
            Some('?' | '*' | '+') => {
                *pos += 1;
                1
            }
            Some('{') => {
                let start = *pos + 1;
                while *pos < c.len() && c[*pos] != '}' {
                    *pos += 1;
                }
                let inner: String = c[start..*pos].iter().collect();
                *pos += 1;
                inner
                    .split(',')
                    .next()
                    .and_then(|n| n.trim().parse().ok())
                    .unwrap_or(1)
            }
            _ => 1,
        };
        for _ in 0..times {
            out.push_str(&atom);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::from_pattern;

    #[test]
    fn patterns() {
        assert_eq!(
            from_pattern("^org_\\w{27}$"),
            format!("org_{}", "a".repeat(27))
        );
        assert_eq!(
            from_pattern("^(user|org|mch|scim)_\\w{27}$"),
            format!("user_{}", "a".repeat(27))
        );
        assert_eq!(from_pattern("^[A-Z]{2}$"), "AA");
        assert_eq!(
            from_pattern("^(ak|api_key)_[0-9A-Fa-f]{32}$"),
            format!("ak_{}", "0".repeat(32))
        );
        assert_eq!(from_pattern("^(\\S(.*\\S)?)?$"), "aaa");
        assert_eq!(from_pattern("^[^_][A-Za-z0-9_-]*$"), "aA");
    }
}

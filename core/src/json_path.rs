//! The JSON path (`data[3].email_addresses[0].verification`) at a byte position of a JSON text.
//!
//! A response is decoded with plain `serde_json` (no path tracking on the hot path); only when
//! decoding fails is the body scanned once, up to the position `serde_json` reports, to name the
//! path that failed. The scanner is not generic, so it adds no code per model type, and it never
//! panics on any input: it reads bytes with bounds-checked accessors and stops at the position or
//! at the end of the text, whichever comes first.

/// One open container on the way to the position.
enum Frame {
    /// An object, with the last key read in it (raw, as written between the quotes).
    Object { key: Option<String>, want_key: bool },
    /// An array, with the index of the element being read.
    Array { index: usize },
}

/// The JSON path of the value `text` failed to decode at, from the position in `error`.
pub(crate) fn path_of(text: &[u8], error: &serde_json::Error) -> String {
    path_at(text, offset_of(text, error.line(), error.column()))
}

/// The byte offset of a 1-based `line` and `column` (as `serde_json::Error` reports them) in
/// `text`, clamped to its length.
fn offset_of(text: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    let mut lines_left = line.saturating_sub(1);
    while lines_left > 0 {
        match text
            .get(start..)
            .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        {
            Some(newline) => start += newline + 1,
            None => return text.len(),
        }
        lines_left -= 1;
    }
    start.saturating_add(column).min(text.len())
}

/// The path of the value being read at byte `offset` of `text`, in the form `items[1].n`; `.`
/// for the top-level value.
pub(crate) fn path_at(text: &[u8], offset: usize) -> String {
    let end = offset.min(text.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < end {
        let Some(&byte) = text.get(i) else { break };
        match byte {
            b'{' => stack.push(Frame::Object {
                key: None,
                want_key: true,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b':' => {
                if let Some(Frame::Object { want_key, .. }) = stack.last_mut() {
                    *want_key = false;
                }
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { want_key, .. }) => *want_key = true,
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            b'"' => {
                let close = string_end(text, i + 1);
                if let Some(Frame::Object {
                    key,
                    want_key: true,
                }) = stack.last_mut()
                {
                    let raw = text.get(i + 1..close.min(end)).unwrap_or_default();
                    *key = Some(String::from_utf8_lossy(raw).into_owned());
                }
                i = close;
            }
            _ => {}
        }
        i += 1;
    }
    render(&stack)
}

/// The index of the closing quote of a string whose content starts at `from` (or the end of
/// `text` for an unterminated string).
fn string_end(text: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(&b) = text.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    text.len()
}

fn render(stack: &[Frame]) -> String {
    let mut path = String::new();
    for frame in stack {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Array { index } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
            Frame::Object { key: None, .. } => {}
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(dead_code)]
    #[derive(serde::Deserialize, Debug)]
    struct Outer {
        #[serde(default)]
        items: Vec<Item>,
        #[serde(default)]
        nested: Option<Inner>,
        #[serde(default)]
        grid: Vec<Vec<i64>>,
        #[serde(default)]
        name: String,
        #[serde(default)]
        tags: std::collections::BTreeMap<String, Vec<bool>>,
    }

    #[allow(dead_code)]
    #[derive(serde::Deserialize, Debug)]
    struct Item {
        n: i64,
        #[serde(default)]
        label: Option<String>,
    }

    #[allow(dead_code)]
    #[derive(serde::Deserialize, Debug)]
    struct Inner {
        #[serde(default)]
        deeper: Vec<Item>,
        #[serde(default)]
        flag: bool,
    }

    #[test]
    fn agrees_with_path_tracking_on_type_errors() {
        let cases = [
            r#"{"items":[{"n":1},{"n":"two"}]}"#,
            r#"{"items":[{"n":1,"label":"a"},{"n":2,"label":7}]}"#,
            r#"{"name":"x","nested":{"flag":true,"deeper":[{"n":1},{"n":2},{"n":true}]}}"#,
            r#"{"grid":[[1,2],[3,"four"]]}"#,
            r#"{"grid":[[1,2],[3,4],["x"]]}"#,
            r#"{"tags":{"a":[true],"b c":[false,1]}}"#,
            r#"{"items":[{"n":1}],"name":12}"#,
            r#"{"nested":{"flag":"yes"}}"#,
            r#"{"items":{"n":1}}"#,
            r#"{"items":[{"n":1},{"n":{"deep":[1,2]}}]}"#,
            "{\n  \"items\": [\n    {\"n\": 1},\n    {\"n\": 2.5}\n  ]\n}",
            r#"{"items":[{"n":1},{"n":2,"label":"q\"uo,te"},{"n":"3"}]}"#,
            r#"{"name":"a{b[c","items":[{"n":false}]}"#,
        ];
        for body in cases {
            let (ours, tracked) = compare::<Outer>(body).expect("a failure of the data");
            assert_eq!(ours, tracked, "for {body}");
        }
    }

    #[test]
    fn names_where_a_truncated_or_broken_body_stops() {
        let body = br#"{"items":[{"n":1},{"n":2,"lab"#;
        let err = serde_json::from_slice::<Outer>(body).unwrap_err();
        assert_eq!(path_of(body, &err), "items[1].lab");
        assert_eq!(path_at(b"", 0), ".");
        assert_eq!(path_at(b"<html>", 3), ".");
    }

    #[test]
    fn offsets_count_lines_and_clamp() {
        let text = b"ab\ncd\nef";
        assert_eq!(offset_of(text, 1, 1), 1);
        assert_eq!(offset_of(text, 2, 2), 5);
        assert_eq!(offset_of(text, 9, 9), text.len());
        assert_eq!(offset_of(text, 0, 0), 0);
    }

    #[test]
    fn never_panics_on_odd_bytes() {
        for text in [
            &b"\"\\"[..],
            b"[[[[",
            b"}}]]",
            b"{\"a\":\"\\",
            b"\xff\xfe{\"\xff\":1",
            b",,,:",
        ] {
            for offset in 0..=text.len() + 2 {
                let _ = path_at(text, offset);
            }
        }
    }

    /// Object keys: short random ones, and the field names of `Outer` and the types in it.
    fn key() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        const FIELDS: [&str; 9] = [
            "items", "n", "label", "nested", "deeper", "flag", "grid", "name", "tags",
        ];
        prop_oneof![
            "[a-z]{1,3}",
            proptest::sample::select(&FIELDS[..]).prop_map(str::to_owned),
        ]
    }

    /// Random JSON values (strings full of the scanner's structural characters).
    fn json() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            "[a-z\"\\\\{}\\[\\],: ]{0,4}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 40, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                proptest::collection::btree_map(key(), inner, 0..4)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// The scanner's path and the path-tracking decoder's path for `text` decoded as `T`, for a
    /// failure of the data (a value of the wrong type, a missing field). `None` when it decodes,
    /// or for a syntax failure (there the scanner names the value where the text broke, such as
    /// the extra element of an array read as a struct, one level deeper than path tracking).
    fn compare<T: serde::de::DeserializeOwned>(text: &str) -> Option<(String, String)> {
        let err = serde_json::from_str::<T>(text).err()?;
        if !err.is_data() {
            return None;
        }
        let ours = path_of(text.as_bytes(), &err);
        let mut de = serde_json::Deserializer::from_str(text);
        let tracked = match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Err(e) => e.path().to_string(),
            Ok(_) => ".".to_owned(),
        };
        Some((ours, tracked))
    }

    type Nested =
        std::collections::BTreeMap<String, Vec<std::collections::BTreeMap<String, Option<i64>>>>;

    proptest::proptest! {
        #[test]
        fn agrees_with_path_tracking_on_random_documents(value in json(), pretty in proptest::bool::ANY) {
            let text = if pretty {
                serde_json::to_string_pretty(&value).unwrap_or_default()
            } else {
                value.to_string()
            };
            for found in [
                compare::<Nested>(&text),
                compare::<Vec<Vec<bool>>>(&text),
                compare::<Outer>(&text),
            ]
            .into_iter()
            .flatten()
            {
                proptest::prop_assert_eq!(&found.0, &found.1, "for {}", text);
            }
        }

        #[test]
        fn never_panics_on_any_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64), offset in 0usize..80) {
            let _ = path_at(&bytes, offset);
            let _ = offset_of(&bytes, offset / 8, offset);
        }
    }
}

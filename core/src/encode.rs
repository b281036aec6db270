//! Encoders for the parts of a request: path segments, query strings, nullable JSON fields and
//! multipart/form-data bodies.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Serialize, Serializer};

use crate::error::InvalidInput;

/// Everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`) is percent-encoded,
/// in path segments and in query keys and values alike.
const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Encodes `value` as exactly one path segment.
///
/// Every byte outside the unreserved set is percent-encoded, so `/`, `?`, `#` and `%` cannot
/// change the path. An empty value is refused, and so is any value that, percent-decoded
/// again and again (`%252e` → `%2e` → `.`), has a `.` or `..` piece between `/` or `\`
/// separators (`..`, `a/../b`, `%2e%2e`, `..\`): encoded once it is harmless here, but a proxy
/// that decodes paths could be led to another endpoint.
///
/// # Errors
/// [`InvalidInput`] naming `parameter` when the value is empty or has a dot segment.
pub fn encode_path_segment(parameter: &'static str, value: &str) -> Result<String, InvalidInput> {
    if value.is_empty() {
        return Err(InvalidInput::new(parameter, "must not be empty"));
    }
    if has_dot_segment(value) {
        return Err(InvalidInput::new(
            parameter,
            "must not hold a `.` or `..` path segment, in any percent-encoding",
        ));
    }
    Ok(utf8_percent_encode(value, STRICT).to_string())
}

/// Whether `value`, or any of its repeated percent-decodings, has a `.` or `..` piece when
/// split on `/` and `\`.
fn has_dot_segment(value: &str) -> bool {
    let mut current = value.as_bytes().to_vec();
    // Each decoding shortens the value, so this ends; the bound only caps the work.
    for _ in 0..=value.len() {
        if current
            .split(|b| *b == b'/' || *b == b'\\')
            .any(|piece| piece == b"." || piece == b"..")
        {
            return true;
        }
        let decoded: Vec<u8> = percent_encoding::percent_decode(&current).collect();
        if decoded == current {
            return false;
        }
        current = decoded;
    }
    false
}

/// Refuses a free-form body field (metadata) that is set but is not a JSON object.
///
/// # Errors
/// [`InvalidInput`] naming `parameter` when `value` is present and not an object.
// Only generated operations call it: with no API group enabled nothing does.
#[cfg_attr(not(feature = "all-apis"), allow(dead_code))]
pub(crate) fn require_object(
    parameter: &'static str,
    value: Option<&serde_json::Value>,
) -> Result<(), InvalidInput> {
    match value {
        Some(v) if !v.is_object() => Err(InvalidInput::new(
            parameter,
            format!("must be a JSON object, not {}", json_kind(v)),
        )),
        _ => Ok(()),
    }
}

#[cfg_attr(not(feature = "all-apis"), allow(dead_code))]
fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// A query string under construction, encoded as it is written.
///
/// Arrays repeat the key (`?a=1&a=2`) unless written with [`Query::push_csv`] (`?a=1,2`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Query {
    encoded: String,
}

impl Query {
    /// An empty query.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `key=value`.
    pub fn push(&mut self, key: &str, value: impl fmt::Display) -> &mut Self {
        if !self.encoded.is_empty() {
            self.encoded.push('&');
        }
        self.encoded.extend(utf8_percent_encode(key, STRICT));
        self.encoded.push('=');
        let value = value.to_string();
        self.encoded.extend(utf8_percent_encode(&value, STRICT));
        self
    }

    /// Appends `key=value` when `value` is `Some`.
    pub fn push_opt<T: fmt::Display>(&mut self, key: &str, value: Option<T>) -> &mut Self {
        if let Some(value) = value {
            self.push(key, value);
        }
        self
    }

    /// Appends `key=v` once per element (the spec's `style: form, explode: true`).
    pub fn push_each<T: fmt::Display>(
        &mut self,
        key: &str,
        values: impl IntoIterator<Item = T>,
    ) -> &mut Self {
        for value in values {
            self.push(key, value);
        }
        self
    }

    /// Appends `key=v1,v2,…` with each element encoded and the commas literal
    /// (`style: form, explode: false`). Nothing is written for an empty list.
    pub fn push_csv<T: fmt::Display>(
        &mut self,
        key: &str,
        values: impl IntoIterator<Item = T>,
    ) -> &mut Self {
        let mut first = true;
        for value in values {
            if first {
                if !self.encoded.is_empty() {
                    self.encoded.push('&');
                }
                self.encoded.extend(utf8_percent_encode(key, STRICT));
                self.encoded.push('=');
                first = false;
            } else {
                self.encoded.push(',');
            }
            let value = value.to_string();
            self.encoded.extend(utf8_percent_encode(&value, STRICT));
        }
        self
    }

    /// The encoded query, without the leading `?`.
    pub fn as_str(&self) -> &str {
        &self.encoded
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.encoded.is_empty()
    }
}

/// A request-body value that can be sent as JSON `null`.
///
/// Request fields are `Option<Nullable<T>>`: `None` leaves the field out of the body (the server
/// keeps what it has), `Some(Nullable::Null)` sends `null` (the server clears it), and
/// `Some(Nullable::Value(v))` sends `v`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// Send JSON `null`.
    Null,
    /// Send this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// The value, unless this is `Null`.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Null => None,
            Self::Value(v) => Some(v),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    /// `Nullable::Value(value)`, so `Some(value.into())` fills an `Option<Nullable<T>>` field.
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Null => s.serialize_none(),
            Self::Value(v) => v.serialize(s),
        }
    }
}

/// A request value the spec types `number`, as the operation types store it.
///
/// A whole value within ±2⁵³ (where every integer is exact) is written as a JSON integer
/// (`60`, never `60.0`): Clerk's API decodes many of its numbers into integers and refuses
/// `60.0` there, and a whole value means the same either way. A fractional value is written
/// as it is; NaN and the infinities, which JSON cannot hold, are refused when the body is
/// built instead of going out as `null`. In a query or a path, `Display` writes the same digits.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
// Only generated operations use it, and the spec at hand types every request number as an
// integer already (see spec/overlay.yml); it stays for the next spec that does not.
#[allow(dead_code)]
pub(crate) struct Number(pub(crate) f64);

/// The largest magnitude below which every integer is an exact `f64`.
const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0; // 2^53

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let value = self.0;
        if !value.is_finite() {
            return Err(serde::ser::Error::custom(
                "a number must be finite (NaN and infinities cannot be sent as JSON)",
            ));
        }
        if value.fract() == 0.0 && value.abs() <= EXACT_INTEGERS {
            // Exact: |value| <= 2^53 fits in an i64 and has no fractional part.
            return s.serialize_i64(value as i64);
        }
        s.serialize_f64(value)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `f64`'s `Display` already writes whole values without a fraction (`60`).
        fmt::Display::fmt(&self.0, f)
    }
}

/// A file to upload in a multipart/form-data body.
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    bytes: Vec<u8>,
    filename: String,
    content_type: String,
}

impl FilePart {
    /// A file with the given content, named `file` and typed `application/octet-stream` until
    /// set otherwise.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            bytes: bytes.into(),
            filename: "file".to_owned(),
            content_type: "application/octet-stream".to_owned(),
        }
    }

    /// Sets the file name sent to the server.
    #[must_use]
    pub fn filename(mut self, filename: impl Into<String>) -> Self {
        self.filename = filename.into();
        self
    }

    /// Sets the media type (`image/png`, …).
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// The file's content.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// A multipart/form-data body under construction.
///
/// The boundary is chosen so that it occurs in no part, deterministically (no randomness, no
/// clock), so the same input always encodes to the same bytes.
#[derive(Debug, Default, Clone)]
pub struct Multipart {
    parts: Vec<(String, Part)>,
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    File(FilePart),
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    #[must_use]
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push((name.into(), Part::Text(value.into())));
        self
    }

    /// Adds a file field.
    #[must_use]
    pub fn file(mut self, name: impl Into<String>, file: FilePart) -> Self {
        self.parts.push((name.into(), Part::File(file)));
        self
    }

    /// Encodes the form; returns the `Content-Type` header value and the body.
    pub fn encode(&self) -> (String, Vec<u8>) {
        let boundary = self.boundary();
        let mut body = Vec::with_capacity(self.parts.iter().map(|(_, p)| p.len() + 160).sum());
        for (name, part) in &self.parts {
            body.extend_from_slice(b"--");
            body.extend_from_slice(boundary.as_bytes());
            body.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
            body.extend_from_slice(quote(name).as_bytes());
            body.push(b'"');
            match part {
                Part::Text(text) => {
                    body.extend_from_slice(b"\r\n\r\n");
                    body.extend_from_slice(text.as_bytes());
                }
                Part::File(file) => {
                    body.extend_from_slice(b"; filename=\"");
                    body.extend_from_slice(quote(&file.filename).as_bytes());
                    body.extend_from_slice(b"\"\r\nContent-Type: ");
                    body.extend_from_slice(header_safe(&file.content_type).as_bytes());
                    body.extend_from_slice(b"\r\n\r\n");
                    body.extend_from_slice(&file.bytes);
                }
            }
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"--");
        body.extend_from_slice(boundary.as_bytes());
        body.extend_from_slice(b"--\r\n");
        (format!("multipart/form-data; boundary={boundary}"), body)
    }

    fn boundary(&self) -> String {
        let mut n: u64 = 0;
        loop {
            let candidate = format!("clerk-backend-boundary-{n:016x}");
            let clashes = self.parts.iter().any(|(_, part)| match part {
                Part::Text(t) => contains(t.as_bytes(), candidate.as_bytes()),
                Part::File(f) => contains(&f.bytes, candidate.as_bytes()),
            });
            if !clashes {
                return candidate;
            }
            // A fixed odd multiplier walks all u64 values; a handful of steps always suffices
            // because each step changes the boundary text.
            n = n.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
}

impl Part {
    fn len(&self) -> usize {
        match self {
            Self::Text(t) => t.len(),
            Self::File(f) => f.bytes.len(),
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Escapes a value for a quoted `Content-Disposition` parameter (WHATWG form encoding).
fn quote(value: &str) -> String {
    value
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .replace('"', "%22")
}

fn header_safe(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segment_refuses_dot_segments_and_empty() {
        for bad in ["", ".", ".."] {
            let err = encode_path_segment("user_id", bad).unwrap_err();
            assert_eq!(err.parameter, "user_id");
        }
        assert_eq!(
            encode_path_segment("id", "a/b?c#d%e").unwrap(),
            "a%2Fb%3Fc%23d%25e"
        );
        assert_eq!(encode_path_segment("id", "...").unwrap(), "...");
        assert_eq!(encode_path_segment("id", "é").unwrap(), "%C3%A9");
    }

    #[test]
    fn query_repeats_or_joins() {
        let mut q = Query::new();
        q.push_each("email_address", ["a@x.io", "b+c@x.io"])
            .push_opt("limit", Some(10));
        q.push_csv("mode", ["a,b", "c"])
            .push_csv("empty", Vec::<String>::new());
        assert_eq!(
            q.as_str(),
            "email_address=a%40x.io&email_address=b%2Bc%40x.io&limit=10&mode=a%2Cb,c"
        );
    }

    #[test]
    fn nullable_serializes_null_or_value() {
        #[derive(Serialize)]
        struct Body {
            #[serde(skip_serializing_if = "Option::is_none")]
            a: Option<Nullable<String>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            b: Option<Nullable<String>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            c: Option<Nullable<String>>,
        }
        let body = Body {
            a: None,
            b: Some(Nullable::Null),
            c: Some(Nullable::Value("x".into())),
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"b":null,"c":"x"}"#
        );
    }

    #[test]
    fn multipart_boundary_avoids_content() {
        let evil = b"--clerk-backend-boundary-0000000000000000\r\n".to_vec();
        let form = Multipart::new().file(
            "file",
            FilePart::new(evil.clone())
                .filename("a\"b.png")
                .content_type("image/png"),
        );
        let (content_type, body) = form.encode();
        let boundary = content_type.split("boundary=").nth(1).unwrap();
        assert_ne!(boundary, "clerk-backend-boundary-0000000000000000");
        assert!(contains(&body, &evil));
        assert!(contains(&body, b"filename=\"a%22b.png\""));
        assert!(body.ends_with(format!("--{boundary}--\r\n").as_bytes()));
    }

    #[test]
    fn whole_numbers_go_out_as_integers() {
        let json = |n: f64| serde_json::to_string(&Number(n)).unwrap();
        assert_eq!(json(60.0), "60");
        assert_eq!(json(0.0), "0");
        assert_eq!(json(-0.0), "0");
        assert_eq!(json(-3600.0), "-3600");
        assert_eq!(json(9_007_199_254_740_992.0), "9007199254740992");
        assert_eq!(json(1.5), "1.5");
        // Beyond 2^53 a float is not an exact integer: it stays a float.
        assert_eq!(json(1e300), "1e+300");
        let field = Some(Nullable::Value(Number(60.0)));
        assert_eq!(serde_json::to_string(&field).unwrap(), "60");
        assert_eq!(Number(60.0).to_string(), "60");
    }

    #[test]
    fn non_finite_numbers_are_refused_not_sent_as_null() {
        for n in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let err = crate::Body::json(&[Number(n)]).unwrap_err();
            assert!(matches!(err, crate::Error::InvalidInput(_)), "{err:?}");
        }
    }
}

#[cfg(test)]
mod dot_segment_tests {
    use super::*;

    #[test]
    fn dot_segments_in_any_encoding_are_refused() {
        for bad in [
            ".",
            "..",
            "%2e",
            "%2E%2e",
            "%252e%252e",
            "%25252e",
            "..\\",
            "a/../b",
            "a\\..\\b",
            "a/./b",
            "./a",
            "a/..",
            "%2e%2e%2fusers",
            "x/%2e%2e",
            "%2e%2e%5c",
        ] {
            assert!(
                encode_path_segment("user_id", bad).is_err(),
                "{bad:?} accepted"
            );
        }
    }

    #[test]
    fn ordinary_ids_with_dots_pass() {
        for good in [
            "user_2abc",
            "a.b",
            "...",
            "a..b",
            ".a",
            "a.",
            "%2e%2e%2e",
            "a/b",
            "100%",
        ] {
            assert!(
                encode_path_segment("user_id", good).is_ok(),
                "{good:?} refused"
            );
        }
    }
}

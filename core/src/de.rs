//! Serde helpers shared by the models: tolerant field decoding and tagged-union plumbing.
//!
//! These are public only because generated code in this crate and macros expand to them.
#![doc(hidden)]

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Deserializes a field whose `null` (or absence, with `#[serde(default)]`) means "the default".
///
/// Clerk sometimes sends `null` where the spec promises an array, a map, a boolean or a string;
/// reading it as the type's default keeps the rest of the response usable.
///
/// # Errors
/// Fails only when the value is present, not null, and not a valid `T`.
pub fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Deserializes a tagged union: buffers one JSON value, and when it is an object hands it to
/// `decode` inside the deserializer's own map visit.
///
/// Decoding inside the visit (rather than after the whole value is read) lets the JSON
/// deserializer attach the position of the union itself to a failure, so the path a failed
/// response reports ends at the union (`email_addresses[0].verification`), with the path inside
/// the variant in the message. A value that is not an object goes to `decode` as it is.
///
/// # Errors
/// When the input is not valid JSON data, or `decode` refuses the value.
pub fn tagged<'de, D, T, F>(d: D, decode: F) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(serde_json::Value) -> Result<T, String>,
{
    d.deserialize_any(TaggedVisitor(decode))
}

struct TaggedVisitor<F>(F);

impl<F> TaggedVisitor<F> {
    fn done<T, E: serde::de::Error>(self, value: serde_json::Value) -> Result<T, E>
    where
        F: FnOnce(serde_json::Value) -> Result<T, String>,
    {
        (self.0)(value).map_err(E::custom)
    }
}

impl<'de, T, F> serde::de::Visitor<'de> for TaggedVisitor<F>
where
    F: FnOnce(serde_json::Value) -> Result<T, String>,
{
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value (a tagged object)")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        let value =
            serde_json::Value::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        self.done(value)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        let value =
            serde_json::Value::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
        self.done(value)
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<T, E> {
        self.done(serde_json::Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<T, E> {
        self.done(serde_json::Value::from(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<T, E> {
        self.done(serde_json::Value::from(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<T, E> {
        self.done(serde_json::Value::from(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        self.done(serde_json::Value::from(v))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<T, E> {
        self.done(serde_json::Value::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<T, E> {
        self.done(serde_json::Value::Null)
    }

    fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<T, D2::Error> {
        let value = serde_json::Value::deserialize(d)?;
        self.done(value)
    }
}

/// Decodes a tagged union's variant from the buffered object, naming the inner JSON path of a
/// failure in the message.
///
/// # Errors
/// When `value` does not decode as `T`.
pub fn variant<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, String> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|err| {
        let path = err.path().to_string();
        format!("{} (at `{}` inside the variant)", err.into_inner(), path)
    })
}

/// Serializes a union variant, writing the tag field if the inner type did not.
///
/// # Errors
/// When the inner value cannot be serialized to JSON.
pub fn serialize_tagged<T, S>(inner: &T, tag: &str, wire: &str, s: S) -> Result<S::Ok, S::Error>
where
    T: Serialize,
    S: Serializer,
{
    let mut value = serde_json::to_value(inner).map_err(serde::ser::Error::custom)?;
    if let Some(map) = value.as_object_mut() {
        let has_tag = map
            .get(tag)
            .is_some_and(|t| t.as_str().is_some_and(|t| !t.is_empty()));
        if !has_tag {
            map.insert(tag.to_owned(), serde_json::Value::String(wire.to_owned()));
        }
    }
    value.serialize(s)
}

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

/// Decodes a tagged union's variant from an already-buffered JSON value, keeping the inner path
/// of a failure in the message.
///
/// # Errors
/// When `value` does not decode as `T`; the message names the inner JSON path.
pub fn from_value_with_path<T, E>(value: serde_json::Value) -> Result<T, E>
where
    T: serde::de::DeserializeOwned,
    E: serde::de::Error,
{
    serde_path_to_error::deserialize::<_, T>(value).map_err(|err| {
        let path = err.path().to_string();
        E::custom(format!(
            "{} (at `{}` inside the variant)",
            err.into_inner(),
            path
        ))
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

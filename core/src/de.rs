//! Serde helpers shared by the models: tolerant field decoding and tagged-union plumbing.
//!
//! These are public only because generated code in this crate and macros expand to them.
#![doc(hidden)]

use serde::de::{IgnoredAny, MapAccess, Visitor};
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

/// The fields of a generated model struct, decoded one JSON member at a time.
///
/// Every model struct implements this (generated) and decodes through [`decode_struct`]: one
/// shared visitor instead of a derived one per struct. The derived decoder would also accept a
/// struct written as a JSON array, carry a field-name enum and a wrapper type per field, and
/// instantiate a value decoder per field; this one matches the key and decodes the value by its
/// type, which keeps the generated code (and the build time) small.
pub trait DecodeFields: Default {
    /// Decodes the value of member `key` into its field and returns `true`, or returns `false`
    /// without touching `map` when the struct has no such field.
    ///
    /// # Errors
    /// When the value is present, not null, and not valid for the field.
    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error>;
}

/// Decodes a model struct from a JSON object: members it knows go to their field (a `null` or
/// an absent member leaves the field's default), members it does not know are skipped, and a
/// repeated member keeps its last value.
///
/// # Errors
/// When the input is not an object, or a known member's value is invalid for its field.
pub fn decode_struct<'de, D, T>(d: D, name: &'static str) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DecodeFields,
{
    d.deserialize_map(StructVisitor(name, std::marker::PhantomData))
}

/// Decodes one member's value into a model field stored as its type: `null` reads as the
/// type's default.
///
/// The decoders below write into the field rather than return the value, so each generated
/// match arm is one call, and the replace of the old value lives here, once per field type.
///
/// # Errors
/// When the value is not null and not a valid `T`.
pub fn field<'de, A, T>(map: &mut A, slot: &mut T) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de> + Default,
{
    *slot = map.next_value::<Option<T>>()?.unwrap_or_default();
    Ok(())
}

/// Decodes one member's value into an `Option` field: `null` reads as `None`.
///
/// # Errors
/// When the value is not null and not a valid `T`.
pub fn optional<'de, A, T>(map: &mut A, slot: &mut Option<T>) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    *slot = map.next_value::<Option<T>>()?;
    Ok(())
}

/// Decodes one member's value into a request-side field that can be `null`: `null` reads as
/// [`Nullable::Null`](crate::Nullable::Null), so what decodes serializes back the same.
///
/// # Errors
/// When the value is not null and not a valid `T`.
pub fn nullable<'de, A, T>(
    map: &mut A,
    slot: &mut Option<crate::Nullable<T>>,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    *slot = Some(match map.next_value::<Option<T>>()? {
        Some(value) => crate::Nullable::Value(value),
        None => crate::Nullable::Null,
    });
    Ok(())
}

struct StructVisitor<T>(&'static str, std::marker::PhantomData<T>);

impl<'de, T: DecodeFields> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        expecting_object(self.0, f)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if !out.decode_field(&key.0, &mut map)? {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(out)
    }
}

/// What a struct decoder expects, written once rather than per struct.
fn expecting_object(name: &str, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    write!(f, "the `{name}` object")
}

/// An object key, borrowed from the input when it has no escapes.
pub(crate) struct Key<'de>(pub(crate) std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(std::borrow::Cow::Borrowed(v)))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(std::borrow::Cow::Owned(v)))
    }
}

/// The `data` member of a JSON object, its other members skipped: a webhook delivery's data,
/// read once its envelope has named the type. `null` or absence reads as the type's default, as
/// for a model field. Reading from the body (not from a buffered value) keeps the position of a
/// failure, so the error names its whole JSON path (`data.email_addresses[0].id`).
#[cfg(feature = "webhook")]
pub struct DataMember<T>(pub T);

#[cfg(feature = "webhook")]
impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for DataMember<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(DataVisitor(std::marker::PhantomData))
    }
}

#[cfg(feature = "webhook")]
struct DataVisitor<T>(std::marker::PhantomData<T>);

#[cfg(feature = "webhook")]
impl<'de, T: Deserialize<'de> + Default> Visitor<'de> for DataVisitor<T> {
    type Value = DataMember<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        expecting_object("webhook event", f)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DataMember<T>, A::Error> {
        let mut out = T::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if key.0 == "data" {
                field(&mut map, &mut out)?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(DataMember(out))
    }
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

/// What an object must show to be read as one variant of an untagged union.
#[derive(Debug, Clone, Copy)]
pub enum Marker {
    /// The member is this string.
    Str(&'static str, &'static str),
    /// The member is this boolean.
    Bool(&'static str, bool),
    /// The member is present (with any value but `null`).
    Present(&'static str),
}

impl Marker {
    /// Whether `value` is an object that shows every marker.
    pub fn all_hold(markers: &[Marker], value: &serde_json::Value) -> bool {
        let Some(object) = value.as_object() else {
            return false;
        };
        markers.iter().all(|marker| match *marker {
            Marker::Str(key, want) => object.get(key).and_then(|v| v.as_str()) == Some(want),
            Marker::Bool(key, want) => object.get(key).and_then(|v| v.as_bool()) == Some(want),
            Marker::Present(key) => object.get(key).is_some_and(|v| !v.is_null()),
        })
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

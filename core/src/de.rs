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
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
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
pub(crate) trait DecodeFields: Default {
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
pub(crate) fn decode_struct<'de, D, T>(d: D, name: &'static str) -> Result<T, D::Error>
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
pub(crate) fn field<'de, A, T>(map: &mut A, slot: &mut T) -> Result<(), A::Error>
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
pub(crate) fn optional<'de, A, T>(map: &mut A, slot: &mut Option<T>) -> Result<(), A::Error>
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
pub(crate) fn nullable<'de, A, T>(
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
pub(crate) struct DataMember<T>(pub T);

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

/// The name under which `serde_json` hands out a value's raw text: what its own
/// `RawValue` asks for (feature `raw_value`). A deserializer that does not know it sees an
/// ordinary newtype struct, and [`union_value`] buffers the value instead.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// A union's value as read: its JSON text (from `serde_json`, borrowed from the input where it
/// can be), or, from any other deserializer, the value buffered.
#[derive(Debug)]
pub(crate) enum Captured<'de> {
    /// The value's JSON text, exactly as it appears in the input.
    Json(std::borrow::Cow<'de, str>),
    /// The value, buffered (deserializers other than `serde_json`'s own).
    Value(serde_json::Value),
}

/// Reads one union value without decoding it: from `serde_json` its raw text (a scan of the
/// bytes, no allocation when the input is borrowed), from anything else the buffered value.
///
/// # Errors
/// When the input is not valid JSON data.
pub(crate) fn union_value<'de, D: Deserializer<'de>>(d: D) -> Result<Captured<'de>, D::Error> {
    d.deserialize_newtype_struct(RAW_VALUE_TOKEN, CaptureVisitor)
}

/// Deserializes a union: reads its value ([`union_value`]), then hands it to `decode`; a
/// refusal from `decode` becomes the deserializer's error.
///
/// While a failure is being explained (`Explaining`: a failed body decoded again) the value is
/// instead buffered and decoded inside the deserializer's own visit of it, as the JSON reader
/// then attaches the position of the union itself to the failure: the path of a failed response
/// ends at the union (`email_addresses[0].verification`), with the path inside the variant in
/// the message. (The fast path reports its failure only once the value has been read, where the
/// reader attaches the position of the enclosing object's end instead.)
///
/// # Errors
/// When the input is not valid JSON data, or `decode` refuses the value.
pub(crate) fn tagged<'de, D, T, F>(d: D, decode: F) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(&Captured<'de>) -> Result<T, String>,
{
    if EXPLAINING.get() {
        return d.deserialize_any(BufferedVisitor(decode));
    }
    let captured = union_value(d)?;
    decode(&captured).map_err(serde::de::Error::custom)
}

thread_local! {
    /// Whether this thread is decoding a body again to explain its failure.
    static EXPLAINING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// While alive, this thread decodes a body again to explain its failure (see [`tagged`]): the
/// one place decoding does extra work to name a path, paid only by a body that failed.
pub(crate) struct Explaining(bool);

impl Explaining {
    /// Starts explaining, until the value is dropped.
    pub(crate) fn start() -> Self {
        Self(EXPLAINING.replace(true))
    }
}

impl Drop for Explaining {
    fn drop(&mut self) {
        EXPLAINING.set(self.0);
    }
}

/// A union's value buffered and decoded inside the deserializer's visit of it.
struct BufferedVisitor<F>(F);

impl<F> BufferedVisitor<F> {
    fn done<'de, T, E: serde::de::Error>(self, value: serde_json::Value) -> Result<T, E>
    where
        F: FnOnce(&Captured<'de>) -> Result<T, String>,
    {
        (self.0)(&Captured::Value(value)).map_err(E::custom)
    }
}

impl<'de, T, F> Visitor<'de> for BufferedVisitor<F>
where
    F: FnOnce(&Captured<'de>) -> Result<T, String>,
{
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value (a union)")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
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

impl Captured<'_> {
    /// The string value of member `tag` when the value is an object that has one (the last
    /// such member, as a JSON object reader keeps it); `None` otherwise.
    pub(crate) fn tag(&self, tag: &str) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            Captured::Json(text) => match scan_tag(text, tag) {
                Some(found) => found.map(std::borrow::Cow::Borrowed),
                None => {
                    let mut de = serde_json::Deserializer::from_str(text);
                    Deserializer::deserialize_any(&mut de, TagScan(tag))
                        .ok()
                        .flatten()
                }
            },
            Captured::Value(value) => value
                .get(tag)
                .and_then(serde_json::Value::as_str)
                .map(std::borrow::Cow::Borrowed),
        }
    }

    /// Decodes the value as variant type `T`; a failure names the JSON path inside the variant
    /// in its message. Only a failure pays for finding that path: the value is decoded again,
    /// with path tracking.
    ///
    /// # Errors
    /// When the value does not decode as `T`.
    pub(crate) fn variant<T: serde::de::DeserializeOwned>(&self) -> Result<T, String> {
        let decoded = match self {
            Captured::Json(text) => serde_json::from_str::<T>(text),
            Captured::Value(value) => T::deserialize(value),
        };
        decoded.or_else(|_| explain::<T>(self.to_value()?))
    }

    /// The value as untyped JSON (what an `Unknown` variant keeps).
    ///
    /// # Errors
    /// Only if the captured text is not JSON, which `serde_json` never hands out.
    pub(crate) fn to_value(&self) -> Result<serde_json::Value, String> {
        match self {
            Captured::Json(text) => serde_json::from_str(text).map_err(|err| err.to_string()),
            Captured::Value(value) => Ok(value.clone()),
        }
    }
}

/// Decodes `value` as `T` with path tracking, naming the inner JSON path of a failure.
fn explain<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, String> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|err| {
        let path = err.path().to_string();
        format!("{} (at `{}` inside the variant)", err.into_inner(), path)
    })
}

struct CaptureVisitor;

impl CaptureVisitor {
    fn value<'de, E>(value: serde_json::Value) -> Result<Captured<'de>, E> {
        Ok(Captured::Value(value))
    }
}

impl<'de> Visitor<'de> for CaptureVisitor {
    type Value = Captured<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value (a union)")
    }

    /// `serde_json` answers the raw-value request with a map of one member: its token, then the
    /// text. A deserializer that reads newtype structs as any value hands over an object here,
    /// which is buffered whole, its first member included.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Captured<'de>, A::Error> {
        let mut object = serde_json::Map::new();
        let Some(first) = map.next_key::<Key<'de>>()? else {
            return Self::value(serde_json::Value::Object(object));
        };
        if first.0 == RAW_VALUE_TOKEN {
            return Ok(Captured::Json(map.next_value::<Key<'de>>()?.0));
        }
        object.insert(first.0.into_owned(), map.next_value()?);
        while let Some((key, value)) = map.next_entry::<String, serde_json::Value>()? {
            object.insert(key, value);
        }
        Self::value(serde_json::Value::Object(object))
    }

    fn visit_newtype_struct<D2: Deserializer<'de>>(
        self,
        d: D2,
    ) -> Result<Captured<'de>, D2::Error> {
        Self::value(serde_json::Value::deserialize(d)?)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Captured<'de>, A::Error> {
        let value =
            serde_json::Value::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
        Self::value(value)
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Captured<'de>, E> {
        Self::value(serde_json::Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Captured<'de>, E> {
        Self::value(serde_json::Value::from(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Captured<'de>, E> {
        Self::value(serde_json::Value::from(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Captured<'de>, E> {
        Self::value(serde_json::Value::from(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Captured<'de>, E> {
        Self::value(serde_json::Value::from(v))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Captured<'de>, E> {
        Self::value(serde_json::Value::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Captured<'de>, E> {
        Self::value(serde_json::Value::Null)
    }

    fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Captured<'de>, D2::Error> {
        Self::value(serde_json::Value::deserialize(d)?)
    }
}

/// The string value of member `tag` of `text`, a JSON value as captured (so valid JSON), found
/// by a scan of its bytes rather than by the JSON reader: `Some(None)` when `text` is not an
/// object, or has no such member, or its value is not a string (the last such member counts,
/// as for a JSON object reader). `None` when a key or that value holds an escape, or anything
/// is not as valid JSON has it: then [`TagScan`] decides.
fn scan_tag<'a>(text: &'a str, tag: &str) -> Option<Option<&'a str>> {
    let bytes = text.as_bytes();
    let mut i = skip_space(bytes, 0);
    if bytes.get(i) != Some(&b'{') {
        return Some(None);
    }
    let mut found = None;
    i = skip_space(bytes, i + 1);
    if bytes.get(i) == Some(&b'}') {
        return Some(None);
    }
    loop {
        if bytes.get(i) != Some(&b'"') {
            return None;
        }
        let (key, after) = plain_string(bytes, i)?;
        i = skip_space(bytes, after);
        if bytes.get(i) != Some(&b':') {
            return None;
        }
        i = skip_space(bytes, i + 1);
        if key == tag.as_bytes() && bytes.get(i) == Some(&b'"') {
            let (_, after) = plain_string(bytes, i)?;
            found = Some(text.get(i + 1..after - 1)?);
            i = after;
        } else {
            if key == tag.as_bytes() {
                found = None;
            }
            i = skip_value(bytes, i)?;
        }
        i = skip_space(bytes, i);
        match bytes.get(i)? {
            b',' => i = skip_space(bytes, i + 1),
            b'}' => return Some(found),
            _ => return None,
        }
    }
}

/// The index of the first byte at or after `i` that is not JSON whitespace.
fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\n' | b'\r' | b'\t')) {
        i += 1;
    }
    i
}

/// The content of the JSON string whose opening quote is at `start`, and the index after its
/// closing quote; `None` when it holds an escape or is not closed.
fn plain_string(bytes: &[u8], start: usize) -> Option<(&[u8], usize)> {
    let rest = bytes.get(start + 1..)?;
    let end = rest.iter().position(|&b| b == b'"' || b == b'\\')?;
    if rest.get(end) != Some(&b'"') {
        return None;
    }
    Some((rest.get(..end)?, start + end + 2))
}

/// The index of the `,` or `}` that ends the member value starting at `start` (strings,
/// nested arrays and objects skipped whole); `None` if the text ends first.
fn skip_value(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0_usize;
    let mut i = start;
    loop {
        match *bytes.get(i)? {
            b'"' => {
                i += 1;
                loop {
                    match *bytes.get(i)? {
                        b'"' => break,
                        b'\\' => i += 2,
                        _ => i += 1,
                    }
                }
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' if depth == 0 => return Some(i),
            b'}' | b']' => depth -= 1,
            b',' if depth == 0 => return Some(i),
            _ => {}
        }
        i += 1;
    }
}

/// Finds the string value of one member of a JSON object, skipping every other member;
/// `None` for a value that is not an object, or whose member is missing or not a string.
struct TagScan<'t>(&'t str);

impl<'de> Visitor<'de> for TagScan<'_> {
    type Value = Option<std::borrow::Cow<'de, str>>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if key.0 == self.0 {
                found = map.next_value::<TagValue<'de>>()?.0;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// A tag member's value: the string, or `None` for any other JSON value (read and dropped).
struct TagValue<'de>(Option<std::borrow::Cow<'de, str>>);

impl<'de> Deserialize<'de> for TagValue<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TagValueVisitor)
    }
}

struct TagValueVisitor;

impl<'de> Visitor<'de> for TagValueVisitor {
    type Value = TagValue<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(TagValue(Some(std::borrow::Cow::Borrowed(v))))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(TagValue(Some(std::borrow::Cow::Owned(v.to_owned()))))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(TagValue(Some(std::borrow::Cow::Owned(v))))
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(TagValue(None))
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(TagValue(None))
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(TagValue(None))
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(TagValue(None))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(TagValue(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        IgnoredAny.visit_map(map).map(|_| TagValue(None))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| TagValue(None))
    }
}

/// Reads a string enum's wire value, borrowed from the input when it can be, and maps it with
/// `from_wire` (which allocates only for a value it does not know).
///
/// # Errors
/// When the value is not a string.
pub(crate) fn wire_str<'de, D, T>(d: D, from_wire: fn(&str) -> T) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    Key::deserialize(d).map(|key| from_wire(&key.0))
}

/// What an object must show to be read as one variant of an untagged union.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Marker {
    /// The member is this string.
    Str(&'static str, &'static str),
    /// The member is this boolean.
    Bool(&'static str, bool),
    /// The member is present (with any value but `null`).
    Present(&'static str),
}

impl Marker {
    /// Whether `value` is an object that shows every marker.
    pub(crate) fn all_hold(markers: &[Marker], value: &serde_json::Value) -> bool {
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

/// Decodes an untagged union's variant from its buffered value, naming the inner JSON path of
/// a failure in the message (path tracking runs only to explain a failure).
///
/// # Errors
/// When `value` does not decode as `T`.
pub(crate) fn variant<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, String> {
    match T::deserialize(&value) {
        Ok(decoded) => Ok(decoded),
        Err(_) => explain(value),
    }
}

/// Serializes a union variant, writing the tag field if the inner type did not.
///
/// # Errors
/// When the inner value cannot be serialized to JSON.
pub(crate) fn serialize_tagged<T, S>(
    inner: &T,
    tag: &str,
    wire: &str,
    s: S,
) -> Result<S::Ok, S::Error>
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

#[cfg(test)]
#[cfg(feature = "users")]
mod tests {
    use super::*;
    use crate::models::{EmailAddress, EmailAddressVerification, VerificationAdmin};
    use serde_json::json;

    fn admin() -> serde_json::Value {
        json!({"attempts": null, "expire_at": 5, "object": "verification_admin",
               "status": "verified", "strategy": "admin"})
    }

    fn decode(text: &str) -> EmailAddressVerification {
        serde_json::from_str(text).expect("decodes")
    }

    /// A wrapper the derive decodes through serde's own buffer (its `Content`), a deserializer
    /// that does not know `serde_json`'s raw values.
    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(untagged)]
    enum Wrapped {
        Verification(EmailAddressVerification),
    }

    #[test]
    fn a_union_decodes_alike_from_every_deserializer() {
        let text = admin().to_string();
        let expected = decode(&text);
        let EmailAddressVerification::Admin(inner) = &expected else {
            panic!("admin: {expected:?}");
        };
        assert_eq!(inner.expire_at, Some(5));
        assert_eq!(inner.object.as_deref(), Some("verification_admin"));
        let from_slice: EmailAddressVerification =
            serde_json::from_slice(text.as_bytes()).expect("slice");
        let from_reader: EmailAddressVerification =
            serde_json::from_reader(text.as_bytes()).expect("reader");
        let from_value: EmailAddressVerification = serde_json::from_value(admin()).expect("value");
        let from_ref = EmailAddressVerification::deserialize(&admin()).expect("&value");
        let Wrapped::Verification(through_content) =
            serde_json::from_str::<Wrapped>(&text).expect("content");
        for other in [
            from_slice,
            from_reader,
            from_value,
            from_ref,
            through_content,
        ] {
            assert_eq!(other, expected);
        }
    }

    #[test]
    fn the_tag_is_read_wherever_it_stands_and_the_last_one_counts() {
        let cases = [
            r#"{"object":"verification_admin","status":"verified","strategy":"admin"}"#,
            r#"{"status":"verified","strategy":"admin","object":"verification_admin"}"#,
            r#"{ "status" : "verified" , "object" : "verification_admin" , "x" : [ "}", {"a":"\""} ] }"#,
            r#"{"object":"verification_otp","status":"verified","object":"verification_admin"}"#,
            r#"{"obj\u0065ct":"verification_admin","status":"verified"}"#,
            r#"{"object":"verification_\u0061dmin","status":"verified"}"#,
        ];
        for text in cases {
            assert!(
                matches!(decode(text), EmailAddressVerification::Admin(_)),
                "{text}"
            );
        }
    }

    #[test]
    fn a_missing_unknown_or_odd_tag_keeps_the_whole_value() {
        for value in [
            json!({"status": "verified"}),
            json!({"object": "verification_new", "status": "verified"}),
            json!({"object": 7, "status": "verified"}),
            json!({"object": "verification_admin", "object": null}),
            json!({}),
            json!([1, 2]),
            json!("verification_admin"),
            json!(3.5),
            json!(null),
        ] {
            let text = value.to_string();
            let parsed = decode(&text);
            assert_eq!(
                parsed,
                EmailAddressVerification::Unknown(value.clone()),
                "{text}"
            );
            let from_value = EmailAddressVerification::deserialize(&value).expect("&value");
            assert_eq!(from_value, parsed, "{text}");
        }
    }

    #[test]
    fn a_known_variant_that_does_not_decode_names_the_path_inside_it() {
        let body = json!([{"email_address": "a@b.c", "verification":
            {"object": "verification_admin", "status": "verified", "attempts": "three"}}]);
        let text = body.to_string();
        let err = serde_json::from_str::<Vec<EmailAddress>>(&text).unwrap_err();
        assert!(
            err.to_string()
                .contains("(at `attempts` inside the variant)"),
            "{err}"
        );
        let Err(crate::response::Failure::Json(err)) =
            crate::response::from_json::<Vec<EmailAddress>>(text.as_bytes())
        else {
            panic!("a decode failure");
        };
        assert!(
            err.to_string()
                .contains("(at `attempts` inside the variant)"),
            "{err}"
        );
        assert_eq!(
            crate::json_path::path_of(text.as_bytes(), &err),
            "[0].verification"
        );
        assert!(!EXPLAINING.get(), "explaining ends with the explanation");
        let value_err = EmailAddressVerification::deserialize(&body[0]["verification"])
            .expect_err("refused from a value too");
        assert!(value_err.to_string().contains("inside the variant"));
    }

    #[test]
    fn string_enums_keep_unknown_values() {
        let admin: VerificationAdmin =
            serde_json::from_str(r#"{"status":"verified","strategy":"sso\"x"}"#).expect("admin");
        assert_eq!(admin.status.as_str(), "verified");
        assert_eq!(admin.strategy.as_str(), "sso\"x");
    }

    /// JSON objects made of the keys a tag scan must tell apart, with values full of the
    /// characters a byte scan could trip on.
    fn object() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let key = prop_oneof![
            Just("\"object\"".to_owned()),
            Just("\"obj\\u0065ct\"".to_owned()),
            Just("\"objects\"".to_owned()),
            "\"[a-z{}\\[\\],: ]{0,3}\"",
        ];
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i32>().prop_map(serde_json::Value::from),
            "[a-z\"\\\\{}\\[\\],: ]{0,4}".prop_map(serde_json::Value::from),
        ];
        let value = leaf.prop_recursive(3, 16, 3, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..3).prop_map(serde_json::Value::from),
                proptest::collection::btree_map("[a-z\"]{0,2}", inner, 0..3)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        });
        let member = (key, value, " ?", " ?").prop_map(|(k, v, a, b)| format!("{k}{a}:{b}{v}"));
        (proptest::collection::vec(member, 0..5), " ?")
            .prop_map(|(members, space)| format!("{{{space}{}{space}}}", members.join(", ")))
    }

    proptest::proptest! {
        #[test]
        fn the_byte_scan_agrees_with_the_reader(text in object()) {
            let mut de = serde_json::Deserializer::from_str(&text);
            let read = Deserializer::deserialize_any(&mut de, TagScan("object")).expect("object");
            if let Some(scanned) = scan_tag(&text, "object") {
                proptest::prop_assert_eq!(scanned.map(str::to_owned), read.map(|t| t.into_owned()), "{}", text);
            }
            let value: serde_json::Value = serde_json::from_str(&text).expect("valid");
            let tag = Captured::Json(text.as_str().into()).tag("object").map(|t| t.into_owned());
            proptest::prop_assert_eq!(tag.as_deref(), value.get("object").and_then(|t| t.as_str()));
        }
    }
}

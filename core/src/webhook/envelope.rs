//! The envelope every webhook delivery shares, and how a delivery's body is decoded: written
//! by hand (it does not depend on the spec); the generated [`events`](super::events) module
//! dispatches on the event type with these helpers.

use super::events::{EventData, HttpRequest};

/// One webhook delivery: the envelope every event shares, and its data typed by its type.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event {
    /// The event type (`user.created`), the JSON `type`.
    pub event_type: String,
    /// The object type, `event`.
    pub object: String,
    /// When the event happened, in milliseconds since the Unix epoch.
    pub timestamp: i64,
    /// The Clerk instance the event belongs to (`ins_…`).
    pub instance_id: String,
    /// The HTTP request that caused the event (`event_attributes.http_request`), when Clerk
    /// sends one.
    pub http_request: Option<HttpRequest>,
    /// The event's data, typed by its type.
    pub data: EventData,
}

/// Decodes `body` as `T`; a failure names its JSON path and keeps the body.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, crate::Error> {
    crate::response::from_json(body).map_err(|failure| {
        crate::response::decode_error(http::StatusCode::OK, body.to_vec(), &failure)
    })
}

/// Decodes the `data` member of `body` as `T` (`null` or absent: its default), skipping the rest.
pub(crate) fn data<T: serde::de::DeserializeOwned + Default>(
    body: &[u8],
) -> Result<T, crate::Error> {
    decode::<crate::de::DataMember<T>>(body).map(|member| member.0)
}

/// The envelope of a delivery, without its data (read second, once the type is known).
#[derive(Default)]
pub(crate) struct Envelope {
    pub(crate) event_type: String,
    pub(crate) object: String,
    pub(crate) timestamp: i64,
    pub(crate) instance_id: String,
    pub(crate) event_attributes: EventAttributes,
}

impl crate::de::DecodeFields for Envelope {
    fn decode_field<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        match key {
            "type" => crate::de::field(map, &mut self.event_type)?,
            "object" => crate::de::field(map, &mut self.object)?,
            "timestamp" => crate::de::field(map, &mut self.timestamp)?,
            "instance_id" => crate::de::field(map, &mut self.instance_id)?,
            "event_attributes" => crate::de::field(map, &mut self.event_attributes)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}

impl<'de> serde::Deserialize<'de> for Envelope {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::de::decode_struct(d, "webhook event")
    }
}

/// `event_attributes` of the envelope.
#[derive(Default)]
pub(crate) struct EventAttributes {
    pub(crate) http_request: Option<HttpRequest>,
}

impl crate::de::DecodeFields for EventAttributes {
    fn decode_field<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        match key {
            "http_request" => crate::de::optional(map, &mut self.http_request)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}

impl<'de> serde::Deserialize<'de> for EventAttributes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::de::decode_struct(d, "event_attributes")
    }
}

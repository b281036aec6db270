//! `PUT /users/{user_id}/metadata`: Replace a user's metadata.

use http::Method;
use serde::Serialize;

use crate::encode::encode_path_segment;
use crate::endpoint::{Body, Endpoint, Operation};
use crate::error::Error;
use crate::models::User;

/// `PUT /users/{user_id}/metadata`: Replace a user's metadata.
///
/// Replace a user's metadata attributes with the provided values.
///
/// Unlike `PATCH /v1/users/{user_id}/metadata` (merge semantics), this endpoint
/// replaces the supplied metadata fields entirely — the prior contents of each
/// supplied field are discarded. Fields omitted from the request body are
/// left unchanged.
///
/// Prefer the `PATCH` endpoint for partial updates. Use `PUT` only when you
/// explicitly intend to overwrite a metadata field wholesale.
///
/// [API reference](https://clerk.com/docs/reference/backend-api/tag/Users#operation/ReplaceUserMetadata)
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct ReplaceUserMetadata {
    user_id: String,
    body: ReplaceUserMetadataBody,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
struct ReplaceUserMetadataBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    private_metadata: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_metadata: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unsafe_metadata: Option<serde_json::Value>,
}

impl ReplaceUserMetadata {
    /// The request for the user `user_id`, with no body field set.
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            body: ReplaceUserMetadataBody::default(),
        }
    }

    /// Metadata saved on the user that is only visible to your backend.
    /// The existing value will be replaced entirely with the new object.
    ///
    /// Must be a JSON object (a `serde_json::Map` or `json!({…})`); anything else is refused
    /// when the request is built.
    pub fn private_metadata(mut self, value: impl Into<serde_json::Value>) -> Self {
        self.body.private_metadata = Some(value.into());
        self
    }

    /// Metadata saved on the user, that is visible to both your frontend and backend.
    /// The existing value will be replaced entirely with the new object.
    ///
    /// Must be a JSON object (a `serde_json::Map` or `json!({…})`); anything else is refused
    /// when the request is built.
    pub fn public_metadata(mut self, value: impl Into<serde_json::Value>) -> Self {
        self.body.public_metadata = Some(value.into());
        self
    }

    /// Metadata saved on the user, that can be updated from both the Frontend and Backend APIs.
    /// The existing value will be replaced entirely with the new object.
    ///
    /// Note: Since this data can be modified from the frontend, it is not guaranteed to be safe.
    ///
    /// Must be a JSON object (a `serde_json::Map` or `json!({…})`); anything else is refused
    /// when the request is built.
    pub fn unsafe_metadata(mut self, value: impl Into<serde_json::Value>) -> Self {
        self.body.unsafe_metadata = Some(value.into());
        self
    }
}

impl Endpoint for ReplaceUserMetadata {
    type Output = User;

    const OPERATION: Operation = Operation::new(
        "ReplaceUserMetadata",
        Method::PUT,
        "/users/{user_id}/metadata",
        "Users",
        false,
    );

    fn path(&self) -> Result<String, Error> {
        let user_id = encode_path_segment("user_id", &self.user_id)?;
        Ok(format!("/users/{user_id}/metadata"))
    }

    fn body(&self) -> Result<Option<Body>, Error> {
        crate::encode::require_object("private_metadata", self.body.private_metadata.as_ref())?;
        crate::encode::require_object("public_metadata", self.body.public_metadata.as_ref())?;
        crate::encode::require_object("unsafe_metadata", self.body.unsafe_metadata.as_ref())?;
        Body::json(&self.body).map(Some)
    }

    fn parse(response: http::Response<Vec<u8>>) -> Result<User, Error> {
        crate::response::parse_json(response)
    }
}

//! `PATCH /users/{user_id}/metadata`: Merge and update a user's metadata.

use http::Method;
use serde::Serialize;

use crate::encode::encode_path_segment;
use crate::endpoint::{Body, Endpoint, Operation};
use crate::error::Error;
use crate::models::User;

/// `PATCH /users/{user_id}/metadata`: Merge and update a user's metadata.
///
/// Update a user's metadata attributes by merging existing values with the provided parameters.
///
/// This endpoint behaves differently than the *Update a user* endpoint.
/// Metadata values will not be replaced entirely.
/// Instead, a deep merge will be performed.
/// Deep means that any nested JSON objects will be merged as well.
///
/// You can remove metadata keys at any level by setting their value to `null`.
///
/// [API reference](https://clerk.com/docs/reference/backend-api/tag/Users#operation/UpdateUserMetadata)
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct UpdateUserMetadata {
    user_id: String,
    body: UpdateUserMetadataBody,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
struct UpdateUserMetadataBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    private_metadata: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_metadata: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unsafe_metadata: Option<serde_json::Value>,
}

impl UpdateUserMetadata {
    /// The request for the user `user_id`, with no body field set.
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            body: UpdateUserMetadataBody::default(),
        }
    }

    /// Metadata saved on the user that is only visible to your backend.
    /// The new object will be merged with the existing value.
    ///
    /// Must be a JSON object (a `serde_json::Map` or `json!({…})`); anything else is refused
    /// when the request is built.
    pub fn private_metadata(mut self, value: impl Into<serde_json::Value>) -> Self {
        self.body.private_metadata = Some(value.into());
        self
    }

    /// Metadata saved on the user, that is visible to both your frontend and backend.
    /// The new object will be merged with the existing value.
    ///
    /// Must be a JSON object (a `serde_json::Map` or `json!({…})`); anything else is refused
    /// when the request is built.
    pub fn public_metadata(mut self, value: impl Into<serde_json::Value>) -> Self {
        self.body.public_metadata = Some(value.into());
        self
    }

    /// Metadata saved on the user, that can be updated from both the Frontend and Backend APIs.
    /// The new object will be merged with the existing value.
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

impl Endpoint for UpdateUserMetadata {
    type Output = User;

    const OPERATION: Operation = Operation::new(
        "UpdateUserMetadata",
        Method::PATCH,
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

//! `POST /users/{user_id}/profile_image`: Set user profile image.

use http::Method;

use crate::encode::{FilePart, Multipart, encode_path_segment};
use crate::endpoint::{Body, Endpoint, Operation};
use crate::error::Error;
use crate::models::User;

/// `POST /users/{user_id}/profile_image`: Set user profile image.
///
/// Updates a user's profile image, sent as a multipart/form-data upload.
///
/// [API reference](https://clerk.com/docs/reference/backend-api/tag/Users#operation/SetUserProfileImage)
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct SetUserProfileImage {
    user_id: String,
    file: FilePart,
}

impl SetUserProfileImage {
    /// The request that uploads `file` as the profile image of the user `user_id`.
    pub fn new(user_id: impl Into<String>, file: FilePart) -> Self {
        Self {
            user_id: user_id.into(),
            file,
        }
    }
}

impl Endpoint for SetUserProfileImage {
    type Output = User;

    const OPERATION: Operation = Operation::new(
        "SetUserProfileImage",
        Method::POST,
        "/users/{user_id}/profile_image",
        "Users",
        false,
    );

    fn path(&self) -> Result<String, Error> {
        let user_id = encode_path_segment("user_id", &self.user_id)?;
        Ok(format!("/users/{user_id}/profile_image"))
    }

    fn body(&self) -> Result<Option<Body>, Error> {
        let form = Multipart::new().file("file", self.file.clone());
        Ok(Some(Body::multipart(&form)))
    }

    fn parse(response: http::Response<Vec<u8>>) -> Result<User, Error> {
        crate::response::parse_json(response)
    }
}

//! `DELETE /users/{user_id}/profile_image`: Delete user profile image.

use http::Method;

use crate::encode::encode_path_segment;
use crate::endpoint::{Endpoint, Operation};
use crate::error::Error;
use crate::models::User;

/// `DELETE /users/{user_id}/profile_image`: Delete user profile image.
///
/// Deletes the user's profile image.
///
/// [API reference](https://clerk.com/docs/reference/backend-api/tag/Users#operation/DeleteUserProfileImage)
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct DeleteUserProfileImage {
    user_id: String,
}

impl DeleteUserProfileImage {
    /// The request for the user `user_id` (the ID of the user to delete the profile image for).
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
        }
    }
}

impl Endpoint for DeleteUserProfileImage {
    type Output = User;

    const OPERATION: Operation = Operation::new(
        "DeleteUserProfileImage",
        Method::DELETE,
        "/users/{user_id}/profile_image",
        "Users",
        false,
    );

    fn path(&self) -> Result<String, Error> {
        let user_id = encode_path_segment("user_id", &self.user_id)?;
        Ok(format!("/users/{user_id}/profile_image"))
    }

    fn parse(response: http::Response<Vec<u8>>) -> Result<User, Error> {
        crate::response::parse_json(response)
    }
}

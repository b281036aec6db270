//! `POST /users/{user_id}/unlock`: Unlock a user.

use http::Method;

use crate::encode::encode_path_segment;
use crate::endpoint::{Endpoint, Operation};
use crate::error::Error;
use crate::models::User;

/// `POST /users/{user_id}/unlock`: Unlock a user.
///
/// Removes the lock from the user and resets their failed verification attempts.
///
/// [API reference](https://clerk.com/docs/reference/backend-api/tag/Users#operation/UnlockUser)
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct UnlockUser {
    user_id: String,
}

impl UnlockUser {
    /// The request for the user `user_id` (the ID of the user to unlock).
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
        }
    }
}

impl Endpoint for UnlockUser {
    type Output = User;

    const OPERATION: Operation = Operation::new(
        "UnlockUser",
        Method::POST,
        "/users/{user_id}/unlock",
        "Users",
        false,
    );

    fn path(&self) -> Result<String, Error> {
        let user_id = encode_path_segment("user_id", &self.user_id)?;
        Ok(format!("/users/{user_id}/unlock"))
    }

    fn parse(response: http::Response<Vec<u8>>) -> Result<User, Error> {
        crate::response::parse_json(response)
    }
}

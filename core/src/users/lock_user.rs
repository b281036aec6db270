//! `POST /users/{user_id}/lock`: Lock a user.

use http::Method;

use crate::encode::encode_path_segment;
use crate::endpoint::{Endpoint, Operation};
use crate::error::Error;
use crate::models::User;

/// `POST /users/{user_id}/lock`: Lock a user.
///
/// Marks the user as locked: they cannot sign in again until the lock expires or is lifted.
///
/// [API reference](https://clerk.com/docs/reference/backend-api/tag/Users#operation/LockUser)
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct LockUser {
    user_id: String,
}

impl LockUser {
    /// The request for the user `user_id` (the ID of the user to lock).
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
        }
    }
}

impl Endpoint for LockUser {
    type Output = User;

    const OPERATION: Operation = Operation::new(
        "LockUser",
        Method::POST,
        "/users/{user_id}/lock",
        "Users",
        false,
    );

    fn path(&self) -> Result<String, Error> {
        let user_id = encode_path_segment("user_id", &self.user_id)?;
        Ok(format!("/users/{user_id}/lock"))
    }

    fn parse(response: http::Response<Vec<u8>>) -> Result<User, Error> {
        crate::response::parse_json(response)
    }
}

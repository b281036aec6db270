//! `POST /users/{user_id}/ban`: Ban a user.

use http::Method;

use crate::encode::encode_path_segment;
use crate::endpoint::{Endpoint, Operation};
use crate::error::Error;
use crate::models::User;

/// `POST /users/{user_id}/ban`: Ban a user.
///
/// Marks the user as banned: all their sessions are revoked and they cannot sign in again.
///
/// [API reference](https://clerk.com/docs/reference/backend-api/tag/Users#operation/BanUser)
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct BanUser {
    user_id: String,
}

impl BanUser {
    /// The request for the user `user_id` (the ID of the user to ban).
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
        }
    }
}

impl Endpoint for BanUser {
    type Output = User;

    const OPERATION: Operation = Operation::new(
        "BanUser",
        Method::POST,
        "/users/{user_id}/ban",
        "Users",
        false,
    );

    fn path(&self) -> Result<String, Error> {
        let user_id = encode_path_segment("user_id", &self.user_id)?;
        Ok(format!("/users/{user_id}/ban"))
    }

    fn parse(response: http::Response<Vec<u8>>) -> Result<User, Error> {
        crate::response::parse_json(response)
    }
}

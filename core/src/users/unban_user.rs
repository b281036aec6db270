//! `POST /users/{user_id}/unban`: Unban a user.

use http::Method;

use crate::encode::encode_path_segment;
use crate::endpoint::{Endpoint, Operation};
use crate::error::Error;
use crate::models::User;

/// `POST /users/{user_id}/unban`: Unban a user.
///
/// Removes the ban mark from the user.
///
/// [API reference](https://clerk.com/docs/reference/backend-api/tag/Users#operation/UnbanUser)
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct UnbanUser {
    user_id: String,
}

impl UnbanUser {
    /// The request for the user `user_id` (the ID of the user to unban).
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
        }
    }
}

impl Endpoint for UnbanUser {
    type Output = User;

    const OPERATION: Operation = Operation::new(
        "UnbanUser",
        Method::POST,
        "/users/{user_id}/unban",
        "Users",
        false,
    );

    fn path(&self) -> Result<String, Error> {
        let user_id = encode_path_segment("user_id", &self.user_id)?;
        Ok(format!("/users/{user_id}/unban"))
    }

    fn parse(response: http::Response<Vec<u8>>) -> Result<User, Error> {
        crate::response::parse_json(response)
    }
}

//! `GET /users/{user_id}`: Retrieve a user.

use http::Method;

use crate::encode::encode_path_segment;
use crate::endpoint::{Endpoint, Operation};
use crate::error::Error;
use crate::models::User;

/// `GET /users/{user_id}`: Retrieve a user.
///
/// Retrieves the details of a user.
///
/// [API reference](https://clerk.com/docs/reference/backend-api/tag/Users#operation/GetUser)
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct GetUser {
    user_id: String,
}

impl GetUser {
    /// The request for the user `user_id` (the ID of the user to retrieve).
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
        }
    }
}

impl Endpoint for GetUser {
    type Output = User;

    const OPERATION: Operation =
        Operation::new("GetUser", Method::GET, "/users/{user_id}", "Users", false);

    fn path(&self) -> Result<String, Error> {
        let user_id = encode_path_segment("user_id", &self.user_id)?;
        Ok(format!("/users/{user_id}"))
    }

    fn parse(response: http::Response<Vec<u8>>) -> Result<User, Error> {
        crate::response::parse_json(response)
    }
}

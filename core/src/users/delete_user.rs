//! `DELETE /users/{user_id}`: Delete a user.

use http::Method;

use crate::encode::encode_path_segment;
use crate::endpoint::{Endpoint, Operation};
use crate::error::Error;
use crate::models::DeletedObject;

/// `DELETE /users/{user_id}`: Delete a user.
///
/// Deletes the user, and everything that belongs to them.
///
/// [API reference](https://clerk.com/docs/reference/backend-api/tag/Users#operation/DeleteUser)
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct DeleteUser {
    user_id: String,
}

impl DeleteUser {
    /// The request for the user `user_id` (the ID of the user to delete).
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
        }
    }
}

impl Endpoint for DeleteUser {
    type Output = DeletedObject;

    const OPERATION: Operation = Operation::new(
        "DeleteUser",
        Method::DELETE,
        "/users/{user_id}",
        "Users",
        false,
    );

    fn path(&self) -> Result<String, Error> {
        let user_id = encode_path_segment("user_id", &self.user_id)?;
        Ok(format!("/users/{user_id}"))
    }

    fn parse(response: http::Response<Vec<u8>>) -> Result<DeletedObject, Error> {
        crate::response::parse_json(response)
    }
}

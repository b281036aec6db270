//! `POST /users/unban`: Unban multiple users.

use http::Method;
use serde::Serialize;

use crate::endpoint::{Body, Endpoint, Operation};
use crate::error::Error;
use crate::models::User;

/// `POST /users/unban`: Unban multiple users.
///
/// Removes the ban mark from multiple users.
///
/// [API reference](https://clerk.com/docs/reference/backend-api/tag/Users#operation/UsersUnban)
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct UsersUnban {
    body: UsersUnbanBody,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct UsersUnbanBody {
    user_ids: Vec<String>,
}

impl UsersUnban {
    /// The request for the given user IDs (the API accepts 1 to 50).
    pub fn new(user_ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self {
            body: UsersUnbanBody {
                user_ids: user_ids.into_iter().map(Into::into).collect(),
            },
        }
    }
}

impl Endpoint for UsersUnban {
    type Output = Vec<User>;

    const OPERATION: Operation =
        Operation::new("UsersUnban", Method::POST, "/users/unban", "Users", false);

    fn path(&self) -> Result<String, Error> {
        Ok("/users/unban".to_owned())
    }

    fn body(&self) -> Result<Option<Body>, Error> {
        Body::json(&self.body).map(Some)
    }

    fn parse(response: http::Response<Vec<u8>>) -> Result<Vec<User>, Error> {
        crate::response::parse_json(response)
    }
}

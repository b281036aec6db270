//! `POST /users/ban`: Ban multiple users.

use http::Method;
use serde::Serialize;

use crate::endpoint::{Body, Endpoint, Operation};
use crate::error::Error;
use crate::models::User;

/// `POST /users/ban`: Ban multiple users.
///
/// Marks multiple users as banned: all their sessions are revoked and they cannot sign in again.
///
/// [API reference](https://clerk.com/docs/reference/backend-api/tag/Users#operation/UsersBan)
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct UsersBan {
    body: UsersBanBody,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct UsersBanBody {
    user_ids: Vec<String>,
}

impl UsersBan {
    /// The request for the given user IDs (the API accepts 1 to 50).
    pub fn new(user_ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self {
            body: UsersBanBody {
                user_ids: user_ids.into_iter().map(Into::into).collect(),
            },
        }
    }
}

impl Endpoint for UsersBan {
    type Output = Vec<User>;

    const OPERATION: Operation =
        Operation::new("UsersBan", Method::POST, "/users/ban", "Users", false);

    fn path(&self) -> Result<String, Error> {
        Ok("/users/ban".to_owned())
    }

    fn body(&self) -> Result<Option<Body>, Error> {
        Body::json(&self.body).map(Some)
    }

    fn parse(response: http::Response<Vec<u8>>) -> Result<Vec<User>, Error> {
        crate::response::parse_json(response)
    }
}

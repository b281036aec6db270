//! Clerk-shaped API errors: `{"errors":[{code,message,long_message,meta?}],"clerk_trace_id"}`.

use http::StatusCode;
use serde_json::{Value, json};

/// One error answer of the stand-in.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) message: String,
    pub(crate) long_message: String,
    pub(crate) param_name: Option<String>,
}

impl ApiError {
    pub(crate) fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
        long_message: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            long_message: long_message.into(),
            param_name: None,
        }
    }

    /// Adds `meta.param_name`.
    pub(crate) fn param(mut self, name: &str) -> Self {
        self.param_name = Some(name.to_string());
        self
    }

    pub(crate) fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "authentication_invalid",
            "Invalid authentication",
            "Unable to authenticate the request, you need to supply an active API key",
        )
    }

    pub(crate) fn user_not_found(id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "resource_not_found",
            "not found",
            format!("No user was found with id {id}"),
        )
    }

    /// 404 for a verify request whose token was not registered; `what` is "M2M token", ...
    /// The token itself is not echoed.
    pub(crate) fn token_not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "resource_not_found",
            "not found",
            format!("No {what} was found for the given token"),
        )
    }

    pub(crate) fn no_route(method: &http::Method, path: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "resource_not_found",
            "not found",
            format!("The requested resource {method} {path} was not found"),
        )
    }

    pub(crate) fn body_invalid(detail: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "request_body_invalid",
            "Request body invalid",
            format!("The request body is invalid: {detail}"),
        )
    }

    /// 422 `form_param_format_invalid`: a parameter of the wrong type or shape.
    pub(crate) fn format_invalid(param: &str, expected: &str) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_format_invalid",
            "is invalid",
            format!("{param} must be {expected}"),
        )
        .param(param)
    }

    /// 422 `form_param_value_invalid`: a well-formed parameter with an unacceptable value.
    pub(crate) fn value_invalid(param: &str, detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_value_invalid",
            "is invalid",
            detail,
        )
        .param(param)
    }

    /// 422 `form_param_missing`.
    pub(crate) fn missing(param: &str) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_missing",
            "missing data",
            format!("{param} must be included."),
        )
        .param(param)
    }

    /// 422 `form_identifier_exists`: an email address, phone number, username, ... that
    /// another user already has.
    pub(crate) fn identifier_exists(param: &str, what: &str) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_identifier_exists",
            format!("That {what} is taken. Please try another."),
            format!("That {what} is taken. Please try another."),
        )
        .param(param)
    }

    /// The JSON error body.
    pub(crate) fn body(&self, trace_id: &str) -> Value {
        let mut error = json!({
            "code": self.code,
            "message": self.message,
            "long_message": self.long_message,
        });
        if let (Some(name), Some(map)) = (&self.param_name, error.as_object_mut()) {
            map.insert("meta".to_string(), json!({ "param_name": name }));
        }
        json!({ "errors": [error], "clerk_trace_id": trace_id })
    }
}

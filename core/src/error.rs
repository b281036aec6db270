//! The one error type of the crate, and the details each kind carries.

use std::fmt;
use std::time::Duration;

use http::StatusCode;
use serde::{Deserialize, Serialize};

/// Longest body excerpt an error message shows (the whole body stays available).
const EXCERPT_LEN: usize = 300;

/// Everything that can go wrong between building a request and reading its result.
///
/// Match on the variant to tell the API's own refusal ([`Error::Api`]) from a response this crate
/// could not read ([`Error::Decode`]), an input refused before anything was sent
/// ([`Error::InvalidInput`]), bad configuration ([`Error::Config`]) and a failure to move bytes
/// ([`Error::Transport`]).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a status other than 2xx.
    Api(Box<ApiError>),
    /// The API answered 2xx but the body is not what the operation returns.
    Decode(Box<DecodeError>),
    /// An input was refused before any request existed (for example an empty or `..` id).
    InvalidInput(InvalidInput),
    /// The configuration is unusable (missing or malformed secret key, bad URL).
    Config(ConfigError),
    /// The transport failed: no connection, timeout, oversized body, I/O.
    Transport(TransportError),
}

impl Error {
    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(e) => Some(e.status),
            Self::Decode(e) => Some(e.status),
            _ => None,
        }
    }

    /// The API error, if this is one.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The first API error code (`form_identifier_not_found`, `resource_not_found`, …), if any.
    pub fn code(&self) -> Option<&str> {
        self.as_api()
            .and_then(|e| e.errors.first())
            .map(|d| d.code.as_str())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(e) => e.fmt(f),
            Self::Decode(e) => e.fmt(f),
            Self::InvalidInput(e) => e.fmt(f),
            Self::Config(e) => e.fmt(f),
            Self::Transport(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(e) => e.source.as_deref().map(|s| s as _),
            _ => None,
        }
    }
}

/// One entry of the API's `errors` array.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ClerkErrorDetail {
    /// A short, stable identifier such as `resource_not_found`.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub code: String,
    /// A short human-readable message.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub message: String,
    /// A longer human-readable message, when the API gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub long_message: Option<String>,
    /// Extra machine-readable details (for example `param_name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct ClerkErrorsBody {
    #[serde(default, deserialize_with = "crate::de::null_default")]
    errors: Vec<ClerkErrorDetail>,
    #[serde(default)]
    clerk_trace_id: Option<String>,
    #[serde(default)]
    meta: Option<serde_json::Value>,
}

/// The API refused the request: a non-2xx status, with the API's error list when it sent one.
///
/// An answer that is not Clerk's JSON (an HTML page from a proxy, an empty body) still becomes
/// an `ApiError`, with an empty `errors` list and the body kept in [`ApiError::body`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The API's errors (`code`, `message`, `long_message`, `meta`); empty if the body had none.
    pub errors: Vec<ClerkErrorDetail>,
    /// The trace id to quote to Clerk support, from the body or the `x-clerk-trace-id` header.
    pub clerk_trace_id: Option<String>,
    /// The top-level `meta` of the error body, if any.
    pub meta: Option<serde_json::Value>,
    /// How long the server asked to wait before retrying (`Retry-After`), if it said.
    ///
    /// A `Retry-After` too large to represent (more than `u64::MAX` seconds) is
    /// `Some(Duration::MAX)`, meaning "later than any cap": [`RetryPolicy`](crate::RetryPolicy)
    /// does not retry after it.
    pub retry_after: Option<Duration>,
    /// The raw response body, unchanged.
    pub body: Vec<u8>,
}

impl ApiError {
    /// Reads an error response. Never fails: what cannot be read is kept raw in `body`.
    pub fn from_response(response: http::Response<Vec<u8>>) -> Self {
        let (parts, body) = response.into_parts();
        Self::from_parts(&parts, body)
    }

    /// Like [`ApiError::from_response`], from a response already split into parts.
    pub fn from_parts(parts: &http::response::Parts, body: Vec<u8>) -> Self {
        let parsed: Option<ClerkErrorsBody> = serde_json::from_slice(&body).ok();
        let header_trace = parts
            .headers
            .get("x-clerk-trace-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let (errors, clerk_trace_id, meta) = match parsed {
            Some(b) => (b.errors, b.clerk_trace_id.or(header_trace), b.meta),
            None => (Vec::new(), header_trace, None),
        };
        Self {
            status: parts.status,
            errors,
            clerk_trace_id,
            meta,
            retry_after: crate::response::parse_retry_after(&parts.headers),
            body,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Clerk API error {}", self.status)?;
        match self.errors.first() {
            Some(first) => {
                write!(f, ": {} ({})", first.message, first.code)?;
                if let Some(long) = first
                    .long_message
                    .as_deref()
                    .filter(|l| *l != first.message)
                {
                    write!(f, ": {long}")?;
                }
                if self.errors.len() > 1 {
                    write!(f, " (and {} more)", self.errors.len() - 1)?;
                }
            }
            None if !self.body.is_empty() => write!(f, ": {}", excerpt(&self.body))?,
            None => f.write_str(": empty body")?,
        }
        if let Some(trace) = &self.clerk_trace_id {
            write!(f, " [trace {trace}]")?;
        }
        Ok(())
    }
}

/// A 2xx response whose body is not what the operation returns.
///
/// The body (which holds users' personal data) is kept whole in [`DecodeError::body`] and
/// never printed: `Display` and `Debug` give its size only.
#[derive(Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// The HTTP status of the response.
    pub status: StatusCode,
    /// The JSON path where decoding failed (`email_addresses[0].created_at`), `.` for the root.
    pub path: String,
    /// What serde reported at that path.
    pub message: String,
    /// The raw response body, unchanged.
    pub body: Vec<u8>,
}

impl DecodeError {
    /// A short excerpt of the body, for when you choose to show it (it may hold personal data).
    pub fn body_excerpt(&self) -> String {
        excerpt(&self.body)
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode the {} response at `{}`: {} (body of {} bytes kept in the error)",
            self.status,
            self.path,
            self.message,
            self.body.len(),
        )
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.status)
            .field("path", &self.path)
            .field("message", &self.message)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// An input refused before any request was built.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct InvalidInput {
    /// The parameter that was refused (`user_id`).
    pub parameter: &'static str,
    /// Why.
    pub reason: String,
}

impl InvalidInput {
    pub(crate) fn new(parameter: &'static str, reason: impl Into<String>) -> Self {
        Self {
            parameter,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid `{}`: {}", self.parameter, self.reason)
    }
}

impl From<InvalidInput> for Error {
    fn from(e: InvalidInput) -> Self {
        Self::InvalidInput(e)
    }
}

/// The configuration cannot be used. The message never contains the secret key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "configuration error: {}", self.message)
    }
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Self::Config(e)
    }
}

/// What kind of transport failure happened; retry decisions depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection was made (refused, DNS failure): the request was certainly not sent.
    Connect,
    /// A timeout; the request may or may not have been processed.
    Timeout,
    /// The response body exceeded the configured size limit.
    BodyTooLarge,
    /// The connection failed after the request may have been sent.
    Io,
    /// Anything else.
    Other,
}

/// A failure to move bytes, reported by a transport.
#[derive(Debug)]
#[non_exhaustive]
pub struct TransportError {
    /// What kind of failure.
    pub kind: TransportErrorKind,
    /// A human-readable description.
    pub message: String,
    /// The underlying error, if any.
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// The error of a call whose retry budget ran out before an attempt could start.
    pub fn budget_exhausted() -> Self {
        Self::new(
            TransportErrorKind::Timeout,
            "the retry budget ran out before the request could be sent",
        )
    }

    /// A transport error of the given kind.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying error.
    #[must_use]
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "transport error ({:?}): {}", self.kind, self.message)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        Self::Transport(e)
    }
}

/// The first bytes of a body as text, for error messages.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(EXCERPT_LEN).collect();
    if text.chars().nth(EXCERPT_LEN).is_some() {
        out.push('…');
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_error_never_prints_the_body() {
        let error = DecodeError {
            status: StatusCode::OK,
            path: "email_addresses[0]".into(),
            message: "missing field `id`".into(),
            body: br#"{"email_addresses":[{"email_address":"ada@example.com"}]}"#.to_vec(),
        };
        let display = error.to_string();
        let debug = format!("{error:?}");
        let wrapped = format!(
            "{:?} {}",
            Error::Decode(Box::new(error.clone())),
            Error::Decode(Box::new(error.clone()))
        );
        for shown in [&display, &debug, &wrapped] {
            assert!(!shown.contains("ada@example.com"), "{shown}");
        }
        assert!(
            display.contains("email_addresses[0]") && display.contains("57 bytes"),
            "{display}"
        );
        assert!(error.body_excerpt().contains("ada@example.com"));
    }
}

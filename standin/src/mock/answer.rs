//! What a mock answers: a response (typed output, Clerk error, 429, malformed body, anything
//! raw) or a transport failure.

use std::fmt;
use std::time::Duration;

use clerk_backend_core::http::header::{CONTENT_TYPE, RETRY_AFTER};
use clerk_backend_core::http::{self, HeaderMap, HeaderName, HeaderValue, StatusCode};
use clerk_backend_core::{Error, TransportError, TransportErrorKind};

/// One answer of a mock: a response the client reads as it would read Clerk's, or a transport
/// failure. Build it with the constructors below; answers are cloned each time a mock repeats
/// one.
///
/// ```
/// use std::time::Duration;
/// use clerk_backend_core::http::StatusCode;
/// use clerk_backend_testkit::mock::Answer;
///
/// let ok = Answer::json(&serde_json::json!({"object": "user", "id": "user_1"}));
/// let taken = Answer::clerk_error(StatusCode::UNPROCESSABLE_ENTITY, "form_identifier_exists", "That email address is taken.");
/// let slow_down = Answer::rate_limited(Duration::from_secs(2));
/// let down = Answer::connect_refused();
/// # let _ = (ok, taken, slow_down, down);
/// ```
#[derive(Clone)]
pub struct Answer {
    kind: Kind,
}

#[derive(Clone)]
enum Kind {
    Response {
        status: StatusCode,
        headers: HeaderMap,
        body: Vec<u8>,
    },
    Transport {
        kind: TransportErrorKind,
        message: String,
    },
    /// An answer that could not be built (a value that does not serialize, a bad header):
    /// every request it answers fails with this message.
    Broken(String),
}

impl Answer {
    /// `200 OK` with `value` as its JSON body: a typed output (the models implement
    /// `Serialize`) or a `serde_json::Value`.
    ///
    /// A value that cannot be serialized (a map with non-string keys) makes an answer that
    /// fails every request it answers with an error saying so.
    pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Self {
        Self::json_status(StatusCode::OK, value)
    }

    /// `status` with `value` as its JSON body (as [`Answer::json`]).
    pub fn json_status<T: serde::Serialize + ?Sized>(status: StatusCode, value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Self::body(status, body),
            Err(error) => Self::broken(format!(
                "the mock's JSON answer does not serialize: {error}"
            )),
        }
    }

    /// `200 OK` with this JSON text as its body, sent as it is (not checked: malformed JSON
    /// is yours to send).
    pub fn json_text(text: impl Into<String>) -> Self {
        Self::body(StatusCode::OK, text.into().into_bytes())
    }

    /// `status` with these bytes as its body, labelled `Content-Type: application/json`.
    pub fn body(status: StatusCode, body: impl Into<Vec<u8>>) -> Self {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        Self {
            kind: Kind::Response {
                status,
                headers,
                body: body.into(),
            },
        }
    }

    /// `status` with an empty body and no headers (`204 No Content`, a bare `503`, …).
    pub fn status(status: StatusCode) -> Self {
        Self {
            kind: Kind::Response {
                status,
                headers: HeaderMap::new(),
                body: Vec::new(),
            },
        }
    }

    /// A raw response, answered as it is (its extensions are dropped).
    pub fn response(response: http::Response<Vec<u8>>) -> Self {
        let (parts, body) = response.into_parts();
        Self {
            kind: Kind::Response {
                status: parts.status,
                headers: parts.headers,
                body,
            },
        }
    }

    /// A Clerk API error: `status` with the body Clerk sends,
    /// `{"errors":[{"code":…,"message":…,"long_message":…}],"clerk_trace_id":…}`, which the
    /// client reads as an [`Error::Api`] with this code and message.
    pub fn clerk_error(status: StatusCode, code: &str, message: &str) -> Self {
        let body = serde_json::json!({
            "errors": [{"code": code, "message": message, "long_message": message, "meta": {}}],
            "clerk_trace_id": "mock_trace",
        });
        Self::json_status(status, &body)
    }

    /// `429 Too Many Requests` with `Retry-After` in whole seconds (rounded up) and Clerk's
    /// error body (code `too_many_requests`). The client waits that long before retrying: on
    /// a mock transport the wait moves the [`TestClock`](crate::TestClock) and takes no time.
    pub fn rate_limited(retry_after: Duration) -> Self {
        let seconds = retry_after
            .as_secs()
            .saturating_add(u64::from(retry_after.subsec_nanos() > 0));
        Self::clerk_error(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            "Too many requests, please try again later.",
        )
        .header(RETRY_AFTER, &seconds.to_string())
    }

    /// `200 OK` with a body that is not JSON at all (a cut-off object): a typed send gives
    /// [`Error::Decode`].
    pub fn malformed() -> Self {
        Self::body(StatusCode::OK, br#"{"object": "user", "id": "#.to_vec())
    }

    /// A failure to move bytes, of `kind` (retried by the client as a real one would be:
    /// `Connect` for every method, `Timeout` and `Io` for reads only).
    pub fn transport_error(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind: Kind::Transport {
                kind,
                message: message.into(),
            },
        }
    }

    /// The connection was refused: the request was certainly not sent.
    pub fn connect_refused() -> Self {
        Self::transport_error(TransportErrorKind::Connect, "connection refused (mock)")
    }

    /// The attempt timed out: the request may have been processed.
    pub fn timeout() -> Self {
        Self::transport_error(TransportErrorKind::Timeout, "timed out (mock)")
    }

    /// Adds a header to a response answer (replacing one of the same name). A name or value
    /// that is not a valid header makes an answer that fails every request with an error
    /// saying so; on a transport failure it does nothing.
    #[must_use]
    pub fn header<K>(mut self, name: K, value: &str) -> Self
    where
        K: TryInto<HeaderName>,
        K::Error: fmt::Display,
    {
        if let Kind::Response { headers, .. } = &mut self.kind {
            let name = match name.try_into() {
                Ok(name) => name,
                Err(error) => {
                    return Self::broken(format!("bad header name in a mock answer: {error}"));
                }
            };
            match HeaderValue::from_str(value) {
                Ok(value) => {
                    headers.insert(name, value);
                }
                Err(error) => {
                    return Self::broken(format!("bad value of {name} in a mock answer: {error}"));
                }
            }
        }
        self
    }

    fn broken(message: String) -> Self {
        Self {
            kind: Kind::Broken(message),
        }
    }

    /// The response or error a transport returns for this answer.
    pub(crate) fn produce(&self) -> Result<http::Response<Vec<u8>>, Error> {
        match &self.kind {
            Kind::Response {
                status,
                headers,
                body,
            } => {
                let mut response = http::Response::new(body.clone());
                *response.status_mut() = *status;
                *response.headers_mut() = headers.clone();
                Ok(response)
            }
            Kind::Transport { kind, message } => Err(Error::Transport(TransportError::new(
                *kind,
                message.clone(),
            ))),
            Kind::Broken(message) => Err(Error::Transport(TransportError::new(
                TransportErrorKind::Other,
                format!("clerk-backend-testkit mock: {message}"),
            ))),
        }
    }
}

impl fmt::Debug for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Response { status, body, .. } => {
                write!(f, "Answer({status}, {} body bytes)", body.len())
            }
            Kind::Transport { kind, message } => write!(f, "Answer(transport {kind:?}: {message})"),
            Kind::Broken(message) => write!(f, "Answer(broken: {message})"),
        }
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Response { status, .. } => write!(f, "{status}"),
            Kind::Transport { kind, .. } => write!(f, "transport error {kind:?}"),
            Kind::Broken(_) => f.write_str("broken answer"),
        }
    }
}

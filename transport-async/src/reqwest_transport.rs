//! The built-in transport on reqwest: one HTTP exchange with a bounded body, and Tokio's timer.

use std::future::Future;
use std::time::Duration;

use clerk_backend_core::{ClientOptions, Error, TransportError, TransportErrorKind, http};

use crate::transport::Transport;

/// The most a response's `Content-Length` makes us reserve up front; larger bodies grow the
/// buffer as they arrive, so a header alone never costs memory.
const MAX_PREALLOCATION: u64 = 1024 * 1024;

/// A [`Transport`] on [`reqwest`]: connections are pooled and reused, response bodies are read
/// chunk by chunk up to a size limit, and retry waits use `tokio::time::sleep` (so it needs a
/// Tokio runtime with the timer enabled, as reqwest needs Tokio anyway).
///
/// [`Client::new`](crate::Client::new) and [`Client::builder`](crate::Client::builder) make
/// one with a `reqwest::Client` that never follows redirects and has connect and overall
/// timeouts. [`ReqwestTransport::new`] takes a `reqwest::Client` of your own instead.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_body_bytes: u64,
    attempt_timeout: Option<Duration>,
}

impl ReqwestTransport {
    /// Wraps a `reqwest::Client` you configured yourself (proxies, custom TLS, a shared pool),
    /// with the default 32 MiB response-body limit.
    ///
    /// Authentication and the other headers come with each request from core, so any client
    /// works. Its own settings apply as they are: configure it with
    /// `redirect(reqwest::redirect::Policy::none())` (a followed redirect would hide Clerk's
    /// answer) and with timeouts, as the built-in constructors do.
    ///
    /// Each attempt is given the client's attempt timeout (or the call's), at most what is
    /// left of the retry budget, as its timeout, which reqwest puts in place of the client's
    /// own; [`ReqwestTransport::attempt_timeout`] caps it further.
    pub fn new(client: reqwest::Client) -> Self {
        Self {
            client,
            max_body_bytes: ClientOptions::DEFAULT_MAX_BODY_BYTES,
            attempt_timeout: None,
        }
    }

    /// Caps the time of one attempt, from connecting to the last body byte (the built-in
    /// constructors set it to their timeout). An attempt never runs past the retry budget
    /// either.
    #[must_use]
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// A `reqwest::Client` that never follows redirects, with the connect timeout, overall
    /// timeout per attempt (connect to last body byte) and body limit of `options`.
    pub(crate) fn build(options: &ClientOptions) -> Result<Self, Error> {
        let timeout = options.get_attempt_timeout();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(options.get_connect_timeout())
            .timeout(timeout)
            .build()
            .map_err(|e| {
                Error::Transport(
                    TransportError::new(
                        TransportErrorKind::Other,
                        format!("could not build the HTTP client: {}", chain(&e)),
                    )
                    .with_source(e),
                )
            })?;
        // No `attempt_timeout` cap here: the client's `Call` already gives each attempt the
        // client's attempt timeout, or a longer one a call's `RequestOptions` asks for, within
        // the budget; the reqwest client's own timeout covers requests sent without one.
        Ok(Self::new(client).max_body_bytes(options.get_max_body_bytes()))
    }

    /// Sets the largest response body accepted, in bytes (default 32 MiB). A larger body is a
    /// [`TransportErrorKind::BodyTooLarge`] error, read no further.
    #[must_use]
    pub fn max_body_bytes(mut self, limit: u64) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// The `reqwest::Client` requests go through.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }
}

impl Transport for ReqwestTransport {
    fn execute(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> impl Future<Output = Result<http::Response<Vec<u8>>, Error>> {
        // What is left of the call's budget, capped by this transport's attempt timeout.
        let left = request
            .extensions()
            .get::<clerk_backend_core::AttemptTimeout>()
            .map(|t| t.0);
        let timeout = match (left, self.attempt_timeout) {
            (Some(left), Some(cap)) => Some(left.min(cap)),
            (left, cap) => left.or(cap),
        };
        execute(&self.client, request, self.max_body_bytes, timeout)
    }

    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> {
        tokio::time::sleep(duration)
    }
}

/// Sends `request` once and reads the whole response body, up to `max_body` bytes.
async fn execute(
    client: &reqwest::Client,
    request: http::Request<Vec<u8>>,
    max_body: u64,
    timeout: Option<Duration>,
) -> Result<http::Response<Vec<u8>>, Error> {
    let mut request = reqwest::Request::try_from(request).map_err(|e| to_error(e, false))?;
    if timeout.is_some() {
        *request.timeout_mut() = timeout;
    }
    if request.body().and_then(reqwest::Body::as_bytes) == Some(&[]) {
        if matches!(
            *request.method(),
            reqwest::Method::POST | reqwest::Method::PUT | reqwest::Method::PATCH
        ) {
            // Hyper frames an empty body with no header at all; a method that carries content
            // says `Content-Length: 0` (RFC 9110 §8.6), which some proxies insist on.
            request.headers_mut().insert(
                http::header::CONTENT_LENGTH,
                http::HeaderValue::from_static("0"),
            );
        } else {
            *request.body_mut() = None;
        }
    }
    let mut response = client
        .execute(request)
        .await
        .map_err(|e| to_error(e, false))?;
    let announced = response.content_length();
    if announced.is_some_and(|length| length > max_body) {
        return Err(too_large(max_body));
    }
    let capacity = announced.unwrap_or(0).min(max_body).min(MAX_PREALLOCATION);
    let mut body = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    let status = response.status();
    let version = response.version();
    let headers = std::mem::take(response.headers_mut());
    while let Some(chunk) = response.chunk().await.map_err(|e| to_error(e, true))? {
        let total = u64::try_from(body.len().saturating_add(chunk.len())).unwrap_or(u64::MAX);
        if total > max_body {
            return Err(too_large(max_body));
        }
        body.extend_from_slice(&chunk);
    }
    let mut out = http::Response::new(body);
    *out.status_mut() = status;
    *out.version_mut() = version;
    *out.headers_mut() = headers;
    Ok(out)
}

fn too_large(limit: u64) -> Error {
    Error::Transport(TransportError::new(
        TransportErrorKind::BodyTooLarge,
        format!("the response body is larger than the limit of {limit} bytes"),
    ))
}

/// Classifies a reqwest error for the retry policy: could the request have been processed?
fn to_error(error: reqwest::Error, reading_body: bool) -> Error {
    let kind = if error.is_builder() {
        TransportErrorKind::Other
    } else if error.is_connect() && !reading_body {
        // No connection, including a connect timeout: the request was certainly not sent.
        TransportErrorKind::Connect
    } else if error.is_timeout() {
        TransportErrorKind::Timeout
    } else if error.is_request() || error.is_body() || error.is_decode() {
        TransportErrorKind::Io
    } else {
        TransportErrorKind::Other
    };
    let message = if reading_body {
        format!("reading the response body failed: {}", chain(&error))
    } else {
        chain(&error)
    };
    Error::Transport(TransportError::new(kind, message).with_source(error))
}

/// An error and its causes on one line (reqwest's own message leaves the cause out).
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

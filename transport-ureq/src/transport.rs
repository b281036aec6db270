//! One HTTP exchange over ureq: `http::Request<Vec<u8>>` in, `http::Response<Vec<u8>>` out.

use std::io::ErrorKind;

use clerk_backend_core::{Error, TransportError, TransportErrorKind, http};
use ureq::Timeout;

/// Sends `request` once and reads the whole response body, up to `max_body` bytes, within
/// `timeout` from connecting to the last body byte.
pub(crate) fn execute(
    agent: &ureq::Agent,
    request: http::Request<Vec<u8>>,
    max_body: u64,
    timeout: std::time::Duration,
) -> Result<http::Response<Vec<u8>>, Error> {
    let bodiless_method = matches!(
        *request.method(),
        http::Method::GET | http::Method::HEAD | http::Method::DELETE | http::Method::OPTIONS
    );
    let response = if request.body().is_empty() && bodiless_method {
        // Sent without any body framing (ureq refuses bodies on GET). An empty POST, PUT or
        // PATCH keeps its (empty) Vec body, so it goes out with `Content-Length: 0` rather
        // than an empty chunked body, which strict proxies dislike.
        let (parts, _) = request.into_parts();
        let request = agent
            .configure_request(http::Request::from_parts(parts, ()))
            .timeout_global(Some(timeout))
            .build();
        agent.run(request)
    } else {
        let request = agent
            .configure_request(request)
            .timeout_global(Some(timeout))
            .build();
        agent.run(request)
    }
    .map_err(|e| to_error(e, false))?;
    let (parts, mut body) = response.into_parts();
    let bytes = body
        .with_config()
        .limit(max_body)
        .read_to_vec()
        .map_err(|e| to_error(e, true))?;
    Ok(http::Response::from_parts(parts, bytes))
}

/// Classifies a ureq error for the retry policy: could the request have been processed?
fn to_error(error: ureq::Error, reading_body: bool) -> Error {
    let kind = match &error {
        ureq::Error::Timeout(Timeout::Resolve | Timeout::Connect) => TransportErrorKind::Connect,
        ureq::Error::Timeout(_) => TransportErrorKind::Timeout,
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => TransportErrorKind::Connect,
        ureq::Error::BodyExceedsLimit(_) => TransportErrorKind::BodyTooLarge,
        ureq::Error::Io(io) => match io.kind() {
            ErrorKind::ConnectionRefused | ErrorKind::AddrNotAvailable if !reading_body => {
                TransportErrorKind::Connect
            }
            ErrorKind::TimedOut | ErrorKind::WouldBlock => TransportErrorKind::Timeout,
            _ => TransportErrorKind::Io,
        },
        _ => TransportErrorKind::Other,
    };
    let message = match &error {
        ureq::Error::BodyExceedsLimit(limit) => {
            format!("the response body is larger than the limit of {limit} bytes")
        }
        other if reading_body => format!("reading the response body failed: {other}"),
        other => other.to_string(),
    };
    Error::Transport(TransportError::new(kind, message).with_source(error))
}

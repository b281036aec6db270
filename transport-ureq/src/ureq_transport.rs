//! The built-in transport: one HTTP exchange over ureq, `http::Request<Vec<u8>>` in,
//! `http::Response<Vec<u8>>` out.

use std::io::ErrorKind;
use std::time::Duration;

use clerk_backend_core::{
    AttemptTimeout, ClientOptions, Error, TransportError, TransportErrorKind, http,
};
use ureq::Timeout;

use crate::transport::Transport;

/// The [`Transport`] on [`ureq`] 3 that [`Client::new`](crate::Client::new) and
/// [`ClientBuilder::build`](crate::ClientBuilder::build) use: one `ureq::Agent` (connections
/// are pooled and reused) that never follows redirects, reads error statuses as responses, has
/// a connect timeout and an overall timeout per attempt (the request's
/// [`AttemptTimeout`], else the options' attempt timeout), and refuses response bodies over a
/// size limit instead of growing without bound.
#[derive(Debug, Clone)]
pub struct UreqTransport {
    agent: ureq::Agent,
    max_body_bytes: u64,
    attempt_timeout: Duration,
}

impl UreqTransport {
    /// A transport with the connect timeout, attempt timeout and body limit of `options`.
    pub fn new(options: &ClientOptions) -> Self {
        let agent_config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_connect(Some(bounded(options.get_connect_timeout())))
            .timeout_global(Some(bounded(options.get_attempt_timeout())))
            .build();
        let agent = ureq::Agent::with_parts(
            agent_config,
            ureq::unversioned::transport::DefaultConnector::default(),
            crate::resolver::CachingResolver::default(),
        );
        Self {
            agent,
            max_body_bytes: options.get_max_body_bytes(),
            attempt_timeout: options.get_attempt_timeout(),
        }
    }
}

impl Default for UreqTransport {
    /// A transport with [`ClientOptions::default`]'s settings.
    fn default() -> Self {
        Self::new(&ClientOptions::default())
    }
}

impl Transport for UreqTransport {
    fn execute(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, Error> {
        let timeout = request
            .extensions()
            .get::<AttemptTimeout>()
            .map_or(self.attempt_timeout, |t| t.0);
        execute(&self.agent, request, self.max_body_bytes, bounded(timeout))
    }
}

/// The longest timeout handed to ureq: about a century. ureq adds a timeout to an `Instant`,
/// which panics past what the platform's clock can represent, so "unbounded" settings
/// (`Duration::MAX`) are read as this instead.
const LONGEST_TIMEOUT: Duration = Duration::from_secs(100 * 365 * 24 * 60 * 60);

fn bounded(timeout: Duration) -> Duration {
    timeout.min(LONGEST_TIMEOUT)
}

/// Sends `request` once and reads the whole response body, up to `max_body` bytes, within
/// `timeout` from connecting to the last body byte.
fn execute(
    agent: &ureq::Agent,
    request: http::Request<Vec<u8>>,
    max_body: u64,
    timeout: Duration,
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

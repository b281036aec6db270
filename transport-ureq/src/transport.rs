//! The blocking `Transport` trait: the one thing an HTTP stack must provide to carry the client.

use std::time::{Duration, SystemTime};

use clerk_backend_core::{Error, TransportError, TransportErrorKind, http};

/// Moves one request to the API and its response back, blocking the thread; symmetric with
/// the async crate's `Transport`.
///
/// Implement it for your own HTTP stack, or pass a closure: any
/// `Fn(http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, E>` is a transport, where
/// `E` converts into `Box<dyn std::error::Error + Send + Sync>` (`std::io::Error`, a `String`,
/// your client's error, or this crate's [`Error`]). The client then adds retries, pagination
/// and authentication to it. The request arrives complete, with authentication, version and
/// content headers set by core; send it as it is.
///
/// # Contract
/// - Return every response that arrived as `Ok`, whatever its status: the client reads 4xx and
///   5xx bodies as Clerk's errors and decides on retries from the status. Do not follow
///   redirects.
/// - Say whether a failed request may have been processed, because retries depend on it:
///   return an [`Error::Transport`] (or a bare [`TransportError`]) of kind
///   [`TransportErrorKind::Connect`] when it was certainly not sent (retried for every method),
///   `Timeout` or `Io` when it may have been (retried for reads only). A closure's
///   `std::io::Error` is read by its kind (`ConnectionRefused`, `AddrNotAvailable`: `Connect`;
///   `TimedOut`, `WouldBlock`: `Timeout`; others: `Io`); any other error is
///   [`TransportErrorKind::Other`], never retried, and kept as the error's source.
/// - Bound what you read: refuse a body over your limit with `BodyTooLarge` rather than
///   buffering without end.
/// - Each request carries an [`AttemptTimeout`](clerk_backend_core::AttemptTimeout)
///   extension: the attempt timeout, at most what is left of the retry budget. Stop the attempt
///   when it runs out (as a `Timeout`), so that the budget bounds the whole call.
///
/// ```
/// use clerk_backend_ureq::{Client, Config, TransportError, TransportErrorKind, http};
///
/// // A transport that is never connected: every request fails before it is sent.
/// let offline = |_request: http::Request<Vec<u8>>| -> Result<http::Response<Vec<u8>>, TransportError> {
///     Err(TransportError::new(TransportErrorKind::Connect, "offline"))
/// };
/// let client = Client::with_transport(Config::new("sk_test_123")?, offline);
/// # Ok::<(), clerk_backend_ureq::Error>(())
/// ```
pub trait Transport {
    /// Sends `request` once and reads the whole response.
    ///
    /// # Errors
    /// [`Error::Transport`] when no complete response could be read (see the contract above).
    fn execute(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, Error>;

    /// Blocks the thread for `duration` (the wait between retries); `std::thread::sleep` by
    /// default.
    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }

    /// The time on a monotonic clock, from any fixed origin; the client takes differences of
    /// it to keep retries within the policy's budget. The default reads `std::time::Instant`.
    fn now(&self) -> Duration {
        static ORIGIN: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        ORIGIN.get_or_init(std::time::Instant::now).elapsed()
    }

    /// The wall-clock time that tokens' `exp`, `nbf` and `iat` are checked against (and the
    /// JWKS cache ages by); `std::time::SystemTime::now` by default.
    fn wall_clock(&self) -> SystemTime {
        SystemTime::now()
    }
}

impl<F, E> Transport for F
where
    F: Fn(http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, E>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    fn execute(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, Error> {
        self(request).map_err(|error| to_error(error.into()))
    }
}

/// A closure's error as a typed one: this crate's errors as they are, an I/O error by its
/// kind, anything else as an `Other` transport error with the original as its source.
pub(crate) fn to_error(error: Box<dyn std::error::Error + Send + Sync>) -> Error {
    let error = match error.downcast::<Error>() {
        Ok(error) => return *error,
        Err(other) => other,
    };
    let error = match error.downcast::<TransportError>() {
        Ok(error) => return Error::Transport(*error),
        Err(other) => other,
    };
    let kind = match error
        .downcast_ref::<std::io::Error>()
        .map(std::io::Error::kind)
    {
        Some(std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::AddrNotAvailable) => {
            TransportErrorKind::Connect
        }
        Some(std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock) => {
            TransportErrorKind::Timeout
        }
        Some(_) => TransportErrorKind::Io,
        None => TransportErrorKind::Other,
    };
    let mut transport = TransportError::new(kind, error.to_string());
    transport.source = Some(error);
    Error::Transport(transport)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<E>(error: E) -> Error
    where
        E: Into<Box<dyn std::error::Error + Send + Sync>> + Clone,
    {
        let transport = move |_request: http::Request<Vec<u8>>| {
            Err::<http::Response<Vec<u8>>, E>(error.clone())
        };
        match transport.execute(http::Request::new(Vec::new())) {
            Err(error) => error,
            Ok(_) => unreachable!("the closure always fails"),
        }
    }

    fn kind(error: &Error) -> Option<TransportErrorKind> {
        match error {
            Error::Transport(e) => Some(e.kind),
            _ => None,
        }
    }

    #[test]
    fn closure_errors_keep_their_meaning() {
        let refused = || std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let transport =
            |_request: http::Request<Vec<u8>>| Err::<http::Response<Vec<u8>>, _>(refused());
        let error = transport
            .execute(http::Request::new(Vec::new()))
            .expect_err("fails");
        assert_eq!(kind(&error), Some(TransportErrorKind::Connect));

        let timed_out = |_request: http::Request<Vec<u8>>| {
            Err::<http::Response<Vec<u8>>, _>(std::io::Error::from(std::io::ErrorKind::TimedOut))
        };
        let error = timed_out
            .execute(http::Request::new(Vec::new()))
            .expect_err("fails");
        assert_eq!(kind(&error), Some(TransportErrorKind::Timeout));

        let error = run("no route".to_owned());
        assert_eq!(kind(&error), Some(TransportErrorKind::Other));
        assert!(error.to_string().contains("no route"), "{error}");

        // A typed error comes back as it was.
        let typed = |_request: http::Request<Vec<u8>>| {
            Err::<http::Response<Vec<u8>>, _>(TransportError::new(
                TransportErrorKind::Connect,
                "not processed",
            ))
        };
        let error = typed
            .execute(http::Request::new(Vec::new()))
            .expect_err("fails");
        assert_eq!(kind(&error), Some(TransportErrorKind::Connect));
        let whole = |_request: http::Request<Vec<u8>>| {
            Err::<http::Response<Vec<u8>>, Error>(
                TransportError::new(TransportErrorKind::Io, "reset").into(),
            )
        };
        let error = whole
            .execute(http::Request::new(Vec::new()))
            .expect_err("fails");
        assert_eq!(kind(&error), Some(TransportErrorKind::Io));
    }
}

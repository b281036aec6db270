//! The `Transport` trait: the one thing an async HTTP stack must provide to carry the client.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use clerk_backend_core::{Error, http};

/// Moves one request to the API and its response back, and waits when told to.
///
/// Implement it for your own HTTP stack (hyper, a proxy, another runtime's client, a test double), or build
/// one from two closures with [`from_fn`](crate::from_fn). The request arrives complete, with
/// authentication, version and content headers set by core; send it as it is.
///
/// # Contract
/// - Return every response that arrived as `Ok`, whatever its status: the client reads 4xx and
///   5xx bodies as Clerk's errors and decides on retries from the status. Do not follow redirects.
/// - Return failures to move bytes as [`Error::Transport`] with the
///   [`TransportErrorKind`](crate::TransportErrorKind) that says whether the request may have
///   been processed: `Connect` (certainly not sent; retried for every method), `Timeout` and
///   `Io` (maybe processed; retried only for idempotent methods), `BodyTooLarge` and `Other`
///   (never retried).
/// - Bound what you read: refuse a body over your limit with `BodyTooLarge` rather than
///   buffering without end.
/// - [`Transport::sleep`] waits without blocking the thread, with your runtime's timer.
/// - Each request carries an [`AttemptTimeout`](clerk_backend_core::AttemptTimeout)
///   extension: the attempt timeout, at most what is left of the retry budget (set by core's
///   [`Call`](clerk_backend_core::Call)). Stop the attempt when it runs out (as a
///   `Timeout`), so that the budget bounds the whole call.
///
/// The futures may or may not be `Send`; the client's futures are `Send` exactly when these are.
///
/// ```
/// use std::time::Duration;
/// use clerk_backend_async::{Error, Transport, TransportError, TransportErrorKind, http};
///
/// /// A transport that is never connected: every request fails before it is sent.
/// struct Offline;
///
/// impl Transport for Offline {
///     async fn execute(
///         &self,
///         _request: http::Request<Vec<u8>>,
///     ) -> Result<http::Response<Vec<u8>>, Error> {
///         Err(TransportError::new(TransportErrorKind::Connect, "offline").into())
///     }
///
///     async fn sleep(&self, _duration: Duration) {}
/// }
/// ```
pub trait Transport {
    /// Sends `request` once and reads the whole response.
    ///
    /// # Errors
    /// [`Error::Transport`] when no complete response could be read (see the contract above).
    fn execute(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> impl Future<Output = Result<http::Response<Vec<u8>>, Error>>;

    /// Completes after `duration`, without blocking the thread (the wait between retries).
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()>;

    /// The time on a monotonic clock, from any fixed origin; the client takes differences of
    /// it to keep retries within the policy's budget.
    ///
    /// The default reads `std::time::Instant`. On a target without a standard clock
    /// (`wasm32-unknown-unknown`, where `Instant::now` panics) return your platform's monotonic
    /// time here (for instance `performance.now()` in a browser or a worker).
    fn now(&self) -> Duration {
        std_now()
    }

    /// The wall-clock time that tokens' `exp`, `nbf` and `iat` are checked against (and the
    /// JWKS cache ages by).
    ///
    /// The default reads `std::time::SystemTime`; on a target without it, return your
    /// platform's time (for instance `Date.now()` in a browser or a worker).
    fn wall_clock(&self) -> std::time::SystemTime {
        std::time::SystemTime::now()
    }
}

/// Time since the first call in this process, on `std::time::Instant`.
fn std_now() -> Duration {
    static ORIGIN: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    ORIGIN.get_or_init(std::time::Instant::now).elapsed()
}

impl<T: Transport + ?Sized> Transport for &T {
    fn execute(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> impl Future<Output = Result<http::Response<Vec<u8>>, Error>> {
        (**self).execute(request)
    }

    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> {
        (**self).sleep(duration)
    }

    fn now(&self) -> Duration {
        (**self).now()
    }

    fn wall_clock(&self) -> std::time::SystemTime {
        (**self).wall_clock()
    }
}

impl<T: Transport + ?Sized> Transport for Arc<T> {
    fn execute(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> impl Future<Output = Result<http::Response<Vec<u8>>, Error>> {
        (**self).execute(request)
    }

    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> {
        (**self).sleep(duration)
    }

    fn now(&self) -> Duration {
        (**self).now()
    }

    fn wall_clock(&self) -> std::time::SystemTime {
        (**self).wall_clock()
    }
}

//! A transport made of two closures: one that sends a request, one that waits.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use clerk_backend_core::{Error, http};

use crate::transport::Transport;

/// A [`Transport`] from two closures; see [`from_fn`].
#[derive(Clone, Copy)]
pub struct FnTransport<F, S> {
    execute: F,
    sleep: S,
}

/// A [`Transport`] from a closure that sends one request and a closure that waits.
///
/// `execute` receives the complete request (authentication included) and returns the response
/// whatever its status, or an [`Error::Transport`] of the right
/// [`TransportErrorKind`](crate::TransportErrorKind); see [`Transport`] for the contract. `sleep`
/// waits with your runtime's timer (`tokio::time::sleep`, `async_io::Timer::after`, …).
///
/// ```
/// use std::sync::Arc;
/// use clerk_backend_async::{Client, Config, Error, from_fn, http};
///
/// // Anything async that can send an `http::Request<Vec<u8>>`, shared with the closure.
/// let my_stack = Arc::new(());
/// let transport = from_fn(
///     move |request: http::Request<Vec<u8>>| {
///         let _stack = Arc::clone(&my_stack);
///         async move {
///             // _stack.send(request).await ...
///             # let _ = request;
///             Ok::<_, Error>(http::Response::new(b"{}".to_vec()))
///         }
///     },
///     tokio::time::sleep,
/// );
/// let client = Client::with_transport(Config::new("sk_test_123")?, transport);
/// # Ok::<(), Error>(())
/// ```
pub fn from_fn<F, Fut, S, SFut>(execute: F, sleep: S) -> FnTransport<F, S>
where
    F: Fn(http::Request<Vec<u8>>) -> Fut,
    Fut: Future<Output = Result<http::Response<Vec<u8>>, Error>>,
    S: Fn(Duration) -> SFut,
    SFut: Future<Output = ()>,
{
    FnTransport { execute, sleep }
}

impl<F, Fut, S, SFut> Transport for FnTransport<F, S>
where
    F: Fn(http::Request<Vec<u8>>) -> Fut,
    Fut: Future<Output = Result<http::Response<Vec<u8>>, Error>>,
    S: Fn(Duration) -> SFut,
    SFut: Future<Output = ()>,
{
    fn execute(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> impl Future<Output = Result<http::Response<Vec<u8>>, Error>> {
        (self.execute)(request)
    }

    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> {
        (self.sleep)(duration)
    }
}

impl<F, S> fmt::Debug for FnTransport<F, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FnTransport").finish_non_exhaustive()
    }
}

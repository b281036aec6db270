//! The two transports over one [`MockApi`]: blocking for `clerk-backend-ureq`, async for
//! `clerk-backend-async`.

use std::time::{Duration, SystemTime};

use clerk_backend_core::{Error, http};

use super::MockApi;

/// The blocking client's transport over a [`MockApi`] (from [`MockApi::transport`]):
/// answers from the script, sleeps on its [`TestClock`](crate::TestClock).
#[derive(Clone, Debug)]
pub struct MockTransport {
    api: MockApi,
}

impl MockTransport {
    pub(crate) fn new(api: MockApi) -> Self {
        Self { api }
    }

    /// The mock it answers from (for assertions through `client.transport().api()`).
    pub fn api(&self) -> &MockApi {
        &self.api
    }
}

impl clerk_backend_ureq::Transport for MockTransport {
    /// The first mock's answer that matches `request`, recorded.
    ///
    /// # Errors
    /// The answer's transport error, or a loud [`Error::Transport`] when no mock matches.
    fn execute(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, Error> {
        self.api.answer(request)
    }

    /// Advances the mock's clock by `duration`, at once.
    fn sleep(&self, duration: Duration) {
        self.api.sleep(duration);
    }

    fn now(&self) -> Duration {
        self.api.monotonic()
    }

    fn wall_clock(&self) -> SystemTime {
        self.api.clock().now()
    }
}

/// The async client's transport over a [`MockApi`] (from [`MockApi::async_transport`]):
/// answers from the script, sleeps on its [`TestClock`](crate::TestClock). Its futures are
/// ready at once and `Send`: any runtime, or none, drives them.
#[derive(Clone, Debug)]
pub struct AsyncMockTransport {
    api: MockApi,
}

impl AsyncMockTransport {
    pub(crate) fn new(api: MockApi) -> Self {
        Self { api }
    }

    /// The mock it answers from (for assertions through `client.transport().api()`).
    pub fn api(&self) -> &MockApi {
        &self.api
    }
}

// The futures are promised `Send` in the signatures, on purpose.
#[allow(refining_impl_trait)]
impl clerk_backend_async::Transport for AsyncMockTransport {
    fn execute(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> impl Future<Output = Result<http::Response<Vec<u8>>, Error>> + Send {
        std::future::ready(self.api.answer(request))
    }

    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        self.api.sleep(duration);
        std::future::ready(())
    }

    fn now(&self) -> Duration {
        self.api.monotonic()
    }

    fn wall_clock(&self) -> SystemTime {
        self.api.clock().now()
    }
}

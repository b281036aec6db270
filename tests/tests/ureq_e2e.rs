//! The shared end-to-end scenarios, run against the blocking ureq client.

use clerk_backend_core::{Endpoint, Error, Paginated, serde_json};
use clerk_backend_tests::scenarios::{Harness, Settings};

struct Blocking(clerk_backend_ureq::Client);

impl Harness for Blocking {
    fn make(config: clerk_backend_core::Config, settings: Settings) -> Self {
        let mut builder = clerk_backend_ureq::Client::builder(config).retry_policy(settings.retry);
        if let Some(limit) = settings.max_body_bytes {
            builder = builder.max_body_bytes(limit);
        }
        Self(builder.build())
    }

    fn send<E: Endpoint + Sync>(&self, endpoint: &E) -> Result<E::Output, Error> {
        self.0.send(endpoint)
    }

    fn send_raw<E: Endpoint + Sync>(&self, endpoint: &E) -> Result<serde_json::Value, Error> {
        self.0.send_raw(endpoint)
    }

    fn collect_pages<E>(&self, endpoint: E) -> Vec<Result<E::Item, Error>>
    where
        E: Paginated + Send + Sync + 'static,
        E::Item: Send,
    {
        self.0.pages(endpoint).collect()
    }
}

clerk_backend_tests::scenario_tests!(Blocking);

//! The blocking client: configuration, retries and typed sends.

use std::time::{Duration, Instant};

use clerk_backend_core::{
    Config, Endpoint, Error, Outcome, Paginated, RetryDecision, RetryPolicy, http,
    parse_retry_after, serde_json,
};

use crate::pages::Pages;

#[cfg(feature = "auth")]
use clerk_backend_core::auth::{JwksCache, PublicKey, SharedKeys};

/// Default connect timeout.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default timeout for one whole attempt (connect, send, receive).
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default response-body limit: far above a 500-user page, far below unbounded.
const MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;

/// A blocking Clerk Backend API client.
///
/// Cheap to clone (the connection pool is shared) and safe to share across threads.
#[derive(Debug, Clone)]
pub struct Client {
    agent: ureq::Agent,
    config: Config,
    retry: RetryPolicy,
    max_body_bytes: u64,
    timeout: Duration,
    #[cfg(feature = "auth")]
    auth: std::sync::Arc<crate::authenticate::AuthKeys>,
}

/// Settings for a [`Client`]; start from [`Client::builder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ClientBuilder {
    config: Config,
    retry: RetryPolicy,
    connect_timeout: Duration,
    timeout: Duration,
    max_body_bytes: u64,
    #[cfg(feature = "auth")]
    jwt_key: Option<PublicKey>,
    #[cfg(feature = "auth")]
    jwks_cache: Option<JwksCache>,
}

impl ClientBuilder {
    /// Verifies session tokens with this PEM key (the Dashboard's "JWKS Public Key") instead
    /// of fetching the instance's JWKS: [`Client::authenticate`] then needs no network. It
    /// takes precedence over [`ClientBuilder::jwks_cache`].
    #[cfg(feature = "auth")]
    pub fn jwt_key(mut self, key: PublicKey) -> Self {
        self.jwt_key = Some(key);
        self
    }

    /// Uses this JWKS cache (for its TTL and refetch interval) for [`Client::authenticate`].
    #[cfg(feature = "auth")]
    pub fn jwks_cache(mut self, cache: JwksCache) -> Self {
        self.jwks_cache = Some(cache);
        self
    }

    /// Sets the retry policy (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sets the connect timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the timeout of one attempt, from connecting to the last body byte (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the largest response body accepted, in bytes (default 32 MiB). A larger body is a
    /// [`TransportErrorKind::BodyTooLarge`](clerk_backend_core::TransportErrorKind::BodyTooLarge)
    /// error, read no further.
    pub fn max_body_bytes(mut self, limit: u64) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Client {
        let agent_config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_connect(Some(self.connect_timeout))
            .timeout_global(Some(self.timeout))
            .build();
        let agent = ureq::Agent::with_parts(
            agent_config,
            ureq::unversioned::transport::DefaultConnector::default(),
            crate::resolver::CachingResolver::default(),
        );
        Client {
            agent,
            config: self.config,
            retry: self.retry,
            max_body_bytes: self.max_body_bytes,
            timeout: self.timeout,
            #[cfg(feature = "auth")]
            auth: crate::authenticate::AuthKeys::new(match (self.jwt_key, self.jwks_cache) {
                (Some(key), _) => SharedKeys::Pem(std::sync::Arc::new(key)),
                (None, cache) => SharedKeys::Jwks(std::sync::Mutex::new(cache.unwrap_or_default())),
            }),
        }
    }
}

impl Client {
    /// A client with default settings.
    pub fn new(config: Config) -> Self {
        Self::builder(config).build()
    }

    /// A client configured from `CLERK_SECRET_KEY` and/or `CLERK_MACHINE_SECRET_KEY` (at least
    /// one; see [`Config::from_env`] for which key each operation uses) and optional
    /// `CLERK_API_URL`; with the
    /// `auth` feature, `CLERK_JWT_KEY` (a PEM public key) when set, so that
    /// [`Client::authenticate`] needs no network.
    ///
    /// # Errors
    /// [`Error::Config`] naming the variable that is missing or malformed.
    pub fn from_env() -> Result<Self, Error> {
        let builder = Self::builder(Config::from_env()?);
        #[cfg(feature = "auth")]
        let builder = match clerk_backend_core::auth::jwt_key_from_env()? {
            Some(key) => builder.jwt_key(key),
            None => builder,
        };
        Ok(builder.build())
    }

    /// Settings to adjust before building.
    pub fn builder(config: Config) -> ClientBuilder {
        ClientBuilder {
            config,
            retry: RetryPolicy::default(),
            connect_timeout: CONNECT_TIMEOUT,
            timeout: ATTEMPT_TIMEOUT,
            max_body_bytes: MAX_BODY_BYTES,
            #[cfg(feature = "auth")]
            jwt_key: None,
            #[cfg(feature = "auth")]
            jwks_cache: None,
        }
    }

    /// The configuration requests are built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    #[cfg(feature = "auth")]
    pub(crate) fn auth_keys(&self) -> &crate::authenticate::AuthKeys {
        &self.auth
    }

    /// Sends an operation and decodes its result, retrying as the policy allows.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] before sending; [`Error::Api`] for a non-2xx answer (after any
    /// retries); [`Error::Decode`] for a body that does not decode; [`Error::Transport`].
    pub fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        let request = endpoint.to_http(&self.config)?;
        E::parse(self.execute(&request)?)
    }

    /// Sends an operation and returns its 2xx body as untyped JSON.
    ///
    /// # Errors
    /// As [`Client::send`].
    pub fn send_raw<E: Endpoint>(&self, endpoint: &E) -> Result<serde_json::Value, Error> {
        let request = endpoint.to_http(&self.config)?;
        E::parse_raw(self.execute(&request)?)
    }

    /// Iterates over every item of a list operation, fetching page after page (one page in
    /// memory). The iterator yields `Err` once and ends if a page fails.
    pub fn pages<E: Paginated>(&self, endpoint: E) -> Pages<'_, E> {
        Pages::new(self, endpoint)
    }

    /// Executes a request built by core (or by hand), with retries; statuses other than 2xx
    /// are returned as responses, not errors.
    ///
    /// # Errors
    /// [`Error::Transport`] when no response could be read after the allowed retries.
    pub fn execute(
        &self,
        request: &http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        self.execute_with_retry_as(request, request.method())
    }

    /// [`Client::execute`], with retries decided as for a request of `method` (a verify call
    /// sent as `POST` is retried as the read it is).
    pub(crate) fn execute_with_retry_as(
        &self,
        request: &http::Request<Vec<u8>>,
        method: &http::Method,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        let started = Instant::now();
        let mut attempt: u32 = 1;
        let mut last = None;
        loop {
            // The budget is a deadline for the whole call: each attempt gets what is left.
            let Some(timeout) = self.retry.attempt_timeout(started.elapsed(), self.timeout) else {
                return last.unwrap_or_else(|| {
                    Err(clerk_backend_core::TransportError::budget_exhausted().into())
                });
            };
            let result = crate::transport::execute(
                &self.agent,
                clerk_backend_core::copy_request(request),
                self.max_body_bytes,
                timeout,
            );
            let outcome = match &result {
                Ok(response) if response.status().is_success() => None,
                Ok(response) => Some(Outcome::Status {
                    status: response.status(),
                    retry_after: parse_retry_after(response.headers()),
                }),
                Err(error) => Outcome::of_error(error),
            };
            let Some(outcome) = outcome else {
                return result;
            };
            match self.retry.decide(
                method,
                outcome,
                attempt,
                started.elapsed(),
                clerk_backend_core::jitter(),
            ) {
                RetryDecision::RetryAfter(delay) => {
                    std::thread::sleep(delay);
                    attempt = attempt.saturating_add(1);
                    last = Some(result);
                }
                RetryDecision::Stop => return result,
            }
        }
    }
}

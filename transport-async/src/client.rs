//! The async client: retries, typed sends and pagination over any [`Transport`].

use std::time::Duration;

use clerk_backend_core::{
    Config, Endpoint, Error, Outcome, Pager, Paginated, RetryDecision, RetryPolicy, http,
    parse_retry_after, serde_json,
};

use crate::pages::{PageResult, Pages};
use crate::transport::Transport;

#[cfg(feature = "reqwest")]
use crate::reqwest_transport::ReqwestTransport;

/// Default connect timeout.
#[cfg(feature = "reqwest")]
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default timeout for one whole attempt (connect, send, receive).
#[cfg(feature = "reqwest")]
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);

/// An async Clerk Backend API client over the transport `T`.
///
/// Cheap to clone when the transport is (reqwest's connection pool is shared) and safe to share
/// across tasks when the transport is `Sync`.
#[derive(Debug, Clone)]
pub struct Client<T> {
    transport: T,
    config: Config,
    retry: RetryPolicy,
    #[cfg(feature = "auth")]
    auth: std::sync::Arc<crate::authenticate::AuthKeys>,
}

impl<T: Transport> Client<T> {
    /// A client that sends through `transport`, with the default [`RetryPolicy`].
    pub fn with_transport(config: Config, transport: T) -> Self {
        Self {
            transport,
            config,
            retry: RetryPolicy::default(),
            #[cfg(feature = "auth")]
            auth: crate::authenticate::AuthKeys::new(clerk_backend_core::auth::SharedKeys::jwks()),
        }
    }

    /// Verifies session tokens with this PEM key (the Dashboard's "JWKS Public Key") instead
    /// of fetching the instance's JWKS: [`Client::authenticate`] then needs no network.
    #[cfg(feature = "auth")]
    #[must_use]
    pub fn with_jwt_key(mut self, key: clerk_backend_core::auth::PublicKey) -> Self {
        self.auth = crate::authenticate::AuthKeys::new(clerk_backend_core::auth::SharedKeys::Pem(
            std::sync::Arc::new(key),
        ));
        self
    }

    /// Uses this JWKS cache (for its TTL and refetch interval) for [`Client::authenticate`].
    #[cfg(feature = "auth")]
    #[must_use]
    pub fn with_jwks_cache(mut self, cache: clerk_backend_core::auth::JwksCache) -> Self {
        self.auth = crate::authenticate::AuthKeys::new(clerk_backend_core::auth::SharedKeys::Jwks(
            std::sync::Mutex::new(cache),
        ));
        self
    }

    #[cfg(feature = "auth")]
    pub(crate) fn auth_keys(&self) -> &crate::authenticate::AuthKeys {
        &self.auth
    }

    /// Replaces the retry policy (default: [`RetryPolicy::default`]).
    #[must_use]
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The configuration requests are built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The transport requests go through.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Sends an operation and decodes its result, retrying as the policy allows.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] before sending; [`Error::Api`] for a non-2xx answer (after any
    /// retries); [`Error::Decode`] for a body that does not decode; [`Error::Transport`].
    pub async fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        let request = endpoint.to_http(&self.config)?;
        E::parse(self.execute(&request).await?)
    }

    /// Sends an operation and returns its 2xx body as untyped JSON.
    ///
    /// # Errors
    /// As [`Client::send`].
    pub async fn send_raw<E: Endpoint>(&self, endpoint: &E) -> Result<serde_json::Value, Error> {
        let request = endpoint.to_http(&self.config)?;
        E::parse_raw(self.execute(&request).await?)
    }

    /// Every item of a list operation as a [`Stream`](futures_core::Stream), fetched page after
    /// page (one page in memory). The stream yields `Err` once and ends if a page fails.
    ///
    /// [`Pages::next`] reads it without any stream utility crate.
    pub fn pages<E: Paginated>(
        &self,
        endpoint: E,
    ) -> Pages<'_, T, E, impl Future<Output = PageResult<E>>> {
        Pages::new(self, Pager::new(endpoint), fetch_page::<T, E>)
    }

    /// Executes a request built by core (or by hand), with retries; statuses other than 2xx
    /// are returned as responses, not errors.
    ///
    /// # Errors
    /// [`Error::Transport`] when no response could be read after the allowed retries.
    pub async fn execute(
        &self,
        request: &http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        self.execute_with_retry_as(request, request.method()).await
    }

    /// [`Client::execute`], with retries decided as for a request of `method` (a verify call
    /// sent as `POST` is retried as the read it is).
    pub(crate) async fn execute_with_retry_as(
        &self,
        request: &http::Request<Vec<u8>>,
        method: &http::Method,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        let started = self.transport.now();
        let mut attempt: u32 = 1;
        let mut last = None;
        loop {
            // The budget is a deadline for the whole call: each attempt gets what is left,
            // as an extension the transport honours.
            let elapsed = self.transport.now().saturating_sub(started);
            let Some(left) = self.retry.attempt_timeout(elapsed, Duration::MAX) else {
                return last.unwrap_or_else(|| {
                    Err(clerk_backend_core::TransportError::budget_exhausted().into())
                });
            };
            let mut attempt_request = clerk_backend_core::copy_request(request);
            attempt_request
                .extensions_mut()
                .insert(clerk_backend_core::AttemptTimeout(left));
            let result = self.transport.execute(attempt_request).await;
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
                self.transport.now().saturating_sub(started),
                clerk_backend_core::jitter(),
            ) {
                RetryDecision::RetryAfter(delay) => {
                    // Kept only to be returned if the deadline passes during the wait.
                    last = Some(result);
                    self.transport.sleep(delay).await;
                    attempt = attempt.saturating_add(1);
                }
                RetryDecision::Stop => return result,
            }
        }
    }
}

/// Fetches the page the pager asks for next; hands the pager back with the result, or with
/// `None` when the list is exhausted.
async fn fetch_page<T: Transport, E: Paginated>(
    client: &Client<T>,
    mut pager: Pager<E>,
) -> PageResult<E> {
    let request = match pager.next_request() {
        Some(endpoint) => endpoint.to_http(&client.config),
        None => return (pager, None),
    };
    let items = match request {
        Ok(request) => match client.execute(&request).await {
            Ok(response) => pager.on_response(response),
            Err(error) => Err(error),
        },
        Err(error) => Err(error),
    };
    (pager, Some(items))
}

#[cfg(feature = "reqwest")]
impl Client<ReqwestTransport> {
    /// A client on the built-in reqwest transport, with default settings.
    ///
    /// # Errors
    /// [`Error::Transport`] if the HTTP client cannot be built (for example, no TLS provider).
    pub fn new(config: Config) -> Result<Self, Error> {
        Self::builder(config).build()
    }

    /// A client configured from `CLERK_SECRET_KEY` and/or `CLERK_MACHINE_SECRET_KEY` (at least
    /// one; see [`Config::from_env`] for which key each operation uses) and optional
    /// `CLERK_API_URL`; with the
    /// `auth` feature, `CLERK_JWT_KEY` (a PEM public key) when set, so that
    /// [`Client::authenticate`] needs no network.
    ///
    /// # Errors
    /// [`Error::Config`] naming the variable that is missing or malformed; otherwise as
    /// [`Client::new`].
    pub fn from_env() -> Result<Self, Error> {
        let client = Self::new(Config::from_env()?)?;
        #[cfg(feature = "auth")]
        let client = match clerk_backend_core::auth::jwt_key_from_env()? {
            Some(key) => client.with_jwt_key(key),
            None => client,
        };
        Ok(client)
    }

    /// Settings to adjust before building a client on the built-in reqwest transport.
    pub fn builder(config: Config) -> ClientBuilder {
        ClientBuilder {
            config,
            retry: RetryPolicy::default(),
            connect_timeout: CONNECT_TIMEOUT,
            timeout: ATTEMPT_TIMEOUT,
            max_body_bytes: crate::reqwest_transport::MAX_BODY_BYTES,
        }
    }
}

/// Settings for a [`Client`] on the built-in reqwest transport; start from [`Client::builder`].
///
/// To use a `reqwest::Client` of your own instead, wrap it with [`ReqwestTransport::new`] and
/// pass it to [`Client::with_transport`].
#[cfg(feature = "reqwest")]
#[derive(Debug, Clone)]
#[must_use]
pub struct ClientBuilder {
    config: Config,
    retry: RetryPolicy,
    connect_timeout: Duration,
    timeout: Duration,
    max_body_bytes: u64,
}

#[cfg(feature = "reqwest")]
impl ClientBuilder {
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

    /// Builds the client: a fresh `reqwest::Client` that never follows redirects, with the
    /// timeouts set here.
    ///
    /// # Errors
    /// [`Error::Transport`] if reqwest cannot build its client (for example, no TLS provider
    /// could be set up).
    pub fn build(self) -> Result<Client<ReqwestTransport>, Error> {
        let transport = ReqwestTransport::build(self.connect_timeout, self.timeout)?
            .max_body_bytes(self.max_body_bytes);
        Ok(Client::with_transport(self.config, transport).with_retry_policy(self.retry))
    }
}

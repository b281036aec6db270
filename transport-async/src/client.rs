//! The async client: typed sends and pagination over any [`Transport`], with core's [`Call`]
//! driving the retries.

use std::fmt;
use std::sync::Arc;
#[cfg(feature = "reqwest")]
use std::time::Duration;

use clerk_backend_core::{
    Call, ClientOptions, Config, Endpoint, Error, Next, Pager, Paginated, RequestOptions,
    RetryPolicy, TransportError, TransportErrorKind, http, serde_json,
};

use crate::pages::{PageResult, Pages};
use crate::transport::Transport;

#[cfg(feature = "reqwest")]
use crate::reqwest_transport::ReqwestTransport;

/// An async Clerk Backend API client over the transport `T`.
///
/// Cheap to clone (the transport, reqwest's connection pool and the key cache are shared, and
/// `T` need not be `Clone`) and safe to share across tasks when the transport is
/// `Send + Sync`.
pub struct Client<T> {
    transport: Arc<T>,
    config: Config,
    options: ClientOptions,
    #[cfg(feature = "auth")]
    auth: Arc<crate::authenticate::AuthKeys>,
}

impl<T> Clone for Client<T> {
    fn clone(&self) -> Self {
        Self {
            transport: Arc::clone(&self.transport),
            config: self.config.clone(),
            options: self.options.clone(),
            #[cfg(feature = "auth")]
            auth: Arc::clone(&self.auth),
        }
    }
}

impl<T> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Client<T> {
    /// A client that sends through `transport`, with [`ClientOptions::default`] (its retry
    /// policy, and its 60 s attempt timeout as the cap of each request's
    /// [`AttemptTimeout`](clerk_backend_core::AttemptTimeout)).
    pub fn with_transport(config: Config, transport: T) -> Self {
        Self {
            transport: Arc::new(transport),
            config,
            options: ClientOptions::default(),
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
            Arc::new(key),
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
        self.options = self.options.retry_policy(policy);
        self
    }

    /// Replaces the settings every call starts from (the retry policy and the attempt timeout
    /// apply to every transport; the connect timeout and body limit are read only when the
    /// built-in transport is built, by [`ClientBuilder`]).
    #[must_use]
    pub fn with_options(mut self, options: ClientOptions) -> Self {
        self.options = options;
        self
    }

    /// The configuration requests are built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        self.options.get_retry_policy()
    }

    /// The settings every call starts from.
    pub fn options(&self) -> &ClientOptions {
        &self.options
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
        self.send_with(endpoint, &RequestOptions::default()).await
    }

    /// [`Client::send`] with settings for this call: timeout, retry policy, extra headers.
    ///
    /// # Errors
    /// As [`Client::send`].
    pub async fn send_with<E: Endpoint>(
        &self,
        endpoint: &E,
        options: &RequestOptions,
    ) -> Result<E::Output, Error> {
        let request = endpoint.to_http(&self.config)?;
        E::parse(self.execute_with(request, options).await?)
    }

    /// Sends an operation and returns its 2xx body as untyped JSON.
    ///
    /// # Errors
    /// As [`Client::send`].
    pub async fn send_raw<E: Endpoint>(&self, endpoint: &E) -> Result<serde_json::Value, Error> {
        self.send_raw_with(endpoint, &RequestOptions::default())
            .await
    }

    /// [`Client::send_raw`] with settings for this call.
    ///
    /// # Errors
    /// As [`Client::send`].
    pub async fn send_raw_with<E: Endpoint>(
        &self,
        endpoint: &E,
        options: &RequestOptions,
    ) -> Result<serde_json::Value, Error> {
        let request = endpoint.to_http(&self.config)?;
        E::parse_raw(self.execute_with(request, options).await?)
    }

    /// Every item of a list operation as a [`Stream`](futures_core::Stream), fetched page after
    /// page (one page in memory). The stream yields `Err` once and ends if a page fails.
    ///
    /// It owns a clone of the client, so it can outlive this borrow and be spawned.
    /// [`Pages::next`] reads it without any stream utility crate.
    pub fn pages<E: Paginated>(
        &self,
        endpoint: E,
    ) -> Pages<T, E, impl Future<Output = PageResult<E>> + use<T, E>> {
        self.pages_with(endpoint, RequestOptions::default())
    }

    /// [`Client::pages`] with settings for every page's call.
    pub fn pages_with<E: Paginated>(
        &self,
        endpoint: E,
        options: RequestOptions,
    ) -> Pages<T, E, impl Future<Output = PageResult<E>> + use<T, E>> {
        Pages::new(
            self.clone(),
            Pager::new(endpoint),
            options,
            fetch_page::<T, E>,
        )
    }

    /// Executes a request built by core (or by hand), with retries; statuses other than 2xx
    /// are returned as responses, not errors.
    ///
    /// # Errors
    /// [`Error::Transport`] when no response could be read after the allowed retries.
    pub async fn execute(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        self.execute_with(request, &RequestOptions::default()).await
    }

    /// [`Client::execute`] with settings for this call.
    ///
    /// # Errors
    /// As [`Client::execute`].
    pub async fn execute_with(
        &self,
        request: http::Request<Vec<u8>>,
        options: &RequestOptions,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        self.drive(Call::new(request, &self.options, options)).await
    }

    /// Runs a call to its end: send, wait, repeat, as it says.
    pub(crate) async fn drive(&self, mut call: Call) -> Result<http::Response<Vec<u8>>, Error> {
        loop {
            match call.next(self.transport.now()) {
                Next::Send(request) => {
                    let result = self.transport.execute(request).await;
                    call.on_result(result, self.transport.now());
                }
                Next::Wait(wait) => self.transport.sleep(wait).await,
                Next::Done(result) => return result,
                _ => {
                    return Err(TransportError::new(
                        TransportErrorKind::Other,
                        "the call asked for a step this client does not know",
                    )
                    .into());
                }
            }
        }
    }
}

/// Fetches the page the pager asks for next; hands the pager back with the result, or with
/// `None` when the list is exhausted.
async fn fetch_page<T: Transport, E: Paginated>(
    client: Client<T>,
    mut pager: Pager<E>,
    options: RequestOptions,
) -> PageResult<E> {
    let request = match pager.next_request() {
        Some(endpoint) => endpoint.to_http(&client.config),
        None => return (pager, None),
    };
    let items = match request {
        Ok(request) => match client.execute_with(request, &options).await {
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
            options: ClientOptions::default(),
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
    options: ClientOptions,
}

#[cfg(feature = "reqwest")]
impl ClientBuilder {
    /// Replaces every setting of [`ClientOptions`] at once.
    pub fn options(mut self, options: ClientOptions) -> Self {
        self.options = options;
        self
    }

    /// Sets the retry policy (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.options = self.options.retry_policy(policy);
        self
    }

    /// Sets the connect timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.options = self.options.connect_timeout(timeout);
        self
    }

    /// Sets the timeout of one attempt, from connecting to the last body byte (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options = self.options.attempt_timeout(timeout);
        self
    }

    /// The settings so far.
    pub fn get_options(&self) -> &ClientOptions {
        &self.options
    }

    /// Sets the largest response body accepted, in bytes (default 32 MiB). A larger body is a
    /// [`TransportErrorKind::BodyTooLarge`](clerk_backend_core::TransportErrorKind::BodyTooLarge)
    /// error, read no further.
    pub fn max_body_bytes(mut self, limit: u64) -> Self {
        self.options = self.options.max_body_bytes(limit);
        self
    }

    /// Builds the client: a fresh `reqwest::Client` that never follows redirects, with the
    /// timeouts set here.
    ///
    /// # Errors
    /// [`Error::Transport`] if reqwest cannot build its client (for example, no TLS provider
    /// could be set up).
    pub fn build(self) -> Result<Client<ReqwestTransport>, Error> {
        let transport = ReqwestTransport::build(&self.options)?;
        Ok(Client::with_transport(self.config, transport).with_options(self.options))
    }
}

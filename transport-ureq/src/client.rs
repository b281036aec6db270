//! The blocking client: configuration, typed sends and pagination over any [`Transport`], with
//! core's [`Call`] driving the retries.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use clerk_backend_core::{
    Call, ClientOptions, Config, Endpoint, Error, Next, Paginated, RequestOptions, RetryPolicy,
    TransportError, TransportErrorKind, http, serde_json,
};

use crate::pages::Pages;
use crate::transport::Transport;
#[cfg(feature = "ureq")]
use crate::ureq_transport::UreqTransport;

#[cfg(feature = "auth")]
use clerk_backend_core::auth::{JwksCache, PublicKey, SharedKeys};

/// A blocking Clerk Backend API client over the transport `T` (by default the built-in
/// [`UreqTransport`]).
///
/// Cheap to clone (the transport, its connection pool and the key cache are shared, and `T`
/// need not be `Clone`) and safe to share across threads when `T` is `Send + Sync`.
#[cfg(feature = "ureq")]
pub struct Client<T = UreqTransport> {
    transport: Arc<T>,
    config: Config,
    options: ClientOptions,
    #[cfg(feature = "auth")]
    auth: Arc<crate::authenticate::AuthKeys>,
}

/// A blocking Clerk Backend API client over the transport `T`.
///
/// Cheap to clone (the transport and the key cache are shared, and `T` need not be `Clone`)
/// and safe to share across threads when `T` is `Send + Sync`.
#[cfg(not(feature = "ureq"))]
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

/// Settings for a [`Client`]; start from [`Client::builder`] or [`ClientBuilder::new`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ClientBuilder {
    config: Config,
    options: ClientOptions,
    #[cfg(feature = "auth")]
    jwt_key: Option<PublicKey>,
    #[cfg(feature = "auth")]
    jwks_cache: Option<JwksCache>,
}

impl ClientBuilder {
    /// Default settings ([`ClientOptions::default`]) for requests built with `config`.
    pub fn new(config: Config) -> Self {
        Self {
            config,
            options: ClientOptions::default(),
            #[cfg(feature = "auth")]
            jwt_key: None,
            #[cfg(feature = "auth")]
            jwks_cache: None,
        }
    }

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

    /// Sets the connect timeout of the built-in transport (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.options = self.options.connect_timeout(timeout);
        self
    }

    /// Sets the timeout of one attempt, from connecting to the last body byte (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options = self.options.attempt_timeout(timeout);
        self
    }

    /// Sets the largest response body the built-in transport accepts, in bytes (default
    /// 32 MiB). A larger body is a
    /// [`TransportErrorKind::BodyTooLarge`](clerk_backend_core::TransportErrorKind::BodyTooLarge)
    /// error, read no further.
    pub fn max_body_bytes(mut self, limit: u64) -> Self {
        self.options = self.options.max_body_bytes(limit);
        self
    }

    /// The settings so far.
    pub fn get_options(&self) -> &ClientOptions {
        &self.options
    }

    /// Builds the client on the built-in ureq transport.
    #[cfg(feature = "ureq")]
    pub fn build(self) -> Client<UreqTransport> {
        let transport = UreqTransport::new(&self.options);
        self.build_with(transport)
    }

    /// Builds the client on a transport of your own (a closure, or a type implementing
    /// [`Transport`]); the connect timeout and body limit are then the transport's business.
    pub fn build_with<T: Transport>(self, transport: T) -> Client<T> {
        Client {
            transport: Arc::new(transport),
            config: self.config,
            options: self.options,
            #[cfg(feature = "auth")]
            auth: crate::authenticate::AuthKeys::new(match (self.jwt_key, self.jwks_cache) {
                (Some(key), _) => SharedKeys::Pem(Arc::new(key)),
                (None, cache) => SharedKeys::Jwks(std::sync::Mutex::new(cache.unwrap_or_default())),
            }),
        }
    }
}

#[cfg(feature = "ureq")]
impl Client<UreqTransport> {
    /// A client on the built-in ureq transport, with default settings.
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

    /// Settings to adjust before building (the same as [`ClientBuilder::new`]).
    pub fn builder(config: Config) -> ClientBuilder {
        ClientBuilder::new(config)
    }
}

impl<T: Transport> Client<T> {
    /// A client that sends through `transport` (a closure, or a type implementing
    /// [`Transport`]), with default settings; [`ClientBuilder::build_with`] takes settings.
    pub fn with_transport(config: Config, transport: T) -> Self {
        ClientBuilder::new(config).build_with(transport)
    }

    /// The configuration requests are built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The settings every call starts from.
    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// The transport requests go through.
    pub fn transport(&self) -> &T {
        &self.transport
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
        self.send_with(endpoint, &RequestOptions::default())
    }

    /// [`Client::send`] with settings for this call: timeout, retry policy, extra headers.
    ///
    /// # Errors
    /// As [`Client::send`].
    pub fn send_with<E: Endpoint>(
        &self,
        endpoint: &E,
        options: &RequestOptions,
    ) -> Result<E::Output, Error> {
        let request = endpoint.to_http(&self.config)?;
        E::parse(self.execute_with(request, options)?)
    }

    /// Sends an operation and returns its 2xx body as untyped JSON.
    ///
    /// # Errors
    /// As [`Client::send`].
    pub fn send_raw<E: Endpoint>(&self, endpoint: &E) -> Result<serde_json::Value, Error> {
        self.send_raw_with(endpoint, &RequestOptions::default())
    }

    /// [`Client::send_raw`] with settings for this call.
    ///
    /// # Errors
    /// As [`Client::send`].
    pub fn send_raw_with<E: Endpoint>(
        &self,
        endpoint: &E,
        options: &RequestOptions,
    ) -> Result<serde_json::Value, Error> {
        let request = endpoint.to_http(&self.config)?;
        E::parse_raw(self.execute_with(request, options)?)
    }

    /// Iterates over every item of a list operation, fetching page after page (one page in
    /// memory). The iterator yields `Err` once and ends if a page fails. It owns a clone of
    /// the client, so it can outlive this borrow and move to another thread.
    pub fn pages<E: Paginated>(&self, endpoint: E) -> Pages<E, T> {
        self.pages_with(endpoint, RequestOptions::default())
    }

    /// [`Client::pages`] with settings for every page's call.
    pub fn pages_with<E: Paginated>(&self, endpoint: E, options: RequestOptions) -> Pages<E, T> {
        Pages::new(self.clone(), endpoint, options)
    }

    /// Executes a request built by core (or by hand), with retries; statuses other than 2xx
    /// are returned as responses, not errors.
    ///
    /// # Errors
    /// [`Error::Transport`] when no response could be read after the allowed retries.
    pub fn execute(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        self.execute_with(request, &RequestOptions::default())
    }

    /// [`Client::execute`] with settings for this call.
    ///
    /// # Errors
    /// As [`Client::execute`].
    pub fn execute_with(
        &self,
        request: http::Request<Vec<u8>>,
        options: &RequestOptions,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        self.drive(Call::new(request, &self.options, options))
    }

    /// Runs a call to its end: send, wait, repeat, as it says.
    pub(crate) fn drive(&self, mut call: Call) -> Result<http::Response<Vec<u8>>, Error> {
        loop {
            match call.next(self.transport.now()) {
                Next::Send(request) => {
                    let result = self.transport.execute(request);
                    call.on_result(result, self.transport.now());
                }
                Next::Wait(wait) => self.transport.sleep(wait),
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

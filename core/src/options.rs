//! Settings: the client-wide defaults both transports share, and the settings of one call.

use std::fmt;
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};

use crate::retry::RetryPolicy;

/// The settings a client applies to every call, with their defaults in one place.
///
/// Both clients (`clerk-backend-ureq`, `clerk-backend-async`) start from
/// [`ClientOptions::default`] and expose these settings on their builders. The connect timeout
/// and the body limit are read by the built-in transports (ureq, reqwest); a transport of your
/// own applies its own limits. The retry policy and the attempt timeout are applied by
/// [`Call`](crate::Call) for every transport.
///
/// ```
/// use std::time::Duration;
/// use clerk_backend_core::{ClientOptions, RetryPolicy};
///
/// let options = ClientOptions::default()
///     .attempt_timeout(Duration::from_secs(20))
///     .retry_policy(RetryPolicy::never());
/// assert_eq!(options.get_connect_timeout(), Duration::from_secs(10));
/// assert_eq!(options.get_attempt_timeout(), Duration::from_secs(20));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[must_use]
pub struct ClientOptions {
    retry_policy: RetryPolicy,
    connect_timeout: Duration,
    attempt_timeout: Duration,
    max_body_bytes: u64,
}

impl ClientOptions {
    /// Default connect timeout: 10 s.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// Default timeout of one attempt, from connecting to the last body byte: 60 s.
    pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);
    /// Default response-body limit: 32 MiB, far above a 500-user page, far below unbounded.
    pub const DEFAULT_MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;

    /// The defaults: [`RetryPolicy::default`], a 10 s connect timeout, a 60 s attempt timeout
    /// and a 32 MiB body limit.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the retry policy (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }

    /// Sets the connect timeout of the built-in transports (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the timeout of one attempt, from connecting to the last body byte (default 60 s).
    /// An attempt is also never given more than what is left of the retry budget.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// Sets the largest response body the built-in transports accept, in bytes (default
    /// 32 MiB). A larger body is a
    /// [`TransportErrorKind::BodyTooLarge`](crate::TransportErrorKind::BodyTooLarge) error,
    /// read no further.
    pub fn max_body_bytes(mut self, limit: u64) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// The retry policy.
    pub fn get_retry_policy(&self) -> &RetryPolicy {
        &self.retry_policy
    }

    /// The connect timeout.
    pub fn get_connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The timeout of one attempt.
    pub fn get_attempt_timeout(&self) -> Duration {
        self.attempt_timeout
    }

    /// The response-body limit, in bytes.
    pub fn get_max_body_bytes(&self) -> u64 {
        self.max_body_bytes
    }
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            retry_policy: RetryPolicy::default(),
            connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
            attempt_timeout: Self::DEFAULT_ATTEMPT_TIMEOUT,
            max_body_bytes: Self::DEFAULT_MAX_BODY_BYTES,
        }
    }
}

/// Settings for one call, over the client's: a timeout per attempt, a retry policy, extra
/// headers. Unset settings are the client's.
///
/// Headers are added to the request core built. A header set here **replaces** every value of
/// the same name that core set (`Authorization`, `Clerk-API-Version`, `User-Agent`, `Accept`,
/// `Content-Type`): setting `Authorization` sends the call with another key, setting
/// `Clerk-API-Version` asks for another API version, whose answers this crate's models may not
/// read. Several values of one name set here are all sent.
///
/// `Debug` prints the names of the headers and the value of none marked sensitive
/// ([`HeaderValue::set_sensitive`]); [`RequestOptions::header`] marks `Authorization`,
/// `Cookie` and `Proxy-Authorization` sensitive itself.
///
/// ```
/// use std::time::Duration;
/// use clerk_backend_core::{RequestOptions, RetryPolicy, http::{HeaderName, HeaderValue}};
///
/// let options = RequestOptions::new()
///     .timeout(Duration::from_secs(5))
///     .retry_policy(RetryPolicy::never())
///     .header(HeaderName::from_static("x-request-id"), HeaderValue::from_static("req-42"));
/// assert_eq!(options.get_timeout(), Some(Duration::from_secs(5)));
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
#[must_use]
pub struct RequestOptions {
    timeout: Option<Duration>,
    retry_policy: Option<RetryPolicy>,
    headers: HeaderMap,
}

impl RequestOptions {
    /// No setting of its own: the call runs with the client's.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the timeout of each attempt of this call (in place of the client's attempt
    /// timeout); an attempt never runs past the retry budget either.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the retry policy of this call (in place of the client's), its budget included.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }

    /// Adds a header to this call (see the type's documentation for a header core sets too).
    pub fn header(mut self, name: HeaderName, mut value: HeaderValue) -> Self {
        if matches!(
            name,
            http::header::AUTHORIZATION | http::header::COOKIE | http::header::PROXY_AUTHORIZATION
        ) {
            value.set_sensitive(true);
        }
        self.headers.append(name, value);
        self
    }

    /// The timeout of each attempt, if set.
    pub fn get_timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The retry policy, if set.
    pub fn get_retry_policy(&self) -> Option<&RetryPolicy> {
        self.retry_policy.as_ref()
    }

    /// The extra headers.
    pub fn get_headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Puts the extra headers on `request`, each name replacing the values core set.
    pub(crate) fn apply_headers(&self, headers: &mut HeaderMap) {
        for name in self.headers.keys() {
            headers.remove(name);
        }
        for (name, value) in &self.headers {
            headers.append(name.clone(), value.clone());
        }
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Headers<'a>(&'a HeaderMap);
        impl fmt::Debug for Headers<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_map()
                    .entries(self.0.iter().map(|(name, value)| {
                        let shown: &dyn fmt::Debug = if value.is_sensitive() {
                            &"<redacted>"
                        } else {
                            value
                        };
                        (name, format!("{shown:?}"))
                    }))
                    .finish()
            }
        }
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("retry_policy", &self.retry_policy)
            .field("headers", &Headers(&self.headers))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_sensitive_values_and_shows_others() {
        let mut secret = HeaderValue::from_static("hunter2-custom");
        secret.set_sensitive(true);
        let options = RequestOptions::new()
            .header(
                http::header::AUTHORIZATION,
                HeaderValue::from_static("Bearer sk_test_secret"),
            )
            .header(HeaderName::from_static("x-custom"), secret)
            .header(
                HeaderName::from_static("x-request-id"),
                HeaderValue::from_static("req-7"),
            );
        let shown = format!("{options:?}");
        assert!(!shown.contains("sk_test_secret"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("req-7"), "{shown}");
        assert!(shown.contains("authorization"), "{shown}");
    }

    #[test]
    fn headers_replace_what_core_set_and_keep_repeats() {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        headers.insert(http::header::USER_AGENT, HeaderValue::from_static("core"));
        let options = RequestOptions::new()
            .header(http::header::USER_AGENT, HeaderValue::from_static("mine"))
            .header(
                HeaderName::from_static("x-a"),
                HeaderValue::from_static("1"),
            )
            .header(
                HeaderName::from_static("x-a"),
                HeaderValue::from_static("2"),
            );
        options.apply_headers(&mut headers);
        assert_eq!(headers.get_all(http::header::USER_AGENT).iter().count(), 1);
        assert_eq!(headers[http::header::USER_AGENT], "mine");
        assert_eq!(headers.get_all("x-a").iter().count(), 2);
        assert_eq!(headers[http::header::ACCEPT], "application/json");
    }
}

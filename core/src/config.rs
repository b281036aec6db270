//! Client configuration: secret key, API base URL, API version and user agent.

use std::fmt;

use http::HeaderValue;

use crate::error::{ConfigError, Error};

/// Environment variable holding the secret key (`sk_live_…` or `sk_test_…`).
pub const ENV_SECRET_KEY: &str = "CLERK_SECRET_KEY";
/// Environment variable that overrides the API base URL.
pub const ENV_API_URL: &str = "CLERK_API_URL";
/// The API base URL used when none is given; the client appends `/v1`.
pub const DEFAULT_API_URL: &str = "https://api.clerk.com";

/// Everything a request needs besides the operation itself.
///
/// The secret key is never shown by `Debug`, by any error, or anywhere else this crate prints.
/// Headers are prepared once here, so building a request does not re-validate them.
#[derive(Clone)]
pub struct Config {
    authorization: HeaderValue,
    base_url: String,
    api_version: HeaderValue,
    user_agent: HeaderValue,
}

impl Config {
    /// A configuration for the given secret key, with the default base URL
    /// ([`DEFAULT_API_URL`]), this crate's [`API_VERSION`](crate::API_VERSION) and user agent.
    ///
    /// # Errors
    /// [`Error::Config`] when the key is empty, does not start with `sk_`, or holds anything
    /// but visible ASCII characters (a space, a control character, any non-ASCII character)
    /// once leading and trailing whitespace is trimmed. The error never contains the key.
    pub fn new(secret_key: impl AsRef<str>) -> Result<Self, Error> {
        let key = secret_key.as_ref().trim();
        if key.is_empty() {
            return Err(ConfigError::new("the secret key is empty").into());
        }
        if !key.starts_with("sk_") {
            return Err(ConfigError::new(
                "the secret key does not start with `sk_` (use a Backend API secret key, not a publishable key)",
            )
            .into());
        }
        // Clerk's keys are visible ASCII. Anything else (an accented letter, an emoji, a
        // non-breaking or zero-width space pasted with the key, an inner space or control
        // character) cannot be a key: `http` would accept bytes above 0x7F in a header, and
        // one client would then fail at send time while another sent raw UTF-8.
        if !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ConfigError::new(
                "the secret key contains characters other than visible ASCII (spaces, control or non-ASCII characters); copy it again from the Clerk dashboard",
            )
            .into());
        }
        let mut authorization = HeaderValue::from_str(&format!("Bearer {key}")).map_err(|_| {
            ConfigError::new("the secret key contains characters not allowed in an HTTP header")
        })?;
        authorization.set_sensitive(true);
        Ok(Self {
            authorization,
            base_url: format!("{DEFAULT_API_URL}/v1"),
            api_version: HeaderValue::from_static(crate::API_VERSION),
            user_agent: HeaderValue::from_static(concat!(
                env!("CARGO_PKG_NAME"),
                "/",
                env!("CARGO_PKG_VERSION")
            )),
        })
    }

    /// Reads [`ENV_SECRET_KEY`] (required) and [`ENV_API_URL`] (optional) from the environment.
    ///
    /// This is the only function of this crate that looks outside its arguments.
    ///
    /// # Errors
    /// [`Error::Config`] naming the variable when `CLERK_SECRET_KEY` is missing or invalid, or
    /// when `CLERK_API_URL` is not an `http(s)` URL.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Config::from_env`], with variables looked up through `lookup` (handy for tests and
    /// for configuration systems other than the process environment).
    ///
    /// # Errors
    /// As [`Config::from_env`].
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let key = lookup(ENV_SECRET_KEY).filter(|k| !k.trim().is_empty()).ok_or_else(|| {
            ConfigError::new(format!(
                "{ENV_SECRET_KEY} is not set: set it to your instance's secret key (sk_test_… or sk_live_…)"
            ))
        })?;
        let config = Self::new(&key).map_err(|err| match err {
            Error::Config(inner) => Error::Config(ConfigError::new(format!(
                "{ENV_SECRET_KEY}: {}",
                inner.message()
            ))),
            other => other,
        })?;
        match lookup(ENV_API_URL).filter(|u| !u.trim().is_empty()) {
            Some(url) => config.with_base_url(&url).map_err(|err| match err {
                Error::Config(inner) => Error::Config(ConfigError::new(format!(
                    "{ENV_API_URL}: {}",
                    inner.message()
                ))),
                other => other,
            }),
            None => Ok(config),
        }
    }

    /// Sets the API base URL, such as `https://api.clerk.com` or `http://127.0.0.1:8080`.
    ///
    /// `/v1` is appended unless the URL already ends with it; a trailing `/` is ignored.
    ///
    /// # Errors
    /// [`Error::Config`] when the URL is not an absolute `http://` or `https://` URL, or has a
    /// query or fragment.
    pub fn with_base_url(self, url: &str) -> Result<Self, Error> {
        let trimmed = url.trim().trim_end_matches('/');
        if trimmed.ends_with("/v1") {
            self.with_api_root(trimmed)
        } else {
            self.with_api_root(&format!("{trimmed}/v1"))
        }
    }

    /// Sets the URL that operation paths (`/users/…`) are appended to, used as it is: for a
    /// proxy or a mock server that serves the API somewhere other than under `/v1`.
    ///
    /// # Errors
    /// As [`Config::with_base_url`].
    pub fn with_api_root(mut self, url: &str) -> Result<Self, Error> {
        let trimmed = url.trim().trim_end_matches('/');
        let uri: http::Uri = trimmed
            .parse()
            .map_err(|_| ConfigError::new(format!("the API URL `{trimmed}` is not a valid URL")))?;
        match uri.scheme_str() {
            Some("http" | "https") => {}
            _ => {
                return Err(ConfigError::new(format!(
                    "the API URL `{trimmed}` must start with http:// or https://"
                ))
                .into());
            }
        }
        if uri.host().is_none_or(str::is_empty) || uri.query().is_some() || trimmed.contains('#') {
            return Err(ConfigError::new(format!(
                "the API URL `{trimmed}` must have a host and no query or fragment"
            ))
            .into());
        }
        trimmed.clone_into(&mut self.base_url);
        Ok(self)
    }

    /// Overrides the `Clerk-API-Version` header (default: [`API_VERSION`](crate::API_VERSION)).
    ///
    /// # Errors
    /// [`Error::Config`] when the value cannot be an HTTP header value.
    pub fn with_api_version(mut self, version: &str) -> Result<Self, Error> {
        self.api_version = HeaderValue::from_str(version)
            .map_err(|_| ConfigError::new("the API version is not a valid header value"))?;
        Ok(self)
    }

    /// Overrides the `User-Agent` header (default: `clerk-backend-core/<version>`).
    ///
    /// # Errors
    /// [`Error::Config`] when the value cannot be an HTTP header value.
    pub fn with_user_agent(mut self, user_agent: &str) -> Result<Self, Error> {
        self.user_agent = HeaderValue::from_str(user_agent)
            .map_err(|_| ConfigError::new("the user agent is not a valid header value"))?;
        Ok(self)
    }

    /// The base URL requests go to, ending in `/v1`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The `Clerk-API-Version` header value sent with every request.
    pub fn api_version(&self) -> &str {
        self.api_version.to_str().unwrap_or_default()
    }

    /// The `User-Agent` header value sent with every request.
    pub fn user_agent(&self) -> &str {
        self.user_agent.to_str().unwrap_or_default()
    }

    pub(crate) fn authorization(&self) -> &HeaderValue {
        &self.authorization
    }

    pub(crate) fn api_version_header(&self) -> &HeaderValue {
        &self.api_version
    }

    pub(crate) fn user_agent_header(&self) -> &HeaderValue {
        &self.user_agent
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("secret_key", &"<redacted>")
            .field("base_url", &self.base_url)
            .field("api_version", &self.api_version())
            .field("user_agent", &self.user_agent())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn debug_never_shows_the_key() {
        let config = Config::new("sk_test_supersecret").unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains("supersecret"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }

    #[test]
    fn missing_key_names_the_variable() {
        let err = Config::from_lookup(env(&[])).unwrap_err();
        assert!(err.to_string().contains("CLERK_SECRET_KEY"), "{err}");
    }

    #[test]
    fn publishable_key_is_refused_without_echoing_it() {
        let err = Config::from_lookup(env(&[("CLERK_SECRET_KEY", "pk_test_abc")])).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("CLERK_SECRET_KEY") && text.contains("sk_"),
            "{text}"
        );
        assert!(!text.contains("pk_test_abc"), "{text}");
    }

    #[test]
    fn api_url_defaults_and_overrides() {
        let config = Config::from_lookup(env(&[("CLERK_SECRET_KEY", "sk_test_x")])).unwrap();
        assert_eq!(config.base_url(), "https://api.clerk.com/v1");
        let config = Config::from_lookup(env(&[
            ("CLERK_SECRET_KEY", "sk_test_x"),
            ("CLERK_API_URL", "http://127.0.0.1:9/"),
        ]))
        .unwrap();
        assert_eq!(config.base_url(), "http://127.0.0.1:9/v1");
        let config = config.with_base_url("https://example.test/v1").unwrap();
        assert_eq!(config.base_url(), "https://example.test/v1");
    }

    #[test]
    fn bad_api_url_names_the_variable() {
        let err = Config::from_lookup(env(&[
            ("CLERK_SECRET_KEY", "sk_test_x"),
            ("CLERK_API_URL", "ftp://nope"),
        ]))
        .unwrap_err();
        assert!(err.to_string().contains("CLERK_API_URL"), "{err}");
        for bad in ["not a url", "https://", "https://h/?q=1", "/relative"] {
            assert!(
                Config::new("sk_test_x")
                    .unwrap()
                    .with_base_url(bad)
                    .is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn non_ascii_key_is_refused_without_echoing_it() {
        for key in [
            "sk_test_caf\u{e9}XYZZY",
            "sk_test_\u{1f511}XYZZY",
            "sk_live_XYZZY\u{a0}1",
            "sk_test_\u{200b}XYZZY",
            "sk_test_XYZ ZY",
        ] {
            let Err(Error::Config(err)) = Config::new(key) else {
                panic!("{key:?} must be refused as a configuration error");
            };
            let text = err.to_string();
            assert!(!text.contains("XYZ"), "{text}");
            assert!(text.contains("ASCII"), "{text}");
            let err = Config::from_lookup(|_| Some(key.to_owned())).unwrap_err();
            let text = format!("{err} {err:?}");
            assert!(!text.contains("XYZ"), "{text}");
        }
        assert!(Config::new("sk_test_AZaz09-_.~+/=").is_ok());
    }

    #[test]
    fn key_with_newline_is_refused() {
        assert!(Config::new("sk_test_a\nb").is_err());
    }
}

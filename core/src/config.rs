//! Client configuration: secret keys, API base URL, API version and user agent.

use std::fmt;

use http::HeaderValue;

use crate::endpoint::Operation;
use crate::error::{ConfigError, Error};

/// Environment variable holding the instance secret key (`sk_live_…` or `sk_test_…`).
pub const ENV_SECRET_KEY: &str = "CLERK_SECRET_KEY";
/// Environment variable holding a machine secret key (`ak_…`).
pub const ENV_MACHINE_SECRET_KEY: &str = "CLERK_MACHINE_SECRET_KEY";
/// Environment variable that overrides the API base URL.
pub const ENV_API_URL: &str = "CLERK_API_URL";
/// The API base URL used when none is given; the client appends `/v1`.
pub const DEFAULT_API_URL: &str = "https://api.clerk.com";

/// A kind of key that can authorize a request (`Authorization: Bearer <key>`).
///
/// Each operation lists the kinds it accepts in [`Operation::keys`], as the spec's `security`
/// says (with `spec/overlay.yml`'s fixes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SecretKeyKind {
    /// The instance secret key (`sk_test_…`, `sk_live_…`; [`ENV_SECRET_KEY`]), which
    /// authorizes every operation of the Backend API but the one that only a machine may call.
    Instance,
    /// A machine secret key (`ak_…`; [`ENV_MACHINE_SECRET_KEY`]), which authorizes only the
    /// M2M token operations, acting as that machine.
    Machine,
}

impl SecretKeyKind {
    /// The key's prefix: `sk_` or `ak_`.
    pub const fn prefix(self) -> &'static str {
        match self {
            Self::Instance => "sk_",
            Self::Machine => "ak_",
        }
    }

    /// What the key is called in messages.
    const fn name(self) -> &'static str {
        match self {
            Self::Instance => "the secret key",
            Self::Machine => "the machine secret key",
        }
    }

    /// How a user gets one, for messages.
    const fn hint(self) -> &'static str {
        match self {
            Self::Instance => {
                "an instance secret key (sk_test_… or sk_live_…; CLERK_SECRET_KEY, `Config::new`)"
            }
            Self::Machine => {
                "a machine secret key (ak_…; CLERK_MACHINE_SECRET_KEY, `Config::machine` or `Config::with_machine_secret_key`)"
            }
        }
    }
}

impl fmt::Display for SecretKeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Instance => "instance secret key",
            Self::Machine => "machine secret key",
        })
    }
}

/// Everything a request needs besides the operation itself.
///
/// A configuration holds an instance secret key (`sk_…`), a machine secret key (`ak_…`), or
/// both. Each request is authorized with the first key the operation accepts, in the order of
/// its [`Operation::keys`], that the configuration holds:
///
/// - The M2M token operations (`createM2MToken`, `getM2MTokens`, `revokeM2MToken`,
///   `verifyM2MToken`) list the machine secret key first, so **when both keys are set, the
///   machine secret key wins for them**: these operations are meant to be called by a machine
///   with its own key, and the answer depends on the key (with a machine key, only that
///   machine's tokens are listed, revoked or verified; `createM2MToken` accepts nothing else).
/// - Every other operation accepts only the instance secret key, which is used for it.
/// - An operation the configuration cannot authorize (any operation but the M2M ones with only a
///   machine key; `createM2MToken` with only an instance key) is refused with
///   [`Error::Config`] before any request is built.
/// - An operation that the spec marks as needing no key (`GetPublicInterstitial`) is sent
///   without `Authorization`.
///
/// No key is ever shown by `Debug`, by any error, or anywhere else this crate prints.
/// Headers are prepared once here, so building a request does not re-validate them.
#[derive(Clone)]
pub struct Config {
    secret_key: Option<HeaderValue>,
    machine_secret_key: Option<HeaderValue>,
    base_url: String,
    api_version: HeaderValue,
    user_agent: HeaderValue,
}

/// Checks a key of `kind` and makes its `Authorization` header value (marked sensitive).
///
/// The messages never contain the key, nor any part of it.
fn bearer(key: &str, kind: SecretKeyKind) -> Result<HeaderValue, Error> {
    let name = kind.name();
    let key = key.trim();
    if key.is_empty() {
        return Err(ConfigError::new(format!("{name} is empty")).into());
    }
    if !key.starts_with(kind.prefix()) {
        let other = match kind {
            SecretKeyKind::Instance => SecretKeyKind::Machine,
            SecretKeyKind::Machine => SecretKeyKind::Instance,
        };
        let message = if key.starts_with(other.prefix()) {
            format!(
                "{name} starts with `{}`: that is {}, not {}",
                other.prefix(),
                other.hint(),
                kind.hint()
            )
        } else if kind == SecretKeyKind::Instance {
            "the secret key does not start with `sk_` (use a Backend API secret key, not a publishable key)".to_owned()
        } else {
            format!(
                "{name} does not start with `ak_` (use a machine secret key from the machine's page of the Clerk dashboard)"
            )
        };
        return Err(ConfigError::new(message).into());
    }
    // Clerk's keys are visible ASCII. Anything else (an accented letter, an emoji, a
    // non-breaking or zero-width space pasted with the key, an inner space or control
    // character) cannot be a key: `http` would accept bytes above 0x7F in a header, and
    // one client would then fail at send time while another sent raw UTF-8.
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ConfigError::new(format!(
            "{name} contains characters other than visible ASCII (spaces, control or non-ASCII characters); copy it again from the Clerk dashboard"
        ))
        .into());
    }
    let mut authorization = HeaderValue::from_str(&format!("Bearer {key}")).map_err(|_| {
        ConfigError::new(format!(
            "{name} contains characters not allowed in an HTTP header"
        ))
    })?;
    authorization.set_sensitive(true);
    Ok(authorization)
}

/// Prefixes a configuration error's message with the variable it came from.
fn naming(variable: &str) -> impl FnOnce(Error) -> Error + '_ {
    move |err| match err {
        Error::Config(inner) => {
            Error::Config(ConfigError::new(format!("{variable}: {}", inner.message())))
        }
        other => other,
    }
}

impl Config {
    /// A configuration for the given instance secret key, with the default base URL
    /// ([`DEFAULT_API_URL`]), this crate's [`API_VERSION`](crate::API_VERSION) and user agent.
    ///
    /// # Errors
    /// [`Error::Config`] when the key is empty, does not start with `sk_`, or holds anything
    /// but visible ASCII characters (a space, a control character, any non-ASCII character)
    /// once leading and trailing whitespace is trimmed. The error never contains the key.
    pub fn new(secret_key: impl AsRef<str>) -> Result<Self, Error> {
        Ok(Self::empty().with_key(
            SecretKeyKind::Instance,
            bearer(secret_key.as_ref(), SecretKeyKind::Instance)?,
        ))
    }

    /// A configuration holding only a machine secret key (`ak_…`): it authorizes the M2M token
    /// operations, acting as that machine, and refuses every other operation with
    /// [`Error::Config`] before building a request. Add the instance secret key with
    /// [`Config::with_secret_key`] to call the rest of the API too.
    ///
    /// # Errors
    /// [`Error::Config`] when the key is empty, does not start with `ak_`, or holds anything
    /// but visible ASCII characters once trimmed. The error never contains the key.
    pub fn machine(machine_secret_key: impl AsRef<str>) -> Result<Self, Error> {
        Self::empty().with_machine_secret_key(machine_secret_key)
    }

    /// Adds (or replaces) the machine secret key (`ak_…`), which then authorizes the M2M token
    /// operations in place of the instance secret key (see [`Config`] for why it wins).
    ///
    /// # Errors
    /// As [`Config::machine`].
    pub fn with_machine_secret_key(
        self,
        machine_secret_key: impl AsRef<str>,
    ) -> Result<Self, Error> {
        let header = bearer(machine_secret_key.as_ref(), SecretKeyKind::Machine)?;
        Ok(self.with_key(SecretKeyKind::Machine, header))
    }

    /// Adds (or replaces) the instance secret key (`sk_…`), for instance to a configuration
    /// made with [`Config::machine`].
    ///
    /// # Errors
    /// As [`Config::new`].
    pub fn with_secret_key(self, secret_key: impl AsRef<str>) -> Result<Self, Error> {
        let header = bearer(secret_key.as_ref(), SecretKeyKind::Instance)?;
        Ok(self.with_key(SecretKeyKind::Instance, header))
    }

    fn empty() -> Self {
        Self {
            secret_key: None,
            machine_secret_key: None,
            base_url: format!("{DEFAULT_API_URL}/v1"),
            api_version: HeaderValue::from_static(crate::API_VERSION),
            user_agent: HeaderValue::from_static(concat!(
                env!("CARGO_PKG_NAME"),
                "/",
                env!("CARGO_PKG_VERSION")
            )),
        }
    }

    fn with_key(mut self, kind: SecretKeyKind, header: HeaderValue) -> Self {
        match kind {
            SecretKeyKind::Instance => self.secret_key = Some(header),
            SecretKeyKind::Machine => self.machine_secret_key = Some(header),
        }
        self
    }

    /// Reads [`ENV_SECRET_KEY`], [`ENV_MACHINE_SECRET_KEY`] and [`ENV_API_URL`] (optional) from
    /// the environment. At least one of the two keys must be set; with only
    /// `CLERK_MACHINE_SECRET_KEY` the configuration is a machine's ([`Config::machine`]).
    ///
    /// This is the only function of this crate that looks outside its arguments.
    ///
    /// # Errors
    /// [`Error::Config`] naming the variable when neither key is set (naming
    /// `CLERK_SECRET_KEY`), when a key that is set is invalid, or when `CLERK_API_URL` is not an
    /// `http(s)` URL.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Config::from_env`], with variables looked up through `lookup` (handy for tests and
    /// for configuration systems other than the process environment).
    ///
    /// # Errors
    /// As [`Config::from_env`].
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let set = |name: &str| lookup(name).filter(|k| !k.trim().is_empty());
        let secret_key = set(ENV_SECRET_KEY);
        let machine_secret_key = set(ENV_MACHINE_SECRET_KEY);
        if secret_key.is_none() && machine_secret_key.is_none() {
            return Err(ConfigError::new(format!(
                "{ENV_SECRET_KEY} is not set: set it to your instance's secret key (sk_test_… or sk_live_…)"
            ))
            .into());
        }
        let mut config = Self::empty();
        if let Some(key) = secret_key {
            config = config
                .with_secret_key(&key)
                .map_err(naming(ENV_SECRET_KEY))?;
        }
        if let Some(key) = machine_secret_key {
            config = config
                .with_machine_secret_key(&key)
                .map_err(naming(ENV_MACHINE_SECRET_KEY))?;
        }
        match set(ENV_API_URL) {
            Some(url) => config.with_base_url(&url).map_err(naming(ENV_API_URL)),
            None => Ok(config),
        }
    }

    /// Whether an instance secret key (`sk_…`) is configured.
    pub fn has_secret_key(&self) -> bool {
        self.secret_key.is_some()
    }

    /// Whether a machine secret key (`ak_…`) is configured.
    pub fn has_machine_secret_key(&self) -> bool {
        self.machine_secret_key.is_some()
    }

    /// The kind of key that authorizes `operation` with this configuration: the first of
    /// [`Operation::keys`] that is configured, or `None` for an operation that needs no key.
    ///
    /// # Errors
    /// [`Error::Config`] naming the operation and the key it needs when the configuration
    /// holds none of the keys it accepts.
    pub fn key_for(&self, operation: &Operation) -> Result<Option<SecretKeyKind>, Error> {
        if operation.keys.is_empty() {
            return Ok(None);
        }
        if let Some(kind) = operation
            .keys
            .iter()
            .copied()
            .find(|k| self.key(*k).is_some())
        {
            return Ok(Some(kind));
        }
        let needs: Vec<&str> = operation.keys.iter().map(|k| k.hint()).collect();
        let has = match (self.has_secret_key(), self.has_machine_secret_key()) {
            (true, false) => "only an instance secret key",
            (false, true) => "only a machine secret key",
            _ => "no key it accepts",
        };
        Err(ConfigError::new(format!(
            "`{}` ({} {}) needs {}, and this configuration has {has}; no request was built",
            operation.operation_id,
            operation.method,
            operation.path,
            needs.join(" or ")
        ))
        .into())
    }

    /// The `Authorization` header for `operation` (`None` when it needs no key).
    pub(crate) fn authorization_for(
        &self,
        operation: &Operation,
    ) -> Result<Option<&HeaderValue>, Error> {
        Ok(self.key_for(operation)?.and_then(|kind| self.key(kind)))
    }

    fn key(&self, kind: SecretKeyKind) -> Option<&HeaderValue> {
        match kind {
            SecretKeyKind::Instance => self.secret_key.as_ref(),
            SecretKeyKind::Machine => self.machine_secret_key.as_ref(),
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
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "machine_secret_key",
                &self.machine_secret_key.as_ref().map(|_| "<redacted>"),
            )
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

    const MACHINE: &str = "ak_XYZZYmachine0123";

    #[test]
    fn machine_key_alone_makes_a_config() {
        let config = Config::machine(MACHINE).unwrap();
        assert!(config.has_machine_secret_key());
        assert!(!config.has_secret_key());
        let both = Config::new("sk_test_x")
            .unwrap()
            .with_machine_secret_key(MACHINE)
            .unwrap();
        assert!(both.has_machine_secret_key() && both.has_secret_key());
        let both = config.with_secret_key("sk_test_x").unwrap();
        assert!(both.has_machine_secret_key() && both.has_secret_key());
    }

    #[test]
    fn debug_never_shows_either_key() {
        let config = Config::new("sk_test_XYZZYsecret")
            .unwrap()
            .with_machine_secret_key(MACHINE)
            .unwrap();
        let shown = format!("{config:?} {config:#?}");
        assert!(!shown.contains("XYZZY"), "{shown}");
        assert!(shown.contains("machine_secret_key"), "{shown}");
        let shown = format!("{:?}", Config::machine(MACHINE).unwrap());
        assert!(!shown.contains("XYZZY"), "{shown}");
        assert!(shown.contains("secret_key: None"), "{shown}");
    }

    #[test]
    fn keys_of_the_wrong_kind_are_refused_without_echoing_them() {
        // A machine key where the instance key goes, and the reverse, say what to use instead.
        let err = Config::new(MACHINE).unwrap_err().to_string();
        assert!(
            err.contains("ak_") && err.contains("Config::machine"),
            "{err}"
        );
        assert!(!err.contains("XYZZY"), "{err}");
        let err = Config::machine("sk_test_XYZZY").unwrap_err().to_string();
        assert!(err.contains("sk_") && err.contains("Config::new"), "{err}");
        assert!(!err.contains("XYZZY"), "{err}");
        for bad in ["", "  ", "pk_test_XYZZY", "mt_XYZZY", "XYZZY"] {
            let Err(Error::Config(err)) = Config::machine(bad) else {
                panic!("{bad:?} must be refused as a configuration error");
            };
            let text = format!("{err} {err:?}");
            assert!(!text.contains("XYZZY"), "{text}");
            assert!(text.contains("machine secret key"), "{text}");
        }
    }

    #[test]
    fn non_ascii_machine_key_is_refused_without_echoing_it() {
        for key in [
            "ak_caf\u{e9}XYZZY",
            "ak_\u{1f511}XYZZY",
            "ak_XYZZY\u{a0}1",
            "ak_\u{200b}XYZZY",
            "ak_XYZ ZY",
            "ak_XYZ\nZY",
            "ak_XYZ\tZY",
        ] {
            let Err(Error::Config(err)) = Config::machine(key) else {
                panic!("{key:?} must be refused as a configuration error");
            };
            let text = format!("{err} {err:?}");
            assert!(!text.contains("XYZ"), "{text}");
            assert!(text.contains("ASCII"), "{text}");
            let Err(Error::Config(err)) = Config::new("sk_test_x")
                .unwrap()
                .with_machine_secret_key(key)
            else {
                panic!("{key:?} must be refused as a configuration error");
            };
            assert!(!err.to_string().contains("XYZ"), "{err}");
        }
        // Surrounding whitespace is trimmed, as for the instance key.
        assert!(Config::machine(" ak_AZaz09-_.~+/= \n").is_ok());
    }

    #[test]
    fn from_env_reads_the_machine_key() {
        let config = Config::from_lookup(env(&[("CLERK_MACHINE_SECRET_KEY", MACHINE)])).unwrap();
        assert!(config.has_machine_secret_key() && !config.has_secret_key());
        let config = Config::from_lookup(env(&[
            ("CLERK_MACHINE_SECRET_KEY", MACHINE),
            ("CLERK_SECRET_KEY", "sk_test_x"),
            ("CLERK_API_URL", "http://127.0.0.1:9"),
        ]))
        .unwrap();
        assert!(config.has_machine_secret_key() && config.has_secret_key());
        assert_eq!(config.base_url(), "http://127.0.0.1:9/v1");
        // An empty machine key counts as unset; neither set keeps the old error.
        let err = Config::from_lookup(env(&[("CLERK_MACHINE_SECRET_KEY", " ")])).unwrap_err();
        assert!(
            err.to_string().contains(": CLERK_SECRET_KEY is not set"),
            "{err}"
        );
        let config = Config::from_lookup(env(&[
            ("CLERK_MACHINE_SECRET_KEY", ""),
            ("CLERK_SECRET_KEY", "sk_test_x"),
        ]))
        .unwrap();
        assert!(!config.has_machine_secret_key());
    }

    #[test]
    fn bad_machine_key_in_env_names_the_variable_not_the_key() {
        for (secret, machine) in [(None, "sk_test_XYZZY"), (Some("sk_test_x"), "ak_XYZ ZY")] {
            let mut pairs = vec![("CLERK_MACHINE_SECRET_KEY", machine)];
            pairs.extend(secret.map(|s| ("CLERK_SECRET_KEY", s)));
            let lookup = |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            };
            let err = Config::from_lookup(lookup).unwrap_err();
            let text = format!("{err} {err:?}");
            assert!(text.contains("CLERK_MACHINE_SECRET_KEY"), "{text}");
            assert!(!text.contains("XYZ"), "{text}");
        }
    }

    #[test]
    fn the_first_accepted_key_that_is_configured_wins() {
        use crate::endpoint::Operation;
        use SecretKeyKind::{Instance, Machine};
        let op =
            |keys| Operation::new("op", http::Method::POST, "/op", "Op", false).with_keys(keys);
        let sk = Config::new("sk_test_x").unwrap();
        let ak = Config::machine(MACHINE).unwrap();
        let both = sk.clone().with_machine_secret_key(MACHINE).unwrap();
        let either: &'static [SecretKeyKind] = &[Machine, Instance];
        assert_eq!(both.key_for(&op(either)).unwrap(), Some(Machine));
        assert_eq!(sk.key_for(&op(either)).unwrap(), Some(Instance));
        assert_eq!(ak.key_for(&op(either)).unwrap(), Some(Machine));
        assert_eq!(both.key_for(&op(&[Instance])).unwrap(), Some(Instance));
        assert_eq!(both.key_for(&op(&[Machine])).unwrap(), Some(Machine));
        assert_eq!(ak.key_for(&op(&[])).unwrap(), None);
        let Err(Error::Config(err)) = ak.key_for(&op(&[Instance])) else {
            panic!("a machine key cannot authorize an instance operation");
        };
        let text = err.to_string();
        assert!(text.contains("`op` (POST /op)"), "{text}");
        assert!(text.contains("needs an instance secret key"), "{text}");
        assert!(text.contains("only a machine secret key"), "{text}");
        assert!(!text.contains("XYZZY"), "{text}");
        let Err(Error::Config(err)) = sk.key_for(&op(&[Machine])) else {
            panic!("an instance key cannot authorize a machine-only operation");
        };
        assert!(
            err.to_string().contains("needs a machine secret key"),
            "{err}"
        );
    }
}

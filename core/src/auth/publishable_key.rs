//! The publishable key (`pk_test_…`, `pk_live_…`): the instance's Frontend API host, its
//! issuer URL and its cookie suffix.

use std::fmt;

use base64::Engine as _;
use sha1::Digest as _;

use crate::error::{ConfigError, Error};

/// Environment variable holding the publishable key.
pub const ENV_PUBLISHABLE_KEY: &str = "CLERK_PUBLISHABLE_KEY";

/// A parsed publishable key: `pk_test_` or `pk_live_`, then the base64 of the instance's
/// Frontend API host followed by `$`.
#[derive(Clone, PartialEq, Eq)]
pub struct PublishableKey {
    key: String,
    frontend_api: String,
    live: bool,
}

impl PublishableKey {
    /// Parses a publishable key.
    ///
    /// # Errors
    /// [`Error::Config`] when the key does not start with `pk_test_` or `pk_live_`, its rest is
    /// not base64, or the decoded text is not a host name followed by `$`.
    pub fn parse(key: &str) -> Result<Self, Error> {
        let key = key.trim();
        let (live, encoded) = if let Some(rest) = key.strip_prefix("pk_live_") {
            (true, rest)
        } else if let Some(rest) = key.strip_prefix("pk_test_") {
            (false, rest)
        } else {
            return Err(ConfigError::new(
                "the publishable key does not start with `pk_test_` or `pk_live_`",
            )
            .into());
        };
        let decoded = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(encoded.trim_end_matches('='))
            .map_err(|_| ConfigError::new("the publishable key is not base64 after its prefix"))?;
        let text = String::from_utf8(decoded)
            .map_err(|_| ConfigError::new("the publishable key does not decode to text"))?;
        let host = text.strip_suffix('$').ok_or_else(|| {
            ConfigError::new("the publishable key does not decode to a host followed by `$`")
        })?;
        let valid_host = !host.is_empty()
            && host.contains('.')
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'));
        if !valid_host {
            return Err(ConfigError::new(
                "the publishable key does not decode to a Frontend API host name",
            )
            .into());
        }
        Ok(Self {
            key: key.to_owned(),
            frontend_api: host.to_owned(),
            live,
        })
    }

    /// The instance's Frontend API host (`clerk.example.com`, `xyz.clerk.accounts.dev`).
    pub fn frontend_api(&self) -> &str {
        &self.frontend_api
    }

    /// The issuer its session tokens carry (`https://` + the Frontend API host), for
    /// [`AuthOptions::issuer`](super::AuthOptions::issuer).
    pub fn issuer(&self) -> String {
        format!("https://{}", self.frontend_api)
    }

    /// Whether it is a production (`pk_live_`) key.
    pub fn is_live(&self) -> bool {
        self.live
    }

    /// The suffix of the instance's cookie names (`__session_<suffix>`): the first 8
    /// characters of the base64url SHA-1 of the key, as Clerk derives it.
    pub fn cookie_suffix(&self) -> String {
        let digest = sha1::Sha1::digest(self.key.as_bytes());
        let mut encoded = base64::engine::general_purpose::URL_SAFE.encode(digest);
        encoded.truncate(8);
        encoded
    }

    /// The key as given.
    pub fn as_str(&self) -> &str {
        &self.key
    }
}

impl fmt::Debug for PublishableKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublishableKey")
            .field("frontend_api", &self.frontend_api)
            .field("live", &self.live)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pk(prefix: &str, text: &str) -> String {
        format!(
            "{prefix}{}",
            base64::engine::general_purpose::STANDARD.encode(text)
        )
    }

    #[test]
    fn parses_host_and_issuer() {
        let key = PublishableKey::parse(&pk("pk_test_", "clerk.example.com$")).unwrap();
        assert_eq!(key.frontend_api(), "clerk.example.com");
        assert_eq!(key.issuer(), "https://clerk.example.com");
        assert!(!key.is_live());
        assert!(
            PublishableKey::parse(&pk("pk_live_", "a-b.clerk.accounts.dev$"))
                .unwrap()
                .is_live()
        );
    }

    #[test]
    fn refuses_malformed_keys_clearly() {
        for (key, needle) in [
            ("sk_test_abc".to_owned(), "pk_test_"),
            ("pk_test_!!!".to_owned(), "base64"),
            (pk("pk_test_", "clerk.example.com"), "`$`"),
            (pk("pk_test_", "$"), "host"),
            (pk("pk_test_", "no spaces allowed.com$"), "host"),
            (pk("pk_test_", "localhost$"), "host"),
        ] {
            let err = PublishableKey::parse(&key).unwrap_err();
            assert!(err.to_string().contains(needle), "{key}: {err}");
        }
    }

    #[test]
    fn cookie_suffix_matches_clerks() {
        // The value Clerk's JS SDK (`getCookieSuffix` of @clerk/shared 3.x) gives for this key.
        let key = PublishableKey::parse("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k").unwrap();
        assert_eq!(key.cookie_suffix(), "l2OS3d9k");
    }
}

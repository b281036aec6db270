//! Machine tokens as JWTs: M2M tokens and OAuth access tokens.

use clerk_backend_core::auth::category;
use serde_json::{Map, Value, json};

use super::{Common, MACHINE_TOKEN_LIFETIME, TestKey, common_methods};

/// A machine-to-machine token as a JWT: `sub` the calling machine (`mch_…`), the machines it
/// may call as `scopes` (space-separated) and as `aud`, a `jti` shaped `mt_` + 32 hex digits,
/// header `typ: JWT` with the M2M category. Defaults: a one-hour lifetime from the wall
/// clock, issuer [`DEFAULT_ISSUER`](super::DEFAULT_ISSUER), RS256.
///
/// Core signs it in as a [`Caller::M2m`](clerk_backend_core::auth::Caller::M2m) when the
/// options accept M2M tokens.
///
/// ```
/// use clerk_backend_core::auth::{AuthOptions, Authentication, Caller, TokenType};
/// use clerk_backend_testkit::tokens::{M2mToken, TestKey};
///
/// let key = TestKey::a();
/// let token = M2mToken::new("mch_caller").scope("mch_callee").sign(&key);
/// let options = AuthOptions::new().accepts(TokenType::M2mToken);
/// let status = Authentication::from_token(&token, &options)
///     .verdict(&key.public_key()?, std::time::SystemTime::now());
/// let Some(Caller::M2m(machine)) = status.caller() else { panic!("{status:?}") };
/// assert_eq!(machine.machine_id, "mch_caller");
/// assert_eq!(machine.scopes, ["mch_callee"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct M2mToken {
    machine_id: String,
    scopes: Vec<String>,
    token_id: Option<String>,
    common: Common,
}

impl M2mToken {
    /// A token of the machine `machine_id` (`mch_…`), granted no machine yet.
    pub fn new(machine_id: impl Into<String>) -> Self {
        Self {
            machine_id: machine_id.into(),
            scopes: Vec::new(),
            token_id: None,
            common: Common::new(MACHINE_TOKEN_LIFETIME),
        }
    }

    common_methods!();

    /// Grants access to the machine `machine_id`.
    pub fn scope(mut self, machine_id: impl Into<String>) -> Self {
        self.scopes.push(machine_id.into());
        self
    }

    /// Sets the token id (`jti`, default a fresh `mt_…`).
    pub fn token_id(mut self, jti: impl Into<String>) -> Self {
        self.token_id = Some(jti.into());
        self
    }

    /// The token's header, for `key`.
    pub fn header(&self, key: &TestKey) -> Value {
        json!({
            "alg": self.common.algorithm.as_str(),
            "kid": key.kid(),
            "typ": "JWT",
            "cat": category::M2M,
        })
    }

    /// The claims the token will carry (times from the builder's clock, read now).
    pub fn claims(&self) -> Value {
        let mut claims = Map::new();
        claims.insert("sub".into(), self.machine_id.clone().into());
        let jti = self
            .token_id
            .clone()
            .unwrap_or_else(|| crate::ids::hex("mt_", 32));
        claims.insert("jti".into(), jti.into());
        self.common.stamp(&mut claims);
        if !self.scopes.is_empty() {
            claims.insert("scopes".into(), self.scopes.join(" ").into());
            if !claims.contains_key("aud") {
                claims.insert("aud".into(), self.scopes.clone().into());
            }
        }
        self.common.finish(claims)
    }

    /// The signed token (a compact JWT).
    pub fn sign(&self, key: &TestKey) -> String {
        key.sign_jwt(&self.header(key), &self.claims(), self.common.algorithm)
    }
}

/// An OAuth access token as a JWT (RFC 9068 shape): header `typ: at+jwt`, `sub` the user the
/// application acts for, `client_id` the OAuth application, `scope` the granted scopes
/// (space-separated), a `jti` shaped `oat_` + 32 hex digits. Defaults: a one-hour lifetime
/// from the wall clock, issuer [`DEFAULT_ISSUER`](super::DEFAULT_ISSUER), RS256.
///
/// Core signs it in as a [`Caller::Oauth`](clerk_backend_core::auth::Caller::Oauth) when the
/// options accept OAuth tokens.
///
/// ```
/// use clerk_backend_core::auth::{AuthOptions, Authentication, Caller, TokenType};
/// use clerk_backend_testkit::tokens::{OauthToken, TestKey};
///
/// let key = TestKey::a();
/// let token = OauthToken::new("user_1", "client_1").scope("profile").scope("email").sign(&key);
/// let options = AuthOptions::new().accepts(TokenType::OauthToken);
/// let status = Authentication::from_token(&token, &options)
///     .verdict(&key.public_key()?, std::time::SystemTime::now());
/// let Some(Caller::Oauth(app)) = status.caller() else { panic!("{status:?}") };
/// assert_eq!((app.user_id.as_str(), app.client_id.as_str()), ("user_1", "client_1"));
/// assert_eq!(app.scopes, ["profile", "email"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct OauthToken {
    user_id: String,
    client_id: String,
    scopes: Vec<String>,
    token_id: Option<String>,
    common: Common,
}

impl OauthToken {
    /// A token of the OAuth application `client_id` acting for `user_id`, with no scope yet.
    pub fn new(user_id: impl Into<String>, client_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            client_id: client_id.into(),
            scopes: Vec::new(),
            token_id: None,
            common: Common::new(MACHINE_TOKEN_LIFETIME),
        }
    }

    common_methods!();

    /// Grants a scope (`profile`, `email` …).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.push(scope.into());
        self
    }

    /// Sets the token id (`jti`, default a fresh `oat_…`).
    pub fn token_id(mut self, jti: impl Into<String>) -> Self {
        self.token_id = Some(jti.into());
        self
    }

    /// The token's header, for `key`.
    pub fn header(&self, key: &TestKey) -> Value {
        json!({
            "alg": self.common.algorithm.as_str(),
            "kid": key.kid(),
            "typ": "at+jwt",
        })
    }

    /// The claims the token will carry (times from the builder's clock, read now).
    pub fn claims(&self) -> Value {
        let mut claims = Map::new();
        claims.insert("sub".into(), self.user_id.clone().into());
        claims.insert("client_id".into(), self.client_id.clone().into());
        let jti = self
            .token_id
            .clone()
            .unwrap_or_else(|| crate::ids::hex("oat_", 32));
        claims.insert("jti".into(), jti.into());
        self.common.stamp(&mut claims);
        claims.insert("scope".into(), self.scopes.join(" ").into());
        self.common.finish(claims)
    }

    /// The signed token (a compact JWT).
    pub fn sign(&self, key: &TestKey) -> String {
        key.sign_jwt(&self.header(key), &self.claims(), self.common.algorithm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn m2m_claims_exactly() {
        let claims = M2mToken::new("mch_1")
            .scope("mch_2")
            .scope("mch_3")
            .token_id("mt_1")
            .issued_at(UNIX_EPOCH + Duration::from_secs(1000))
            .claims();
        assert_eq!(
            claims,
            json!({
                "sub": "mch_1", "jti": "mt_1", "iss": "https://clerk.example.test",
                "iat": 1000, "nbf": 990, "exp": 4600,
                "scopes": "mch_2 mch_3", "aud": ["mch_2", "mch_3"],
            })
        );
        assert!(
            M2mToken::new("mch_1").claims()["jti"]
                .as_str()
                .unwrap()
                .starts_with("mt_")
        );
        assert_eq!(
            M2mToken::new("m").header(&TestKey::a())["cat"],
            category::M2M
        );
    }

    #[test]
    fn oauth_claims_exactly() {
        let claims = OauthToken::new("user_1", "client_1")
            .scope("email")
            .token_id("oat_1")
            .audience("https://api.example.test")
            .issued_at(UNIX_EPOCH + Duration::from_secs(1000))
            .lifetime(Duration::from_secs(30))
            .claims();
        assert_eq!(
            claims,
            json!({
                "sub": "user_1", "client_id": "client_1", "jti": "oat_1",
                "iss": "https://clerk.example.test", "aud": "https://api.example.test",
                "iat": 1000, "nbf": 990, "exp": 1030, "scope": "email",
            })
        );
        assert_eq!(
            OauthToken::new("u", "c").header(&TestKey::a())["typ"],
            "at+jwt"
        );
    }
}

//! Knowing who is calling: session tokens and machine tokens (M2M, OAuth access tokens, API
//! keys) verified sans-IO, with keys from a PEM or a JWKS cache (or, for opaque machine tokens,
//! a verify request for the API), and requests authenticated from their headers (feature
//! `auth`, on by default).
//!
//! Nothing here reads a clock or opens a socket: `now` is an argument, and the JWKS is
//! fetched by whoever drives the flow (the `clerk-backend-ureq` and `clerk-backend-async`
//! clients do it, with retries and single-flight refresh; your own HTTP stack can too).
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use clerk_backend_core::auth::{AuthOptions, Authentication, PublicKey, Reason};
//!
//! # fn demo(pem: &str, headers: &http::HeaderMap) -> Result<(), Box<dyn std::error::Error>> {
//! // With the Dashboard's PEM key ("JWKS Public Key", CLERK_JWT_KEY) no network is needed.
//! let key = PublicKey::from_pem(pem)?;
//! let options = AuthOptions::new().authorized_party("https://app.example.com");
//! let status = Authentication::from_headers(headers, &options).verdict(&key, SystemTime::now());
//! match status.session() {
//!     Some(session) => println!("user {}", session.user_id),
//!     None => println!("signed out: {}", status.reason().map_or("", |r| r.as_str())),
//! }
//! # Ok(()) }
//! ```
//!
//! With the JWKS instead, keep a [`JwksCache`] and drive [`Authentication::step`]: it answers
//! with the verdict, or with [`Step::FetchJwks`] (the [`GetJwks`](crate::jwks::GetJwks)
//! request to run, then hand its result to [`JwksCache::on_jwks`] and step again).
//!
//! What is checked, in order, is listed on [`verify_session_token`]; every refusal has its
//! own [`Reason`].

mod authenticate;
mod claims;
mod jwks;
mod jwt;
mod key;
mod machine;
mod permissions;
mod publishable_key;
mod reason;
mod verify;

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

pub use authenticate::{AuthStatus, Authentication, Caller, SignedOut, Step};
pub use claims::{
    ActiveOrganization, Actor, Has, Reverification, ReverificationLevel, SessionClaims,
    SessionStatus,
};
pub use jwks::{
    DEFAULT_JWKS_TTL, DEFAULT_REFETCH_INTERVAL, JwksCache, KeyLookup, KeySource, SharedKeys,
};
pub use jwt::Algorithm;
pub use key::{KeyError, MIN_RSA_BITS, PublicKey};
pub use machine::{ApiKeyCaller, M2mCaller, MachineRequest, OauthCaller};
pub use publishable_key::{ENV_PUBLISHABLE_KEY, PublishableKey};
pub use reason::{Reason, TokenError};
pub use verify::{AuthOptions, DEFAULT_CLOCK_SKEW, verify_session_token};

/// Environment variable holding the PEM public key (the Dashboard's "JWKS Public Key").
pub const ENV_JWT_KEY: &str = "CLERK_JWT_KEY";

/// The `cat` (category) values of Clerk's JWT header.
pub mod category {
    /// A session token.
    pub const SESSION: &str = "cl_B7d4PD111AAA";
    /// A machine-to-machine token.
    pub const M2M: &str = "cl_B7d4PD333AAA";
    /// A token whose category is to be ignored (treated as a session token).
    pub const IGNORE: &str = "cl_I7d4PD111III";
}

/// The kinds of token a request can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenType {
    /// A session token (a JWT issued to a signed-in user's browser or app).
    SessionToken,
    /// A machine-to-machine token (`mt_…`, or a JWT whose subject is `mch_…`).
    M2mToken,
    /// An OAuth access token issued by Clerk as an identity provider (`oat_…`, or a JWT typed
    /// `at+jwt`).
    OauthToken,
    /// An API key (`ak_…`).
    ApiKey,
}

impl TokenType {
    /// The name used by Clerk's SDKs (`session_token`, `m2m_token`, `oauth_token`, `api_key`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SessionToken => "session_token",
            Self::M2mToken => "m2m_token",
            Self::OauthToken => "oauth_token",
            Self::ApiKey => "api_key",
        }
    }
}

impl fmt::Display for TokenType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TokenType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "session_token" => Ok(Self::SessionToken),
            "m2m_token" => Ok(Self::M2mToken),
            "oauth_token" => Ok(Self::OauthToken),
            "api_key" => Ok(Self::ApiKey),
            other => Err(format!(
                "unknown token type {other:?}; expected session_token, m2m_token, oauth_token or api_key"
            )),
        }
    }
}

/// Which kind of token `token` looks like, from its form alone (nothing is verified):
/// `mt_…` or a JWT whose `sub` is `mch_…` or whose `cat` is the M2M category → M2M token;
/// `oat_…` or a JWT typed `at+jwt`/`application/at+jwt` → OAuth access token; `ak_…` → API
/// key; anything else → a session token candidate.
pub fn classify(token: &str) -> TokenType {
    if let Some(kind) = opaque_kind(token) {
        return kind;
    }
    jwt::peek(token).map_or(TokenType::SessionToken, |decoded| jwt_kind(&decoded))
}

/// The kind of an opaque machine token, from its prefix.
fn opaque_kind(token: &str) -> Option<TokenType> {
    if token.starts_with("mt_") {
        Some(TokenType::M2mToken)
    } else if token.starts_with("oat_") {
        Some(TokenType::OauthToken)
    } else if token.starts_with("ak_") {
        Some(TokenType::ApiKey)
    } else {
        None
    }
}

/// The kind of a decoded JWT, from its header and subject.
fn jwt_kind(decoded: &jwt::Decoded<'_>) -> TokenType {
    if decoded.typ().is_some_and(verify::is_access_token_typ) {
        return TokenType::OauthToken;
    }
    let machine_subject = decoded
        .claims
        .get("sub")
        .and_then(Value::as_str)
        .is_some_and(|sub| sub.starts_with("mch_"));
    let machine_category = decoded.header.get("cat").and_then(Value::as_str) == Some(category::M2M);
    if machine_subject || machine_category {
        TokenType::M2mToken
    } else {
        TokenType::SessionToken
    }
}

/// The PEM key of [`ENV_JWT_KEY`] (`CLERK_JWT_KEY`), when it is set and not empty.
///
/// # Errors
/// [`Error::Config`](crate::Error::Config) naming the variable when it is set but is not a
/// usable PEM RSA public key (the error never quotes the key).
pub fn jwt_key_from_env() -> Result<Option<PublicKey>, crate::Error> {
    jwt_key_from_lookup(|name| std::env::var(name).ok())
}

/// Like [`jwt_key_from_env`], with variables looked up through `lookup`.
///
/// # Errors
/// As [`jwt_key_from_env`].
pub fn jwt_key_from_lookup(
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<Option<PublicKey>, crate::Error> {
    match lookup(ENV_JWT_KEY).filter(|v| !v.trim().is_empty()) {
        None => Ok(None),
        Some(pem) => PublicKey::from_pem(&pem).map(Some).map_err(|err| {
            crate::error::ConfigError::new(format!("{ENV_JWT_KEY}: {}", err.message())).into()
        }),
    }
}

/// At most 64 characters of an unverified, attacker-chosen string, for a message: a long `kid`
/// or `alg` must not fill the logs.
pub(crate) fn shown(text: &str) -> &str {
    text.char_indices()
        .nth(64)
        .map_or(text, |(end, _)| text.get(..end).unwrap_or(text))
}

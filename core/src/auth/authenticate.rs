//! Authenticating a request from its headers: which token, from where, and the verdict.

use std::time::SystemTime;

use http::HeaderMap;
use http::header::{AUTHORIZATION, COOKIE};

use super::claims::SessionClaims;
use super::jwks::{KeyLookup, KeySource};
use super::reason::{Reason, TokenError};
use super::verify::{AuthOptions, precheck, verify_decoded};
use super::{TokenType, category, jwt_kind, opaque_kind};
use crate::jwks::GetJwks;

/// Who is calling, once authenticated.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Caller {
    /// A signed-in user's session.
    Session(Box<SessionClaims>),
}

/// The verdict on a request: signed in, or signed out with the reason.
///
/// A backend never gets Clerk's browser handshake (the redirect that refreshes an expired
/// cookie in a page load): an expired or missing token is signed out, and the frontend
/// refreshes its token and retries.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AuthStatus {
    /// The request carries a valid token.
    SignedIn(Caller),
    /// It does not; the reason says why.
    SignedOut(SignedOut),
}

impl AuthStatus {
    /// Whether the request is signed in.
    pub fn is_signed_in(&self) -> bool {
        matches!(self, Self::SignedIn(_))
    }

    /// The session, when a session token signed the request in.
    pub fn session(&self) -> Option<&SessionClaims> {
        match self {
            Self::SignedIn(Caller::Session(session)) => Some(session),
            Self::SignedOut(_) => None,
        }
    }

    /// Why the request is signed out (`None` when signed in).
    pub fn reason(&self) -> Option<Reason> {
        match self {
            Self::SignedIn(_) => None,
            Self::SignedOut(out) => Some(out.reason),
        }
    }

    /// The kind of token that signed the request in, or that was presented (a session
    /// token when none was).
    pub fn token_type(&self) -> TokenType {
        match self {
            Self::SignedIn(Caller::Session(_)) => TokenType::SessionToken,
            Self::SignedOut(out) => out.token_type,
        }
    }
}

/// A signed-out verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignedOut {
    /// Why.
    pub reason: Reason,
    /// A sentence for logs (never the token itself).
    pub message: String,
    /// The kind of token presented, or [`TokenType::SessionToken`] when there was none.
    pub token_type: TokenType,
}

impl SignedOut {
    /// A signed-out verdict; the token type is the one a type mismatch found, else a session
    /// token (for verdicts of your own, such as a policy of your application's).
    pub fn new(reason: Reason, message: impl Into<String>) -> Self {
        let token_type = match reason {
            Reason::TokenTypeMismatch { found } => found,
            _ => TokenType::SessionToken,
        };
        Self {
            reason,
            message: message.into(),
            token_type,
        }
    }
}

impl From<TokenError> for SignedOut {
    fn from(error: TokenError) -> Self {
        Self::new(error.reason(), error.message())
    }
}

/// What to do next in an [`Authentication`].
#[derive(Debug)]
#[must_use]
pub enum Step {
    /// The verdict.
    Done(AuthStatus),
    /// Fetch the instance's JWKS with this request, give the result to
    /// [`JwksCache::on_jwks`](super::JwksCache::on_jwks), then call [`Authentication::step`]
    /// again.
    FetchJwks(GetJwks),
}

/// Authenticating one request, as a sans-IO flow: [`Authentication::step`] gives the verdict,
/// or asks for the JWKS to be fetched first (once at most).
///
/// ```
/// use std::time::SystemTime;
/// use clerk_backend_core::auth::{AuthOptions, Authentication, JwksCache, Reason, Step};
///
/// let headers = http::HeaderMap::new(); // an anonymous request
/// let options = AuthOptions::new().authorized_party("https://app.example.com");
/// let keys = JwksCache::new();
/// let mut authentication = Authentication::from_headers(&headers, &options);
/// match authentication.step(&keys, SystemTime::now()) {
///     Step::Done(status) => assert_eq!(status.reason(), Some(Reason::SessionTokenAndUatMissing)),
///     Step::FetchJwks(_request) => unreachable!("no token, no key needed"),
/// }
/// ```
///
/// Where the token comes from: the `Authorization` header when it holds one (`Bearer <token>`,
/// scheme case-sensitive; a value without a space is taken as the token itself), otherwise the
/// `__session` cookie, checked against `__client_uat` as Clerk's frontend sets them. With a
/// publishable key in the options, the instance's suffixed cookies (`__session_<suffix>`,
/// `__client_uat_<suffix>`) are read whenever the request carries either of them; otherwise
/// the unsuffixed ones.
#[derive(Debug)]
pub struct Authentication<'a> {
    source: Source<'a>,
    options: &'a AuthOptions,
    fetched: bool,
}

enum Source<'a> {
    Headers(&'a HeaderMap),
    Token(&'a str),
}

/// Header names only, and no token: a request's `Authorization` and `Cookie` values are
/// credentials, and `Debug` output ends up in logs.
impl std::fmt::Debug for Source<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Headers(headers) => f
                .debug_tuple("Headers")
                .field(&headers.keys().collect::<Vec<_>>())
                .finish(),
            Self::Token(_) => f.write_str("Token(<redacted>)"),
        }
    }
}

impl<'a> Authentication<'a> {
    /// Authenticates a request from its headers.
    pub fn from_headers(headers: &'a HeaderMap, options: &'a AuthOptions) -> Self {
        Self {
            source: Source::Headers(headers),
            options,
            fetched: false,
        }
    }

    /// Authenticates a bare token (as if sent as `Authorization: Bearer <token>`), such as one
    /// read from a WebSocket message.
    pub fn from_token(token: &'a str, options: &'a AuthOptions) -> Self {
        Self {
            source: Source::Token(token),
            options,
            fetched: false,
        }
    }

    /// The verdict at `now` with the keys of `keys`, or a request for the JWKS. After one
    /// fetch the flow never asks again: a key still missing signs the request out.
    pub fn step(&mut self, keys: &impl KeySource, now: SystemTime) -> Step {
        let found = match self.source {
            Source::Token(token) => Found::Header(token),
            Source::Headers(headers) => match find_token(headers, self.options) {
                Ok(found) => found,
                Err(out) => return Step::Done(AuthStatus::SignedOut(out)),
            },
        };
        let (token, client_uat) = match found {
            Found::Header(token) => (token, None),
            Found::Cookie { token, client_uat } => (token, Some(client_uat)),
        };
        if let Some(kind) = opaque_kind(token) {
            return Step::Done(AuthStatus::SignedOut(mismatch(kind)));
        }
        let decoded = match precheck(token) {
            Ok(decoded) => decoded,
            Err(error) => return Step::Done(AuthStatus::SignedOut(error.into())),
        };
        // A machine JWT is refused before its key is looked up (its signature would be
        // checked by machine verification, not here).
        let kind = jwt_kind(&decoded);
        if kind != TokenType::SessionToken {
            return Step::Done(AuthStatus::SignedOut(mismatch(kind)));
        }
        if decoded.header.get("cat").is_some_and(|cat| {
            cat.as_str() != Some(category::SESSION) && cat.as_str() != Some(category::IGNORE)
        }) {
            return Step::Done(AuthStatus::SignedOut(SignedOut::new(
                Reason::TokenInvalidCategory,
                "the token's category (`cat`) is not a session's: a JWT-template token carries no session and outlives its revocation",
            )));
        }
        let key = match keys.lookup(decoded.kid(), now, !self.fetched) {
            KeyLookup::Found(key) => key,
            KeyLookup::Fetch => {
                self.fetched = true;
                return Step::FetchJwks(GetJwks::new());
            }
            KeyLookup::Refused(error) => return Step::Done(AuthStatus::SignedOut(error.into())),
        };
        let session = match verify_decoded(decoded, &key, self.options, now) {
            Ok(session) => session,
            Err(error) => return Step::Done(AuthStatus::SignedOut(error.into())),
        };
        if let Some(client_uat) = client_uat {
            // Only signed claims are compared: a stale cookie from before the client's last
            // sign-in or sign-out is refused.
            if session.issued_at.is_none_or(|iat| iat < client_uat) {
                return Step::Done(AuthStatus::SignedOut(SignedOut::new(
                    Reason::SessionTokenIatBeforeClientUat,
                    "the session cookie was issued before the client's last sign-in or sign-out (`__client_uat`)",
                )));
            }
        }
        Step::Done(AuthStatus::SignedIn(Caller::Session(Box::new(session))))
    }

    /// Runs the flow to its verdict with keys that never need fetching (a PEM key), or with
    /// a cache that has what it needs; a request for the JWKS signs the request out with
    /// [`Reason::JwkRemoteFailedToLoad`].
    pub fn verdict(mut self, keys: &impl KeySource, now: SystemTime) -> AuthStatus {
        match self.step(keys, now) {
            Step::Done(status) => status,
            Step::FetchJwks(_) => match self.step(keys, now) {
                Step::Done(status) => status,
                Step::FetchJwks(_) => AuthStatus::SignedOut(SignedOut::new(
                    Reason::JwkRemoteFailedToLoad,
                    "the keys were not fetched",
                )),
            },
        }
    }
}

fn mismatch(kind: TokenType) -> SignedOut {
    SignedOut::new(
        Reason::TokenTypeMismatch { found: kind },
        format!(
            "a token of kind {} was presented where a session token is expected",
            kind.as_str()
        ),
    )
}

enum Found<'a> {
    Header(&'a str),
    Cookie { token: &'a str, client_uat: f64 },
}

/// The token of a request and where it came from, or why there is none to verify.
fn find_token<'h>(headers: &'h HeaderMap, options: &AuthOptions) -> Result<Found<'h>, SignedOut> {
    if let Some(value) = headers.get(AUTHORIZATION) {
        let Ok(value) = value.to_str() else {
            return Err(SignedOut::new(
                Reason::TokenInvalid,
                "the Authorization header is not visible ASCII",
            ));
        };
        let value = value.trim();
        match value.split_once(' ') {
            None if !value.is_empty() => return Ok(Found::Header(value)),
            Some(("Bearer", token)) if !token.trim().is_empty() => {
                return Ok(Found::Header(token.trim()));
            }
            // Another scheme (Basic …) or an empty value: not ours; look at the cookies.
            _ => {}
        }
    }
    let suffix = options
        .publishable_key
        .as_ref()
        .map(|pk| pk.cookie_suffix());
    let suffixed_session = suffix
        .as_deref()
        .and_then(|s| cookie(headers, &format!("__session_{s}")));
    let suffixed_uat = suffix
        .as_deref()
        .and_then(|s| cookie(headers, &format!("__client_uat_{s}")));
    let (session, uat) = if suffixed_session.is_some() || suffixed_uat.is_some() {
        (suffixed_session, suffixed_uat)
    } else {
        (
            cookie(headers, "__session"),
            cookie(headers, "__client_uat"),
        )
    };
    let client_uat = uat
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v > 0.0);
    match (session.filter(|s| !s.is_empty()), client_uat) {
        (None, None) => Err(SignedOut::new(
            Reason::SessionTokenAndUatMissing,
            "the request has no Authorization token, no session cookie and no __client_uat cookie",
        )),
        (Some(_), None) => Err(SignedOut::new(
            Reason::SessionTokenWithoutClientUat,
            "a session cookie came without __client_uat (or with __client_uat=0): the client is signed out",
        )),
        (None, Some(_)) => Err(SignedOut::new(
            Reason::ClientUatWithoutSessionToken,
            "__client_uat says the client is signed in, but no session cookie came with the request",
        )),
        (Some(token), Some(client_uat)) => Ok(Found::Cookie { token, client_uat }),
    }
}

/// The first cookie called `name` in the request's `Cookie` headers, unquoted.
fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| key.trim() == name)
        .map(|(_, value)| {
            let value = value.trim();
            value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    fn found(h: &HeaderMap) -> Result<(&str, Option<f64>), Reason> {
        match find_token(h, &AuthOptions::new()) {
            Ok(Found::Header(t)) => Ok((t, None)),
            Ok(Found::Cookie { token, client_uat }) => Ok((token, Some(client_uat))),
            Err(out) => Err(out.reason),
        }
    }

    #[test]
    fn bearer_wins_over_cookies() {
        let h = headers(&[
            ("authorization", "Bearer abc"),
            ("cookie", "__session=def; __client_uat=1"),
        ]);
        assert_eq!(found(&h), Ok(("abc", None)));
        let h = headers(&[("authorization", "abc")]);
        assert_eq!(found(&h), Ok(("abc", None)));
    }

    #[test]
    fn other_schemes_fall_back_to_cookies() {
        let h = headers(&[
            ("authorization", "bearer abc"),
            ("cookie", "__session=def; __client_uat=5"),
        ]);
        assert_eq!(found(&h), Ok(("def", Some(5.0))));
        let h = headers(&[("authorization", "Basic Zm9vOmJhcg==")]);
        assert_eq!(found(&h), Err(Reason::SessionTokenAndUatMissing));
    }

    #[test]
    fn client_uat_rules() {
        let cases = [
            ("", Err(Reason::SessionTokenAndUatMissing)),
            ("__session=t", Err(Reason::SessionTokenWithoutClientUat)),
            (
                "__session=t; __client_uat=0",
                Err(Reason::SessionTokenWithoutClientUat),
            ),
            ("__client_uat=7", Err(Reason::ClientUatWithoutSessionToken)),
            ("__client_uat=0", Err(Reason::SessionTokenAndUatMissing)),
            ("a=b; __session=\"t\"; __client_uat=7", Ok(("t", Some(7.0)))),
        ];
        for (cookies, expected) in cases {
            let h = headers(&[("cookie", cookies)]);
            assert_eq!(found(&h), expected, "{cookies}");
        }
    }
}

//! Authenticating a request from its headers: which token, from where, and the verdict.

use std::time::SystemTime;

use http::HeaderMap;
use http::header::{AUTHORIZATION, COOKIE};

use super::claims::SessionClaims;
use super::jwks::{KeyLookup, KeySource};
use super::jwt;
use super::machine::{
    ApiKeyCaller, M2mCaller, MachineRequest, OauthCaller, parse_verification, verify_machine_jwt,
};
use super::reason::{Reason, TokenError};
use super::verify::{AuthOptions, verify_decoded};
use super::{TokenType, jwt_kind, opaque_kind};
use crate::Error;
use crate::jwks::GetJwks;

/// Who is calling, once authenticated.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Caller {
    /// A signed-in user's session.
    Session(Box<SessionClaims>),
    /// A machine with a machine-to-machine token.
    M2m(Box<M2mCaller>),
    /// An OAuth application acting for a user.
    Oauth(Box<OauthCaller>),
    /// A holder of an API key.
    ApiKey(Box<ApiKeyCaller>),
}

impl Caller {
    /// The kind of token this caller presented.
    pub fn token_type(&self) -> TokenType {
        match self {
            Self::Session(_) => TokenType::SessionToken,
            Self::M2m(_) => TokenType::M2mToken,
            Self::Oauth(_) => TokenType::OauthToken,
            Self::ApiKey(_) => TokenType::ApiKey,
        }
    }
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
            _ => None,
        }
    }

    /// Who signed the request in, whatever the kind of token.
    pub fn caller(&self) -> Option<&Caller> {
        match self {
            Self::SignedIn(caller) => Some(caller),
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
            Self::SignedIn(caller) => caller.token_type(),
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

impl SignedOut {
    /// A refusal of a token of `kind` (the kind is reported even when the reason is not a
    /// type mismatch).
    fn from_error(error: TokenError, kind: TokenType) -> Self {
        let mut out = Self::from(error);
        out.token_type = kind;
        out
    }
}

/// What to do next in an [`Authentication`].
#[derive(Debug)]
#[must_use]
#[non_exhaustive]
pub enum Step {
    /// The verdict.
    Done(AuthStatus),
    /// Fetch the instance's JWKS with this request, give the result to
    /// [`JwksCache::on_jwks`](super::JwksCache::on_jwks), then call [`Authentication::step`]
    /// again.
    FetchJwks(GetJwks),
    /// Verify an opaque machine token with this request, then give the response to
    /// [`Authentication::on_machine_response`] for the verdict.
    VerifyMachineToken(MachineRequest),
}

/// Authenticating one request, as a sans-IO flow: [`Authentication::step`] gives the verdict,
/// asks for the JWKS to be fetched first (once at most), or hands over the request that
/// verifies an opaque machine token, whose answer [`Authentication::on_machine_response`]
/// turns into the verdict.
///
/// Which kinds of token are accepted is [`AuthOptions::accepts`] (session tokens by default).
/// JWTs (sessions, M2M and OAuth JWTs) are verified locally with the instance's keys; opaque
/// tokens (`mt_…`, `oat_…`, `ak_…`) by the API. Machine tokens count only in the
/// `Authorization` header.
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
///     Step::FetchJwks(_) | Step::VerifyMachineToken(_) => unreachable!("no token to verify"),
///     _ => unreachable!("a step of a later version"),
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
    /// The kind of opaque token whose verification the flow waits for.
    pending: Option<TokenType>,
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
            pending: None,
        }
    }

    /// Authenticates a bare token (as if sent as `Authorization: Bearer <token>`), such as one
    /// read from a WebSocket message.
    pub fn from_token(token: &'a str, options: &'a AuthOptions) -> Self {
        Self {
            source: Source::Token(token),
            options,
            fetched: false,
            pending: None,
        }
    }

    /// The next step at `now` with the keys of `keys`: the verdict, a request for the JWKS
    /// (once at most: after one fetch a key still missing signs the request out), or a request
    /// that verifies an opaque machine token with the API.
    pub fn step(&mut self, keys: &impl KeySource, now: SystemTime) -> Step {
        match self.next(keys, now) {
            Ok(step) => step,
            Err(out) => Step::Done(AuthStatus::SignedOut(out)),
        }
    }

    fn next(&mut self, keys: &impl KeySource, now: SystemTime) -> Result<Step, SignedOut> {
        let (token, client_uat) = match self.source {
            Source::Token(token) => (token, None),
            Source::Headers(headers) => match find_token(headers, self.options)? {
                Found::Header(token) => (token, None),
                Found::Cookie { token, client_uat } => (token, Some(client_uat)),
            },
        };
        if let Some(kind) = opaque_kind(token) {
            // Machine tokens count only in the Authorization header, never in a cookie.
            if client_uat.is_some() || !self.options.is_accepted(kind) {
                return Err(mismatch(kind));
            }
            self.pending = Some(kind);
            return MachineRequest::for_token(kind, token)
                .map(Step::VerifyMachineToken)
                .ok_or_else(|| mismatch(kind));
        }
        let decoded = jwt::decode(token)?;
        let kind = jwt_kind(&decoded);
        if (client_uat.is_some() && kind != TokenType::SessionToken)
            || !self.options.is_accepted(kind)
        {
            return Err(mismatch(kind));
        }
        // A refusal reports the kind of token presented (a machine JWT is not a session).
        let refused = |error: TokenError| SignedOut::from_error(error, kind);
        // The header is checked before a key is looked up: a forged `alg` costs no fetch.
        let algorithm = super::verify::check_header(&decoded, kind).map_err(refused)?;
        let key = match keys.lookup(decoded.kid(), now, !self.fetched) {
            KeyLookup::Found(key) => key,
            KeyLookup::Fetch => {
                self.fetched = true;
                return Ok(Step::FetchJwks(GetJwks::new()));
            }
            KeyLookup::Refused(error) => return Err(refused(error)),
        };
        if kind != TokenType::SessionToken {
            let caller = verify_machine_jwt(&decoded, algorithm, &key, self.options, now, kind)
                .map_err(refused)?;
            return Ok(Step::Done(AuthStatus::SignedIn(caller)));
        }
        let session = verify_decoded(decoded, algorithm, &key, self.options, now)?;
        if let Some(client_uat) = client_uat {
            // Only signed claims are compared: a stale cookie from before the client's last
            // sign-in or sign-out is refused.
            if session.issued_at.is_none_or(|iat| iat < client_uat) {
                return Err(SignedOut::new(
                    Reason::SessionTokenIatBeforeClientUat,
                    "the session cookie was issued before the client's last sign-in or sign-out (`__client_uat`)",
                ));
            }
        }
        Ok(Step::Done(AuthStatus::SignedIn(Caller::Session(Box::new(
            session,
        )))))
    }

    /// The verdict on an opaque machine token from the API's answer to the
    /// [`Step::VerifyMachineToken`] request, checked at `now`. Fails closed: an error, a 404
    /// (unknown token), a 401 (a secret key the API refused), an answer that does not decode,
    /// or one that says revoked, expired or inactive is signed out.
    pub fn on_machine_response(
        &mut self,
        response: Result<http::Response<Vec<u8>>, Error>,
        now: SystemTime,
    ) -> AuthStatus {
        let Some(kind) = self.pending.take() else {
            return AuthStatus::SignedOut(SignedOut::new(
                Reason::TokenVerificationFailed,
                "no machine token is waiting for the API's answer",
            ));
        };
        match parse_verification(kind, response, now) {
            Ok(caller) => AuthStatus::SignedIn(caller),
            Err(error) => AuthStatus::SignedOut(SignedOut::from_error(error, kind)),
        }
    }

    /// Runs the flow to its verdict with keys that never need fetching (a PEM key), or with
    /// a cache that has what it needs, and no network: a request for the JWKS signs the
    /// request out with [`Reason::JwkRemoteFailedToLoad`], and an opaque machine token with
    /// [`Reason::TokenVerificationFailed`].
    pub fn verdict(mut self, keys: &impl KeySource, now: SystemTime) -> AuthStatus {
        for _ in 0..2 {
            match self.step(keys, now) {
                Step::Done(status) => return status,
                Step::FetchJwks(_) => {}
                Step::VerifyMachineToken(request) => {
                    return AuthStatus::SignedOut(SignedOut::from_error(
                        TokenError::new(
                            Reason::TokenVerificationFailed,
                            "an opaque machine token needs the API to verify it",
                        ),
                        request.token_type(),
                    ));
                }
            }
        }
        AuthStatus::SignedOut(SignedOut::new(
            Reason::JwkRemoteFailedToLoad,
            "the keys were not fetched",
        ))
    }
}

fn mismatch(kind: TokenType) -> SignedOut {
    SignedOut::new(
        Reason::TokenTypeMismatch { found: kind },
        format!(
            "a token of kind {} was presented where it is not accepted (machine tokens only count in the Authorization header)",
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
    if !options.is_accepted(TokenType::SessionToken) {
        // Cookies carry only session tokens; machine tokens come in the Authorization header.
        return Err(SignedOut::new(
            Reason::TokenMissing,
            "no token in the Authorization header, and session tokens are not accepted",
        ));
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
    // Seconds as an integer, as Clerk writes it (and reads it); anything else counts as absent.
    let client_uat = uat
        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|v| *v > 0)
        .map(|v| v as f64);
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

//! Why a token or a request was refused: one matchable reason per check.

use std::fmt;

use super::TokenType;

/// Why a token was refused or a request is signed out.
///
/// Each check has its own variant, and [`Reason::as_str`] gives a stable kebab-case name. Where
/// Clerk's JS SDK (`@clerk/backend`) has a name for the same check the name is the same
/// (`token-expired`, `token-invalid-signature`, `session-token-and-uat-missing` …), so a log line
/// can be compared with Clerk's docs; checks that Clerk's SDK folds into one generic reason
/// (`token-verification-failed`) have their own name here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// `token-invalid`: not three base64url segments whose first two are JSON objects; for an
    /// opaque machine token, one the API does not know (404).
    TokenInvalid,
    /// `token-invalid-type`: the header's `typ` is present and is not `JWT`.
    TokenInvalidType,
    /// `token-invalid-algorithm`: `alg` is not RS256, RS384 or RS512.
    TokenInvalidAlgorithm,
    /// `jwk-kid-mismatch`: no key of the JWKS has the token's `kid`, even after the one
    /// refetch the cache allows (or the token has no `kid`).
    JwkKidMismatch,
    /// `jwk-remote-invalid`: the JWKS holds a key with the token's `kid`, but it was refused
    /// (not RSA, under 2048 bits, or malformed).
    JwkRemoteInvalid,
    /// `jwk-remote-failed-to-load`: no keys are known and fetching the JWKS failed.
    JwkRemoteFailedToLoad,
    /// `token-invalid-signature`: the signature does not verify with the key.
    TokenInvalidSignature,
    /// `token-invalid-subject`: `sub` is missing or not a string.
    TokenInvalidSubject,
    /// `token-invalid-expiration`: `exp` is missing or not a number.
    TokenInvalidExpiration,
    /// `token-expired`: `exp` is in the past by more than the allowed clock skew.
    TokenExpired,
    /// `token-invalid-not-before`: `nbf` is present and not a number.
    TokenInvalidNotBefore,
    /// `token-not-active-yet`: `nbf` is in the future by more than the allowed clock skew.
    TokenNotActiveYet,
    /// `token-invalid-issued-at`: `iat` is present and not a number.
    TokenInvalidIssuedAt,
    /// `token-iat-in-the-future`: `iat` is in the future by more than the allowed clock skew.
    TokenIatInTheFuture,
    /// `token-invalid-authorized-parties`: authorized parties are configured and `azp` is
    /// missing, empty or not one of them.
    TokenInvalidAuthorizedParties,
    /// `token-invalid-audience`: an audience is configured and `aud` names none of it.
    TokenInvalidAudience,
    /// `token-invalid-issuer`: an issuer is configured and `iss` is not it.
    TokenInvalidIssuer,
    /// `token-type-mismatch`: the token is of another kind than the ones accepted (a machine
    /// token where a session is expected: the M2M category, a `mch_` subject, `typ: at+jwt`,
    /// an opaque `mt_`/`oat_`/`ak_` token).
    TokenTypeMismatch {
        /// The kind the token was recognised as.
        found: TokenType,
    },
    /// `token-invalid-category`: the `cat` header names a category other than session or
    /// ignore, such as a JWT-template token, which carries no session and outlives its
    /// revocation.
    TokenInvalidCategory,
    /// `session-token-and-uat-missing`: no `Authorization` header, no `__session` cookie and
    /// no `__client_uat` cookie: an anonymous request.
    SessionTokenAndUatMissing,
    /// `session-token-but-no-client-uat`: a `__session` cookie without `__client_uat` (or
    /// with `__client_uat=0`): the client signed out.
    SessionTokenWithoutClientUat,
    /// `client-uat-but-no-session-token`: `__client_uat` says a client is signed in, but no
    /// `__session` cookie came with the request.
    ClientUatWithoutSessionToken,
    /// `session-token-iat-before-client-uat`: the session cookie was issued before the
    /// client's last sign-in or sign-out (`__client_uat`): it is stale.
    SessionTokenIatBeforeClientUat,
    /// `session-pending`: the session has `sts: pending` (tasks left to complete), and the
    /// options do not accept pending sessions.
    SessionPending,
    /// `token-missing`: no `Authorization` token, and session cookies are not accepted.
    TokenMissing,
    /// `session-status-unknown`: the session's `sts` is a status this version does not know;
    /// it is not taken for signed in.
    SessionStatusUnknown,
    /// `token-revoked`: the API says the machine token or API key is revoked.
    TokenRevoked,
    /// `token-inactive`: the API says the OAuth access token is not active.
    TokenInactive,
    /// `secret-key-invalid`: the API refused the secret key that verifies a machine token
    /// (401/403).
    SecretKeyInvalid,
    /// `token-verification-failed`: a machine token could not be verified (the API could not
    /// be reached, answered an error, or an answer that does not decode). Fails closed.
    TokenVerificationFailed,
}

impl Reason {
    /// The reason's stable name, such as `token-expired`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::TokenInvalid => "token-invalid",
            Self::TokenInvalidType => "token-invalid-type",
            Self::TokenInvalidAlgorithm => "token-invalid-algorithm",
            Self::JwkKidMismatch => "jwk-kid-mismatch",
            Self::JwkRemoteInvalid => "jwk-remote-invalid",
            Self::JwkRemoteFailedToLoad => "jwk-remote-failed-to-load",
            Self::TokenInvalidSignature => "token-invalid-signature",
            Self::TokenInvalidSubject => "token-invalid-subject",
            Self::TokenInvalidExpiration => "token-invalid-expiration",
            Self::TokenExpired => "token-expired",
            Self::TokenInvalidNotBefore => "token-invalid-not-before",
            Self::TokenNotActiveYet => "token-not-active-yet",
            Self::TokenInvalidIssuedAt => "token-invalid-issued-at",
            Self::TokenIatInTheFuture => "token-iat-in-the-future",
            Self::TokenInvalidAuthorizedParties => "token-invalid-authorized-parties",
            Self::TokenInvalidAudience => "token-invalid-audience",
            Self::TokenInvalidIssuer => "token-invalid-issuer",
            Self::TokenTypeMismatch { .. } => "token-type-mismatch",
            Self::TokenInvalidCategory => "token-invalid-category",
            Self::SessionTokenAndUatMissing => "session-token-and-uat-missing",
            Self::SessionTokenWithoutClientUat => "session-token-but-no-client-uat",
            Self::ClientUatWithoutSessionToken => "client-uat-but-no-session-token",
            Self::SessionTokenIatBeforeClientUat => "session-token-iat-before-client-uat",
            Self::SessionPending => "session-pending",
            Self::TokenMissing => "token-missing",
            Self::SessionStatusUnknown => "session-status-unknown",
            Self::TokenRevoked => "token-revoked",
            Self::TokenInactive => "token-inactive",
            Self::SecretKeyInvalid => "secret-key-invalid",
            Self::TokenVerificationFailed => "token-verification-failed",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A token that was refused: the [`Reason`] to match on and a message for people.
///
/// The message never contains the token, a key or a signature; it may quote a claim's value
/// (an `azp` origin, an `exp` time) to say what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError {
    reason: Reason,
    message: String,
}

impl TokenError {
    pub(crate) fn new(reason: Reason, message: impl Into<String>) -> Self {
        Self {
            reason,
            message: message.into(),
        }
    }

    /// What failed.
    pub fn reason(&self) -> Reason {
        self.reason
    }

    /// A sentence saying what failed and, where it helps, what was expected.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.reason, self.message)
    }
}

impl std::error::Error for TokenError {}

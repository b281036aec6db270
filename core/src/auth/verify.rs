//! Verifying a session token: the checks, in order, each with its own reason.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use super::claims::{SessionClaims, SessionStatus};
use super::jwt::{self, Decoded};
use super::key::PublicKey;
use super::publishable_key::PublishableKey;
use super::reason::{Reason, TokenError};
use super::{TokenType, category};

/// The clock skew allowed by default on `exp`, `nbf` and `iat`.
pub const DEFAULT_CLOCK_SKEW: Duration = Duration::from_secs(5);

/// What a token must satisfy besides its signature, and how a request is read.
///
/// ```
/// use clerk_backend_core::auth::AuthOptions;
///
/// let options = AuthOptions::new()
///     .authorized_party("https://app.example.com")
///     .issuer("https://clerk.example.com");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct AuthOptions {
    pub(crate) authorized_parties: Vec<String>,
    pub(crate) audiences: Vec<String>,
    pub(crate) issuer: Option<String>,
    pub(crate) clock_skew: Duration,
    pub(crate) accept_pending: bool,
    pub(crate) publishable_key: Option<PublishableKey>,
    /// Empty: session tokens only.
    pub(crate) accepts: Vec<TokenType>,
    pub(crate) accepts_any: bool,
}

impl Default for AuthOptions {
    fn default() -> Self {
        Self::new()
    }
}

impl AuthOptions {
    /// No authorized parties, audience or issuer required; 5 s of clock skew; pending sessions
    /// signed out; no publishable key (unsuffixed cookies only).
    pub fn new() -> Self {
        Self {
            authorized_parties: Vec::new(),
            audiences: Vec::new(),
            issuer: None,
            clock_skew: DEFAULT_CLOCK_SKEW,
            accept_pending: false,
            publishable_key: None,
            accepts: Vec::new(),
            accepts_any: false,
        }
    }

    /// Accepts tokens of `kind` (call it once per kind). Without any call only session tokens
    /// are accepted; once called, only the kinds named. A token of a kind not accepted is
    /// signed out with [`Reason::TokenTypeMismatch`] before any key or network is used.
    pub fn accepts(mut self, kind: TokenType) -> Self {
        if !self.accepts.contains(&kind) {
            self.accepts.push(kind);
        }
        self
    }

    /// Accepts every kind of token: sessions, M2M tokens, OAuth access tokens and API keys.
    /// A JWT-template token is still never a session.
    pub fn accepts_any(mut self) -> Self {
        self.accepts_any = true;
        self
    }

    /// Whether tokens of `kind` are accepted.
    pub fn is_accepted(&self, kind: TokenType) -> bool {
        self.accepts_any
            || self.accepts.contains(&kind)
            || (self.accepts.is_empty() && kind == TokenType::SessionToken)
    }

    /// Adds an origin the token's `azp` may name (`https://app.example.com`). Once any is set,
    /// a token whose `azp` is missing, empty or another origin is refused. Recommended: it
    /// stops a token issued for another site of the same instance from being replayed here.
    pub fn authorized_party(mut self, origin: impl Into<String>) -> Self {
        self.authorized_parties.push(origin.into());
        self
    }

    /// Adds an audience the token's `aud` (a string or an array) must name. Without any,
    /// `aud` is not checked; with some, a token without `aud` is refused.
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audiences.push(audience.into());
        self
    }

    /// Requires `iss` to be exactly `issuer` (`https://clerk.example.com`); see
    /// [`PublishableKey::issuer`] to derive it from the publishable key.
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// Sets the clock skew allowed on `exp`, `nbf` and `iat` (default 5 s).
    pub fn clock_skew(mut self, skew: Duration) -> Self {
        self.clock_skew = skew;
        self
    }

    /// Signs in sessions with `sts: pending` (by default they are signed out with
    /// [`Reason::SessionPending`]).
    pub fn accept_pending_sessions(mut self, accept: bool) -> Self {
        self.accept_pending = accept;
        self
    }

    /// The instance's publishable key: its cookie suffix selects the `__session_<suffix>` and
    /// `__client_uat_<suffix>` cookies when a request carries them.
    pub fn publishable_key(mut self, key: PublishableKey) -> Self {
        self.publishable_key = Some(key);
        self
    }
}

/// Verifies a session token with a key already at hand (a PEM key, or one from a JWKS), at
/// `now`.
///
/// The checks run in this order, and the first that fails gives the error's [`Reason`]:
/// form (three base64url segments, JSON objects), `typ` (`JWT` when present), `alg` (RS256,
/// RS384, RS512, and the key's own when its JWK names one), the signature, then the claims,
/// trusted only now: `sub` a string, `exp` a number and not past (with the clock skew), `nbf`
/// and `iat` numbers when present and not in the future, `azp` among the authorized parties,
/// `aud` naming a configured audience, `iss` the configured issuer, and the category (the
/// `cat` header and the `mch_` subject of machine tokens; template tokens). Last, a pending
/// session is refused unless the options accept it.
///
/// # Errors
/// [`TokenError`] with the reason of the first check that failed.
pub fn verify_session_token(
    token: &str,
    key: &PublicKey,
    options: &AuthOptions,
    now: SystemTime,
) -> Result<SessionClaims, TokenError> {
    let decoded = jwt::decode(token)?;
    let algorithm = check_header(&decoded, TokenType::SessionToken)?;
    verify_decoded(decoded, algorithm, key, options, now)
}

/// `typ` as the kind of token requires, and `alg` on the allowlist. A session or M2M token is
/// typed `JWT` or not at all (an access-token type means another kind of token); an OAuth access
/// token must be typed `at+jwt` or `application/at+jwt`.
pub(crate) fn check_header(
    decoded: &Decoded<'_>,
    kind: TokenType,
) -> Result<jwt::Algorithm, TokenError> {
    let typ = decoded.header.get("typ");
    if kind == TokenType::OauthToken {
        if !typ.and_then(Value::as_str).is_some_and(is_access_token_typ) {
            return Err(TokenError::new(
                Reason::TokenInvalidType,
                "an OAuth access token must be typed \"at+jwt\" or \"application/at+jwt\"",
            ));
        }
        return decoded.algorithm();
    }
    match typ {
        None => {}
        Some(Value::String(typ)) if typ == "JWT" => {}
        Some(Value::String(typ)) if is_access_token_typ(typ) => {
            return Err(TokenError::new(
                Reason::TokenTypeMismatch {
                    found: TokenType::OauthToken,
                },
                format!("the token's type is {typ:?}: an OAuth access token, not a session"),
            ));
        }
        Some(other) => {
            return Err(TokenError::new(
                Reason::TokenInvalidType,
                format!("the token's type is {other}; expected \"JWT\""),
            ));
        }
    }
    decoded.algorithm()
}

/// Whether a header `typ` marks an OAuth access token.
pub(crate) fn is_access_token_typ(typ: &str) -> bool {
    typ == "at+jwt" || typ == "application/at+jwt"
}

/// Every check of [`verify_session_token`] on a decoded token and the key for its `kid`.
pub(crate) fn verify_decoded(
    decoded: Decoded<'_>,
    algorithm: jwt::Algorithm,
    key: &PublicKey,
    options: &AuthOptions,
    now: SystemTime,
) -> Result<SessionClaims, TokenError> {
    let subject = verify_signed(&decoded, algorithm, key, options, now)?;
    match decoded.header.get("cat") {
        None => {}
        Some(Value::String(cat)) if cat == category::SESSION || cat == category::IGNORE => {}
        Some(Value::String(cat)) if cat == category::M2M => {
            return Err(TokenError::new(
                Reason::TokenTypeMismatch {
                    found: TokenType::M2mToken,
                },
                "the token's category is machine-to-machine, not a session",
            ));
        }
        Some(_) => {
            return Err(TokenError::new(
                Reason::TokenInvalidCategory,
                "the token's category (`cat`) is not a session's (a JWT-template token carries no session)",
            ));
        }
    }
    if subject.starts_with("mch_") {
        return Err(TokenError::new(
            Reason::TokenTypeMismatch {
                found: TokenType::M2mToken,
            },
            "the subject is a machine (`mch_…`): a machine-to-machine token, not a session",
        ));
    }
    let session = SessionClaims::from_verified(decoded.claims);
    match &session.status {
        SessionStatus::Active => {}
        SessionStatus::Pending if options.accept_pending => {}
        SessionStatus::Pending => {
            return Err(TokenError::new(
                Reason::SessionPending,
                "the session is pending (tasks left to complete) and pending sessions are not accepted",
            ));
        }
        // A status this version does not know is not taken for signed in: fail closed.
        SessionStatus::Unknown(status) => {
            return Err(TokenError::new(
                Reason::SessionStatusUnknown,
                format!(
                    "the session status {:?} is not one this version signs in",
                    super::shown(status)
                ),
            ));
        }
    }
    Ok(session)
}

/// The checks every kind of JWT shares after its header ([`check_header`], whose `algorithm`
/// the caller passes on), in order: the key's algorithm, the signature, then the signed claims
/// `sub`, `exp`, `nbf`, `iat`, `azp`, `aud`, `iss`. Returns the subject.
pub(crate) fn verify_signed<'d>(
    decoded: &'d Decoded<'_>,
    algorithm: jwt::Algorithm,
    key: &PublicKey,
    options: &AuthOptions,
    now: SystemTime,
) -> Result<&'d str, TokenError> {
    if let Some(only) = key.algorithm().filter(|only| *only != algorithm) {
        return Err(TokenError::new(
            Reason::TokenInvalidAlgorithm,
            format!(
                "the token is signed with {} but its key is for {}",
                algorithm.as_str(),
                only.as_str()
            ),
        ));
    }
    if !key.verifies(
        algorithm,
        decoded.signing_input.as_bytes(),
        &decoded.signature,
    ) {
        return Err(TokenError::new(
            Reason::TokenInvalidSignature,
            "the signature does not verify with the instance's key",
        ));
    }
    // From here on the claims are the signer's.
    let claims = &decoded.claims;
    let Some(subject) = claims.get("sub").and_then(Value::as_str) else {
        return Err(TokenError::new(
            Reason::TokenInvalidSubject,
            "the subject (`sub`) is missing or not a string",
        ));
    };
    let now_ms = unix_millis(now);
    let skew_ms = options.clock_skew.as_secs_f64() * 1000.0;
    let exp = match claims.get("exp") {
        // Without arbitrary precision every JSON number has an f64; fail closed anyway.
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        _ => {
            return Err(TokenError::new(
                Reason::TokenInvalidExpiration,
                "the expiry (`exp`) is missing or not a number",
            ));
        }
    };
    if exp.trunc() * 1000.0 <= now_ms - skew_ms {
        return Err(TokenError::new(
            Reason::TokenExpired,
            format!("the token expired at {exp} (Unix seconds)"),
        ));
    }
    match claims.get("nbf") {
        None => {}
        Some(Value::Number(n)) => {
            let nbf = n.as_f64().unwrap_or(f64::INFINITY);
            if nbf.trunc() * 1000.0 > now_ms + skew_ms {
                return Err(TokenError::new(
                    Reason::TokenNotActiveYet,
                    format!("the token is not valid before {nbf} (Unix seconds)"),
                ));
            }
        }
        Some(_) => {
            return Err(TokenError::new(
                Reason::TokenInvalidNotBefore,
                "the not-before time (`nbf`) is not a number",
            ));
        }
    }
    match claims.get("iat") {
        None => {}
        Some(Value::Number(n)) => {
            let iat = n.as_f64().unwrap_or(f64::INFINITY);
            if iat.trunc() * 1000.0 > now_ms + skew_ms {
                return Err(TokenError::new(
                    Reason::TokenIatInTheFuture,
                    format!("the token is issued in the future, at {iat} (Unix seconds)"),
                ));
            }
        }
        Some(_) => {
            return Err(TokenError::new(
                Reason::TokenInvalidIssuedAt,
                "the issue time (`iat`) is not a number",
            ));
        }
    }
    if !options.authorized_parties.is_empty() {
        match claims.get("azp").and_then(Value::as_str) {
            Some(azp) if !azp.is_empty() && options.authorized_parties.iter().any(|p| p == azp) => {
            }
            Some(azp) if !azp.is_empty() => {
                return Err(TokenError::new(
                    Reason::TokenInvalidAuthorizedParties,
                    format!(
                        "the authorized party (`azp`) {azp:?} is not one of the configured origins"
                    ),
                ));
            }
            _ => {
                return Err(TokenError::new(
                    Reason::TokenInvalidAuthorizedParties,
                    "the authorized party (`azp`) is missing or empty, and authorized parties are configured",
                ));
            }
        }
    }
    if !options.audiences.is_empty() {
        let named = match claims.get("aud") {
            Some(Value::String(aud)) => options.audiences.iter().any(|a| a == aud),
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(Value::as_str)
                .any(|aud| options.audiences.iter().any(|a| a == aud)),
            _ => false,
        };
        if !named {
            return Err(TokenError::new(
                Reason::TokenInvalidAudience,
                "the audience (`aud`) names none of the configured audiences",
            ));
        }
    }
    if let Some(issuer) = options
        .issuer
        .as_ref()
        .filter(|issuer| claims.get("iss").and_then(Value::as_str) != Some(issuer.as_str()))
    {
        return Err(TokenError::new(
            Reason::TokenInvalidIssuer,
            format!("the issuer (`iss`) is not {issuer:?}"),
        ));
    }
    Ok(subject)
}

/// `now` in milliseconds since the Unix epoch (negative before it).
pub(crate) fn unix_millis(now: SystemTime) -> f64 {
    match now.duration_since(UNIX_EPOCH) {
        Ok(after) => after.as_secs_f64() * 1000.0,
        Err(before) => -(before.duration().as_secs_f64() * 1000.0),
    }
}

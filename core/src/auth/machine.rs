//! Machine callers: M2M tokens, OAuth access tokens and API keys, verified locally (JWTs) or by
//! the API (opaque tokens), typed.

use std::time::SystemTime;

use serde_json::Value;

use super::TokenType;
use super::category;
use super::jwt::Decoded;
use super::key::PublicKey;
use super::reason::{Reason, TokenError};
use super::verify::{AuthOptions, verify_signed};
use crate::api_keys::VerifyApiKey;
use crate::m2m_tokens::VerifyM2mToken;
use crate::oauth_access_tokens::VerifyOauthAccessToken;
use crate::{Config, Endpoint, Error};

/// A machine that called with a machine-to-machine token.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct M2mCaller {
    /// The token's id (`jti` of a JWT, `mt_…` id of an opaque token).
    pub token_id: Option<String>,
    /// The calling machine (`mch_…`).
    pub machine_id: String,
    /// The scopes granted: the machines it may call.
    pub scopes: Vec<String>,
    /// Custom claims (the JWT's whole payload, or the token's `claims`).
    pub claims: Option<Value>,
    /// Expiry, seconds since the Unix epoch, when known.
    pub expires_at: Option<f64>,
}

/// A client application acting for a user with an OAuth access token issued by Clerk.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct OauthCaller {
    /// The token's id (`jti` of a JWT, `oat_…` id of an opaque token).
    pub token_id: Option<String>,
    /// The user the application acts for (`sub`).
    pub user_id: String,
    /// The OAuth application's client id.
    pub client_id: String,
    /// The scopes granted.
    pub scopes: Vec<String>,
    /// Expiry, seconds since the Unix epoch, when known.
    pub expires_at: Option<f64>,
}

/// A caller with an API key (`ak_…`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiKeyCaller {
    /// The key's id.
    pub key_id: String,
    /// The key's name.
    pub name: String,
    /// Who the key belongs to, as the API names it (`user_…` or `org_…`).
    pub subject: String,
    /// The user the key belongs to, when its subject is a user.
    pub user_id: Option<String>,
    /// The organization the key belongs to, when its subject is an organization.
    pub org_id: Option<String>,
    /// The scopes granted.
    pub scopes: Vec<String>,
    /// Custom claims of the key.
    pub claims: Option<Value>,
}

/// A request that verifies an opaque machine token with the API; run it, then give its answer
/// to [`Authentication::on_machine_response`](super::Authentication::on_machine_response).
///
/// The verify calls are reads: a transport may retry them as it retries `GET`s.
///
/// Its `Debug` shows the token as `<redacted>`, as the verify operations' own `Debug` does.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MachineRequest {
    /// `POST /m2m_tokens/verify`.
    M2m(VerifyM2mToken),
    /// `POST /oauth_applications/access_tokens/verify`.
    Oauth(VerifyOauthAccessToken),
    /// `POST /api_keys/verify`.
    ApiKey(VerifyApiKey),
}

impl MachineRequest {
    pub(crate) fn for_token(kind: TokenType, token: &str) -> Option<Self> {
        match kind {
            TokenType::M2mToken => Some(Self::M2m(VerifyM2mToken::new(token))),
            TokenType::OauthToken => Some(Self::Oauth(
                VerifyOauthAccessToken::new().access_token(token),
            )),
            TokenType::ApiKey => Some(Self::ApiKey(VerifyApiKey::new(token))),
            TokenType::SessionToken => None,
        }
    }

    /// The kind of token it verifies.
    pub fn token_type(&self) -> TokenType {
        match self {
            Self::M2m(_) => TokenType::M2mToken,
            Self::Oauth(_) => TokenType::OauthToken,
            Self::ApiKey(_) => TokenType::ApiKey,
        }
    }

    /// The HTTP request, authenticated by `config`.
    ///
    /// # Errors
    /// As [`Endpoint::to_http`].
    pub fn to_http(&self, config: &Config) -> Result<http::Request<Vec<u8>>, Error> {
        match self {
            Self::M2m(op) => op.to_http(config),
            Self::Oauth(op) => op.to_http(config),
            Self::ApiKey(op) => op.to_http(config),
        }
    }
}

/// What the API answered about an opaque token of `kind`, as a caller or a refusal. Fails
/// closed: a revoked, expired or inactive token is refused whatever else the answer says.
pub(crate) fn parse_verification(
    kind: TokenType,
    response: Result<http::Response<Vec<u8>>, Error>,
    now: SystemTime,
) -> Result<super::Caller, TokenError> {
    let response = response.map_err(|error| {
        TokenError::new(
            Reason::TokenVerificationFailed,
            format!("the {kind} could not be verified: {error}"),
        )
    })?;
    match response.status().as_u16() {
        200..=299 => {}
        404 => {
            return Err(TokenError::new(
                Reason::TokenInvalid,
                format!("the API does not know this {kind} (404)"),
            ));
        }
        401 | 403 => {
            return Err(TokenError::new(
                Reason::SecretKeyInvalid,
                format!(
                    "the API refused the secret key that verifies the {kind} ({})",
                    response.status()
                ),
            ));
        }
        _ => {
            return Err(TokenError::new(
                Reason::TokenVerificationFailed,
                format!("the {kind} could not be verified ({})", response.status()),
            ));
        }
    }
    // The decoder's own message quotes the answer's values (which may echo the token), so
    // only where decoding failed is said.
    let decode_failed = |error: Error| {
        let at = match &error {
            Error::Decode(decode) => format!(" at `{}`", decode.path),
            _ => String::new(),
        };
        TokenError::new(
            Reason::TokenVerificationFailed,
            format!("the API's answer about the {kind} did not decode{at}"),
        )
    };
    let now_secs = super::verify::unix_millis(now) / 1000.0;
    match kind {
        TokenType::M2mToken => {
            let token = VerifyM2mToken::parse(response).map_err(decode_failed)?;
            identified(kind, &token.id, &token.subject)?;
            still_valid(
                kind,
                token.revoked,
                token.expired,
                token.expiration,
                now_secs,
            )?;
            Ok(super::Caller::M2m(Box::new(M2mCaller {
                token_id: Some(token.id),
                machine_id: token.subject,
                scopes: token.scopes,
                claims: token.claims,
                expires_at: token.expiration.map(timestamp_seconds),
            })))
        }
        TokenType::ApiKey => {
            let key = VerifyApiKey::parse(response).map_err(decode_failed)?;
            identified(kind, &key.id, &key.subject)?;
            still_valid(kind, key.revoked, key.expired, key.expiration, now_secs)?;
            let (user_id, org_id) = if key.subject.starts_with("user_") {
                (Some(key.subject.clone()), None)
            } else if key.subject.starts_with("org_") {
                (None, Some(key.subject.clone()))
            } else {
                (None, None)
            };
            Ok(super::Caller::ApiKey(Box::new(ApiKeyCaller {
                key_id: key.id,
                name: key.name,
                subject: key.subject,
                user_id,
                org_id,
                scopes: key.scopes,
                claims: key.claims,
            })))
        }
        TokenType::OauthToken => {
            use crate::models::VerifyOauthAccessTokenResponse as Answer;
            match VerifyOauthAccessToken::parse(response).map_err(decode_failed)? {
                Answer::ClerkIdpOauthAccessToken(token) => {
                    identified(kind, &token.id, &token.subject)?;
                    still_valid(
                        kind,
                        token.revoked,
                        token.expired,
                        token.expiration,
                        now_secs,
                    )?;
                    Ok(super::Caller::Oauth(Box::new(OauthCaller {
                        token_id: Some(token.id),
                        user_id: token.subject,
                        client_id: token.client_id,
                        scopes: token.scopes,
                        expires_at: token.expiration.map(timestamp_seconds),
                    })))
                }
                Answer::ActiveFalse(_) => Err(TokenError::new(
                    Reason::TokenInactive,
                    "the API says the OAuth access token is not active",
                )),
                _ => Err(TokenError::new(
                    Reason::TokenVerificationFailed,
                    "the API's answer about the OAuth access token is of an unknown shape",
                )),
            }
        }
        TokenType::SessionToken => Err(TokenError::new(
            Reason::TokenVerificationFailed,
            "a session token is not verified by the API",
        )),
    }
}

/// Refuses an answer that names no token or no subject: the tolerant decoder reads a 2xx
/// that is not a token object (a proxy's `{}`) as empty fields, which must sign no one in.
fn identified(kind: TokenType, id: &str, subject: &str) -> Result<(), TokenError> {
    if id.is_empty() || subject.is_empty() {
        return Err(TokenError::new(
            Reason::TokenVerificationFailed,
            format!("the API's answer about the {kind} names no token id or no subject"),
        ));
    }
    Ok(())
}

/// Refuses a token the API reports revoked or expired, or whose expiry has passed.
fn still_valid(
    kind: TokenType,
    revoked: bool,
    expired: bool,
    expiration: Option<f64>,
    now_secs: f64,
) -> Result<(), TokenError> {
    if revoked {
        return Err(TokenError::new(
            Reason::TokenRevoked,
            format!("the API says the {kind} is revoked"),
        ));
    }
    if expired || expiration.is_some_and(|at| timestamp_seconds(at) <= now_secs) {
        return Err(TokenError::new(
            Reason::TokenExpired,
            format!("the API says the {kind} is expired"),
        ));
    }
    Ok(())
}

/// Verifies an M2M or OAuth JWT with the session rules plus its own: an M2M token's category
/// is absent or M2M; an OAuth token is typed `at+jwt`.
pub(crate) fn verify_machine_jwt(
    decoded: &Decoded<'_>,
    algorithm: super::jwt::Algorithm,
    key: &PublicKey,
    options: &AuthOptions,
    now: SystemTime,
    kind: TokenType,
) -> Result<super::Caller, TokenError> {
    let subject = verify_signed(decoded, algorithm, key, options, now)?.to_owned();
    let claims = &decoded.claims;
    let string = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
    let expires_at = claims.get("exp").and_then(Value::as_f64);
    if kind == TokenType::M2mToken {
        if !subject.starts_with("mch_") {
            return Err(TokenError::new(
                Reason::TokenInvalidSubject,
                "an M2M token's subject must be a machine (`mch_…`)",
            ));
        }
        match decoded.header.get("cat") {
            None => {}
            Some(Value::String(cat)) if cat == category::M2M => {}
            Some(_) => {
                return Err(TokenError::new(
                    Reason::TokenInvalidCategory,
                    "an M2M token's category (`cat`) must be the M2M category",
                ));
            }
        }
        let scopes = match claims.get("scopes").and_then(Value::as_str) {
            Some(scopes) => split_spaces(scopes),
            None => strings(claims.get("aud")),
        };
        return Ok(super::Caller::M2m(Box::new(M2mCaller {
            token_id: string("jti"),
            machine_id: subject,
            scopes,
            claims: Some(Value::Object(claims.clone())),
            expires_at,
        })));
    }
    let scopes = match (claims.get("scp"), claims.get("scope")) {
        (Some(scp), _) => strings(Some(scp)),
        (None, Some(Value::String(scope))) => split_spaces(scope),
        _ => Vec::new(),
    };
    Ok(super::Caller::Oauth(Box::new(OauthCaller {
        token_id: string("jti"),
        user_id: subject,
        client_id: string("client_id")
            .filter(|id| !id.is_empty())
            .ok_or_else(|| {
                TokenError::new(
                    Reason::TokenVerificationFailed,
                    "the OAuth access token names no client (`client_id`)",
                )
            })?,
        scopes,
        expires_at,
    })))
}

fn split_spaces(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

/// A string claim as one item, or a list claim's strings (a space-separated string of
/// scopes is split).
fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => split_spaces(s),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// A timestamp of the API in seconds. The spec gives M2M and API-key times in milliseconds and
/// shows OAuth ones in seconds; a value of 10^11 or more (year 5138 in seconds, 1973 in
/// milliseconds) is read as milliseconds, anything smaller as seconds, so both read right.
fn timestamp_seconds(value: f64) -> f64 {
    if value.abs() >= 1e11 {
        value / 1000.0
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    fn oauth_answer(expiration: f64) -> http::Response<Vec<u8>> {
        let body = serde_json::json!({
            "object": "clerk_idp_oauth_access_token", "id": "oat_1", "client_id": "c",
            "subject": "user_1", "scopes": [], "revoked": false, "revocation_reason": null,
            "expired": false, "expiration": expiration, "created_at": 1, "updated_at": 1,
        });
        http::Response::new(body.to_string().into_bytes())
    }

    #[test]
    fn expirations_in_seconds_or_milliseconds_both_read_right() {
        let now = UNIX_EPOCH + std::time::Duration::from_secs(1_750_000_000);
        for (expiration, valid) in [
            (1_750_000_100.0, true),
            (1_749_999_900.0, false),
            (1_750_000_100_000.0, true),
            (1_749_999_900_000.0, false),
        ] {
            let verdict =
                parse_verification(TokenType::OauthToken, Ok(oauth_answer(expiration)), now);
            assert_eq!(verdict.is_ok(), valid, "{expiration}: {verdict:?}");
        }
    }
}

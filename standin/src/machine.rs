//! Opaque machine tokens: the three verify endpoints of Clerk's Backend API, served by
//! [`UsersStandIn`] so tests can verify M2M tokens, API keys and OAuth access tokens over
//! loopback.
//!
//! | Route | Body | Answer |
//! |---|---|---|
//! | `POST /v1/m2m_tokens/verify` | `{"token"}` | the object registered with [`UsersStandIn::add_m2m_token`] |
//! | `POST /v1/api_keys/verify` | `{"secret"}` | the object registered with [`UsersStandIn::add_api_key`] |
//! | `POST /v1/oauth_applications/access_tokens/verify` | `{"access_token"}` (or the deprecated `{"secret"}`) | the object registered with [`UsersStandIn::add_oauth_access_token`] |
//!
//! A test registers a token string together with the exact JSON the API answers for it: build a
//! typical answer with [`m2m_token_object`], [`api_key_object`] or [`oauth_access_token_object`]
//! (shaped like the spec's schemas, not revoked, not expired) and change it for revoked, expired
//! or otherwise odd variants, or register [`oauth_inactive_answer`] (`{"active": false}`) for an
//! OAuth token the API reports inactive. The stand-in answers `200` with that JSON as it is; it
//! does not look inside it (a `revoked: true` object is still a `200`, as with Clerk).
//!
//! Other answers, in Clerk's error shape:
//! - a token that was not registered (for that endpoint) is `404 resource_not_found`;
//! - a body that is not a JSON object, lacks the token field, has it with a non-string value,
//!   or (for the M2M and API key endpoints, whose request schemas forbid additional properties)
//!   has any other field, is `400 request_body_invalid` (`meta.param_name` names the field when
//!   there is one to name);
//! - a wrong or missing `Authorization` is `401 authentication_invalid`. The instance secret key
//!   is accepted everywhere; a machine secret key set with [`UsersStandIn::set_machine_secret_key`]
//!   is accepted on the `/v1/m2m_tokens` paths only, as the spec says, and refused with `401`
//!   anywhere else.
//!
//! Not covered: JWT machine tokens (verify those locally against [`UsersStandIn::set_jwks`]),
//! creating, listing or revoking tokens and keys (the other `/m2m_tokens`, `/api_keys` and
//! `/oauth_applications` routes are `404`), and the check that a token verified with a machine
//! secret key was granted access to that key's machine: any registered M2M token verifies with
//! the machine secret key.
//!
//! ```
//! use clerk_backend_testkit::machine::m2m_token_object;
//! use clerk_backend_testkit::users::UsersStandIn;
//!
//! let standin = UsersStandIn::new("sk_test_doc");
//! standin.set_machine_secret_key("ak_machine_doc");
//! let object = m2m_token_object(
//!     "mt_f7f0ba8c3b4843ce7d85fcdd5e71853e",
//!     "mch_2xhFjEI5X2qWRvtV13BzSj8H6Dk",
//!     &["mch_2yGkLpQ7Y3rXSwtU24CzTk9I7Em"],
//! );
//! standin.add_m2m_token("mt_opaque_doc", object.clone());
//!
//! let request = http::Request::post("/v1/m2m_tokens/verify")
//!     .header("authorization", "Bearer ak_machine_doc")
//!     .body(br#"{"token":"mt_opaque_doc"}"#.to_vec())?;
//! let response = standin.handle(request);
//! assert_eq!(response.status(), 200);
//! assert_eq!(serde_json::from_slice::<serde_json::Value>(response.body())?, object);
//! assert_eq!(standin.verify_calls().m2m_tokens, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`UsersStandIn`]: crate::users::UsersStandIn
//! [`UsersStandIn::add_m2m_token`]: crate::users::UsersStandIn::add_m2m_token
//! [`UsersStandIn::add_api_key`]: crate::users::UsersStandIn::add_api_key
//! [`UsersStandIn::add_oauth_access_token`]: crate::users::UsersStandIn::add_oauth_access_token
//! [`UsersStandIn::set_machine_secret_key`]: crate::users::UsersStandIn::set_machine_secret_key
//! [`UsersStandIn::set_jwks`]: crate::users::UsersStandIn::set_jwks

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use http::Method;
use serde_json::{Map, Value, json};

use crate::users::error::ApiError;

/// How long the tokens built by [`m2m_token_object`] and [`oauth_access_token_object`] live
/// (`expiration - created_at`), in milliseconds: one hour.
pub const TOKEN_LIFETIME_MS: i64 = 3_600_000;

/// How many authorized requests reached each verify endpoint, whatever the answer (`200`,
/// `400` or `404`; a `401` does not count). See [`UsersStandIn::verify_calls`].
///
/// [`UsersStandIn::verify_calls`]: crate::users::UsersStandIn::verify_calls
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VerifyCalls {
    /// `POST /v1/m2m_tokens/verify`.
    pub m2m_tokens: u64,
    /// `POST /v1/api_keys/verify`.
    pub api_keys: u64,
    /// `POST /v1/oauth_applications/access_tokens/verify`.
    pub oauth_access_tokens: u64,
}

/// A typical answer of `POST /v1/m2m_tokens/verify` (the spec's M2M token object): `object`
/// `machine_to_machine_token`, `subject` the machine id, `scopes` the machine ids the token is
/// granted access to, `claims: null`, not revoked, not expired, created now and expiring
/// [`TOKEN_LIFETIME_MS`] later (Unix milliseconds), never used.
///
/// The spec's ids look like `mt_` + 32 hex digits and `mch_` + 27 characters; any strings are
/// taken as they are.
pub fn m2m_token_object(id: &str, machine_id: &str, scopes: &[&str]) -> Value {
    let now = now_ms();
    json!({
        "object": "machine_to_machine_token",
        "id": id,
        "subject": machine_id,
        "claims": null,
        "scopes": scopes,
        "revoked": false,
        "revocation_reason": null,
        "expired": false,
        "expiration": now.saturating_add(TOKEN_LIFETIME_MS),
        "last_used_at": null,
        "created_at": now,
        "updated_at": now,
    })
}

/// A typical answer of `POST /v1/api_keys/verify` (the spec's API key object): `object` and
/// `type` `api_key`, `subject` the owner (a `user_…`, `org_…` or `mch_…` id), `claims: null`,
/// no description, not revoked, not expired, no expiration (`null`), no `created_by`, never
/// used, created now (Unix milliseconds).
///
/// The spec's ids look like `ak_` + 32 hex digits; any strings are taken as they are.
pub fn api_key_object(id: &str, name: &str, subject: &str, scopes: &[&str]) -> Value {
    let now = now_ms();
    json!({
        "object": "api_key",
        "id": id,
        "type": "api_key",
        "subject": subject,
        "name": name,
        "description": null,
        "claims": null,
        "scopes": scopes,
        "revoked": false,
        "revocation_reason": null,
        "expired": false,
        "expiration": null,
        "created_by": null,
        "last_used_at": null,
        "created_at": now,
        "updated_at": now,
    })
}

/// A typical answer of `POST /v1/oauth_applications/access_tokens/verify` for an active token
/// (the spec's OAuth access token object): `object` `clerk_idp_oauth_access_token`, `subject`
/// the user id, not revoked, not expired, created now and expiring [`TOKEN_LIFETIME_MS`] later
/// (Unix milliseconds).
///
/// The spec's ids look like `oat_` + 32 hex digits and `user_` + 27 characters; any strings are
/// taken as they are.
pub fn oauth_access_token_object(
    id: &str,
    user_id: &str,
    client_id: &str,
    scopes: &[&str],
) -> Value {
    let now = now_ms();
    json!({
        "object": "clerk_idp_oauth_access_token",
        "id": id,
        "client_id": client_id,
        "subject": user_id,
        "scopes": scopes,
        "revoked": false,
        "revocation_reason": null,
        "expired": false,
        "expiration": now.saturating_add(TOKEN_LIFETIME_MS),
        "created_at": now,
        "updated_at": now,
    })
}

/// `{"active": false}`: what the OAuth verify endpoint answers for a token that is not active.
/// Register it with [`UsersStandIn::add_oauth_access_token`] to get that answer for a token.
///
/// [`UsersStandIn::add_oauth_access_token`]: crate::users::UsersStandIn::add_oauth_access_token
pub fn oauth_inactive_answer() -> Value {
    json!({ "active": false })
}

/// Milliseconds since the Unix epoch (0 if the clock is before it).
fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_millis()).ok())
        .unwrap_or(0)
}

/// The three kinds of opaque machine token, one per verify endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    M2mToken,
    ApiKey,
    OauthAccessToken,
}

impl Kind {
    /// The kind whose verify endpoint is at `path` (below `/v1`).
    fn from_path(path: &str) -> Option<Self> {
        match path {
            "/m2m_tokens/verify" => Some(Self::M2mToken),
            "/api_keys/verify" => Some(Self::ApiKey),
            "/oauth_applications/access_tokens/verify" => Some(Self::OauthAccessToken),
            _ => None,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Self::M2mToken => "M2M token",
            Self::ApiKey => "API key",
            Self::OauthAccessToken => "OAuth access token",
        }
    }

    /// Reads the token from a verify request body.
    fn token_in(self, body: &[u8]) -> Result<String, ApiError> {
        let map = match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => map,
            Ok(_) => return Err(ApiError::body_invalid("expected a JSON object")),
            Err(e) => return Err(ApiError::body_invalid(e)),
        };
        let only = |field: &str| {
            if let Some(other) = map.keys().find(|key| *key != field) {
                return Err(ApiError::body_invalid(format!("unknown field `{other}`")).param(other));
            }
            string_field(&map, field)?.ok_or_else(|| missing(field))
        };
        match self {
            Self::M2mToken => only("token"),
            Self::ApiKey => only("secret"),
            Self::OauthAccessToken => match string_field(&map, "access_token")? {
                Some(token) => Ok(token),
                None => string_field(&map, "secret")?.ok_or_else(|| missing("access_token")),
            },
        }
    }
}

/// A string field; absent and `null` read as `None`.
fn string_field(map: &Map<String, Value>, key: &str) -> Result<Option<String>, ApiError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(ApiError::body_invalid(format!("`{key}` must be a string")).param(key)),
    }
}

fn missing(key: &str) -> ApiError {
    ApiError::body_invalid(format!("`{key}` is required")).param(key)
}

/// Whether a machine secret key may authorize a request to `path` (below `/v1`): the
/// `/m2m_tokens` paths only.
pub(crate) fn machine_key_allowed(path: &str) -> bool {
    path.strip_prefix("/m2m_tokens")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The registered tokens, the machine secret key and the call counters of one stand-in. No
/// `Debug`: it holds secrets.
#[derive(Default)]
pub(crate) struct Registry {
    tokens: Mutex<HashMap<(Kind, String), Value>>,
    machine_secret_key: Mutex<Option<String>>,
    m2m_calls: AtomicU64,
    api_key_calls: AtomicU64,
    oauth_calls: AtomicU64,
}

impl Registry {
    /// Registers (or replaces) what the verify endpoint of `kind` answers for `token`.
    pub(crate) fn insert(&self, kind: Kind, token: &str, answer: Value) {
        self.tokens().insert((kind, token.to_string()), answer);
    }

    pub(crate) fn set_machine_secret_key(&self, key: &str) {
        *self
            .machine_secret_key
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(key.to_string());
    }

    /// Whether `token` is the machine secret key (never true before one is set, nor for an
    /// empty one).
    pub(crate) fn is_machine_secret_key(&self, token: &str) -> bool {
        self.machine_secret_key
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_deref()
            .is_some_and(|key| !key.is_empty() && key == token)
    }

    pub(crate) fn calls(&self) -> VerifyCalls {
        VerifyCalls {
            m2m_tokens: self.m2m_calls.load(Ordering::SeqCst),
            api_keys: self.api_key_calls.load(Ordering::SeqCst),
            oauth_access_tokens: self.oauth_calls.load(Ordering::SeqCst),
        }
    }

    /// Answers an authorized request to `path` (below `/v1`) if it is one of the verify
    /// endpoints; `None` for any other route.
    pub(crate) fn answer(
        &self,
        method: &Method,
        path: &str,
        body: &[u8],
    ) -> Option<Result<Value, ApiError>> {
        let kind = Kind::from_path(path).filter(|_| method == Method::POST)?;
        let counter = match kind {
            Kind::M2mToken => &self.m2m_calls,
            Kind::ApiKey => &self.api_key_calls,
            Kind::OauthAccessToken => &self.oauth_calls,
        };
        counter.fetch_add(1, Ordering::SeqCst);
        Some(kind.token_in(body).and_then(|token| {
            self.tokens()
                .get(&(kind, token))
                .cloned()
                .ok_or_else(|| ApiError::token_not_found(kind.noun()))
        }))
    }

    fn tokens(&self) -> MutexGuard<'_, HashMap<(Kind, String), Value>> {
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::users::UsersStandIn;
    use std::collections::BTreeSet;

    const KEY: &str = "sk_test_machine";
    const MACHINE_KEY: &str = "ak_machine_secret";
    const M2M: &str = "/v1/m2m_tokens/verify";
    const API_KEYS: &str = "/v1/api_keys/verify";
    const OAUTH: &str = "/v1/oauth_applications/access_tokens/verify";
    const MT_ID: &str = "mt_f7f0ba8c3b4843ce7d85fcdd5e71853e";
    const AK_ID: &str = "ak_3beecc9c60adb5f9b850e91a8ee1e992";
    const OAT_ID: &str = "oat_0ef5a7a33d87ed87ee7954c845d80450";
    const MACHINE: &str = "mch_2xhFjEI5X2qWRvtV13BzSj8H6Dk";
    const OTHER_MACHINE: &str = "mch_2yGkLpQ7Y3rXSwtU24CzTk9I7Em";
    const USER: &str = "user_2xhFjEI5X2qWRvtV13BzSj8H6Dk";
    const ORG: &str = "org_2xhFjEI5X2qWRvtV13BzSj8H6Dk";

    /// Sends one request through [`UsersStandIn::handle`]; `auth` is the bearer token, if any.
    fn send(
        standin: &UsersStandIn,
        method: &str,
        path: &str,
        auth: Option<&str>,
        body: &str,
    ) -> (u16, Value) {
        let mut request = http::Request::builder().method(method).uri(path);
        if let Some(token) = auth {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let response = standin.handle(request.body(body.as_bytes().to_vec()).unwrap());
        assert_eq!(response.headers()["content-type"], "application/json");
        assert!(response.headers().contains_key("x-clerk-trace-id"));
        let value = serde_json::from_slice(response.body()).unwrap();
        (response.status().as_u16(), value)
    }

    fn post(standin: &UsersStandIn, path: &str, auth: &str, body: &str) -> (u16, Value) {
        send(standin, "POST", path, Some(auth), body)
    }

    fn assert_error(answer: &(u16, Value), status: u16, code: &str) {
        assert_eq!(answer.0, status, "{}", answer.1);
        assert_eq!(answer.1["errors"][0]["code"], code, "{}", answer.1);
        assert!(answer.1["errors"][0]["message"].is_string());
        assert!(answer.1["errors"][0]["long_message"].is_string());
        assert_eq!(answer.1["clerk_trace_id"].as_str().map(str::len), Some(32));
    }

    fn keys(object: &Value) -> BTreeSet<&str> {
        object
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect()
    }

    fn standin_with_tokens() -> UsersStandIn {
        let standin = UsersStandIn::new(KEY);
        standin.add_m2m_token(
            "mt_opaque",
            m2m_token_object(MT_ID, MACHINE, &[OTHER_MACHINE]),
        );
        standin.add_api_key("ak_opaque", api_key_object(AK_ID, "CI", USER, &["read"]));
        standin.add_oauth_access_token(
            "oat_opaque",
            oauth_access_token_object(OAT_ID, USER, "client_1", &["profile", "email"]),
        );
        standin
    }

    #[test]
    fn each_endpoint_answers_the_registered_object() {
        let standin = UsersStandIn::new(KEY);
        let m2m = m2m_token_object(MT_ID, MACHINE, &[OTHER_MACHINE]);
        let key = api_key_object(AK_ID, "CI", USER, &["read"]);
        let oauth = oauth_access_token_object(OAT_ID, USER, "client_1", &["profile", "email"]);
        standin.add_m2m_token("mt_opaque", m2m.clone());
        standin.add_api_key("ak_opaque", key.clone());
        standin.add_oauth_access_token("oat_opaque", oauth.clone());

        assert_eq!(
            post(&standin, M2M, KEY, r#"{"token":"mt_opaque"}"#),
            (200, m2m)
        );
        assert_eq!(
            post(&standin, API_KEYS, KEY, r#"{"secret":"ak_opaque"}"#),
            (200, key)
        );
        assert_eq!(
            post(&standin, OAUTH, KEY, r#"{"access_token":"oat_opaque"}"#),
            (200, oauth.clone())
        );
        // The deprecated body field answers the same.
        assert_eq!(
            post(&standin, OAUTH, KEY, r#"{"secret":"oat_opaque"}"#),
            (200, oauth.clone())
        );
        // `access_token` wins over `secret`; unknown fields are ignored on this endpoint.
        assert_eq!(
            post(
                &standin,
                OAUTH,
                KEY,
                r#"{"access_token":"oat_opaque","secret":"nope","extra":1}"#
            ),
            (200, oauth)
        );

        assert_eq!(
            standin.verify_calls(),
            VerifyCalls {
                m2m_tokens: 1,
                api_keys: 1,
                oauth_access_tokens: 3
            }
        );
    }

    #[test]
    fn crafted_variants_are_answered_as_they_are() {
        let standin = UsersStandIn::new(KEY);
        let mut revoked = m2m_token_object(MT_ID, MACHINE, &[]);
        revoked["revoked"] = json!(true);
        revoked["revocation_reason"] = json!("Revoked by user");
        standin.add_m2m_token("mt_revoked", revoked.clone());
        let mut expired = api_key_object(AK_ID, "old", ORG, &[]);
        expired["expired"] = json!(true);
        expired["expiration"] = json!(1);
        standin.add_api_key("ak_expired", expired.clone());
        assert_eq!(
            post(&standin, M2M, KEY, r#"{"token":"mt_revoked"}"#),
            (200, revoked)
        );
        assert_eq!(
            post(&standin, API_KEYS, KEY, r#"{"secret":"ak_expired"}"#),
            (200, expired)
        );
        // Registering again replaces the answer.
        let fresh = m2m_token_object(MT_ID, MACHINE, &[]);
        standin.add_m2m_token("mt_revoked", fresh.clone());
        assert_eq!(
            post(&standin, M2M, KEY, r#"{"token":"mt_revoked"}"#),
            (200, fresh)
        );
    }

    #[test]
    fn oauth_inactive_answer_is_served() {
        let standin = UsersStandIn::new(KEY);
        standin.add_oauth_access_token("oat_inactive", oauth_inactive_answer());
        let (status, answer) = post(&standin, OAUTH, KEY, r#"{"access_token":"oat_inactive"}"#);
        assert_eq!(status, 200);
        assert_eq!(
            serde_json::to_string(&answer).unwrap(),
            r#"{"active":false}"#
        );
    }

    #[test]
    fn unknown_tokens_are_404() {
        let standin = standin_with_tokens();
        assert_error(
            &post(&standin, M2M, KEY, r#"{"token":"mt_unknown"}"#),
            404,
            "resource_not_found",
        );
        assert_error(
            &post(&standin, API_KEYS, KEY, r#"{"secret":"ak_unknown"}"#),
            404,
            "resource_not_found",
        );
        assert_error(
            &post(&standin, OAUTH, KEY, r#"{"access_token":"oat_unknown"}"#),
            404,
            "resource_not_found",
        );
        // Tokens are per endpoint: an API key secret is not an M2M token.
        let answer = post(&standin, M2M, KEY, r#"{"token":"ak_opaque"}"#);
        assert_error(&answer, 404, "resource_not_found");
        // The error does not echo the token.
        assert!(!answer.1.to_string().contains("ak_opaque"), "{}", answer.1);
        assert_error(
            &post(&standin, OAUTH, KEY, r#"{"access_token":""}"#),
            404,
            "resource_not_found",
        );
        // Other methods and routes below these paths are not served.
        assert_error(
            &send(&standin, "GET", M2M, Some(KEY), ""),
            404,
            "resource_not_found",
        );
        assert_error(
            &post(
                &standin,
                "/v1/api_keys/verify/x",
                KEY,
                r#"{"secret":"ak_opaque"}"#,
            ),
            404,
            "resource_not_found",
        );
        assert_error(
            &post(
                &standin,
                "/m2m_tokens/verify",
                KEY,
                r#"{"token":"mt_opaque"}"#,
            ),
            404,
            "resource_not_found",
        );
        assert_eq!(
            standin.verify_calls(),
            VerifyCalls {
                m2m_tokens: 2,
                api_keys: 1,
                oauth_access_tokens: 2
            }
        );
    }

    #[test]
    fn a_bad_secret_key_is_401_and_not_counted() {
        let standin = standin_with_tokens();
        for path in [M2M, API_KEYS, OAUTH] {
            let body = r#"{"token":"mt_opaque","secret":"ak_opaque","access_token":"oat_opaque"}"#;
            assert_error(
                &post(&standin, path, "sk_test_wrong", body),
                401,
                "authentication_invalid",
            );
            assert_error(
                &send(&standin, "POST", path, None, body),
                401,
                "authentication_invalid",
            );
        }
        assert_eq!(standin.verify_calls(), VerifyCalls::default());
    }

    #[test]
    fn the_machine_secret_key_is_accepted_on_m2m_paths_only() {
        let standin = standin_with_tokens();
        let body = r#"{"token":"mt_opaque"}"#;
        // Not accepted before it is set.
        assert_error(
            &post(&standin, M2M, MACHINE_KEY, body),
            401,
            "authentication_invalid",
        );
        standin.set_machine_secret_key(MACHINE_KEY);
        let (status, m2m) = post(&standin, M2M, MACHINE_KEY, body);
        assert_eq!(status, 200, "{m2m}");
        assert_eq!(m2m["id"], MT_ID);
        // The instance secret key still works there.
        assert_eq!(post(&standin, M2M, KEY, body).0, 200);
        // Other /m2m_tokens routes are authorized but not served.
        assert_error(
            &send(&standin, "GET", "/v1/m2m_tokens", Some(MACHINE_KEY), ""),
            404,
            "resource_not_found",
        );
        // Refused everywhere else.
        for (method, path, body) in [
            ("POST", API_KEYS, r#"{"secret":"ak_opaque"}"#),
            ("POST", OAUTH, r#"{"access_token":"oat_opaque"}"#),
            ("GET", "/v1/users", ""),
            ("GET", "/v1/jwks", ""),
            ("POST", "/v1/m2m_tokens_verify", body),
            ("POST", "/m2m_tokens/verify", body),
        ] {
            assert_error(
                &send(&standin, method, path, Some(MACHINE_KEY), body),
                401,
                "authentication_invalid",
            );
        }
        assert_eq!(standin.jwks_fetches(), 0);
        // A different machine key is refused; setting a key replaces the previous one.
        standin.set_machine_secret_key("ak_machine_other");
        assert_error(
            &post(&standin, M2M, MACHINE_KEY, body),
            401,
            "authentication_invalid",
        );
        assert_eq!(post(&standin, M2M, "ak_machine_other", body).0, 200);
        assert_eq!(
            standin.verify_calls(),
            VerifyCalls {
                m2m_tokens: 3,
                api_keys: 0,
                oauth_access_tokens: 0
            }
        );
    }

    #[test]
    fn an_empty_machine_secret_key_authorizes_nothing() {
        let registry = Registry::default();
        assert!(!registry.is_machine_secret_key(""));
        registry.set_machine_secret_key("");
        assert!(!registry.is_machine_secret_key(""));
        registry.set_machine_secret_key(MACHINE_KEY);
        assert!(registry.is_machine_secret_key(MACHINE_KEY));
        assert!(!registry.is_machine_secret_key("ak_machine_secre"));

        let standin = standin_with_tokens();
        standin.set_machine_secret_key("");
        for auth in ["Bearer", "Bearer ", "Bearer  "] {
            let request = http::Request::post(M2M)
                .header("authorization", auth)
                .body(br#"{"token":"mt_opaque"}"#.to_vec())
                .unwrap();
            assert_eq!(standin.handle(request).status(), 401, "{auth:?}");
        }
    }

    #[test]
    fn machine_key_paths() {
        assert!(machine_key_allowed("/m2m_tokens"));
        assert!(machine_key_allowed("/m2m_tokens/verify"));
        assert!(machine_key_allowed("/m2m_tokens/mt_1/revoke"));
        assert!(!machine_key_allowed("/m2m_tokensx"));
        assert!(!machine_key_allowed("/api_keys/verify"));
        assert!(!machine_key_allowed("/v1/m2m_tokens/verify"));
        assert!(!machine_key_allowed(""));
    }

    #[test]
    fn malformed_bodies_are_400() {
        let standin = standin_with_tokens();
        let cases: &[(&str, &str, Option<&str>)] = &[
            (M2M, "{not json", None),
            (M2M, "", None),
            (M2M, "[]", None),
            (M2M, r#""mt_opaque""#, None),
            (M2M, "{}", Some("token")),
            (M2M, r#"{"token":null}"#, Some("token")),
            (M2M, r#"{"token":5}"#, Some("token")),
            (M2M, r#"{"token":"mt_opaque","extra":true}"#, Some("extra")),
            (M2M, r#"{"secret":"mt_opaque"}"#, Some("secret")),
            (API_KEYS, "{", None),
            (API_KEYS, "{}", Some("secret")),
            (API_KEYS, r#"{"secret":["ak_opaque"]}"#, Some("secret")),
            (API_KEYS, r#"{"token":"ak_opaque"}"#, Some("token")),
            (OAUTH, "nope", None),
            (OAUTH, "{}", Some("access_token")),
            (OAUTH, r#"{"access_token":{}}"#, Some("access_token")),
            (OAUTH, r#"{"secret":1}"#, Some("secret")),
            (OAUTH, r#"{"token":"oat_opaque"}"#, Some("access_token")),
        ];
        for (path, body, param) in cases {
            let answer = post(&standin, path, KEY, body);
            assert_error(&answer, 400, "request_body_invalid");
            assert_eq!(
                answer.1["errors"][0]["meta"]["param_name"].as_str(),
                *param,
                "{path} {body}: {}",
                answer.1
            );
        }
    }

    #[test]
    fn builders_have_exactly_the_spec_fields() {
        let m2m = m2m_token_object(MT_ID, MACHINE, &[OTHER_MACHINE]);
        assert_eq!(
            keys(&m2m),
            BTreeSet::from([
                "object",
                "id",
                "subject",
                "claims",
                "scopes",
                "revoked",
                "revocation_reason",
                "expired",
                "expiration",
                "last_used_at",
                "created_at",
                "updated_at",
            ])
        );
        let key = api_key_object(AK_ID, "CI", ORG, &["read", "write"]);
        assert_eq!(
            keys(&key),
            BTreeSet::from([
                "object",
                "id",
                "type",
                "subject",
                "name",
                "description",
                "claims",
                "scopes",
                "revoked",
                "revocation_reason",
                "expired",
                "expiration",
                "created_by",
                "last_used_at",
                "created_at",
                "updated_at",
            ])
        );
        let oauth = oauth_access_token_object(OAT_ID, USER, "client_1", &[]);
        assert_eq!(
            keys(&oauth),
            BTreeSet::from([
                "object",
                "id",
                "client_id",
                "subject",
                "scopes",
                "revoked",
                "revocation_reason",
                "expired",
                "expiration",
                "created_at",
                "updated_at",
            ])
        );
        for object in [&m2m, &key, &oauth] {
            assert_eq!(object["revoked"], false);
            assert_eq!(object["expired"], false);
            assert_eq!(object["revocation_reason"], Value::Null);
            let created = object["created_at"].as_i64().unwrap();
            assert!(created > 1_700_000_000_000, "milliseconds: {created}");
            assert_eq!(object["updated_at"], created);
        }
        for object in [&m2m, &oauth] {
            assert_eq!(
                object["expiration"].as_i64().unwrap() - object["created_at"].as_i64().unwrap(),
                TOKEN_LIFETIME_MS
            );
        }
        assert_eq!(key["expiration"], Value::Null);
        assert_eq!(key["type"], "api_key");
        assert_eq!(key["scopes"], json!(["read", "write"]));
        assert_eq!(oauth["scopes"], json!([]));
        assert_eq!(keys(&oauth_inactive_answer()), BTreeSet::from(["active"]));
        assert_eq!(oauth_inactive_answer()["active"], false);
    }

    #[test]
    fn verify_over_loopback() {
        use std::io::{Read, Write};
        let standin = standin_with_tokens();
        let server = standin.serve().unwrap();
        let body = r#"{"secret":"ak_opaque"}"#;
        let mut stream = std::net::TcpStream::connect(server.addr()).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "POST /v1/api_keys/verify HTTP/1.1\r\nHost: standin\r\nAuthorization: Bearer {KEY}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
        let key: Value = serde_json::from_str(body).unwrap();
        assert_eq!(key["id"], AK_ID);
        assert_eq!(standin.verify_calls().api_keys, 1);
    }
}

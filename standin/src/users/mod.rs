//! An in-memory stand-in of Clerk's Users API (a subset), served under `/v1` by a
//! [`Server`], for the quickstart and end-to-end tests.
//!
//! Bodies are shaped like Clerk's OpenAPI spec (`spec/bapi-2026-05-12.yml`): users are full
//! `User` objects (every required field present, `null` where nullable), errors are
//! `{"errors":[{"code","message","long_message","meta"?}],"clerk_trace_id"}`, and every response
//! carries an `x-clerk-trace-id` header.
//!
//! Every request must carry `Authorization: Bearer <secret key>`, else `401
//! authentication_invalid` (on the `/v1/m2m_tokens` paths a machine secret key set with
//! [`UsersStandIn::set_machine_secret_key`] is accepted too). The routes:
//!
//! | Route | Answer |
//! |---|---|
//! | `POST /v1/users` | creates a user (`422 form_identifier_exists` for a taken email address, phone number, web3 wallet, username or external id) |
//! | `GET /v1/users` | a bare JSON array; `limit` (default 10, 1–500), `offset`, `starting_after` (a user id; only with `created_at` ordering and a zero offset, else 422), `order_by` (`-created_at` by default), and the filters below |
//! | `GET /v1/users/count` | `{"object":"total_count","total_count":N}` with the same filters |
//! | `GET`, `PATCH`, `DELETE /v1/users/{id}` | the user; updated (`null` clears a field, an absent field is left alone); `{"object":"user","id","deleted":true}` |
//! | `POST /v1/users/{id}/ban`, `unban`, `lock`, `unlock` | the user with `banned` / `locked` set |
//! | `POST /v1/users/ban`, `unban` with `{"user_ids":[...]}` | the array of those users |
//! | `PATCH /v1/users/{id}/metadata` | deep-merges `public_metadata`, `private_metadata`, `unsafe_metadata` (`null` at any level removes the key) |
//! | `PUT /v1/users/{id}/metadata` | replaces each metadata object given |
//! | `POST /v1/users/{id}/profile_image` | `multipart/form-data` with a part named `file` (else 400): `has_image: true`, `image_url` `https://img.clerk.test/<id>/<len>-bytes` |
//! | `DELETE /v1/users/{id}/profile_image` | back to the default image, `has_image: false` |
//! | `GET /v1/jwks` | the JWKS set with [`UsersStandIn::set_jwks`] |
//! | `POST /v1/m2m_tokens/verify`, `/v1/api_keys/verify`, `/v1/oauth_applications/access_tokens/verify` | the answer registered for the token (see [`crate::machine`]) |
//!
//! Anything else is `404 resource_not_found`, as is an unknown user id (`{id}` is
//! percent-decoded first). Malformed JSON bodies are `400 request_body_invalid`; a field of the
//! wrong type is `422 form_param_format_invalid`; unknown fields are ignored.
//!
//! List filters (different filters combine with AND, repeated values of one filter with OR):
//! `email_address`, `phone_number`, `web3_wallet`, `username` (exact, case-insensitive),
//! `user_id` and `external_id` (each value may be prefixed `-` to exclude), `query` (substring
//! of an email address, phone number, web3 wallet, username, id, first, last or full name),
//! `email_address_query`, `phone_number_query`, `username_query`, `name_query`, `banned`,
//! `created_at_before` / `created_at_after`. The stand-in has no organizations, external
//! accounts or sessions: `organization_id` and `provider_user_id` match nobody, and the
//! `last_active_at_*` / `last_sign_in_at_*` filters match nobody (those timestamps are `null`).
//!
//! Users get deterministic ids (`user_2…`, 27 base62 characters, sorting in creation order) and
//! strictly increasing `created_at` / `updated_at` (Unix milliseconds), so list order is stable.
//!
//! ```
//! use std::io::{Read, Write};
//!
//! let server = clerk_backend_testkit::users::UsersStandIn::start("sk_test_doc")?;
//! let mut stream = std::net::TcpStream::connect(server.addr())?;
//! stream.write_all(
//!     b"GET /v1/users/count HTTP/1.1\r\nAuthorization: Bearer sk_test_doc\r\nConnection: close\r\n\r\n",
//! )?;
//! let mut answer = String::new();
//! stream.read_to_string(&mut answer)?;
//! assert!(answer.ends_with(r#"{"object":"total_count","total_count":0}"#), "{answer}");
//! # Ok::<(), std::io::Error>(())
//! ```

pub(crate) mod error;
mod multipart;
mod params;
mod store;

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use http::header::{AUTHORIZATION, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde_json::{Map, Value, json};

use crate::machine::{self, Kind, Registry, VerifyCalls};
use crate::server::Server;
use error::ApiError;
use params::{Body, Field, Filters, ListParams, Query, percent_decode};
use store::{IdKind, Identification, Store, User, parse_rfc3339_ms};

/// The path prefix every route is served under.
pub const PATH_PREFIX: &str = "/v1";

/// Shortest password accepted unless `skip_password_checks` is set.
const MIN_PASSWORD_LENGTH: usize = 8;

/// Most ids one bulk ban or unban takes.
const MAX_BULK_IDS: usize = 50;

/// An in-memory stand-in of Clerk's Users API. Clones share the same users.
///
/// [`UsersStandIn::start`] is all most callers need; [`UsersStandIn::new`] plus
/// [`UsersStandIn::handle`] lets a test wrap the stand-in in its own handler (to inject faults,
/// record requests, ...) and still inspect its state.
#[derive(Clone)]
pub struct UsersStandIn {
    inner: Arc<Inner>,
}

struct Inner {
    secret_key: String,
    store: Mutex<Store>,
    traces: AtomicU64,
    jwks: Mutex<Value>,
    jwks_fetches: AtomicU64,
    machine: Registry,
}

impl std::fmt::Debug for UsersStandIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret key is left out on purpose.
        f.debug_struct("UsersStandIn")
            .field("users", &self.user_count())
            .finish_non_exhaustive()
    }
}

type Answer = Result<Value, ApiError>;

impl UsersStandIn {
    /// A stand-in with no users, accepting `Authorization: Bearer <secret_key>`.
    pub fn new(secret_key: &str) -> Self {
        Self {
            inner: Arc::new(Inner {
                secret_key: secret_key.to_string(),
                store: Mutex::new(Store::default()),
                traces: AtomicU64::new(0),
                jwks: Mutex::new(serde_json::json!({"keys": []})),
                jwks_fetches: AtomicU64::new(0),
                machine: Registry::default(),
            }),
        }
    }

    /// Starts a [`Server`] on 127.0.0.1 serving a new, empty stand-in. Point a client at
    /// [`Server::url`] (the routes are under [`PATH_PREFIX`]).
    ///
    /// # Errors
    /// When the server cannot start (see [`Server::start`]).
    pub fn start(secret_key: &str) -> io::Result<Server> {
        Self::new(secret_key).serve()
    }

    /// Starts a [`Server`] serving this stand-in (it shares the users of `self`).
    ///
    /// # Errors
    /// When the server cannot start (see [`Server::start`]).
    pub fn serve(&self) -> io::Result<Server> {
        let this = self.clone();
        Server::start(move |request| this.handle(request))
    }

    /// Answers one request, as the server does.
    pub fn handle(&self, request: http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
        let trace_id = self.next_trace_id();
        let outcome = if self.authorized(request.headers(), request.uri().path()) {
            self.dispatch(&request)
        } else {
            Err(ApiError::unauthenticated())
        };
        let (status, body) = match outcome {
            Ok(value) => (StatusCode::OK, value),
            Err(error) => (error.status, error.body(&trace_id)),
        };
        let mut response = http::Response::new(serde_json::to_vec(&body).unwrap_or_default());
        *response.status_mut() = status;
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let Ok(value) = HeaderValue::from_str(&trace_id) {
            headers.insert("x-clerk-trace-id", value);
        }
        response
    }

    /// Sets the JSON Web Key Set served at `GET /v1/jwks` (`{"keys": []}` until then).
    pub fn set_jwks(&self, jwks: Value) {
        *self
            .inner
            .jwks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = jwks;
    }

    /// How many authorized `GET /v1/jwks` requests were answered.
    pub fn jwks_fetches(&self) -> u64 {
        self.inner.jwks_fetches.load(Ordering::SeqCst)
    }

    /// Registers an opaque M2M token: `POST /v1/m2m_tokens/verify` with `{"token": token}`
    /// answers `200` with `object` (build one with [`machine::m2m_token_object`]). Registering
    /// the same token again replaces its answer. See [`machine`].
    pub fn add_m2m_token(&self, token: &str, object: Value) {
        self.inner.machine.insert(Kind::M2mToken, token, object);
    }

    /// Registers an API key secret: `POST /v1/api_keys/verify` with `{"secret": secret}`
    /// answers `200` with `object` (build one with [`machine::api_key_object`]). Registering the
    /// same secret again replaces its answer. See [`machine`].
    pub fn add_api_key(&self, secret: &str, object: Value) {
        self.inner.machine.insert(Kind::ApiKey, secret, object);
    }

    /// Registers an opaque OAuth access token: `POST /v1/oauth_applications/access_tokens/verify`
    /// with `{"access_token": token}` (or `{"secret": token}`) answers `200` with `answer`: an
    /// access token object ([`machine::oauth_access_token_object`]) or `{"active": false}`
    /// ([`machine::oauth_inactive_answer`]). Registering the same token again replaces its
    /// answer. See [`machine`].
    pub fn add_oauth_access_token(&self, token: &str, answer: Value) {
        self.inner
            .machine
            .insert(Kind::OauthAccessToken, token, answer);
    }

    /// Accepts `Authorization: Bearer <key>` as a machine secret key on the `/v1/m2m_tokens`
    /// paths (and only there: `401` elsewhere), besides the instance secret key. Replaces any
    /// previous machine secret key; an empty key authorizes nothing.
    pub fn set_machine_secret_key(&self, key: &str) {
        self.inner.machine.set_machine_secret_key(key);
    }

    /// How many authorized requests reached each of the three verify endpoints.
    pub fn verify_calls(&self) -> VerifyCalls {
        self.inner.machine.calls()
    }

    /// How many users exist.
    pub fn user_count(&self) -> usize {
        self.store().users.len()
    }

    /// The user with this id as its JSON object, if it exists.
    pub fn user(&self, id: &str) -> Option<Value> {
        self.store().get(id).map(User::to_json)
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        self.inner
            .store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn next_trace_id(&self) -> String {
        let n = self.inner.traces.fetch_add(1, Ordering::Relaxed);
        format!(
            "{:016x}{:016x}",
            store::mix(n ^ 0x7472_6163_6531),
            store::mix(n.wrapping_add(0x5eed))
        )
    }

    /// Whether the request carries `Authorization: Bearer <key>` with the instance secret key,
    /// or with the machine secret key on a path where that is accepted.
    fn authorized(&self, headers: &HeaderMap, path: &str) -> bool {
        let Some(value) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
            return false;
        };
        let Some((scheme, token)) = value.trim().split_once(' ') else {
            return false;
        };
        if !scheme.eq_ignore_ascii_case("bearer") {
            return false;
        }
        let token = token.trim();
        token == self.inner.secret_key
            || (path
                .strip_prefix(PATH_PREFIX)
                .is_some_and(machine::machine_key_allowed)
                && self.inner.machine.is_machine_secret_key(token))
    }

    fn dispatch(&self, request: &http::Request<Vec<u8>>) -> Answer {
        let method = request.method();
        let path = request.uri().path();
        let not_found = || ApiError::no_route(method, path);
        if method == Method::GET && path.strip_prefix(PATH_PREFIX) == Some("/jwks") {
            self.inner.jwks_fetches.fetch_add(1, Ordering::SeqCst);
            return Ok(self
                .inner
                .jwks
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone());
        }
        if let Some(answer) = path
            .strip_prefix(PATH_PREFIX)
            .and_then(|rest| self.inner.machine.answer(method, rest, request.body()))
        {
            return answer;
        }
        let Some(rest) = path
            .strip_prefix(PATH_PREFIX)
            .and_then(|p| p.strip_prefix("/users"))
        else {
            return Err(not_found());
        };
        let segments: Vec<&str> = match rest.strip_prefix('/') {
            Some(rest) => rest.split('/').collect(),
            None if rest.is_empty() => Vec::new(),
            None => return Err(not_found()),
        };
        let query = Query::parse(request.uri().query());
        let body = request.body();
        let mut store = self.store();
        let store = &mut *store;
        match (method, segments.as_slice()) {
            (&Method::GET, []) => list_users(store, &query),
            (&Method::POST, []) => create_user(store, &Body::parse(body)?),
            (&Method::GET, ["count"]) => count_users(store, &query),
            (&Method::POST, ["ban"]) => bulk_ban(store, &Body::parse(body)?, true),
            (&Method::POST, ["unban"]) => bulk_ban(store, &Body::parse(body)?, false),
            (_, [raw_id, action @ ..]) => {
                let id = String::from_utf8(percent_decode(raw_id, false))
                    .ok()
                    .filter(|id| !id.is_empty())
                    .ok_or_else(not_found)?;
                match (method, action) {
                    (&Method::GET, []) => existing(store, &id).map(User::to_json),
                    (&Method::PATCH, []) => update_user(store, &id, body),
                    (&Method::DELETE, []) => delete_user(store, &id),
                    (&Method::POST, ["ban"]) => set_flags(store, &id, |u| u.banned = true),
                    (&Method::POST, ["unban"]) => set_flags(store, &id, |u| u.banned = false),
                    (&Method::POST, ["lock"]) => set_flags(store, &id, |u| u.locked = true),
                    (&Method::POST, ["unlock"]) => set_flags(store, &id, |u| u.locked = false),
                    (&Method::PATCH, ["metadata"]) => update_metadata(store, &id, body, true),
                    (&Method::PUT, ["metadata"]) => update_metadata(store, &id, body, false),
                    (&Method::POST, ["profile_image"]) => {
                        set_profile_image(store, &id, request.headers(), body)
                    }
                    (&Method::DELETE, ["profile_image"]) => {
                        set_flags(store, &id, |u| u.image_url = None)
                    }
                    _ => Err(not_found()),
                }
            }
            _ => Err(not_found()),
        }
    }
}

fn existing<'a>(store: &'a Store, id: &str) -> Result<&'a User, ApiError> {
    store.get(id).ok_or_else(|| ApiError::user_not_found(id))
}

fn list_users(store: &Store, query: &Query) -> Answer {
    let filters = Filters::from_query(query)?;
    let params = ListParams::from_query(query)?;
    let page = params.page(store, &filters)?;
    Ok(Value::Array(page.into_iter().map(User::to_json).collect()))
}

fn count_users(store: &Store, query: &Query) -> Answer {
    let filters = Filters::from_query(query)?;
    let total = store.users.iter().filter(|u| filters.matches(u)).count();
    Ok(json!({ "object": "total_count", "total_count": total }))
}

fn valid_email(email: &str) -> bool {
    email
        .split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty())
        && !email.contains(char::is_whitespace)
}

/// `email_address_identification_status` and the like: one `verified`/`reserved` per
/// identifier, or none at all (all verified). `true` means reserved.
fn reserved_flags(body: &Body, key: &str, count: usize) -> Result<Vec<bool>, ApiError> {
    let statuses = body.strings(key)?;
    if statuses.is_empty() {
        return Ok(vec![false; count]);
    }
    if statuses.len() != count {
        return Err(ApiError::value_invalid(
            key,
            format!("{key} must have exactly one item per identifier ({count})"),
        ));
    }
    statuses
        .iter()
        .map(|status| match status.as_str() {
            "verified" => Ok(false),
            "reserved" => Ok(true),
            _ => Err(ApiError::value_invalid(
                key,
                format!("{key} items must be \"verified\" or \"reserved\""),
            )),
        })
        .collect()
}

/// Fails when any value repeats (case-insensitively) or `taken` says another user has it.
fn check_unique(
    values: &[String],
    param: &str,
    what: &str,
    taken: impl Fn(&str) -> bool,
) -> Result<(), ApiError> {
    for (i, value) in values.iter().enumerate() {
        let repeated = values
            .iter()
            .take(i)
            .any(|earlier| earlier.eq_ignore_ascii_case(value));
        if repeated || taken(value) {
            return Err(ApiError::identifier_exists(param, what));
        }
    }
    Ok(())
}

/// An RFC 3339 date-time field (Unix milliseconds are accepted too).
fn timestamp(body: &Body, key: &str) -> Result<Field<i64>, ApiError> {
    let invalid = || ApiError::format_invalid(key, "an RFC 3339 date-time");
    match body.0.get(key) {
        None => Ok(Field::Absent),
        Some(Value::Null) => Ok(Field::Null),
        Some(Value::String(text)) => parse_rfc3339_ms(text).map(Field::Value).ok_or_else(invalid),
        Some(value) => value.as_i64().map(Field::Value).ok_or_else(invalid),
    }
}

fn check_password(body: &Body, password: Option<&str>) -> Result<(), ApiError> {
    let skip = body.boolean("skip_password_checks")?.into_option() == Some(true);
    match password {
        Some(p) if !skip && p.chars().count() < MIN_PASSWORD_LENGTH => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_password_length_too_short",
            "Passwords must be 8 characters or more.",
            "Passwords must be 8 characters or more.",
        )
        .param("password")),
        _ => Ok(()),
    }
}

fn metadata_object(body: &Body, key: &str) -> Result<Map<String, Value>, ApiError> {
    Ok(body.object(key)?.into_option().unwrap_or_default())
}

fn create_user(store: &mut Store, body: &Body) -> Answer {
    let emails = body.strings("email_address")?;
    if let Some(bad) = emails.iter().find(|e| !valid_email(e)) {
        return Err(ApiError::format_invalid(
            "email_address",
            &format!("a valid email address, not {bad:?}"),
        ));
    }
    let email_reserved = reserved_flags(body, "email_address_identification_status", emails.len())?;
    let phones = body.strings("phone_number")?;
    if phones.iter().any(String::is_empty) {
        return Err(ApiError::format_invalid("phone_number", "a phone number"));
    }
    let phone_reserved = reserved_flags(body, "phone_number_identification_status", phones.len())?;
    let wallets = body.strings("web3_wallet")?;
    let username = body.string("username")?.into_option();
    let external_id = body.string("external_id")?.into_option();
    let first_name = body.string("first_name")?.into_option();
    let last_name = body.string("last_name")?.into_option();
    let locale = body.string("locale")?.into_option();
    let password = body.string("password")?.into_option();
    let password_digest = body.string("password_digest")?.into_option();
    let totp_secret = body.string("totp_secret")?.into_option();
    let backup_codes = body.strings("backup_codes")?;
    let public_metadata = metadata_object(body, "public_metadata")?;
    let private_metadata = metadata_object(body, "private_metadata")?;
    let unsafe_metadata = metadata_object(body, "unsafe_metadata")?;
    let delete_self_enabled = body.boolean("delete_self_enabled")?.into_option();
    let create_organization_enabled = body.boolean("create_organization_enabled")?.into_option();
    let create_organizations_limit = body.integer("create_organizations_limit")?.into_option();
    let bypass_client_trust = body.boolean("bypass_client_trust")?.into_option();
    let legal_accepted_at = timestamp(body, "legal_accepted_at")?.into_option();
    let created_at = timestamp(body, "created_at")?.into_option();
    check_password(body, password.as_deref())?;

    check_unique(&emails, "email_address", "email address", |e| {
        store.email_taken(e, None)
    })?;
    check_unique(&phones, "phone_number", "phone number", |p| {
        store.phone_taken(p, None)
    })?;
    check_unique(&wallets, "web3_wallet", "web3 wallet", |w| {
        store.wallet_taken(w, None)
    })?;
    if let Some(name) = &username {
        check_unique(std::slice::from_ref(name), "username", "username", |n| {
            store.username_taken(n, None)
        })?;
    }
    if let Some(external) = &external_id {
        check_unique(
            std::slice::from_ref(external),
            "external_id",
            "external ID",
            |x| store.external_id_taken(x, None),
        )?;
    }

    let now = store.tick();
    let id = store.new_id(IdKind::User);
    let mut identifications = |values: Vec<String>, reserved: Vec<bool>| -> Vec<Identification> {
        values
            .into_iter()
            .zip(reserved.into_iter().chain(std::iter::repeat(false)))
            .map(|(value, reserved)| Identification {
                id: store.new_id(IdKind::Identification),
                value,
                reserved,
                created_at: now,
            })
            .collect()
    };
    let email_addresses = identifications(emails, email_reserved);
    let phone_numbers = identifications(phones, phone_reserved);
    let web3_wallets = identifications(wallets, Vec::new());
    let password_enabled = password.is_some() || password_digest.is_some();
    let totp_enabled = totp_secret.is_some();
    let backup_code_enabled = !backup_codes.is_empty();
    let user = User {
        id,
        external_id,
        username,
        first_name,
        last_name,
        locale,
        image_url: None,
        public_metadata,
        private_metadata,
        unsafe_metadata,
        primary_email_address_id: email_addresses.first().map(|e| e.id.clone()),
        primary_phone_number_id: phone_numbers.first().map(|p| p.id.clone()),
        primary_web3_wallet_id: web3_wallets.first().map(|w| w.id.clone()),
        email_addresses,
        phone_numbers,
        web3_wallets,
        password_enabled,
        password_last_updated_at: password_enabled.then_some(now),
        totp_enabled,
        backup_code_enabled,
        mfa_enabled_at: (totp_enabled || backup_code_enabled).then_some(now),
        banned: false,
        locked: false,
        delete_self_enabled: delete_self_enabled.unwrap_or(true),
        create_organization_enabled: create_organization_enabled.unwrap_or(true),
        create_organizations_limit,
        legal_accepted_at,
        bypass_client_trust: bypass_client_trust.unwrap_or(false),
        created_at: created_at.unwrap_or(now),
        updated_at: now,
    };
    let json = user.to_json();
    store.users.push(user);
    Ok(json)
}

fn apply<T>(target: &mut Option<T>, field: Field<T>) {
    match field {
        Field::Absent => {}
        Field::Null => *target = None,
        Field::Value(value) => *target = Some(value),
    }
}

/// A `primary_*_id` field: must name one of the user's identifications; `null` is ignored.
fn primary(body: &Body, key: &str, owned: &[Identification]) -> Result<Option<String>, ApiError> {
    match body.string(key)? {
        Field::Value(id) if owned.iter().any(|i| i.id == id) => Ok(Some(id)),
        Field::Value(id) => Err(ApiError::value_invalid(
            key,
            format!("{id:?} is not an identification of this user"),
        )),
        Field::Absent | Field::Null => Ok(None),
    }
}

fn update_user(store: &mut Store, id: &str, raw_body: &[u8]) -> Answer {
    let current = existing(store, id)?;
    let body = Body::parse(raw_body)?;
    let first_name = body.string("first_name")?;
    let last_name = body.string("last_name")?;
    let locale = body.string("locale")?;
    let username = body.string("username")?;
    let external_id = body.string("external_id")?;
    let primary_email = primary(&body, "primary_email_address_id", &current.email_addresses)?;
    let primary_phone = primary(&body, "primary_phone_number_id", &current.phone_numbers)?;
    let primary_wallet = primary(&body, "primary_web3_wallet_id", &current.web3_wallets)?;
    let password = body.string("password")?.into_option();
    let password_digest = body.string("password_digest")?.into_option();
    let totp_secret = body.string("totp_secret")?.into_option();
    let backup_codes = body.strings("backup_codes")?;
    let delete_self_enabled = body.boolean("delete_self_enabled")?.into_option();
    let create_organization_enabled = body.boolean("create_organization_enabled")?.into_option();
    let bypass_client_trust = body.boolean("bypass_client_trust")?.into_option();
    let create_organizations_limit = body.integer("create_organizations_limit")?;
    let legal_accepted_at = timestamp(&body, "legal_accepted_at")?;
    let created_at = timestamp(&body, "created_at")?.into_option();
    // Not in the 2026-05-12 UpdateUser body, but older API versions replaced metadata here.
    let public_metadata = body.object("public_metadata")?;
    let private_metadata = body.object("private_metadata")?;
    let unsafe_metadata = body.object("unsafe_metadata")?;
    check_password(&body, password.as_deref())?;
    if let Field::Value(name) = &username {
        check_unique(std::slice::from_ref(name), "username", "username", |n| {
            store.username_taken(n, Some(id))
        })?;
    }
    if let Field::Value(external) = &external_id {
        check_unique(
            std::slice::from_ref(external),
            "external_id",
            "external ID",
            |x| store.external_id_taken(x, Some(id)),
        )?;
    }

    let now = store.tick();
    let user = store
        .get_mut(id)
        .ok_or_else(|| ApiError::user_not_found(id))?;
    apply(&mut user.first_name, first_name);
    apply(&mut user.last_name, last_name);
    apply(&mut user.locale, locale);
    apply(&mut user.username, username);
    apply(&mut user.external_id, external_id);
    apply(
        &mut user.create_organizations_limit,
        create_organizations_limit,
    );
    apply(&mut user.legal_accepted_at, legal_accepted_at);
    if primary_email.is_some() {
        user.primary_email_address_id = primary_email;
    }
    if primary_phone.is_some() {
        user.primary_phone_number_id = primary_phone;
    }
    if primary_wallet.is_some() {
        user.primary_web3_wallet_id = primary_wallet;
    }
    if password.is_some() || password_digest.is_some() {
        user.password_enabled = true;
        user.password_last_updated_at = Some(now);
    }
    if totp_secret.is_some() {
        user.totp_enabled = true;
        user.mfa_enabled_at = Some(now);
    }
    if !backup_codes.is_empty() {
        user.backup_code_enabled = true;
        user.mfa_enabled_at = Some(now);
    }
    if let Some(value) = delete_self_enabled {
        user.delete_self_enabled = value;
    }
    if let Some(value) = create_organization_enabled {
        user.create_organization_enabled = value;
    }
    if let Some(value) = bypass_client_trust {
        user.bypass_client_trust = value;
    }
    if let Some(value) = created_at {
        user.created_at = value;
    }
    for (target, field) in [
        (&mut user.public_metadata, public_metadata),
        (&mut user.private_metadata, private_metadata),
        (&mut user.unsafe_metadata, unsafe_metadata),
    ] {
        match field {
            Field::Absent => {}
            Field::Null => target.clear(),
            Field::Value(map) => *target = map,
        }
    }
    user.updated_at = now;
    Ok(user.to_json())
}

fn delete_user(store: &mut Store, id: &str) -> Answer {
    let position = store
        .position(id)
        .ok_or_else(|| ApiError::user_not_found(id))?;
    let user = store.users.remove(position);
    store.deleted.insert(user.id.clone(), user.created_at);
    Ok(json!({ "object": "user", "id": user.id, "deleted": true }))
}

/// Applies `change` to the user, bumps `updated_at`, returns the user.
fn set_flags(store: &mut Store, id: &str, change: impl FnOnce(&mut User)) -> Answer {
    existing(store, id)?;
    let now = store.tick();
    let user = store
        .get_mut(id)
        .ok_or_else(|| ApiError::user_not_found(id))?;
    change(user);
    user.updated_at = now;
    Ok(user.to_json())
}

fn bulk_ban(store: &mut Store, body: &Body, banned: bool) -> Answer {
    let mut ids = body.strings("user_ids")?;
    if ids.is_empty() {
        return Err(ApiError::missing("user_ids"));
    }
    if ids.len() > MAX_BULK_IDS {
        return Err(ApiError::value_invalid(
            "user_ids",
            format!("user_ids accepts at most {MAX_BULK_IDS} ids"),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    if let Some(missing) = ids.iter().find(|id| store.get(id).is_none()) {
        return Err(ApiError::user_not_found(missing));
    }
    let now = store.tick();
    let mut users = Vec::with_capacity(ids.len());
    for id in &ids {
        if let Some(user) = store.get_mut(id) {
            user.banned = banned;
            user.updated_at = now;
            users.push(user.to_json());
        }
    }
    Ok(Value::Array(users))
}

/// Sets `target[key] = patch[key]` recursively; a `null` removes the key.
fn deep_merge(target: &mut Map<String, Value>, patch: Map<String, Value>) {
    for (key, value) in patch {
        match value {
            Value::Null => {
                target.remove(&key);
            }
            Value::Object(inner) => {
                if let Some(Value::Object(existing)) = target.get_mut(&key) {
                    deep_merge(existing, inner);
                } else {
                    let mut fresh = Map::new();
                    deep_merge(&mut fresh, inner);
                    target.insert(key, Value::Object(fresh));
                }
            }
            other => {
                target.insert(key, other);
            }
        }
    }
}

/// `PATCH` (merge) or `PUT` (replace) of the three metadata objects.
fn update_metadata(store: &mut Store, id: &str, raw_body: &[u8], merge: bool) -> Answer {
    existing(store, id)?;
    let body = Body::parse(raw_body)?;
    let public = body.object("public_metadata")?;
    let private = body.object("private_metadata")?;
    let unsafe_ = body.object("unsafe_metadata")?;
    let now = store.tick();
    let user = store
        .get_mut(id)
        .ok_or_else(|| ApiError::user_not_found(id))?;
    for (target, field) in [
        (&mut user.public_metadata, public),
        (&mut user.private_metadata, private),
        (&mut user.unsafe_metadata, unsafe_),
    ] {
        match (field, merge) {
            (Field::Absent, _) | (Field::Null, true) => {}
            (Field::Null, false) => target.clear(),
            (Field::Value(patch), true) => deep_merge(target, patch),
            (Field::Value(replacement), false) => *target = replacement,
        }
    }
    user.updated_at = now;
    Ok(user.to_json())
}

fn set_profile_image(store: &mut Store, id: &str, headers: &HeaderMap, body: &[u8]) -> Answer {
    existing(store, id)?;
    let boundary = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(multipart::boundary)
        .ok_or_else(|| ApiError::body_invalid("expected multipart/form-data with a boundary"))?;
    let parts = multipart::parse(body, &boundary)
        .ok_or_else(|| ApiError::body_invalid("malformed multipart/form-data body"))?;
    let Some(file) = parts.into_iter().find(|p| p.name == "file") else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "form_param_missing",
            "missing data",
            "file must be included.",
        )
        .param("file"));
    };
    let url = format!("https://img.clerk.test/{id}/{}-bytes", file.data.len());
    set_flags(store, id, |user| user.image_url = Some(url))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpStream;

    const KEY: &str = "sk_test_standin";

    /// Sends one hand-written HTTP/1.1 request on a fresh connection; returns status and JSON.
    fn call(server: &Server, method: &str, target: &str, body: Option<&str>) -> (u16, Value) {
        call_raw(
            server,
            method,
            target,
            &[("Authorization", &format!("Bearer {KEY}"))],
            body.map(str::as_bytes),
        )
    }

    fn call_raw(
        server: &Server,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> (u16, Value) {
        let mut stream = TcpStream::connect(server.addr()).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        let mut request =
            format!("{method} {target} HTTP/1.1\r\nHost: standin\r\nConnection: close\r\n");
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        let body = body.unwrap_or_default();
        if !body.is_empty() {
            request.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        request.push_str("\r\n");
        let mut bytes = request.into_bytes();
        bytes.extend_from_slice(body);
        stream.write_all(&bytes).unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap();
        let text = String::from_utf8(answer).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        assert!(head.contains("content-type: application/json"), "{head}");
        assert!(head.contains("x-clerk-trace-id: "), "{head}");
        (status, serde_json::from_str(body).unwrap())
    }

    fn assert_error(answer: &(u16, Value), status: u16, code: &str) {
        assert_eq!(answer.0, status, "{}", answer.1);
        assert_eq!(answer.1["errors"][0]["code"], code, "{}", answer.1);
        assert!(answer.1["errors"][0]["message"].is_string());
        assert!(answer.1["errors"][0]["long_message"].is_string());
        assert_eq!(answer.1["clerk_trace_id"].as_str().map(str::len), Some(32));
    }

    fn ids(list: &Value) -> Vec<&str> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|u| u["id"].as_str().unwrap())
            .collect()
    }

    #[test]
    fn user_lifecycle_over_http() {
        let server = UsersStandIn::start(KEY).unwrap();

        // Create three users.
        let (status, ada) = call(
            &server,
            "POST",
            "/v1/users",
            Some(
                r#"{"email_address":["ada@example.com"],"first_name":"Ada","last_name":"Lovelace",
                "username":"ada","password":"correct horse","public_metadata":{"plan":"free","prefs":{"theme":"dark","lang":"en"}},
                "private_metadata":{"crm_id":1},"unknown_field":true}"#,
            ),
        );
        assert_eq!(status, 200, "{ada}");
        let id = ada["id"].as_str().unwrap().to_string();
        assert!(id.starts_with("user_") && id.len() == 32, "{id}");
        assert_eq!(ada["object"], "user");
        assert_eq!(ada["email_addresses"][0]["object"], "email_address");
        assert_eq!(
            ada["email_addresses"][0]["email_address"],
            "ada@example.com"
        );
        assert_eq!(
            ada["email_addresses"][0]["verification"]["status"],
            "verified"
        );
        assert_eq!(
            ada["email_addresses"][0]["verification"]["strategy"],
            "admin"
        );
        assert!(
            ada["email_addresses"][0]["id"]
                .as_str()
                .unwrap()
                .starts_with("idn_")
        );
        assert_eq!(
            ada["primary_email_address_id"],
            ada["email_addresses"][0]["id"]
        );
        assert_eq!(ada["password_enabled"], true);
        assert_eq!(ada["has_image"], false);
        assert_eq!(ada["external_id"], Value::Null);
        for (_, second) in [("b", "bob@example.com"), ("c", "cy@example.com")] {
            let body =
                format!(r#"{{"email_address":["{second}"],"skip_password_requirement":true}}"#);
            assert_eq!(call(&server, "POST", "/v1/users", Some(&body)).0, 200);
        }
        // A taken email address (case-insensitively).
        let taken = call(
            &server,
            "POST",
            "/v1/users",
            Some(r#"{"email_address":["ADA@example.com"]}"#),
        );
        assert_error(&taken, 422, "form_identifier_exists");
        assert_eq!(taken.1["errors"][0]["meta"]["param_name"], "email_address");

        // Get.
        let (status, got) = call(&server, "GET", &format!("/v1/users/{id}"), None);
        assert_eq!(status, 200);
        assert_eq!(got, ada);

        // List: newest first by default; a cursor continues after the given user.
        let (_, all) = call(&server, "GET", "/v1/users", None);
        assert_eq!(all.as_array().unwrap().len(), 3);
        assert_eq!(ids(&all)[2], id);
        let (_, first_page) = call(&server, "GET", "/v1/users?limit=2", None);
        assert_eq!(ids(&first_page), ids(&all)[..2]);
        let cursor = ids(&first_page)[1];
        let (_, second_page) = call(
            &server,
            "GET",
            &format!("/v1/users?limit=2&starting_after={cursor}"),
            None,
        );
        assert_eq!(ids(&second_page), [id.as_str()]);
        let (_, ascending) = call(
            &server,
            "GET",
            &format!("/v1/users?order_by=%2Bcreated_at&limit=5&starting_after={id}"),
            None,
        );
        assert_eq!(
            ids(&ascending),
            ids(&all)[..2].iter().rev().copied().collect::<Vec<_>>()
        );
        let (_, filtered) = call(
            &server,
            "GET",
            "/v1/users?email_address=ada%40example.com&email_address=cy%40example.com",
            None,
        );
        assert_eq!(filtered.as_array().unwrap().len(), 2);
        let (_, by_query) = call(&server, "GET", "/v1/users?query=LOVE", None);
        assert_eq!(ids(&by_query), [id.as_str()]);
        let (_, count) = call(&server, "GET", "/v1/users/count?query=example.com", None);
        assert_eq!(count, json!({"object": "total_count", "total_count": 3}));
        let mixed = call(
            &server,
            "GET",
            &format!("/v1/users?starting_after={id}&offset=1"),
            None,
        );
        assert_error(&mixed, 422, "form_param_value_invalid");

        // Patch: null clears, absent leaves, unknown ignored.
        let (status, patched) = call(
            &server,
            "PATCH",
            &format!("/v1/users/{id}"),
            Some(r#"{"first_name":"Augusta","username":null,"whatever":1}"#),
        );
        assert_eq!(status, 200, "{patched}");
        assert_eq!(patched["first_name"], "Augusta");
        assert_eq!(patched["username"], Value::Null);
        assert_eq!(patched["last_name"], "Lovelace");
        assert!(patched["updated_at"].as_i64() > ada["updated_at"].as_i64());
        assert_eq!(patched["created_at"], ada["created_at"]);

        // Metadata: deep merge, null removes at any level.
        let (status, merged) = call(
            &server,
            "PATCH",
            &format!("/v1/users/{id}/metadata"),
            Some(
                r#"{"public_metadata":{"plan":"pro","prefs":{"lang":null,"tz":"UTC"}},"private_metadata":{"crm_id":null}}"#,
            ),
        );
        assert_eq!(status, 200, "{merged}");
        assert_eq!(
            merged["public_metadata"],
            json!({"plan": "pro", "prefs": {"theme": "dark", "tz": "UTC"}})
        );
        assert_eq!(merged["private_metadata"], json!({}));
        let (_, replaced) = call(
            &server,
            "PUT",
            &format!("/v1/users/{id}/metadata"),
            Some(r#"{"unsafe_metadata":{"a":1}}"#),
        );
        assert_eq!(replaced["unsafe_metadata"], json!({"a": 1}));
        assert_eq!(replaced["public_metadata"], merged["public_metadata"]);

        // Delete, then 404.
        let (status, deleted) = call(&server, "DELETE", &format!("/v1/users/{id}"), None);
        assert_eq!(status, 200);
        assert_eq!(
            deleted,
            json!({"object": "user", "id": id, "deleted": true})
        );
        let gone = call(&server, "GET", &format!("/v1/users/{id}"), None);
        assert_error(&gone, 404, "resource_not_found");
        assert_error(
            &call(&server, "DELETE", &format!("/v1/users/{id}"), None),
            404,
            "resource_not_found",
        );
        // The deleted user still works as a cursor.
        let (_, after_deleted) = call(
            &server,
            "GET",
            &format!("/v1/users?order_by=created_at&starting_after={id}"),
            None,
        );
        assert_eq!(after_deleted.as_array().unwrap().len(), 2);
        let (_, count) = call(&server, "GET", "/v1/users/count", None);
        assert_eq!(count["total_count"], 2);
    }

    #[test]
    fn authentication_and_unknown_routes() {
        let server = UsersStandIn::start(KEY).unwrap();
        for headers in [
            &[][..],
            &[("Authorization", "Bearer sk_test_wrong")][..],
            &[("Authorization", KEY)][..],
            &[("Authorization", "Basic c2tfdGVzdA==")][..],
        ] {
            let answer = call_raw(&server, "GET", "/v1/users", headers, None);
            assert_error(&answer, 401, "authentication_invalid");
        }
        let lower = call_raw(
            &server,
            "GET",
            "/v1/users",
            &[("authorization", &format!("bearer {KEY}"))],
            None,
        );
        assert_eq!(lower.0, 200);
        for (method, target) in [
            ("GET", "/v1/organizations"),
            ("GET", "/users"),
            ("GET", "/v1/usersx"),
            ("PUT", "/v1/users"),
            ("POST", "/v1/users/count"),
            ("GET", "/v1/users/user_1/nothing"),
            ("GET", "/v1/users/"),
        ] {
            assert_error(
                &call(&server, method, target, None),
                404,
                "resource_not_found",
            );
        }
    }

    #[test]
    fn percent_encoded_ids_are_decoded() {
        let standin = UsersStandIn::new(KEY);
        let server = standin.serve().unwrap();
        let (_, user) = call(
            &server,
            "POST",
            "/v1/users",
            Some(r#"{"external_id":"ext/1"}"#),
        );
        let id = user["id"].as_str().unwrap();
        let encoded: String = id.bytes().map(|b| format!("%{b:02X}")).collect();
        let (status, got) = call(&server, "GET", &format!("/v1/users/{encoded}"), None);
        assert_eq!(status, 200);
        assert_eq!(got["id"], id);
        let missing = call(&server, "GET", "/v1/users/user%2F..%2Fx", None);
        assert_error(&missing, 404, "resource_not_found");
        assert!(
            missing.1["errors"][0]["long_message"]
                .as_str()
                .unwrap()
                .contains("user/../x")
        );
        assert_eq!(standin.user_count(), 1);
        assert_eq!(standin.user(id).unwrap()["external_id"], "ext/1");
    }

    #[test]
    fn ban_lock_and_bulk() {
        let server = UsersStandIn::start(KEY).unwrap();
        let (_, a) = call(&server, "POST", "/v1/users", Some(r#"{"username":"a"}"#));
        let (_, b) = call(&server, "POST", "/v1/users", Some(r#"{"username":"b"}"#));
        let (a, b) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
        assert_eq!(
            call(&server, "POST", &format!("/v1/users/{a}/ban"), None).1["banned"],
            true
        );
        let (_, banned) = call(&server, "GET", "/v1/users?banned=true", None);
        assert_eq!(ids(&banned), [a]);
        assert_eq!(
            call(&server, "GET", "/v1/users/count?banned=false", None).1["total_count"],
            1
        );
        assert_eq!(
            call(&server, "POST", &format!("/v1/users/{a}/unban"), None).1["banned"],
            false
        );
        assert_eq!(
            call(&server, "POST", &format!("/v1/users/{b}/lock"), None).1["locked"],
            true
        );
        assert_eq!(
            call(&server, "POST", &format!("/v1/users/{b}/unlock"), None).1["locked"],
            false
        );

        let body = format!(r#"{{"user_ids":["{a}","{b}","{a}"]}}"#);
        let (status, both) = call(&server, "POST", "/v1/users/ban", Some(&body));
        assert_eq!(status, 200, "{both}");
        assert_eq!(ids(&both), [a, b]);
        assert!(both.as_array().unwrap().iter().all(|u| u["banned"] == true));
        let (_, unbanned) = call(&server, "POST", "/v1/users/unban", Some(&body));
        assert!(
            unbanned
                .as_array()
                .unwrap()
                .iter()
                .all(|u| u["banned"] == false)
        );
        assert_error(
            &call(
                &server,
                "POST",
                "/v1/users/ban",
                Some(r#"{"user_ids":["user_nope"]}"#),
            ),
            404,
            "resource_not_found",
        );
        assert_error(
            &call(&server, "POST", "/v1/users/ban", Some("{}")),
            422,
            "form_param_missing",
        );
        assert_error(
            &call(&server, "POST", "/v1/users/user_nope/ban", None),
            404,
            "resource_not_found",
        );
        assert_error(
            &call(&server, "GET", "/v1/users?banned=maybe", None),
            422,
            "form_param_format_invalid",
        );
    }

    #[test]
    fn profile_image_upload_and_removal() {
        let server = UsersStandIn::start(KEY).unwrap();
        let (_, user) = call(&server, "POST", "/v1/users", Some("{}"));
        let id = user["id"].as_str().unwrap();
        let auth = format!("Bearer {KEY}");
        let body =
            b"--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"me.png\"\r\n\
            Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\0\0\r\n--b0undary--\r\n";
        let (status, with_image) = call_raw(
            &server,
            "POST",
            &format!("/v1/users/{id}/profile_image"),
            &[
                ("Authorization", &auth),
                ("Content-Type", "multipart/form-data; boundary=b0undary"),
            ],
            Some(body),
        );
        assert_eq!(status, 200, "{with_image}");
        assert_eq!(with_image["has_image"], true);
        assert_eq!(
            with_image["image_url"],
            format!("https://img.clerk.test/{id}/10-bytes")
        );

        let wrong_part =
            b"--b\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nx\r\n--b--\r\n";
        let answer = call_raw(
            &server,
            "POST",
            &format!("/v1/users/{id}/profile_image"),
            &[
                ("Authorization", &auth),
                ("Content-Type", "multipart/form-data; boundary=b"),
            ],
            Some(wrong_part),
        );
        assert_error(&answer, 400, "form_param_missing");
        let answer = call_raw(
            &server,
            "POST",
            &format!("/v1/users/{id}/profile_image"),
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/json"),
            ],
            Some(b"{}"),
        );
        assert_error(&answer, 400, "request_body_invalid");

        let (status, without) = call(
            &server,
            "DELETE",
            &format!("/v1/users/{id}/profile_image"),
            None,
        );
        assert_eq!(status, 200);
        assert_eq!(without["has_image"], false);
        assert_ne!(without["image_url"], with_image["image_url"]);
    }

    #[test]
    fn create_validation_and_fields() {
        let standin = UsersStandIn::new(KEY);
        let post = |body: &str| {
            let mut request = http::Request::new(body.as_bytes().to_vec());
            *request.method_mut() = Method::POST;
            *request.uri_mut() = http::Uri::from_static("/v1/users");
            request.headers_mut().insert(
                AUTHORIZATION,
                HeaderValue::from_str(&format!("Bearer {KEY}")).unwrap(),
            );
            let response = standin.handle(request);
            let value: Value = serde_json::from_slice(response.body()).unwrap();
            (response.status().as_u16(), value)
        };
        assert_error(&post("{not json"), 400, "request_body_invalid");
        assert_error(&post("[]"), 400, "request_body_invalid");
        assert_error(
            &post(r#"{"email_address":"a@b.c"}"#),
            422,
            "form_param_format_invalid",
        );
        assert_error(
            &post(r#"{"email_address":["nope"]}"#),
            422,
            "form_param_format_invalid",
        );
        assert_error(
            &post(r#"{"first_name":5}"#),
            422,
            "form_param_format_invalid",
        );
        assert_error(
            &post(r#"{"password":"short"}"#),
            422,
            "form_password_length_too_short",
        );
        assert_error(
            &post(r#"{"email_address":["x@y.z","X@y.z"]}"#),
            422,
            "form_identifier_exists",
        );
        assert_eq!(
            post(r#"{"email_address":["x@y.z"],"email_address_identification_status":[]}"#).0,
            200
        );
        assert_error(
            &post(r#"{"email_address":["v@y.z"],"email_address_identification_status":["maybe"]}"#),
            422,
            "form_param_value_invalid",
        );
        assert_eq!(standin.user_count(), 1);

        let (status, user) = post(
            r#"{"email_address":["p@q.r","s@t.u"],"email_address_identification_status":["verified","reserved"],
               "phone_number":["+15555550100"],"web3_wallet":["0xabc"],"password":"short","skip_password_checks":true,
               "external_id":"e1","totp_secret":"AAAA","legal_accepted_at":"2012-10-20T07:15:20.902Z",
               "create_organizations_limit":3,"delete_self_enabled":false}"#,
        );
        assert_eq!(status, 200, "{user}");
        assert_eq!(user["email_addresses"][1]["reserved"], true);
        assert_eq!(user["email_addresses"][1]["verification"], Value::Null);
        assert_eq!(user["phone_numbers"][0]["object"], "phone_number");
        assert_eq!(
            user["primary_phone_number_id"],
            user["phone_numbers"][0]["id"]
        );
        assert_eq!(user["web3_wallets"][0]["web3_wallet"], "0xabc");
        assert_eq!(user["two_factor_enabled"], true);
        assert_eq!(user["legal_accepted_at"], 1_350_717_320_902_i64);
        assert_eq!(user["create_organizations_limit"], 3);
        assert_eq!(user["delete_self_enabled"], false);
        assert_error(
            &post(r#"{"external_id":"e1"}"#),
            422,
            "form_identifier_exists",
        );
        assert_error(
            &post(r#"{"phone_number":["+15555550100"]}"#),
            422,
            "form_identifier_exists",
        );

        // Every required field of the spec's User schema is present.
        for field in [
            "id",
            "object",
            "username",
            "first_name",
            "last_name",
            "has_image",
            "primary_email_address_id",
            "primary_phone_number_id",
            "primary_web3_wallet_id",
            "password_enabled",
            "two_factor_enabled",
            "totp_enabled",
            "backup_code_enabled",
            "email_addresses",
            "phone_numbers",
            "web3_wallets",
            "passkeys",
            "external_accounts",
            "saml_accounts",
            "enterprise_accounts",
            "public_metadata",
            "external_id",
            "last_sign_in_at",
            "banned",
            "locked",
            "lockout_expires_in_seconds",
            "verification_attempts_remaining",
            "created_at",
            "updated_at",
            "delete_self_enabled",
            "create_organization_enabled",
            "last_active_at",
            "mfa_enabled_at",
            "mfa_disabled_at",
            "legal_accepted_at",
        ] {
            assert!(user.get(field).is_some(), "missing {field}");
        }
    }

    #[test]
    fn list_filters_and_ordering() {
        let server = UsersStandIn::start(KEY).unwrap();
        let mut created = Vec::new();
        for (first, email) in [
            ("Zoe", "zoe@x.io"),
            ("amy", "amy@y.io"),
            ("Bea", "bea@x.io"),
        ] {
            let body = format!(
                r#"{{"first_name":"{first}","email_address":["{email}"],"external_id":"ext-{first}"}}"#
            );
            created.push(
                call(&server, "POST", "/v1/users", Some(&body)).1["id"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            );
        }
        let names = |target: &str| -> Vec<String> {
            let (status, list) = call(&server, "GET", target, None);
            assert_eq!(status, 200, "{list}");
            list.as_array()
                .unwrap()
                .iter()
                .map(|u| u["first_name"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(names("/v1/users"), ["Bea", "amy", "Zoe"]);
        assert_eq!(
            names("/v1/users?order_by=first_name"),
            ["amy", "Bea", "Zoe"]
        );
        assert_eq!(
            names("/v1/users?order_by=-first_name&limit=2&offset=1"),
            ["Bea", "amy"]
        );
        assert_eq!(names("/v1/users?email_address_query=X.IO"), ["Bea", "Zoe"]);
        assert_eq!(
            names(&format!("/v1/users?user_id=-{}", created[0])),
            ["Bea", "amy"]
        );
        assert_eq!(
            names(&format!(
                "/v1/users?user_id={}&user_id={}",
                created[0], created[2]
            )),
            ["Bea", "Zoe"]
        );
        assert_eq!(names("/v1/users?external_id=ext-amy"), ["amy"]);
        assert_eq!(names("/v1/users?name_query=ZO"), ["Zoe"]);
        assert!(names("/v1/users?organization_id=org_1").is_empty());
        assert!(names("/v1/users?last_active_at_after=1").is_empty());
        assert_eq!(names("/v1/users?created_at_after=1").len(), 3);
        assert_error(
            &call(&server, "GET", "/v1/users?limit=501", None),
            422,
            "form_param_value_invalid",
        );
        assert_error(
            &call(
                &server,
                "GET",
                "/v1/users?starting_after=user_unknown",
                None,
            ),
            422,
            "form_param_value_invalid",
        );
        assert_error(
            &call(
                &server,
                "GET",
                "/v1/users?order_by=first_name&starting_after=x",
                None,
            ),
            422,
            "form_param_value_invalid",
        );
    }

    #[test]
    fn patch_validation() {
        let server = UsersStandIn::start(KEY).unwrap();
        let (_, a) = call(
            &server,
            "POST",
            "/v1/users",
            Some(r#"{"username":"taken","email_address":["a@a.a","b@b.b"]}"#),
        );
        let (_, b) = call(
            &server,
            "POST",
            "/v1/users",
            Some(r#"{"username":"other"}"#),
        );
        let (a_id, b_id) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
        assert_error(
            &call(
                &server,
                "PATCH",
                &format!("/v1/users/{b_id}"),
                Some(r#"{"username":"TAKEN"}"#),
            ),
            422,
            "form_identifier_exists",
        );
        assert_error(
            &call(&server, "PATCH", "/v1/users/user_nope", Some("{}")),
            404,
            "resource_not_found",
        );
        let second_email = a["email_addresses"][1]["id"].as_str().unwrap();
        let (status, a2) = call(
            &server,
            "PATCH",
            &format!("/v1/users/{a_id}"),
            Some(&format!(
                r#"{{"primary_email_address_id":"{second_email}","username":"taken"}}"#
            )),
        );
        assert_eq!(status, 200, "{a2}");
        assert_eq!(a2["primary_email_address_id"], second_email);
        assert_error(
            &call(
                &server,
                "PATCH",
                &format!("/v1/users/{a_id}"),
                Some(r#"{"primary_email_address_id":"idn_x"}"#),
            ),
            422,
            "form_param_value_invalid",
        );
        assert_error(
            &call(
                &server,
                "PATCH",
                &format!("/v1/users/{a_id}/metadata"),
                Some(r#"{"public_metadata":[1]}"#),
            ),
            422,
            "form_param_format_invalid",
        );
    }

    #[test]
    fn keep_alive_session_against_the_stand_in() {
        use std::io::{BufRead, BufReader};
        let server = UsersStandIn::start(KEY).unwrap();
        let mut stream = TcpStream::connect(server.addr()).unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let body = r#"{"email_address":["k@a.io"]}"#;
        let request = format!(
            "POST /v1/users HTTP/1.1\r\nAuthorization: Bearer {KEY}\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n\
             GET /v1/users/count HTTP/1.1\r\nAuthorization: Bearer {KEY}\r\n\r\n",
            body.len()
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut bodies = Vec::new();
        for _ in 0..2 {
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line == "\r\n" {
                    break;
                }
                if let Some(value) = line.strip_prefix("content-length: ") {
                    length = value.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            bodies.push(serde_json::from_slice::<Value>(&body).unwrap());
        }
        assert_eq!(bodies[0]["email_addresses"][0]["email_address"], "k@a.io");
        assert_eq!(bodies[1]["total_count"], 1);
        assert_eq!(server.requests_seen(), 2);
    }

    #[test]
    fn deep_merge_rules() {
        let mut target = json!({"a": 1, "b": {"c": 2, "d": {"e": 3}}, "f": [1]})
            .as_object()
            .unwrap()
            .clone();
        let patch = json!({"a": null, "b": {"d": {"e": null, "g": 4}}, "f": {"x": null, "y": 1}, "h": null});
        deep_merge(&mut target, patch.as_object().unwrap().clone());
        assert_eq!(
            Value::Object(target),
            json!({"b": {"c": 2, "d": {"g": 4}}, "f": {"y": 1}})
        );
    }
}

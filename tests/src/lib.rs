//! Loopback tools for the workspace's end-to-end tests: a scripted HTTP server that records what
//! arrives and answers from a script, and JSON fixtures shaped like Clerk's responses.
#![forbid(unsafe_code)]

pub mod bench;
pub mod derive_mirror;
pub mod generated;
pub mod samples;
pub mod scenarios;
pub mod tokens;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

pub use clerk_backend_testkit::server::Server;

/// A server on 127.0.0.1 that records every request and answers with the next scripted
/// response (or with `fallback` once the script is used up).
pub struct Scripted {
    server: Server,
    state: Arc<Mutex<State>>,
}

/// What answers once the script is used up.
type Fallback = Box<dyn Fn(&http::Request<Vec<u8>>) -> http::Response<Vec<u8>> + Send>;

struct State {
    script: VecDeque<http::Response<Vec<u8>>>,
    fallback: Option<Fallback>,
    seen: Vec<http::Request<Vec<u8>>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Scripted {
    /// Starts a server answering with `script`, in order, then 500 for anything more.
    pub fn start(script: Vec<http::Response<Vec<u8>>>) -> Self {
        Self::with_fallback(script, |_| {
            json(
                500,
                r#"{"errors":[{"code":"script_exhausted","message":"no more scripted responses"}]}"#,
            )
        })
    }

    /// Starts a server answering with `script`, then with `fallback` for every further request.
    pub fn with_fallback(
        script: Vec<http::Response<Vec<u8>>>,
        fallback: impl Fn(&http::Request<Vec<u8>>) -> http::Response<Vec<u8>> + Send + 'static,
    ) -> Self {
        let state = Arc::new(Mutex::new(State {
            script: script.into(),
            fallback: Some(Box::new(fallback)),
            seen: Vec::new(),
        }));
        let handler_state = Arc::clone(&state);
        let server = Server::start(move |request: http::Request<Vec<u8>>| {
            let mut state = lock(&handler_state);
            let response = match state.script.pop_front() {
                Some(response) => response,
                None => match &state.fallback {
                    Some(fallback) => fallback(&request),
                    None => json(500, "{}"),
                },
            };
            state.seen.push(request);
            response
        })
        .expect("start loopback server");
        Self { server, state }
    }

    /// The base URL (`http://127.0.0.1:port`).
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// A client configuration pointing at this server.
    pub fn config(&self) -> clerk_backend_core::Config {
        clerk_backend_core::Config::new(TEST_KEY)
            .and_then(|c| c.with_base_url(&self.url()))
            .expect("valid test config")
    }

    /// The requests received so far, in order.
    pub fn requests(&self) -> Vec<http::Request<Vec<u8>>> {
        lock(&self.state).seen.iter().map(copy_request).collect()
    }

    /// How many requests arrived.
    pub fn count(&self) -> usize {
        lock(&self.state).seen.len()
    }
}

/// A copy of a request (`http::Request` is not `Clone`): method, URI, version, headers, body.
pub fn copy_request(request: &http::Request<Vec<u8>>) -> http::Request<Vec<u8>> {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    copy
}

/// The secret key every test client uses.
pub const TEST_KEY: &str = "sk_test_loopback_0123456789";

/// A retry policy with short waits, so tests of retrying stay quick.
pub fn fast_retries() -> clerk_backend_core::RetryPolicy {
    clerk_backend_core::RetryPolicy::default()
        .base_delay(std::time::Duration::from_millis(5))
        .max_delay(std::time::Duration::from_millis(20))
}

/// A response with a JSON body.
pub fn json(status: u16, body: &str) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body.as_bytes().to_vec())
        .expect("valid response")
}

/// A response with any body and content type.
pub fn raw(status: u16, content_type: &str, body: &[u8]) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .header("content-type", content_type)
        .body(body.to_vec())
        .expect("valid response")
}

/// Clerk's error body.
pub fn clerk_error(code: &str, message: &str, long_message: &str, trace: &str) -> String {
    serde_json::json!({
        "errors": [{"code": code, "message": message, "long_message": long_message, "meta": {}}],
        "clerk_trace_id": trace,
    })
    .to_string()
}

/// A user object as the API sends it, with the given id and first name.
pub fn user_json(id: &str, first_name: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "object": "user",
        "username": null,
        "first_name": first_name,
        "last_name": "Lovelace",
        "image_url": "https://img.clerk.com/x",
        "has_image": false,
        "primary_email_address_id": "idn_1",
        "primary_phone_number_id": null,
        "primary_web3_wallet_id": null,
        "password_enabled": true,
        "two_factor_enabled": false,
        "totp_enabled": false,
        "backup_code_enabled": false,
        "email_addresses": [{
            "id": "idn_1",
            "object": "email_address",
            "email_address": format!("{id}@example.com"),
            "reserved": false,
            "verification": {"object": "verification_admin", "status": "verified", "strategy": "admin", "attempts": null, "expire_at": null},
            "linked_to": [],
            "created_at": 1_700_000_000_000_i64,
            "updated_at": 1_700_000_000_000_i64
        }],
        "phone_numbers": [],
        "web3_wallets": [],
        "passkeys": [],
        "external_accounts": [],
        "saml_accounts": [],
        "enterprise_accounts": [],
        "public_metadata": {},
        "private_metadata": {},
        "unsafe_metadata": {},
        "external_id": null,
        "last_sign_in_at": null,
        "banned": false,
        "locked": false,
        "lockout_expires_in_seconds": null,
        "verification_attempts_remaining": 100,
        "created_at": 1_700_000_000_000_i64,
        "updated_at": 1_700_000_000_000_i64,
        "delete_self_enabled": true,
        "create_organization_enabled": true,
        "last_active_at": null,
        "mfa_enabled_at": null,
        "mfa_disabled_at": null,
        "legal_accepted_at": null
    })
}

/// The README's Rust examples, compiled (and the sans-IO one run) as doc-tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

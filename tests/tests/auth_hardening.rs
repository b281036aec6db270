//! Fixes from a review of the auth code, each with the case that showed it: a cancelled JWKS
//! fetch still counts against the refetch interval; a 200 without usable keys keeps the known
//! keys; an unknown session status is not signed in; an empty role matches nothing;
//! `__client_uat` is an integer; no session cookie is read when sessions are not accepted; an
//! attacker's long `kid` is cut short in messages.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use clerk_backend_core::auth::{
    AuthOptions, AuthStatus, Authentication, Has, JwksCache, KeyLookup, KeySource, Reason,
    TokenType,
};
use clerk_backend_core::{Config, Error, http};
use clerk_backend_tests::tokens::{NOW, key_a, now, pem_a, session_claims};
use serde_json::json;

fn cookie_headers(cookie: &str) -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    headers.insert(http::header::COOKIE, cookie.parse().expect("cookie"));
    headers
}

#[tokio::test]
async fn a_cancelled_jwks_fetch_still_counts() {
    let fetches = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&fetches);
    let transport = clerk_backend_async::from_fn(
        move |_request: http::Request<Vec<u8>>| {
            counted.fetch_add(1, Ordering::SeqCst);
            async {
                // A JWKS answer that never comes in time.
                tokio::time::sleep(Duration::from_secs(30)).await;
                Ok::<_, Error>(http::Response::new(b"{\"keys\":[]}".to_vec()))
            }
        },
        |wait| tokio::time::sleep(wait),
    );
    let config = Config::new("sk_test_cancel").expect("config");
    let client = clerk_backend_async::Client::with_transport(config, transport);
    let token = key_a().session_token(&session_claims("user_1", unix_now()));
    let mut headers = http::HeaderMap::new();
    headers.insert(
        http::header::AUTHORIZATION,
        format!("Bearer {token}").parse().expect("header"),
    );
    let options = AuthOptions::new();
    for _ in 0..5 {
        // The caller hangs up while the keys are being fetched.
        let _ = tokio::time::timeout(
            Duration::from_millis(20),
            client.authenticate(&headers, &options),
        )
        .await;
    }
    assert_eq!(
        fetches.load(Ordering::SeqCst),
        1,
        "one fetch per refetch interval"
    );
    let status = client.authenticate(&headers, &options).await;
    assert_eq!(status.reason(), Some(Reason::JwkRemoteFailedToLoad));
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

#[test]
fn a_jwks_answer_without_usable_keys_keeps_the_known_keys() {
    let mut cache = JwksCache::new();
    let good = serde_json::from_value(json!({"keys": [key_a().jwk()]})).expect("jwks");
    cache.on_jwks(Ok(good), now());
    let empty = serde_json::from_value(json!({})).expect("an empty JWKS decodes");
    cache.on_jwks(Ok(empty), now() + Duration::from_secs(400));
    assert_eq!(cache.keys().count(), 1);
    assert!(matches!(
        cache.lookup(Some(key_a().kid), now() + Duration::from_secs(400), false),
        KeyLookup::Found(_)
    ));
}

#[test]
fn an_unknown_session_status_is_not_signed_in() {
    let mut claims = session_claims("user_1", NOW);
    claims["sts"] = json!("suspended");
    let token = key_a().session_token(&claims);
    let status =
        Authentication::from_token(&token, &AuthOptions::new().accept_pending_sessions(true))
            .verdict(pem_a(), now());
    assert_eq!(status.reason(), Some(Reason::SessionStatusUnknown));
}

#[test]
fn an_empty_role_matches_nothing() {
    let mut claims = session_claims("user_1", NOW);
    claims["v"] = json!(1);
    claims["org_id"] = json!("org_1");
    claims["org_role"] = json!("");
    let token = key_a().session_token(&claims);
    let status = Authentication::from_token(&token, &AuthOptions::new()).verdict(pem_a(), now());
    let session = status.session().expect("signed in");
    assert!(!session.has_role(""));
    assert!(!session.has_role("org:"));
    assert!(!session.has(&Has::new().role("")));
}

#[test]
fn client_uat_is_an_integer() {
    let token = key_a().session_token(&session_claims("user_1", NOW));
    let options = AuthOptions::new();
    for uat in ["1.9", "1e3", "+5", "0x10", " "] {
        let headers = cookie_headers(&format!("__session={token}; __client_uat={uat}"));
        let status = Authentication::from_headers(&headers, &options).verdict(pem_a(), now());
        assert_eq!(
            status.reason(),
            Some(Reason::SessionTokenWithoutClientUat),
            "{uat:?} read as a time"
        );
    }
    let headers = cookie_headers(&format!("__session={token}; __client_uat={}", NOW - 100));
    let status = Authentication::from_headers(&headers, &options).verdict(pem_a(), now());
    assert!(status.is_signed_in(), "{status:?}");
}

#[test]
fn no_cookie_is_read_when_sessions_are_not_accepted() {
    let token = key_a().session_token(&session_claims("user_1", NOW));
    let headers = cookie_headers(&format!("__session={token}; __client_uat={}", NOW - 100));
    let options = AuthOptions::new().accepts(TokenType::M2mToken);
    let status = Authentication::from_headers(&headers, &options).verdict(pem_a(), now());
    assert_eq!(status.reason(), Some(Reason::TokenMissing));
}

#[test]
fn a_long_kid_is_cut_short_in_messages() {
    let mut header = key_a().header();
    let long = "k".repeat(10_000);
    header["kid"] = json!(long);
    let token = key_a().sign(&header, &session_claims("user_1", NOW));
    let cache = JwksCache::new();
    let status = Authentication::from_token(&token, &AuthOptions::new()).verdict(&cache, now());
    let AuthStatus::SignedOut(out) = status else {
        panic!("signed in without keys");
    };
    assert!(out.message.len() < 400, "{} bytes", out.message.len());
}

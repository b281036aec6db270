//! `authenticate` end to end over 127.0.0.1: the stand-in serves `/v1/jwks`; the blocking and
//! async clients fetch it through their normal request path, cache it, and refresh it once
//! for many callers.

use std::sync::{Arc, Barrier};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clerk_backend_core::auth::{AuthOptions, JwksCache, PublicKey, Reason};
use clerk_backend_core::{Config, RetryPolicy};
use clerk_backend_standin::users::UsersStandIn;
use clerk_backend_tests::tokens::{TestKey, jwks, session_claims};

const SECRET: &str = "sk_test_auth_e2e";

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

fn bearer(token: &str) -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    headers.insert(
        http::header::AUTHORIZATION,
        format!("Bearer {token}")
            .parse()
            .expect("a token is a header value"),
    );
    headers
}

fn options() -> AuthOptions {
    AuthOptions::new().authorized_party("https://app.example.test")
}

fn config(url: &str) -> Config {
    Config::new(SECRET)
        .and_then(|c| c.with_base_url(url))
        .expect("test config")
}

#[test]
fn blocking_client_fetches_the_jwks_once_and_signs_in() {
    let standin = UsersStandIn::new(SECRET);
    standin.set_jwks(jwks(&[&TestKey::a()]));
    let server = standin.serve().expect("stand-in starts");
    let client = clerk_backend_ureq::Client::new(config(&server.url()));
    let token = TestKey::a().session_token(&session_claims("user_e2e", unix_now()));

    let status = client.authenticate(&bearer(&token), &options());
    let session = status.session().expect("signed in");
    assert_eq!(session.user_id, "user_e2e");
    assert_eq!(session.session_id.as_deref(), Some("sess_test_1"));
    let again = client.authenticate(&bearer(&token), &options());
    assert!(again.is_signed_in());
    assert_eq!(standin.jwks_fetches(), 1, "the second call uses the cache");

    // A token of a key the instance does not have: one refetch, then refused.
    let forged = TestKey::b().session_token(&session_claims("user_e2e", unix_now()));
    let status = client.authenticate(&bearer(&forged), &options());
    assert_eq!(status.reason(), Some(Reason::JwkKidMismatch));
    // The refetch interval has not passed since the first fetch: no second fetch at all.
    assert_eq!(standin.jwks_fetches(), 1);
}

#[test]
fn sixteen_threads_meeting_a_new_kid_cause_one_fetch() {
    let standin = UsersStandIn::new(SECRET);
    standin.set_jwks(jwks(&[&TestKey::a()]));
    let server = standin.serve().expect("stand-in starts");
    let client = clerk_backend_ureq::Client::builder(config(&server.url()))
        .jwks_cache(JwksCache::new().refetch_interval(Duration::from_secs(1)))
        .build();
    let first = TestKey::a().session_token(&session_claims("user_a", unix_now()));
    assert!(
        client
            .authenticate(&bearer(&first), &options())
            .is_signed_in()
    );
    assert_eq!(standin.jwks_fetches(), 1);

    // The instance rotates to key b; after the refetch interval 16 threads present b's
    // tokens at once.
    standin.set_jwks(jwks(&[&TestKey::a(), &TestKey::b()]));
    std::thread::sleep(Duration::from_millis(1100));
    let token = TestKey::b().session_token(&session_claims("user_b", unix_now()));
    let barrier = Arc::new(Barrier::new(16));
    let verdicts: Vec<bool> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..16)
            .map(|_| {
                let (client, barrier, token) = (&client, Arc::clone(&barrier), &token);
                scope.spawn(move || {
                    barrier.wait();
                    client
                        .authenticate(&bearer(token), &options())
                        .is_signed_in()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no thread panics"))
            .collect()
    });
    assert!(verdicts.iter().all(|signed_in| *signed_in), "{verdicts:?}");
    assert_eq!(standin.jwks_fetches(), 2, "one fetch for 16 threads");
}

#[test]
fn a_failed_fetch_signs_out_with_its_cause() {
    let standin = UsersStandIn::new(SECRET);
    standin.set_jwks(jwks(&[&TestKey::a()]));
    let server = standin.serve().expect("stand-in starts");
    // A wrong secret key: the stand-in answers 401 to the JWKS request.
    let wrong = Config::new("sk_test_wrong")
        .and_then(|c| c.with_base_url(&server.url()))
        .expect("config");
    let client = clerk_backend_ureq::Client::builder(wrong)
        .retry_policy(RetryPolicy::never())
        .build();
    let token = TestKey::a().session_token(&session_claims("user_a", unix_now()));
    let status = client.authenticate(&bearer(&token), &options());
    assert_eq!(status.reason(), Some(Reason::JwkRemoteFailedToLoad));
    let out = match status {
        clerk_backend_core::auth::AuthStatus::SignedOut(out) => out,
        other => panic!("signed in with a wrong secret key: {other:?}"),
    };
    assert!(out.message.contains("401"), "{}", out.message);
    assert!(!out.message.contains("sk_test_wrong"), "{}", out.message);
}

#[test]
fn a_pem_key_needs_no_network() {
    let standin = UsersStandIn::new(SECRET);
    let server = standin.serve().expect("stand-in starts");
    let key = PublicKey::from_pem(TestKey::a().public_pem).expect("test PEM");
    let client = clerk_backend_ureq::Client::builder(config(&server.url()))
        .jwt_key(key)
        .build();
    let token = TestKey::a().session_token(&session_claims("user_pem", unix_now()));
    let status = client.authenticate_token(&token, &options());
    assert_eq!(
        status.session().map(|s| s.user_id.as_str()),
        Some("user_pem")
    );
    assert_eq!(server.requests_seen(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn async_client_sixteen_tasks_cause_one_fetch() {
    let standin = UsersStandIn::new(SECRET);
    standin.set_jwks(jwks(&[&TestKey::a()]));
    let server = standin.serve().expect("stand-in starts");
    let client = clerk_backend_async::Client::new(config(&server.url())).expect("client builds");
    let token = TestKey::a().session_token(&session_claims("user_async", unix_now()));
    let barrier = Arc::new(tokio::sync::Barrier::new(16));
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let (client, barrier, token) = (client.clone(), Arc::clone(&barrier), token.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                client
                    .authenticate(&bearer(&token), &options())
                    .await
                    .session()
                    .map(|s| s.user_id.clone())
            })
        })
        .collect();
    for task in tasks {
        let user = task.await.expect("no task panics");
        assert_eq!(user.as_deref(), Some("user_async"));
    }
    assert_eq!(standin.jwks_fetches(), 1, "one fetch for 16 tasks");
}

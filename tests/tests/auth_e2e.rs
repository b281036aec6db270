//! `authenticate` end to end over 127.0.0.1: the stand-in serves `/v1/jwks`; the blocking and
//! async clients fetch it through their normal request path, cache it, and refresh it once
//! for many callers.

use std::sync::{Arc, Barrier};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clerk_backend_core::auth::{AuthOptions, JwksCache, PublicKey, Reason};
use clerk_backend_core::{Config, RetryPolicy};
use clerk_backend_testkit::users::UsersStandIn;
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
    let key = PublicKey::from_pem(TestKey::a().public_pem()).expect("test PEM");
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

mod machine {
    use super::*;
    use clerk_backend_core::auth::{Caller, TokenType};
    use clerk_backend_testkit::machine::{
        api_key_object, m2m_token_object, oauth_access_token_object, oauth_inactive_answer,
    };

    fn standin() -> UsersStandIn {
        let standin = UsersStandIn::new(SECRET);
        standin.add_m2m_token("mt_valid", m2m_token_object("mt_1", "mch_1", &["mch_2"]));
        let mut revoked = m2m_token_object("mt_2", "mch_1", &[]);
        revoked["revoked"] = serde_json::json!(true);
        standin.add_m2m_token("mt_revoked", revoked);
        standin.add_api_key("ak_valid", api_key_object("ak_1", "ci", "org_9", &["read"]));
        standin.add_oauth_access_token(
            "oat_valid",
            oauth_access_token_object("oat_1", "user_7", "client_3", &["profile"]),
        );
        standin.add_oauth_access_token("oat_inactive", oauth_inactive_answer());
        standin
    }

    fn any() -> AuthOptions {
        AuthOptions::new().accepts_any()
    }

    #[test]
    fn blocking_client_verifies_each_kind_through_the_api() {
        let standin = standin();
        let server = standin.serve().expect("stand-in starts");
        let client = clerk_backend_ureq::Client::new(config(&server.url()));

        let status = client.authenticate(&bearer("mt_valid"), &any());
        match status.caller() {
            Some(Caller::M2m(m2m)) => {
                assert_eq!(m2m.machine_id, "mch_1");
                assert_eq!(m2m.scopes, ["mch_2"]);
            }
            other => panic!("not an M2M caller: {other:?}"),
        }
        match client.authenticate(&bearer("ak_valid"), &any()).caller() {
            Some(Caller::ApiKey(key)) => {
                assert_eq!(key.org_id.as_deref(), Some("org_9"));
                assert_eq!(key.user_id, None);
                assert_eq!(key.name, "ci");
            }
            other => panic!("not an API key caller: {other:?}"),
        }
        match client.authenticate(&bearer("oat_valid"), &any()).caller() {
            Some(Caller::Oauth(oauth)) => {
                assert_eq!(
                    (oauth.user_id.as_str(), oauth.client_id.as_str()),
                    ("user_7", "client_3")
                );
            }
            other => panic!("not an OAuth caller: {other:?}"),
        }
        let reason = |token: &str, options: &AuthOptions| {
            client.authenticate(&bearer(token), options).reason()
        };
        assert_eq!(reason("mt_revoked", &any()), Some(Reason::TokenRevoked));
        assert_eq!(reason("oat_inactive", &any()), Some(Reason::TokenInactive));
        assert_eq!(reason("mt_unknown", &any()), Some(Reason::TokenInvalid));
        let calls = standin.verify_calls();
        // Not accepted: refused before any request.
        let only_sessions = AuthOptions::new();
        assert_eq!(
            reason("mt_valid", &only_sessions),
            Some(Reason::TokenTypeMismatch {
                found: TokenType::M2mToken
            })
        );
        let m2m_only = AuthOptions::new().accepts(TokenType::M2mToken);
        assert_eq!(
            reason("ak_valid", &m2m_only),
            Some(Reason::TokenTypeMismatch {
                found: TokenType::ApiKey
            })
        );
        assert_eq!(
            standin.verify_calls(),
            calls,
            "no verify call for a kind not accepted"
        );
    }

    #[test]
    fn a_wrong_secret_key_is_secret_key_invalid() {
        let standin = standin();
        let server = standin.serve().expect("stand-in starts");
        let wrong = Config::new("sk_test_wrong")
            .and_then(|c| c.with_base_url(&server.url()))
            .expect("config");
        let client = clerk_backend_ureq::Client::new(wrong);
        let status = client.authenticate(&bearer("ak_valid"), &any());
        assert_eq!(status.reason(), Some(Reason::SecretKeyInvalid));
        assert_eq!(status.token_type(), TokenType::ApiKey);
    }

    #[test]
    fn a_machine_secret_key_verifies_m2m_tokens_only() {
        let standin = standin();
        standin.set_machine_secret_key("ak_machine_e2e");
        let server = standin.serve().expect("stand-in starts");
        let config = Config::machine("ak_machine_e2e")
            .and_then(|c| c.with_base_url(&server.url()))
            .expect("machine config");
        let client = clerk_backend_ureq::Client::new(config);
        let status = client.authenticate(&bearer("mt_valid"), &any());
        assert!(status.is_signed_in(), "{status:?}");
        // An API key needs the instance secret key to verify: refused before any request.
        let calls = standin.verify_calls();
        let status = client.authenticate(&bearer("ak_valid"), &any());
        assert_eq!(status.reason(), Some(Reason::TokenVerificationFailed));
        assert_eq!(standin.verify_calls().api_keys, calls.api_keys);
    }

    #[tokio::test]
    async fn async_client_verifies_through_the_api() {
        let standin = standin();
        let server = standin.serve().expect("stand-in starts");
        let client =
            clerk_backend_async::Client::new(config(&server.url())).expect("client builds");
        let status = client.authenticate(&bearer("ak_valid"), &any()).await;
        assert_eq!(status.token_type(), TokenType::ApiKey);
        assert!(status.is_signed_in(), "{status:?}");
        let status = client.authenticate(&bearer("mt_revoked"), &any()).await;
        assert_eq!(status.reason(), Some(Reason::TokenRevoked));
        assert_eq!(standin.verify_calls().api_keys, 1);
        assert_eq!(standin.verify_calls().m2m_tokens, 1);
    }
}

//! The kit used as a user would: a request handler of "their" app authenticates callers with
//! the blocking client, and the tests feed it tokens from the kit.

// Helpers outside #[test] functions may panic too: this whole file is a test.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::{Duration, SystemTime};

use clerk_backend_core::Config;
use clerk_backend_core::auth::{
    Algorithm, AuthOptions, Caller, Has, Reason, SessionStatus, TokenType, verify_session_token,
};
use clerk_backend_testkit::machine::m2m_token_object;
use clerk_backend_testkit::tokens::{
    ClaimsVersion, DEFAULT_AUTHORIZED_PARTY, M2mToken, OauthToken, Organization, SessionToken,
    TestKey,
};
use clerk_backend_testkit::{TestClock, TestInstance};
use clerk_backend_ureq::Client;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The app under test: `GET /invoices` needs a signed-in user whose organization grants
/// `org:invoices:read`.
fn invoices_handler(client: &Client, request: &http::Request<Vec<u8>>) -> http::Response<String> {
    let options = AuthOptions::new().authorized_party(DEFAULT_AUTHORIZED_PARTY);
    respond(client.authenticate(request.headers(), &options))
}

/// Another endpoint of the app, for machines only: `GET /internal/invoices`.
fn machine_handler(client: &Client, request: &http::Request<Vec<u8>>) -> http::Response<String> {
    let options = AuthOptions::new().accepts(TokenType::M2mToken);
    respond(client.authenticate(request.headers(), &options))
}

fn respond(status: clerk_backend_core::auth::AuthStatus) -> http::Response<String> {
    let (code, body) = match status.caller() {
        Some(Caller::Session(session))
            if session.has(&Has::new().permission("org:invoices:read")) =>
        {
            (200, format!("invoices of {}", session.user_id))
        }
        Some(Caller::Session(session)) => {
            (403, format!("{} may not read invoices", session.user_id))
        }
        Some(Caller::M2m(machine)) => (200, format!("invoices for {}", machine.machine_id)),
        Some(_) => (403, "not for this kind of caller".to_owned()),
        None => (
            401,
            status
                .reason()
                .map(|r| r.as_str().to_owned())
                .unwrap_or_default(),
        ),
    };
    let mut response = http::Response::new(body);
    *response.status_mut() = http::StatusCode::from_u16(code).unwrap_or_default();
    response
}

fn get_with_bearer(token: &str) -> http::Request<Vec<u8>> {
    http::Request::get("/invoices")
        .header("authorization", format!("Bearer {token}"))
        .body(Vec::new())
        .expect("a token is a header value")
}

/// A client that verifies with the kit's PEM key: no network at all.
fn offline_client() -> Client {
    let config = Config::new("sk_test_offline").expect("config");
    Client::builder(config)
        .jwt_key(TestKey::a().public_key().expect("the kit's key"))
        .build()
}

fn reader(user: &str) -> SessionToken {
    SessionToken::new(user).organization(
        Organization::new("org_acme")
            .slug("acme")
            .role("member")
            .permissions(["org:invoices:read", "org:reports:read"]),
    )
}

#[test]
fn a_handler_signs_in_a_session_with_the_pem_key() -> TestResult {
    let client = offline_client();
    let token = reader("user_reader").sign(&TestKey::a())?;
    let response = invoices_handler(&client, &get_with_bearer(&token));
    assert_eq!(response.status(), 200);
    assert_eq!(response.body(), "invoices of user_reader");

    // Without the permission: signed in, but forbidden.
    let token = SessionToken::new("user_guest")
        .organization(
            Organization::new("org_acme")
                .role("guest")
                .permission("org:reports:read"),
        )
        .sign(&TestKey::a())?;
    let response = invoices_handler(&client, &get_with_bearer(&token));
    assert_eq!(response.status(), 403);

    // Signed by a key the instance does not have.
    let forged = reader("user_reader").sign(&TestKey::b())?;
    let response = invoices_handler(&client, &get_with_bearer(&forged));
    assert_eq!(
        (response.status().as_u16(), response.body().as_str()),
        (401, "token-invalid-signature")
    );

    // Issued for another site.
    let elsewhere = reader("user_reader")
        .authorized_party("https://evil.example.test")
        .sign(&TestKey::a())?;
    let response = invoices_handler(&client, &get_with_bearer(&elsewhere));
    assert_eq!(response.status(), 401);
    Ok(())
}

#[test]
fn the_stand_in_serves_the_jwks_the_client_fetches() -> TestResult {
    let instance = TestInstance::builder()
        .key(TestKey::b())
        .key(TestKey::a())
        .start()?;
    let client = Client::new(instance.config()?);
    assert_eq!(instance.key(), &TestKey::b());
    let options = AuthOptions::new().authorized_party(DEFAULT_AUTHORIZED_PARTY);
    for key in [TestKey::a(), TestKey::b()] {
        let token = SessionToken::new("user_jwks").sign(&key)?;
        let status = client.authenticate_token(&token, &options);
        assert_eq!(
            status.session().map(|s| s.user_id.as_str()),
            Some("user_jwks"),
            "{:?}",
            status.reason()
        );
    }
    assert_eq!(
        instance.standin().jwks_fetches(),
        1,
        "one fetch, then the cache"
    );
    // The same handler works against the stand-in's JWKS.
    let token = reader("user_reader").sign(instance.key())?;
    assert_eq!(
        invoices_handler(&client, &get_with_bearer(&token)).status(),
        200
    );
    Ok(())
}

#[test]
fn an_org_token_carries_role_permissions_features_and_plans() -> TestResult {
    let key = TestKey::a();
    let now = SystemTime::now();
    let token = SessionToken::new("user_admin")
        .organization(
            Organization::new("org_1")
                .slug("acme")
                .role("admin")
                .permissions(["org:teams:manage", "org:teams:read", "org:billing:read"]),
        )
        .feature("u:export")
        .plan("o:pro")
        .factor_verification_age(2, 3)
        .actor("user_support")
        .claim("email", "admin@example.test")
        .issued_at(now)
        .sign(&key)?;
    let claims = verify_session_token(&token, &key.public_key()?, &AuthOptions::new(), now)?;
    let org = claims.organization.as_ref().ok_or("no organization")?;
    assert_eq!(org.id, "org_1");
    assert_eq!(org.slug.as_deref(), Some("acme"));
    assert_eq!(org.role.as_deref(), Some("org:admin"));
    assert_eq!(
        org.permissions,
        ["org:teams:manage", "org:teams:read", "org:billing:read"]
    );
    assert!(claims.has(&Has::new().role("admin").permission("teams:manage")));
    assert!(claims.has(&Has::new().permission("org:billing:read")));
    assert!(!claims.has(&Has::new().permission("org:billing:manage")));
    assert!(claims.has(&Has::new().feature("user:export").plan("pro")));
    assert!(claims.has(&Has::new().feature("org:teams")));
    assert!(
        claims.has(&Has::new().reverification(clerk_backend_core::auth::Reverification::Strict))
    );
    assert_eq!(
        claims.actor.as_ref().map(|a| a.subject.as_str()),
        Some("user_support")
    );
    assert_eq!(
        claims.claim("email"),
        Some(&serde_json::json!("admin@example.test"))
    );
    assert_eq!(claims.version, 2);
    assert_eq!(claims.session_id.as_deref(), Some("sess_test"));

    // The v1 shape decodes to the same organization.
    let v1 = SessionToken::new("user_admin")
        .version(ClaimsVersion::V1)
        .organization(
            Organization::new("org_1")
                .slug("acme")
                .role("admin")
                .permissions(["org:teams:manage", "org:teams:read", "org:billing:read"]),
        )
        .issued_at(now)
        .sign(&key)?;
    let v1 = verify_session_token(&v1, &key.public_key()?, &AuthOptions::new(), now)?;
    assert_eq!(v1.version, 1);
    assert_eq!(v1.organization, claims.organization);
    Ok(())
}

#[test]
fn expiry_follows_the_test_clock() -> TestResult {
    let key = TestKey::a();
    let public = key.public_key()?;
    let clock = TestClock::new();
    let token = SessionToken::new("user_1").clock(&clock).sign(&key)?;
    assert!(verify_session_token(&token, &public, &AuthOptions::new(), clock.now()).is_ok());
    // 60 s of lifetime plus the default 5 s of skew still pass; a second more does not.
    clock.advance(Duration::from_secs(64));
    assert!(verify_session_token(&token, &public, &AuthOptions::new(), clock.now()).is_ok());
    clock.advance(Duration::from_secs(2));
    let error = verify_session_token(&token, &public, &AuthOptions::new(), clock.now())
        .err()
        .ok_or("an expired token verified")?;
    assert_eq!(error.reason(), Reason::TokenExpired);

    // The client reads the wall clock: a token from a clock two minutes behind is expired.
    let behind = TestClock::new();
    behind.rewind(Duration::from_secs(120));
    let stale = reader("user_reader").clock(&behind).sign(&key)?;
    let response = invoices_handler(&offline_client(), &get_with_bearer(&stale));
    assert_eq!(
        (response.status().as_u16(), response.body().as_str()),
        (401, "token-expired")
    );
    // And one from a clock a minute ahead is not valid yet.
    let ahead = TestClock::new();
    ahead.advance(Duration::from_secs(60));
    let early = reader("user_reader").clock(&ahead).sign(&key)?;
    let response = invoices_handler(&offline_client(), &get_with_bearer(&early));
    assert_eq!(response.status(), 401);
    Ok(())
}

#[test]
fn pending_sessions_and_other_algorithms() -> TestResult {
    let key = TestKey::a();
    let public = key.public_key()?;
    let now = SystemTime::now();
    let pending = SessionToken::new("user_1")
        .status("pending")
        .issued_at(now)
        .sign(&key)?;
    let refused = verify_session_token(&pending, &public, &AuthOptions::new(), now);
    assert_eq!(
        refused.err().map(|e| e.reason()),
        Some(Reason::SessionPending)
    );
    let accepted = verify_session_token(
        &pending,
        &public,
        &AuthOptions::new().accept_pending_sessions(true),
        now,
    )?;
    assert_eq!(accepted.status, SessionStatus::Pending);

    for algorithm in [Algorithm::Rs256, Algorithm::Rs384, Algorithm::Rs512] {
        let token = SessionToken::new("user_1")
            .algorithm(algorithm)
            .issued_at(now)
            .sign(&key)?;
        assert!(verify_session_token(&token, &public, &AuthOptions::new(), now).is_ok());
    }
    Ok(())
}

#[test]
fn m2m_and_oauth_jwts_sign_in_their_callers() -> TestResult {
    let client = offline_client();
    let key = TestKey::a();
    let token = M2mToken::new("mch_billing")
        .scope("mch_invoices")
        .sign(&key);
    let response = machine_handler(&client, &get_with_bearer(&token));
    assert_eq!(response.body(), "invoices for mch_billing");
    // A session token is refused there, and an M2M token on the session endpoint.
    let session = reader("user_reader").sign(&key)?;
    assert_eq!(
        machine_handler(&client, &get_with_bearer(&session)).status(),
        401
    );
    assert_eq!(
        invoices_handler(&client, &get_with_bearer(&token)).status(),
        401
    );

    let options = AuthOptions::new().accepts(TokenType::OauthToken);
    let token = OauthToken::new("user_1", "client_app")
        .scope("profile")
        .scope("email")
        .sign(&key);
    let status = client.authenticate_token(&token, &options);
    let Some(Caller::Oauth(app)) = status.caller() else {
        return Err(format!("not an OAuth caller: {:?}", status.reason()).into());
    };
    assert_eq!(app.user_id, "user_1");
    assert_eq!(app.client_id, "client_app");
    assert_eq!(app.scopes, ["profile", "email"]);
    assert!(
        app.token_id
            .as_deref()
            .is_some_and(|id| id.starts_with("oat_"))
    );

    // An OAuth token is not a session: the session-only handler refuses it.
    let response = invoices_handler(&client, &get_with_bearer(&token));
    assert_eq!(response.status(), 401);
    // An expired M2M token is refused.
    let clock = TestClock::new();
    clock.rewind(Duration::from_secs(7200));
    let old = M2mToken::new("mch_billing").clock(&clock).sign(&key);
    let response = machine_handler(&client, &get_with_bearer(&old));
    assert_eq!(
        (response.status().as_u16(), response.body().as_str()),
        (401, "token-expired")
    );
    Ok(())
}

#[test]
fn opaque_machine_tokens_are_verified_by_the_stand_in() -> TestResult {
    let instance = TestInstance::start()?;
    instance.standin().add_m2m_token(
        "mt_opaque_test",
        m2m_token_object(
            "mt_0123456789abcdef0123456789abcdef",
            "mch_cron",
            &["mch_invoices"],
        ),
    );
    let client = Client::new(instance.config()?);
    let response = machine_handler(&client, &get_with_bearer("mt_opaque_test"));
    assert_eq!(response.body(), "invoices for mch_cron");
    let response = machine_handler(&client, &get_with_bearer("mt_unknown"));
    assert_eq!(response.status(), 401);
    assert_eq!(instance.standin().verify_calls().m2m_tokens, 2);
    Ok(())
}

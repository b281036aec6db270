//! The mock transports used as a user would: "their" code (a job paging through users, an
//! admin script, a request handler) runs on the blocking and the async client, answered by a
//! `MockApi` with no socket and no real waiting.

// Helpers outside #[test] functions may panic too: this whole file is a test.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clerk_backend_core::auth::{AuthOptions, Reason};
use clerk_backend_core::http::{Method, StatusCode};
use clerk_backend_core::jwks::GetJwks;
use clerk_backend_core::models::User;
use clerk_backend_core::users::{CreateUser, GetUser, GetUserList, GetUsersCount};
use clerk_backend_core::{Config, Error, TransportErrorKind};
use clerk_backend_testkit::TestClock;
use clerk_backend_testkit::mock::{Answer, AsyncMockTransport, MockApi, MockTransport};
use clerk_backend_testkit::tokens::{DEFAULT_AUTHORIZED_PARTY, SessionToken, TestKey};
use serde_json::json;

const SECRET: &str = "sk_test_mock_secret_never_printed";

fn blocking(mock: &MockApi) -> clerk_backend_ureq::Client<MockTransport> {
    clerk_backend_ureq::Client::with_transport(Config::new(SECRET).unwrap(), mock.transport())
}

fn asynchronous(mock: &MockApi) -> clerk_backend_async::Client<AsyncMockTransport> {
    clerk_backend_async::Client::with_transport(
        Config::new(SECRET).unwrap(),
        mock.async_transport(),
    )
}

fn user(id: &str, email: &str) -> User {
    let mut user = User::default();
    user.id = id.to_owned();
    user.object = "user".to_owned();
    user.first_name = Some(format!("First {id}"));
    let mut address = clerk_backend_core::models::EmailAddress::default();
    address.id = Some(format!("idn_{id}"));
    address.object = "email_address".to_owned();
    address.email_address = email.to_owned();
    user.email_addresses = vec![address];
    user
}

// ---------------------------------------------------------------------------------------
// "Their" code: what an application built on the SDK does.

/// A nightly job: every user's first email address, most recently active first.
fn export_emails(client: &clerk_backend_ureq::Client<MockTransport>) -> Result<Vec<String>, Error> {
    let list = GetUserList::new().limit(2).order_by("-last_active_at");
    client
        .pages(list)
        .map(|user| {
            Ok(user?
                .email_addresses
                .first()
                .map(|e| e.email_address.clone())
                .unwrap_or_default())
        })
        .collect()
}

async fn export_emails_async(
    client: &clerk_backend_async::Client<AsyncMockTransport>,
) -> Result<Vec<String>, Error> {
    let list = GetUserList::new().limit(2).order_by("-last_active_at");
    let mut pages = client.pages(list);
    let mut emails = Vec::new();
    while let Some(user) = pages.next().await {
        emails.push(
            user?
                .email_addresses
                .first()
                .map(|e| e.email_address.clone())
                .unwrap_or_default(),
        );
    }
    Ok(emails)
}

/// An admin script's step: create a user, and say plainly when the address is taken.
fn invite(
    client: &clerk_backend_ureq::Client<MockTransport>,
    email: &str,
) -> Result<String, String> {
    match client.send(&CreateUser::new().email_address([email]).first_name("Ada")) {
        Ok(user) => Ok(user.id),
        Err(e) if e.code() == Some("form_identifier_exists") => {
            Err(format!("{email} already has an account"))
        }
        Err(e) => Err(format!("failed: {e}")),
    }
}

async fn invite_async(
    client: &clerk_backend_async::Client<AsyncMockTransport>,
    email: &str,
) -> Result<String, String> {
    match client
        .send(&CreateUser::new().email_address([email]).first_name("Ada"))
        .await
    {
        Ok(user) => Ok(user.id),
        Err(e) if e.code() == Some("form_identifier_exists") => {
            Err(format!("{email} already has an account"))
        }
        Err(e) => Err(format!("failed: {e}")),
    }
}

// ---------------------------------------------------------------------------------------
// Paging.

fn script_two_pages(mock: &MockApi) {
    mock.on::<GetUserList>()
        .query_param("offset", "2")
        .returns(&vec![user("user_3", "c@example.com")]);
    mock.on::<GetUserList>()
        .matching(|request| request.query_param("offset").is_none())
        .returns(&vec![
            user("user_1", "a@example.com"),
            user("user_2", "b@example.com"),
        ]);
}

fn assert_two_pages(mock: &MockApi) {
    let pages = mock.assert_called::<GetUserList>(2);
    let offsets: Vec<Option<String>> = pages.iter().map(|r| r.query_param("offset")).collect();
    assert_eq!(offsets, [None, Some("2".to_owned())]);
    assert!(
        pages
            .iter()
            .all(|r| r.query_param("limit").as_deref() == Some("2"))
    );
    assert!(
        pages
            .iter()
            .all(|r| r.query_param("order_by").as_deref() == Some("-last_active_at"))
    );
    mock.assert_all_matched();
}

#[test]
fn a_job_pages_through_users_blocking() {
    let mock = MockApi::new();
    script_two_pages(&mock);
    let emails = export_emails(&blocking(&mock)).unwrap();
    assert_eq!(emails, ["a@example.com", "b@example.com", "c@example.com"]);
    assert_two_pages(&mock);
}

#[tokio::test(flavor = "current_thread")]
async fn a_job_pages_through_users_async() {
    let mock = MockApi::new();
    script_two_pages(&mock);
    let emails = export_emails_async(&asynchronous(&mock)).await.unwrap();
    assert_eq!(emails, ["a@example.com", "b@example.com", "c@example.com"]);
    assert_two_pages(&mock);
}

// ---------------------------------------------------------------------------------------
// An admin script and Clerk's errors.

fn script_signups(mock: &MockApi) {
    mock.on::<CreateUser>()
        .matching(|r| {
            r.body_json()
                .is_some_and(|b| b["email_address"] == json!(["taken@example.com"]))
        })
        .respond(Answer::clerk_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_identifier_exists",
            "That email address is taken. Please try another.",
        ));
    mock.on::<CreateUser>()
        .returns(&user("user_new", "new@example.com"));
}

fn assert_signups(mock: &MockApi) {
    let sent = mock.assert_called::<CreateUser>(2);
    assert_eq!(
        sent[0].body_json(),
        Some(json!({"email_address": ["new@example.com"], "first_name": "Ada"}))
    );
    assert_eq!(sent[0].header("content-type"), Some("application/json"));
    assert_eq!(
        sent[0].header("authorization"),
        Some(format!("Bearer {SECRET}").as_str())
    );
    mock.assert_body_json::<CreateUser>(
        json!({"first_name": "Ada", "email_address": ["taken@example.com"]}),
    );
    mock.assert_not_called::<GetUser>();
    // What the kit prints never holds the secret key.
    let printed = format!("{:?} {}", mock.requests(), sent[0]);
    assert!(printed.contains("/v1/users"), "{printed}");
    assert!(!printed.contains(SECRET), "{printed}");
}

#[test]
fn an_admin_script_handles_a_taken_address_blocking() {
    let mock = MockApi::new();
    script_signups(&mock);
    let client = blocking(&mock);
    assert_eq!(
        invite(&client, "new@example.com"),
        Ok("user_new".to_owned())
    );
    assert_eq!(
        invite(&client, "taken@example.com"),
        Err("taken@example.com already has an account".to_owned())
    );
    assert_signups(&mock);
}

#[tokio::test(flavor = "current_thread")]
async fn an_admin_script_handles_a_taken_address_async() {
    let mock = MockApi::new();
    script_signups(&mock);
    let client = asynchronous(&mock);
    assert_eq!(
        invite_async(&client, "new@example.com").await,
        Ok("user_new".to_owned())
    );
    assert_eq!(
        invite_async(&client, "taken@example.com").await,
        Err("taken@example.com already has an account".to_owned())
    );
    assert_signups(&mock);
}

#[test]
fn the_error_answer_reads_as_clerks() {
    let mock = MockApi::new();
    mock.on::<GetUser>().respond(Answer::clerk_error(
        StatusCode::NOT_FOUND,
        "resource_not_found",
        "not found",
    ));
    let error = blocking(&mock).send(&GetUser::new("user_1")).unwrap_err();
    let api = error.as_api().expect("an API error");
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.errors[0].message, "not found");
    assert_eq!(api.clerk_trace_id.as_deref(), Some("mock_trace"));
}

// ---------------------------------------------------------------------------------------
// Rate limits and retries, on the test clock.

fn script_rate_limit(mock: &MockApi) {
    mock.on::<GetUser>()
        .path_param("user_id", "user_1")
        .respond(Answer::rate_limited(Duration::from_secs(7)))
        .then(Answer::json(&user("user_1", "a@example.com")));
}

fn assert_waited_on_the_clock(mock: &MockApi, started: SystemTime, real: Instant) {
    mock.assert_called::<GetUser>(2);
    let sleeps = mock.sleeps();
    assert_eq!(sleeps.len(), 1, "{sleeps:?}");
    assert!(
        sleeps[0] >= Duration::from_secs(7),
        "the Retry-After wait: {sleeps:?}"
    );
    assert_eq!(
        mock.clock().now().duration_since(started).unwrap(),
        sleeps[0]
    );
    assert!(real.elapsed() < Duration::from_secs(5), "no real waiting");
}

#[test]
fn a_429_is_retried_after_its_retry_after_instantly_blocking() {
    let mock = MockApi::new();
    script_rate_limit(&mock);
    let (started, real) = (mock.clock().now(), Instant::now());
    let found = blocking(&mock).send(&GetUser::new("user_1")).unwrap();
    assert_eq!(found.id, "user_1");
    assert_waited_on_the_clock(&mock, started, real);
}

#[tokio::test(flavor = "current_thread")]
async fn a_429_is_retried_after_its_retry_after_instantly_async() {
    let mock = MockApi::new();
    script_rate_limit(&mock);
    let (started, real) = (mock.clock().now(), Instant::now());
    let found = asynchronous(&mock)
        .send(&GetUser::new("user_1"))
        .await
        .unwrap();
    assert_eq!(found.id, "user_1");
    assert_waited_on_the_clock(&mock, started, real);
}

#[test]
fn sequences_and_limits() {
    let mock = MockApi::new();
    let flaky = mock
        .on::<GetUser>()
        .respond(Answer::status(StatusCode::SERVICE_UNAVAILABLE))
        .then(Answer::json(&user("user_1", "a@example.com")))
        .times(2);
    let client = blocking(&mock);
    // 503 then 200: the client retries the read by itself.
    assert_eq!(client.send(&GetUser::new("user_1")).unwrap().id, "user_1");
    flaky.assert_calls(2);
    assert_eq!(flaky.requests().len(), 2);
    // Its two answers are spent: the next request matches nothing.
    let error = client.send(&GetUser::new("user_1")).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("no mock answers GET /v1/users/user_1"),
        "{error}"
    );

    // A refused connection is retried even for a POST; a timeout is not.
    mock.on::<CreateUser>()
        .respond(Answer::connect_refused())
        .once();
    mock.on::<CreateUser>().respond(Answer::timeout()).once();
    mock.on::<CreateUser>()
        .returns(&user("user_2", "b@example.com"));
    let error = client.send(&CreateUser::new()).unwrap_err();
    assert!(
        matches!(&error, Error::Transport(t) if t.kind == TransportErrorKind::Timeout),
        "{error:?}"
    );
    assert_eq!(mock.requests_to::<CreateUser>().len(), 2);
    assert_eq!(client.send(&CreateUser::new()).unwrap().id, "user_2");
}

// ---------------------------------------------------------------------------------------
// Bodies the client cannot read, and requests nobody expected.

#[test]
fn a_malformed_body_is_a_decode_error() {
    let mock = MockApi::new();
    mock.on::<GetUser>().respond(Answer::malformed());
    mock.on::<GetUsersCount>().respond(Answer::json(
        &json!({"object": "total_count", "total_count": "many"}),
    ));
    let client = blocking(&mock);
    let error = client.send(&GetUser::new("user_1")).unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    let error = client.send(&GetUsersCount::new()).unwrap_err();
    let Error::Decode(decode) = error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.path, "total_count");
    // `/users/count` is GetUsersCount, never GetUser.
    mock.assert_called_once::<GetUsersCount>();
    mock.assert_called_once::<GetUser>();
}

#[tokio::test(flavor = "current_thread")]
async fn a_malformed_body_is_a_decode_error_async() {
    let mock = MockApi::new();
    mock.on::<GetUser>()
        .respond(Answer::json_text(r#"{"id": 7}"#));
    let error = asynchronous(&mock)
        .send(&GetUser::new("user_1"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}

fn assert_loud(error: &Error) {
    assert!(
        matches!(error, Error::Transport(t) if t.kind == TransportErrorKind::Other),
        "{error:?}"
    );
    let message = error.to_string();
    for expected in [
        "no mock answers POST /v1/users",
        "(CreateUser)",
        r#""first_name":"Ada""#,
        "GetUser GET /users/{user_id}, user_id = \"user_1\"",
        "GET /v1/jwks",
    ] {
        assert!(
            message.contains(expected),
            "{expected:?} missing from: {message}"
        );
    }
    assert!(!message.contains(SECRET), "{message}");
}

fn script_unrelated(mock: &MockApi) {
    mock.on::<GetUser>()
        .path_param("user_id", "user_1")
        .returns(&user("user_1", "a@example.com"));
    mock.on_request(Method::GET, "/v1/jwks")
        .respond(Answer::json_text(TestKey::a().jwks_json()));
}

fn assert_verify_fails(mock: &MockApi) {
    let failure = catch_unwind(AssertUnwindSafe(|| mock.assert_all_matched())).unwrap_err();
    let message = failure.downcast_ref::<String>().expect("a message");
    assert!(
        message.contains("1 request(s) matched no mock: POST /v1/users"),
        "{message}"
    );
    assert!(message.contains("[no mock]"), "{message}");
    assert!(!message.contains(SECRET), "{message}");
    assert_eq!(mock.unmatched().len(), 1);
}

#[test]
fn an_unmatched_request_fails_loudly_blocking() {
    let mock = MockApi::new();
    script_unrelated(&mock);
    // The app swallows the error: the final check still fails the test.
    let swallowed = invite(&blocking(&mock), "x@example.com");
    assert!(swallowed.is_err());
    let error = blocking(&mock)
        .send(&CreateUser::new().first_name("Ada"))
        .unwrap_err();
    assert_loud(&error);
    assert_eq!(mock.unmatched().len(), 2);
    // One request, not retried.
    let fresh = MockApi::new();
    script_unrelated(&fresh);
    let error = blocking(&fresh)
        .send(&CreateUser::new().first_name("Ada"))
        .unwrap_err();
    assert_loud(&error);
    assert_verify_fails(&fresh);
}

#[tokio::test(flavor = "current_thread")]
async fn an_unmatched_request_fails_loudly_async() {
    let mock = MockApi::new();
    script_unrelated(&mock);
    let error = asynchronous(&mock)
        .send(&CreateUser::new().first_name("Ada"))
        .await
        .unwrap_err();
    assert_loud(&error);
    assert_verify_fails(&mock);
}

#[test]
fn a_strict_mock_checks_when_dropped() {
    // Everything answered: dropping is quiet.
    let mock = MockApi::new().verify_on_drop();
    script_unrelated(&mock);
    blocking(&mock).send(&GetUser::new("user_1")).unwrap();
    drop(mock);

    // An unmatched request swallowed by the code under test: the drop of the last clone
    // (here the client's transport) fails the test.
    let failure = catch_unwind(AssertUnwindSafe(|| {
        let mock = MockApi::new().verify_on_drop();
        let client = blocking(&mock);
        drop(mock);
        let _ = invite(&client, "x@example.com");
    }))
    .unwrap_err();
    let message = failure.downcast_ref::<String>().unwrap();
    assert!(
        message.contains("dropped after 1 request(s) that matched no mock: POST /v1/users"),
        "{message}"
    );

    // Not on drop by default.
    let mock = MockApi::new();
    let _ = invite(&blocking(&mock), "x@example.com");
    drop(mock);
}

#[test]
fn assertion_failures_show_what_was_sent() {
    let mock = MockApi::new();
    script_unrelated(&mock);
    blocking(&mock).send(&GetUser::new("user_1")).unwrap();
    let failure = catch_unwind(AssertUnwindSafe(|| {
        mock.assert_body_json::<GetUser>(json!({"never": "sent"}));
    }))
    .unwrap_err();
    let message = failure.downcast_ref::<String>().unwrap();
    assert!(
        message.contains("1. GET /v1/users/user_1 (GetUser)"),
        "{message}"
    );
    let failure = catch_unwind(AssertUnwindSafe(|| {
        mock.assert_called::<CreateUser>(1);
    }))
    .unwrap_err();
    let message = failure.downcast_ref::<String>().unwrap();
    assert!(
        message.contains("expected 1 request(s) to CreateUser (POST /users), got 0"),
        "{message}"
    );
    assert!(
        message.contains("mocks:\n  GetUser GET /users/{user_id}"),
        "{message}"
    );
}

// ---------------------------------------------------------------------------------------
// Authenticating requests, keys from the JWKS the mock serves, time from the test clock.

/// A clock far from the wall clock: a token signed on it is expired (or not yet valid) for
/// anything reading the system time, so only the mock's clock can accept it.
fn old_clock() -> TestClock {
    TestClock::at(UNIX_EPOCH + Duration::from_secs(1_600_000_000))
}

fn script_jwks(mock: &MockApi) -> String {
    let key = TestKey::a();
    mock.on::<GetJwks>()
        .respond(Answer::json_text(key.jwks_json()))
        .once();
    SessionToken::new("user_1")
        .clock(mock.clock())
        .sign(&key)
        .unwrap()
}

#[test]
fn authenticate_fetches_the_jwks_from_the_mock_and_reads_its_clock_blocking() {
    let mock = MockApi::with_clock(old_clock());
    let token = script_jwks(&mock);
    let client = blocking(&mock);
    let options = AuthOptions::new().authorized_party(DEFAULT_AUTHORIZED_PARTY);
    let status = client.authenticate_token(&token, &options);
    assert_eq!(
        status.session().map(|s| s.user_id.as_str()),
        Some("user_1"),
        "{:?}",
        status.reason()
    );
    let fetch = mock.assert_called_once::<GetJwks>();
    assert_eq!(fetch.path(), "/v1/jwks");
    // Two minutes later on the test clock the token has expired; the keys stay cached.
    mock.clock().advance(Duration::from_secs(120));
    let status = client.authenticate_token(&token, &options);
    assert_eq!(status.reason(), Some(Reason::TokenExpired));
    mock.assert_called_once::<GetJwks>();
    mock.assert_all_matched();
}

#[tokio::test(flavor = "current_thread")]
async fn authenticate_fetches_the_jwks_from_the_mock_and_reads_its_clock_async() {
    let mock = MockApi::with_clock(old_clock());
    let token = script_jwks(&mock);
    let client = asynchronous(&mock);
    let options = AuthOptions::new().authorized_party(DEFAULT_AUTHORIZED_PARTY);
    let status = client.authenticate_token(&token, &options).await;
    assert_eq!(
        status.session().map(|s| s.user_id.as_str()),
        Some("user_1"),
        "{:?}",
        status.reason()
    );
    mock.clock().advance(Duration::from_secs(120));
    let status = client.authenticate_token(&token, &options).await;
    assert_eq!(status.reason(), Some(Reason::TokenExpired));
    mock.assert_called_once::<GetJwks>();
    mock.assert_all_matched();
}

#[test]
fn clones_share_the_script_across_threads() {
    let mock = MockApi::new();
    mock.on::<GetUser>()
        .returns(&user("user_1", "a@example.com"));
    let client = blocking(&mock);
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let client = client.clone();
            std::thread::spawn(move || client.send(&GetUser::new("user_1")).map(|u| u.id))
        })
        .collect();
    for worker in workers {
        assert_eq!(worker.join().unwrap().unwrap(), "user_1");
    }
    client.transport().api().assert_called::<GetUser>(4);
}

//! The end-to-end scenarios every client must pass, written once and run against each
//! transport through [`Harness`] (see `tests/tests/ureq_e2e.rs`).
//!
//! Each scenario starts a scripted server on 127.0.0.1, sends through the client under test,
//! and asserts both what the server received and what the client returned.

use std::time::{Duration, Instant};

use clerk_backend_core::m2m_tokens::{CreateM2mToken, VerifyM2mToken};
use clerk_backend_core::users::{
    CreateUser, DeleteUser, GetUser, GetUserList, SetUserProfileImage, UpdateUser, UsersBan,
};
use clerk_backend_core::{
    Config, Endpoint, Error, FilePart, Paginated, RetryPolicy, TransportErrorKind,
};
use serde_json::{Value, json};

use crate::{Scripted, TEST_KEY, clerk_error, json, raw, user_json};

/// Client settings a scenario may change.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The retry policy.
    pub retry: RetryPolicy,
    /// The response-body limit, when the scenario sets one.
    pub max_body_bytes: Option<u64>,
}

impl Settings {
    /// Short retry waits so that scenarios stay quick.
    pub fn fast() -> Self {
        Self {
            retry: crate::fast_retries(),
            max_body_bytes: None,
        }
    }
}

/// A client under test, seen through the operations the scenarios need.
pub trait Harness: Sized {
    /// Builds the client.
    fn make(config: Config, settings: Settings) -> Self;
    /// Sends one operation.
    fn send<E: Endpoint + Sync>(&self, endpoint: &E) -> Result<E::Output, Error>;
    /// Sends one operation and returns the raw JSON.
    fn send_raw<E: Endpoint + Sync>(&self, endpoint: &E) -> Result<Value, Error>;
    /// Walks every page of a list operation and returns what the iteration yielded.
    fn collect_pages<E>(&self, endpoint: E) -> Vec<Result<E::Item, Error>>
    where
        E: Paginated + Send + Sync + 'static,
        E::Item: Send;
}

fn user(id: &str) -> http::Response<Vec<u8>> {
    json(200, &user_json(id, "Ada").to_string())
}

fn body_json(request: &http::Request<Vec<u8>>) -> Value {
    serde_json::from_slice(request.body()).expect("request body is JSON")
}

/// Scenario `every_request_carries_auth_version_and_user_agent`.
pub fn every_request_carries_auth_version_and_user_agent<H: Harness>() {
    let server = Scripted::start(vec![user("user_1")]);
    let got = H::make(server.config(), Settings::fast())
        .send(&GetUser::new("user_1"))
        .expect("user");
    assert_eq!(got.id, "user_1");
    let requests = server.requests();
    let headers = requests[0].headers();
    assert_eq!(
        headers["authorization"],
        format!("Bearer {TEST_KEY}").as_str()
    );
    assert_eq!(headers["clerk-api-version"], "2026-05-12");
    let agent = headers["user-agent"].to_str().unwrap();
    assert!(agent.starts_with("clerk-backend-core/"), "{agent}");
    assert_eq!(requests[0].uri().path(), "/v1/users/user_1");
    assert_eq!(requests[0].method(), http::Method::GET);
    assert!(
        headers.get("content-type").is_none(),
        "no body, no content type"
    );
}

/// The machine secret key the machine scenarios use.
const MACHINE_KEY: &str = "ak_loopback_machine_0123456789";

/// Scenario `machine_key_authorizes_m2m_operations_only`: a client configured with only a
/// machine secret key sends `createM2MToken` with it (whole seconds as an integer), and refuses
/// an operation it cannot authorize without sending anything.
pub fn machine_key_authorizes_m2m_operations_only<H: Harness>() {
    let server = Scripted::start(vec![json(
        201,
        r#"{"object":"machine_to_machine_token","id":"mt_1","subject":"mch_1","token":"mt_secret"}"#,
    )]);
    let config = Config::machine(MACHINE_KEY)
        .and_then(|c| c.with_base_url(&server.url()))
        .expect("machine config");
    let client = H::make(config, Settings::fast());
    match client.send(&GetUser::new("user_1")) {
        Err(Error::Config(e)) => {
            let text = e.to_string();
            assert!(text.contains("instance secret key"), "{text}");
            assert!(!text.contains("loopback"), "{text}");
        }
        other => panic!("expected a configuration error, got {other:?}"),
    }
    assert_eq!(server.count(), 0, "nothing may be sent");
    let token = client
        .send(&CreateM2mToken::new().seconds_until_expiration(60))
        .expect("token");
    assert_eq!(token.id, "mt_1");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].headers()["authorization"],
        format!("Bearer {MACHINE_KEY}").as_str()
    );
    assert_eq!(requests[0].uri().path(), "/v1/m2m_tokens");
    assert_eq!(requests[0].body(), br#"{"seconds_until_expiration":60}"#);
}

/// Scenario `machine_key_wins_for_m2m_operations_when_both_are_set`.
pub fn machine_key_wins_for_m2m_operations_when_both_are_set<H: Harness>() {
    let server = Scripted::start(vec![
        json(200, r#"{"object":"machine_to_machine_token","id":"mt_1"}"#),
        user("user_1"),
    ]);
    let config = server
        .config()
        .with_machine_secret_key(MACHINE_KEY)
        .expect("both keys");
    let client = H::make(config, Settings::fast());
    client.send(&VerifyM2mToken::new("mt_x")).expect("verified");
    client.send(&GetUser::new("user_1")).expect("user");
    let requests = server.requests();
    assert_eq!(
        requests[0].headers()["authorization"],
        format!("Bearer {MACHINE_KEY}").as_str()
    );
    assert_eq!(
        requests[1].headers()["authorization"],
        format!("Bearer {TEST_KEY}").as_str()
    );
}

/// Scenario `hostile_ids_arrive_as_one_segment`.
pub fn hostile_ids_arrive_as_one_segment<H: Harness>() {
    let ids = ["a/b", "a?b=c", "a#frag", "100%", "..a", "é😀", "a b"];
    let server = Scripted::with_fallback(vec![], |_| user("user_x"));
    let client = H::make(server.config(), Settings::fast());
    for id in ids {
        client.send(&GetUser::new(id)).expect("user");
    }
    for (id, request) in ids.iter().zip(server.requests()) {
        let path = request.uri().path().to_owned();
        let segment = path.strip_prefix("/v1/users/").expect("users path");
        assert!(!segment.contains('/'), "{path}");
        let decoded = percent_encoding::percent_decode_str(segment)
            .decode_utf8()
            .unwrap();
        assert_eq!(decoded, *id, "{path}");
        assert!(request.uri().query().is_none(), "{path}");
    }
}

/// Scenario `empty_and_dot_ids_are_refused_before_any_request`.
pub fn empty_and_dot_ids_are_refused_before_any_request<H: Harness>() {
    let server = Scripted::start(vec![]);
    let client = H::make(server.config(), Settings::fast());
    // Dot segments in any encoding, or inside the value: a decoding proxy could follow them.
    for id in [
        "",
        ".",
        "..",
        "a/../../organizations",
        "%2e%2e",
        "%252e%252e",
        "..\\",
    ] {
        match client.send(&DeleteUser::new(id)) {
            Err(Error::InvalidInput(e)) => assert_eq!(e.parameter, "user_id"),
            other => panic!("{id:?} gave {other:?}"),
        }
    }
    assert_eq!(server.count(), 0);
}

/// Scenario `query_arrays_repeat_the_key`.
pub fn query_arrays_repeat_the_key<H: Harness>() {
    let server = Scripted::start(vec![json(200, "[]")]);
    let list = GetUserList::new()
        .email_address(["a@x.io", "b+tag@x.io"])
        .user_id(["user_1", "-user_2"])
        .banned(false)
        .limit(20);
    let users = H::make(server.config(), Settings::fast())
        .send(&list)
        .expect("list");
    assert!(users.is_empty());
    let query = server.requests()[0].uri().query().unwrap_or("").to_owned();
    assert_eq!(
        query,
        "email_address=a%40x.io&email_address=b%2Btag%40x.io&user_id=user_1&user_id=-user_2&banned=false&limit=20"
    );
}

/// Scenario `patch_sends_null_to_clear_and_omits_what_is_unchanged`.
pub fn patch_sends_null_to_clear_and_omits_what_is_unchanged<H: Harness>() {
    let server = Scripted::start(vec![user("user_1")]);
    let update = UpdateUser::new("user_1")
        .first_name("Grace")
        .clear_username();
    H::make(server.config(), Settings::fast())
        .send(&update)
        .expect("updated");
    let request = &server.requests()[0];
    assert_eq!(request.method(), http::Method::PATCH);
    assert_eq!(request.headers()["content-type"], "application/json");
    assert_eq!(
        body_json(request),
        json!({"first_name": "Grace", "username": null})
    );
}

/// Scenario `create_and_bulk_bodies_are_exact_json`.
pub fn create_and_bulk_bodies_are_exact_json<H: Harness>() {
    let server = Scripted::start(vec![user("user_1"), json(200, "[]")]);
    let client = H::make(server.config(), Settings::fast());
    let create = CreateUser::new()
        .email_address(["ada@example.com"])
        .first_name("Ada")
        .public_metadata(json!({"plan": "pro", "seats": 3}));
    client.send(&create).expect("created");
    client
        .send(&UsersBan::new(["user_1", "user_2"]))
        .expect("banned");
    let requests = server.requests();
    assert_eq!(
        body_json(&requests[0]),
        json!({"email_address": ["ada@example.com"], "first_name": "Ada", "public_metadata": {"plan": "pro", "seats": 3}})
    );
    assert_eq!(
        body_json(&requests[1]),
        json!({"user_ids": ["user_1", "user_2"]})
    );
}

/// Scenario `metadata_that_is_not_an_object_is_refused`.
pub fn metadata_that_is_not_an_object_is_refused<H: Harness>() {
    let server = Scripted::start(vec![]);
    let create = CreateUser::new().public_metadata(json!(["not", "an", "object"]));
    match H::make(server.config(), Settings::fast()).send(&create) {
        Err(Error::InvalidInput(e)) => assert_eq!(e.parameter, "public_metadata"),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.count(), 0);
}

/// Scenario `profile_image_is_uploaded_as_multipart`.
pub fn profile_image_is_uploaded_as_multipart<H: Harness>() {
    let server = Scripted::start(vec![user("user_1")]);
    let png = b"\x89PNG\r\n\x1a\n fake image bytes \r\n--".to_vec();
    let file = FilePart::new(png.clone())
        .filename("avatar.png")
        .content_type("image/png");
    H::make(server.config(), Settings::fast())
        .send(&SetUserProfileImage::new("user_1", file))
        .expect("uploaded");
    let request = &server.requests()[0];
    assert_eq!(request.uri().path(), "/v1/users/user_1/profile_image");
    let content_type = request.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("multipart");
    let body = request.body();
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"avatar.png\"\r\nContent-Type: image/png\r\n\r\n"
    );
    assert!(body.starts_with(head.as_bytes()));
    let rest = &body[head.len()..];
    assert!(rest.starts_with(&png));
    assert_eq!(
        &rest[png.len()..],
        format!("\r\n--{boundary}--\r\n").as_bytes()
    );
}

/// Scenario `pages_walk_three_pages_with_the_cursor`.
pub fn pages_walk_three_pages_with_the_cursor<H: Harness>() {
    let page = |ids: &[&str]| {
        json(
            200,
            &Value::Array(ids.iter().map(|id| user_json(id, "A")).collect()).to_string(),
        )
    };
    let server = Scripted::start(vec![
        page(&["u1", "u2"]),
        page(&["u3", "u4"]),
        page(&["u5"]),
    ]);
    let client = H::make(server.config(), Settings::fast());
    let ids: Vec<String> = client
        .collect_pages(GetUserList::new().limit(2).email_address(["x@y.z"]))
        .into_iter()
        .map(|u| u.expect("user").id)
        .collect();
    assert_eq!(ids, ["u1", "u2", "u3", "u4", "u5"]);
    let queries: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.uri().query().unwrap_or("").to_owned())
        .collect();
    assert_eq!(
        queries,
        [
            "email_address=x%40y.z&limit=2",
            "email_address=x%40y.z&limit=2&starting_after=u2",
            "email_address=x%40y.z&limit=2&starting_after=u4",
        ]
    );
}

/// Scenario `pages_use_offsets_when_ordered_otherwise`.
pub fn pages_use_offsets_when_ordered_otherwise<H: Harness>() {
    let page = |ids: &[&str]| {
        json(
            200,
            &Value::Array(ids.iter().map(|id| user_json(id, "A")).collect()).to_string(),
        )
    };
    let server = Scripted::start(vec![
        page(&["u1", "u2", "u3"]),
        page(&["u4", "u5", "u6"]),
        page(&[]),
    ]);
    let count = H::make(server.config(), Settings::fast())
        .collect_pages(GetUserList::new().limit(3).order_by("-last_active_at"))
        .len();
    assert_eq!(count, 6);
    let queries: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.uri().query().unwrap_or("").to_owned())
        .collect();
    assert_eq!(
        queries,
        [
            "limit=3&order_by=-last_active_at",
            "limit=3&offset=3&order_by=-last_active_at",
            "limit=3&offset=6&order_by=-last_active_at",
        ]
    );
}

/// Scenario `a_failed_page_ends_the_iteration_with_the_error`.
pub fn a_failed_page_ends_the_iteration_with_the_error<H: Harness>() {
    let page = json(
        200,
        &Value::Array(vec![user_json("u1", "A"), user_json("u2", "B")]).to_string(),
    );
    let server = Scripted::start(vec![
        page,
        json(404, &clerk_error("resource_not_found", "gone", "gone", "t")),
    ]);
    let results =
        H::make(server.config(), Settings::fast()).collect_pages(GetUserList::new().limit(2));
    assert_eq!(results.len(), 3);
    assert!(matches!(results[2], Err(Error::Api(_))));
}

/// Scenario `rate_limit_waits_for_retry_after_then_succeeds`.
pub fn rate_limit_waits_for_retry_after_then_succeeds<H: Harness>() {
    let limited = || {
        let mut r = json(
            429,
            &clerk_error(
                "too_many_requests",
                "Too many requests",
                "slow down",
                "tr_429",
            ),
        );
        r.headers_mut()
            .insert("retry-after", http::HeaderValue::from_static("1"));
        r
    };
    let banned = Value::Array(vec![user_json("user_1", "Ada")]).to_string();
    let server = Scripted::start(vec![limited(), json(200, &banned)]);
    let started = Instant::now();
    // A POST: a 429 means the request was not processed, so even it is retried.
    let got = H::make(server.config(), Settings::fast())
        .send(&UsersBan::new(["user_1"]))
        .expect("retried after 429");
    let elapsed = started.elapsed();
    assert_eq!(got.len(), 1);
    assert_eq!(server.count(), 2, "one retry");
    assert!(
        elapsed >= Duration::from_secs(1),
        "Retry-After honoured: {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");

    let server = Scripted::start(vec![limited(), user("user_1")]);
    let got = H::make(server.config(), Settings::fast())
        .send(&GetUser::new("user_1"))
        .expect("second attempt succeeds");
    assert_eq!(got.id, "user_1");
    assert_eq!(server.count(), 2);
}

/// Scenario `rate_limit_storm_gives_up_with_the_api_error`.
pub fn rate_limit_storm_gives_up_with_the_api_error<H: Harness>() {
    let server = Scripted::with_fallback(vec![], |_| {
        let mut r = json(
            429,
            &clerk_error("too_many_requests", "Too many requests", "slow down", "tr"),
        );
        r.headers_mut()
            .insert("retry-after", http::HeaderValue::from_static("0"));
        r
    });
    match H::make(server.config(), Settings::fast()).send(&GetUser::new("user_1")) {
        Err(Error::Api(e)) => {
            assert_eq!(e.status, 429);
            assert_eq!(e.retry_after, Some(Duration::ZERO));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        server.count(),
        4,
        "the default policy makes 4 attempts in all"
    );
}

/// Scenario `unavailable_post_is_not_retried_but_get_is`.
pub fn unavailable_post_is_not_retried_but_get_is<H: Harness>() {
    let unavailable = || {
        json(
            503,
            &clerk_error("service_unavailable", "down", "down", "t"),
        )
    };
    let server = Scripted::start(vec![unavailable(), user("user_1")]);
    let result =
        H::make(server.config(), Settings::fast()).send(&CreateUser::new().first_name("Ada"));
    assert!(
        matches!(result, Err(Error::Api(ref e)) if e.status == 503),
        "{result:?}"
    );
    assert_eq!(
        server.count(),
        1,
        "a POST that may have been processed is not repeated"
    );

    let server = Scripted::start(vec![unavailable(), unavailable(), user("user_1")]);
    let got = H::make(server.config(), Settings::fast())
        .send(&GetUser::new("user_1"))
        .expect("third attempt succeeds");
    assert_eq!(got.id, "user_1");
    assert_eq!(server.count(), 3);

    let server = Scripted::with_fallback(vec![], move |_| unavailable());
    let result = H::make(server.config(), Settings::fast()).send(&GetUser::new("user_1"));
    assert!(matches!(result, Err(Error::Api(ref e)) if e.status == 503));
    assert_eq!(server.count(), 4, "bounded attempts");
}

/// Scenario `a_delete_that_may_have_happened_is_not_reported_as_404`.
pub fn a_delete_that_may_have_happened_is_not_reported_as_404<H: Harness>() {
    let bad_gateway = || {
        json(
            502,
            &clerk_error("bad_gateway", "bad gateway", "bad gateway", "t"),
        )
    };
    let gone = || {
        json(
            404,
            &clerk_error("resource_not_found", "not found", "not found", "t"),
        )
    };
    // The 502 may hide a delete that went through: a retry would answer 404 and the caller
    // would believe the delete failed. The 502 itself is returned, after one attempt.
    let server = Scripted::start(vec![bad_gateway(), gone()]);
    let result = H::make(server.config(), Settings::fast()).send(&DeleteUser::new("user_1"));
    assert!(
        matches!(result, Err(Error::Api(ref e)) if e.status == 502),
        "{result:?}"
    );
    assert_eq!(
        server.count(),
        1,
        "a maybe-processed DELETE is not repeated"
    );
    // A 429 was certainly not processed: the DELETE is sent again and succeeds.
    let limited = || {
        let mut response = json(429, &clerk_error("too_many_requests", "slow", "slow", "t"));
        response
            .headers_mut()
            .insert("retry-after", http::HeaderValue::from_static("0"));
        response
    };
    let deleted = json(200, r#"{"id":"user_1","object":"user","deleted":true}"#);
    let server = Scripted::start(vec![limited(), deleted]);
    let result = H::make(server.config(), Settings::fast()).send(&DeleteUser::new("user_1"));
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(
        server.count(),
        2,
        "a DELETE refused by the rate limit is retried"
    );
}

/// Scenario `not_found_and_unprocessable_are_api_errors`.
pub fn not_found_and_unprocessable_are_api_errors<H: Harness>() {
    let server = Scripted::start(vec![
        json(
            404,
            &clerk_error(
                "resource_not_found",
                "not found",
                "No user was found with id user_9",
                "trace_404",
            ),
        ),
        json(
            422,
            &clerk_error(
                "form_identifier_exists",
                "That email address is taken.",
                "That email address is taken. Please try another.",
                "trace_422",
            ),
        ),
    ]);
    let client = H::make(server.config(), Settings::fast());
    let Err(Error::Api(e)) = client.send(&GetUser::new("user_9")) else {
        panic!("expected 404")
    };
    assert_eq!(e.status, 404);
    assert_eq!(e.errors[0].code, "resource_not_found");
    assert_eq!(e.errors[0].message, "not found");
    assert_eq!(
        e.errors[0].long_message.as_deref(),
        Some("No user was found with id user_9")
    );
    assert_eq!(e.clerk_trace_id.as_deref(), Some("trace_404"));

    let err = client
        .send(&CreateUser::new().email_address(["a@b.c"]))
        .unwrap_err();
    assert_eq!(err.code(), Some("form_identifier_exists"));
    assert_eq!(err.status(), Some(http::StatusCode::UNPROCESSABLE_ENTITY));
    let text = err.to_string();
    assert!(
        text.contains("That email address is taken") && text.contains("trace_422"),
        "{text}"
    );
}

/// Scenario `malformed_answers_are_typed_errors`.
pub fn malformed_answers_are_typed_errors<H: Harness>() {
    let html = b"<html><body><h1>502 Bad Gateway</h1></body></html>";
    let truncated = {
        let mut r = user("user_1");
        r.headers_mut().insert(
            "x-standin-truncate-at",
            http::HeaderValue::from_static("40"),
        );
        r
    };
    let server = Scripted::start(vec![
        raw(502, "text/html", html),
        raw(200, "application/json", b""),
        raw(
            200,
            "application/json",
            br#"{"id":"user_1","object":"user","email_addresses":[{"id""#,
        ),
        truncated.clone(),
        truncated.clone(),
        truncated.clone(),
        truncated,
    ]);
    let client = H::make(
        server.config(),
        Settings {
            retry: RetryPolicy::never(),
            ..Settings::fast()
        },
    );

    let Err(Error::Api(e)) = client.send(&CreateUser::new()) else {
        panic!("html 502")
    };
    assert_eq!(e.status, 502);
    assert!(e.errors.is_empty());
    assert_eq!(e.body, html);

    let Err(Error::Decode(e)) = client.send(&GetUser::new("user_1")) else {
        panic!("empty 200")
    };
    assert_eq!(e.status, 200);
    assert!(e.body.is_empty());

    let Err(Error::Decode(e)) = client.send(&GetUser::new("user_1")) else {
        panic!("truncated JSON")
    };
    assert!(e.path.starts_with("email_addresses[0]"), "{}", e.path);
    assert!(e.body.starts_with(b"{\"id\""));

    // A body cut short on the wire (Content-Length larger than what arrives).
    match client.send(&GetUser::new("user_1")) {
        Err(Error::Transport(e)) => assert_eq!(e.kind, TransportErrorKind::Io, "{e}"),
        other => panic!("{other:?}"),
    }
}

/// Scenario `oversized_bodies_are_refused`.
pub fn oversized_bodies_are_refused<H: Harness>() {
    let big = format!(
        r#"{{"id":"user_1","object":"user","first_name":"{}"}}"#,
        "x".repeat(64 * 1024)
    );
    let server = Scripted::start(vec![json(200, &big)]);
    let client = H::make(
        server.config(),
        Settings {
            max_body_bytes: Some(16 * 1024),
            ..Settings::fast()
        },
    );
    match client.send(&GetUser::new("user_1")) {
        Err(Error::Transport(e)) => {
            assert_eq!(e.kind, TransportErrorKind::BodyTooLarge);
            assert!(e.to_string().contains("16384"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.count(), 1, "an oversized body is not retried");
}

/// Scenario `connection_refused_is_a_connect_error`.
pub fn connection_refused_is_a_connect_error<H: Harness>() {
    let url = {
        let server = Scripted::start(vec![]);
        server.url()
    };
    let config = clerk_backend_core::Config::new(TEST_KEY)
        .unwrap()
        .with_base_url(&url)
        .unwrap();
    let client = H::make(config, Settings::fast());
    match client.send(&GetUser::new("user_1")) {
        Err(Error::Transport(e)) => assert_eq!(e.kind, TransportErrorKind::Connect, "{e}"),
        other => panic!("{other:?}"),
    }
}

/// Scenario `raw_json_is_available_for_every_operation`.
pub fn raw_json_is_available_for_every_operation<H: Harness>() {
    let mut body = user_json("user_1", "Ada");
    body["brand_new_field"] = json!({"nested": [1, 2, 3]});
    let server = Scripted::start(vec![json(200, &body.to_string())]);
    let value = H::make(server.config(), Settings::fast())
        .send_raw(&GetUser::new("user_1"))
        .expect("raw");
    assert_eq!(value["brand_new_field"]["nested"][2], 3);
}

/// Scenario `redirects_are_not_followed`.
pub fn redirects_are_not_followed<H: Harness>() {
    let server = Scripted::start(vec![
        http::Response::builder()
            .status(307)
            .header("location", "http://127.0.0.1:9/elsewhere")
            .body(Vec::new())
            .unwrap(),
    ]);
    let err = H::make(server.config(), Settings::fast())
        .send(&GetUser::new("user_1"))
        .unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::TEMPORARY_REDIRECT));
    assert_eq!(server.count(), 1);
}

/// Expands to one `#[test]` per scenario for the given [`Harness`] type.
#[macro_export]
macro_rules! scenario_tests {
    ($harness:ty) => {
        #[test]
        fn every_request_carries_auth_version_and_user_agent() {
            $crate::scenarios::every_request_carries_auth_version_and_user_agent::<$harness>();
        }
        #[test]
        fn machine_key_authorizes_m2m_operations_only() {
            $crate::scenarios::machine_key_authorizes_m2m_operations_only::<$harness>();
        }
        #[test]
        fn machine_key_wins_for_m2m_operations_when_both_are_set() {
            $crate::scenarios::machine_key_wins_for_m2m_operations_when_both_are_set::<$harness>();
        }
        #[test]
        fn hostile_ids_arrive_as_one_segment() {
            $crate::scenarios::hostile_ids_arrive_as_one_segment::<$harness>();
        }
        #[test]
        fn empty_and_dot_ids_are_refused_before_any_request() {
            $crate::scenarios::empty_and_dot_ids_are_refused_before_any_request::<$harness>();
        }
        #[test]
        fn query_arrays_repeat_the_key() {
            $crate::scenarios::query_arrays_repeat_the_key::<$harness>();
        }
        #[test]
        fn patch_sends_null_to_clear_and_omits_what_is_unchanged() {
            $crate::scenarios::patch_sends_null_to_clear_and_omits_what_is_unchanged::<$harness>();
        }
        #[test]
        fn create_and_bulk_bodies_are_exact_json() {
            $crate::scenarios::create_and_bulk_bodies_are_exact_json::<$harness>();
        }
        #[test]
        fn metadata_that_is_not_an_object_is_refused() {
            $crate::scenarios::metadata_that_is_not_an_object_is_refused::<$harness>();
        }
        #[test]
        fn profile_image_is_uploaded_as_multipart() {
            $crate::scenarios::profile_image_is_uploaded_as_multipart::<$harness>();
        }
        #[test]
        fn pages_walk_three_pages_with_the_cursor() {
            $crate::scenarios::pages_walk_three_pages_with_the_cursor::<$harness>();
        }
        #[test]
        fn pages_use_offsets_when_ordered_otherwise() {
            $crate::scenarios::pages_use_offsets_when_ordered_otherwise::<$harness>();
        }
        #[test]
        fn a_failed_page_ends_the_iteration_with_the_error() {
            $crate::scenarios::a_failed_page_ends_the_iteration_with_the_error::<$harness>();
        }
        #[test]
        fn rate_limit_waits_for_retry_after_then_succeeds() {
            $crate::scenarios::rate_limit_waits_for_retry_after_then_succeeds::<$harness>();
        }
        #[test]
        fn rate_limit_storm_gives_up_with_the_api_error() {
            $crate::scenarios::rate_limit_storm_gives_up_with_the_api_error::<$harness>();
        }
        #[test]
        fn unavailable_post_is_not_retried_but_get_is() {
            $crate::scenarios::unavailable_post_is_not_retried_but_get_is::<$harness>();
        }
        #[test]
        fn a_delete_that_may_have_happened_is_not_reported_as_404() {
            $crate::scenarios::a_delete_that_may_have_happened_is_not_reported_as_404::<$harness>();
        }
        #[test]
        fn not_found_and_unprocessable_are_api_errors() {
            $crate::scenarios::not_found_and_unprocessable_are_api_errors::<$harness>();
        }
        #[test]
        fn malformed_answers_are_typed_errors() {
            $crate::scenarios::malformed_answers_are_typed_errors::<$harness>();
        }
        #[test]
        fn oversized_bodies_are_refused() {
            $crate::scenarios::oversized_bodies_are_refused::<$harness>();
        }
        #[test]
        fn connection_refused_is_a_connect_error() {
            $crate::scenarios::connection_refused_is_a_connect_error::<$harness>();
        }
        #[test]
        fn raw_json_is_available_for_every_operation() {
            $crate::scenarios::raw_json_is_available_for_every_operation::<$harness>();
        }
        #[test]
        fn redirects_are_not_followed() {
            $crate::scenarios::redirects_are_not_followed::<$harness>();
        }
    };
}

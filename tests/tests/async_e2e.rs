//! The shared end-to-end scenarios, run against the async client on its reqwest transport; plus
//! what only the async client has: transports written by a user, a `reqwest::Client` of the
//! user's own, the body limit on a body of unannounced length, and `Send` futures.

use std::collections::VecDeque;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clerk_backend_async::{
    Client, ClientBuilder, ReqwestTransport, Stream, Transport, from_fn, reqwest,
};
use clerk_backend_core::users::{BanUser, DeleteUser, GetUser, GetUserList, UsersBan};
use clerk_backend_core::{
    Config, Endpoint, Error, Paginated, RetryPolicy, TransportError, TransportErrorKind, http,
    serde_json,
};
use clerk_backend_tests::scenarios::{Harness, Settings};
use clerk_backend_tests::{Scripted, TEST_KEY, clerk_error, json, user_json};

/// The async client, driven to completion on a current-thread Tokio runtime of its own.
struct Async {
    runtime: tokio::runtime::Runtime,
    client: Client<ReqwestTransport>,
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn builder(config: Config, settings: Settings) -> ClientBuilder {
    let mut builder = Client::builder(config).retry_policy(settings.retry);
    if let Some(limit) = settings.max_body_bytes {
        builder = builder.max_body_bytes(limit);
    }
    builder
}

/// Every item a stream yields, read through the `Stream` trait alone.
async fn collect<S: Stream>(stream: S) -> Vec<S::Item> {
    let mut stream = pin!(stream);
    let mut items = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        items.push(item);
    }
    items
}

impl Harness for Async {
    fn make(config: Config, settings: Settings) -> Self {
        let client = builder(config, settings).build().expect("client");
        Self {
            runtime: runtime(),
            client,
        }
    }

    fn send<E: Endpoint + Sync>(&self, endpoint: &E) -> Result<E::Output, Error> {
        self.runtime.block_on(self.client.send(endpoint))
    }

    fn send_raw<E: Endpoint + Sync>(&self, endpoint: &E) -> Result<serde_json::Value, Error> {
        self.runtime.block_on(self.client.send_raw(endpoint))
    }

    fn collect_pages<E>(&self, endpoint: E) -> Vec<Result<E::Item, Error>>
    where
        E: Paginated + Send + Sync + 'static,
        E::Item: Send,
    {
        self.runtime.block_on(collect(self.client.pages(endpoint)))
    }
}

clerk_backend_tests::scenario_tests!(Async);

fn user(id: &str) -> http::Response<Vec<u8>> {
    json(200, &user_json(id, "Ada").to_string())
}

fn page(ids: &[&str]) -> http::Response<Vec<u8>> {
    let users = ids.iter().map(|id| user_json(id, "A")).collect();
    json(200, &serde_json::Value::Array(users).to_string())
}

fn config() -> Config {
    Config::new(TEST_KEY)
        .and_then(|c| c.with_base_url("http://clerk.invalid"))
        .expect("config")
}

#[tokio::test(flavor = "current_thread")]
async fn a_closure_transport_sends_retries_and_paginates() {
    let script = Arc::new(Mutex::new(VecDeque::from([
        json(503, &clerk_error("unavailable", "down", "down", "t")),
        user("user_1"),
        page(&["u1", "u2"]),
        page(&["u3"]),
    ])));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let waits = Arc::new(Mutex::new(Vec::new()));
    let transport = {
        let (script, seen, waits) = (script.clone(), seen.clone(), waits.clone());
        from_fn(
            move |request: http::Request<Vec<u8>>| {
                seen.lock()
                    .unwrap()
                    .push(clerk_backend_tests::copy_request(&request));
                let answer = script.lock().unwrap().pop_front();
                async move {
                    answer.ok_or_else(|| {
                        Error::from(TransportError::new(TransportErrorKind::Other, "done"))
                    })
                }
            },
            move |wait| {
                waits.lock().unwrap().push(wait);
                async {}
            },
        )
    };
    let client = Client::with_transport(config(), transport).with_retry_policy(
        RetryPolicy::default()
            .base_delay(Duration::from_millis(40))
            .max_delay(Duration::from_millis(40)),
    );

    let got = client.send(&GetUser::new("user_1")).await.expect("user");
    assert_eq!(got.id, "user_1");
    let waits = waits.lock().unwrap().clone();
    assert_eq!(waits.len(), 1, "one wait before the one retry");
    assert!(
        waits[0] >= Duration::from_millis(20) && waits[0] <= Duration::from_millis(40),
        "{waits:?}"
    );

    let mut pages = client.pages(GetUserList::new().limit(2));
    let mut ids = Vec::new();
    while let Some(user) = pages.next().await {
        ids.push(user.expect("user").id);
    }
    assert_eq!(ids, ["u1", "u2", "u3"]);
    assert_eq!(pages.fetched(), 3);
    assert!(pages.next().await.is_none(), "ended streams stay ended");

    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 4);
    for request in seen.iter() {
        assert_eq!(
            request.headers()["authorization"],
            format!("Bearer {TEST_KEY}").as_str()
        );
        assert_eq!(request.uri().host(), Some("clerk.invalid"));
    }
    assert_eq!(
        seen[3].uri().query(),
        Some("limit=2&starting_after=u2"),
        "the second page continues after the first"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_connect_error_from_a_user_transport_is_retried_even_for_post() {
    let attempts = Arc::new(Mutex::new(0));
    let transport = {
        let attempts = attempts.clone();
        from_fn(
            move |_request: http::Request<Vec<u8>>| {
                let attempt = {
                    let mut attempts = attempts.lock().unwrap();
                    *attempts += 1;
                    *attempts
                };
                async move {
                    if attempt < 3 {
                        Err(TransportError::new(TransportErrorKind::Connect, "refused").into())
                    } else {
                        Ok(json(200, "[]"))
                    }
                }
            },
            tokio::time::sleep,
        )
    };
    let client = Client::with_transport(config(), transport)
        .with_retry_policy(clerk_backend_tests::fast_retries());
    let banned = client
        .send(&UsersBan::new(["user_1"]))
        .await
        .expect("third attempt");
    assert!(banned.is_empty());
    assert_eq!(*attempts.lock().unwrap(), 3);

    // An I/O failure may mean the POST was processed: not repeated.
    let transport = from_fn(
        |_request: http::Request<Vec<u8>>| async {
            Err::<http::Response<Vec<u8>>, _>(
                TransportError::new(TransportErrorKind::Io, "reset").into(),
            )
        },
        |_wait| async { panic!("must not wait") },
    );
    let client = Client::with_transport(config(), transport);
    match client.send(&UsersBan::new(["user_1"])).await {
        Err(Error::Transport(e)) => assert_eq!(e.kind, TransportErrorKind::Io),
        other => panic!("{other:?}"),
    }
}

/// A transport written as a small struct: answers every request with one user.
struct Canned {
    calls: Mutex<u32>,
}

impl Transport for Canned {
    async fn execute(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        *self.calls.lock().unwrap() += 1;
        let id = request
            .uri()
            .path()
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_owned();
        Ok(user(&id))
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

/// A transport whose clock is its own: every reading is 40 s later than the one before, and
/// every request is answered 503.
struct SlowClock {
    readings: Mutex<u64>,
    requests: Mutex<u32>,
}

impl Transport for SlowClock {
    async fn execute(
        &self,
        _request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        *self.requests.lock().unwrap() += 1;
        Ok(json(503, &clerk_error("unavailable", "down", "down", "t")))
    }

    async fn sleep(&self, _duration: Duration) {}

    fn now(&self) -> Duration {
        let mut readings = self.readings.lock().unwrap();
        *readings += 1;
        Duration::from_secs(40 * *readings)
    }
}

#[tokio::test(flavor = "current_thread")]
async fn the_retry_budget_runs_on_the_transport_clock() {
    let transport = SlowClock {
        readings: Mutex::new(0),
        requests: Mutex::new(0),
    };
    // 10 attempts and a 200 s budget: on the standard clock all 10 would run at once (the waits
    // are no-ops); on this transport's clock 40 s pass per reading, and the client reads it
    // before each attempt (what is left of the budget) and after it (the retry decision):
    // attempts start at 40 s and 120 s, and the third would start at 200 s, when nothing is
    // left of the budget, so it never starts.
    let client = Client::with_transport(config(), &transport).with_retry_policy(
        RetryPolicy::default()
            .max_attempts(10)
            .budget(Duration::from_secs(200))
            .base_delay(Duration::from_millis(1))
            .max_delay(Duration::from_millis(1)),
    );
    let result = client.send(&GetUser::new("user_1")).await;
    assert!(
        matches!(result, Err(Error::Api(ref e)) if e.status == 503),
        "{result:?}"
    );
    assert_eq!(*transport.requests.lock().unwrap(), 2);
}

#[tokio::test(flavor = "current_thread")]
async fn a_struct_transport_works_owned_borrowed_and_shared() {
    let transport = Arc::new(Canned {
        calls: Mutex::new(0),
    });
    let shared = Client::with_transport(config(), transport.clone());
    assert_eq!(
        shared.send(&GetUser::new("user_a")).await.unwrap().id,
        "user_a"
    );
    let borrowed = Client::with_transport(config(), &*transport);
    assert_eq!(
        borrowed.send(&GetUser::new("user_b")).await.unwrap().id,
        "user_b"
    );
    assert_eq!(*transport.calls.lock().unwrap(), 2);
    let owned = Client::with_transport(
        config(),
        Canned {
            calls: Mutex::new(0),
        },
    );
    let raw = owned.send_raw(&GetUser::new("user_c")).await.unwrap();
    assert_eq!(raw["id"], "user_c");
}

#[tokio::test(flavor = "current_thread")]
async fn a_reqwest_client_of_the_users_own_still_authenticates() {
    let server = Scripted::start(vec![user("user_1")]);
    let own = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client");
    let client = Client::with_transport(server.config(), ReqwestTransport::new(own));
    let got = client.send(&GetUser::new("user_1")).await.expect("user");
    assert_eq!(got.id, "user_1");
    let requests = server.requests();
    assert_eq!(
        requests[0].headers()["authorization"],
        format!("Bearer {TEST_KEY}").as_str()
    );
    assert_eq!(requests[0].headers()["clerk-api-version"], "2026-05-12");
}

#[tokio::test(flavor = "current_thread")]
async fn bodiless_requests_are_framed_as_their_method_expects() {
    let deleted = json(200, r#"{"id":"user_1","object":"user","deleted":true}"#);
    let server = Scripted::start(vec![user("user_1"), user("user_1"), deleted]);
    let client = Client::new(server.config()).expect("client");
    client.send(&GetUser::new("user_1")).await.expect("get");
    client.send(&BanUser::new("user_1")).await.expect("ban");
    client
        .send(&DeleteUser::new("user_1"))
        .await
        .expect("delete");
    let requests = server.requests();
    let framing = |i: usize| {
        let headers = requests[i].headers();
        (
            headers
                .get("content-length")
                .map(|v| v.to_str().unwrap().to_owned()),
            headers.get("transfer-encoding").is_some(),
            requests[i].body().len(),
        )
    };
    assert_eq!(framing(0), (None, false, 0), "GET: no body framing at all");
    assert_eq!(
        framing(1),
        (Some("0".to_owned()), false, 0),
        "POST: Content-Length: 0"
    );
    assert_eq!(
        framing(2),
        (None, false, 0),
        "DELETE: no body framing at all"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_body_of_unannounced_length_is_cut_off_at_the_limit() {
    // Chunked: no Content-Length to refuse up front, so the limit holds while reading.
    let big = format!(
        r#"{{"id":"user_1","object":"user","first_name":"{}"}}"#,
        "x".repeat(256 * 1024)
    );
    let mut response = json(200, &big);
    response.headers_mut().insert(
        "transfer-encoding",
        http::HeaderValue::from_static("chunked"),
    );
    let server = Scripted::start(vec![response, user("user_2")]);
    let client = Client::builder(server.config())
        .max_body_bytes(16 * 1024)
        .build()
        .expect("client");
    match client.send(&GetUser::new("user_1")).await {
        Err(Error::Transport(e)) => {
            assert_eq!(e.kind, TransportErrorKind::BodyTooLarge, "{e}");
            assert!(e.to_string().contains("16384"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.count(), 1, "an oversized body is not retried");
    // The client stays usable after abandoning a body midway.
    let got = client
        .send(&GetUser::new("user_2"))
        .await
        .expect("next request");
    assert_eq!(got.id, "user_2");
}

#[tokio::test(flavor = "current_thread")]
async fn a_slow_answer_is_a_timeout() {
    let mut slow = user("user_1");
    slow.headers_mut().insert(
        clerk_backend_testkit::server::DELAY_MS_HEADER,
        http::HeaderValue::from_static("2000"),
    );
    let server = Scripted::start(vec![slow]);
    let client = Client::builder(server.config())
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("client");
    match client.send(&GetUser::new("user_1")).await {
        Err(Error::Transport(e)) => assert_eq!(e.kind, TransportErrorKind::Timeout, "{e}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn futures_and_streams_are_send_with_the_reqwest_transport() {
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::builder(config()).build().expect("client");
    let endpoint = GetUser::new("user_1");
    assert_send(&client.send(&endpoint));
    assert_send(&client.send_raw(&endpoint));
    assert_send(&client.pages(GetUserList::new()));
    let mut pages = client.pages(GetUserList::new());
    assert_send(&pages.next());
}

#[test]
fn spawned_sends_run_on_a_multi_threaded_runtime() {
    let server = Scripted::with_fallback(vec![], |request| {
        let id = request
            .uri()
            .path()
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_owned();
        user(&id)
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let client = Client::new(server.config()).expect("client");
    let ids: Vec<String> = runtime.block_on(async {
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let client = client.clone();
                tokio::spawn(async move { client.send(&GetUser::new(format!("user_{i}"))).await })
            })
            .collect();
        let mut ids = Vec::new();
        for task in tasks {
            ids.push(task.await.expect("task").expect("user").id);
        }
        ids
    });
    assert_eq!(ids.len(), 8);
    assert_eq!(ids[7], "user_7");
    assert_eq!(server.count(), 8);
}

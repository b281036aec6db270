//! A transport of the user's own (a closure) over loopback gets what the built-in ones get:
//! retries (a 503, then a 200), pagination, and per-request settings (a header sent, a shorter
//! timeout honoured, a per-request `RetryPolicy::never()`), on both clients. And page
//! iterators and streams own their client: they move to a thread or are spawned.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clerk_backend_core::users::{GetUser, GetUserList};
use clerk_backend_core::{
    AttemptTimeout, Config, Error, RequestOptions, RetryPolicy, TransportErrorKind, http,
};
use clerk_backend_testkit::server::Server;
use clerk_backend_tests::{Scripted, fast_retries, json, user_json};

type Seen = Arc<Mutex<Vec<(http::HeaderMap, Option<Duration>)>>>;

fn record(seen: &Seen, request: &http::Request<Vec<u8>>) {
    let timeout = request.extensions().get::<AttemptTimeout>().map(|t| t.0);
    seen.lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((request.headers().clone(), timeout));
}

fn seen(seen: &Seen) -> Vec<(http::HeaderMap, Option<Duration>)> {
    seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

fn user(id: &str) -> http::Response<Vec<u8>> {
    json(200, &user_json(id, "Ada").to_string())
}

fn unavailable() -> http::Response<Vec<u8>> {
    json(
        503,
        r#"{"errors":[{"code":"unavailable","message":"try again"}]}"#,
    )
}

fn users(ids: &[&str]) -> http::Response<Vec<u8>> {
    let items: Vec<_> = ids.iter().map(|id| user_json(id, "Ada")).collect();
    json(200, &serde_json::Value::Array(items).to_string())
}

fn traced() -> RequestOptions {
    RequestOptions::new().header(
        http::HeaderName::from_static("x-trace"),
        http::HeaderValue::from_static("t-1"),
    )
}

/// A server that holds every request for 5 s before answering.
fn hanging() -> Server {
    Server::start(|_| {
        std::thread::sleep(Duration::from_secs(5));
        http::Response::new(Vec::new())
    })
    .expect("server starts")
}

fn config_for(server: &Server) -> Config {
    Config::new("sk_test_own")
        .and_then(|c| c.with_base_url(&server.url()))
        .expect("config")
}

mod blocking {
    use super::*;
    use clerk_backend_ureq::{Client, Transport, UreqTransport};

    /// A closure over the built-in transport that records what it is asked to send.
    fn client(config: Config, seen: &Seen) -> Client<impl Transport + Send + Sync + 'static> {
        let inner = UreqTransport::default();
        let seen = Arc::clone(seen);
        let transport = move |request: http::Request<Vec<u8>>| {
            record(&seen, &request);
            inner.execute(request)
        };
        Client::builder(config)
            .retry_policy(fast_retries())
            .build_with(transport)
    }

    #[test]
    fn a_closure_gets_retries_and_per_request_headers() {
        let server = Scripted::start(vec![unavailable(), user("user_1")]);
        let log = Seen::default();
        let client = client(server.config(), &log);
        let got = client
            .send_with(&GetUser::new("user_1"), &traced())
            .expect("user after a retry");
        assert_eq!(got.id, "user_1");
        assert_eq!(server.count(), 2, "the 503 was retried");
        for request in server.requests() {
            assert_eq!(request.headers()["x-trace"], "t-1");
        }
        let log = seen(&log);
        assert_eq!(log.len(), 2);
        assert!(log.iter().all(|(_, timeout)| timeout.is_some()));
    }

    #[test]
    fn a_per_request_never_policy_returns_the_first_503() {
        let server = Scripted::start(vec![unavailable(), user("user_1")]);
        let client = client(server.config(), &Seen::default());
        let options = RequestOptions::new().retry_policy(RetryPolicy::never());
        let error = client
            .send_with(&GetUser::new("user_1"), &options)
            .expect_err("no retry");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
        assert_eq!(server.count(), 1);
    }

    #[test]
    fn a_shorter_per_request_timeout_is_honoured() {
        let server = hanging();
        let log = Seen::default();
        let client = client(config_for(&server), &log);
        let options = RequestOptions::new()
            .timeout(Duration::from_millis(300))
            .retry_policy(RetryPolicy::never());
        let started = Instant::now();
        let result = client.send_with(&GetUser::new("user_1"), &options);
        assert!(
            matches!(&result, Err(Error::Transport(e)) if e.kind == TransportErrorKind::Timeout),
            "{result:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(seen(&log)[0].1, Some(Duration::from_millis(300)));
    }

    #[test]
    fn pages_retry_and_move_to_another_thread() {
        let server = Scripted::start(vec![
            users(&["user_1", "user_2"]),
            unavailable(),
            users(&["user_3"]),
        ]);
        let client = client(server.config(), &Seen::default());
        let pages = client.pages_with(GetUserList::new().limit(2), traced());
        drop(client);
        let ids = std::thread::spawn(move || {
            pages
                .map(|user| user.map(|u| u.id))
                .collect::<Result<Vec<_>, _>>()
        })
        .join()
        .expect("thread")
        .expect("all pages");
        assert_eq!(ids, ["user_1", "user_2", "user_3"]);
        assert_eq!(server.count(), 3, "two pages, the second after a retry");
        let requests = server.requests();
        assert!(requests.iter().all(|r| r.headers()["x-trace"] == "t-1"));
        assert!(
            requests
                .last()
                .and_then(|r| r.uri().query())
                .is_some_and(|q| q.contains("starting_after=user_2")),
            "the cursor continues the list"
        );
    }
}

mod nonblocking {
    use super::*;
    use clerk_backend_async::{Client, ReqwestTransport, Transport, from_fn};

    fn client(config: Config, seen: &Seen) -> Client<impl Transport + Send + Sync + 'static> {
        let inner = Arc::new(ReqwestTransport::new(
            clerk_backend_async::reqwest::Client::new(),
        ));
        let seen = Arc::clone(seen);
        let transport = from_fn(
            move |request: http::Request<Vec<u8>>| {
                record(&seen, &request);
                let inner = Arc::clone(&inner);
                async move { inner.execute(request).await }
            },
            tokio::time::sleep,
        );
        Client::with_transport(config, transport).with_retry_policy(fast_retries())
    }

    #[tokio::test]
    async fn a_closure_gets_retries_and_per_request_headers() {
        let server = Scripted::start(vec![unavailable(), user("user_1")]);
        let log = Seen::default();
        let client = client(server.config(), &log);
        let got = client
            .send_with(&GetUser::new("user_1"), &traced())
            .await
            .expect("user after a retry");
        assert_eq!(got.id, "user_1");
        assert_eq!(server.count(), 2, "the 503 was retried");
        for request in server.requests() {
            assert_eq!(request.headers()["x-trace"], "t-1");
        }
        assert_eq!(seen(&log).len(), 2);
    }

    #[tokio::test]
    async fn a_per_request_never_policy_returns_the_first_503() {
        let server = Scripted::start(vec![unavailable(), user("user_1")]);
        let client = client(server.config(), &Seen::default());
        let options = RequestOptions::new().retry_policy(RetryPolicy::never());
        let error = client
            .send_with(&GetUser::new("user_1"), &options)
            .await
            .expect_err("no retry");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
        assert_eq!(server.count(), 1);
    }

    #[tokio::test]
    async fn a_shorter_per_request_timeout_is_honoured() {
        let server = hanging();
        let log = Seen::default();
        let client = client(config_for(&server), &log);
        let options = RequestOptions::new()
            .timeout(Duration::from_millis(300))
            .retry_policy(RetryPolicy::never());
        let started = Instant::now();
        let result = client.send_with(&GetUser::new("user_1"), &options).await;
        assert!(
            matches!(&result, Err(Error::Transport(e)) if e.kind == TransportErrorKind::Timeout),
            "{result:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(seen(&log)[0].1, Some(Duration::from_millis(300)));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_page_stream_on_reqwest_is_spawned() {
        let server = Scripted::start(vec![
            users(&["user_1", "user_2"]),
            unavailable(),
            users(&["user_3"]),
        ]);
        let client = Client::builder(server.config())
            .retry_policy(fast_retries())
            .build()
            .expect("client");
        let mut pages = client.pages_with(GetUserList::new().limit(2), traced());
        drop(client);
        let ids = tokio::spawn(async move {
            let mut ids = Vec::new();
            while let Some(user) = pages.next().await {
                ids.push(user?.id);
            }
            Ok::<_, Error>(ids)
        })
        .await
        .expect("task")
        .expect("all pages");
        assert_eq!(ids, ["user_1", "user_2", "user_3"]);
        assert_eq!(server.count(), 3, "two pages, the second after a retry");
        assert!(
            server
                .requests()
                .iter()
                .all(|r| r.headers()["x-trace"] == "t-1")
        );
    }
}

//! Timeouts at their limits: "unbounded" settings (`Duration::MAX` timeouts and budget) are
//! accepted by both clients and behave as very long ones (no overflow panic in the transports' deadline arithmetic), and a
//! per-call timeout longer than the client's attempt timeout is honoured by both clients.

use std::time::Duration;

use clerk_backend_core::users::GetUsersCount;
use clerk_backend_core::{ClientOptions, Config, RequestOptions, RetryPolicy};
use clerk_backend_testkit::users::UsersStandIn;

const SECRET: &str = "sk_test_unbounded";

fn unbounded() -> ClientOptions {
    ClientOptions::default()
        .connect_timeout(Duration::MAX)
        .attempt_timeout(Duration::MAX)
        .retry_policy(RetryPolicy::default().budget(Duration::MAX))
}

#[test]
fn the_blocking_client_sends_with_duration_max_everywhere() {
    let server = UsersStandIn::start(SECRET).expect("stand-in");
    let config = Config::new(SECRET)
        .and_then(|c| c.with_base_url(&server.url()))
        .expect("config");
    let client = clerk_backend_ureq::Client::builder(config)
        .options(unbounded())
        .build();
    let count = client.send(&GetUsersCount::new()).expect("count");
    assert_eq!(count.total_count, 0);
    let per_call = RequestOptions::new().timeout(Duration::MAX);
    let count = client
        .send_with(&GetUsersCount::new(), &per_call)
        .expect("count with a per-call Duration::MAX");
    assert_eq!(count.total_count, 0);
}

#[tokio::test]
async fn the_async_client_sends_with_duration_max_everywhere() {
    let server = UsersStandIn::start(SECRET).expect("stand-in");
    let config = Config::new(SECRET)
        .and_then(|c| c.with_base_url(&server.url()))
        .expect("config");
    let client = clerk_backend_async::Client::builder(config)
        .options(unbounded())
        .build()
        .expect("client");
    let per_call = RequestOptions::new().timeout(Duration::MAX);
    let count = client
        .send_with(&GetUsersCount::new(), &per_call)
        .await
        .expect("count");
    assert_eq!(count.total_count, 0);
}

/// A server that answers a users count after `delay`.
fn slow(delay: Duration) -> clerk_backend_testkit::server::Server {
    clerk_backend_testkit::server::Server::start(move |_request| {
        std::thread::sleep(delay);
        http::Response::new(br#"{"object":"total_count","total_count":7}"#.to_vec())
    })
    .expect("server")
}

#[test]
fn a_per_call_timeout_longer_than_the_clients_is_honoured_by_the_blocking_client() {
    let server = slow(Duration::from_millis(600));
    let config = Config::new(SECRET)
        .and_then(|c| c.with_base_url(&server.url()))
        .expect("config");
    let options = ClientOptions::default()
        .attempt_timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::never());
    let client = clerk_backend_ureq::Client::builder(config)
        .options(options)
        .build();
    assert!(
        client.send(&GetUsersCount::new()).is_err(),
        "200 ms < 600 ms"
    );
    let longer = RequestOptions::new().timeout(Duration::from_secs(5));
    let count = client
        .send_with(&GetUsersCount::new(), &longer)
        .expect("5 s per call");
    assert_eq!(count.total_count, 7);
}

#[tokio::test]
async fn a_per_call_timeout_longer_than_the_clients_is_honoured_by_the_async_client() {
    let server = slow(Duration::from_millis(600));
    let config = Config::new(SECRET)
        .and_then(|c| c.with_base_url(&server.url()))
        .expect("config");
    let options = ClientOptions::default()
        .attempt_timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::never());
    let client = clerk_backend_async::Client::builder(config)
        .options(options)
        .build()
        .expect("client");
    assert!(
        client.send(&GetUsersCount::new()).await.is_err(),
        "200 ms < 600 ms"
    );
    let longer = RequestOptions::new().timeout(Duration::from_secs(5));
    let count = client
        .send_with(&GetUsersCount::new(), &longer)
        .await
        .expect("5 s per call");
    assert_eq!(count.total_count, 7);
}

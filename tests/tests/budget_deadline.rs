//! The retry budget is a deadline for the whole call: with a server that never answers, a
//! call with a 1 s budget ends long before the 60 s per-attempt timeout, on both clients.

use std::time::{Duration, Instant};

use clerk_backend_core::users::GetUser;
use clerk_backend_core::{Config, Error, RetryPolicy, TransportErrorKind};
use clerk_backend_testkit::server::Server;

/// A server that holds every request for 20 s before answering.
fn hanging() -> Server {
    Server::start(|_| {
        std::thread::sleep(Duration::from_secs(20));
        http::Response::new(Vec::new())
    })
    .expect("server starts")
}

fn config(server: &Server) -> Config {
    Config::new("sk_test_budget")
        .and_then(|c| c.with_base_url(&server.url()))
        .expect("config")
}

fn policy() -> RetryPolicy {
    RetryPolicy::default().budget(Duration::from_secs(1))
}

fn assert_timed_out(result: Result<impl std::fmt::Debug, Error>, started: Instant) {
    match result {
        Err(Error::Transport(e)) => assert_eq!(e.kind, TransportErrorKind::Timeout, "{e}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    // Far below the 60 s attempt timeout, and below the server's 20 s hold: the budget bounded
    // the attempt. (A generous bound: this checks behaviour, not speed.)
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn blocking_call_ends_at_the_budget() {
    let server = hanging();
    let client = clerk_backend_ureq::Client::builder(config(&server))
        .retry_policy(policy())
        .build();
    let started = Instant::now();
    assert_timed_out(client.send(&GetUser::new("user_1")), started);
}

#[tokio::test]
async fn async_call_ends_at_the_budget() {
    let server = hanging();
    let client = clerk_backend_async::Client::builder(config(&server))
        .retry_policy(policy())
        .build()
        .expect("client");
    let started = Instant::now();
    assert_timed_out(client.send(&GetUser::new("user_1")).await, started);
}

#[test]
fn no_attempt_starts_past_the_deadline() {
    let policy = RetryPolicy::default().budget(Duration::from_secs(5));
    assert_eq!(
        policy.attempt_timeout(Duration::from_secs(1), Duration::from_secs(60)),
        Some(Duration::from_secs(4))
    );
    assert_eq!(
        policy.attempt_timeout(Duration::ZERO, Duration::from_secs(2)),
        Some(Duration::from_secs(2))
    );
    assert_eq!(
        policy.attempt_timeout(Duration::from_secs(5), Duration::from_secs(60)),
        None
    );
    assert_eq!(
        policy.attempt_timeout(Duration::from_secs(9), Duration::from_secs(60)),
        None
    );
}

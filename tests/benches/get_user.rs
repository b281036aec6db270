//! Benchmark of whole round trips: N sequential GetUser calls over one loopback keep-alive
//! connection to a stand-in server that answers a fixed user, through
//!
//! - the async client (`clerk-backend-async` on reqwest, current-thread Tokio runtime),
//! - the same over a `reqwest::Client` of the user's without timeouts (what the default
//!   connect and per-attempt timeouts cost),
//! - the blocking client (`clerk-backend-ureq`),
//! - bare reqwest with a hand-built request (same headers), reading the body as bytes, and
//!   again decoding it into core's `User` (the work the clients do after the transport).
//!
//! Run with `cargo bench -p clerk-backend-tests --bench get_user`. Same self-contained harness
//! style as `benches/core.rs` (`harness = false`): one warm-up round, then timed rounds of N
//! calls each; prints the median, min and max per call.

use std::hint::black_box;
use std::time::Instant;

use clerk_backend_async::reqwest;
use clerk_backend_core::models::User;
use clerk_backend_core::users::GetUser;
use clerk_backend_core::{API_VERSION, Config};
use clerk_backend_testkit::server::Server;
use clerk_backend_tests::bench::{Summary, human, summarize};
use clerk_backend_tests::{TEST_KEY, user_json};

/// Calls per round.
const N: u32 = 1000;
/// Timed rounds per client.
const ROUNDS: usize = 15;
const USER_ID: &str = "user_2abcdefghijklmnopqrstuvwxyz";

/// Runs `round(N)` once to warm up, then `ROUNDS` times; prints per-call median, min and max.
fn bench(name: &str, mut round: impl FnMut(u32)) {
    round(N);
    let samples: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            round(N);
            start.elapsed().as_nanos() as f64 / f64::from(N)
        })
        .collect();
    let Summary { median, min, max } = summarize(samples);
    println!(
        "{name:<44} median {:>9} per call (min {}, max {}; {ROUNDS} rounds of {N} calls, {:.0} calls/s)",
        human(median),
        human(min),
        human(max),
        1e9 / median
    );
}

fn main() {
    let body = serde_json::to_vec(&user_json(USER_ID, "Ada")).expect("json");
    println!(
        "GetUser over loopback keep-alive; body {} bytes",
        body.len()
    );
    let server = Server::start(move |_request| {
        http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(body.clone())
            .expect("response")
    })
    .expect("server");
    let config = Config::new(TEST_KEY)
        .and_then(|c| c.with_base_url(&server.url()))
        .expect("config");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");

    let async_client = clerk_backend_async::Client::new(config.clone()).expect("async client");
    bench("async client (reqwest), send(&GetUser)", |n| {
        runtime.block_on(async {
            for _ in 0..n {
                let user = async_client.send(&GetUser::new(USER_ID)).await;
                black_box(user.expect("user"));
            }
        });
    });

    // The same client over a reqwest::Client with no timeouts: what the default timeouts cost.
    let untimed = clerk_backend_async::Client::with_transport(
        config.clone(),
        clerk_backend_async::ReqwestTransport::new(
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("reqwest client"),
        ),
    );
    bench("async client, own reqwest::Client, no timeouts", |n| {
        runtime.block_on(async {
            for _ in 0..n {
                black_box(untimed.send(&GetUser::new(USER_ID)).await.expect("user"));
            }
        });
    });

    let blocking = clerk_backend_ureq::Client::new(config.clone());
    bench("blocking client (ureq), send(&GetUser)", |n| {
        for _ in 0..n {
            black_box(blocking.send(&GetUser::new(USER_ID)).expect("user"));
        }
    });

    let bare = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client");
    let url = format!("{}/v1/users/{USER_ID}", server.url());
    let authorization = format!("Bearer {TEST_KEY}");
    let hand_built = || {
        bare.get(&url)
            .header("authorization", &authorization)
            .header("clerk-api-version", API_VERSION)
            .header("user-agent", "bench/0")
            .header("accept", "application/json")
    };
    bench("bare reqwest, hand-built GET, bytes", |n| {
        runtime.block_on(async {
            for _ in 0..n {
                let response = hand_built().send().await.expect("response");
                black_box(response.bytes().await.expect("body"));
            }
        });
    });
    bench("bare reqwest, hand-built GET, bytes + decode", |n| {
        runtime.block_on(async {
            for _ in 0..n {
                let response = hand_built().send().await.expect("response");
                let bytes = response.bytes().await.expect("body");
                black_box(serde_json::from_slice::<User>(&bytes).expect("user"));
            }
        });
    });
    println!("requests served: {}", server.requests_seen());
}

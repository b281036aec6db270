//! Benchmarks of core's hot paths: building + parsing GetUser, and parsing a 500-user page,
//! each parse also beside a plain `#[derive(Deserialize)]` of the same shape
//! (`clerk_backend_tests::derive_mirror`, no fallbacks) reading the same bytes: the floor.
//!
//! Run with `cargo bench -p clerk-backend-tests --bench core`. A small self-contained harness
//! (`harness = false`): warm up, then time batches and report the median and spread per
//! iteration, so the workspace needs no benchmarking dependency on a 2-core CI machine.

use std::hint::black_box;
use std::time::Duration;

use clerk_backend_core::users::{GetUser, GetUserList};
use clerk_backend_core::{Config, Endpoint};
use clerk_backend_tests::bench::{bench, compare};
use clerk_backend_tests::{derive_mirror, user_json};

fn main() {
    let target = Duration::from_secs(3);
    let config = Config::new("sk_test_bench").expect("config");
    let user_body =
        serde_json::to_vec(&user_json("user_2abcdefghijklmnopqrstuvwxyz", "Ada")).expect("json");
    let page: Vec<serde_json::Value> = (0..500)
        .map(|i| user_json(&format!("user_{i:027}"), "Ada"))
        .collect();
    let page_body = serde_json::to_vec(&page).expect("json");
    println!(
        "GetUser body {} bytes; 500-user page {} bytes",
        user_body.len(),
        page_body.len()
    );

    bench("GetUser: to_http", target, || {
        let request = GetUser::new(black_box("user_2abcdefghijklmnopqrstuvwxyz")).to_http(&config);
        black_box(request.expect("request"));
    });
    bench("GetUser: to_http + parse", target, || {
        let request = GetUser::new(black_box("user_2abcdefghijklmnopqrstuvwxyz")).to_http(&config);
        black_box(request.expect("request"));
        let response = http::Response::builder()
            .status(200)
            .body(user_body.clone())
            .expect("response");
        black_box(GetUser::parse(response).expect("user"));
    });
    bench("GetUserList: parse 500-user page", target, || {
        let response = http::Response::builder()
            .status(200)
            .body(page_body.clone())
            .expect("response");
        let users = GetUserList::parse(response).expect("users");
        assert_eq!(users.len(), 500);
        black_box(users);
    });
    compare(
        ("GetUserList: parse 500-user page", || {
            let response = http::Response::new(page_body.clone());
            black_box(GetUserList::parse(response).expect("users"));
        }),
        ("derive mirror: parse 500-user page", || {
            let response = http::Response::new(page_body.clone());
            let users: Vec<derive_mirror::User> =
                serde_json::from_slice(response.body()).expect("users");
            black_box(users);
        }),
        "page: parse / derive floor",
        target,
    );
    compare(
        ("GetUser: parse", || {
            let response = http::Response::new(user_body.clone());
            black_box(GetUser::parse(response).expect("user"));
        }),
        ("derive mirror: parse one user", || {
            let response = http::Response::new(user_body.clone());
            let user: derive_mirror::User = serde_json::from_slice(response.body()).expect("user");
            black_box(user);
        }),
        "GetUser: parse / derive floor",
        target,
    );
}

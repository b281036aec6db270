//! Parses a 500-user `GetUserList` page N times (N from the first argument, default 1), for
//! counting instructions rather than timing: run it under callgrind with N = 1 and N = 11, and
//! the difference over 10 is the cost of one parse, free of setup and of machine noise.
//!
//! ```sh
//! cargo build --release -p clerk-backend-tests --example parse_page
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/parse_page 1
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/parse_page 11
//! ```

use clerk_backend_core::Endpoint;
use clerk_backend_core::users::GetUserList;
use clerk_backend_tests::user_json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rounds: usize = match std::env::args().nth(1) {
        Some(arg) => arg.parse()?,
        None => 1,
    };
    let page: Vec<serde_json::Value> = (0..500)
        .map(|i| user_json(&format!("user_{i:027}"), "Ada"))
        .collect();
    let body = serde_json::to_vec(&page)?;
    for _ in 0..rounds {
        let users = GetUserList::parse(http::Response::new(body.clone()))?;
        if users.len() != 500 {
            return Err(format!("parsed {} users, not 500", users.len()).into());
        }
        std::hint::black_box(users);
    }
    Ok(())
}

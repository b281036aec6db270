//! Parses a 500-user `GetUserList` page N times (N from the first argument, default 1), for
//! counting instructions rather than timing: run it under callgrind with N = 1 and N = 11, and
//! the difference over 10 is the cost of one parse, free of setup and of machine noise. With
//! `derive` as the second argument it parses the same bytes into the derive-only mirror of
//! `User` instead (`clerk_backend_tests::derive_mirror`), the floor the real parse is compared
//! with (read with `serde_json::from_slice`, the usual call); `derive_str` reads it from a
//! `str` checked as UTF-8 once, as the real parse does. `get_user` and `get_user_derive` do
//! the same for one user (the `GetUser` body).
//!
//! ```sh
//! cargo build --release -p clerk-backend-tests --example parse_page
//! for what in page derive get_user get_user_derive; do for n in 1 11; do
//!   valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/parse_page $n $what
//! done; done
//! ```

use clerk_backend_core::Endpoint;
use clerk_backend_core::users::{GetUser, GetUserList};
use clerk_backend_tests::{derive_mirror, user_json};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let rounds: usize = match args.next() {
        Some(arg) => arg.parse()?,
        None => 1,
    };
    let what = args.next().unwrap_or_else(|| "page".to_owned());
    let page: Vec<serde_json::Value> = (0..500)
        .map(|i| user_json(&format!("user_{i:027}"), "Ada"))
        .collect();
    let page_body = serde_json::to_vec(&page)?;
    let user_body = serde_json::to_vec(&user_json("user_2abcdefghijklmnopqrstuvwxyz", "Ada"))?;
    for _ in 0..rounds {
        match what.as_str() {
            "page" => {
                let users = GetUserList::parse(http::Response::new(page_body.clone()))?;
                if users.len() != 500 {
                    return Err(format!("parsed {} users, not 500", users.len()).into());
                }
                std::hint::black_box(users);
            }
            "derive" => {
                let response = http::Response::new(page_body.clone());
                let users: Vec<derive_mirror::User> = serde_json::from_slice(response.body())?;
                if users.len() != 500 {
                    return Err(format!("parsed {} users, not 500", users.len()).into());
                }
                std::hint::black_box(users);
            }
            "derive_str" => {
                let response = http::Response::new(page_body.clone());
                let text = std::str::from_utf8(response.body())?;
                let users: Vec<derive_mirror::User> = serde_json::from_str(text)?;
                if users.len() != 500 {
                    return Err(format!("parsed {} users, not 500", users.len()).into());
                }
                std::hint::black_box(users);
            }
            "get_user" => {
                std::hint::black_box(GetUser::parse(http::Response::new(user_body.clone()))?);
            }
            "get_user_derive" => {
                let response = http::Response::new(user_body.clone());
                let user: derive_mirror::User = serde_json::from_slice(response.body())?;
                std::hint::black_box(user);
            }
            other => return Err(format!("unknown mode {other}").into()),
        }
    }
    Ok(())
}

//! Prints a session token signed with the committed test key `test_a` (valid for a minute from
//! now), for trying the `authenticate` example offline:
//!
//! ```text
//! CLERK_JWT_KEY="$(cat tests/fixtures/keys/test_a.pub.pem)" cargo run --example authenticate -- \
//!   --authorization "Bearer $(cargo run -q -p clerk-backend-tests --example sign_token -- user_1)"
//! ```
//!
//! Arguments: the user id (default `user_test`), then optionally an organization id, which
//! adds v2 organization claims (role admin, permissions from `fea`/`per`/`fpm`).

use std::time::{SystemTime, UNIX_EPOCH};

use clerk_backend_tests::tokens::{TestKey, session_claims};
use serde_json::json;

fn main() {
    let mut args = std::env::args().skip(1);
    let user = args.next().unwrap_or_else(|| "user_test".to_owned());
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let mut claims = session_claims(&user, now);
    if let Some(org) = args.next() {
        claims["fea"] = json!("o:dashboard,o:teams");
        claims["o"] =
            json!({"id": org, "slg": "acme", "rol": "admin", "per": "manage,read", "fpm": "3,2"});
    }
    println!("{}", TestKey::a().session_token(&claims));
}

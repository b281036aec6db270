//! Prints a session token signed with the test kit's key `ins_test_a` (valid for a minute from
//! now), for trying the `authenticate` example offline:
//!
//! ```text
//! CLERK_JWT_KEY="$(cat standin/keys/test_a.pub.pem)" cargo run --example authenticate -- \
//!   --authorization "Bearer $(cargo run -q -p clerk-backend-tests --example sign_token -- user_1)"
//! ```
//!
//! Arguments: the user id (default `user_test`), then optionally an organization id, which
//! adds v2 organization claims (role admin, permissions encoded in `fea`/`per`/`fpm`).

use clerk_backend_testkit::tokens::{Organization, SessionToken, TestKey};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let user = args.next().unwrap_or_else(|| "user_test".to_owned());
    let mut token = SessionToken::new(user).session_id("sess_test_1");
    if let Some(org) = args.next() {
        token = token.organization(
            Organization::new(org)
                .slug("acme")
                .role("admin")
                .permissions([
                    "org:dashboard:manage",
                    "org:dashboard:read",
                    "org:teams:read",
                ]),
        );
    }
    println!("{}", token.sign(&TestKey::a())?);
    Ok(())
}

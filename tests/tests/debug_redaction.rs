//! Requests that carry a credential or a one-time code never show it in `Debug`: a request
//! logged with `{:?}` does not leak a password, a token or a secret.

use clerk_backend_core::api_keys::VerifyApiKey;
use clerk_backend_core::m2m_tokens::VerifyM2mToken;
use clerk_backend_core::oauth_access_tokens::VerifyOauthAccessToken;
use clerk_backend_core::users::{CreateUser, UpdateUser, VerifyPassword, VerifyTotp};

const SECRET: &str = "s3cr3t-VALUE-never-shown";

#[test]
fn credentials_are_redacted_in_debug() {
    let shown = [
        format!("{:?}", CreateUser::new().password(SECRET).first_name("Ada")),
        format!("{:?}", UpdateUser::new("user_1").password(SECRET)),
        format!("{:?}", VerifyPassword::new("user_1", SECRET)),
        format!("{:?}", VerifyTotp::new("user_1", SECRET)),
        format!("{:?}", VerifyApiKey::new(SECRET)),
        format!("{:?}", VerifyM2mToken::new(SECRET)),
        format!("{:?}", VerifyOauthAccessToken::new().access_token(SECRET)),
    ];
    for text in &shown {
        assert!(!text.contains(SECRET), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }
    // What is not a credential still shows.
    assert!(shown[0].contains("Ada"), "{}", shown[0]);
}

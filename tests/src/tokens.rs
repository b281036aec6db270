//! Crafting signed tokens for the auth tests and benches: the kit's test keys
//! (`clerk_backend_testkit::tokens::TestKey`) plus what only attack tests need: a 1024-bit
//! key, an RS256/384/512 signer over any header (sent as given, even one naming another
//! algorithm) and claims, and the JWKS JSON of a key.

use base64::Engine as _;
use clerk_backend_core::auth::Algorithm;
use clerk_backend_testkit::tokens as kit;
use serde_json::{Value, json};

/// base64url without padding.
pub fn b64(bytes: impl AsRef<[u8]>) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A test key pair: the kit's `a` and `b`, or the committed 1024-bit one
/// (`tests/fixtures/keys`).
#[derive(Clone)]
pub struct TestKey {
    /// The key id it has in the stand-in's JWKS.
    pub kid: &'static str,
    key: kit::TestKey,
}

impl TestKey {
    /// The instance's signing key in the tests: the kit's 2048-bit key `ins_test_a`.
    pub fn a() -> Self {
        Self {
            kid: "ins_test_a",
            key: kit::TestKey::a(),
        }
    }

    /// Another 2048-bit key, the kit's `ins_test_b`: not the instance's unless a test makes
    /// it so.
    pub fn b() -> Self {
        Self {
            kid: "ins_test_b",
            key: kit::TestKey::b(),
        }
    }

    /// A 1024-bit key, kid `ins_test_small`: too small to be accepted.
    pub fn small() -> Self {
        Self {
            kid: "ins_test_small",
            key: kit::TestKey::from_pkcs8_pem(
                "ins_test_small",
                include_str!("../fixtures/keys/test_small.key.pem"),
            )
            .expect("committed test key parses"),
        }
    }

    /// The kit's key.
    pub fn kit(&self) -> &kit::TestKey {
        &self.key
    }

    /// The public key, PEM (SubjectPublicKeyInfo).
    pub fn public_pem(&self) -> &str {
        self.key.public_pem()
    }

    /// The RSA signature of `message` with `alg` (`RS256`, `RS384`, `RS512`; anything else
    /// signs RS256).
    pub fn sign_bytes(&self, alg: &str, message: &[u8]) -> Vec<u8> {
        self.key.sign_bytes(algorithm(alg), message)
    }

    /// A compact JWT of `header` and `claims`, signed with the algorithm the header names
    /// (RS256 when it names none this key can do; the header is sent as given).
    pub fn sign(&self, header: &Value, claims: &Value) -> String {
        let alg = header.get("alg").and_then(Value::as_str).unwrap_or("RS256");
        self.key.sign_jwt(header, claims, algorithm(alg))
    }

    /// A session token of this key (kid, RS256, `typ: JWT`) with `claims`.
    pub fn session_token(&self, claims: &Value) -> String {
        self.sign(&self.header(), claims)
    }

    /// The header Clerk puts on a session token: RS256, `typ: JWT`, this key's kid, the
    /// session category.
    pub fn header(&self) -> Value {
        json!({"alg": "RS256", "typ": "JWT", "kid": self.kid, "cat": "cl_B7d4PD111AAA"})
    }

    /// This key as a JWKS entry, shaped as `GET /v1/jwks` answers.
    pub fn jwk(&self) -> Value {
        self.key.jwk()
    }
}

fn algorithm(alg: &str) -> Algorithm {
    match alg {
        "RS384" => Algorithm::Rs384,
        "RS512" => Algorithm::Rs512,
        _ => Algorithm::Rs256,
    }
}

/// `{"keys": [...]}` of the given keys.
pub fn jwks(keys: &[&TestKey]) -> Value {
    json!({"keys": keys.iter().map(|k| k.jwk()).collect::<Vec<_>>()})
}

/// Typical v2 session claims for `user_id`, valid from `now` (Unix seconds) for a minute,
/// for the authorized party `https://app.example.test` and issuer
/// `https://clerk.example.test`.
pub fn session_claims(user_id: &str, now: u64) -> Value {
    json!({
        "sub": user_id, "sid": "sess_test_1", "azp": "https://app.example.test",
        "iss": "https://clerk.example.test", "iat": now, "nbf": now - 10, "exp": now + 60,
        "v": 2, "sts": "active", "jti": "token_1",
    })
}

/// The fixed "now" of the auth tests, in Unix seconds (they never read the clock).
pub const NOW: u64 = 1_700_000_000;

/// [`NOW`] as a `SystemTime`.
pub fn now() -> std::time::SystemTime {
    std::time::UNIX_EPOCH + std::time::Duration::from_secs(NOW)
}

/// [`TestKey::a`], loaded once.
pub fn key_a() -> &'static TestKey {
    static KEY: std::sync::OnceLock<TestKey> = std::sync::OnceLock::new();
    KEY.get_or_init(TestKey::a)
}

/// [`TestKey::b`], loaded once.
pub fn key_b() -> &'static TestKey {
    static KEY: std::sync::OnceLock<TestKey> = std::sync::OnceLock::new();
    KEY.get_or_init(TestKey::b)
}

/// [`TestKey::small`], loaded once.
pub fn key_small() -> &'static TestKey {
    static KEY: std::sync::OnceLock<TestKey> = std::sync::OnceLock::new();
    KEY.get_or_init(TestKey::small)
}

/// The instance's key from its PEM (no `kid`, any of the three algorithms), loaded once.
pub fn pem_a() -> &'static clerk_backend_core::auth::PublicKey {
    static KEY: std::sync::OnceLock<clerk_backend_core::auth::PublicKey> =
        std::sync::OnceLock::new();
    KEY.get_or_init(|| {
        clerk_backend_core::auth::PublicKey::from_pem(key_a().public_pem())
            .expect("test key a is usable")
    })
}

//! Crafting signed tokens for the auth tests and benches: the committed test key pairs, an
//! RS256/384/512 signer over any header and claims, and the JWKS JSON of a key.

use base64::Engine as _;
use rsa::pkcs8::DecodePrivateKey as _;
use rsa::signature::{SignatureEncoding as _, Signer as _};
use rsa::traits::PublicKeyParts as _;
use serde_json::{Value, json};

/// base64url without padding.
pub fn b64(bytes: impl AsRef<[u8]>) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// One of the committed test key pairs (`tests/fixtures/keys`).
#[derive(Clone)]
pub struct TestKey {
    /// The key id it has in the stand-in's JWKS.
    pub kid: &'static str,
    /// The public key, PEM (SubjectPublicKeyInfo).
    pub public_pem: &'static str,
    private: rsa::PrivateKey,
}

impl TestKey {
    fn load(kid: &'static str, private_pem: &str, public_pem: &'static str) -> Self {
        let body: String = private_pem
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(body)
            .expect("committed test key is base64");
        let private = rsa::PrivateKey::from_pkcs8_der(&der).expect("committed test key parses");
        Self {
            kid,
            public_pem,
            private,
        }
    }

    /// The instance's signing key in the tests: 2048 bits, kid `ins_test_a`.
    pub fn a() -> Self {
        Self::load(
            "ins_test_a",
            include_str!("../fixtures/keys/test_a.key.pem"),
            include_str!("../fixtures/keys/test_a.pub.pem"),
        )
    }

    /// Another 2048-bit key, kid `ins_test_b`: not the instance's unless a test makes it so.
    pub fn b() -> Self {
        Self::load(
            "ins_test_b",
            include_str!("../fixtures/keys/test_b.key.pem"),
            include_str!("../fixtures/keys/test_b.pub.pem"),
        )
    }

    /// A 1024-bit key, kid `ins_test_small`: too small to be accepted.
    pub fn small() -> Self {
        Self::load(
            "ins_test_small",
            include_str!("../fixtures/keys/test_small.key.pem"),
            include_str!("../fixtures/keys/test_small.pub.pem"),
        )
    }

    /// The RSA signature of `message` with `alg` (`RS256`, `RS384`, `RS512`).
    pub fn sign_bytes(&self, alg: &str, message: &[u8]) -> Vec<u8> {
        let key = self.private.clone();
        match alg {
            "RS384" => rsa::pkcs1v15::SigningKey::<sha2::Sha384>::new(key)
                .sign(message)
                .to_vec(),
            "RS512" => rsa::pkcs1v15::SigningKey::<sha2::Sha512>::new(key)
                .sign(message)
                .to_vec(),
            _ => rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key)
                .sign(message)
                .to_vec(),
        }
    }

    /// A compact JWT of `header` and `claims`, signed with the algorithm the header names
    /// (RS256 when it names none this key can do; the header is sent as given).
    pub fn sign(&self, header: &Value, claims: &Value) -> String {
        let alg = header.get("alg").and_then(Value::as_str).unwrap_or("RS256");
        let input = format!("{}.{}", b64(header.to_string()), b64(claims.to_string()));
        let signature = self.sign_bytes(alg, input.as_bytes());
        format!("{input}.{}", b64(signature))
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
        let public = rsa::PublicKey::from(&self.private);
        json!({
            "use": "sig", "kty": "RSA", "kid": self.kid, "alg": "RS256",
            "n": b64(public.n().as_ref().to_be_bytes()),
            "e": b64(public.e().to_be_bytes().iter().skip_while(|b| **b == 0).copied().collect::<Vec<u8>>()),
        })
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
        clerk_backend_core::auth::PublicKey::from_pem(key_a().public_pem)
            .expect("test key a is usable")
    })
}

//! The kit's test keys: RSA key pairs that sign tokens, and their PEM, JWK and JWKS.

use std::fmt;
use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use clerk_backend_core::auth::{Algorithm, KeyError, PublicKey};
use rsa::pkcs8::{DecodePrivateKey as _, EncodePublicKey as _};
use rsa::signature::{SignatureEncoding as _, Signer as _};
use rsa::traits::PublicKeyParts as _;
use serde_json::{Value, json};

use super::b64url;

/// An RSA key pair that signs test tokens, with its key id (`kid`).
///
/// [`TestKey::a`] and [`TestKey::b`] are 2048-bit pairs shipped with the kit. **They are public
/// test keys**: their private halves are in this crate's source, so anyone can sign with them.
/// Never configure them in a real Clerk instance, never trust what they sign outside a test.
///
/// Cheap to clone (the key is shared). `Debug` shows the kid only.
///
/// ```
/// use clerk_backend_testkit::tokens::TestKey;
///
/// let key = TestKey::a();
/// assert_eq!(key.kid(), "ins_test_a");
/// assert!(key.public_pem().starts_with("-----BEGIN PUBLIC KEY-----"));
/// let jwks: serde_json::Value = serde_json::from_str(&key.jwks_json())?;
/// assert_eq!(jwks["keys"][0]["kid"], "ins_test_a");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone)]
pub struct TestKey {
    inner: Arc<Inner>,
}

struct Inner {
    kid: String,
    private: rsa::PrivateKey,
    public_pem: String,
}

impl TestKey {
    /// The kit's main test key: 2048 bits, kid `ins_test_a` (parsed once per process).
    pub fn a() -> Self {
        static KEY: OnceLock<Option<TestKey>> = OnceLock::new();
        builtin(
            &KEY,
            "ins_test_a",
            include_str!("../../keys/test_a.key.pem"),
        )
    }

    /// A second shipped test key: 2048 bits, kid `ins_test_b`. Useful as a key the instance
    /// does not have (a forged token), or as the next key of a rotation.
    pub fn b() -> Self {
        static KEY: OnceLock<Option<TestKey>> = OnceLock::new();
        builtin(
            &KEY,
            "ins_test_b",
            include_str!("../../keys/test_b.key.pem"),
        )
    }

    /// A test key from an unencrypted PKCS#8 PEM private key (`BEGIN PRIVATE KEY`, what
    /// `openssl genpkey -algorithm RSA` writes), with the key id `kid`. Any size is taken,
    /// so that tests can check that a too-small key is refused where it is verified.
    ///
    /// # Errors
    /// [`TestKeyError`] when the text is not such a key.
    pub fn from_pkcs8_pem(kid: impl Into<String>, pem: &str) -> Result<Self, TestKeyError> {
        let body: String = pem
            .lines()
            .map(str::trim)
            .filter(|line| !line.starts_with("-----"))
            .collect();
        if !pem.contains("-----BEGIN PRIVATE KEY-----") {
            return Err(TestKeyError::new(
                "expected an unencrypted PKCS#8 PEM private key (BEGIN PRIVATE KEY)",
            ));
        }
        let der = base64::engine::general_purpose::STANDARD
            .decode(body)
            .map_err(|_| TestKeyError::new("the PEM body is not base64"))?;
        let private = rsa::PrivateKey::from_pkcs8_der(&der)
            .map_err(|_| TestKeyError::new("the PEM is not an RSA private key"))?;
        let spki = rsa::PublicKey::from(&private)
            .to_public_key_der()
            .map_err(|_| TestKeyError::new("the public key could not be encoded"))?;
        Ok(Self {
            inner: Arc::new(Inner {
                kid: kid.into(),
                private,
                public_pem: pem_lines("PUBLIC KEY", spki.as_bytes()),
            }),
        })
    }

    /// The key id: the JWT header's `kid` and the JWK's.
    pub fn kid(&self) -> &str {
        &self.inner.kid
    }

    /// The public key as PEM (`BEGIN PUBLIC KEY`, SubjectPublicKeyInfo): what the Dashboard
    /// shows as the "JWKS Public Key" and what `CLERK_JWT_KEY` holds.
    pub fn public_pem(&self) -> &str {
        &self.inner.public_pem
    }

    /// The public key for core's verification (from the PEM: it verifies whatever the
    /// token's `kid`, with any of the three algorithms), e.g. for
    /// [`verify_session_token`](clerk_backend_core::auth::verify_session_token) or a client's
    /// `jwt_key`.
    ///
    /// # Errors
    /// Core's [`KeyError`] when core refuses the key: never for [`TestKey::a`] and
    /// [`TestKey::b`]; for a key under 2048 bits made with [`TestKey::from_pkcs8_pem`].
    pub fn public_key(&self) -> Result<PublicKey, KeyError> {
        PublicKey::from_pem(self.public_pem())
    }

    /// This key as a JWK, shaped as Clerk's `GET /v1/jwks` serves it: `use: sig`, `kty: RSA`,
    /// `kid`, `alg: RS256`, base64url `n` and `e`.
    ///
    /// Core trusts a JWK's `alg`: a key listed with `RS256` verifies RS256 tokens only. Sign
    /// with [`Algorithm::Rs384`] or [`Algorithm::Rs512`] against a PEM key, or use
    /// [`TestKey::jwk_for`].
    pub fn jwk(&self) -> Value {
        self.jwk_for(Algorithm::Rs256)
    }

    /// [`TestKey::jwk`] with `alg` set to `algorithm`.
    pub fn jwk_for(&self, algorithm: Algorithm) -> Value {
        let public = rsa::PublicKey::from(&self.inner.private);
        let e: Vec<u8> = public
            .e()
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        json!({
            "use": "sig",
            "kty": "RSA",
            "kid": self.kid(),
            "alg": algorithm.as_str(),
            "n": b64url(public.n().as_ref().to_be_bytes()),
            "e": b64url(e),
        })
    }

    /// `{"keys": [this key's JWK]}`, the body of `GET /v1/jwks`, as a value.
    pub fn jwks(&self) -> Value {
        jwks(&[self])
    }

    /// `{"keys": [this key's JWK]}`, the body of `GET /v1/jwks`, as JSON text.
    pub fn jwks_json(&self) -> String {
        self.jwks().to_string()
    }

    /// The RSASSA-PKCS1-v1_5 signature of `message` with `algorithm`'s hash.
    pub fn sign_bytes(&self, algorithm: Algorithm, message: &[u8]) -> Vec<u8> {
        let key = self.inner.private.clone();
        match algorithm {
            Algorithm::Rs384 => rsa::pkcs1v15::SigningKey::<sha2::Sha384>::new(key)
                .sign(message)
                .to_vec(),
            Algorithm::Rs512 => rsa::pkcs1v15::SigningKey::<sha2::Sha512>::new(key)
                .sign(message)
                .to_vec(),
            // RS256, and any algorithm a later core adds: Clerk's own.
            _ => rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key)
                .sign(message)
                .to_vec(),
        }
    }

    /// A compact JWT of any `header` and `claims`, signed with `algorithm` (the header is
    /// sent exactly as given: set its `alg` yourself). For tokens the builders do not make;
    /// prefer [`SessionToken`](super::SessionToken), [`M2mToken`](super::M2mToken) and
    /// [`OauthToken`](super::OauthToken).
    pub fn sign_jwt(&self, header: &Value, claims: &Value, algorithm: Algorithm) -> String {
        let input = format!(
            "{}.{}",
            b64url(header.to_string()),
            b64url(claims.to_string())
        );
        let signature = self.sign_bytes(algorithm, input.as_bytes());
        format!("{input}.{}", b64url(signature))
    }
}

impl fmt::Debug for TestKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestKey")
            .field("kid", &self.kid())
            .finish_non_exhaustive()
    }
}

impl PartialEq for TestKey {
    fn eq(&self, other: &Self) -> bool {
        self.kid() == other.kid() && self.public_pem() == other.public_pem()
    }
}

impl Eq for TestKey {}

/// `{"keys": [...]}` of several keys, the body of `GET /v1/jwks` (a rotation: the old key
/// and the new).
pub fn jwks(keys: &[&TestKey]) -> Value {
    json!({ "keys": keys.iter().map(|key| key.jwk()).collect::<Vec<_>>() })
}

/// A shipped key, parsed once (the kit's tests check that both shipped PEMs parse).
fn builtin(cell: &'static OnceLock<Option<TestKey>>, kid: &str, pem: &str) -> TestKey {
    let parsed = cell.get_or_init(|| TestKey::from_pkcs8_pem(kid, pem).ok());
    match parsed {
        Some(key) => key.clone(),
        None => unreadable_shipped_key(kid),
    }
}

#[cold]
#[allow(clippy::panic)]
fn unreadable_shipped_key(kid: &str) -> TestKey {
    // Only reachable if the crate's own key files were corrupted: a broken build of the kit,
    // caught by its tests, never an input of the user's.
    panic!(
        "the shipped test key {kid} does not parse: the clerk-backend-testkit package is damaged"
    )
}

/// Why a PEM could not be read as a test key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestKeyError {
    message: String,
}

impl TestKeyError {
    fn new(message: &str) -> Self {
        Self {
            message: message.to_owned(),
        }
    }

    /// What is wrong with the PEM (never its content).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TestKeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TestKeyError {}

/// A PEM block of `der` under `label`, 64 base64 characters a line.
fn pem_lines(label: &str, der: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut pem = format!("-----BEGIN {label}-----\n");
    let mut rest = body.as_str();
    while !rest.is_empty() {
        let cut = rest.len().min(64);
        let (line, tail) = rest.split_at(cut);
        pem.push_str(line);
        pem.push('\n');
        rest = tail;
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    pem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_keys_parse_and_match_their_public_pems() {
        for (key, public) in [
            (TestKey::a(), include_str!("../../keys/test_a.pub.pem")),
            (TestKey::b(), include_str!("../../keys/test_b.pub.pem")),
        ] {
            assert_eq!(key.public_pem().trim(), public.trim());
            assert_eq!(key.public_key().unwrap().bits(), 2048);
        }
        assert_ne!(TestKey::a(), TestKey::b());
        assert_eq!(
            format!("{:?}", TestKey::a()),
            r#"TestKey { kid: "ins_test_a", .. }"#
        );
    }

    #[test]
    fn bad_pems_are_refused_without_quoting_them() {
        for pem in [
            "",
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
            "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----",
            "-----BEGIN PRIVATE KEY-----\nQUJDRA==\n-----END PRIVATE KEY-----",
        ] {
            let err = TestKey::from_pkcs8_pem("k", pem).unwrap_err();
            assert!(!err.message().is_empty());
            assert!(!err.to_string().contains("AAAA") && !err.to_string().contains("QUJD"));
        }
    }

    #[test]
    fn jwk_members() {
        let jwk = TestKey::a().jwk();
        assert_eq!(jwk["kty"], "RSA");
        assert_eq!(jwk["use"], "sig");
        assert_eq!(jwk["alg"], "RS256");
        assert_eq!(jwk["e"], "AQAB");
        // 2048 bits: 256 bytes, 342 base64url characters.
        assert_eq!(jwk["n"].as_str().unwrap().len(), 342);
        assert_eq!(TestKey::a().jwk_for(Algorithm::Rs512)["alg"], "RS512");
        let both = jwks(&[&TestKey::a(), &TestKey::b()]);
        assert_eq!(both["keys"][1]["kid"], "ins_test_b");
    }
}

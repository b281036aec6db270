//! Benchmarks of session-token verification (feature `auth`):
//!
//! - `verify_session_token` of a typical v2 session token (RS256, 2048-bit test key A, options
//!   with an authorized party) with the key at hand, against a bare `rsa` PKCS#1 v1.5 SHA-256
//!   verify of the same signing input and signature, hashing included (the verifier hashes
//!   too). Both are timed in alternating batches and the ratio is the median of the per-pair
//!   ratios, so a change in the machine's load hits both sides alike. The target is ≤ 1.1×.
//! - `Authentication::from_headers(..).step(..)` end to end over a loaded `JwksCache`: the
//!   token as `Authorization: Bearer`, as the `__session`/`__client_uat` cookies, and with
//!   `Mutex<JwksCache>` as the key source (what the transports use).
//!
//! Run with `cargo bench -p clerk-backend-tests --bench auth`. Same self-contained harness as
//! `benches/core.rs` (`harness = false`, helpers in `clerk_backend_tests::bench`). `now` is
//! fixed, so the token never expires; nothing asserts on time.

use std::hint::black_box;
use std::sync::Mutex;
use std::time::{Duration, UNIX_EPOCH};

use base64::Engine as _;
use clerk_backend_core::auth::{
    AuthOptions, AuthStatus, Authentication, JwksCache, KeySource, PublicKey, Step,
    verify_session_token,
};
use clerk_backend_core::models::Jwks;
use clerk_backend_tests::bench::{bench, compare};
use clerk_backend_tests::tokens::{TestKey, jwks, session_claims};
use rsa::Pkcs1v15Sign;
use rsa::pkcs8::DecodePublicKey as _;
use sha2::{Digest as _, Sha256};

/// The fixed `now`, in Unix seconds.
const NOW: u64 = 1_750_000_000;
const USER_ID: &str = "user_2abcdefghijklmnopqrstuvwxyz";
const AUTHORIZED_PARTY: &str = "https://app.example.test";

/// Panics unless `step` signed the request in (a setup check, outside any timing).
fn expect_signed_in(what: &str, step: Step) {
    match step {
        Step::Done(AuthStatus::SignedIn(_)) => {}
        other => panic!("{what}: expected signed in, got {other:?}"),
    }
}

fn main() {
    let target = Duration::from_secs(3);
    let now = UNIX_EPOCH + Duration::from_secs(NOW);
    let test_key = TestKey::a();

    // A typical v2 session token: session claims plus an active organization, features,
    // plan and factor verification age, as Clerk issues them.
    let mut claims = session_claims(USER_ID, NOW);
    let extra = serde_json::json!({
        "o": {"id": "org_2abcdefghijklmnopqrstuvwxyz", "slg": "acme", "rol": "admin",
              "per": "manage,read", "fpm": "3,2"},
        "fea": "o:dashboard,o:teams",
        "pla": "o:pro",
        "fva": [3, -1],
    });
    for (name, value) in extra.as_object().expect("object") {
        claims[name] = value.clone();
    }
    let token = test_key.session_token(&claims);
    let options = AuthOptions::new().authorized_party(AUTHORIZED_PARTY);

    // 1. One token with the key at hand, against bare rsa over the same bytes.
    let key = PublicKey::from_pem(test_key.public_pem()).expect("test key A");
    let session = verify_session_token(&token, &key, &options, now).expect("token verifies");
    assert_eq!(session.user_id, USER_ID);
    let (input, signature) = token.rsplit_once('.').expect("three segments");
    let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(signature)
        .expect("signature");
    let der = base64::engine::general_purpose::STANDARD
        .decode(
            test_key
                .public_pem()
                .lines()
                .filter(|line| !line.starts_with("-----"))
                .collect::<String>(),
        )
        .expect("PEM body");
    let bare = rsa::PublicKey::from_public_key_der(&der).expect("bare rsa key");
    let bare_verify = |input: &[u8], signature: &[u8]| {
        bare.verify(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(input),
            signature,
        )
    };
    bare_verify(input.as_bytes(), &signature).expect("bare verify");

    println!(
        "RS256 session token, 2048-bit key: {} bytes (signing input {} bytes)",
        token.len(),
        input.len()
    );
    compare(
        ("verify_session_token (key at hand)", || {
            black_box(verify_session_token(black_box(&token), &key, &options, now))
                .expect("verifies");
        }),
        ("bare rsa PKCS#1 v1.5 SHA-256 verify", || {
            black_box(bare_verify(
                black_box(input.as_bytes()),
                black_box(&signature),
            ))
            .expect("verifies");
        }),
        "ratio verify_session_token / bare rsa",
        target,
    );

    // 2. Authentication end to end over a JWKS cache loaded with key A.
    let jwks: Jwks = serde_json::from_value(jwks(&[&test_key])).expect("jwks");
    let mut cache = JwksCache::new();
    cache.on_jwks(Ok(jwks), now);
    let mut bearer = http::HeaderMap::new();
    bearer.insert(
        http::header::AUTHORIZATION,
        format!("Bearer {token}").parse().expect("header"),
    );
    let mut cookies = http::HeaderMap::new();
    cookies.insert(
        http::header::COOKIE,
        format!("__client_uat={NOW}; __session={token}")
            .parse()
            .expect("header"),
    );
    let locked = Mutex::new(cache.clone());
    let step = |headers: &http::HeaderMap, keys: &dyn KeySource| {
        Authentication::from_headers(headers, &options).step(&keys, now)
    };
    expect_signed_in("bearer", step(&bearer, &cache));
    expect_signed_in("cookies", step(&cookies, &cache));
    expect_signed_in("bearer, mutex", step(&bearer, &locked));
    expect_signed_in("cookies, mutex", step(&cookies, &locked));

    bench("step: Bearer, JwksCache", target, || {
        let mut authentication = Authentication::from_headers(black_box(&bearer), &options);
        let _ = black_box(authentication.step(&cache, now));
    });
    bench("step: __session cookie, JwksCache", target, || {
        let mut authentication = Authentication::from_headers(black_box(&cookies), &options);
        let _ = black_box(authentication.step(&cache, now));
    });
    bench("step: Bearer, Mutex<JwksCache>", target, || {
        let mut authentication = Authentication::from_headers(black_box(&bearer), &options);
        let _ = black_box(authentication.step(&locked, now));
    });
    bench("step: __session cookie, Mutex<JwksCache>", target, || {
        let mut authentication = Authentication::from_headers(black_box(&cookies), &options);
        let _ = black_box(authentication.step(&locked, now));
    });
}

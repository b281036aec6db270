//! Benchmark of webhook signature verification (feature `webhook`): checking a 10 KB delivery
//! (`Verifier::verify_signature`: headers, timestamp, HMAC-SHA256 of `id.timestamp.body`, the
//! base64 signature compared in constant time) against a bare HMAC-SHA256 of the same bytes.
//! The target is ≤ 1.2×.
//!
//! Run with `cargo bench -p clerk-backend-tests --bench webhook`. `now` is fixed; nothing
//! asserts on time.

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

use clerk_backend_core::webhook::{HeaderSet, SigningSecret, Verifier, sign};
use clerk_backend_tests::bench::compare;
use hmac::{KeyInit as _, Mac as _};

const TIMESTAMP: i64 = 1_750_000_000;
const ID: &str = "msg_2abcdefghijklmnopqrstuvwxyz";

fn main() {
    let secret_text = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let secret = SigningSecret::new(secret_text).expect("secret");
    // A 10 KB event body.
    let filler = "x".repeat(10 * 1024 - 120);
    let body = format!(
        r#"{{"type":"user.updated","object":"event","timestamp":1750000000000,"instance_id":"ins_1","data":{{"id":"user_1","bio":"{filler}"}}}}"#
    )
    .into_bytes();
    let headers = sign(&secret, ID, TIMESTAMP, &body).headers(HeaderSet::Svix);
    let verifier = Verifier::new(secret);
    let now = UNIX_EPOCH + Duration::from_secs(TIMESTAMP.unsigned_abs());
    verifier
        .verify_signature(&headers, &body, now)
        .expect("the delivery verifies");
    let key = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        secret_text.trim_start_matches("whsec_"),
    )
    .expect("key");
    let timestamp = TIMESTAMP.to_string();
    println!("delivery body: {} bytes", body.len());
    compare(
        ("verify_signature (10 KB delivery)", || {
            black_box(verifier.verify_signature(black_box(&headers), black_box(&body), now))
                .expect("verifies");
        }),
        ("bare HMAC-SHA256 of id.timestamp.body", || {
            let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).expect("any key");
            mac.update(ID.as_bytes());
            mac.update(b".");
            mac.update(timestamp.as_bytes());
            mac.update(b".");
            mac.update(black_box(&body));
            black_box(mac.finalize().into_bytes());
        }),
        "ratio verify_signature / bare HMAC",
        Duration::from_secs(3),
    );
}

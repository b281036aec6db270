//! The JWKS cache with an injected `now`: TTL, the refetch limit on unknown kids (a flood of
//! forged kids is one fetch), stale keys kept when a fetch fails, keys refused, a clock that
//! goes backwards, and bodies that are not a JWKS.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clerk_backend_core::auth::{
    AuthOptions, Authentication, DEFAULT_JWKS_TTL, DEFAULT_REFETCH_INTERVAL, JwksCache, KeyLookup,
    KeySource, Reason, Step,
};
use clerk_backend_core::models::Jwks;
use clerk_backend_core::{Error, TransportError, TransportErrorKind};
use clerk_backend_tests::tokens::{TestKey, b64, jwks, key_a, key_b, key_small, session_claims};
use serde_json::{Value, json};

const T0: u64 = 1_700_000_000;

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn jwks_of(keys: &[&TestKey]) -> Jwks {
    serde_json::from_value(jwks(keys)).expect("a JWKS")
}

fn failure(message: &str) -> Error {
    TransportError::new(TransportErrorKind::Connect, message).into()
}

/// A lookup's answer, comparable: the kid found, a fetch, or the refusal's reason.
#[derive(Debug, PartialEq, Eq)]
enum Answer {
    Found(String),
    Fetch,
    Refused(Reason),
}

fn ask(cache: &JwksCache, kid: &str, now: SystemTime, may_fetch: bool) -> Answer {
    match cache.lookup(Some(kid), now, may_fetch) {
        KeyLookup::Found(key) => Answer::Found(key.kid().unwrap_or_default().to_owned()),
        KeyLookup::Fetch => Answer::Fetch,
        KeyLookup::Refused(error) => Answer::Refused(error.reason()),
    }
}

fn found(kid: &str) -> Answer {
    Answer::Found(kid.to_owned())
}

/// The refusal's message for `kid` at `now` (fetching not allowed).
fn refusal_message(cache: &JwksCache, kid: &str, now: SystemTime) -> String {
    match cache.lookup(Some(kid), now, false) {
        KeyLookup::Refused(error) => error.message().to_owned(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn defaults_are_five_minutes_and_ten_seconds() {
    assert_eq!(DEFAULT_JWKS_TTL, Duration::from_secs(300));
    assert_eq!(DEFAULT_REFETCH_INTERVAL, Duration::from_secs(10));
}

#[test]
fn fresh_keys_are_found_and_expired_keys_are_fetched_again() {
    let mut cache = JwksCache::new();
    assert_eq!(ask(&cache, "ins_test_a", at(T0), true), Answer::Fetch);
    cache.on_jwks(Ok(jwks_of(&[key_a(), key_b()])), at(T0));
    assert_eq!(cache.fetched_at(), Some(at(T0)));
    assert_eq!(cache.keys().count(), 2);
    assert_eq!(ask(&cache, "ins_test_a", at(T0), true), found("ins_test_a"));
    assert_eq!(
        ask(&cache, "ins_test_b", at(T0 + 299), true),
        found("ins_test_b")
    );
    assert_eq!(ask(&cache, "ins_test_a", at(T0 + 300), true), Answer::Fetch);
    // When the caller may not fetch (it just did), an expired key is still used.
    assert_eq!(
        ask(&cache, "ins_test_a", at(T0 + 300), false),
        found("ins_test_a")
    );

    let mut short = JwksCache::new().ttl(Duration::from_secs(60));
    short.on_jwks(Ok(jwks_of(&[key_a()])), at(T0));
    assert_eq!(
        ask(&short, "ins_test_a", at(T0 + 59), true),
        found("ins_test_a")
    );
    assert_eq!(ask(&short, "ins_test_a", at(T0 + 60), true), Answer::Fetch);
}

#[test]
fn an_unknown_kid_refetches_at_most_once_per_interval() {
    let mut cache = JwksCache::new();
    cache.on_jwks(Ok(jwks_of(&[key_a()])), at(T0));
    let unknown = Answer::Refused(Reason::JwkKidMismatch);
    assert_eq!(ask(&cache, "ins_test_b", at(T0 + 1), true), unknown);
    assert_eq!(ask(&cache, "ins_test_b", at(T0 + 9), true), unknown);
    assert_eq!(ask(&cache, "ins_test_b", at(T0 + 10), true), Answer::Fetch);
    // A key rotation: the refetch brings the new kid.
    cache.on_jwks(Ok(jwks_of(&[key_a(), key_b()])), at(T0 + 10));
    assert_eq!(
        ask(&cache, "ins_test_b", at(T0 + 10), true),
        found("ins_test_b")
    );

    // An interval under one second is raised to one second.
    let mut fast = JwksCache::new().refetch_interval(Duration::from_millis(10));
    fast.on_jwks(Ok(jwks_of(&[key_a()])), at(T0));
    let half = at(T0) + Duration::from_millis(500);
    assert_eq!(ask(&fast, "forged", half, true), unknown);
    assert_eq!(ask(&fast, "forged", at(T0 + 1), true), Answer::Fetch);
}

/// Drives `lookups` forged kids, one per millisecond from `start`, through the cache as a
/// transport would (fetching whenever told to, the fetch answering `keys`); returns how many
/// fetches were made.
fn flood(cache: &mut JwksCache, start: SystemTime, lookups: u64, keys: &[&TestKey]) -> usize {
    let mut fetches = 0;
    for i in 0..lookups {
        let now = start + Duration::from_millis(i);
        let kid = format!("forged_{i}");
        match ask(cache, &kid, now, true) {
            Answer::Fetch => {
                fetches += 1;
                cache.on_jwks(Ok(jwks_of(keys)), now);
                assert_eq!(
                    ask(cache, &kid, now, false),
                    Answer::Refused(Reason::JwkKidMismatch)
                );
            }
            Answer::Refused(reason) => assert_eq!(reason, Reason::JwkKidMismatch, "{kid}"),
            Answer::Found(kid) => panic!("a forged kid found {kid}"),
        }
    }
    fetches
}

#[test]
fn a_flood_of_forged_kids_is_at_most_one_fetch_per_interval() {
    let mut cache = JwksCache::new();
    cache.on_jwks(Ok(jwks_of(&[key_a()])), at(T0 - 60));
    assert_eq!(flood(&mut cache, at(T0), 1000, &[key_a()]), 1);
    // The next interval allows one more.
    assert_eq!(flood(&mut cache, at(T0 + 10), 1000, &[key_a()]), 1);
    // The real key is still found throughout.
    assert_eq!(
        ask(&cache, "ins_test_a", at(T0 + 11), true),
        found("ins_test_a")
    );
    // A cache whose fetch is recent takes none at all.
    let mut recent = JwksCache::new();
    recent.on_jwks(Ok(jwks_of(&[key_a()])), at(T0));
    assert_eq!(flood(&mut recent, at(T0 + 1), 1000, &[key_a()]), 0);
}

#[test]
fn a_flood_through_authentication_is_one_fetch() {
    let mut cache = JwksCache::new();
    cache.on_jwks(Ok(jwks_of(&[key_a()])), at(T0 - 60));
    let options = AuthOptions::new();
    let claims = session_claims("user_1", T0).to_string();
    let mut fetches = 0;
    for i in 0..1000_u64 {
        let now = at(T0) + Duration::from_millis(i);
        let header = json!({"alg": "RS256", "typ": "JWT", "kid": format!("forged_{i}")});
        // The kid is looked up before the signature is checked: a garbage one will do.
        let token = format!(
            "{}.{}.{}",
            b64(header.to_string()),
            b64(&claims),
            b64([7; 256])
        );
        let mut flow = Authentication::from_token(&token, &options);
        let status = loop {
            match flow.step(&cache, now) {
                Step::Done(status) => break status,
                Step::FetchJwks(_request) => {
                    fetches += 1;
                    cache.on_jwks(Ok(jwks_of(&[key_a()])), now);
                }
                other => panic!("a session-only flow asked for {other:?}"),
            }
        };
        assert_eq!(status.reason(), Some(Reason::JwkKidMismatch), "forged_{i}");
    }
    assert_eq!(fetches, 1);
}

#[test]
fn keys_are_kept_when_a_fetch_fails() {
    let mut cache = JwksCache::new();
    cache.on_jwks(Ok(jwks_of(&[key_a()])), at(T0));
    assert_eq!(ask(&cache, "ins_test_a", at(T0 + 301), true), Answer::Fetch);
    cache.on_jwks(Err(failure("connection refused")), at(T0 + 301));
    // Stale, but the only keys there are; not fetched again before the interval.
    assert_eq!(
        ask(&cache, "ins_test_a", at(T0 + 301), true),
        found("ins_test_a")
    );
    assert_eq!(
        ask(&cache, "ins_test_a", at(T0 + 310), true),
        found("ins_test_a")
    );
    assert_eq!(
        ask(&cache, "ins_test_b", at(T0 + 302), true),
        Answer::Refused(Reason::JwkKidMismatch)
    );
    assert_eq!(ask(&cache, "ins_test_a", at(T0 + 311), true), Answer::Fetch);
    cache.on_jwks(Err(failure("timed out")), at(T0 + 311));
    assert_eq!(
        ask(&cache, "ins_test_a", at(T0 + 312), true),
        found("ins_test_a")
    );
    assert_eq!(cache.fetched_at(), Some(at(T0)));
    assert_eq!(cache.keys().count(), 1);
}

#[test]
fn no_keys_and_a_failed_fetch_is_failed_to_load() {
    let mut cache = JwksCache::new();
    assert_eq!(
        ask(&cache, "ins_test_a", at(T0), false),
        Answer::Refused(Reason::JwkRemoteFailedToLoad)
    );
    assert!(refusal_message(&cache, "ins_test_a", at(T0)).contains("no JWKS has been loaded"));
    assert_eq!(ask(&cache, "ins_test_a", at(T0), true), Answer::Fetch);
    cache.on_jwks(Err(failure("connection refused")), at(T0));
    let failed = Answer::Refused(Reason::JwkRemoteFailedToLoad);
    assert_eq!(ask(&cache, "ins_test_a", at(T0 + 1), true), failed);
    assert!(refusal_message(&cache, "ins_test_a", at(T0 + 1)).contains("connection refused"));
    assert_eq!(ask(&cache, "ins_test_a", at(T0 + 10), true), Answer::Fetch);
    // A JWKS without any key is no better.
    cache.on_jwks(
        Ok(serde_json::from_value(json!({"keys": []})).expect("a JWKS")),
        at(T0 + 10),
    );
    assert_eq!(ask(&cache, "ins_test_a", at(T0 + 11), true), failed);
}

#[test]
fn a_clock_going_backwards_refreshes_rather_than_trusts() {
    let mut cache = JwksCache::new();
    cache.on_jwks(Ok(jwks_of(&[key_a()])), at(T0));
    // Before the fetch time: counted as a long time, so the keys are fetched again.
    assert_eq!(ask(&cache, "ins_test_a", at(T0 - 60), true), Answer::Fetch);
    assert_eq!(
        ask(&cache, "ins_test_a", at(T0 - 60), false),
        found("ins_test_a")
    );
    cache.on_jwks(Ok(jwks_of(&[key_a()])), at(T0 - 60));
    assert_eq!(
        ask(&cache, "ins_test_a", at(T0 - 59), true),
        found("ins_test_a")
    );
    assert_eq!(
        ask(&cache, "forged", at(T0 - 59), true),
        Answer::Refused(Reason::JwkKidMismatch)
    );
    // And still no flood: one fetch for a thousand forged kids, a minute in the past.
    let mut cache = JwksCache::new();
    cache.on_jwks(Ok(jwks_of(&[key_a()])), at(T0));
    assert_eq!(flood(&mut cache, at(T0 - 100), 1000, &[key_a()]), 1);
    // A failed fetch with the clock back keeps the keys too.
    let mut cache = JwksCache::new();
    cache.on_jwks(Ok(jwks_of(&[key_a()])), at(T0));
    cache.on_jwks(Err(failure("connection refused")), at(T0 - 30));
    assert_eq!(
        ask(&cache, "ins_test_a", at(T0 - 29), true),
        found("ins_test_a")
    );
}

/// A JWKS body whose keys are all refused but `ins_test_a`.
fn mixed_jwks() -> Value {
    let a = key_a().jwk();
    let mut enc = a.clone();
    enc["kid"] = json!("enc_1");
    enc["use"] = json!("enc");
    let mut hs = a.clone();
    hs["kid"] = json!("rsa_hs256");
    hs["alg"] = json!("HS256");
    let mut private = a.clone();
    private["kid"] = json!("rsa_private");
    for member in ["d", "p", "q"] {
        private[member] = json!("AQAB");
    }
    let mut bad_n = a.clone();
    bad_n["kid"] = json!("bad_n");
    bad_n["n"] = json!("!!not base64!!");
    let mut e_one = a.clone();
    e_one["kid"] = json!("e_one");
    e_one["e"] = json!("AQ");
    let mut tiny = a.clone();
    tiny["kid"] = json!("tiny");
    tiny["n"] = json!("wAAAAAAAAAE");
    json!({"keys": [
        {"kty": "EC", "crv": "P-256", "kid": "ec_1", "use": "sig", "alg": "ES256",
         "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
         "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},
        {"kty": "oct", "kid": "hs_1", "k": "c2VjcmV0", "alg": "HS256", "use": "sig"},
        {"kty": "OKP", "crv": "Ed25519", "kid": "ed_1", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", "alg": "EdDSA", "use": "sig"},
        {"kty": "XYZ", "kid": "weird"},
        enc, hs, private, bad_n, e_one, tiny,
        key_small().jwk(),
        a,
    ]})
}

#[test]
fn refused_keys_are_listed_as_remote_invalid() {
    let mut cache = JwksCache::new();
    let body = mixed_jwks().to_string();
    cache.on_response(Ok(clerk_backend_tests::json(200, &body)), at(T0));
    assert_eq!(
        cache
            .keys()
            .map(|k| k.kid().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["ins_test_a"]
    );
    assert_eq!(
        ask(&cache, "ins_test_a", at(T0 + 1), true),
        found("ins_test_a")
    );
    for (kid, why) in [
        ("ec_1", "not an RSA public key"),
        ("hs_1", "not an RSA public key"),
        ("ed_1", "not an RSA public key"),
        ("weird", "not an RSA public key"),
        ("rsa_private", "not an RSA public key"),
        ("enc_1", "enc"),
        ("rsa_hs256", "HS256"),
        ("bad_n", "base64url"),
        ("e_one", "not a valid RSA key"),
        ("tiny", ""),
        ("ins_test_small", "1024"),
    ] {
        assert_eq!(
            ask(&cache, kid, at(T0 + 1), true),
            Answer::Refused(Reason::JwkRemoteInvalid),
            "{kid}"
        );
        let message = refusal_message(&cache, kid, at(T0 + 1));
        assert!(message.contains(why), "{kid}: {message}");
    }
    // The cache shows key ids and sizes, never a modulus.
    let modulus = key_a().jwk()["n"].as_str().expect("n")[..32].to_owned();
    assert!(!format!("{cache:?}").contains(&modulus));
}

/// What a JWKS fetch gave: a response, or a transport error.
type Answered = Result<http::Response<Vec<u8>>, Error>;

#[test]
fn a_body_that_is_not_a_jwks_keeps_the_old_keys() {
    let mut cache = JwksCache::new();
    cache.on_jwks(Ok(jwks_of(&[key_a()])), at(T0));
    let good = jwks(&[key_b()]).to_string();
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let answers: Vec<(&str, Answered)> = vec![
        (
            "HTML error page",
            Ok(clerk_backend_tests::raw(502, "text/html", html.as_bytes())),
        ),
        (
            "HTML with 200",
            Ok(clerk_backend_tests::raw(200, "text/html", html.as_bytes())),
        ),
        (
            "truncated body",
            Ok(clerk_backend_tests::json(200, &good[..good.len() / 2])),
        ),
        ("empty body", Ok(clerk_backend_tests::json(200, ""))),
        (
            "JSON without keys",
            Ok(clerk_backend_tests::json(200, r#"{"keys": 7}"#)),
        ),
        (
            "Clerk error",
            Ok(clerk_backend_tests::json(
                401,
                r#"{"errors":[{"code":"authentication_invalid","message":"Unauthorized"}]}"#,
            )),
        ),
        ("transport error", Err(failure("connection reset"))),
    ];
    let mut now = T0 + 301;
    for (name, answer) in answers {
        assert_eq!(
            ask(&cache, "ins_test_a", at(now), true),
            Answer::Fetch,
            "{name}"
        );
        cache.on_response(answer, at(now));
        assert_eq!(
            ask(&cache, "ins_test_a", at(now), true),
            found("ins_test_a"),
            "{name}"
        );
        assert_eq!(cache.fetched_at(), Some(at(T0)), "{name}");
        now += 10;
    }
    // A good answer replaces the keys: a rotated-out kid is no longer found.
    cache.on_response(Ok(clerk_backend_tests::json(200, &good)), at(now));
    assert_eq!(
        ask(&cache, "ins_test_b", at(now), true),
        found("ins_test_b")
    );
    assert_eq!(
        ask(&cache, "ins_test_a", at(now), true),
        Answer::Refused(Reason::JwkKidMismatch)
    );
}

#[test]
fn a_wrongly_typed_entry_fails_the_fetch_and_keeps_the_old_keys() {
    // An RSA entry whose members have the wrong JSON types, next to a good key. Today the
    // response decoder refuses the whole body (the generated `Jwks` model, not the cache):
    // no key of it is loaded, and the keys already known stay in use.
    let body = json!({"keys": [
        {"kty": "RSA", "kid": "typed_wrong", "n": 12, "e": false, "use": "sig", "alg": "RS256"},
        key_b().jwk(),
    ]})
    .to_string();
    let mut cache = JwksCache::new();
    cache.on_jwks(Ok(jwks_of(&[key_a()])), at(T0));
    cache.on_response(Ok(clerk_backend_tests::json(200, &body)), at(T0 + 301));
    assert_eq!(
        ask(&cache, "ins_test_a", at(T0 + 302), true),
        found("ins_test_a")
    );
    assert_eq!(
        ask(&cache, "ins_test_b", at(T0 + 302), true),
        Answer::Refused(Reason::JwkKidMismatch)
    );
    let mut empty = JwksCache::new();
    empty.on_response(Ok(clerk_backend_tests::json(200, &body)), at(T0));
    assert_eq!(
        ask(&empty, "ins_test_b", at(T0 + 1), true),
        Answer::Refused(Reason::JwkRemoteFailedToLoad)
    );
}

//! Property tests of session-token verification: any single-byte change of a valid token is
//! refused, and no input (Authorization values, cookies, token-shaped garbage, signed tokens
//! with arbitrary claims) makes `Authentication` panic or sign a request in wrongly.

use std::sync::OnceLock;

use clerk_backend_core::auth::{
    AuthOptions, AuthStatus, Authentication, JwksCache, Step, verify_session_token,
};
use clerk_backend_core::models::Jwks;
use clerk_backend_tests::tokens::{NOW, b64, jwks, key_a, now, pem_a, session_claims};
use http::{HeaderMap, HeaderValue};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// A valid session token of key a at `NOW`.
fn valid() -> &'static str {
    static TOKEN: OnceLock<String> = OnceLock::new();
    TOKEN.get_or_init(|| key_a().session_token(&session_claims("user_1", NOW)))
}

fn options() -> &'static AuthOptions {
    static OPTIONS: OnceLock<AuthOptions> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        AuthOptions::new()
            .authorized_party("https://app.example.test")
            .issuer("https://clerk.example.test")
    })
}

fn jwks_a() -> Jwks {
    serde_json::from_value(jwks(&[key_a()])).expect("a JWKS")
}

/// The verdict with key a's PEM.
fn with_pem(headers: &HeaderMap) -> AuthStatus {
    Authentication::from_headers(headers, options()).verdict(pem_a(), now())
}

/// The verdict with a JWKS cache, answering a fetch with key a's JWKS (once at most).
fn with_jwks(headers: &HeaderMap) -> AuthStatus {
    let mut cache = JwksCache::new();
    let mut flow = Authentication::from_headers(headers, options());
    let mut fetches = 0;
    loop {
        match flow.step(&cache, now()) {
            Step::Done(status) => return status,
            Step::FetchJwks(_request) => {
                fetches += 1;
                assert!(fetches <= 1, "one fetch at most");
                cache.on_jwks(Ok(jwks_a()), now());
            }
            // Only session tokens are accepted here: no machine verification is asked for.
            other => return flow_step_unexpected(other),
        }
    }
}

fn flow_step_unexpected(step: Step) -> AuthStatus {
    panic!("a session-only flow asked for {step:?}")
}

fn bearer(token: &[u8]) -> Option<HeaderMap> {
    let value = HeaderValue::from_bytes(&[b"Bearer ".as_slice(), token].concat()).ok()?;
    let mut headers = HeaderMap::new();
    headers.insert(http::header::AUTHORIZATION, value);
    Some(headers)
}

/// Whether `token` (any bytes) is refused everywhere it can be given: as a `&str` (lossily
/// when it is not UTF-8), and as a Bearer header with a PEM key or a JWKS.
fn refused_everywhere(token: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(token);
    if let Ok(session) = verify_session_token(&text, pem_a(), options(), now()) {
        return Err(format!("verify signed in {}", session.user_id));
    }
    let status = Authentication::from_token(&text, options()).verdict(pem_a(), now());
    if status.is_signed_in() {
        return Err("from_token signed in".into());
    }
    if let Some(headers) = bearer(token)
        && (with_pem(&headers).is_signed_in() || with_jwks(&headers).is_signed_in())
    {
        return Err("the Bearer header signed in".into());
    }
    Ok(())
}

#[test]
fn the_unchanged_token_signs_in_everywhere() {
    let token = valid();
    assert!(verify_session_token(token, pem_a(), options(), now()).is_ok());
    let headers = bearer(token.as_bytes()).expect("a header");
    assert!(with_pem(&headers).is_signed_in());
    assert!(with_jwks(&headers).is_signed_in());
}

#[test]
fn every_position_changed_to_its_base64_neighbour_is_refused() {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let token = valid().as_bytes();
    for index in 0..token.len() {
        let mut changed = token.to_vec();
        changed[index] = match ALPHABET.iter().position(|b| *b == token[index]) {
            Some(at) => ALPHABET[(at + 1) % ALPHABET.len()],
            None => b'A', // the dots
        };
        if let Err(why) = refused_everywhere(&changed) {
            panic!("byte {index} changed: {why}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Any byte at any position, changed to any other value (non-ASCII included).
    #[test]
    fn any_single_byte_change_is_refused(index in any::<prop::sample::Index>(), delta in 1_u8..=255) {
        let mut token = valid().as_bytes().to_vec();
        let at = index.index(token.len());
        token[at] = token[at].wrapping_add(delta);
        if let Err(why) = refused_everywhere(&token) {
            prop_assert!(false, "byte {} changed by {}: {}", at, delta, why);
        }
    }

    /// A byte inserted or removed anywhere is refused too.
    #[test]
    fn any_inserted_or_removed_byte_is_refused(index in any::<prop::sample::Index>(), byte in any::<u8>(), insert in any::<bool>()) {
        let mut token = valid().as_bytes().to_vec();
        if insert {
            token.insert(index.index(token.len() + 1), byte);
        } else {
            token.remove(index.index(token.len()));
        }
        if let Err(why) = refused_everywhere(&token) {
            prop_assert!(false, "{}", why);
        }
    }

    /// Any Authorization value and any Cookie value: a verdict, never a panic, never signed in.
    #[test]
    fn random_headers_never_panic(authorization in proptest::option::of(any::<Vec<u8>>()), cookie in proptest::option::of(any::<Vec<u8>>())) {
        let mut headers = HeaderMap::new();
        if let Some(value) = authorization.and_then(|v| HeaderValue::from_bytes(&v).ok()) {
            headers.insert(http::header::AUTHORIZATION, value);
        }
        if let Some(value) = cookie.and_then(|v| HeaderValue::from_bytes(&v).ok()) {
            headers.insert(http::header::COOKIE, value);
        }
        prop_assert!(!with_pem(&headers).is_signed_in());
        prop_assert!(!with_jwks(&headers).is_signed_in());
    }

    /// Session cookies and `__client_uat` of any text.
    #[test]
    fn random_cookies_never_panic(session in ".{0,64}", uat in ".{0,24}", suffixed in any::<bool>()) {
        let name = if suffixed { "__session_l2OS3d9k" } else { "__session" };
        let text = format!("{name}={session}; __client_uat={uat}");
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_str(&text) {
            headers.insert(http::header::COOKIE, value);
        }
        prop_assert!(!with_pem(&headers).is_signed_in());
        prop_assert!(!with_jwks(&headers).is_signed_in());
    }

    /// Token-shaped garbage: three base64url segments of random JSON headers and payloads
    /// and a random signature, reaching the key lookup and the signature check.
    #[test]
    fn token_shaped_garbage_never_panics(header in header_strategy(), claims in claims_strategy(), signature in proptest::collection::vec(any::<u8>(), 0..300)) {
        let token = format!("{}.{}.{}", b64(header.to_string()), b64(claims.to_string()), b64(&signature));
        if let Err(why) = refused_everywhere(token.as_bytes()) {
            prop_assert!(false, "{}", why);
        }
    }
}

proptest! {
    // Signing is slow in a debug build: fewer cases.
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Correctly signed tokens with arbitrary claim values: a verdict, never a panic; and a
    /// token signed in has a string `sub` and a number `exp`.
    #[test]
    fn signed_tokens_with_any_claims_never_panic(claims in claims_strategy()) {
        let token = key_a().session_token(&claims);
        let result = verify_session_token(&token, pem_a(), options(), now());
        let headers = bearer(token.as_bytes()).expect("a header");
        let by_pem = with_pem(&headers);
        let by_jwks = with_jwks(&headers);
        prop_assert_eq!(by_pem.is_signed_in(), result.is_ok());
        prop_assert_eq!(by_jwks.is_signed_in(), result.is_ok());
        if let Ok(session) = result {
            prop_assert_eq!(claims.get("sub").and_then(Value::as_str), Some(session.user_id.as_str()));
            prop_assert!(claims.get("exp").is_some_and(Value::is_number));
        }
    }
}

/// Any JSON value, two levels deep, with numbers at the edges (huge, negative, fractional).
fn value_strategy() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        (NOW - 100..NOW + 100).prop_map(|n| json!(n)),
        ".{0,12}".prop_map(Value::String),
        "[-0-9.,a-z:]{0,24}".prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z]{1,4}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Session claims where every well-known claim may be valid, absent or any JSON value.
fn claims_strategy() -> impl Strategy<Value = Value> {
    let names = [
        "sub",
        "exp",
        "nbf",
        "iat",
        "azp",
        "iss",
        "aud",
        "sts",
        "v",
        "o",
        "fea",
        "pla",
        "fva",
        "act",
        "org_id",
        "org_role",
        "org_permissions",
        "sid",
    ];
    // Mostly the valid value (so that some tokens sign in), sometimes absent or anything.
    proptest::collection::vec((0..5_u8, value_strategy()), names.len()).prop_map(move |choices| {
        let base = session_claims("user_1", NOW);
        let mut claims = Map::new();
        for (name, (choice, value)) in names.iter().zip(choices) {
            match choice {
                0..=2 => {
                    if let Some(valid) = base.get(*name) {
                        claims.insert((*name).to_owned(), valid.clone());
                    }
                }
                3 => {}
                _ => {
                    claims.insert((*name).to_owned(), value);
                }
            }
        }
        Value::Object(claims)
    })
}

/// Headers with allowed and forbidden algorithms, known and unknown kids, any `typ`/`cat`.
fn header_strategy() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            Just(json!("RS256")),
            Just(json!("RS384")),
            Just(json!("none")),
            Just(json!("HS256")),
            value_strategy()
        ],
        prop_oneof![Just(json!("ins_test_a")), value_strategy()],
        proptest::option::of(prop_oneof![Just(json!("JWT")), value_strategy()]),
        proptest::option::of(prop_oneof![
            Just(json!("cl_B7d4PD111AAA")),
            Just(json!("cl_B7d4PD333AAA")),
            value_strategy()
        ]),
    )
        .prop_map(|(alg, kid, typ, cat)| {
            let mut header = json!({"alg": alg, "kid": kid});
            if let Some(typ) = typ {
                header["typ"] = typ;
            }
            if let Some(cat) = cat {
                header["cat"] = cat;
            }
            header
        })
}

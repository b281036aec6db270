//! A corpus of crafted session tokens, each refused with its exact reason, and the edge cases
//! that must be accepted: what an attacker would try against `verify_session_token` and the
//! `Authentication` flow. Time is fixed (`NOW`); the real clock is never read.

use std::time::Duration;

use base64::Engine as _;
use clerk_backend_core::auth::{
    AuthOptions, AuthStatus, Authentication, JwksCache, PublicKey, PublishableKey, Reason,
    SessionClaims, SessionStatus, Step, TokenType, verify_session_token,
};
use clerk_backend_core::models::Jwks;
use clerk_backend_core::{TransportError, TransportErrorKind};
use clerk_backend_tests::tokens::{
    NOW, TestKey, b64, jwks, key_a, key_b, key_small, now, pem_a, session_claims,
};
use serde_json::{Value, json};
use sha2::Digest as _;

const APP: &str = "https://app.example.test";
const ISSUER: &str = "https://clerk.example.test";

// ---- claims and headers -------------------------------------------------------------------

/// Valid claims at `NOW` (azp `APP`, iss `ISSUER`, iat `NOW`, nbf `NOW - 10`, exp `NOW + 60`).
fn c() -> Value {
    session_claims("user_1", NOW)
}

/// `value` with `name` set.
fn set(mut value: Value, name: &str, to: Value) -> Value {
    value[name] = to;
    value
}

/// `value` without `name`.
fn del(mut value: Value, name: &str) -> Value {
    value.as_object_mut().expect("an object").remove(name);
    value
}

/// Key a's session header (RS256, JWT, kid, session category).
fn h() -> Value {
    key_a().header()
}

/// A token of key a with its session header.
fn t(claims: Value) -> String {
    key_a().session_token(&claims)
}

/// A token of key a with any header.
fn th(header: Value, claims: Value) -> String {
    key_a().sign(&header, &claims)
}

/// Raw segments: header and payload text (base64url-encoded here) and signature bytes.
fn raw(header: &str, payload: &str, signature: &[u8]) -> String {
    format!("{}.{}.{}", b64(header), b64(payload), b64(signature))
}

/// The signature segment of `token`, decoded.
fn sig_of(token: &str) -> Vec<u8> {
    let segment = token.rsplit('.').next().expect("a segment");
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(segment)
        .expect("a base64url signature")
}

/// `token` with its signature replaced.
fn resign(token: &str, signature: &[u8]) -> String {
    let (input, _) = token.rsplit_once('.').expect("three segments");
    format!("{input}.{}", b64(signature))
}

/// `token` with its segment `index` replaced by `segment` (already encoded).
fn replace_segment(token: &str, index: usize, segment: &str) -> String {
    let mut parts: Vec<&str> = token.split('.').collect();
    parts[index] = segment;
    parts.join(".")
}

/// HMAC-SHA256 (RFC 2104) by hand over `sha2`, to forge HS256 tokens keyed with the PEM text.
fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut block = [0_u8; 64];
    if key.len() > block.len() {
        block[..32].copy_from_slice(&sha2::Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.iter().map(|b| b ^ byte).collect::<Vec<u8>>();
    let inner = sha2::Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    sha2::Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .to_vec()
}

/// An HS256 token whose MAC key is `secret` (the classic RS256 → HS256 key-confusion attack).
fn hs256(secret: &str, claims: &Value) -> String {
    let header = json!({"alg": "HS256", "typ": "JWT", "kid": "ins_test_a"});
    let input = format!("{}.{}", b64(header.to_string()), b64(claims.to_string()));
    let mac = hmac_sha256(secret.as_bytes(), input.as_bytes());
    format!("{input}.{}", b64(mac))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn hand_hmac_matches_rfc_4231() {
    // RFC 4231, test cases 2 and 6 (a key longer than the block is hashed first).
    assert_eq!(
        hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    assert_eq!(
        hex(&hmac_sha256(
            &[0xaa; 131],
            b"Test Using Larger Than Block-Size Key - Hash Key First"
        )),
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
    );
}

// ---- how a case is run --------------------------------------------------------------------

/// The keys a JWKS case starts with.
#[derive(Clone, Copy)]
enum Keys {
    /// Keys a and small (refused) fetched a minute ago; a refetch answers the same.
    Fetched,
    /// Nothing fetched yet, and fetching fails.
    Failing,
}

/// Where a case's token goes.
enum Via {
    /// `verify_session_token` with key a's PEM and these options.
    Verify(AuthOptions),
    /// `Authorization: Bearer <token>` through `Authentication`, with key a's PEM.
    Bearer(AuthOptions),
    /// `Authorization: Bearer <token>` through `Authentication` with a `JwksCache`.
    Jwks(Keys),
}

fn pem() -> Via {
    Via::Verify(AuthOptions::new())
}

fn pem_with(options: AuthOptions) -> Via {
    Via::Verify(options)
}

fn bearer() -> Via {
    Via::Bearer(AuthOptions::new())
}

fn azp() -> AuthOptions {
    AuthOptions::new().authorized_party(APP)
}

fn aud() -> AuthOptions {
    AuthOptions::new().audience("api.example.test")
}

fn iss() -> AuthOptions {
    AuthOptions::new().issuer(ISSUER)
}

fn jwks_value(keys: &[&TestKey]) -> Jwks {
    serde_json::from_value(jwks(keys)).expect("a JWKS")
}

/// What a case gave: the verdict, and every text a refusal exposes (message, Display, Debug).
struct Outcome {
    result: Result<SessionClaims, Reason>,
    texts: Vec<String>,
    fetches: usize,
}

fn from_status(status: AuthStatus, fetches: usize) -> Outcome {
    let mut texts = vec![format!("{status:?}")];
    if let AuthStatus::SignedOut(out) = &status {
        texts.push(out.message.clone());
        texts.push(format!("{out:?}"));
    }
    let result = match (status.session(), status.reason()) {
        (Some(session), None) => Ok(session.clone()),
        (None, Some(reason)) => Err(reason),
        other => panic!("a status is signed in or signed out, not {other:?}"),
    };
    Outcome {
        result,
        texts,
        fetches,
    }
}

fn bearer_headers(token: &str) -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    headers.insert(
        http::header::AUTHORIZATION,
        format!("Bearer {token}").parse().expect("a header value"),
    );
    headers
}

fn run(token: &str, via: &Via) -> Outcome {
    match via {
        Via::Verify(options) => match verify_session_token(token, pem_a(), options, now()) {
            Ok(session) => Outcome {
                result: Ok(session),
                texts: Vec::new(),
                fetches: 0,
            },
            Err(error) => Outcome {
                result: Err(error.reason()),
                texts: vec![
                    error.message().to_owned(),
                    error.to_string(),
                    format!("{error:?}"),
                ],
                fetches: 0,
            },
        },
        Via::Bearer(options) => {
            let headers = bearer_headers(token);
            let status = Authentication::from_headers(&headers, options).verdict(pem_a(), now());
            from_status(status, 0)
        }
        Via::Jwks(keys) => {
            let options = AuthOptions::new();
            let mut cache = JwksCache::new();
            if let Keys::Fetched = keys {
                let a_minute_ago = now() - Duration::from_secs(60);
                cache.on_jwks(Ok(jwks_value(&[key_a(), key_small()])), a_minute_ago);
            }
            let headers = bearer_headers(token);
            let mut flow = Authentication::from_headers(&headers, &options);
            let mut fetches = 0;
            loop {
                match flow.step(&cache, now()) {
                    Step::Done(status) => {
                        let mut outcome = from_status(status, fetches);
                        outcome.texts.push(format!("{cache:?}"));
                        break outcome;
                    }
                    Step::FetchJwks(_request) => {
                        fetches += 1;
                        assert!(fetches <= 1, "the flow asks for the JWKS once at most");
                        match keys {
                            Keys::Fetched => {
                                cache.on_jwks(Ok(jwks_value(&[key_a(), key_small()])), now());
                            }
                            Keys::Failing => cache.on_jwks(
                                Err(TransportError::new(
                                    TransportErrorKind::Connect,
                                    "connection refused",
                                )
                                .into()),
                                now(),
                            ),
                        }
                    }
                    other => panic!("a session-only flow asked for {other:?}"),
                }
            }
        }
    }
}

// ---- the corpus -----------------------------------------------------------------------------

struct Case {
    name: &'static str,
    token: String,
    via: Via,
    expected: Reason,
}

fn row(name: &'static str, token: String, via: Via, expected: Reason) -> Case {
    Case {
        name,
        token,
        via,
        expected,
    }
}

fn mismatch(found: TokenType) -> Reason {
    Reason::TokenTypeMismatch { found }
}

/// Every crafted token that must be refused, with its reason: one line a case.
#[rustfmt::skip]
fn refused() -> Vec<Case> {
    use Reason as R;
    let a = key_a();
    let valid = t(c());
    let sig = sig_of(&valid);
    let body = |token: &str| token.split('.').nth(1).expect("a payload").to_owned();
    let head = |token: &str| token.split('.').next().expect("a header").to_owned();
    let other_user = t(set(c(), "sub", json!("user_2")));
    let deep_array = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let deep_object = format!("{}1{}", r#"{"a":"#.repeat(5000), "}".repeat(5000));
    let mut truncated = sig.clone();
    truncated.pop();
    let mut extended = sig.clone();
    extended.push(0);
    let rs256_sig_under = |alg: &str| {
        let header = set(h(), "alg", json!(alg));
        let input = format!("{}.{}", b64(header.to_string()), b64(c().to_string()));
        let signature = a.sign_bytes("RS256", input.as_bytes());
        format!("{input}.{}", b64(signature))
    };
    let std_b64_sig = {
        let standard = base64::engine::general_purpose::STANDARD_NO_PAD.encode(&sig);
        assert_ne!(
            standard,
            b64(&sig),
            "the signature has a - or _ to turn into + or /"
        );
        replace_segment(&valid, 2, &standard)
    };
    let embedded_jwk = key_b().sign(&set(h(), "jwk", key_b().jwk()), &c());
    let jku = key_b().sign(
        &set(key_b().header(), "jku", json!("https://evil.example/jwks")),
        &c(),
    );
    vec![
        // Form: three base64url segments of JSON objects.
        row("empty token", String::new(), pem(), R::TokenInvalid),
        row("two segments", format!("{}.{}", head(&valid), body(&valid)), pem(), R::TokenInvalid),
        row("four segments", format!("{valid}.{}", b64(&sig)), pem(), R::TokenInvalid),
        row("only dots", "..".into(), pem(), R::TokenInvalid),
        row("bad base64 header", replace_segment(&valid, 0, "eyJ!bGciOi"), pem(), R::TokenInvalid),
        row("bad base64 payload", replace_segment(&valid, 1, "e*J"), pem(), R::TokenInvalid),
        row("padded header", replace_segment(&valid, 0, &format!("{}=", head(&valid))), pem(), R::TokenInvalid),
        row("standard-alphabet signature", std_b64_sig, pem(), R::TokenInvalid),
        row("trailing newline", format!("{valid}\n"), pem(), R::TokenInvalid),
        row("non-JSON payload", raw(&h().to_string(), "not json", &sig), pem(), R::TokenInvalid),
        row("JSON array payload", th(h(), json!([c()])), pem(), R::TokenInvalid),
        row("JSON string payload", th(h(), json!("user_1")), pem(), R::TokenInvalid),
        row("JSON array header", raw("[]", &c().to_string(), &sig), pem(), R::TokenInvalid),
        row("null header", raw("null", &c().to_string(), &sig), pem(), R::TokenInvalid),
        row("deeply nested array payload", raw(&h().to_string(), &deep_array, &sig), pem(), R::TokenInvalid),
        row("deeply nested object payload", raw(&h().to_string(), &deep_object, &sig), pem(), R::TokenInvalid),
        row("exp beyond f64 (1e400)", raw(&h().to_string(), r#"{"sub":"user_1","exp":1e400}"#, &sig), pem(), R::TokenInvalid),
        // Header: typ, then alg, whatever the key is.
        row("typ jwt lowercase", th(set(h(), "typ", json!("jwt")), c()), pem(), R::TokenInvalidType),
        row("typ JWS", th(set(h(), "typ", json!("JWS")), c()), pem(), R::TokenInvalidType),
        row("typ number", th(set(h(), "typ", json!(1)), c()), pem(), R::TokenInvalidType),
        row("typ null", th(set(h(), "typ", Value::Null), c()), pem(), R::TokenInvalidType),
        row("typ checked before alg", raw(r#"{"alg":"none","typ":"JOSE"}"#, &c().to_string(), b""), pem(), R::TokenInvalidType),
        row("alg none, empty signature", raw(r#"{"alg":"none","typ":"JWT"}"#, &c().to_string(), b""), pem(), R::TokenInvalidAlgorithm),
        row("alg none, valid RS256 signature", rs256_sig_under("none"), pem(), R::TokenInvalidAlgorithm),
        row("alg None", raw(r#"{"alg":"None"}"#, &c().to_string(), b""), pem(), R::TokenInvalidAlgorithm),
        row("alg NONE via Authentication", raw(r#"{"alg":"NONE"}"#, &c().to_string(), b""), bearer(), R::TokenInvalidAlgorithm),
        row("alg duplicated, last none", raw(r#"{"alg":"RS256","alg":"none"}"#, &c().to_string(), b""), pem(), R::TokenInvalidAlgorithm),
        row("alg missing", th(del(h(), "alg"), c()), pem(), R::TokenInvalidAlgorithm),
        row("alg number", th(set(h(), "alg", json!(256)), c()), pem(), R::TokenInvalidAlgorithm),
        row("alg rs256 lowercase", rs256_sig_under("rs256"), pem(), R::TokenInvalidAlgorithm),
        row("HS256 keyed with the PEM text", hs256(a.public_pem(), &c()), pem(), R::TokenInvalidAlgorithm),
        row("HS256 keyed with the trimmed PEM", hs256(a.public_pem().trim(), &c()), bearer(), R::TokenInvalidAlgorithm),
        row("PS256 header", rs256_sig_under("PS256"), pem(), R::TokenInvalidAlgorithm),
        row("ES256 header", rs256_sig_under("ES256"), pem(), R::TokenInvalidAlgorithm),
        row("EdDSA header", rs256_sig_under("EdDSA"), pem(), R::TokenInvalidAlgorithm),
        row("RS384 with a JWK for RS256", th(set(h(), "alg", json!("RS384")), c()), Via::Jwks(Keys::Fetched), R::TokenInvalidAlgorithm),
        // The signature, before any claim is trusted.
        row("wrong key", key_b().sign(&h(), &c()), pem(), R::TokenInvalidSignature),
        row("wrong key via JWKS (kid a)", key_b().sign(&h(), &c()), Via::Jwks(Keys::Fetched), R::TokenInvalidSignature),
        row("wrong key, embedded jwk header", embedded_jwk, pem(), R::TokenInvalidSignature),
        row("tampered payload", replace_segment(&valid, 1, &body(&other_user)), pem(), R::TokenInvalidSignature),
        row("tampered header (kid)", replace_segment(&valid, 0, &b64(set(h(), "kid", json!("ins_test_b")).to_string())), pem(), R::TokenInvalidSignature),
        row("tampered header (alg RS256 → RS512)", replace_segment(&valid, 0, &b64(set(h(), "alg", json!("RS512")).to_string())), pem(), R::TokenInvalidSignature),
        row("signature transplanted", resign(&other_user, &sig), pem(), R::TokenInvalidSignature),
        row("signature truncated by a byte", resign(&valid, &truncated), pem(), R::TokenInvalidSignature),
        row("signature extended by a byte", resign(&valid, &extended), pem(), R::TokenInvalidSignature),
        row("empty signature", resign(&valid, b""), pem(), R::TokenInvalidSignature),
        row("zero signature", resign(&valid, &[0; 256]), pem(), R::TokenInvalidSignature),
        row("signature above the modulus", resign(&valid, &[0xff; 256]), pem(), R::TokenInvalidSignature),
        row("expired and wrong key: signature first", key_b().sign(&h(), &set(c(), "exp", json!(1))), pem(), R::TokenInvalidSignature),
        row("M2M category with a bad signature via verify", resign(&th(set(h(), "cat", json!("cl_B7d4PD333AAA")), c()), b"x"), pem(), R::TokenInvalidSignature),
        // Claims, trusted only now.
        row("sub missing", t(del(c(), "sub")), pem(), R::TokenInvalidSubject),
        row("sub numeric", t(set(c(), "sub", json!(42))), pem(), R::TokenInvalidSubject),
        row("sub null", t(set(c(), "sub", Value::Null)), pem(), R::TokenInvalidSubject),
        row("sub array", t(set(c(), "sub", json!(["user_1"]))), bearer(), R::TokenInvalidSubject),
        row("exp missing", t(del(c(), "exp")), pem(), R::TokenInvalidExpiration),
        row("exp string", t(set(c(), "exp", json!((NOW + 60).to_string()))), pem(), R::TokenInvalidExpiration),
        row("exp null", t(set(c(), "exp", Value::Null)), pem(), R::TokenInvalidExpiration),
        row("exp bool", t(set(c(), "exp", json!(true))), bearer(), R::TokenInvalidExpiration),
        row("expired 6 s ago (skew 5 s)", t(set(c(), "exp", json!(NOW - 6))), pem(), R::TokenExpired),
        row("expired exactly at the skew", t(set(c(), "exp", json!(NOW - 5))), pem(), R::TokenExpired),
        row("exp fractional, truncated to the skew", t(set(c(), "exp", json!(NOW as f64 - 4.9))), pem(), R::TokenExpired),
        row("expired long ago", t(set(c(), "exp", json!(0))), bearer(), R::TokenExpired),
        row("exp negative", t(set(c(), "exp", json!(-1e300))), pem(), R::TokenExpired),
        row("exp now with no skew", t(set(c(), "exp", json!(NOW))), pem_with(AuthOptions::new().clock_skew(Duration::ZERO)), R::TokenExpired),
        row("nbf 6 s ahead", t(set(c(), "nbf", json!(NOW + 6))), pem(), R::TokenNotActiveYet),
        row("nbf far ahead", t(set(c(), "nbf", json!(1e300))), pem(), R::TokenNotActiveYet),
        row("nbf string", t(set(c(), "nbf", json!("0"))), pem(), R::TokenInvalidNotBefore),
        row("nbf null", t(set(c(), "nbf", Value::Null)), pem(), R::TokenInvalidNotBefore),
        row("iat 6 s ahead", t(set(c(), "iat", json!(NOW + 6))), pem(), R::TokenIatInTheFuture),
        row("iat string", t(set(c(), "iat", json!("0"))), pem(), R::TokenInvalidIssuedAt),
        row("iat object", t(set(c(), "iat", json!({}))), pem(), R::TokenInvalidIssuedAt),
        row("azp missing", t(del(c(), "azp")), pem_with(azp()), R::TokenInvalidAuthorizedParties),
        row("azp empty", t(set(c(), "azp", json!(""))), pem_with(azp()), R::TokenInvalidAuthorizedParties),
        row("azp not allowed", t(set(c(), "azp", json!("https://evil.example"))), pem_with(azp()), R::TokenInvalidAuthorizedParties),
        row("azp with a trailing slash", t(set(c(), "azp", json!(format!("{APP}/")))), pem_with(azp()), R::TokenInvalidAuthorizedParties),
        row("azp another case", t(set(c(), "azp", json!(APP.to_uppercase()))), pem_with(azp()), R::TokenInvalidAuthorizedParties),
        row("azp array", t(set(c(), "azp", json!([APP]))), Via::Bearer(azp()), R::TokenInvalidAuthorizedParties),
        row("aud string mismatch", t(set(c(), "aud", json!("other"))), pem_with(aud()), R::TokenInvalidAudience),
        row("aud array mismatch", t(set(c(), "aud", json!(["other", "x"]))), pem_with(aud()), R::TokenInvalidAudience),
        row("aud missing, one configured", t(c()), pem_with(aud()), R::TokenInvalidAudience),
        row("aud array of non-strings", t(set(c(), "aud", json!([1, null]))), pem_with(aud()), R::TokenInvalidAudience),
        row("aud empty array", t(set(c(), "aud", json!([]))), pem_with(aud()), R::TokenInvalidAudience),
        row("issuer mismatch", t(set(c(), "iss", json!("https://evil.example"))), pem_with(iss()), R::TokenInvalidIssuer),
        row("issuer missing", t(del(c(), "iss")), pem_with(iss()), R::TokenInvalidIssuer),
        row("issuer with a trailing slash", t(set(c(), "iss", json!(format!("{ISSUER}/")))), pem_with(iss()), R::TokenInvalidIssuer),
        // Category and kind of token.
        row("M2M category via verify", th(set(h(), "cat", json!("cl_B7d4PD333AAA")), c()), pem(), mismatch(TokenType::M2mToken)),
        row("M2M category via Authentication", th(set(h(), "cat", json!("cl_B7d4PD333AAA")), c()), bearer(), mismatch(TokenType::M2mToken)),
        row("template category via verify", th(set(h(), "cat", json!("cl_B7d4PD222AAA")), c()), pem(), R::TokenInvalidCategory),
        row("template category via Authentication", th(set(h(), "cat", json!("cl_B7d4PD222AAA")), c()), bearer(), R::TokenInvalidCategory),
        row("category empty", th(set(h(), "cat", json!("")), c()), bearer(), R::TokenInvalidCategory),
        row("category number", th(set(h(), "cat", json!(1)), c()), pem(), R::TokenInvalidCategory),
        row("typ at+jwt via verify", th(set(h(), "typ", json!("at+jwt")), c()), pem(), mismatch(TokenType::OauthToken)),
        row("typ application/at+jwt via Authentication", th(set(h(), "typ", json!("application/at+jwt")), c()), bearer(), mismatch(TokenType::OauthToken)),
        row("mch_ subject via verify", t(set(c(), "sub", json!("mch_2abc"))), pem(), mismatch(TokenType::M2mToken)),
        row("mch_ subject via Authentication", t(set(c(), "sub", json!("mch_2abc"))), bearer(), mismatch(TokenType::M2mToken)),
        row("opaque mt_ token", "mt_0123456789abcdef".into(), bearer(), mismatch(TokenType::M2mToken)),
        row("opaque oat_ token", "oat_0123456789abcdef".into(), bearer(), mismatch(TokenType::OauthToken)),
        row("opaque ak_ token", "ak_0123456789abcdef".into(), bearer(), mismatch(TokenType::ApiKey)),
        row("pending session via verify", t(set(c(), "sts", json!("pending"))), pem(), R::SessionPending),
        row("pending session via Authentication", t(set(c(), "sts", json!("pending"))), bearer(), R::SessionPending),
        row("unknown session status", t(set(c(), "sts", json!("paused"))), pem(), R::SessionStatusUnknown),
        // Keys from a JWKS.
        row("unknown kid after the one refetch", key_b().session_token(&c()), Via::Jwks(Keys::Fetched), R::JwkKidMismatch),
        row("jku header pointing elsewhere", jku, Via::Jwks(Keys::Fetched), R::JwkKidMismatch),
        row("no kid with a JWKS", th(del(h(), "kid"), c()), Via::Jwks(Keys::Fetched), R::JwkKidMismatch),
        row("1024-bit key in the JWKS", key_small().session_token(&c()), Via::Jwks(Keys::Fetched), R::JwkRemoteInvalid),
        row("no keys and the fetch failed", t(c()), Via::Jwks(Keys::Failing), R::JwkRemoteFailedToLoad),
    ]
}

/// Edge cases that must be accepted (each signs `user_1` in): one line a case.
#[rustfmt::skip]
fn accepted() -> Vec<(&'static str, String, Via)> {
    let pk = publishable_key();
    vec![
        ("valid, all checks configured", t(set(c(), "aud", json!("api.example.test"))), pem_with(azp().audience("api.example.test").issuer(ISSUER))),
        ("exp 4 s ago, inside the skew", t(set(c(), "exp", json!(NOW - 4))), pem()),
        ("exp fractional, truncated inside the skew", t(set(c(), "exp", json!(NOW as f64 - 3.5))), pem()),
        ("nbf exactly at the skew", t(set(c(), "nbf", json!(NOW + 5))), pem()),
        ("iat exactly at the skew", t(set(c(), "iat", json!(NOW + 5))), pem()),
        ("exp 1 s ahead, no skew", t(set(c(), "exp", json!(NOW + 1))), pem_with(AuthOptions::new().clock_skew(Duration::ZERO))),
        ("exp 50 s ago, skew 60 s", t(set(c(), "exp", json!(NOW - 50))), pem_with(AuthOptions::new().clock_skew(Duration::from_secs(60)))),
        ("nbf and iat absent", t(del(del(c(), "nbf"), "iat")), pem()),
        ("RS384 with a PEM key", th(set(h(), "alg", json!("RS384")), c()), pem()),
        ("RS512 with a PEM key", th(set(h(), "alg", json!("RS512")), c()), bearer()),
        ("RS256 via the JWKS", t(c()), Via::Jwks(Keys::Fetched)),
        ("absent cat", th(del(h(), "cat"), c()), bearer()),
        ("absent typ", th(del(h(), "typ"), c()), bearer()),
        ("ignore category", th(set(h(), "cat", json!("cl_I7d4PD111III")), c()), bearer()),
        ("ignore category via verify", th(set(h(), "cat", json!("cl_I7d4PD111III")), c()), pem()),
        ("azp one of two", t(c()), pem_with(AuthOptions::new() .authorized_party("https://x.test") .authorized_party(APP))),
        ("azp absent, none configured", t(del(c(), "azp")), pem()),
        ("aud array naming one", t(set(c(), "aud", json!(["x", "api.example.test"]))), pem_with(aud())),
        ("aud ignored when none configured", t(set(c(), "aud", json!(17))), pem()),
        ("issuer from the publishable key", t(c()), pem_with(AuthOptions::new().issuer(pk.issuer()))),
        ("pending accepted", t(set(c(), "sts", json!("pending"))), pem_with(AuthOptions::new().accept_pending_sessions(true))),
        ("pending accepted via Authentication", t(set(c(), "sts", json!("pending"))), Via::Bearer(AuthOptions::new().accept_pending_sessions(true))),
    ]
}

fn publishable_key() -> PublishableKey {
    let encoded = base64::engine::general_purpose::STANDARD.encode("clerk.example.test$");
    PublishableKey::parse(&format!("pk_test_{encoded}")).expect("a publishable key")
}

#[test]
fn every_crafted_token_is_refused_with_its_reason() {
    let cases = refused();
    assert!(cases.len() >= 40, "only {} refused cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let outcome = run(&case.token, &case.via);
        match outcome.result {
            Err(reason) if reason == case.expected => {}
            Err(reason) => failures.push(format!(
                "{}: expected {:?}, got {reason:?} ({:?})",
                case.name,
                case.expected,
                outcome.texts.first()
            )),
            Ok(session) => failures.push(format!(
                "{}: expected {:?}, signed in as {}",
                case.name, case.expected, session.user_id
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    let names: std::collections::HashSet<_> = cases.iter().map(|c| c.name).collect();
    assert_eq!(names.len(), cases.len(), "case names are unique");
}

#[test]
fn edge_cases_are_accepted() {
    let cases = accepted();
    let mut failures = Vec::new();
    for (name, token, via) in &cases {
        let outcome = run(token, via);
        match &outcome.result {
            Ok(session) if session.user_id == "user_1" => {}
            Ok(session) => failures.push(format!("{name}: signed in as {}", session.user_id)),
            Err(reason) => failures.push(format!(
                "{name}: refused with {reason:?}: {:?}",
                outcome.texts
            )),
        }
        assert!(outcome.fetches <= 1, "{name}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_jwks_flow_refetches_once_for_an_unknown_kid() {
    let unknown = run(&key_b().session_token(&c()), &Via::Jwks(Keys::Fetched));
    assert_eq!(unknown.result.err(), Some(Reason::JwkKidMismatch));
    assert_eq!(unknown.fetches, 1, "one refetch, then refused");
    // A known kid in keys fetched a minute ago needs no fetch.
    let known = run(&t(c()), &Via::Jwks(Keys::Fetched));
    assert!(known.result.is_ok());
    assert_eq!(known.fetches, 0);
}

#[test]
fn a_1024_bit_key_is_refused_as_pem_and_as_jwk() {
    let error = PublicKey::from_pem(key_small().public_pem()).expect_err("1024 bits refused");
    assert!(error.message().contains("1024"), "{error}");
    assert!(error.message().contains("2048"), "{error}");
    let mut cache = JwksCache::new();
    cache.on_jwks(Ok(jwks_value(&[key_small()])), now());
    assert_eq!(cache.keys().count(), 0);
    let outcome = run(&key_small().session_token(&c()), &Via::Jwks(Keys::Fetched));
    assert_eq!(outcome.result.err(), Some(Reason::JwkRemoteInvalid));
    assert!(
        outcome.texts.iter().any(|t| t.contains("2048")),
        "the refusal says why: {:?}",
        outcome.texts
    );
}

#[test]
fn opaque_tokens_name_the_kind_found() {
    for (token, kind) in [
        ("mt_abc", TokenType::M2mToken),
        ("oat_abc", TokenType::OauthToken),
        ("ak_abc", TokenType::ApiKey),
    ] {
        let headers = bearer_headers(token);
        let status =
            Authentication::from_headers(&headers, &AuthOptions::new()).verdict(pem_a(), now());
        assert_eq!(status.reason(), Some(mismatch(kind)), "{token}");
        assert_eq!(status.token_type(), kind, "{token}");
        assert_eq!(clerk_backend_core::auth::classify(token), kind);
    }
}

#[test]
fn pending_sessions_are_typed_when_accepted() {
    let token = t(set(c(), "sts", json!("pending")));
    let options = AuthOptions::new().accept_pending_sessions(true);
    let session = verify_session_token(&token, pem_a(), &options, now()).expect("accepted");
    assert_eq!(session.status, SessionStatus::Pending);
    let refused = verify_session_token(&token, pem_a(), &AuthOptions::new(), now());
    assert_eq!(
        refused.err().map(|e| e.reason()),
        Some(Reason::SessionPending)
    );
}

// ---- organizations, v1 and v2 ----------------------------------------------------------------

fn v2_org(fea: &str, per: &str, fpm: &str) -> Value {
    set(
        set(
            c(),
            "o",
            json!({"id": "org_1", "slg": "acme", "rol": "admin", "per": per, "fpm": fpm}),
        ),
        "fea",
        json!(fea),
    )
}

fn permissions_of(claims: Value) -> Vec<String> {
    let session = verify_session_token(&t(claims), pem_a(), &AuthOptions::new(), now())
        .expect("a valid token");
    session
        .organization
        .expect("an active organization")
        .permissions
}

#[test]
fn v2_org_permissions_match_the_issue_vectors() {
    assert_eq!(
        permissions_of(v2_org("o:dashboard,o:teams", "manage,read", "3,2")),
        [
            "org:dashboard:manage",
            "org:dashboard:read",
            "org:teams:read"
        ]
    );
    assert_eq!(
        permissions_of(v2_org(
            "o:repositories,o:projects",
            "read,create,update,delete,revoke",
            "7,21"
        )),
        [
            "org:repositories:read",
            "org:repositories:create",
            "org:repositories:update",
            "org:projects:read",
            "org:projects:update",
            "org:projects:revoke",
        ]
    );
    assert_eq!(
        permissions_of(v2_org(
            "uo:impersonation,o:memberships,uo:feature3",
            "read,manage",
            "1,3,1"
        )),
        [
            "org:impersonation:read",
            "org:memberships:read",
            "org:memberships:manage",
            "org:feature3:read",
        ]
    );
    let per: Vec<String> = (0..54).map(|i| format!("permission_{i}")).collect();
    let per = per.join(",");
    assert_eq!(
        permissions_of(v2_org("o:feature", &per, "9007199254740993")),
        ["org:feature:permission_0", "org:feature:permission_53"]
    );
    assert!(permissions_of(v2_org("o:feature", &per, "18014398509481984")).is_empty());
    for malformed in ["-1", "1.5", "1invalid"] {
        assert!(
            permissions_of(v2_org("o:feature", &per, malformed)).is_empty(),
            "{malformed}"
        );
    }
}

#[test]
fn v1_and_v2_claims_of_one_org_give_the_same_session() {
    let v2 = verify_session_token(
        &t(v2_org("o:dashboard,o:teams", "manage,read", "3,2")),
        pem_a(),
        &AuthOptions::new(),
        now(),
    )
    .expect("v2 accepted");
    let v1_claims = json!({
        "sub": "user_1", "sid": "sess_test_1", "azp": APP, "iss": ISSUER,
        "iat": NOW, "nbf": NOW - 10, "exp": NOW + 60,
        "org_id": "org_1", "org_slug": "acme", "org_role": "org:admin",
        "org_permissions": ["org:dashboard:manage", "org:dashboard:read", "org:teams:read"],
    });
    let v1 = verify_session_token(&t(v1_claims), pem_a(), &AuthOptions::new(), now())
        .expect("v1 accepted");
    assert_eq!(v1.version, 1);
    assert_eq!(v2.version, 2);
    assert_eq!(v1.organization, v2.organization);
    let org = v2.organization.as_ref().expect("an organization");
    assert_eq!(org.id, "org_1");
    assert_eq!(org.slug.as_deref(), Some("acme"));
    assert_eq!(org.role.as_deref(), Some("org:admin"));
    for session in [&v1, &v2] {
        assert_eq!(session.user_id, "user_1");
        assert_eq!(session.session_id.as_deref(), Some("sess_test_1"));
        assert_eq!(session.authorized_party.as_deref(), Some(APP));
        assert_eq!(session.issuer.as_deref(), Some(ISSUER));
        assert_eq!(session.expires_at, (NOW + 60) as f64);
        assert_eq!(session.issued_at, Some(NOW as f64));
        assert!(session.has_role("admin") && session.has_permission("teams:read"));
        assert!(!session.has_permission("teams:manage"));
    }
}

// ---- nothing secret in what a refusal says ------------------------------------------------

#[test]
fn no_refusal_text_contains_the_token_its_signature_or_the_pem() {
    let pem_lines: Vec<&str> = key_a()
        .public_pem()
        .lines()
        .filter(|line| line.len() >= 16 && !line.starts_with("-----"))
        .collect();
    let modulus = key_a().jwk()["n"].as_str().expect("n")[..32].to_owned();
    let mut checked = 0;
    for case in refused() {
        let outcome = run(&case.token, &case.via);
        let segments: Vec<&str> = case
            .token
            .split('.')
            .filter(|segment| segment.len() >= 16)
            .collect();
        for text in &outcome.texts {
            checked += 1;
            if case.token.len() >= 16 {
                assert!(
                    !text.contains(case.token.trim()),
                    "{}: the token in {text}",
                    case.name
                );
            }
            for segment in &segments {
                assert!(
                    !text.contains(segment),
                    "{}: a segment in {text}",
                    case.name
                );
            }
            for line in &pem_lines {
                assert!(!text.contains(line), "{}: the PEM in {text}", case.name);
            }
            assert!(
                !text.contains(&modulus),
                "{}: the modulus in {text}",
                case.name
            );
        }
    }
    assert!(checked >= 100, "only {checked} texts checked");
    // The keys and the options themselves.
    let small = PublicKey::from_pem(key_small().public_pem()).expect_err("refused");
    let texts = [
        format!("{:?}", pem_a()),
        format!("{small:?}"),
        small.to_string(),
        format!(
            "{:?}",
            AuthOptions::new().publishable_key(publishable_key())
        ),
    ];
    for text in &texts {
        for line in &pem_lines {
            assert!(!text.contains(line), "the PEM in {text}");
        }
        assert!(!text.contains(&modulus), "the modulus in {text}");
    }
}

#[test]
fn an_authentication_in_progress_does_not_show_its_token() {
    let token = t(c());
    let signature = token.rsplit('.').next().expect("a signature").to_owned();
    let headers = bearer_headers(&token);
    let mut cookie_headers = http::HeaderMap::new();
    cookie_headers.insert(
        http::header::COOKIE,
        format!("__session={token}; __client_uat=1")
            .parse()
            .expect("a header value"),
    );
    let options = AuthOptions::new();
    let flows = [
        Authentication::from_headers(&headers, &options),
        Authentication::from_headers(&cookie_headers, &options),
        Authentication::from_token(&token, &options),
    ];
    for flow in &flows {
        let text = format!("{flow:?}");
        assert!(!text.contains(&signature), "the signature in {text}");
    }
}

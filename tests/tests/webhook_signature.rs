//! Webhook signatures as an attacker would try them: every check refused with its own kind,
//! the accepted edge cases, and sign-then-verify over arbitrary input.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clerk_backend_core::webhook::{
    HeaderSet, SigningSecret, Verifier, WebhookError, WebhookErrorKind, sign,
};
use http::{HeaderMap, HeaderName, HeaderValue};
use proptest::prelude::*;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TS: i64 = 1_614_265_330;
const BODY: &str = r#"{"test": 2432232314}"#;
const GOOD: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

fn secret() -> SigningSecret {
    SigningSecret::new(SECRET).expect("the vector's secret")
}

fn at(secs: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs.unsigned_abs())
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        if let Ok(value) = HeaderValue::from_str(value) {
            map.append(HeaderName::from_static(name), value);
        }
    }
    map
}

fn svix(signature: &str) -> HeaderMap {
    headers(&[
        ("svix-id", ID),
        ("svix-timestamp", &TS.to_string()),
        ("svix-signature", signature),
    ])
}

fn check(headers: &HeaderMap, body: &str, now: SystemTime) -> Result<(), WebhookError> {
    Verifier::new(secret())
        .verify_signature(headers, body.as_bytes(), now)
        .map(|_| ())
}

fn kind(result: Result<(), WebhookError>) -> Option<WebhookErrorKind> {
    result.err().map(|e| e.kind())
}

#[test]
fn each_refusal_has_its_kind() {
    let truncated = &GOOD[..GOOD.len() - 4];
    let other = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";
    let ts = TS.to_string();
    let cases: Vec<(&str, HeaderMap, &str, i64, WebhookErrorKind)> = vec![
        (
            "v1, alone",
            svix("v1,"),
            BODY,
            TS,
            WebhookErrorKind::NoMatchingSignature,
        ),
        (
            "truncated signature",
            svix(truncated),
            BODY,
            TS,
            WebhookErrorKind::NoMatchingSignature,
        ),
        (
            "signature with a byte more",
            svix(&format!("{GOOD}AA")),
            BODY,
            TS,
            WebhookErrorKind::NoMatchingSignature,
        ),
        (
            "another delivery's signature",
            svix(other),
            BODY,
            TS,
            WebhookErrorKind::NoMatchingSignature,
        ),
        (
            "several, none valid",
            svix(&format!("v1,abc {other} v1,")),
            BODY,
            TS,
            WebhookErrorKind::NoMatchingSignature,
        ),
        (
            "v2 entries only",
            svix(&GOOD.replace("v1,", "v2,")),
            BODY,
            TS,
            WebhookErrorKind::NoMatchingSignature,
        ),
        (
            "no version",
            svix(&GOOD[3..]),
            BODY,
            TS,
            WebhookErrorKind::NoMatchingSignature,
        ),
        (
            "tampered body",
            svix(GOOD),
            r#"{"test": 2432232315}"#,
            TS,
            WebhookErrorKind::NoMatchingSignature,
        ),
        (
            "re-serialised body",
            svix(GOOD),
            r#"{"test":2432232314}"#,
            TS,
            WebhookErrorKind::NoMatchingSignature,
        ),
        (
            "other id",
            headers(&[
                ("svix-id", "msg_other"),
                ("svix-timestamp", &ts),
                ("svix-signature", GOOD),
            ]),
            BODY,
            TS,
            WebhookErrorKind::NoMatchingSignature,
        ),
        (
            "301 s old",
            svix(GOOD),
            BODY,
            TS + 301,
            WebhookErrorKind::TimestampTooOld,
        ),
        (
            "301 s ahead",
            svix(GOOD),
            BODY,
            TS - 301,
            WebhookErrorKind::TimestampTooNew,
        ),
        (
            "timestamp hello",
            headers(&[
                ("svix-id", ID),
                ("svix-timestamp", "hello"),
                ("svix-signature", GOOD),
            ]),
            BODY,
            TS,
            WebhookErrorKind::InvalidTimestamp,
        ),
        (
            "timestamp with a fraction",
            headers(&[
                ("svix-id", ID),
                ("svix-timestamp", &format!("{TS}.0")),
                ("svix-signature", GOOD),
            ]),
            BODY,
            TS,
            WebhookErrorKind::InvalidTimestamp,
        ),
        (
            "timestamp +",
            headers(&[
                ("svix-id", ID),
                ("svix-timestamp", &format!("+{TS}")),
                ("svix-signature", GOOD),
            ]),
            BODY,
            TS,
            WebhookErrorKind::InvalidTimestamp,
        ),
        (
            "id missing",
            headers(&[("svix-timestamp", &ts), ("svix-signature", GOOD)]),
            BODY,
            TS,
            WebhookErrorKind::MissingHeader,
        ),
        (
            "timestamp missing",
            headers(&[("svix-id", ID), ("svix-signature", GOOD)]),
            BODY,
            TS,
            WebhookErrorKind::MissingHeader,
        ),
        (
            "signature missing",
            headers(&[("svix-id", ID), ("svix-timestamp", &ts)]),
            BODY,
            TS,
            WebhookErrorKind::MissingHeader,
        ),
        (
            "no headers at all",
            HeaderMap::new(),
            BODY,
            TS,
            WebhookErrorKind::MissingHeader,
        ),
        (
            "webhook-id missing",
            headers(&[("webhook-timestamp", &ts), ("webhook-signature", GOOD)]),
            BODY,
            TS,
            WebhookErrorKind::MissingHeader,
        ),
        (
            "sets mixed: svix id, webhook rest",
            headers(&[
                ("svix-id", ID),
                ("webhook-timestamp", &ts),
                ("webhook-signature", GOOD),
            ]),
            BODY,
            TS,
            WebhookErrorKind::MissingHeader,
        ),
    ];
    for (name, headers, body, now, expected) in cases {
        assert_eq!(
            kind(check(&headers, body, at(now))),
            Some(expected),
            "{name}"
        );
    }
}

#[test]
fn accepted_edge_cases() {
    // Exactly at the tolerance, either way.
    assert_eq!(check(&svix(GOOD), BODY, at(TS + 300)), Ok(()));
    assert_eq!(check(&svix(GOOD), BODY, at(TS - 300)), Ok(()));
    // One valid entry among others of any version.
    let list = format!("v2,abc v1,AAAA {GOOD} v1,");
    assert_eq!(check(&svix(&list), BODY, at(TS)), Ok(()));
    // The Standard Webhooks names, and the secret without its prefix.
    let standard = headers(&[
        ("webhook-id", ID),
        ("webhook-timestamp", &TS.to_string()),
        ("webhook-signature", GOOD),
    ]);
    let bare = SigningSecret::new(SECRET.trim_start_matches("whsec_")).expect("bare secret");
    assert!(
        Verifier::new(bare)
            .verify_signature(&standard, BODY.as_bytes(), at(TS))
            .is_ok()
    );
    // A wider tolerance.
    assert!(
        Verifier::new(secret())
            .tolerance(Duration::from_secs(3600))
            .verify_signature(&svix(GOOD), BODY.as_bytes(), at(TS + 3000))
            .is_ok()
    );
}

#[test]
fn messages_never_carry_the_secret_or_a_signature() {
    let mut texts = Vec::new();
    for (headers, now) in [
        (svix("v1,AAAA"), TS),
        (svix(GOOD), TS + 999),
        (HeaderMap::new(), TS),
    ] {
        if let Err(e) = check(&headers, BODY, at(now)) {
            texts.push(format!("{e} {e:?}"));
        }
    }
    texts.push(format!("{:?}", secret()));
    texts.push(format!("{:?}", Verifier::new(secret())));
    let key_b64 = SECRET.trim_start_matches("whsec_");
    for text in texts {
        assert!(
            !text.contains(key_b64) && !text.contains(&GOOD[3..]),
            "{text}"
        );
    }
}

fn verifies(id: &str, ts: i64, body: &[u8], signature: &str, now: i64) -> bool {
    let headers = headers(&[
        ("svix-id", id),
        ("svix-timestamp", &ts.to_string()),
        ("svix-signature", signature),
    ]);
    Verifier::new(secret())
        .verify_signature(&headers, body, at(now))
        .is_ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn sign_then_verify_holds(
        body in proptest::collection::vec(any::<u8>(), 0..2048),
        id in "[a-zA-Z0-9_]{1,40}",
        ts in 0i64..4_000_000_000,
        skew in -300i64..=300,
    ) {
        let signed = sign(&secret(), &id, ts, &body);
        let headers = signed.headers(HeaderSet::Svix);
        let now = ts + skew;
        prop_assume!(now >= 0);
        prop_assert!(Verifier::new(secret()).verify_signature(&headers, &body, at(now)).is_ok());
    }

    #[test]
    fn any_single_byte_change_fails(
        body in proptest::collection::vec(any::<u8>(), 1..512),
        id in "[a-zA-Z0-9_]{1,40}",
        ts in 1_000_000_000i64..2_000_000_000,
        part in 0usize..4,
        position in any::<prop::sample::Index>(),
        replacement in any::<u8>(),
    ) {
        let signed = sign(&secret(), &id, ts, &body);
        let (mut id2, mut ts2, mut body2, mut sig2) =
            (id.clone().into_bytes(), ts.to_string().into_bytes(), body.clone(), signed.signature.clone().into_bytes());
        let target = match part { 0 => &mut id2, 1 => &mut ts2, 2 => &mut body2, _ => &mut sig2 };
        let i = position.index(target.len());
        prop_assume!(target[i] != replacement);
        target[i] = replacement;
        // A header that is no longer text, or a timestamp no longer a number, is refused too.
        let (Ok(id2), Ok(ts2), Ok(sig2)) = (String::from_utf8(id2), String::from_utf8(ts2), String::from_utf8(sig2)) else {
            return Ok(());
        };
        let headers = headers(&[("svix-id", &id2), ("svix-timestamp", &ts2), ("svix-signature", &sig2)]);
        let result = Verifier::new(secret()).verify_signature(&headers, &body2, at(ts));
        prop_assert!(result.is_err(), "part {part} byte {i} accepted");
    }

    #[test]
    fn arbitrary_headers_never_panic(
        id in ".{0,64}",
        ts in ".{0,24}",
        signature in ".{0,200}",
        body in proptest::collection::vec(any::<u8>(), 0..256),
        now in 0i64..4_000_000_000,
    ) {
        let _ = verifies(&id, 0, &body, &signature, now);
        let headers = headers(&[("svix-id", &id), ("svix-timestamp", &ts), ("svix-signature", &signature)]);
        let _ = Verifier::new(secret()).verify_signature(&headers, &body, at(now));
        let _ = SigningSecret::new(&signature);
    }
}

#[test]
fn every_single_character_change_of_the_signature_fails() {
    let ts = TS.to_string();
    for i in 0..GOOD.len() {
        for c in (b' '..=b'~').filter(|c| *c != GOOD.as_bytes()[i]) {
            let mut changed = GOOD.as_bytes().to_vec();
            changed[i] = c;
            let changed = String::from_utf8(changed).expect("ASCII stays text");
            let headers = headers(&[
                ("svix-id", ID),
                ("svix-timestamp", &ts),
                ("svix-signature", &changed),
            ]);
            assert!(check(&headers, BODY, at(TS)).is_err(), "{changed} accepted");
        }
    }
}

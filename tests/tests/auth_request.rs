//! Authenticating a request from its headers: which token is read (Bearer, then the session
//! cookie, suffixed or not), the `__client_uat` rules, and the typed session of a signed-in
//! request. Time is fixed; the real clock is never read.

use base64::Engine as _;
use clerk_backend_core::auth::{
    AuthOptions, AuthStatus, Authentication, PublishableKey, Reason, SessionStatus, TokenType,
};
use clerk_backend_tests::tokens::{NOW, key_a, now, pem_a, session_claims};
use http::{HeaderMap, HeaderValue};
use serde_json::{Value, json};

/// A valid session token of `user` issued at `iat`.
fn token(user: &str, iat: u64) -> String {
    let mut claims = session_claims(user, NOW);
    claims["iat"] = json!(iat);
    key_a().session_token(&claims)
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(*name, value.parse().expect("a header value"));
    }
    map
}

fn status_with(headers: &HeaderMap, options: &AuthOptions) -> AuthStatus {
    Authentication::from_headers(headers, options).verdict(pem_a(), now())
}

fn status(headers: &HeaderMap) -> AuthStatus {
    status_with(headers, &AuthOptions::new())
}

/// The user signed in, or the reason signed out.
fn verdict(status: &AuthStatus) -> Result<String, Reason> {
    match (status.session(), status.reason()) {
        (Some(session), None) => Ok(session.user_id.clone()),
        (None, Some(reason)) => Err(reason),
        other => panic!("signed in or out, not {other:?}"),
    }
}

fn cookies(session: &str, client_uat: &str) -> String {
    format!("__session={session}; __client_uat={client_uat}")
}

#[test]
fn bearer_wins_over_cookies() {
    let uat = (NOW - 100).to_string();
    let h = headers(&[
        (
            "authorization",
            &format!("Bearer {}", token("user_bearer", NOW)),
        ),
        ("cookie", &cookies(&token("user_cookie", NOW), &uat)),
    ]);
    assert_eq!(verdict(&status(&h)), Ok("user_bearer".into()));

    // A bad Bearer token is the verdict: a valid cookie does not rescue it.
    let mut expired = session_claims("user_bearer", NOW);
    expired["exp"] = json!(NOW - 60);
    let h = headers(&[
        (
            "authorization",
            &format!("Bearer {}", key_a().session_token(&expired)),
        ),
        ("cookie", &cookies(&token("user_cookie", NOW), &uat)),
    ]);
    assert_eq!(verdict(&status(&h)), Err(Reason::TokenExpired));

    // A token without a scheme is the token itself.
    let h = headers(&[("authorization", &token("user_bare", NOW))]);
    assert_eq!(verdict(&status(&h)), Ok("user_bare".into()));
}

#[test]
fn the_scheme_is_case_sensitive_and_others_fall_back_to_cookies() {
    let uat = (NOW - 100).to_string();
    let cookie = cookies(&token("user_cookie", NOW), &uat);
    let bearer = token("user_bearer", NOW);
    for scheme in ["bearer", "BEARER", "Basic", "Token"] {
        let h = headers(&[
            ("authorization", &format!("{scheme} {bearer}")),
            ("cookie", &cookie),
        ]);
        assert_eq!(verdict(&status(&h)), Ok("user_cookie".into()), "{scheme}");
        let h = headers(&[("authorization", &format!("{scheme} x"))]);
        assert_eq!(
            verdict(&status(&h)),
            Err(Reason::SessionTokenAndUatMissing),
            "{scheme} without cookies"
        );
    }
    // An empty or blank Authorization header is no token either.
    for value in ["", "   "] {
        let h = headers(&[("authorization", value), ("cookie", &cookie)]);
        assert_eq!(verdict(&status(&h)), Ok("user_cookie".into()), "{value:?}");
    }
    // `Bearer` alone is a (malformed) token, as in Clerk's SDK.
    let h = headers(&[("authorization", "Bearer"), ("cookie", &cookie)]);
    assert_eq!(verdict(&status(&h)), Err(Reason::TokenInvalid));
}

#[test]
fn a_non_ascii_authorization_header_is_refused() {
    let mut h = HeaderMap::new();
    h.insert(
        http::header::AUTHORIZATION,
        HeaderValue::from_bytes(b"Bearer \xff\xfe").expect("obs-text is a valid header value"),
    );
    assert_eq!(verdict(&status(&h)), Err(Reason::TokenInvalid));
}

#[test]
fn cookie_rules_each_have_their_reason() {
    let valid = token("user_1", NOW - 30);
    let before = (NOW - 30 - 1).to_string();
    let same = (NOW - 30).to_string();
    let after = (NOW - 30 + 1).to_string();
    let mut no_iat = session_claims("user_1", NOW);
    no_iat.as_object_mut().expect("claims").remove("iat");
    let no_iat = key_a().session_token(&no_iat);
    let cases: Vec<(&str, String, Result<String, Reason>)> = vec![
        (
            "no cookies",
            String::new(),
            Err(Reason::SessionTokenAndUatMissing),
        ),
        (
            "other cookies only",
            "a=b; c=d".into(),
            Err(Reason::SessionTokenAndUatMissing),
        ),
        (
            "session only",
            format!("__session={valid}"),
            Err(Reason::SessionTokenWithoutClientUat),
        ),
        (
            "client_uat only",
            format!("__client_uat={same}"),
            Err(Reason::ClientUatWithoutSessionToken),
        ),
        (
            "client_uat=0 with a session",
            cookies(&valid, "0"),
            Err(Reason::SessionTokenWithoutClientUat),
        ),
        (
            "client_uat=0 alone",
            "__client_uat=0".into(),
            Err(Reason::SessionTokenAndUatMissing),
        ),
        (
            "client_uat not a number",
            cookies(&valid, "soon"),
            Err(Reason::SessionTokenWithoutClientUat),
        ),
        (
            "empty session with client_uat",
            cookies("", &same),
            Err(Reason::ClientUatWithoutSessionToken),
        ),
        (
            "iat before client_uat",
            cookies(&valid, &after),
            Err(Reason::SessionTokenIatBeforeClientUat),
        ),
        (
            "no iat with client_uat",
            cookies(&no_iat, &same),
            Err(Reason::SessionTokenIatBeforeClientUat),
        ),
        (
            "invalid session cookie",
            cookies("not.a.jwt", &same),
            Err(Reason::TokenInvalid),
        ),
        (
            "iat equal to client_uat",
            cookies(&valid, &same),
            Ok("user_1".into()),
        ),
        (
            "iat after client_uat",
            cookies(&valid, &before),
            Ok("user_1".into()),
        ),
        (
            "quoted and spaced",
            format!(" __client_uat=\"{same}\" ;  __session=\"{valid}\" "),
            Ok("user_1".into()),
        ),
    ];
    for (name, cookie, expected) in cases {
        let h = if cookie.is_empty() {
            HeaderMap::new()
        } else {
            headers(&[("cookie", &cookie)])
        };
        assert_eq!(verdict(&status(&h)), expected, "{name}");
    }
    // Cookies split over several Cookie headers are all read.
    let h = headers(&[
        ("cookie", "a=b"),
        ("cookie", &format!("__session={valid}")),
        ("cookie", &format!("__client_uat={same}")),
    ]);
    assert_eq!(verdict(&status(&h)), Ok("user_1".into()));
}

fn publishable_key(host: &str) -> PublishableKey {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{host}$"));
    PublishableKey::parse(&format!("pk_test_{encoded}")).expect("a publishable key")
}

#[test]
fn suffixed_cookies_are_selected_by_the_publishable_key() {
    let pk = publishable_key("clerk.example.test");
    let suffix = pk.cookie_suffix();
    assert_eq!(suffix.len(), 8);
    assert_ne!(suffix, publishable_key("clerk.other.test").cookie_suffix());
    let uat = (NOW - 100).to_string();
    let both = format!(
        "__session={}; __client_uat={uat}; __session_{suffix}={}; __client_uat_{suffix}={uat}",
        token("user_unsuffixed", NOW),
        token("user_suffixed", NOW),
    );
    let h = headers(&[("cookie", &both)]);
    let with_pk = AuthOptions::new().publishable_key(pk.clone());
    assert_eq!(
        verdict(&status_with(&h, &with_pk)),
        Ok("user_suffixed".into())
    );
    // Without the publishable key only the unsuffixed cookies are known.
    assert_eq!(verdict(&status(&h)), Ok("user_unsuffixed".into()));

    // Another instance's suffixed cookies are not ours: the unsuffixed ones are read.
    let other = format!(
        "__session_deadbeef={}; __client_uat_deadbeef={uat}; __session={}; __client_uat={uat}",
        token("user_other_instance", NOW),
        token("user_unsuffixed", NOW),
    );
    let h = headers(&[("cookie", &other)]);
    assert_eq!(
        verdict(&status_with(&h, &with_pk)),
        Ok("user_unsuffixed".into())
    );

    // Once either suffixed cookie is present, the pair is the suffixed one, with its rules.
    let half = format!(
        "__client_uat_{suffix}={uat}; __session={}; __client_uat={uat}",
        token("user_unsuffixed", NOW),
    );
    let h = headers(&[("cookie", &half)]);
    assert_eq!(
        verdict(&status_with(&h, &with_pk)),
        Err(Reason::ClientUatWithoutSessionToken)
    );
    let stale = format!(
        "__session_{suffix}={}; __client_uat_{suffix}={}",
        token("user_suffixed", NOW - 100),
        NOW - 50
    );
    let h = headers(&[("cookie", &stale)]);
    assert_eq!(
        verdict(&status_with(&h, &with_pk)),
        Err(Reason::SessionTokenIatBeforeClientUat)
    );
}

#[test]
fn a_signed_in_request_has_a_typed_session() {
    let mut claims: Value = session_claims("user_1", NOW);
    for (name, value) in [
        ("fea", json!("o:dashboard,o:teams,u:export")),
        ("pla", json!("o:pro")),
        (
            "o",
            json!({"id": "org_1", "slg": "acme", "rol": "admin", "per": "manage,read", "fpm": "3,2"}),
        ),
        (
            "act",
            json!({"sub": "user_admin", "iss": "https://dashboard.clerk.com"}),
        ),
        ("fva", json!([3, -1])),
        ("email", json!("ada@example.test")),
    ] {
        claims[name] = value;
    }
    let cookie = cookies(&key_a().session_token(&claims), &(NOW - 100).to_string());
    let h = headers(&[("cookie", &cookie)]);
    let options = AuthOptions::new()
        .authorized_party("https://app.example.test")
        .issuer("https://clerk.example.test");
    let status = status_with(&h, &options);
    assert!(status.is_signed_in(), "{status:?}");
    assert_eq!(status.token_type(), TokenType::SessionToken);
    assert_eq!(status.reason(), None);
    let session = status.session().expect("a session");
    assert_eq!(session.user_id, "user_1");
    assert_eq!(session.session_id.as_deref(), Some("sess_test_1"));
    assert_eq!(session.status, SessionStatus::Active);
    assert_eq!(session.version, 2);
    assert_eq!(
        session.authorized_party.as_deref(),
        Some("https://app.example.test")
    );
    assert_eq!(session.issued_at, Some(NOW as f64));
    assert_eq!(session.expires_at, (NOW + 60) as f64);
    assert_eq!(session.factor_verification_age, Some([3, -1]));
    let actor = session.actor.as_ref().expect("an actor");
    assert_eq!(actor.subject, "user_admin");
    let org = session.organization.as_ref().expect("an organization");
    assert_eq!(org.id, "org_1");
    assert_eq!(org.slug.as_deref(), Some("acme"));
    assert_eq!(org.role.as_deref(), Some("org:admin"));
    assert_eq!(
        org.permissions,
        [
            "org:dashboard:manage",
            "org:dashboard:read",
            "org:teams:read"
        ]
    );
    assert!(session.has_feature("user:export") && session.has_plan("pro"));
    assert_eq!(session.claim("email"), Some(&json!("ada@example.test")));
    assert_eq!(session.claims()["jti"], json!("token_1"));
}

#[test]
fn a_signed_out_request_says_why_and_never_shows_the_token() {
    let mut expired = session_claims("user_1", NOW);
    expired["exp"] = json!(NOW - 60);
    let token = key_a().session_token(&expired);
    let h = headers(&[("authorization", &format!("Bearer {token}"))]);
    let status = status(&h);
    assert_eq!(status.reason(), Some(Reason::TokenExpired));
    assert_eq!(status.token_type(), TokenType::SessionToken);
    assert!(status.session().is_none() && !status.is_signed_in());
    let AuthStatus::SignedOut(out) = &status else {
        panic!("signed out")
    };
    assert_eq!(out.reason.as_str(), "token-expired");
    for text in [format!("{status:?}"), out.message.clone()] {
        for segment in token.split('.') {
            assert!(!text.contains(segment), "a token segment in {text}");
        }
    }
}

//! A webhook consumer tested as a user would: deliveries signed by the kit, verified by the
//! handler with the secret it is configured with.

// Helpers outside #[test] functions may panic too: this whole file is a test.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use clerk_backend_core::models::User;
use clerk_backend_core::webhook::{
    EventData, HeaderSet, SigningSecret, Verifier, WebhookErrorKind,
};
use clerk_backend_testkit::TestClock;
use clerk_backend_testkit::webhooks::WebhookSigner;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The app under test: answers 204 for `user.created` (recording the user), 200 for other
/// events, 400 for anything that does not verify.
fn webhook_handler(
    secret: &str,
    request: &http::Request<Vec<u8>>,
    created: &mut Vec<String>,
) -> (u16, String) {
    let Ok(secret) = SigningSecret::new(secret) else {
        return (500, "misconfigured".to_owned());
    };
    match Verifier::new(secret).verify(
        request.headers(),
        request.body(),
        std::time::SystemTime::now(),
    ) {
        Ok(verified) => match &verified.event.data {
            EventData::UserCreated(user) => {
                created.push(user.id.clone());
                (204, verified.delivery.id)
            }
            other => (200, other.event_type().to_owned()),
        },
        Err(error) => (400, error.kind().as_str().to_owned()),
    }
}

fn new_user(id: &str) -> User {
    let mut user = User::default();
    user.id = id.to_owned();
    user.object = "user".to_owned();
    user.first_name = Some("Ada".to_owned());
    user
}

#[test]
fn a_typed_event_is_verified_into_its_variant() -> TestResult {
    let signer = WebhookSigner::new().instance_id("ins_webhooks");
    let delivery = signer.sign_event(&EventData::UserCreated(Box::new(new_user("user_new"))))?;
    let request = delivery.request("/webhooks/clerk")?;
    assert_eq!(request.method(), http::Method::POST);
    assert_eq!(request.headers()["content-type"], "application/json");

    let mut created = Vec::new();
    let answer = webhook_handler(signer.secret(), &request, &mut created);
    assert_eq!(answer, (204, delivery.id().to_owned()));
    assert_eq!(created, ["user_new"]);

    // The envelope as Clerk sends it.
    let verified = signer
        .verifier()
        .verify(request.headers(), request.body(), signer.now())?;
    assert_eq!(verified.event.event_type, "user.created");
    assert_eq!(verified.event.object, "event");
    assert_eq!(verified.event.instance_id, "ins_webhooks");
    assert!(verified.event.http_request.is_some());
    let EventData::UserCreated(user) = &verified.event.data else {
        return Err("not user.created".into());
    };
    assert_eq!(user.first_name.as_deref(), Some("Ada"));
    Ok(())
}

#[test]
fn a_tampered_or_foreign_delivery_is_refused() -> TestResult {
    let signer = WebhookSigner::new();
    let delivery = signer.sign_event(&EventData::UserCreated(Box::new(new_user("user_1"))))?;
    let mut request = delivery.request("/webhooks/clerk")?;
    request.body_mut().extend_from_slice(b" ");
    let mut created = Vec::new();
    assert_eq!(
        webhook_handler(signer.secret(), &request, &mut created),
        (400, "no-matching-signature".to_owned())
    );
    // Signed with another secret.
    let other = WebhookSigner::new().sign_body(delivery.body().to_vec());
    let request = other.request("/webhooks/clerk")?;
    assert_eq!(
        webhook_handler(signer.secret(), &request, &mut created).0,
        400
    );
    // Headers missing.
    let mut request = delivery.request("/webhooks/clerk")?;
    request.headers_mut().remove("svix-signature");
    assert_eq!(
        webhook_handler(signer.secret(), &request, &mut created),
        (400, "missing-header".to_owned())
    );
    assert!(created.is_empty());
    Ok(())
}

#[test]
fn raw_bodies_serializable_values_and_both_header_sets() -> TestResult {
    let signer = WebhookSigner::with_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
    let body = serde_json::json!({
        "type": "session.created", "object": "event", "timestamp": 1_700_000_000_000_i64,
        "instance_id": "ins_1", "data": {"id": "sess_1", "object": "session", "user_id": "user_1"},
    });
    let delivery = signer.sign_json(&body)?;
    let mut created = Vec::new();
    for set in [HeaderSet::Svix, HeaderSet::Standard] {
        let request = delivery.request_for("/hook", set)?;
        assert_eq!(
            webhook_handler(signer.secret(), &request, &mut created),
            (200, "session.created".to_owned())
        );
    }
    assert!(
        delivery
            .headers_for(HeaderSet::Standard)
            .contains_key("webhook-signature")
    );
    // A body that is not an event verifies its signature but is not an event.
    let raw = signer.sign_body(b"not json".to_vec());
    let error = signer
        .verifier()
        .verify(&raw.headers(), raw.body(), signer.now())
        .err()
        .ok_or("verified")?;
    assert_eq!(error.kind(), WebhookErrorKind::InvalidEvent);
    assert!(
        signer
            .verifier()
            .verify_signature(&raw.headers(), raw.body(), signer.now())
            .is_ok()
    );
    Ok(())
}

#[test]
fn the_timestamp_follows_the_test_clock() -> TestResult {
    let clock = TestClock::new();
    let signer = WebhookSigner::new().clock(&clock);
    clock.rewind(Duration::from_secs(600));
    let stale = signer.sign_event(&EventData::UserCreated(Box::new(new_user("user_1"))))?;
    assert_eq!(stale.timestamp(), clock.unix_seconds().to_string());
    let mut created = Vec::new();
    let request = stale.request("/hook")?;
    assert_eq!(
        webhook_handler(signer.secret(), &request, &mut created),
        (400, "timestamp-too-old".to_owned())
    );
    // A retry of the same delivery keeps its id, with a fresh timestamp.
    clock.set(std::time::SystemTime::now());
    let retry = signer.sign_body_with_id(stale.id(), stale.body().to_vec());
    let request = retry.request("/hook")?;
    assert_eq!(
        webhook_handler(signer.secret(), &request, &mut created).0,
        204
    );
    assert_eq!(retry.id(), stale.id());
    Ok(())
}

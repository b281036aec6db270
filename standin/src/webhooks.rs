//! Signed webhook deliveries: any raw body, any serializable value, or a typed event in
//! Clerk's envelope, signed the way Clerk (through Svix) signs them, so that a webhook
//! handler under test verifies them with the same secret.
//!
//! ```
//! use clerk_backend_core::webhook::{EventData, Verifier};
//! use clerk_backend_testkit::webhooks::WebhookSigner;
//!
//! let signer = WebhookSigner::new(); // a fresh `whsec_…` secret
//! // Configure the handler under test with `signer.secret()`; here, core's verifier:
//! let verifier = Verifier::new(signer.signing_secret());
//!
//! let body = br#"{"type":"user.deleted","object":"event","timestamp":1700000000000,
//!     "instance_id":"ins_1","data":{"id":"user_1","object":"user","deleted":true}}"#;
//! let delivery = signer.sign_body(body.to_vec());
//! let request = delivery.request("/webhooks/clerk")?; // POST, JSON, svix-* headers
//!
//! let verified = verifier.verify(request.headers(), request.body(), signer.now())?;
//! assert!(matches!(verified.event.data, EventData::UserDeleted(_)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::time::SystemTime;

use base64::Engine as _;
use clerk_backend_core::webhook::{
    self, EventData, HeaderSet, SigningSecret, Verifier, WebhookError,
};
use http::HeaderMap;
use serde_json::json;

use crate::clock::{TestClock, unix_millis, unix_seconds};

/// The instance id (`ins_…`) of the events [`WebhookSigner::sign_event`] wraps, unless told
/// otherwise.
pub const DEFAULT_INSTANCE_ID: &str = "ins_test";

/// Signs webhook deliveries with one secret, stamped with the wall clock, a fixed time or a
/// [`TestClock`].
///
/// `Debug` never shows the secret.
#[derive(Clone)]
pub struct WebhookSigner {
    secret_text: String,
    secret: SigningSecret,
    time: Time,
    instance_id: String,
}

#[derive(Debug, Clone)]
enum Time {
    Wall,
    At(SystemTime),
    Clock(TestClock),
}

impl WebhookSigner {
    /// A signer with a freshly generated secret (`whsec_` + 24 random bytes in base64; from
    /// std's `RandomState`, unique per call, fine for tests and nothing else).
    pub fn new() -> Self {
        let encoded =
            base64::engine::general_purpose::STANDARD.encode(crate::ids::random_bytes(24));
        let secret_text = format!("whsec_{encoded}");
        match SigningSecret::new(&secret_text) {
            Ok(secret) => Self::with_parts(secret_text, secret),
            // 24 bytes of base64 are always a valid secret; should core ever refuse one, a
            // known-good secret keeps the signer usable.
            Err(_) => Self::fallback(),
        }
    }

    fn fallback() -> Self {
        let text = "whsec_dGVzdGtpdC1mYWxsYmFjay1zZWNyZXQ=";
        match SigningSecret::new(text) {
            Ok(secret) => Self::with_parts(text.to_owned(), secret),
            Err(_) => unreachable_secret(),
        }
    }

    /// A signer with the given secret (`whsec_…`, the prefix optional), e.g. the one your
    /// handler reads from its configuration in tests.
    ///
    /// # Errors
    /// Core's [`WebhookError`] (`invalid-secret`) when the secret is empty or not base64.
    pub fn with_secret(secret: &str) -> Result<Self, WebhookError> {
        let parsed = SigningSecret::new(secret)?;
        Ok(Self::with_parts(secret.trim().to_owned(), parsed))
    }

    fn with_parts(secret_text: String, secret: SigningSecret) -> Self {
        Self {
            secret_text,
            secret,
            time: Time::Wall,
            instance_id: DEFAULT_INSTANCE_ID.to_owned(),
        }
    }

    /// The secret as the Dashboard shows it (`whsec_…`): what the handler under test is
    /// configured with (`CLERK_WEBHOOK_SIGNING_SECRET`).
    pub fn secret(&self) -> &str {
        &self.secret_text
    }

    /// The secret for core's [`Verifier`].
    pub fn signing_secret(&self) -> SigningSecret {
        self.secret.clone()
    }

    /// Core's verifier for this secret (default tolerance).
    pub fn verifier(&self) -> Verifier {
        Verifier::new(self.signing_secret())
    }

    /// Stamps deliveries with `now` instead of the wall clock.
    #[must_use]
    pub fn at(mut self, now: SystemTime) -> Self {
        self.time = Time::At(now);
        self
    }

    /// Stamps deliveries with `clock`'s time, read when signing.
    #[must_use]
    pub fn clock(mut self, clock: &TestClock) -> Self {
        self.time = Time::Clock(clock.clone());
        self
    }

    /// Sets the `instance_id` of the events [`WebhookSigner::sign_event`] wraps (default
    /// [`DEFAULT_INSTANCE_ID`]).
    #[must_use]
    pub fn instance_id(mut self, instance_id: impl Into<String>) -> Self {
        self.instance_id = instance_id.into();
        self
    }

    /// The time the next delivery will be stamped with.
    pub fn now(&self) -> SystemTime {
        match &self.time {
            Time::Wall => SystemTime::now(),
            Time::At(at) => *at,
            Time::Clock(clock) => clock.now(),
        }
    }

    /// Signs `body` exactly as given, with a fresh delivery id (`msg_…`).
    pub fn sign_body(&self, body: impl Into<Vec<u8>>) -> SignedDelivery {
        self.sign_body_with_id(&crate::ids::base62("msg_", 27), body)
    }

    /// Signs `body` with the delivery id `id` (a retry of a delivery keeps its id).
    pub fn sign_body_with_id(&self, id: &str, body: impl Into<Vec<u8>>) -> SignedDelivery {
        let body = body.into();
        let signed = webhook::sign(&self.secret, id, unix_seconds(self.now()), &body);
        SignedDelivery { signed, body }
    }

    /// Signs `value` serialized as JSON (any body shape: a hand-written envelope, a
    /// `serde_json::Value`, a struct of your own).
    ///
    /// # Errors
    /// When `value` does not serialize to JSON.
    pub fn sign_json<T: serde::Serialize + ?Sized>(
        &self,
        value: &T,
    ) -> Result<SignedDelivery, serde_json::Error> {
        Ok(self.sign_body(serde_json::to_vec(value)?))
    }

    /// The body Clerk would send for `data`: the envelope (`type` from the data's variant,
    /// `object: "event"`, `timestamp` in milliseconds from this signer's time,
    /// `instance_id`, `event_attributes.http_request`) around `data`.
    ///
    /// # Errors
    /// When the data does not serialize to JSON.
    pub fn event_body(&self, data: &EventData) -> Result<Vec<u8>, serde_json::Error> {
        let envelope = json!({
            "data": serde_json::to_value(data)?,
            "event_attributes": {
                "http_request": {
                    "client_ip": "127.0.0.1",
                    "user_agent": concat!("clerk-backend-testkit/", env!("CARGO_PKG_VERSION")),
                },
            },
            "instance_id": self.instance_id,
            "object": "event",
            "timestamp": unix_millis(self.now()),
            "type": data.event_type(),
        });
        serde_json::to_vec(&envelope)
    }

    /// Signs the delivery of a typed event: [`WebhookSigner::event_body`], signed.
    ///
    /// # Errors
    /// When the data does not serialize to JSON.
    pub fn sign_event(&self, data: &EventData) -> Result<SignedDelivery, serde_json::Error> {
        Ok(self.sign_body(self.event_body(data)?))
    }
}

impl Default for WebhookSigner {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for WebhookSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookSigner")
            .field("secret", &"<redacted>")
            .field("time", &self.time)
            .field("instance_id", &self.instance_id)
            .finish()
    }
}

#[cold]
#[allow(clippy::panic)]
fn unreachable_secret() -> WebhookSigner {
    // The fallback secret is a constant core accepts (tested); only a core that refused every
    // base64 secret could get here, which no input of the user's can cause.
    panic!("core refused the test kit's constant webhook secret")
}

/// A signed delivery: its id, timestamp, signature and body, as headers or as a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedDelivery {
    signed: webhook::Signed,
    body: Vec<u8>,
}

impl SignedDelivery {
    /// The delivery id (`msg_…`), the `svix-id` header.
    pub fn id(&self) -> &str {
        &self.signed.id
    }

    /// Seconds since the Unix epoch as sent, the `svix-timestamp` header.
    pub fn timestamp(&self) -> &str {
        &self.signed.timestamp
    }

    /// `v1,<base64 HMAC-SHA256>`, the `svix-signature` header.
    pub fn signature(&self) -> &str {
        &self.signed.signature
    }

    /// The body the signature covers, byte for byte.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The `svix-id`, `svix-timestamp` and `svix-signature` headers (what Clerk sends).
    pub fn headers(&self) -> HeaderMap {
        self.headers_for(HeaderSet::Svix)
    }

    /// The three headers under the names of `set`: Svix's, or the Standard Webhooks
    /// `webhook-id`, `webhook-timestamp`, `webhook-signature`.
    pub fn headers_for(&self, set: HeaderSet) -> HeaderMap {
        self.signed.headers(set)
    }

    /// A `POST` to `uri` with the body, `content-type: application/json` and the Svix headers,
    /// ready for the handler under test.
    ///
    /// # Errors
    /// When `uri` is not a valid request URI.
    pub fn request(&self, uri: &str) -> Result<http::Request<Vec<u8>>, http::Error> {
        self.request_for(uri, HeaderSet::Svix)
    }

    /// [`SignedDelivery::request`] with the headers of `set`.
    ///
    /// # Errors
    /// When `uri` is not a valid request URI.
    pub fn request_for(
        &self,
        uri: &str,
        set: HeaderSet,
    ) -> Result<http::Request<Vec<u8>>, http::Error> {
        let mut request = http::Request::post(uri)
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(self.body.clone())?;
        request.headers_mut().extend(self.headers_for(set));
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clerk_backend_core::webhook::WebhookErrorKind;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn the_standard_webhooks_vector() {
        let signer = WebhookSigner::with_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .unwrap()
            .at(UNIX_EPOCH + Duration::from_secs(1_614_265_330));
        let delivery =
            signer.sign_body_with_id("msg_p5jXN8AQM9LWM0D4loKWxJek", r#"{"test": 2432232314}"#);
        assert_eq!(
            delivery.signature(),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
        let standard = delivery.headers_for(HeaderSet::Standard);
        assert_eq!(standard["webhook-timestamp"], "1614265330");
        assert_eq!(standard["webhook-id"], "msg_p5jXN8AQM9LWM0D4loKWxJek");
        assert!(delivery.headers().contains_key("svix-signature"));
    }

    #[test]
    fn secrets_are_fresh_valid_and_hidden() {
        let one = WebhookSigner::new();
        let two = WebhookSigner::new();
        assert_ne!(one.secret(), two.secret());
        assert!(one.secret().starts_with("whsec_"));
        assert!(SigningSecret::new(one.secret()).is_ok());
        assert!(!format!("{one:?}").contains(&one.secret()[6..]));
        assert!(WebhookSigner::fallback().secret().starts_with("whsec_"));
        assert_eq!(
            WebhookSigner::with_secret("whsec_").unwrap_err().kind(),
            WebhookErrorKind::InvalidSecret
        );
    }

    #[test]
    fn ids_are_fresh() {
        let signer = WebhookSigner::new();
        let one = signer.sign_body(b"{}".to_vec());
        let two = signer.sign_body(b"{}".to_vec());
        assert_ne!(one.id(), two.id());
        assert!(one.id().starts_with("msg_"));
        assert_eq!(one.body(), b"{}");
    }
}

//! Webhooks: verify a delivery before trusting a byte of it, then act on its typed event
//! (feature `webhook`, on by default).
//!
//! Clerk signs deliveries the Svix / Standard Webhooks way: HMAC-SHA256 of `id.timestamp.body`
//! with the endpoint's signing secret. [`Verifier::verify`] checks the headers, the timestamp
//! and the signature, then reads the body with [`events::parse_event`] into an
//! [`events::Event`] whose [`data`](events::Event::data) is an [`events::EventData`] variant per
//! event type. Verification is pure: `now` is an argument.
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use clerk_backend_core::webhook::{EventData, HeaderSet, SigningSecret, Verifier, sign};
//!
//! let secret = SigningSecret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
//! let body = br#"{"type":"user.deleted","object":"event","timestamp":1700000000000,
//!     "instance_id":"ins_1","data":{"id":"user_1","object":"user","deleted":true}}"#;
//! // What Clerk sends (here signed by the test helper):
//! let headers = sign(&secret, "msg_1", 1_700_000_000, body).headers(HeaderSet::Svix);
//!
//! let now = UNIX_EPOCH + Duration::from_secs(1_700_000_010);
//! let verified = Verifier::new(secret).verify(&headers, body, now)?;
//! match &verified.event.data {
//!     EventData::UserDeleted(deleted) => assert_eq!(deleted.id.as_deref(), Some("user_1")),
//!     other => panic!("{}", other.event_type()),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! (`crate::webhooks`, plural, is the API group of the Backend API operations tagged Webhooks.)

mod envelope;
pub mod events;
mod signature;

pub use events::{EVENT_TYPES, Event, EventData, HttpRequest, parse_event};
pub use signature::{
    DEFAULT_TOLERANCE, Delivery, ENV_WEBHOOK_SIGNING_SECRET, HeaderSet, Signed, SigningSecret,
    Verified, Verifier, WebhookError, WebhookErrorKind, sign,
};

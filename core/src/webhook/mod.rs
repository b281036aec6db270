//! Webhooks: verify a delivery before trusting a byte of it, then act on its event (feature
//! `webhook`, on by default).
//!
//! Clerk signs deliveries the Svix / Standard Webhooks way: HMAC-SHA256 of `id.timestamp.body`
//! with the endpoint's signing secret. Verification is pure: `now` is an argument.

mod signature;

pub use signature::{
    DEFAULT_TOLERANCE, Delivery, ENV_WEBHOOK_SIGNING_SECRET, HeaderSet, Signed, SigningSecret,
    Verifier, WebhookError, WebhookErrorKind, sign,
};

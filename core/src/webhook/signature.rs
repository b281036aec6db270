//! Verifying and signing webhook deliveries (Svix / Standard Webhooks: HMAC-SHA256 over
//! `id.timestamp.body`), with `now` passed in.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::{KeyInit as _, Mac as _};
use http::{HeaderMap, HeaderName, HeaderValue};
use subtle::ConstantTimeEq as _;

/// Environment variable holding the webhook signing secret (`whsec_…`).
pub const ENV_WEBHOOK_SIGNING_SECRET: &str = "CLERK_WEBHOOK_SIGNING_SECRET";
/// How far a delivery's timestamp may be from `now`, either way, by default.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// The length of an HMAC-SHA256 signature, in bytes.
const SIGNATURE_LEN: usize = 32;

/// The header names of one delivery: Svix's (`svix-id` …), or the Standard Webhooks ones
/// (`webhook-id` …) that white-labelled deliveries use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderSet {
    /// `svix-id`, `svix-timestamp`, `svix-signature`.
    Svix,
    /// `webhook-id`, `webhook-timestamp`, `webhook-signature`.
    Standard,
}

impl HeaderSet {
    fn names(self) -> [&'static str; 3] {
        match self {
            Self::Svix => ["svix-id", "svix-timestamp", "svix-signature"],
            Self::Standard => ["webhook-id", "webhook-timestamp", "webhook-signature"],
        }
    }
}

/// What kind of failure refused a delivery (or a secret).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WebhookErrorKind {
    /// `invalid-secret`: the signing secret is empty or not base64 (a configuration error).
    InvalidSecret,
    /// `missing-header`: the id, timestamp or signature header is absent (or not text).
    MissingHeader,
    /// `invalid-timestamp`: the timestamp is not a plain integer of seconds.
    InvalidTimestamp,
    /// `timestamp-too-old`: the timestamp is older than the tolerance (a replay, or a
    /// delivery held too long).
    TimestampTooOld,
    /// `timestamp-too-new`: the timestamp is further in the future than the tolerance.
    TimestampTooNew,
    /// `no-matching-signature`: no `v1` signature of the header matches.
    NoMatchingSignature,
    /// `invalid-event`: the signature is valid but the body is not an event.
    InvalidEvent,
}

impl WebhookErrorKind {
    /// The kind's stable name (`no-matching-signature` …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidSecret => "invalid-secret",
            Self::MissingHeader => "missing-header",
            Self::InvalidTimestamp => "invalid-timestamp",
            Self::TimestampTooOld => "timestamp-too-old",
            Self::TimestampTooNew => "timestamp-too-new",
            Self::NoMatchingSignature => "no-matching-signature",
            Self::InvalidEvent => "invalid-event",
        }
    }
}

impl fmt::Display for WebhookErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A refused delivery or an unusable secret. The message never holds the secret, a
/// signature or the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookError {
    kind: WebhookErrorKind,
    message: String,
}

impl WebhookError {
    pub(crate) fn new(kind: WebhookErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// What failed.
    pub fn kind(&self) -> WebhookErrorKind {
        self.kind
    }

    /// A sentence for people.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

impl std::error::Error for WebhookError {}

/// A webhook signing secret (`whsec_` + base64, the prefix optional). `Debug` never shows it.
#[derive(Clone)]
pub struct SigningSecret {
    key: Vec<u8>,
}

impl SigningSecret {
    /// Reads a signing secret as the Dashboard shows it.
    ///
    /// # Errors
    /// [`WebhookErrorKind::InvalidSecret`] when it is empty (or `whsec_` alone) or not base64.
    pub fn new(secret: &str) -> Result<Self, WebhookError> {
        let encoded = secret.trim();
        let encoded = encoded.strip_prefix("whsec_").unwrap_or(encoded);
        if encoded.is_empty() {
            return Err(WebhookError::new(
                WebhookErrorKind::InvalidSecret,
                "the signing secret is empty",
            ));
        }
        let key = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|_| {
                WebhookError::new(
                    WebhookErrorKind::InvalidSecret,
                    "the signing secret is not `whsec_` followed by base64",
                )
            })?;
        if key.is_empty() {
            return Err(WebhookError::new(
                WebhookErrorKind::InvalidSecret,
                "the signing secret decodes to nothing",
            ));
        }
        Ok(Self { key })
    }

    /// Reads [`ENV_WEBHOOK_SIGNING_SECRET`].
    ///
    /// # Errors
    /// [`WebhookErrorKind::InvalidSecret`] naming the variable when it is unset or invalid.
    pub fn from_env() -> Result<Self, WebhookError> {
        let value = std::env::var(ENV_WEBHOOK_SIGNING_SECRET).unwrap_or_default();
        Self::new(&value).map_err(|err| {
            WebhookError::new(
                err.kind,
                format!("{ENV_WEBHOOK_SIGNING_SECRET}: {}", err.message),
            )
        })
    }

    /// HMAC-SHA256 of `id.timestamp.body`; `None` only if the key were refused, which HMAC
    /// never does (every caller then fails closed).
    fn mac(&self, id: &str, timestamp: &str, body: &[u8]) -> Option<[u8; SIGNATURE_LEN]> {
        let mut mac = HmacSha256::new_from_slice(&self.key).ok()?;
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.as_bytes());
        mac.update(b".");
        mac.update(body);
        Some(mac.finalize().into_bytes().into())
    }
}

impl fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningSecret(<redacted>)")
    }
}

/// The id and time of a delivery whose signature verified.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Delivery {
    /// The delivery's id (`msg_…`): the same on every retry of one event, so a handler can
    /// skip a delivery it has already processed.
    pub id: String,
    /// When it was sent, seconds since the Unix epoch.
    pub timestamp: i64,
}

/// Checks deliveries against one signing secret.
#[derive(Debug, Clone)]
pub struct Verifier {
    secret: SigningSecret,
    tolerance: Duration,
}

impl Verifier {
    /// A verifier with the default tolerance of 300 s.
    pub fn new(secret: SigningSecret) -> Self {
        Self {
            secret,
            tolerance: DEFAULT_TOLERANCE,
        }
    }

    /// Sets how far the timestamp may be from `now`, either way (default 300 s).
    #[must_use]
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Checks the headers and the raw body of a delivery at `now`: the id, timestamp and
    /// signature headers (the `svix-` set when any of it is present, else the `webhook-` set),
    /// the timestamp within the tolerance, then at least one `v1` signature matching
    /// HMAC-SHA256(`id.timestamp.body`), compared in constant time after a length check.
    /// Entries of other versions are ignored. The body is used as received, never
    /// re-serialised.
    ///
    /// # Errors
    /// [`WebhookError`] with the kind of the first check that failed.
    pub fn verify_signature(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Delivery, WebhookError> {
        let set = if ["svix-id", "svix-timestamp", "svix-signature"]
            .iter()
            .any(|name| headers.contains_key(*name))
        {
            HeaderSet::Svix
        } else {
            HeaderSet::Standard
        };
        let [id_name, timestamp_name, signature_name] = set.names();
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .ok_or_else(|| {
                    WebhookError::new(
                        WebhookErrorKind::MissingHeader,
                        format!("the `{name}` header is missing, empty or not text"),
                    )
                })
        };
        let id = header(id_name)?;
        let timestamp_text = header(timestamp_name)?;
        let signatures = header(signature_name)?;
        let timestamp = parse_timestamp(timestamp_text)?;
        let now_secs = unix_seconds(now);
        let tolerance = i128::from(u32::try_from(self.tolerance.as_secs()).unwrap_or(u32::MAX));
        let age = now_secs - i128::from(timestamp);
        if age > tolerance {
            return Err(WebhookError::new(
                WebhookErrorKind::TimestampTooOld,
                format!("the delivery is {age} s old; at most {tolerance} s are accepted"),
            ));
        }
        if -age > tolerance {
            return Err(WebhookError::new(
                WebhookErrorKind::TimestampTooNew,
                format!(
                    "the delivery is dated {} s ahead; at most {tolerance} s are accepted",
                    -age
                ),
            ));
        }
        let expected = self.secret.mac(id, timestamp_text, body);
        let matched = expected.is_some_and(|expected| {
            signatures
                .split(' ')
                .filter_map(|entry| entry.split_once(','))
                .filter(|(version, _)| *version == "v1")
                .filter_map(|(_, encoded)| {
                    base64::engine::general_purpose::STANDARD
                        .decode(encoded)
                        .ok()
                })
                .any(|candidate| {
                    candidate.len() == SIGNATURE_LEN && bool::from(candidate.ct_eq(&expected))
                })
        });
        if !matched {
            return Err(WebhookError::new(
                WebhookErrorKind::NoMatchingSignature,
                format!("no v1 signature of `{signature_name}` matches the body"),
            ));
        }
        Ok(Delivery {
            id: id.to_owned(),
            timestamp,
        })
    }
}

/// A delivery that verified, with its event.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Verified {
    /// Its id and timestamp.
    pub delivery: Delivery,
    /// The event it carries.
    pub event: super::events::Event,
}

impl Verifier {
    /// [`Verifier::verify_signature`], then the body read as an event (only once the signature
    /// holds: nothing of an unsigned body is parsed).
    ///
    /// # Errors
    /// As [`Verifier::verify_signature`]; [`WebhookErrorKind::InvalidEvent`] when the signed
    /// body is not an event (the message names the JSON path, never the body).
    pub fn verify(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Verified, WebhookError> {
        let delivery = self.verify_signature(headers, body, now)?;
        let event = super::events::parse_event(body).map_err(|error| {
            // The path only: a decoder's message can quote the body's values (personal data).
            let detail = match &error {
                crate::Error::Decode(decode) => {
                    format!(" (it does not decode at `{}`)", decode.path)
                }
                _ => String::new(),
            };
            WebhookError::new(
                WebhookErrorKind::InvalidEvent,
                format!("the signed body is not an event{detail}"),
            )
        })?;
        Ok(Verified { delivery, event })
    }
}

/// A strict integer of seconds: ASCII digits, an optional leading `-`, no sign `+`, no
/// fraction, no spaces.
fn parse_timestamp(text: &str) -> Result<i64, WebhookError> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let valid = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    valid
        .then(|| text.parse::<i64>().ok())
        .flatten()
        .ok_or_else(|| {
            WebhookError::new(
                WebhookErrorKind::InvalidTimestamp,
                "the timestamp is not an integer number of seconds",
            )
        })
}

fn unix_seconds(now: SystemTime) -> i128 {
    match now.duration_since(UNIX_EPOCH) {
        Ok(after) => i128::from(after.as_secs()),
        Err(before) => -i128::from(before.duration().as_secs()),
    }
}

/// The headers of a delivery, as a sender produces them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Signed {
    /// The delivery id.
    pub id: String,
    /// The timestamp, seconds since the Unix epoch, as sent.
    pub timestamp: String,
    /// The signature header's value: `v1,<base64>`.
    pub signature: String,
}

impl Signed {
    /// The three headers with the names of `set`.
    pub fn headers(&self, set: HeaderSet) -> HeaderMap {
        let [id, timestamp, signature] = set.names();
        let mut map = HeaderMap::new();
        for (name, value) in [
            (id, &self.id),
            (timestamp, &self.timestamp),
            (signature, &self.signature),
        ] {
            if let Ok(value) = HeaderValue::from_str(value) {
                map.insert(HeaderName::from_static(name), value);
            }
        }
        map
    }
}

/// Signs a delivery of `body` with `id` at `timestamp` (seconds since the Unix epoch), as Clerk
/// does: for testing webhook handlers. [`Signed::headers`] gives the headers to send.
pub fn sign(secret: &SigningSecret, id: &str, timestamp: i64, body: &[u8]) -> Signed {
    let timestamp = timestamp.to_string();
    // Without a MAC (never the case for HMAC) the signature is `v1,`, which verifies nothing.
    let mac = secret
        .mac(id, &timestamp, body)
        .map(|mac| base64::engine::general_purpose::STANDARD.encode(mac))
        .unwrap_or_default();
    Signed {
        id: id.to_owned(),
        signature: format!("v1,{mac}"),
        timestamp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_webhooks_vectors() {
        let vectors = [
            (
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1_614_265_330,
                r#"{"test": 2432232314}"#,
                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            ),
            (
                "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
                "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
                1_649_367_553,
                r#"{"email":"test@example.com","username":"test_user"}"#,
                "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
            ),
        ];
        for (secret, id, timestamp, body, expected) in vectors {
            let secret = SigningSecret::new(secret).unwrap();
            let signed = sign(&secret, id, timestamp, body.as_bytes());
            assert_eq!(signed.signature, expected);
            let now = UNIX_EPOCH + Duration::from_secs(timestamp.unsigned_abs());
            let delivery = Verifier::new(secret)
                .verify_signature(&signed.headers(HeaderSet::Standard), body.as_bytes(), now)
                .unwrap();
            assert_eq!(delivery.id, id);
        }
    }

    #[test]
    fn secrets_are_checked_and_never_shown() {
        for bad in ["", "whsec_", "whsec_!!!", "   "] {
            let err = SigningSecret::new(bad).unwrap_err();
            assert_eq!(err.kind(), WebhookErrorKind::InvalidSecret, "{bad:?}");
        }
        let secret = SigningSecret::new("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert_eq!(format!("{secret:?}"), "SigningSecret(<redacted>)");
    }

    #[test]
    fn timestamps_are_strict_integers() {
        for good in ["0", "1614265330", "-5"] {
            assert!(parse_timestamp(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "hello",
            "+5",
            "1.5",
            "1e9",
            " 5",
            "5 ",
            "-",
            "99999999999999999999",
        ] {
            assert!(parse_timestamp(bad).is_err(), "{bad:?}");
        }
    }
}

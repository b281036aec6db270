//! Signed test tokens: session tokens from typed claims, M2M and OAuth JWTs, all signed with a
//! [`TestKey`] whose PEM and JWKS the code under test verifies them with, offline.
//!
//! | Builder | What Clerk issues it for | Header |
//! |---|---|---|
//! | [`SessionToken`] | a signed-in user's browser or app | `typ: JWT`, `cat` the session category |
//! | [`M2mToken`] | a machine calling another (`sub` `mch_…`) | `typ: JWT`, `cat` the M2M category |
//! | [`OauthToken`] | an OAuth application acting for a user | `typ: at+jwt` |
//!
//! Every builder signs RS256 by default ([`SessionToken::algorithm`] picks RS384 or RS512),
//! with the key's `kid`, and stamps `iat`, `nbf` (10 s earlier, as Clerk does) and `exp`
//! (`iat` + the lifetime) from, in this order of preference: an explicit
//! [`SessionToken::issued_at`], a [`TestClock`] given with [`SessionToken::clock`] (read when
//! the token is signed), or the wall clock. The wall clock is the right default for tokens a
//! real client verifies (the clients read the wall clock); a fixed time or a `TestClock` suits
//! tests that verify through core with their own `now`.
//!
//! ```
//! use std::time::{Duration, SystemTime, UNIX_EPOCH};
//! use clerk_backend_core::auth::{AuthOptions, Has, verify_session_token};
//! use clerk_backend_testkit::tokens::{Organization, SessionToken, TestKey, DEFAULT_AUTHORIZED_PARTY};
//!
//! let key = TestKey::a();
//! let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
//! let token = SessionToken::new("user_1")
//!     .organization(
//!         Organization::new("org_1")
//!             .slug("acme")
//!             .role("admin")
//!             .permissions(["org:invoices:create", "org:invoices:read"]),
//!     )
//!     .claim("email", "ada@example.test")
//!     .issued_at(now)
//!     .sign(&key)?;
//!
//! let options = AuthOptions::new().authorized_party(DEFAULT_AUTHORIZED_PARTY);
//! let claims = verify_session_token(&token, &key.public_key()?, &options, now)?;
//! assert_eq!(claims.user_id, "user_1");
//! assert!(claims.has(&Has::new().role("admin").permission("org:invoices:create")));
//! assert!(!claims.has(&Has::new().permission("org:invoices:delete")));
//! assert_eq!(claims.claim("email").and_then(|v| v.as_str()), Some("ada@example.test"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod key;
mod machine;
mod permissions;
mod session;

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use clerk_backend_core::auth::Algorithm;
use serde_json::{Map, Value};

use crate::clock::{TestClock, unix_seconds};

pub use key::{TestKey, TestKeyError, jwks};
pub use machine::{M2mToken, OauthToken};
pub use permissions::ClaimsError;
pub use session::{ClaimsVersion, Organization, SessionToken};

/// The issuer (`iss`) the builders put in tokens unless told otherwise: a Frontend API URL
/// that belongs to no one.
pub const DEFAULT_ISSUER: &str = "https://clerk.example.test";

/// The authorized party (`azp`) of session tokens unless told otherwise: configure it as your
/// `AuthOptions::authorized_party` in tests.
pub const DEFAULT_AUTHORIZED_PARTY: &str = "https://app.example.test";

/// The default lifetime of a session token (`exp - iat`): 60 s, as Clerk's.
pub const SESSION_TOKEN_LIFETIME: Duration = Duration::from_secs(60);

/// The default lifetime of an M2M or OAuth JWT: one hour.
pub const MACHINE_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// How long before `iat` a token becomes valid (`nbf`), as Clerk issues them.
pub const NOT_BEFORE_LEEWAY: Duration = Duration::from_secs(10);

/// base64url without padding.
pub(crate) fn b64url(bytes: impl AsRef<[u8]>) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Where a builder takes its time from.
#[derive(Debug, Clone, Default)]
enum Time {
    /// The wall clock, read when signing.
    #[default]
    Wall,
    /// A fixed instant.
    At(SystemTime),
    /// A test clock, read when signing.
    Clock(TestClock),
}

/// What every builder shares: time, lifetime, algorithm, issuer, audience, custom claims.
#[derive(Debug, Clone)]
struct Common {
    time: Time,
    lifetime: Duration,
    algorithm: Algorithm,
    issuer: Option<String>,
    audience: Vec<String>,
    custom: Map<String, Value>,
}

impl Common {
    fn new(lifetime: Duration) -> Self {
        Self {
            time: Time::Wall,
            lifetime,
            algorithm: Algorithm::Rs256,
            issuer: Some(DEFAULT_ISSUER.to_owned()),
            audience: Vec::new(),
            custom: Map::new(),
        }
    }

    fn now(&self) -> SystemTime {
        match &self.time {
            Time::Wall => SystemTime::now(),
            Time::At(at) => *at,
            Time::Clock(clock) => clock.now(),
        }
    }

    /// `iat`, `nbf`, `exp`, `iss`, `aud` into `claims`.
    fn stamp(&self, claims: &mut Map<String, Value>) {
        let iat = unix_seconds(self.now());
        let lifetime = i64::try_from(self.lifetime.as_secs()).unwrap_or(i64::MAX);
        let leeway = i64::try_from(NOT_BEFORE_LEEWAY.as_secs()).unwrap_or_default();
        claims.insert("iat".into(), iat.into());
        claims.insert("nbf".into(), iat.saturating_sub(leeway).into());
        claims.insert("exp".into(), iat.saturating_add(lifetime).into());
        if let Some(issuer) = &self.issuer {
            claims.insert("iss".into(), issuer.clone().into());
        }
        match self.audience.as_slice() {
            [] => {}
            [one] => {
                claims.insert("aud".into(), one.clone().into());
            }
            many => {
                claims.insert("aud".into(), many.to_vec().into());
            }
        }
    }

    /// The custom claims over `claims`: they win.
    fn finish(&self, mut claims: Map<String, Value>) -> Value {
        for (name, value) in &self.custom {
            claims.insert(name.clone(), value.clone());
        }
        Value::Object(claims)
    }
}

/// The builder methods every token builder shares (documented once, here).
macro_rules! common_methods {
    () => {
        /// Stamps `iat` with `now` (`nbf` 10 s earlier, `exp` after the lifetime) instead of
        /// reading a clock.
        pub fn issued_at(mut self, now: std::time::SystemTime) -> Self {
            self.common.time = super::Time::At(now);
            self
        }

        /// Takes `iat` from `clock`, read when the token is signed.
        pub fn clock(mut self, clock: &crate::clock::TestClock) -> Self {
            self.common.time = super::Time::Clock(clock.clone());
            self
        }

        /// Sets how long the token lives (`exp - iat`), whole seconds.
        pub fn lifetime(mut self, lifetime: std::time::Duration) -> Self {
            self.common.lifetime = lifetime;
            self
        }

        /// Signs with `algorithm` (default RS256, what Clerk uses). Core only accepts
        /// RS384/RS512 from a key that allows them: a PEM key, or a JWK made with
        /// [`TestKey::jwk_for`](super::TestKey::jwk_for).
        pub fn algorithm(mut self, algorithm: clerk_backend_core::auth::Algorithm) -> Self {
            self.common.algorithm = algorithm;
            self
        }

        /// Sets the issuer (`iss`, default [`DEFAULT_ISSUER`](super::DEFAULT_ISSUER)).
        pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
            self.common.issuer = Some(issuer.into());
            self
        }

        /// Leaves `iss` out.
        pub fn without_issuer(mut self) -> Self {
            self.common.issuer = None;
            self
        }

        /// Adds an audience (`aud`: a string for one, an array for several).
        pub fn audience(mut self, audience: impl Into<String>) -> Self {
            self.common.audience.push(audience.into());
            self
        }

        /// Sets a custom claim. Custom claims are written last: one named like a claim the
        /// builder writes replaces it (to craft an odd token on purpose).
        pub fn claim(
            mut self,
            name: impl Into<String>,
            value: impl Into<serde_json::Value>,
        ) -> Self {
            self.common.custom.insert(name.into(), value.into());
            self
        }
    };
}

pub(crate) use common_methods;

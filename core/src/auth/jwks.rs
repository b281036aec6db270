//! Where verification keys come from: a PEM key, or a JWKS cache owned by the caller.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::models::{Jwks, JwksKeysItem};
use crate::{Endpoint as _, Error, jwks::GetJwks};

use super::key::PublicKey;
use super::reason::{Reason, TokenError};

/// What a key source answers for a token's `kid`.
#[derive(Debug, Clone)]
pub enum KeyLookup {
    /// Verify with this key.
    Found(Arc<PublicKey>),
    /// Fetch the JWKS ([`GetJwks`]), give the answer to [`JwksCache::on_jwks`], then ask again.
    Fetch,
    /// No key can verify this token; the token is refused with this error.
    Refused(TokenError),
}

/// Anything that finds the key for a token: a [`PublicKey`] (every `kid`), a [`JwksCache`], or
/// either behind a `Mutex` (locked only for the lookup, never during a signature check).
pub trait KeySource {
    /// The key for `kid` at `now`. With `may_fetch` false the answer is never
    /// [`KeyLookup::Fetch`]: the caller has fetched already, and a key still missing is refused.
    fn lookup(&self, kid: Option<&str>, now: SystemTime, may_fetch: bool) -> KeyLookup;
}

impl KeySource for PublicKey {
    fn lookup(&self, _kid: Option<&str>, _now: SystemTime, _may_fetch: bool) -> KeyLookup {
        KeyLookup::Found(Arc::new(self.clone()))
    }
}

impl KeySource for Arc<PublicKey> {
    fn lookup(&self, _kid: Option<&str>, _now: SystemTime, _may_fetch: bool) -> KeyLookup {
        KeyLookup::Found(Arc::clone(self))
    }
}

impl<T: KeySource> KeySource for Mutex<T> {
    fn lookup(&self, kid: Option<&str>, now: SystemTime, may_fetch: bool) -> KeyLookup {
        lock(self).lookup(kid, now, may_fetch)
    }
}

impl<T: KeySource + ?Sized> KeySource for &T {
    fn lookup(&self, kid: Option<&str>, now: SystemTime, may_fetch: bool) -> KeyLookup {
        (**self).lookup(kid, now, may_fetch)
    }
}

/// How long fetched keys are used before they are fetched again.
pub const DEFAULT_JWKS_TTL: Duration = Duration::from_secs(5 * 60);
/// The shortest time between two fetches, whatever the reason (an unknown `kid`, expiry, a
/// failed fetch).
pub const DEFAULT_REFETCH_INTERVAL: Duration = Duration::from_secs(10);

/// The keys of one Clerk instance's JWKS, as a plain value the caller owns.
///
/// It never fetches by itself: [`JwksCache::lookup`] answers with a key or with
/// [`KeyLookup::Fetch`], and the caller runs [`GetJwks`] (through any transport) and hands the
/// answer to [`JwksCache::on_jwks`] or [`JwksCache::on_response`]. Time is always an argument.
///
/// - Keys are used for [`ttl`](JwksCache::ttl) (5 minutes by default), then fetched again.
/// - A token with a `kid` the cache does not know causes a fetch, but at most one per
///   [`refetch_interval`](JwksCache::refetch_interval) (10 s by default, 1 s at least):
///   a flood of forged `kid`s is not a flood of requests to Clerk.
/// - A failed fetch keeps the keys already known (and is not retried before the interval); so
///   does an answer without one usable key.
/// - Only RSA signing keys of 2048 bits or more are kept; others are remembered as refused,
///   so a token naming one gets [`Reason::JwkRemoteInvalid`] with the cause.
///
/// A cache holds the keys of one instance: use one per secret key (each client of this
/// project's transports owns one), never one shared by instances.
#[derive(Debug, Clone)]
pub struct JwksCache {
    keys: Vec<Arc<PublicKey>>,
    refused: Vec<(String, String)>,
    fetched_at: Option<SystemTime>,
    attempted_at: Option<SystemTime>,
    last_error: Option<String>,
    ttl: Duration,
    refetch_interval: Duration,
}

impl Default for JwksCache {
    fn default() -> Self {
        Self::new()
    }
}

impl JwksCache {
    /// An empty cache with the default TTL and refetch interval.
    pub fn new() -> Self {
        Self {
            keys: Vec::new(),
            refused: Vec::new(),
            fetched_at: None,
            attempted_at: None,
            last_error: None,
            ttl: DEFAULT_JWKS_TTL,
            refetch_interval: DEFAULT_REFETCH_INTERVAL,
        }
    }

    /// Sets how long fetched keys are used (default [`DEFAULT_JWKS_TTL`]).
    #[must_use]
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// Sets the shortest time between two fetches (default [`DEFAULT_REFETCH_INTERVAL`]; values
    /// under one second are raised to one second).
    #[must_use]
    pub fn refetch_interval(mut self, interval: Duration) -> Self {
        self.refetch_interval = interval.max(Duration::from_secs(1));
        self
    }

    /// The request that fetches the keys: `GET /v1/jwks`, authenticated by the secret key.
    pub fn fetch_request(&self) -> GetJwks {
        GetJwks::new()
    }

    /// The keys in use.
    pub fn keys(&self) -> impl Iterator<Item = &PublicKey> {
        self.keys.iter().map(AsRef::as_ref)
    }

    /// When keys were last fetched successfully.
    pub fn fetched_at(&self) -> Option<SystemTime> {
        self.fetched_at
    }

    /// Takes the result of a [`GetJwks`] call made at `now`. A successful answer replaces the
    /// keys; a failure keeps them and is remembered (its message explains a later refusal).
    pub fn on_jwks(&mut self, result: Result<Jwks, Error>, now: SystemTime) {
        self.attempted_at = Some(now);
        match result {
            Ok(jwks) => {
                let mut keys = Vec::new();
                let mut refused = Vec::new();
                for item in &jwks.keys {
                    match usable_key(item) {
                        Ok(key) => keys.push(Arc::new(key)),
                        Err((kid, why)) => refused.push((kid, why)),
                    }
                }
                if keys.is_empty() {
                    // A 200 without one usable key (a proxy's `{}`, a captive portal) is not
                    // the instance's key set: keep what is known, as for a failed fetch.
                    self.refused = refused;
                    self.last_error =
                        Some("the JWKS answer holds no usable RSA signing key".to_owned());
                    return;
                }
                self.keys = keys;
                self.refused = refused;
                self.fetched_at = Some(now);
                self.last_error = None;
            }
            Err(error) => self.last_error = Some(error.to_string()),
        }
    }

    /// Like [`JwksCache::on_jwks`], from the raw response of the request
    /// [`fetch_request`](JwksCache::fetch_request) built (for callers with their own HTTP stack).
    pub fn on_response(
        &mut self,
        response: Result<http::Response<Vec<u8>>, Error>,
        now: SystemTime,
    ) {
        self.on_jwks(response.and_then(GetJwks::parse), now);
    }

    /// Whether the refetch interval allows a fetch at `now`. A transport that fetches for
    /// several callers at once checks it after waiting its turn: `false` means another caller
    /// fetched meanwhile, and the keys are as fresh as the interval allows.
    pub fn may_fetch(&self, now: SystemTime) -> bool {
        self.attempted_at
            .is_none_or(|at| elapsed(at, now) >= self.refetch_interval)
    }
}

impl KeySource for JwksCache {
    fn lookup(&self, kid: Option<&str>, now: SystemTime, may_fetch: bool) -> KeyLookup {
        let can_fetch = may_fetch && self.may_fetch(now);
        let fresh = self
            .fetched_at
            .is_some_and(|at| elapsed(at, now) < self.ttl);
        let found = kid.and_then(|kid| self.keys.iter().find(|k| k.kid() == Some(kid)));
        match found {
            Some(key) if fresh || !can_fetch => KeyLookup::Found(Arc::clone(key)),
            _ if can_fetch => KeyLookup::Fetch,
            _ => KeyLookup::Refused(self.refusal(kid)),
        }
    }
}

impl JwksCache {
    fn refusal(&self, kid: Option<&str>) -> TokenError {
        let Some(kid) = kid else {
            return TokenError::new(Reason::JwkKidMismatch, "the token's header has no `kid`");
        };
        if let Some((_, why)) = self.refused.iter().find(|(k, _)| k == kid) {
            return TokenError::new(
                Reason::JwkRemoteInvalid,
                format!("the JWKS key {:?} cannot be used: {why}", super::shown(kid)),
            );
        }
        if self.keys.is_empty() {
            let cause = self
                .last_error
                .as_deref()
                .unwrap_or("no JWKS has been loaded");
            return TokenError::new(
                Reason::JwkRemoteFailedToLoad,
                format!("no keys to verify with: {cause}"),
            );
        }
        TokenError::new(
            Reason::JwkKidMismatch,
            format!(
                "no key of the instance's JWKS has the token's kid {:?}",
                super::shown(kid)
            ),
        )
    }
}

/// The time from `then` to `now`; a clock that went backwards counts as a long time, so that
/// keys are refreshed rather than trusted for longer than meant.
fn elapsed(then: SystemTime, now: SystemTime) -> Duration {
    now.duration_since(then).unwrap_or(Duration::MAX)
}

/// The verification key of one JWKS entry, or its `kid` and why it is refused.
fn usable_key(item: &JwksKeysItem) -> Result<PublicKey, (String, String)> {
    let JwksKeysItem::RsaPublicKey(jwk) = item else {
        let kid = serde_json::to_value(item)
            .ok()
            .and_then(|v| v.get("kid").and_then(|k| k.as_str().map(str::to_owned)))
            .unwrap_or_default();
        return Err((kid, "not an RSA public key".to_owned()));
    };
    if !jwk.r#use.is_empty() && jwk.r#use != "sig" {
        return Err((
            jwk.kid.clone(),
            format!("its use is {:?}, not sig", jwk.r#use),
        ));
    }
    PublicKey::from_rsa_components(&jwk.n, &jwk.e, Some(&jwk.kid), Some(&jwk.alg))
        .map_err(|err| (jwk.kid.clone(), err.message().to_owned()))
}

/// The keys a client verifies with, shareable between threads: a PEM key (never fetched), or
/// a [`JwksCache`] behind a lock held only for lookups and updates.
///
/// The transports keep one per client; a caller with its own HTTP stack can too.
#[derive(Debug)]
pub enum SharedKeys {
    /// A PEM key: no network ever.
    Pem(Arc<PublicKey>),
    /// The instance's JWKS, fetched when the cache asks.
    Jwks(Mutex<JwksCache>),
}

impl SharedKeys {
    /// Keys from the JWKS, with a fresh [`JwksCache`].
    pub fn jwks() -> Self {
        Self::Jwks(Mutex::new(JwksCache::new()))
    }

    /// Whether a fetch at `now` is allowed: `false` for a PEM key, and for a cache that was
    /// fetched (by another caller) within its refetch interval.
    pub fn may_fetch(&self, now: SystemTime) -> bool {
        match self {
            Self::Pem(_) => false,
            Self::Jwks(cache) => lock(cache).may_fetch(now),
        }
    }

    /// Hands the result of a [`GetJwks`] call made at `now` to the cache (nothing for a PEM key).
    pub fn on_jwks(&self, result: Result<Jwks, Error>, now: SystemTime) {
        if let Self::Jwks(cache) = self {
            lock(cache).on_jwks(result, now);
        }
    }
}

impl KeySource for SharedKeys {
    fn lookup(&self, kid: Option<&str>, now: SystemTime, may_fetch: bool) -> KeyLookup {
        match self {
            Self::Pem(key) => KeyLookup::Found(Arc::clone(key)),
            Self::Jwks(cache) => cache.lookup(kid, now, may_fetch),
        }
    }
}

/// Locks a key source; a poisoned lock is still read: a panic elsewhere while it was held
/// leaves a cache consistent, as every update is one assignment.
fn lock<T>(cache: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

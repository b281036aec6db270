//! A controllable clock for tests: the time the kit's token builders and webhook signer stamp
//! things with, moved by the test rather than by the wall clock.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

/// A shared, settable clock. Clones share one time: hand a clone to a token builder or a
/// [`WebhookSigner`](crate::webhooks::WebhookSigner), then move it with
/// [`TestClock::advance`] or [`TestClock::set`] and everything built afterwards sees the new
/// time.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use clerk_backend_testkit::TestClock;
///
/// let clock = TestClock::at(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
/// let shared = clock.clone();
/// clock.advance(Duration::from_secs(90));
/// assert_eq!(shared.now(), UNIX_EPOCH + Duration::from_secs(1_700_000_090));
/// assert_eq!(shared.unix_seconds(), 1_700_000_090);
/// ```
#[derive(Clone)]
pub struct TestClock {
    now: Arc<Mutex<SystemTime>>,
}

impl TestClock {
    /// A clock that starts at the wall clock's current time (and then moves only when told).
    pub fn new() -> Self {
        Self::at(SystemTime::now())
    }

    /// A clock that starts at `start`.
    pub fn at(start: SystemTime) -> Self {
        Self {
            now: Arc::new(Mutex::new(start)),
        }
    }

    /// The clock's time.
    pub fn now(&self) -> SystemTime {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The clock's time in whole seconds since the Unix epoch (negative before it).
    pub fn unix_seconds(&self) -> i64 {
        unix_seconds(self.now())
    }

    /// Moves the clock forward by `by`. An advance past what [`SystemTime`] can hold leaves the
    /// clock where it was.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(later) = now.checked_add(by) {
            *now = later;
        }
    }

    /// Moves the clock back by `by`. A rewind past what [`SystemTime`] can hold leaves the
    /// clock where it was.
    pub fn rewind(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(earlier) = now.checked_sub(by) {
            *now = earlier;
        }
    }

    /// Sets the clock to `to`.
    pub fn set(&self, to: SystemTime) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = to;
    }
}

impl Default for TestClock {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for TestClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestClock")
            .field("unix_seconds", &self.unix_seconds())
            .finish()
    }
}

/// Whole seconds since the Unix epoch (negative before it, saturating far out).
pub(crate) fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => {
            let back = before.duration();
            // -1.5 s is second -2: round toward the past.
            let whole = i64::try_from(back.as_secs()).unwrap_or(i64::MAX);
            let extra = i64::from(back.subsec_nanos() > 0);
            whole.saturating_add(extra).saturating_neg()
        }
    }
}

/// Milliseconds since the Unix epoch (negative before it, saturating far out).
pub(crate) fn unix_millis(time: SystemTime) -> i64 {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_millis()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_millis())
            .unwrap_or(i64::MAX)
            .saturating_neg(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn clones_share_the_time() {
        let clock = TestClock::at(UNIX_EPOCH + Duration::from_secs(100));
        let other = clock.clone();
        other.advance(Duration::from_secs(5));
        assert_eq!(clock.unix_seconds(), 105);
        clock.rewind(Duration::from_secs(10));
        assert_eq!(other.unix_seconds(), 95);
        other.set(UNIX_EPOCH);
        assert_eq!(clock.now(), UNIX_EPOCH);
        assert_eq!(format!("{clock:?}"), "TestClock { unix_seconds: 0 }");
    }

    #[test]
    fn seconds_before_the_epoch_round_toward_the_past() {
        assert_eq!(unix_seconds(UNIX_EPOCH - Duration::from_millis(1500)), -2);
        assert_eq!(unix_seconds(UNIX_EPOCH - Duration::from_secs(3)), -3);
        assert_eq!(unix_millis(UNIX_EPOCH - Duration::from_millis(1500)), -1500);
        assert_eq!(unix_millis(UNIX_EPOCH + Duration::from_millis(1500)), 1500);
    }

    #[test]
    fn a_new_clock_starts_near_the_wall_clock() {
        let before = SystemTime::now();
        let clock = TestClock::new();
        assert!(clock.now() >= before);
        assert!(clock.now() <= SystemTime::now());
    }
}

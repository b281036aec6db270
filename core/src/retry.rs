//! The retry policy: a pure decision from what happened to what to do next.
//!
//! The policy never sleeps and never reads the clock: the transport passes in the attempt
//! number, the time elapsed and a random number, and does the waiting itself.

use std::time::Duration;

use http::{Method, StatusCode};

use crate::error::{Error, TransportErrorKind};

/// What an attempt produced, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub(crate) enum Outcome {
    /// A response arrived with this status (and `Retry-After`, if the server sent one).
    Status {
        /// The response status.
        status: StatusCode,
        /// The server's `Retry-After`, if any ([`Duration::MAX`] for one too large to
        /// represent, which is never retried).
        retry_after: Option<Duration>,
    },
    /// The transport failed in this way.
    Transport(TransportErrorKind),
}

impl Outcome {
    /// The outcome an error represents, if it came from the server or the transport.
    pub(crate) fn of_error(error: &Error) -> Option<Self> {
        match error {
            Error::Api(e) => Some(Self::Status {
                status: e.status,
                retry_after: e.retry_after,
            }),
            Error::Transport(e) => Some(Self::Transport(e.kind)),
            _ => None,
        }
    }
}

/// The time one attempt may take, as a request extension: set by [`Call`](crate::Call) on
/// every request it hands out (the attempt timeout, at most what is left of the budget, see
/// [`RetryPolicy::attempt_timeout`]), honoured by the built-in transports (a transport of your own
/// should read it with `request.extensions().get::<AttemptTimeout>()` and stop the attempt
/// with a [`TransportErrorKind::Timeout`] when it runs out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptTimeout(pub Duration);

/// What the transport should do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryDecision {
    /// Wait this long, then send the request again.
    RetryAfter(Duration),
    /// Return the result as it is.
    Stop,
}

/// When and how often to try again.
///
/// - 429 (rate limited) and a failure to connect: the request was certainly not processed, so
///   every method is retried.
/// - 502, 503, 504, timeouts and broken connections: the request may have been processed, so
///   only reads (GET, HEAD, OPTIONS, TRACE) are retried. PUT and DELETE are idempotent in
///   effect but not in answer: a DELETE that went through before its connection broke answers
///   404 when sent again, and the caller would be told it failed. So they, like POST and
///   PATCH, are retried only when certainly not processed (429, a failure to connect), and a
///   maybe-processed failure is returned as it is: the caller knows it may have happened.
/// - `Retry-After` is honoured; a wait longer than [`RetryPolicy::max_retry_after`] or one that
///   would overrun the overall budget stops instead. A `Retry-After` of [`Duration::MAX`],
///   which is how a `Retry-After` too large to represent is read, always stops, even with `max_retry_after(Duration::MAX)`: the error is returned
///   with that wait in [`ApiError::retry_after`](crate::ApiError::retry_after).
/// - No setting and no input makes a retry decision panic: waits saturate at
///   [`Duration::MAX`].
/// - Otherwise exponential backoff from `base_delay`, capped at `max_delay`, with jitter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
    budget: Duration,
}

impl Default for RetryPolicy {
    /// 4 attempts in all, 500 ms base, 8 s cap, `Retry-After` honoured up to 60 s, 90 s budget.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            budget: Duration::from_secs(90),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the number of attempts in all, the first included (at least 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the first backoff delay.
    #[must_use]
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Sets the cap on one backoff delay.
    #[must_use]
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Sets the longest `Retry-After` the policy will wait for; longer ones stop. A
    /// `Retry-After` of [`Duration::MAX`] (too large to represent) stops whatever this is.
    #[must_use]
    pub fn max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }

    /// Sets the overall time budget across all attempts and waits: a deadline for the whole
    /// call. No wait runs past it, and each attempt may take only what is left of it (see
    /// [`RetryPolicy::attempt_timeout`]).
    #[must_use]
    pub fn budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// How long the next attempt may take, `elapsed` after the call started: what is left of
    /// the budget, at most `per_attempt`. `None` when nothing is left: no attempt starts past
    /// the deadline.
    pub fn attempt_timeout(&self, elapsed: Duration, per_attempt: Duration) -> Option<Duration> {
        let left = self.budget.checked_sub(elapsed).filter(|d| !d.is_zero())?;
        Some(left.min(per_attempt))
    }

    /// The number of attempts in all.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Decides what to do after attempt number `attempt` (1 for the first) produced `outcome`.
    ///
    /// `elapsed` is the time since the first attempt started; `jitter` is a random number in
    /// `[0, 1)` supplied by the caller (values outside are clamped).
    pub(crate) fn decide(
        &self,
        method: &Method,
        outcome: Outcome,
        attempt: u32,
        elapsed: Duration,
        jitter: f64,
    ) -> RetryDecision {
        if attempt >= self.max_attempts || !Self::retryable(method, outcome) {
            return RetryDecision::Stop;
        }
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.5
        };
        let delay = match outcome {
            Outcome::Status {
                retry_after: Some(wait),
                ..
            } => {
                // `Duration::MAX` is a `Retry-After` too large to represent (see
                // `parse_retry_after`): later than any cap, even an unbounded one.
                if wait == Duration::MAX || wait > self.max_retry_after {
                    return RetryDecision::Stop;
                }
                // Never earlier than asked; spread a little so that clients told the same
                // moment do not all return at once.
                wait.saturating_add(scale(wait, 0.1 * jitter))
            }
            _ => {
                let exp = attempt.saturating_sub(1).min(20);
                let backoff = self
                    .base_delay
                    .saturating_mul(1u32 << exp)
                    .min(self.max_delay);
                scale(backoff, 0.5 + 0.5 * jitter)
            }
        };
        if elapsed.saturating_add(delay) > self.budget {
            return RetryDecision::Stop;
        }
        RetryDecision::RetryAfter(delay)
    }

    fn retryable(method: &Method, outcome: Outcome) -> bool {
        // Safe to send again after it may have been processed: its answer cannot change.
        let read = matches!(
            *method,
            Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
        );
        match outcome {
            Outcome::Status { status, .. } => match status.as_u16() {
                429 => true,
                502..=504 => read,
                _ => false,
            },
            Outcome::Transport(kind) => match kind {
                TransportErrorKind::Connect => true,
                TransportErrorKind::Timeout | TransportErrorKind::Io => read,
                _ => false,
            },
        }
    }
}

/// `duration × factor` for a `factor` in `[0, 1]`, never more than `duration` and never a
/// panic: `Duration::mul_f64` panics when a duration near `Duration::MAX` rounds up past it in
/// `f64` (`Duration::MAX.mul_f64(1.0)` does).
fn scale(duration: Duration, factor: f64) -> Duration {
    Duration::try_from_secs_f64(duration.as_secs_f64() * factor)
        .map_or(duration, |scaled| scaled.min(duration))
}

/// A random number in `[0, 1)` for [`RetryPolicy::decide`]'s jitter, from the standard
/// library's per-instance random hash keys. A convenience for transports: the policy itself never
/// calls it, so its decisions stay reproducible in tests.
pub(crate) fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let bits = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
        >> 11;
    // 53 random bits over 2^53: exactly representable, strictly below 1.
    bits as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16, retry_after: Option<u64>) -> Outcome {
        Outcome::Status {
            status: StatusCode::from_u16(code).unwrap(),
            retry_after: retry_after.map(Duration::from_secs),
        }
    }

    #[test]
    fn rate_limit_is_retried_for_every_method_after_retry_after() {
        let p = RetryPolicy::default();
        for m in [Method::GET, Method::POST, Method::PATCH] {
            match p.decide(&m, status(429, Some(2)), 1, Duration::ZERO, 0.0) {
                RetryDecision::RetryAfter(d) => assert_eq!(d, Duration::from_secs(2)),
                RetryDecision::Stop => panic!("429 must be retried for {m}"),
            }
        }
    }

    #[test]
    fn unavailable_is_retried_only_when_idempotent() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.decide(&Method::POST, status(503, None), 1, Duration::ZERO, 0.5),
            RetryDecision::Stop
        );
        assert_eq!(
            p.decide(&Method::PATCH, status(502, None), 1, Duration::ZERO, 0.5),
            RetryDecision::Stop
        );
        assert!(matches!(
            p.decide(&Method::GET, status(503, None), 1, Duration::ZERO, 0.5),
            RetryDecision::RetryAfter(_)
        ));
        assert!(matches!(
            p.decide(
                &Method::POST,
                Outcome::Transport(TransportErrorKind::Connect),
                1,
                Duration::ZERO,
                0.5
            ),
            RetryDecision::RetryAfter(_)
        ));
        assert_eq!(
            p.decide(
                &Method::POST,
                Outcome::Transport(TransportErrorKind::Timeout),
                1,
                Duration::ZERO,
                0.5
            ),
            RetryDecision::Stop
        );
    }

    #[test]
    fn client_errors_are_never_retried() {
        let p = RetryPolicy::default();
        for code in [400, 401, 403, 404, 409, 422, 500] {
            assert_eq!(
                p.decide(&Method::GET, status(code, None), 1, Duration::ZERO, 0.5),
                RetryDecision::Stop
            );
        }
    }

    #[test]
    fn attempts_budget_and_long_retry_after_stop() {
        let p = RetryPolicy::default()
            .max_attempts(3)
            .budget(Duration::from_secs(10));
        assert_eq!(
            p.decide(&Method::GET, status(503, None), 3, Duration::ZERO, 0.5),
            RetryDecision::Stop
        );
        assert_eq!(
            p.decide(
                &Method::GET,
                status(429, Some(5)),
                1,
                Duration::from_secs(6),
                0.0
            ),
            RetryDecision::Stop
        );
        assert_eq!(
            p.decide(
                &Method::GET,
                status(429, Some(3600)),
                1,
                Duration::ZERO,
                0.0
            ),
            RetryDecision::Stop
        );
    }

    #[test]
    fn a_huge_retry_after_with_an_unbounded_cap_saturates_instead_of_panicking() {
        let near_max = Duration::from_secs(u64::MAX);
        for budget in [Duration::from_secs(90), Duration::MAX] {
            let p = RetryPolicy::default()
                .max_retry_after(Duration::MAX)
                .budget(budget);
            for wait in [near_max, near_max - Duration::from_secs(1)] {
                for jitter in [0.0, 0.5, 0.999_999, 1.0] {
                    let outcome = Outcome::Status {
                        status: StatusCode::TOO_MANY_REQUESTS,
                        retry_after: Some(wait),
                    };
                    let decision = p.decide(&Method::GET, outcome, 1, Duration::ZERO, jitter);
                    if budget == Duration::MAX {
                        // Allowed by every limit the user set: wait at least as long as asked.
                        assert!(
                            matches!(decision, RetryDecision::RetryAfter(d) if d >= wait),
                            "{decision:?}"
                        );
                    } else {
                        assert_eq!(decision, RetryDecision::Stop, "beyond the budget");
                    }
                }
            }
        }
    }

    #[test]
    fn a_retry_after_too_large_to_represent_always_stops() {
        // `Duration::MAX` is how an unrepresentable `Retry-After` reads: later than any cap.
        let unbounded = RetryPolicy::default()
            .max_retry_after(Duration::MAX)
            .budget(Duration::MAX);
        for p in [RetryPolicy::default(), unbounded] {
            assert_eq!(
                p.decide(
                    &Method::GET,
                    Outcome::Status {
                        status: StatusCode::TOO_MANY_REQUESTS,
                        retry_after: Some(Duration::MAX),
                    },
                    1,
                    Duration::ZERO,
                    0.5
                ),
                RetryDecision::Stop
            );
        }
    }

    #[test]
    fn decide_never_panics_on_extreme_settings() {
        let durations = [
            Duration::ZERO,
            Duration::from_nanos(1),
            Duration::from_secs(60),
            Duration::from_secs(u64::MAX),
            Duration::MAX,
        ];
        let jitters = [0.0, 0.5, 1.0, -1.0, 2.0, f64::NAN, f64::INFINITY];
        let mut decisions = 0_u64;
        for base in durations {
            for cap in durations {
                for max_retry_after in durations {
                    for budget in durations {
                        let p = RetryPolicy::default()
                            .max_attempts(u32::MAX)
                            .base_delay(base)
                            .max_delay(cap)
                            .max_retry_after(max_retry_after)
                            .budget(budget);
                        for retry_after in durations.iter().copied().map(Some).chain([None]) {
                            for attempt in [1, 2, 40, u32::MAX - 1] {
                                for jitter in jitters {
                                    for elapsed in [Duration::ZERO, Duration::MAX] {
                                        let outcome = Outcome::Status {
                                            status: StatusCode::SERVICE_UNAVAILABLE,
                                            retry_after,
                                        };
                                        let _ = p.decide(
                                            &Method::GET,
                                            outcome,
                                            attempt,
                                            elapsed,
                                            jitter,
                                        );
                                        decisions += 1;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(decisions, 5 * 5 * 5 * 5 * 6 * 4 * 7 * 2);
    }

    #[test]
    fn jitter_is_in_range() {
        for _ in 0..1000 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j), "{j}");
        }
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy::default()
            .max_attempts(20)
            .budget(Duration::from_secs(3600));
        let delay = |attempt| match p.decide(
            &Method::GET,
            status(503, None),
            attempt,
            Duration::ZERO,
            0.999_999,
        ) {
            RetryDecision::RetryAfter(d) => d,
            RetryDecision::Stop => panic!("should retry"),
        };
        assert!(delay(2) > delay(1));
        assert!(delay(10) <= Duration::from_secs(8));
        assert!(delay(10) >= Duration::from_secs(7));
    }
}

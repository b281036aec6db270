//! One API call as a pure state machine: which request to send, how long to wait, when it is
//! done. Transports drive it in a few lines; it never reads a clock and never sleeps.

use std::fmt;
use std::time::Duration;

use http::Method;

use crate::error::{Error, TransportError, TransportErrorKind};
use crate::options::{ClientOptions, RequestOptions};
use crate::retry::{AttemptTimeout, Outcome, RetryDecision, RetryPolicy};

/// What a transport should do next for a [`Call`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Next {
    /// Send this request once, then report its result with [`Call::on_result`]. It carries an
    /// [`AttemptTimeout`] extension: stop the attempt (as a
    /// [`TransportErrorKind::Timeout`]) when it runs out.
    Send(http::Request<Vec<u8>>),
    /// Wait this long, then ask again: the next step is the next attempt (or the end, if the
    /// deadline passed meanwhile), however long the wait really took.
    Wait(Duration),
    /// The call is over: a response (whatever its status: a non-2xx answer is returned as a
    /// response once no retry is left) or the error of the last attempt.
    Done(Result<http::Response<Vec<u8>>, Error>),
}

enum State {
    /// Nothing sent yet.
    Start,
    /// An attempt is out; its result has not been reported.
    InFlight,
    /// A retry is due after this wait, not yet handed out.
    Retry(Duration),
    /// The wait was handed out: the next step is the next attempt.
    Waited,
    /// The result to hand out.
    Finished(Result<http::Response<Vec<u8>>, Error>),
    /// The result was handed out.
    Over,
}

/// One API call with its retries, as a state machine: the transport asks [`Call::next`] what
/// to do, does it (send, or wait), and reports each attempt's result with [`Call::on_result`].
///
/// `now` is the transport's monotonic clock as a [`Duration`] from any fixed origin; the call
/// only takes differences of it. The call owns:
/// - the budget of [`RetryPolicy::budget`] as a deadline: each attempt is given what is left
///   of it, at most the attempt timeout, as an [`AttemptTimeout`] request extension; no
///   attempt starts after the deadline (with nothing sent, that is
///   [`TransportError::budget_exhausted`]); when the deadline passes during a wait, the last
///   result is returned;
/// - the retry decisions of the policy, for the request's method or the one given to
///   [`Call::retry_as`];
/// - the jitter of the waits (a random number from the standard library's hash keys, or
///   [`Call::jitter`]);
/// - the settings of one call ([`RequestOptions`]).
///
/// ```
/// use std::time::Duration;
/// use clerk_backend_core::{Call, ClientOptions, Config, Endpoint, Next, RequestOptions, users::GetUser};
///
/// let request = GetUser::new("user_1").to_http(&Config::new("sk_test_123")?)?;
/// let mut call = Call::new(request, &ClientOptions::default(), &RequestOptions::default());
/// let mut now = Duration::ZERO; // a fake clock
/// let response = loop {
///     match call.next(now) {
///         Next::Send(request) => {
///             // ... send `request` with any HTTP client; here, one 503 and then a 200.
///             let status = if now.is_zero() { 503 } else { 200 };
///             let response = http::Response::builder().status(status).body(b"{}".to_vec())?;
///             call.on_result(Ok(response), now);
///         }
///         Next::Wait(wait) => now += wait, // sleep(wait)
///         Next::Done(result) => break result?,
///         _ => unreachable!(),
///     }
/// };
/// assert_eq!(response.status(), 200);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Call {
    request: http::Request<Vec<u8>>,
    retry_as: Method,
    policy: RetryPolicy,
    attempt_timeout: Duration,
    jitter: fn() -> f64,
    started: Duration,
    attempt: u32,
    state: State,
    last: Option<Result<http::Response<Vec<u8>>, Error>>,
}

impl Call {
    /// A call of `request` with the client's `defaults` and this call's `options` (which win:
    /// their timeout, retry policy and headers).
    pub fn new(
        mut request: http::Request<Vec<u8>>,
        defaults: &ClientOptions,
        options: &RequestOptions,
    ) -> Self {
        options.apply_headers(request.headers_mut());
        let retry_as = request.method().clone();
        Self {
            request,
            retry_as,
            policy: options
                .get_retry_policy()
                .unwrap_or(defaults.get_retry_policy())
                .clone(),
            attempt_timeout: options
                .get_timeout()
                .unwrap_or(defaults.get_attempt_timeout()),
            jitter: crate::retry::jitter,
            started: Duration::ZERO,
            attempt: 0,
            state: State::Start,
            last: None,
        }
    }

    /// Decides retries as for a request of `method` (a verify call sent as `POST` changes
    /// nothing, so it is retried as the read it is).
    #[must_use]
    pub fn retry_as(mut self, method: Method) -> Self {
        self.retry_as = method;
        self
    }

    /// Takes the jitter of retry waits from `jitter` (a number in `[0, 1)`; others are
    /// clamped), for reproducible waits in tests.
    #[must_use]
    pub fn jitter(mut self, jitter: fn() -> f64) -> Self {
        self.jitter = jitter;
        self
    }

    /// The number of attempts sent so far.
    pub fn attempts(&self) -> u32 {
        self.attempt
    }

    /// What to do next, at `now` on the transport's monotonic clock.
    ///
    /// After [`Next::Done`] every further call answers `Done` with a
    /// [`TransportErrorKind::Other`] error, as does a call made while an attempt's result has
    /// not been reported.
    pub fn next(&mut self, now: Duration) -> Next {
        match std::mem::replace(&mut self.state, State::Over) {
            State::Start => {
                self.started = now;
                self.send(now)
            }
            State::Retry(wait) => {
                self.state = State::Waited;
                Next::Wait(wait)
            }
            State::Waited => self.send(now),
            State::Finished(result) => Next::Done(result),
            State::InFlight => Next::Done(Err(misuse(
                "the next step was asked for before the attempt in flight reported its result",
            ))),
            State::Over => Next::Done(Err(misuse("the call is already over"))),
        }
    }

    /// Reports the result of the request [`Call::next`] handed out, received at `now`.
    /// A result reported while no attempt is in flight is ignored.
    pub fn on_result(&mut self, result: Result<http::Response<Vec<u8>>, Error>, now: Duration) {
        if !matches!(self.state, State::InFlight) {
            return;
        }
        let outcome = match &result {
            Ok(response) if response.status().is_success() => None,
            Ok(response) => Some(Outcome::Status {
                status: response.status(),
                retry_after: crate::response::parse_retry_after(response.headers()),
            }),
            Err(error) => Outcome::of_error(error),
        };
        let decision = match outcome {
            Some(outcome) => self.policy.decide(
                &self.retry_as,
                outcome,
                self.attempt,
                now.saturating_sub(self.started),
                (self.jitter)(),
            ),
            None => RetryDecision::Stop,
        };
        self.state = match decision {
            RetryDecision::RetryAfter(wait) => {
                // Kept to be returned if the deadline passes during the wait.
                self.last = Some(result);
                State::Retry(wait)
            }
            RetryDecision::Stop => State::Finished(result),
        };
    }

    /// The next attempt, or the end when the deadline has passed.
    fn send(&mut self, now: Duration) -> Next {
        let elapsed = now.saturating_sub(self.started);
        let Some(timeout) = self.policy.attempt_timeout(elapsed, self.attempt_timeout) else {
            return Next::Done(
                self.last
                    .take()
                    .unwrap_or_else(|| Err(TransportError::budget_exhausted().into())),
            );
        };
        // A retry needs time to be worth sending: one cut short by the deadline would likely
        // end as a timeout, turning an answer that says "not processed" (a 429) into one that
        // says "may have been processed". With less than `MIN_RETRY_ATTEMPT` (or the attempt
        // timeout, if shorter) left, the last answer stands.
        if self.last.is_some() && timeout < MIN_RETRY_ATTEMPT.min(self.attempt_timeout) {
            return Next::Done(
                self.last
                    .take()
                    .unwrap_or_else(|| Err(TransportError::budget_exhausted().into())),
            );
        }
        self.last = None;
        self.attempt = self.attempt.saturating_add(1);
        self.state = State::InFlight;
        let mut request = crate::endpoint::copy_request(&self.request);
        request.extensions_mut().insert(AttemptTimeout(timeout));
        Next::Send(request)
    }
}

/// The least time a retry is sent with (less only when the attempt timeout itself is less).
const MIN_RETRY_ATTEMPT: Duration = Duration::from_secs(1);

fn misuse(message: &str) -> Error {
    TransportError::new(TransportErrorKind::Other, message).into()
}

impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Start => "start",
            State::InFlight => "in flight",
            State::Retry(_) | State::Waited => "waiting",
            State::Finished(_) => "finished",
            State::Over => "over",
        };
        f.debug_struct("Call")
            .field("method", self.request.method())
            .field("uri", self.request.uri())
            .field("retry_as", &self.retry_as)
            .field("attempt", &self.attempt)
            .field("state", &state)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);
    const MS: Duration = Duration::from_millis(1);

    fn request(method: Method) -> http::Request<Vec<u8>> {
        let mut request = http::Request::new(b"body".to_vec());
        *request.method_mut() = method;
        *request.uri_mut() = http::Uri::from_static("https://api.clerk.test/v1/users");
        request.headers_mut().insert(
            http::header::USER_AGENT,
            http::HeaderValue::from_static("core"),
        );
        request
    }

    fn response(status: u16, retry_after: Option<&str>) -> Result<http::Response<Vec<u8>>, Error> {
        let mut builder = http::Response::builder().status(status);
        if let Some(value) = retry_after {
            builder = builder.header(http::header::RETRY_AFTER, value);
        }
        Ok(builder.body(Vec::new()).expect("response"))
    }

    fn half() -> f64 {
        0.5
    }

    fn zero() -> f64 {
        0.0
    }

    fn call(method: Method, policy: RetryPolicy) -> Call {
        Call::new(
            request(method),
            &ClientOptions::default().retry_policy(policy),
            &RequestOptions::default(),
        )
        .jitter(half)
    }

    /// Asks for the next step, expecting a request; returns its attempt timeout.
    fn expect_send(call: &mut Call, now: Duration) -> Duration {
        match call.next(now) {
            Next::Send(request) => {
                assert_eq!(request.body(), b"body");
                request
                    .extensions()
                    .get::<AttemptTimeout>()
                    .expect("attempt timeout")
                    .0
            }
            other => panic!("expected a request, got {other:?}"),
        }
    }

    fn expect_wait(call: &mut Call, now: Duration) -> Duration {
        match call.next(now) {
            Next::Wait(wait) => wait,
            other => panic!("expected a wait, got {other:?}"),
        }
    }

    fn expect_done(call: &mut Call, now: Duration) -> Result<http::Response<Vec<u8>>, Error> {
        match call.next(now) {
            Next::Done(result) => result,
            other => panic!("expected the end, got {other:?}"),
        }
    }

    #[test]
    fn a_success_is_done_after_one_attempt() {
        let mut call = call(Method::GET, RetryPolicy::default());
        assert_eq!(expect_send(&mut call, 100 * S), 60 * S);
        call.on_result(response(200, None), 101 * S);
        let done = expect_done(&mut call, 101 * S).expect("response");
        assert_eq!(done.status(), 200);
        assert_eq!(call.attempts(), 1);
        assert!(matches!(
            expect_done(&mut call, 102 * S),
            Err(Error::Transport(e)) if e.kind == TransportErrorKind::Other
        ));
    }

    #[test]
    fn a_429_waits_for_retry_after_then_sends_again_for_any_method() {
        for method in [Method::GET, Method::POST, Method::DELETE] {
            let mut call = call(method.clone(), RetryPolicy::default()).jitter(zero);
            expect_send(&mut call, Duration::ZERO);
            call.on_result(response(429, Some("3")), S);
            assert_eq!(expect_wait(&mut call, S), 3 * S, "{method}");
            expect_send(&mut call, 4 * S);
            call.on_result(response(200, None), 5 * S);
            assert_eq!(expect_done(&mut call, 5 * S).expect("ok").status(), 200);
            assert_eq!(call.attempts(), 2);
        }
    }

    #[test]
    fn the_attempt_after_a_wait_follows_even_if_the_clock_did_not_move() {
        // A transport whose sleep returns at once (a test double) or early: one wait, then the
        // next attempt, not a loop of waits.
        let mut call = call(Method::GET, RetryPolicy::default());
        expect_send(&mut call, S);
        call.on_result(response(503, None), S);
        expect_wait(&mut call, S);
        expect_send(&mut call, S);
        assert_eq!(call.attempts(), 2);
    }

    #[test]
    fn a_retry_after_above_the_cap_returns_the_429() {
        let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(10));
        let mut call = call(Method::GET, policy);
        expect_send(&mut call, Duration::ZERO);
        call.on_result(response(429, Some("11")), Duration::ZERO);
        let done = expect_done(&mut call, Duration::ZERO).expect("the 429 as a response");
        assert_eq!(done.status(), 429);
        assert_eq!(call.attempts(), 1);
    }

    #[test]
    fn a_503_is_retried_for_get_and_returned_for_post_put_delete() {
        let mut get = call(Method::GET, RetryPolicy::default());
        expect_send(&mut get, Duration::ZERO);
        get.on_result(response(503, None), Duration::ZERO);
        let wait = expect_wait(&mut get, Duration::ZERO);
        // Backoff from 500 ms with jitter 0.5: 0.75 × 500 ms.
        assert_eq!(wait, Duration::from_millis(375));
        expect_send(&mut get, wait);

        for method in [Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
            let mut call = call(method.clone(), RetryPolicy::default());
            expect_send(&mut call, Duration::ZERO);
            call.on_result(response(503, None), Duration::ZERO);
            let done = expect_done(&mut call, Duration::ZERO).expect("the 503 as a response");
            assert_eq!(done.status(), 503, "{method}");
        }
    }

    #[test]
    fn retry_as_get_retries_a_post_like_a_read() {
        let mut call = call(Method::POST, RetryPolicy::default()).retry_as(Method::GET);
        expect_send(&mut call, Duration::ZERO);
        call.on_result(response(503, None), Duration::ZERO);
        assert!(matches!(call.next(Duration::ZERO), Next::Wait(_)));
    }

    #[test]
    fn a_connect_error_on_post_is_retried_and_a_timeout_is_not() {
        let mut call = call(Method::POST, RetryPolicy::default());
        expect_send(&mut call, Duration::ZERO);
        call.on_result(
            Err(TransportError::new(TransportErrorKind::Connect, "refused").into()),
            Duration::ZERO,
        );
        let wait = expect_wait(&mut call, Duration::ZERO);
        expect_send(&mut call, wait);
        call.on_result(
            Err(TransportError::new(TransportErrorKind::Timeout, "slow").into()),
            wait,
        );
        assert!(matches!(
            expect_done(&mut call, wait),
            Err(Error::Transport(e)) if e.kind == TransportErrorKind::Timeout
        ));
    }

    #[test]
    fn no_budget_means_no_attempt() {
        let mut call = call(Method::GET, RetryPolicy::default().budget(Duration::ZERO));
        assert!(matches!(
            expect_done(&mut call, 7 * S),
            Err(Error::Transport(e)) if e.kind == TransportErrorKind::Timeout && e.message.contains("budget")
        ));
        assert_eq!(call.attempts(), 0);
    }

    #[test]
    fn a_deadline_passed_during_a_wait_returns_the_last_result() {
        let policy = RetryPolicy::default().budget(10 * S);
        let mut call = call(Method::GET, policy);
        expect_send(&mut call, Duration::ZERO);
        call.on_result(response(503, None), S);
        expect_wait(&mut call, S);
        // The transport overslept past the deadline.
        let done = expect_done(&mut call, 11 * S).expect("the 503 as a response");
        assert_eq!(done.status(), 503);
        assert_eq!(call.attempts(), 1);
    }

    #[test]
    fn each_attempt_gets_what_is_left_of_the_budget_at_most_the_attempt_timeout() {
        let policy = RetryPolicy::default().budget(10 * S).max_attempts(5);
        let mut call = Call::new(
            request(Method::GET),
            &ClientOptions::default().retry_policy(policy),
            &RequestOptions::default().timeout(4 * S),
        )
        .jitter(zero);
        assert_eq!(expect_send(&mut call, Duration::ZERO), 4 * S);
        call.on_result(response(429, Some("3")), 4 * S);
        assert_eq!(expect_wait(&mut call, 4 * S), 3 * S);
        // 7 s gone: 3 s left, less than the 4 s attempt timeout.
        assert_eq!(expect_send(&mut call, 7 * S), 3 * S);
        call.on_result(response(429, Some("1")), 9 * S);
        assert_eq!(expect_wait(&mut call, 9 * S), S);
        // 10 s gone: nothing left, the last answer is returned.
        assert_eq!(expect_done(&mut call, 10 * S).expect("429").status(), 429);
        assert_eq!(call.attempts(), 2);
    }

    #[test]
    fn a_retry_with_less_than_a_second_left_is_not_sent() {
        // A POST told 429 "retry in 3 s" with 3.05 s of budget left: a 50 ms attempt would
        // most likely time out and say "may have been processed"; the 429 is returned instead.
        let policy = RetryPolicy::default().budget(10 * S);
        let mut call = call(Method::POST, policy).jitter(zero);
        expect_send(&mut call, Duration::ZERO);
        call.on_result(response(429, Some("3")), 6950 * MS);
        assert_eq!(expect_wait(&mut call, 6950 * MS), 3 * S);
        assert_eq!(
            expect_done(&mut call, 9950 * MS).expect("429").status(),
            429
        );
        assert_eq!(call.attempts(), 1);
        // With a second left the retry goes out, with that second.
        let mut call = self::call(Method::POST, RetryPolicy::default().budget(10 * S)).jitter(zero);
        expect_send(&mut call, Duration::ZERO);
        call.on_result(response(429, Some("3")), 6 * S);
        assert_eq!(expect_wait(&mut call, 6 * S), 3 * S);
        assert_eq!(expect_send(&mut call, 9 * S), S);
    }

    #[test]
    fn max_attempts_ends_the_call_with_the_last_answer() {
        let policy = RetryPolicy::default().max_attempts(3);
        let mut call = call(Method::GET, policy);
        let mut now = Duration::ZERO;
        for _ in 0..2 {
            expect_send(&mut call, now);
            call.on_result(response(502, None), now);
            now += expect_wait(&mut call, now);
        }
        expect_send(&mut call, now);
        call.on_result(response(504, None), now);
        assert_eq!(expect_done(&mut call, now).expect("504").status(), 504);
        assert_eq!(call.attempts(), 3);
    }

    #[test]
    fn request_options_override_policy_and_add_headers() {
        let options = RequestOptions::new()
            .retry_policy(RetryPolicy::never())
            .header(
                http::header::USER_AGENT,
                http::HeaderValue::from_static("mine"),
            );
        let mut call = Call::new(request(Method::GET), &ClientOptions::default(), &options);
        let Next::Send(sent) = call.next(Duration::ZERO) else {
            panic!("expected a request");
        };
        assert_eq!(sent.headers()[http::header::USER_AGENT], "mine");
        call.on_result(response(503, None), Duration::ZERO);
        assert_eq!(
            expect_done(&mut call, Duration::ZERO)
                .expect("503")
                .status(),
            503
        );
    }

    #[test]
    fn asking_twice_without_a_result_is_an_error_not_a_second_request() {
        let mut call = call(Method::GET, RetryPolicy::default());
        expect_send(&mut call, Duration::ZERO);
        assert!(matches!(
            expect_done(&mut call, Duration::ZERO),
            Err(Error::Transport(_))
        ));
        // A late result changes nothing.
        call.on_result(response(200, None), Duration::ZERO);
        assert!(matches!(
            expect_done(&mut call, Duration::ZERO),
            Err(Error::Transport(_))
        ));
    }

    #[test]
    fn a_decode_or_config_error_is_not_retried() {
        let mut call = call(Method::GET, RetryPolicy::default());
        expect_send(&mut call, Duration::ZERO);
        call.on_result(
            Err(crate::error::ConfigError::new("bad").into()),
            Duration::ZERO,
        );
        assert!(matches!(
            expect_done(&mut call, Duration::ZERO),
            Err(Error::Config(_))
        ));
    }
}

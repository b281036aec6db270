//! Mock transports: the blocking and the async client answered from a script, in process,
//! without a socket, every request recorded for assertions.
//!
//! A [`MockApi`] holds the script (which requests get which [`Answer`]s), the requests it
//! received, and a [`TestClock`]. Hand its transports to the clients your code uses:
//! [`MockApi::transport`] for `clerk_backend_ureq::Client`, [`MockApi::async_transport`] for
//! `clerk_backend_async::Client`. Clones share everything, across threads.
//!
//! ```
//! use clerk_backend_core::{Config, http::StatusCode, models::User, users::{CreateUser, GetUser}};
//! use clerk_backend_testkit::mock::{Answer, MockApi};
//!
//! let mock = MockApi::new();
//! let mut user = User::default();
//! user.id = "user_1".to_owned();
//! user.object = "user".to_owned();
//! mock.on::<GetUser>().path_param("user_id", "user_1").returns(&user);
//! mock.on::<CreateUser>()
//!     .respond(Answer::clerk_error(StatusCode::UNPROCESSABLE_ENTITY, "form_identifier_exists", "That email address is taken."));
//!
//! let client = clerk_backend_ureq::Client::with_transport(Config::new("sk_test_mock")?, mock.transport());
//! assert_eq!(client.send(&GetUser::new("user_1"))?.id, "user_1");
//! let refused = client.send(&CreateUser::new().email_address(vec!["a@example.com".to_owned()]));
//! assert_eq!(refused.err().as_ref().and_then(|e| e.code()), Some("form_identifier_exists"));
//!
//! mock.assert_called_once::<GetUser>();
//! mock.assert_body_json::<CreateUser>(serde_json::json!({"email_address": ["a@example.com"]}));
//! mock.assert_all_matched();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Matching
//!
//! [`MockApi::on`] matches the requests of one operation type: its method and path template
//! (`GET /users/{user_id}`), path parameters matching any value, narrowed with
//! [`OnOperation::path_param`] and the filters every builder has (query parameter, JSON body,
//! any predicate). The path is read below the base URL's `v1` segment, so a custom base URL
//! (`https://proxy.example/clerk/v1`) matches too; among templates that fit a path the most
//! specific wins, as in Clerk's router (`/users/count` is `GetUsersCount`, never `GetUser`).
//! [`MockApi::on_request`] matches one method and exact path. Mocks are tried in the order
//! they were added; the first that matches and has answers left answers.
//!
//! # Answers
//!
//! A mock answers its [`Answer`]s in turn, and repeats the last one for ever unless limited by
//! [`MockHandle::times`]: `respond(Answer::status(503)).then(Answer::json(&user))` answers
//! 503 once then the user on every later request; `.times(2)` makes it answer twice in all,
//! after which the next mock that matches (or the "no mock" error) answers.
//!
//! # Unmatched requests
//!
//! A request no mock answers fails with an [`Error::Transport`] of kind
//! [`Other`](clerk_backend_core::TransportErrorKind::Other) (never retried) whose message
//! shows what was sent (method, path, query, body excerpt; no headers) and which mocks
//! exist. It is recorded too: end a test with [`MockApi::assert_all_matched`] to fail it even
//! when your code swallowed the error, or make the mock check it when it is dropped with
//! [`MockApi::verify_on_drop`]. By default nothing is checked on drop, so that a test may
//! provoke unmatched requests on purpose.
//!
//! # Time
//!
//! The transports' `sleep` advances the mock's [`TestClock`] (and records the wait, see
//! [`MockApi::sleeps`]) instead of sleeping, and their `now` and `wall_clock` read it: retry
//! waits take no real time, and `authenticate` checks tokens' `exp`, `nbf` and `iat` against
//! the test clock (sign them with the same clock, [`MockApi::clock`]). The monotonic `now` is
//! the clock's time since the Unix epoch, so moving the clock back moves it back too.

mod answer;
mod request;
mod route;
mod transport;

use std::fmt::{self, Write as _};
use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use clerk_backend_core::http::{self, Method};
use clerk_backend_core::{Endpoint, Error, Operation, TransportError, TransportErrorKind};

use crate::TestClock;

pub use answer::Answer;
pub use request::RecordedRequest;
pub use transport::{AsyncMockTransport, MockTransport};

type Predicate = Arc<dyn Fn(&RecordedRequest) -> bool + Send + Sync>;

/// A scripted Clerk Backend API shared by mock transports: see the [module docs](self).
///
/// Cheap to clone; clones share the script, the recorded requests and the clock, and are
/// `Send + Sync`.
#[derive(Clone)]
pub struct MockApi {
    inner: Arc<Inner>,
}

struct Inner {
    state: Mutex<State>,
    clock: TestClock,
    verify_on_drop: AtomicBool,
}

impl Drop for Inner {
    #[allow(clippy::panic, reason = "the opt-in check fails the test by panicking")]
    fn drop(&mut self) {
        if !self.verify_on_drop.load(Ordering::Relaxed) || std::thread::panicking() {
            return;
        }
        let state = self.state.get_mut().unwrap_or_else(PoisonError::into_inner);
        let unmatched: Vec<String> = state
            .requests
            .iter()
            .filter(|r| !r.is_matched())
            .map(ToString::to_string)
            .collect();
        if !unmatched.is_empty() {
            let mut message = format!(
                "clerk-backend-testkit mock dropped after {} request(s) that matched no mock: {}\nmocks:",
                unmatched.len(),
                unmatched.join("; ")
            );
            describe_rules(&mut message, &state.rules);
            panic!("{message}");
        }
    }
}

#[derive(Default)]
struct State {
    rules: Vec<Rule>,
    requests: Vec<RecordedRequest>,
    sleeps: Vec<Duration>,
}

/// What a mock matches.
#[derive(Clone)]
enum Target {
    Operation(Operation),
    Request {
        method: Method,
        path: String,
        query: Option<String>,
    },
}

struct Rule {
    target: Target,
    path_params: Vec<(String, String)>,
    filters: Vec<(String, Predicate)>,
    answers: Vec<Answer>,
    limit: Option<usize>,
    calls: usize,
}

impl Rule {
    fn matches(&self, request: &RecordedRequest, extra: &[&Operation]) -> bool {
        let fits = match &self.target {
            Target::Operation(operation) => operation_matches(operation, request, extra)
                .is_some_and(|params| {
                    self.path_params
                        .iter()
                        .all(|wanted| params.iter().any(|got| got == wanted))
                }),
            Target::Request {
                method,
                path,
                query,
            } => {
                method == request.method()
                    && (path == request.path() || path == request.api_path())
                    && query.as_deref().is_none_or(|q| Some(q) == request.query())
            }
        };
        fits && self.filters.iter().all(|(_, filter)| filter(request))
    }

    fn exhausted(&self) -> bool {
        self.answers.is_empty() || self.limit.is_some_and(|limit| self.calls >= limit)
    }

    fn next_answer(&mut self) -> Option<Answer> {
        let answer = self
            .answers
            .get(self.calls)
            .or_else(|| self.answers.last())
            .cloned();
        self.calls = self.calls.saturating_add(1);
        answer
    }

    fn describe(&self, f: &mut String) {
        let _ = match &self.target {
            Target::Operation(operation) => write!(
                f,
                "{} {} {}",
                operation.operation_id, operation.method, operation.path
            ),
            Target::Request {
                method,
                path,
                query,
            } => match query {
                Some(query) => write!(f, "{method} {path}?{query}"),
                None => write!(f, "{method} {path}"),
            },
        };
        for (name, value) in &self.path_params {
            let _ = write!(f, ", {name} = {value:?}");
        }
        for (what, _) in &self.filters {
            let _ = write!(f, ", {what}");
        }
        let answers: Vec<String> = self.answers.iter().map(Answer::to_string).collect();
        let _ = write!(f, " -> [{}]", answers.join(", then "));
        let _ = write!(f, ", answered {}", self.calls);
        if let Some(limit) = self.limit {
            let _ = write!(f, " of {limit}");
        }
    }
}

/// The path parameters when `request` is for `operation`: its method, its template, and no
/// other known operation's template fitting more specifically.
fn operation_matches(
    operation: &Operation,
    request: &RecordedRequest,
    extra: &[&Operation],
) -> Option<Vec<(String, String)>> {
    if operation.method != request.method {
        return None;
    }
    let path = request.api_path();
    let params = route::template_match(operation.path, path)?;
    let best = route::route(
        &request.method,
        path,
        extra.iter().copied().chain([operation]),
    )?;
    (best.operation_id == operation.operation_id).then_some(params)
}

impl MockApi {
    /// An empty script, with a [`TestClock`] at the current time.
    pub fn new() -> Self {
        Self::with_clock(TestClock::new())
    }

    /// An empty script on `clock` (share it with token builders and webhook signers).
    pub fn with_clock(clock: TestClock) -> Self {
        Self {
            inner: Arc::new(Inner {
                state: Mutex::new(State::default()),
                clock,
                verify_on_drop: AtomicBool::new(false),
            }),
        }
    }

    /// Makes the mock check, when its last clone is dropped (the clients and transports
    /// holding it included), that every request it received was answered by a mock, as
    /// [`MockApi::assert_all_matched`] does: it panics if not, unless the thread is already
    /// panicking (a test failing for another reason reports that reason alone).
    #[must_use]
    pub fn verify_on_drop(self) -> Self {
        self.inner.verify_on_drop.store(true, Ordering::Relaxed);
        self
    }

    /// The clock the transports sleep on and read.
    pub fn clock(&self) -> &TestClock {
        &self.inner.clock
    }

    /// A transport for the blocking client, `clerk_backend_ureq::Client::with_transport(config, mock.transport())`.
    pub fn transport(&self) -> MockTransport {
        MockTransport::new(self.clone())
    }

    /// A transport for the async client, `clerk_backend_async::Client::with_transport(config, mock.async_transport())`.
    pub fn async_transport(&self) -> AsyncMockTransport {
        AsyncMockTransport::new(self.clone())
    }

    /// Starts a mock of the requests of operation `E` (method and path template, any path
    /// parameter values); finish it with [`OnOperation::respond`] or
    /// [`OnOperation::returns`].
    pub fn on<E: Endpoint>(&self) -> OnOperation<'_, E> {
        OnOperation {
            builder: Builder::new(self, Target::Operation(E::OPERATION)),
            endpoint: PhantomData,
        }
    }

    /// Starts a mock of the requests with this method and path: the path as sent
    /// (`/v1/jwks`) or below the base (`/jwks`), exactly (still percent-encoded). A `?query`
    /// in `path` must then equal the request's whole query string.
    pub fn on_request(&self, method: Method, path: &str) -> OnRequest<'_> {
        let (path, query) = match path.split_once('?') {
            Some((path, query)) => (path, Some(query.to_owned())),
            None => (path, None),
        };
        OnRequest {
            builder: Builder::new(
                self,
                Target::Request {
                    method,
                    path: path.to_owned(),
                    query,
                },
            ),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Answers one request: the first mock that matches and has answers left, or the loud
    /// "no mock" error. Records it either way.
    pub(crate) fn answer(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        let mut recorded = RecordedRequest::new(request);
        let mut state = self.state();
        let extra = registered_operations(&state.rules);
        recorded.operation =
            route::route(&recorded.method, recorded.api_path(), extra.iter().copied())
                .map(|operation| operation.operation_id);
        let chosen = state
            .rules
            .iter()
            .position(|rule| !rule.exhausted() && rule.matches(&recorded, &extra));
        let answer = chosen.and_then(|index| {
            state
                .rules
                .get_mut(index)
                .and_then(Rule::next_answer)
                .map(|answer| (index, answer))
        });
        match answer {
            Some((index, answer)) => {
                recorded.rule = Some(index);
                state.requests.push(recorded);
                drop(state);
                answer.produce()
            }
            None => {
                let message = unmatched_message(&recorded, &state.rules);
                state.requests.push(recorded);
                Err(Error::Transport(TransportError::new(
                    TransportErrorKind::Other,
                    message,
                )))
            }
        }
    }

    /// Advances the clock by `duration` and records the wait (the transports' `sleep`).
    pub(crate) fn sleep(&self, duration: Duration) {
        self.state().sleeps.push(duration);
        self.inner.clock.advance(duration);
    }

    /// The monotonic time: the clock's time since the Unix epoch (zero before it).
    pub(crate) fn monotonic(&self) -> Duration {
        self.inner
            .clock
            .now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
    }

    /// Every request received, matched or not, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state().requests.clone()
    }

    /// The requests no mock answered, in order.
    pub fn unmatched(&self) -> Vec<RecordedRequest> {
        self.state()
            .requests
            .iter()
            .filter(|r| !r.is_matched())
            .cloned()
            .collect()
    }

    /// The requests for operation `E` (by method and path, as [`MockApi::on`] matches them,
    /// whether a mock answered them or not), in order.
    pub fn requests_to<E: Endpoint>(&self) -> Vec<RecordedRequest> {
        let state = self.state();
        let extra = registered_operations(&state.rules);
        state
            .requests
            .iter()
            .filter(|r| operation_matches(&E::OPERATION, r, &extra).is_some())
            .cloned()
            .collect()
    }

    /// The waits the clients asked for (retry back-offs, `Retry-After`), in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.state().sleeps.clone()
    }

    /// Asserts that operation `E` was requested exactly `times` times; returns those requests.
    ///
    /// # Panics
    /// When it was not, with every request received.
    #[track_caller]
    pub fn assert_called<E: Endpoint>(&self, times: usize) -> Vec<RecordedRequest> {
        let requests = self.requests_to::<E>();
        if requests.len() != times {
            self.fail(&format!(
                "expected {times} request(s) to {} ({} {}), got {}",
                E::OPERATION.operation_id,
                E::OPERATION.method,
                E::OPERATION.path,
                requests.len()
            ));
        }
        requests
    }

    /// Asserts that operation `E` was requested exactly once; returns that request.
    ///
    /// # Panics
    /// When it was not, with every request received.
    #[track_caller]
    pub fn assert_called_once<E: Endpoint>(&self) -> RecordedRequest {
        let mut requests = self.assert_called::<E>(1);
        match requests.pop() {
            Some(request) => request,
            None => self.fail("no request recorded"),
        }
    }

    /// Asserts that operation `E` was never requested.
    ///
    /// # Panics
    /// When it was, with every request received.
    #[track_caller]
    pub fn assert_not_called<E: Endpoint>(&self) {
        self.assert_called::<E>(0);
    }

    /// Asserts that the last request to operation `E` had this JSON body (compared as JSON
    /// values: key order and spacing do not matter).
    ///
    /// # Panics
    /// When `E` was not requested or its last body differs, with every request received.
    #[track_caller]
    pub fn assert_body_json<E: Endpoint>(&self, expected: serde_json::Value) {
        let requests = self.requests_to::<E>();
        let Some(last) = requests.last() else {
            self.fail(&format!(
                "expected a request to {} with body {expected}, got none",
                E::OPERATION.operation_id
            ));
        };
        if last.body_json().as_ref() != Some(&expected) {
            self.fail(&format!(
                "expected the last request to {} to have body {expected}, it had {}",
                E::OPERATION.operation_id,
                if last.body().is_empty() {
                    "none".to_owned()
                } else {
                    last.body_excerpt()
                }
            ));
        }
    }

    /// Asserts that every request received was answered by a mock.
    ///
    /// # Panics
    /// When one was not, with what was sent and the mocks there are.
    #[track_caller]
    pub fn assert_all_matched(&self) {
        let unmatched = self.unmatched();
        if !unmatched.is_empty() {
            self.fail(&format!(
                "{} request(s) matched no mock: {}",
                unmatched.len(),
                unmatched
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
    }

    #[track_caller]
    #[allow(
        clippy::panic,
        reason = "an assertion helper fails the test by panicking"
    )]
    fn fail(&self, what: &str) -> ! {
        let state = self.state();
        let mut message = format!("clerk-backend-testkit mock: {what}\nrequests received:");
        if state.requests.is_empty() {
            message.push_str(" none");
        }
        for (i, request) in state.requests.iter().enumerate() {
            let _ = write!(
                message,
                "\n  {}. {request}{}",
                i + 1,
                if request.is_matched() {
                    ""
                } else {
                    " [no mock]"
                }
            );
        }
        message.push_str("\nmocks:");
        describe_rules(&mut message, &state.rules);
        drop(state);
        panic!("{message}");
    }

    fn add(&self, rule: Rule) -> usize {
        let mut state = self.state();
        state.rules.push(rule);
        state.rules.len() - 1
    }
}

impl Default for MockApi {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for MockApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        f.debug_struct("MockApi")
            .field("mocks", &state.rules.len())
            .field("requests", &state.requests.len())
            .field("clock", &self.inner.clock)
            .finish()
    }
}

fn registered_operations(rules: &[Rule]) -> Vec<&Operation> {
    rules
        .iter()
        .filter_map(|rule| match &rule.target {
            Target::Operation(operation) => Some(operation),
            Target::Request { .. } => None,
        })
        .collect()
}

fn describe_rules(message: &mut String, rules: &[Rule]) {
    if rules.is_empty() {
        message.push_str(" none");
    }
    for rule in rules {
        message.push_str("\n  ");
        rule.describe(message);
    }
}

fn unmatched_message(request: &RecordedRequest, rules: &[Rule]) -> String {
    let mut message = format!(
        "clerk-backend-testkit mock: no mock answers {} {}",
        request.method(),
        request.path()
    );
    if let Some(query) = request.query() {
        let _ = write!(message, "?{query}");
    }
    if let Some(operation) = request.operation_id() {
        let _ = write!(message, " ({operation})");
    }
    if !request.body().is_empty() {
        let _ = write!(message, " with body {}", request.body_excerpt());
    }
    message.push_str("; mocks:");
    describe_rules(&mut message, rules);
    message
}

/// What both builders share.
struct Builder<'a> {
    api: &'a MockApi,
    target: Target,
    path_params: Vec<(String, String)>,
    filters: Vec<(String, Predicate)>,
}

impl<'a> Builder<'a> {
    fn new(api: &'a MockApi, target: Target) -> Self {
        Self {
            api,
            target,
            path_params: Vec::new(),
            filters: Vec::new(),
        }
    }

    fn filter(&mut self, what: String, predicate: Predicate) {
        self.filters.push((what, predicate));
    }

    fn query_param(&mut self, name: &str, value: &str) {
        let (name, value) = (name.to_owned(), value.to_owned());
        let what = format!("query {name} = {value:?}");
        self.filter(
            what,
            Arc::new(move |r| {
                r.query_pairs()
                    .iter()
                    .any(|(n, v)| *n == name && *v == value)
            }),
        );
    }

    fn body_json(&mut self, expected: serde_json::Value) {
        let what = format!("body = {expected}");
        self.filter(
            what,
            Arc::new(move |r| r.body_json().as_ref() == Some(&expected)),
        );
    }

    fn respond(self, answer: Answer) -> MockHandle {
        let index = self.api.add(Rule {
            target: self.target,
            path_params: self.path_params,
            filters: self.filters,
            answers: vec![answer],
            limit: None,
            calls: 0,
        });
        MockHandle {
            api: self.api.clone(),
            index,
        }
    }
}

/// A mock of operation `E` being set up: narrow it, then give its first answer. Made by
/// [`MockApi::on`].
#[must_use = "a mock does nothing until it is given an answer"]
pub struct OnOperation<'a, E> {
    builder: Builder<'a>,
    endpoint: PhantomData<fn() -> E>,
}

impl<E: Endpoint> OnOperation<'_, E> {
    /// Matches only requests whose path parameter `name` (as the template names it:
    /// `user_id`) has this value (decoded).
    pub fn path_param(mut self, name: &str, value: &str) -> Self {
        self.builder
            .path_params
            .push((name.to_owned(), value.to_owned()));
        self
    }

    /// Matches only requests with query parameter `name` set to `value` (decoded; one of its
    /// values when repeated).
    pub fn query_param(mut self, name: &str, value: &str) -> Self {
        self.builder.query_param(name, value);
        self
    }

    /// Matches only requests whose body, read as JSON, equals `expected`.
    pub fn body_json(mut self, expected: serde_json::Value) -> Self {
        self.builder.body_json(expected);
        self
    }

    /// Matches only requests `predicate` accepts (it must not call the mock).
    pub fn matching(
        mut self,
        predicate: impl Fn(&RecordedRequest) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.builder
            .filter("a predicate".to_owned(), Arc::new(predicate));
        self
    }

    /// Adds the mock with `answer` as its first answer.
    pub fn respond(self, answer: Answer) -> MockHandle {
        self.builder.respond(answer)
    }

    /// Adds the mock answering `200 OK` with `output` serialized as JSON: the typed output of
    /// the operation, as the client will decode it.
    pub fn returns(self, output: &E::Output) -> MockHandle
    where
        E::Output: serde::Serialize,
    {
        self.builder.respond(Answer::json(output))
    }
}

/// A mock of one method and path being set up: narrow it, then give its first answer. Made
/// by [`MockApi::on_request`].
#[must_use = "a mock does nothing until it is given an answer"]
pub struct OnRequest<'a> {
    builder: Builder<'a>,
}

impl OnRequest<'_> {
    /// Matches only requests with query parameter `name` set to `value` (decoded; one of its
    /// values when repeated).
    pub fn query_param(mut self, name: &str, value: &str) -> Self {
        self.builder.query_param(name, value);
        self
    }

    /// Matches only requests whose body, read as JSON, equals `expected`.
    pub fn body_json(mut self, expected: serde_json::Value) -> Self {
        self.builder.body_json(expected);
        self
    }

    /// Matches only requests `predicate` accepts (it must not call the mock).
    pub fn matching(
        mut self,
        predicate: impl Fn(&RecordedRequest) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.builder
            .filter("a predicate".to_owned(), Arc::new(predicate));
        self
    }

    /// Adds the mock with `answer` as its first answer.
    pub fn respond(self, answer: Answer) -> MockHandle {
        self.builder.respond(answer)
    }
}

/// A mock that was added: give it more answers, limit how often it answers, read what it
/// answered.
#[derive(Clone)]
pub struct MockHandle {
    api: MockApi,
    index: usize,
}

impl MockHandle {
    fn with_rule<T>(&self, f: impl FnOnce(&mut Rule) -> T) -> Option<T> {
        self.api.state().rules.get_mut(self.index).map(f)
    }

    /// Answers `answer` after the answers given so far (the last answer repeats).
    pub fn then(self, answer: Answer) -> Self {
        self.with_rule(|rule| rule.answers.push(answer));
        self
    }

    /// Answers at most `times` requests in all; then the mock stops matching.
    pub fn times(self, times: usize) -> Self {
        self.with_rule(|rule| rule.limit = Some(times));
        self
    }

    /// Answers one request only ([`MockHandle::times`]`(1)`).
    pub fn once(self) -> Self {
        self.times(1)
    }

    /// How many requests this mock answered.
    pub fn calls(&self) -> usize {
        self.with_rule(|rule| rule.calls).unwrap_or(0)
    }

    /// The requests this mock answered, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.api
            .state()
            .requests
            .iter()
            .filter(|r| r.rule == Some(self.index))
            .cloned()
            .collect()
    }

    /// Asserts that this mock answered exactly `times` requests.
    ///
    /// # Panics
    /// When it did not, with every request received.
    #[track_caller]
    pub fn assert_calls(&self, times: usize) {
        let calls = self.calls();
        if calls != times {
            let mut this = String::new();
            self.with_rule(|rule| rule.describe(&mut this));
            self.api.fail(&format!(
                "expected the mock {this} to answer {times} request(s), it answered {calls}"
            ));
        }
    }
}

impl fmt::Debug for MockHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut this = String::new();
        self.with_rule(|rule| rule.describe(&mut this));
        f.debug_tuple("MockHandle").field(&this).finish()
    }
}

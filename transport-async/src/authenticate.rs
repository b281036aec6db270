//! `authenticate` for the async client: core's flow, the JWKS fetched through the client's
//! transport, refreshed by one task at a time without any runtime's lock.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

use clerk_backend_core::auth::{AuthOptions, AuthStatus, Authentication, SharedKeys, Step};
use clerk_backend_core::http::{HeaderMap, Method};
use clerk_backend_core::{Call, RequestOptions};

use crate::{Client, Transport};

/// The keys of a client and the turn that makes a JWKS refresh single-flight.
#[derive(Debug)]
pub(crate) struct AuthKeys {
    pub(crate) keys: SharedKeys,
    refresh: Turn,
}

impl AuthKeys {
    pub(crate) fn new(keys: SharedKeys) -> Arc<Self> {
        Arc::new(Self {
            keys,
            refresh: Turn::default(),
        })
    }
}

impl<T: Transport> Client<T> {
    /// Who sent this request: verifies the token of its `Authorization` header or `__session`
    /// cookie, of the kinds `options` accepts (sessions by default; see [`Authentication`] for
    /// where the token is read from, and
    /// [`verify_session_token`](clerk_backend_core::auth::verify_session_token) for what is
    /// checked). Opaque machine tokens are verified by the API through this client, the call
    /// retried as a read.
    ///
    /// Keys come from the PEM key given to [`Client::with_jwt_key`] (no network), or from the
    /// instance's JWKS, fetched with this client's secret key through its transport (retries
    /// included) and cached per client. When several tasks meet an unknown key id at once,
    /// one fetches and the others wait for its result, without blocking a thread. A failed
    /// fetch signs the request out
    /// ([`Reason::JwkRemoteFailedToLoad`](clerk_backend_core::auth::Reason::JwkRemoteFailedToLoad))
    /// and keeps any keys already known. The time checked against the token is
    /// [`Transport::wall_clock`].
    ///
    /// Never an error: every failure is a signed-out verdict with its reason.
    pub async fn authenticate(&self, headers: &HeaderMap, options: &AuthOptions) -> AuthStatus {
        self.authentication(Authentication::from_headers(headers, options))
            .await
    }

    /// Like [`Client::authenticate`], for a bare token (as if sent as `Bearer <token>`).
    pub async fn authenticate_token(&self, token: &str, options: &AuthOptions) -> AuthStatus {
        self.authentication(Authentication::from_token(token, options))
            .await
    }

    async fn authentication(&self, mut flow: Authentication<'_>) -> AuthStatus {
        let auth = self.auth_keys();
        loop {
            match flow.step(&auth.keys, self.transport().wall_clock()) {
                Step::Done(status) => return status,
                Step::FetchJwks(request) => {
                    let _turn = auth.refresh.take().await;
                    // Another task may have fetched while this one waited for its turn.
                    if auth.keys.may_fetch(self.transport().wall_clock()) {
                        // If this task is dropped mid-fetch (a client that hung up), the
                        // attempt still counts, so cancelled fetches cannot follow one another
                        // faster than the refetch interval.
                        let mut attempt = Attempt {
                            keys: &auth.keys,
                            started: self.transport().wall_clock(),
                            finished: false,
                        };
                        let result = self.send(&request).await;
                        attempt.finished = true;
                        auth.keys.on_jwks(result, self.transport().wall_clock());
                    }
                }
                Step::VerifyMachineToken(request) => {
                    // A verify call changes nothing: it is retried as a read.
                    let response = match request.to_http(self.config()) {
                        Ok(http) => {
                            let call = Call::new(http, self.options(), &RequestOptions::default())
                                .retry_as(Method::GET);
                            self.drive(call).await
                        }
                        Err(error) => Err(error),
                    };
                    return flow.on_machine_response(response, self.transport().wall_clock());
                }
                _ => return flow.verdict(&auth.keys, self.transport().wall_clock()),
            }
        }
    }
}

/// A JWKS fetch in flight: recorded as a failed attempt if it is dropped before it finishes.
struct Attempt<'a> {
    keys: &'a SharedKeys,
    started: std::time::SystemTime,
    finished: bool,
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.keys.on_jwks(
                Err(clerk_backend_core::TransportError::new(
                    clerk_backend_core::TransportErrorKind::Other,
                    "the JWKS fetch was cancelled",
                )
                .into()),
                self.started,
            );
        }
    }
}

/// A runtime-agnostic async lock without data: one holder at a time, the others woken when
/// it is released (or dropped, if its task is cancelled).
#[derive(Debug, Default)]
struct Turn {
    state: Mutex<TurnState>,
}

#[derive(Debug, Default)]
struct TurnState {
    taken: bool,
    waiting: Vec<Waker>,
}

impl Turn {
    fn state(&self) -> MutexGuard<'_, TurnState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn take(&self) -> TakeTurn<'_> {
        TakeTurn { turn: self }
    }
}

struct TakeTurn<'a> {
    turn: &'a Turn,
}

impl<'a> Future for TakeTurn<'a> {
    type Output = TurnGuard<'a>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut state = self.turn.state();
        if state.taken {
            if !state.waiting.iter().any(|w| w.will_wake(cx.waker())) {
                state.waiting.push(cx.waker().clone());
            }
            Poll::Pending
        } else {
            state.taken = true;
            Poll::Ready(TurnGuard { turn: self.turn })
        }
    }
}

struct TurnGuard<'a> {
    turn: &'a Turn,
}

impl Drop for TurnGuard<'_> {
    fn drop(&mut self) {
        let waiting = {
            let mut state = self.turn.state();
            state.taken = false;
            std::mem::take(&mut state.waiting)
        };
        for waker in waiting {
            waker.wake();
        }
    }
}

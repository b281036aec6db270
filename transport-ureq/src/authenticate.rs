//! `authenticate` for the blocking client: core's flow, the JWKS fetched through the client,
//! refreshed by one thread at a time.

use std::sync::{Arc, Mutex, PoisonError};

use clerk_backend_core::auth::{AuthOptions, AuthStatus, Authentication, SharedKeys, Step};
use clerk_backend_core::http::{HeaderMap, Method};
use clerk_backend_core::{Call, RequestOptions};

use crate::{Client, Transport};

/// The keys of a client and the lock that makes a JWKS refresh single-flight.
#[derive(Debug)]
pub(crate) struct AuthKeys {
    keys: SharedKeys,
    refresh: Mutex<()>,
}

impl AuthKeys {
    pub(crate) fn new(keys: SharedKeys) -> Arc<Self> {
        Arc::new(Self {
            keys,
            refresh: Mutex::new(()),
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
    /// Keys come from the PEM key given to [`ClientBuilder::jwt_key`](crate::ClientBuilder::jwt_key)
    /// (no network), or from the instance's JWKS, fetched with this client's secret key through
    /// its normal request path (retries, timeouts, body limit) and cached per client. When
    /// several threads meet an unknown key id at once, one fetches and the others wait for its
    /// result. A failed fetch signs the request out
    /// ([`Reason::JwkRemoteFailedToLoad`](clerk_backend_core::auth::Reason::JwkRemoteFailedToLoad))
    /// and keeps any keys already known.
    ///
    /// The time checked against the token is [`Transport::wall_clock`].
    ///
    /// Never an error: every failure is a signed-out verdict with its reason.
    pub fn authenticate(&self, headers: &HeaderMap, options: &AuthOptions) -> AuthStatus {
        self.authentication(Authentication::from_headers(headers, options))
    }

    /// Like [`Client::authenticate`], for a bare token (as if sent as `Bearer <token>`).
    pub fn authenticate_token(&self, token: &str, options: &AuthOptions) -> AuthStatus {
        self.authentication(Authentication::from_token(token, options))
    }

    fn authentication(&self, mut flow: Authentication<'_>) -> AuthStatus {
        let auth = self.auth_keys();
        let now = || self.transport().wall_clock();
        loop {
            match flow.step(&auth.keys, now()) {
                Step::Done(status) => return status,
                Step::FetchJwks(request) => {
                    let _turn = auth.refresh.lock().unwrap_or_else(PoisonError::into_inner);
                    // Another thread may have fetched while this one waited for its turn.
                    if auth.keys.may_fetch(now()) {
                        let result = self.send(&request);
                        auth.keys.on_jwks(result, now());
                    }
                }
                Step::VerifyMachineToken(request) => {
                    // A verify call changes nothing: it is retried as a read.
                    let response = request.to_http(self.config()).and_then(|http| {
                        let call = Call::new(http, self.options(), &RequestOptions::default())
                            .retry_as(Method::GET);
                        self.drive(call)
                    });
                    return flow.on_machine_response(response, now());
                }
                _ => {
                    return flow.verdict(&auth.keys, now());
                }
            }
        }
    }
}

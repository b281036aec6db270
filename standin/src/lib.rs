//! # Testing your code
//!
//! A test kit for code built on the Clerk Backend SDK: test it without Clerk, offline, the
//! way it runs against Clerk. A request handler that authenticates callers, a job that pages
//! through users, a webhook consumer, an admin script.
//!
//! **A dev-dependency only.** The kit signs tokens with keys whose private halves it ships
//! (public test keys), serves a fake API, and generates test secrets: it must never be a
//! dependency of a production build.
//!
//! ```toml
//! [dev-dependencies]
//! clerk-backend-testkit = "0.1"
//! ```
//!
//! What it offers:
//!
//! - [`tokens`]: session tokens built from typed claims (user, session, organization with its
//!   role and permissions encoded exactly as Clerk encodes them, actor, features, plans,
//!   custom claims, expiry, v1 or v2 shape), M2M and OAuth JWTs, signed with a [`TestKey`]
//!   whose PEM ([`TestKey::public_pem`]) and JWKS ([`TestKey::jwks_json`]) your code verifies
//!   them with.
//! - [`webhooks`]: deliveries signed with a test `whsec_…` secret, for any raw body, any
//!   serializable value or a typed event in Clerk's envelope, as headers or as a ready
//!   `http::Request`.
//! - [`TestClock`]: a shared, settable clock the builders and the signer take their time from.
//! - [`mock`]: transports for the blocking and the async client that answer from a script, in
//!   process: typed outputs, Clerk errors, 429s, malformed bodies, transport failures; every
//!   request recorded for assertions; retry waits on a [`TestClock`] instead of real time.
//! - The stand-in ([`users`], [`machine`], [`server`], and [`TestInstance`] to start it in
//!   one line): a loopback server on 127.0.0.1 that answers a subset of Clerk's Backend API
//!   (below).
//!
//! ## Authenticating a request
//!
//! With the PEM key (what `CLERK_JWT_KEY` holds) nothing leaves the process:
//!
//! ```
//! use clerk_backend_core::auth::{AuthOptions, Has};
//! use clerk_backend_testkit::tokens::{Organization, SessionToken, TestKey, DEFAULT_AUTHORIZED_PARTY};
//!
//! let key = TestKey::a();
//! let client = clerk_backend_ureq::Client::builder(clerk_backend_core::Config::new("sk_test_unused")?)
//!     .jwt_key(key.public_key()?)
//!     .build();
//! let token = SessionToken::new("user_1")
//!     .organization(Organization::new("org_1").role("admin").permission("org:invoices:read"))
//!     .sign(&key)?;
//!
//! let options = AuthOptions::new().authorized_party(DEFAULT_AUTHORIZED_PARTY);
//! let status = client.authenticate_token(&token, &options);
//! let session = status.session().ok_or("signed out")?;
//! assert_eq!(session.user_id, "user_1");
//! assert!(session.has(&Has::new().permission("org:invoices:read")));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Expiry and clock skew with a [`TestClock`], through core directly:
//!
//! ```
//! use std::time::Duration;
//! use clerk_backend_core::auth::{AuthOptions, Reason, verify_session_token};
//! use clerk_backend_testkit::TestClock;
//! use clerk_backend_testkit::tokens::{SessionToken, TestKey};
//!
//! let key = TestKey::a();
//! let clock = TestClock::new();
//! let token = SessionToken::new("user_1").clock(&clock).sign(&key)?;
//! clock.advance(Duration::from_secs(120)); // past the 60 s lifetime and the 5 s skew
//! let refused = verify_session_token(&token, &key.public_key()?, &AuthOptions::new(), clock.now());
//! assert_eq!(refused.map_err(|e| e.reason()).err(), Some(Reason::TokenExpired));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Receiving a webhook
//!
//! ```
//! use clerk_backend_core::models::DeletedObject;
//! use clerk_backend_core::webhook::{EventData, SigningSecret, Verifier};
//! use clerk_backend_testkit::webhooks::WebhookSigner;
//!
//! let signer = WebhookSigner::new();
//! // Your handler reads its secret from its configuration: give it `signer.secret()`.
//! let verifier = Verifier::new(SigningSecret::new(signer.secret())?);
//!
//! let mut deleted = DeletedObject::default();
//! deleted.id = Some("user_1".to_owned());
//! deleted.object = "user".to_owned();
//! deleted.deleted = true;
//! let delivery = signer.sign_event(&EventData::UserDeleted(Box::new(deleted)))?;
//! let request = delivery.request("/webhooks/clerk")?;
//!
//! // What your handler does with it:
//! let verified = verifier.verify(request.headers(), request.body(), std::time::SystemTime::now())?;
//! let EventData::UserDeleted(user) = &verified.event.data else { panic!("another event") };
//! assert_eq!(user.id.as_deref(), Some("user_1"));
//!
//! // A body changed on the way is refused.
//! let mut tampered = request.body().clone();
//! tampered.push(b' ');
//! assert!(verifier.verify(request.headers(), &tampered, std::time::SystemTime::now()).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Mock transports
//!
//! For code that calls the API: a [`mock::MockApi`] answers the client's requests from a
//! script, by operation type ([`MockApi::on`](mock::MockApi::on), narrowed by path
//! parameter, query, body or any predicate) or by method and path
//! ([`MockApi::on_request`](mock::MockApi::on_request)). No socket is opened, nothing waits:
//! the transports' `sleep` advances the mock's [`TestClock`], and `authenticate` checks tokens
//! against that clock. A request no mock answers fails with an error that shows what was
//! sent and which mocks exist; [`MockApi::assert_all_matched`](mock::MockApi::assert_all_matched)
//! fails the test even when your code swallowed it.
//!
//! ```
//! use std::time::Duration;
//! use clerk_backend_core::{Config, http::StatusCode, models::User, users::{CreateUser, GetUserList}};
//! use clerk_backend_testkit::mock::{Answer, MockApi};
//!
//! let mock = MockApi::new();
//! let mut user = User::default();
//! user.id = "user_1".to_owned();
//! user.object = "user".to_owned();
//! // Rate limited once, then the page (the client waits the Retry-After on the test clock).
//! mock.on::<GetUserList>()
//!     .respond(Answer::rate_limited(Duration::from_secs(2)))
//!     .then(Answer::json(&vec![user]));
//! mock.on::<CreateUser>().respond(Answer::clerk_error(
//!     StatusCode::UNPROCESSABLE_ENTITY,
//!     "form_identifier_exists",
//!     "That email address is taken.",
//! ));
//!
//! // The blocking client; `clerk_backend_async::Client::with_transport(config,
//! // mock.async_transport())` for the async one.
//! let client = clerk_backend_ureq::Client::with_transport(Config::new("sk_test_mock")?, mock.transport());
//! let users: Vec<User> = client.pages(GetUserList::new().limit(10)).collect::<Result<_, _>>()?;
//! assert_eq!(users.len(), 1);
//! assert!(mock.sleeps().iter().sum::<Duration>() >= Duration::from_secs(2)); // no real time
//!
//! let refused = client.send(&CreateUser::new().email_address(["ada@example.com"]));
//! assert_eq!(refused.err().as_ref().and_then(|e| e.code()), Some("form_identifier_exists"));
//! mock.assert_body_json::<CreateUser>(serde_json::json!({"email_address": ["ada@example.com"]}));
//!
//! let pages = mock.assert_called::<GetUserList>(2); // the 429 and its retry
//! assert_eq!(pages[1].query_param("limit").as_deref(), Some("10"));
//! mock.assert_all_matched();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The mock depends on `clerk-backend-ureq` and `clerk-backend-async` without their default
//! features: it brings no HTTP stack or TLS of its own; your own dependency on a client
//! chooses those.
//!
//! ## Talking to the stand-in
//!
//! ```
//! use clerk_backend_testkit::TestInstance;
//!
//! let instance = TestInstance::start()?;
//! let client = clerk_backend_ureq::Client::new(instance.config()?);
//! // `client` now sends its requests to the stand-in on 127.0.0.1.
//! # let _ = client;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## What the stand-in covers, and what not
//!
//! Covered, under `/v1`, with `Authorization: Bearer <secret key>`:
//!
//! - the Users API: `POST /users`, `GET /users` (paging, ordering and the filters listed in
//!   [`users`]), `GET /users/count`, `GET`/`PATCH`/`DELETE /users/{id}`, ban, unban, lock,
//!   unlock (one user or in bulk), `PATCH`/`PUT /users/{id}/metadata`, and the profile image
//!   (`POST`/`DELETE /users/{id}/profile_image`);
//! - `GET /jwks`: the JWKS you set ([`users::UsersStandIn::set_jwks`]; [`TestInstance`] sets
//!   its test keys'), so clients that fetch keys verify the kit's tokens;
//! - the three verify endpoints of opaque machine tokens, `POST /m2m_tokens/verify`,
//!   `/api_keys/verify` and `/oauth_applications/access_tokens/verify`, answering for the
//!   tokens a test registered (see [`machine`]), with a machine secret key accepted on the
//!   M2M paths.
//!
//! Not covered: everything else, answered `404 resource_not_found` (organizations, sessions,
//! invitations, creating or revoking machine tokens, …). Users have no organizations,
//! sessions or external accounts; the filters on them match nobody. Rate limits, retries
//! after `429` and the like are not simulated by the stand-in itself (use a [`mock`]
//! transport, wrap [`users::UsersStandIn::handle`] in your own handler to inject faults, or
//! use the [`server`] hooks).
//!
//! ## Randomness
//!
//! Delivery ids, token ids, generated secret keys and webhook secrets come from std's
//! `RandomState` (seeded from the operating system) hashing a counter and the time: unique
//! and different on every run, without pulling an RNG crate into your dev-dependencies. None
//! of it is cryptographically strong, which a test kit does not need.
#![forbid(unsafe_code)]

pub mod clock;
mod ids;
pub mod instance;
pub mod machine;
pub mod mock;
pub mod server;
pub mod tokens;
pub mod users;
pub mod webhooks;

pub use clock::TestClock;
pub use instance::{TestInstance, TestInstanceBuilder};
pub use tokens::TestKey;

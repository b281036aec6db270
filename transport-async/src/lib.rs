//! Async client for Clerk's Backend API over the sans-IO
//! [`clerk-backend-core`](clerk_backend_core): any runtime, any HTTP stack, reqwest built in.
//!
//! ```no_run
//! use clerk_backend_async::{Client, users::{GetUser, GetUserList}};
//!
//! # #[cfg(feature = "reqwest")]
//! # async fn run() -> Result<(), clerk_backend_async::Error> {
//! let client = Client::from_env()?; // CLERK_SECRET_KEY, optional CLERK_API_URL
//! let user = client.send(&GetUser::new("user_2abc")).await?;
//! println!("{} {:?}", user.id, user.first_name);
//!
//! let mut users = client.pages(GetUserList::new().limit(100));
//! while let Some(user) = users.next().await {
//!     println!("{}", user?.id);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! [`Client`] is generic over a [`Transport`]: something that executes one
//! `http::Request<Vec<u8>>` and returns an `http::Response<Vec<u8>>`, and that can wait. Core
//! builds every request (authentication included) and reads every response; the client adds
//! retries per core's [`RetryPolicy`] and pagination as a [`Stream`] over core's [`Pager`], with
//! one page in memory. Nothing on the async path blocks a thread.
//!
//! - With the default `reqwest` feature, [`ReqwestTransport`] is ready to use: [`Client::new`],
//!   [`Client::from_env`] and [`Client::builder`] build one that never follows redirects, has
//!   connect and overall timeouts, and refuses response bodies over a size limit while reading
//!   them. Retry waits use Tokio's timer, so call it inside a Tokio runtime (reqwest needs one
//!   anyway). [`ReqwestTransport::new`] wraps a `reqwest::Client` of your own (proxies, custom
//!   TLS): authentication still works, because it is part of the request core builds.
//! - Without it (`default-features = false`), the crate pulls in no HTTP client and no runtime:
//!   bring a transport as a small struct implementing [`Transport`], or as two closures through
//!   [`from_fn`].
//!
//! ```
//! use clerk_backend_async::{Client, Config, Error, from_fn, http, users::GetUser};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Error> {
//! // A transport from two closures: one sends a request, one waits (here: a canned answer
//! // and no wait at all, as in a test).
//! let transport = from_fn(
//!     |request: http::Request<Vec<u8>>| async move {
//!         assert_eq!(request.uri().path(), "/v1/users/user_1");
//!         let body = br#"{"id":"user_1","object":"user","first_name":"Ada"}"#.to_vec();
//!         Ok::<_, Error>(http::Response::new(body))
//!     },
//!     |_wait| async {},
//! );
//! let client = Client::with_transport(Config::new("sk_test_123")?, transport);
//! let user = client.send(&GetUser::new("user_1")).await?;
//! assert_eq!(user.first_name.as_deref(), Some("Ada"));
//! # Ok(())
//! # }
//! ```
//!
//! The client's futures and streams are `Send` whenever the transport's are (as reqwest's), so
//! they can be spawned on a multi-threaded runtime; a transport with `!Send` futures works too,
//! on a single-threaded executor (a Tokio `LocalSet`, for instance). The retry budget is measured
//! with [`Transport::now`], which reads `std::time::Instant` unless the transport says otherwise
//! (as it must on `wasm32-unknown-unknown`).
//!
//! Everything of `clerk-backend-core` is re-exported here, so this is the one crate to depend on.
//!
//! # Features
//! - `reqwest` (default): [`ReqwestTransport`] and the constructors that use it; also re-exports
//!   [`reqwest`] itself, so a client you build yourself is of the same version.
//! - `rustls` (default): TLS through rustls (reqwest's `rustls`: aws-lc-rs, which builds C code,
//!   and the platform certificate verifier).
//! - `rustls-no-provider`: rustls without a crypto provider; install one (for example ring's)
//!   with `CryptoProvider::install_default` before building a client, or reqwest panics there.
//! - `native-tls`: TLS through the platform's library (OpenSSL on Linux).
//! - `http2`: HTTP/2 in the reqwest transport, negotiated by ALPN.
//!
//! With `reqwest` and no TLS feature, the built-in transport speaks plain `http://` only.
//!
//! # Dependencies, and why each
//! - `clerk-backend-core`: every request and response translation, the errors and the policies.
//! - `futures-core` (no default features): the `Stream` trait that [`Pages`] implements, the
//!   one every async ecosystem shares.
//! - `reqwest` (optional, default features off): a widely used async HTTP client that pools
//!   connections and reads a response body chunk by chunk, so the size limit holds while reading.
//! - `tokio` (optional, `time` only): the timer the reqwest transport waits with between
//!   retries; reqwest already runs on Tokio.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "auth")]
mod authenticate;
mod client;
mod fn_transport;
mod pages;
#[cfg(feature = "reqwest")]
mod reqwest_transport;
mod transport;

pub use clerk_backend_core::*;
pub use client::Client;
#[cfg(feature = "reqwest")]
pub use client::ClientBuilder;
pub use fn_transport::{FnTransport, from_fn};
/// Re-export of the `Stream` trait that [`Pages`] implements (from `futures-core`).
pub use futures_core::Stream;
pub use pages::{PageResult, Pages};
#[cfg(feature = "reqwest")]
pub use reqwest_transport::ReqwestTransport;
pub use transport::Transport;

/// Re-export of `reqwest`, so that a `reqwest::Client` you configure yourself (proxies, custom
/// TLS) is of the version [`ReqwestTransport`] takes.
#[cfg(feature = "reqwest")]
pub use reqwest;

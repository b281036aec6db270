//! Blocking client for Clerk's Backend API on [`ureq`] 3, over the sans-IO
//! [`clerk-backend-core`](clerk_backend_core).
//!
//! ```no_run
//! use clerk_backend_ureq::{Client, users::{GetUser, GetUserList}};
//!
//! let client = Client::from_env()?; // CLERK_SECRET_KEY, optional CLERK_API_URL
//! let user = client.send(&GetUser::new("user_2abc"))?;
//! println!("{} {:?}", user.id, user.first_name);
//!
//! for user in client.pages(GetUserList::new().limit(100)) {
//!     println!("{}", user?.id);
//! }
//! # Ok::<(), clerk_backend_ureq::Error>(())
//! ```
//!
//! [`Client`] is generic over a blocking [`Transport`]: something that executes one
//! `http::Request<Vec<u8>>` and returns an `http::Response<Vec<u8>>`. Core's [`Call`] decides
//! the retries (per [`RetryPolicy`], within its budget), [`Pager`] the pages and core's `auth`
//! the authentication; the client drives them over the transport and does the sleeping.
//!
//! - With the default `ureq` feature, [`UreqTransport`] is the default: one `ureq::Agent`
//!   (connections are reused) that never follows redirects, reads error statuses as responses
//!   (so Clerk's error body reaches you), has connect and per-attempt timeouts, and refuses
//!   response bodies over a size limit instead of growing without bound.
//! - Without it (`default-features = false`), the crate pulls in no HTTP client: bring a type
//!   implementing [`Transport`], or any closure
//!   `Fn(http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, E>`, and pass it to
//!   [`Client::with_transport`] or [`ClientBuilder::build_with`]. Retries, pagination and
//!   `authenticate` work the same (see `examples/own_transport.rs`).
//!
//! Settings for one call (a timeout, a retry policy, extra headers) go in a
//! [`RequestOptions`], given to [`Client::send_with`], [`Client::pages_with`] and the like.
//!
//! Everything of `clerk-backend-core` is re-exported here, so this is the one crate to depend on.
//!
//! **Logging and your secret key.** ureq's protocol layer (the `ureq_proto` log target) writes
//! the head of each request, in hex rows, to the `log` crate at `trace` level, the
//! `Authorization: Bearer` header with the secret key included, and every byte of each
//! response, body included (users' personal data); ureq 3.5 has no switch to stop it. Never
//! enable `trace` for `ureq_proto` in production (`RUST_LOG=trace,ureq_proto=debug`). At
//! `debug` and above ureq logs requests with every header but a fixed harmless list redacted
//! (`Authorization` among them); this crate logs nothing.
//!
//! # Dependencies, and why each
//! - `clerk-backend-core`: every request and response translation, the errors and the policies.
//! - `ureq` (optional, default; rustls with webpki roots, no gzip): a small blocking HTTP client that executes an
//!   `http::Request` directly and pools connections, with no async runtime. Pinned to 3.5.x
//!   because the resolver hook used to avoid a thread per request is in ureq's `unversioned` API.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "auth")]
mod authenticate;
mod client;
mod pages;
#[cfg(feature = "ureq")]
mod resolver;
mod transport;
#[cfg(feature = "ureq")]
mod ureq_transport;

pub use clerk_backend_core::*;
pub use client::{Client, ClientBuilder};
pub use pages::Pages;
pub use transport::Transport;
#[cfg(feature = "ureq")]
pub use ureq_transport::UreqTransport;

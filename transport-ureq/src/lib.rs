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
//! The client owns one `ureq::Agent` (connections are reused), never follows redirects, reads
//! error statuses as responses (so Clerk's error body reaches you), has connect and overall
//! timeouts, and refuses response bodies over a size limit instead of growing without bound.
//! Retries follow core's [`RetryPolicy`]; this crate does the sleeping.
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
//! - `ureq` (rustls with webpki roots, no gzip): a small blocking HTTP client that executes an
//!   `http::Request` directly and pools connections, with no async runtime. Pinned to 3.5.x
//!   because the resolver hook used to avoid a thread per request is in ureq's `unversioned` API.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "auth")]
mod authenticate;
mod client;
mod pages;
mod resolver;
mod transport;

pub use clerk_backend_core::*;
pub use client::{Client, ClientBuilder};
pub use pages::Pages;

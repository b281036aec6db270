//! Sans-IO core of a client for Clerk's Backend API (`https://api.clerk.com/v1`).
//!
//! Every operation is a value that implements [`Endpoint`]: it turns itself into an
//! [`http::Request<Vec<u8>>`](http::Request) and turns an [`http::Response<Vec<u8>>`](http::Response)
//! into a typed output or a typed [`Error`]. Nothing here opens a socket, reads a file or the
//! clock, or sleeps: transports (`clerk-backend-ureq`, or your own HTTP stack) move the bytes, and
//! the pure [`Call`] (one call with its retries, deadline and per-request
//! [`RequestOptions`]) and [`Pager`] tell them what to do next.
//!
//! ```
//! use clerk_backend_core::{Config, Endpoint, users::GetUser};
//!
//! let config = Config::new("sk_test_123")?;
//! let request = GetUser::new("user_2abc").to_http(&config)?;
//! assert_eq!(request.uri(), "https://api.clerk.com/v1/users/user_2abc");
//!
//! // ... send `request` with any HTTP client, then:
//! let response = http::Response::builder()
//!     .status(200)
//!     .body(br#"{"id":"user_2abc","object":"user","first_name":"Ada"}"#.to_vec())?;
//! let user = GetUser::parse(response)?;
//! assert_eq!(user.first_name.as_deref(), Some("Ada"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Each operation's `new` takes its required inputs in one order: path parameters as the path
//! names them (`/organizations/{organization_id}/memberships`), then required query parameters,
//! then required body members, each in the order the spec lists them (a body's `required`
//! list). So `CreateOrganizationMembership::new(organization_id, user_id, role)` and
//! `CreatePhoneNumber::new(user_id, phone_number)`: two ids of the same type are never ordered
//! differently by the spelling of their names. Everything optional is a setter.
//!
//! # Dependencies, and why each
//! - `http`: the request and response types that are the seam between core and any transport.
//! - `serde`, `serde_json`: the models and the JSON bodies. `serde_json`'s `raw_value` feature
//!   lets a union capture its value's text (borrowed, not buffered into a `Value`), read the
//!   tag from it and decode the variant straight from it.
//! - `serde_path_to_error`: a tagged-union variant that does not decode names the JSON path
//!   inside the variant that failed. It runs only to explain a failure (elsewhere the path
//!   comes from the position `serde_json` reports), so successful decoding pays nothing for
//!   path tracking.
//! - `percent-encoding`: path segments and query strings, encoded exactly once.
//!
//! With the default `auth` feature ([`auth`]: session tokens, the JWKS cache, authenticating
//! a request), from RustCrypto, all pure Rust with no C and no system clock:
//! - `rsa` (default features off; `std`, `pkcs1v15`, `encoding`): RS256/RS384/RS512 signature
//!   checks and reading PEM/DER public keys. Chosen over `jsonwebtoken`, which reads the system
//!   clock and whose defaults differ from Clerk's rules.
//! - `sha2`: the SHA-256/384/512 digests those signatures cover.
//! - `sha1`: only the cookie-name suffix Clerk derives from the publishable key.
//! - `base64`: base64url JWT segments, PEM bodies and the publishable key.
//!
//! Without `auth` none of them is built: a script that only calls the API pays nothing.
//!
//! With the default `webhook` feature ([`webhook`]: verifying and signing deliveries, and
//! Clerk's events typed), also from RustCrypto: `hmac` with `sha2` (HMAC-SHA256, the Svix /
//! Standard Webhooks signature), `subtle` (comparing signatures in constant time) and `base64`.
//! Chosen over `svix`, which builds an HTTP client and TLS, and `standardwebhooks`, which reads
//! the system clock.
//!
//! With the `proptest` feature (off by default; turn it on in `[dev-dependencies]` only),
//! `proptest` is a dependency too: [`strategies`] implements its `Arbitrary` for every
//! operation and model, so a test of your own code can draw requests a user could write,
//! `proptest!(|(req in any::<CreateUser>())| …)`. Without the feature no proptest code is
//! compiled.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// The decoding helpers and the macros serve the generated models of the enabled API groups:
// with few groups (or none), some of them go unused.
#[allow(unused_macros)]
mod macros;

mod api;
#[cfg(feature = "auth")]
pub mod auth;
mod call;
mod config;
#[allow(dead_code)]
mod de;
mod encode;
mod endpoint;
mod error;
mod http_date;
mod json_path;
pub mod models;
mod options;
mod pagination;
mod response;
mod retry;
#[cfg(feature = "proptest")]
pub mod strategies;
#[cfg(feature = "webhook")]
pub mod webhook;

pub use api::*;
pub use call::{Call, Next};
pub use config::{
    Config, DEFAULT_API_URL, ENV_API_URL, ENV_MACHINE_SECRET_KEY, ENV_SECRET_KEY, SecretKeyKind,
};
pub use encode::{FilePart, Multipart, Nullable, Query, encode_path_segment};
pub use endpoint::{Body, Endpoint, Operation};
pub use error::{
    ApiError, ClerkErrorDetail, ConfigError, DecodeError, Error, InvalidInput, TransportError,
    TransportErrorKind,
};
#[allow(unused_imports)]
pub(crate) use macros::{string_enum, tagged_union, untagged_union};
pub use options::{ClientOptions, RequestOptions};
pub use pagination::{DEFAULT_PAGE_SIZE, Page, Pager, Paginated};
pub use response::{parse_empty, parse_json};
pub use retry::{AttemptTimeout, RetryPolicy};

pub use api::API_VERSION;

/// Re-export of the `http` crate, whose request and response types are this crate's seam.
pub use http;
/// Re-export of `serde_json`, whose `Value` and `Map` hold free-form metadata.
pub use serde_json;

//! Loopback stand-ins for the workspace's tests and quickstart: a small HTTP/1.1 server on
//! 127.0.0.1 ([`server`]) and an in-memory stand-in of Clerk's Users API served by it ([`users`]).
//! For authentication tests the same stand-in also serves a JWKS of your choice at
//! `GET /v1/jwks`, and the three verify endpoints of opaque machine tokens ([`machine`]):
//! `POST /v1/m2m_tokens/verify`, `POST /v1/api_keys/verify` and
//! `POST /v1/oauth_applications/access_tokens/verify`, answering for the tokens a test
//! registered, with a machine secret key accepted on the M2M paths.
//!
//! Not covered: the rest of Clerk's Backend API (organizations, sessions, creating or revoking
//! machine tokens, ...), whose routes are `404`.
//!
//! Std threads only, no async runtime, no dependencies beyond `http` and `serde_json`. Not
//! published: nothing here is meant for production traffic.
//!
//! ```
//! use std::io::{Read, Write};
//!
//! let server = clerk_backend_standin::server::Server::start(|request| {
//!     http::Response::new(format!("you asked for {}", request.uri()).into_bytes())
//! })?;
//! let mut stream = std::net::TcpStream::connect(server.addr())?;
//! stream.write_all(b"GET /a%2Fb?x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")?;
//! let mut answer = String::new();
//! stream.read_to_string(&mut answer)?;
//! assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"));
//! assert!(answer.ends_with("you asked for /a%2Fb?x=1"));
//! # Ok::<(), std::io::Error>(())
//! ```
#![forbid(unsafe_code)]

pub mod machine;
pub mod server;
pub mod users;

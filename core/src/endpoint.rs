//! The `Endpoint` trait that every operation implements, and the request assembly they share.

use std::borrow::Cow;

use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use http::{HeaderName, HeaderValue, Method};

use crate::config::{Config, SecretKeyKind};
use crate::encode::{Multipart, Query};
use crate::error::{ConfigError, Error};

/// The `Clerk-API-Version` header name.
pub(crate) const CLERK_API_VERSION: HeaderName = HeaderName::from_static("clerk-api-version");

/// What the spec says of one operation: the registry entry of an [`Endpoint`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// The spec's `operationId` (`GetUser`), which is also the Rust type name.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template below `/v1` (`/users/{user_id}`).
    pub path: &'static str,
    /// The spec's tag (`Users`).
    pub tag: &'static str,
    /// Whether the spec marks the operation deprecated.
    pub deprecated: bool,
    /// The kinds of key that may authorize the operation, in the order they are tried (the
    /// spec's `security`): `[Instance]` for almost every operation, `[Machine, Instance]` for
    /// the M2M token operations that accept either, `[Machine]` for `createM2MToken`, and
    /// none for an operation that needs no key. See [`Config`] for how a key is chosen.
    pub keys: &'static [SecretKeyKind],
}

impl Operation {
    /// Describes an operation authorized by the instance secret key (the spec's default
    /// `security`); used by the operation types themselves.
    pub const fn new(
        operation_id: &'static str,
        method: Method,
        path: &'static str,
        tag: &'static str,
        deprecated: bool,
    ) -> Self {
        Self {
            operation_id,
            method,
            path,
            tag,
            deprecated,
            keys: &[SecretKeyKind::Instance],
        }
    }

    /// The same operation, authorized by `keys` instead, tried in this order (an empty list:
    /// no key, no `Authorization` header).
    pub const fn with_keys(mut self, keys: &'static [SecretKeyKind]) -> Self {
        self.keys = keys;
        self
    }
}

/// A request body and its media type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    content_type: Cow<'static, str>,
    bytes: Vec<u8>,
}

impl Body {
    /// Serializes `value` as a JSON body.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the value cannot be represented as JSON (for example a map
    /// with non-string keys inside user-supplied metadata).
    pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<Self, Error> {
        // Only the encoding is generic; the error and the body are built once for every `T`.
        Self::from_json(serde_json::to_vec(value))
    }

    fn from_json(encoded: Result<Vec<u8>, serde_json::Error>) -> Result<Self, Error> {
        match encoded {
            Ok(bytes) => Ok(Self {
                content_type: Cow::Borrowed("application/json"),
                bytes,
            }),
            Err(e) => Err(Error::InvalidInput(crate::error::InvalidInput::new(
                "body",
                e.to_string(),
            ))),
        }
    }

    /// Encodes a multipart/form-data body.
    pub fn multipart(form: &Multipart) -> Self {
        let (content_type, bytes) = form.encode();
        Self {
            content_type: Cow::Owned(content_type),
            bytes,
        }
    }

    /// The `Content-Type` header value.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The encoded bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// One Backend API operation: typed input to `http::Request`, `http::Response` to typed output.
///
/// Operation types implement [`encode_path`](Endpoint::encode_path),
/// [`encode_query`](Endpoint::encode_query), [`encode_body`](Endpoint::encode_body) and
/// [`parse`](Endpoint::parse); [`to_http`](Endpoint::to_http) assembles the request with the
/// configuration's headers. Everything takes `&self`, so a transport can rebuild the same request
/// for a retry or the next page. The encoding methods carry an `encode_` prefix so that no
/// operation's setter (named after its parameter, such as `query` or `path`) can shadow them; the
/// generator refuses a setter named like any method of this trait or of [`crate::Paginated`].
pub trait Endpoint {
    /// What a successful response decodes to.
    type Output;

    /// The operation's registry entry: id, method, path template, tag, deprecation.
    const OPERATION: Operation;

    /// The path below `/v1`, with path parameters encoded (`/users/user_123/ban`).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when a path parameter is empty, `.` or `..`.
    fn encode_path(&self) -> Result<String, Error>;

    /// Writes the query parameters (none by default).
    fn encode_query(&self, _query: &mut Query) {}

    /// The request body, if the operation has one (none by default).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the body cannot be encoded.
    fn encode_body(&self) -> Result<Option<Body>, Error> {
        Ok(None)
    }

    /// Builds the complete HTTP request: URL, method, `Authorization` (with the key
    /// [`Config::key_for`] chooses), `Clerk-API-Version`, `User-Agent`, `Accept`, and
    /// `Content-Type` when there is a body.
    ///
    /// # Errors
    /// [`Error::Config`] when the configuration holds no key the operation accepts (checked
    /// first); [`Error::InvalidInput`] for a refused input. Nothing is built in either case.
    fn to_http(&self, config: &Config) -> Result<http::Request<Vec<u8>>, Error> {
        let authorization = config.authorization_for(&Self::OPERATION)?;
        let path = self.encode_path()?;
        let mut query = Query::new();
        self.encode_query(&mut query);
        let body = self.encode_body()?;
        build_request(
            config,
            authorization,
            Self::OPERATION.method,
            &path,
            &query,
            body,
        )
    }

    /// Decodes a response: the typed output on 2xx, [`Error::Api`] otherwise.
    ///
    /// # Errors
    /// [`Error::Api`] for a non-2xx status; [`Error::Decode`] (with the JSON path and the body)
    /// for a 2xx body that is not the expected shape.
    fn parse(response: http::Response<Vec<u8>>) -> Result<Self::Output, Error>;

    /// Decodes a response as untyped JSON, for fields this crate does not model yet.
    ///
    /// # Errors
    /// As [`Endpoint::parse`]; an empty 2xx body reads as `null`.
    fn parse_raw(response: http::Response<Vec<u8>>) -> Result<serde_json::Value, Error> {
        crate::response::parse_raw(response)
    }
}

/// Assembles a request from already-encoded parts.
pub(crate) fn build_request(
    config: &Config,
    authorization: Option<&HeaderValue>,
    method: Method,
    path: &str,
    query: &Query,
    body: Option<Body>,
) -> Result<http::Request<Vec<u8>>, Error> {
    let base = config.base_url();
    let mut uri = String::with_capacity(base.len() + path.len() + query.as_str().len() + 1);
    uri.push_str(base);
    uri.push_str(path);
    if !query.is_empty() {
        uri.push('?');
        uri.push_str(query.as_str());
    }
    let uri = http::Uri::try_from(uri)
        .map_err(|e| ConfigError::new(format!("the request URL is not valid: {e}")))?;
    let mut request = http::Request::new(Vec::new());
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    let headers = request.headers_mut();
    if let Some(authorization) = authorization {
        headers.insert(AUTHORIZATION, authorization.clone());
    }
    headers.insert(CLERK_API_VERSION, config.api_version_header().clone());
    headers.insert(USER_AGENT, config.user_agent_header().clone());
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    if let Some(body) = body {
        let content_type = match body.content_type {
            Cow::Borrowed(s) => HeaderValue::from_static(s),
            Cow::Owned(s) => HeaderValue::try_from(s).map_err(|_| {
                Error::InvalidInput(crate::error::InvalidInput::new(
                    "body",
                    "content type is not a valid header value",
                ))
            })?,
        };
        headers.insert(CONTENT_TYPE, content_type);
        *request.body_mut() = body.bytes;
    }
    Ok(request)
}

/// A copy of a request (`http::Request` is not `Clone`: its extensions may not be), for sending
/// the same request again: method, URI, version, headers and body.
pub(crate) fn copy_request(request: &http::Request<Vec<u8>>) -> http::Request<Vec<u8>> {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    copy
}

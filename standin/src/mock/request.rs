//! A request as the mock received it, kept for assertions; printed without secrets.

use std::fmt;

use clerk_backend_core::http::{self, HeaderMap, Method, Uri};

use super::route::{api_path, percent_decode_with};

/// Longest body excerpt a message shows.
const EXCERPT_LEN: usize = 400;

/// One request a mock transport received, in the order they arrived.
///
/// `Debug` and `Display` never print the value of a header marked sensitive
/// ([`HeaderValue::is_sensitive`](http::HeaderValue::is_sensitive), which core sets on
/// `Authorization`) nor of `Authorization` and `Cookie` headers in any case; the accessors give
/// everything, for your own assertions.
#[derive(Clone)]
pub struct RecordedRequest {
    pub(crate) method: Method,
    pub(crate) uri: Uri,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    pub(crate) operation: Option<&'static str>,
    pub(crate) rule: Option<usize>,
}

impl RecordedRequest {
    pub(crate) fn new(request: http::Request<Vec<u8>>) -> Self {
        let (parts, body) = request.into_parts();
        Self {
            method: parts.method,
            uri: parts.uri,
            headers: parts.headers,
            body,
            operation: None,
            rule: None,
        }
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The whole URI as sent (`https://api.clerk.com/v1/users?limit=2`).
    pub fn uri(&self) -> &Uri {
        &self.uri
    }

    /// The URI's path as sent, still percent-encoded (`/v1/users/user_1`).
    pub fn path(&self) -> &str {
        self.uri.path()
    }

    /// The path below the API's base, after the first `v1` segment (`/users/user_1`): what
    /// operations' path templates describe.
    pub fn api_path(&self) -> &str {
        api_path(self.uri.path())
    }

    /// The raw query string, if any (`limit=2&offset=2`).
    pub fn query(&self) -> Option<&str> {
        self.uri.query()
    }

    /// Every query parameter, decoded, in order (a repeated name appears once per value).
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (
                    percent_decode_with(name, true),
                    percent_decode_with(value, true),
                )
            })
            .collect()
    }

    /// The first value of query parameter `name`, decoded.
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.query_pairs()
            .into_iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }

    /// Every header sent, sensitive ones included.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The value of header `name` when it is visible text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as sent.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body read as JSON, or `None` when it is empty or not JSON.
    pub fn body_json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The id of the operation the request is for (`GetUser`), found from its method and path
    /// among the operations core knows in this build and those the mock was given; `None`
    /// when no template fits.
    pub fn operation_id(&self) -> Option<&'static str> {
        self.operation
    }

    /// Whether a mock answered it (`false`: it was answered with the "no mock" error).
    pub fn is_matched(&self) -> bool {
        self.rule.is_some()
    }

    /// A short excerpt of the body (text, cut at a character boundary).
    pub(crate) fn body_excerpt(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        match text.char_indices().nth(EXCERPT_LEN) {
            Some((cut, _)) => format!(
                "{}… ({} bytes)",
                text.get(..cut).unwrap_or(""),
                self.body.len()
            ),
            None => text.into_owned(),
        }
    }
}

/// Whether a header's value must not be printed.
fn hidden(name: &http::HeaderName, value: &http::HeaderValue) -> bool {
    value.is_sensitive()
        || name == http::header::AUTHORIZATION
        || name == http::header::COOKIE
        || name == http::header::PROXY_AUTHORIZATION
}

impl fmt::Display for RecordedRequest {
    /// `GET /v1/users?limit=2 (GetUserList) body: {…}`, without headers.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path())?;
        if let Some(query) = self.query() {
            write!(f, "?{query}")?;
        }
        if let Some(operation) = self.operation {
            write!(f, " ({operation})")?;
        }
        if !self.body.is_empty() {
            write!(f, " body: {}", self.body_excerpt())?;
        }
        Ok(())
    }
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Headers<'a>(&'a HeaderMap);
        impl fmt::Debug for Headers<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut map = f.debug_map();
                for (name, value) in self.0 {
                    if hidden(name, value) {
                        map.entry(name, &"<redacted>");
                    } else {
                        map.entry(name, value);
                    }
                }
                map.finish()
            }
        }
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("uri", &self.uri)
            .field("operation", &self.operation)
            .field("headers", &Headers(&self.headers))
            .field("body", &self.body_excerpt())
            .field("matched", &self.is_matched())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_not_printed() {
        let request = http::Request::builder()
            .method(Method::POST)
            .uri("https://api.clerk.com/v1/users?limit=2&q=a+b%21")
            .header("authorization", "Bearer sk_test_secret")
            .header("x-other", "visible")
            .body(b"{\"a\":1}".to_vec())
            .expect("request");
        let recorded = RecordedRequest::new(request);
        let debug = format!("{recorded:?}");
        assert!(!debug.contains("sk_test_secret"), "{debug}");
        assert!(debug.contains("visible"), "{debug}");
        assert!(!recorded.to_string().contains("sk_test_secret"));
        assert_eq!(recorded.query_param("q").as_deref(), Some("a b!"));
        assert_eq!(recorded.api_path(), "/users");
        assert_eq!(
            recorded.header("authorization"),
            Some("Bearer sk_test_secret")
        );
    }
}

//! Response decoding shared by every operation.

use std::time::Duration;

use http::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, DecodeError, Error};

/// Decodes a JSON response into `T` on 2xx; any other status becomes [`Error::Api`].
///
/// # Errors
/// [`Error::Api`] for a non-2xx status; [`Error::Decode`] naming the JSON path that failed, with
/// the body kept, for a 2xx body that is not a `T` (including an empty or truncated body).
pub fn parse_json<T: DeserializeOwned>(response: http::Response<Vec<u8>>) -> Result<T, Error> {
    // Only the decode itself is generic; the status check and the error are shared by every `T`.
    let (status, body) = success_body(response)?;
    // Plain serde_json on the hot path: no path tracking (and no second copy of every model's
    // decoder) for the responses that decode. Only a failure scans the body for its JSON path.
    match serde_json::from_slice(&body) {
        Ok(value) => Ok(value),
        Err(err) => Err(decode_error(status, body, &err)),
    }
}

/// The status and body of a 2xx response; [`Error::Api`] for any other status.
fn success_body(response: http::Response<Vec<u8>>) -> Result<(http::StatusCode, Vec<u8>), Error> {
    let (parts, body) = response.into_parts();
    if parts.status.is_success() {
        Ok((parts.status, body))
    } else {
        Err(Error::Api(Box::new(ApiError::from_parts(&parts, body))))
    }
}

/// [`Error::Decode`] for a 2xx body that `serde_json` could not decode, with its JSON path.
fn decode_error(status: http::StatusCode, body: Vec<u8>, err: &serde_json::Error) -> Error {
    Error::Decode(Box::new(DecodeError {
        status,
        path: crate::json_path::path_of(&body, err),
        message: err.to_string(),
        body,
    }))
}

/// Accepts any 2xx response and ignores its body (operations that answer with no content).
///
/// # Errors
/// [`Error::Api`] for a non-2xx status.
pub fn parse_empty(response: http::Response<Vec<u8>>) -> Result<(), Error> {
    success_body(response).map(|_| ())
}

/// Decodes any 2xx response as untyped JSON (an empty body reads as `null`).
///
/// # Errors
/// As [`parse_json`].
pub fn parse_raw(response: http::Response<Vec<u8>>) -> Result<serde_json::Value, Error> {
    if response.status().is_success() && response.body().iter().all(u8::is_ascii_whitespace) {
        return Ok(serde_json::Value::Null);
    }
    parse_json(response)
}

/// Reads `Retry-After`: a number of seconds (what Clerk sends), or an HTTP date, which is
/// turned into a wait by subtracting the response's own `Date` header, so no clock is read and
/// the server's clock is compared only with itself. A date already past is a wait of zero; a
/// date without a `Date` header, or anything unreadable, is `None`, which leaves the wait to the
/// retry policy's backoff.
pub fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = text.parse::<f64>() {
        return (secs.is_finite() && (0.0..1e9).contains(&secs))
            .then(|| Duration::from_secs_f64(secs));
    }
    let at = crate::http_date::parse(text)?;
    let now = crate::http_date::parse(headers.get(http::header::DATE)?.to_str().ok()?)?;
    Some(Duration::from_secs(at.saturating_sub(now)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> http::Response<Vec<u8>> {
        http::Response::builder()
            .status(status)
            .body(body.as_bytes().to_vec())
            .unwrap()
    }

    #[derive(serde::Deserialize, Debug)]
    struct Thing {
        #[allow(dead_code)]
        items: Vec<Item>,
    }
    #[derive(serde::Deserialize, Debug)]
    struct Item {
        #[allow(dead_code)]
        n: i64,
    }

    #[test]
    fn decode_error_names_path_and_keeps_body() {
        let body = r#"{"items":[{"n":1},{"n":"two"}]}"#;
        let Err(Error::Decode(err)) = parse_json::<Thing>(resp(200, body)) else {
            panic!("expected a decode error");
        };
        assert_eq!(err.path, "items[1].n");
        assert_eq!(err.body, body.as_bytes());
    }

    #[test]
    fn trailing_garbage_and_truncation_are_decode_errors() {
        assert!(matches!(
            parse_json::<Thing>(resp(200, r#"{"items":[]} x"#)),
            Err(Error::Decode(_))
        ));
        assert!(matches!(
            parse_json::<Thing>(resp(200, r#"{"items":[{"n"#)),
            Err(Error::Decode(_))
        ));
        assert!(matches!(
            parse_json::<Thing>(resp(200, "")),
            Err(Error::Decode(_))
        ));
    }

    #[test]
    fn retry_after_as_a_date_counts_from_the_response_date() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            for (k, v) in pairs {
                map.insert(*k, http::HeaderValue::from_static(v));
            }
            map
        };
        let date = ("date", "Fri, 27 Nov 2026 18:00:00 GMT");
        let later = ("retry-after", "Fri, 27 Nov 2026 18:00:07 GMT");
        let past = ("retry-after", "Fri, 27 Nov 2026 17:59:00 GMT");
        assert_eq!(
            parse_retry_after(&headers(&[date, later])),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after(&headers(&[date, past])),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse_retry_after(&headers(&[later])),
            None,
            "no Date: no clock to count from"
        );
        assert_eq!(
            parse_retry_after(&headers(&[date, ("retry-after", "soon")])),
            None
        );
        assert_eq!(
            parse_retry_after(&headers(&[("retry-after", "2.5")])),
            Some(Duration::from_millis(2500))
        );
    }

    #[test]
    fn api_error_reads_clerk_errors_and_retry_after() {
        let body = r#"{"errors":[{"code":"resource_not_found","message":"not found","long_message":"No user","meta":{}}],"clerk_trace_id":"t1"}"#;
        let mut r = resp(404, body);
        r.headers_mut()
            .insert("retry-after", http::HeaderValue::from_static("3"));
        let Err(Error::Api(err)) = parse_json::<Thing>(r) else {
            panic!("expected api error")
        };
        assert_eq!(err.status, 404);
        assert_eq!(err.errors[0].code, "resource_not_found");
        assert_eq!(err.errors[0].long_message.as_deref(), Some("No user"));
        assert_eq!(err.clerk_trace_id.as_deref(), Some("t1"));
        assert_eq!(err.retry_after, Some(Duration::from_secs(3)));
    }

    #[test]
    fn html_error_page_is_kept() {
        let Err(Error::Api(err)) = parse_json::<Thing>(resp(502, "<html>Bad Gateway</html>"))
        else {
            panic!("expected api error")
        };
        assert!(err.errors.is_empty());
        assert_eq!(err.body, b"<html>Bad Gateway</html>");
        assert!(err.to_string().contains("Bad Gateway"));
    }

    #[test]
    fn raw_reads_empty_as_null() {
        assert_eq!(parse_raw(resp(204, "")).unwrap(), serde_json::Value::Null);
        assert_eq!(parse_raw(resp(200, r#"{"a":1}"#)).unwrap()["a"], 1);
    }
}

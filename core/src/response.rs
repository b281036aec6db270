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
    match from_json(&body) {
        Ok(value) => Ok(value),
        Err(failure) => Err(decode_error(status, body, &failure)),
    }
}

/// Why a body did not decode.
pub(crate) enum Failure {
    /// The body is not UTF-8 from this byte on (JSON text must be UTF-8).
    NotUtf8 {
        /// Where the first invalid (or cut off) character starts.
        offset: usize,
        /// Whether the body ends inside a character rather than holding an invalid byte.
        cut_off: bool,
    },
    /// `serde_json` refused it.
    Json(serde_json::Error),
}

/// Decodes a JSON body as `T`.
///
/// A failure is explained by decoding again (see [`explain`]). The body is checked as UTF-8
/// once, in one pass over all of it, and then read as a `str`:
/// `serde_json`'s slice reader would check each string again as it reads it, which costs more
/// than the single pass. A body that is not UTF-8 is therefore refused as a whole, even where
/// the bad bytes stand in a member that would have been skipped.
pub(crate) fn from_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, Failure> {
    match std::str::from_utf8(body) {
        Ok(text) => {
            serde_json::from_str(text).map_err(|err| Failure::Json(explain::<T>(text, err)))
        }
        Err(err) => Err(Failure::NotUtf8 {
            offset: err.valid_up_to(),
            cut_off: err.error_len().is_none(),
        }),
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

/// The failure to report for `text`, which failed to decode as `T` with `err`: the same text
/// decoded again while [`Explaining`](crate::de::Explaining), which places the failure of a
/// union's variant at the union (see [`crate::de::tagged`]). Only a failed body pays for it.
#[cold]
fn explain<T: DeserializeOwned>(text: &str, err: serde_json::Error) -> serde_json::Error {
    let _explaining = crate::de::Explaining::start();
    serde_json::from_str::<T>(text).err().unwrap_or(err)
}

/// [`Error::Decode`] for a 2xx body that did not decode, with the JSON path of the failure.
pub(crate) fn decode_error(status: http::StatusCode, body: Vec<u8>, failure: &Failure) -> Error {
    let (path, message) = match failure {
        Failure::Json(err) => (crate::json_path::path_of(&body, err), err.to_string()),
        Failure::NotUtf8 { offset, cut_off } => (
            crate::json_path::path_at(&body, *offset),
            if *cut_off {
                format!("the body is not UTF-8: it ends inside a character at byte {offset}")
            } else {
                format!("the body is not UTF-8: invalid byte at byte {offset}")
            },
        ),
    };
    Error::Decode(Box::new(DecodeError {
        status,
        path,
        message,
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
pub(crate) fn parse_raw(response: http::Response<Vec<u8>>) -> Result<serde_json::Value, Error> {
    if response.status().is_success() && response.body().iter().all(u8::is_ascii_whitespace) {
        return Ok(serde_json::Value::Null);
    }
    parse_json(response)
}

/// Reads `Retry-After`: a number of seconds (what Clerk sends), or an HTTP date, which is
/// turned into a wait by subtracting the response's own `Date` header, so no clock is read and
/// the server's clock is compared only with itself.
///
/// - Seconds are digits, optionally with a fractional part (`2.5`), read exactly.
/// - A number of seconds too large to represent (beyond `u64::MAX` seconds, such as twenty
///   nines) is [`Duration::MAX`]: "later than any cap", never "absent". [`RetryPolicy`]
///   never retries after it, whatever its limits, and the error returned carries it in
///   [`ApiError::retry_after`](crate::ApiError::retry_after).
/// - A date already past is a wait of zero.
/// - A date without a `Date` header, or anything unreadable (a sign, an exponent, `inf`, text),
///   is `None`, which leaves the wait to the retry policy's backoff.
///
/// [`RetryPolicy`]: crate::RetryPolicy
pub(crate) fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Some(wait) = delay_seconds(text) {
        return Some(wait);
    }
    let at = crate::http_date::parse(text)?;
    let now = crate::http_date::parse(headers.get(http::header::DATE)?.to_str().ok()?)?;
    Some(Duration::from_secs(at.saturating_sub(now)))
}

/// `1*DIGIT [ "." 1*DIGIT ]` as a wait, saturating at [`Duration::MAX`]; `None` for anything else.
/// No floating point: the fraction is read to the nanosecond, digits past the ninth dropped.
fn delay_seconds(text: &str) -> Option<Duration> {
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
        return None;
    }
    // Only digits: the one way this parse fails is a number beyond `u64::MAX`.
    let Ok(secs) = whole.parse::<u64>() else {
        return Some(Duration::MAX);
    };
    let nanos = fraction.map_or(0, |f| {
        f.bytes()
            .chain(std::iter::repeat(b'0'))
            .take(9)
            .fold(0_u32, |n, b| n * 10 + u32::from(b - b'0'))
    });
    // `nanos` < 1e9, so this never carries into (and never overflows) the seconds.
    Some(Duration::new(secs, nanos))
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
    fn a_body_that_is_not_utf8_is_a_decode_error_naming_where() {
        let mut body = br#"{"items":[{"n":1,"label":"caf"#.to_vec();
        body.push(0xff);
        body.extend_from_slice(br#""}]}"#);
        let Err(Error::Decode(err)) = parse_json::<Thing>(http::Response::new(body.clone())) else {
            panic!("expected a decode error");
        };
        assert_eq!(err.path, "items[0].label");
        assert!(
            err.message.contains("invalid byte at byte 29"),
            "{}",
            err.message
        );
        assert_eq!(err.body, body);
        let cut = "{\"items\":[{\"n\":1,\"label\":\"caf\u{e9}".as_bytes();
        let cut = cut.get(..cut.len() - 1).unwrap_or_default().to_vec();
        let Err(Error::Decode(err)) = parse_json::<Thing>(http::Response::new(cut)) else {
            panic!("expected a decode error");
        };
        assert_eq!(err.path, "items[0].label");
        assert!(
            err.message.contains("ends inside a character"),
            "{}",
            err.message
        );
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
    fn retry_after_too_large_to_represent_reads_as_the_longest_wait() {
        let retry_after = |value: &'static str| {
            let mut map = HeaderMap::new();
            map.insert("retry-after", http::HeaderValue::from_static(value));
            parse_retry_after(&map)
        };
        let max = Some(Duration::MAX);
        assert_eq!(retry_after("99999999999999999999"), max);
        assert_eq!(retry_after("18446744073709551616"), max, "u64::MAX + 1");
        assert_eq!(retry_after(&*"9".repeat(400).leak()), max);
        assert_eq!(retry_after("99999999999999999999.5"), max);
        assert_eq!(
            retry_after("18446744073709551615"),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(
            retry_after("1000000000.25"),
            Some(Duration::new(1_000_000_000, 250_000_000))
        );
        assert_eq!(retry_after("0.5"), Some(Duration::from_millis(500)));
        assert_eq!(retry_after(" 7 "), Some(Duration::from_secs(7)));
        for junk in [
            "-1", "inf", "NaN", "1e3", "1.", ".", "", "1.2.3", "0x10", "1 000",
        ] {
            assert_eq!(retry_after(junk), None, "{junk:?}");
        }
    }

    #[test]
    fn a_rate_limit_with_an_unrepresentable_wait_is_returned_not_retried() {
        let mut r = resp(429, r#"{"errors":[]}"#);
        r.headers_mut().insert(
            "retry-after",
            http::HeaderValue::from_static("99999999999999999999"),
        );
        let Err(Error::Api(err)) = parse_json::<Thing>(r) else {
            panic!("expected api error")
        };
        assert_eq!(err.retry_after, Some(Duration::MAX), "the wait is exposed");
        let outcome = crate::retry::Outcome::of_error(&Error::Api(err)).expect("an outcome");
        let unbounded = crate::RetryPolicy::default()
            .max_retry_after(Duration::MAX)
            .budget(Duration::MAX);
        for policy in [crate::RetryPolicy::default(), unbounded] {
            assert_eq!(
                policy.decide(&http::Method::GET, outcome, 1, Duration::ZERO, 0.5),
                crate::retry::RetryDecision::Stop,
                "{policy:?}"
            );
        }
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

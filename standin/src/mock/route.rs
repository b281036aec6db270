//! Which operation a request is for: path templates matched segment by segment, the most
//! specific template winning (`/users/count` over `/users/{user_id}`), as Clerk's router does.

use clerk_backend_core::Operation;
use clerk_backend_core::http::Method;

/// The path below the API's base: everything after the first `v1` segment (`/v1/users/u_1`
/// and `/proxy/clerk/v1/users/u_1` are both `/users/u_1`), or the whole path when it has none.
pub(crate) fn api_path(path: &str) -> &str {
    let mut offset = 0;
    for segment in path.split('/') {
        let end = offset + segment.len();
        if segment == "v1" {
            return path
                .get(end..)
                .filter(|rest| !rest.is_empty())
                .unwrap_or("/");
        }
        offset = end + 1;
    }
    path
}

/// The path parameters of `path` (below the base, still percent-encoded) when it fits
/// `template` (`/users/{user_id}`): their names and decoded values, in order.
pub(crate) fn template_match(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let mut wanted = template.split('/').filter(|s| !s.is_empty());
    let mut given = path.split('/').filter(|s| !s.is_empty());
    let mut parameters = Vec::new();
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return Some(parameters),
            (Some(want), Some(got)) => match parameter_name(want) {
                Some(name) => parameters.push((name.to_owned(), percent_decode(got))),
                None if want == got => {}
                None => return None,
            },
            _ => return None,
        }
    }
}

/// `user_id` for the template segment `{user_id}`.
fn parameter_name(segment: &str) -> Option<&str> {
    segment.strip_prefix('{')?.strip_suffix('}')
}

/// Whether template `a` is more specific than `b` for the same path: at the first segment
/// where one is a literal and the other a parameter, the literal wins.
fn more_specific(a: &str, b: &str) -> bool {
    let a = a.split('/').filter(|s| !s.is_empty());
    let b = b.split('/').filter(|s| !s.is_empty());
    for (x, y) in a.zip(b) {
        match (parameter_name(x).is_some(), parameter_name(y).is_some()) {
            (false, true) => return true,
            (true, false) => return false,
            _ => {}
        }
    }
    false
}

/// The operation a request with this method and path below the base is for: among every
/// operation core knows (the API groups enabled in this build) and `extra`, the one whose
/// template fits most specifically.
pub(crate) fn route<'a>(
    method: &Method,
    path: &str,
    extra: impl IntoIterator<Item = &'a Operation>,
) -> Option<&'a Operation> {
    let mut best: Option<&'a Operation> = None;
    let known: &'static [Operation] = clerk_backend_core::OPERATIONS;
    for operation in known.iter().chain(extra) {
        if operation.method != *method || template_match(operation.path, path).is_none() {
            continue;
        }
        best = match best {
            Some(current) if !more_specific(operation.path, current.path) => Some(current),
            _ => Some(operation),
        };
    }
    best
}

/// Decodes `%XX` escapes (and `+` as a space when `plus_is_space`); anything malformed is
/// kept as it was. Invalid UTF-8 is replaced.
pub(crate) fn percent_decode_with(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let escaped = (byte == b'%')
            .then(|| Some((hex(*bytes.get(i + 1)?)?, hex(*bytes.get(i + 2)?)?)))
            .flatten();
        match escaped {
            Some((high, low)) => {
                out.push(high << 4 | low);
                i += 3;
            }
            None => {
                out.push(if plus_is_space && byte == b'+' {
                    b' '
                } else {
                    byte
                });
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A path segment, decoded.
pub(crate) fn percent_decode(text: &str) -> String {
    percent_decode_with(text, false)
}

fn hex(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_path_is_below_the_first_v1_segment() {
        assert_eq!(api_path("/v1/users/u_1"), "/users/u_1");
        assert_eq!(api_path("/proxy/clerk/v1/jwks"), "/jwks");
        assert_eq!(api_path("/v1"), "/");
        assert_eq!(api_path("/users/v10"), "/users/v10");
    }

    #[test]
    fn templates_match_segment_by_segment() {
        assert_eq!(
            template_match("/users/{user_id}/ban", "/users/user%201/ban"),
            Some(vec![("user_id".to_owned(), "user 1".to_owned())])
        );
        assert_eq!(template_match("/users/{user_id}", "/users/u/ban"), None);
        assert_eq!(template_match("/users", "/users/"), Some(vec![]));
        assert_eq!(template_match("/users/{user_id}", "/users"), None);
    }

    #[test]
    fn the_literal_template_wins() {
        let count = Operation::new("Count", Method::GET, "/things/count", "T", false);
        let one = Operation::new("One", Method::GET, "/things/{id}", "T", false);
        let extra = [one.clone(), count.clone()];
        assert_eq!(route(&Method::GET, "/things/count", &extra), Some(&count));
        assert_eq!(route(&Method::GET, "/things/t_1", &extra), Some(&one));
        assert_eq!(route(&Method::POST, "/things/t_1", &extra), None);
    }

    #[test]
    fn escapes_decode_and_malformed_ones_stay() {
        assert_eq!(percent_decode_with("a%20b+c%2", true), "a b c%2");
        assert_eq!(percent_decode("a+b%C3%A9%zz"), "a+bé%zz");
    }
}

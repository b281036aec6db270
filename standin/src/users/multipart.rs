//! Just enough `multipart/form-data` (RFC 7578) to read an uploaded file.

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    /// The `name` of its `Content-Disposition: form-data`.
    pub(crate) name: String,
    /// The `filename`, when given.
    pub(crate) filename: Option<String>,
    pub(crate) data: Vec<u8>,
}

/// The value of parameter `key` in a header value like `form-data; name="file"` (quoted or
/// not). Parameter names are case-insensitive.
fn parameter(header_value: &str, key: &str) -> Option<String> {
    let mut rest = header_value.split_once(';')?.1;
    loop {
        rest = rest.trim_start_matches([' ', '\t', ';']);
        if rest.is_empty() {
            return None;
        }
        let (name, after) = rest.split_once('=')?;
        let name = name.trim();
        let after = after.trim_start();
        let (value, remaining) = if let Some(quoted) = after.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, escaped)) = chars.next() {
                            value.push(escaped);
                        }
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    c => value.push(c),
                }
            }
            (value, quoted.get(end..).unwrap_or(""))
        } else {
            let end = after.find(';').unwrap_or(after.len());
            (
                after.get(..end).unwrap_or("").trim().to_string(),
                after.get(end..).unwrap_or(""),
            )
        };
        if name.eq_ignore_ascii_case(key) {
            return Some(value);
        }
        rest = remaining;
    }
}

/// The boundary of a `multipart/form-data` content type, if it is one.
pub(crate) fn boundary(content_type: &str) -> Option<String> {
    let media_type = content_type.split(';').next()?.trim();
    if !media_type.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    parameter(content_type, "boundary").filter(|b| !b.is_empty() && b.len() <= 200)
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let first = *needle.first()?;
    let mut at = from;
    while let Some(rest) = haystack.get(at..) {
        let offset = rest.iter().position(|b| *b == first)?;
        let start = at + offset;
        if haystack.get(start..start + needle.len())? == needle {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

/// Splits a multipart body into its parts; `None` when it is malformed.
pub(crate) fn parse(body: &[u8], boundary: &str) -> Option<Vec<Part>> {
    let delimiter = format!("--{boundary}").into_bytes();
    let mut close = b"\r\n".to_vec();
    close.extend_from_slice(&delimiter);
    // The first delimiter opens the body (possibly after a preamble).
    let mut at = if body.starts_with(&delimiter) {
        0
    } else {
        find(body, &close, 0)? + 2
    } + delimiter.len();
    let mut parts = Vec::new();
    loop {
        let rest = body.get(at..)?;
        if rest.starts_with(b"--") {
            return Some(parts);
        }
        // Transport padding, then CRLF.
        let padding = rest
            .iter()
            .take_while(|b| **b == b' ' || **b == b'\t')
            .count();
        at += padding;
        if !body.get(at..)?.starts_with(b"\r\n") {
            return None;
        }
        at += 2;
        if body.get(at..)?.starts_with(b"\r\n") {
            // No headers, so no Content-Disposition naming the part.
            return None;
        }
        let headers_end = find(body, b"\r\n\r\n", at)?;
        let headers = String::from_utf8_lossy(body.get(at..headers_end)?).into_owned();
        let data_start = headers_end + 4;
        let data_end = find(body, &close, data_start)?;
        let mut name = None;
        let mut filename = None;
        for line in headers.split("\r\n") {
            if let Some((header, value)) = line.split_once(':')
                && header.trim().eq_ignore_ascii_case("content-disposition")
            {
                name = parameter(value, "name");
                filename = parameter(value, "filename");
            }
        }
        parts.push(Part {
            name: name?,
            filename,
            data: body.get(data_start..data_end)?.to_vec(),
        });
        at = data_end + close.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries() {
        assert_eq!(
            boundary("multipart/form-data; boundary=abc").as_deref(),
            Some("abc")
        );
        assert_eq!(
            boundary("Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b;c\"").as_deref(),
            Some("a b;c")
        );
        assert_eq!(boundary("application/json"), None);
        assert_eq!(boundary("multipart/form-data"), None);
    }

    #[test]
    fn parts() {
        let body = b"preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\
            \x89PNG\r\n--X\r\n--XyZ--\r\n";
        let parts = parse(body, "XyZ").unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "note");
        assert_eq!(parts[0].data, b"hi");
        assert_eq!(parts[1].name, "file");
        assert_eq!(parts[1].filename.as_deref(), Some("a.png"));
        assert_eq!(parts[1].data, b"\x89PNG\r\n--X");
        assert_eq!(
            parse(
                b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated",
                "XyZ"
            ),
            None
        );
        assert_eq!(parse(b"nothing here", "XyZ"), None);
    }
}

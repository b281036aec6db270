//! A small HTTP/1.1 server on 127.0.0.1 that hands every request to a closure, for tests and the
//! quickstart.
//!
//! One thread per connection; persistent connections (HTTP/1.1 keep-alive, `Connection: close`
//! honoured, pipelining works); request bodies framed by `Content-Length` or
//! `Transfer-Encoding: chunked`; `Expect: 100-continue` answered. The handler sees the method, the
//! request-target exactly as it arrived (percent-escapes are *not* decoded), the headers and the
//! body bytes.
//!
//! Limits: [`MAX_HEADER_BYTES`] for the request line plus headers (and, separately, for chunked
//! trailers) and [`MAX_BODY_BYTES`] for a body. Going over either is answered with
//! `413 Payload Too Large`; a malformed request (bad request line, header, framing, or a target
//! that is not a valid [`http::Uri`]) with `400 Bad Request`; both without calling the handler,
//! and the connection is closed. A handler that panics is answered with `500` and the connection
//! closed; the server itself never panics.
//!
//! # Responses
//!
//! The status line is always `HTTP/1.1`. The handler's headers are written as they are, plus
//! `Content-Length` (the body length) unless the handler set one itself, plus
//! `Connection: keep-alive` or `Connection: close`. A handler-set `Transfer-Encoding: chunked`
//! makes the server chunk-encode the body instead. No body is written for `HEAD` requests or
//! `1xx`/`204`/`304` statuses. The connection is closed after the response when the request
//! asked for it (`Connection: close`, or HTTP/1.0 without `Connection: keep-alive`), when the
//! handler's response carries `Connection: close`, when a handler-set `Content-Length` does not
//! match the body, or when a test hook asks for it.
//!
//! # Test hooks
//!
//! Two response headers, removed before the response is written, simulate misbehaving servers:
//!
//! - [`TRUNCATE_AT_HEADER`] (`x-standin-truncate-at: N`): the full `Content-Length` is announced
//!   but only the first `N` bytes of the body (as it would appear on the wire) are written, then
//!   the connection is closed (also when `N` is not less than the body length).
//! - [`DELAY_MS_HEADER`] (`x-standin-delay-ms: N`): the server sleeps `N` milliseconds before
//!   writing anything of the response (the sleep ends early when the server is dropped).
//!
//! A hook value that is not a non-negative integer is ignored (the header is still removed).
//!
//! # Shutdown
//!
//! Dropping the [`Server`] stops accepting, shuts every open connection down and joins the
//! threads. A handler that is still running gets a grace period ([`SHUTDOWN_GRACE`]); threads
//! still busy after it are left to finish on their own.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use http::header::{CONNECTION, CONTENT_LENGTH, EXPECT, TRANSFER_ENCODING};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Version};

/// The most bytes accepted for a request line plus its headers (and for chunked trailers).
pub const MAX_HEADER_BYTES: usize = 64 * 1024;

/// The most bytes accepted for a request body (after chunked decoding).
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// Response header hook: announce the full `Content-Length`, write only the first `N` body
/// bytes, then close the connection. Removed from the response before it is written.
pub const TRUNCATE_AT_HEADER: &str = "x-standin-truncate-at";

/// Response header hook: sleep `N` milliseconds before writing the response. Removed from the
/// response before it is written.
pub const DELAY_MS_HEADER: &str = "x-standin-delay-ms";

/// How long dropping a [`Server`] waits for connection threads still running a handler.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// Longest line accepted in a chunked body's framing (chunk size and extensions).
const MAX_CHUNK_LINE_BYTES: usize = 4 * 1024;

type Handler = dyn Fn(http::Request<Vec<u8>>) -> http::Response<Vec<u8>> + Send + Sync;

/// A running HTTP/1.1 server on `127.0.0.1`; dropping it stops it.
///
/// ```
/// use clerk_backend_testkit::server::Server;
///
/// let server = Server::start(|_request| http::Response::new(b"hello".to_vec()))?;
/// assert!(server.url().starts_with("http://127.0.0.1:"));
/// assert_eq!(server.requests_seen(), 0);
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

struct Shared {
    handler: Box<Handler>,
    shutdown: AtomicBool,
    requests_seen: AtomicUsize,
    connections: Mutex<Connections>,
}

#[derive(Default)]
struct Connections {
    next_id: u64,
    /// A handle on every open connection, to shut it down when the server is dropped.
    open: HashMap<u64, TcpStream>,
    threads: Vec<JoinHandle<()>>,
}

impl Shared {
    fn connections(&self) -> MutexGuard<'_, Connections> {
        self.connections
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn stopping(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("addr", &self.addr)
            .field("requests_seen", &self.requests_seen())
            .finish_non_exhaustive()
    }
}

impl Server {
    /// Binds `127.0.0.1` on a free port and starts serving every request with `handler`, each
    /// connection on its own thread.
    ///
    /// # Errors
    /// When the socket cannot be bound or the accepting thread cannot be spawned.
    pub fn start<H>(handler: H) -> io::Result<Server>
    where
        H: Fn(http::Request<Vec<u8>>) -> http::Response<Vec<u8>> + Send + Sync + 'static,
    {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            handler: Box::new(handler),
            shutdown: AtomicBool::new(false),
            requests_seen: AtomicUsize::new(0),
            connections: Mutex::new(Connections::default()),
        });
        let accept_shared = Arc::clone(&shared);
        let acceptor = thread::Builder::new()
            .name(format!("standin-accept-{}", addr.port()))
            .spawn(move || accept_loop(&listener, &accept_shared))?;
        Ok(Server {
            addr,
            shared,
            acceptor: Some(acceptor),
        })
    }

    /// The base URL, `http://127.0.0.1:<port>` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many requests have been handed to the handler so far. A request is counted before
    /// its response is written, so a client that has read a response sees it counted.
    pub fn requests_seen(&self) -> usize {
        self.shared.requests_seen.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        // Wake the acceptor blocked in `accept`; it sees the flag and returns.
        let woke = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1)).is_ok();
        if let Some(acceptor) = self.acceptor.take()
            && woke
        {
            let _ = acceptor.join();
        }
        let mut pending = {
            let mut connections = self.shared.connections();
            for stream in connections.open.values() {
                let _ = stream.shutdown(Shutdown::Both);
            }
            std::mem::take(&mut connections.threads)
        };
        let deadline = Instant::now() + SHUTDOWN_GRACE;
        while !pending.is_empty() {
            let (finished, running): (Vec<_>, Vec<_>) =
                pending.into_iter().partition(|t| t.is_finished());
            for thread in finished {
                let _ = thread.join();
            }
            pending = running;
            if pending.is_empty() || Instant::now() >= deadline {
                break;
            }
            thread::sleep(Duration::from_millis(1));
        }
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    loop {
        let accepted = listener.accept();
        if shared.stopping() {
            break;
        }
        match accepted {
            Ok((stream, _peer)) => spawn_connection(shared, stream),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            // Out of file descriptors and the like: do not spin.
            Err(_) => thread::sleep(Duration::from_millis(5)),
        }
    }
}

fn spawn_connection(shared: &Arc<Shared>, stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let Ok(handle) = stream.try_clone() else {
        return;
    };
    let mut connections = shared.connections();
    // Checked under the lock `Drop` takes to shut connections down: no connection slips by.
    if shared.stopping() {
        return;
    }
    connections.threads.retain(|t| !t.is_finished());
    let id = connections.next_id;
    connections.next_id = connections.next_id.wrapping_add(1);
    let thread_shared = Arc::clone(shared);
    let spawned = thread::Builder::new()
        .name(format!("standin-conn-{id}"))
        .spawn(move || {
            serve_connection(&thread_shared, stream);
            thread_shared.connections().open.remove(&id);
        });
    if let Ok(thread) = spawned {
        connections.open.insert(id, handle);
        connections.threads.push(thread);
    }
}

/// Why no request could be read.
#[derive(Debug)]
enum ReadError {
    /// The peer went away or the socket failed: close without answering.
    Closed,
    /// The request is refused: answer with this status and close.
    Reject(StatusCode, &'static str),
}

impl From<io::Error> for ReadError {
    fn from(_: io::Error) -> Self {
        ReadError::Closed
    }
}

/// One request read off a connection.
struct Incoming {
    request: http::Request<Vec<u8>>,
    /// The client asked to close the connection after this exchange.
    close: bool,
}

fn serve_connection(shared: &Shared, stream: TcpStream) {
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while !shared.stopping() {
        let incoming = match read_request(&mut reader, &mut writer) {
            Ok(Some(incoming)) => incoming,
            Ok(None) | Err(ReadError::Closed) => break,
            Err(ReadError::Reject(status, reason)) => {
                let mut response = http::Response::new(format!("{reason}\n").into_bytes());
                *response.status_mut() = status;
                response.headers_mut().insert(
                    http::header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; charset=utf-8"),
                );
                let exchange = Exchange {
                    head_request: false,
                    client_close: true,
                };
                if write_response(&mut writer, response, exchange, shared).is_ok() {
                    linger(&mut reader, &mut writer);
                }
                break;
            }
        };
        let exchange = Exchange {
            head_request: incoming.request.method() == Method::HEAD,
            client_close: incoming.close,
        };
        let response = match catch_unwind(AssertUnwindSafe(|| (shared.handler)(incoming.request))) {
            Ok(response) => response,
            Err(_) => {
                let mut response = http::Response::new(b"the handler panicked\n".to_vec());
                *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
                response
                    .headers_mut()
                    .insert(CONNECTION, HeaderValue::from_static("close"));
                response
            }
        };
        shared.requests_seen.fetch_add(1, Ordering::SeqCst);
        match write_response(&mut writer, response, exchange, shared) {
            Ok(true) => {}
            Ok(false) | Err(_) => break,
        }
    }
    let _ = writer.flush();
    let _ = writer.shutdown(Shutdown::Write);
}

/// After refusing a request, reads (and drops) what the client may still be sending for a
/// moment, so closing the socket does not reset the connection before the client reads the
/// answer.
fn linger(reader: &mut BufReader<TcpStream>, writer: &mut TcpStream) {
    let _ = writer.shutdown(Shutdown::Write);
    let _ = reader
        .get_ref()
        .set_read_timeout(Some(Duration::from_millis(20)));
    let deadline = Instant::now() + Duration::from_millis(250);
    let mut sink = [0u8; 8192];
    let mut drained = 0usize;
    while Instant::now() < deadline && drained < 4 * 1024 * 1024 {
        match reader.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained = drained.saturating_add(n),
        }
    }
}

/// Reads one line ending in `\n` (a preceding `\r` is dropped too), spending at most `budget`
/// bytes. `Ok(None)` when the stream ended before any byte.
fn read_line<R: BufRead>(reader: &mut R, budget: &mut usize) -> Result<Option<Vec<u8>>, ReadError> {
    let mut line = Vec::new();
    let limit = u64::try_from(*budget).unwrap_or(u64::MAX);
    let read = reader.take(limit).read_until(b'\n', &mut line)?;
    *budget = budget.saturating_sub(read);
    if line.last() != Some(&b'\n') {
        return if *budget == 0 {
            Err(ReadError::Reject(
                StatusCode::PAYLOAD_TOO_LARGE,
                "request header section too large",
            ))
        } else if read == 0 {
            Ok(None)
        } else {
            Err(ReadError::Closed)
        };
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Some(line))
}

fn bad(reason: &'static str) -> ReadError {
    ReadError::Reject(StatusCode::BAD_REQUEST, reason)
}

fn too_large(reason: &'static str) -> ReadError {
    ReadError::Reject(StatusCode::PAYLOAD_TOO_LARGE, reason)
}

fn is_ows(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn trim_ows(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !is_ows(*b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_ows(*b))
        .map_or(start, |i| i + 1);
    bytes.get(start..end).unwrap_or_default()
}

/// The comma-separated tokens of every value of `name`, trimmed and lowercased.
fn header_tokens(headers: &HeaderMap, name: &HeaderName) -> Vec<String> {
    headers
        .get_all(name)
        .iter()
        .flat_map(|value| value.as_bytes().split(|b| *b == b','))
        .map(|token| String::from_utf8_lossy(trim_ows(token)).to_ascii_lowercase())
        .filter(|token| !token.is_empty())
        .collect()
}

/// How the request body is framed.
enum Framing {
    None,
    Length(usize),
    Chunked,
}

/// Reads the next request. `Ok(None)` when the client closed the connection between requests.
fn read_request(
    reader: &mut BufReader<TcpStream>,
    writer: &mut TcpStream,
) -> Result<Option<Incoming>, ReadError> {
    let mut budget = MAX_HEADER_BYTES;
    // Empty lines before a request line are ignored (RFC 9112 §2.2).
    let request_line = loop {
        match read_line(reader, &mut budget)? {
            None => return Ok(None),
            Some(line) if line.is_empty() => continue,
            Some(line) => break line,
        }
    };
    let mut parts = request_line.split(|b| *b == b' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("malformed request line"));
    };
    let method = Method::from_bytes(method).map_err(|_| bad("invalid method"))?;
    let version = match version {
        b"HTTP/1.1" => Version::HTTP_11,
        b"HTTP/1.0" => Version::HTTP_10,
        v if v.starts_with(b"HTTP/") => {
            return Err(ReadError::Reject(
                StatusCode::HTTP_VERSION_NOT_SUPPORTED,
                "only HTTP/1.0 and HTTP/1.1 are supported",
            ));
        }
        _ => return Err(bad("malformed HTTP version")),
    };
    if target.is_empty() {
        return Err(bad("empty request target"));
    }
    let uri = http::Uri::try_from(target).map_err(|_| bad("invalid request target"))?;

    let mut headers = HeaderMap::new();
    loop {
        let Some(line) = read_line(reader, &mut budget)? else {
            return Err(ReadError::Closed);
        };
        if line.is_empty() {
            break;
        }
        if line.first().copied().is_some_and(is_ows) {
            return Err(bad("obsolete header line folding"));
        }
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            return Err(bad("header line without a colon"));
        };
        let (name, value) = line.split_at(colon);
        let name = HeaderName::from_bytes(name).map_err(|_| bad("invalid header name"))?;
        let value = HeaderValue::from_bytes(trim_ows(value.get(1..).unwrap_or_default()))
            .map_err(|_| bad("invalid header value"))?;
        headers
            .try_append(name, value)
            .map_err(|_| too_large("too many headers"))?;
    }

    let connection = header_tokens(&headers, &CONNECTION);
    let close = match version {
        Version::HTTP_10 => !connection.iter().any(|t| t == "keep-alive"),
        _ => connection.iter().any(|t| t == "close"),
    };

    let framing = framing(&headers, version)?;
    let expects_continue = version == Version::HTTP_11
        && headers
            .get(EXPECT)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
    let has_body =
        matches!(framing, Framing::Chunked) || matches!(framing, Framing::Length(n) if n > 0);
    if expects_continue && has_body {
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        writer.flush()?;
    }
    let body = match framing {
        Framing::None => Vec::new(),
        Framing::Length(length) => read_exact_body(reader, length)?,
        Framing::Chunked => read_chunked_body(reader)?,
    };

    let mut request = http::Request::new(body);
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    *request.version_mut() = version;
    *request.headers_mut() = headers;
    Ok(Some(Incoming { request, close }))
}

fn framing(headers: &HeaderMap, version: Version) -> Result<Framing, ReadError> {
    if headers.contains_key(TRANSFER_ENCODING) {
        if headers.contains_key(CONTENT_LENGTH) {
            return Err(bad("both Transfer-Encoding and Content-Length"));
        }
        if version == Version::HTTP_10 {
            return Err(bad("Transfer-Encoding in an HTTP/1.0 request"));
        }
        let codings = header_tokens(headers, &TRANSFER_ENCODING);
        return match codings.as_slice() {
            [only] if only == "chunked" => Ok(Framing::Chunked),
            [.., last] if last == "chunked" => Err(ReadError::Reject(
                StatusCode::NOT_IMPLEMENTED,
                "only the chunked transfer coding is supported",
            )),
            _ => Err(bad("the last transfer coding must be chunked")),
        };
    }
    let mut length: Option<usize> = None;
    for value in headers.get_all(CONTENT_LENGTH) {
        for token in value.as_bytes().split(|b| *b == b',') {
            let token = trim_ows(token);
            if token.is_empty() || !token.iter().all(u8::is_ascii_digit) {
                return Err(bad("invalid Content-Length"));
            }
            let parsed = std::str::from_utf8(token)
                .ok()
                .and_then(|t| t.parse::<u64>().ok());
            // Too many digits for a u64 is certainly too large.
            let parsed = parsed
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(usize::MAX);
            match length {
                Some(previous) if previous != parsed => {
                    return Err(bad("conflicting Content-Length values"));
                }
                _ => length = Some(parsed),
            }
        }
    }
    match length {
        None | Some(0) => Ok(Framing::None),
        Some(n) if n > MAX_BODY_BYTES => Err(too_large("request body too large")),
        Some(n) => Ok(Framing::Length(n)),
    }
}

fn read_exact_body<R: Read>(reader: &mut R, length: usize) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::with_capacity(length.min(1 << 20));
    let limit = u64::try_from(length).unwrap_or(u64::MAX);
    reader.take(limit).read_to_end(&mut body)?;
    if body.len() == length {
        Ok(body)
    } else {
        Err(ReadError::Closed)
    }
}

fn read_chunked_body<R: BufRead>(reader: &mut R) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    loop {
        let mut budget = MAX_CHUNK_LINE_BYTES;
        let line = read_line(reader, &mut budget)
            .map_err(|e| match e {
                ReadError::Reject(..) => bad("chunk size line too long"),
                closed => closed,
            })?
            .ok_or(ReadError::Closed)?;
        let size = line.split(|b| *b == b';').next().unwrap_or_default();
        let size = trim_ows(size);
        if size.is_empty() || size.len() > 16 || !size.iter().all(u8::is_ascii_hexdigit) {
            return Err(bad("invalid chunk size"));
        }
        let size = std::str::from_utf8(size)
            .ok()
            .and_then(|s| u64::from_str_radix(s, 16).ok())
            .ok_or_else(|| bad("invalid chunk size"))?;
        if size == 0 {
            break;
        }
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        if size > MAX_BODY_BYTES.saturating_sub(body.len()) {
            return Err(too_large("request body too large"));
        }
        let chunk = read_exact_body(reader, size)?;
        body.extend_from_slice(&chunk);
        let mut budget = 2;
        match read_line(reader, &mut budget) {
            Ok(Some(end)) if end.is_empty() => {}
            Ok(None) | Err(ReadError::Closed) => return Err(ReadError::Closed),
            Ok(Some(_)) | Err(ReadError::Reject(..)) => {
                return Err(bad("chunk data not followed by CRLF"));
            }
        }
    }
    // Trailer section: read and dropped.
    let mut budget = MAX_HEADER_BYTES;
    loop {
        match read_line(reader, &mut budget)? {
            None => return Err(ReadError::Closed),
            Some(line) if line.is_empty() => break,
            Some(_) => {}
        }
    }
    Ok(body)
}

/// What the response writer needs to know about the request.
#[derive(Clone, Copy)]
struct Exchange {
    head_request: bool,
    client_close: bool,
}

/// Removes a hook header and returns its value as a number, if it is one.
fn take_hook(headers: &mut HeaderMap, name: &'static str) -> Option<u64> {
    // `remove` drops every value of the header and returns the first.
    let value = headers.remove(name)?;
    std::str::from_utf8(trim_ows(value.as_bytes()))
        .ok()?
        .parse()
        .ok()
}

fn chunk_encode(body: &[u8]) -> Vec<u8> {
    let mut wire = Vec::with_capacity(body.len().saturating_add(64));
    for chunk in body.chunks(16 * 1024) {
        wire.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        wire.extend_from_slice(chunk);
        wire.extend_from_slice(b"\r\n");
    }
    wire.extend_from_slice(b"0\r\n\r\n");
    wire
}

/// Sleeps `duration`, waking early when the server is shutting down.
fn sleep_unless_stopping(duration: Duration, shared: &Shared) {
    // `None` (too far in the future to represent): sleep until the server stops.
    let deadline = Instant::now().checked_add(duration);
    loop {
        let left = match deadline {
            Some(deadline) => deadline.saturating_duration_since(Instant::now()),
            None => Duration::MAX,
        };
        if left.is_zero() || shared.stopping() {
            return;
        }
        thread::sleep(left.min(Duration::from_millis(10)));
    }
}

/// Writes `response`; `Ok(true)` when the connection stays open for another request.
fn write_response(
    writer: &mut TcpStream,
    response: http::Response<Vec<u8>>,
    exchange: Exchange,
    shared: &Shared,
) -> io::Result<bool> {
    let (mut parts, body) = response.into_parts();
    let truncate_at = take_hook(&mut parts.headers, TRUNCATE_AT_HEADER);
    let delay_ms = take_hook(&mut parts.headers, DELAY_MS_HEADER);
    let handler_close = header_tokens(&parts.headers, &CONNECTION)
        .iter()
        .any(|t| t == "close");
    parts.headers.remove(CONNECTION);

    let status = parts.status;
    let bodiless = status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED;
    let chunked = !bodiless
        && header_tokens(&parts.headers, &TRANSFER_ENCODING)
            .last()
            .is_some_and(|t| t == "chunked");
    let mut length_mismatch = false;
    if !bodiless && !chunked {
        match parts.headers.get(CONTENT_LENGTH) {
            Some(given) => {
                length_mismatch = given.as_bytes() != body.len().to_string().as_bytes();
            }
            None => {
                // Fails only for a map already holding the maximum number of headers.
                let _ = parts
                    .headers
                    .try_insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
            }
        }
    }
    let close = exchange.client_close
        || handler_close
        || truncate_at.is_some()
        || (length_mismatch && !exchange.head_request)
        || shared.stopping();

    let mut wire = Vec::with_capacity(body.len().saturating_add(512));
    let reason = status.canonical_reason().unwrap_or("");
    wire.extend_from_slice(format!("HTTP/1.1 {} {reason}\r\n", status.as_u16()).as_bytes());
    for (name, value) in &parts.headers {
        wire.extend_from_slice(name.as_str().as_bytes());
        wire.extend_from_slice(b": ");
        wire.extend_from_slice(value.as_bytes());
        wire.extend_from_slice(b"\r\n");
    }
    wire.extend_from_slice(if close {
        b"connection: close\r\n\r\n".as_slice()
    } else {
        b"connection: keep-alive\r\n\r\n".as_slice()
    });
    if !bodiless && !exchange.head_request {
        let encoded;
        let body_on_wire: &[u8] = if chunked {
            encoded = chunk_encode(&body);
            &encoded
        } else {
            &body
        };
        let cut = truncate_at
            .and_then(|n| usize::try_from(n).ok())
            .map_or(body_on_wire.len(), |n| n.min(body_on_wire.len()));
        wire.extend_from_slice(body_on_wire.get(..cut).unwrap_or_default());
    }

    if let Some(ms) = delay_ms {
        sleep_unless_stopping(Duration::from_millis(ms), shared);
    }
    writer.write_all(&wire)?;
    writer.flush()?;
    Ok(!close)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpStream;

    /// A parsed response read off a client socket.
    #[derive(Debug)]
    struct Answer {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    }

    impl Answer {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        }
    }

    /// Reads one Content-Length-framed response (or one with no body for HEAD).
    fn read_answer(reader: &mut BufReader<TcpStream>, head: bool) -> Answer {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let status = line.split(' ').nth(1).unwrap().parse().unwrap();
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').unwrap();
            headers.push((name.to_string(), value.trim().to_string()));
        }
        let mut answer = Answer {
            status,
            headers,
            body: Vec::new(),
        };
        if !head {
            let length: usize = answer
                .header("content-length")
                .unwrap_or("0")
                .parse()
                .unwrap();
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            answer.body = body;
        }
        answer
    }

    fn connect(server: &Server) -> (TcpStream, BufReader<TcpStream>) {
        let stream = TcpStream::connect(server.addr()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let reader = BufReader::new(stream.try_clone().unwrap());
        (stream, reader)
    }

    /// Echoes method, target, a few headers and the body length, as text.
    fn echo_server() -> Server {
        Server::start(|request: http::Request<Vec<u8>>| {
            let text = format!(
                "{} {} {:?} x-test={} body={}",
                request.method(),
                request.uri(),
                request.version(),
                request
                    .headers()
                    .get("x-test")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-"),
                String::from_utf8_lossy(request.body()),
            );
            http::Response::new(text.into_bytes())
        })
        .unwrap()
    }

    #[test]
    fn keep_alive_serves_two_requests_on_one_connection() {
        let server = echo_server();
        let (mut stream, mut reader) = connect(&server);
        stream
            .write_all(b"GET /one HTTP/1.1\r\nHost: x\r\nX-TEST: a\r\n\r\n")
            .unwrap();
        let first = read_answer(&mut reader, false);
        assert_eq!(first.status, 200);
        assert_eq!(first.header("connection"), Some("keep-alive"));
        assert_eq!(first.body, b"GET /one HTTP/1.1 x-test=a body=");
        stream
            .write_all(b"POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
            .unwrap();
        let second = read_answer(&mut reader, false);
        assert_eq!(second.header("connection"), Some("close"));
        assert_eq!(second.body, b"POST /two HTTP/1.1 x-test=- body=hello");
        // The server closes after `Connection: close`.
        let mut rest = Vec::new();
        assert_eq!(reader.read_to_end(&mut rest).unwrap(), 0);
        assert_eq!(server.requests_seen(), 2);
    }

    #[test]
    fn pipelined_requests_and_http10_default_close() {
        let server = echo_server();
        let (mut stream, mut reader) = connect(&server);
        stream
            .write_all(b"GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\nGET /c HTTP/1.0\r\n\r\n")
            .unwrap();
        assert!(read_answer(&mut reader, false).body.starts_with(b"GET /a "));
        assert!(read_answer(&mut reader, false).body.starts_with(b"GET /b "));
        let last = read_answer(&mut reader, false);
        assert!(last.body.starts_with(b"GET /c HTTP/1.0"));
        assert_eq!(last.header("connection"), Some("close"));
        let mut rest = Vec::new();
        assert_eq!(reader.read_to_end(&mut rest).unwrap(), 0);
    }

    #[test]
    fn chunked_request_body_is_decoded() {
        let server = echo_server();
        let (mut stream, mut reader) = connect(&server);
        stream
            .write_all(
                b"POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\
                  5;ext=1\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n",
            )
            .unwrap();
        let answer = read_answer(&mut reader, false);
        assert_eq!(answer.status, 200);
        assert_eq!(
            answer.body,
            b"POST /c HTTP/1.1 x-test=- body=hello 0123456789"
        );
        // The connection is still usable afterwards.
        stream.write_all(b"GET /after HTTP/1.1\r\n\r\n").unwrap();
        assert!(
            read_answer(&mut reader, false)
                .body
                .starts_with(b"GET /after ")
        );
    }

    #[test]
    fn raw_percent_encoded_target_is_preserved() {
        let server = echo_server();
        let (mut stream, mut reader) = connect(&server);
        stream
            .write_all(b"GET /v1/users/user%2F1%20x?email_address=a%40b.c&q=%2B HTTP/1.1\r\n\r\n")
            .unwrap();
        let answer = read_answer(&mut reader, false);
        assert_eq!(
            answer.body,
            b"GET /v1/users/user%2F1%20x?email_address=a%40b.c&q=%2B HTTP/1.1 x-test=- body="
        );
    }

    #[test]
    fn handler_sees_raw_path() {
        let server = Server::start(|request: http::Request<Vec<u8>>| {
            http::Response::new(request.uri().path().as_bytes().to_vec())
        })
        .unwrap();
        let (mut stream, mut reader) = connect(&server);
        stream
            .write_all(b"DELETE /a%2e%2E/b%2F HTTP/1.1\r\n\r\n")
            .unwrap();
        assert_eq!(read_answer(&mut reader, false).body, b"/a%2e%2E/b%2F");
    }

    #[test]
    fn truncation_hook_announces_full_length_then_closes() {
        let server = Server::start(|_| {
            let mut response = http::Response::new(b"0123456789abcdef".to_vec());
            response
                .headers_mut()
                .insert(TRUNCATE_AT_HEADER, HeaderValue::from_static("4"));
            response
        })
        .unwrap();
        let (mut stream, mut reader) = connect(&server);
        stream.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        reader.read_to_end(&mut raw).unwrap();
        let raw = String::from_utf8(raw).unwrap();
        assert!(raw.starts_with("HTTP/1.1 200 OK\r\n"), "{raw}");
        assert!(raw.contains("content-length: 16\r\n"), "{raw}");
        assert!(raw.contains("connection: close\r\n"), "{raw}");
        assert!(!raw.contains(TRUNCATE_AT_HEADER), "{raw}");
        assert!(raw.ends_with("\r\n\r\n0123"), "{raw}");
    }

    #[test]
    fn delay_hook_sleeps_and_is_stripped() {
        let server = Server::start(|_| {
            let mut response = http::Response::new(b"late".to_vec());
            response
                .headers_mut()
                .insert(DELAY_MS_HEADER, HeaderValue::from_static("150"));
            response
        })
        .unwrap();
        let (mut stream, mut reader) = connect(&server);
        let started = Instant::now();
        stream.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
        let answer = read_answer(&mut reader, false);
        assert!(started.elapsed() >= Duration::from_millis(150));
        assert_eq!(answer.body, b"late");
        assert_eq!(answer.header(DELAY_MS_HEADER), None);
        assert_eq!(answer.header("connection"), Some("keep-alive"));
    }

    #[test]
    fn malformed_requests_get_400_without_calling_the_handler() {
        let server = echo_server();
        for raw in [
            &b"GET /a b HTTP/1.1\r\n\r\n"[..],
            b"GET /\x7f HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nbad header\r\n\r\n",
            b"GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n",
            b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            b"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n",
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
        ] {
            let (mut stream, mut reader) = connect(&server);
            stream.write_all(raw).unwrap();
            let answer = read_answer(&mut reader, false);
            assert_eq!(answer.status, 400, "{}", String::from_utf8_lossy(raw));
            assert_eq!(answer.header("connection"), Some("close"));
        }
        assert_eq!(server.requests_seen(), 0);
    }

    #[test]
    fn oversized_requests_get_413() {
        let server = echo_server();
        let (mut stream, mut reader) = connect(&server);
        let header = format!("X-Big: {}\r\n", "a".repeat(MAX_HEADER_BYTES));
        stream.write_all(b"GET / HTTP/1.1\r\n").unwrap();
        stream.write_all(header.as_bytes()).unwrap();
        assert_eq!(read_answer(&mut reader, false).status, 413);

        let (mut stream, mut reader) = connect(&server);
        let request = format!(
            "POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY_BYTES + 1
        );
        stream.write_all(request.as_bytes()).unwrap();
        assert_eq!(read_answer(&mut reader, false).status, 413);

        let (mut stream, mut reader) = connect(&server);
        let request = format!(
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n",
            MAX_BODY_BYTES + 1
        );
        stream.write_all(request.as_bytes()).unwrap();
        assert_eq!(read_answer(&mut reader, false).status, 413);
        assert_eq!(server.requests_seen(), 0);
    }

    #[test]
    fn expect_continue_head_and_handler_headers() {
        let server = Server::start(|request: http::Request<Vec<u8>>| {
            let mut response = http::Response::new(request.body().clone());
            *response.status_mut() = StatusCode::CREATED;
            response
                .headers_mut()
                .insert("x-clerk-trace-id", HeaderValue::from_static("trace"));
            response
        })
        .unwrap();
        let (mut stream, mut reader) = connect(&server);
        stream
            .write_all(b"PUT /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n")
            .unwrap();
        let interim = read_answer(&mut reader, true);
        assert_eq!(interim.status, 100);
        stream.write_all(b"abc").unwrap();
        let answer = read_answer(&mut reader, false);
        assert_eq!(answer.status, 201);
        assert_eq!(answer.header("x-clerk-trace-id"), Some("trace"));
        assert_eq!(answer.body, b"abc");

        stream.write_all(b"HEAD /x HTTP/1.1\r\n\r\n").unwrap();
        let head = read_answer(&mut reader, true);
        assert_eq!(head.header("content-length"), Some("0"));
        stream.write_all(b"GET /y HTTP/1.1\r\n\r\n").unwrap();
        assert_eq!(read_answer(&mut reader, false).status, 201);
    }

    #[test]
    fn chunked_response_when_the_handler_asks() {
        let server = Server::start(|_| {
            let mut response = http::Response::new(b"hello".to_vec());
            response
                .headers_mut()
                .insert(TRANSFER_ENCODING, HeaderValue::from_static("chunked"));
            response
                .headers_mut()
                .insert(CONNECTION, HeaderValue::from_static("close"));
            response
        })
        .unwrap();
        let (mut stream, mut reader) = connect(&server);
        stream.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
        let mut raw = String::new();
        reader.read_to_string(&mut raw).unwrap();
        assert!(!raw.contains("content-length"), "{raw}");
        assert!(raw.ends_with("\r\n\r\n5\r\nhello\r\n0\r\n\r\n"), "{raw}");
    }

    #[test]
    fn handler_panic_is_a_500() {
        let server = Server::start(|request: http::Request<Vec<u8>>| {
            if request.uri().path() == "/boom" {
                panic!("boom");
            }
            http::Response::new(Vec::new())
        })
        .unwrap();
        let (mut stream, mut reader) = connect(&server);
        stream.write_all(b"GET /boom HTTP/1.1\r\n\r\n").unwrap();
        let answer = read_answer(&mut reader, false);
        assert_eq!(answer.status, 500);
        let (mut stream, mut reader) = connect(&server);
        stream.write_all(b"GET /fine HTTP/1.1\r\n\r\n").unwrap();
        assert_eq!(read_answer(&mut reader, false).status, 200);
    }

    #[test]
    fn drop_is_prompt_with_idle_and_busy_connections() {
        let server = Server::start(|_| {
            let mut response = http::Response::new(Vec::new());
            response.headers_mut().insert(
                DELAY_MS_HEADER,
                HeaderValue::from_static("18446744073709551615"),
            );
            response
        })
        .unwrap();
        let addr = server.addr();
        let (_idle, _idle_reader) = connect(&server);
        let (mut busy, mut busy_reader) = connect(&server);
        busy.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
        while server.requests_seen() == 0 {
            thread::sleep(Duration::from_millis(1));
        }
        let started = Instant::now();
        drop(server);
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        // The busy connection got its (no longer delayed) answer or was closed.
        let mut rest = Vec::new();
        let _ = busy_reader.read_to_end(&mut rest);
        assert!(TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err());
    }
}

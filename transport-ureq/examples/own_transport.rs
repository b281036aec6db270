//! Bring your own HTTP stack: a hand-written blocking transport (a closure speaking HTTP/1.1
//! over `std::net::TcpStream`) carries the client, which adds retries, pagination and
//! `authenticate` on top of it. It talks to a local stand-in of the Users API on 127.0.0.1,
//! started inside this process, so it needs no account and no network.
//!
//! ```text
//! cargo run -p clerk-backend-ureq --example own_transport
//! ```
//!
//! The transport honours each request's `AttemptTimeout` (what is left of the retry budget,
//! at most the attempt timeout) and reports a refused connection as an `io::Error` of kind
//! `ConnectionRefused`, which the client reads as "not sent" (retried for every method).

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::time::Duration;

use clerk_backend_testkit::machine::api_key_object;
use clerk_backend_testkit::users::UsersStandIn;
use clerk_backend_ureq::auth::{AuthOptions, Caller, TokenType};
use clerk_backend_ureq::http::{self, HeaderName, HeaderValue};
use clerk_backend_ureq::users::{CreateUser, GetUser, GetUserList};
use clerk_backend_ureq::{
    AttemptTimeout, Client, Config, Error, RequestOptions, TransportError, TransportErrorKind,
};

/// The largest response this transport reads.
const MAX_BODY: usize = 8 * 1024 * 1024;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("own_transport failed: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Error> {
    let key = "sk_test_own_transport_standin";
    let standin = UsersStandIn::new(key);
    let server = standin.serve().map_err(|e| {
        TransportError::new(
            TransportErrorKind::Connect,
            format!("could not start the stand-in: {e}"),
        )
    })?;
    let config = Config::new(key)?.with_base_url(&server.url())?;

    // Any `Fn(http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, E>` is a transport.
    let client = Client::with_transport(config, send_http1);

    // A typed send, with a header of our own for this call only.
    let options = RequestOptions::new().header(
        HeaderName::from_static("x-request-id"),
        HeaderValue::from_static("own-transport-1"),
    );
    let ada = client.send_with(
        &CreateUser::new()
            .email_address(["ada+clerk_test@example.com"])
            .first_name("Ada")
            .skip_password_requirement(true),
        &options,
    )?;
    let fetched = client.send(&GetUser::new(&ada.id))?;
    println!(
        "created and fetched {} ({:?})",
        fetched.id, fetched.first_name
    );

    // A paginated listing: four more users, listed two per page.
    for name in ["Grace", "Edsger", "Barbara", "Donald"] {
        let email = format!("{}+clerk_test@example.com", name.to_lowercase());
        client.send(
            &CreateUser::new()
                .email_address([email.as_str()])
                .first_name(name)
                .skip_password_requirement(true),
        )?;
    }
    let mut pages = client.pages(GetUserList::new().limit(2));
    let mut names = Vec::new();
    for user in pages.by_ref() {
        names.push(user?.first_name.unwrap_or_default());
    }
    println!(
        "listed {} users two per page: {}",
        pages.fetched(),
        names.join(", ")
    );

    // `authenticate`: an API key verified by the API, through the same hand-written transport.
    let secret = "ak_own_transport_3beecc9c60adb5f9b850";
    standin.add_api_key(
        secret,
        api_key_object(
            "ak_3beecc9c60adb5f9b850e91a8ee1e992",
            "OWN_TRANSPORT_KEY",
            &ada.id,
            &["read"],
        ),
    );
    let options = AuthOptions::new().accepts(TokenType::ApiKey);
    let status = client.authenticate_token(secret, &options);
    match status.caller() {
        Some(Caller::ApiKey(caller)) => {
            println!(
                "authenticated an API key of {}: {:?}",
                caller.subject, caller.scopes
            );
        }
        _ => {
            return Err(TransportError::new(
                TransportErrorKind::Other,
                format!("the API key did not authenticate: {:?}", status.reason()),
            )
            .into());
        }
    }
    Ok(())
}

/// One HTTP/1.1 exchange over a fresh TCP connection (`Connection: close`), plain `http://`.
fn send_http1(request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, io::Error> {
    let timeout = request
        .extensions()
        .get::<AttemptTimeout>()
        .map_or(Duration::from_secs(30), |t| t.0);
    let uri = request.uri();
    let host = uri.host().ok_or_else(|| invalid("no host in the URL"))?;
    let port = uri.port_u16().unwrap_or(80);
    let address = (host, port)
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| io::Error::new(io::ErrorKind::AddrNotAvailable, "no address"))?;
    let stream = TcpStream::connect_timeout(&address, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;

    let target = uri.path_and_query().map_or("/", |p| p.as_str());
    let mut head = format!(
        "{} {target} HTTP/1.1\r\nhost: {host}:{port}\r\n",
        request.method()
    );
    for (name, value) in request.headers() {
        let value = value
            .to_str()
            .map_err(|_| invalid("a header is not text"))?;
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        request.body().len()
    ));
    let mut writer = &stream;
    writer.write_all(head.as_bytes())?;
    writer.write_all(request.body())?;

    let mut reader = BufReader::new(&stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| invalid("no status line"))?;
    let mut response = http::Response::builder().status(status);
    let mut length = None;
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header
            .split_once(':')
            .ok_or_else(|| invalid("bad header"))?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = Some(value.parse::<usize>().map_err(|_| invalid("bad length"))?);
        }
        response = response.header(name, value);
    }
    let mut body = Vec::new();
    match length {
        Some(length) if length > MAX_BODY => return Err(invalid("the body is too large")),
        Some(length) => {
            body.resize(length, 0);
            reader.read_exact(&mut body)?;
        }
        None => {
            reader.take(MAX_BODY as u64 + 1).read_to_end(&mut body)?;
            if body.len() > MAX_BODY {
                return Err(invalid("the body is too large"));
            }
        }
    }
    response.body(body).map_err(|e| invalid(&e.to_string()))
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.to_owned())
}

//! Verify one webhook delivery from the command line: is it Clerk's, and which event is it?
//!
//! ```text
//! cargo run --example verify_webhook -- --header 'svix-id: msg_…' \
//!     --header 'svix-timestamp: 1700000000' --header 'svix-signature: v1,…' < body.json
//! ```
//!
//! The raw body comes on stdin (read as bytes, never re-serialised) and the signing secret from
//! `CLERK_WEBHOOK_SIGNING_SECRET` (`whsec_…`). `--tolerance SECONDS` widens or narrows the
//! 300 s allowed between the delivery's timestamp and now.
//!
//! The last line of stdout is one JSON object. On success: `type`, `object`, `instance_id`,
//! `timestamp`, `id` (the delivery id), `known` (whether this version knows the event type),
//! exit 0. A rejected delivery: `{"error": "<kind>", "message": "..."}` with the kind of the
//! check that failed (`missing-header`, `invalid-timestamp`, `timestamp-too-old`,
//! `timestamp-too-new`, `no-matching-signature`, `invalid-event`), exit 1. A usage or
//! configuration error (a bad flag, an unset or invalid secret): the same shape, exit 2.

use std::io::Read as _;
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use clerk_backend_core::http::{HeaderMap, HeaderName, HeaderValue};
use clerk_backend_core::webhook::{EventData, SigningSecret, Verifier};
use serde_json::json;

const USAGE: &str = "usage: verify_webhook --header 'NAME: VALUE'... [--tolerance SECONDS] < body";

fn main() -> ExitCode {
    let (headers, tolerance) = match parse_args(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => return fail("usage", &message, 2),
    };
    let secret = match SigningSecret::from_env() {
        Ok(secret) => secret,
        Err(error) => return fail(error.kind().as_str(), error.message(), 2),
    };
    let mut body = Vec::new();
    if let Err(error) = std::io::stdin().read_to_end(&mut body) {
        return fail(
            "usage",
            &format!("could not read the body from stdin: {error}"),
            2,
        );
    }
    let verifier = Verifier::new(secret).tolerance(tolerance);
    match verifier.verify(&headers, &body, SystemTime::now()) {
        Ok(verified) => {
            let event = &verified.event;
            println!(
                "{}",
                json!({
                    "type": event.event_type,
                    "object": event.object,
                    "instance_id": event.instance_id,
                    "timestamp": event.timestamp,
                    "id": verified.delivery.id,
                    "known": !matches!(event.data, EventData::Unknown { .. }),
                })
            );
            ExitCode::SUCCESS
        }
        Err(error) => fail(error.kind().as_str(), error.message(), 1),
    }
}

fn fail(kind: &str, message: &str, code: u8) -> ExitCode {
    eprintln!("verify_webhook: {kind}: {message}");
    println!("{}", json!({"error": kind, "message": message}));
    ExitCode::from(code)
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<(HeaderMap, Duration), String> {
    let mut headers = HeaderMap::new();
    let mut tolerance = clerk_backend_core::webhook::DEFAULT_TOLERANCE;
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--header" => {
                let value = args
                    .next()
                    .ok_or(format!("--header needs a value\n{USAGE}"))?;
                let (name, value) = value
                    .split_once(':')
                    .ok_or(format!("--header {value:?} is not 'NAME: VALUE'"))?;
                let name = HeaderName::from_bytes(name.trim().as_bytes())
                    .map_err(|_| format!("{:?} is not a header name", name.trim()))?;
                let value = HeaderValue::from_str(value.trim())
                    .map_err(|_| format!("the value of {name} is not a header value"))?;
                headers.append(name, value);
            }
            "--tolerance" => {
                let value = args
                    .next()
                    .ok_or(format!("--tolerance needs a value\n{USAGE}"))?;
                let seconds: u64 = value
                    .parse()
                    .map_err(|_| format!("--tolerance {value:?} is not a number of seconds"))?;
                tolerance = Duration::from_secs(seconds);
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok((headers, tolerance))
}

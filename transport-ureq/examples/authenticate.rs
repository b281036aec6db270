//! Authenticate one request from the command line: who would this request be?
//!
//! ```text
//! cargo run --example authenticate -- [--authorization VALUE] [--cookie VALUE]
//!     [--authorized-party ORIGIN]... [--audience AUD]... [--accepts KIND]...
//! ```
//!
//! Keys: `CLERK_JWT_KEY` (a PEM public key, no network) when set, otherwise the instance's JWKS
//! fetched with `CLERK_SECRET_KEY` (and `CLERK_API_URL` when set). `CLERK_PUBLISHABLE_KEY`, when
//! set, selects the instance's suffixed cookies. `--accepts` (default `session_token`) lists the
//! kinds of token accepted: `session_token`, `m2m_token`, `oauth_token`, `api_key`.
//!
//! The last line of stdout is one JSON object: `status` (`signed-in` | `signed-out`),
//! `reason` (null when signed in), `token_type`, `user_id`, `session_id`, `org_id`, `org_slug`,
//! `org_role`, `org_permissions`, `machine_id`, `client_id`, `scopes` (null where they do not
//! apply). Exit status: 0 signed in, 1 signed out, 2 usage or configuration error.
//!
//! This version verifies session tokens only. A machine token (`m2m_token`, `oauth_token`,
//! `api_key`) is signed out as `token-type-mismatch` unless `--accepts` names its kind, and
//! then the run stops with status 2: verifying machine tokens is not built yet.

use std::process::ExitCode;
use std::time::SystemTime;

use clerk_backend_ureq::auth::{
    self, AuthOptions, AuthStatus, Authentication, PublicKey, PublishableKey, Reason, SignedOut,
    TokenType,
};
use clerk_backend_ureq::http::{HeaderMap, HeaderValue, header};
use clerk_backend_ureq::{Client, Config};
use serde_json::{Value, json};

const USAGE: &str = "usage: authenticate [--authorization VALUE] [--cookie VALUE] \
[--authorized-party ORIGIN]... [--audience AUD]... [--accepts KIND]...";

struct Args {
    headers: HeaderMap,
    options: AuthOptions,
    accepts: Vec<TokenType>,
}

fn main() -> ExitCode {
    match run() {
        Ok(status) => {
            println!("{}", verdict_json(&status));
            if status.is_signed_in() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(message) => {
            eprintln!("authenticate: {message}");
            println!(
                "{}",
                json!({"error": "usage-or-configuration", "message": message})
            );
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<AuthStatus, String> {
    let args = parse_args(std::env::args().skip(1))?;
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let mut options = args.options;
    if let Some(pk) = env(auth::ENV_PUBLISHABLE_KEY) {
        let pk = PublishableKey::parse(&pk)
            .map_err(|e| format!("{}: {e}", auth::ENV_PUBLISHABLE_KEY))?;
        options = options.publishable_key(pk);
    }

    // Which kind of token is presented, and is that kind accepted?
    let presented = presented_token(&args.headers).map(auth::classify);
    if let Some(kind) = presented.filter(|kind| *kind != TokenType::SessionToken) {
        if !args.accepts.contains(&kind) {
            return Ok(mismatch(kind));
        }
        return Err(format!(
            "verifying a token of kind {kind} is not built in this version (session tokens only)"
        ));
    }

    let now = SystemTime::now();
    let status = if let Some(pem) = env(auth::ENV_JWT_KEY) {
        let key = PublicKey::from_pem(&pem).map_err(|e| format!("{}: {e}", auth::ENV_JWT_KEY))?;
        Authentication::from_headers(&args.headers, &options).verdict(&key, now)
    } else {
        let config = Config::from_env()
            .map_err(|e| format!("{e} (or set {} to a PEM public key)", auth::ENV_JWT_KEY))?;
        Client::new(config).authenticate(&args.headers, &options)
    };
    if status.is_signed_in() && !args.accepts.contains(&TokenType::SessionToken) {
        return Ok(mismatch(TokenType::SessionToken));
    }
    Ok(status)
}

fn mismatch(kind: TokenType) -> AuthStatus {
    AuthStatus::SignedOut(SignedOut::new(
        Reason::TokenTypeMismatch { found: kind },
        format!("a token of kind {kind} was presented, and --accepts does not list it"),
    ))
}

/// The bearer token of the headers, as core reads it (`Bearer <token>`, or a bare value).
fn presented_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    match value.split_once(' ') {
        None if !value.is_empty() => Some(value),
        Some(("Bearer", token)) if !token.trim().is_empty() => Some(token.trim()),
        _ => None,
    }
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut headers = HeaderMap::new();
    let mut options = AuthOptions::new();
    let mut accepts = Vec::new();
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            return Err(USAGE.to_owned());
        }
        const FLAGS: [&str; 5] = [
            "--authorization",
            "--cookie",
            "--authorized-party",
            "--audience",
            "--accepts",
        ];
        if !FLAGS.contains(&flag.as_str()) {
            return Err(format!("unknown argument {flag:?}\n{USAGE}"));
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--authorization" | "--cookie" => {
                let header_value = HeaderValue::from_str(&value)
                    .map_err(|_| format!("{flag}: not a valid header value"))?;
                let name = if flag == "--cookie" {
                    header::COOKIE
                } else {
                    header::AUTHORIZATION
                };
                headers.append(name, header_value);
            }
            "--authorized-party" => options = options.authorized_party(value),
            "--audience" => options = options.audience(value),
            "--accepts" => accepts.push(value.parse::<TokenType>()?),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    if accepts.is_empty() {
        accepts.push(TokenType::SessionToken);
    }
    Ok(Args {
        headers,
        options,
        accepts,
    })
}

fn verdict_json(status: &AuthStatus) -> Value {
    let session = status.session();
    let org = session.and_then(|s| s.organization.as_ref());
    json!({
        "status": if status.is_signed_in() { "signed-in" } else { "signed-out" },
        "reason": status.reason().as_ref().map(Reason::as_str),
        "message": match status {
            AuthStatus::SignedOut(out) => Value::from(out.message.as_str()),
            _ => Value::Null,
        },
        "token_type": status.token_type().as_str(),
        "user_id": session.map(|s| s.user_id.as_str()),
        "session_id": session.and_then(|s| s.session_id.as_deref()),
        "org_id": org.map(|o| o.id.as_str()),
        "org_slug": org.and_then(|o| o.slug.as_deref()),
        "org_role": org.and_then(|o| o.role.as_deref()),
        "org_permissions": session.map(|_| org.map(|o| o.permissions.clone()).unwrap_or_default()),
        "machine_id": Value::Null,
        "client_id": Value::Null,
        "scopes": Value::Null,
    })
}

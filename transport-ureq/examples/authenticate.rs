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
//! `--accepts any` accepts every kind. JWTs (sessions, M2M and OAuth JWTs) are verified with the
//! keys; opaque machine tokens (`mt_…`, `oat_…`, `ak_…`) by the API at `CLERK_API_URL`, with
//! `CLERK_SECRET_KEY`, or `CLERK_MACHINE_SECRET_KEY` (which verifies M2M tokens only).

use std::process::ExitCode;
use std::time::SystemTime;

use clerk_backend_ureq::Client;
use clerk_backend_ureq::auth::{
    self, AuthOptions, AuthStatus, Authentication, Caller, PublicKey, PublishableKey, Reason,
    TokenType,
};
use clerk_backend_ureq::http::{HeaderMap, HeaderValue, header};
use serde_json::{Value, json};

const USAGE: &str = "usage: authenticate [--authorization VALUE] [--cookie VALUE] \
[--authorized-party ORIGIN]... [--audience AUD]... [--accepts KIND]...";

struct Args {
    headers: HeaderMap,
    options: AuthOptions,
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
    let has_api_key = env(clerk_backend_ureq::ENV_SECRET_KEY).is_some()
        || env(clerk_backend_ureq::ENV_MACHINE_SECRET_KEY).is_some();
    let status = if has_api_key {
        // The client reads CLERK_JWT_KEY too: JWTs offline when it is set, the JWKS otherwise;
        // opaque machine tokens always go to the API.
        Client::from_env()
            .map_err(|e| e.to_string())?
            .authenticate(&args.headers, &options)
    } else if let Some(pem) = env(auth::ENV_JWT_KEY) {
        // No secret key: everything a PEM key can verify, offline.
        let key = PublicKey::from_pem(&pem).map_err(|e| format!("{}: {e}", auth::ENV_JWT_KEY))?;
        Authentication::from_headers(&args.headers, &options).verdict(&key, SystemTime::now())
    } else {
        return Err(format!(
            "set {} (a PEM public key), or {} or {} (the JWKS and opaque machine tokens through the API)",
            auth::ENV_JWT_KEY,
            clerk_backend_ureq::ENV_SECRET_KEY,
            clerk_backend_ureq::ENV_MACHINE_SECRET_KEY
        ));
    };
    Ok(status)
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut headers = HeaderMap::new();
    let mut options = AuthOptions::new();
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
            "--accepts" if value == "any" => options = options.accepts_any(),
            "--accepts" => options = options.accepts(value.parse::<TokenType>()?),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(Args { headers, options })
}

fn verdict_json(status: &AuthStatus) -> Value {
    let Value::Object(mut out) = json!({
        "status": if status.is_signed_in() { "signed-in" } else { "signed-out" },
        "reason": status.reason().as_ref().map(Reason::as_str),
        "message": match status {
            AuthStatus::SignedOut(out) => Value::from(out.message.as_str()),
            _ => Value::Null,
        },
        "token_type": status.token_type().as_str(),
        "user_id": null, "session_id": null, "org_id": null, "org_slug": null, "org_role": null,
        "org_permissions": null, "machine_id": null, "client_id": null, "scopes": null,
    }) else {
        return Value::Null;
    };
    let mut set = |name: &str, value: Value| {
        out.insert(name.to_owned(), value);
    };
    match status.caller() {
        Some(Caller::Session(session)) => {
            let org = session.organization.as_ref();
            set("user_id", json!(session.user_id));
            set("session_id", json!(session.session_id));
            set("org_id", json!(org.map(|o| &o.id)));
            set("org_slug", json!(org.and_then(|o| o.slug.as_ref())));
            set("org_role", json!(org.and_then(|o| o.role.as_ref())));
            set(
                "org_permissions",
                json!(org.map(|o| o.permissions.clone()).unwrap_or_default()),
            );
        }
        Some(Caller::M2m(m2m)) => {
            set("machine_id", json!(m2m.machine_id));
            set("scopes", json!(m2m.scopes));
        }
        Some(Caller::Oauth(oauth)) => {
            set("user_id", json!(oauth.user_id));
            set("client_id", json!(oauth.client_id));
            set("scopes", json!(oauth.scopes));
        }
        Some(Caller::ApiKey(key)) => {
            set("user_id", json!(key.user_id));
            set("org_id", json!(key.org_id));
            set("scopes", json!(key.scopes));
        }
        _ => {}
    }
    Value::Object(out)
}

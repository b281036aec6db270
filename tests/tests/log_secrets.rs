//! What the transports log, at every level, when real requests go over 127.0.0.1: a capturing
//! logger for the `log` crate and a capturing `tracing` subscriber, both at `trace` (a test
//! binary of its own, since both are global), record everything the blocking ureq client and
//! the async reqwest client emit while sending two requests, one authorized by a recognisable
//! instance secret key and one by a machine secret key.
//!
//! What holds (and what the README says):
//! - no record at `debug` or above, from any target, through `log` or `tracing`, carries a key
//!   (or the part of one that identifies it);
//! - at `trace` the only target that carries a key is ureq's protocol layer (`ureq_proto…`),
//!   which hex-dumps the request head it writes (and every byte of the response), 16 bytes a
//!   row: the rows are decoded back into bytes before searching, since a key is split across
//!   rows. That it still does is checked too, so that the README's warning is dropped the day
//!   it stops being true;
//! - reqwest and hyper log nothing that carries a key. reqwest's byte dump (`connection_verbose`,
//!   target `reqwest::connect::verbose`, trace) is off in the client `Client::builder` makes;
//!   a `reqwest::Client` of the user's own with it on does log the key at trace, which is
//!   checked too, for the README's note;
//! - hyper-util (under reqwest) logs through `tracing`, not `log`; with `tracing`'s `log`
//!   feature off (as in this workspace) its events reach no `log` logger, but a user's
//!   `tracing` subscriber sees them, so a capturing subscriber (a few lines over `tracing`'s
//!   `Subscriber` trait, no `tracing-subscriber`) records them too. hyper itself logs nothing
//!   (its `tracing` feature is off).
//! - every `Authorization` value core builds is marked sensitive, so `http` prints it as
//!   `Sensitive` wherever a header map is debug-printed.
//!
//! Run with `--nocapture` to see which targets log what at which level.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use clerk_backend_core::m2m_tokens::CreateM2mToken;
use clerk_backend_core::users::GetUser;
use clerk_backend_core::{Config, Endpoint};
use clerk_backend_tests::{Scripted, json, user_json};
use log::{Level, LevelFilter, Log, Metadata, Record};
use tracing::field::{Field, Visit};
use tracing::span;

/// The instance secret key of this test: its middle part is searched for in every record.
const SECRET_KEY: &str = "sk_test_LOGLEAKCANARYsecret0123456789";
/// The machine secret key of this test.
const MACHINE_KEY: &str = "ak_LOGLEAKCANARYmachine0123456789";
/// What identifies either key, in any record (a key split across rows included, once the rows
/// are joined).
const CANARIES: [&str; 2] = ["LOGLEAKCANARYsecret", "LOGLEAKCANARYmachine"];

struct Captured {
    /// `log` or `tracing`.
    via: &'static str,
    level: Level,
    target: String,
    message: String,
}

struct Capture(Mutex<Vec<Captured>>);

static CAPTURE: Capture = Capture(Mutex::new(Vec::new()));

impl Capture {
    fn records(&self) -> MutexGuard<'_, Vec<Captured>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn take(&self) -> Vec<Captured> {
        std::mem::take(&mut *self.records())
    }
}

impl Log for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &Record<'_>) {
        let captured = Captured {
            via: "log",
            level: record.level(),
            target: record.target().to_owned(),
            message: record.args().to_string(),
        };
        self.records().push(captured);
    }

    fn flush(&self) {}
}

/// Records every `tracing` event and span (with their fields) into [`CAPTURE`].
struct TracingCapture(AtomicU64);

/// A `tracing` field set as text: `message` first, then `name=value` pairs.
#[derive(Default)]
struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if !self.0.is_empty() {
            self.0.push(' ');
        }
        if field.name() == "message" {
            self.0.push_str(&format!("{value:?}"));
        } else {
            self.0.push_str(&format!("{}={value:?}", field.name()));
        }
    }
}

fn level_of(level: &tracing::Level) -> Level {
    match *level {
        tracing::Level::ERROR => Level::Error,
        tracing::Level::WARN => Level::Warn,
        tracing::Level::INFO => Level::Info,
        tracing::Level::DEBUG => Level::Debug,
        _ => Level::Trace,
    }
}

impl TracingCapture {
    fn push(&self, metadata: &tracing::Metadata<'_>, fields: Fields) {
        CAPTURE.records().push(Captured {
            via: "tracing",
            level: level_of(metadata.level()),
            target: metadata.target().to_owned(),
            message: fields.0,
        });
    }
}

impl tracing::Subscriber for TracingCapture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &span::Attributes<'_>) -> span::Id {
        let mut fields = Fields::default();
        span.record(&mut fields);
        self.push(span.metadata(), fields);
        span::Id::from_u64(self.0.fetch_add(1, Ordering::Relaxed))
    }

    fn record(&self, _: &span::Id, values: &span::Record<'_>) {
        let mut fields = Fields::default();
        values.record(&mut fields);
        CAPTURE.records().push(Captured {
            via: "tracing",
            level: Level::Trace,
            target: "(span record)".to_owned(),
            message: fields.0,
        });
    }

    fn record_follows_from(&self, _: &span::Id, _: &span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        self.push(event.metadata(), fields);
    }

    fn enter(&self, _: &span::Id) {}

    fn exit(&self, _: &span::Id) {}
}

fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        log::set_logger(&CAPTURE).expect("the only `log` logger of this binary");
        tracing::subscriber::set_global_default(TracingCapture(AtomicU64::new(1)))
            .expect("the only `tracing` subscriber of this binary");
    });
    log::set_max_level(LevelFilter::Trace);
    assert_eq!(
        log::STATIC_MAX_LEVEL,
        LevelFilter::Trace,
        "a dependency caps the `log` crate's level at compile time: nothing below it can be captured"
    );
    assert_eq!(
        tracing::level_filters::STATIC_MAX_LEVEL,
        tracing::level_filters::LevelFilter::TRACE,
        "a dependency caps `tracing`'s level at compile time"
    );
}

/// Serialises the tests of this file: the logger is global.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A row of ureq_proto's hex dump, decoded: `4745 5420 2f76 ...  GET /v...` → its bytes.
fn hex_row(message: &str) -> Option<Vec<u8>> {
    // 16 bytes as 8 groups of 4 hex digits (`--` pads a short row), then the ASCII column.
    let groups: Vec<&str> = message.split(' ').take(8).collect();
    if groups.len() != 8 || groups.iter().any(|g| g.len() != 4) {
        return None;
    }
    let mut bytes = Vec::new();
    for group in groups {
        for pair in [&group[..2], &group[2..]] {
            if pair == "--" {
                continue;
            }
            bytes.push(u8::from_str_radix(pair, 16).ok()?);
        }
    }
    Some(bytes)
}

/// What one run logged: the records, and the bytes of each target's hex dump joined in order.
struct Logged {
    records: Vec<Captured>,
    dumps: Vec<(String, Vec<u8>)>,
}

impl Logged {
    fn from(records: Vec<Captured>) -> Self {
        let mut dumps: Vec<(String, Vec<u8>)> = Vec::new();
        for record in &records {
            if let Some(bytes) = hex_row(&record.message) {
                match dumps.iter_mut().find(|(t, _)| *t == record.target) {
                    Some((_, joined)) => joined.extend(bytes),
                    None => dumps.push((record.target.clone(), bytes)),
                }
            }
        }
        Self { records, dumps }
    }

    /// Targets that carry a canary, with the level of the most severe such record (hex dumps
    /// are trace).
    fn leaks(&self) -> Vec<(Level, String, String)> {
        let mut out = Vec::new();
        for record in &self.records {
            if CANARIES.iter().any(|c| record.message.contains(c)) {
                out.push((
                    record.level,
                    record.target.clone(),
                    format!("({}) {}", record.via, record.message),
                ));
            }
        }
        for (target, bytes) in &self.dumps {
            let text = String::from_utf8_lossy(bytes);
            for canary in CANARIES {
                if text.contains(canary) {
                    out.push((
                        Level::Trace,
                        target.clone(),
                        format!("hex dump holding `{canary}`"),
                    ));
                }
            }
        }
        out
    }

    fn targets(&self) -> Vec<String> {
        let mut targets: Vec<String> = self.records.iter().map(|r| r.target.clone()).collect();
        targets.sort();
        targets.dedup();
        targets
    }

    fn summary(&self) -> String {
        let mut lines = Vec::new();
        for level in [
            Level::Error,
            Level::Warn,
            Level::Info,
            Level::Debug,
            Level::Trace,
        ] {
            let mut targets: Vec<String> = self
                .records
                .iter()
                .filter(|r| r.level == level)
                .map(|r| format!("{} ({})", r.target, r.via))
                .collect();
            targets.sort_unstable();
            let mut counted: Vec<String> = Vec::new();
            let mut distinct = targets.clone();
            distinct.dedup();
            for target in distinct {
                let n = targets.iter().filter(|t| **t == target).count();
                counted.push(format!("{target} ×{n}"));
            }
            lines.push(format!("  {level:<5}: {}", counted.join(", ")));
        }
        lines.join("\n")
    }
}

fn config(server: &Scripted) -> Config {
    Config::new(SECRET_KEY)
        .and_then(|c| c.with_machine_secret_key(MACHINE_KEY))
        .and_then(|c| c.with_base_url(&server.url()))
        .expect("valid config")
}

fn answer(request: &http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
    if request.uri().path().contains("m2m_tokens") {
        json(
            200,
            r#"{"object":"machine_to_machine_token","id":"mt_1","subject":"mch_1","token":"mt_x","scopes":[],"claims":null,"revoked":false,"expired":false,"expiration":null,"created_at":1,"updated_at":1}"#,
        )
    } else {
        json(200, &user_json("user_1", "Ada").to_string())
    }
}

/// Checks what a client logged while sending both requests: no key at `debug` or above, and at
/// `trace` a key only from `dumper`, the target known to dump the bytes on the wire (which must
/// then carry both keys, so that a change of the dependency shows).
fn check(client: &str, logged: &Logged, requests: usize, dumper: Option<&str>) {
    println!(
        "{client}: {} records from {:?}\n{}",
        logged.records.len(),
        logged.targets(),
        logged.summary()
    );
    assert_eq!(requests, 2, "{client}: both requests reached the server");
    let leaks = logged.leaks();
    let above_trace: Vec<_> = leaks
        .iter()
        .filter(|(l, _, _)| *l <= Level::Debug)
        .collect();
    assert!(
        above_trace.is_empty(),
        "{client}: a key in a record at debug or above: {above_trace:?}"
    );
    let elsewhere: Vec<_> = leaks
        .iter()
        .filter(|(_, target, _)| dumper.is_none_or(|d| !target.starts_with(d)))
        .collect();
    assert!(
        elsewhere.is_empty(),
        "{client}: a key logged by a target other than {dumper:?}: {elsewhere:?}"
    );
    if let Some(dumper) = dumper {
        for canary in CANARIES {
            assert!(
                leaks
                    .iter()
                    .any(|(_, t, m)| t.starts_with(dumper) && m.contains(canary)),
                "{client}: {dumper} no longer logs `{canary}` at trace: the README's warning \
                 about it (and this test's expectation) can be relaxed; targets: {:?}",
                logged.targets()
            );
        }
    }
}

/// Sends both requests through the async client on `transport` and returns what was logged.
fn run_async(
    server: &Scripted,
    transport: impl FnOnce() -> clerk_backend_async::ReqwestTransport,
) -> Logged {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let _ = CAPTURE.take();
    runtime.block_on(async {
        let client = clerk_backend_async::Client::with_transport(config(server), transport());
        client.send(&GetUser::new("user_1")).await.expect("user");
        client
            .send(&CreateM2mToken::new())
            .await
            .expect("m2m token");
    });
    drop(runtime);
    Logged::from(CAPTURE.take())
}

#[test]
fn no_key_in_any_log_record_but_ureq_protos_trace_dump() {
    let _serial = serial();
    install();

    // Blocking: ureq.
    let server = Scripted::with_fallback(Vec::new(), answer);
    let client = clerk_backend_ureq::Client::builder(config(&server)).build();
    let _ = CAPTURE.take();
    client.send(&GetUser::new("user_1")).expect("user");
    client.send(&CreateM2mToken::new()).expect("m2m token");
    drop(client);
    let logged = Logged::from(CAPTURE.take());
    check("ureq", &logged, server.count(), Some("ureq_proto"));
    // ureq's own request line at debug, headers redacted: the logger saw ureq's debug output.
    assert!(
        logged
            .records
            .iter()
            .any(|r| r.level == Level::Debug && r.target.starts_with("ureq")),
        "ureq logged nothing at debug: is the logger installed?"
    );
    let sent = server.requests();
    assert!(
        sent.iter().any(|r| r.headers()["authorization"]
            .to_str()
            .is_ok_and(|v| v.contains(CANARIES[0])))
            && sent.iter().any(|r| r.headers()["authorization"]
                .to_str()
                .is_ok_and(|v| v.contains(CANARIES[1]))),
        "both keys were sent"
    );

    // Async: reqwest (hyper, hyper-util underneath), as `Client::builder` makes it.
    let server = Scripted::with_fallback(Vec::new(), answer);
    let logged = run_async(&server, || {
        let client = clerk_backend_async::Client::builder(config(&server))
            .build()
            .expect("client");
        client.transport().clone()
    });
    check("reqwest", &logged, server.count(), None);
    assert!(
        logged.targets().iter().any(|t| t.starts_with("reqwest")),
        "reqwest logged nothing: is the logger installed? {:?}",
        logged.targets()
    );
    assert!(
        logged
            .records
            .iter()
            .any(|r| r.via == "tracing" && r.target.starts_with("hyper_util")),
        "hyper-util emitted no `tracing` event: is the subscriber installed? {:?}",
        logged.targets()
    );

    // A `reqwest::Client` of the user's own with `connection_verbose(true)`: reqwest then logs
    // every byte read and written at trace (target `reqwest::connect::verbose`), the key
    // included; still nothing at debug. `Client::builder` never turns it on.
    let server = Scripted::with_fallback(Vec::new(), answer);
    let logged = run_async(&server, || {
        let own = clerk_backend_async::reqwest::Client::builder()
            .connection_verbose(true)
            .build()
            .expect("reqwest client");
        clerk_backend_async::ReqwestTransport::new(own)
    });
    check(
        "reqwest with connection_verbose",
        &logged,
        server.count(),
        Some("reqwest::connect::verbose"),
    );
}

#[test]
fn every_authorization_header_is_marked_sensitive() {
    let _serial = serial();
    let config = Config::new(SECRET_KEY)
        .and_then(|c| c.with_machine_secret_key(MACHINE_KEY))
        .expect("valid config");
    let machine_only = Config::machine(MACHINE_KEY).expect("valid machine config");
    for (what, request) in [
        ("instance key", GetUser::new("user_1").to_http(&config)),
        ("machine key", CreateM2mToken::new().to_http(&config)),
        (
            "machine key alone",
            CreateM2mToken::new().to_http(&machine_only),
        ),
    ] {
        let request = request.expect("request");
        let authorization = &request.headers()["authorization"];
        assert!(authorization.is_sensitive(), "{what}: not marked sensitive");
        // `http` shows a sensitive value as `Sensitive` in `Debug`, wherever a header map is
        // printed.
        let debug = format!("{:?}", request.headers());
        assert!(
            CANARIES.iter().all(|c| !debug.contains(c)),
            "{what}: {debug}"
        );
    }
}

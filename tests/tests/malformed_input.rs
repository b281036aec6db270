//! Malformed input from the wire is a typed error, never a panic: every output parser of the
//! 249 operations, the token parsers (`auth::classify`, `Authentication` from a token, from
//! headers, from a machine-token verification answer, and the JWKS) and the webhook parsers
//! (`webhook::parse_event`, `Verifier::verify`) are fed random bytes, token soup, truncations
//! and mutations of valid samples: flipped bytes, deleted and duplicated ranges, inserted JSON
//! tokens, a value of another type where one is expected, huge and odd numbers, odd strings
//! (lone surrogates, invalid UTF-8, 64 KiB), deep nesting (up to 20 000 levels, far past
//! `serde_json`'s limit of 128) and dropped members; error answers also get odd `Retry-After`,
//! `Date` and trace headers. Every call runs inside `catch_unwind`; a panic (or a result of the
//! wrong kind) is reported with the parser, the mutation, status and headers, and the input.
//!
//! Deterministic: the default seed and iteration count keep the whole file to a few seconds in
//! CI (a debug build on 2 cores). `CLERK_FUZZ_ITERATIONS` (inputs per parser: per operation,
//! per webhook event, per token parser; default 24) and `CLERK_FUZZ_SEED` (a number, decimal or
//! `0x…`) run it longer or elsewhere; a reported failure names the seed that reproduces it.

use std::any::Any;
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant, SystemTime};

use clerk_backend_core::auth::{self, AuthOptions, Authentication, JwksCache, Step, TokenType};
use clerk_backend_core::jwks::GetJwks;
use clerk_backend_core::webhook::{self, HeaderSet, SigningSecret, Verifier, WebhookErrorKind};
use clerk_backend_core::{Endpoint, Error};
use clerk_backend_tests::generated::conformance::{CASES, Case};
use clerk_backend_tests::generated::webhook_events::EVENTS;
use clerk_backend_tests::samples::{MODES, Spec};
use clerk_backend_tests::tokens::{self, b64, key_a, key_b, pem_a};
use http::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// Settings and a seeded generator (no dependency: SplitMix64).

const DEFAULT_SEED: u64 = 0x00c1_e4c0_f022_2026;
const DEFAULT_ITERATIONS: usize = 24;

struct Settings {
    seed: u64,
    iterations: usize,
}

fn settings() -> Settings {
    fn read(name: &str) -> Option<u64> {
        let text = std::env::var(name).ok()?;
        let text = text.trim();
        let parsed = match text.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16),
            None => text.parse(),
        };
        Some(parsed.unwrap_or_else(|_| panic!("{name} must be a number, not {text:?}")))
    }
    Settings {
        seed: read("CLERK_FUZZ_SEED").unwrap_or(DEFAULT_SEED),
        iterations: read("CLERK_FUZZ_ITERATIONS").map_or(DEFAULT_ITERATIONS, |n| {
            usize::try_from(n).unwrap_or(usize::MAX)
        }),
    }
}

/// SplitMix64: small, fast, and the same sequence everywhere for a seed.
struct Rng(u64);

impl Rng {
    /// A stream of `seed` of its own per parser, so that one parser's inputs do not depend on
    /// how many inputs another drew.
    fn new(seed: u64, stream: &str) -> Self {
        let mut hash = 0xcbf2_9ce4_8422_2325_u64;
        for byte in stream.bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        Self(seed ^ hash)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            usize::try_from(self.next_u64() % n as u64).unwrap_or(0)
        }
    }

    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn byte(&mut self) -> u8 {
        self.next_u64().to_le_bytes()[0]
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.byte()).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Mutations.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mutation {
    RandomBytes,
    TokenSoup,
    Truncate,
    FlipBytes,
    DeleteRange,
    DuplicateRange,
    InsertTokens,
    TypeSwap,
    HugeNumber,
    OddString,
    DeepNesting,
    DropMember,
}

const MUTATIONS: [Mutation; 12] = [
    Mutation::RandomBytes,
    Mutation::TokenSoup,
    Mutation::Truncate,
    Mutation::FlipBytes,
    Mutation::DeleteRange,
    Mutation::DuplicateRange,
    Mutation::InsertTokens,
    Mutation::TypeSwap,
    Mutation::HugeNumber,
    Mutation::OddString,
    Mutation::DeepNesting,
    Mutation::DropMember,
];

/// Pieces of JSON, valid and not, that parsers must get past or refuse.
const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"\"",
    b"\\",
    b"null",
    b"true",
    b"false",
    b"-",
    b"0",
    b"-0",
    b"1e999",
    b"1.",
    b".5",
    b"0x1f",
    b"NaN",
    b"Infinity",
    b"\"id\"",
    b"\"object\"",
    b"\"data\"",
    b"\"total_count\"",
    b"\"\\u",
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b" ",
    b"\n",
    b"\t",
    b"\0",
    b"//",
    b"/*",
    b"'",
    b"\"\":",
    b"[]",
    b"{}",
];

/// Numbers no field of any model can hold, and numbers at the edges of the ones that can.
const HUGE_NUMBERS: &[&str] = &[
    "1e400",
    "-1e400",
    "1.7976931348623157e309",
    "18446744073709551616",
    "18446744073709551615",
    "9223372036854775808",
    "-9223372036854775809",
    "-9223372036854775808",
    "123456789012345678901234567890123456789012345678901234567890",
    "-0",
    "-0.0",
    "0.000000000000000000000000000000000000000000000000001",
    "4.9e-325",
    "1E+2",
    "1e-400",
    "2.5",
    "-1",
    "4294967296",
];

/// Strings that are hard to decode.
fn odd_strings() -> &'static [Vec<u8>] {
    static STRINGS: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    STRINGS.get_or_init(build_odd_strings)
}

fn build_odd_strings() -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = [
        &b"\"\\ud800\""[..],
        b"\"\\udfff\\ud800\"",
        b"\"\\ud800\\u0041\"",
        b"\"\\u0000\"",
        b"\"\xff\xfe\"",
        b"\"\xc3\"",
        b"\"\xed\xa0\x80\"",
        b"\"\\uZZZZ\"",
        b"\"\\x41\"",
        b"\"\\",
        b"\"unterminated",
        b"\"\t\"",
        b"\"\xf0\x9f\x92\xa9\"",
        b"\"\"",
    ]
    .iter()
    .map(|s| s.to_vec())
    .collect();
    let mut long = b"\"".to_vec();
    long.extend(std::iter::repeat_n(b'x', 64 * 1024));
    long.push(b'"');
    out.push(long);
    out
}

/// `[[…]]`, `{"a":{"a":…}}` or unclosed `[[[…`, `depth` levels deep.
fn nesting(rng: &mut Rng) -> Vec<u8> {
    let depth = *rng.pick(&[2_usize, 64, 126, 127, 128, 129, 300, 1_000, 20_000]);
    match rng.below(4) {
        0 => [b"[".repeat(depth), b"]".repeat(depth)].concat(),
        1 => [b"{\"a\":".repeat(depth), b"1".to_vec(), b"}".repeat(depth)].concat(),
        2 => [
            b"[{\"id\":".repeat(depth),
            b"null".to_vec(),
            b"}]".repeat(depth),
        ]
        .concat(),
        _ => b"[".repeat(depth),
    }
}

const MARKER: &str = "@@clerk_fuzz_marker@@";

/// Every JSON pointer of `value` (the root is `""`).
fn pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    out.push(at.to_owned());
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let key = key.replace('~', "~0").replace('/', "~1");
                pointers(item, &format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointers(item, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn random_node(rng: &mut Rng, value: &Value) -> String {
    let mut all = Vec::new();
    pointers(value, "", &mut all);
    rng.pick(&all).clone()
}

/// A value of another type than `value`.
fn other_type(rng: &mut Rng, value: &Value) -> Value {
    let choices = match value {
        Value::Null => vec![json!({}), json!([]), json!(0), json!(""), json!(false)],
        Value::Bool(b) => vec![json!(b.to_string()), json!(1), Value::Null, json!([b])],
        Value::Number(n) => vec![json!(n.to_string()), json!(true), json!({}), json!([n])],
        Value::String(s) => vec![
            json!(42),
            json!(-1.5),
            json!(true),
            json!([s]),
            json!({"s": s}),
        ],
        Value::Array(items) => vec![
            json!({}),
            json!("array"),
            json!(7),
            json!([1, "two", null, {}, [], false]),
            json!([items.clone()]),
        ],
        Value::Object(_) => vec![json!([]), json!("object"), json!(1), json!([value.clone()])],
    };
    rng.pick(&choices).clone()
}

/// `valid` with the node at a random pointer replaced by raw bytes (written as they are, so
/// they need not be JSON).
fn splice(rng: &mut Rng, valid: &Value, raw: &[u8]) -> Vec<u8> {
    let mut value = valid.clone();
    let at = random_node(rng, &value);
    if let Some(node) = value.pointer_mut(&at) {
        *node = Value::String(MARKER.to_owned());
    }
    let text = serde_json::to_vec(&value).unwrap_or_default();
    let marker = format!("\"{MARKER}\"").into_bytes();
    match text
        .windows(marker.len())
        .position(|w| w == marker.as_slice())
    {
        Some(i) => [&text[..i], raw, &text[i + marker.len()..]].concat(),
        None => text,
    }
}

/// One mutation of `valid` (whose JSON text is `text`).
fn mutate(rng: &mut Rng, valid: &Value, text: &[u8]) -> (Mutation, Vec<u8>) {
    let mutation = *rng.pick(&MUTATIONS);
    let mut bytes = text.to_vec();
    match mutation {
        Mutation::RandomBytes => {
            let len = rng.below(256);
            bytes = rng.bytes(len);
        }
        Mutation::TokenSoup => {
            bytes.clear();
            for _ in 0..=rng.below(64) {
                let token: &[u8] = rng.pick::<&[u8]>(TOKENS);
                bytes.extend_from_slice(token);
            }
        }
        Mutation::Truncate => bytes.truncate(rng.below(bytes.len())),
        Mutation::FlipBytes => {
            for _ in 0..=rng.below(8) {
                let i = rng.below(bytes.len());
                let new = match rng.below(3) {
                    0 => bytes.get(i).map_or(0, |b| b ^ (1 << rng.below(8))),
                    1 => rng.byte(),
                    _ => *rng.pick(b"{}[]\",:0-.eE\\ntf"),
                };
                if let Some(b) = bytes.get_mut(i) {
                    *b = new;
                }
            }
        }
        Mutation::DeleteRange => {
            let start = rng.below(bytes.len());
            let most = if rng.one_in(4) { bytes.len() } else { 64 };
            let len = 1 + rng.below(most);
            let end = (start + len).min(bytes.len());
            bytes.drain(start..end);
        }
        Mutation::DuplicateRange => {
            let start = rng.below(bytes.len());
            let end = (start + 1 + rng.below(256)).min(bytes.len());
            let copy = bytes[start..end].to_vec();
            let at = rng.below(bytes.len() + 1);
            bytes.splice(at..at, copy);
        }
        Mutation::InsertTokens => {
            for _ in 0..=rng.below(4) {
                let at = rng.below(bytes.len() + 1);
                let token = rng.pick(TOKENS).to_vec();
                bytes.splice(at..at, token);
            }
        }
        Mutation::TypeSwap => {
            let mut value = valid.clone();
            // Several swaps sometimes, so one is not always at the root.
            for _ in 0..=rng.below(3) {
                let at = random_node(rng, &value);
                if let Some(node) = value.pointer_mut(&at) {
                    *node = other_type(rng, node);
                }
            }
            bytes = serde_json::to_vec(&value).unwrap_or_default();
        }
        Mutation::HugeNumber => {
            let raw = rng.pick(HUGE_NUMBERS).as_bytes().to_vec();
            bytes = splice(rng, valid, &raw);
        }
        Mutation::OddString => {
            let raw = rng.pick(odd_strings()).clone();
            bytes = splice(rng, valid, &raw);
        }
        Mutation::DeepNesting => {
            let raw = nesting(rng);
            bytes = splice(rng, valid, &raw);
        }
        Mutation::DropMember => {
            let mut value = valid.clone();
            let at = random_node(rng, &value);
            let (parent, key) = at.rsplit_once('/').unwrap_or(("", ""));
            match value.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&key.replace("~1", "/").replace("~0", "~"));
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = key.parse::<usize>()
                        && i < items.len()
                    {
                        items.remove(i);
                    }
                }
                _ => value = Value::Null,
            }
            bytes = serde_json::to_vec(&value).unwrap_or_default();
        }
    }
    (mutation, bytes)
}

// ---------------------------------------------------------------------------------------------
// Running a parser and reporting.

/// A parser that panicked or answered with the wrong kind of result.
struct Failure {
    parser: String,
    case: String,
    problem: String,
    input: Vec<u8>,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 4096;
        let shown = &self.input[..self.input.len().min(SHOWN)];
        write!(
            f,
            "{} [{}]: {}\n  input ({} bytes{}): b\"{}\"",
            self.parser,
            self.case,
            self.problem,
            self.input.len(),
            if self.input.len() > SHOWN {
                ", first 4096 shown; rerun with the same CLERK_FUZZ_SEED to regenerate it"
            } else {
                ""
            },
            shown.escape_ascii()
        )
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned());
    format!("PANICKED: {text}")
}

/// Runs `f`, turning a panic into its message.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| panic_message(payload.as_ref()))
}

#[derive(Default)]
struct Tally {
    inputs: usize,
    ok: usize,
    decode: usize,
    api: usize,
    failures: Vec<Failure>,
}

impl Tally {
    fn fail(&mut self, parser: &str, case: String, problem: String, input: &[u8]) {
        self.failures.push(Failure {
            parser: parser.to_owned(),
            case,
            problem,
            input: input.to_vec(),
        });
    }

    fn assert_clean(&self, what: &str, seed: u64) {
        const LISTED: usize = 20;
        let listed: Vec<String> = self
            .failures
            .iter()
            .take(LISTED)
            .map(ToString::to_string)
            .collect();
        assert!(
            self.failures.is_empty(),
            "{what}: {} of {} malformed inputs were mishandled (CLERK_FUZZ_SEED={seed:#x}); the first {}:\n{}",
            self.failures.len(),
            self.inputs,
            listed.len(),
            listed.join("\n")
        );
    }
}

fn response(status: u16, headers: &HeaderMap, body: Vec<u8>) -> http::Response<Vec<u8>> {
    let mut response = http::Response::new(body);
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or_default();
    *response.headers_mut() = headers.clone();
    response
}

/// Odd `Retry-After`, `Date` and trace headers, the way a proxy or a bad server sends them.
fn odd_error_headers(rng: &mut Rng) -> HeaderMap {
    const WAITS: &[&str] = &[
        "0",
        "1.5",
        "5.",
        ".5",
        " 7 ",
        "-1",
        "1e3",
        "inf",
        "NaN",
        "99999999999999999999",
        "18446744073709551616",
        "18446744073709551615.999999999999",
        "1.00000000000000000000000000001",
        "Fri, 27 Nov 2026 18:00:07 GMT",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Thu, 01 Jan 1970 00:00:00 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "Mon, 32 Feb 2026 25:61:61 GMT",
        "Fri, 27 Nov 99999999999 18:00:07 GMT",
        "",
    ];
    const DATES: &[&str] = &[
        "Fri, 27 Nov 2026 18:00:00 GMT",
        "Thu, 01 Jan 1970 00:00:00 GMT",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Sat, 00 Jan 0000 00:00:00 GMT",
        "Fri, 27 Nov -2026 18:00:00 GMT",
        "yesterday",
    ];
    let mut headers = HeaderMap::new();
    let mut add = |name: &'static str, value: Vec<u8>| {
        if let Ok(value) = HeaderValue::from_bytes(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    };
    if !rng.one_in(3) {
        let wait = if rng.one_in(4) {
            let len = rng.below(40);
            rng.bytes(len)
        } else {
            rng.pick(WAITS).as_bytes().to_vec()
        };
        add("retry-after", wait);
    }
    if rng.one_in(2) {
        add("date", rng.pick(DATES).as_bytes().to_vec());
    }
    if rng.one_in(3) {
        let len = rng.below(40);
        add("x-clerk-trace-id", rng.bytes(len));
    }
    headers
}

/// Clerk's error body, valid.
fn clerk_error_body() -> Value {
    json!({
        "errors": [{"code": "form_param_invalid", "message": "is invalid", "long_message": "x is invalid",
                    "meta": {"param_name": "x"}}],
        "clerk_trace_id": "trace_1",
        "meta": {"n": 1},
    })
}

/// The sample bodies of an operation (four for a JSON answer, `{}` for an empty one).
fn samples_of(spec: &Spec, schema: Option<&&Value>) -> Vec<(Value, Vec<u8>)> {
    let values: Vec<Value> = match schema {
        Some(schema) => MODES
            .iter()
            .map(|mode| spec.sample(schema, *mode, 0))
            .collect(),
        None => vec![json!({})],
    };
    values
        .into_iter()
        .map(|v| {
            let text = serde_json::to_vec(&v).unwrap_or_default();
            (v, text)
        })
        .collect()
}

/// One input to an operation's parser, checked: a 2xx answer parses or is `Error::Decode`
/// with its status, a path and the whole body; any other status is `Error::Api` with its
/// status and the whole body. `Display` and `Debug` of the error run too.
fn check_operation(tally: &mut Tally, case: &Case, input: (&str, u16, &HeaderMap), body: &[u8]) {
    let (mutation, status, headers) = input;
    tally.inputs += 1;
    let what = format!("{mutation}, status {status}, headers {headers:?}");
    let outcome = guarded(|| {
        let result = (case.parse)(response(status, headers, body.to_vec()));
        if let Err(error) = &result {
            let _ = (error.to_string(), format!("{error:?}"));
        }
        result
    });
    let problem = match outcome {
        Err(panic) => Some(panic),
        Ok(Ok(())) if (200..300).contains(&status) => {
            tally.ok += 1;
            None
        }
        Ok(Err(Error::Decode(e))) if (200..300).contains(&status) => {
            tally.decode += 1;
            if e.status != status {
                Some(format!("a decode error with status {}", e.status))
            } else if e.path.is_empty() {
                Some("a decode error without a path".to_owned())
            } else if e.body != body {
                Some("a decode error that does not keep the body".to_owned())
            } else {
                None
            }
        }
        Ok(Err(Error::Api(e))) if !(200..300).contains(&status) => {
            tally.api += 1;
            if e.status != status {
                Some(format!("an API error with status {}", e.status))
            } else if e.body != body {
                Some("an API error that does not keep the body".to_owned())
            } else {
                None
            }
        }
        Ok(other) => Some(format!("the wrong result: {other:?}")),
    };
    if let Some(problem) = problem {
        tally.fail(case.id, what, problem, body);
    }
    // The untyped parse of every operation (`send_raw`) on the same input, now and then.
    if tally.inputs.is_multiple_of(8) {
        let outcome = guarded(|| {
            <clerk_backend_core::users::GetUser as clerk_backend_core::Endpoint>::parse_raw(
                response(status, headers, body.to_vec()),
            )
            .map(drop)
        });
        match outcome {
            Err(panic) => tally.fail("parse_raw", format!("status {status}"), panic, body),
            Ok(Ok(())) | Ok(Err(Error::Decode(_) | Error::Api(_))) => {}
            Ok(Err(other)) => tally.fail(
                "parse_raw",
                format!("status {status}"),
                format!("the wrong error: {other:?}"),
                body,
            ),
        }
    }
}

#[test]
fn every_operation_parser_types_malformed_answers_and_never_panics() {
    let Settings { seed, iterations } = settings();
    let started = Instant::now();
    let spec = Spec::load();
    let schemas = spec.response_schemas();
    assert_eq!(
        CASES.len(),
        clerk_backend_core::OPERATIONS.len(),
        "every operation has a case"
    );
    let error_body = clerk_error_body();
    let error_text = serde_json::to_vec(&error_body).unwrap_or_default();
    let mut tally = Tally::default();
    let mut without_decode_errors = Vec::new();
    for case in CASES {
        let mut rng = Rng::new(seed, case.id);
        let schema = schemas.get(case.id);
        let samples = samples_of(&spec, schema);
        // The valid samples themselves parse (else the mutations start from nothing).
        for (_, text) in &samples {
            check_operation(
                &mut tally,
                case,
                ("valid sample", 200, &HeaderMap::new()),
                text,
            );
        }
        let decode_before = tally.decode;
        for _ in 0..iterations {
            let failing = rng.one_in(6);
            let (valid, text) = if failing && rng.one_in(2) {
                (&error_body, &error_text)
            } else {
                let (v, t) = rng.pick(&samples);
                (v, t)
            };
            let (mutation, body) = mutate(&mut rng, valid, text);
            let (status, headers) = if failing {
                let status = *rng.pick(&[400, 401, 402, 403, 404, 409, 422, 429, 500, 502, 503]);
                (status, odd_error_headers(&mut rng))
            } else {
                (
                    *rng.pick(&[200, 200, 200, 200, 201, 202, 204]),
                    HeaderMap::new(),
                )
            };
            check_operation(
                &mut tally,
                case,
                (&format!("{mutation:?}"), status, &headers),
                &body,
            );
        }
        if schema.is_some() && tally.decode == decode_before && iterations >= 8 {
            without_decode_errors.push(case.id);
        }
    }
    println!(
        "{} operations, {} inputs (seed {seed:#x}, {iterations} per operation): {} parsed, {} decode errors, {} API errors, {} mishandled; {:.2?}",
        CASES.len(),
        tally.inputs,
        tally.ok,
        tally.decode,
        tally.api,
        tally.failures.len(),
        started.elapsed()
    );
    tally.assert_clean("operation parsers", seed);
    assert!(
        without_decode_errors.is_empty(),
        "no mutation reached a decode error of {without_decode_errors:?}: the harness does not reach their parsers"
    );
    assert!(
        tally.ok > CASES.len() && tally.api > 0,
        "every outcome was exercised"
    );
}

// ---------------------------------------------------------------------------------------------
// Tokens.

/// The three parts of a JWT.
fn parts(token: &str) -> Vec<&str> {
    token.split('.').collect()
}

/// A JWT of raw header and claims text, signed with key a (or carrying `signature` as given).
fn jwt(header: &[u8], claims: &[u8], signature: Option<&str>) -> String {
    let input = format!("{}.{}", b64(header), b64(claims));
    match signature {
        Some(signature) => format!("{input}.{signature}"),
        None => {
            let signature = key_a().sign_bytes("RS256", input.as_bytes());
            format!("{input}.{}", b64(signature))
        }
    }
}

/// A signed-in verdict is allowed only for a token whose signed parts are unchanged.
fn check_verdict(
    tally: &mut Tally,
    parser: &str,
    token: &str,
    original: &str,
    resigned: bool,
    status: Result<auth::AuthStatus, String>,
) {
    tally.inputs += 1;
    let problem = match status {
        Err(panic) => Some(panic),
        Ok(status) => {
            let _ = format!("{status:?}");
            if status.is_signed_in() {
                tally.ok += 1;
            }
            let forged = !resigned && parts(token).get(..2) != parts(original).get(..2);
            if status.is_signed_in() && forged {
                Some(format!("a forged token signed in: {status:?}"))
            } else if !status.is_signed_in() && status.reason().is_none() {
                Some("signed out without a reason".to_owned())
            } else {
                None
            }
        }
    };
    if let Some(problem) = problem {
        tally.fail(
            parser,
            format!("from {original}"),
            problem,
            token.as_bytes(),
        );
    }
}

#[test]
fn token_parsers_never_panic_and_forged_tokens_never_sign_in() {
    let Settings { seed, iterations } = settings();
    let started = Instant::now();
    let now = tokens::now();
    let key = pem_a();
    let options = AuthOptions::new().accepts_any();
    let n = tokens::NOW;
    let session = tokens::session_claims("user_fuzz", n);
    let m2m_header =
        json!({"alg": "RS256", "typ": "JWT", "kid": key_a().kid, "cat": auth::category::M2M});
    let m2m = json!({"sub": "mch_fuzz", "iss": "https://clerk.example.test", "iat": n, "nbf": n - 10,
                     "exp": n + 60, "jti": "mt_fuzz", "scopes": "mch_other", "aud": ["x"]});
    let oauth_header = json!({"alg": "RS256", "typ": "at+jwt", "kid": key_a().kid});
    let oauth = json!({"sub": "user_fuzz", "client_id": "client_1", "scope": "read write",
                       "iss": "https://clerk.example.test", "iat": n, "nbf": n - 10, "exp": n + 60,
                       "jti": "oat_fuzz"});
    let jwts: Vec<(Value, Value)> = vec![
        (key_a().header(), session.clone()),
        (m2m_header, m2m),
        (oauth_header, oauth),
    ];
    let signed: Vec<String> = jwts.iter().map(|(h, c)| key_a().sign(h, c)).collect();
    for token in &signed {
        let status = Authentication::from_token(token, &options).verdict(key, now);
        assert!(
            status.is_signed_in(),
            "the valid token signs in: {status:?}"
        );
    }
    let opaque = [
        "mt_0123456789abcdef",
        "oat_0123456789abcdef",
        "ak_0123456789abcdef",
    ];
    let mut tally = Tally::default();
    let mut rng = Rng::new(seed, "tokens");
    // Re-signing costs an RSA signature (slow in a debug build): a bounded share of inputs.
    let mut signatures_left = iterations.div_ceil(2);
    for _ in 0..iterations * 16 {
        let which = rng.below(signed.len() + opaque.len());
        let original: &str = match signed.get(which) {
            Some(token) => token,
            None => opaque[which - signed.len()],
        };
        let mut resigned = false;
        let token = match (jwts.get(which), rng.below(3)) {
            (Some((header, claims)), 0) => {
                // A JSON mutation of the header or the claims, re-signed or not.
                let in_header = rng.one_in(3);
                let part = if in_header { header } else { claims };
                let text = serde_json::to_vec(part).unwrap_or_default();
                let (_, mutated) = mutate(&mut rng, part, &text);
                let (h, c) = if in_header {
                    (mutated, serde_json::to_vec(claims).unwrap_or_default())
                } else {
                    (serde_json::to_vec(header).unwrap_or_default(), mutated)
                };
                let old = parts(original)
                    .get(2)
                    .copied()
                    .unwrap_or_default()
                    .to_owned();
                if signatures_left > 0 && rng.one_in(2) {
                    signatures_left -= 1;
                    resigned = true;
                    jwt(&h, &c, None)
                } else {
                    jwt(&h, &c, Some(&old))
                }
            }
            _ => {
                let valid = Value::String(original.to_owned());
                let (_, mutated) = mutate(&mut rng, &valid, original.as_bytes());
                // The JSON mutations quote it: unquote, so the token stays a bare token.
                let text = String::from_utf8_lossy(&mutated).into_owned();
                text.trim_matches('"').to_owned()
            }
        };
        let kind = guarded(|| auth::classify(&token));
        if let Err(panic) = kind {
            tally.fail(
                "auth::classify",
                format!("from {original}"),
                panic,
                token.as_bytes(),
            );
        }
        let status = guarded(|| Authentication::from_token(&token, &options).verdict(key, now));
        check_verdict(
            &mut tally,
            "Authentication::from_token",
            &token,
            original,
            resigned,
            status,
        );

        // The same token in a request's headers: `Authorization`, or the session cookie.
        let mut headers = HeaderMap::new();
        let value = if rng.one_in(2) {
            format!("Bearer {token}")
        } else {
            let uat = rng.pick(&["0", "1", "1700000000", "-1", "1e999", "NaN", "x", ""]);
            format!("__session={token}; __client_uat={uat}")
        };
        let name = if value.starts_with("Bearer") {
            "authorization"
        } else {
            "cookie"
        };
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
            let status =
                guarded(|| Authentication::from_headers(&headers, &options).verdict(key, now));
            check_verdict(
                &mut tally,
                "Authentication::from_headers",
                &token,
                original,
                resigned,
                status,
            );
        }
    }
    println!(
        "{} token inputs (seed {seed:#x}), {} signed in (re-signed mutations among them), {} mishandled; {:.2?}",
        tally.inputs,
        tally.ok,
        tally.failures.len(),
        started.elapsed()
    );
    tally.assert_clean("token parsers", seed);
}

#[test]
fn machine_token_answers_and_jwks_never_panic() {
    let Settings { seed, iterations } = settings();
    let spec = Spec::load();
    let schemas = spec.response_schemas();
    let now = tokens::now();
    let options = AuthOptions::new().accepts_any();
    let mut tally = Tally::default();
    let mut rng = Rng::new(seed, "machine answers");
    let later = tokens::NOW + 60;
    for (token, kind, operation, answer) in [
        (
            "mt_0123456789abcdef",
            TokenType::M2mToken,
            "verifyM2MToken",
            json!({"object": "machine_to_machine_token", "id": "mt_1", "subject": "mch_1",
                   "scopes": ["mch_2"], "claims": {"a": 1}, "revoked": false,
                   "revocation_reason": null, "expired": false, "expiration": later * 1000,
                   "created_at": 1, "updated_at": 1}),
        ),
        (
            "oat_0123456789abcdef",
            TokenType::OauthToken,
            "verifyOAuthAccessToken",
            json!({"object": "clerk_idp_oauth_access_token", "id": "oat_1", "client_id": "c",
                   "subject": "user_1", "scopes": ["read"], "revoked": false,
                   "revocation_reason": null, "expired": false, "expiration": later,
                   "created_at": 1, "updated_at": 1}),
        ),
        (
            "ak_0123456789abcdef",
            TokenType::ApiKey,
            "verifyApiKey",
            json!({"object": "api_key", "id": "ak_1", "type": "api_key", "subject": "user_1",
                   "name": "n", "scopes": ["s"], "claims": {"a": 1}, "revoked": false,
                   "revocation_reason": null, "expired": false, "expiration": null,
                   "created_by": null, "created_at": 1, "updated_at": 1}),
        ),
    ] {
        // The spec's samples (revoked, mostly), and an answer that signs the token in.
        let mut samples = samples_of(&spec, schemas.get(operation));
        let answer_text = serde_json::to_vec(&answer).unwrap_or_default();
        let signs_in = {
            let mut authentication = Authentication::from_token(token, &options);
            let _ = authentication.step(pem_a(), now);
            let answer = Ok(response(200, &HeaderMap::new(), answer_text.clone()));
            authentication.on_machine_response(answer, now)
        };
        assert!(signs_in.is_signed_in(), "{operation}: {signs_in:?}");
        samples.push((answer.clone(), answer_text.clone()));
        samples.push((answer, answer_text));
        for _ in 0..iterations * 4 {
            let (valid, text) = rng.pick(&samples);
            let (mutation, body) = if rng.one_in(8) {
                (None, text.clone())
            } else {
                let (mutation, body) = mutate(&mut rng, valid, text);
                (Some(mutation), body)
            };
            let status = *rng.pick(&[200, 200, 200, 201, 401, 403, 404, 429, 500]);
            tally.inputs += 1;
            let verdict = guarded(|| {
                let mut authentication = Authentication::from_token(token, &options);
                match authentication.step(pem_a(), now) {
                    Step::VerifyMachineToken(request) if request.token_type() == kind => {
                        let answer = Ok(response(status, &HeaderMap::new(), body.clone()));
                        Some(authentication.on_machine_response(answer, now))
                    }
                    _ => None,
                }
            });
            let case = format!("{operation}, status {status}, {mutation:?}");
            match verdict {
                Err(panic) => tally.fail("Authentication::on_machine_response", case, panic, &body),
                Ok(None) => tally.fail(
                    "Authentication::step",
                    case,
                    format!("no verification request of a {kind} for an opaque token"),
                    &body,
                ),
                Ok(Some(status_seen)) => {
                    if status_seen.is_signed_in() {
                        tally.ok += 1;
                    }
                    if status_seen.is_signed_in() && !(200..300).contains(&status) {
                        tally.fail(
                            "Authentication::on_machine_response",
                            case,
                            format!("a {status} answer signed in"),
                            &body,
                        );
                    }
                }
            }
        }
    }

    // The JWKS: a mutated answer goes through GetJwks's parser into the cache, which then
    // verifies a valid token (or signs it out), without a panic.
    let jwks = tokens::jwks(&[key_a(), key_b()]);
    let jwks_text = serde_json::to_vec(&jwks).unwrap_or_default();
    let token = key_a().session_token(&tokens::session_claims("user_fuzz", tokens::NOW));
    for _ in 0..iterations * 4 {
        let (mutation, body) = mutate(&mut rng, &jwks, &jwks_text);
        tally.inputs += 1;
        let outcome = guarded(|| {
            let mut cache = JwksCache::new();
            cache.on_jwks(
                GetJwks::parse(response(200, &HeaderMap::new(), body.clone())),
                now,
            );
            Authentication::from_token(&token, &options).verdict(&cache, now)
        });
        if let Err(panic) = outcome {
            tally.fail("JwksCache::on_jwks", format!("{mutation:?}"), panic, &body);
        }
    }
    println!(
        "{} machine-token answers and JWKS (seed {seed:#x}), {} signed in, {} mishandled",
        tally.inputs,
        tally.ok,
        tally.failures.len()
    );
    tally.assert_clean("machine-token answers and JWKS", seed);
    assert!(
        tally.ok > 0,
        "no answer signed in: the typed callers were never built"
    );
}

// ---------------------------------------------------------------------------------------------
// Webhooks.

const WEBHOOK_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

#[test]
fn webhook_parsers_type_malformed_deliveries_and_never_panic() {
    let Settings { seed, iterations } = settings();
    let started = Instant::now();
    let secret = SigningSecret::new(WEBHOOK_SECRET).expect("the test secret");
    let verifier = Verifier::new(secret.clone());
    let timestamp = i64::try_from(tokens::NOW).unwrap_or_default();
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(tokens::NOW + 5);
    let mut tally = Tally::default();
    for event in EVENTS {
        let mut rng = Rng::new(seed, event.event_type);
        let bodies: Vec<(Value, Vec<u8>)> = std::iter::once(event.sample)
            .chain(event.example)
            .map(|b| {
                (
                    serde_json::from_str(b).unwrap_or_default(),
                    b.as_bytes().to_vec(),
                )
            })
            .collect();
        for _ in 0..iterations {
            let (valid, text) = rng.pick(&bodies);
            let (mutation, body) = mutate(&mut rng, valid, text);
            let case = format!("{} {mutation:?}", event.event_type);
            tally.inputs += 1;

            // `parse_event`: an event, or a decode error with a path and the body.
            let parsed = guarded(|| {
                let result = webhook::parse_event(&body);
                if let Err(e) = &result {
                    let _ = (e.to_string(), format!("{e:?}"));
                }
                result.map(|event| format!("{event:?}").len())
            });
            let parses = match parsed {
                Err(panic) => {
                    tally.fail("webhook::parse_event", case.clone(), panic, &body);
                    continue;
                }
                Ok(Ok(_)) => {
                    tally.ok += 1;
                    true
                }
                Ok(Err(Error::Decode(e))) => {
                    tally.decode += 1;
                    if e.path.is_empty() || e.body != body {
                        tally.fail(
                            "webhook::parse_event",
                            case.clone(),
                            "a decode error without its path or body".into(),
                            &body,
                        );
                    }
                    false
                }
                Ok(Err(other)) => {
                    tally.fail(
                        "webhook::parse_event",
                        case.clone(),
                        format!("the wrong error: {other:?}"),
                        &body,
                    );
                    false
                }
            };

            // `verify`: the mutated body signed as it is verifies exactly when it parses.
            let set = if rng.one_in(2) {
                HeaderSet::Svix
            } else {
                HeaderSet::Standard
            };
            let headers = webhook::sign(&secret, "msg_fuzz", timestamp, &body).headers(set);
            match guarded(|| verifier.verify(&headers, &body, now).map(drop)) {
                Err(panic) => tally.fail("Verifier::verify", case.clone(), panic, &body),
                Ok(Ok(())) if parses => {}
                Ok(Err(e)) if !parses && e.kind() == WebhookErrorKind::InvalidEvent => {}
                Ok(other) => tally.fail(
                    "Verifier::verify",
                    case.clone(),
                    format!("signed body: {other:?}, while parse_event says parses={parses}"),
                    &body,
                ),
            }

            // The original's signature over a changed body never verifies.
            if body != *text {
                let headers = webhook::sign(&secret, "msg_fuzz", timestamp, text).headers(set);
                match guarded(|| verifier.verify(&headers, &body, now).map(drop)) {
                    Err(panic) => tally.fail("Verifier::verify", case.clone(), panic, &body),
                    Ok(Err(e)) if e.kind() == WebhookErrorKind::NoMatchingSignature => {}
                    Ok(other) => tally.fail(
                        "Verifier::verify",
                        case.clone(),
                        format!("a changed body under the original signature: {other:?}"),
                        &body,
                    ),
                }
            }

            // Mangled headers: a refusal or a verification, never a panic.
            let mut headers = webhook::sign(&secret, "msg_fuzz", timestamp, text).headers(set);
            let names: Vec<HeaderName> = headers.keys().cloned().collect();
            let name = rng.pick(&names).clone();
            let value = headers
                .get(&name)
                .map(|v| v.as_bytes().to_vec())
                .unwrap_or_default();
            let (_, mangled) = mutate(&mut rng, &Value::Null, &value);
            if let Ok(mangled) = HeaderValue::from_bytes(&mangled) {
                headers.insert(name.clone(), mangled);
                if let Err(panic) = guarded(|| verifier.verify(&headers, text, now).map(drop)) {
                    tally.fail(
                        "Verifier::verify",
                        format!("{case}, header {name}"),
                        panic,
                        text,
                    );
                }
            }
        }
    }
    println!(
        "{} webhook deliveries of {} events (seed {seed:#x}): {} parsed, {} decode errors, {} mishandled; {:.2?}",
        tally.inputs,
        EVENTS.len(),
        tally.ok,
        tally.decode,
        tally.failures.len(),
        started.elapsed()
    );
    tally.assert_clean("webhook parsers", seed);
    assert!(
        tally.ok > 0 && tally.decode > 0,
        "both outcomes were exercised"
    );
}

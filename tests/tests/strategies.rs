//! The property-test strategies of core's `proptest` feature: every generated `Arbitrary` draws
//! operations that core builds into a request or refuses with a typed error (never a panic), and
//! models whose JSON reads back as the same value.
//!
//! `CLERK_STRATEGY_CASES` sets how many values are drawn per type (default 24).

use std::cell::Cell;

use clerk_backend_core::organizations::CreateOrganization;
use clerk_backend_core::strategies::{id, metadata, nullable, optional, text};
use clerk_backend_core::users::{UpdateUser, UpdateUserMetadata};
use clerk_backend_core::{Config, Endpoint, Error, Nullable};
use clerk_backend_tests::generated::strategies::{
    ModelCheck, OperationCheck, every_model, every_operation, every_webhook_type,
};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};
use serde_json::{Map, Value};

/// Values drawn per type: `CLERK_STRATEGY_CASES`, else 24.
fn cases() -> u32 {
    std::env::var("CLERK_STRATEGY_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24)
}

fn runner() -> TestRunner {
    TestRunner::new(RunnerConfig {
        cases: cases(),
        failure_persistence: None,
        ..RunnerConfig::default()
    })
}

/// Both keys, so that every operation has the key its `security` asks for.
fn config() -> Config {
    Config::new("sk_test_strategies")
        .and_then(|c| c.with_machine_secret_key("ak_test_strategies"))
        .expect("config")
}

/// For every operation: each drawn value builds a request of the operation's method under
/// `/v1`, with a JSON body that parses when it says it is JSON, the same request when built
/// twice; or it is refused with `Error::InvalidInput` / `Error::Config`. At least one drawn
/// value per operation builds.
struct Requests {
    config: Config,
    failures: Vec<String>,
    operations: usize,
}

impl OperationCheck for Requests {
    fn run<E: Endpoint + Arbitrary>(&mut self, id: &'static str) {
        self.operations += 1;
        let built = Cell::new(0_u32);
        let config = &self.config;
        let result = runner().run(&any::<E>(), |request| {
            let _ = format!("{request:?}");
            let first = request.to_http(config);
            let again = request.to_http(config);
            match (&first, &again) {
                (Ok(http), Ok(http_again)) => {
                    built.set(built.get() + 1);
                    prop_assert_eq!(http.method(), &E::OPERATION.method);
                    prop_assert!(http.uri().path().starts_with("/v1/"), "{}", http.uri());
                    prop_assert_eq!(http.uri(), http_again.uri());
                    prop_assert_eq!(http.headers(), http_again.headers());
                    prop_assert_eq!(http.body(), http_again.body());
                    let json = http
                        .headers()
                        .get(http::header::CONTENT_TYPE)
                        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
                    if json {
                        let parsed = serde_json::from_slice::<Value>(http.body());
                        prop_assert!(parsed.is_ok(), "body is not JSON: {parsed:?}");
                    }
                }
                (Err(Error::InvalidInput(_) | Error::Config(_)), Err(_)) => {}
                (first, again) => {
                    prop_assert!(
                        false,
                        "neither a request nor a typed refusal, or not the same twice: {first:?} / {again:?}"
                    );
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            self.failures.push(format!("{id}: {e}"));
        } else if built.get() == 0 {
            self.failures
                .push(format!("{id}: no drawn value built a request"));
        }
    }
}

#[test]
fn every_operation_strategy_builds_a_request_or_a_typed_refusal() {
    let mut check = Requests {
        config: config(),
        failures: Vec::new(),
        operations: 0,
    };
    every_operation(&mut check);
    assert_eq!(
        check.operations,
        clerk_backend_core::OPERATIONS.len(),
        "the generated list names every operation"
    );
    assert!(check.failures.is_empty(), "{}", check.failures.join("\n"));
}

/// For every model: a drawn value's JSON (`serde_json::to_value`) reads back with the model's
/// own deserializer as an equal value, and its `Debug` does not panic.
struct Models {
    failures: Vec<String>,
    models: usize,
}

impl ModelCheck for Models {
    fn run<M>(&mut self, name: &'static str)
    where
        M: Arbitrary + PartialEq + serde::Serialize + serde::de::DeserializeOwned,
    {
        self.models += 1;
        let result = runner().run(&any::<M>(), |value| {
            let _ = format!("{value:?}");
            let json = serde_json::to_value(&value);
            prop_assert!(json.is_ok(), "does not serialize: {json:?}");
            let json = json.unwrap_or_default();
            let back = serde_json::from_value::<M>(json.clone());
            prop_assert!(back.is_ok(), "{json} does not read back: {back:?}");
            if let Ok(back) = back {
                prop_assert!(back == value, "{json} reads back as {back:?}");
            }
            Ok(())
        });
        if let Err(e) = result {
            self.failures.push(format!("{name}: {e}"));
        }
    }
}

#[test]
fn every_model_strategy_round_trips_through_json() {
    let mut check = Models {
        failures: Vec::new(),
        models: 0,
    };
    every_model(&mut check);
    assert!(check.models > 100, "only {} models listed", check.models);
    every_webhook_type(&mut check);
    assert!(check.failures.is_empty(), "{}", check.failures.join("\n"));
}

/// The JSON body of a built request.
fn body<E: Endpoint>(request: &E) -> Result<Map<String, Value>, TestCaseError> {
    let http = request
        .to_http(&config())
        .map_err(|e| TestCaseError::fail(format!("refused: {e}")))?;
    match serde_json::from_slice(http.body()) {
        Ok(Value::Object(members)) => Ok(members),
        other => Err(TestCaseError::fail(format!("not a JSON object: {other:?}"))),
    }
}

/// What a nullable member should look like in the body: absent, `null` or the value.
fn expected<T: Into<Value>>(member: Option<Nullable<T>>) -> Option<Value> {
    match member {
        None => None,
        Some(Nullable::Null) => Some(Value::Null),
        Some(Nullable::Value(v)) => Some(v.into()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// A PATCH body holds exactly what was set: left out, cleared with `null`, or the value.
    #[test]
    fn update_user_body_decodes_to_what_was_set(
        first_name in nullable(text()),
        username in nullable(text()),
        external_id in nullable(text()),
        backup_codes in optional(proptest::collection::vec(text(), 0..3)),
    ) {
        let mut request = UpdateUser::new("user_2abc");
        match first_name.clone() {
            Some(Nullable::Value(v)) => request = request.first_name(v),
            Some(Nullable::Null) => request = request.clear_first_name(),
            None => {}
        }
        match username.clone() {
            Some(Nullable::Value(v)) => request = request.username(v),
            Some(Nullable::Null) => request = request.clear_username(),
            None => {}
        }
        match external_id.clone() {
            Some(Nullable::Value(v)) => request = request.external_id(v),
            Some(Nullable::Null) => request = request.clear_external_id(),
            None => {}
        }
        if let Some(codes) = backup_codes.clone() {
            request = request.backup_codes(codes);
        }
        let members = body(&request)?;
        prop_assert_eq!(members.get("first_name").cloned(), expected(first_name));
        prop_assert_eq!(members.get("username").cloned(), expected(username));
        prop_assert_eq!(members.get("external_id").cloned(), expected(external_id));
        prop_assert_eq!(members.get("backup_codes").cloned(), backup_codes.map(Value::from));
        let set = ["first_name", "username", "external_id", "backup_codes"];
        prop_assert!(members.keys().all(|k| set.contains(&k.as_str())), "{members:?}");
    }

    /// Metadata objects reach the body unchanged, and nothing else is sent.
    #[test]
    fn update_user_metadata_body_decodes_to_what_was_set(
        user_id in id("user"),
        public in optional(metadata()),
        private in optional(metadata()),
        unsafe_metadata in optional(metadata()),
    ) {
        let mut request = UpdateUserMetadata::new(user_id.clone());
        if let Some(m) = public.clone() {
            request = request.public_metadata(m);
        }
        if let Some(m) = private.clone() {
            request = request.private_metadata(m);
        }
        if let Some(m) = unsafe_metadata.clone() {
            request = request.unsafe_metadata(m);
        }
        let refused = user_id.is_empty() || user_id == "." || user_id == "..";
        match request.to_http(&config()) {
            Err(Error::InvalidInput(e)) => prop_assert!(refused, "{user_id:?} refused: {e}"),
            Err(other) => prop_assert!(false, "unexpected error {other}"),
            Ok(_) => {
                prop_assert!(!refused, "{user_id:?} accepted");
                let members = body(&request)?;
                prop_assert_eq!(members.get("public_metadata").cloned(), public.map(Value::Object));
                prop_assert_eq!(members.get("private_metadata").cloned(), private.map(Value::Object));
                prop_assert_eq!(members.get("unsafe_metadata").cloned(), unsafe_metadata.map(Value::Object));
                prop_assert!(members.len() <= 3);
            }
        }
    }

    /// A create body holds its required member and each optional one as set.
    #[test]
    fn create_organization_body_decodes_to_what_was_set(
        name in text(),
        slug in nullable(text()),
        max in nullable(0_i64..1000),
        public in nullable(metadata()),
    ) {
        let mut request = CreateOrganization::new(name.clone());
        match slug.clone() {
            Some(Nullable::Value(v)) => request = request.slug(v),
            Some(Nullable::Null) => request = request.clear_slug(),
            None => {}
        }
        match max {
            Some(Nullable::Value(v)) => request = request.max_allowed_memberships(v),
            Some(Nullable::Null) => request = request.clear_max_allowed_memberships(),
            None => {}
        }
        match public.clone() {
            Some(Nullable::Value(v)) => request = request.public_metadata(v),
            Some(Nullable::Null) => request = request.clear_public_metadata(),
            None => {}
        }
        let members = body(&request)?;
        prop_assert_eq!(members.get("name").cloned(), Some(Value::String(name)));
        prop_assert_eq!(members.get("slug").cloned(), expected(slug));
        prop_assert_eq!(members.get("max_allowed_memberships").cloned(), expected(max));
        prop_assert_eq!(members.get("public_metadata").cloned(), expected(public));
        prop_assert!(members.len() <= 4, "{members:?}");
    }
}

/// The shared helpers draw what their docs say: realistic values most of the time.
#[test]
fn helpers_draw_realistic_values() {
    use clerk_backend_core::strategies::{email, phone, timestamp_ms, url};
    use proptest::strategy::ValueTree;

    let mut runner = TestRunner::deterministic();
    let mut draw = |s: &BoxedStrategy<String>| {
        s.new_tree(&mut runner)
            .map(|t| t.current())
            .expect("a value")
    };
    let (ids, emails, urls, phones) = (id("user"), email(), url(), phone());
    let mut realistic_ids = 0;
    for _ in 0..200 {
        let user = draw(&ids);
        let tail = user.strip_prefix("user_").unwrap_or_default();
        if (1..=27).contains(&tail.len()) && tail.bytes().all(|b| b.is_ascii_alphanumeric()) {
            realistic_ids += 1;
        }
        let address = draw(&emails);
        assert!(
            address.contains('@') && !address.starts_with('@'),
            "{address}"
        );
        let link = draw(&urls);
        assert!(link.starts_with("https://"), "{link}");
        let number = draw(&phones);
        assert!(
            number.starts_with('+') && (9..=15).contains(&number.len()),
            "{number}"
        );
    }
    // About one in twenty is an edge case.
    assert!(
        realistic_ids > 160,
        "{realistic_ids} of 200 ids are realistic"
    );
    let millis = timestamp_ms()
        .new_tree(&mut runner)
        .map(|t| t.current())
        .expect("a value");
    assert!((946_684_800_000..4_102_444_800_000).contains(&millis));
}

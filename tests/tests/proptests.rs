//! Property tests of core's encoders and parsers: no network, any input.

use clerk_backend_core::users::{CreateUser, GetUser, GetUserList, UpdateUser};
use clerk_backend_core::{Config, Endpoint, Error, Nullable, Query, encode_path_segment};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn config() -> Config {
    Config::new("sk_test_prop").expect("config")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any id is either refused, or reaches the server as exactly one segment that decodes back.
    #[test]
    fn any_id_is_refused_or_one_segment(id in any::<String>()) {
        match GetUser::new(id.clone()).to_http(&config()) {
            Err(Error::InvalidInput(e)) => {
                prop_assert_eq!(e.parameter, "user_id");
                prop_assert!(id.is_empty() || dot_segment(&id), "{id:?} refused");
            }
            Err(other) => prop_assert!(false, "unexpected error {other}"),
            Ok(request) => {
                prop_assert!(!id.is_empty() && !dot_segment(&id), "{id:?} accepted");
                prop_assert!(request.uri().query().is_none());
                let path = request.uri().path();
                let segment = path.strip_prefix("/v1/users/").expect("prefix");
                prop_assert!(!segment.contains('/'));
                let decoded = percent_encoding::percent_decode_str(segment).decode_utf8().expect("utf8");
                prop_assert_eq!(decoded.as_ref(), id.as_str());
            }
        }
    }

    /// The path encoder agrees with the endpoint and never leaves a reserved byte raw.
    #[test]
    fn path_segment_is_unreserved_ascii(id in ".{1,40}") {
        if let Ok(segment) = encode_path_segment("id", &id) {
            prop_assert!(segment.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
        }
    }

    /// Query encoding round-trips: decoding each pair gives back exactly what was written.
    #[test]
    fn query_round_trips(pairs in proptest::collection::vec((any::<String>(), any::<String>()), 0..8)) {
        let mut query = Query::new();
        for (k, v) in &pairs {
            query.push(k, v);
        }
        let decoded: Vec<(String, String)> = if query.is_empty() {
            Vec::new()
        } else {
            query
                .as_str()
                .split('&')
                .map(|pair| {
                    let (k, v) = pair.split_once('=').expect("key=value");
                    let d = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8().expect("utf8").into_owned();
                    (d(k), d(v))
                })
                .collect()
        };
        prop_assert_eq!(decoded, pairs);
    }

    /// Comma-separated arrays keep each element intact, commas inside values included.
    #[test]
    fn csv_query_round_trips(values in proptest::collection::vec(any::<String>(), 1..6)) {
        let mut query = Query::new();
        query.push_csv("k", &values);
        let encoded = query.as_str().strip_prefix("k=").expect("key");
        let decoded: Vec<String> = encoded
            .split(',')
            .map(|v| percent_encoding::percent_decode_str(v).decode_utf8().expect("utf8").into_owned())
            .collect();
        prop_assert_eq!(decoded, values);
    }

    /// Every list filter reaches the query string, repeated once per value.
    #[test]
    fn list_filters_repeat(emails in proptest::collection::vec("[a-z@.+]{1,12}", 0..5), limit in 1i64..500) {
        let request = GetUserList::new().email_address(emails.clone()).limit(limit).to_http(&config()).expect("request");
        let query = request.uri().query().unwrap_or("");
        let sent: Vec<String> = query
            .split('&')
            .filter_map(|p| p.strip_prefix("email_address="))
            .map(|v| percent_encoding::percent_decode_str(v).decode_utf8().expect("utf8").into_owned())
            .collect();
        prop_assert_eq!(sent, emails);
        let expected_limit = format!("limit={limit}");
        prop_assert!(query.contains(&expected_limit));
    }

    /// A request body's JSON parses back to exactly the values that were set.
    #[test]
    fn update_body_round_trips(
        first in proptest::option::of(any::<String>()),
        clear_last in any::<bool>(),
        limit in proptest::option::of(any::<i64>()),
        trust in proptest::option::of(any::<bool>()),
    ) {
        let mut update = UpdateUser::new("user_1");
        let mut expected = Map::new();
        if let Some(first) = &first {
            update = update.first_name(first.clone());
            expected.insert("first_name".into(), json!(first));
        }
        if clear_last {
            update = update.clear_last_name();
            expected.insert("last_name".into(), Value::Null);
        }
        if let Some(limit) = limit {
            update = update.create_organizations_limit(limit);
            expected.insert("create_organizations_limit".into(), json!(limit));
        }
        if let Some(trust) = trust {
            update = update.bypass_client_trust(trust);
            expected.insert("bypass_client_trust".into(), json!(trust));
        }
        let request = update.to_http(&config()).expect("request");
        let sent: Value = serde_json::from_slice(request.body()).expect("JSON body");
        prop_assert_eq!(sent, Value::Object(expected));
    }

    /// Metadata of any shape survives the body encoding unchanged.
    #[test]
    fn metadata_round_trips(meta in arb_object(), names in proptest::collection::vec(any::<String>(), 0..3)) {
        let create = CreateUser::new().public_metadata(meta.clone()).username(names.join(" "));
        let request = create.to_http(&config()).expect("request");
        let sent: Value = serde_json::from_slice(request.body()).expect("JSON body");
        prop_assert_eq!(&sent["public_metadata"], &meta);
        prop_assert_eq!(&sent["username"], &json!(names.join(" ")));
    }

    /// Parsing never panics, whatever the status and the bytes.
    #[test]
    fn parse_never_panics(status in 100u16..600, body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let response = || http::Response::builder().status(status).body(body.clone()).expect("response");
        let typed = GetUser::parse(response());
        let listed = GetUserList::parse(response());
        let raw = GetUser::parse_raw(response());
        if !(200..300).contains(&status) {
            prop_assert!(matches!(typed, Err(Error::Api(_))));
            prop_assert!(matches!(listed, Err(Error::Api(_))));
            prop_assert!(matches!(raw, Err(Error::Api(_))));
        }
    }

    /// Parsing JSON-shaped noise never panics, and any failure names a path and keeps the body.
    #[test]
    fn parse_json_noise_never_panics(value in arb_json()) {
        let body = serde_json::to_vec(&value).expect("json");
        let response = http::Response::builder().status(200).body(body.clone()).expect("response");
        if let Err(Error::Decode(e)) = GetUser::parse(response) {
            prop_assert_eq!(e.body, body);
            prop_assert!(!e.path.is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// JWKS keys of any mix of members parse without panicking; a key set that parses writes
    /// back as JSON that parses to the same keys, and a failure keeps the body.
    #[test]
    fn jwks_of_any_shape_parse_or_fail_cleanly(keys in proptest::collection::vec(arb_jwk(), 0..4)) {
        use clerk_backend_core::jwks::GetJwks;
        let body = serde_json::to_vec(&json!({"keys": keys})).expect("json");
        match GetJwks::parse(http::Response::new(body.clone())) {
            Ok(jwks) => {
                let again = serde_json::to_vec(&jwks).expect("serialize");
                let reparsed = GetJwks::parse(http::Response::new(again)).expect("reparse");
                prop_assert_eq!(reparsed, jwks);
            }
            Err(Error::Decode(e)) => {
                prop_assert_eq!(e.body, body);
                prop_assert!(e.path.starts_with("keys["), "{}", e.path);
            }
            Err(other) => prop_assert!(false, "unexpected error {other:?}"),
        }
    }

    /// In a nested request object, `None` is absent, `Null` is `null` and a value is the value,
    /// and what is sent decodes back to the same object.
    #[test]
    fn nested_request_members_say_absent_null_or_value(
        url in arb_patch(),
        entity in arb_patch(),
        hint in arb_patch(),
    ) {
        use clerk_backend_core::models::UpdateEnterpriseConnectionSaml;
        let saml = UpdateEnterpriseConnectionSaml {
            idp_metadata_url: url.clone(),
            idp_entity_id: entity.clone(),
            idp_sso_url: hint.clone(),
            ..Default::default()
        };
        let sent = serde_json::to_value(&saml).expect("serialize");
        for (key, patch) in [("idp_metadata_url", &url), ("idp_entity_id", &entity), ("idp_sso_url", &hint)] {
            let expected = patch.as_ref().map(|p| match p {
                Nullable::Null => Value::Null,
                Nullable::Value(v) => json!(v),
            });
            prop_assert_eq!(sent.get(key), expected.as_ref(), "{}", key);
        }
        let back: UpdateEnterpriseConnectionSaml = serde_json::from_value(sent).expect("decode");
        prop_assert_eq!(back, saml);
    }
}

/// A request member: absent, `null`, or a value.
fn arb_patch() -> impl Strategy<Value = Option<Nullable<String>>> {
    prop_oneof![
        Just(None),
        Just(Some(Nullable::Null)),
        any::<String>().prop_map(|v| Some(Nullable::Value(v))),
    ]
}

/// A JSON Web Key of any key type (known or not) with any mix of the members the variants
/// are told apart by, each a string or some other JSON value.
fn arb_jwk() -> impl Strategy<Value = Value> {
    let member = prop_oneof!["[a-zA-Z0-9_-]{0,8}".prop_map(Value::String), arb_json(),];
    (
        prop_oneof![
            Just("RSA"),
            Just("EC"),
            Just("OKP"),
            Just("oct"),
            Just("AKP")
        ],
        proptest::collection::btree_map(
            prop_oneof![
                Just("kid"),
                Just("alg"),
                Just("use"),
                Just("crv"),
                Just("x"),
                Just("y"),
                Just("n"),
                Just("e"),
                Just("d"),
                Just("p"),
                Just("q"),
                Just("k"),
                Just("x5c"),
            ],
            member,
            0..10,
        ),
    )
        .prop_map(|(kty, members)| {
            let mut object: Map<String, Value> = members
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect();
            object.insert("kty".into(), json!(kty));
            Value::Object(object)
        })
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("id".to_owned()),
                    Just("email_addresses".to_owned()),
                    Just("verification".to_owned()),
                    Just("object".to_owned()),
                    Just("created_at".to_owned()),
                    any::<String>()
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn arb_object() -> impl Strategy<Value = Value> {
    proptest::collection::btree_map(any::<String>(), arb_json(), 0..5)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
}

/// The refusal rule, written again as the test's oracle: some percent-decoding of `id` (none,
/// once, twice …) has a `.` or `..` piece between `/` or `\\`.
fn dot_segment(id: &str) -> bool {
    let mut text = id.as_bytes().to_vec();
    loop {
        let lossy = String::from_utf8_lossy(&text).into_owned();
        if lossy
            .split(['/', '\\'])
            .any(|piece| piece == "." || piece == "..")
        {
            return true;
        }
        let decoded: Vec<u8> = percent_encoding::percent_decode(&text).collect();
        if decoded == text {
            return false;
        }
        text = decoded;
    }
}

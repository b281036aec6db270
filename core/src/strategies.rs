//! Property-test strategies: [`Arbitrary`] for every operation and every model (of the API and
//! of the webhook events' data), and the shared value strategies they are built from (feature
//! `proptest`, off by default).
//!
//! Enable the feature in your **dev-dependencies** only, so that `proptest` is never part of a
//! production build:
//!
//! ```toml
//! [dev-dependencies]
//! clerk-backend-core = { version = "0.1", features = ["proptest"] }
//! ```
//!
//! Then any operation or model is a strategy, for tests of your own code:
//!
//! ```
//! use clerk_backend_core::{Config, Endpoint, Error, users::CreateUser};
//! use proptest::prelude::*;
//!
//! let config = Config::new("sk_test_123")?;
//! proptest!(|(req in any::<CreateUser>())| {
//!     // Whatever a user of the crate could write is either a request or a typed refusal.
//!     match req.to_http(&config) {
//!         Ok(http) => prop_assert_eq!(http.method(), "POST"),
//!         Err(Error::InvalidInput(_)) => {}
//!         Err(other) => prop_assert!(false, "unexpected error: {other}"),
//!     }
//! });
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # How the values are chosen
//! - **Operations** are built the way a user writes them: the constructor with its required
//!   inputs, then setters. Each optional input is set about half the time; a member the API
//!   lets a PATCH clear is sometimes cleared with its `clear_…` setter instead (absent, `null`
//!   and a value each about a third of the time).
//! - **Models** are built field by field: optional fields are `None` about half the time;
//!   lists hold 0 to 3 items. Enums are one of their known values nine times in ten and an
//!   `Unknown` value otherwise (a wire string no known variant has); tagged and untagged unions
//!   are one of their variants, and occasionally `Unknown` with a JSON object whose tag no
//!   variant has. A field through which a type could contain itself would be drawn empty, so a
//!   value is always finite (the current spec has no such type).
//! - **Strings** are mostly realistic, chosen by the member's name: ids with Clerk's prefixes
//!   (`user_` followed by 1–27 letters and digits, [`id`]), email addresses ([`email`]), URLs
//!   ([`url`]), phone numbers in E.164 form ([`phone`]); other text ([`text`]) is mostly
//!   short ASCII, sometimes empty, sometimes any printable Unicode.
//! - **Edge cases** appear about one time in twenty: an id that is empty, `.`, `..`, contains
//!   `/` or non-ASCII text (a path parameter like that is refused with
//!   [`Error::InvalidInput`](crate::Error::InvalidInput)); a request `number` that is NaN or
//!   infinite (refused the same way); a metadata member that is not a JSON object (refused).
//! - **Numbers**: integers named `*_at` are timestamps in milliseconds between 2000 and 2100
//!   ([`timestamp_ms`]); `limit` is 1–500, `offset` 0–10 000; other integers are mostly
//!   small, sometimes any `i64` ([`int`]). Model `number`s are finite ([`finite`]).
//! - **Metadata** and free-form JSON ([`metadata`], [`json`]) are objects of up to four
//!   members with nested arrays and objects up to three levels deep.
//!
//! Each [`Arbitrary`] impl is written by the generator with the operations and models
//! (`codegen/src/emit_strategies.rs`); the helpers here are shared by all of them.

use proptest::prelude::*;
use proptest::strategy::Union;

use crate::{FilePart, Nullable};

mod api;
mod models;
#[cfg(feature = "webhook")]
mod webhook;

/// Strings matching `pattern`, a regular expression parsed once, here (a `&str` strategy would
/// parse it again for every value). The patterns are this module's constants; one that did not
/// parse would draw only empty strings, which the module's tests would notice.
fn re(pattern: &str) -> BoxedStrategy<String> {
    match proptest::string::string_regex(pattern) {
        Ok(strategy) => strategy.boxed(),
        Err(_) => Just(String::new()).boxed(),
    }
}

/// A Clerk id with `prefix` (`user` gives `user_2ab…`, 1 to 27 letters and digits after the
/// underscore); about one time in twenty an edge case instead: empty, `.`, `..`, a value with
/// `/`, `?` or `#`, or non-ASCII text.
pub fn id(prefix: &'static str) -> BoxedStrategy<String> {
    let realistic = re("[a-zA-Z0-9]{1,27}").prop_map(move |tail| format!("{prefix}_{tail}"));
    let edge = prop_oneof![
        Just(String::new()),
        Just(".".to_owned()),
        Just("..".to_owned()),
        re("[a-z]{1,6}/[a-z]{1,6}"),
        re("[a-z]{1,6}[?#%][a-z]{0,6}"),
        re("\\PC{1,12}"),
    ];
    Union::new_weighted(vec![(19, realistic.boxed()), (1, edge.boxed())]).boxed()
}

/// An email address (`name+tag@example.com`), occasionally with non-ASCII in the local part.
pub fn email() -> BoxedStrategy<String> {
    prop_oneof![
        9 => re("[a-z][a-z0-9._]{0,15}(\\+[a-z0-9]{1,6})?@(example|mail|corp)\\.(com|org|dev)"),
        1 => re("\\PC{1,8}@example\\.com"),
    ]
    .boxed()
}

/// An `https` URL on an example host, with a path and sometimes a query.
pub fn url() -> BoxedStrategy<String> {
    re(
        "https://(www\\.)?(example|app|auth)\\.(com|dev)(/[a-z0-9_-]{1,10}){0,3}(\\?[a-z]{1,5}=[a-z0-9]{1,5})?",
    )
}

/// A phone number in E.164 form (`+` and 8 to 14 digits).
pub fn phone() -> BoxedStrategy<String> {
    re("\\+[1-9][0-9]{7,13}")
}

/// Free text: mostly short ASCII, sometimes empty, sometimes any printable Unicode.
pub fn text() -> BoxedStrategy<String> {
    prop_oneof![
        7 => re("[a-zA-Z0-9 _.-]{1,24}"),
        1 => Just(String::new()),
        2 => re("\\PC{0,16}"),
    ]
    .boxed()
}

/// A time in milliseconds since the Unix epoch, between 2000-01-01 and 2100-01-01.
pub fn timestamp_ms() -> BoxedStrategy<i64> {
    (946_684_800_000_i64..4_102_444_800_000).boxed()
}

/// An integer: mostly small (0–1000), sometimes negative or any `i64`.
pub fn int() -> BoxedStrategy<i64> {
    prop_oneof![
        8 => 0_i64..=1000,
        1 => -1000_i64..0,
        1 => any::<i64>(),
    ]
    .boxed()
}

/// A page size, 1 to 500.
pub fn limit() -> BoxedStrategy<i64> {
    (1_i64..=500).boxed()
}

/// A page offset, 0 to 10 000.
pub fn offset() -> BoxedStrategy<i64> {
    (0_i64..=10_000).boxed()
}

/// A finite number: whole or fractional, any sign (what a model holds).
pub fn finite() -> BoxedStrategy<f64> {
    prop_oneof![
        3 => (-1000_i64..=1000).prop_map(|n| n as f64),
        2 => -1.0e6_f64..1.0e6,
    ]
    .boxed()
}

/// A request number: [`finite`] mostly, about one time in twenty NaN or an infinity, which
/// the request refuses when it is built.
pub fn number() -> BoxedStrategy<f64> {
    prop_oneof![
        19 => finite(),
        1 => prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY)],
    ]
    .boxed()
}

/// Any JSON value, nested up to three levels (arrays and objects of up to four members).
pub fn json() -> BoxedStrategy<serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1000_i64..=1000).prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(re("[a-z_]{1,10}"), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// Any [`json`] value but `null` (an optional member holding `null` reads back as absent).
pub fn json_present() -> BoxedStrategy<serde_json::Value> {
    json().prop_filter("null", |v| !v.is_null()).boxed()
}

/// A metadata object (`public_metadata`, …): up to four members of any [`json`] value.
pub fn metadata() -> BoxedStrategy<serde_json::Map<String, serde_json::Value>> {
    proptest::collection::btree_map(re("[a-z_]{1,10}"), json(), 0..4)
        .prop_map(|m| m.into_iter().collect())
        .boxed()
}

/// A request's metadata input: [`metadata`] as a JSON object, about one time in twenty a
/// value that is not an object (which the request refuses when it is built).
pub fn metadata_value() -> BoxedStrategy<serde_json::Value> {
    prop_oneof![
        19 => metadata().prop_map(serde_json::Value::Object),
        1 => json(),
    ]
    .boxed()
}

/// A file to upload: up to 64 bytes, a file name and an image or binary media type.
pub fn file_part() -> BoxedStrategy<FilePart> {
    (
        proptest::collection::vec(any::<u8>(), 0..64),
        re("[a-z0-9_-]{1,12}\\.(png|jpg|bin)"),
        prop_oneof![
            Just("image/png"),
            Just("image/jpeg"),
            Just("application/octet-stream")
        ],
    )
        .prop_map(|(bytes, name, kind)| FilePart::new(bytes).filename(name).content_type(kind))
        .boxed()
}

/// A list of 0 to 3 values of `item`.
pub fn list<T: std::fmt::Debug>(item: impl Strategy<Value = T> + 'static) -> BoxedStrategy<Vec<T>> {
    proptest::collection::vec(item, 0..4).boxed()
}

/// An optional value of `value`: `None` about half the time.
pub fn optional<T: std::fmt::Debug>(
    value: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    proptest::option::of(value).boxed()
}

/// A member a request may clear: absent (`None`), `null` or a value, each about a third of
/// the time.
pub fn nullable<T: std::fmt::Debug + Clone + 'static>(
    value: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<Nullable<T>>> {
    prop_oneof![
        Just(None),
        Just(Some(Nullable::Null)),
        value.prop_map(|v| Some(Nullable::Value(v))),
    ]
    .boxed()
}

/// A wire value that none of `known` is: what a newer API might send for an open enum.
pub fn unknown_wire(known: &'static [&'static str]) -> BoxedStrategy<String> {
    re("[a-z][a-z_]{0,15}")
        .prop_filter("a value the enum knows", move |v| {
            !known.contains(&v.as_str())
        })
        .boxed()
}

/// A JSON object whose `tag` member holds a value none of `known` is, with a few more members:
/// what a newer API might send for a tagged union.
pub fn unknown_object(
    tag: &'static str,
    known: &'static [&'static str],
) -> BoxedStrategy<serde_json::Value> {
    (unknown_wire(known), metadata())
        .prop_map(move |(wire, mut members)| {
            members.insert(tag.to_owned(), serde_json::Value::String(wire));
            serde_json::Value::Object(members)
        })
        .boxed()
}

/// A JSON object with none of `keys` as a member: what a newer API might send for an untagged
/// union (whose variants are told apart by those members).
pub fn object_without(keys: &'static [&'static str]) -> BoxedStrategy<serde_json::Value> {
    metadata()
        .prop_map(move |mut members| {
            members.retain(|k, _| !keys.contains(&k.as_str()));
            serde_json::Value::Object(members)
        })
        .boxed()
}

/// The strategy the generated impls draw a string member named `name` with, chosen by its
/// name: an [`id`] with Clerk's prefix for `…_id` (`user_id` gives `user_…`), an [`email`], a
/// [`url`] (`…url…`, `…_uri`), a [`phone`] number, else [`text`].
pub fn string_for(name: &str) -> BoxedStrategy<String> {
    let name = name.to_ascii_lowercase();
    if name.contains("email") && !name.ends_with("_id") {
        email()
    } else if name.contains("url") || name.ends_with("_uri") {
        url()
    } else if name.contains("phone") && !name.ends_with("_id") {
        phone()
    } else if name == "id" || name.ends_with("_id") {
        id(id_prefix(name.trim_end_matches("_id")))
    } else {
        text()
    }
}

/// The prefix of Clerk's ids of a resource, by the member's name without `_id`.
fn id_prefix(resource: &str) -> &'static str {
    match resource {
        "user" | "actor" | "impersonator" => "user",
        "organization" | "org" => "org",
        "session" => "sess",
        "client" => "client",
        "invitation" | "organization_invitation" => "orginv",
        "email_address" | "primary_email_address" => "idn",
        "phone_number" | "primary_phone_number" => "idn",
        "web3_wallet" | "primary_web3_wallet" => "idn",
        "domain" => "dmn",
        "template" | "jwt_template" => "jtmp",
        "role" => "role",
        "permission" => "perm",
        "machine" => "mch",
        "oauth_application" => "oa",
        "saml_connection" | "enterprise_connection" => "samlc",
        "subscription_item" | "subscription" => "csub",
        "plan" => "cplan",
        "instance" => "ins",
        "application" => "app",
        "sign_in_token" => "sit",
        "actor_token" => "act",
        _ => "id",
    }
}

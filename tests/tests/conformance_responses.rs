//! Responses: for every operation's success schema, sample bodies generated from the spec parse
//! with the operation's own parser: one with every field, one with only the required ones, one
//! with `null` wherever the spec allows it, and one with unknown extra fields and unknown enum
//! values everywhere. Plus fixtures of what the real API is known to send.

use std::collections::BTreeMap;

use clerk_backend_tests::generated::conformance::CASES;
use clerk_backend_tests::samples::{MODES, Spec};
use serde_json::{Value, json};

fn ok(body: &Value) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(200)
        .body(serde_json::to_vec(body).expect("json"))
        .expect("response")
}

#[test]
fn every_response_schema_parses_in_four_shapes() {
    let spec = Spec::load();
    let schemas = spec.response_schemas();
    let mut per_tag: BTreeMap<&str, [usize; 5]> = BTreeMap::new();
    let mut failures = Vec::new();
    for case in CASES {
        let Some(schema) = schemas.get(case.id) else {
            continue;
        };
        let counts = per_tag.entry(case.tag).or_default();
        counts[0] += 1;
        for (i, mode) in MODES.iter().enumerate() {
            let body = spec.sample(schema, *mode, 0);
            match (case.parse)(ok(&body)) {
                Ok(()) => counts[i + 1] += 1,
                Err(e) => failures.push(format!("{} {mode:?}: {e}", case.id)),
            }
        }
    }
    println!(
        "Response samples that parse, per tag (operations with a JSON body: full / required / nulls / unknown):"
    );
    let mut total = [0; 5];
    for (tag, c) in &per_tag {
        println!(
            "  {tag:<28} {:>3}: {:>3} / {:>3} / {:>3} / {:>3}",
            c[0], c[1], c[2], c[3], c[4]
        );
        for i in 0..5 {
            total[i] += c[i];
        }
    }
    println!(
        "  {:<28} {:>3}: {:>3} / {:>3} / {:>3} / {:>3}",
        "all", total[0], total[1], total[2], total[3], total[4]
    );
    assert!(total[0] >= 240, "most operations answer JSON");
    assert!(
        failures.is_empty(),
        "{} sample(s) did not parse:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Operation id → the item schema of its list, for every operation with a `paginated` query
/// parameter (its answer is a bare array, or `{data, total_count}` with `paginated=true`).
fn paginated_lists(spec: &Spec) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for (id, schema) in spec.response_schemas() {
        let op = spec.0["paths"]
            .as_object()
            .into_iter()
            .flat_map(|paths| paths.values())
            .flat_map(|item| item.as_object().into_iter().flat_map(|m| m.values()))
            .find(|op| op["operationId"] == id.as_str())
            .expect("operation");
        let paginated = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|p| spec.deref(p)["name"] == "paginated");
        if !paginated {
            continue;
        }
        let schema = spec.deref(schema);
        let items = if schema["type"] == "array" {
            &schema["items"]
        } else {
            &spec.deref(&schema["properties"]["data"])["items"]
        };
        assert!(!items.is_null(), "{id}: a list");
        out.insert(id, items.clone());
    }
    out
}

#[test]
fn every_list_with_a_paginated_parameter_parses_both_shapes() {
    let spec = Spec::load();
    let lists = paginated_lists(&spec);
    // GetClientList, GetSessionList, GetTemplateList, GetOAuthAccessToken, ListInvitations,
    // ListAllowlistIdentifiers, ListJWTTemplates, ListRedirectURLs and five billing lists.
    assert_eq!(lists.len(), 13, "{:?}", lists.keys().collect::<Vec<_>>());
    let mut failures = Vec::new();
    for (id, item) in &lists {
        for mode in MODES {
            let one = spec.sample(item, mode, 1);
            let bare = json!([one.clone(), one.clone()]);
            let wrapped = json!({"data": [one.clone(), one], "total_count": 2});
            for (shape, body) in [("bare", bare), ("wrapped", wrapped)] {
                if let Err(e) = parse(id, body) {
                    failures.push(format!("{id} {shape} {mode:?}: {e}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} list(s) did not parse:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn parse(id: &str, body: Value) -> Result<(), clerk_backend_core::Error> {
    let case = CASES.iter().find(|c| c.id == id).expect("operation exists");
    (case.parse)(ok(&body))
}

#[test]
fn known_real_world_quirks_parse() {
    // A SAML connection: `authenticatable` and `disable_jit_provisioning` are "required" but
    // undefined in the spec and absent here; `domains` (required by the spec) is missing too.
    parse(
        "GetSAMLConnection",
        json!({"object": "saml_connection", "id": "samlc_1", "name": "Okta", "domain": "corp.example",
               "active": true, "provider": "saml_okta", "user_count": 3, "created_at": 1, "updated_at": 2}),
    )
    .expect("a SAML connection without the undefined required fields parses");

    // An enum value the spec does not list, and a verification object with no `object` key.
    let mut user = clerk_backend_tests::user_json("user_1", "Ada");
    user["email_addresses"][0]["verification"] = json!({"status": "transferable", "strategy": "email_code_v3", "attempts": 1, "expire_at": null});
    let response = ok(&user);
    let parsed =
        <clerk_backend_core::users::GetUser as clerk_backend_core::Endpoint>::parse(response)
            .expect("user parses");
    let verification = parsed.email_addresses[0]
        .verification
        .as_ref()
        .expect("kept");
    assert!(
        matches!(verification, clerk_backend_core::models::EmailAddressVerification::Unknown(v) if v["strategy"] == "email_code_v3")
    );

    let mut user = clerk_backend_tests::user_json("user_1", "Ada");
    user["email_addresses"][0]["verification"] = json!({"object": "verification_otp", "status": "pending_review", "strategy": "email_code_v3", "attempts": 0, "expire_at": 5});
    let parsed =
        <clerk_backend_core::users::GetUser as clerk_backend_core::Endpoint>::parse(ok(&user))
            .expect("user parses");
    let Some(clerk_backend_core::models::EmailAddressVerification::Otp(otp)) =
        &parsed.email_addresses[0].verification
    else {
        panic!("a known variant with unknown values stays that variant")
    };
    assert_eq!(otp.status.as_str(), "pending_review");
    assert_eq!(otp.strategy.as_str(), "email_code_v3");

    // A list wrapper whose `total_count` is missing still yields its items.
    parse("ListOrganizationMemberships", json!({"data": []})).expect("missing total_count");
}

//! Constructors take their required inputs in the spec's order: path parameters as the path
//! names them, then required query parameters, then required body members in the order of the
//! body schema's `required` list. Two ids of the same type cannot be swapped silently by an
//! alphabetical order that differs from one operation to the next.

use clerk_backend_core::organization_memberships::CreateOrganizationMembership;
use clerk_backend_core::phone_numbers::{CreatePhoneNumber, ReplaceUserPhoneNumber};
use clerk_backend_core::{Config, Endpoint};
use serde_json::Value;

/// The path and the JSON body of the request `endpoint` builds.
fn sent(endpoint: &impl Endpoint) -> (String, Value) {
    let config = Config::new("sk_test_order").expect("config");
    let request = endpoint.to_http(&config).expect("request");
    let body = serde_json::from_slice(request.body()).expect("a JSON body");
    (request.uri().path().to_owned(), body)
}

#[test]
fn create_phone_number_takes_the_user_then_the_number() {
    let (path, body) = sent(&CreatePhoneNumber::new("user_1", "+15555550100"));
    assert_eq!(path, "/v1/phone_numbers");
    assert_eq!(body["user_id"], "user_1");
    assert_eq!(body["phone_number"], "+15555550100");
}

#[test]
fn replace_user_phone_number_takes_the_user_then_the_number() {
    let (path, body) = sent(&ReplaceUserPhoneNumber::new("user_1", "+15555550100"));
    assert_eq!(path, "/v1/users/user_1/phone_number");
    assert_eq!(body["phone_number"], "+15555550100");
    assert!(body.get("user_id").is_none(), "{body}");
}

#[test]
fn create_organization_membership_takes_the_organization_the_user_then_the_role() {
    let (path, body) = sent(&CreateOrganizationMembership::new(
        "org_1",
        "user_1",
        "org:admin",
    ));
    assert_eq!(path, "/v1/organizations/org_1/memberships");
    assert_eq!(body["user_id"], "user_1");
    assert_eq!(body["role"], "org:admin");
}

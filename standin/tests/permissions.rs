//! The organization claims the kit encodes are what core decodes back, for many permission
//! sets: property tests through `verify_session_token`, v2 (`fea`/`per`/`fpm`) and v1.

// Helpers outside #[test] functions may panic too: this whole file is a test.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clerk_backend_core::auth::{AuthOptions, Has, PublicKey, SessionClaims, verify_session_token};
use clerk_backend_testkit::tokens::{ClaimsVersion, Organization, SessionToken, TestKey};
use proptest::prelude::*;

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn public() -> &'static PublicKey {
    static KEY: OnceLock<PublicKey> = OnceLock::new();
    KEY.get_or_init(|| TestKey::a().public_key().expect("the kit's key"))
}

fn round_trip(token: SessionToken) -> SessionClaims {
    let signed = token
        .issued_at(now())
        .sign(&TestKey::a())
        .expect("encodable");
    verify_session_token(&signed, public(), &AuthOptions::new(), now()).expect("verifies")
}

fn name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_]{0,8}"
}

/// Up to 80 permissions over up to 6 features and 70 permission names: masks past 64 bits.
fn permission_set() -> impl Strategy<Value = Vec<(String, String)>> {
    (
        prop::collection::vec(name(), 1..6),
        prop::collection::vec(name(), 1..70),
    )
        .prop_flat_map(|(features, names)| {
            let pair = (prop::sample::select(features), prop::sample::select(names));
            prop::collection::vec(pair, 0..80)
        })
}

fn strings(set: &[(String, String)]) -> Vec<String> {
    set.iter().map(|(f, p)| format!("org:{f}:{p}")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn v2_permissions_decode_to_the_set_given(
        set in permission_set(),
        role in name(),
        user_features in prop::collection::vec(name(), 0..3),
    ) {
        let permissions = strings(&set);
        let mut token = SessionToken::new("user_prop").organization(
            Organization::new("org_prop").role(role.clone()).permissions(permissions.iter().cloned()),
        );
        for feature in &user_features {
            token = token.feature(format!("u:{feature}"));
        }
        let claims = round_trip(token);
        let org = claims.organization.as_ref().expect("an organization");
        let decoded: BTreeSet<&str> = org.permissions.iter().map(String::as_str).collect();
        let given: BTreeSet<&str> = permissions.iter().map(String::as_str).collect();
        prop_assert_eq!(&decoded, &given);
        prop_assert_eq!(org.permissions.len(), decoded.len(), "no duplicates");
        prop_assert_eq!(org.role.clone(), Some(format!("org:{role}")));
        for permission in &permissions {
            prop_assert!(claims.has(&Has::new().permission(permission.clone())));
            let bare = permission.trim_start_matches("org:");
            prop_assert!(claims.has(&Has::new().permission(bare)));
        }
        prop_assert!(!claims.has(&Has::new().permission("org:no_such_feature:no_such_permission")));
        for (feature, _) in &set {
            let org_feature = format!("org:{feature}");
            prop_assert!(claims.has(&Has::new().feature(org_feature)));
        }
        for feature in &user_features {
            let user_feature = format!("user:{feature}");
            prop_assert!(claims.has(&Has::new().feature(user_feature)));
        }
    }

    #[test]
    fn v1_and_v2_decode_to_the_same_organization(set in permission_set(), slug in name()) {
        let org = Organization::new("org_prop").slug(slug).role("admin").permissions(strings(&set));
        let v2 = round_trip(SessionToken::new("user_prop").organization(org.clone()));
        let v1 = round_trip(
            SessionToken::new("user_prop").version(ClaimsVersion::V1).organization(org),
        );
        let (v1, v2) = (v1.organization.expect("v1 org"), v2.organization.expect("v2 org"));
        prop_assert_eq!(&v1.id, &v2.id);
        prop_assert_eq!(&v1.slug, &v2.slug);
        prop_assert_eq!(&v1.role, &v2.role);
        let v1_set: BTreeSet<_> = v1.permissions.iter().collect();
        let v2_set: BTreeSet<_> = v2.permissions.iter().collect();
        prop_assert_eq!(v1_set, v2_set);
    }
}

#[test]
fn a_long_permission_list_needs_masks_past_64_bits() {
    let names: Vec<String> = (0..130).map(|i| format!("p{i}")).collect();
    let permissions: Vec<String> = names.iter().map(|n| format!("org:big:{n}")).collect();
    let token = SessionToken::new("user_big")
        .organization(Organization::new("org_big").permissions(permissions.iter().cloned()));
    let claims_json = token.claims().expect("encodable");
    // 2^130 - 1, written out exactly.
    assert_eq!(
        claims_json["o"]["fpm"],
        "1361129467683753853853498429727072845823"
    );
    let claims = round_trip(token);
    assert_eq!(
        claims.organization.map(|o| o.permissions),
        Some(permissions)
    );
}

#[test]
fn an_organization_without_permissions() {
    let claims = round_trip(
        SessionToken::new("user_1").organization(Organization::new("org_1").role("member")),
    );
    let org = claims.organization.as_ref().expect("org");
    assert!(org.permissions.is_empty());
    assert!(claims.has(&Has::new().role("member")));
    assert!(!claims.has(&Has::new().role("admin")));
}

//! Which key authorizes which operation, and whole seconds on the wire: requests built from a
//! configuration with an instance secret key, a machine secret key, or both.
// The helpers below are part of the tests: a failed unwrap there is the test failing.
#![allow(clippy::unwrap_used)]
#![cfg(all(
    feature = "m2m_tokens",
    feature = "users",
    feature = "api_keys",
    feature = "miscellaneous"
))]

use clerk_backend_core::api_keys::{CreateApiKey, UpdateApiKey};
use clerk_backend_core::m2m_tokens::{
    CreateM2mToken, GetM2mTokens, RevokeM2mToken, VerifyM2mToken,
};
use clerk_backend_core::miscellaneous::GetPublicInterstitial;
use clerk_backend_core::users::GetUser;
use clerk_backend_core::{Config, Endpoint, Error, OPERATIONS, SecretKeyKind};
use serde_json::{Value, json};

const SK: &str = "sk_test_instanceXYZZY";
const AK: &str = "ak_machineXYZZY";

fn sk() -> Config {
    Config::new(SK).unwrap()
}
fn ak() -> Config {
    Config::machine(AK).unwrap()
}
fn both() -> Config {
    Config::new(SK)
        .unwrap()
        .with_machine_secret_key(AK)
        .unwrap()
}

fn bearer<E: Endpoint>(endpoint: &E, config: &Config) -> Option<String> {
    let request = endpoint.to_http(config).unwrap();
    request
        .headers()
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned())
}

fn body<E: Endpoint>(endpoint: &E) -> Value {
    serde_json::from_slice(endpoint.to_http(&both()).unwrap().body()).unwrap()
}

#[test]
fn m2m_operations_use_the_machine_key_when_it_is_configured() {
    let machine = format!("Bearer {AK}");
    let instance = format!("Bearer {SK}");
    assert_eq!(bearer(&CreateM2mToken::new(), &ak()), Some(machine.clone()));
    assert_eq!(
        bearer(&CreateM2mToken::new(), &both()),
        Some(machine.clone())
    );
    for config in [ak(), both()] {
        assert_eq!(
            bearer(&GetM2mTokens::new("mch_1"), &config),
            Some(machine.clone())
        );
        assert_eq!(
            bearer(&RevokeM2mToken::new("mt_1"), &config),
            Some(machine.clone())
        );
        assert_eq!(
            bearer(&VerifyM2mToken::new("mt_x"), &config),
            Some(machine.clone())
        );
    }
    // With only the instance key, the operations that accept it use it.
    assert_eq!(
        bearer(&GetM2mTokens::new("mch_1"), &sk()),
        Some(instance.clone())
    );
    assert_eq!(
        bearer(&RevokeM2mToken::new("mt_1"), &sk()),
        Some(instance.clone())
    );
    assert_eq!(
        bearer(&VerifyM2mToken::new("mt_x"), &sk()),
        Some(instance.clone())
    );
    // Every other operation uses the instance key, even when a machine key is configured.
    assert_eq!(
        bearer(&GetUser::new("user_1"), &both()),
        Some(instance.clone())
    );
    assert_eq!(bearer(&GetUser::new("user_1"), &sk()), Some(instance));
}

#[test]
fn a_machine_only_config_refuses_what_it_cannot_authorize_before_building() {
    // Refused even when the input is invalid too: the key is checked first.
    for result in [
        GetUser::new("user_1").to_http(&ak()),
        GetUser::new("..").to_http(&ak()),
        CreateApiKey::new("k", "user_1").to_http(&ak()),
    ] {
        let Err(Error::Config(err)) = result else {
            panic!("expected a configuration error, got {result:?}");
        };
        let text = format!("{err} {err:?}");
        assert!(text.contains("instance secret key"), "{text}");
        assert!(text.contains("only a machine secret key"), "{text}");
        assert!(!text.contains("XYZZY"), "{text}");
    }
    let Err(Error::Config(err)) = GetUser::new("user_1").to_http(&ak()) else {
        unreachable!()
    };
    assert!(
        err.to_string().contains("`GetUser` (GET /users/{user_id})"),
        "{err}"
    );
}

#[test]
fn create_m2m_token_needs_the_machine_key() {
    let Err(Error::Config(err)) = CreateM2mToken::new().to_http(&sk()) else {
        panic!("createM2MToken with only an instance key must be refused");
    };
    let text = err.to_string();
    assert!(
        text.contains("createM2MToken") && text.contains("machine secret key"),
        "{text}"
    );
    assert!(text.contains("CLERK_MACHINE_SECRET_KEY"), "{text}");
    assert!(!text.contains("XYZZY"), "{text}");
}

#[test]
fn an_operation_needing_no_key_is_sent_without_one() {
    for config in [sk(), ak(), both()] {
        assert_eq!(bearer(&GetPublicInterstitial::new(), &config), None);
    }
}

#[test]
fn the_registry_records_the_specs_security() {
    use SecretKeyKind::{Instance, Machine};
    let keys = |id: &str| {
        OPERATIONS
            .iter()
            .find(|o| o.operation_id == id)
            .map(|o| o.keys)
            .unwrap()
    };
    assert_eq!(keys("createM2MToken"), [Machine]);
    for id in ["getM2MTokens", "revokeM2MToken", "verifyM2MToken"] {
        assert_eq!(keys(id), [Machine, Instance], "{id}");
    }
    assert_eq!(keys("GetPublicInterstitial"), []);
    let machine: Vec<&str> = OPERATIONS
        .iter()
        .filter(|o| o.keys.contains(&Machine))
        .map(|o| o.operation_id)
        .collect();
    assert_eq!(machine.len(), 4, "{machine:?}");
    let others = OPERATIONS
        .iter()
        .filter(|o| !o.keys.contains(&Machine) && o.operation_id != "GetPublicInterstitial");
    for op in others {
        assert_eq!(op.keys, [Instance], "{}", op.operation_id);
    }
}

#[test]
fn whole_seconds_go_on_the_wire_as_integers() {
    let request = CreateM2mToken::new().seconds_until_expiration(60);
    let raw = String::from_utf8(request.to_http(&ak()).unwrap().into_body()).unwrap();
    assert_eq!(raw, r#"{"seconds_until_expiration":60}"#);
    assert_eq!(
        body(&CreateApiKey::new("k", "user_1").seconds_until_expiration(3600)),
        json!({"name": "k", "subject": "user_1", "seconds_until_expiration": 3600})
    );
    let raw = String::from_utf8(
        UpdateApiKey::new("ak_1")
            .seconds_until_expiration(86_400)
            .to_http(&sk())
            .unwrap()
            .into_body(),
    )
    .unwrap();
    assert!(raw.contains(r#""seconds_until_expiration":86400"#), "{raw}");
    assert!(!raw.contains("86400.0"), "{raw}");
    assert_eq!(
        body(&CreateM2mToken::new().clear_seconds_until_expiration()),
        json!({"seconds_until_expiration": null})
    );
}

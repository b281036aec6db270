//! Behaviour of the models on realistic and on malformed responses.

use serde_json::{Value, json};

use clerk_backend_core::models::*;

/// A complete user as `GET /users/{user_id}` returns it, with one of everything.
fn full_user() -> Value {
    // Built in two halves: one `json!` this large exceeds the macro's recursion limit.
    let mut user = json!({
        "id": "user_2abc",
        "object": "user",
        "external_id": "ext-42",
        "primary_email_address_id": "idn_email1",
        "primary_phone_number_id": "idn_phone1",
        "primary_web3_wallet_id": null,
        "username": "ada",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "locale": "en-GB",
        "profile_image_url": "https://www.gravatar.com/avatar?d=mp",
        "image_url": "https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCJ9",
        "has_image": true,
        "public_metadata": {"plan": "pro", "seats": 3},
        "private_metadata": {"stripe_customer": "cus_123"},
        "unsafe_metadata": {"theme": "dark"},
        "email_addresses": [email_address()],
        "phone_numbers": [phone_number()],
        "web3_wallets": [web3_wallet()],
        "passkeys": [passkey()],
    });
    let rest = json!({
        "password_enabled": true,
        "two_factor_enabled": true,
        "totp_enabled": false,
        "backup_code_enabled": true,
        "mfa_enabled_at": 1_700_000_200_000_i64,
        "mfa_disabled_at": null,
        "password_last_updated_at": 1_700_000_000_000_i64,
        "external_accounts": [external_account()],
        "saml_accounts": [saml_account()],
        "enterprise_accounts": [enterprise_account()],
        "organization_memberships": [organization_membership()],
        "last_sign_in_at": 1_700_000_400_000_i64,
        "banned": false,
        "locked": false,
        "deprovisioned": false,
        "lockout_expires_in_seconds": null,
        "verification_attempts_remaining": 100,
        "created_at": 1_700_000_000_000_i64,
        "updated_at": 1_700_000_100_000_i64,
        "delete_self_enabled": true,
        "create_organization_enabled": true,
        "create_organizations_limit": null,
        "last_active_at": 1_700_690_400_000_i64,
        "legal_accepted_at": null,
        "bypass_client_trust": false,
        "scim": {
            "directory_id": "dir_1",
            "directory_enabled": true,
            "external_id": "scim-ext-9"
        }
    });
    if let (Some(user), Value::Object(rest)) = (user.as_object_mut(), rest) {
        user.extend(rest);
    }
    user
}

/// One item of the user's `email_addresses`.
fn email_address() -> Value {
    json!({
        "id": "idn_email1",
        "object": "email_address",
        "email_address": "ada@example.com",
        "reserved": false,
        "verification": {
            "object": "verification_otp",
            "status": "verified",
            "strategy": "email_code",
            "attempts": 1,
            "expire_at": 1_700_000_600_000_i64,
            "verified_at_client": "client_1"
        },
        "linked_to": [{"type": "oauth_google", "id": "idn_google1"}],
        "matches_sso_connection": false,
        "created_at": 1_700_000_000_000_i64,
        "updated_at": 1_700_000_100_000_i64
    })
}

/// One item of the user's `phone_numbers`.
fn phone_number() -> Value {
    json!({
        "id": "idn_phone1",
        "object": "phone_number",
        "phone_number": "+15555550100",
        "reserved_for_second_factor": true,
        "default_second_factor": true,
        "reserved": false,
        "verification": {
            "object": "verification_otp",
            "status": "verified",
            "strategy": "phone_code",
            "attempts": 1,
            "expire_at": 1_700_000_600_000_i64,
            "channel": "sms"
        },
        "linked_to": [],
        "backup_codes": null,
        "created_at": 1_700_000_000_000_i64,
        "updated_at": 1_700_000_000_000_i64
    })
}

/// One item of the user's `web3_wallets`.
fn web3_wallet() -> Value {
    json!({
        "id": "idn_web3_1",
        "object": "web3_wallet",
        "web3_wallet": "0x0123456789abcdef0123456789abcdef01234567",
        "verification": {
            "object": "verification_web3",
            "status": "verified",
            "strategy": "web3_metamask_signature",
            "nonce": null,
            "message": null,
            "attempts": 1,
            "expire_at": 1_700_000_600_000_i64
        },
        "created_at": 1_700_000_000_000_i64,
        "updated_at": 1_700_000_000_000_i64
    })
}

/// One item of the user's `passkeys`.
fn passkey() -> Value {
    json!({
        "id": "idn_passkey1",
        "object": "passkey",
        "name": "MacBook Touch ID",
        "last_used_at": 1_700_000_500_000_i64,
        "verification": {
            "object": "verification_passkey",
            "status": "verified",
            "strategy": "passkey",
            "nonce": "nonce",
            "attempts": null,
            "expire_at": null
        }
    })
}

/// One item of the user's `external_accounts`.
fn external_account() -> Value {
    json!({
        "object": "external_account",
        "id": "eac_1",
        "provider": "oauth_google",
        "identification_id": "idn_google1",
        "provider_user_id": "1234567890",
        "approved_scopes": "email profile openid",
        "email_address": "ada@example.com",
        "email_address_verified": true,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "avatar_url": "https://lh3.googleusercontent.com/a/x",
        "image_url": "https://img.clerk.com/google",
        "username": null,
        "phone_number": null,
        "public_metadata": {},
        "label": null,
        "created_at": 1_700_000_000_000_i64,
        "updated_at": 1_700_000_000_000_i64,
        "verification": {
            "object": "verification_oauth",
            "status": "verified",
            "strategy": "oauth_google",
            "external_verification_redirect_url": "",
            "error": null,
            "expire_at": 1_700_000_600_000_i64,
            "attempts": null
        }
    })
}

/// One item of the user's `saml_accounts`.
fn saml_account() -> Value {
    json!({
        "id": "samlacc_1",
        "object": "saml_account",
        "provider": "saml_okta",
        "active": true,
        "email_address": "ada@corp.example",
        "first_name": "Ada",
        "last_name": null,
        "provider_user_id": "okta-77",
        "last_authenticated_at": 1_700_000_300_000_i64,
        "public_metadata": {"department": "R&D"},
        "verification": {
            "object": "verification_saml",
            "status": "verified",
            "strategy": "saml",
            "external_verification_redirect_url": null,
            "error": null,
            "expire_at": null,
            "attempts": null
        },
        "saml_connection": {
            "id": "samlc_1",
            "name": "Corp Okta",
            "domain": "corp.example",
            "domains": ["corp.example"],
            "active": true,
            "provider": "saml_okta",
            "sync_user_attributes": true,
            "allow_subdomains": false,
            "allow_idp_initiated": false,
            "disable_additional_identifications": false,
            "created_at": 1_690_000_000_000_i64,
            "updated_at": 1_690_000_000_000_i64
        }
    })
}

/// One item of the user's `enterprise_accounts`.
fn enterprise_account() -> Value {
    json!({
        "id": "eacc_1",
        "object": "enterprise_account",
        "protocol": "saml",
        "provider": "saml_okta",
        "active": true,
        "email_address": "ada@corp.example",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "provider_user_id": "okta-77",
        "enterprise_connection_id": "ec_1",
        "public_metadata": {},
        "verification": {
            "object": "verification_saml",
            "status": "verified",
            "strategy": "saml",
            "attempts": null,
            "expire_at": null,
            "error": {
                "message": "was cancelled",
                "long_message": "The SAML flow was cancelled",
                "code": "saml_cancelled",
                "meta": {"retry": true}
            }
        },
        "enterprise_connection": {
            "id": "ec_1",
            "protocol": "saml",
            "provider": "saml_okta",
            "name": "Corp Okta",
            "logo_public_url": null,
            "domain": "corp.example",
            "domains": ["corp.example", "corp.example.org"],
            "active": true,
            "sync_user_attributes": true,
            "allow_subdomains": true,
            "allow_idp_initiated": false,
            "disable_additional_identifications": false,
            "created_at": 1_690_000_000_000_i64,
            "updated_at": 1_690_000_100_000_i64
        },
        "last_authenticated_at": null
    })
}

/// One item of the user's `organization_memberships`.
fn organization_membership() -> Value {
    json!({
        "id": "orgmem_1",
        "object": "organization_membership",
        "role": "org:admin",
        "role_name": "Admin",
        "permissions": ["org:sys_memberships:manage", "org:sys_profile:read"],
        "public_metadata": {},
        "private_metadata": {"cost_center": 12},
        "organization": {
            "object": "organization",
            "id": "org_1",
            "name": "Analytical Engines",
            "slug": "analytical-engines",
            "image_url": "https://img.clerk.com/org",
            "has_image": false,
            "members_count": 7,
            "pending_invitations_count": 1,
            "max_allowed_memberships": 0,
            "admin_delete_enabled": true,
            "public_metadata": {},
            "private_metadata": {},
            "created_by": "user_2abc",
            "created_at": 1_680_000_000_000_i64,
            "updated_at": 1_680_000_000_000_i64,
            "role_set_key": null
        },
        "public_user_data": {
            "user_id": "user_2abc",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "profile_image_url": "https://www.gravatar.com/avatar?d=mp",
            "image_url": "https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCJ9",
            "has_image": true,
            "identifier": "ada@example.com",
            "username": "ada"
        },
        "created_at": 1_680_000_000_000_i64,
        "updated_at": 1_680_000_000_000_i64
    })
}

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn parse_user(value: Value) -> Result<User, serde_json::Error> {
    serde_json::from_value::<User>(value)
}

/// A test failure with a message.
fn fail(message: impl std::fmt::Display) -> Box<dyn std::error::Error> {
    message.to_string().into()
}

/// The only element of `items`.
fn only<T>(items: &[T]) -> Result<&T, Box<dyn std::error::Error>> {
    match items {
        [item] => Ok(item),
        _ => Err(fail(format!("expected one element, got {}", items.len()))),
    }
}

/// Removes `key` from the JSON object at `pointer` (an RFC 6901 JSON pointer).
fn remove(value: &mut Value, pointer: &str, key: &str) -> TestResult {
    let target = value.pointer_mut(pointer).and_then(Value::as_object_mut);
    match target.and_then(|map| map.remove(key)) {
        Some(_) => Ok(()),
        None => Err(fail(format!("no `{key}` at `{pointer}`"))),
    }
}

/// Sets `key` in the JSON object at `pointer`.
fn set(value: &mut Value, pointer: &str, key: &str, new: Value) -> TestResult {
    let map = value.pointer_mut(pointer).and_then(Value::as_object_mut);
    let map = map.ok_or_else(|| fail(format!("no object at `{pointer}`")))?;
    map.insert(key.to_owned(), new);
    Ok(())
}

#[test]
fn full_user_parses_with_the_right_values() -> TestResult {
    let user = parse_user(full_user())?;

    assert_eq!(user.id, "user_2abc");
    assert_eq!(user.object, "user");
    assert_eq!(user.external_id.as_deref(), Some("ext-42"));
    assert_eq!(user.primary_email_address_id.as_deref(), Some("idn_email1"));
    assert_eq!(user.primary_web3_wallet_id, None);
    assert_eq!(user.username.as_deref(), Some("ada"));
    assert_eq!(user.first_name.as_deref(), Some("Ada"));
    assert_eq!(user.locale.as_deref(), Some("en-GB"));
    assert!(user.has_image);
    assert_eq!(user.public_metadata.get("plan"), Some(&json!("pro")));
    assert_eq!(
        user.private_metadata.get("stripe_customer"),
        Some(&json!("cus_123"))
    );
    assert_eq!(user.unsafe_metadata.get("theme"), Some(&json!("dark")));
    assert!(user.password_enabled && user.two_factor_enabled && user.backup_code_enabled);
    assert!(!user.totp_enabled);
    assert_eq!(user.mfa_enabled_at, Some(1_700_000_200_000));
    assert_eq!(user.mfa_disabled_at, None);
    assert_eq!(user.last_sign_in_at, Some(1_700_000_400_000));
    assert!(!user.banned && !user.locked);
    assert_eq!(user.deprovisioned, Some(false));
    assert_eq!(user.lockout_expires_in_seconds, None);
    assert_eq!(user.verification_attempts_remaining, Some(100));
    assert_eq!(user.created_at, 1_700_000_000_000);
    assert_eq!(user.updated_at, 1_700_000_100_000);
    assert_eq!(user.create_organizations_limit, None);
    assert_eq!(user.bypass_client_trust, Some(false));

    // Email address with an OTP verification.
    let email = only(&user.email_addresses)?;
    assert_eq!(email.id.as_deref(), Some("idn_email1"));
    assert_eq!(email.email_address, "ada@example.com");
    assert_eq!(email.matches_sso_connection, Some(false));
    assert_eq!(email.linked_to.len(), 1);
    assert_eq!(only(&email.linked_to)?.r#type, "oauth_google");
    assert_eq!(only(&email.linked_to)?.id, "idn_google1");
    let Some(EmailAddressVerification::Otp(otp)) = &email.verification else {
        return Err(fail(format!("OTP verification: {:?}", email.verification)));
    };
    assert_eq!(otp.status, VerificationOtpStatus::Verified);
    assert_eq!(otp.strategy, VerificationOtpStrategy::EmailCode);
    assert_eq!(otp.attempts, Some(1));
    assert_eq!(otp.expire_at, Some(1_700_000_600_000));
    assert_eq!(otp.verified_at_client.as_deref(), Some("client_1"));
    assert_eq!(
        email.verification.as_ref().and_then(|v| v.tag()),
        Some("verification_otp")
    );

    // Phone number.
    let phone = only(&user.phone_numbers)?;
    assert_eq!(phone.phone_number, "+15555550100");
    assert_eq!(phone.reserved_for_second_factor, Some(true));
    assert!(phone.backup_codes.is_empty());
    let Some(PhoneNumberVerification::Otp(otp)) = &phone.verification else {
        return Err(fail(format!("OTP verification: {:?}", phone.verification)));
    };
    assert_eq!(otp.strategy, VerificationOtpStrategy::PhoneCode);
    assert_eq!(otp.channel.as_deref(), Some("sms"));

    // Web3 wallet.
    let wallet = only(&user.web3_wallets)?;
    assert_eq!(
        wallet.web3_wallet,
        "0x0123456789abcdef0123456789abcdef01234567"
    );
    let Some(Web3WalletVerification::Web3(web3)) = &wallet.verification else {
        return Err(fail(format!(
            "web3 verification: {:?}",
            wallet.verification
        )));
    };
    assert_eq!(web3.status, VerificationWeb3Status::Verified);
    assert_eq!(
        web3.strategy,
        VerificationWeb3Strategy::Web3MetamaskSignature
    );
    assert_eq!(web3.nonce, None);

    // Passkey.
    let passkey = only(&user.passkeys)?;
    assert_eq!(passkey.name, "MacBook Touch ID");
    assert_eq!(passkey.last_used_at, 1_700_000_500_000);
    let Some(PasskeyVerification::Passkey(pk)) = &passkey.verification else {
        return Err(fail(format!(
            "passkey verification: {:?}",
            passkey.verification
        )));
    };
    assert_eq!(pk.status, VerificationPasskeyStatus::Verified);
    assert_eq!(pk.strategy, VerificationPasskeyStrategy::Passkey);
    assert_eq!(pk.nonce, Some(VerificationPasskeyNonce::Nonce));

    // External account with an OAuth verification.
    let external = only(&user.external_accounts)?;
    assert_eq!(
        external.object,
        ExternalAccountWithVerificationObject::ExternalAccount
    );
    assert_eq!(external.provider, "oauth_google");
    assert_eq!(external.approved_scopes, "email profile openid");
    assert_eq!(external.email_address_verified, Some(true));
    assert_eq!(
        external.avatar_url.as_deref(),
        Some("https://lh3.googleusercontent.com/a/x")
    );
    assert_eq!(external.username, None);
    let Some(ExternalAccountWithVerificationVerification::Oauth(oauth)) = &external.verification
    else {
        return Err(fail(format!(
            "OAuth verification: {:?}",
            external.verification
        )));
    };
    assert_eq!(oauth.status, VerificationOauthStatus::Verified);
    assert_eq!(oauth.strategy, "oauth_google");
    assert_eq!(oauth.expire_at, 1_700_000_600_000);
    assert_eq!(oauth.error, None);

    // SAML account and its connection.
    let saml = only(&user.saml_accounts)?;
    assert_eq!(saml.provider, "saml_okta");
    assert!(saml.active);
    assert_eq!(saml.last_name, None);
    assert_eq!(saml.public_metadata.get("department"), Some(&json!("R&D")));
    let Some(SamlAccountVerification::Saml(v)) = &saml.verification else {
        return Err(fail(format!("SAML verification: {:?}", saml.verification)));
    };
    assert_eq!(v.status, VerificationSamlStatus::Verified);
    assert_eq!(v.strategy, VerificationSamlStrategy::Saml);
    let Some(connection) = &saml.saml_connection else {
        return Err(fail("SAML connection"));
    };
    assert_eq!(connection.name, "Corp Okta");
    assert_eq!(connection.domain.as_deref(), Some("corp.example"));
    assert_eq!(connection.domains, ["corp.example"]);
    assert!(connection.sync_user_attributes);

    // Enterprise account, its connection, and a verification error.
    let enterprise = only(&user.enterprise_accounts)?;
    assert_eq!(enterprise.protocol, Some(EnterpriseAccountProtocol::Saml));
    assert_eq!(enterprise.enterprise_connection_id.as_deref(), Some("ec_1"));
    let Some(EnterpriseAccountVerification::Saml(v)) = &enterprise.verification else {
        return Err(fail(format!(
            "SAML verification: {:?}",
            enterprise.verification
        )));
    };
    let Some(error) = &v.error else {
        return Err(fail("verification error"));
    };
    assert_eq!(error.code, "saml_cancelled");
    assert_eq!(error.long_message, "The SAML flow was cancelled");
    assert_eq!(error.meta.get("retry"), Some(&json!(true)));
    let Some(connection) = &enterprise.enterprise_connection else {
        return Err(fail("connection"));
    };
    assert_eq!(connection.protocol, "saml");
    assert_eq!(connection.logo_public_url, None);
    assert_eq!(connection.domains.len(), 2);
    assert!(connection.allow_subdomains);
    assert_eq!(connection.updated_at, 1_690_000_100_000);

    // Organization membership.
    let membership = only(&user.organization_memberships)?;
    assert_eq!(membership.role, "org:admin");
    assert_eq!(membership.role_name.as_deref(), Some("Admin"));
    assert_eq!(membership.permissions.len(), 2);
    assert_eq!(
        membership.private_metadata.get("cost_center"),
        Some(&json!(12))
    );
    assert_eq!(membership.organization.id, "org_1");
    assert_eq!(membership.organization.slug, "analytical-engines");
    assert_eq!(membership.organization.members_count, Some(7));
    assert_eq!(membership.organization.max_allowed_memberships, 0);
    assert_eq!(
        membership
            .organization
            .missing_member_with_elevated_permissions,
        None
    );
    assert_eq!(membership.organization.role_set_key, None);
    let Some(public) = &membership.public_user_data else {
        return Err(fail("public user data"));
    };
    assert_eq!(public.user_id, "user_2abc");
    assert_eq!(public.identifier.as_deref(), Some("ada@example.com"));
    assert_eq!(public.banned, None);

    // SCIM.
    let Some(scim) = &user.scim else {
        return Err(fail("scim"));
    };
    assert_eq!(scim.directory_id, "dir_1");
    assert_eq!(scim.directory_enabled, Some(true));
    assert_eq!(scim.external_id.as_deref(), Some("scim-ext-9"));
    Ok(())
}

#[test]
fn unknown_fields_are_ignored_at_every_depth() -> TestResult {
    let mut value = full_user();
    set(
        &mut value,
        "",
        "brand_new_field",
        json!({"nested": [1, 2, 3]}),
    )?;
    set(
        &mut value,
        "/email_addresses/0",
        "new_email_flag",
        json!(true),
    )?;
    set(
        &mut value,
        "/email_addresses/0/verification",
        "next_attempt_at",
        json!(1),
    )?;
    set(
        &mut value,
        "/email_addresses/0/linked_to/0",
        "label",
        json!("x"),
    )?;
    set(
        &mut value,
        "/external_accounts/0",
        "provider_extra",
        json!("y"),
    )?;
    set(
        &mut value,
        "/saml_accounts/0/saml_connection",
        "idp_metadata",
        json!("<xml/>"),
    )?;
    set(
        &mut value,
        "/enterprise_accounts/0/verification/error",
        "trace",
        json!("t"),
    )?;
    set(
        &mut value,
        "/organization_memberships/0/organization",
        "billing",
        json!({}),
    )?;
    set(&mut value, "/scim", "directory_name", json!("Okta"))?;

    assert_eq!(parse_user(value)?, parse_user(full_user())?);
    Ok(())
}

#[test]
fn unknown_enum_values_are_kept() -> TestResult {
    let mut value = full_user();
    set(
        &mut value,
        "/email_addresses/0/verification",
        "strategy",
        json!("email_code_v2"),
    )?;
    set(
        &mut value,
        "/email_addresses/0/verification",
        "status",
        json!("pending_review"),
    )?;
    set(
        &mut value,
        "/external_accounts/0",
        "object",
        json!("apple_account"),
    )?;
    set(
        &mut value,
        "/enterprise_accounts/0",
        "protocol",
        json!("oidc"),
    )?;
    let user = parse_user(value)?;

    let Some(EmailAddressVerification::Otp(otp)) = &only(&user.email_addresses)?.verification
    else {
        return Err(fail("OTP verification"));
    };
    assert_eq!(
        otp.strategy,
        VerificationOtpStrategy::Unknown("email_code_v2".to_owned())
    );
    assert_eq!(otp.strategy.as_str(), "email_code_v2");
    assert_eq!(
        otp.status,
        VerificationOtpStatus::Unknown("pending_review".to_owned())
    );
    assert_eq!(
        only(&user.external_accounts)?.object,
        ExternalAccountWithVerificationObject::Unknown("apple_account".to_owned())
    );
    assert_eq!(
        only(&user.enterprise_accounts)?.protocol,
        Some(EnterpriseAccountProtocol::Unknown("oidc".to_owned()))
    );

    // And they serialize back as the server sent them.
    let back = serde_json::to_value(&user)?;
    assert_eq!(
        back.pointer("/email_addresses/0/verification/strategy"),
        Some(&json!("email_code_v2"))
    );
    assert_eq!(
        back.pointer("/external_accounts/0/object"),
        Some(&json!("apple_account"))
    );
    Ok(())
}

#[test]
fn unknown_or_missing_verification_tags_keep_the_whole_object() -> TestResult {
    let unknown = json!({
        "object": "verification_carrier_pigeon",
        "status": "verified",
        "strategy": "pigeon",
        "attempts": 2,
        "expire_at": null,
        "feathers": 12
    });
    let untagged = json!({"status": "verified", "strategy": "admin", "attempts": null});

    let mut value = full_user();
    set(
        &mut value,
        "/email_addresses/0",
        "verification",
        unknown.clone(),
    )?;
    set(
        &mut value,
        "/phone_numbers/0",
        "verification",
        untagged.clone(),
    )?;
    let user = parse_user(value)?;

    assert_eq!(
        only(&user.email_addresses)?.verification,
        Some(EmailAddressVerification::Unknown(unknown.clone()))
    );
    assert_eq!(
        only(&user.email_addresses)?
            .verification
            .as_ref()
            .and_then(|v| v.tag()),
        Some("verification_carrier_pigeon")
    );
    assert_eq!(
        only(&user.phone_numbers)?.verification,
        Some(PhoneNumberVerification::Unknown(untagged.clone()))
    );
    assert_eq!(
        only(&user.phone_numbers)?
            .verification
            .as_ref()
            .and_then(|v| v.tag()),
        None
    );

    // Unknown variants serialize back unchanged.
    let back = serde_json::to_value(&user)?;
    assert_eq!(
        back.pointer("/email_addresses/0/verification"),
        Some(&unknown)
    );
    assert_eq!(
        back.pointer("/phone_numbers/0/verification"),
        Some(&untagged)
    );
    Ok(())
}

#[test]
fn null_verification_is_none() -> TestResult {
    let mut value = full_user();
    set(
        &mut value,
        "/email_addresses/0",
        "verification",
        Value::Null,
    )?;
    remove(&mut value, "/phone_numbers/0", "verification")?;
    let user = parse_user(value)?;
    assert_eq!(only(&user.email_addresses)?.verification, None);
    assert_eq!(only(&user.phone_numbers)?.verification, None);
    Ok(())
}

#[test]
fn required_fields_the_server_omits_read_as_defaults() -> TestResult {
    let mut value = full_user();
    for key in [
        "external_accounts",
        "banned",
        "created_at",
        "has_image",
        "username",
        "object",
    ] {
        remove(&mut value, "", key)?;
    }
    remove(&mut value, "/email_addresses/0", "linked_to")?;
    remove(&mut value, "/email_addresses/0", "reserved")?;
    remove(&mut value, "/email_addresses/0/verification", "status")?;
    remove(&mut value, "/organization_memberships/0", "organization")?;
    let user = parse_user(value)?;

    assert!(user.external_accounts.is_empty());
    assert!(!user.banned);
    assert_eq!(user.created_at, 0);
    assert!(!user.has_image);
    assert_eq!(user.username, None);
    assert_eq!(user.object, "");
    assert!(only(&user.email_addresses)?.linked_to.is_empty());
    assert!(!only(&user.email_addresses)?.reserved);
    let Some(EmailAddressVerification::Otp(otp)) = &only(&user.email_addresses)?.verification
    else {
        return Err(fail("OTP verification"));
    };
    assert_eq!(otp.status, VerificationOtpStatus::default());
    assert_eq!(
        only(&user.organization_memberships)?.organization,
        Organization::default()
    );

    // The smallest user the API could send.
    let minimal = parse_user(json!({"id": "user_min", "object": "user"}))?;
    assert_eq!(minimal.id, "user_min");
    assert!(minimal.email_addresses.is_empty());
    assert!(minimal.public_metadata.is_empty());
    assert_eq!(minimal.scim, None);
    Ok(())
}

#[test]
fn null_arrays_maps_and_required_scalars_read_as_empty() -> TestResult {
    let mut value = full_user();
    for key in [
        "email_addresses",
        "phone_numbers",
        "web3_wallets",
        "passkeys",
        "external_accounts",
        "saml_accounts",
        "enterprise_accounts",
        "organization_memberships",
        "public_metadata",
        "private_metadata",
        "unsafe_metadata",
        "banned",
        "created_at",
        "id",
    ] {
        set(&mut value, "", key, Value::Null)?;
    }
    let user = parse_user(value)?;

    assert!(user.email_addresses.is_empty());
    assert!(user.phone_numbers.is_empty());
    assert!(user.web3_wallets.is_empty());
    assert!(user.passkeys.is_empty());
    assert!(user.external_accounts.is_empty());
    assert!(user.saml_accounts.is_empty());
    assert!(user.enterprise_accounts.is_empty());
    assert!(user.organization_memberships.is_empty());
    assert!(user.public_metadata.is_empty());
    assert!(user.private_metadata.is_empty());
    assert!(user.unsafe_metadata.is_empty());
    assert!(!user.banned);
    assert_eq!(user.created_at, 0);
    assert_eq!(user.id, "");

    let mut value = full_user();
    set(&mut value, "/email_addresses/0", "linked_to", Value::Null)?;
    set(
        &mut value,
        "/organization_memberships/0",
        "permissions",
        Value::Null,
    )?;
    set(
        &mut value,
        "/saml_accounts/0/saml_connection",
        "domains",
        Value::Null,
    )?;
    set(
        &mut value,
        "/enterprise_accounts/0/verification/error",
        "meta",
        Value::Null,
    )?;
    let user = parse_user(value)?;
    assert!(only(&user.email_addresses)?.linked_to.is_empty());
    assert!(only(&user.organization_memberships)?.permissions.is_empty());
    assert_eq!(
        only(&user.saml_accounts)?
            .saml_connection
            .as_ref()
            .map(|c| c.domains.len()),
        Some(0)
    );
    Ok(())
}

#[test]
fn serialize_then_deserialize_round_trips() -> TestResult {
    let user = parse_user(full_user())?;
    let text = serde_json::to_string(&user)?;
    let again: User = serde_json::from_str(&text)?;
    assert_eq!(again, user);
    assert_ne!(again, User::default());

    // A known variant built without its `object` still serializes with its tag, so it reads back
    // as the same variant (now with `object` filled in).
    // (Built by decoding: response models are `non_exhaustive` outside the crate.)
    let admin: VerificationAdmin =
        serde_json::from_value(json!({"status": "verified", "strategy": "admin"}))?;
    assert_eq!(admin.status, VerificationAdminStatus::Verified);
    assert_eq!(admin.strategy, VerificationAdminStrategy::Admin);
    let mut user = parse_user(full_user())?;
    let email = user
        .email_addresses
        .first_mut()
        .ok_or_else(|| fail("no email address"))?;
    email.verification = Some(EmailAddressVerification::Admin(admin.clone()));
    let back = serde_json::to_value(&user)?;
    assert_eq!(
        back.pointer("/email_addresses/0/verification"),
        Some(&json!({"object": "verification_admin", "status": "verified", "strategy": "admin"}))
    );
    let again: User = serde_json::from_value(back)?;
    let mut tagged = admin;
    tagged.object = Some("verification_admin".to_owned());
    assert_eq!(
        only(&again.email_addresses)?.verification,
        Some(EmailAddressVerification::Admin(tagged))
    );

    // Minimal and default values round-trip too.
    let default = User::default();
    let again: User = serde_json::from_str(&serde_json::to_string(&default)?)?;
    assert_eq!(again, default);
    Ok(())
}

/// What `E::parse` makes of `body` in a 200 response.
fn parse_as<E: clerk_backend_core::Endpoint>(
    body: impl Into<Vec<u8>>,
) -> Result<E::Output, clerk_backend_core::Error> {
    // `Response::new` is 200 OK.
    E::parse(http::Response::new(body.into()))
}

/// What a user gets from `GetUser::parse` for a body that does not decode.
fn decode_error(text: &str) -> Result<clerk_backend_core::DecodeError, Box<dyn std::error::Error>> {
    match parse_as::<clerk_backend_core::users::GetUser>(text) {
        Err(clerk_backend_core::Error::Decode(err)) => Ok(*err),
        other => Err(fail(format!("expected a decode error, got {other:?}"))),
    }
}

#[test]
fn a_type_error_deep_inside_names_its_path() -> TestResult {
    let mut value = full_user();
    set(
        &mut value,
        "/email_addresses/0",
        "created_at",
        json!("yesterday"),
    )?;
    let err = decode_error(&value.to_string())?;
    assert_eq!(err.path, "email_addresses[0].created_at");
    assert_eq!(err.body, value.to_string().into_bytes(), "the body is kept");

    // Inside a known union variant: the outer path points at the union, the message at the field.
    let mut value = full_user();
    set(
        &mut value,
        "/email_addresses/0/verification",
        "attempts",
        json!("one"),
    )?;
    let err = decode_error(&value.to_string())?;
    assert_eq!(err.path, "email_addresses[0].verification");
    assert!(err.message.contains("attempts"), "{}", err.message);
    Ok(())
}

#[test]
fn a_failing_union_is_named_wherever_it_sits_in_its_object() -> TestResult {
    // The union first among its siblings (the case above has it last): same path.
    let text = r#"{"id":"user_1","object":"user","email_addresses":[
        {"verification":{"object":"verification_otp","status":"verified","strategy":"email_code","attempts":"one"},
         "id":"idn_1","object":"email_address","email_address":"a@example.com"}],"first_name":"Ada"}"#;
    let err = decode_error(text)?;
    assert_eq!(err.path, "email_addresses[0].verification");
    assert!(err.message.contains("attempts"), "{}", err.message);
    Ok(())
}

#[test]
fn deleted_object_parses() -> TestResult {
    let deleted: DeletedObject =
        serde_json::from_value(json!({"object": "user", "id": "user_1", "deleted": true}))?;
    assert_eq!(deleted.object, "user");
    assert_eq!(deleted.id.as_deref(), Some("user_1"));
    assert!(deleted.deleted);
    assert_eq!(deleted.slug, None);

    let deleted: DeletedObject = serde_json::from_value(
        json!({"object": "organization", "slug": "analytical-engines", "deleted": true, "extra": 1}),
    )?;
    assert_eq!(deleted.object, "organization");
    assert_eq!(deleted.id, None);
    assert_eq!(deleted.slug.as_deref(), Some("analytical-engines"));
    assert!(deleted.deleted);

    let back = serde_json::to_value(&deleted)?;
    assert_eq!(
        back,
        json!({"object": "organization", "slug": "analytical-engines", "deleted": true})
    );
    Ok(())
}

#[test]
fn members_are_matched_by_their_decoded_name_and_the_last_repeat_wins() -> TestResult {
    // `\u0069d` is `id` written with an escape: the key is decoded before it is matched.
    let text = r#"{"\u0069d":"user_1","first_name":"Ada","first_name":"Augusta","object":"user"}"#;
    let user: User = serde_json::from_str(text)?;
    assert_eq!(user.id, "user_1");
    assert_eq!(user.first_name.as_deref(), Some("Augusta"));

    // An unknown member of any shape is skipped, wherever it sits.
    let text = r#"{"future":{"a":[1,{"b":null}]},"id":"user_2","later":[[]],"banned":true}"#;
    let user: User = serde_json::from_str(text)?;
    assert_eq!((user.id.as_str(), user.banned), ("user_2", true));
    Ok(())
}

#[test]
fn a_model_is_only_ever_an_object() -> TestResult {
    // A struct written as a JSON array (which a derived decoder would accept) or as a scalar is
    // a decode error that names the model, at the top level and inside a list.
    for text in [r#"["user_1"]"#, r#""user_1""#, "42", "true"] {
        let err = decode_error(text)?;
        assert_eq!(err.path, ".", "{text}");
        assert!(err.message.contains("the `User` object"), "{}", err.message);
    }
    let err = decode_error(r#"{"id":"user_1","email_addresses":[{"id":"idn_1"},"idn_2"]}"#)?;
    assert_eq!(err.path, "email_addresses[1]");
    assert!(
        err.message.contains("the `EmailAddress` object"),
        "{}",
        err.message
    );
    Ok(())
}

#[test]
fn a_nested_request_object_can_clear_a_member_as_well_as_leave_it_alone() -> TestResult {
    use clerk_backend_core::enterprise_connections::UpdateEnterpriseConnection;
    use clerk_backend_core::{Config, Endpoint, Nullable};

    let saml = UpdateEnterpriseConnectionSaml {
        idp_metadata_url: Some(Nullable::Null),
        idp_entity_id: Some("https://idp.example.com".to_owned().into()),
        ..Default::default()
    };
    let request = UpdateEnterpriseConnection::new("entconn_1")
        .saml(saml.clone())
        .to_http(&Config::new("sk_test_x")?)?;
    let body: Value = serde_json::from_slice(request.body())?;
    // Cleared is `null`, set is the value, and untouched members are not sent at all.
    assert_eq!(
        body,
        json!({"saml": {"idp_metadata_url": null, "idp_entity_id": "https://idp.example.com"}})
    );

    // What a request type decodes from, it serializes back the same: null stays null.
    let again: UpdateEnterpriseConnectionSaml = serde_json::from_value(body["saml"].clone())?;
    assert_eq!(again, saml);

    // An optional collection in a request item is not sent unless set.
    let item = CreateBulkInvitationsItem {
        email_address: "ada@example.com".into(),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&item)?,
        json!({"email_address": "ada@example.com"})
    );
    Ok(())
}

/// `body` parsed as the response of `GET /jwks`.
fn parse_jwks(body: &Value) -> Result<Jwks, clerk_backend_core::Error> {
    parse_as::<clerk_backend_core::jwks::GetJwks>(body.to_string())
}

#[test]
fn jwks_keys_are_told_apart_by_their_members() -> TestResult {
    let rsa_public = json!({"kid": "ins_1", "alg": "RS256", "use": "sig", "kty": "RSA", "n": "0vx7", "e": "AQAB"});
    // A private RSA key without the `crv` the spec wrongly requires: `d`, `p`, `q` mark it.
    let rsa_private = json!({"kid": "ins_2", "alg": "RS256", "use": "sig", "kty": "RSA", "n": "0vx7",
        "e": "AQAB", "d": "X4cT", "p": "83i-", "q": "3dfO"});
    let ed_public = json!({"kid": "ins_3", "alg": "EdDSA", "use": "sig", "kty": "OKP", "crv": "Ed25519", "x": "11qY"});
    let ed_private = json!({"kid": "ins_4", "alg": "EdDSA", "use": "sig", "kty": "OKP", "crv": "Ed25519",
        "x": "11qY", "d": "nWGx"});
    let ec_public = json!({"kid": "ins_5", "alg": "ES256", "use": "sig", "kty": "EC", "crv": "P-256",
        "x": "f83O", "y": "x_FE"});
    let future =
        json!({"kid": "ins_6", "alg": "ML-DSA-65", "use": "sig", "kty": "AKP", "pub": "abc"});
    let body = json!({"keys": [rsa_public, rsa_private, ed_public, ed_private, ec_public, future, "junk"]});
    let jwks = parse_jwks(&body)?;

    let [
        JwksKeysItem::RsaPublicKey(rsa_pub),
        JwksKeysItem::RsaPrivateKey(rsa_priv),
        JwksKeysItem::Ed25519PublicKey(ed_pub),
        JwksKeysItem::Ed25519PrivateKey(ed_priv),
        JwksKeysItem::EcdsaPublicKey(ec_pub),
        JwksKeysItem::Unknown(unknown),
        JwksKeysItem::Unknown(junk),
    ] = jwks.keys.as_slice()
    else {
        return Err(fail(format!("unexpected variants: {:?}", jwks.keys)));
    };
    assert_eq!(
        (rsa_pub.kid.as_str(), rsa_pub.n.as_str(), rsa_pub.e.as_str()),
        ("ins_1", "0vx7", "AQAB")
    );
    assert_eq!(
        (
            rsa_priv.d.as_str(),
            rsa_priv.p.as_str(),
            rsa_priv.q.as_str()
        ),
        ("X4cT", "83i-", "3dfO")
    );
    assert_eq!(ed_pub.x, "11qY");
    assert_eq!(ed_priv.d, "nWGx");
    assert_eq!((ec_pub.x.as_str(), ec_pub.y.as_str()), ("f83O", "x_FE"));
    assert_eq!(
        unknown["kty"], "AKP",
        "a key type this crate does not know is kept whole"
    );
    assert_eq!(*junk, json!("junk"));

    // What was read writes back as JSON that reads as the same keys (each variant untagged).
    let written = serde_json::to_value(&jwks)?;
    assert_eq!(written["keys"][1]["d"], "X4cT");
    assert_eq!(parse_jwks(&written)?, jwks);
    Ok(())
}

#[test]
fn a_recognised_jwk_that_does_not_decode_names_its_path() -> TestResult {
    let body = json!({"keys": [{"kid": "ins_1", "alg": "RS256", "use": "sig", "kty": "RSA", "n": 7, "e": "AQAB"}]});
    match parse_jwks(&body) {
        Err(clerk_backend_core::Error::Decode(err)) => {
            assert_eq!(err.path, "keys[0]");
            assert!(err.message.contains("`n`"), "{}", err.message);
            Ok(())
        }
        other => Err(fail(format!("expected a decode error, got {other:?}"))),
    }
}

#[test]
fn an_oauth_token_verification_reads_as_a_token_or_as_inactive() -> TestResult {
    use clerk_backend_core::oauth_access_tokens::VerifyOauthAccessToken;
    let parse = |body: Value| parse_as::<VerifyOauthAccessToken>(body.to_string());
    let token = parse(
        json!({"object": "clerk_idp_oauth_access_token", "id": "oat_1", "client_id": "client_1",
        "subject": "user_1", "scopes": ["read"], "revoked": false, "revocation_reason": null,
        "expired": false, "expiration": null, "created_at": 1716883200, "updated_at": 1716883200}),
    )?;
    let VerifyOauthAccessTokenResponse::ClerkIdpOauthAccessToken(token) = token else {
        return Err(fail(format!("not a token: {token:?}")));
    };
    assert_eq!(
        (token.subject.as_str(), token.scopes.as_slice()),
        ("user_1", &["read".to_owned()][..])
    );
    assert_eq!(token.revocation_reason, None);

    let inactive = parse(json!({"active": false}))?;
    assert!(
        matches!(inactive, VerifyOauthAccessTokenResponse::ActiveFalse(_)),
        "{inactive:?}"
    );
    let other = parse(json!({"active": true, "sub": "user_1"}))?;
    assert!(
        matches!(other, VerifyOauthAccessTokenResponse::Unknown(_)),
        "{other:?}"
    );
    Ok(())
}

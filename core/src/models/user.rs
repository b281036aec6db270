//! `User`: a user of a Clerk instance, with everything it contains.

use crate::models::{
    EmailAddress, EnterpriseAccount, ExternalAccountWithVerification, OrganizationMembership,
    Passkey, PhoneNumber, SamlAccount, ScimUserMetadata, Web3Wallet,
};

/// A user of a Clerk instance.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct User {
    /// Unique identifier of the user.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub id: String,
    /// String representing the object's type. Objects of the same type share the same value.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub object: String,
    /// The ID of the user in your own system, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// The ID of the user's primary email address, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_email_address_id: Option<String>,
    /// The ID of the user's primary phone number, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_phone_number_id: Option<String>,
    /// The ID of the user's primary Web3 wallet, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_web3_wallet_id: Option<String>,
    /// The user's username, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The user's first name, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// The user's last name, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// The user's locale, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The URL of the user's profile image.
    ///
    /// **Deprecated** in the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_image_url: Option<String>,
    /// The URL of the user's profile image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// Whether the user has uploaded a profile image.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub has_image: bool,
    /// Metadata that both the Frontend and the Backend API can read, and only the Backend API can
    /// set.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub public_metadata: serde_json::Map<String, serde_json::Value>,
    /// Metadata that only the Backend API can read and set.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub private_metadata: serde_json::Map<String, serde_json::Value>,
    /// Metadata that both the Frontend and the Backend API can read and set.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub unsafe_metadata: serde_json::Map<String, serde_json::Value>,
    /// The user's email addresses.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub email_addresses: Vec<EmailAddress>,
    /// The user's phone numbers.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub phone_numbers: Vec<PhoneNumber>,
    /// The user's Web3 wallets.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub web3_wallets: Vec<Web3Wallet>,
    /// The user's passkeys.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub passkeys: Vec<Passkey>,
    /// Whether the user has a password.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub password_enabled: bool,
    /// Whether the user has a second factor enabled.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub two_factor_enabled: bool,
    /// Whether the user has an authenticator app (TOTP) set up.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub totp_enabled: bool,
    /// Whether the user has backup codes.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub backup_code_enabled: bool,
    /// Unix timestamp of when MFA was last enabled for this user. It should be noted that this
    /// field is not nullified if MFA is disabled. Unix timestamp in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_enabled_at: Option<i64>,
    /// Unix timestamp of when MFA was last disabled for this user. It should be noted that this
    /// field is not nullified if MFA is enabled again. Unix timestamp in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_disabled_at: Option<i64>,
    /// Unix timestamp of when the user's password was last updated. Unix timestamp in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_last_updated_at: Option<i64>,
    /// The user's external (OAuth) accounts.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_accounts: Vec<ExternalAccountWithVerification>,
    /// The user's SAML accounts.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub saml_accounts: Vec<SamlAccount>,
    /// The user's enterprise accounts.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub enterprise_accounts: Vec<EnterpriseAccount>,
    /// The user's organization memberships, when the response includes them.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub organization_memberships: Vec<OrganizationMembership>,
    /// Unix timestamp of last sign-in. Unix timestamp in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sign_in_at: Option<i64>,
    /// Flag to denote whether user is banned or not.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub banned: bool,
    /// Flag to denote whether user is currently locked, i.e. restricted from signing in or not.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub locked: bool,
    /// Flag to denote whether user has been deprovisioned and is restricted from signing in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprovisioned: Option<bool>,
    /// The number of seconds remaining until the lockout period expires for a locked user. A null
    /// value for a locked user indicates that lockout never expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lockout_expires_in_seconds: Option<i64>,
    /// The number of verification attempts remaining until the user is locked. Null if account
    /// lockout is not enabled. Note: if a user is locked explicitly via the Backend API, they may
    /// still have verification attempts remaining.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_attempts_remaining: Option<i64>,
    /// Unix timestamp of last update. Unix timestamp in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub updated_at: i64,
    /// Unix timestamp of creation. Unix timestamp in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub created_at: i64,
    /// If enabled, user can delete themselves via FAPI.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub delete_self_enabled: bool,
    /// If enabled, user can create organizations via FAPI.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub create_organization_enabled: bool,
    /// The maximum number of organizations the user can create. 0 means unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_organizations_limit: Option<i64>,
    /// Unix timestamp of the latest session activity, with day precision. Unix timestamp in
    /// milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_active_at: Option<i64>,
    /// Unix timestamp of when the user accepted the legal requirements. Unix timestamp in
    /// milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_accepted_at: Option<i64>,
    /// When set to `true`, the user will bypass Device Trust checks during sign-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bypass_client_trust: Option<bool>,
    /// The user's linkage to a directory, when the user is provisioned through one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scim: Option<ScimUserMetadata>,
}

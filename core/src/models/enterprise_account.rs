//! `EnterpriseAccount`: an enterprise (SAML or OAuth) account of a user.

use crate::models::{
    EnterpriseAccountConnection, VerificationOauth, VerificationSaml, VerificationTicket,
};

/// An enterprise (SAML or OAuth) account of a user.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct EnterpriseAccount {
    /// Unique identifier of the enterprise account.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub id: String,
    /// String representing the object's type. Objects of the same type share the same value.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub object: String,
    /// The authentication protocol used to sign in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<EnterpriseAccountProtocol>,
    /// The identity provider (for example `saml_okta`).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub provider: String,
    /// Whether the enterprise account is active.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub active: bool,
    /// The user's email address at the identity provider.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub email_address: String,
    /// The user's first name at the identity provider, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// The user's last name at the identity provider, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// The unique ID of the user in the external provider's system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_user_id: Option<String>,
    /// The ID of the enterprise connection of the account, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_connection_id: Option<String>,
    /// Metadata of the enterprise account that both the Frontend and the Backend API can read.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub public_metadata: serde_json::Map<String, serde_json::Value>,
    /// The verification of the enterprise account, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<EnterpriseAccountVerification>,
    /// The enterprise connection of the account, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_connection: Option<EnterpriseAccountConnection>,
    /// Unix timestamp of last authentication. Unix timestamp in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_authenticated_at: Option<i64>,
}

crate::string_enum! {
    /// The `protocol` field of [`EnterpriseAccount`].
    pub enum EnterpriseAccountProtocol {
        Oauth = "oauth",
        Saml = "saml",
    }
}

crate::tagged_union! {
    /// The `verification` field of [`EnterpriseAccount`], told apart by its `object` field.
    pub enum EnterpriseAccountVerification (tag = "object") {
        /// [`VerificationTicket`].
        Ticket(VerificationTicket) = "verification_ticket",
        /// [`VerificationSaml`].
        Saml(VerificationSaml) = "verification_saml",
        /// [`VerificationOauth`].
        Oauth(VerificationOauth) = "verification_oauth",
    }
}

//! `SAMLAccount`: a SAML account of a user.

use crate::models::{SamlAccountConnection, VerificationSaml, VerificationTicket};

/// A SAML account of a user.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct SamlAccount {
    /// Unique identifier of the SAML account.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub id: String,
    /// String representing the object's type. Objects of the same type share the same value.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub object: String,
    /// The SAML identity provider (for example `saml_okta`).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub provider: String,
    /// Whether the SAML account is active.
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
    /// The unique ID of the user at the identity provider, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_user_id: Option<String>,
    /// Unix timestamp of last authentication. Unix timestamp in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_authenticated_at: Option<i64>,
    /// Metadata of the SAML account that both the Frontend and the Backend API can read.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub public_metadata: serde_json::Map<String, serde_json::Value>,
    /// The verification of the SAML account, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<SamlAccountVerification>,
    /// The SAML connection of the account, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saml_connection: Option<SamlAccountConnection>,
}

crate::tagged_union! {
    /// The `verification` field of [`SamlAccount`], told apart by its `object` field.
    pub enum SamlAccountVerification (tag = "object") {
        /// [`VerificationSaml`].
        Saml(VerificationSaml) = "verification_saml",
        /// [`VerificationTicket`].
        Ticket(VerificationTicket) = "verification_ticket",
    }
}

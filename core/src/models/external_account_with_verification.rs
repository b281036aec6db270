//! `ExternalAccountWithVerification`: an external (OAuth) account of a user.

use crate::models::{VerificationGoogleOneTap, VerificationOauth};

/// An external (OAuth) account of a user, with its verification.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ExternalAccountWithVerification {
    /// String representing the object's type. Objects of the same type share the same value.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub object: ExternalAccountWithVerificationObject,
    /// Unique identifier of the external account.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub id: String,
    /// The OAuth provider (for example `oauth_google`).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub provider: String,
    /// The ID of the identification of this external account.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub identification_id: String,
    /// The unique ID of the user in the external provider's system.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub provider_user_id: String,
    /// The OAuth scopes the user approved, separated by spaces.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub approved_scopes: String,
    /// The user's email address at the provider.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub email_address: String,
    /// Whether the email was verified by the OAuth provider at creation time. null = unknown
    /// (pre-migration data or custom OAuth providers), true = provider confirmed email was
    /// verified, false = provider confirmed email was NOT verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_address_verified: Option<bool>,
    /// The user's first name at the provider.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub first_name: String,
    /// The user's last name at the provider.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub last_name: String,
    /// Please use `image_url` instead.
    ///
    /// **Deprecated** in the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_url: Option<String>,
    /// The URL of the user's image at the provider, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// The user's username at the provider, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The user's phone number at the provider, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Metadata of the external account that both the Frontend and the Backend API can read.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub public_metadata: serde_json::Map<String, serde_json::Value>,
    /// A label of the external account, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Unix timestamp of creation. Unix timestamp in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub created_at: i64,
    /// Unix timestamp of creation. Unix timestamp in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub updated_at: i64,
    /// The verification of the external account, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<ExternalAccountWithVerificationVerification>,
}

crate::string_enum! {
    /// The `object` field of [`ExternalAccountWithVerification`].
    pub enum ExternalAccountWithVerificationObject {
        ExternalAccount = "external_account",
        FacebookAccount = "facebook_account",
        GoogleAccount = "google_account",
    }
}

crate::tagged_union! {
    /// The `verification` field of [`ExternalAccountWithVerification`], told apart by its `object`
    /// field.
    pub enum ExternalAccountWithVerificationVerification (tag = "object") {
        /// [`VerificationOauth`].
        Oauth(VerificationOauth) = "verification_oauth",
        /// [`VerificationGoogleOneTap`].
        GoogleOneTap(VerificationGoogleOneTap) = "verification_google_one_tap",
    }
}

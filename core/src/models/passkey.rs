//! `Passkey`: a passkey of a user.

use crate::models::VerificationPasskey;

/// A passkey of a user.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Passkey {
    /// Unique identifier of the passkey.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// String representing the object's type. Objects of the same type share the same value.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub object: String,
    /// The name of the passkey.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// Unix timestamp of when the passkey was last used. Unix timestamp in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub last_used_at: i64,
    /// The verification of the passkey, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<PasskeyVerification>,
}

crate::tagged_union! {
    /// The `verification` field of [`Passkey`], told apart by its `object` field.
    pub enum PasskeyVerification (tag = "object") {
        /// [`VerificationPasskey`].
        Passkey(VerificationPasskey) = "verification_passkey",
    }
}

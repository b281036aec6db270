//! `PhoneNumber`: a phone number of a user.

use crate::models::{IdentificationLink, VerificationAdmin, VerificationOtp};

/// A phone number of a user.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct PhoneNumber {
    /// Unique identifier of the phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// String representing the object's type. Objects of the same type share the same value.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub object: String,
    /// The phone number.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub phone_number: String,
    /// Whether the phone number is reserved for use as a second factor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_for_second_factor: Option<bool>,
    /// Whether the phone number is the user's default second factor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_second_factor: Option<bool>,
    /// Whether the phone number is reserved.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub reserved: bool,
    /// The verification of the phone number, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<PhoneNumberVerification>,
    /// The identifications (OAuth accounts) this phone number is linked to.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub linked_to: Vec<IdentificationLink>,
    /// Backup codes of the phone number, if any.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub backup_codes: Vec<String>,
    /// Unix timestamp of creation. Unix timestamp in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub created_at: i64,
    /// Unix timestamp of creation. Unix timestamp in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub updated_at: i64,
}

crate::tagged_union! {
    /// The `verification` field of [`PhoneNumber`], told apart by its `object` field.
    pub enum PhoneNumberVerification (tag = "object") {
        /// [`VerificationOtp`].
        Otp(VerificationOtp) = "verification_otp",
        /// [`VerificationAdmin`].
        Admin(VerificationAdmin) = "verification_admin",
    }
}

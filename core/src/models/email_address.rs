//! `EmailAddress`: an email address of a user.

use crate::models::{
    IdentificationLink, VerificationAdmin, VerificationEmailLink, VerificationFromOauth,
    VerificationOtp, VerificationSaml, VerificationScim, VerificationTicket,
};

/// An email address of a user.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct EmailAddress {
    /// Unique identifier of the email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// String representing the object's type. Objects of the same type share the same value.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub object: String,
    /// The email address.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub email_address: String,
    /// Whether the email address is reserved.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub reserved: bool,
    /// The verification of the email address, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<EmailAddressVerification>,
    /// The identifications (OAuth accounts) this email address is linked to.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub linked_to: Vec<IdentificationLink>,
    /// Indicates whether this email address domain matches an active enterprise connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matches_sso_connection: Option<bool>,
    /// Unix timestamp of creation. Unix timestamp in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub created_at: i64,
    /// Unix timestamp of creation. Unix timestamp in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub updated_at: i64,
}

crate::tagged_union! {
    /// The `verification` field of [`EmailAddress`], told apart by its `object` field.
    pub enum EmailAddressVerification (tag = "object") {
        /// [`VerificationOtp`].
        Otp(VerificationOtp) = "verification_otp",
        /// [`VerificationAdmin`].
        Admin(VerificationAdmin) = "verification_admin",
        /// [`VerificationFromOauth`].
        FromOauth(VerificationFromOauth) = "verification_from_oauth",
        /// [`VerificationTicket`].
        Ticket(VerificationTicket) = "verification_ticket",
        /// [`VerificationSaml`].
        Saml(VerificationSaml) = "verification_saml",
        /// [`VerificationEmailLink`].
        EmailLink(VerificationEmailLink) = "verification_email_link",
        /// [`VerificationScim`].
        Scim(VerificationScim) = "verification_scim",
    }
}

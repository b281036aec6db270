//! The `verification_*` objects: how an identification or an account was verified.

use crate::models::ClerkError;

/// A verification by a one-time code sent by email or SMS.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct VerificationOtp {
    /// String representing the object's type (`verification_otp`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The status of the verification.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub status: VerificationOtpStatus,
    /// The strategy used to verify.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub strategy: VerificationOtpStrategy,
    /// The number of attempts made to verify, if counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts: Option<i64>,
    /// When the verification expires. Unix timestamp in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_at: Option<i64>,
    /// The delivery channel of the code (phone codes only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// The ID of the client on which the verification was completed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at_client: Option<String>,
}

crate::string_enum! {
    /// The `status` field of [`VerificationOtp`].
    pub enum VerificationOtpStatus {
        Unverified = "unverified",
        Verified = "verified",
        Failed = "failed",
        Expired = "expired",
    }
}

crate::string_enum! {
    /// The `strategy` field of [`VerificationOtp`].
    pub enum VerificationOtpStrategy {
        PhoneCode = "phone_code",
        EmailCode = "email_code",
        ResetPasswordEmailCode = "reset_password_email_code",
    }
}

/// A verification made by an administrator (through the Backend API or the Dashboard).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct VerificationAdmin {
    /// String representing the object's type (`verification_admin`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The status of the verification.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub status: VerificationAdminStatus,
    /// The strategy used to verify.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub strategy: VerificationAdminStrategy,
    /// The number of attempts made to verify, if counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts: Option<i64>,
    /// When the verification expires. Unix timestamp in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_at: Option<i64>,
    /// The ID of the client on which the verification was completed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at_client: Option<String>,
}

crate::string_enum! {
    /// The `status` field of [`VerificationAdmin`].
    pub enum VerificationAdminStatus {
        Verified = "verified",
    }
}

crate::string_enum! {
    /// The `strategy` field of [`VerificationAdmin`].
    pub enum VerificationAdminStrategy {
        Admin = "admin",
    }
}

/// A verification inherited from an OAuth provider that verified the identification.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct VerificationFromOauth {
    /// String representing the object's type (`verification_from_oauth`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The status of the verification.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub status: VerificationFromOauthStatus,
    /// The strategy used to verify. Matches the pattern
    /// `^from_oauth_(?:(?:token_)|(?:custom_))?[a-z]+$`.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub strategy: String,
    /// The error that made the verification fail, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ClerkError>,
    /// When the verification expires. Unix timestamp in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_at: Option<i64>,
    /// The number of attempts made to verify, if counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts: Option<i64>,
    /// The ID of the client on which the verification was completed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at_client: Option<String>,
}

crate::string_enum! {
    /// The `status` field of [`VerificationFromOauth`].
    pub enum VerificationFromOauthStatus {
        Unverified = "unverified",
        Verified = "verified",
    }
}

/// A verification by a ticket (for example an invitation).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct VerificationTicket {
    /// String representing the object's type (`verification_ticket`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The status of the verification.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub status: VerificationTicketStatus,
    /// The strategy used to verify.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub strategy: VerificationTicketStrategy,
    /// The number of attempts made to verify, if counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts: Option<i64>,
    /// When the verification expires. Unix timestamp in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_at: Option<i64>,
    /// The ID of the client on which the verification was completed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at_client: Option<String>,
}

crate::string_enum! {
    /// The `status` field of [`VerificationTicket`].
    pub enum VerificationTicketStatus {
        Unverified = "unverified",
        Verified = "verified",
        Expired = "expired",
    }
}

crate::string_enum! {
    /// The `strategy` field of [`VerificationTicket`].
    pub enum VerificationTicketStrategy {
        Ticket = "ticket",
    }
}

/// A verification through a SAML identity provider.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct VerificationSaml {
    /// String representing the object's type (`verification_saml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The status of the verification.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub status: VerificationSamlStatus,
    /// The strategy used to verify.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub strategy: VerificationSamlStrategy,
    /// The URL to send the user to in order to verify with the external provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_verification_redirect_url: Option<String>,
    /// The error that made the verification fail, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ClerkError>,
    /// When the verification expires. Unix timestamp in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_at: Option<i64>,
    /// The number of attempts made to verify, if counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts: Option<i64>,
    /// The ID of the client on which the verification was completed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at_client: Option<String>,
}

crate::string_enum! {
    /// The `status` field of [`VerificationSaml`].
    pub enum VerificationSamlStatus {
        Unverified = "unverified",
        Verified = "verified",
        Failed = "failed",
        Expired = "expired",
        Transferable = "transferable",
    }
}

crate::string_enum! {
    /// The `strategy` field of [`VerificationSaml`].
    pub enum VerificationSamlStrategy {
        Saml = "saml",
    }
}

/// A verification by a link sent by email.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct VerificationEmailLink {
    /// String representing the object's type (`verification_email_link`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The status of the verification.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub status: VerificationEmailLinkStatus,
    /// The strategy used to verify.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub strategy: VerificationEmailLinkStrategy,
    /// The number of attempts made to verify, if counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts: Option<i64>,
    /// When the verification expires. Unix timestamp in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_at: Option<i64>,
    /// The ID of the client on which the verification was completed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at_client: Option<String>,
}

crate::string_enum! {
    /// The `status` field of [`VerificationEmailLink`].
    pub enum VerificationEmailLinkStatus {
        Unverified = "unverified",
        Verified = "verified",
        Failed = "failed",
        Expired = "expired",
    }
}

crate::string_enum! {
    /// The `strategy` field of [`VerificationEmailLink`].
    pub enum VerificationEmailLinkStrategy {
        EmailLink = "email_link",
    }
}

/// A verification through SCIM directory provisioning.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct VerificationScim {
    /// String representing the object's type (`verification_scim`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The status of the verification.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub status: VerificationScimStatus,
    /// The strategy used to verify.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub strategy: VerificationScimStrategy,
    /// The number of attempts made to verify, if counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts: Option<i64>,
    /// When the verification expires. Unix timestamp in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_at: Option<i64>,
}

crate::string_enum! {
    /// The `status` field of [`VerificationScim`].
    pub enum VerificationScimStatus {
        Verified = "verified",
    }
}

crate::string_enum! {
    /// The `strategy` field of [`VerificationScim`].
    pub enum VerificationScimStrategy {
        Scim = "scim",
    }
}

/// A verification by a Web3 wallet signature.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct VerificationWeb3 {
    /// String representing the object's type (`verification_web3`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The status of the verification.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub status: VerificationWeb3Status,
    /// The strategy used to verify.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub strategy: VerificationWeb3Strategy,
    /// The nonce the wallet signs, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    /// The message the wallet signs, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The number of attempts made to verify, if counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts: Option<i64>,
    /// When the verification expires. Unix timestamp in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_at: Option<i64>,
    /// The ID of the client on which the verification was completed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at_client: Option<String>,
}

crate::string_enum! {
    /// The `status` field of [`VerificationWeb3`].
    pub enum VerificationWeb3Status {
        Unverified = "unverified",
        Verified = "verified",
        Failed = "failed",
        Expired = "expired",
    }
}

crate::string_enum! {
    /// The `strategy` field of [`VerificationWeb3`].
    pub enum VerificationWeb3Strategy {
        Web3MetamaskSignature = "web3_metamask_signature",
        Web3BaseSignature = "web3_base_signature",
        Web3CoinbaseWalletSignature = "web3_coinbase_wallet_signature",
        Web3OkxWalletSignature = "web3_okx_wallet_signature",
        Web3SolanaSignature = "web3_solana_signature",
    }
}

/// A verification by a passkey.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct VerificationPasskey {
    /// String representing the object's type (`verification_passkey`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The status of the verification.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub status: VerificationPasskeyStatus,
    /// The strategy used to verify.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub strategy: VerificationPasskeyStrategy,
    /// The nonce of the passkey challenge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<VerificationPasskeyNonce>,
    /// The message of the passkey challenge, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The number of attempts made to verify, if counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts: Option<i64>,
    /// When the verification expires. Unix timestamp in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_at: Option<i64>,
    /// The ID of the client on which the verification was completed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at_client: Option<String>,
}

crate::string_enum! {
    /// The `status` field of [`VerificationPasskey`].
    pub enum VerificationPasskeyStatus {
        Verified = "verified",
    }
}

crate::string_enum! {
    /// The `strategy` field of [`VerificationPasskey`].
    pub enum VerificationPasskeyStrategy {
        Passkey = "passkey",
    }
}

crate::string_enum! {
    /// The `nonce` field of [`VerificationPasskey`].
    pub enum VerificationPasskeyNonce {
        Nonce = "nonce",
    }
}

/// A verification through an OAuth provider.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct VerificationOauth {
    /// String representing the object's type (`verification_oauth`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The status of the verification.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub status: VerificationOauthStatus,
    /// The strategy used to verify. Matches the pattern
    /// `^oauth_(?:(?:token_)|(?:custom_))?[a-z]+$`.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub strategy: String,
    /// The URL to send the user to in order to verify with the external provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_verification_redirect_url: Option<String>,
    /// The error that made the verification fail, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ClerkError>,
    /// When the verification expires. Unix timestamp in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub expire_at: i64,
    /// The number of attempts made to verify, if counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts: Option<i64>,
    /// The ID of the client on which the verification was completed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at_client: Option<String>,
}

crate::string_enum! {
    /// The `status` field of [`VerificationOauth`].
    pub enum VerificationOauthStatus {
        Unverified = "unverified",
        Verified = "verified",
        Failed = "failed",
        Expired = "expired",
        Transferable = "transferable",
    }
}

/// A verification through Google One Tap.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct VerificationGoogleOneTap {
    /// String representing the object's type (`verification_google_one_tap`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The status of the verification.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub status: VerificationGoogleOneTapStatus,
    /// The strategy used to verify.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub strategy: VerificationGoogleOneTapStrategy,
    /// When the verification expires. Unix timestamp in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_at: Option<i64>,
    /// The number of attempts made to verify, if counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts: Option<i64>,
    /// The ID of the client on which the verification was completed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at_client: Option<String>,
    /// The error that made the verification fail, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ClerkError>,
}

crate::string_enum! {
    /// The `status` field of [`VerificationGoogleOneTap`].
    pub enum VerificationGoogleOneTapStatus {
        Unverified = "unverified",
        Verified = "verified",
    }
}

crate::string_enum! {
    /// The `strategy` field of [`VerificationGoogleOneTap`].
    pub enum VerificationGoogleOneTapStrategy {
        GoogleOneTap = "google_one_tap",
    }
}

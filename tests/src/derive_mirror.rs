//! A derive-only mirror of `clerk_backend_core::models::User`: the floor the decode benchmarks
//! compare the real parse with.
//!
//! The same fields with the same Rust types, decoded by a plain `#[derive(Deserialize)]` and
//! nothing else: no fallbacks (an unknown enum value or verification object is an error, a
//! required field that is missing is an error, `null` is accepted only where the type is an
//! `Option`), unknown fields ignored (the derive's default). The verification union is a derived
//! internally tagged enum (`#[serde(tag = "object")]`) with the same seven variants.
//!
//! Two simplifications, neither of which runs on the benchmark's bodies: the elements of the
//! arrays that are empty in [`user_json`](crate::user_json) (phone numbers, wallets, passkeys,
//! external, SAML and enterprise accounts, organization memberships) and the absent `scim`
//! member are read as [`IgnoredAny`] instead of mirrored types; `organization_memberships`,
//! absent from those bodies, has `#[serde(default)]`.
#![allow(missing_docs, dead_code)]

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::{Map, Value};

/// `User`, derived.
#[derive(Debug, Deserialize)]
pub struct User {
    pub backup_code_enabled: bool,
    pub banned: bool,
    pub bypass_client_trust: Option<bool>,
    pub create_organization_enabled: bool,
    pub create_organizations_limit: Option<i64>,
    pub created_at: i64,
    pub delete_self_enabled: bool,
    pub deprovisioned: Option<bool>,
    pub email_addresses: Vec<EmailAddress>,
    pub enterprise_accounts: Vec<IgnoredAny>,
    pub external_accounts: Vec<IgnoredAny>,
    pub external_id: Option<String>,
    pub first_name: Option<String>,
    pub has_image: bool,
    pub id: String,
    pub image_url: Option<String>,
    pub last_active_at: Option<i64>,
    pub last_name: Option<String>,
    pub last_sign_in_at: Option<i64>,
    pub legal_accepted_at: Option<i64>,
    pub locale: Option<String>,
    pub locked: bool,
    pub lockout_expires_in_seconds: Option<i64>,
    pub mfa_disabled_at: Option<i64>,
    pub mfa_enabled_at: Option<i64>,
    pub object: String,
    #[serde(default)]
    pub organization_memberships: Vec<IgnoredAny>,
    pub passkeys: Vec<IgnoredAny>,
    pub password_enabled: bool,
    pub password_last_updated_at: Option<i64>,
    pub phone_numbers: Vec<IgnoredAny>,
    pub primary_email_address_id: Option<String>,
    pub primary_phone_number_id: Option<String>,
    pub primary_web3_wallet_id: Option<String>,
    pub private_metadata: Map<String, Value>,
    pub profile_image_url: Option<String>,
    pub public_metadata: Map<String, Value>,
    pub saml_accounts: Vec<IgnoredAny>,
    pub scim: Option<IgnoredAny>,
    pub totp_enabled: bool,
    pub two_factor_enabled: bool,
    pub unsafe_metadata: Map<String, Value>,
    pub updated_at: i64,
    pub username: Option<String>,
    pub verification_attempts_remaining: Option<i64>,
    pub web3_wallets: Vec<IgnoredAny>,
}

/// `EmailAddress`, derived.
#[derive(Debug, Deserialize)]
pub struct EmailAddress {
    pub created_at: i64,
    pub email_address: String,
    pub id: Option<String>,
    pub linked_to: Vec<IdentificationLink>,
    pub matches_sso_connection: Option<bool>,
    pub object: String,
    pub reserved: bool,
    pub updated_at: i64,
    pub verification: Option<Verification>,
}

/// `IdentificationLink`, derived.
#[derive(Debug, Deserialize)]
pub struct IdentificationLink {
    pub id: String,
    #[serde(rename = "type")]
    pub r#type: String,
}

/// `EmailAddressVerification`: a derived internally tagged enum, no `Unknown`.
#[derive(Debug, Deserialize)]
#[serde(tag = "object")]
pub enum Verification {
    #[serde(rename = "verification_otp")]
    Otp(VerificationOtp),
    #[serde(rename = "verification_admin")]
    Admin(VerificationAdmin),
    #[serde(rename = "verification_from_oauth")]
    FromOauth(VerificationFromOauth),
    #[serde(rename = "verification_ticket")]
    Ticket(VerificationTicket),
    #[serde(rename = "verification_saml")]
    Saml(VerificationSaml),
    #[serde(rename = "verification_email_link")]
    EmailLink(VerificationEmailLink),
    #[serde(rename = "verification_scim")]
    Scim(VerificationScim),
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Unverified,
    Verified,
    Failed,
    Expired,
}

#[derive(Debug, Deserialize)]
pub struct VerificationOtp {
    pub attempts: Option<i64>,
    pub channel: Option<String>,
    pub expire_at: Option<i64>,
    pub status: Status,
    pub strategy: OtpStrategy,
    pub verified_at_client: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OtpStrategy {
    PhoneCode,
    EmailCode,
    ResetPasswordEmailCode,
}

#[derive(Debug, Deserialize)]
pub struct VerificationAdmin {
    pub attempts: Option<i64>,
    pub expire_at: Option<i64>,
    pub status: AdminStatus,
    pub strategy: AdminStrategy,
    pub verified_at_client: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdminStatus {
    Verified,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdminStrategy {
    Admin,
}

#[derive(Debug, Deserialize)]
pub struct VerificationFromOauth {
    pub attempts: Option<i64>,
    pub error: Option<ClerkError>,
    pub expire_at: Option<i64>,
    pub status: Status,
    pub strategy: String,
    pub verified_at_client: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct VerificationTicket {
    pub attempts: Option<i64>,
    pub expire_at: Option<i64>,
    pub status: Status,
    pub strategy: TicketStrategy,
    pub verified_at_client: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStrategy {
    Ticket,
}

#[derive(Debug, Deserialize)]
pub struct VerificationSaml {
    pub attempts: Option<i64>,
    pub error: Option<ClerkError>,
    pub expire_at: Option<i64>,
    pub external_verification_redirect_url: Option<String>,
    pub status: Status,
    pub strategy: SamlStrategy,
    pub verified_at_client: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SamlStrategy {
    Saml,
}

#[derive(Debug, Deserialize)]
pub struct VerificationEmailLink {
    pub attempts: Option<i64>,
    pub expire_at: Option<i64>,
    pub status: Status,
    pub strategy: EmailLinkStrategy,
    pub verified_at_client: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmailLinkStrategy {
    EmailLink,
}

#[derive(Debug, Deserialize)]
pub struct VerificationScim {
    pub attempts: Option<i64>,
    pub expire_at: Option<i64>,
    pub status: Status,
    pub strategy: ScimStrategy,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScimStrategy {
    Scim,
}

/// `ClerkError`, derived.
#[derive(Debug, Deserialize)]
pub struct ClerkError {
    pub code: String,
    pub long_message: String,
    pub message: String,
    pub meta: Map<String, Value>,
}

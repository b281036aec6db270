//! Response models of Clerk's Backend API, written the way the generator writes them from the
//! OpenAPI spec (`spec/bapi-2026-05-12.yml`).
//!
//! Every struct ignores fields it does not know; every enum and union keeps a value it does not
//! know in an `Unknown` variant; fields the spec calls required read `null` or absence as the
//! type's default, because Clerk omits some of them.

mod clerk_error;
mod deleted_object;
mod email_address;
mod enterprise_account;
mod enterprise_account_connection;
mod external_account_with_verification;
mod identification_link;
mod organization;
mod organization_membership;
mod organization_membership_public_user_data;
mod passkey;
mod phone_number;
mod saml_account;
mod saml_account_connection;
mod scim_user_metadata;
mod total_count;
mod user;
mod verification;
mod web3_wallet;

#[cfg(test)]
mod tests;

pub use clerk_error::ClerkError;
pub use deleted_object::DeletedObject;
pub use email_address::{EmailAddress, EmailAddressVerification};
pub use enterprise_account::{
    EnterpriseAccount, EnterpriseAccountProtocol, EnterpriseAccountVerification,
};
pub use enterprise_account_connection::EnterpriseAccountConnection;
pub use external_account_with_verification::{
    ExternalAccountWithVerification, ExternalAccountWithVerificationObject,
    ExternalAccountWithVerificationVerification,
};
pub use identification_link::IdentificationLink;
pub use organization::Organization;
pub use organization_membership::OrganizationMembership;
pub use organization_membership_public_user_data::OrganizationMembershipPublicUserData;
pub use passkey::{Passkey, PasskeyVerification};
pub use phone_number::{PhoneNumber, PhoneNumberVerification};
pub use saml_account::{SamlAccount, SamlAccountVerification};
pub use saml_account_connection::SamlAccountConnection;
pub use scim_user_metadata::ScimUserMetadata;
pub use total_count::TotalCount;
pub use user::User;
pub use verification::{
    VerificationAdmin, VerificationAdminStatus, VerificationAdminStrategy, VerificationEmailLink,
    VerificationEmailLinkStatus, VerificationEmailLinkStrategy, VerificationFromOauth,
    VerificationFromOauthStatus, VerificationGoogleOneTap, VerificationGoogleOneTapStatus,
    VerificationGoogleOneTapStrategy, VerificationOauth, VerificationOauthStatus, VerificationOtp,
    VerificationOtpStatus, VerificationOtpStrategy, VerificationPasskey, VerificationPasskeyNonce,
    VerificationPasskeyStatus, VerificationPasskeyStrategy, VerificationSaml,
    VerificationSamlStatus, VerificationSamlStrategy, VerificationScim, VerificationScimStatus,
    VerificationScimStrategy, VerificationTicket, VerificationTicketStatus,
    VerificationTicketStrategy, VerificationWeb3, VerificationWeb3Status, VerificationWeb3Strategy,
};
pub use web3_wallet::{Web3Wallet, Web3WalletVerification};

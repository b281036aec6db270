//! `POST /users`: Create a new user.

use http::Method;
use serde::Serialize;

use crate::encode::Nullable;
use crate::endpoint::{Body, Endpoint, Operation};
use crate::error::Error;
use crate::models::User;

/// `POST /users`: Create a new user.
///
/// Creates a new user. Your user management settings determine how you should setup your user model.
///
/// By default, any email address and phone number created using this method is marked as verified. Use the `email_address_identification_status` and `phone_number_identification_status` arrays to instead create some or all of them as reserved (unverified but usable for sign-in and locked so no other user can claim them).
///
/// Note: If you are performing a migration, check out our guide on [zero downtime migrations](https://clerk.com/docs/deployments/migrate-overview).
///
/// The following rate limit rules apply to this endpoint: 1000 requests per 10 seconds for production instances and 100 requests per 10 seconds for development instances
///
/// [API reference](https://clerk.com/docs/reference/backend-api/tag/Users#operation/CreateUser)
#[derive(Debug, Clone, PartialEq, Default)]
#[must_use]
pub struct CreateUser {
    body: CreateUserBody,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
struct CreateUserBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    backup_codes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    banned: Option<Nullable<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bypass_client_trust: Option<Nullable<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    create_organization_enabled: Option<Nullable<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    create_organizations_limit: Option<Nullable<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<Nullable<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delete_self_enabled: Option<Nullable<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email_address: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email_address_identification_status: Option<Vec<CreateUserEmailAddressIdentificationStatus>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_id: Option<Nullable<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<Nullable<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<Nullable<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    legal_accepted_at: Option<Nullable<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    locale: Option<Nullable<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    locked: Option<Nullable<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<Nullable<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_digest: Option<Nullable<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_hasher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_number: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_number_identification_status: Option<Vec<CreateUserPhoneNumberIdentificationStatus>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    private_metadata: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_metadata: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_legal_checks: Option<Nullable<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_password_checks: Option<Nullable<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_password_requirement: Option<Nullable<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_user_requirement: Option<Nullable<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    totp_secret: Option<Nullable<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unsafe_metadata: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<Nullable<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    web3_wallet: Option<Vec<String>>,
}

crate::string_enum! {
    /// One item of `EmailAddressIdentificationStatus` in the body of [`CreateUser`].
    pub enum CreateUserEmailAddressIdentificationStatus {
        Verified = "verified",
        Reserved = "reserved",
    }
}

crate::string_enum! {
    /// One item of `PhoneNumberIdentificationStatus` in the body of [`CreateUser`].
    pub enum CreateUserPhoneNumberIdentificationStatus {
        Verified = "verified",
        Reserved = "reserved",
    }
}

impl CreateUser {
    /// The request, with no body field set.
    pub fn new() -> Self {
        Self::default()
    }

    /// If Backup Codes are configured on the instance, you can provide them to enable it on the newly created user without the need to reset them.
    /// You must provide the backup codes in plain format or the corresponding bcrypt digest.
    pub fn backup_codes(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.body.backup_codes = Some(values.into_iter().map(Into::into).collect());
        self
    }

    /// When set to `true`, the user is created already banned and cannot sign in.
    /// Requires the same plan support as the ban user endpoint.
    pub fn banned(mut self, value: bool) -> Self {
        self.body.banned = Some(Nullable::Value(value));
        self
    }

    /// Sends `banned: null`, which clears the value on the server.
    pub fn clear_banned(mut self) -> Self {
        self.body.banned = Some(Nullable::Null);
        self
    }

    /// When set to `true`, the user will bypass Device Trust checks during sign-in.
    pub fn bypass_client_trust(mut self, value: bool) -> Self {
        self.body.bypass_client_trust = Some(Nullable::Value(value));
        self
    }

    /// Sends `bypass_client_trust: null`, which clears the value on the server.
    pub fn clear_bypass_client_trust(mut self) -> Self {
        self.body.bypass_client_trust = Some(Nullable::Null);
        self
    }

    /// If enabled, user can create organizations via FAPI.
    pub fn create_organization_enabled(mut self, value: bool) -> Self {
        self.body.create_organization_enabled = Some(Nullable::Value(value));
        self
    }

    /// Sends `create_organization_enabled: null`, which clears the value on the server.
    pub fn clear_create_organization_enabled(mut self) -> Self {
        self.body.create_organization_enabled = Some(Nullable::Null);
        self
    }

    /// The maximum number of organizations the user can create. 0 means unlimited.
    pub fn create_organizations_limit(mut self, value: i64) -> Self {
        self.body.create_organizations_limit = Some(Nullable::Value(value));
        self
    }

    /// Sends `create_organizations_limit: null`, which clears the value on the server.
    pub fn clear_create_organizations_limit(mut self) -> Self {
        self.body.create_organizations_limit = Some(Nullable::Null);
        self
    }

    /// A custom date/time denoting _when_ the user signed up to the application, specified in RFC3339 format (e.g. `2012-10-20T07:15:20.902Z`).
    pub fn created_at(mut self, value: impl Into<String>) -> Self {
        self.body.created_at = Some(Nullable::Value(value.into()));
        self
    }

    /// Sends `created_at: null`, which clears the value on the server.
    pub fn clear_created_at(mut self) -> Self {
        self.body.created_at = Some(Nullable::Null);
        self
    }

    /// If enabled, user can delete themselves via FAPI.
    pub fn delete_self_enabled(mut self, value: bool) -> Self {
        self.body.delete_self_enabled = Some(Nullable::Value(value));
        self
    }

    /// Sends `delete_self_enabled: null`, which clears the value on the server.
    pub fn clear_delete_self_enabled(mut self) -> Self {
        self.body.delete_self_enabled = Some(Nullable::Null);
        self
    }

    /// Email addresses to add to the user.
    /// Must be unique across your instance.
    /// The first email address will be set as the user's primary email address.
    /// Created verified by default; see `email_address_identification_status` to create them reserved.
    pub fn email_address(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.body.email_address = Some(values.into_iter().map(Into::into).collect());
        self
    }

    /// Controls the status each email address is created with. Runs parallel to
    /// `email_address`: when provided, it must contain exactly one item per email
    /// address, applied by position. When omitted or empty, every email address is
    /// created `verified`. Set an item to `reserved` to create the corresponding
    /// email address reserved instead (unverified but usable for sign-in and locked
    /// so no other user can claim it).
    pub fn email_address_identification_status(
        mut self,
        values: impl IntoIterator<Item = CreateUserEmailAddressIdentificationStatus>,
    ) -> Self {
        self.body.email_address_identification_status = Some(values.into_iter().collect());
        self
    }

    /// The ID of the user as used in your external systems or your previous authentication solution.
    /// Must be unique across your instance.
    pub fn external_id(mut self, value: impl Into<String>) -> Self {
        self.body.external_id = Some(Nullable::Value(value.into()));
        self
    }

    /// Sends `external_id: null`, which clears the value on the server.
    pub fn clear_external_id(mut self) -> Self {
        self.body.external_id = Some(Nullable::Null);
        self
    }

    /// The first name to assign to the user
    pub fn first_name(mut self, value: impl Into<String>) -> Self {
        self.body.first_name = Some(Nullable::Value(value.into()));
        self
    }

    /// Sends `first_name: null`, which clears the value on the server.
    pub fn clear_first_name(mut self) -> Self {
        self.body.first_name = Some(Nullable::Null);
        self
    }

    /// The last name to assign to the user
    pub fn last_name(mut self, value: impl Into<String>) -> Self {
        self.body.last_name = Some(Nullable::Value(value.into()));
        self
    }

    /// Sends `last_name: null`, which clears the value on the server.
    pub fn clear_last_name(mut self) -> Self {
        self.body.last_name = Some(Nullable::Null);
        self
    }

    /// A custom timestamp denoting _when_ the user accepted legal requirements, specified in RFC3339 format (e.g. `2012-10-20T07:15:20.902Z`).
    pub fn legal_accepted_at(mut self, value: impl Into<String>) -> Self {
        self.body.legal_accepted_at = Some(Nullable::Value(value.into()));
        self
    }

    /// Sends `legal_accepted_at: null`, which clears the value on the server.
    pub fn clear_legal_accepted_at(mut self) -> Self {
        self.body.legal_accepted_at = Some(Nullable::Null);
        self
    }

    /// The locale to assign to the user (e.g., "en-US", "fr-FR")
    pub fn locale(mut self, value: impl Into<String>) -> Self {
        self.body.locale = Some(Nullable::Value(value.into()));
        self
    }

    /// Sends `locale: null`, which clears the value on the server.
    pub fn clear_locale(mut self) -> Self {
        self.body.locale = Some(Nullable::Null);
        self
    }

    /// When set to `true`, the user is created already locked.
    /// Requires the user lockout feature to be enabled on the instance.
    pub fn locked(mut self, value: bool) -> Self {
        self.body.locked = Some(Nullable::Value(value));
        self
    }

    /// Sends `locked: null`, which clears the value on the server.
    pub fn clear_locked(mut self) -> Self {
        self.body.locked = Some(Nullable::Null);
        self
    }

    /// The plaintext password to give the user.
    /// Must be at least 8 characters long, and cannot be in any list of hacked passwords.
    pub fn password(mut self, value: impl Into<String>) -> Self {
        self.body.password = Some(Nullable::Value(value.into()));
        self
    }

    /// Sends `password: null`, which clears the value on the server.
    pub fn clear_password(mut self) -> Self {
        self.body.password = Some(Nullable::Null);
        self
    }

    /// In case you already have the password digests and not the passwords, you can use them for the newly created user via this property.
    /// The digests should be generated with one of the supported algorithms.
    /// The hashing algorithm can be specified using the `password_hasher` property.
    pub fn password_digest(mut self, value: impl Into<String>) -> Self {
        self.body.password_digest = Some(Nullable::Value(value.into()));
        self
    }

    /// Sends `password_digest: null`, which clears the value on the server.
    pub fn clear_password_digest(mut self) -> Self {
        self.body.password_digest = Some(Nullable::Null);
        self
    }

    /// The hashing algorithm that was used to generate the password digest.
    ///
    /// The algorithms we support at the moment are [`bcrypt`](https://en.wikipedia.org/wiki/Bcrypt), [`bcrypt_sha256_django`](https://docs.djangoproject.com/en/4.0/topics/auth/passwords/), [`md5`](https://en.wikipedia.org/wiki/MD5), `pbkdf2_sha1`, `pbkdf2_sha256`, [`pbkdf2_sha256_django`](https://docs.djangoproject.com/en/4.0/topics/auth/passwords/),
    /// `pbkdf2_sha512`, [`phpass`](https://www.openwall.com/phpass/), `md5_phpass`, [`scrypt_firebase`](https://firebaseopensource.com/projects/firebase/scrypt/),
    /// [`scrypt_werkzeug`](https://werkzeug.palletsprojects.com/en/3.0.x/utils/#werkzeug.security.generate_password_hash), [`sha256`](https://en.wikipedia.org/wiki/SHA-2),
    /// [`ldap_ssha`](https://www.openldap.org/faq/data/cache/347.html), the [`argon2`](https://argon2.online/) variants: `argon2i` and `argon2id`, `sha512_symfony`, the SHA-512 variant of the [Symfony](https://symfony.com/doc/current/security/passwords.html) legacy hasher,
    /// and `pbkdf2_sha512_hex`, a variant of `pbkdf2_sha512` that accepts hex-encoded salt and hash.
    ///
    /// Each of the supported hashers expects the incoming digest to be in a particular format. See the [Clerk docs](https://clerk.com/docs/references/backend/user/create-user) for more information.
    pub fn password_hasher(mut self, value: impl Into<String>) -> Self {
        self.body.password_hasher = Some(value.into());
        self
    }

    /// Phone numbers to add to the user.
    /// Must be unique across your instance.
    /// The first phone number will be set as the user's primary phone number.
    /// Created verified by default; see `phone_number_identification_status` to create them reserved.
    pub fn phone_number(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.body.phone_number = Some(values.into_iter().map(Into::into).collect());
        self
    }

    /// Controls the status each phone number is created with. Runs parallel to
    /// `phone_number`: when provided, it must contain exactly one item per phone
    /// number, applied by position. When omitted or empty, every phone number is
    /// created `verified`. Set an item to `reserved` to create the corresponding
    /// phone number reserved instead (unverified but usable for sign-in and locked
    /// so no other user can claim it).
    pub fn phone_number_identification_status(
        mut self,
        values: impl IntoIterator<Item = CreateUserPhoneNumberIdentificationStatus>,
    ) -> Self {
        self.body.phone_number_identification_status = Some(values.into_iter().collect());
        self
    }

    /// Metadata saved on the user, that is only visible to your Backend API
    ///
    /// Must be a JSON object (a `serde_json::Map` or `json!({…})`); anything else is refused
    /// when the request is built.
    pub fn private_metadata(mut self, value: impl Into<serde_json::Value>) -> Self {
        self.body.private_metadata = Some(value.into());
        self
    }

    /// Metadata saved on the user, that is visible to both your Frontend and Backend APIs
    ///
    /// Must be a JSON object (a `serde_json::Map` or `json!({…})`); anything else is refused
    /// when the request is built.
    pub fn public_metadata(mut self, value: impl Into<serde_json::Value>) -> Self {
        self.body.public_metadata = Some(value.into());
        self
    }

    /// When set to `true` all legal checks are skipped.
    /// It is not recommended to skip legal checks unless you are migrating a user to Clerk.
    pub fn skip_legal_checks(mut self, value: bool) -> Self {
        self.body.skip_legal_checks = Some(Nullable::Value(value));
        self
    }

    /// Sends `skip_legal_checks: null`, which clears the value on the server.
    pub fn clear_skip_legal_checks(mut self) -> Self {
        self.body.skip_legal_checks = Some(Nullable::Null);
        self
    }

    /// When set to `true` all password checks are skipped.
    /// It is recommended to use this method only when migrating plaintext passwords to Clerk.
    /// Upon migration the user base should be prompted to pick stronger password.
    pub fn skip_password_checks(mut self, value: bool) -> Self {
        self.body.skip_password_checks = Some(Nullable::Value(value));
        self
    }

    /// Sends `skip_password_checks: null`, which clears the value on the server.
    pub fn clear_skip_password_checks(mut self) -> Self {
        self.body.skip_password_checks = Some(Nullable::Null);
        self
    }

    /// When set to `true`, `password` is not required anymore when creating the user and can be omitted.
    /// This is useful when you are trying to create a user that doesn't have a password, in an instance that is using passwords.
    /// Please note that you cannot use this flag if password is the only way for a user to sign into your instance.
    pub fn skip_password_requirement(mut self, value: bool) -> Self {
        self.body.skip_password_requirement = Some(Nullable::Value(value));
        self
    }

    /// Sends `skip_password_requirement: null`, which clears the value on the server.
    pub fn clear_skip_password_requirement(mut self) -> Self {
        self.body.skip_password_requirement = Some(Nullable::Null);
        self
    }

    /// When set to `true`, identification types are not enforced.
    /// At least one identification type must be enabled and provided on your instance (email, phone, web3 wallet, or username).
    /// Users created without required identification types cannot use those authentication strategies
    /// It is not recommended to use this flag unless you need to allow Clerk UI components to prompt for required fields while BAPI creates users with minimal data, or for migration a user to Clerk.
    pub fn skip_user_requirement(mut self, value: bool) -> Self {
        self.body.skip_user_requirement = Some(Nullable::Value(value));
        self
    }

    /// Sends `skip_user_requirement: null`, which clears the value on the server.
    pub fn clear_skip_user_requirement(mut self) -> Self {
        self.body.skip_user_requirement = Some(Nullable::Null);
        self
    }

    /// In case TOTP is configured on the instance, you can provide the secret to enable it on the newly created user without the need to reset it.
    /// Please note that currently the supported options are:
    /// * Period: 30 seconds
    /// * Code length: 6 digits
    /// * Algorithm: SHA1
    pub fn totp_secret(mut self, value: impl Into<String>) -> Self {
        self.body.totp_secret = Some(Nullable::Value(value.into()));
        self
    }

    /// Sends `totp_secret: null`, which clears the value on the server.
    pub fn clear_totp_secret(mut self) -> Self {
        self.body.totp_secret = Some(Nullable::Null);
        self
    }

    /// Metadata saved on the user, that can be updated from both the Frontend and Backend APIs.
    /// Note: Since this data can be modified from the frontend, it is not guaranteed to be safe.
    ///
    /// Must be a JSON object (a `serde_json::Map` or `json!({…})`); anything else is refused
    /// when the request is built.
    pub fn unsafe_metadata(mut self, value: impl Into<serde_json::Value>) -> Self {
        self.body.unsafe_metadata = Some(value.into());
        self
    }

    /// The username to give to the user.
    /// It must be unique across your instance.
    pub fn username(mut self, value: impl Into<String>) -> Self {
        self.body.username = Some(Nullable::Value(value.into()));
        self
    }

    /// Sends `username: null`, which clears the value on the server.
    pub fn clear_username(mut self) -> Self {
        self.body.username = Some(Nullable::Null);
        self
    }

    /// Web3 wallets to add to the user.
    /// Must be unique across your instance.
    /// The first wallet will be set as the user's primary wallet.
    pub fn web3_wallet(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.body.web3_wallet = Some(values.into_iter().map(Into::into).collect());
        self
    }
}

impl Endpoint for CreateUser {
    type Output = User;

    const OPERATION: Operation =
        Operation::new("CreateUser", Method::POST, "/users", "Users", false);

    fn path(&self) -> Result<String, Error> {
        Ok("/users".to_owned())
    }

    fn body(&self) -> Result<Option<Body>, Error> {
        crate::encode::require_object("private_metadata", self.body.private_metadata.as_ref())?;
        crate::encode::require_object("public_metadata", self.body.public_metadata.as_ref())?;
        crate::encode::require_object("unsafe_metadata", self.body.unsafe_metadata.as_ref())?;
        Body::json(&self.body).map(Some)
    }

    fn parse(response: http::Response<Vec<u8>>) -> Result<User, Error> {
        crate::response::parse_json(response)
    }
}

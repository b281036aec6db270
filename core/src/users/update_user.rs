//! `PATCH /users/{user_id}`: Update a user.

use http::Method;
use serde::Serialize;

use crate::encode::{Nullable, encode_path_segment};
use crate::endpoint::{Body, Endpoint, Operation};
use crate::error::Error;
use crate::models::User;

/// `PATCH /users/{user_id}`: Update a user.
///
/// Update a user's attributes.
///
/// You can set the user's primary contact identifiers (email address and phone numbers) by updating the `primary_email_address_id` and `primary_phone_number_id` attributes respectively.
/// Both IDs should correspond to verified identifications that belong to the user.
///
/// You can remove a user's username by setting the username attribute to null or the blank string "".
///
/// As of API version 2026-05-12, this endpoint no longer accepts `public_metadata`, `private_metadata`, or `unsafe_metadata`.
/// Use `PATCH /v1/users/{user_id}/metadata` to merge updates into existing metadata, or `PUT /v1/users/{user_id}/metadata` to replace a metadata field entirely.
///
/// [API reference](https://clerk.com/docs/reference/backend-api/tag/Users#operation/UpdateUser)
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct UpdateUser {
    user_id: String,
    body: UpdateUserBody,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
struct UpdateUserBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    backup_codes: Option<Vec<String>>,
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
    notify_primary_email_address_changed: Option<Nullable<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<Nullable<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_digest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_hasher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary_email_address_id: Option<Nullable<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary_phone_number_id: Option<Nullable<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary_web3_wallet_id: Option<Nullable<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    profile_image_id: Option<Nullable<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sign_out_of_other_sessions: Option<Nullable<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_legal_checks: Option<Nullable<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_password_checks: Option<Nullable<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    totp_secret: Option<Nullable<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<Nullable<String>>,
}

impl UpdateUser {
    /// The request for the user `user_id`, with no body field set.
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            body: UpdateUserBody::default(),
        }
    }

    /// If Backup Codes are configured on the instance, you can provide them to enable it on the specific user without the need to reset them.
    pub fn backup_codes(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.body.backup_codes = Some(values.into_iter().map(Into::into).collect());
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

    /// If true, the user can create organizations with the Frontend API.
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

    /// A custom date/time denoting _when_ the user signed up to the application.
    pub fn created_at(mut self, value: impl Into<String>) -> Self {
        self.body.created_at = Some(Nullable::Value(value.into()));
        self
    }

    /// Sends `created_at: null`, which clears the value on the server.
    pub fn clear_created_at(mut self) -> Self {
        self.body.created_at = Some(Nullable::Null);
        self
    }

    /// If true, the user can delete themselves with the Frontend API.
    pub fn delete_self_enabled(mut self, value: bool) -> Self {
        self.body.delete_self_enabled = Some(Nullable::Value(value));
        self
    }

    /// Sends `delete_self_enabled: null`, which clears the value on the server.
    pub fn clear_delete_self_enabled(mut self) -> Self {
        self.body.delete_self_enabled = Some(Nullable::Null);
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

    /// A custom timestamp denoting _when_ the user accepted legal requirements, specified in RFC3339 format.
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

    /// If set to `true`, the user will be notified that their primary email address has changed.
    /// By default, no notification is sent.
    pub fn notify_primary_email_address_changed(mut self, value: bool) -> Self {
        self.body.notify_primary_email_address_changed = Some(Nullable::Value(value));
        self
    }

    /// Sends `notify_primary_email_address_changed: null`, which clears the value on the server.
    pub fn clear_notify_primary_email_address_changed(mut self) -> Self {
        self.body.notify_primary_email_address_changed = Some(Nullable::Null);
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
        self.body.password_digest = Some(value.into());
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

    /// The ID of the email address to set as primary.
    /// It must be verified, and present on the current user.
    pub fn primary_email_address_id(mut self, value: impl Into<String>) -> Self {
        self.body.primary_email_address_id = Some(Nullable::Value(value.into()));
        self
    }

    /// Sends `primary_email_address_id: null`, which clears the value on the server.
    pub fn clear_primary_email_address_id(mut self) -> Self {
        self.body.primary_email_address_id = Some(Nullable::Null);
        self
    }

    /// The ID of the phone number to set as primary.
    /// It must be verified, and present on the current user.
    pub fn primary_phone_number_id(mut self, value: impl Into<String>) -> Self {
        self.body.primary_phone_number_id = Some(Nullable::Value(value.into()));
        self
    }

    /// Sends `primary_phone_number_id: null`, which clears the value on the server.
    pub fn clear_primary_phone_number_id(mut self) -> Self {
        self.body.primary_phone_number_id = Some(Nullable::Null);
        self
    }

    /// The ID of the web3 wallets to set as primary.
    /// It must be verified, and present on the current user.
    pub fn primary_web3_wallet_id(mut self, value: impl Into<String>) -> Self {
        self.body.primary_web3_wallet_id = Some(Nullable::Value(value.into()));
        self
    }

    /// Sends `primary_web3_wallet_id: null`, which clears the value on the server.
    pub fn clear_primary_web3_wallet_id(mut self) -> Self {
        self.body.primary_web3_wallet_id = Some(Nullable::Null);
        self
    }

    /// The ID of the image to set as the user's profile image
    pub fn profile_image_id(mut self, value: impl Into<String>) -> Self {
        self.body.profile_image_id = Some(Nullable::Value(value.into()));
        self
    }

    /// Sends `profile_image_id: null`, which clears the value on the server.
    pub fn clear_profile_image_id(mut self) -> Self {
        self.body.profile_image_id = Some(Nullable::Null);
        self
    }

    /// Set to `true` to sign out the user from all their active sessions once their password is updated. This parameter can only be used when providing a `password`.
    pub fn sign_out_of_other_sessions(mut self, value: bool) -> Self {
        self.body.sign_out_of_other_sessions = Some(Nullable::Value(value));
        self
    }

    /// Sends `sign_out_of_other_sessions: null`, which clears the value on the server.
    pub fn clear_sign_out_of_other_sessions(mut self) -> Self {
        self.body.sign_out_of_other_sessions = Some(Nullable::Null);
        self
    }

    /// When set to `true` all legal checks are skipped.
    pub fn skip_legal_checks(mut self, value: bool) -> Self {
        self.body.skip_legal_checks = Some(Nullable::Value(value));
        self
    }

    /// Sends `skip_legal_checks: null`, which clears the value on the server.
    pub fn clear_skip_legal_checks(mut self) -> Self {
        self.body.skip_legal_checks = Some(Nullable::Null);
        self
    }

    /// Set it to `true` if you're updating the user's password and want to skip any password policy settings check. This parameter can only be used when providing a `password`.
    pub fn skip_password_checks(mut self, value: bool) -> Self {
        self.body.skip_password_checks = Some(Nullable::Value(value));
        self
    }

    /// Sends `skip_password_checks: null`, which clears the value on the server.
    pub fn clear_skip_password_checks(mut self) -> Self {
        self.body.skip_password_checks = Some(Nullable::Null);
        self
    }

    /// In case TOTP is configured on the instance, you can provide the secret to enable it on the specific user without the need to reset it.
    pub fn totp_secret(mut self, value: impl Into<String>) -> Self {
        self.body.totp_secret = Some(Nullable::Value(value.into()));
        self
    }

    /// Sends `totp_secret: null`, which clears the value on the server.
    pub fn clear_totp_secret(mut self) -> Self {
        self.body.totp_secret = Some(Nullable::Null);
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
}

impl Endpoint for UpdateUser {
    type Output = User;

    const OPERATION: Operation = Operation::new(
        "UpdateUser",
        Method::PATCH,
        "/users/{user_id}",
        "Users",
        false,
    );

    fn path(&self) -> Result<String, Error> {
        let user_id = encode_path_segment("user_id", &self.user_id)?;
        Ok(format!("/users/{user_id}"))
    }

    fn body(&self) -> Result<Option<Body>, Error> {
        Body::json(&self.body).map(Some)
    }

    fn parse(response: http::Response<Vec<u8>>) -> Result<User, Error> {
        crate::response::parse_json(response)
    }
}

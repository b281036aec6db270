//! Session tokens from typed claims.

use clerk_backend_core::auth::category;
use serde_json::{Map, Value, json};

use super::permissions::{self, ClaimsError, bare, with_org_prefix};
use super::{Common, DEFAULT_AUTHORIZED_PARTY, SESSION_TOKEN_LIFETIME, TestKey, common_methods};

/// The shape of a session token's claims (`v`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ClaimsVersion {
    /// Version 1: `org_id`, `org_slug`, `org_role` (`org:admin`), `org_permissions` (an
    /// array); no `v`, no `sts` unless one is set.
    V1,
    /// Version 2 (what Clerk issues today): `v: 2`, `sts`, the organization as `o` (`id`,
    /// `slg`, `rol` without its `org:` prefix, `per`, `fpm`) and the features as `fea`.
    #[default]
    V2,
}

/// The organization active in a session: id, slug, the member's role and permissions.
///
/// ```
/// use clerk_backend_testkit::tokens::Organization;
///
/// let org = Organization::new("org_1")
///     .slug("acme")
///     .role("org:admin")
///     .permission("org:teams:read")
///     .permissions(["org:teams:manage", "org:billing:read"]);
/// # let _ = org;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct Organization {
    id: String,
    slug: Option<String>,
    role: Option<String>,
    permissions: Vec<String>,
}

impl Organization {
    /// The organization `id` (`org_…`), with no slug, role or permissions yet.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            slug: None,
            role: None,
            permissions: Vec::new(),
        }
    }

    /// Its slug.
    pub fn slug(mut self, slug: impl Into<String>) -> Self {
        self.slug = Some(slug.into());
        self
    }

    /// The member's role, with or without the `org:` prefix (`admin` or `org:admin`).
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// Grants a permission, `org:<feature>:<permission>` (the `org:` prefix optional).
    pub fn permission(mut self, permission: impl Into<String>) -> Self {
        self.permissions.push(permission.into());
        self
    }

    /// Grants several permissions.
    pub fn permissions<I, S>(mut self, permissions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.permissions
            .extend(permissions.into_iter().map(Into::into));
        self
    }
}

/// A session token for a user, built from typed claims and signed with a [`TestKey`].
///
/// Defaults: claims v2, session `sess_test`, status `active`, issuer
/// [`DEFAULT_ISSUER`](super::DEFAULT_ISSUER), authorized party [`DEFAULT_AUTHORIZED_PARTY`], a
/// fresh `jti`, a 60-second lifetime from the wall clock, RS256. See the
/// [module](super) for an example.
#[derive(Debug, Clone)]
#[must_use]
pub struct SessionToken {
    user_id: String,
    session_id: Option<String>,
    authorized_party: Option<String>,
    status: Option<String>,
    organization: Option<Organization>,
    actor: Option<Value>,
    features: Vec<String>,
    plans: Vec<String>,
    factor_verification_age: Option<[i64; 2]>,
    version: ClaimsVersion,
    token_id: Option<String>,
    common: Common,
}

impl SessionToken {
    /// A token for `user_id` (`sub`, `user_…`).
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            session_id: Some("sess_test".to_owned()),
            authorized_party: Some(DEFAULT_AUTHORIZED_PARTY.to_owned()),
            status: None,
            organization: None,
            actor: None,
            features: Vec::new(),
            plans: Vec::new(),
            factor_verification_age: None,
            version: ClaimsVersion::V2,
            token_id: None,
            common: Common::new(SESSION_TOKEN_LIFETIME),
        }
    }

    common_methods!();

    /// Sets the session id (`sid`, default `sess_test`).
    pub fn session_id(mut self, session_id: impl Into<String>) -> Self {
        self.session_id = Some(session_id.into());
        self
    }

    /// Sets the authorized party (`azp`, default [`DEFAULT_AUTHORIZED_PARTY`]): the origin the
    /// token was issued for.
    pub fn authorized_party(mut self, origin: impl Into<String>) -> Self {
        self.authorized_party = Some(origin.into());
        self
    }

    /// Leaves `azp` out (as a token issued without an `Origin` header).
    pub fn without_authorized_party(mut self) -> Self {
        self.authorized_party = None;
        self
    }

    /// Sets the session status (`sts`): `active` (the v2 default), `pending` (tasks left), or
    /// any other text to see how the code under test treats it.
    pub fn status(mut self, status: impl Into<String>) -> Self {
        self.status = Some(status.into());
        self
    }

    /// Makes `organization` the session's active organization.
    pub fn organization(mut self, organization: Organization) -> Self {
        self.organization = Some(organization);
        self
    }

    /// Marks the session as an impersonation: `act: {"sub": actor}`.
    pub fn actor(mut self, actor: impl Into<String>) -> Self {
        self.actor = Some(json!({ "sub": actor.into() }));
        self
    }

    /// Adds a feature of the plan to `fea`, scoped: `o:<name>` (organization), `u:<name>`
    /// (user) or `uo:<name>` (both). The features of the organization's permissions are
    /// added by themselves.
    pub fn feature(mut self, feature: impl Into<String>) -> Self {
        self.features.push(feature.into());
        self
    }

    /// Adds a plan to `pla`, scoped as features are (`u:free`, `o:pro`).
    pub fn plan(mut self, plan: impl Into<String>) -> Self {
        self.plans.push(plan.into());
        self
    }

    /// Sets `fva`: minutes since the first and the second factor were last verified, `-1`
    /// for a factor never verified (for reverification checks).
    pub fn factor_verification_age(mut self, first: i64, second: i64) -> Self {
        self.factor_verification_age = Some([first, second]);
        self
    }

    /// Chooses the claims' shape (default [`ClaimsVersion::V2`]).
    pub fn version(mut self, version: ClaimsVersion) -> Self {
        self.version = version;
        self
    }

    /// Sets the token id (`jti`, default a fresh one).
    pub fn token_id(mut self, jti: impl Into<String>) -> Self {
        self.token_id = Some(jti.into());
        self
    }

    /// The header Clerk puts on a session token, for `key`.
    pub fn header(&self, key: &TestKey) -> Value {
        json!({
            "alg": self.common.algorithm.as_str(),
            "kid": key.kid(),
            "typ": "JWT",
            "cat": category::SESSION,
        })
    }

    /// The claims the token will carry (times from the builder's clock, read now).
    ///
    /// # Errors
    /// [`ClaimsError`] when a v2 token cannot carry a permission or feature as given (a
    /// permission that is not `org:<feature>:<permission>`, a feature without its scope, a
    /// name with `,` or `:`).
    pub fn claims(&self) -> Result<Value, ClaimsError> {
        let mut claims = Map::new();
        claims.insert("sub".into(), self.user_id.clone().into());
        if let Some(sid) = &self.session_id {
            claims.insert("sid".into(), sid.clone().into());
        }
        if let Some(azp) = &self.authorized_party {
            claims.insert("azp".into(), azp.clone().into());
        }
        let jti = self
            .token_id
            .clone()
            .unwrap_or_else(|| crate::ids::hex("", 20));
        claims.insert("jti".into(), jti.into());
        self.common.stamp(&mut claims);
        if let Some(actor) = &self.actor {
            claims.insert("act".into(), actor.clone());
        }
        if let Some(fva) = self.factor_verification_age {
            claims.insert("fva".into(), json!(fva));
        }
        if !self.plans.is_empty() {
            claims.insert("pla".into(), self.plans.join(",").into());
        }
        let permissions = self
            .organization
            .as_ref()
            .map(|org| org.permissions.as_slice())
            .unwrap_or_default();
        match self.version {
            ClaimsVersion::V2 => {
                claims.insert("v".into(), 2.into());
                let status = self.status.clone().unwrap_or_else(|| "active".to_owned());
                claims.insert("sts".into(), status.into());
                let encoded = permissions::encode(&self.features, permissions)?;
                if !encoded.fea.is_empty() {
                    claims.insert("fea".into(), encoded.fea.into());
                }
                if let Some(org) = &self.organization {
                    let mut o = Map::new();
                    o.insert("id".into(), org.id.clone().into());
                    if let Some(slug) = &org.slug {
                        o.insert("slg".into(), slug.clone().into());
                    }
                    if let Some(role) = &org.role {
                        o.insert("rol".into(), bare(role).into());
                    }
                    if let Some((per, fpm)) = encoded.per_fpm {
                        o.insert("per".into(), per.into());
                        o.insert("fpm".into(), fpm.into());
                    }
                    claims.insert("o".into(), Value::Object(o));
                }
            }
            ClaimsVersion::V1 => {
                if let Some(status) = &self.status {
                    claims.insert("sts".into(), status.clone().into());
                }
                if !self.features.is_empty() {
                    claims.insert("fea".into(), self.features.join(",").into());
                }
                if let Some(org) = &self.organization {
                    claims.insert("org_id".into(), org.id.clone().into());
                    if let Some(slug) = &org.slug {
                        claims.insert("org_slug".into(), slug.clone().into());
                    }
                    if let Some(role) = &org.role {
                        claims.insert("org_role".into(), with_org_prefix(role).into());
                    }
                    let list: Vec<String> =
                        org.permissions.iter().map(|p| with_org_prefix(p)).collect();
                    claims.insert("org_permissions".into(), list.into());
                }
            }
        }
        Ok(self.common.finish(claims))
    }

    /// The signed token (a compact JWT).
    ///
    /// # Errors
    /// As [`SessionToken::claims`].
    pub fn sign(&self, key: &TestKey) -> Result<String, ClaimsError> {
        let claims = self.claims()?;
        Ok(key.sign_jwt(&self.header(key), &claims, self.common.algorithm))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn at(secs: u64) -> std::time::SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn v2_claims_exactly() {
        let claims = SessionToken::new("user_1")
            .session_id("sess_1")
            .token_id("jti_1")
            .organization(
                Organization::new("org_1")
                    .slug("acme")
                    .role("org:admin")
                    .permissions(["org:dashboard:manage", "dashboard:read", "org:teams:read"]),
            )
            .feature("u:export")
            .plan("o:pro")
            .factor_verification_age(5, -1)
            .actor("user_admin")
            .issued_at(at(1_700_000_000))
            .claims()
            .unwrap();
        assert_eq!(
            claims,
            json!({
                "sub": "user_1", "sid": "sess_1", "jti": "jti_1",
                "azp": "https://app.example.test", "iss": "https://clerk.example.test",
                "iat": 1_700_000_000, "nbf": 1_699_999_990, "exp": 1_700_000_060,
                "act": {"sub": "user_admin"}, "fva": [5, -1], "pla": "o:pro",
                "v": 2, "sts": "active", "fea": "u:export,o:dashboard,o:teams",
                "o": {"id": "org_1", "slg": "acme", "rol": "admin", "per": "manage,read", "fpm": "3,2"},
            })
        );
    }

    #[test]
    fn v1_claims_exactly() {
        let claims = SessionToken::new("user_1")
            .version(ClaimsVersion::V1)
            .token_id("jti_1")
            .without_authorized_party()
            .without_issuer()
            .audience("a")
            .audience("b")
            .organization(
                Organization::new("org_1")
                    .role("admin")
                    .permission("teams:read"),
            )
            .lifetime(Duration::from_secs(5))
            .claim("email", "x@example.test")
            .claim("sid", Value::Null)
            .issued_at(at(100))
            .claims()
            .unwrap();
        assert_eq!(
            claims,
            json!({
                "sub": "user_1", "sid": null, "jti": "jti_1", "aud": ["a", "b"],
                "iat": 100, "nbf": 90, "exp": 105, "email": "x@example.test",
                "org_id": "org_1", "org_role": "org:admin", "org_permissions": ["org:teams:read"],
            })
        );
    }

    #[test]
    fn header_and_errors() {
        let token = SessionToken::new("u").algorithm(clerk_backend_core::auth::Algorithm::Rs512);
        assert_eq!(
            token.header(&TestKey::b()),
            json!({"alg": "RS512", "kid": "ins_test_b", "typ": "JWT", "cat": category::SESSION})
        );
        let bad = SessionToken::new("u").organization(Organization::new("o").permission("read"));
        let err = bad.sign(&TestKey::a()).unwrap_err();
        assert!(err.message().contains("\"read\""), "{err}");
        // v1 carries any string.
        assert!(bad.version(ClaimsVersion::V1).sign(&TestKey::a()).is_ok());
        // Fresh token ids.
        let one = SessionToken::new("u").claims().unwrap();
        let two = SessionToken::new("u").claims().unwrap();
        assert_ne!(one["jti"], two["jti"]);
    }
}

//! The verified claims of a session token, typed, and the `has` authorization check.

use serde_json::{Map, Value};

use super::permissions::{org_permissions, split_by_scope};

/// The state of the session a token belongs to (`sts`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SessionStatus {
    /// Signed in (also what a token without `sts`, a v1 token, means).
    Active,
    /// Signed in with tasks left to complete (choose an organization, …): treated as signed
    /// out unless the options accept pending sessions.
    Pending,
    /// A status this crate does not know yet, kept as sent.
    Unknown(String),
}

/// Who is acting for the user: the `act` claim of an impersonation session.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Actor {
    /// The impersonator's id (`act.sub`).
    pub subject: String,
    /// The whole `act` object, for its other members (`iss`, `sid` …).
    pub raw: Map<String, Value>,
}

/// The organization active in the session, from v1 (`org_*`) or v2 (`o`, `fea`) claims.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActiveOrganization {
    /// The organization id (`org_…`).
    pub id: String,
    /// Its slug, when the token carries one.
    pub slug: Option<String>,
    /// The member's role, always with the `org:` prefix (`org:admin`).
    pub role: Option<String>,
    /// The member's permissions, `org:<feature>:<permission>`.
    pub permissions: Vec<String>,
}

/// The verified claims of a session token, typed.
///
/// Built only from a token whose signature, expiry and other checks passed. The whole payload
/// stays available through [`SessionClaims::claims`] for custom claims of a session-token
/// customization.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SessionClaims {
    /// The user id (`sub`).
    pub user_id: String,
    /// The session id (`sid`).
    pub session_id: Option<String>,
    /// The session status (`sts`).
    pub status: SessionStatus,
    /// The impersonator, in an impersonation session (`act`).
    pub actor: Option<Actor>,
    /// Minutes since the first and second factor were last verified (`fva`); `-1` where the
    /// factor was never verified.
    pub factor_verification_age: Option<[i64; 2]>,
    /// The active organization.
    pub organization: Option<ActiveOrganization>,
    /// The token's format version (`v`): 1 when absent.
    pub version: u64,
    /// The authorized party (`azp`): the origin the token was issued for.
    pub authorized_party: Option<String>,
    /// The issuer (`iss`): the instance's Frontend API URL.
    pub issuer: Option<String>,
    /// Expiry, seconds since the Unix epoch (`exp`).
    pub expires_at: f64,
    /// Issue time, seconds since the Unix epoch (`iat`).
    pub issued_at: Option<f64>,
    claims: Map<String, Value>,
}

impl SessionClaims {
    /// Types the claims of a token already verified (`sub` a string, `exp` a number).
    pub(crate) fn from_verified(claims: Map<String, Value>) -> Self {
        let str_of = |map: &Map<String, Value>, key: &str| {
            map.get(key).and_then(Value::as_str).map(str::to_owned)
        };
        let version = claims.get("v").and_then(Value::as_u64).unwrap_or(1);
        let organization = if version >= 2 {
            claims.get("o").and_then(Value::as_object).and_then(|o| {
                Some(ActiveOrganization {
                    id: str_of(o, "id")?,
                    slug: str_of(o, "slg"),
                    role: str_of(o, "rol").map(|r| prefix_with_org(&r)),
                    permissions: org_permissions(
                        claims.get("fea").and_then(Value::as_str),
                        o.get("per").and_then(Value::as_str),
                        o.get("fpm").and_then(Value::as_str),
                    ),
                })
            })
        } else {
            str_of(&claims, "org_id").map(|id| ActiveOrganization {
                id,
                slug: str_of(&claims, "org_slug"),
                role: str_of(&claims, "org_role").map(|r| prefix_with_org(&r)),
                permissions: claims
                    .get("org_permissions")
                    .and_then(Value::as_array)
                    .map(|list| {
                        list.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        };
        let status = match claims.get("sts").and_then(Value::as_str) {
            None | Some("active") => SessionStatus::Active,
            Some("pending") => SessionStatus::Pending,
            Some(other) => SessionStatus::Unknown(other.to_owned()),
        };
        let actor = claims
            .get("act")
            .and_then(Value::as_object)
            .and_then(|act| {
                Some(Actor {
                    subject: str_of(act, "sub")?,
                    raw: act.clone(),
                })
            });
        let factor_verification_age =
            claims
                .get("fva")
                .and_then(Value::as_array)
                .and_then(|a| match a.as_slice() {
                    [first, second] => Some([valid_age(first)?, valid_age(second)?]),
                    _ => None,
                });
        Self {
            user_id: str_of(&claims, "sub").unwrap_or_default(),
            session_id: str_of(&claims, "sid"),
            status,
            actor,
            factor_verification_age,
            organization,
            version,
            authorized_party: str_of(&claims, "azp"),
            issuer: str_of(&claims, "iss"),
            expires_at: claims
                .get("exp")
                .and_then(Value::as_f64)
                .unwrap_or_default(),
            issued_at: claims.get("iat").and_then(Value::as_f64),
            claims,
        }
    }

    /// Every claim of the token as sent, for custom claims.
    pub fn claims(&self) -> &Map<String, Value> {
        &self.claims
    }

    /// One claim by name (`claims.claim("email")`).
    pub fn claim(&self, name: &str) -> Option<&Value> {
        self.claims.get(name)
    }

    /// The features of the instance's plan (`fea`), as sent (`o:dashboard`, `u:export` …).
    pub fn features(&self) -> Vec<&str> {
        list_claim(&self.claims, "fea")
    }

    /// The plans (`pla`), as sent (`u:free`, `o:pro` …).
    pub fn plans(&self) -> Vec<&str> {
        list_claim(&self.claims, "pla")
    }

    /// Whether the active organization role is `role` (the `org:` prefix is optional).
    pub fn has_role(&self, role: &str) -> bool {
        let wanted = prefix_with_org(role);
        // `org:` alone names no role: an empty role in the token or the query never matches.
        wanted != "org:"
            && self.organization.as_ref().is_some_and(|org| {
                org.role
                    .as_deref()
                    .is_some_and(|r| prefix_with_org(r) == wanted)
            })
    }

    /// Whether the active organization grants `permission` (the `org:` prefix is optional:
    /// `teams:read` is `org:teams:read`).
    pub fn has_permission(&self, permission: &str) -> bool {
        let wanted = prefix_with_org(permission);
        self.organization
            .as_ref()
            .is_some_and(|org| org.permissions.contains(&wanted))
    }

    /// Whether the plan includes `feature`: `org:name` or `user:name` for one scope (`o`,
    /// `organization`, `u` accepted too), a bare `name` for either. Any other scope, or a
    /// malformed `fea` claim, is `false`.
    pub fn has_feature(&self, feature: &str) -> bool {
        scoped_includes(self.claims.get("fea").and_then(Value::as_str), feature)
    }

    /// Whether the subscription is on `plan`, with the scopes of [`SessionClaims::has_feature`].
    pub fn has_plan(&self, plan: &str) -> bool {
        scoped_includes(self.claims.get("pla").and_then(Value::as_str), plan)
    }

    /// Whether the user verified recently enough for `reverification`, from `fva`. `false`
    /// when the token has no valid `fva` or no factor was ever verified.
    pub fn has_reverified(&self, reverification: Reverification) -> bool {
        let Some([first, second]) = self.factor_verification_age else {
            return false;
        };
        let (level, after_minutes) = reverification.level_and_minutes();
        if after_minutes == 0 || (first == -1 && second == -1) {
            return false;
        }
        let fresh = |age: i64| age != -1 && i64::from(after_minutes) > age;
        match level {
            ReverificationLevel::FirstFactor => fresh(first),
            ReverificationLevel::SecondFactor => {
                if second == -1 {
                    fresh(first)
                } else {
                    fresh(second)
                }
            }
            ReverificationLevel::MultiFactor => {
                if second == -1 {
                    fresh(first)
                } else {
                    first != -1 && fresh(first) && fresh(second)
                }
            }
        }
    }

    /// Whether every condition of `check` holds. A check that asks nothing is `false`: it
    /// fails closed, as a forgotten condition must not grant access.
    ///
    /// ```
    /// # fn demo(session: &clerk_backend_core::auth::SessionClaims) -> bool {
    /// use clerk_backend_core::auth::{Has, Reverification};
    /// session.has(&Has::new().permission("org:invoices:create").reverification(Reverification::Strict))
    /// # }
    /// ```
    pub fn has(&self, check: &Has) -> bool {
        let mut asked = false;
        let mut all = true;
        let mut test = |condition: Option<bool>| {
            if let Some(holds) = condition {
                asked = true;
                all &= holds;
            }
        };
        test(check.role.as_deref().map(|r| self.has_role(r)));
        test(check.permission.as_deref().map(|p| self.has_permission(p)));
        test(check.feature.as_deref().map(|f| self.has_feature(f)));
        test(check.plan.as_deref().map(|p| self.has_plan(p)));
        test(check.reverification.map(|r| self.has_reverified(r)));
        asked && all
    }
}

/// Conditions for [`SessionClaims::has`]; every condition set must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct Has {
    role: Option<String>,
    permission: Option<String>,
    feature: Option<String>,
    plan: Option<String>,
    reverification: Option<Reverification>,
}

impl Has {
    /// A check that asks nothing yet (and so is `false` until a condition is added).
    pub fn new() -> Self {
        Self::default()
    }

    /// The active organization role must be `role` (`admin` or `org:admin`).
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// The active organization must grant `permission` (`org:teams:read` or `teams:read`).
    pub fn permission(mut self, permission: impl Into<String>) -> Self {
        self.permission = Some(permission.into());
        self
    }

    /// The plan must include `feature` (`org:export`, `user:export` or `export`).
    pub fn feature(mut self, feature: impl Into<String>) -> Self {
        self.feature = Some(feature.into());
        self
    }

    /// The subscription must be on `plan` (`org:pro`, `user:pro` or `pro`).
    pub fn plan(mut self, plan: impl Into<String>) -> Self {
        self.plan = Some(plan.into());
        self
    }

    /// The user must have verified recently enough.
    pub fn reverification(mut self, reverification: Reverification) -> Self {
        self.reverification = Some(reverification);
        self
    }
}

/// Which factors a reverification check needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReverificationLevel {
    /// The first factor (password, email code …).
    FirstFactor,
    /// The second factor, or the first when the user has none.
    SecondFactor,
    /// Both factors, or the first when the user has no second.
    MultiFactor,
}

/// How recently the user must have verified, as Clerk's presets or a level and a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reverification {
    /// Both factors within 10 minutes.
    StrictMfa,
    /// The second factor within 10 minutes.
    Strict,
    /// The second factor within 60 minutes.
    Moderate,
    /// The second factor within a day.
    Lax,
    /// A level within `after_minutes` minutes (0 never holds).
    Custom {
        /// The factors needed.
        level: ReverificationLevel,
        /// The window, in minutes.
        after_minutes: u32,
    },
}

impl Reverification {
    fn level_and_minutes(self) -> (ReverificationLevel, u32) {
        match self {
            Self::StrictMfa => (ReverificationLevel::MultiFactor, 10),
            Self::Strict => (ReverificationLevel::SecondFactor, 10),
            Self::Moderate => (ReverificationLevel::SecondFactor, 60),
            Self::Lax => (ReverificationLevel::SecondFactor, 1440),
            Self::Custom {
                level,
                after_minutes,
            } => (level, after_minutes),
        }
    }
}

/// `org:` in front of `value`, once (`org:org:x` becomes `org:x`, as Clerk normalises it).
fn prefix_with_org(value: &str) -> String {
    let mut rest = value;
    while let Some(stripped) = rest.strip_prefix("org:") {
        rest = stripped;
    }
    format!("org:{rest}")
}

fn valid_age(value: &Value) -> Option<i64> {
    let age = value.as_i64()?;
    (age == -1 || age >= 0).then_some(age)
}

fn list_claim<'a>(claims: &'a Map<String, Value>, name: &str) -> Vec<&'a str> {
    claims
        .get(name)
        .and_then(Value::as_str)
        .map(|list| {
            list.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a `scope:name` list includes `query` (`org:x`, `user:x` or `x`).
fn scoped_includes(list: Option<&str>, query: &str) -> bool {
    let Some((org, user)) = list.filter(|l| !l.is_empty()).and_then(split_by_scope) else {
        return false;
    };
    match query.split_once(':') {
        Some((scope, name)) => match scope {
            "o" | "org" | "organization" => org.contains(&name),
            "u" | "user" => user.contains(&name),
            _ => false,
        },
        None => org.contains(&query) || user.contains(&query),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(value: Value) -> SessionClaims {
        let Value::Object(map) = value else {
            unreachable!("test claims are objects")
        };
        SessionClaims::from_verified(map)
    }

    fn v2() -> SessionClaims {
        claims(json!({
            "sub": "user_1", "sid": "sess_1", "exp": 2.0e9, "v": 2, "sts": "active",
            "fea": "o:dashboard,o:teams,u:export", "pla": "u:free,o:pro",
            "o": {"id": "org_1", "slg": "acme", "rol": "admin", "per": "manage,read", "fpm": "3,2"},
            "fva": [5, 30],
        }))
    }

    #[test]
    fn v1_and_v2_of_the_same_org_agree() {
        let v1 = claims(json!({
            "sub": "user_1", "sid": "sess_1", "exp": 2.0e9,
            "org_id": "org_1", "org_slug": "acme", "org_role": "org:admin",
            "org_permissions": ["org:dashboard:manage", "org:dashboard:read", "org:teams:read"],
        }));
        assert_eq!(v1.organization, v2().organization);
        assert_eq!(v1.version, 1);
    }

    #[test]
    fn role_and_permission_checks_take_an_optional_prefix() {
        let s = v2();
        assert!(s.has_role("admin") && s.has_role("org:admin") && !s.has_role("member"));
        assert!(s.has_permission("teams:read") && s.has_permission("org:teams:read"));
        assert!(!s.has_permission("teams:manage"));
    }

    #[test]
    fn features_and_plans_by_scope() {
        let s = v2();
        assert!(s.has_feature("org:dashboard") && s.has_feature("dashboard"));
        assert!(!s.has_feature("user:dashboard"));
        assert!(s.has_feature("user:export") && !s.has_feature("org:export"));
        assert!(!s.has_feature("team:dashboard"));
        assert!(s.has_plan("pro") && s.has_plan("org:pro") && !s.has_plan("user:pro"));
        assert_eq!(s.features(), ["o:dashboard", "o:teams", "u:export"]);
    }

    #[test]
    fn reverification_windows() {
        let s = v2(); // first factor 5 min ago, second 30 min ago
        assert!(!s.has_reverified(Reverification::Strict));
        assert!(s.has_reverified(Reverification::Moderate));
        assert!(!s.has_reverified(Reverification::StrictMfa));
        assert!(s.has_reverified(Reverification::Custom {
            level: ReverificationLevel::FirstFactor,
            after_minutes: 10
        }));
        let no_second = claims(json!({"sub": "u", "exp": 1, "fva": [5, -1]}));
        assert!(no_second.has_reverified(Reverification::StrictMfa));
        let never = claims(json!({"sub": "u", "exp": 1, "fva": [-1, -1]}));
        assert!(!never.has_reverified(Reverification::Lax));
        let missing = claims(json!({"sub": "u", "exp": 1}));
        assert!(!missing.has_reverified(Reverification::Lax));
    }

    #[test]
    fn has_fails_closed() {
        let s = v2();
        assert!(!s.has(&Has::new()));
        assert!(s.has(&Has::new().role("admin").feature("dashboard")));
        assert!(
            !s.has(
                &Has::new()
                    .role("admin")
                    .reverification(Reverification::Strict)
            )
        );
        let no_org = claims(json!({"sub": "u", "exp": 1}));
        assert!(!no_org.has(&Has::new().role("admin")));
        assert!(!no_org.has(&Has::new().feature("x")));
    }

    #[test]
    fn pending_and_unknown_status() {
        let s = claims(json!({"sub": "u", "exp": 1, "sts": "pending"}));
        assert_eq!(s.status, SessionStatus::Pending);
        let s = claims(json!({"sub": "u", "exp": 1, "sts": "paused"}));
        assert_eq!(s.status, SessionStatus::Unknown("paused".into()));
    }
}

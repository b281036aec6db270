//! Organization permissions to the v2 claims `fea`, `o.per` and `o.fpm`, as Clerk encodes them
//! and as core's `SessionClaims` decodes them back.
//!
//! `fea` lists features as `scope:name` (`o:` organization, `u:` user, `uo:` both); `o.per`
//! lists permission names; `o.fpm` holds, for each organization-scoped feature of `fea` in
//! order, a decimal bitmask whose bit `i` grants permission `i` of `o.per` for that feature.

use std::fmt;

/// Why session claims could not be encoded as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimsError {
    message: String,
}

impl ClaimsError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// What could not be encoded.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ClaimsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ClaimsError {}

/// The encoded claims: `fea` (empty: leave it out), and the organization's `per` and `fpm`
/// (`None`: leave both out, when no feature is organization-scoped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Encoded {
    pub(crate) fea: String,
    pub(crate) per_fpm: Option<(String, String)>,
}

/// `role` without its `org:` prefixes (`org:admin` → `admin`), as v2's `o.rol` carries it.
pub(crate) fn bare(value: &str) -> &str {
    let mut rest = value;
    while let Some(stripped) = rest.strip_prefix("org:") {
        rest = stripped;
    }
    rest
}

/// `org:` in front of `value`, once.
pub(crate) fn with_org_prefix(value: &str) -> String {
    format!("org:{}", bare(value))
}

/// A name of a feature, a permission or a scope: not empty, no `,` `:` or surrounding
/// whitespace (the list syntax could not carry it).
fn plain(name: &str) -> bool {
    !name.is_empty() && !name.contains([',', ':']) && name.trim() == name
}

/// Splits `org:feature:permission` (the `org:` prefix optional) into its two names.
fn split_permission(permission: &str) -> Result<(&str, &str), ClaimsError> {
    bare(permission)
        .split_once(':')
        .filter(|(feature, name)| plain(feature) && plain(name))
        .ok_or_else(|| {
            ClaimsError::new(format!(
                "the permission {permission:?} is not `org:<feature>:<permission>` \
                 (names without `,` or `:`), which a v2 token cannot carry"
            ))
        })
}

/// Encodes explicit `features` (`o:x`, `u:x`, `uo:x`, in this order) and the organization's
/// `permissions`: every permission's feature joins `fea` as `o:<feature>` unless it is
/// already organization-scoped there.
pub(crate) fn encode(features: &[String], permissions: &[String]) -> Result<Encoded, ClaimsError> {
    let mut entries: Vec<(String, String)> = Vec::new();
    for feature in features {
        let (scope, name) = feature
            .split_once(':')
            .filter(|(scope, name)| plain(scope) && plain(name))
            .ok_or_else(|| {
                ClaimsError::new(format!(
                    "the feature {feature:?} is not `<scope>:<name>` (`o:`, `u:` or `uo:`)"
                ))
            })?;
        entries.push((scope.to_owned(), name.to_owned()));
    }
    let org_scoped = |scope: &str| matches!(scope, "o" | "uo" | "ou");
    let mut names: Vec<&str> = Vec::new();
    let mut granted: Vec<(&str, usize)> = Vec::new();
    for permission in permissions {
        let (feature, name) = split_permission(permission)?;
        let index = match names.iter().position(|known| *known == name) {
            Some(index) => index,
            None => {
                names.push(name);
                names.len() - 1
            }
        };
        granted.push((feature, index));
        if !entries
            .iter()
            .any(|(scope, known)| org_scoped(scope) && known == feature)
        {
            entries.push(("o".to_owned(), feature.to_owned()));
        }
    }
    let fea = entries
        .iter()
        .map(|(scope, name)| format!("{scope}:{name}"))
        .collect::<Vec<_>>()
        .join(",");
    let masks: Vec<String> = entries
        .iter()
        .filter(|(scope, _)| org_scoped(scope))
        .map(|(_, feature)| {
            let bits: Vec<usize> = granted
                .iter()
                .filter(|(granted_feature, _)| granted_feature == feature)
                .map(|(_, index)| *index)
                .collect();
            decimal(&bits)
        })
        .collect();
    let per_fpm = (!masks.is_empty()).then(|| (names.join(","), masks.join(",")));
    Ok(Encoded { fea, per_fpm })
}

/// The decimal digits of the number whose set bits are `bits` (any size: a long permission
/// list makes masks past 2^64, which Clerk writes out exactly).
fn decimal(bits: &[usize]) -> String {
    let Some(top) = bits.iter().max() else {
        return "0".to_owned();
    };
    // Little-endian 32-bit limbs.
    let mut limbs = vec![0u32; top / 32 + 1];
    for bit in bits {
        if let Some(limb) = limbs.get_mut(bit / 32) {
            *limb |= 1 << (bit % 32);
        }
    }
    // Repeated division by 10^9, nine digits at a time, least significant group first.
    const GROUP: u64 = 1_000_000_000;
    let mut groups: Vec<u32> = Vec::new();
    while limbs.iter().any(|limb| *limb != 0) {
        let mut remainder: u64 = 0;
        for limb in limbs.iter_mut().rev() {
            let current = (remainder << 32) | u64::from(*limb);
            *limb = u32::try_from(current / GROUP).unwrap_or(u32::MAX);
            remainder = current % GROUP;
        }
        groups.push(u32::try_from(remainder).unwrap_or_default());
        while limbs.last() == Some(&0) {
            limbs.pop();
        }
    }
    let mut text = String::new();
    for (i, group) in groups.iter().rev().enumerate() {
        if i == 0 {
            text.push_str(&group.to_string());
        } else {
            text.push_str(&format!("{group:09}"));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn decimal_of_bits() {
        assert_eq!(decimal(&[]), "0");
        assert_eq!(decimal(&[0, 1]), "3");
        assert_eq!(decimal(&[0, 53]), "9007199254740993");
        assert_eq!(decimal(&[64]), "18446744073709551616");
        assert_eq!(decimal(&[0, 100]), "1267650600228229401496703205377");
        assert_eq!(decimal(&[30, 0]), "1073741825");
        assert_eq!(decimal(&[0, 0]), "1");
    }

    #[test]
    fn the_documented_example() {
        let encoded = encode(
            &[],
            &strings(&[
                "org:dashboard:manage",
                "org:dashboard:read",
                "org:teams:read",
            ]),
        )
        .unwrap();
        assert_eq!(encoded.fea, "o:dashboard,o:teams");
        assert_eq!(
            encoded.per_fpm,
            Some(("manage,read".to_owned(), "3,2".to_owned()))
        );
    }

    #[test]
    fn explicit_features_come_first_and_user_features_take_no_mask() {
        let encoded = encode(
            &strings(&["u:export", "uo:impersonation", "o:empty"]),
            &strings(&["impersonation:read", "org:members:manage"]),
        )
        .unwrap();
        assert_eq!(encoded.fea, "u:export,uo:impersonation,o:empty,o:members");
        assert_eq!(
            encoded.per_fpm,
            Some(("read,manage".to_owned(), "1,0,2".to_owned()))
        );
        let none = encode(&strings(&["u:export"]), &[]).unwrap();
        assert_eq!(none.fea, "u:export");
        assert_eq!(none.per_fpm, None);
    }

    #[test]
    fn unencodable_input_is_refused() {
        for bad in ["read", "org:read", "org:a:b:c", "a,b:c", "a: b", ":x", "x:"] {
            assert!(encode(&[], &strings(&[bad])).is_err(), "{bad}");
        }
        for bad in ["export", "o:", "o:a,b", ":x"] {
            assert!(encode(&strings(&[bad]), &[]).is_err(), "{bad}");
        }
    }

    #[test]
    fn prefixes() {
        assert_eq!(bare("org:org:admin"), "admin");
        assert_eq!(with_org_prefix("admin"), "org:admin");
        assert_eq!(with_org_prefix("org:admin"), "org:admin");
    }
}

//! Organization permissions of v2 session tokens: `fea` / `o.per` / `o.fpm` to `org:feature:permission`.
//!
//! A v2 token lists the instance's features (`fea`, `scope:name` entries, comma-separated), the
//! permission names (`o.per`) and, for each organization-scoped feature in order, a decimal
//! bitmask (`o.fpm`): bit `i` set grants permission `i` of that feature. Masks may exceed 2^64
//! (a permission list can be long), so they are read exactly, as arbitrary-size numbers. An
//! entry that is not a plain decimal number (`-1`, `1.5`, `1invalid`) grants nothing; a `fea`
//! entry without a scope makes the whole list unreadable, so it grants nothing at all rather
//! than pairing masks with the wrong features.

/// Features of a comma-separated `scope:name` list, split by scope: `(organization, user)`.
///
/// `o` is organization, `u` user, `uo`/`ou` both; other scopes belong to neither. `None` when
/// an entry has no `:`, so that a malformed list grants nothing.
pub(crate) fn split_by_scope(list: &str) -> Option<(Vec<&str>, Vec<&str>)> {
    let mut org = Vec::new();
    let mut user = Vec::new();
    if list.trim().is_empty() {
        return Some((org, user));
    }
    for part in list.split(',') {
        let (scope, name) = part.trim().split_once(':')?;
        match scope {
            "o" => org.push(name),
            "u" => user.push(name),
            "uo" | "ou" => {
                org.push(name);
                user.push(name);
            }
            _ => {}
        }
    }
    Some((org, user))
}

/// `org:<feature>:<permission>` for every bit set in each feature's mask.
pub(crate) fn org_permissions(
    fea: Option<&str>,
    per: Option<&str>,
    fpm: Option<&str>,
) -> Vec<String> {
    let (Some(fea), Some(per), Some(fpm)) = (fea, per, fpm) else {
        return Vec::new();
    };
    let Some((features, _)) = split_by_scope(fea) else {
        return Vec::new();
    };
    let permissions: Vec<&str> = per.split(',').map(str::trim).collect();
    let mut granted = Vec::new();
    for (feature, mask) in features.iter().zip(fpm.split(',')) {
        let Some(mask) = Mask::parse(mask.trim()) else {
            continue;
        };
        for (index, permission) in permissions.iter().enumerate() {
            if mask.bit(index) {
                granted.push(format!("org:{feature}:{permission}"));
            }
        }
    }
    granted
}

/// A non-negative integer of any size, as little-endian 32-bit limbs.
struct Mask(Vec<u32>);

impl Mask {
    /// Reads a plain decimal number (ASCII digits only, at least one).
    fn parse(text: &str) -> Option<Self> {
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut limbs: Vec<u32> = Vec::new();
        for chunk in text.as_bytes().chunks(9) {
            let mut scale: u64 = 1;
            let mut value: u64 = 0;
            for digit in chunk {
                scale *= 10;
                value = value * 10 + u64::from(digit - b'0');
            }
            // limbs = limbs * scale + value
            let mut carry = value;
            for limb in &mut limbs {
                let product = u64::from(*limb) * scale + carry;
                *limb = product as u32;
                carry = product >> 32;
            }
            while carry > 0 {
                limbs.push(carry as u32);
                carry >>= 32;
            }
        }
        Some(Self(limbs))
    }

    fn bit(&self, index: usize) -> bool {
        self.0
            .get(index / 32)
            .is_some_and(|limb| limb >> (index % 32) & 1 == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn perms(fea: &str, per: &str, fpm: &str) -> Vec<String> {
        org_permissions(Some(fea), Some(per), Some(fpm))
    }

    #[test]
    fn vectors_from_the_issue() {
        assert_eq!(
            perms("o:dashboard,o:teams", "manage,read", "3,2"),
            [
                "org:dashboard:manage",
                "org:dashboard:read",
                "org:teams:read"
            ]
        );
        assert_eq!(
            perms(
                "o:repositories,o:projects",
                "read,create,update,delete,revoke",
                "7,21"
            ),
            [
                "org:repositories:read",
                "org:repositories:create",
                "org:repositories:update",
                "org:projects:read",
                "org:projects:update",
                "org:projects:revoke"
            ]
        );
        assert_eq!(
            perms(
                "uo:impersonation,o:memberships,uo:feature3",
                "read,manage",
                "1,3,1"
            ),
            [
                "org:impersonation:read",
                "org:memberships:read",
                "org:memberships:manage",
                "org:feature3:read"
            ]
        );
    }

    #[test]
    fn masks_beyond_64_bits_are_exact() {
        let per: Vec<String> = (0..54).map(|i| format!("permission_{i}")).collect();
        let per = per.join(",");
        assert_eq!(
            perms("o:feature", &per, "9007199254740993"),
            ["org:feature:permission_0", "org:feature:permission_53"]
        );
        assert!(perms("o:feature", &per, "18014398509481984").is_empty());
        // 2^100 + 1: bits 0 and 100.
        let per: Vec<String> = (0..101).map(|i| format!("p{i}")).collect();
        assert_eq!(
            perms("o:f", &per.join(","), "1267650600228229401496703205377"),
            ["org:f:p0", "org:f:p100"]
        );
    }

    #[test]
    fn malformed_masks_grant_nothing() {
        for mask in ["-1", "1.5", "1invalid", "", " ", "0x3", "+3", "3e0"] {
            assert!(perms("o:f", "a,b", mask).is_empty(), "{mask:?}");
        }
        // A malformed entry only costs its own feature.
        assert_eq!(perms("o:f,o:g", "a", "x,1"), ["org:g:a"]);
        // A feature entry without a scope makes the list unreadable.
        assert!(perms("f,o:g", "a", "1,1").is_empty());
        // User-only features take no mask.
        assert_eq!(perms("u:x,o:g", "a", "1"), ["org:g:a"]);
        // Leading zeros are still the number.
        assert_eq!(perms("o:g", "a,b", "0003"), ["org:g:a", "org:g:b"]);
        assert!(org_permissions(None, Some("a"), Some("1")).is_empty());
    }
}

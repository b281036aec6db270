//! The stand-in's state: users in creation order, id generation and the clock.

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

/// Kinds of generated ids; each has its own prefix and stream.
#[derive(Clone, Copy)]
pub(crate) enum IdKind {
    User,
    Identification,
}

/// Everything the stand-in remembers.
#[derive(Default)]
pub(crate) struct Store {
    /// Live users, in creation order.
    pub(crate) users: Vec<User>,
    /// `created_at` of deleted users, so a `starting_after` cursor survives a deletion.
    pub(crate) deleted: HashMap<String, i64>,
    next_user: u64,
    next_identification: u64,
    last_ms: i64,
}

/// An email address, phone number or web3 wallet of a user.
#[derive(Debug, Clone)]
pub(crate) struct Identification {
    pub(crate) id: String,
    pub(crate) value: String,
    pub(crate) reserved: bool,
    pub(crate) created_at: i64,
}

/// One user, as the stand-in keeps it.
#[derive(Debug, Clone, Default)]
pub(crate) struct User {
    pub(crate) id: String,
    pub(crate) external_id: Option<String>,
    pub(crate) username: Option<String>,
    pub(crate) first_name: Option<String>,
    pub(crate) last_name: Option<String>,
    pub(crate) locale: Option<String>,
    /// The URL of an uploaded profile image.
    pub(crate) image_url: Option<String>,
    pub(crate) public_metadata: Map<String, Value>,
    pub(crate) private_metadata: Map<String, Value>,
    pub(crate) unsafe_metadata: Map<String, Value>,
    pub(crate) email_addresses: Vec<Identification>,
    pub(crate) phone_numbers: Vec<Identification>,
    pub(crate) web3_wallets: Vec<Identification>,
    pub(crate) primary_email_address_id: Option<String>,
    pub(crate) primary_phone_number_id: Option<String>,
    pub(crate) primary_web3_wallet_id: Option<String>,
    pub(crate) password_enabled: bool,
    pub(crate) password_last_updated_at: Option<i64>,
    pub(crate) totp_enabled: bool,
    pub(crate) backup_code_enabled: bool,
    pub(crate) mfa_enabled_at: Option<i64>,
    pub(crate) banned: bool,
    pub(crate) locked: bool,
    pub(crate) delete_self_enabled: bool,
    pub(crate) create_organization_enabled: bool,
    pub(crate) create_organizations_limit: Option<i64>,
    pub(crate) legal_accepted_at: Option<i64>,
    pub(crate) bypass_client_trust: bool,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn base62_digit(n: u64) -> char {
    BASE62
        .get(usize::try_from(n % 62).unwrap_or(0))
        .map_or('0', |b| char::from(*b))
}

/// SplitMix64: a tiny deterministic mixer for the random-looking part of ids.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `prefix` + 27 base62 characters: `2`, the sequence number on 5 characters (so ids sort in
/// creation order, like Clerk's time-ordered ids), then 21 deterministic pseudo-random ones.
fn make_id(prefix: &str, salt: u64, seq: u64) -> String {
    let mut id = String::with_capacity(prefix.len() + 27);
    id.push_str(prefix);
    id.push('2');
    let mut digits = [0u64; 5];
    let mut n = seq;
    for digit in digits.iter_mut().rev() {
        *digit = n % 62;
        n /= 62;
    }
    id.extend(digits.iter().map(|d| base62_digit(*d)));
    let mut state = mix(seq ^ salt);
    for _ in 0..21 {
        state = mix(state);
        id.push(base62_digit(state >> 8));
    }
    id
}

/// Milliseconds since the Unix epoch.
fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_millis()).ok())
        .unwrap_or(0)
}

impl Store {
    /// The current time in Unix milliseconds, strictly increasing across calls so that
    /// creation order and `created_at` order agree.
    pub(crate) fn tick(&mut self) -> i64 {
        let now = now_ms().max(self.last_ms.saturating_add(1));
        self.last_ms = now;
        now
    }

    /// A fresh id of the given kind.
    pub(crate) fn new_id(&mut self, kind: IdKind) -> String {
        match kind {
            IdKind::User => {
                self.next_user = self.next_user.wrapping_add(1);
                make_id("user_", 0x7573_6572, self.next_user)
            }
            IdKind::Identification => {
                self.next_identification = self.next_identification.wrapping_add(1);
                make_id("idn_", 0x6964_6e5f, self.next_identification)
            }
        }
    }

    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        self.users.iter().position(|u| u.id == id)
    }

    pub(crate) fn get(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut User> {
        self.users.iter_mut().find(|u| u.id == id)
    }

    /// The user other than `except` that has this email address (case-insensitive).
    pub(crate) fn email_taken(&self, email: &str, except: Option<&str>) -> bool {
        self.users.iter().any(|u| {
            Some(u.id.as_str()) != except
                && u.email_addresses
                    .iter()
                    .any(|e| e.value.eq_ignore_ascii_case(email))
        })
    }

    pub(crate) fn phone_taken(&self, phone: &str, except: Option<&str>) -> bool {
        self.users.iter().any(|u| {
            Some(u.id.as_str()) != except && u.phone_numbers.iter().any(|p| p.value == phone)
        })
    }

    pub(crate) fn wallet_taken(&self, wallet: &str, except: Option<&str>) -> bool {
        self.users.iter().any(|u| {
            Some(u.id.as_str()) != except
                && u.web3_wallets
                    .iter()
                    .any(|w| w.value.eq_ignore_ascii_case(wallet))
        })
    }

    pub(crate) fn username_taken(&self, username: &str, except: Option<&str>) -> bool {
        self.users.iter().any(|u| {
            Some(u.id.as_str()) != except
                && u.username
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(username))
        })
    }

    pub(crate) fn external_id_taken(&self, external_id: &str, except: Option<&str>) -> bool {
        self.users
            .iter()
            .any(|u| Some(u.id.as_str()) != except && u.external_id.as_deref() == Some(external_id))
    }
}

fn verification(reserved: bool) -> Value {
    if reserved {
        Value::Null
    } else {
        json!({
            "object": "verification_admin",
            "status": "verified",
            "strategy": "admin",
            "attempts": null,
            "expire_at": null,
        })
    }
}

impl Identification {
    fn email_json(&self) -> Value {
        json!({
            "id": self.id,
            "object": "email_address",
            "email_address": self.value,
            "reserved": self.reserved,
            "verification": verification(self.reserved),
            "linked_to": [],
            "matches_sso_connection": false,
            "created_at": self.created_at,
            "updated_at": self.created_at,
        })
    }

    fn phone_json(&self) -> Value {
        json!({
            "id": self.id,
            "object": "phone_number",
            "phone_number": self.value,
            "reserved_for_second_factor": false,
            "default_second_factor": false,
            "reserved": self.reserved,
            "verification": verification(self.reserved),
            "linked_to": [],
            "backup_codes": null,
            "created_at": self.created_at,
            "updated_at": self.created_at,
        })
    }

    fn wallet_json(&self) -> Value {
        json!({
            "id": self.id,
            "object": "web3_wallet",
            "web3_wallet": self.value,
            "verification": verification(false),
            "created_at": self.created_at,
            "updated_at": self.created_at,
        })
    }
}

impl User {
    /// The URL of the image shown for this user: the uploaded one, or a default avatar.
    pub(crate) fn shown_image_url(&self) -> String {
        self.image_url
            .clone()
            .unwrap_or_else(|| format!("https://img.clerk.test/default/{}", self.id))
    }

    /// `first last`, with whichever parts exist.
    pub(crate) fn full_name(&self) -> String {
        [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The primary email address, if any.
    pub(crate) fn primary_email(&self) -> Option<&str> {
        let primary = self.primary_email_address_id.as_deref()?;
        self.email_addresses
            .iter()
            .find(|e| e.id == primary)
            .map(|e| e.value.as_str())
    }

    pub(crate) fn primary_phone(&self) -> Option<&str> {
        let primary = self.primary_phone_number_id.as_deref()?;
        self.phone_numbers
            .iter()
            .find(|e| e.id == primary)
            .map(|e| e.value.as_str())
    }

    pub(crate) fn primary_wallet(&self) -> Option<&str> {
        let primary = self.primary_web3_wallet_id.as_deref()?;
        self.web3_wallets
            .iter()
            .find(|e| e.id == primary)
            .map(|e| e.value.as_str())
    }

    /// The user as Clerk's `User` schema (every required field present, `null` where nullable).
    pub(crate) fn to_json(&self) -> Value {
        let image_url = self.shown_image_url();
        let mut user = json!({
            "id": self.id,
            "object": "user",
            "external_id": self.external_id,
            "primary_email_address_id": self.primary_email_address_id,
            "primary_phone_number_id": self.primary_phone_number_id,
            "primary_web3_wallet_id": self.primary_web3_wallet_id,
            "username": self.username,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "locale": self.locale,
            "profile_image_url": image_url,
            "image_url": image_url,
            "has_image": self.image_url.is_some(),
            "public_metadata": self.public_metadata,
            "private_metadata": self.private_metadata,
            "unsafe_metadata": self.unsafe_metadata,
            "email_addresses": self.email_addresses.iter().map(Identification::email_json).collect::<Vec<_>>(),
            "phone_numbers": self.phone_numbers.iter().map(Identification::phone_json).collect::<Vec<_>>(),
            "web3_wallets": self.web3_wallets.iter().map(Identification::wallet_json).collect::<Vec<_>>(),
        });
        let rest = json!({
            "passkeys": [],
            "password_enabled": self.password_enabled,
            "two_factor_enabled": self.totp_enabled || self.backup_code_enabled,
            "totp_enabled": self.totp_enabled,
            "backup_code_enabled": self.backup_code_enabled,
            "mfa_enabled_at": self.mfa_enabled_at,
            "mfa_disabled_at": null,
            "password_last_updated_at": self.password_last_updated_at,
            "external_accounts": [],
            "saml_accounts": [],
            "enterprise_accounts": [],
            "last_sign_in_at": null,
            "banned": self.banned,
            "locked": self.locked,
            "deprovisioned": false,
            "lockout_expires_in_seconds": null,
            "verification_attempts_remaining": null,
            "updated_at": self.updated_at,
            "created_at": self.created_at,
            "delete_self_enabled": self.delete_self_enabled,
            "create_organization_enabled": self.create_organization_enabled,
            "create_organizations_limit": self.create_organizations_limit,
            "last_active_at": null,
            "legal_accepted_at": self.legal_accepted_at,
            "bypass_client_trust": self.bypass_client_trust,
        });
        // Two `json!` calls: one would exceed the default macro recursion limit.
        if let (Some(user), Value::Object(rest)) = (user.as_object_mut(), rest) {
            user.extend(rest);
        }
        user
    }
}

/// Parses an RFC 3339 date-time (`2012-10-20T07:15:20.902Z`, `...+02:00`) to Unix milliseconds.
pub(crate) fn parse_rfc3339_ms(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let digits = |from: usize, len: usize| -> Option<i64> {
        let part = bytes.get(from..from.checked_add(len)?)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let sep = |at: usize, allowed: &[u8]| bytes.get(at).is_some_and(|b| allowed.contains(b));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let (year, month, day) = (digits(0, 4)?, digits(5, 2)?, digits(8, 2)?);
    let (hour, minute, second) = (digits(11, 2)?, digits(14, 2)?, digits(17, 2)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut at = 19;
    let mut millis = 0;
    if sep(at, b".") {
        at += 1;
        let start = at;
        while bytes.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        let fraction = bytes.get(start..at)?;
        if fraction.is_empty() {
            return None;
        }
        for (i, d) in fraction.iter().take(3).enumerate() {
            millis += i64::from(d - b'0') * [100, 10, 1].get(i).copied().unwrap_or(0);
        }
    }
    let offset_minutes = match bytes.get(at) {
        Some(b'Z' | b'z') if bytes.len() == at + 1 => 0,
        Some(sign @ (b'+' | b'-')) if bytes.len() == at + 6 && sep(at + 3, b":") => {
            let minutes = digits(at + 1, 2)? * 60 + digits(at + 4, 2)?;
            if *sign == b'-' { -minutes } else { minutes }
        }
        _ => return None,
    };
    // Days from civil (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1_000 + millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_look_like_clerk_ids_and_sort_in_creation_order() {
        let mut store = Store::default();
        let ids: Vec<String> = (0..100).map(|_| store.new_id(IdKind::User)).collect();
        for id in &ids {
            assert!(id.starts_with("user_2"), "{id}");
            assert_eq!(id.len(), 5 + 27, "{id}");
            assert!(id[5..].bytes().all(|b| b.is_ascii_alphanumeric()), "{id}");
        }
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(sorted, ids);
        assert!(store.new_id(IdKind::Identification).starts_with("idn_2"));
    }

    #[test]
    fn clock_is_strictly_increasing() {
        let mut store = Store::default();
        let a = store.tick();
        let b = store.tick();
        assert!(b > a && a > 1_600_000_000_000);
    }

    #[test]
    fn rfc3339() {
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339_ms("2012-10-20T07:15:20.902Z"),
            Some(1_350_717_320_902)
        );
        assert_eq!(
            parse_rfc3339_ms("2012-10-20T09:15:20.9+02:00"),
            Some(1_350_717_320_900)
        );
        assert_eq!(
            parse_rfc3339_ms("2024-02-29T00:00:00-00:30"),
            Some(1_709_166_600_000)
        );
        assert_eq!(parse_rfc3339_ms("2012-10-20"), None);
        assert_eq!(parse_rfc3339_ms("2012-13-20T07:15:20Z"), None);
        assert_eq!(parse_rfc3339_ms("2012-10-20T07:15:20"), None);
    }
}

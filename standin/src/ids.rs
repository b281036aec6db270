//! Unique, unpredictable-enough identifiers and secrets for tests: delivery ids, token ids,
//! webhook signing secrets.
//!
//! The bits come from std's `RandomState` (seeded per thread from the operating system's
//! randomness) hashing a process-wide counter and the current time: every value differs from
//! the previous ones and from other test runs, without an RNG dependency. That is enough for
//! test fixtures and nothing more: none of it is cryptographically strong.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher as _, Hasher as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// 64 fresh bits.
pub(crate) fn random_u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    hasher.write_u128(nanos);
    hasher.finish()
}

/// `len` fresh bytes.
pub(crate) fn random_bytes(len: usize) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(len.saturating_add(8));
    while bytes.len() < len {
        bytes.extend_from_slice(&random_u64().to_le_bytes());
    }
    bytes.truncate(len);
    bytes
}

/// `prefix` followed by `len` fresh base62 characters (`msg_…`, `user_…` shapes).
pub(crate) fn base62(prefix: &str, len: usize) -> String {
    let mut id = String::with_capacity(prefix.len().saturating_add(len));
    id.push_str(prefix);
    for byte in random_bytes(len) {
        let index = usize::from(byte) % BASE62.len();
        id.push(char::from(BASE62.get(index).copied().unwrap_or(b'0')));
    }
    id
}

/// `prefix` followed by `len` fresh lowercase hex digits (`mt_…`, `oat_…` shapes).
pub(crate) fn hex(prefix: &str, len: usize) -> String {
    let mut id = String::with_capacity(prefix.len().saturating_add(len));
    id.push_str(prefix);
    for byte in random_bytes(len.div_ceil(2)) {
        id.push_str(&format!("{byte:02x}"));
    }
    id.truncate(prefix.len().saturating_add(len));
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_their_shape_and_differ() {
        let a = base62("msg_", 27);
        let b = base62("msg_", 27);
        assert_ne!(a, b);
        assert_eq!(a.len(), 31);
        assert!(a[4..].bytes().all(|c| c.is_ascii_alphanumeric()), "{a}");
        let h = hex("mt_", 32);
        assert_eq!(h.len(), 35);
        assert!(h[3..].bytes().all(|c| c.is_ascii_hexdigit()), "{h}");
        assert_eq!(hex("x", 3).len(), 4);
        assert_eq!(random_bytes(24).len(), 24);
        assert_ne!(random_bytes(16), random_bytes(16));
    }
}

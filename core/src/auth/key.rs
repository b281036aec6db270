//! RSA public keys that verify tokens: from a PEM (no network) or from a JWKS entry.

use std::fmt;

use base64::Engine as _;
use rsa::pkcs1::DecodeRsaPublicKey as _;
use rsa::pkcs8::DecodePublicKey as _;
use rsa::traits::PublicKeyParts as _;
use sha2::Digest as _;

use super::jwt::{Algorithm, BASE64URL};

/// The smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: u32 = 2048;
/// The largest RSA modulus accepted, in bits (bounds the work one forged key can cause).
const MAX_RSA_BITS: usize = 8192;

/// An RSA public key that verifies RS256/RS384/RS512 signatures.
///
/// Keys under [`MIN_RSA_BITS`] bits are refused when they are built. `Debug` shows the key id,
/// size and algorithm, not the modulus.
#[derive(Clone, PartialEq)]
pub struct PublicKey {
    key: rsa::PublicKey,
    kid: Option<String>,
    algorithm: Option<Algorithm>,
    bits: u32,
}

/// Why a key could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError {
    message: String,
}

impl KeyError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// What is wrong with the key.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for KeyError {}

impl PublicKey {
    /// Reads a PEM public key: the Dashboard's "JWKS Public Key" (`CLERK_JWT_KEY`), a
    /// `BEGIN PUBLIC KEY` (SubjectPublicKeyInfo) or `BEGIN RSA PUBLIC KEY` (PKCS#1) block.
    ///
    /// Line breaks may be real or written as `\n` (as environment files often hold them), or
    /// absent. A key read this way verifies tokens whatever their `kid`, with any of the
    /// three algorithms.
    ///
    /// # Errors
    /// [`KeyError`] when the text is not a PEM RSA public key, or the key has fewer than
    /// 2048 bits.
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let text = pem.replace("\\n", "\n");
        let text = text.trim();
        let (label, body) = pem_body(text)
            .ok_or_else(|| KeyError::new("the key is not PEM (no BEGIN/END lines)"))?;
        let der = base64::engine::general_purpose::STANDARD
            .decode(body)
            .map_err(|_| KeyError::new("the PEM body is not base64"))?;
        let key = match label {
            "PUBLIC KEY" => rsa::PublicKey::from_public_key_der(&der)
                .map_err(|_| KeyError::new("the PEM is not an RSA public key"))?,
            "RSA PUBLIC KEY" => rsa::PublicKey::from_pkcs1_der(&der)
                .map_err(|_| KeyError::new("the PEM is not a PKCS#1 RSA public key"))?,
            "PRIVATE KEY" | "RSA PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" => {
                return Err(KeyError::new(
                    "the PEM is a private key; give the public key (the Dashboard's JWKS Public Key)",
                ));
            }
            _ => {
                return Err(KeyError::new(format!(
                    "a PEM `{label}` is not an RSA public key"
                )));
            }
        };
        Self::checked(key, None, None)
    }

    /// Builds a key from the members of an RSA JWK: base64url `n` and `e`, and optionally its
    /// `kid` and `alg`. When `alg` is given the key verifies that algorithm only.
    ///
    /// # Errors
    /// [`KeyError`] when `n` or `e` is not base64url, the `alg` is not RS256/RS384/RS512, or
    /// the key is not a valid RSA key of 2048 to 8192 bits.
    pub fn from_rsa_components(
        n: &str,
        e: &str,
        kid: Option<&str>,
        alg: Option<&str>,
    ) -> Result<Self, KeyError> {
        let algorithm = match alg {
            None | Some("") => None,
            Some(name) => Some(Algorithm::from_name(name).ok_or_else(|| {
                KeyError::new(format!(
                    "the key's algorithm {name:?} is not RS256/RS384/RS512"
                ))
            })?),
        };
        let n = BASE64URL
            .decode(n.trim_end_matches('='))
            .map_err(|_| KeyError::new("the key's `n` is not base64url"))?;
        let e = BASE64URL
            .decode(e.trim_end_matches('='))
            .map_err(|_| KeyError::new("the key's `e` is not base64url"))?;
        let n_bits = u32::try_from(n.len().saturating_mul(8)).unwrap_or(u32::MAX);
        let e_bits = u32::try_from(e.len().saturating_mul(8)).unwrap_or(u32::MAX);
        if n.is_empty() || e.is_empty() || n.len() > MAX_RSA_BITS / 8 + 1 || e.len() > 8 {
            return Err(KeyError::new("the key's `n` or `e` has an impossible size"));
        }
        let n = rsa::BoxedUint::from_be_slice(&n, n_bits)
            .map_err(|_| KeyError::new("the key's `n` is not a number"))?;
        let e = rsa::BoxedUint::from_be_slice(&e, e_bits)
            .map_err(|_| KeyError::new("the key's `e` is not a number"))?;
        let key = rsa::PublicKey::new_with_size_limits(n, e, 1..=MAX_RSA_BITS)
            .map_err(|err| KeyError::new(format!("the key is not a valid RSA key ({err})")))?;
        Self::checked(key, kid.map(str::to_owned), algorithm)
    }

    fn checked(
        key: rsa::PublicKey,
        kid: Option<String>,
        algorithm: Option<Algorithm>,
    ) -> Result<Self, KeyError> {
        let bits = key.n().as_ref().bit_width_vartime();
        if bits < MIN_RSA_BITS {
            return Err(KeyError::new(format!(
                "the RSA key has {bits} bits; at least {MIN_RSA_BITS} are required"
            )));
        }
        Ok(Self {
            key,
            kid,
            algorithm,
            bits,
        })
    }

    /// The key id (`kid`) of a key from a JWKS; `None` for a PEM key.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The size of the modulus in bits.
    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// The one algorithm this key is for, when its JWK named one.
    pub fn algorithm(&self) -> Option<Algorithm> {
        self.algorithm
    }

    /// Whether `signature` is a valid `algorithm` signature of `message` under this key.
    pub(crate) fn verifies(&self, algorithm: Algorithm, message: &[u8], signature: &[u8]) -> bool {
        let result = match algorithm {
            Algorithm::Rs256 => self.key.verify(
                rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                &sha2::Sha256::digest(message),
                signature,
            ),
            Algorithm::Rs384 => self.key.verify(
                rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
                &sha2::Sha384::digest(message),
                signature,
            ),
            Algorithm::Rs512 => self.key.verify(
                rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
                &sha2::Sha512::digest(message),
                signature,
            ),
        };
        result.is_ok()
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("kid", &self.kid)
            .field("bits", &self.bits)
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

/// The label and the base64 body (whitespace removed) of the first PEM block of `text`.
fn pem_body(text: &str) -> Option<(&str, String)> {
    let after_begin = text.split_once("-----BEGIN ")?.1;
    let (label, rest) = after_begin.split_once("-----")?;
    let end_marker = format!("-----END {label}-----");
    let body = rest.split_once(end_marker.as_str())?.0;
    Some((
        label,
        body.chars().filter(|c| !c.is_ascii_whitespace()).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_refused_with_a_message() {
        for text in [
            "",
            "not a key",
            "-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----",
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END OTHER-----",
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
        ] {
            let err = PublicKey::from_pem(text).unwrap_err();
            assert!(!err.message().is_empty());
        }
    }

    #[test]
    fn jwk_components_are_checked() {
        assert!(PublicKey::from_rsa_components("!!", "AQAB", None, None).is_err());
        assert!(PublicKey::from_rsa_components("", "AQAB", None, None).is_err());
        // A 64-bit modulus is far under 2048 bits (and not a valid key either).
        let err = PublicKey::from_rsa_components("wAAAAAAAAAE", "AQAB", None, None).unwrap_err();
        assert!(!err.message().is_empty());
        let err =
            PublicKey::from_rsa_components("wAAAAAAAAAE", "AQAB", None, Some("HS256")).unwrap_err();
        assert!(err.message().contains("HS256"), "{err}");
    }
}

//! Splitting and decoding a compact JWT, before anything in it is trusted.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde_json::{Map, Value};

use super::reason::{Reason, TokenError};

/// base64url without padding, with canonical trailing bits: one byte string has one encoding,
/// so no change of a character can leave the decoded bytes as they were.
pub(crate) const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone),
);

/// The signature algorithms a Clerk token may use: RSASSA-PKCS1-v1_5 with SHA-2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (what Clerk signs session tokens with).
    Rs256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    Rs384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    Rs512,
}

impl Algorithm {
    /// The JOSE name (`RS256` …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rs256 => "RS256",
            Self::Rs384 => "RS384",
            Self::Rs512 => "RS512",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Self> {
        match name {
            "RS256" => Some(Self::Rs256),
            "RS384" => Some(Self::Rs384),
            "RS512" => Some(Self::Rs512),
            _ => None,
        }
    }
}

/// A compact JWT split into its parts, signature not yet checked.
pub(crate) struct Decoded<'a> {
    pub(crate) header: Map<String, Value>,
    pub(crate) claims: Map<String, Value>,
    /// `header.payload` exactly as received: what the signature covers.
    pub(crate) signing_input: &'a str,
    pub(crate) signature: Vec<u8>,
}

impl Decoded<'_> {
    /// The header's `kid`, when it is a string.
    pub(crate) fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }

    /// The header's `typ`, when it is a string.
    pub(crate) fn typ(&self) -> Option<&str> {
        self.header.get("typ").and_then(Value::as_str)
    }

    /// The header's `alg`, checked against the allowlist.
    pub(crate) fn algorithm(&self) -> Result<Algorithm, TokenError> {
        match self.header.get("alg") {
            Some(Value::String(name)) => Algorithm::from_name(name).ok_or_else(|| {
                TokenError::new(
                    Reason::TokenInvalidAlgorithm,
                    format!(
                        "algorithm {:?} is not allowed; expected RS256, RS384 or RS512",
                        super::shown(name)
                    ),
                )
            }),
            Some(_) => Err(TokenError::new(
                Reason::TokenInvalidAlgorithm,
                "the header's `alg` is not a string",
            )),
            None => Err(TokenError::new(
                Reason::TokenInvalidAlgorithm,
                "the header has no `alg`",
            )),
        }
    }
}

/// Splits `token` into three base64url segments and decodes the first two as JSON objects.
pub(crate) fn decode(token: &str) -> Result<Decoded<'_>, TokenError> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid(
            "a JWT is three base64url segments separated by dots",
        ));
    };
    let signing_input = token
        .get(..header.len() + 1 + payload.len())
        .ok_or_else(|| invalid("a JWT is three base64url segments separated by dots"))?;
    Ok(Decoded {
        header: json_object(header, "header")?,
        claims: json_object(payload, "payload")?,
        signing_input,
        signature: BASE64URL
            .decode(signature)
            .map_err(|_| invalid("the signature is not base64url"))?,
    })
}

/// The claims of `token` without checking anything but its form. Only for routing decisions
/// that a later verification confirms (which kind of token is it?), never for trust.
pub(crate) fn peek(token: &str) -> Option<Decoded<'_>> {
    decode(token).ok()
}

fn json_object(segment: &str, what: &str) -> Result<Map<String, Value>, TokenError> {
    let bytes = BASE64URL
        .decode(segment)
        .map_err(|_| invalid(format!("the {what} is not base64url")))?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(invalid(format!("the {what} is not a JSON object"))),
        Err(_) => Err(invalid(format!("the {what} is not JSON"))),
    }
}

fn invalid(message: impl Into<String>) -> TokenError {
    TokenError::new(Reason::TokenInvalid, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(json: &str) -> String {
        BASE64URL.encode(json)
    }

    #[test]
    fn three_segments_of_objects_decode() {
        let token = format!("{}.{}.{}", seg(r#"{"alg":"RS256"}"#), seg("{}"), seg("sig"));
        let decoded = decode(&token).unwrap();
        assert_eq!(decoded.algorithm().unwrap(), Algorithm::Rs256);
        assert_eq!(decoded.signature, b"sig");
        assert_eq!(decoded.signing_input.matches('.').count(), 1);
    }

    #[test]
    fn malformed_forms_are_token_invalid() {
        let h = seg(r#"{"alg":"RS256"}"#);
        for token in [
            String::new(),
            ".".into(),
            "..".into(),
            format!("{h}.{h}"),
            format!("{h}.{h}.{h}.{h}"),
            format!("{h}.!!.{h}"),
            format!("{h}.{}.{h}", seg("[1]")),
            format!("{h}.{}.{h}", seg("not json")),
            format!("{h}.{h}=.{h}"),
            format!("{h}.{h}.a"),
        ] {
            let err = decode(&token).err().unwrap();
            assert_eq!(err.reason(), Reason::TokenInvalid, "{token}");
        }
    }

    #[test]
    fn non_canonical_trailing_bits_are_refused() {
        // "QQ" is the canonical encoding of "A"; "QR" differs only in unused bits.
        assert!(BASE64URL.decode("QQ").is_ok());
        assert!(BASE64URL.decode("QR").is_err());
    }
}

//! `ClerkError`: an error as Clerk reports it inside a verification.

/// An error as Clerk reports it.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ClerkError {
    /// A short, human-readable message.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub message: String,
    /// A longer, more detailed message.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub long_message: String,
    /// A machine-readable error code.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub code: String,
    /// Additional data about the error.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub meta: serde_json::Map<String, serde_json::Value>,
}

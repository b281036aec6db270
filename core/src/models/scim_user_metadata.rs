//! `SCIMUserMetadata`: a user's linkage to a directory (SCIM).

/// Metadata describing a user's linkage to a directory. This object is only delivered on
/// `user.created` and `user.updated` webhook events, and only when the user is provisioned through
/// a directory. Its absence does not necessarily mean the user is not managed by a directory.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ScimUserMetadata {
    /// The ID of the directory the user is provisioned from.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub directory_id: String,
    /// Whether the directory is currently enabled. Omitted when false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory_enabled: Option<bool>,
    /// The user's external ID as reported by the directory, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

//! `IdentificationLink`: a link from an identification to an OAuth account.

/// A link from an identification to another identification (an OAuth account) it is linked to.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct IdentificationLink {
    /// The type of the linked identification (for example `oauth_google`). Matches the pattern
    /// `^oauth_[a-z]+$`.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub r#type: String,
    /// The ID of the linked identification.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub id: String,
}

//! `OrganizationMembershipPublicUserData`: public data of the user of a membership.

/// An organization membership with public user data populated.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct OrganizationMembershipPublicUserData {
    /// The ID of the user.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub user_id: String,
    /// The user's first name, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// The user's last name, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// The URL of the user's profile image.
    ///
    /// **Deprecated** in the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_image_url: Option<String>,
    /// The URL of the user's profile image.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub image_url: String,
    /// Whether the user has uploaded a profile image.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub has_image: bool,
    /// The user's identifier (for example their email address), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// The user's username, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Whether the user is banned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banned: Option<bool>,
    /// Whether the user is deprovisioned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprovisioned: Option<bool>,
}

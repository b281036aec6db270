//! `Organization`: an organization.

/// An organization.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Organization {
    /// String representing the object's type (`organization`).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub object: String,
    /// Unique identifier of the organization.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub id: String,
    /// The name of the organization.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// The slug of the organization.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub slug: String,
    /// The URL of the organization's logo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// Whether the organization has an uploaded logo.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub has_image: bool,
    /// The number of members, when the response includes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members_count: Option<i64>,
    /// Whether no member has elevated permissions, when the response includes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_member_with_elevated_permissions: Option<bool>,
    /// The number of pending invitations, when the response includes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_invitations_count: Option<i64>,
    /// The maximum number of memberships (0 means unlimited).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub max_allowed_memberships: i64,
    /// Whether admins of the organization can delete it.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub admin_delete_enabled: bool,
    /// Metadata that both the Frontend and the Backend API can read, and only the Backend API can
    /// set.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub public_metadata: serde_json::Map<String, serde_json::Value>,
    /// Metadata that only the Backend API can read and set.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub private_metadata: serde_json::Map<String, serde_json::Value>,
    /// The ID of the user who created the organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// Unix timestamp of creation. Unix timestamp in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub created_at: i64,
    /// Unix timestamp of last update. Unix timestamp in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub updated_at: i64,
    /// Unix timestamp of last activity. Unix timestamp in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_active_at: Option<i64>,
    /// The key of the [role
    /// set](https://clerk.com/docs/guides/organizations/control-access/role-sets) assigned to this
    /// organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_set_key: Option<String>,
}

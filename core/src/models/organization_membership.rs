//! `OrganizationMembership`: a user's membership in an organization.

use crate::models::{Organization, OrganizationMembershipPublicUserData};

/// A user's membership in an organization.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct OrganizationMembership {
    /// Unique identifier of the membership.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub id: String,
    /// String representing the object's type. Objects of the same type share the same value.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub object: String,
    /// The key of the member's role (for example `org:admin`).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub role: String,
    /// The display name of the member's role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_name: Option<String>,
    /// The keys of the permissions the role grants.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub permissions: Vec<String>,
    /// Metadata saved on the organization membership, accessible from both Frontend and Backend
    /// APIs.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub public_metadata: serde_json::Map<String, serde_json::Value>,
    /// Metadata saved on the organization membership, accessible only from the Backend API.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub private_metadata: serde_json::Map<String, serde_json::Value>,
    /// The organization.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub organization: Organization,
    /// Public data of the member, when the response includes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_user_data: Option<OrganizationMembershipPublicUserData>,
    /// Unix timestamp of creation. Unix timestamp in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub created_at: i64,
    /// Unix timestamp of last update. Unix timestamp in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub updated_at: i64,
}

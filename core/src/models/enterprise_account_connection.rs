//! `EnterpriseAccountConnection`: the enterprise connection of an enterprise account.

/// The enterprise connection of an enterprise account.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct EnterpriseAccountConnection {
    /// Unique identifier of the enterprise connection.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub id: String,
    /// The authentication protocol of the connection (for example `saml` or `oauth`).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub protocol: String,
    /// The identity provider of the connection.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub provider: String,
    /// The name of the connection.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// The public URL of the connection's logo, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_public_url: Option<String>,
    /// The domain of the connection.
    ///
    /// **Deprecated** in the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// The domains of the connection.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub domains: Vec<String>,
    /// Whether the connection is active.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub active: bool,
    /// Whether user attributes are synced from the identity provider at each sign-in.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub sync_user_attributes: bool,
    /// Whether email addresses on subdomains of the connection's domains can use it.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub allow_subdomains: bool,
    /// Whether sign-ins initiated by the identity provider are allowed.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub allow_idp_initiated: bool,
    /// Whether users of the connection are prevented from adding other identifications.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub disable_additional_identifications: bool,
    /// Unix timestamp of creation. Unix timestamp in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub created_at: i64,
    /// Unix timestamp of last update. Unix timestamp in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub updated_at: i64,
}

//! `SAMLAccountConnection`: the SAML connection of a SAML account.

/// The SAML connection of a SAML account.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct SamlAccountConnection {
    /// Unique identifier of the SAML connection.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub id: String,
    /// The name of the connection.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
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
    /// The identity provider of the connection.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub provider: String,
    /// Whether user attributes are synced from the identity provider at each sign-in.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub sync_user_attributes: bool,
    /// Whether email addresses on subdomains of the connection's domains can use it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_subdomains: Option<bool>,
    /// Whether sign-ins initiated by the identity provider are allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_idp_initiated: Option<bool>,
    /// Whether users of the connection are prevented from adding other identifications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_additional_identifications: Option<bool>,
    /// Unix timestamp of creation. Unix timestamp in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub created_at: i64,
    /// Unix timestamp of last update. Unix timestamp in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub updated_at: i64,
}

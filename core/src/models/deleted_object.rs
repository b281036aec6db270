//! `DeletedObject`: the answer of delete operations.

/// The answer of a delete operation: which object was deleted.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct DeletedObject {
    /// String representing the type of the deleted object (for example `user`).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub object: String,
    /// The ID of the deleted object, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The slug of the deleted object, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// Whether the object was deleted.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub deleted: bool,
    /// The external ID of the deleted object, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

//! `TotalCount`: the answer of count operations.

/// A count of the objects matching a query.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct TotalCount {
    /// String representing the object's type (`total_count`).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub object: String,
    /// The number of matching objects.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub total_count: i64,
}

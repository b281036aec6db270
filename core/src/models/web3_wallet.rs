//! `Web3Wallet`: a Web3 wallet of a user.

use crate::models::{VerificationAdmin, VerificationWeb3};

/// A Web3 wallet of a user.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Web3Wallet {
    /// Unique identifier of the Web3 wallet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// String representing the object's type. Objects of the same type share the same value.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub object: String,
    /// The wallet address.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub web3_wallet: String,
    /// The verification of the wallet, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<Web3WalletVerification>,
    /// Unix timestamp of creation. Unix timestamp in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub created_at: i64,
    /// Unix timestamp of creation. Unix timestamp in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub updated_at: i64,
}

crate::tagged_union! {
    /// The `verification` field of [`Web3Wallet`], told apart by its `object` field.
    pub enum Web3WalletVerification (tag = "object") {
        /// [`VerificationWeb3`].
        Web3(VerificationWeb3) = "verification_web3",
        /// [`VerificationAdmin`].
        Admin(VerificationAdmin) = "verification_admin",
    }
}

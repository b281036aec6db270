//! Operations tagged `Users` that manage the user itself: list, count, create, read, update,
//! delete, ban, lock, metadata and profile image.

mod ban_user;
mod create_user;
mod delete_user;
mod delete_user_profile_image;
mod get_user;
mod get_user_list;
mod get_users_count;
mod lock_user;
mod replace_user_metadata;
mod set_user_profile_image;
mod unban_user;
mod unlock_user;
mod update_user;
mod update_user_metadata;
mod users_ban;
mod users_unban;

pub use ban_user::BanUser;
pub use create_user::{
    CreateUser, CreateUserEmailAddressIdentificationStatus,
    CreateUserPhoneNumberIdentificationStatus,
};
pub use delete_user::DeleteUser;
pub use delete_user_profile_image::DeleteUserProfileImage;
pub use get_user::GetUser;
pub use get_user_list::GetUserList;
pub use get_users_count::GetUsersCount;
pub use lock_user::LockUser;
pub use replace_user_metadata::ReplaceUserMetadata;
pub use set_user_profile_image::SetUserProfileImage;
pub use unban_user::UnbanUser;
pub use unlock_user::UnlockUser;
pub use update_user::UpdateUser;
pub use update_user_metadata::UpdateUserMetadata;
pub use users_ban::UsersBan;
pub use users_unban::UsersUnban;

/// The registry entries of the operations in this module, in spec order.
pub const OPERATIONS: &[crate::Operation] = &[
    <GetUserList as crate::Endpoint>::OPERATION,
    <CreateUser as crate::Endpoint>::OPERATION,
    <GetUsersCount as crate::Endpoint>::OPERATION,
    <GetUser as crate::Endpoint>::OPERATION,
    <UpdateUser as crate::Endpoint>::OPERATION,
    <DeleteUser as crate::Endpoint>::OPERATION,
    <BanUser as crate::Endpoint>::OPERATION,
    <UnbanUser as crate::Endpoint>::OPERATION,
    <UsersBan as crate::Endpoint>::OPERATION,
    <UsersUnban as crate::Endpoint>::OPERATION,
    <LockUser as crate::Endpoint>::OPERATION,
    <UnlockUser as crate::Endpoint>::OPERATION,
    <SetUserProfileImage as crate::Endpoint>::OPERATION,
    <DeleteUserProfileImage as crate::Endpoint>::OPERATION,
    <UpdateUserMetadata as crate::Endpoint>::OPERATION,
    <ReplaceUserMetadata as crate::Endpoint>::OPERATION,
];

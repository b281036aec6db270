//! `GET /users`: List all users.

use http::Method;

use crate::encode::Query;
use crate::endpoint::{Endpoint, Operation};
use crate::error::Error;
use crate::models::User;
use crate::pagination::{Page, Paginated};

/// `GET /users`: List all users.
///
/// Returns a list of all users.
/// The users are returned sorted by creation date, with the newest users appearing first.
///
/// To walk more than a few pages, paginate with `starting_after` rather than `offset`.
/// A cursor page costs the same no matter how far into the list it sits, while a large `offset`
/// has to walk and discard every row before it, so it gets progressively slower and eventually
/// times out. Cursor pagination requires the `created_at` ordering, which is the default.
///
/// [API reference](https://clerk.com/docs/reference/backend-api/tag/Users#operation/GetUserList)
#[derive(Debug, Clone, PartialEq, Default)]
#[must_use]
pub struct GetUserList {
    email_address: Vec<String>,
    phone_number: Vec<String>,
    external_id: Vec<String>,
    username: Vec<String>,
    web3_wallet: Vec<String>,
    user_id: Vec<String>,
    organization_id: Vec<String>,
    query: Option<String>,
    email_address_query: Option<String>,
    phone_number_query: Option<String>,
    username_query: Option<String>,
    name_query: Option<String>,
    banned: Option<bool>,
    last_active_at_before: Option<i64>,
    last_active_at_after: Option<i64>,
    last_active_at_since: Option<i64>,
    created_at_before: Option<i64>,
    created_at_after: Option<i64>,
    last_sign_in_at_before: Option<i64>,
    last_sign_in_at_after: Option<i64>,
    provider: Option<String>,
    provider_user_id: Vec<String>,
    limit: Option<i64>,
    offset: Option<i64>,
    starting_after: Option<String>,
    order_by: Option<String>,
}

impl GetUserList {
    /// The request with no filters set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Returns users with the specified email addresses.
    /// Accepts up to 100 email addresses.
    /// Any email addresses not found are ignored.
    pub fn email_address(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.email_address = values.into_iter().map(Into::into).collect();
        self
    }

    /// Returns users with the specified phone numbers.
    /// Accepts up to 100 phone numbers.
    /// Any phone numbers not found are ignored.
    pub fn phone_number(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.phone_number = values.into_iter().map(Into::into).collect();
        self
    }

    /// Returns users with the specified external IDs.
    /// For each external ID, the `+` and `-` can be
    /// prepended to the ID, which denote whether the
    /// respective external ID should be included or
    /// excluded from the result set.
    /// Accepts up to 100 external IDs.
    /// Any external IDs not found are ignored.
    pub fn external_id(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.external_id = values.into_iter().map(Into::into).collect();
        self
    }

    /// Returns users with the specified usernames.
    /// Accepts up to 100 usernames.
    /// Any usernames not found are ignored.
    pub fn username(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.username = values.into_iter().map(Into::into).collect();
        self
    }

    /// Returns users with the specified web3 wallet addresses.
    /// Accepts up to 100 web3 wallet addresses.
    /// Any web3 wallet addresses not found are ignored.
    pub fn web3_wallet(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.web3_wallet = values.into_iter().map(Into::into).collect();
        self
    }

    /// Returns users with the user IDs specified.
    /// For each user ID, the `+` and `-` can be
    /// prepended to the ID, which denote whether the
    /// respective user ID should be included or
    /// excluded from the result set.
    /// Accepts up to 100 user IDs.
    /// Any user IDs not found are ignored.
    pub fn user_id(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.user_id = values.into_iter().map(Into::into).collect();
        self
    }

    /// Returns users that have memberships to the
    /// given organizations.
    /// For each organization ID, the `+` and `-` can be
    /// prepended to the ID, which denote whether the
    /// respective organization should be included or
    /// excluded from the result set.
    /// Accepts up to 100 organization IDs.
    pub fn organization_id(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.organization_id = values.into_iter().map(Into::into).collect();
        self
    }

    /// Returns users that match the given query.
    /// For possible matches, we check the email addresses, phone numbers, usernames, web3 wallets, user IDs, first and last names.
    /// The query value doesn't need to match the exact value you are looking for, it is capable of partial matches as well.
    pub fn query(mut self, value: impl Into<String>) -> Self {
        self.query = Some(value.into());
        self
    }

    /// Returns users with emails that match the given query, via case-insensitive partial match.
    /// For example, `email_address_query=ello` will match a user with the email `HELLO@example.com`.
    pub fn email_address_query(mut self, value: impl Into<String>) -> Self {
        self.email_address_query = Some(value.into());
        self
    }

    /// Returns users with phone numbers that match the given query, via case-insensitive partial match.
    /// For example, `phone_number_query=555` will match a user with the phone number `+1555xxxxxxx`.
    pub fn phone_number_query(mut self, value: impl Into<String>) -> Self {
        self.phone_number_query = Some(value.into());
        self
    }

    /// Returns users with usernames that match the given query, via case-insensitive partial match.
    /// For example, `username_query=CoolUser` will match a user with the username `SomeCoolUser`.
    pub fn username_query(mut self, value: impl Into<String>) -> Self {
        self.username_query = Some(value.into());
        self
    }

    /// Returns users with names that match the given query, via case-insensitive partial match.
    pub fn name_query(mut self, value: impl Into<String>) -> Self {
        self.name_query = Some(value.into());
        self
    }

    /// Returns users which are either banned (`banned=true`) or not banned (`banned=false`).
    pub fn banned(mut self, value: bool) -> Self {
        self.banned = Some(value);
        self
    }

    /// Returns users whose last session activity was before the given date (with millisecond precision).
    /// Example: use 1700690400000 to retrieve users whose last session activity was before 2023-11-23.
    pub fn last_active_at_before(mut self, value: i64) -> Self {
        self.last_active_at_before = Some(value);
        self
    }

    /// Returns users whose last session activity was after the given date (with millisecond precision).
    /// Example: use 1700690400000 to retrieve users whose last session activity was after 2023-11-23.
    pub fn last_active_at_after(mut self, value: i64) -> Self {
        self.last_active_at_after = Some(value);
        self
    }

    /// Returns users that had session activity since the given date.
    /// Example: use 1700690400000 to retrieve users that had session activity from 2023-11-23 until the current day.
    /// Deprecated in favor of `last_active_at_after`.
    #[deprecated(note = "deprecated in the API; see the parameter docs")]
    pub fn last_active_at_since(mut self, value: i64) -> Self {
        self.last_active_at_since = Some(value);
        self
    }

    /// Returns users who have been created before the given date (with millisecond precision).
    /// Example: use 1730160000000 to retrieve users who have been created before 2024-10-29.
    pub fn created_at_before(mut self, value: i64) -> Self {
        self.created_at_before = Some(value);
        self
    }

    /// Returns users who have been created after the given date (with millisecond precision).
    /// Example: use 1730160000000 to retrieve users who have been created after 2024-10-29.
    pub fn created_at_after(mut self, value: i64) -> Self {
        self.created_at_after = Some(value);
        self
    }

    /// Returns users whose last sign-in was before the given date (with millisecond precision).
    /// Example: use 1700690400000 to retrieve users whose last sign-in was before 2023-11-23.
    pub fn last_sign_in_at_before(mut self, value: i64) -> Self {
        self.last_sign_in_at_before = Some(value);
        self
    }

    /// Returns users whose last sign-in was after the given date (with millisecond precision).
    /// Example: use 1700690400000 to retrieve users whose last sign-in was after 2023-11-23.
    pub fn last_sign_in_at_after(mut self, value: i64) -> Self {
        self.last_sign_in_at_after = Some(value);
        self
    }

    /// Returns users with external accounts for the specified OAuth provider.
    /// Must be used in combination with the `provider_user_id` parameter.
    /// For example, use `provider=oauth_google&provider_user_id=12345` to retrieve a user with Google provider user ID 12345.
    pub fn provider(mut self, value: impl Into<String>) -> Self {
        self.provider = Some(value.into());
        self
    }

    /// Returns users with the specified provider user IDs for a specific provider.
    /// Must be used in combination with the `provider` parameter.
    /// For example, use `provider=oauth_google&provider_user_id=12345` to retrieve a user with Google provider user ID 12345.
    /// Accepts up to 100 provider user IDs.
    /// Any provider user IDs not found are ignored.
    pub fn provider_user_id(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.provider_user_id = values.into_iter().map(Into::into).collect();
        self
    }

    /// Applies a limit to the number of results returned.
    /// Can be used for paginating the results together with `offset`.
    pub fn limit(mut self, value: i64) -> Self {
        self.limit = Some(value);
        self
    }

    /// Skip the first `offset` results when paginating.
    /// Needs to be an integer greater or equal to zero.
    /// To be used in conjunction with `limit`.
    pub fn offset(mut self, value: i64) -> Self {
        self.offset = Some(value);
        self
    }

    /// A cursor for pagination: the `id` of the last user on the previous page. Returns the users that follow it.
    ///
    /// **Requires ordering by `created_at`** — that is, `order_by` omitted, or set to `created_at`, `+created_at`
    /// or `-created_at`. Any other `order_by` value is rejected with a 422: the other orderings sort by a value
    /// that is neither unique per user nor immutable, so a cursor over them would skip or repeat users.
    ///
    /// Cannot be combined with a non-zero `offset`, which is also a 422. Keep every other parameter identical
    /// across requests, and stop when a page returns fewer than `limit` users.
    pub fn starting_after(mut self, value: impl Into<String>) -> Self {
        self.starting_after = Some(value.into());
        self
    }

    /// Allows to return users in a particular order.
    /// At the moment, you can order the returned users by their `created_at`,`updated_at`,`email_address`,`web3wallet`,`first_name`,`last_name`,`phone_number`,`username`,`last_active_at`,`last_sign_in_at`.
    /// In order to specify the direction, you can use the `+/-` symbols prepended in the property to order by.
    /// For example, if you want users to be returned in descending order according to their `created_at` property, you can use `-created_at`.
    /// If you don't use `+` or `-`, then `+` is implied. We only support one `order_by` parameter, and if multiple `order_by` parameters are provided, we will only keep the first one. For example,
    /// if you pass `order_by=username&order_by=created_at`, we will consider only the first `order_by` parameter, which is `username`. The `created_at` parameter will be ignored in this case.
    /// Only the `created_at` orderings can be combined with `starting_after` cursor pagination; see that parameter.
    pub fn order_by(mut self, value: impl Into<String>) -> Self {
        self.order_by = Some(value.into());
        self
    }
}

impl Endpoint for GetUserList {
    type Output = Vec<User>;

    const OPERATION: Operation =
        Operation::new("GetUserList", Method::GET, "/users", "Users", false);

    fn path(&self) -> Result<String, Error> {
        Ok("/users".to_owned())
    }

    fn query(&self, query: &mut Query) {
        query.push_each("email_address", &self.email_address);
        query.push_each("phone_number", &self.phone_number);
        query.push_each("external_id", &self.external_id);
        query.push_each("username", &self.username);
        query.push_each("web3_wallet", &self.web3_wallet);
        query.push_each("user_id", &self.user_id);
        query.push_each("organization_id", &self.organization_id);
        query.push_opt("query", self.query.as_ref());
        query.push_opt("email_address_query", self.email_address_query.as_ref());
        query.push_opt("phone_number_query", self.phone_number_query.as_ref());
        query.push_opt("username_query", self.username_query.as_ref());
        query.push_opt("name_query", self.name_query.as_ref());
        query.push_opt("banned", self.banned.as_ref());
        query.push_opt("last_active_at_before", self.last_active_at_before.as_ref());
        query.push_opt("last_active_at_after", self.last_active_at_after.as_ref());
        query.push_opt("last_active_at_since", self.last_active_at_since.as_ref());
        query.push_opt("created_at_before", self.created_at_before.as_ref());
        query.push_opt("created_at_after", self.created_at_after.as_ref());
        query.push_opt(
            "last_sign_in_at_before",
            self.last_sign_in_at_before.as_ref(),
        );
        query.push_opt("last_sign_in_at_after", self.last_sign_in_at_after.as_ref());
        query.push_opt("provider", self.provider.as_ref());
        query.push_each("provider_user_id", &self.provider_user_id);
        query.push_opt("limit", self.limit.as_ref());
        query.push_opt("offset", self.offset.as_ref());
        query.push_opt("starting_after", self.starting_after.as_ref());
        query.push_opt("order_by", self.order_by.as_ref());
    }

    fn parse(response: http::Response<Vec<u8>>) -> Result<Vec<User>, Error> {
        crate::response::parse_json(response)
    }
}

impl Paginated for GetUserList {
    type Item = User;

    fn into_page(output: Vec<User>) -> Page<User> {
        Page::new(output, None)
    }

    fn page_limit(&self) -> Option<i64> {
        self.limit
    }

    fn set_page_limit(&mut self, limit: i64) {
        self.limit = Some(limit);
    }

    fn page_offset(&self) -> Option<i64> {
        self.offset
    }

    fn set_page_offset(&mut self, offset: i64) {
        self.offset = Some(offset);
    }

    /// The cursor needs the `created_at` ordering (the default) and no non-zero offset.
    fn cursor_supported(&self) -> bool {
        let by_created_at = match self.order_by.as_deref() {
            None => true,
            Some(order) => order.trim_start_matches(['+', '-']) == "created_at",
        };
        by_created_at && self.offset.unwrap_or(0) == 0
    }

    fn item_cursor(item: &User) -> Option<&str> {
        Some(item.id.as_str()).filter(|id| !id.is_empty())
    }

    fn set_cursor(&mut self, cursor: &str) {
        self.starting_after = Some(cursor.to_owned());
    }
}

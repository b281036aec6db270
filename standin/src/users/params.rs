//! Query strings and request bodies: decoding, and the list filters and ordering of
//! `GET /v1/users` and `GET /v1/users/count`.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::error::ApiError;
use super::store::{Store, User};

/// Decodes `%XX` escapes; with `plus_is_space`, `+` is a space (form encoding, for queries).
/// Malformed escapes are kept as they are; invalid UTF-8 is replaced.
pub(crate) fn percent_decode(text: &str, plus_is_space: bool) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |at: usize| bytes.get(at).and_then(|h| char::from(*h).to_digit(16));
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push(u8::try_from(high * 16 + low).unwrap_or(b'?'));
                i += 3;
            }
            (b'+', _, _) if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// A decoded query string: its `key=value` pairs in order.
#[derive(Debug, Default)]
pub(crate) struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    pub(crate) fn parse(query: Option<&str>) -> Self {
        let pairs = query
            .unwrap_or("")
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                let decode = |s| String::from_utf8_lossy(&percent_decode(s, true)).into_owned();
                (decode(key), decode(value))
            })
            .collect();
        Self { pairs }
    }

    /// Every value of `key`, in order.
    pub(crate) fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `key`.
    pub(crate) fn first(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn list(&self, key: &str) -> Vec<String> {
        self.all(key)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect()
    }

    fn lowered(&self, key: &str) -> Option<String> {
        self.first(key)
            .filter(|v| !v.is_empty())
            .map(str::to_lowercase)
    }

    fn integer(&self, key: &str) -> Result<Option<i64>, ApiError> {
        match self.first(key) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| ApiError::format_invalid(key, "an integer")),
        }
    }

    fn boolean(&self, key: &str) -> Result<Option<bool>, ApiError> {
        // The values Go's strconv.ParseBool accepts.
        match self.first(key) {
            None => Ok(None),
            Some("1" | "t" | "T" | "true" | "TRUE" | "True") => Ok(Some(true)),
            Some("0" | "f" | "F" | "false" | "FALSE" | "False") => Ok(Some(false)),
            Some(_) => Err(ApiError::format_invalid(key, "true or false")),
        }
    }
}

/// A list of ids where each can be prefixed with `+` (include, the default) or `-` (exclude).
#[derive(Debug, Default)]
struct IncludeExclude {
    include: Vec<String>,
    exclude: Vec<String>,
}

impl IncludeExclude {
    fn from_values(values: Vec<String>) -> Self {
        let mut this = Self::default();
        for value in values {
            if let Some(rest) = value.strip_prefix('-') {
                this.exclude.push(rest.to_string());
            } else {
                let rest = value.strip_prefix('+').unwrap_or(&value);
                this.include.push(rest.to_string());
            }
        }
        this
    }

    /// Whether a user with these values passes.
    fn admits<'a>(&self, mut values: impl Iterator<Item = &'a str> + Clone) -> bool {
        let included =
            self.include.is_empty() || values.clone().any(|v| self.include.iter().any(|i| i == v));
        included && !values.any(|v| self.exclude.iter().any(|e| e == v))
    }
}

/// The filters shared by `GET /users` and `GET /users/count`.
#[derive(Debug, Default)]
pub(crate) struct Filters {
    email_address: Vec<String>,
    phone_number: Vec<String>,
    web3_wallet: Vec<String>,
    username: Vec<String>,
    external_id: IncludeExclude,
    user_id: IncludeExclude,
    organization_id: IncludeExclude,
    provider_user_id: Vec<String>,
    query: Option<String>,
    email_address_query: Option<String>,
    phone_number_query: Option<String>,
    username_query: Option<String>,
    name_query: Option<String>,
    banned: Option<bool>,
    created_at_before: Option<i64>,
    created_at_after: Option<i64>,
    last_active_at_before: Option<i64>,
    last_active_at_after: Option<i64>,
    last_sign_in_at_before: Option<i64>,
    last_sign_in_at_after: Option<i64>,
}

fn contains_ci(haystack: &str, needle_lowercase: &str) -> bool {
    haystack.to_lowercase().contains(needle_lowercase)
}

impl Filters {
    pub(crate) fn from_query(query: &Query) -> Result<Self, ApiError> {
        let last_active_at_after = match query.integer("last_active_at_after")? {
            Some(v) => Some(v),
            None => query.integer("last_active_at_since")?,
        };
        Ok(Self {
            email_address: query.list("email_address"),
            phone_number: query.list("phone_number"),
            web3_wallet: query.list("web3_wallet"),
            username: query.list("username"),
            external_id: IncludeExclude::from_values(query.list("external_id")),
            user_id: IncludeExclude::from_values(query.list("user_id")),
            organization_id: IncludeExclude::from_values(query.list("organization_id")),
            provider_user_id: query.list("provider_user_id"),
            query: query.lowered("query"),
            email_address_query: query.lowered("email_address_query"),
            phone_number_query: query.lowered("phone_number_query"),
            username_query: query.lowered("username_query"),
            name_query: query.lowered("name_query"),
            banned: query.boolean("banned")?,
            created_at_before: query.integer("created_at_before")?,
            created_at_after: query.integer("created_at_after")?,
            last_active_at_before: query.integer("last_active_at_before")?,
            last_active_at_after,
            last_sign_in_at_before: query.integer("last_sign_in_at_before")?,
            last_sign_in_at_after: query.integer("last_sign_in_at_after")?,
        })
    }

    /// Whether `user` passes every filter (different filters combine with AND, the values of
    /// one filter with OR).
    pub(crate) fn matches(&self, user: &User) -> bool {
        let emails = || user.email_addresses.iter().map(|e| e.value.as_str());
        let phones = || user.phone_numbers.iter().map(|p| p.value.as_str());
        let wallets = || user.web3_wallets.iter().map(|w| w.value.as_str());
        let any_of = |wanted: &[String], mut have: Box<dyn Iterator<Item = &str> + '_>| {
            wanted.is_empty() || have.any(|h| wanted.iter().any(|w| w.eq_ignore_ascii_case(h)))
        };
        if !any_of(&self.email_address, Box::new(emails()))
            || !any_of(&self.phone_number, Box::new(phones()))
            || !any_of(&self.web3_wallet, Box::new(wallets()))
            || !any_of(
                &self.username,
                Box::new(user.username.iter().map(String::as_str)),
            )
        {
            return false;
        }
        if !self.user_id.admits(std::iter::once(user.id.as_str()))
            || !self.external_id.admits(user.external_id.iter().map(String::as_str))
            // The stand-in has no organizations: no user is a member of any.
            || !self.organization_id.admits(std::iter::empty())
            // ... nor external accounts.
            || !self.provider_user_id.is_empty()
        {
            return false;
        }
        if self.banned.is_some_and(|banned| banned != user.banned) {
            return false;
        }
        let full_name = user.full_name();
        let names = [
            user.first_name.as_deref(),
            user.last_name.as_deref(),
            Some(full_name.as_str()),
        ];
        if let Some(q) = &self.query {
            let found = emails().any(|v| contains_ci(v, q))
                || phones().any(|v| contains_ci(v, q))
                || wallets().any(|v| contains_ci(v, q))
                || user.username.as_deref().is_some_and(|v| contains_ci(v, q))
                || contains_ci(&user.id, q)
                || names.iter().flatten().any(|v| contains_ci(v, q));
            if !found {
                return false;
            }
        }
        let partial = |wanted: &Option<String>, mut have: Box<dyn Iterator<Item = &str> + '_>| {
            wanted
                .as_deref()
                .is_none_or(|q| have.any(|v| contains_ci(v, q)))
        };
        if !partial(&self.email_address_query, Box::new(emails()))
            || !partial(&self.phone_number_query, Box::new(phones()))
            || !partial(
                &self.username_query,
                Box::new(user.username.iter().map(String::as_str)),
            )
            || !partial(&self.name_query, Box::new(names.into_iter().flatten()))
        {
            return false;
        }
        let before = |limit: Option<i64>, value: Option<i64>| {
            limit.is_none_or(|l| value.is_some_and(|v| v < l))
        };
        let after = |limit: Option<i64>, value: Option<i64>| {
            limit.is_none_or(|l| value.is_some_and(|v| v > l))
        };
        // The stand-in records no sessions: last_active_at and last_sign_in_at are null.
        before(self.created_at_before, Some(user.created_at))
            && after(self.created_at_after, Some(user.created_at))
            && before(self.last_active_at_before, None)
            && after(self.last_active_at_after, None)
            && before(self.last_sign_in_at_before, None)
            && after(self.last_sign_in_at_after, None)
    }
}

/// The fields `order_by` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OrderField {
    CreatedAt,
    UpdatedAt,
    EmailAddress,
    Web3Wallet,
    FirstName,
    LastName,
    PhoneNumber,
    Username,
    LastActiveAt,
    LastSignInAt,
}

/// `limit`, `offset`, `starting_after` and `order_by` of `GET /users`.
#[derive(Debug)]
pub(crate) struct ListParams {
    limit: usize,
    offset: usize,
    starting_after: Option<String>,
    field: OrderField,
    descending: bool,
}

/// Most users one page may hold.
pub(crate) const MAX_LIMIT: i64 = 500;

/// Page size when `limit` is not given.
pub(crate) const DEFAULT_LIMIT: i64 = 10;

impl ListParams {
    pub(crate) fn from_query(query: &Query) -> Result<Self, ApiError> {
        let limit = query.integer("limit")?.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::value_invalid(
                "limit",
                format!("limit must be between 1 and {MAX_LIMIT}"),
            ));
        }
        let offset = query.integer("offset")?.unwrap_or(0);
        if offset < 0 {
            return Err(ApiError::value_invalid(
                "offset",
                "offset must be greater than or equal to 0",
            ));
        }
        let order_by = query.first("order_by").unwrap_or("-created_at");
        let (descending, name) = match order_by.strip_prefix('-') {
            Some(name) => (true, name),
            // A `+` arrives as a space when it was not percent-encoded.
            None => (
                false,
                order_by
                    .strip_prefix('+')
                    .or_else(|| order_by.strip_prefix(' '))
                    .unwrap_or(order_by),
            ),
        };
        let field = match name {
            "created_at" => OrderField::CreatedAt,
            "updated_at" => OrderField::UpdatedAt,
            "email_address" => OrderField::EmailAddress,
            "web3wallet" => OrderField::Web3Wallet,
            "first_name" => OrderField::FirstName,
            "last_name" => OrderField::LastName,
            "phone_number" => OrderField::PhoneNumber,
            "username" => OrderField::Username,
            "last_active_at" => OrderField::LastActiveAt,
            "last_sign_in_at" => OrderField::LastSignInAt,
            _ => {
                return Err(ApiError::value_invalid(
                    "order_by",
                    format!("order_by {order_by:?} is not supported"),
                ));
            }
        };
        let starting_after = query
            .first("starting_after")
            .filter(|v| !v.is_empty())
            .map(str::to_string);
        if starting_after.is_some() {
            if offset != 0 {
                return Err(ApiError::value_invalid(
                    "starting_after",
                    "starting_after cannot be combined with a non-zero offset",
                ));
            }
            if field != OrderField::CreatedAt {
                return Err(ApiError::value_invalid(
                    "starting_after",
                    "starting_after requires ordering by created_at",
                ));
            }
        }
        Ok(Self {
            limit: usize::try_from(limit).unwrap_or(usize::MAX),
            offset: usize::try_from(offset).unwrap_or(usize::MAX),
            starting_after,
            field,
            descending,
        })
    }

    fn compare(&self, a: &User, b: &User) -> Ordering {
        fn text(value: Option<&str>) -> Option<String> {
            value.map(str::to_lowercase)
        }
        let by_field = match self.field {
            OrderField::CreatedAt | OrderField::LastActiveAt | OrderField::LastSignInAt => {
                Ordering::Equal
            }
            OrderField::UpdatedAt => a.updated_at.cmp(&b.updated_at),
            OrderField::EmailAddress => text(a.primary_email()).cmp(&text(b.primary_email())),
            OrderField::Web3Wallet => text(a.primary_wallet()).cmp(&text(b.primary_wallet())),
            OrderField::FirstName => {
                text(a.first_name.as_deref()).cmp(&text(b.first_name.as_deref()))
            }
            OrderField::LastName => text(a.last_name.as_deref()).cmp(&text(b.last_name.as_deref())),
            OrderField::PhoneNumber => a.primary_phone().cmp(&b.primary_phone()),
            OrderField::Username => text(a.username.as_deref()).cmp(&text(b.username.as_deref())),
        };
        let ordering = by_field
            .then(a.created_at.cmp(&b.created_at))
            .then_with(|| a.id.cmp(&b.id));
        if self.descending {
            ordering.reverse()
        } else {
            ordering
        }
    }

    /// The page of users matching `filters`.
    pub(crate) fn page<'a>(
        &self,
        store: &'a Store,
        filters: &Filters,
    ) -> Result<Vec<&'a User>, ApiError> {
        let mut users: Vec<&User> = store.users.iter().filter(|u| filters.matches(u)).collect();
        users.sort_by(|a, b| self.compare(a, b));
        let skip = match &self.starting_after {
            None => self.offset,
            Some(cursor) => {
                let key = match store.get(cursor) {
                    Some(user) => (user.created_at, user.id.as_str()),
                    None => match store.deleted.get(cursor) {
                        Some(created_at) => (*created_at, cursor.as_str()),
                        None => {
                            return Err(ApiError::value_invalid(
                                "starting_after",
                                format!("starting_after {cursor:?} is not the id of a user"),
                            ));
                        }
                    },
                };
                // Users sort by (created_at, id), so the cursor's place is a partition point.
                users.partition_point(|u| {
                    let ordering = (u.created_at, u.id.as_str()).cmp(&key);
                    if self.descending {
                        ordering == Ordering::Greater || ordering == Ordering::Equal
                    } else {
                        ordering == Ordering::Less || ordering == Ordering::Equal
                    }
                })
            }
        };
        Ok(users.into_iter().skip(skip).take(self.limit).collect())
    }
}

/// A field of a JSON body, telling "absent" from "null".
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Field<T> {
    Absent,
    Null,
    Value(T),
}

impl<T> Field<T> {
    /// `Absent` and `Null` both read as `None`.
    pub(crate) fn into_option(self) -> Option<T> {
        match self {
            Field::Value(v) => Some(v),
            Field::Absent | Field::Null => None,
        }
    }
}

/// Typed access to the members of a JSON object body.
pub(crate) struct Body(pub(crate) Map<String, Value>);

impl Body {
    /// Parses a JSON object body; an empty body reads as `{}`.
    pub(crate) fn parse(bytes: &[u8]) -> Result<Self, ApiError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(Map::new()));
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => Ok(Self(map)),
            Ok(_) => Err(ApiError::body_invalid("expected a JSON object")),
            Err(e) => Err(ApiError::body_invalid(e)),
        }
    }

    fn field<T>(
        &self,
        key: &str,
        expected: &str,
        read: impl FnOnce(&Value) -> Option<T>,
    ) -> Result<Field<T>, ApiError> {
        match self.0.get(key) {
            None => Ok(Field::Absent),
            Some(Value::Null) => Ok(Field::Null),
            Some(value) => read(value)
                .map(Field::Value)
                .ok_or_else(|| ApiError::format_invalid(key, expected)),
        }
    }

    pub(crate) fn string(&self, key: &str) -> Result<Field<String>, ApiError> {
        self.field(key, "a string", |v| v.as_str().map(str::to_string))
    }

    pub(crate) fn boolean(&self, key: &str) -> Result<Field<bool>, ApiError> {
        self.field(key, "a boolean", Value::as_bool)
    }

    pub(crate) fn integer(&self, key: &str) -> Result<Field<i64>, ApiError> {
        self.field(key, "an integer", Value::as_i64)
    }

    pub(crate) fn object(&self, key: &str) -> Result<Field<Map<String, Value>>, ApiError> {
        self.field(key, "an object", |v| v.as_object().cloned())
    }

    /// An array of strings; absent and `null` read as empty.
    pub(crate) fn strings(&self, key: &str) -> Result<Vec<String>, ApiError> {
        let field = self.field(key, "an array of strings", |v| {
            v.as_array()?
                .iter()
                .map(|item| item.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        })?;
        Ok(field.into_option().unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("a%2Fb+c%zz%4", true), b"a/b c%zz%4");
        assert_eq!(percent_decode("a+b%2B", false), b"a+b+");
        let query = Query::parse(Some(
            "email_address=a%40b.c&email_address=d&limit=5&flag&=x",
        ));
        assert_eq!(
            query.all("email_address").collect::<Vec<_>>(),
            ["a@b.c", "d"]
        );
        assert_eq!(query.first("limit"), Some("5"));
        assert_eq!(query.first("flag"), Some(""));
        assert_eq!(query.first("missing"), None);
    }

    #[test]
    fn list_params_validation() {
        let parse = |q: &str| ListParams::from_query(&Query::parse(Some(q)));
        assert!(parse("").is_ok());
        assert!(parse("limit=500&order_by=%2Bcreated_at").is_ok());
        assert!(parse("order_by=+created_at&starting_after=user_1").is_ok());
        assert_eq!(
            parse("limit=0").unwrap_err().code,
            "form_param_value_invalid"
        );
        assert_eq!(
            parse("limit=501").unwrap_err().code,
            "form_param_value_invalid"
        );
        assert_eq!(
            parse("limit=x").unwrap_err().code,
            "form_param_format_invalid"
        );
        assert_eq!(
            parse("offset=-1").unwrap_err().code,
            "form_param_value_invalid"
        );
        assert_eq!(
            parse("order_by=shoe_size").unwrap_err().code,
            "form_param_value_invalid"
        );
        let err = parse("starting_after=user_1&offset=2").unwrap_err();
        assert_eq!(
            (err.status.as_u16(), err.param_name.as_deref()),
            (422, Some("starting_after"))
        );
        assert!(parse("starting_after=user_1&order_by=username").is_err());
        assert!(parse("starting_after=user_1&offset=0").is_ok());
    }

    #[test]
    fn body_fields() {
        let body = Body::parse(br#"{"a":"x","b":null,"c":1,"d":["p","q"],"e":[1]}"#).unwrap();
        assert_eq!(body.string("a").unwrap(), Field::Value("x".to_string()));
        assert_eq!(body.string("b").unwrap(), Field::Null);
        assert_eq!(body.string("z").unwrap(), Field::Absent);
        assert_eq!(
            body.string("c").unwrap_err().code,
            "form_param_format_invalid"
        );
        assert_eq!(body.strings("d").unwrap(), ["p", "q"]);
        assert!(body.strings("e").is_err());
        assert!(Body::parse(b"").unwrap().0.is_empty());
        assert_eq!(Body::parse(b"[1]").err().unwrap().status.as_u16(), 400);
        assert_eq!(Body::parse(b"{").err().unwrap().status.as_u16(), 400);
    }
}

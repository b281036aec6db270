//! Pagination as a pure state machine: the next request to send, the items of each response,
//! and when the list is exhausted. Transports wrap it as an `Iterator` or a `Stream`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::SeqAccessDeserializer;
use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::endpoint::Endpoint;
use crate::error::Error;

/// Page size the pager asks for when the operation's `limit` was not set.
pub const DEFAULT_PAGE_SIZE: i64 = 100;

/// One page of a list: its items and, when the API reports it, the total across all pages.
///
/// It is also the output of every list operation that takes a `paginated` query parameter
/// (`ListInvitations`, `GetSessionList`, `GetCommercePlanList`, … all of them, found by the
/// generator). Such an operation answers a bare JSON array, or `{"data": [...],
/// "total_count": N}` when `paginated=true` is sent (the billing lists answer the object by
/// default); a `Page` reads either shape. The items are in [`Page::items`] (and the page
/// dereferences to a slice of them, so `page.len()`, `page[0]`, `page.iter()` and `for item in
/// &page` work as on a `Vec`); [`Page::total_count`] is `Some` only when the answer carried one.
///
/// Decoding keeps the resilience rules of the models: members other than `data` and
/// `total_count` are ignored, a missing or `null` `data` is an empty page, a missing or `null`
/// `total_count` is `None`. Serializing writes the shape that was read: the object when the
/// total is known, else the bare array.
///
/// ```
/// use clerk_backend_core::{Endpoint, invitations::ListInvitations};
///
/// let response = http::Response::builder()
///     .status(200)
///     .body(br#"{"data":[{"object":"invitation","id":"inv_1"}],"total_count":12}"#.to_vec())?;
/// let page = ListInvitations::parse(response)?;
/// assert_eq!((page.len(), page[0].id.as_str(), page.total_count), (1, "inv_1", Some(12)));
///
/// let response = http::Response::builder()
///     .status(200)
///     .body(br#"[{"object":"invitation","id":"inv_1"}]"#.to_vec())?;
/// let page = ListInvitations::parse(response)?;
/// assert_eq!((page.len(), page.total_count), (1, None));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The total number of items in the whole list, for `{data, total_count}` responses.
    pub total_count: Option<i64>,
}

impl<T> Page<T> {
    /// A page of items, with the total count when known.
    pub fn new(items: Vec<T>, total_count: Option<i64>) -> Self {
        Self { items, total_count }
    }

    /// The items, without the total.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }
}

impl<T> Default for Page<T> {
    /// An empty page with no total.
    fn default() -> Self {
        Self::new(Vec::new(), None)
    }
}

impl<T> std::ops::Deref for Page<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.items
    }
}

impl<T> From<Page<T>> for Vec<T> {
    fn from(page: Page<T>) -> Self {
        page.items
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Page<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PageVisitor(PhantomData))
    }
}

struct PageVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for PageVisitor<T> {
    type Value = Page<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list: a JSON array, or an object with `data` and `total_count`")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Page<T>, A::Error> {
        let items = Vec::<T>::deserialize(SeqAccessDeserializer::new(seq))?;
        Ok(Page::new(items, None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Page<T>, A::Error> {
        let mut page = Page::default();
        while let Some(key) = map.next_key::<crate::de::Key<'de>>()? {
            match &*key.0 {
                "data" => page.items = map.next_value::<Option<Vec<T>>>()?.unwrap_or_default(),
                "total_count" => page.total_count = map.next_value::<Option<i64>>()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(page)
    }
}

impl<T: Serialize> Serialize for Page<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.total_count {
            None => self.items.serialize(s),
            Some(total) => {
                let mut object = s.serialize_struct("Page", 2)?;
                object.serialize_field("data", &self.items)?;
                object.serialize_field("total_count", &total)?;
                object.end()
            }
        }
    }
}

/// A list operation that can be walked page by page with `limit`/`offset` (and, for some, a
/// `starting_after` cursor).
pub trait Paginated: Endpoint {
    /// The type of one list element.
    type Item;

    /// Splits the operation's output into items and total count.
    fn into_page(output: Self::Output) -> Page<Self::Item>;

    /// The `limit` set on this request, if any.
    fn page_limit(&self) -> Option<i64>;

    /// Sets `limit`.
    fn set_page_limit(&mut self, limit: i64);

    /// The `offset` set on this request, if any.
    fn page_offset(&self) -> Option<i64>;

    /// Sets `offset`.
    fn set_page_offset(&mut self, offset: i64);

    /// Whether this request can be continued with a `starting_after` cursor (which stays fast
    /// deep into a list where `offset` slows down). `false` unless the operation says so.
    fn cursor_supported(&self) -> bool {
        false
    }

    /// The cursor value that continues the list after `item`.
    fn item_cursor(_item: &Self::Item) -> Option<&str> {
        None
    }

    /// Sets the `starting_after` cursor.
    fn set_cursor(&mut self, _cursor: &str) {}
}

/// Walks a list operation page after page, holding one request and no items.
///
/// ```
/// use clerk_backend_core::{Config, Endpoint, Pager, users::GetUserList};
///
/// let config = Config::new("sk_test_123")?;
/// let mut pager = Pager::new(GetUserList::new().limit(2));
/// let request = pager.next_request().expect("first page").to_http(&config)?;
/// assert!(request.uri().query().unwrap_or("").contains("limit=2"));
/// let response = http::Response::builder().status(200).body(b"[]".to_vec())?;
/// let users = pager.on_response(response)?;
/// assert!(users.is_empty() && pager.is_done());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Pager<E> {
    next: Option<E>,
    page_size: i64,
    start_offset: i64,
    fetched: i64,
    use_cursor: bool,
}

impl<E: Paginated> Pager<E> {
    /// Starts at the request's own `offset` (or 0), with its `limit` as the page size
    /// ([`DEFAULT_PAGE_SIZE`] when unset). Uses the cursor when the operation supports it and
    /// no offset was set.
    pub fn new(mut endpoint: E) -> Self {
        let page_size = endpoint
            .page_limit()
            .filter(|l| *l > 0)
            .unwrap_or(DEFAULT_PAGE_SIZE);
        endpoint.set_page_limit(page_size);
        let start_offset = endpoint.page_offset().unwrap_or(0).max(0);
        let use_cursor = endpoint.cursor_supported() && start_offset == 0;
        Self {
            next: Some(endpoint),
            page_size,
            start_offset,
            fetched: 0,
            use_cursor,
        }
    }

    /// The request for the next page, or `None` when the list is exhausted.
    pub fn next_request(&self) -> Option<&E> {
        self.next.as_ref()
    }

    /// Whether the list is exhausted.
    pub fn is_done(&self) -> bool {
        self.next.is_none()
    }

    /// How many items the pager has handed out so far.
    pub fn fetched(&self) -> i64 {
        self.fetched
    }

    /// Decodes the response to [`Pager::next_request`] and advances.
    ///
    /// On error the pager does not move, so the same request can be sent again.
    ///
    /// # Errors
    /// As [`Endpoint::parse`].
    pub fn on_response(
        &mut self,
        response: http::Response<Vec<u8>>,
    ) -> Result<Vec<E::Item>, Error> {
        let output = E::parse(response)?;
        Ok(self.on_output(output))
    }

    /// Advances with an already-decoded output; returns its items.
    pub fn on_output(&mut self, output: E::Output) -> Vec<E::Item> {
        let page = E::into_page(output);
        let Some(mut endpoint) = self.next.take() else {
            return page.items;
        };
        let count = i64::try_from(page.items.len()).unwrap_or(i64::MAX);
        self.fetched = self.fetched.saturating_add(count);
        let reached_total = page
            .total_count
            .is_some_and(|total| self.start_offset.saturating_add(self.fetched) >= total);
        if count == 0 || count < self.page_size || reached_total {
            return page.items;
        }
        let cursor = if self.use_cursor {
            page.items
                .last()
                .and_then(E::item_cursor)
                .map(str::to_owned)
        } else {
            None
        };
        match cursor {
            Some(cursor) => endpoint.set_cursor(&cursor),
            None => endpoint.set_page_offset(self.start_offset.saturating_add(self.fetched)),
        }
        self.next = Some(endpoint);
        page.items
    }
}

#[cfg(test)]
#[cfg(all(feature = "invitations", feature = "billing"))]
mod tests {
    use super::*;
    use crate::billing::GetCommercePlanList;
    use crate::invitations::ListInvitations;

    fn ok(body: &str) -> http::Response<Vec<u8>> {
        http::Response::builder()
            .status(200)
            .body(body.as_bytes().to_vec())
            .expect("response")
    }

    fn page<E: Paginated>(body: &str) -> Result<Page<E::Item>, Error> {
        E::parse(ok(body)).map(E::into_page)
    }

    const TWO: &str =
        r#"[{"object":"invitation","id":"inv_1"},{"object":"invitation","id":"inv_2"}]"#;

    #[test]
    fn a_list_with_a_paginated_parameter_reads_both_shapes() {
        let bare = page::<ListInvitations>(TWO).expect("bare array");
        assert_eq!(bare.items.len(), 2);
        assert_eq!(bare.total_count, None);

        let wrapped = page::<ListInvitations>(&format!(r#"{{"data":{TWO},"total_count":7}}"#))
            .expect("{data, total_count}");
        assert_eq!(wrapped.items.len(), 2);
        assert_eq!(wrapped.items[1].id, "inv_2");
        assert_eq!(wrapped.total_count, Some(7));

        // The resilience rules of the models hold for the wrapper too.
        let sparse = page::<ListInvitations>(r#"{"data":null,"object":"list","extra":1}"#)
            .expect("null data, no total, unknown members");
        assert!(sparse.items.is_empty());
        assert_eq!(sparse.total_count, None);

        // An operation the spec describes with the wrapped shape reads a bare array too.
        let plans = page::<GetCommercePlanList>(r#"[{"id":"cplan_1"}]"#).expect("bare plans");
        assert_eq!((plans.items.len(), plans.total_count), (1, None));
        let plans = page::<GetCommercePlanList>(r#"{"data":[{"id":"cplan_1"}],"total_count":1}"#)
            .expect("wrapped plans");
        assert_eq!((plans.items.len(), plans.total_count), (1, Some(1)));
    }

    #[test]
    fn the_pager_stops_at_the_reported_total() {
        let mut pager = Pager::new(ListInvitations::new().paginated(true).limit(2));
        let items = pager
            .on_response(ok(&format!(r#"{{"data":{TWO},"total_count":2}}"#)))
            .expect("page");
        assert_eq!(items.len(), 2);
        assert!(
            pager.is_done(),
            "a full page that reaches the total ends the list"
        );

        let mut pager = Pager::new(ListInvitations::new().paginated(true).limit(2));
        pager
            .on_response(ok(&format!(r#"{{"data":{TWO},"total_count":3}}"#)))
            .expect("page");
        let next = pager.next_request().expect("one more page");
        assert_eq!(next.page_offset(), Some(2));

        // Without the total, a full page asks for the next one.
        let mut pager = Pager::new(ListInvitations::new().limit(2));
        pager.on_response(ok(TWO)).expect("page");
        assert!(!pager.is_done());
    }
}

#[cfg(test)]
mod pager_tests {
    use super::*;
    use crate::config::Config;
    use crate::endpoint::Operation;

    /// A list operation of strings, written by hand (no API group needed).
    #[derive(Debug, Default)]
    struct Names {
        limit: Option<i64>,
        offset: Option<i64>,
        starting_after: Option<String>,
        cursor: bool,
    }

    impl Endpoint for Names {
        type Output = Page<String>;
        const OPERATION: Operation =
            Operation::new("ListNames", http::Method::GET, "/names", "Names", false);

        fn encode_path(&self) -> Result<String, Error> {
            Ok("/names".to_owned())
        }

        fn parse(response: http::Response<Vec<u8>>) -> Result<Page<String>, Error> {
            crate::parse_json(response)
        }
    }

    impl Paginated for Names {
        type Item = String;

        fn into_page(output: Page<String>) -> Page<String> {
            output
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
        fn cursor_supported(&self) -> bool {
            self.cursor
        }
        fn item_cursor(item: &String) -> Option<&str> {
            Some(item.as_str())
        }
        fn set_cursor(&mut self, cursor: &str) {
            self.starting_after = Some(cursor.to_owned());
        }
    }

    fn ok(body: &str) -> http::Response<Vec<u8>> {
        let mut response = http::Response::new(body.as_bytes().to_vec());
        *response.status_mut() = http::StatusCode::OK;
        response
    }

    fn names(range: std::ops::Range<u32>) -> String {
        let items: Vec<String> = range.map(|i| format!("\"n{i}\"")).collect();
        format!("[{}]", items.join(","))
    }

    /// (limit, offset, starting_after) of the next request, `None` when done.
    fn next(pager: &Pager<Names>) -> Option<(Option<i64>, Option<i64>, Option<String>)> {
        pager
            .next_request()
            .map(|e| (e.limit, e.offset, e.starting_after.clone()))
    }

    #[test]
    fn offset_paging_asks_for_the_next_offset_until_a_short_page() {
        let mut pager = Pager::new(Names::default().with_limit(2));
        assert_eq!(next(&pager), Some((Some(2), None, None)));
        assert_eq!(
            pager.on_response(ok(&names(0..2))).expect("page"),
            ["n0", "n1"]
        );
        assert_eq!(next(&pager), Some((Some(2), Some(2), None)));
        pager.on_response(ok(&names(2..4))).expect("page");
        assert_eq!(next(&pager), Some((Some(2), Some(4), None)));
        // A short page is the last one.
        assert_eq!(pager.on_response(ok(&names(4..5))).expect("page"), ["n4"]);
        assert!(pager.is_done());
        assert_eq!(pager.fetched(), 5);
    }

    #[test]
    fn an_empty_page_ends_the_list_and_no_limit_means_the_default_size() {
        let mut pager = Pager::new(Names::default());
        assert_eq!(next(&pager), Some((Some(DEFAULT_PAGE_SIZE), None, None)));
        assert!(pager.on_response(ok("[]")).expect("page").is_empty());
        assert!(pager.is_done());
        assert_eq!(pager.fetched(), 0);
    }

    #[test]
    fn a_total_count_ends_the_list_counting_from_the_start_offset() {
        let mut pager = Pager::new(Names::default().with_limit(2).with_offset(3));
        let body = format!(r#"{{"data":{},"total_count":5}}"#, names(3..5));
        pager.on_response(ok(&body)).expect("page");
        assert!(
            pager.is_done(),
            "offset 3 + 2 fetched reaches the total of 5"
        );

        let mut pager = Pager::new(Names::default().with_limit(2).with_offset(3));
        let body = format!(r#"{{"data":{},"total_count":6}}"#, names(3..5));
        pager.on_response(ok(&body)).expect("page");
        assert_eq!(next(&pager), Some((Some(2), Some(5), None)));
    }

    #[test]
    fn cursor_paging_continues_after_the_last_item() {
        let mut pager = Pager::new(
            Names {
                cursor: true,
                ..Names::default()
            }
            .with_limit(2),
        );
        pager.on_response(ok(&names(0..2))).expect("page");
        assert_eq!(next(&pager), Some((Some(2), None, Some("n1".to_owned()))));
        pager.on_response(ok(&names(2..4))).expect("page");
        assert_eq!(next(&pager), Some((Some(2), None, Some("n3".to_owned()))));
    }

    #[test]
    fn a_start_offset_disables_the_cursor() {
        let mut pager = Pager::new(
            Names {
                cursor: true,
                ..Names::default()
            }
            .with_limit(2)
            .with_offset(4),
        );
        pager.on_response(ok(&names(4..6))).expect("page");
        assert_eq!(next(&pager), Some((Some(2), Some(6), None)));
    }

    #[test]
    fn a_failed_page_leaves_the_pager_where_it_was() {
        let mut pager = Pager::new(Names::default().with_limit(2));
        pager.on_response(ok(&names(0..2))).expect("page");
        let mut unavailable = ok(r#"{"errors":[]}"#);
        *unavailable.status_mut() = http::StatusCode::SERVICE_UNAVAILABLE;
        assert!(matches!(pager.on_response(unavailable), Err(Error::Api(_))));
        assert!(matches!(
            pager.on_response(ok("{not json")),
            Err(Error::Decode(_))
        ));
        assert_eq!(
            next(&pager),
            Some((Some(2), Some(2), None)),
            "the same page again"
        );
        assert_eq!(pager.fetched(), 2);
        let request = pager
            .next_request()
            .expect("request")
            .to_http(&Config::new("sk_test_pager").expect("config"))
            .expect("http");
        assert_eq!(request.uri().path(), "/v1/names");
    }

    impl Names {
        fn with_limit(mut self, limit: i64) -> Self {
            self.limit = Some(limit);
            self
        }
        fn with_offset(mut self, offset: i64) -> Self {
            self.offset = Some(offset);
            self
        }
    }
}

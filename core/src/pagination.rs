//! Pagination as a pure state machine: the next request to send, the items of each response,
//! and when the list is exhausted. Transports wrap it as an `Iterator` or a `Stream`.

use crate::endpoint::Endpoint;
use crate::error::Error;

/// Page size the pager asks for when the operation's `limit` was not set.
pub const DEFAULT_PAGE_SIZE: i64 = 100;

/// One page of a list: its items and, when the API reports it, the total across all pages.
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
}

/// A list operation that can be walked page by page with `limit`/`offset` (and, for some, a
/// `starting_after` cursor).
pub trait Paginated: Endpoint + Clone {
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
pub struct Pager<E: Paginated> {
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

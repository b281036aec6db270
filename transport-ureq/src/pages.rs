//! The blocking pagination iterator over core's `Pager`.

use clerk_backend_core::{Error, Pager, Paginated, RequestOptions};

use crate::client::Client;
use crate::transport::Transport;

/// Every item of a list operation, fetched one page at a time; see [`Client::pages`].
///
/// It owns a clone of the client, so it is `'static` when `E` and `T` are, and `Send` when
/// they (and the items) are: it can be returned, stored, or moved to another thread.
#[must_use = "iterators do nothing until consumed"]
pub struct Pages<E: Paginated, T> {
    client: Client<T>,
    pager: Pager<E>,
    options: RequestOptions,
    buffer: std::vec::IntoIter<E::Item>,
    failed: bool,
}

impl<E: Paginated, T: Transport> Pages<E, T> {
    pub(crate) fn new(client: Client<T>, endpoint: E, options: RequestOptions) -> Self {
        Self {
            client,
            pager: Pager::new(endpoint),
            options,
            buffer: Vec::new().into_iter(),
            failed: false,
        }
    }

    /// How many items have been fetched so far (handed out or buffered).
    pub fn fetched(&self) -> i64 {
        self.pager.fetched()
    }

    fn fetch_page(&mut self) -> Option<Result<Vec<E::Item>, Error>> {
        let endpoint = self.pager.next_request()?;
        let response = endpoint
            .to_http(self.client.config())
            .and_then(|request| self.client.execute_with(request, &self.options));
        Some(response.and_then(|r| self.pager.on_response(r)))
    }
}

impl<E: Paginated, T: Transport> Iterator for Pages<E, T> {
    type Item = Result<E::Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.buffer.next() {
                return Some(Ok(item));
            }
            if self.failed {
                return None;
            }
            match self.fetch_page()? {
                Ok(items) => self.buffer = items.into_iter(),
                Err(error) => {
                    self.failed = true;
                    return Some(Err(error));
                }
            }
        }
    }
}

impl<E: Paginated, T: Transport> std::iter::FusedIterator for Pages<E, T> {}

impl<E: Paginated, T> std::fmt::Debug for Pages<E, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("fetched", &self.pager.fetched())
            .field("buffered", &self.buffer.len())
            .field("failed", &self.failed)
            .finish_non_exhaustive()
    }
}

//! The blocking pagination iterator over core's `Pager`.

use clerk_backend_core::{Error, Pager, Paginated};

use crate::client::Client;

/// Every item of a list operation, fetched one page at a time; see [`Client::pages`].
#[derive(Debug)]
#[must_use = "iterators do nothing until consumed"]
pub struct Pages<'c, E: Paginated> {
    client: &'c Client,
    pager: Pager<E>,
    buffer: std::vec::IntoIter<E::Item>,
    failed: bool,
}

impl<'c, E: Paginated> Pages<'c, E> {
    pub(crate) fn new(client: &'c Client, endpoint: E) -> Self {
        Self {
            client,
            pager: Pager::new(endpoint),
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
            .and_then(|request| self.client.execute(&request));
        Some(response.and_then(|r| self.pager.on_response(r)))
    }
}

impl<E: Paginated> Iterator for Pages<'_, E> {
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

impl<E: Paginated> std::iter::FusedIterator for Pages<'_, E> {}

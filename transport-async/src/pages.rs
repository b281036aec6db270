//! The pagination stream over core's `Pager`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use clerk_backend_core::{Error, Pager, Paginated, RequestOptions};
use futures_core::{FusedStream, Stream};

use crate::client::Client;

/// What fetching one page gives back: the pager (advanced on success), and the page's items,
/// or `None` when the list was already exhausted.
pub type PageResult<E> = (Pager<E>, Option<Result<Vec<<E as Paginated>::Item>, Error>>);

/// Every item of a list operation, fetched one page at a time; see [`Client::pages`].
///
/// A [`Stream`] of `Result<item, Error>`: read it with [`Pages::next`], or with the `next` of
/// any stream utility crate (`futures::StreamExt`, `tokio_stream::StreamExt`). `F` is the
/// type of the page request in flight, which the client names for you.
///
/// It owns a clone of the client: it is `'static` when `T` and `E` are, and `Send` when the
/// transport's futures are, so it can be returned, stored or spawned
/// (`tokio::spawn(async move { while let Some(item) = pages.next().await { … } })`).
#[must_use = "streams do nothing unless polled"]
pub struct Pages<T, E: Paginated, F> {
    client: Client<T>,
    options: RequestOptions,
    fetch: fn(Client<T>, Pager<E>, RequestOptions) -> F,
    /// The pager while no page is in flight (it travels inside the request future otherwise).
    pager: Option<Pager<E>>,
    in_flight: Option<Pin<Box<F>>>,
    buffer: std::vec::IntoIter<E::Item>,
    fetched: i64,
    finished: bool,
}

impl<T, E, F> Pages<T, E, F>
where
    E: Paginated,
    F: Future<Output = PageResult<E>>,
{
    pub(crate) fn new(
        client: Client<T>,
        pager: Pager<E>,
        options: RequestOptions,
        fetch: fn(Client<T>, Pager<E>, RequestOptions) -> F,
    ) -> Self {
        Self {
            client,
            options,
            fetch,
            pager: Some(pager),
            in_flight: None,
            buffer: Vec::new().into_iter(),
            fetched: 0,
            finished: false,
        }
    }

    /// How many items have been fetched so far (handed out or buffered).
    pub fn fetched(&self) -> i64 {
        self.fetched
    }

    /// The next item: `None` once the list is exhausted or after an error was yielded.
    ///
    /// Cancel-safe in the sense that dropping the returned future keeps the page in flight
    /// (the next call resumes it) and loses no item.
    pub async fn next(&mut self) -> Option<Result<E::Item, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

// Nothing is ever pinned in place here (the page in flight is boxed), so moving a `Pages` is
// always fine, whatever `E` and its items are.
impl<T, E: Paginated, F> Unpin for Pages<T, E, F> {}

impl<T, E, F> Stream for Pages<T, E, F>
where
    E: Paginated,
    F: Future<Output = PageResult<E>>,
{
    type Item = Result<E::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.finished {
                return Poll::Ready(None);
            }
            let in_flight = match &mut this.in_flight {
                Some(in_flight) => in_flight,
                None => match this.pager.take() {
                    Some(pager) if !pager.is_done() => this.in_flight.insert(Box::pin((this
                        .fetch)(
                        this.client.clone(),
                        pager,
                        this.options.clone(),
                    ))),
                    _ => {
                        this.finished = true;
                        return Poll::Ready(None);
                    }
                },
            };
            let Poll::Ready((pager, result)) = in_flight.as_mut().poll(cx) else {
                return Poll::Pending;
            };
            this.in_flight = None;
            this.fetched = pager.fetched();
            this.pager = Some(pager);
            match result {
                Some(Ok(items)) => this.buffer = items.into_iter(),
                Some(Err(error)) => {
                    this.finished = true;
                    return Poll::Ready(Some(Err(error)));
                }
                None => {
                    this.finished = true;
                    return Poll::Ready(None);
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let buffered = self.buffer.len();
        if self.finished {
            (buffered, Some(buffered))
        } else {
            (buffered, None)
        }
    }
}

impl<T, E, F> FusedStream for Pages<T, E, F>
where
    E: Paginated,
    F: Future<Output = PageResult<E>>,
{
    fn is_terminated(&self) -> bool {
        self.finished && self.buffer.len() == 0
    }
}

impl<T, E: Paginated, F> fmt::Debug for Pages<T, E, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("fetched", &self.fetched)
            .field("buffered", &self.buffer.len())
            .field("in_flight", &self.in_flight.is_some())
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::task::Waker;

    use clerk_backend_core::users::GetUserList;
    use clerk_backend_core::{Config, http};

    use super::*;
    use crate::from_fn;

    /// Pending on its first poll (waking at once), ready on the second.
    struct YieldOnce(bool);

    impl Future for YieldOnce {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.0 {
                Poll::Ready(())
            } else {
                self.0 = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }

    /// Drives a future on this thread; every future here wakes itself, so polling again is fine.
    fn block_on<F: Future>(future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                return output;
            }
        }
    }

    fn page(ids: &[&str]) -> http::Response<Vec<u8>> {
        let users: Vec<String> = ids
            .iter()
            .map(|id| format!(r#"{{"id":"{id}","object":"user"}}"#))
            .collect();
        http::Response::new(format!("[{}]", users.join(",")).into_bytes())
    }

    #[test]
    fn a_dropped_next_keeps_the_page_in_flight_and_loses_nothing() {
        let calls = AtomicU32::new(0);
        let transport = from_fn(
            |request: http::Request<Vec<u8>>| {
                calls.fetch_add(1, Ordering::SeqCst);
                async move {
                    YieldOnce(false).await;
                    Ok(match request.uri().query() {
                        Some("limit=2") => page(&["u1", "u2"]),
                        _ => page(&["u3"]),
                    })
                }
            },
            |_wait| async {},
        );
        let config = Config::new("sk_test_unit").expect("config");
        let client = Client::with_transport(config, transport);
        let mut pages = client.pages(GetUserList::new().limit(2));

        // Poll `next` once (the first page is requested and pending), then drop it.
        {
            let next = std::pin::pin!(pages.next());
            let mut cx = Context::from_waker(Waker::noop());
            assert!(next.poll(&mut cx).is_pending());
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);

        let mut ids = Vec::new();
        while let Some(user) = block_on(pages.next()) {
            ids.push(user.expect("user").id);
        }
        assert_eq!(ids, ["u1", "u2", "u3"]);
        assert_eq!(calls.load(Ordering::SeqCst), 2, "each page requested once");
        assert!(pages.is_terminated());
        assert_eq!(pages.fetched(), 3);
    }

    #[test]
    fn an_error_is_yielded_once_then_the_stream_ends() {
        let transport = from_fn(
            |_request: http::Request<Vec<u8>>| async {
                Ok(http::Response::new(b"not json".to_vec()))
            },
            |_wait| async {},
        );
        let config = Config::new("sk_test_unit").expect("config");
        let client = Client::with_transport(config, transport);
        let mut pages = client.pages(GetUserList::new());
        assert!(matches!(
            block_on(pages.next()),
            Some(Err(Error::Decode(_)))
        ));
        assert!(block_on(pages.next()).is_none());
        assert!(block_on(pages.next()).is_none());
    }
}

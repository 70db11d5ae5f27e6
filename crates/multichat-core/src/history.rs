//! Reading a session's history: the last messages through a [`SessionHandle`], and every
//! message in pages with [`History`], so nobody writes the `after(seq, n)` loop by hand.

use std::sync::Arc;

use crate::error::Result;
use crate::handle::{SessionHandle, absent_as_default};
use crate::id::SessionId;
use crate::message::Message;
use crate::query::MessageQuery;
use crate::store::ChatStore;

/// Every message of a session, oldest first, read in pages of a chosen size (each page one
/// read of the store: O(log n + page) on every backend). A message appended while the pages
/// are read is included if its seq is above the last one read; a session that does not exist
/// is [`crate::Error::NotFound`].
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use std::sync::Arc;
/// use multichat_core::{History, MemoryStore, NewMessage, SessionHandle, SessionId};
///
/// let store = Arc::new(MemoryStore::new());
/// let chat = SessionHandle::new(store.clone(), SessionId::new("long")?);
/// for i in 0..25 {
///     chat.add(NewMessage::user(format!("m{i}"))).await?;
/// }
/// let mut pages = History::new(store, chat.id().clone(), 10);
/// let mut sizes = Vec::new();
/// while let Some(page) = pages.next_page().await? {
///     sizes.push(page.len());
/// }
/// assert_eq!(sizes, [10, 10, 5]);
/// assert_eq!(chat.all().await?.len(), 25);
/// # Ok::<(), multichat_core::Error>(())
/// # }).unwrap();
/// ```
pub struct History {
    store: Arc<dyn ChatStore>,
    id: SessionId,
    after: u64,
    page: usize,
    done: bool,
}

impl History {
    /// Pages of `page` messages (at least 1) of session `id`, from its first message.
    pub fn new(store: Arc<dyn ChatStore>, id: SessionId, page: usize) -> Self {
        Self {
            store,
            id,
            after: 0,
            page: page.max(1),
            done: false,
        }
    }

    /// The next page, oldest first; `None` once every message has been read.
    pub async fn next_page(&mut self) -> Result<Option<Vec<Message>>> {
        if self.done {
            return Ok(None);
        }
        let query = MessageQuery::after(self.after, self.page);
        let messages = self.store.read(&self.id, query).await?;
        self.done = messages.len() < self.page;
        match messages.last() {
            Some(last) => self.after = last.seq,
            None => return Ok(None),
        }
        Ok(Some(messages))
    }

    /// Every remaining message, in one vector.
    pub async fn collect(mut self) -> Result<Vec<Message>> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await? {
            all.extend(page);
        }
        Ok(all)
    }
}

impl SessionHandle {
    /// The last `n` messages in chronological order (empty if the session does not exist).
    pub async fn last(&self, n: usize) -> Result<Vec<Message>> {
        absent_as_default(self.store.read(self.id(), MessageQuery::last(n)).await)
    }

    /// Every message of the session, oldest first, read in pages of 1000 (empty if the session
    /// does not exist).
    pub async fn all(&self) -> Result<Vec<Message>> {
        absent_as_default(self.history(1000).collect().await)
    }

    /// Every message of the session in pages of `page` (see [`History`]).
    pub fn history(&self, page: usize) -> History {
        History::new(Arc::clone(&self.store), self.id().clone(), page)
    }
}

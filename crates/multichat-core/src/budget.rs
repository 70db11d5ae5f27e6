//! Context windows by token budget: the token count a message may carry
//! ([`NewMessage::tokens`]) and the newest run of messages whose counts fit a budget
//! ([`MessageQuery::Budget`]). Every backend reads a budget as it reads the last `limit`
//! messages — one range scan of the newest, whatever the history's length — and keeps the newest
//! run that fits ([`MessageQuery::window`]), so its cost is that of `last(limit)`.

use crate::error::Result;
use crate::handle::SessionHandle;
use crate::message::{Message, NewMessage};
use crate::query::MessageQuery;

/// The most messages [`SessionHandle::context`] returns (the default page limit).
pub const CONTEXT_LIMIT: usize = 1000;

impl NewMessage {
    /// Sets the message's token count, which [`MessageQuery::Budget`] adds up.
    pub fn tokens(mut self, tokens: u32) -> Self {
        self.tokens = Some(tokens);
        self
    }
}

impl MessageQuery {
    /// The newest messages whose token counts add up to at most `tokens`, at most `limit` of
    /// them, in chronological order; a message without a count counts as 0 (see
    /// [`MessageQuery::uncounted`]). The run ends at the first message, going back in time, that
    /// would pass the budget: a newest message larger than the budget gives nothing.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use multichat_core::{MemoryStore, MessageQuery, MessageStore, NewMessage, NewSession};
    /// use multichat_core::{SessionId, SessionStore};
    ///
    /// let store = MemoryStore::new();
    /// let id = SessionId::new("a")?;
    /// store.create_session(NewSession::new(id.clone())).await?;
    /// let batch = [300, 500, 200, 250].map(|n| NewMessage::user(format!("{n}")).tokens(n));
    /// store.append(&id, batch.to_vec(), None).await?;
    /// let window = store.read(&id, MessageQuery::budget(1000, 100)).await?;
    /// assert_eq!(window.iter().map(|m| m.seq).collect::<Vec<_>>(), [2, 3, 4]);
    /// # Ok::<(), multichat_core::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn budget(tokens: u64, limit: usize) -> Self {
        Self::Budget {
            tokens,
            limit,
            uncounted: 0,
        }
    }

    /// A budget query in which a message without a token count counts as `tokens` (other
    /// queries are returned unchanged).
    pub fn uncounted(self, tokens: u32) -> Self {
        match self {
            Self::Budget {
                tokens: t, limit, ..
            } => Self::Budget {
                tokens: t,
                limit,
                uncounted: tokens,
            },
            other => other,
        }
    }

    /// What a read returns from `read`, the messages it selected as a `last(limit)` (ascending):
    /// for a budget, the newest run that fits; for any other query, `read` itself.
    pub fn window(self, mut read: Vec<Message>) -> Vec<Message> {
        if let Self::Budget { .. } = self {
            let keep = self.fitting(&read);
            read.drain(..read.len() - keep);
        }
        read
    }

    /// How many of the newest of `messages` (ascending) a budget query keeps; all for any other.
    pub fn fitting(self, messages: &[Message]) -> usize {
        let (mut admit, limit) = (self.admits(), self.limit());
        messages
            .iter()
            .rev()
            .take(limit)
            .take_while(|m| admit(m))
            .count()
    }

    /// For messages taken newest first: true while they fit this budget, false from the first
    /// that would pass it on (always true for other queries). A backend that reads newest first
    /// stops reading there.
    pub fn admits(self) -> impl FnMut(&Message) -> bool {
        let mut spent = 0u64;
        move |m| match self {
            Self::Budget {
                tokens, uncounted, ..
            } => {
                spent = spent.saturating_add(u64::from(m.tokens.unwrap_or(uncounted)));
                spent <= tokens
            }
            _ => true,
        }
    }
}

impl SessionHandle {
    /// The context window of an agent turn: the newest messages whose token counts add up to at
    /// most `tokens` (at most [`CONTEXT_LIMIT`]), oldest first; empty if the session does not
    /// exist. A message without a count counts as 0.
    pub async fn context(&self, tokens: u64) -> Result<Vec<Message>> {
        let read = self
            .store
            .read(self.id(), MessageQuery::budget(tokens, CONTEXT_LIMIT));
        crate::handle::absent_as_default(read.await)
    }
}

//! Walking a store page by page: every session, every message of a session, or the last `n`
//! messages, whatever the store's page limit.

use multichat_core::{ChatStore, Message, MessageQuery, Result, Session, SessionId, SessionQuery};

/// Items per page when streaming (the default page limit of every store).
pub const PAGE: usize = 1000;

/// Every session of `store` (with `participant` among its participants, if given), in listing
/// order, page by page.
pub async fn each_session(
    store: &dyn ChatStore,
    participant: Option<&str>,
    mut visit: impl AsyncFnMut(Session) -> Result<()>,
) -> Result<()> {
    let mut cursor = None;
    loop {
        let mut query = SessionQuery::new(PAGE).cursor(cursor);
        query.participant = participant.map(str::to_owned);
        let page = store.list_sessions(query).await?;
        for session in page.items {
            visit(session).await?;
        }
        cursor = page.next_cursor;
        if cursor.is_none() {
            return Ok(());
        }
    }
}

/// Every message of session `id`, page by page.
pub async fn each_page(
    store: &dyn ChatStore,
    id: &SessionId,
    mut visit: impl AsyncFnMut(Vec<Message>) -> Result<()>,
) -> Result<()> {
    let mut after = 0;
    loop {
        let page = store.read(id, MessageQuery::after(after, PAGE)).await?;
        let Some(last) = page.last() else {
            return Ok(());
        };
        after = last.seq;
        visit(page).await?;
    }
}

/// The last `n` messages of session `id`, chronological, read from the end in pages of at most
/// [`PAGE`].
pub async fn last_messages(
    store: &dyn ChatStore,
    id: &SessionId,
    n: usize,
) -> Result<Vec<Message>> {
    let (mut pages, mut left, mut before) = (Vec::new(), n, None);
    while left > 0 {
        let limit = left.min(PAGE);
        let query = before.map_or(MessageQuery::last(limit), |seq| {
            MessageQuery::before(seq, limit)
        });
        let page = store.read(id, query).await?;
        let Some(first) = page.first() else { break };
        before = Some(first.seq);
        left -= page.len();
        let short = page.len() < limit;
        pages.push(page);
        if short {
            break;
        }
    }
    Ok(pages.into_iter().rev().flatten().collect())
}

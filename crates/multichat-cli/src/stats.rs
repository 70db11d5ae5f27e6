//! `multichat stats`: what the store holds.

use multichat_core::{ChatStore, Result, SessionQuery};

use crate::open::StoreFacts;
use crate::output::{json, table};

/// `stats`: sessions, messages, (for file stores) bytes, and a Redis eviction policy that may
/// drop sessions.
pub async fn run(store: &dyn ChatStore, facts: StoreFacts, as_json: bool) -> Result<()> {
    let (mut sessions, mut messages, mut cursor) = (0u64, 0u64, None);
    loop {
        let page = store
            .list_sessions(SessionQuery::new(1000).cursor(cursor))
            .await?;
        sessions += page.items.len() as u64;
        messages += page.items.iter().map(|s| s.message_count).sum::<u64>();
        cursor = page.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    let bytes = facts.bytes();
    let StoreFacts { eviction, url } = facts;
    if sessions == 0 {
        crate::output::note_empty(&url);
    }
    if as_json {
        json(&serde_json::json!({
            "sessions": sessions, "messages": messages, "bytes": bytes, "evicts": eviction,
        }));
        return Ok(());
    }
    let bytes = bytes.map_or("n/a".to_owned(), |b| b.to_string());
    let evicts = eviction.map_or("no".to_owned(), |p| format!("yes: {p}"));
    table(
        &["SESSIONS", "MESSAGES", "BYTES", "EVICTS"],
        &[vec![
            sessions.to_string(),
            messages.to_string(),
            bytes,
            evicts,
        ]],
    );
    Ok(())
}

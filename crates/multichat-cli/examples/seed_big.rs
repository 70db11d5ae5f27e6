//! Seeds a SQLite store with 1,000 sessions × 1,000 messages (for measuring `migrate`'s memory).

use multichat::sqlite::{SqliteConfig, SqliteStore};
use multichat_core::{MessageStore, NewMessage, NewSession, SessionId, SessionStore};

#[tokio::main]
async fn main() -> multichat_core::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "big.db".into());
    let store = SqliteStore::open(&path, SqliteConfig::default()).await?;
    for s in 0..1000 {
        let id = SessionId::new(format!("s{s:05}"))?;
        store
            .create_session(NewSession::new(id.clone()).participant("p"))
            .await?;
        let batch = (0..1000)
            .map(|m| NewMessage::user(format!("session {s} message {m} {}", "x".repeat(60))))
            .collect();
        store.append(&id, batch, None).await?;
    }
    Ok(())
}

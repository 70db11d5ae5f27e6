//! What the fault and watch tests share: appending until a recovering server takes it.

use std::time::Duration;

use multichat_core::{MessageStore, NewMessage, SessionId};
use multichat_postgres::PostgresStore;

/// Appends `text` once the server takes it: at most 50 tries, each bounded (a store that stays
/// broken after its server is back fails the test); its seq.
pub async fn append_eventually(store: &PostgresStore, id: &SessionId, text: &str) -> u64 {
    for _ in 0..50 {
        let tried = store.append(id, vec![NewMessage::user(text)], None);
        if let Ok(Ok(seqs)) = tokio::time::timeout(Duration::from_secs(10), tried).await {
            return seqs[0];
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the store never worked again");
}

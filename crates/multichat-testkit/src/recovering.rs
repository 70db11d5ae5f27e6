//! Calls through a server that is coming back, for the fault and watch tests of the backends
//! with a server: retried, each try bounded, so a store that stays broken after its server is
//! back fails the test instead of hanging it.

use std::time::Duration;

use multichat_core::{MessageStore, NewMessage, SessionId};

/// Appends `text` to `id` once the server takes it: at most 50 tries of 10 s each, 100 ms
/// apart; its seq.
pub async fn append_eventually(store: &dyn MessageStore, id: &SessionId, text: &str) -> u64 {
    for _ in 0..50 {
        let tried = store.append(id, vec![NewMessage::user(text)], None);
        if let Ok(Ok(seqs)) = tokio::time::timeout(Duration::from_secs(10), tried).await {
            return seqs[0];
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the store never worked again");
}

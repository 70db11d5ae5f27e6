//! What wakes a watch reading through `Changes`, counted in store reads: messages handed over
//! with a wake-up are delivered without a read; a second wake-up for messages already delivered
//! (a store that hands over its own append and then hears of it again from its server) reads
//! nothing; any other change reads once.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use futures_util::StreamExt;
use multichat_core::{
    Changes, MemoryStore, Message, MessageQuery, MessageStore, MessageStream, NewMessage,
    NewSession, Result, SessionId, SessionStore, WatchConfig,
};

/// A memory store that counts its reads.
#[derive(Default)]
struct Counting {
    inner: MemoryStore,
    reads: AtomicUsize,
}

#[async_trait]
impl MessageStore for Counting {
    async fn append(
        &self,
        id: &SessionId,
        messages: Vec<NewMessage>,
        expected_last_seq: Option<u64>,
    ) -> Result<Vec<u64>> {
        self.inner.append(id, messages, expected_last_seq).await
    }

    async fn read(&self, id: &SessionId, query: MessageQuery) -> Result<Vec<Message>> {
        self.reads.fetch_add(1, Ordering::SeqCst);
        self.inner.read(id, query).await
    }

    async fn pop(&self, id: &SessionId) -> Result<Option<Message>> {
        self.inner.pop(id).await
    }

    async fn clear(&self, id: &SessionId) -> Result<u64> {
        self.inner.clear(id).await
    }
}

/// Nothing comes within 200 ms (the watch keeps its place when this `next` is given up).
async fn quiet(watch: &mut MessageStream) {
    let next = tokio::time::timeout(Duration::from_millis(200), watch.next()).await;
    assert!(next.is_err(), "nothing to deliver: {next:?}");
}

#[tokio::test]
async fn an_echo_of_delivered_messages_reads_nothing_and_a_change_reads_once() {
    let store = Arc::new(Counting::default());
    let id = SessionId::new("w").expect("id");
    let created = store
        .inner
        .create_session(NewSession::new(id.clone()))
        .await;
    created.expect("create");
    let changes = Changes::default();
    let hour = WatchConfig {
        poll: Duration::from_secs(3600),
        ..WatchConfig::default()
    };
    let mut watch = changes.follow(Arc::clone(&store), id.clone(), 0, hour);
    quiet(&mut watch).await;
    assert_eq!(
        store.reads.load(Ordering::SeqCst),
        1,
        "the first read found nothing"
    );
    store
        .inner
        .append(&id, vec![NewMessage::user("hi")], None)
        .await
        .expect("append");
    let stored = store
        .inner
        .read(&id, MessageQuery::last(1))
        .await
        .expect("read");
    changes.appended(&id, &stored);
    let next = tokio::time::timeout(Duration::from_secs(10), watch.next()).await;
    let delivered = next.expect("woken").expect("an item").expect("a message");
    assert_eq!(delivered.content, "hi");
    assert_eq!(
        store.reads.load(Ordering::SeqCst),
        1,
        "handed over, not read"
    );
    changes.appended(&id, &stored);
    quiet(&mut watch).await;
    assert_eq!(
        store.reads.load(Ordering::SeqCst),
        1,
        "the echo reads nothing"
    );
    changes.touch(&id);
    quiet(&mut watch).await;
    assert_eq!(store.reads.load(Ordering::SeqCst), 2, "a change reads once");
}

//! Watch leases: only the appends of a session some process watches send a notification (a
//! notifying commit serializes with every other one in the database), and a watch leases its
//! session before it first reads, so another store's appends wake it at once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use multichat_core::{MessageStore, NewMessage, NewSession, SessionId, SessionStore, WatchConfig};
use multichat_postgres::{PostgresConfig, PostgresStore};
use multichat_testkit::PostgresServer;
use multichat_testkit::cases::watch::next_message;
use tokio::sync::mpsc;
use tokio_postgres::AsyncMessage;

/// A store of schema `leased` whose watches only a notification wakes in time.
async fn open(url: &str) -> PostgresStore {
    let hour = Duration::from_secs(3600);
    let watch = WatchConfig {
        poll: hour,
        recheck: hour,
        ..WatchConfig::default()
    };
    let config = PostgresConfig::default().schema("leased").watch(watch);
    PostgresStore::connect(url, config).await.expect("connect")
}

/// A raw connection listening on the schema's channel, and the payloads it hears.
async fn listen(url: &str) -> (tokio_postgres::Client, mpsc::UnboundedReceiver<String>) {
    let (client, mut connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("raw connection");
    let (tx, rx) = mpsc::unbounded_channel();
    let messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
    tokio::spawn(messages.for_each(move |m| {
        if let Ok(AsyncMessage::Notification(n)) = m {
            let _ = tx.send(n.payload().to_owned());
        }
        std::future::ready(())
    }));
    client.batch_execute("LISTEN leased").await.expect("listen");
    (client, rx)
}

/// Whether session `id` is leased now, by the server's clock.
async fn leased(client: &tokio_postgres::Client, id: &str) -> bool {
    let sql = "SELECT watched_until > (extract(epoch from statement_timestamp()) * 1000)::bigint \
         FROM leased.sessions WHERE id = $1";
    client.query_one(sql, &[&id]).await.expect("lease").get(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_watched_sessions_appends_notify() {
    let Some(server) = PostgresServer::start() else {
        return;
    };
    let (watcher, writer) = (
        Arc::new(open(&server.url()).await),
        open(&server.url()).await,
    );
    let (client, mut heard) = listen(&server.url()).await;
    let [first, quiet, loud] = ["first", "quiet", "loud"].map(|id| SessionId::new(id).expect("id"));
    for id in [&first, &quiet, &loud] {
        writer
            .create_session(NewSession::new(id.clone()))
            .await
            .expect("create");
    }
    // The store's first watch starts its listening connection, which renews every 10 s: the
    // second one leases its session itself, well before that.
    let mut watches = Vec::new();
    for id in [&first, &loud] {
        let mut watch = Arc::clone(&watcher).watch(id.clone(), 0);
        let early = tokio::time::timeout(Duration::from_millis(300), watch.next()).await;
        assert!(early.is_err(), "nothing to deliver yet");
        let deadline = Instant::now() + Duration::from_secs(5);
        while !leased(&client, id.as_str()).await {
            assert!(Instant::now() < deadline, "the watch leased {id}");
            tokio::task::yield_now().await;
        }
        watches.push(watch);
    }
    let mut watch = watches.pop().expect("loud's watch");
    assert!(!leased(&client, "quiet").await, "nobody watches quiet");
    for id in [&quiet, &loud] {
        writer
            .append(&id.clone(), vec![NewMessage::user(id.as_str())], None)
            .await
            .expect("append");
    }
    assert_eq!(next_message(&mut watch).await.content, "loud");
    // Notifications come in commit order: quiet's, had it sent one, would come first.
    let first = tokio::time::timeout(Duration::from_secs(10), heard.recv()).await;
    let first = first.expect("loud's append notified").expect("listening");
    assert!(first.contains("\"loud\""), "{first}");
}

//! The schema at connect: processes connecting to a fresh database at once do not race (the
//! advisory lock), and a schema newer than this build knows is refused and left untouched.

use multichat_core::{ErrorKind, MessageStore, NewMessage, NewSession, SessionId, SessionStore};
use multichat_postgres::{PostgresConfig, PostgresStore, SCHEMA_VERSION};
use multichat_testkit::PostgresServer;

async fn raw(server: &PostgresServer) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(&server.url(), tokio_postgres::NoTls)
        .await
        .expect("raw connection");
    tokio::spawn(connection);
    client
}

/// Connects with `config`, stores session `kept` with one message, `before`, and closes.
async fn kept(server: &PostgresServer, config: PostgresConfig) -> SessionId {
    let store = PostgresStore::connect(&server.url(), config)
        .await
        .expect("connect");
    let id = SessionId::new("kept").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    store
        .append(&id, vec![NewMessage::user("before")], None)
        .await
        .expect("append");
    store.close().await.expect("close");
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_first_connects_at_once_create_the_schema_once() {
    let Some(server) = PostgresServer::start() else {
        return;
    };
    let url = server.url();
    let connects: Vec<_> = (0..8)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move {
                PostgresStore::connect(&url, PostgresConfig::default().schema("raced")).await
            })
        })
        .collect();
    for connect in connects {
        connect
            .await
            .expect("task")
            .expect("every connect succeeds");
    }
    let rows = raw(&server)
        .await
        .query("SELECT version FROM raced.schema_version", &[])
        .await
        .expect("versions");
    let versions: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(versions, [SCHEMA_VERSION], "migrated exactly once");
}

#[tokio::test]
async fn a_newer_schema_is_refused_and_left_untouched() {
    let Some(server) = PostgresServer::start() else {
        return;
    };
    let config = || PostgresConfig::default().schema("future");
    kept(&server, config()).await;
    let client = raw(&server).await;
    let newer = SCHEMA_VERSION + 1;
    client
        .execute("INSERT INTO future.schema_version VALUES ($1)", &[&newer])
        .await
        .expect("a newer build was here");
    let refused = PostgresStore::connect(&server.url(), config()).await;
    let error = refused.expect_err("a newer schema is refused");
    assert_eq!(error.kind(), ErrorKind::Incompatible);
    assert!(error.to_string().contains(&newer.to_string()), "{error}");
    let content: String = client
        .query_one(
            "SELECT content FROM future.messages WHERE session_id = 'kept'",
            &[],
        )
        .await
        .expect("the data is still there")
        .get(0);
    assert_eq!(content, "before");
    let versions = client
        .query(
            "SELECT version FROM future.schema_version ORDER BY version",
            &[],
        )
        .await
        .expect("versions");
    assert_eq!(versions.len(), 2, "nothing was migrated or removed");
}

#[tokio::test]
async fn a_version_1_schema_is_upgraded_in_place_keeping_its_data() {
    let Some(server) = PostgresServer::start() else {
        return;
    };
    let config = || PostgresConfig::default().schema("old");
    let id = kept(&server, config()).await;
    // What version 1 left: no lease column, no client keys, version 1 recorded.
    let client = raw(&server).await;
    client
        .batch_execute(
            "ALTER TABLE old.sessions DROP COLUMN watched_until;
             ALTER TABLE old.messages DROP COLUMN client_key, DROP COLUMN tokens;
             DELETE FROM old.schema_version; INSERT INTO old.schema_version VALUES (1);",
        )
        .await
        .expect("back to version 1");
    let store = PostgresStore::connect(&server.url(), config())
        .await
        .expect("upgraded");
    store
        .append(&id, vec![NewMessage::user("after").key("k")], None)
        .await
        .expect("append after the upgrade");
    let retry = store.append(&id, vec![NewMessage::user("after").key("k")], None);
    assert_eq!(retry.await.expect("a keyed retry").len(), 1);
    let read = store
        .read(&id, multichat_core::MessageQuery::last(10))
        .await
        .expect("read");
    let contents: Vec<&str> = read.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(contents, ["before", "after"]);
    let versions = client
        .query(
            "SELECT version FROM old.schema_version ORDER BY version",
            &[],
        )
        .await
        .expect("versions");
    let versions: Vec<i64> = versions.iter().map(|r| r.get(0)).collect();
    assert_eq!(versions, [1, SCHEMA_VERSION], "the upgrade is recorded");
}

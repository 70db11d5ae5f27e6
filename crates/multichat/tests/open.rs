//! `multichat::open` on every URL form: each opens the store it names and keeps what is written;
//! a bad URL is a typed error that names what is wrong, hides passwords and creates nothing.

use multichat::{ErrorKind, MessageQuery, NewMessage, NewSession, SessionId};
use multichat_testkit::{PostgresServer, RedisServer};

/// Writes a session with one message through `url`, then reads it back through a second open.
async fn round_trip(url: &str) {
    let id = SessionId::new("s").expect("id");
    let store = multichat::open(url).await.expect("open");
    store
        .create_session(NewSession::new(id.clone()).participant("ana"))
        .await
        .expect("create");
    store
        .append(&id, vec![NewMessage::user("kept")], None)
        .await
        .expect("append");
    drop(store);
    let again = multichat::open(url).await.expect("reopen");
    let read = again.read(&id, MessageQuery::last(5)).await.expect("read");
    assert_eq!(read[0].content, "kept", "{url}");
}

#[tokio::test]
async fn every_file_url_form_opens_its_store_and_keeps_what_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("chats.db");
    round_trip(&format!("sqlite:{}", db.display())).await;
    round_trip(&format!(
        "sqlite:{}?synchronous=full&busy_timeout_ms=2000",
        dir.path().join("full.db").display()
    ))
    .await;
    round_trip(&format!(
        "json:{}?durability=flush&lock_timeout_ms=100",
        dir.path().join("j").display()
    ))
    .await;
    assert!(db.exists() && dir.path().join("j").is_dir());
    for url in ["memory:", "sqlite::memory:"] {
        let store = multichat::open(url).await.expect("open");
        let id = SessionId::new("m").expect("id");
        store
            .create_session(NewSession::new(id.clone()))
            .await
            .expect("create");
        assert!(
            store.get_session(&id).await.expect("get").is_some(),
            "{url}"
        );
    }
}

#[tokio::test]
async fn a_bad_url_names_what_is_wrong_and_creates_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("typo.db");
    let cases = [
        (
            format!("sqlite:{}?synchronus=full", db.display()),
            "unknown option `synchronus`",
        ),
        (
            format!("sqlite:{}?synchronous=sometimes", db.display()),
            "synchronous",
        ),
        (format!("sqlite:{}?readers=many", db.display()), "readers"),
        (format!("sqlite:{}?novalue", db.display()), "novalue"),
        (
            format!("json:{}?durability=fsync&x=1", db.display()),
            "unknown option `x`",
        ),
        ("memory:?prefix=a".to_owned(), "unknown option `prefix`"),
        (
            "mysql://root:hunter2-SECRET@db/".to_owned(),
            "expected memory:",
        ),
        ("sqlite:".to_owned(), "empty"),
    ];
    for (url, says) in cases {
        let err = multichat::open(&url).await.err().expect(&url);
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{url}");
        let text = err.to_string();
        assert!(text.contains(says), "{url}: {text}");
        assert!(!text.contains("SECRET"), "{url}: {text}");
    }
    assert!(!db.exists(), "a refused URL created its store");
}

#[tokio::test]
async fn a_path_starting_with_a_tilde_is_refused_not_made_a_directory() {
    // Refused before any file operation, so nothing appears in the working directory.
    for url in ["json:~/chats", "sqlite:~/chats.db", "json:~"] {
        let err = multichat::open(url).await.err().expect(url);
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{url}");
        assert!(err.to_string().contains("`~`"), "{url}: {err}");
    }
    assert!(!std::path::Path::new("~").exists());
}

#[tokio::test]
async fn redis_urls_take_a_key_prefix_and_stores_under_different_prefixes_are_apart() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let base = server.url();
    let app1 = format!("{base}?prefix=app1&response_timeout_ms=2000");
    round_trip(&app1).await;
    let other = multichat::open(&format!("{base}?prefix=app2"))
        .await
        .expect("open");
    let id = SessionId::new("s").expect("id");
    assert!(other.get_session(&id).await.expect("get").is_none());
    let client = redis::Client::open(base.as_str()).expect("client");
    let mut raw = client
        .get_multiplexed_async_connection()
        .await
        .expect("raw");
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("app1:*")
        .query_async(&mut raw)
        .await
        .expect("keys");
    assert!(!keys.is_empty(), "the session is stored under the prefix");
    let lonely = multichat::open(&format!(
        "{base}?prefix=w&confirm_replicas=1&confirm_timeout_ms=20"
    ))
    .await
    .expect("open");
    lonely
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    let unconfirmed = lonely.append(&id, vec![NewMessage::user("x")], None).await;
    assert_eq!(
        unconfirmed.expect_err("no replica to confirm").kind(),
        ErrorKind::Unconfirmed
    );
    let err = multichat::open(&format!("{base}?auto_pipeline=maybe"))
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("auto_pipeline"), "{err}");
}

#[tokio::test]
async fn a_cache_in_front_serves_what_the_durable_store_keeps() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite:{}", dir.path().join("d.db").display());
    let store = multichat::open_cached(&url, "memory:").await.expect("open");
    let id = SessionId::new("h").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    store
        .append(&id, vec![NewMessage::user("through")], None)
        .await
        .expect("append");
    drop(store);
    let durable = multichat::open(&url).await.expect("durable");
    let read = durable
        .read(&id, MessageQuery::last(1))
        .await
        .expect("read");
    assert_eq!(read[0].content, "through");
}

#[tokio::test]
async fn postgres_urls_take_a_schema_and_pass_driver_options_through() {
    let Some(server) = PostgresServer::start() else {
        return;
    };
    let base = server.url();
    round_trip(&format!(
        "{base}?schema=facade_a&pool_size=2&application_name=multichat-test"
    ))
    .await;
    let other = multichat::open(&format!("{base}?schema=facade_b"))
        .await
        .expect("open");
    let id = SessionId::new("s").expect("id");
    assert!(
        other.get_session(&id).await.expect("get").is_none(),
        "schemas are apart"
    );
    let alias = base.replacen("postgres://", "postgresql://", 1);
    let same = multichat::open(&format!("{alias}?schema=facade_a"))
        .await
        .expect("open");
    assert!(same.get_session(&id).await.expect("get").is_some());
    for (url, says) in [
        (format!("{base}?schema=Bad-Name"), "schema"),
        (format!("{base}?pool_size=lots"), "pool_size"),
        (format!("{base}?bogus_option=1"), "bogus_option"),
    ] {
        let err = multichat::open(&url).await.err().expect(&url);
        assert!(err.to_string().contains(says), "{url}: {err}");
    }
}

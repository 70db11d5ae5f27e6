//! TLS (feature `tls`) against a server of the test's own that accepts only TLS connections and
//! presents a self-signed certificate: trusted, the store works with `sslmode=require`; not
//! trusted, or without TLS, it is refused.
#![cfg(feature = "tls")]

use multichat_core::{MessageQuery, MessageStore, NewMessage, NewSession, SessionId, SessionStore};
use multichat_postgres::{PostgresConfig, PostgresStore};
use multichat_testkit::PostgresServer;

#[tokio::test]
async fn only_a_trusted_tls_connection_gets_in() {
    let Some(server) = PostgresServer::start_tls() else {
        return;
    };
    let required = format!("{}?sslmode=require", server.url());
    let trusting = PostgresConfig::default().tls_root_certificate(server.certificate());
    let store = PostgresStore::connect(&required, trusting)
        .await
        .expect("a TLS connection to a trusted server");
    let id = SessionId::new("tls").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    store
        .append(&id, vec![NewMessage::user("over TLS")], None)
        .await
        .expect("append");
    let read = store.read(&id, MessageQuery::last(1)).await.expect("read");
    assert_eq!(read[0].content, "over TLS");
    let untrusted = PostgresStore::connect(&required, PostgresConfig::default()).await;
    let error = untrusted.expect_err("a certificate no root vouches for is refused");
    assert!(!error.is_transient(), "retrying cannot help: {error}");
    let plain = format!("{}?sslmode=disable", server.url());
    let refused = PostgresStore::connect(&plain, PostgresConfig::default()).await;
    assert!(
        refused.is_err(),
        "the server lets no plaintext connection in"
    );
}

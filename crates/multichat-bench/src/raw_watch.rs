//! The raw baselines of the watch latency (`benches/watch_latency.rs`): what a hand-written
//! program following a stream does — a bare `XREAD BLOCK` loop on a connection of its own for
//! Redis, a bare `LISTEN` for PostgreSQL — with a second connection writing (`XADD`, `NOTIFY`).
//! The follower notes the time it got each entry, as the consumer of a store's watch does.

use std::time::Instant;

use redis::AsyncConnectionConfig;
use redis::aio::MultiplexedConnection;
use redis::streams::StreamReadReply;
use tokio::sync::mpsc;
use tokio_postgres::{AsyncMessage, Client, NoTls, Statement};

use multichat_testkit::{PostgresServer, RedisServer};

/// A writer connection, and what the follower delivered.
pub struct RawFollow {
    writer: Writer,
    delivered: mpsc::UnboundedReceiver<Instant>,
    _guard: Box<dyn std::any::Any + Send>,
}

enum Writer {
    Redis(MultiplexedConnection),
    Postgres(Client, Statement),
}

impl RawFollow {
    /// A Redis server of its own; a task on a connection of its own loops on `XREAD BLOCK 0`
    /// after the last entry it read (from the start of the empty stream, so nothing is missed).
    pub async fn redis() -> Self {
        let server = RedisServer::start().expect("redis-server is needed for the benchmarks");
        let client = redis::Client::open(server.url()).expect("client");
        let writer = client.get_multiplexed_async_connection().await;
        let settings = AsyncConnectionConfig::new().set_response_timeout(None);
        let reader = client.get_multiplexed_async_connection_with_config(&settings);
        let mut reader = reader.await.expect("connect the reader");
        let (sender, delivered) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut last = "0".to_owned();
            loop {
                let mut cmd = redis::cmd("XREAD");
                cmd.arg("BLOCK").arg(0).arg("STREAMS").arg("raw").arg(&last);
                let Ok(reply) = cmd.query_async::<StreamReadReply>(&mut reader).await else {
                    return;
                };
                for entry in reply.keys.iter().flat_map(|k| &k.ids) {
                    last.clone_from(&entry.id);
                    let _ = sender.send(Instant::now());
                }
            }
        });
        Self {
            writer: Writer::Redis(writer.expect("connect the writer")),
            delivered,
            _guard: Box::new(server),
        }
    }

    /// A PostgreSQL server of its own; one connection `LISTEN`s, another `NOTIFY`s.
    pub async fn postgres() -> Self {
        let server = PostgresServer::start().expect("PostgreSQL is needed for the benchmarks");
        let (listener, mut connection) = tokio_postgres::connect(&server.url(), NoTls)
            .await
            .expect("connect the listener");
        let (sender, delivered) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut messages = std::pin::pin!(futures_util::stream::poll_fn(move |cx| {
                connection.poll_message(cx)
            }));
            while let Some(Ok(message)) = futures_util::StreamExt::next(&mut messages).await {
                if let AsyncMessage::Notification(_) = message {
                    let _ = sender.send(Instant::now());
                }
            }
        });
        listener.batch_execute("LISTEN raw").await.expect("listen");
        let (writer, connection) = tokio_postgres::connect(&server.url(), NoTls)
            .await
            .expect("connect the writer");
        tokio::spawn(connection);
        let notify = writer.prepare("SELECT pg_notify('raw', 'x')").await;
        Self {
            writer: Writer::Postgres(writer, notify.expect("prepare")),
            delivered,
            _guard: Box::new((server, listener)),
        }
    }

    /// Writes one entry (`XADD` / `NOTIFY`) and returns when the server acknowledged it.
    pub async fn write(&mut self) {
        match &mut self.writer {
            Writer::Redis(conn) => {
                let mut cmd = redis::cmd("XADD");
                cmd.arg("raw").arg("*").arg("j").arg("x");
                let _: String = cmd.query_async(conn).await.expect("XADD");
            }
            Writer::Postgres(client, notify) => {
                client.query(&*notify, &[]).await.expect("NOTIFY");
            }
        }
    }

    /// When the follower got its next entry.
    pub async fn delivered(&mut self) -> Instant {
        self.delivered.recv().await.expect("the follower runs")
    }
}

//! The raw `redis` baseline: the minimal commands of an append (add the message to the stream,
//! bump the counters) in one round trip, and a bare `XREVRANGE` for the last-20 read, on the same
//! kind of connection the store uses (`ConnectionManager`).

use multichat_testkit::RedisServer;
use redis::aio::ConnectionManager;

/// A connection to a server of its own.
pub struct RawRedis {
    conn: ConnectionManager,
    _server: RedisServer,
}

impl RawRedis {
    /// Starts a server and connects.
    pub async fn start() -> Self {
        let server = RedisServer::start().expect("redis-server is needed for the benchmarks");
        let client = redis::Client::open(server.url()).expect("client");
        let conn = ConnectionManager::new(client).await.expect("connect");
        Self {
            conn,
            _server: server,
        }
    }

    /// `XADD` + `HINCRBY` ×2 + `HSET` in one pipelined round trip.
    pub async fn append(&self, content: &str) {
        let mut conn = self.conn.clone();
        let mut pipe = redis::pipe();
        pipe.cmd("XADD")
            .arg("raw:{s}:m")
            .arg("*")
            .arg("j")
            .arg(content)
            .ignore();
        pipe.cmd("HINCRBY")
            .arg("raw:{s}:s")
            .arg("last_seq")
            .arg(1)
            .ignore();
        pipe.cmd("HINCRBY")
            .arg("raw:{s}:s")
            .arg("message_count")
            .arg(1)
            .ignore();
        pipe.cmd("HSET")
            .arg("raw:{s}:s")
            .arg("updated_at")
            .arg(0)
            .ignore();
        let () = pipe.query_async(&mut conn).await.expect("append");
    }

    /// `XREVRANGE … COUNT n`.
    pub async fn last(&self, n: usize) -> Vec<(String, Vec<String>)> {
        let mut conn = self.conn.clone();
        redis::cmd("XREVRANGE")
            .arg("raw:{s}:m")
            .arg("+")
            .arg("-")
            .arg("COUNT")
            .arg(n)
            .query_async(&mut conn)
            .await
            .expect("read")
    }
}

/// The first page of `limit` sessions of a multichat store's listing index `index` (its key
/// prefix `prefix`): `ZRANGE … BYSCORE LIMIT`, then every session hash in one pipeline of
/// `HGETALL`s — two round trips on `conn`, as `docs/redis-format.md` describes the keys. What a
/// hand-written `redis` program listing the store's sessions runs (no expiry check, no decoding).
pub async fn list_sessions(
    conn: &ConnectionManager,
    prefix: &str,
    limit: usize,
) -> Vec<std::collections::HashMap<String, String>> {
    let mut conn = conn.clone();
    let ids: Vec<String> = redis::cmd("ZRANGE")
        .arg(format!("{prefix}:idx:updated"))
        .arg("-inf")
        .arg("+inf")
        .arg("BYSCORE")
        .arg("LIMIT")
        .arg(0)
        .arg(limit)
        .query_async(&mut conn)
        .await
        .expect("zrange");
    let mut pipe = redis::pipe();
    for id in &ids {
        pipe.cmd("HGETALL").arg(format!("{prefix}:{{{id}}}:s"));
    }
    pipe.query_async(&mut conn).await.expect("hgetall")
}

//! The PostgreSQL listing against its raw baseline: the first page of 100 of 100,000 sessions
//! (2,000 with `--quick`), with and without a participant filter. The sessions are written
//! with one `INSERT … SELECT generate_series` in the store's own schema (creating 100,000 through
//! the API would be most of the run); the raw cells run the store's listing statement on one
//! `tokio-postgres` connection and read every column, without decoding JSON or building records.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use multichat_bench::quick;
use multichat_core::{SessionQuery, SessionStore};
use multichat_postgres::{PostgresConfig, PostgresStore};
use multichat_testkit::PostgresServer;
use tokio::runtime::Runtime;
use tokio_postgres::{Client, NoTls, Statement};

const SEED: &str = "
INSERT INTO bench.sessions
SELECT 'l' || lpad(i::text, 6, '0'), NULL, '[\"p' || (i % 10) || '\"]', '{}', i, i,
       NULL, NULL, NULL, 1, 0, 0
FROM generate_series(1, $N) i;
INSERT INTO bench.participants SELECT 'l' || lpad(i::text, 6, '0'), 'p' || (i % 10), i
FROM generate_series(1, $N) i;
ANALYZE;";

const COLUMNS: &str = "s.id, s.title, s.participants, s.metadata, s.created_at, s.updated_at, \
     s.idle_ms, s.deadline, s.expires_at, s.version, s.last_seq, s.message_count";

/// The store's listing statement, without and with the participant filter (which walks the
/// participant's index rows).
fn page_sql(participant: bool) -> String {
    let (from, order) = if participant {
        (
            "bench.participants k JOIN bench.sessions s ON s.id = k.session_id \
             WHERE k.participant = $2 AND",
            "k.updated_at DESC, k.session_id ASC",
        )
    } else {
        ("bench.sessions s WHERE", "s.updated_at DESC, s.id ASC")
    };
    format!(
        "SELECT {COLUMNS} FROM {from} (s.expires_at IS NULL OR s.expires_at > $1) \
         ORDER BY {order} LIMIT 101"
    )
}

/// The raw page: the store's statement, prepared once, every column read.
async fn raw_page(client: &Client, statement: &Statement, participant: Option<&str>) -> usize {
    let rows = match participant {
        None => client.query(statement, &[&0i64]).await,
        Some(p) => client.query(statement, &[&0i64, &p]).await,
    };
    let rows = rows.expect("page");
    rows.iter()
        .map(|r| {
            let (id, parts): (String, String) = (r.get(0), r.get(2));
            let counters: (i64, i64, i64) = (r.get(9), r.get(10), r.get(11));
            id.len() + parts.len() + counters.0 as usize
        })
        .sum()
}

fn list_postgres(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let total = if quick() { 2_000 } else { 100_000 };
    let server = PostgresServer::start().expect("PostgreSQL is needed for the benchmarks");
    let config = PostgresConfig::default().schema("bench");
    let store = rt
        .block_on(PostgresStore::connect(&server.url(), config))
        .expect("connect");
    let client = rt.block_on(async {
        let (client, connection) = tokio_postgres::connect(&server.url(), NoTls)
            .await
            .expect("raw");
        tokio::spawn(connection);
        client
            .batch_execute(&SEED.replace("$N", &total.to_string()))
            .await
            .expect("seed");
        client
    });
    let mut group = c.benchmark_group(format!("list_100_of_{total}_postgres"));
    for participant in [None, Some("p3")] {
        let suffix = participant.map_or("", |_| "-participant");
        let mut query = SessionQuery::new(100);
        query.participant = participant.map(str::to_owned);
        group.bench_function(
            BenchmarkId::from_parameter(format!("postgres{suffix}")),
            |b| {
                b.to_async(&rt)
                    .iter(|| async { store.list_sessions(query.clone()).await.expect("list") })
            },
        );
        let statement = rt
            .block_on(client.prepare(&page_sql(participant.is_some())))
            .expect("prepare");
        group.bench_function(
            BenchmarkId::from_parameter(format!("raw-postgres{suffix}")),
            |b| {
                b.to_async(&rt)
                    .iter(|| raw_page(&client, &statement, participant))
            },
        );
    }
    group.finish();
}

criterion_group!(benches, list_postgres);
criterion_main!(benches);

//! The PostgreSQL listing against its raw baseline: the first page of 100 of 100,000 sessions
//! (2,000 with `--quick`), with and without a participant filter. The sessions are written
//! with one `INSERT … SELECT generate_series` in the store's own schema (creating 100,000 through
//! the API would be most of the run); the raw cells run the store's listing statement on one
//! `tokio-postgres` connection and read the id, participants and counters, without decoding JSON
//! or building records. Paired rounds (`src/rounds.rs`): store and raw one right after the other.

use criterion::{Criterion, criterion_group, criterion_main};
use multichat_bench::{quick, rounds};
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

/// The store and the raw connection, on one server holding the seeded sessions.
struct Subjects {
    store: PostgresStore,
    client: Client,
    /// The raw page's statement without and with the participant filter.
    statements: [Statement; 2],
    _server: PostgresServer,
}

/// The cells of a round, in their forward order: `(who, participant filter)`.
const CELLS: [(&str, bool); 4] = [
    ("postgres", false),
    ("raw-postgres", false),
    ("postgres-participant", true),
    ("raw-postgres-participant", true),
];

fn list_postgres(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let total = if quick() { 2_000 } else { 100_000 };
    let server = PostgresServer::start().expect("PostgreSQL is needed for the benchmarks");
    let config = PostgresConfig::default().schema("bench");
    let store = rt
        .block_on(PostgresStore::connect(&server.url(), config))
        .expect("connect");
    let (client, statements) = rt.block_on(async {
        let (client, connection) = tokio_postgres::connect(&server.url(), NoTls)
            .await
            .expect("raw");
        tokio::spawn(connection);
        client
            .batch_execute(&SEED.replace("$N", &total.to_string()))
            .await
            .expect("seed");
        let plain = client.prepare(&page_sql(false)).await.expect("prepare");
        let filtered = client.prepare(&page_sql(true)).await.expect("prepare");
        (client, [plain, filtered])
    });
    let s = Subjects {
        store,
        client,
        statements,
        _server: server,
    };
    let operation = format!("list_100_of_{total}_postgres");
    let cells: Vec<(&str, &str)> = CELLS
        .iter()
        .map(|(who, _)| (operation.as_str(), *who))
        .collect();
    rounds::run(c, &cells, 100, |b, cell| {
        let (who, filtered) = CELLS[cell];
        let participant = filtered.then_some("p3");
        let mut query = SessionQuery::new(100);
        query.participant = participant.map(str::to_owned);
        let mut b = b.to_async(&rt);
        if who.starts_with("raw") {
            let statement = &s.statements[usize::from(filtered)];
            b.iter(|| raw_page(&s.client, statement, participant))
        } else {
            b.iter(|| async { s.store.list_sessions(query.clone()).await.expect("list") })
        }
    });
}

criterion_group!(benches, list_postgres);
criterion_main!(benches);

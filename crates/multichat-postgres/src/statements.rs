//! The SQL of every write, with the schema written in, made once at connect: the hot paths
//! format nothing. Every statement is keyed by `session_id` (the sessions' `id`).

use crate::codec::{MESSAGE_COLUMNS, SESSION_COLUMNS};
use crate::lease::SERVER_MS;
use crate::params::insert_sql;

/// Inserts a batch of messages of one session.
const INSERT_MESSAGES: &str = "INSERT INTO {s}.messages (session_id, seq, role, sender, \
     content, metadata, created_at, client_key, tokens) SELECT $1, * FROM unnest($2::bigint[], \
     $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::bigint[])";

/// Writes a session's counters and times, and moves its participant index rows to its new
/// `updated_at` in the same statement (they hold it for the participant listing's keyset).
const SAVE_COUNTERS: &str = "WITH moved AS (UPDATE {s}.participants SET updated_at = $2 \
     WHERE session_id = $1 AND updated_at <> $2) \
     UPDATE {s}.sessions SET updated_at = $2, expires_at = $3, \
     version = $4, last_seq = $5, message_count = $6 WHERE id = $1";

/// Rewrites every column of a session row but its id.
const UPDATE_ROW: &str = "UPDATE {s}.sessions SET title = $2, participants = $3, metadata = $4, \
     created_at = $5, updated_at = $6, idle_ms = $7, deadline = $8, expires_at = $9, \
     version = $10, last_seq = $11, message_count = $12 WHERE id = $1";

/// Removes every message of a session; its one row says how many, and the highest seq.
const CLEAR: &str = "WITH d AS (DELETE FROM {s}.messages WHERE session_id = $1 RETURNING seq) \
     SELECT count(*), coalesce(max(seq), 0) FROM d";

/// Deletes a session that expired at `$2`, so that its id can be created again.
const DROP_EXPIRED: &str = "DELETE FROM {s}.sessions WHERE id = $1 AND expires_at <= $2";

/// The statements of the writes, for one schema.
#[derive(Debug)]
pub struct WriteSql {
    /// Locks a session row and reads it, and whether a watch leases it (what every write of
    /// one session starts with).
    pub lock: String,
    /// Inserts a batch of messages (the append, restores).
    pub insert: String,
    /// Saves the counters and times (appends, pops, clears).
    pub save: String,
    /// The stored messages of session `$1` holding one of the client keys `$2` (a keyed
    /// append sends it with the row lock).
    pub held: String,
    /// Removes a session's newest message and returns it.
    pub pop: String,
    /// Removes every message of a session (one row: count, highest seq).
    pub clear: String,
    /// Rewrites a session row (an update).
    pub update: String,
    /// Creates a session row and its participant rows unless its id is taken by a row that is
    /// still there after [`DROP_EXPIRED`] (it returns one row when it created); takes the
    /// row's 12 values and `$13` the participants' names.
    pub create: [String; 2],
    /// Deletes a session's participant rows.
    pub forget_participants: String,
    /// Inserts a session's participant rows (`$1` session, `$2` names, `$3` its `updated_at`).
    pub add_participants: String,
    /// Tells the listeners of channel `$1` what was appended (`$2`, see `crate::heard`; sent
    /// on commit).
    pub notify: String,
    /// Leases sessions for watches (see `crate::lease`).
    pub lease: String,
}

impl WriteSql {
    /// The statements of schema `schema`.
    pub fn for_schema(schema: &str) -> Self {
        let of = |sql: &str| sql.replace("{s}", schema);
        let create = format!(
            "WITH made AS ({} ON CONFLICT (id) DO NOTHING RETURNING id, updated_at), \
             named AS (INSERT INTO {{s}}.participants (session_id, participant, updated_at) \
             SELECT made.id, p, made.updated_at FROM made, unnest($13::text[]) p) \
             SELECT id FROM made",
            insert_sql()
        );
        Self {
            lock: of(&format!(
                "SELECT {SESSION_COLUMNS}, watched_until > {SERVER_MS} FROM {{s}}.sessions \
                 WHERE id = $1 FOR UPDATE"
            )),
            insert: of(INSERT_MESSAGES),
            save: of(SAVE_COUNTERS),
            held: of(&format!(
                "SELECT {MESSAGE_COLUMNS} FROM {{s}}.messages \
                 WHERE session_id = $1 AND client_key = ANY($2::text[])"
            )),
            pop: of(&format!(
                "DELETE FROM {{s}}.messages WHERE session_id = $1 AND seq = \
                 (SELECT max(seq) FROM {{s}}.messages WHERE session_id = $1) \
                 RETURNING {MESSAGE_COLUMNS}"
            )),
            clear: of(CLEAR),
            update: of(UPDATE_ROW),
            create: [of(DROP_EXPIRED), of(&create)],
            forget_participants: of("DELETE FROM {s}.participants WHERE session_id = $1"),
            add_participants: of("INSERT INTO {s}.participants (session_id, participant, \
                 updated_at) SELECT $1, unnest($2::text[]), $3"),
            notify: "SELECT pg_notify($1, $2)".to_owned(),
            lease: crate::lease::sql(schema),
        }
    }
}

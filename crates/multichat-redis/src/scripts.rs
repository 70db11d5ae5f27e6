//! The Lua scripts, each but the append prefixed with `scripts/common.lua`. The store sends
//! `EVALSHA` with their hashes and loads a script on `NOSCRIPT` (after a server restart, for
//! instance), then sends it once more.

use std::sync::LazyLock;

use redis::Script;

macro_rules! script {
    ($file:literal) => {
        LazyLock::new(|| {
            Script::new(concat!(
                include_str!("scripts/common.lua"),
                include_str!($file)
            ))
        })
    };
}

/// Compare-and-append of a batch to one or more sessions (the hot path: self-contained, without
/// `common.lua`).
pub static APPEND: LazyLock<Script> =
    LazyLock::new(|| Script::new(include_str!("scripts/append.lua")));
/// Create, replacing an expired session.
pub static CREATE: LazyLock<Script> = script!("scripts/create.lua");
/// Compare-and-set of a patched session.
pub static WRITE: LazyLock<Script> = script!("scripts/write.lua");
/// Delete (or purge when expired).
pub static DELETE: LazyLock<Script> = script!("scripts/delete.lua");
/// Pop the last message.
pub static POP: LazyLock<Script> = script!("scripts/pop.lua");
/// Clear the messages.
pub static CLEAR: LazyLock<Script> = script!("scripts/clear.lua");
/// Write a whole session record (import, migration).
pub static RESTORE: LazyLock<Script> = script!("scripts/restore.lua");
/// Add messages with their own seqs (import, migration).
pub static RESTORE_MESSAGES: LazyLock<Script> = script!("scripts/restore_messages.lua");

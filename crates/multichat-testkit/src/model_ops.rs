//! The random operations of the model-based property test and how to generate them.

use proptest::prelude::*;

/// One random operation.
#[derive(Debug, Clone)]
pub enum Op {
    /// A session operation.
    Session(SessionOp),
    /// A message operation.
    Message(MessageOp),
    /// Move the shared manual clock forward by this many milliseconds.
    Advance(u16),
}

/// Operations of `SessionStore`. Ids are small numbers so operations collide often.
#[derive(Debug, Clone)]
pub enum SessionOp {
    /// Create session `id`.
    Create {
        /// Session number.
        id: u8,
        /// Participant number.
        participant: u8,
        /// Idle expiry in ms, if any.
        idle_ms: Option<u16>,
    },
    /// Get session `id`.
    Get(u8),
    /// Patch the title, with an optional expected version.
    Update {
        /// Session number.
        id: u8,
        /// New title.
        title: Option<String>,
        /// Expected version.
        expect: Option<u64>,
    },
    /// Delete session `id`.
    Delete(u8),
    /// List sessions (optionally of one participant) with a page size.
    List {
        /// Participant number.
        participant: Option<u8>,
        /// Page size (0 is invalid on purpose).
        limit: u8,
    },
    /// Purge expired sessions.
    Purge,
}

/// Operations of `MessageStore`.
#[derive(Debug, Clone)]
pub enum MessageOp {
    /// Append `count` messages (0 is invalid on purpose); `bad` makes the last one invalid.
    Append {
        /// Session number.
        id: u8,
        /// How many messages.
        count: u8,
        /// Expected last seq.
        expect: Option<u64>,
        /// Whether the batch holds an invalid message.
        bad: bool,
    },
    /// Append a message keyed `k<key>` with content `v<variant>`, after an unkeyed one when
    /// `fresh`: small numbers, so retries (same key and content) and key conflicts are frequent.
    AppendKeyed {
        /// Session number.
        id: u8,
        /// Key number.
        key: u8,
        /// Content number.
        variant: u8,
        /// Whether an unkeyed message comes first in the batch.
        fresh: bool,
        /// Expected last seq.
        expect: Option<u64>,
    },
    /// Read with query form `form` (0 last, 1 after, 2 before, 3 a token budget of `seq * 3`
    /// in which an uncounted message counts as 2).
    Read {
        /// Session number.
        id: u8,
        /// Query form.
        form: u8,
        /// Seq bound.
        seq: u64,
        /// Limit.
        limit: u8,
    },
    /// Pop the last message.
    Pop(u8),
    /// Clear all messages.
    Clear(u8),
}

/// A strategy for sequences of up to `max_len` operations.
pub fn ops(max_len: usize) -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(op(), 1..max_len)
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => session_op().prop_map(Op::Session),
        5 => message_op().prop_map(Op::Message),
        1 => (1u16..3000).prop_map(Op::Advance),
    ]
}

fn session_op() -> impl Strategy<Value = SessionOp> {
    let title = prop::option::of("[a-zé ]{0,6}");
    prop_oneof![
        3 => (0u8..4, 0u8..3, prop::option::of(1000u16..5000))
            .prop_map(|(id, participant, idle_ms)| SessionOp::Create { id, participant, idle_ms }),
        1 => (0u8..4).prop_map(SessionOp::Get),
        2 => (0u8..4, title, prop::option::of(0u64..6))
            .prop_map(|(id, title, expect)| SessionOp::Update { id, title, expect }),
        1 => (0u8..4).prop_map(SessionOp::Delete),
        1 => (prop::option::of(0u8..3), 0u8..4).prop_map(|(participant, limit)| SessionOp::List { participant, limit }),
        1 => Just(SessionOp::Purge),
    ]
}

fn message_op() -> impl Strategy<Value = MessageOp> {
    prop_oneof![
        5 => (0u8..4, 0u8..4, prop::option::of(0u64..8), prop::bool::weighted(0.1))
            .prop_map(|(id, count, expect, bad)| MessageOp::Append { id, count, expect, bad }),
        3 => (0u8..4, 0u8..3, 0u8..2, prop::bool::ANY, prop::option::of(0u64..8))
            .prop_map(|(id, key, variant, fresh, expect)| MessageOp::AppendKeyed { id, key, variant, fresh, expect }),
        3 => (0u8..4, 0u8..4, 0u64..12, 0u8..6).prop_map(|(id, form, seq, limit)| MessageOp::Read { id, form, seq, limit }),
        1 => (0u8..4).prop_map(MessageOp::Pop),
        1 => (0u8..4).prop_map(MessageOp::Clear),
    ]
}

//! The cases themselves, each written out by hand (never computed by the code under test).

use super::{After, Before, TransitionCase, TransitionOp};
use crate::bounds::MAX_COUNTER;
use crate::error::ErrorKind;
use crate::session::Expiry;
use crate::stored::Counters;
use crate::time::Timestamp;

/// A session at version 3 whose seqs 3 and 4 were popped: messages 1, 2 and 5, last written at
/// offset 500, with `expiry`.
fn gapped(expiry: Option<Expiry>) -> Before {
    Before {
        version: 3,
        last_seq: 5,
        seqs: vec![1, 2, 5],
        updated: 500,
        expiry,
    }
}

/// A session at version 3 and `last_seq` 5 whose messages were all removed.
fn emptied() -> Before {
    Before {
        seqs: Vec::new(),
        ..gapped(None)
    }
}

const fn counters(version: u64, last_seq: u64, message_count: u64) -> Counters {
    Counters {
        version,
        last_seq,
        message_count,
    }
}

const IDLE: Option<Expiry> = Some(Expiry::IdleMs(60_000));
const EXPIRED: Option<Expiry> = Some(Expiry::IdleMs(200));

/// Append cases.
fn appends() -> Vec<TransitionCase> {
    let append = |count, expected_last_seq| TransitionOp::Append {
        count,
        expected_last_seq,
    };
    let fresh = Before {
        version: 1,
        last_seq: 0,
        seqs: Vec::new(),
        updated: 0,
        expiry: None,
    };
    let after = |returned: Vec<u64>, updated, expires| After {
        returned,
        counters: counters(4, 6, 4),
        updated,
        expires,
        seqs: vec![1, 2, 5, 6],
    };
    vec![
        TransitionCase {
            name: "an append to a new session assigns seqs from 1",
            before: fresh.clone(),
            op: append(2, Some(0)),
            now: 1000,
            want: Ok(After {
                returned: vec![1, 2],
                counters: counters(2, 2, 2),
                updated: 1000,
                expires: None,
                seqs: vec![1, 2],
            }),
        },
        TransitionCase {
            name: "an append after pops goes on from last_seq",
            before: gapped(None),
            op: append(1, Some(5)),
            now: 1000,
            want: Ok(after(vec![6], 1000, None)),
        },
        TransitionCase {
            name: "an append expecting another last_seq is a conflict",
            before: gapped(None),
            op: append(1, Some(4)),
            now: 1000,
            want: Err(ErrorKind::Conflict),
        },
        TransitionCase {
            name: "a clock behind updated_at leaves updated_at where it was",
            before: gapped(IDLE),
            op: append(1, None),
            now: 400,
            want: Ok(after(vec![6], 500, Some(60_500))),
        },
        TransitionCase {
            name: "an append slides an idle expiry",
            before: gapped(IDLE),
            op: append(1, None),
            now: 1000,
            want: Ok(after(vec![6], 1000, Some(61_000))),
        },
        TransitionCase {
            name: "an append leaves a fixed deadline",
            before: gapped(Some(Expiry::At(Timestamp(90_000)))),
            op: append(1, None),
            now: 1000,
            want: Ok(after(vec![6], 1000, Some(90_000))),
        },
        TransitionCase {
            name: "an append to an expired session finds none",
            before: gapped(EXPIRED),
            op: append(1, None),
            now: 1000,
            want: Err(ErrorKind::NotFound),
        },
        TransitionCase {
            name: "an append past the counter ceiling is corrupt",
            before: Before {
                last_seq: MAX_COUNTER - 1,
                ..fresh.clone()
            },
            op: append(2, None),
            now: 1000,
            want: Err(ErrorKind::Corrupt),
        },
        TransitionCase {
            name: "an append to a session at the version ceiling is corrupt",
            before: Before {
                version: MAX_COUNTER,
                ..fresh
            },
            op: append(1, None),
            now: 1000,
            want: Err(ErrorKind::Corrupt),
        },
    ]
}

/// Pop, clear and retitle cases.
fn removals() -> Vec<TransitionCase> {
    let unchanged = |returned| After {
        returned,
        counters: counters(3, 5, 0),
        updated: 500,
        expires: None,
        seqs: Vec::new(),
    };
    let retitled = |updated, expires| After {
        returned: Vec::new(),
        counters: counters(4, 5, 3),
        updated,
        expires,
        seqs: vec![1, 2, 5],
    };
    let retitle = |expected_version| TransitionOp::Retitle { expected_version };
    vec![
        TransitionCase {
            name: "a pop removes the last message and keeps last_seq",
            before: gapped(None),
            op: TransitionOp::Pop,
            now: 1000,
            want: Ok(After {
                returned: vec![5],
                counters: counters(4, 5, 2),
                updated: 1000,
                expires: None,
                seqs: vec![1, 2],
            }),
        },
        TransitionCase {
            name: "a pop of an empty session is not a write",
            before: emptied(),
            op: TransitionOp::Pop,
            now: 1000,
            want: Ok(unchanged(Vec::new())),
        },
        TransitionCase {
            name: "a pop at the deadline finds no session",
            before: Before {
                expiry: Some(Expiry::IdleMs(500)),
                ..gapped(None)
            },
            op: TransitionOp::Pop,
            now: 1000,
            want: Err(ErrorKind::NotFound),
        },
        TransitionCase {
            name: "a clear removes every message and keeps last_seq",
            before: gapped(None),
            op: TransitionOp::Clear,
            now: 1000,
            want: Ok(After {
                returned: vec![3],
                counters: counters(4, 5, 0),
                updated: 1000,
                expires: None,
                seqs: Vec::new(),
            }),
        },
        TransitionCase {
            name: "a clear in the millisecond of the last write moves no time",
            before: gapped(IDLE),
            op: TransitionOp::Clear,
            now: 500,
            want: Ok(After {
                returned: vec![3],
                counters: counters(4, 5, 0),
                updated: 500,
                expires: Some(60_500),
                seqs: Vec::new(),
            }),
        },
        TransitionCase {
            name: "a clear of an empty session is not a write",
            before: emptied(),
            op: TransitionOp::Clear,
            now: 1000,
            want: Ok(unchanged(vec![0])),
        },
        TransitionCase {
            name: "a clear of an expired session finds none",
            before: gapped(EXPIRED),
            op: TransitionOp::Clear,
            now: 1000,
            want: Err(ErrorKind::NotFound),
        },
        TransitionCase {
            name: "a retitle expecting the version bumps it",
            before: gapped(None),
            op: retitle(Some(3)),
            now: 1000,
            want: Ok(retitled(1000, None)),
        },
        TransitionCase {
            name: "a retitle slides an idle expiry",
            before: gapped(IDLE),
            op: retitle(None),
            now: 2000,
            want: Ok(retitled(2000, Some(62_000))),
        },
        TransitionCase {
            name: "a retitle expecting another version is a conflict",
            before: gapped(None),
            op: retitle(Some(2)),
            now: 1000,
            want: Err(ErrorKind::Conflict),
        },
    ]
}

/// Every case of the table.
pub fn transition_cases() -> Vec<TransitionCase> {
    let mut cases = appends();
    cases.extend(removals());
    cases
}

//! The listing index of the in-memory stores against the reference listing (`list_page`, a
//! pass over every session): after any sequence of inserts, changes of `updated_at` and
//! participants, and removals, every page of every query — all sessions or one participant's,
//! walked to the end by its cursors, at a time some sessions have expired — is the same.

use multichat_core::backend::{Listed, list_page};
use multichat_core::{Expiry, ListCursor, NewSession, Session, SessionId, SessionQuery, Timestamp};
use proptest::prelude::*;

/// One change to the sessions: `(kind, id, time, participants as bits of a, b, c)`.
type Op = (u8, u8, i64, u8);

fn participants(bits: u8) -> Vec<String> {
    ["a", "b", "c"]
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, p)| (*p).to_owned())
        .collect()
}

/// Applies `ops` to an index; a session with an even time expires at 100.
fn build(ops: &[Op]) -> Listed<Session> {
    let mut listed = Listed::default();
    for &(kind, id, time, bits) in ops {
        let id = SessionId::new(format!("s{id}")).expect("id");
        match kind % 3 {
            0 => {
                let mut new = NewSession::new(id).participants(participants(bits));
                if time % 2 == 0 {
                    new = new.expiry(Expiry::At(Timestamp(100)));
                }
                listed.insert(Session::create(new, Timestamp(time)));
            }
            1 => drop(listed.update(&id, |s: &mut Session| {
                s.updated_at = Timestamp(time);
                s.participants = participants(bits);
            })),
            _ => drop(listed.remove(&id)),
        }
    }
    listed
}

proptest! {
    #[test]
    fn every_page_matches_the_reference_listing(
        ops in proptest::collection::vec((0u8..3, 0u8..12, 0i64..40, 0u8..8), 0..60),
        limit in 1usize..5,
        now in prop_oneof![Just(50i64), Just(150i64)],
    ) {
        let listed = build(&ops);
        let now = Timestamp(now);
        for participant in [None, Some("a"), Some("c")] {
            let mut cursor: Option<ListCursor> = None;
            for _ in 0..20 {
                let mut query = SessionQuery::new(limit);
                query.participant = participant.map(str::to_owned);
                let reference = list_page(listed.values(), &query, cursor.as_ref(), now);
                let page = listed.page(&query, cursor.as_ref(), now);
                prop_assert_eq!(&page.items, &reference.items);
                prop_assert_eq!(&page.next_cursor, &reference.next_cursor);
                match page.next_cursor {
                    Some(next) => cursor = Some(ListCursor::decode(&next).expect("cursor")),
                    None => break,
                }
            }
        }
    }
}

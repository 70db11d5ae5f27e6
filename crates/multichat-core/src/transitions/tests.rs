//! The core transitions against the table.

use super::{TransitionCase, TransitionOp, transition_cases};
use crate::error::ErrorKind;
use crate::id::SessionId;
use crate::patch::SessionPatch;
use crate::session::Session;
use crate::time::Timestamp;

/// What the reference gives for `case`: the call's return, the session and its stored seqs.
fn reference(
    case: &TransitionCase,
    base: Timestamp,
) -> Result<(Vec<u64>, Session, Vec<u64>), ErrorKind> {
    let id = SessionId::new("t").expect("id");
    let mut s = case.session(id, base);
    let mut seqs = case.before.seqs.clone();
    let now = Timestamp(base.0 + case.now);
    if s.is_expired(now) {
        return Err(ErrorKind::NotFound);
    }
    let returned = match case.op {
        TransitionOp::Append {
            count,
            expected_last_seq,
        } => {
            let plan = s
                .plan_append(count, expected_last_seq, now)
                .map_err(|e| e.kind())?;
            s.apply_append(&plan);
            seqs.extend(plan.seqs());
            plan.seqs()
        }
        TransitionOp::Pop => {
            let popped: Vec<u64> = seqs.pop().into_iter().collect();
            s.record_removal(popped.len() as u64, now)
                .map_err(|e| e.kind())?;
            popped
        }
        TransitionOp::Clear => {
            let highest = seqs.last().copied().unwrap_or(0);
            s.record_clear(seqs.len() as u64, highest, now)
                .map_err(|e| e.kind())?;
            let removed = seqs.len() as u64;
            seqs.clear();
            vec![removed]
        }
        TransitionOp::Retitle { expected_version } => {
            let mut patch = SessionPatch::new().title(Some("retitled".to_owned()));
            patch.expected_version = expected_version;
            s.apply_patch(patch, now).map_err(|e| e.kind())?;
            Vec::new()
        }
    };
    Ok((returned, s, seqs))
}

#[test]
fn the_core_transitions_agree_with_every_case_of_the_table() {
    let base = Timestamp(1_700_000_000_000);
    let cases = transition_cases();
    assert!(cases.len() >= 15, "the table lost cases");
    for case in &cases {
        let before = case.session(SessionId::new("t").expect("id"), base);
        let got = reference(case, base);
        match &case.want {
            Ok(after) => {
                let (returned, session, seqs) =
                    got.unwrap_or_else(|e| panic!("{}: {e}", case.name));
                assert_eq!(returned, after.returned, "{}", case.name);
                assert_eq!(session, case.expected(&before, base), "{}", case.name);
                assert_eq!(seqs, after.seqs, "{}", case.name);
            }
            Err(kind) => assert_eq!(got.err(), Some(*kind), "{}", case.name),
        }
    }
}

//! The model-based property test: random operation sequences applied to a store under test and
//! to `MemoryStore` must give the same results, and leave the same state.

use std::future::Future;
use std::time::Duration;

use multichat_core::{
    ChatStore, Expiry, MemoryConfig, MemoryStore, MessageQuery, NewMessage, NewSession, Result,
    Role, SessionId, SessionPatch, SessionQuery,
};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde::Serialize;

pub use crate::model_ops::{MessageOp, Op, SessionOp};
use crate::{Fixture, ManualClock};

/// Runs `cases` random sequences of operations against a fresh store from `make` and against
/// [`MemoryStore`], sharing one manual clock, and panics with the shrunk sequence on the first
/// difference. Call it from a plain `#[test]` (it runs its own tokio runtime).
pub fn check_against_model<F, Fut>(make: F, cases: u32)
where
    F: Fn(ManualClock) -> Fut,
    Fut: Future<Output = Fixture>,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&crate::model_ops::ops(40), |ops| {
        runtime.block_on(run_case(&make, ops))
    });
    if let Err(failure) = result {
        panic!("the store differs from the model: {failure}");
    }
}

async fn run_case<F, Fut>(make: &F, ops: Vec<Op>) -> Result<(), TestCaseError>
where
    F: Fn(ManualClock) -> Fut,
    Fut: Future<Output = Fixture>,
{
    // Starts at the real current time: Redis expires keys by the real clock too.
    let clock = ManualClock::new();
    let fixture = make(clock.clone()).await;
    if fixture.is_skipped() {
        return Ok(());
    }
    let model =
        MemoryStore::with_config(MemoryConfig::default().clock(std::sync::Arc::new(clock.clone())));
    for (step, op) in ops.iter().enumerate() {
        if let Op::Advance(ms) = op {
            clock.advance(Duration::from_millis(u64::from(*ms)));
            continue;
        }
        let got = apply(fixture.store.as_ref(), op).await;
        let want = apply(&model, op).await;
        proptest::prop_assert_eq!(got, want, "step {} {:?}", step, op);
    }
    proptest::prop_assert_eq!(
        snapshot(fixture.store.as_ref()).await,
        snapshot(&model).await,
        "final state"
    );
    Ok(())
}

async fn apply(store: &dyn ChatStore, op: &Op) -> String {
    match op {
        Op::Session(op) => apply_session(store, op).await,
        Op::Message(op) => apply_message(store, op).await,
        Op::Advance(_) => String::new(),
    }
}

async fn apply_session(store: &dyn ChatStore, op: &SessionOp) -> String {
    match op {
        SessionOp::Create {
            id,
            participant,
            idle_ms,
        } => {
            let mut new = NewSession::new(sid(*id)).participant(format!("p{participant}"));
            new.expiry = idle_ms.map(|ms| Expiry::idle(Duration::from_millis(u64::from(ms))));
            outcome(store.create_session(new).await)
        }
        SessionOp::Get(id) => outcome(store.get_session(&sid(*id)).await),
        SessionOp::Update { id, title, expect } => {
            let mut patch = SessionPatch::new().title(title.clone());
            patch.expected_version = *expect;
            outcome(store.update_session(&sid(*id), patch).await)
        }
        SessionOp::Delete(id) => outcome(store.delete_session(&sid(*id)).await),
        SessionOp::List { participant, limit } => {
            let mut query = SessionQuery::new(usize::from(*limit));
            query.participant = participant.map(|p| format!("p{p}"));
            outcome(store.list_sessions(query).await)
        }
        SessionOp::Purge => outcome(store.purge_expired().await),
    }
}

async fn apply_message(store: &dyn ChatStore, op: &MessageOp) -> String {
    match op {
        MessageOp::Append {
            id,
            count,
            expect,
            bad,
        } => {
            // Token counts on every other message (uncounted ones test the budget's default).
            let mut batch: Vec<NewMessage> = (0..*count)
                .map(|i| NewMessage::user(format!("m{i}")))
                .map(|m| match m.content.ends_with(['1', '3']) {
                    true => m.tokens(u32::from(*count) + 1),
                    false => m,
                })
                .collect();
            if *bad {
                batch.push(NewMessage::new(Role::Other(String::new()), "invalid role"));
            }
            outcome(store.append(&sid(*id), batch, *expect).await)
        }
        MessageOp::AppendKeyed {
            id,
            key,
            variant,
            fresh,
            expect,
        } => {
            let keyed = NewMessage::user(format!("v{variant}")).key(format!("k{key}"));
            let batch = match fresh {
                true => vec![NewMessage::user("fresh"), keyed],
                false => vec![keyed],
            };
            outcome(store.append(&sid(*id), batch, *expect).await)
        }
        MessageOp::Read {
            id,
            form,
            seq,
            limit,
        } => {
            let limit = usize::from(*limit);
            let query = [
                MessageQuery::last(limit),
                MessageQuery::after(*seq, limit),
                MessageQuery::before(*seq, limit),
                MessageQuery::budget(*seq * 3, limit).uncounted(2),
            ];
            outcome(store.read(&sid(*id), query[usize::from(*form)]).await)
        }
        MessageOp::Pop(id) => outcome(store.pop(&sid(*id)).await),
        MessageOp::Clear(id) => outcome(store.clear(&sid(*id)).await),
    }
}

/// Every live session with all its messages, in listing order.
async fn snapshot(store: &dyn ChatStore) -> String {
    let page = store
        .list_sessions(SessionQuery::new(1000))
        .await
        .expect("list");
    let mut out = Vec::new();
    for session in page.items {
        let messages = store
            .read(&session.id, MessageQuery::last(1000))
            .await
            .expect("read");
        out.push(serde_json::json!({"session": session, "messages": messages}));
    }
    serde_json::to_string(&out).expect("json")
}

fn outcome<T: Serialize>(result: Result<T>) -> String {
    match result {
        Ok(value) => serde_json::to_string(&value).expect("json"),
        Err(error) => format!("error: {}", error.kind()),
    }
}

fn sid(n: u8) -> SessionId {
    SessionId::new(format!("s{n}")).expect("valid id")
}

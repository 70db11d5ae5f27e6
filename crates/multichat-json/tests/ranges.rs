//! Ranges in the middle of a long history: `after` and `before` find their first line by
//! bisection, and give what a scan from either end gives — also in a log with a line written in
//! another key order (valid, but not the store's own form), where they decode their way through.

use std::path::Path;

use multichat_core::{
    Message, MessageQuery, MessageStore, NewMessage, NewSession, SessionId, SessionStore,
};
use multichat_json::{JsonConfig, JsonStore, layout};

const HISTORY: u64 = 3_000;

/// A session of `HISTORY` messages of varied lengths; the store and the session's id.
async fn long_session(root: &Path) -> (JsonStore, SessionId) {
    let store = JsonStore::open(JsonConfig::new(root)).await.expect("open");
    let id = SessionId::new("long").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    for batch in 0..HISTORY / 500 {
        let messages = (0..500)
            .map(|i| NewMessage::user("x".repeat(((batch * 500 + i) * 53 % 700) as usize)))
            .collect();
        store.append(&id, messages, None).await.expect("append");
    }
    (store, id)
}

fn seqs(messages: &[Message]) -> Vec<u64> {
    messages.iter().map(|m| m.seq).collect()
}

/// Every `after` and `before` read of `limit` around `seq` gives the seqs a plain scan would.
async fn check_ranges(store: &JsonStore, id: &SessionId) {
    for seq in [
        0, 1, 2, 999, 1_500, 1_600, 1_601, 1_602, 2_047, 2_999, 3_000, 3_001, 9_999,
    ] {
        for limit in [1, 7, 100] {
            let after = store.read(id, MessageQuery::after(seq, limit)).await;
            let expected: Vec<u64> = (seq + 1..=HISTORY).take(limit).collect();
            assert_eq!(
                seqs(&after.expect("after")),
                expected,
                "after {seq}, {limit}"
            );
            let before = store.read(id, MessageQuery::before(seq, limit)).await;
            let mut expected: Vec<u64> = (1..seq.min(HISTORY + 1)).rev().take(limit).collect();
            expected.reverse();
            assert_eq!(
                seqs(&before.expect("before")),
                expected,
                "before {seq}, {limit}"
            );
        }
    }
}

#[tokio::test]
async fn ranges_in_the_middle_of_a_long_history_are_exact() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, id) = long_session(dir.path()).await;
    check_ranges(&store, &id).await;
}

#[tokio::test]
async fn a_line_in_another_key_order_is_decoded_not_skipped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, id) = long_session(dir.path()).await;
    drop(store);
    let log = layout::Layout::new(dir.path()).log(id.as_str());
    let text = std::fs::read_to_string(&log).expect("read log");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    // serde_json's map sorts its keys: the same line, `content` first, of the same length.
    let line: serde_json::Value = serde_json::from_str(&lines[1_600]).expect("a JSON line");
    let reordered = serde_json::to_string(&line).expect("encode");
    assert_eq!(reordered.len(), lines[1_600].len());
    assert!(!reordered.starts_with("{\"seq\":"), "{reordered}");
    lines[1_600] = reordered;
    std::fs::write(&log, lines.join("\n") + "\n").expect("write log");
    let store = JsonStore::open(JsonConfig::new(dir.path()))
        .await
        .expect("reopen");
    check_ranges(&store, &id).await;
}

//! Tests that run a store in child processes: the test binary re-invokes itself with
//! [`spawn_self`]; in the child, [`child_spec`] returns what to do and [`append_loop`] appends,
//! printing `ACK <seq> <content>` after each acknowledged append, so the parent knows exactly
//! what was acknowledged before it kills the child with SIGKILL.

use std::io::{BufRead, BufReader, Lines};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};

use multichat_core::{ChatStore, MessageQuery, NewMessage, NewSession, SessionId};

/// The session every child appends to.
pub const SESSION: &str = "shared";

/// What a child process does.
#[derive(Debug, Clone)]
pub struct ChildSpec {
    /// The store's path (file or directory).
    pub target: PathBuf,
    /// A prefix of the messages' contents.
    pub label: String,
    /// How many messages to append; 0 appends until killed.
    pub count: usize,
}

/// The spec if this process is a child started by [`spawn_self`].
pub fn child_spec() -> Option<ChildSpec> {
    let target = std::env::var_os("MULTICHAT_CHILD_TARGET")?;
    let label = std::env::var("MULTICHAT_CHILD_LABEL").ok()?;
    let count = std::env::var("MULTICHAT_CHILD_COUNT").ok()?.parse().ok()?;
    Some(ChildSpec {
        target: target.into(),
        label,
        count,
    })
}

/// Starts this test binary again, running only `test`, as a child with `spec`.
pub fn spawn_self(test: &str, spec: &ChildSpec) -> Child {
    Command::new(std::env::current_exe().expect("test binary"))
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env("MULTICHAT_CHILD_TARGET", &spec.target)
        .env("MULTICHAT_CHILD_LABEL", &spec.label)
        .env("MULTICHAT_CHILD_COUNT", spec.count.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn child")
}

/// The child's work: create [`SESSION`] if needed, then append one message at a time.
pub async fn append_loop(store: &dyn ChatStore, spec: &ChildSpec) {
    let id = SessionId::new(SESSION).expect("id");
    let _ = store.create_session(NewSession::new(id.clone())).await;
    for i in (0..).take_while(|i| spec.count == 0 || *i < spec.count) {
        let content = format!("{}-{i}", spec.label);
        let seqs = store
            .append(&id, vec![NewMessage::user(content.clone())], None)
            .await
            .expect("append");
        println!("ACK {} {content}", seqs[0]);
    }
}

/// Parses an acknowledgement anywhere in a line (libtest may print `test name ... ` first).
pub fn parse_ack(line: &str) -> Option<(u64, String)> {
    let rest = &line[line.find("ACK ")? + 4..];
    let (seq, content) = rest.split_once(' ')?;
    Some((seq.parse().ok()?, content.to_owned()))
}

/// Reads `n` acknowledgements, kills the child with SIGKILL, and returns every acknowledgement
/// it printed (including any printed between the last read and the kill).
pub fn kill_after(child: &mut Child, n: usize) -> Vec<(u64, String)> {
    let mut lines: Lines<BufReader<ChildStdout>> =
        BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut acks = Vec::new();
    while acks.len() < n {
        let line = lines
            .next()
            .expect("the child is still running")
            .expect("line");
        acks.extend(parse_ack(&line));
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
    acks.extend(lines.map_while(Result::ok).filter_map(|l| parse_ack(&l)));
    acks
}

/// Every acknowledgement a child printed until it exited.
pub fn all_acks(child: &mut Child) -> Vec<(u64, String)> {
    let lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let acks = lines
        .map_while(Result::ok)
        .filter_map(|l| parse_ack(&l))
        .collect();
    assert!(child.wait().expect("wait").success(), "the child failed");
    acks
}

/// Every message of [`SESSION`] as `(seq, content)`, read in pages.
pub async fn stored(store: &dyn ChatStore) -> Vec<(u64, String)> {
    let id = SessionId::new(SESSION).expect("id");
    let mut out: Vec<(u64, String)> = Vec::new();
    loop {
        let after = out.last().map_or(0, |(seq, _)| *seq);
        let page = store
            .read(&id, MessageQuery::after(after, 1000))
            .await
            .expect("read");
        if page.is_empty() {
            return out;
        }
        out.extend(page.into_iter().map(|m| (m.seq, m.content)));
    }
}

/// After a crash: every acknowledged message of [`SESSION`] is in `store` under its seq, seqs
/// strictly increase, and an append continues with the next seq (added to `acked`).
pub async fn check_after_crash(
    store: &dyn ChatStore,
    acked: &mut Vec<(u64, String)>,
    round: usize,
) {
    let found = stored(store).await;
    for ack in acked.iter() {
        assert!(
            found.contains(ack),
            "round {round}: acknowledged {ack:?} is missing"
        );
    }
    assert!(
        found.windows(2).all(|w| w[0].0 < w[1].0),
        "round {round}: seqs strictly increase"
    );
    let id = SessionId::new(SESSION).expect("id");
    let next = store
        .append(&id, vec![NewMessage::user("parent")], None)
        .await
        .expect("append")[0];
    assert_eq!(
        next,
        found.last().map_or(1, |(seq, _)| seq + 1),
        "round {round}: appends continue with the next seq"
    );
    acked.push((next, "parent".into()));
}

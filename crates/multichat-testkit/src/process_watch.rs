//! Watches across processes, for every backend that more than one process can open: a child
//! appends while this process watches, and this process appends while a child watches. Each
//! side checks that the watch delivered every message exactly once, in seq order, as the writer
//! acknowledged it — whichever process wrote it. The child is the test binary again
//! ([`crate::process`]); in it, [`child_work`] does what the spec says. A backend's test binary
//! gets both tests from [`crate::watch_across_processes_tests`].

use std::any::Any;
use std::future::Future;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use multichat_core::{ChatStore, NewMessage, NewSession, SessionId};
use tokio::sync::mpsc;

use crate::cases::watch::next_message;
use crate::process::{self, ChildSpec, SESSION};

/// Where the watched data lives — a file, or a server's URL — with what keeps it (a temp dir, the
/// server), or `None` when the backend's tests are skipped.
pub type Place = Option<(Box<dyn Any>, PathBuf)>;

/// The label that makes a child watch instead of append.
const WATCH: &str = "watch";

/// In a child: watch [`SESSION`] from the start, printing `ACK <seq> <content>` for each of
/// `spec.count` messages (label `watch`), or append them ([`process::append_loop`]).
pub async fn child_work(store: Arc<dyn ChatStore>, spec: &ChildSpec) {
    if spec.label != WATCH {
        return process::append_loop(store.as_ref(), spec).await;
    }
    let id = SessionId::new(SESSION).expect("id");
    let mut watch = store.watch(id, 0);
    for _ in 0..spec.count {
        let m = next_message(&mut watch).await;
        println!("ACK {} {}", m.seq, m.content);
    }
}

/// A child started with `test` appends `count` messages to [`SESSION`] of the store at
/// `target` while `store` (the same data, this process) watches it: the watch delivers exactly
/// what the child acknowledged, in order.
pub async fn parent_follows_child(
    store: Arc<dyn ChatStore>,
    test: &str,
    target: &Path,
    count: usize,
) {
    let id = create(store.as_ref()).await;
    let mut watch = store.watch(id, 0);
    let spec = ChildSpec {
        target: target.to_path_buf(),
        label: "child".into(),
        count,
    };
    let mut child = process::spawn_self(test, &spec);
    let mut delivered = Vec::with_capacity(count);
    while delivered.len() < count {
        let m = next_message(&mut watch).await;
        delivered.push((m.seq, m.content));
    }
    let acked = tokio::task::spawn_blocking(move || process::all_acks(&mut child));
    let acked = acked.await.expect("the child's acknowledgements");
    assert_eq!(
        delivered, acked,
        "the watch delivered what the child appended"
    );
}

/// This process appends `count` messages to [`SESSION`] of `store` while a child started with
/// `test` watches the store at `target`: half before the child has delivered anything, half
/// after it delivered the first (so it follows them live); the child delivers exactly what was
/// appended, in order.
pub async fn child_follows_parent(
    store: Arc<dyn ChatStore>,
    test: &str,
    target: &Path,
    count: usize,
) {
    let id = create(store.as_ref()).await;
    let spec = ChildSpec {
        target: target.to_path_buf(),
        label: WATCH.into(),
        count,
    };
    let mut child = process::spawn_self(test, &spec);
    let stdout = child.stdout.take().expect("stdout");
    let (acks, mut delivered) = mpsc::unbounded_channel();
    let reader = std::thread::spawn(move || {
        let lines = BufReader::new(stdout).lines().map_while(Result::ok);
        lines.filter_map(|l| process::parse_ack(&l)).for_each(|a| {
            let _ = acks.send(a);
        });
        child.wait().expect("wait").success()
    });
    let mut appended = Vec::with_capacity(count);
    for i in 0..count {
        if i == count / 2 {
            let first = tokio::time::timeout(Duration::from_secs(30), delivered.recv()).await;
            let first = first
                .expect("the child delivers within 30 s")
                .expect("an ack");
            assert_eq!(Some(&first), appended.first(), "the child's first message");
        }
        let content = format!("parent-{i}");
        let seq = store
            .append(&id, vec![NewMessage::user(content.clone())], None)
            .await
            .expect("append")[0];
        appended.push((seq, content));
    }
    let ok = tokio::task::spawn_blocking(move || reader.join().expect("reader"));
    assert!(
        ok.await.expect("the child ends"),
        "the watching child failed"
    );
    let mut got = vec![appended[0].clone()];
    while let Ok(a) = delivered.try_recv() {
        got.push(a);
    }
    assert_eq!(
        got, appended,
        "the child delivered what this process appended"
    );
}

/// Creates [`SESSION`] in `store`.
async fn create(store: &dyn ChatStore) -> SessionId {
    let id = SessionId::new(SESSION).expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create the watched session");
    id
}

/// In a child started by [`process::spawn_self`]: opens the store at the spec's target with
/// `open` and does its work ([`child_work`]); true. In the parent: false, nothing done.
pub fn run_as_child<F>(open: fn(PathBuf) -> F) -> bool
where
    F: Future<Output = Arc<dyn ChatStore>>,
{
    let Some(spec) = process::child_spec() else {
        return false;
    };
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async { child_work(open(spec.target.clone()).await, &spec).await });
    true
}

/// Runs test `test` of [`crate::watch_across_processes_tests`] in the parent: `place` gives the
/// data's place (and what keeps it, e.g. a server), `open` the store on it (the child opens the
/// same); the parent follows the child when `parent_follows`, else the child the parent.
pub fn run<F>(test: &str, place: fn() -> Place, open: fn(PathBuf) -> F, parent_follows: bool)
where
    F: Future<Output = Arc<dyn ChatStore>>,
{
    let Some((_kept, target)) = place() else {
        return;
    };
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let store = open(target.clone()).await;
        match parent_follows {
            true => parent_follows_child(store, test, &target, 40).await,
            false => child_follows_parent(store, test, &target, 40).await,
        }
    });
}

//! Failure rules: a failing, hanging or emptied fast store never fails a call nor serves stale
//! data; repeated failures start a bypass that ends after the back-off; a fill never overwrites
//! a newer invalidation; two instances see each other's writes.

use std::sync::Arc;
use std::time::Duration;

use multichat_core::{
    ChatStore, ManualClock, MemoryConfig, MemoryStore, MessageQuery, MessageStore, NewMessage,
    NewSession, SessionId, SessionPatch, SessionStore,
};
use multichat_hybrid::{HybridConfig, HybridStore};
use multichat_testkit::{FaultyStore, Mode};

fn id(n: usize) -> SessionId {
    SessionId::new(format!("s{n}")).expect("id")
}

fn config() -> HybridConfig {
    HybridConfig::default()
        .window(10)
        .fast_timeout(Duration::from_millis(30))
        .backoff(3, Duration::from_millis(100))
}

/// Every read through the hybrid equals the durable store's own answer.
async fn check_reads<F: ChatStore, D: ChatStore>(hybrid: &HybridStore<F, D>, sessions: usize) {
    for n in 0..sessions {
        let got = hybrid
            .read(&id(n), MessageQuery::last(5))
            .await
            .expect("read never fails");
        let want = hybrid
            .durable()
            .read(&id(n), MessageQuery::last(5))
            .await
            .expect("durable read");
        assert_eq!(got, want, "session {n}");
        let session = hybrid.get_session(&id(n)).await.expect("get never fails");
        assert_eq!(
            session,
            hybrid
                .durable()
                .get_session(&id(n))
                .await
                .expect("durable get")
        );
    }
}

#[tokio::test]
async fn a_failing_hanging_or_emptied_fast_store_never_fails_a_call() {
    let fast = Arc::new(FaultyStore::new());
    let hybrid = HybridStore::new(Arc::clone(&fast), MemoryStore::new(), config());
    for n in 0..4 {
        hybrid
            .create_session(NewSession::new(id(n)))
            .await
            .expect("create");
    }
    let modes = [
        Mode::Normal,
        Mode::Fail,
        Mode::Normal,
        Mode::Hang,
        Mode::Normal,
        Mode::Fail,
        Mode::Normal,
    ];
    for (round, mode) in modes.into_iter().enumerate() {
        fast.set_mode(mode);
        if round == 4 {
            fast.lose_contents();
        }
        for n in 0..4 {
            let m = NewMessage::user(format!("r{round} s{n}"));
            hybrid
                .append(&id(n), vec![m], None)
                .await
                .expect("append never fails");
        }
        check_reads(&hybrid, 4).await;
        check_reads(&hybrid, 4).await;
    }
    let stats = hybrid.stats();
    assert!(
        stats.hits > 0 && stats.misses > 0 && stats.fast_errors > 0,
        "{stats:?}"
    );
}

#[tokio::test]
async fn repeated_failures_bypass_the_fast_store_until_the_backoff_ends() {
    let clock = ManualClock::new();
    let fast = Arc::new(FaultyStore::new());
    let durable = MemoryStore::with_config(MemoryConfig::default().clock(Arc::new(clock.clone())));
    let config = config().clock(Arc::new(clock.clone()));
    let hybrid = HybridStore::new(Arc::clone(&fast), durable, config);
    hybrid
        .create_session(NewSession::new(id(0)))
        .await
        .expect("create");
    fast.set_mode(Mode::Fail);
    for _ in 0..3 {
        hybrid.get_session(&id(0)).await.expect("get");
    }
    let stats = hybrid.stats();
    assert!(stats.bypassed, "{stats:?}");
    let errors = stats.fast_errors;
    for _ in 0..5 {
        hybrid
            .get_session(&id(0))
            .await
            .expect("get while bypassed");
    }
    assert_eq!(
        hybrid.stats().fast_errors,
        errors,
        "a bypassed fast store is not called"
    );
    fast.set_mode(Mode::Normal);
    clock.advance(Duration::from_millis(99));
    assert!(hybrid.stats().bypassed, "the back-off lasts its 100 ms");
    clock.advance(Duration::from_millis(1));
    assert!(!hybrid.stats().bypassed, "the back-off has ended");
    hybrid.get_session(&id(0)).await.expect("miss, fill");
    hybrid.get_session(&id(0)).await.expect("hit");
    assert!(hybrid.stats().hits >= 1, "the fast store is used again");
}

#[tokio::test]
async fn a_fill_never_overwrites_a_newer_invalidation() {
    let fast = Arc::new(MemoryStore::new());
    let durable = Arc::new(FaultyStore::new());
    let reader = Arc::new(HybridStore::new(
        Arc::clone(&fast),
        Arc::clone(&durable),
        config(),
    ));
    let writer = HybridStore::new(Arc::clone(&fast), Arc::clone(&durable), config());
    writer
        .create_session(NewSession::new(id(0)).title("old"))
        .await
        .expect("create");
    let pause = durable.pause_get(1);
    let reading = {
        let reader = Arc::clone(&reader);
        tokio::spawn(async move { reader.get_session(&id(0)).await })
    };
    pause.reached.notified().await;
    let updated = writer
        .update_session(&id(0), SessionPatch::new().title(Some("new".into())))
        .await
        .expect("update");
    pause.release.notify_one();
    let raced = reading.await.expect("task").expect("get").expect("exists");
    assert_eq!(
        raced.title.as_deref(),
        Some("old"),
        "that read began before the update"
    );
    let after = reader
        .get_session(&id(0))
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(after, updated, "the stale fill was refused");
    assert_eq!(
        reader.get_session(&id(0)).await.expect("get"),
        Some(updated)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_never_read_older_than_an_acknowledged_write() {
    let (fast, durable) = (Arc::new(MemoryStore::new()), Arc::new(MemoryStore::new()));
    let a = HybridStore::new(Arc::clone(&fast), Arc::clone(&durable), config());
    let b = HybridStore::new(Arc::clone(&fast), Arc::clone(&durable), config());
    a.create_session(NewSession::new(id(0)))
        .await
        .expect("create");
    for i in 0..60 {
        let (writer, reader) = if i % 2 == 0 { (&a, &b) } else { (&b, &a) };
        writer
            .append(&id(0), vec![NewMessage::user(format!("m{i}"))], None)
            .await
            .expect("append");
        let acked = durable
            .get_session(&id(0))
            .await
            .expect("get")
            .expect("exists")
            .version;
        let seen = reader
            .get_session(&id(0))
            .await
            .expect("get")
            .expect("exists");
        assert!(
            seen.version >= acked,
            "read version {} after acknowledged {acked}",
            seen.version
        );
        let last = reader
            .read(&id(0), MessageQuery::last(1))
            .await
            .expect("read");
        assert_eq!(last[0].content, format!("m{i}"));
    }
}

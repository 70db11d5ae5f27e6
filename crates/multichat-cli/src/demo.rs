//! `demo`: agents chat concurrently in several sessions while a follower watches the first one
//! live, the store is closed and reopened, and a table shows that everything came back.

use std::sync::Arc;

use std::time::Duration;

use futures_util::StreamExt;
use indicatif::ProgressBar;
use multichat_core::{ChatStore, MessageQuery, NewMessage, NewSession, Result, SessionId};
use tokio::task::{JoinHandle, JoinSet};

use crate::cli::DemoArgs;
use crate::open::open_with_cache;
use crate::output::{json, progress, short, table};

/// Runs the demo on the store at `url` (behind `cache` if given).
pub async fn run(url: &str, cache: Option<&str>, args: &DemoArgs, as_json: bool) -> Result<()> {
    let ids: Vec<SessionId> = (1..=args.sessions)
        .map(|i| SessionId::new(format!("demo-{i}")))
        .collect::<Result<_>>()?;
    let store = open_with_cache(url, cache).await?;
    for id in &ids {
        store.delete_session(id).await?;
        let agents = (1..=args.agents).map(|a| format!("agent-{a}"));
        store
            .create_session(
                NewSession::new(id.clone())
                    .title(format!("Demo chat {id}"))
                    .participants(agents),
            )
            .await?;
    }
    let bar = Arc::new(progress(
        u64::from(args.agents) * u64::from(args.messages) * ids.len() as u64,
        "chatting",
    ));
    let expected = u64::from(args.agents) * u64::from(args.messages);
    let follower = follow(
        Arc::clone(&store),
        ids[0].clone(),
        expected,
        Arc::clone(&bar),
    );
    chat(Arc::clone(&store), &ids, args, &bar).await?;
    bar.finish_and_clear();
    let received = tokio::time::timeout(Duration::from_secs(10), follower).await;
    let received = received.ok().and_then(|r| r.ok()).unwrap_or_default();
    eprintln!(
        "a follower of {} received {received} of {expected} messages live, as they were written",
        ids[0]
    );
    drop(store);
    eprintln!("store closed; reopening {}", multichat::redis::redact(url));
    let reopened = open_with_cache(url, cache).await?;
    show(reopened.as_ref(), &ids, args, as_json).await
}

/// Every agent appends its messages to every session, all agents at once.
async fn chat(
    store: Arc<dyn ChatStore>,
    ids: &[SessionId],
    args: &DemoArgs,
    bar: &Arc<ProgressBar>,
) -> Result<()> {
    let mut agents = JoinSet::new();
    for agent in 1..=args.agents {
        let (store, ids, bar, count) = (
            Arc::clone(&store),
            ids.to_vec(),
            Arc::clone(bar),
            args.messages,
        );
        agents.spawn(async move {
            for turn in 1..=count {
                for id in &ids {
                    let text = format!("turn {turn} of agent-{agent} in {id}");
                    store
                        .append(
                            id,
                            vec![NewMessage::assistant(text).sender(format!("agent-{agent}"))],
                            None,
                        )
                        .await?;
                    bar.inc(1);
                }
            }
            Ok::<(), multichat_core::Error>(())
        });
    }
    while let Some(done) = agents.join_next().await {
        done.map_err(|e| multichat_core::Error::Backend {
            backend: "demo",
            source: Box::new(e),
        })??;
    }
    Ok(())
}

/// Watches `id` from its start, printing each message above the progress bar as it comes,
/// until `expected` came (or the watch ended); how many came.
fn follow(
    store: Arc<dyn ChatStore>,
    id: SessionId,
    expected: u64,
    bar: Arc<ProgressBar>,
) -> JoinHandle<u64> {
    tokio::spawn(async move {
        let mut watch = store.watch(id.clone(), 0);
        let mut received = 0;
        while received < expected {
            let Some(Ok(m)) = watch.next().await else {
                break;
            };
            let line = format!("  follower of {id}: #{} {}", m.seq, short(&m.content, 60));
            match bar.is_hidden() {
                true => eprintln!("{line}"),
                false => bar.println(line),
            }
            received += 1;
        }
        received
    })
}

async fn show(
    store: &dyn ChatStore,
    ids: &[SessionId],
    args: &DemoArgs,
    as_json: bool,
) -> Result<()> {
    let expected = u64::from(args.agents) * u64::from(args.messages);
    let mut rows = Vec::new();
    for id in ids {
        let session = store
            .get_session(id)
            .await?
            .ok_or_else(|| multichat_core::Error::not_found(id))?;
        let last = store.read(id, MessageQuery::last(1)).await?;
        let text = last
            .first()
            .map(|m| format!("#{} {}", m.seq, short(&m.content, 40)))
            .unwrap_or_default();
        if as_json {
            json(&serde_json::json!({"session": session, "last": last.first()}));
        }
        rows.push(vec![
            id.to_string(),
            session.participants.join(","),
            session.message_count.to_string(),
            text,
        ]);
    }
    if !as_json {
        table(
            &["SESSION", "PARTICIPANTS", "MESSAGES", "LAST MESSAGE"],
            &rows,
        );
    }
    let all_back = rows.iter().all(|r| r[2] == expected.to_string());
    eprintln!(
        "{} sessions, {expected} messages each: {}",
        ids.len(),
        if all_back {
            "all came back"
        } else {
            "MISSING MESSAGES"
        }
    );
    Ok(())
}

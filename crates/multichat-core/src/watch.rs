//! Following a session live: [`crate::MessageStore::watch`] and the way every store can do it,
//! by reading after the last seq it delivered.
//!
//! The stream first delivers what is stored after `after_seq`, then each message appended later,
//! in seq order, each once: every read asks for the messages after the last one it delivered,
//! whoever appended them and whenever, so there is no gap between catching up and following.
//! It reads at most [`WatchConfig::page`] messages ahead of its consumer (a slow consumer never
//! makes it buffer more); a message removed (popped, cleared) before the stream read it is not
//! delivered, one it delivered is not retracted. A session deleted or expired ends the stream
//! with `NotFound`. A transient failure (`Unavailable`) is retried, after the last delivered
//! seq, until it has lasted [`WatchConfig::outage`]; then the stream ends with it. Dropping the
//! stream releases everything it held.
//!
//! The default, for every store, polls: when a read finds nothing new it waits
//! [`WatchConfig::poll`] before the next one.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use std::sync::Arc;
//! use futures_util::StreamExt;
//! use multichat_core::{ChatStore, MemoryStore, MessageStore, NewMessage, NewSession, SessionId};
//!
//! let store: Arc<dyn ChatStore> = Arc::new(MemoryStore::new());
//! let id = SessionId::new("s")?;
//! store.create_session(NewSession::new(id.clone())).await?;
//! store.append(&id, vec![NewMessage::user("before")], None).await?;
//! let mut follow = Arc::clone(&store).watch(id.clone(), 0);
//! store.append(&id, vec![NewMessage::assistant("after")], None).await?;
//! assert_eq!(follow.next().await.transpose()?.map(|m| m.content), Some("before".into()));
//! assert_eq!(follow.next().await.transpose()?.map(|m| m.content), Some("after".into()));
//! # Ok::<(), multichat_core::Error>(())
//! # }).unwrap();
//! ```

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_core::Stream;
use tokio::sync::futures::Notified;

use crate::error::Result;
use crate::id::SessionId;
use crate::message::Message;
use crate::query::MessageQuery;
use crate::signal::Signal;
use crate::store::MessageStore;

/// The messages of a watched session, as they come.
pub type MessageStream = Pin<Box<dyn Stream<Item = Result<Message>> + Send>>;

/// How a watch reads.
///
/// ```
/// use std::time::Duration;
/// use multichat_core::WatchConfig;
///
/// let config = WatchConfig { poll: Duration::from_millis(5), ..WatchConfig::default() };
/// assert_eq!(config.page, 100);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchConfig {
    /// How long to wait after a read that found nothing new (25 ms).
    pub poll: Duration,
    /// How long a transient failure is retried before the stream ends with it (30 s).
    pub outage: Duration,
    /// How many messages one read asks for (100): the most the stream holds undelivered.
    pub page: usize,
    /// For a store that hears of every write to a watched session, whoever made it (a change
    /// detector or a notification channel per store): how long its watches wait for a wake-up
    /// before they read anyway (1 s), a safety net. `poll` is then how often the store itself
    /// looks for changes.
    pub recheck: Duration,
}

impl WatchConfig {
    /// This configuration for the watches of a store that wakes them on every change: they
    /// wait [`WatchConfig::recheck`] between reads instead of [`WatchConfig::poll`].
    pub fn rechecking(self) -> Self {
        Self {
            poll: self.recheck.max(self.poll),
            ..self
        }
    }
}

impl Default for WatchConfig {
    fn default() -> Self {
        Self {
            poll: Duration::from_millis(25),
            outage: Duration::from_secs(30),
            page: 100,
            recheck: Duration::from_secs(1),
        }
    }
}

/// Where a watch is: the last seq it delivered, what it read but did not deliver yet, since
/// when reads fail.
struct Position<S: ?Sized> {
    store: Arc<S>,
    id: SessionId,
    last: u64,
    read: VecDeque<Message>,
    failing_since: Option<Instant>,
    ended: bool,
    config: WatchConfig,
    /// Notified when the store wrote the session, with what it appended (see
    /// [`crate::Changes`]).
    signal: Option<Arc<Signal>>,
    /// Whether the last wait ended by a wake-up (not the poll), and the signal's count of
    /// changes when the store was last read.
    woken: bool,
    read_at: u64,
}

/// Follows `id` in `store` from after `after_seq` by reading after the last delivered seq
/// (see the module docs); what [`MessageStore::watch`] does unless a store does better.
pub fn follow<S: MessageStore + ?Sized + 'static>(
    store: Arc<S>,
    id: SessionId,
    after_seq: u64,
    config: WatchConfig,
) -> MessageStream {
    stream(store, id, after_seq, config, None)
}

/// The stream of [`follow`], woken by `signal` as well as by its poll.
pub(crate) fn stream<S: MessageStore + ?Sized + 'static>(
    store: Arc<S>,
    id: SessionId,
    after_seq: u64,
    config: WatchConfig,
    signal: Option<Arc<Signal>>,
) -> MessageStream {
    let at = Position {
        store,
        id,
        last: after_seq,
        read: VecDeque::new(),
        failing_since: None,
        ended: false,
        config,
        signal,
        woken: false,
        read_at: 0,
    };
    Box::pin(futures_util::stream::unfold(at, next))
}

/// The next message of the watch at `at`, or its end.
async fn next<S: MessageStore + ?Sized>(
    mut at: Position<S>,
) -> Option<(Result<Message>, Position<S>)> {
    while !at.ended {
        if let Some(m) = at.read.pop_front() {
            at.last = m.seq;
            return Some((Ok(m), at));
        }
        // Listening before the read: a write that lands between the read and the wait wakes it.
        let signal = at.signal.clone();
        let woken = listen(signal.as_deref());
        match signal.as_deref().map_or(Step::Read, |s| step(&mut at, s)) {
            Step::Deliver => continue,
            Step::Wait => {
                at.woken = wait(woken, at.config.poll).await;
                continue;
            }
            Step::Read => {}
        }
        let query = MessageQuery::after(at.last, at.config.page.max(1));
        match at.store.read(&at.id, query).await {
            Ok(page) => {
                at.failing_since = None;
                at.woken = page.is_empty() && wait(woken, at.config.poll).await;
                at.read.extend(page);
            }
            // Retried after the poll, or sooner when the store signals (it reconnected).
            Err(e) if e.is_transient() && !outlasted(&mut at) => {
                at.woken = wait(woken, at.config.poll).await;
            }
            Err(e) => {
                at.ended = true;
                return Some((Err(e), at));
            }
        }
    }
    None
}

/// A wake-up from `signal`, listening already (so a write from now on fires it, even before it
/// is awaited).
fn listen(signal: Option<&Signal>) -> Option<Pin<Box<Notified<'_>>>> {
    let mut woken = Box::pin(signal?.notify.notified());
    woken.as_mut().enable();
    Some(woken)
}

/// Until `woken` fires (true) or `poll` has passed (false).
async fn wait(woken: Option<Pin<Box<Notified<'_>>>>, poll: Duration) -> bool {
    match woken {
        Some(woken) => tokio::time::timeout(poll, woken).await.is_ok(),
        None => {
            tokio::time::sleep(poll).await;
            false
        }
    }
}

/// What a watch does next, before reading the store.
enum Step {
    /// Deliver the messages the signal handed over (now in `read`).
    Deliver,
    /// Wait again: it was woken by nothing it has not delivered — only appends it already
    /// delivered since its last read of the store (see [`Signal::changes`]).
    Wait,
    /// Read the store (a wait that ran out always does).
    Read,
}

/// The [`Step`] of the watch at `at` with `signal`, taking what the signal hands over.
fn step<S: ?Sized>(at: &mut Position<S>, signal: &Signal) -> Step {
    let handed = signal.after(at.last, at.config.page);
    if !handed.is_empty() {
        at.read.extend(handed);
        return Step::Deliver;
    }
    if at.woken && signal.changes() == at.read_at && signal.delivered_by(at.last) {
        return Step::Wait;
    }
    at.read_at = signal.changes();
    Step::Read
}

/// Whether the failures of `at` have lasted its outage (starting the count at the first).
fn outlasted<S: ?Sized>(at: &mut Position<S>) -> bool {
    let since = *at.failing_since.get_or_insert_with(Instant::now);
    since.elapsed() >= at.config.outage
}

//! The signal of one watched session, shared by its watches: a `Notify` that wakes them, and the
//! messages the store saw appended most recently, so a watch can deliver them without reading
//! them back. A watch takes them only when they continue exactly where it is (the first has the
//! seq after its last delivered one, and each next one the seq after that), so the messages it
//! delivers are those a read would give it; anything else — a gap, an overflow, a change the store
//! cannot describe — makes it read the store.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use tokio::sync::Notify;

use crate::message::Message;

/// How many recent messages a signal keeps (the oldest go first): a watch further behind
/// reads the store, so a slow consumer costs no more memory than this.
const KEPT: usize = 100;

/// A watched session's wake-up and recent messages.
#[derive(Debug, Default)]
pub struct Signal {
    pub(crate) notify: Notify,
    recent: Mutex<VecDeque<Message>>,
    /// Counts the changes that were not appends this signal holds ([`Signal::changed`]).
    changes: AtomicU64,
}

impl Signal {
    /// Keeps `appended` (committed, ascending) in seq order without duplicates, the newest
    /// [`KEPT`], and wakes the watches.
    pub(crate) fn appended(&self, appended: &[Message]) {
        let mut recent = self.recent();
        for m in appended {
            let at = recent.partition_point(|r| r.seq < m.seq);
            if recent.get(at).is_none_or(|r| r.seq != m.seq) {
                recent.insert(at, m.clone());
            }
        }
        let excess = recent.len().saturating_sub(KEPT);
        recent.drain(..excess);
        drop(recent);
        self.notify.notify_waiters();
    }

    /// Forgets the recent messages (a write that may have removed some) and wakes the watches.
    pub(crate) fn changed(&self) {
        self.recent().clear();
        self.changes.fetch_add(1, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// How many times [`Signal::changed`] ran: a watch that read the store at this count, was
    /// woken since and finds it the same, and has delivered every message here, was woken by
    /// appends it already delivered (a store that hands over its own appends, then hears of
    /// them again from its server) and need not read.
    pub(crate) fn changes(&self) -> u64 {
        self.changes.load(Ordering::SeqCst)
    }

    /// Whether every message here has a seq of at most `last`.
    pub(crate) fn delivered_by(&self, last: u64) -> bool {
        self.recent().back().is_none_or(|m| m.seq <= last)
    }

    /// The recent messages that continue exactly after `last`, at most `page`; empty when the
    /// next one is not here.
    pub(crate) fn after(&self, last: u64, page: usize) -> Vec<Message> {
        let recent = self.recent();
        let start = recent.partition_point(|r| r.seq <= last);
        let run = recent.range(start..).zip(last + 1..).take(page.max(1));
        run.take_while(|(m, seq)| m.seq == *seq)
            .map(|(m, _)| m.clone())
            .collect()
    }

    fn recent(&self) -> MutexGuard<'_, VecDeque<Message>> {
        self.recent.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::NewMessage;
    use crate::timestamp::Timestamp;

    fn messages(seqs: impl IntoIterator<Item = u64>) -> Vec<Message> {
        let new = |seq| Message::from_new(NewMessage::user(format!("m{seq}")), seq, Timestamp(0));
        seqs.into_iter().map(new).collect()
    }

    fn seqs(messages: &[Message]) -> Vec<u64> {
        messages.iter().map(|m| m.seq).collect()
    }

    #[test]
    fn only_a_run_that_continues_the_watch_is_handed_out() {
        let signal = Signal::default();
        signal.appended(&messages([3, 4]));
        signal.appended(&messages([6]));
        assert_eq!(
            seqs(&signal.after(2, 10)),
            [3, 4],
            "stops at the gap before 6"
        );
        assert!(
            signal.after(1, 10).is_empty(),
            "2 is not here: read the store"
        );
        assert!(signal.after(4, 10).is_empty(), "5 is not here");
        assert_eq!(seqs(&signal.after(5, 10)), [6]);
        assert_eq!(seqs(&signal.after(2, 1)), [3], "at most a page");
        signal.appended(&messages([5, 4]));
        assert_eq!(
            seqs(&signal.after(2, 10)),
            [3, 4, 5, 6],
            "sorted, no duplicate"
        );
        signal.changed();
        assert!(signal.after(2, 10).is_empty(), "forgotten after a change");
    }

    #[test]
    fn it_keeps_the_newest_hundred() {
        let signal = Signal::default();
        signal.appended(&messages(1..=250));
        assert!(signal.after(0, 500).is_empty(), "1 was dropped");
        assert_eq!(
            seqs(&signal.after(150, 500)),
            (151..=250).collect::<Vec<_>>()
        );
    }
}

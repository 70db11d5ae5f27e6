//! The answers of the Lua scripts, decoded in one place: one type per script (in `sessions` and
//! `messages`), read through [`Reply`], which turns a short or malformed answer into a typed
//! error naming the key instead of a panic.

mod messages;
mod sessions;

pub(crate) use messages::{Appended, Cleared, Popped, RestoredMessages};
pub(crate) use sessions::{DeleteMode, Deleted, Written};

use multichat_core::{Error, Result};
use redis::Value;

use crate::error::unexpected;

/// Where a write left a session, as the indexes must show it: `updated_at`, `expires_at` (empty
/// without expiry) and the participants as a JSON array. In Cluster mode the client moves the
/// index entries to this after the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Indexed {
    pub updated: String,
    pub expires: String,
    pub parts: String,
    /// Whether the session may have an expiry index entry to remove: false only when the
    /// script said it had no expiry before the write either (then an `expires` of `""` needs
    /// no write to the expiry index).
    pub was_expiring: bool,
}

/// A script's answer: a status word, then values by position.
pub(crate) struct Reply {
    key: String,
    items: Vec<Value>,
}

impl Reply {
    /// The answer `items` of a script run on the session whose hash is `key`.
    pub(crate) fn new(key: impl Into<String>, items: Vec<Value>) -> Self {
        Self {
            key: key.into(),
            items,
        }
    }

    /// The status word (the first element).
    pub(crate) fn status(&self) -> Result<String> {
        self.text(0)
    }

    /// Element `n` as text; an error if the answer is shorter or it is not text.
    pub(crate) fn text(&self, n: usize) -> Result<String> {
        let value = self.items.get(n).ok_or_else(|| self.short(n))?;
        redis::from_redis_value_ref(value).map_err(|_| self.wrong(n, "text"))
    }

    /// Element `n` as a number.
    pub(crate) fn number(&self, n: usize) -> Result<u64> {
        let value = self.items.get(n).ok_or_else(|| self.short(n))?;
        redis::from_redis_value_ref(value).map_err(|_| self.wrong(n, "a number"))
    }

    /// Elements `from..from + N` as text.
    pub(crate) fn texts<const N: usize>(&self, from: usize) -> Result<[String; N]> {
        let mut out: [String; N] = std::array::from_fn(|_| String::new());
        for (n, slot) in out.iter_mut().enumerate() {
            *slot = self.text(from + n)?;
        }
        Ok(out)
    }

    /// The [`Indexed`] state at elements `at..at + 3`, which the answer must hold.
    pub(crate) fn state(&self, at: usize) -> Result<Indexed> {
        self.indexed(at)?.ok_or_else(|| self.short(at))
    }

    /// The [`Indexed`] state at elements `at..at + 3`, if the answer goes that far.
    pub(crate) fn indexed(&self, at: usize) -> Result<Option<Indexed>> {
        if self.items.len() <= at {
            return Ok(None);
        }
        let [updated, expires, parts] = self.texts(at)?;
        let was_expiring = self.items.len() <= at + 3 || !self.text(at + 3)?.is_empty();
        Ok(Some(Indexed {
            updated,
            expires,
            parts,
            was_expiring,
        }))
    }

    /// The error for a status word this build does not know.
    pub(crate) fn unknown(&self, status: &str) -> Error {
        unexpected(&self.key, &format!("status {status:?}"))
    }

    fn short(&self, n: usize) -> Error {
        let len = self.items.len();
        unexpected(&self.key, &format!("{len} elements, element {n} expected"))
    }

    fn wrong(&self, n: usize, what: &str) -> Error {
        unexpected(&self.key, &format!("element {n} is not {what}"))
    }
}

#[cfg(test)]
mod tests {
    use multichat_core::ErrorKind;

    use super::*;

    fn bulk(s: &str) -> Value {
        Value::BulkString(s.as_bytes().to_vec())
    }

    #[test]
    fn a_short_or_malformed_answer_is_corrupt_naming_the_key_never_a_panic() {
        let empty = Reply::new("mc:{a}:s", Vec::new());
        let err = empty.status().expect_err("no status");
        assert_eq!(err.kind(), ErrorKind::Corrupt);
        assert!(err.to_string().contains("mc:{a}:s"), "{err}");
        let short = Reply::new("k", vec![bulk("ok"), bulk("5"), bulk("")]);
        assert_eq!(short.number(1).expect("a number"), 5);
        assert_eq!(
            short.indexed(1).expect_err("cut short").kind(),
            ErrorKind::Corrupt
        );
        assert_eq!(
            short.number(2).expect_err("empty").kind(),
            ErrorKind::Corrupt
        );
        let nested = Reply::new("k", vec![Value::Array(vec![])]);
        assert_eq!(
            nested.text(0).expect_err("an array").kind(),
            ErrorKind::Corrupt
        );
    }

    #[test]
    fn the_indexed_state_is_read_where_it_is_and_absent_past_the_end() {
        let reply = Reply::new("k", vec![bulk("ok"), bulk("7"), bulk(""), bulk("[\"a\"]")]);
        let want = Indexed {
            updated: "7".into(),
            expires: String::new(),
            parts: "[\"a\"]".into(),
            was_expiring: true,
        };
        assert_eq!(reply.indexed(1).expect("decoded"), Some(want.clone()));
        assert_eq!(reply.indexed(4).expect("absent"), None);
        let mut items = vec![bulk("ok"), bulk("7"), bulk(""), bulk("[\"a\"]"), bulk("")];
        let never = Reply::new("k", items.clone()).indexed(1).expect("decoded");
        assert_eq!(
            never.map(|i| i.was_expiring),
            Some(false),
            "no expiry before either"
        );
        items[4] = bulk("99");
        let had = Reply::new("k", items).indexed(1).expect("decoded");
        assert_eq!(had.map(|i| i.was_expiring), Some(true));
    }
}

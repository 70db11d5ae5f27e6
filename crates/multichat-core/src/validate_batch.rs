//! Validation of message batches and reads against [`Limits`].

use std::collections::HashSet;

use crate::error::{Error, Result};
use crate::id::{MAX_ID_BYTES, check_name};
use crate::keys::MAX_KEY_BYTES;
use crate::limits::Limits;
use crate::message::NewMessage;
use crate::query::MessageQuery;
use crate::role::Role;
use crate::validate::{check_limit, too_big};

/// The longest custom role name, in bytes.
pub const MAX_ROLE_BYTES: usize = 64;

impl Limits {
    /// Checks a batch to append: 1 to `max_batch` valid messages.
    pub fn check_batch(&self, batch: &[NewMessage]) -> Result<()> {
        if batch.is_empty() || batch.len() > self.max_batch {
            let reason = format!(
                "a batch holds 1 to {} messages, got {}",
                self.max_batch,
                batch.len()
            );
            return Err(Error::invalid("messages", reason));
        }
        batch
            .iter()
            .enumerate()
            .try_for_each(|(i, m)| self.check_message(i, m))?;
        unique_keys(batch.iter().map(|m| m.key.as_deref()))
    }

    /// Checks a message read: its limit must not exceed `max_page`.
    pub fn check_read(&self, query: &MessageQuery) -> Result<()> {
        check_limit("limit", query.limit(), 0, self.max_page)
    }

    pub(crate) fn check_message(&self, index: usize, m: &NewMessage) -> Result<()> {
        if let Role::Other(name) = &m.role {
            check_role(name).map_err(|e| at(index, e))?;
        }
        if let Some(sender) = &m.sender {
            check_name("sender", sender, MAX_ID_BYTES).map_err(|e| at(index, e))?;
        }
        if let Some(key) = &m.key {
            check_name("key", key, MAX_KEY_BYTES).map_err(|e| at(index, e))?;
        }
        if m.content.len() > self.max_content_bytes {
            let reason = too_big(m.content.len(), self.max_content_bytes);
            return Err(Error::invalid(format!("messages[{index}].content"), reason));
        }
        self.check_metadata("metadata", &m.metadata)
            .map_err(|e| at(index, e))
    }
}

/// No two messages of a batch carry the same key (which of them would the key name?).
pub(crate) fn unique_keys<'a>(keys: impl IntoIterator<Item = Option<&'a str>>) -> Result<()> {
    let mut seen = HashSet::new();
    for (i, key) in keys.into_iter().enumerate() {
        if let Some(key) = key
            && !seen.insert(key)
        {
            let reason = format!("key {key:?} appears twice in the batch");
            return Err(Error::invalid(format!("messages[{i}].key"), reason));
        }
    }
    Ok(())
}

/// Prefixes the field of an `InvalidInput` with the index of the message in its batch.
fn at(index: usize, error: Error) -> Error {
    match error {
        Error::InvalidInput { field, reason } => {
            Error::invalid(format!("messages[{index}].{field}"), reason)
        }
        other => other,
    }
}

/// A custom role name: 1 to 64 bytes, no control characters, not one of the built-in names
/// (which must use their own variants so the value survives a round trip).
fn check_role(name: &str) -> Result<()> {
    check_name("role", name, MAX_ROLE_BYTES)?;
    if !matches!(Role::from(name), Role::Other(_)) {
        return Err(Error::invalid(
            "role",
            format!("{name:?} is a built-in role; use its variant"),
        ));
    }
    Ok(())
}

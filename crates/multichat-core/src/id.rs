//! `SessionId`: the validated identifier of a chat session.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The longest session id accepted, in bytes of UTF-8.
pub const MAX_ID_BYTES: usize = 256;

/// The identifier of a session: 1 to 256 bytes of UTF-8 without control characters.
///
/// Any such string is valid, including spaces, slashes, `..` and any unicode; every backend stores
/// it safely (the JSON store, for instance, encodes it into a file name injectively).
///
/// ```
/// use multichat_core::SessionId;
/// let id = SessionId::new("support/ticket 42").unwrap();
/// assert_eq!(id.as_str(), "support/ticket 42");
/// assert!(SessionId::new("").is_err());
/// assert!(SessionId::new("bad\nid").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SessionId(String);

impl SessionId {
    /// Validates `id` and wraps it; an invalid id is [`Error::InvalidInput`].
    pub fn new(id: impl Into<String>) -> Result<Self> {
        let id = id.into();
        check_name("session id", &id, MAX_ID_BYTES)?;
        Ok(Self(id))
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks a name-like string (ids, participants, role names): 1 to `max` bytes, no control characters.
pub(crate) fn check_name(field: &'static str, value: &str, max: usize) -> Result<()> {
    if value.is_empty() || value.len() > max {
        return Err(Error::invalid(
            field,
            format!(
                "must be 1 to {max} bytes of UTF-8, got {} bytes",
                value.len()
            ),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(field, "must not contain control characters"));
    }
    Ok(())
}

impl TryFrom<String> for SessionId {
    type Error = Error;

    fn try_from(value: String) -> Result<Self> {
        Self::new(value)
    }
}

impl TryFrom<&str> for SessionId {
    type Error = Error;

    fn try_from(value: &str) -> Result<Self> {
        Self::new(value)
    }
}

impl From<SessionId> for String {
    fn from(id: SessionId) -> String {
        id.0
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl AsRef<str> for SessionId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

//! `Role`: who speaks in a message.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The role of a message's author. Serialized as a plain string: `"system"`, `"user"`,
/// `"assistant"`, `"tool"`, or any other name (1 to 64 bytes, no control characters).
///
/// The four built-in names are recognised whatever their ASCII case (`"User"` is
/// [`Role::User`], and is stored and shown as `"user"`); any other name is kept exactly as given.
///
/// ```
/// use multichat_core::Role;
/// assert_eq!(Role::from("assistant"), Role::Assistant);
/// assert_eq!(Role::from("User"), Role::User);
/// assert_eq!(Role::from("User").as_str(), "user");
/// assert_eq!(Role::from("Critic").as_str(), "Critic");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
#[non_exhaustive]
pub enum Role {
    /// Instructions to the model.
    System,
    /// A person.
    User,
    /// A model's answer.
    Assistant,
    /// A tool's result.
    Tool,
    /// Any other role name.
    Other(String),
}

impl Role {
    /// The role's name.
    pub fn as_str(&self) -> &str {
        match self {
            Self::System => "system",
            Self::User => "user",
            Self::Assistant => "assistant",
            Self::Tool => "tool",
            Self::Other(name) => name,
        }
    }
}

impl From<&str> for Role {
    fn from(name: &str) -> Self {
        [Self::System, Self::User, Self::Assistant, Self::Tool]
            .into_iter()
            .find(|builtin| builtin.as_str().eq_ignore_ascii_case(name))
            .unwrap_or_else(|| Self::Other(name.to_owned()))
    }
}

impl From<String> for Role {
    fn from(name: String) -> Self {
        Self::from(name.as_str())
    }
}

impl From<Role> for String {
    fn from(role: Role) -> String {
        role.as_str().to_owned()
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl fmt::Debug for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

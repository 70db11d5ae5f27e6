//! Key names. The keys of one session share a hash tag, so they live on one Cluster slot:
//! `<prefix>:{<id>}:s` (hash) and `<prefix>:{<id>}:m` (stream). Indexes: `<prefix>:idx:updated`,
//! `<prefix>:idx:expiry` and `<prefix>:idx:p:<participant>` (sorted sets).

use multichat_core::SessionId;

/// The key names of one store.
#[derive(Debug, Clone)]
pub struct Keys {
    prefix: String,
}

impl Keys {
    /// Keys under `prefix` (validated by the config: no `{` or `}`).
    pub fn new(prefix: &str) -> Self {
        Self {
            prefix: prefix.to_owned(),
        }
    }

    /// The session hash of `id`.
    pub fn session(&self, id: &SessionId) -> String {
        format!("{}:{{{}}}:s", self.prefix, tag(id.as_str()))
    }

    /// The message stream of `id`.
    pub fn messages(&self, id: &SessionId) -> String {
        format!("{}:{{{}}}:m", self.prefix, tag(id.as_str()))
    }

    /// The prefix of the index keys (`<prefix>:idx:`).
    pub fn index_prefix(&self) -> String {
        format!("{}:idx:", self.prefix)
    }

    /// The listing index: member = id, score = -updated_at (so ties sort by id ascending).
    pub fn updated(&self) -> String {
        format!("{}updated", self.index_prefix())
    }

    /// The participant index of `participant`, scored like [`Keys::updated`].
    pub fn participant(&self, participant: &str) -> String {
        format!("{}p:{participant}", self.index_prefix())
    }

    /// The expiry index: member = id, score = expires_at.
    pub fn expiry(&self) -> String {
        format!("{}expiry", self.index_prefix())
    }
}

/// The id inside the hash tag, with `%`, `{` and `}` escaped so that the tag is always the whole
/// id (injective).
fn tag(id: &str) -> String {
    id.replace('%', "%25")
        .replace('{', "%7B")
        .replace('}', "%7D")
}

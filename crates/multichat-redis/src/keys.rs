//! Key names. The keys of one session share a hash tag, so they live on one Cluster slot:
//! `<prefix>:{<id>}:s` (hash), `<prefix>:{<id>}:m` (stream) and `<prefix>:{<id>}:k` (hash: the
//! seq of each message appended with a client key, by key). Indexes: `<prefix>:idx:updated`,
//! `<prefix>:idx:expiry` and `<prefix>:idx:p:<participant>` (sorted sets).

use std::borrow::Cow;

use multichat_core::SessionId;

/// The key names of one store.
#[derive(Debug, Clone)]
pub struct Keys {
    prefix: String,
    index: String,
}

impl Keys {
    /// Keys under `prefix` (validated by the config: no `{` or `}`).
    pub fn new(prefix: &str) -> Self {
        Self {
            prefix: prefix.to_owned(),
            index: format!("{prefix}:idx:"),
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

    /// The client keys of `id`'s messages: a hash from key to seq.
    pub fn client_keys(&self, id: &SessionId) -> String {
        format!("{}:{{{}}}:k", self.prefix, tag(id.as_str()))
    }

    /// The prefix of the index keys (`<prefix>:idx:`).
    pub fn index_prefix(&self) -> &str {
        &self.index
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
fn tag(id: &str) -> Cow<'_, str> {
    if !id.contains(['%', '{', '}']) {
        return Cow::Borrowed(id);
    }
    Cow::Owned(
        id.replace('%', "%25")
            .replace('{', "%7B")
            .replace('}', "%7D"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_of(id: &str) -> (String, String) {
        let keys = Keys::new("mc");
        let id = SessionId::new(id).expect("id");
        (keys.session(&id), keys.messages(&id))
    }

    #[test]
    fn the_hash_tag_is_the_whole_id_and_ids_never_share_keys() {
        assert_eq!(
            keys_of("plain"),
            ("mc:{plain}:s".into(), "mc:{plain}:m".into())
        );
        assert_eq!(keys_of("a{b}").0, "mc:{a%7Bb%7D}:s");
        assert_eq!(keys_of("a%7Bb").0, "mc:{a%257Bb}:s");
        let ids = ["a{b}", "a%7Bb%7D", "a%b", "a%25b", "{", "}", "%"];
        let all: std::collections::HashSet<_> = ids.iter().map(|id| keys_of(id).0).collect();
        assert_eq!(all.len(), ids.len(), "distinct ids, distinct keys");
    }
}

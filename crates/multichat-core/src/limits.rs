//! `Limits`: the size limits every store enforces, with their defaults.

/// Size limits, configurable per store. A violation is [`crate::Error::InvalidInput`] naming the
/// field and the limit, and stores nothing.
///
/// ```
/// use multichat_core::{Limits, MemoryConfig, MemoryStore};
///
/// let mut limits = Limits::default();
/// limits.max_content_bytes = 64 * 1024;
/// let store = MemoryStore::with_config(MemoryConfig::default().limits(limits));
/// # drop(store);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest message content, in bytes (default 1 MiB).
    pub max_content_bytes: usize,
    /// Largest metadata object of a message or session, serialized, in bytes (default 64 KiB).
    pub max_metadata_bytes: usize,
    /// Most messages in one append (default 1,000).
    pub max_batch: usize,
    /// Most items one read or listing returns (default 1,000).
    pub max_page: usize,
    /// Largest session title, in bytes (default 4 KiB).
    pub max_title_bytes: usize,
    /// Most participants of one session (default 1,000).
    pub max_participants: usize,
    /// Deepest nesting of a metadata object, the object itself being depth 1 (default 32; at most
    /// [`crate::MAX_METADATA_DEPTH`], which every backend reads back).
    pub max_metadata_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_content_bytes: 1024 * 1024,
            max_metadata_bytes: 64 * 1024,
            max_batch: 1000,
            max_page: 1000,
            max_title_bytes: 4096,
            max_participants: 1000,
            max_metadata_depth: 32,
        }
    }
}

impl Limits {
    /// Sets the largest content size.
    pub fn max_content_bytes(mut self, n: usize) -> Self {
        self.max_content_bytes = n;
        self
    }

    /// Sets the largest metadata size.
    pub fn max_metadata_bytes(mut self, n: usize) -> Self {
        self.max_metadata_bytes = n;
        self
    }

    /// Sets the deepest metadata nesting (capped at [`crate::MAX_METADATA_DEPTH`]).
    pub fn max_metadata_depth(mut self, n: usize) -> Self {
        self.max_metadata_depth = n;
        self
    }

    /// Sets the largest batch.
    pub fn max_batch(mut self, n: usize) -> Self {
        self.max_batch = n;
        self
    }

    /// Sets the largest page.
    pub fn max_page(mut self, n: usize) -> Self {
        self.max_page = n;
        self
    }
}

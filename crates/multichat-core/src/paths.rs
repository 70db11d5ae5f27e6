//! Store paths given as text (configuration, URLs): nothing in the library expands `~`, so a path
//! whose first component is a literal `~` is refused rather than made a directory named `~`.

use std::path::{Component, Path};

use crate::error::{Error, Result};

/// Fails with [`Error::InvalidInput`] when `path` starts with a literal `~` component.
///
/// ```
/// use std::path::Path;
/// use multichat_core::backend::refuse_tilde;
///
/// assert!(refuse_tilde(Path::new("~/chats")).is_err());
/// assert!(refuse_tilde(Path::new("./~/chats")).is_ok());
/// assert!(refuse_tilde(Path::new("/home/ana/chats")).is_ok());
/// ```
pub fn refuse_tilde(path: &Path) -> Result<()> {
    if path.components().next() == Some(Component::Normal("~".as_ref())) {
        let reason = "a path starting with `~` is not expanded here: give the full path \
                      (the multichat CLI expands it)";
        return Err(Error::invalid("store path", reason));
    }
    Ok(())
}

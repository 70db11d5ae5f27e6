//! Input validation against [`Limits`]; every store calls these before it changes anything.

use std::collections::HashSet;

use crate::cursor::ListCursor;
use crate::error::{Error, Result};
use crate::id::{MAX_ID_BYTES, check_name};
use crate::limits::Limits;
use crate::new_session::NewSession;
use crate::patch::SessionPatch;
use crate::query::SessionQuery;
use crate::session::Metadata;

impl Limits {
    /// Checks a session to create.
    pub fn check_new_session(&self, new: &NewSession) -> Result<()> {
        self.check_title(new.title.as_deref())?;
        self.check_participants(&new.participants)?;
        crate::bounds::check_expiry(new.expiry)?;
        self.check_metadata("metadata", &new.metadata)
    }

    /// Checks the fields a caller gives a session (title, participants, metadata, expiry).
    pub(crate) fn check_session_fields(&self, session: &crate::session::Session) -> Result<()> {
        self.check_title(session.title.as_deref())?;
        self.check_participants(&session.participants)?;
        crate::bounds::check_expiry(session.expiry)?;
        self.check_metadata("metadata", &session.metadata)
    }

    /// Checks a patch.
    pub fn check_patch(&self, patch: &SessionPatch) -> Result<()> {
        self.check_title(patch.title.clone().flatten().as_deref())?;
        self.check_participants(patch.participants.as_deref().unwrap_or_default())?;
        crate::bounds::check_expiry(patch.expiry.flatten())?;
        self.check_metadata(
            "metadata",
            patch.metadata.as_ref().unwrap_or(&Metadata::new()),
        )
    }

    /// Checks a listing query and decodes its cursor.
    pub fn check_list(&self, query: &SessionQuery) -> Result<Option<ListCursor>> {
        check_limit("limit", query.limit, 1, self.max_page)?;
        if let Some(p) = &query.participant {
            check_name("participant", p, MAX_ID_BYTES)?;
        }
        query.cursor.as_deref().map(ListCursor::decode).transpose()
    }

    fn check_title(&self, title: Option<&str>) -> Result<()> {
        match title {
            Some(t) if t.len() > self.max_title_bytes => Err(Error::invalid(
                "title",
                too_big(t.len(), self.max_title_bytes),
            )),
            _ => Ok(()),
        }
    }

    fn check_participants(&self, participants: &[String]) -> Result<()> {
        if participants.len() > self.max_participants {
            let reason = format!(
                "at most {} participants, got {}",
                self.max_participants,
                participants.len()
            );
            return Err(Error::invalid("participants", reason));
        }
        let mut seen = HashSet::new();
        for p in participants {
            check_name("participant", p, MAX_ID_BYTES)?;
            if !seen.insert(p) {
                return Err(Error::invalid(
                    "participants",
                    format!("{p:?} is listed twice"),
                ));
            }
        }
        Ok(())
    }

    pub(crate) fn check_metadata(&self, field: &'static str, metadata: &Metadata) -> Result<()> {
        let depth = self
            .max_metadata_depth
            .min(crate::bounds::MAX_METADATA_DEPTH);
        if crate::bounds::deeper_than(metadata, depth) {
            return Err(Error::invalid(
                field,
                format!("nested deeper than the limit of {depth} levels"),
            ));
        }
        let size = serde_json::to_vec(metadata).map_or(usize::MAX, |v| v.len());
        if size > self.max_metadata_bytes {
            return Err(Error::invalid(
                field,
                too_big(size, self.max_metadata_bytes),
            ));
        }
        Ok(())
    }
}

pub(crate) fn check_limit(field: &'static str, value: usize, min: usize, max: usize) -> Result<()> {
    if value < min || value > max {
        return Err(Error::invalid(
            field,
            format!("must be {min} to {max}, got {value}"),
        ));
    }
    Ok(())
}

pub(crate) fn too_big(size: usize, limit: usize) -> String {
    format!("{size} bytes exceeds the limit of {limit} bytes")
}

//! `migrate`, in two passes like `import` (see `crate::import`): the first checks every session
//! of the source and plans it against the target, the second copies what was planned.

use std::collections::HashMap;

use multichat_core::{ChatStore, Error, Limits, RestoreCheck, RestoreStore, Result, Session};

use crate::copy::{Copied, Plan, SessionCopy, counted, plan};
use crate::output::progress;
use crate::pages::{each_page, each_session};

/// `migrate`: copies every session from the store at `from` to the store at `to`.
pub async fn migrate_between(from: &str, to: &str, replace: bool) -> Result<()> {
    let (source, target) = (crate::open::open(from).await?, crate::open::open(to).await?);
    let copied = migrate(source.as_ref(), target.as_ref(), replace).await?;
    eprintln!(
        "migrated {} session(s); {} already present and equal were skipped",
        copied.written, copied.skipped
    );
    Ok(())
}

/// Copies every session of `source` into `target`, with the same rules as `import`.
pub async fn migrate(
    source: &dyn ChatStore,
    target: &dyn RestoreStore,
    replace: bool,
) -> Result<Copied> {
    let mut plans = HashMap::new();
    each_session(source, None, async |session| {
        check_source(source, &session).await?;
        let existing = target.get_session(&session.id).await?;
        let plan = plan(existing.as_ref(), &session, replace)?;
        plans.insert(session.id, plan);
        Ok(())
    })
    .await?;
    let (bar, mut written) = (progress(plans.len() as u64, "migrating"), 0);
    each_session(source, None, async |session| {
        bar.inc(1);
        let (id, plan) = (session.id.clone(), plans.get(&session.id).copied());
        let Some(copy) = SessionCopy::begin(target, session, plan.unwrap_or(Plan::Skip)).await?
        else {
            return Ok(());
        };
        each_page(source, &id, async |page| copy.page(page).await).await?;
        copy.finish().await?;
        written += 1;
        eprintln!("copied {}", crate::output::escape(id.as_str()));
        Ok(())
    })
    .await?;
    bar.finish_and_clear();
    Ok(counted(&plans, written))
}

/// Checks one session of a migration's source and its messages.
async fn check_source(source: &dyn ChatStore, session: &Session) -> Result<()> {
    let at = |e: Error| Error::invalid(format!("source session {}", session.id), e.to_string());
    let mut check = RestoreCheck::begin(Limits::default(), session).map_err(at)?;
    each_page(source, &session.id, async |page| {
        page.iter()
            .try_for_each(|m| check.message(&session.id, m))
            .map_err(at)
    })
    .await?;
    check.finish().map_err(at)
}

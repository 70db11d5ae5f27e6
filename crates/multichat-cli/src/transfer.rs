//! `migrate`, in two passes like `import` (see `crate::import`): the first checks every session
//! of the source and plans it against the target, the second copies what was planned.

use multichat_core::{
    ChatStore, Error, Limits, RestoreCheck, RestoreStore, Result, Session, WholeSession,
};

use crate::batch::Batch;
use crate::copy::{Copied, Plan, Planner, SessionCopy, counted};
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
    let mut planner = Planner::new(target, replace);
    each_session(source, None, async |session| {
        check_source(source, &session).await?;
        let place = format!("source session {}", session.id);
        planner.add(session, place).await
    })
    .await?;
    let plans = planner.finish().await?;
    let (bar, mut batch) = (
        progress(plans.len() as u64, "migrating"),
        Batch::new(target),
    );
    let mut written = 0;
    let mut copied = |ids: Vec<String>| {
        written += ids.len() as u64;
        ids.iter()
            .for_each(|id| eprintln!("copied {}", crate::output::escape(id)));
    };
    each_session(source, None, async |session| {
        bar.inc(1);
        let plan = plans.get(&session.id).copied().unwrap_or(Plan::Skip);
        copied(copy_session(source, target, session, plan, &mut batch).await?);
        Ok(())
    })
    .await?;
    copied(batch.flush().await?);
    bar.finish_and_clear();
    Ok(counted(&plans, written))
}

/// Copies `session` of `source` into `target` as `plan` says: whole, in `batch`, when it is
/// small enough, else page by page. The ids of the sessions this wrote (a batch may write
/// several at once).
async fn copy_session(
    source: &dyn ChatStore,
    target: &dyn RestoreStore,
    session: Session,
    plan: Plan,
    batch: &mut Batch<'_>,
) -> Result<Vec<String>> {
    let id = session.id.clone();
    if Batch::takes(plan, &session) {
        let mut messages = Vec::with_capacity(session.message_count as usize);
        each_page(source, &id, async |page| {
            messages.extend(page);
            Ok(())
        })
        .await?;
        return batch.push(WholeSession { session, messages }).await;
    }
    let Some(copy) = SessionCopy::begin(target, session, plan).await? else {
        return Ok(Vec::new());
    };
    each_page(source, &id, async |page| copy.page(page).await).await?;
    copy.finish().await?;
    Ok(vec![id.to_string()])
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

//! `import`: an export read into a store in two passes, so that a refused import writes
//! nothing. The first pass checks every line: each record and its messages (with
//! [`RestoreCheck`]: seqs, counters, times, sizes, which session each message line belongs to)
//! and each record against the target's record of the same id ([`plan`]: differing sessions are
//! refused unless `--replace`). The second pass writes what the first planned. Memory holds one
//! page of messages and one plan per session, whatever the sessions hold.

use std::collections::HashMap;
use std::path::Path;

use multichat_core::{Error, Limits, Message, RestoreCheck, RestoreStore, Result};
use multichat_core::{Session, SessionId};

use crate::copy::{Copied, Plan, SessionCopy, counted, plan};
use crate::export::Line;
use crate::lines::Input;
use crate::output::progress;
use crate::pages::PAGE;

/// Reads an export (`input`, or stdin) into `target`. Nothing is written unless the whole input
/// is valid and no session in it differs from one in `target` (unless `replace`).
pub async fn import(
    target: &dyn RestoreStore,
    input: Option<&Path>,
    replace: bool,
) -> Result<Copied> {
    let input = Input::open(input)?;
    let plans = check_input(target, &input, replace).await?;
    let written = write_input(target, &input, &plans).await?;
    Ok(counted(&plans, written))
}

/// The second pass of an import: writes the sessions as planned; returns how many it wrote.
async fn write_input(
    target: &dyn RestoreStore,
    input: &Input,
    plans: &HashMap<SessionId, Plan>,
) -> Result<u64> {
    let mut lines = input.lines()?;
    let (mut copy, mut page, mut written) = (None, Vec::new(), 0);
    let bar = progress(plans.len() as u64, "importing sessions");
    while let Some(line) = lines.next_line()? {
        match line {
            Line::Session { session } => {
                bar.inc(1);
                written += finish(copy.take(), std::mem::take(&mut page)).await?;
                let plan = plans.get(&session.id).copied().unwrap_or(Plan::Skip);
                copy = SessionCopy::begin(target, session, plan).await?;
            }
            Line::Message { message, .. } => page.push(message),
        }
        if let Some(copy) = copy.as_ref().filter(|_| page.len() >= PAGE) {
            copy.page(std::mem::take(&mut page)).await?;
        }
        page.retain(|_| copy.is_some());
    }
    bar.finish_and_clear();
    Ok(written + finish(copy, page).await?)
}

/// The first pass of an import: checks every line, plans every session.
async fn check_input(
    target: &dyn RestoreStore,
    input: &Input,
    replace: bool,
) -> Result<HashMap<SessionId, Plan>> {
    let mut lines = input.lines()?;
    let (mut plans, mut check) = (HashMap::new(), None::<RestoreCheck>);
    while let Some(line) = lines.next_line()? {
        let at = |e: Error| Error::invalid(lines.place(), e.to_string());
        match line {
            Line::Session { session } => {
                check
                    .take()
                    .map(RestoreCheck::finish)
                    .transpose()
                    .map_err(at)?;
                check = Some(RestoreCheck::begin(Limits::default(), &session).map_err(at)?);
                let plan = planned(target, &plans, &session, replace, lines.place()).await?;
                plans.insert(session.id.clone(), plan);
            }
            Line::Message {
                session_id,
                message,
            } => check_message(check.as_mut(), &session_id, &message, lines.place())?,
        }
    }
    let at_end = |e: Error| Error::invalid(format!("{} (end)", lines.place()), e.to_string());
    check
        .map(RestoreCheck::finish)
        .transpose()
        .map_err(at_end)?;
    Ok(plans)
}

/// Checks a message line read at `place` against the session being checked, if any.
fn check_message(
    check: Option<&mut RestoreCheck>,
    session_id: &SessionId,
    message: &Message,
    place: String,
) -> Result<()> {
    let Some(check) = check else {
        return Err(Error::invalid(place, "a message before any session"));
    };
    let reason = |e: Error| Error::invalid(place.clone(), e.to_string());
    check.message(session_id, message).map_err(reason)
}

/// Writes the last page and the final record of `copy`; returns 1 if it wrote a session.
async fn finish(copy: Option<SessionCopy<'_>>, page: Vec<Message>) -> Result<u64> {
    let Some(copy) = copy else { return Ok(0) };
    copy.page(page).await?;
    copy.finish().await?;
    Ok(1)
}

/// The plan for `session` (read at `place`), given what `target` holds under its id; a session
/// already planned (`plans`) appears twice in the input.
async fn planned(
    target: &dyn RestoreStore,
    plans: &HashMap<SessionId, Plan>,
    session: &Session,
    replace: bool,
    place: String,
) -> Result<Plan> {
    if plans.contains_key(&session.id) {
        let reason = format!("session {} appears a second time", session.id);
        return Err(Error::invalid(place, reason));
    }
    let existing = target.get_session(&session.id).await?;
    plan(existing.as_ref(), session, replace)
}

/// `import`: reads an export into the store at `url`.
pub async fn import_into(url: &str, input: Option<&Path>, replace: bool) -> Result<()> {
    let copied = import(crate::open::open(url).await?.as_ref(), input, replace).await?;
    eprintln!(
        "imported {} session(s); {} already present and equal were skipped, {} expired left out",
        copied.written, copied.skipped, copied.expired
    );
    Ok(())
}

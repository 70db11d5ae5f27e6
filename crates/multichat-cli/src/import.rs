//! `import`: an export read into a store in two passes, so that a refused import writes
//! nothing. The first pass checks every line: each record and its messages (with
//! [`RestoreCheck`]: seqs, counters, times, sizes, which session each message line belongs to)
//! and each record against the target's record of the same id ([`plan`]: differing sessions are
//! refused unless `--replace`; planned 200 at a time, `crate::copy::Planner`). The second pass
//! writes what the first planned: sessions of up to a page of messages whole, many to a call
//! (`crate::batch`), larger ones page by page. Memory holds one page of messages, a batch, and
//! one plan per session, whatever the sessions hold.

use std::collections::HashMap;
use std::path::Path;

use multichat_core::{Error, Limits, Message, RestoreCheck, RestoreStore, Result};
use multichat_core::{Session, SessionId, WholeSession};

use crate::batch::Batch;
use crate::copy::{Copied, Plan, Planner, SessionCopy, counted};
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
    let mut lines = input.checked_lines()?;
    let (mut current, mut batch, mut written) = (Current::Idle, Batch::new(target), 0);
    let bar = progress(plans.len() as u64, "importing sessions");
    while let Some(line) = lines.next_line()? {
        match line {
            Line::Session { session } => {
                bar.inc(1);
                let done = std::mem::replace(&mut current, Current::Idle);
                written += done.end(&mut batch).await?;
                let plan = plans.get(&session.id).copied().unwrap_or(Plan::Skip);
                current = Current::start(target, session, plan).await?;
            }
            Line::Message { message, .. } => current.message(message).await?,
        }
    }
    bar.finish_and_clear();
    written += current.end(&mut batch).await?;
    Ok(written + batch.flush().await?.len() as u64)
}

/// The session whose lines are being read in the second pass.
enum Current<'a> {
    /// Not written (skipped, expired), or none yet.
    Idle,
    /// Written page by page: the copy, and the page being read.
    Copying(SessionCopy<'a>, Vec<Message>),
    /// Small enough to be written whole, in a batch with others.
    Whole(WholeSession),
}

impl<'a> Current<'a> {
    /// Starts writing `session` into `target` as `plan` says.
    async fn start(target: &'a dyn RestoreStore, session: Session, plan: Plan) -> Result<Self> {
        if Batch::takes(plan, &session) {
            let messages = Vec::with_capacity(session.message_count as usize);
            return Ok(Self::Whole(WholeSession { session, messages }));
        }
        Ok(match SessionCopy::begin(target, session, plan).await? {
            Some(copy) => Self::Copying(copy, Vec::new()),
            None => Self::Idle,
        })
    }

    /// Takes the session's next message.
    async fn message(&mut self, message: Message) -> Result<()> {
        match self {
            Self::Idle => {}
            Self::Whole(whole) => whole.messages.push(message),
            Self::Copying(copy, page) => {
                page.push(message);
                if page.len() >= PAGE {
                    copy.page(std::mem::take(page)).await?;
                }
            }
        }
        Ok(())
    }

    /// Ends the session: a copy writes its last page and final record, a whole session joins
    /// `batch`. How many sessions this wrote (a batch may write several at once).
    async fn end(self, batch: &mut Batch<'_>) -> Result<u64> {
        match self {
            Self::Idle => Ok(0),
            Self::Whole(whole) => Ok(batch.push(whole).await?.len() as u64),
            Self::Copying(copy, page) => {
                copy.page(page).await?;
                copy.finish().await?;
                Ok(1)
            }
        }
    }
}

/// The first pass of an import: checks every line, plans every session. Errors come in the
/// order of the input: a session read before a bad line, and refused by its plan, is the error.
async fn check_input(
    target: &dyn RestoreStore,
    input: &Input,
    replace: bool,
) -> Result<HashMap<SessionId, Plan>> {
    let mut planner = Planner::new(target, replace);
    match check_lines(input, &mut planner).await {
        Ok(()) => planner.finish().await,
        Err(e) => Err(planner.finish().await.err().unwrap_or(e)),
    }
}

/// Checks every line of `input`, handing each session to `planner`.
async fn check_lines(input: &Input, planner: &mut Planner<'_>) -> Result<()> {
    let mut lines = input.lines()?;
    let mut check = None::<RestoreCheck>;
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
                planner.add(session, lines.place()).await?;
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
    Ok(())
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

/// `import`: reads an export into the store at `url`.
pub async fn import_into(url: &str, input: Option<&Path>, replace: bool) -> Result<()> {
    let copied = import(crate::open::open(url).await?.as_ref(), input, replace).await?;
    eprintln!(
        "imported {} session(s); {} already present and equal were skipped, {} expired left out",
        copied.written, copied.skipped, copied.expired
    );
    Ok(())
}

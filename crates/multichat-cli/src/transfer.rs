//! `import` and `migrate`: streaming, so memory is bounded by one page of messages, and
//! idempotent (sessions already complete in the target are skipped).

use std::io::{BufRead, BufReader};
use std::path::Path;

use multichat_core::{ChatStore, Error, Message, RestoreStore, Result};

use crate::copy::Copy;
use crate::export::{Line, PAGE, each_page, each_session, io};
use crate::output::progress;

/// Reads an export into `target`; sessions already present and equal are skipped.
pub async fn import(target: &dyn RestoreStore, input: Option<&Path>) -> Result<u64> {
    let source: Box<dyn BufRead> = match input {
        Some(path) => Box::new(BufReader::new(
            std::fs::File::open(path).map_err(|e| io(path, e))?,
        )),
        None => Box::new(BufReader::new(std::io::stdin().lock())),
    };
    let name = input.map_or("stdin".into(), |p| p.display().to_string());
    let (mut copy, mut page, mut copied) = (None::<Copy<'_>>, Vec::new(), 0);
    let bar = progress(0, "importing sessions");
    for (n, line) in source.lines().enumerate() {
        let place = || format!("{name} line {}", n + 1);
        match parse(line, &name, place)? {
            Line::Session { session } => {
                bar.inc(1);
                copied += finish(copy.take(), std::mem::take(&mut page)).await?;
                copy = Some(Copy::begin(target, session).await?);
            }
            Line::Message { message, .. } => page.push(message),
        }
        flush_full(copy.as_ref(), &mut page, place).await?;
    }
    bar.finish_and_clear();
    Ok(copied + finish(copy, page).await?)
}

fn parse(line: std::io::Result<String>, name: &str, place: impl Fn() -> String) -> Result<Line> {
    let text = line.map_err(|e| io(Path::new(name), e))?;
    serde_json::from_str::<Line>(&text).map_err(|e| Error::corrupt(place(), e.to_string()))
}

/// `import`: reads an export into the store at `url`.
pub async fn import_into(url: &str, input: Option<&Path>) -> Result<()> {
    let imported = import(crate::open::open(url).await?.as_ref(), input).await?;
    eprintln!("imported {imported} session(s)");
    Ok(())
}

/// `migrate`: copies every session from the store at `from` to the store at `to`.
pub async fn migrate_between(from: &str, to: &str) -> Result<()> {
    let (source, target) = (crate::open::open(from).await?, crate::open::open(to).await?);
    let copied = migrate(source.as_ref(), target.as_ref()).await?;
    eprintln!("migrated {copied} session(s) (sessions already complete were skipped)");
    Ok(())
}

/// Writes `page` once it is full.
async fn flush_full(
    copy: Option<&Copy<'_>>,
    page: &mut Vec<Message>,
    place: impl Fn() -> String,
) -> Result<()> {
    if page.len() < PAGE {
        return Ok(());
    }
    let copy = copy.ok_or_else(|| Error::corrupt(place(), "a message before any session"))?;
    copy.page(std::mem::take(page)).await
}

async fn finish(copy: Option<Copy<'_>>, page: Vec<Message>) -> Result<u64> {
    let Some(copy) = copy else { return Ok(0) };
    copy.page(page).await?;
    Ok(u64::from(copy.finish().await?))
}

/// Copies every session of `source` into `target`; returns how many were copied (not skipped).
pub async fn migrate(source: &dyn ChatStore, target: &dyn RestoreStore) -> Result<u64> {
    let mut total = 0;
    each_session(source, async |_| {
        total += 1;
        Ok(())
    })
    .await?;
    let bar = progress(total, "migrating");
    let mut copied = 0;
    each_session(source, async |session| {
        let id = session.id.clone();
        let copy = Copy::begin(target, session).await?;
        each_page(source, &id, async |page| copy.page(page).await).await?;
        copied += u64::from(copy.finish().await?);
        bar.inc(1);
        eprintln!("copied {id}");
        Ok(())
    })
    .await?;
    bar.finish_and_clear();
    Ok(copied)
}

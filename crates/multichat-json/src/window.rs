//! A token-budget read (`MessageQuery::Budget`) of a log: backwards from its end, decoding each
//! line, up to the first message past the budget — so it costs the lines of the window, not the
//! query's `limit`.

use std::fs::File;
use std::path::Path;

use multichat_core::{Message, MessageQuery, Result};

use crate::codec::decode_line;
use crate::error::io_at;
use crate::state::{Change, Locked, live};
use crate::tail;

/// The messages of the live session of `ctx` that fit `query` (a budget), oldest first.
pub fn read(ctx: Locked<'_>, query: MessageQuery) -> Result<(Vec<Message>, Change)> {
    let entry = live(&ctx)?;
    if entry.log_len == 0 || query.limit() == 0 {
        return Ok((Vec::new(), Change::Keep));
    }
    let log = ctx.shared.layout.log(ctx.id.as_str());
    let mut file = File::open(&log).map_err(io_at(&log))?;
    let found = newest_within(&mut file, &log, entry.log_len, query)?;
    Ok((found, Change::Keep))
}

/// The newest messages of the first `end` bytes of `log` that fit `query` (a budget), in
/// ascending seq order; the first line that does not decode is its error.
fn newest_within(
    file: &mut File,
    log: &Path,
    end: u64,
    query: MessageQuery,
) -> Result<Vec<Message>> {
    let (mut admit, limit) = (query.admits(), query.limit());
    let (mut found, mut failed) = (Vec::new(), None);
    tail::backwards(file, end, |line, start| {
        if found.len() >= limit {
            return false;
        }
        match decode_line(line, || format!("{} at byte {start}", log.display())) {
            Ok(line) if admit(&line.message) => {
                found.push(line.message);
                true
            }
            Ok(_) => false,
            Err(e) => {
                failed = Some(e);
                false
            }
        }
    })
    .map_err(io_at(log))?;
    if let Some(e) = failed {
        return Err(e);
    }
    found.reverse();
    Ok(found)
}

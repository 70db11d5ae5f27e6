//! Reading messages from a log: `last` backwards from its end; `after` and `before` from the
//! line their seq bounds, found by bisection ([`crate::seek`]) — each costs O(log size + the
//! messages read), whatever the history's length.

use std::fs::File;
use std::path::Path;

use multichat_core::{Message, MessageQuery, Result};

use crate::codec::decode_line;
use crate::error::io_at;
use crate::seek::{self, peek_seq};
use crate::state::{Change, Locked, live};
use crate::tail;

/// The messages `query` selects, in ascending seq order.
pub fn read(ctx: Locked<'_>, query: MessageQuery) -> Result<(Vec<Message>, Change)> {
    let entry = live(&ctx)?;
    let log = ctx.shared.layout.log(ctx.id.as_str());
    if entry.log_len == 0 || query.limit() == 0 {
        return Ok((Vec::new(), Change::Keep));
    }
    let mut file = File::open(&log).map_err(io_at(&log))?;
    let mut scan = Scan {
        file: &mut file,
        log: &log,
        end: entry.log_len,
    };
    let mut found = match query {
        // A budget is read by `crate::window`; here it would be its last `limit`, trimmed.
        MessageQuery::Last { n } | MessageQuery::Budget { limit: n, .. } => {
            scan.back(n, |_| Step::Take)?
        }
        MessageQuery::Before { seq, limit } => scan.before(seq, limit)?,
        MessageQuery::After { seq, limit } => {
            return scan.after(seq, limit).map(|m| (m, Change::Keep));
        }
    };
    found.reverse();
    Ok((query.window(found), Change::Keep))
}

/// The message with seq `seq` in the first `log_len` bytes of the log of `ctx.id`, if any: one
/// bisection and one line.
pub fn one(ctx: &Locked<'_>, log_len: u64, seq: u64) -> Result<Option<Message>> {
    let log = ctx.shared.layout.log(ctx.id.as_str());
    let mut file = File::open(&log).map_err(io_at(&log))?;
    let mut scan = Scan {
        file: &mut file,
        log: &log,
        end: log_len,
    };
    let found = scan.after(seq.saturating_sub(1), 1)?;
    Ok(found.into_iter().find(|m| m.seq == seq))
}

/// What to do with a line met while scanning.
enum Step {
    Take,
    Skip,
}

/// One log, read up to `end`.
struct Scan<'a> {
    file: &'a mut File,
    log: &'a Path,
    end: u64,
}

impl Scan<'_> {
    /// Messages after `seq`: forwards from the first line above it, found by bisection; in a log
    /// with a line not in the store's own form, forwards from the start, decoding.
    fn after(&mut self, seq: u64, limit: usize) -> Result<Vec<Message>> {
        match seek::first_above(self.file, self.end, seq).map_err(io_at(self.log))? {
            Some(from) => self.forward(from, limit, |_| Step::Take),
            None => self.forward(0, limit, |s| if s > seq { Step::Take } else { Step::Skip }),
        }
    }

    /// Messages before `seq`, last first: backwards from the first line at or above it, found
    /// by bisection; in a log with a line not in the store's own form, from the end, decoding.
    fn before(&mut self, seq: u64, limit: usize) -> Result<Vec<Message>> {
        let Some(below) = seq.checked_sub(1) else {
            return Ok(Vec::new());
        };
        match seek::first_above(self.file, self.end, below).map_err(io_at(self.log))? {
            Some(end) => {
                self.end = end;
                self.back(limit, |_| Step::Take)
            }
            None => self.back(limit, |s| if s < seq { Step::Take } else { Step::Skip }),
        }
    }

    /// Up to `cap` lines chosen by `decide`, last line first. A line is decoded only if needed.
    fn back(&mut self, cap: usize, mut decide: impl FnMut(u64) -> Step) -> Result<Vec<Message>> {
        let mut gather = Gather::new(self.log, cap);
        tail::backwards(self.file, self.end, |bytes, start| {
            gather.line(bytes, start, &mut decide)
        })
        .map_err(io_at(self.log))?;
        gather.finish()
    }

    /// Up to `cap` lines chosen by `decide` from offset `from`, first line first.
    fn forward(
        &mut self,
        from: u64,
        cap: usize,
        mut decide: impl FnMut(u64) -> Step,
    ) -> Result<Vec<Message>> {
        let mut gather = Gather::new(self.log, cap);
        tail::forwards(self.file, from, self.end, |bytes, start| {
            gather.line(bytes, start, &mut decide)
        })
        .map_err(io_at(self.log))?;
        gather.finish()
    }
}

/// The messages a scan of one log collects: up to `cap`, stopping at the first line that does
/// not decode.
struct Gather<'a> {
    log: &'a Path,
    cap: usize,
    found: Vec<Message>,
    error: Option<multichat_core::Error>,
}

impl<'a> Gather<'a> {
    fn new(log: &'a Path, cap: usize) -> Self {
        Self {
            log,
            cap,
            found: Vec::new(),
            error: None,
        }
    }

    /// Handles the line `bytes` starting at offset `start`; returns whether to go on.
    fn line(&mut self, bytes: &[u8], start: u64, decide: &mut impl FnMut(u64) -> Step) -> bool {
        if self.found.len() >= self.cap {
            return false;
        }
        let log = self.log;
        let decode = || {
            decode_line(bytes, || {
                format!("{} line {}", log.display(), line_number(log, start))
            })
        };
        let step = match peek_seq(bytes) {
            Some(seq) => decide(seq),
            None => decode().map_or(Step::Take, |line| decide(line.message.seq)),
        };
        match step {
            Step::Take => match decode() {
                Ok(line) => self.found.push(line.message),
                Err(e) => self.error = Some(e),
            },
            Step::Skip => {}
        }
        self.error.is_none() && self.found.len() < self.cap
    }

    /// The messages, or the first decoding error.
    fn finish(self) -> Result<Vec<Message>> {
        self.error.map_or(Ok(self.found), Err)
    }
}

/// The 1-based line number of the line starting at `offset` (only computed for error messages).
fn line_number(log: &Path, offset: u64) -> usize {
    let bytes = std::fs::read(log).unwrap_or_default();
    let upto = (offset as usize).min(bytes.len());
    bytes[..upto].iter().filter(|&&b| b == b'\n').count() + 1
}

//! Reading messages from a log: backwards from its end for `last` and `before` (cost independent
//! of the history's length), forwards from the start for `after` a seq older than the log.

use std::fs::File;
use std::path::Path;

use multichat_core::{Message, MessageQuery, Result};

use crate::codec::decode_line;
use crate::error::io_at;
use crate::inner::{After, Ctx, live};
use crate::tail;

/// What to do with a line met while scanning.
enum Step {
    Take,
    Skip,
    Stop,
}

/// The messages `query` selects, in ascending seq order.
pub fn read(ctx: Ctx<'_>, query: MessageQuery) -> Result<(Vec<Message>, After)> {
    let entry = live(&ctx)?;
    let log = ctx.inner.layout.log(ctx.id.as_str());
    if entry.log_len == 0 || query.limit() == 0 {
        return Ok((Vec::new(), After::Keep));
    }
    let mut file = File::open(&log).map_err(io_at(&log))?;
    let end = entry.log_len;
    let mut found = match query {
        MessageQuery::Last { n } => {
            scan_back(&mut file, &log, end, |_, taken| step(taken < n, true))?
        }
        MessageQuery::Before { seq, limit } => scan_back(&mut file, &log, end, |s, taken| {
            step(taken < limit, s < seq)
        })?,
        MessageQuery::After { seq, limit } => {
            return after(&mut file, &log, end, (seq, limit)).map(|m| (m, After::Keep));
        }
    };
    found.reverse();
    Ok((found, After::Keep))
}

/// Messages after `seq`: forwards from the start when `seq` precedes the first line, else
/// backwards from the end down to `seq`.
fn after(
    file: &mut File,
    log: &Path,
    end: u64,
    (seq, limit): (u64, usize),
) -> Result<Vec<Message>> {
    let first = scan_forward(file, log, end, |_, taken| step(taken < 1, true))?;
    if first.first().is_some_and(|m| m.seq > seq) {
        return scan_forward(file, log, end, |_, taken| step(taken < limit, true));
    }
    let mut found = scan_back(file, log, end, |s, _| step(s > seq, true))?;
    found.reverse();
    found.truncate(limit);
    Ok(found)
}

/// `Stop` unless `more`, then `Take` if `wanted`, else `Skip`.
fn step(more: bool, wanted: bool) -> Step {
    match (more, wanted) {
        (false, _) => Step::Stop,
        (true, true) => Step::Take,
        (true, false) => Step::Skip,
    }
}

fn scan_back(
    file: &mut File,
    log: &Path,
    end: u64,
    decide: impl FnMut(u64, usize) -> Step,
) -> Result<Vec<Message>> {
    let mut scan = Scan {
        log,
        decide,
        found: Vec::new(),
        error: None,
    };
    tail::backwards(file, end, |line, start| scan.visit(line, start)).map_err(io_at(log))?;
    scan.finish()
}

fn scan_forward(
    file: &mut File,
    log: &Path,
    end: u64,
    decide: impl FnMut(u64, usize) -> Step,
) -> Result<Vec<Message>> {
    let mut scan = Scan {
        log,
        decide,
        found: Vec::new(),
        error: None,
    };
    tail::forwards(file, 0, end, |line, start| scan.visit(line, start)).map_err(io_at(log))?;
    scan.finish()
}

/// The state of one scan: decoded messages so far, or the first decoding error.
struct Scan<'a, F> {
    log: &'a Path,
    decide: F,
    found: Vec<Message>,
    error: Option<multichat_core::Error>,
}

impl<F: FnMut(u64, usize) -> Step> Scan<'_, F> {
    fn visit(&mut self, bytes: &[u8], start: u64) -> bool {
        let log = self.log;
        let line = match decode_line(bytes, || {
            format!("{} line {}", log.display(), line_number(log, start))
        }) {
            Ok(line) => line,
            Err(e) => return self.fail(e),
        };
        match (self.decide)(line.message.seq, self.found.len()) {
            Step::Take => self.found.push(line.message),
            Step::Skip => {}
            Step::Stop => return false,
        }
        true
    }

    fn fail(&mut self, error: multichat_core::Error) -> bool {
        self.error = Some(error);
        false
    }

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

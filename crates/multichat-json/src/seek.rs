//! Finding a seq's line in a log by bisection over byte offsets: the seqs of a log's lines
//! ascend, so the first line above a seq is found in O(log size) small reads, whatever the
//! distance from either end (a range in the middle of a long history).

use std::fs::File;
use std::io;

use crate::tail;

/// Below this span, the line is looked for by reading forwards (one or two blocks).
const NEAR: u64 = 8 * 1024;
/// How much of a line is read to peek at its seq (`{"seq":` and up to 20 digits).
const PEEK: u64 = 32;

/// The offset of the first line of `[0, end)` whose seq is above `seq` (`end` if none), or
/// `None` when a line met on the way does not start as the store writes lines (then the caller
/// decodes its way through instead). `end` must be a line boundary.
pub fn first_above(file: &mut File, end: u64, seq: u64) -> io::Result<Option<u64>> {
    let Some((lo, hi)) = bisect(file, end, seq)? else {
        return Ok(None);
    };
    let (mut found, mut odd) = (Some(hi), false);
    tail::forwards(file, lo, hi, |line, start| match peek_seq(line) {
        Some(s) if s > seq => {
            found = Some(start);
            false
        }
        Some(_) => true,
        None => {
            odd = true;
            false
        }
    })?;
    Ok(if odd { None } else { found })
}

/// Narrows `[0, end)` to `(lo, hi)` at most [`NEAR`] apart (or with no line start between them):
/// `lo` is 0 or a line start whose seq is at most `seq`, `hi` a line start above it, or `end`.
/// `None` when a line peeked at is not in the store's own form.
fn bisect(file: &mut File, end: u64, seq: u64) -> io::Result<Option<(u64, u64)>> {
    let (mut lo, mut hi) = (0, end);
    while hi - lo > NEAR {
        let mid = lo + (hi - lo) / 2;
        let Some(start) = next_line_start(file, mid, hi)? else {
            break;
        };
        let peek = tail::read_at(file, start, PEEK.min(hi - start) as usize)?;
        match peek_seq(&peek) {
            None => return Ok(None),
            Some(s) if s > seq => hi = start,
            Some(_) => lo = start,
        }
    }
    Ok(Some((lo, hi)))
}

/// The first line start in `(from, before)`: just after the first `\n` at or after `from`.
fn next_line_start(file: &mut File, from: u64, before: u64) -> io::Result<Option<u64>> {
    let mut pos = from;
    while pos + 1 < before {
        let len = NEAR.min(before - 1 - pos);
        let block = tail::read_at(file, pos, len as usize)?;
        if let Some(i) = block.iter().position(|&b| b == b'\n') {
            return Ok(Some(pos + i as u64 + 1));
        }
        pos += len;
    }
    Ok(None)
}

/// The seq of a line from its first bytes (`{"seq":N,` as the store writes it), without decoding
/// the rest; `None` for anything else.
pub fn peek_seq(bytes: &[u8]) -> Option<u64> {
    let rest = bytes.strip_prefix(b"{\"seq\":")?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A log of `count` lines with seqs 2, 4, 6, … and contents of varied lengths, and the
    /// start offset of each line.
    fn log(count: u64) -> (tempfile::NamedTempFile, Vec<u64>, u64) {
        let mut file = tempfile::NamedTempFile::new().expect("temp file");
        let (mut starts, mut at) = (Vec::new(), 0);
        for i in 1..=count {
            let pad = "x".repeat((i as usize * 37) % 300);
            let line = format!("{{\"seq\":{},\"content\":\"{pad}\"}}\n", 2 * i);
            starts.push(at);
            at += line.len() as u64;
            file.write_all(line.as_bytes()).expect("write");
        }
        (file, starts, at)
    }

    #[test]
    fn finds_the_first_line_above_every_seq() {
        let (file, starts, end) = log(2_000);
        let mut f = File::open(file.path()).expect("open");
        for seq in 0..=4_001 {
            let expected = starts
                .iter()
                .enumerate()
                .find(|(i, _)| 2 * (*i as u64 + 1) > seq)
                .map_or(end, |(_, s)| *s);
            let found = first_above(&mut f, end, seq).expect("read");
            assert_eq!(found, Some(expected), "seq {seq}");
        }
    }

    #[test]
    fn a_line_not_in_the_stores_own_form_gives_up_only_when_met() {
        let (mut file, starts, _) = log(1_000);
        file.write_all(b"{\"role\":\"user\",\"seq\":5000}\n")
            .expect("write");
        let end = std::fs::metadata(file.path()).expect("meta").len();
        let mut f = File::open(file.path()).expect("open");
        assert_eq!(first_above(&mut f, end, 2_500).expect("read"), None);
        assert_eq!(first_above(&mut f, end, 10).expect("read"), Some(starts[5]));
    }
}

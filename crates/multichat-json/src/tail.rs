//! Reading a log by lines, backwards from a known end or forwards from the start, in blocks, so
//! the cost depends on the lines visited, not on the log's length.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

/// The largest read. A scan starts with [`FIRST_BLOCK`] and doubles its reads up to this: a read
/// of 20 short messages then reads 4 KiB, not 64 (`docs/benchmarks.md`, "Reads").
const BLOCK: u64 = 64 * 1024;
const FIRST_BLOCK: u64 = 4 * 1024;

/// Calls `visit(line, start_offset)` for each complete line of `file` that ends before `end`
/// (which must be a line boundary), last line first, until `visit` returns false.
pub fn backwards(
    file: &mut File,
    end: u64,
    mut visit: impl FnMut(&[u8], u64) -> bool,
) -> io::Result<()> {
    let mut carry: Vec<u8> = Vec::new();
    let (mut pos, mut size) = (end, FIRST_BLOCK);
    while pos > 0 {
        let start = pos.saturating_sub(size);
        size = (size * 2).min(BLOCK);
        let mut block = read_at(file, start, (pos - start) as usize)?;
        block.extend_from_slice(&carry);
        let mut line_end = block.len();
        for i in (0..block.len().saturating_sub(1)).rev() {
            if block[i] == b'\n' {
                let line = &block[i + 1..trim(line_end, &block)];
                if !visit(line, start + i as u64 + 1) {
                    return Ok(());
                }
                line_end = i + 1;
            }
        }
        carry = block[..line_end].to_vec();
        pos = start;
    }
    if !carry.is_empty() {
        visit(&carry[..trim(carry.len(), &carry)], 0);
    }
    Ok(())
}

/// Calls `visit(line, start_offset)` for each complete line from `from` (a line boundary) up
/// to `end`, first line first, until `visit` returns false.
pub fn forwards(
    file: &mut File,
    from: u64,
    end: u64,
    mut visit: impl FnMut(&[u8], u64) -> bool,
) -> io::Result<()> {
    let (mut pos, mut size) = (from, FIRST_BLOCK);
    let mut pending: Vec<u8> = Vec::new();
    while pos < end {
        let block = read_at(file, pos, size.min(end - pos) as usize)?;
        size = (size * 2).min(BLOCK);
        let base = pos - pending.len() as u64;
        pending.extend_from_slice(&block);
        pos += block.len() as u64;
        let mut start = 0;
        while let Some(nl) = pending[start..].iter().position(|&b| b == b'\n') {
            if !visit(&pending[start..start + nl], base + start as u64) {
                return Ok(());
            }
            start += nl + 1;
        }
        pending.drain(..start);
    }
    Ok(())
}

/// The offset just after the last `\n` in `[from, to)`, or `from` if there is none; reads
/// backwards by blocks, so a long log costs one block.
pub fn last_boundary(file: &mut File, from: u64, to: u64) -> io::Result<u64> {
    let mut end = to;
    while end > from {
        let start = end.saturating_sub(BLOCK).max(from);
        let bytes = read_at(file, start, (end - start) as usize)?;
        if let Some(i) = bytes.iter().rposition(|&b| b == b'\n') {
            return Ok(start + i as u64 + 1);
        }
        end = start;
    }
    Ok(from)
}

/// Reads exactly `len` bytes at `offset`.
pub fn read_at(file: &mut File, offset: u64, len: usize) -> io::Result<Vec<u8>> {
    let mut buf = vec![0; len];
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(&mut buf)?;
    Ok(buf)
}

/// The end of a line's content: `end` without its trailing `\n`.
fn trim(end: usize, block: &[u8]) -> usize {
    if end > 0 && block[end - 1] == b'\n' {
        end - 1
    } else {
        end
    }
}

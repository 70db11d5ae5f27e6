//! Reading an export: JSON Lines of [`Line`], each at most [`MAX_LINE_BYTES`], each error naming
//! the file and line. Standard input is first copied to a private temporary file, so an import
//! can check the whole input before it writes anything and then read it again.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use multichat_core::{Error, Result};

use crate::export::{Line, io};

/// The longest line an import reads: a message at the default limits (1 MiB of content, escaped
/// up to six bytes a byte in JSON, and 64 KiB of metadata) fits with room to spare.
pub const MAX_LINE_BYTES: usize = 8 << 20;

/// The input of an import: a file, or standard input copied to a temporary file.
pub struct Input {
    path: PathBuf,
    name: String,
    _spool: Option<tempfile::NamedTempFile>,
}

impl Input {
    /// The file at `path`, or standard input (copied) when `None`.
    pub fn open(path: Option<&Path>) -> Result<Self> {
        if let Some(path) = path {
            File::open(path).map_err(|e| io(path, e))?;
            return Ok(Self {
                path: path.to_owned(),
                name: path.display().to_string(),
                _spool: None,
            });
        }
        let mut spool = tempfile::NamedTempFile::new().map_err(|e| io(Path::new("tmp"), e))?;
        std::io::copy(&mut std::io::stdin().lock(), &mut spool)
            .map_err(|e| io(Path::new("stdin"), e))?;
        Ok(Self {
            path: spool.path().to_owned(),
            name: "stdin".into(),
            _spool: Some(spool),
        })
    }

    /// A reader from the first line, checking that every line is kept exactly.
    pub fn lines(&self) -> Result<Lines> {
        let file = File::open(&self.path).map_err(|e| io(&self.path, e))?;
        Ok(Lines {
            source: BufReader::new(file),
            name: self.name.clone(),
            number: 0,
            buf: Vec::new(),
            checked: false,
        })
    }

    /// A reader from the first line of an input [`Input::lines`] has read to its end without
    /// an error: it parses each line straight into a [`Line`], and only a line that does not
    /// parse that way takes the checking path again (same line, same answer).
    pub fn checked_lines(&self) -> Result<Lines> {
        let mut lines = self.lines()?;
        lines.checked = true;
        Ok(lines)
    }
}

/// The lines of an [`Input`], parsed.
pub struct Lines {
    source: BufReader<File>,
    name: String,
    number: usize,
    buf: Vec<u8>,
    /// Whether every line was checked already (see [`Input::checked_lines`]).
    checked: bool,
}

impl Lines {
    /// The next line (blank lines are passed over), or `None` at the end.
    pub fn next_line(&mut self) -> Result<Option<Line>> {
        loop {
            self.buf.clear();
            let limit = MAX_LINE_BYTES as u64 + 1;
            let read = (&mut self.source)
                .take(limit)
                .read_until(b'\n', &mut self.buf)
                .map_err(|e| io(Path::new(&self.name), e))?;
            if read == 0 {
                return Ok(None);
            }
            self.number += 1;
            if self.buf.len() > MAX_LINE_BYTES && !self.buf.ends_with(b"\n") {
                let reason = format!("longer than {MAX_LINE_BYTES} bytes");
                return Err(Error::invalid(self.place(), reason));
            }
            let text = self.buf.trim_ascii_end();
            if text.is_empty() {
                continue;
            }
            if self.checked
                && let Ok(line) = serde_json::from_slice::<Line>(text)
            {
                return Ok(Some(line));
            }
            return self.checking(text).map(Some);
        }
    }

    /// Line `text` parsed, if it is kept exactly (every field known, every value as given).
    fn checking(&self, text: &[u8]) -> Result<Line> {
        let value = serde_json::from_slice::<serde_json::Value>(text)
            .map_err(|e| Error::invalid(self.place(), e.to_string()))?;
        let line = <Line as serde::Deserialize>::deserialize(&value)
            .map_err(|e| Error::invalid(self.place(), e.to_string()))?;
        let kept = serde_json::to_value(&line).unwrap_or_default();
        if let Some(path) = not_kept(&value, &kept) {
            let reason = format!("`{path}` is not a field of this format or would not be kept");
            return Err(Error::invalid(self.place(), reason));
        }
        Ok(line)
    }

    /// The file and line last read, for errors.
    pub fn place(&self) -> String {
        format!("{} line {}", self.name, self.number)
    }
}

/// The path of the first field of `given` that `kept` (the line as it will be stored) lacks or
/// holds differently: an import keeps every line exactly, or refuses it.
fn not_kept(given: &serde_json::Value, kept: &serde_json::Value) -> Option<String> {
    let (Some(given), Some(kept)) = (given.as_object(), kept.as_object()) else {
        return (given != kept).then(String::new);
    };
    given.iter().find_map(|(key, value)| match kept.get(key) {
        None => Some(key.clone()),
        Some(k) => not_kept(value, k).map(|rest| {
            if rest.is_empty() {
                key.clone()
            } else {
                format!("{key}.{rest}")
            }
        }),
    })
}

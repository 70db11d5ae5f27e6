//! What the user types: message text (an argument or stdin) and metadata given as JSON.

use std::io::Read;

use multichat_core::{Error, Metadata, Result};

/// `text`, or all of stdin without its trailing newlines when there is none.
pub fn text_or_stdin(text: Option<String>) -> Result<String> {
    if let Some(text) = text {
        return Ok(text);
    }
    let mut buf = String::new();
    std::io::stdin()
        .read_to_string(&mut buf)
        .map_err(|e| Error::invalid("stdin", e.to_string()))?;
    Ok(buf.trim_end_matches('\n').to_owned())
}

/// `--metadata JSON`: a JSON object, or `InvalidInput` saying what is wrong with it.
pub fn metadata(text: Option<&str>) -> Result<Metadata> {
    let Some(text) = text else {
        return Ok(Metadata::new());
    };
    let value = serde_json::from_str(text)
        .map_err(|e| Error::invalid("--metadata", format!("not JSON: {e}")))?;
    multichat_core::metadata(value).map_err(|e| Error::invalid("--metadata", e.to_string()))
}

//! [`Metadata`]: the free-form JSON object of a session or a message, and [`metadata`], which
//! takes any `serde_json::Value` (e.g. from `json!`) that is an object.

use crate::error::{Error, Result};

/// Free-form metadata: a JSON object. Its keys come back sorted (a `serde_json::Map` keeps its
/// keys in order), whatever order they were given in; nesting is limited by
/// [`crate::Limits::max_metadata_depth`].
pub type Metadata = serde_json::Map<String, serde_json::Value>;

/// `value` as [`Metadata`] when it is a JSON object; anything else is [`Error::InvalidInput`].
///
/// ```
/// use multichat_core::{NewMessage, metadata};
/// use serde_json::json;
///
/// let call = metadata(json!({"tool_call": {"name": "search", "args": {"q": "refund"}}}))?;
/// let message = NewMessage::assistant("").metadata(call);
/// assert_eq!(message.metadata["tool_call"]["name"], "search");
/// assert!(metadata(json!([1, 2])).is_err());
/// # Ok::<(), multichat_core::Error>(())
/// ```
pub fn metadata(value: serde_json::Value) -> Result<Metadata> {
    match value {
        serde_json::Value::Object(map) => Ok(map),
        other => {
            let kind = match other {
                serde_json::Value::Null => "null",
                serde_json::Value::Bool(_) => "a boolean",
                serde_json::Value::Number(_) => "a number",
                serde_json::Value::String(_) => "a string",
                _ => "an array",
            };
            Err(Error::invalid(
                "metadata",
                format!("must be a JSON object, not {kind}"),
            ))
        }
    }
}

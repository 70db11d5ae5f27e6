//! `multichat messages …`: tail, append, pop and clear a session's messages.

use std::io::Read;
use std::sync::Arc;

use clap::Subcommand;
use multichat_core::{
    ChatStore, Error, Message, NewMessage, Result, Role, SessionHandle, SessionId,
};

use crate::output::{json, short, table};
use crate::pages::last_messages;

/// `multichat messages …`
#[derive(Debug, Subcommand)]
pub enum MessagesCmd {
    /// The last messages of a session
    Tail {
        /// The session id
        id: String,
        /// How many (any number: read in pages)
        #[arg(short = 'n', default_value_t = 20)]
        n: usize,
        /// Every message of the session, oldest first
        #[arg(long, conflicts_with = "n")]
        all: bool,
    },
    /// Append a message (the text argument, or stdin)
    Append {
        /// The session id (created if needed)
        id: String,
        /// system, user, assistant, tool or another name
        #[arg(long, default_value = "user")]
        role: String,
        /// The sending participant
        #[arg(long)]
        sender: Option<String>,
        /// The text (read from stdin if absent)
        text: Option<String>,
    },
    /// Remove and print the last message
    Pop {
        /// The session id
        id: String,
    },
    /// Remove every message of a session
    Clear {
        /// The session id
        id: String,
    },
}

/// Runs a `messages` subcommand.
pub async fn run(store: Arc<dyn ChatStore>, cmd: MessagesCmd, as_json: bool) -> Result<()> {
    match cmd {
        MessagesCmd::Tail { id, n, all } => tail(store.as_ref(), &id, n, all, as_json).await,
        MessagesCmd::Append {
            id,
            role,
            sender,
            text,
        } => append(store, SessionId::new(id)?, Role::from(role), sender, text).await,
        MessagesCmd::Pop { id } => {
            print_messages(store.pop(&SessionId::new(id)?).await?.as_slice(), as_json);
            Ok(())
        }
        MessagesCmd::Clear { id } => {
            println!("cleared {}", store.clear(&SessionId::new(id)?).await?);
            Ok(())
        }
    }
}

/// `messages tail`: the last `n` messages (all with `all`), read in pages.
async fn tail(store: &dyn ChatStore, id: &str, n: usize, all: bool, as_json: bool) -> Result<()> {
    let n = if all { usize::MAX } else { n };
    let messages = last_messages(store, &SessionId::new(id)?, n).await?;
    print_messages(&messages, as_json);
    Ok(())
}

async fn append(
    store: Arc<dyn ChatStore>,
    id: SessionId,
    role: Role,
    sender: Option<String>,
    text: Option<String>,
) -> Result<()> {
    let mut message = NewMessage::new(role, text_or_stdin(text)?);
    message.sender = sender;
    println!("{}", SessionHandle::new(store, id).add(message).await?);
    Ok(())
}

fn text_or_stdin(text: Option<String>) -> Result<String> {
    if let Some(text) = text {
        return Ok(text);
    }
    let mut buf = String::new();
    std::io::stdin()
        .read_to_string(&mut buf)
        .map_err(|e| Error::invalid("stdin", e.to_string()))?;
    Ok(buf.trim_end_matches('\n').to_owned())
}

fn print_messages(messages: &[Message], as_json: bool) {
    if as_json {
        messages.iter().for_each(json);
        return;
    }
    let rows: Vec<Vec<String>> = messages
        .iter()
        .map(|m| {
            vec![
                m.seq.to_string(),
                m.role.to_string(),
                m.sender.clone().unwrap_or_default(),
                short(&m.content, 80),
            ]
        })
        .collect();
    table(&["SEQ", "ROLE", "SENDER", "CONTENT"], &rows);
}

//! `multichat messages …`: tail, follow, append, pop and clear a session's messages.

use std::sync::Arc;

use clap::{Args, Subcommand};
use multichat_core::{
    ChatStore, Message, MessageQuery, NewMessage, Result, Role, SessionHandle, SessionId,
};

use crate::output::{View, json, short, table};
use crate::pages::last_messages;

/// `multichat messages …`
#[derive(Debug, Subcommand)]
pub enum MessagesCmd {
    /// The last messages of a session
    Tail(TailArgs),
    /// Append a message (the text argument, or stdin)
    Append(AppendArgs),
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
    /// Print messages as they are appended, by any process (like `tail -f`), until interrupted
    Follow {
        /// The session id
        id: String,
        /// Start after this seq (default: the last 10 messages, then what comes)
        #[arg(long)]
        after: Option<u64>,
    },
}

/// Options of `messages tail`.
#[derive(Debug, Args)]
pub struct TailArgs {
    /// The session id
    id: String,
    /// How many (any number: read in pages)
    #[arg(short = 'n', default_value_t = 20)]
    n: usize,
    /// Every message of the session, oldest first
    #[arg(long, conflicts_with = "n")]
    all: bool,
    /// Only the newest messages whose token counts add up to at most this (a context window;
    /// at most -n of them, uncounted messages count as 0)
    #[arg(long, value_name = "TOKENS", conflicts_with = "all")]
    budget: Option<u64>,
}

/// Options of `messages append`.
#[derive(Debug, Args)]
pub struct AppendArgs {
    /// The session id (created if needed)
    id: String,
    /// system, user, assistant, tool or another name
    #[arg(long, default_value = "user")]
    role: String,
    /// The sending participant
    #[arg(long)]
    sender: Option<String>,
    /// Metadata, a JSON object (e.g. a tool call)
    #[arg(long, value_name = "JSON")]
    metadata: Option<String>,
    /// A client key making the append retry-safe: run again with the same key and text, it
    /// stores nothing and prints the seq the message has
    #[arg(long)]
    key: Option<String>,
    /// The message's token count (what `tail --budget` adds up)
    #[arg(long)]
    tokens: Option<u32>,
    /// The text (read from stdin if absent)
    text: Option<String>,
}

/// Runs a `messages` subcommand.
pub async fn run(store: Arc<dyn ChatStore>, cmd: MessagesCmd, view: View) -> Result<()> {
    match cmd {
        MessagesCmd::Tail(args) => tail(store.as_ref(), args, view).await,
        MessagesCmd::Append(args) => append(store, args).await,
        MessagesCmd::Pop { id } => {
            print_messages(store.pop(&SessionId::new(id)?).await?.as_slice(), view);
            Ok(())
        }
        MessagesCmd::Clear { id } => {
            println!("cleared {}", store.clear(&SessionId::new(id)?).await?);
            Ok(())
        }
        MessagesCmd::Follow { id, after } => follow(store, SessionId::new(id)?, after, view).await,
    }
}

/// `messages follow`: one line per message (a JSON line with `--json`) as it comes; ends only
/// with an error (the session deleted or expired: not found) or when interrupted.
async fn follow(
    store: Arc<dyn ChatStore>,
    id: SessionId,
    after: Option<u64>,
    view: View,
) -> Result<()> {
    let after = match after {
        Some(seq) => seq,
        None => {
            let last = store.read(&id, MessageQuery::last(10)).await?;
            last.first().map_or(0, |m| m.seq - 1)
        }
    };
    let mut messages = store.watch(id, after);
    while let Some(message) = futures_util::StreamExt::next(&mut messages).await {
        let message = message?;
        if view.json {
            json(&message);
        } else {
            println!("{}", line(&message, view).join("  "));
        }
    }
    Ok(())
}

/// `messages tail`: the last `n` messages (all with `all`), read in pages; with a budget, the
/// newest of them that fit it.
async fn tail(store: &dyn ChatStore, args: TailArgs, view: View) -> Result<()> {
    let id = SessionId::new(args.id)?;
    let messages = match (args.budget, args.all) {
        (Some(tokens), _) => {
            store
                .read(&id, MessageQuery::budget(tokens, args.n))
                .await?
        }
        (None, true) => last_messages(store, &id, usize::MAX).await?,
        (None, false) => last_messages(store, &id, args.n).await?,
    };
    print_messages(&messages, view);
    Ok(())
}

/// `messages append`: prints the new message's seq.
async fn append(store: Arc<dyn ChatStore>, args: AppendArgs) -> Result<()> {
    let metadata = crate::input::metadata(args.metadata.as_deref())?;
    let text = crate::input::text_or_stdin(args.text)?;
    let mut message = NewMessage::new(Role::from(args.role), text).metadata(metadata);
    (message.sender, message.key, message.tokens) = (args.sender, args.key, args.tokens);
    let handle = SessionHandle::new(store, SessionId::new(args.id)?);
    println!("{}", handle.add(message).await?);
    Ok(())
}

/// The columns of `m` as `tail` and `follow` show them (text escaped and shortened).
fn line(m: &Message, view: View) -> Vec<String> {
    let meta = match m.metadata.is_empty() {
        true => String::new(),
        false => short(&serde_json::to_string(&m.metadata).unwrap_or_default(), 60),
    };
    vec![
        m.seq.to_string(),
        view.time(m.created_at),
        m.role.to_string(),
        m.sender.clone().unwrap_or_default(),
        short(m.key.as_deref().unwrap_or_default(), 40),
        m.tokens.map(|n| n.to_string()).unwrap_or_default(),
        short(&m.content, 80),
        meta,
    ]
}

fn print_messages(messages: &[Message], view: View) {
    if view.json {
        messages.iter().for_each(json);
        return;
    }
    let rows: Vec<Vec<String>> = messages.iter().map(|m| line(m, view)).collect();
    let headers = [
        "SEQ", "TIME", "ROLE", "SENDER", "KEY", "TOKENS", "CONTENT", "METADATA",
    ];
    table(&headers, &rows);
}

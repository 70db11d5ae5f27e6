//! `sessions …`, `messages …`, `purge-expired` and `stats`.

use std::io::Read;
use std::sync::Arc;

use multichat_core::{
    ChatStore, Error, Message, NewMessage, Result, Role, SessionHandle, SessionId, SessionQuery,
};

use crate::cli::Command;
use crate::cli_sub::{MessagesCmd, SessionsCmd};
use crate::open::StoreFacts;
use crate::output::{escape, json, pretty, short, table};
use crate::pages::last_messages;

/// Runs the commands that work on one open store.
pub async fn run(
    store: Arc<dyn ChatStore>,
    command: Command,
    facts: StoreFacts,
    as_json: bool,
) -> Result<()> {
    match command {
        Command::Sessions(cmd) => sessions(store.as_ref(), cmd, as_json).await,
        Command::Messages(cmd) => messages(store, cmd, as_json).await,
        Command::PurgeExpired => {
            println!("purged {}", store.purge_expired().await?);
            Ok(())
        }
        _ => stats(store.as_ref(), facts, as_json).await,
    }
}

/// Runs a `sessions` subcommand.
async fn sessions(store: &dyn ChatStore, cmd: SessionsCmd, as_json: bool) -> Result<()> {
    match cmd {
        SessionsCmd::List {
            participant,
            limit,
            cursor,
        } => {
            let mut query = SessionQuery::new(limit).cursor(cursor);
            query.participant = participant;
            list(store, query, as_json).await?;
        }
        SessionsCmd::Show { id } => {
            let id = SessionId::new(id)?;
            let session = store
                .get_session(&id)
                .await?
                .ok_or_else(|| Error::not_found(&id))?;
            pretty(&session);
        }
        SessionsCmd::Delete { id } => {
            let id = SessionId::new(id)?;
            let deleted = store.delete_session(&id).await?;
            println!(
                "{}",
                escape(&if deleted {
                    format!("deleted {id}")
                } else {
                    format!("no session {id}")
                })
            );
        }
    }
    Ok(())
}

async fn list(store: &dyn ChatStore, query: SessionQuery, as_json: bool) -> Result<()> {
    let page = store.list_sessions(query).await?;
    if as_json {
        json(&page);
        return Ok(());
    }
    let row = |s: &multichat_core::Session| {
        vec![
            s.id.to_string(),
            s.message_count.to_string(),
            s.participants.join(","),
            s.title.clone().unwrap_or_default(),
        ]
    };
    table(
        &["SESSION", "MESSAGES", "PARTICIPANTS", "TITLE"],
        &page.items.iter().map(row).collect::<Vec<_>>(),
    );
    page.next_cursor
        .iter()
        .for_each(|c| println!("next page: --cursor '{c}'"));
    Ok(())
}

/// Runs a `messages` subcommand.
async fn messages(store: Arc<dyn ChatStore>, cmd: MessagesCmd, as_json: bool) -> Result<()> {
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

/// `stats`: sessions, messages, (for file stores) bytes, and a Redis eviction policy that may
/// drop sessions.
async fn stats(store: &dyn ChatStore, facts: StoreFacts, as_json: bool) -> Result<()> {
    let (mut sessions, mut messages, mut cursor) = (0u64, 0u64, None);
    loop {
        let page = store
            .list_sessions(SessionQuery::new(1000).cursor(cursor))
            .await?;
        sessions += page.items.len() as u64;
        messages += page.items.iter().map(|s| s.message_count).sum::<u64>();
        cursor = page.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    let StoreFacts { bytes, eviction } = facts;
    if as_json {
        json(&serde_json::json!({
            "sessions": sessions, "messages": messages, "bytes": bytes, "evicts": eviction,
        }));
        return Ok(());
    }
    let bytes = bytes.map_or("n/a".to_owned(), |b| b.to_string());
    let evicts = eviction.map_or("no".to_owned(), |p| format!("yes: {p}"));
    table(
        &["SESSIONS", "MESSAGES", "BYTES", "EVICTS"],
        &[vec![
            sessions.to_string(),
            messages.to_string(),
            bytes,
            evicts,
        ]],
    );
    Ok(())
}

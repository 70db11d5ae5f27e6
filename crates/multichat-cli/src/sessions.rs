//! `multichat sessions …` and `purge-expired`: list, show, delete and expire sessions.

use clap::Subcommand;
use multichat_core::{ChatStore, Error, Result, SessionId, SessionQuery};

use crate::output::{escape, json, pretty, table};

/// `multichat sessions …`
#[derive(Debug, Subcommand)]
pub enum SessionsCmd {
    /// One page of sessions, newest first
    List {
        /// Only sessions with this participant
        #[arg(long)]
        participant: Option<String>,
        /// Page size
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Continue after this cursor (printed after a page)
        #[arg(long)]
        cursor: Option<String>,
    },
    /// One session's record
    Show {
        /// The session id
        id: String,
    },
    /// Delete a session and its messages
    Delete {
        /// The session id
        id: String,
    },
}

/// Runs a `sessions` subcommand.
pub async fn run(store: &dyn ChatStore, cmd: SessionsCmd, as_json: bool) -> Result<()> {
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

/// `purge-expired`: removes every expired session and says how many.
pub async fn purge(store: &dyn ChatStore) -> Result<()> {
    println!("purged {}", store.purge_expired().await?);
    Ok(())
}

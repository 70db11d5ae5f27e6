//! `multichat sessions …` and `purge-expired`: list, show, create, delete and expire sessions.

use std::time::Duration;

use clap::{Args, Subcommand};
use multichat_core::{
    ChatStore, Error, Expiry, NewSession, Result, Session, SessionId, SessionQuery,
};

use crate::output::{View, escape, expiry, json, pretty, table};

/// `multichat sessions …`
#[derive(Debug, Subcommand)]
pub enum SessionsCmd {
    /// Sessions, newest first: one page, or every page with --all
    List {
        /// Only sessions with this participant
        #[arg(long)]
        participant: Option<String>,
        /// Page size
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Continue after this cursor (printed after a page)
        #[arg(long, conflicts_with = "all")]
        cursor: Option<String>,
        /// Every session, page after page
        #[arg(long)]
        all: bool,
    },
    /// One session's record
    Show {
        /// The session id
        id: String,
    },
    /// Create a session
    Create(CreateArgs),
    /// Delete a session and its messages
    Delete {
        /// The session id
        id: String,
    },
}

/// Options of `sessions create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The session id
    id: String,
    /// Its title
    #[arg(long)]
    title: Option<String>,
    /// A participant (repeat for several)
    #[arg(long = "participant")]
    participants: Vec<String>,
    /// Expire after this many seconds without a write
    #[arg(long, value_name = "SECONDS")]
    idle: Option<u64>,
    /// Metadata, a JSON object
    #[arg(long, value_name = "JSON")]
    metadata: Option<String>,
}

/// Runs a `sessions` subcommand.
pub async fn run(store: &dyn ChatStore, cmd: SessionsCmd, view: View) -> Result<()> {
    match cmd {
        SessionsCmd::List {
            participant,
            limit,
            cursor,
            all,
        } => {
            let mut query = SessionQuery::new(limit).cursor(cursor);
            query.participant = participant;
            list(store, query, all, view).await
        }
        SessionsCmd::Show { id } => {
            let id = SessionId::new(id)?;
            let session = store.get_session(&id).await?;
            show(&session.ok_or_else(|| Error::not_found(&id))?, view);
            Ok(())
        }
        SessionsCmd::Create(args) => create(store, args, view).await,
        SessionsCmd::Delete { id } => {
            let id = SessionId::new(id)?;
            let text = match store.delete_session(&id).await? {
                true => format!("deleted {id}"),
                false => format!("no session {id}"),
            };
            println!("{}", escape(&text));
            Ok(())
        }
    }
}

/// A page of sessions (every page with `all`), as a table or JSON lines.
async fn list(store: &dyn ChatStore, mut query: SessionQuery, all: bool, view: View) -> Result<()> {
    let mut rows = Vec::new();
    loop {
        let page = store.list_sessions(query.clone()).await?;
        if view.json && !all {
            json(&page);
            return Ok(());
        }
        rows.extend(page.items);
        match page.next_cursor {
            Some(next) if all => query = query.cursor(Some(next)),
            Some(next) => {
                print_sessions(&rows, view);
                println!("next page: --cursor '{}'", escape(&next));
                return Ok(());
            }
            None => break,
        }
    }
    print_sessions(&rows, view);
    Ok(())
}

fn print_sessions(sessions: &[Session], view: View) {
    if view.json {
        sessions.iter().for_each(json);
        return;
    }
    let row = |s: &Session| {
        vec![
            s.id.to_string(),
            s.message_count.to_string(),
            view.time(s.updated_at),
            expiry(s, view),
            s.participants.join(","),
            s.title.clone().unwrap_or_default(),
        ]
    };
    let headers = [
        "SESSION",
        "MESSAGES",
        "LAST ACTIVITY (UTC)",
        "EXPIRES (UTC)",
        "PARTICIPANTS",
        "TITLE",
    ];
    table(&headers, &sessions.iter().map(row).collect::<Vec<_>>());
}

/// One session: its fields one per line with readable times, or its JSON record.
fn show(s: &Session, view: View) {
    if view.json {
        pretty(s);
        return;
    }
    let rows = [
        ("id", s.id.to_string()),
        ("title", s.title.clone().unwrap_or_default()),
        ("participants", s.participants.join(", ")),
        ("messages", s.message_count.to_string()),
        ("last seq", s.last_seq.to_string()),
        ("version", s.version.to_string()),
        ("created", view.time(s.created_at)),
        ("last activity", view.time(s.updated_at)),
        ("expires", expiry(s, view)),
        (
            "metadata",
            serde_json::to_string(&s.metadata).unwrap_or_default(),
        ),
    ];
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|(k, v)| vec![k.to_owned(), v])
        .collect();
    table(&["FIELD", "VALUE"], &rows);
}

/// `sessions create`.
async fn create(store: &dyn ChatStore, args: CreateArgs, view: View) -> Result<()> {
    let mut new = NewSession::new(SessionId::new(args.id)?)
        .participants(args.participants)
        .metadata(crate::input::metadata(args.metadata.as_deref())?);
    new.title = args.title;
    new.expiry = args.idle.map(|s| Expiry::idle(Duration::from_secs(s)));
    show(&store.create_session(new).await?, view);
    Ok(())
}

/// `purge-expired`: removes every expired session and says how many.
pub async fn purge(store: &dyn ChatStore) -> Result<()> {
    println!("purged {}", store.purge_expired().await?);
    Ok(())
}

//! The `sessions` and `messages` subcommands.

use clap::Subcommand;

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

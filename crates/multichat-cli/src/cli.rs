//! The command line, as `clap` derive types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Keep every chat session and message across restarts, crashes and machines.
#[derive(Debug, Parser)]
#[command(name = "multichat", version, about)]
pub struct Cli {
    /// The store: sqlite:PATH, json:DIR, redis://…, rediss://…, redis+cluster://h:p,h:p
    #[arg(
        long,
        global = true,
        env = "MULTICHAT_STORE",
        default_value = "sqlite:multichat.db"
    )]
    pub store: String,
    /// A fast store in front of --store (a hybrid store), e.g. redis://127.0.0.1:6379/
    #[arg(long, global = true)]
    pub cache: Option<String>,
    /// Print JSON instead of tables
    #[arg(long, global = true)]
    pub json: bool,
    /// Show times in UTC (RFC 3339) instead of the local time zone
    #[arg(long, global = true)]
    pub utc: bool,
    /// What to do
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Several agents chat concurrently in several sessions; the store is reopened and shown
    Demo(DemoArgs),
    /// List, show or delete sessions
    #[command(subcommand)]
    Sessions(crate::sessions::SessionsCmd),
    /// Tail, append, pop or clear messages
    #[command(subcommand)]
    Messages(crate::messages::MessagesCmd),
    /// Remove every expired session
    PurgeExpired,
    /// Count sessions, messages and bytes
    Stats,
    /// Write sessions and their messages as JSON Lines (every session, or those selected)
    Export {
        /// The file to write (stdout if absent)
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Only this session (repeat for several)
        #[arg(long = "session", value_name = "ID", conflicts_with = "participant")]
        sessions: Vec<String>,
        /// Only sessions with this participant
        #[arg(long)]
        participant: Option<String>,
    },
    /// Read JSON Lines written by `export` into the store
    Import {
        /// The file to read (stdin if absent)
        input: Option<PathBuf>,
        /// Overwrite sessions the store holds that differ from the imported ones (without it,
        /// such a session is an error and nothing is written)
        #[arg(long)]
        replace: bool,
    },
    /// Copy every session from one store to another, preserving every field and seq
    Migrate {
        /// The source store URL
        #[arg(long)]
        from: String,
        /// The target store URL
        #[arg(long)]
        to: String,
        /// Overwrite sessions the target holds that differ from the source's (without it, such a
        /// session is an error and nothing is written)
        #[arg(long)]
        replace: bool,
    },
}

/// Options of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Sessions to chat in (1–50)
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=50))]
    pub sessions: u16,
    /// Agents chatting in every session (1–20)
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=20))]
    pub agents: u16,
    /// Messages each agent writes in each session (1–100)
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub messages: u16,
}

//! `multichat`: the demo, inspection, export/import and migration between any two stores.
#![forbid(unsafe_code)]

mod batch;
mod cli;
mod copy;
mod demo;
mod export;
mod import;
mod input;
mod lines;
mod messages;
mod open;
mod output;
mod pages;
mod sessions;
mod stats;
mod transfer;

use std::process::ExitCode;

use clap::Parser;
use std::sync::Arc;

use multichat_core::{ChatStore, Result};

use crate::cli::{Cli, Command};
use crate::open::StoreFacts;
use crate::output::View;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", output::escape(&chain(&e)));
            ExitCode::FAILURE
        }
    }
}

/// The error and its sources on one line.
fn chain(e: &multichat_core::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    text
}

async fn run(cli: Cli) -> Result<()> {
    let cache = cli.cache.as_deref();
    match cli.command {
        Command::Demo(args) => demo::run(&cli.store, cache, &args, cli.json).await,
        Command::Export {
            output,
            sessions,
            participant,
        } => {
            let options = export::ExportOptions {
                output,
                sessions,
                participant,
            };
            let store = open::open(&cli.store).await?;
            let written = export::export(store.as_ref(), &options).await?;
            if written == 0 {
                output::note_empty(&cli.store);
            }
            Ok(())
        }
        Command::Import { input, replace } => {
            import::import_into(&cli.store, input.as_deref(), replace).await
        }
        Command::Migrate { from, to, replace } => {
            transfer::migrate_between(&from, &to, replace).await
        }
        command => {
            let (store, facts) = open::open_inspected(&cli.store, cache).await?;
            let view = View {
                json: cli.json,
                utc: cli.utc,
            };
            on_store(store, command, facts, view).await
        }
    }
}

/// Runs the commands that work on one open store.
async fn on_store(
    store: Arc<dyn ChatStore>,
    command: Command,
    facts: StoreFacts,
    view: View,
) -> Result<()> {
    match command {
        Command::Sessions(cmd) => sessions::run(store.as_ref(), cmd, view).await,
        Command::Messages(cmd) => messages::run(store, cmd, view).await,
        Command::PurgeExpired => sessions::purge(store.as_ref()).await,
        _ => stats::run(store.as_ref(), facts, view.json).await,
    }
}

//! `multichat`: the demo, inspection, export/import and migration between any two stores.
#![forbid(unsafe_code)]

mod cli;
mod cli_sub;
mod copy;
mod demo;
mod export;
mod import;
mod inspect;
mod lines;
mod open;
mod output;
mod pages;
mod transfer;

use std::process::ExitCode;

use clap::Parser;
use multichat_core::Result;

use crate::cli::{Cli, Command};

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
        Command::Export { output } => {
            export::export(open::open(&cli.store).await?.as_ref(), output.as_deref()).await
        }
        Command::Import { input, replace } => {
            import::import_into(&cli.store, input.as_deref(), replace).await
        }
        Command::Migrate { from, to, replace } => {
            transfer::migrate_between(&from, &to, replace).await
        }
        command => {
            let (store, facts) = open::open_inspected(&cli.store, cache).await?;
            inspect::run(store, command, facts, cli.json).await
        }
    }
}

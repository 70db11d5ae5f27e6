//! Every command of `cargo xtask` prints its usage for `--help` and exits 0 without doing
//! anything else; a wrong argument is a usage error (exit 2) naming it.

use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn help_prints_usage_and_exits_zero_for_every_command() {
    for (args, mentions) in [
        (vec!["--help"], "lint-v2"),
        (vec!["ci", "--help"], "Usage: cargo xtask ci"),
        (vec!["lint-v2", "--help"], "--baseline"),
        (vec!["bench", "--help"], "--threshold"),
    ] {
        let out = xtask(&args);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {text}");
        assert!(
            text.contains(mentions),
            "{args:?} lacks {mentions:?}: {text}"
        );
        assert!(
            !text.contains("==>"),
            "{args:?} started running something: {text}"
        );
    }
}

#[test]
fn a_wrong_argument_is_a_usage_error_naming_it() {
    for (args, named) in [
        (vec!["lint-v2", "--frobnicate"], "--frobnicate"),
        (vec!["lint-v2", "--format", "xml"], "xml"),
        (vec!["lint-v2", "--path"], "--path"),
        (vec!["lint-v2", "--bless"], "--baseline"),
        (vec!["bench", "--threshold", "ten", "--compare", "x"], "ten"),
        (vec!["nonsense"], "nonsense"),
    ] {
        let out = xtask(&args);
        let text = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {text}");
        assert!(text.contains(named), "{args:?}: {text}");
    }
}

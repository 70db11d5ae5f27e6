//! Printing: aligned tables for people, JSON for scripts; a progress bar on a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};
use multichat_core::Timestamp;
use serde::Serialize;

/// Prints `rows` under `headers` with aligned columns; every cell is [`escape`]d.
pub fn table(headers: &[&str], rows: &[Vec<String>]) {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| escape(c)).collect())
        .collect();
    let widths: Vec<usize> = (0..headers.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([headers[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(headers.iter().map(|h| (*h).to_owned()).collect());
    rows.iter().for_each(|r| line(r.clone()));
}

/// Prints `value` as one line of JSON, [`escape`]d (still valid JSON: the characters it
/// escapes only occur inside strings there).
pub fn json<T: Serialize>(value: &T) {
    println!(
        "{}",
        escape(&serde_json::to_string(value).unwrap_or_default())
    );
}

/// Prints `value` as indented JSON, each line [`escape`]d.
pub fn pretty<T: Serialize>(value: &T) {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.lines().for_each(|line| println!("{}", escape(line)));
}

/// `text` made safe for a terminal: every control character (C0, DEL, C1: escape sequences
/// could clear the screen or set the window title) and every bidirectional or invisible
/// formatting character becomes `\uXXXX`, which also keeps JSON text valid JSON.
pub fn escape(text: &str) -> String {
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// How results are shown: JSON lines for scripts or tables for people, and times in UTC or in
/// the local time zone.
#[derive(Debug, Clone, Copy)]
pub struct View {
    /// JSON instead of tables (times are then integer milliseconds, as stored).
    pub json: bool,
    /// Times in UTC (RFC 3339, `Z`) instead of local time.
    pub utc: bool,
}

impl View {
    /// `t` readable: `2026-12-03 07:12:05.123 +01:00` in local time, or RFC 3339 in UTC.
    pub fn time(self, t: Timestamp) -> String {
        if self.utc {
            return t.to_string();
        }
        let local = chrono::DateTime::<chrono::Local>::from(std::time::SystemTime::from(t));
        local.format("%Y-%m-%d %H:%M:%S%.3f %:z").to_string()
    }
}

/// When a session expires, readable: `never`, or the time and the policy.
pub fn expiry(s: &multichat_core::Session, view: View) -> String {
    match (s.expires_at, s.expiry) {
        (Some(at), Some(multichat_core::Expiry::IdleMs(ms))) => {
            format!("{} (idle {} s)", view.time(at), ms / 1000)
        }
        (Some(at), _) => view.time(at),
        _ => "never".to_owned(),
    }
}

/// Says on stderr that the store at `url` holds no sessions (or none that were selected), with
/// the likeliest cause for Redis: another key prefix.
pub fn note_empty(url: &str) {
    let shown = multichat::StoreUrl::parse(url).map_or_else(|_| String::new(), |u| u.to_string());
    let hint = match shown.starts_with("redis") {
        true => "; a store under another key prefix needs ?prefix=NAME in the URL",
        false => "",
    };
    eprintln!("note: {} holds no multichat sessions{hint}", escape(&shown));
}

/// Shortens `text` to one line of at most `max` characters.
pub fn short(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= max {
        return flat;
    }
    flat.chars().take(max.saturating_sub(1)).collect::<String>() + "…"
}

/// A progress bar of `len` steps on stderr when it is a terminal; hidden otherwise.
pub fn progress(len: u64, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({eta})")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style.progress_chars("=> "));
    bar.set_message(what.to_owned());
    bar
}

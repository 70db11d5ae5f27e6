//! Store URLs: the scheme, where the store is, and the options of its query
//! (`sqlite:chats.db?synchronous=full`). Every option is taken by name by the backend that knows
//! it; one left over is an error naming it.

use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use multichat_core::{Error, Result};

/// Which backend a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `memory:`: a [`multichat_core::MemoryStore`] (nothing kept after the process ends).
    Memory,
    /// `sqlite:PATH` or `sqlite::memory:`.
    Sqlite,
    /// `json:DIR`.
    Json,
    /// `redis://…`, `rediss://…` or `redis+cluster://…`.
    Redis,
    /// `postgres://…` or `postgresql://…`.
    Postgres,
}

/// A store URL taken apart. `Display` hides a Redis password.
#[derive(Clone, PartialEq, Eq)]
pub struct StoreUrl {
    /// The backend.
    pub scheme: Scheme,
    /// The path (SQLite, JSON) or the URL without its query (Redis).
    pub location: String,
    options: Vec<(String, String)>,
}

impl StoreUrl {
    /// Takes `url` apart; an unknown scheme or an option without `=` is
    /// [`Error::InvalidInput`].
    ///
    /// ```
    /// use multichat::{Scheme, StoreUrl};
    ///
    /// let url = StoreUrl::parse("sqlite:chats.db?synchronous=full")?;
    /// assert_eq!((url.scheme, url.location.as_str()), (Scheme::Sqlite, "chats.db"));
    /// assert!(StoreUrl::parse("mysql://db/").is_err());
    /// # Ok::<(), multichat::Error>(())
    /// ```
    pub fn parse(url: &str) -> Result<Self> {
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let (scheme, location) = split_scheme(base).ok_or_else(|| {
            let reason = format!(
                "{}: expected memory:, sqlite:PATH, json:DIR, redis://…, rediss://…, \
                 redis+cluster://… or postgres://… (see docs/urls.md)",
                redacted(base)
            );
            Error::invalid("store URL", reason)
        })?;
        let mut options = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').ok_or_else(|| {
                Error::invalid("store URL", format!("option `{pair}` has no `=value`"))
            })?;
            options.push((name.to_owned(), value.to_owned()));
        }
        Ok(Self {
            scheme,
            location: location.to_owned(),
            options,
        })
    }

    /// Removes and returns option `name` parsed as `T`; a value that does not parse is
    /// [`Error::InvalidInput`] naming the option and `expected` (what it takes).
    pub fn take<T: FromStr>(&mut self, name: &str, expected: &str) -> Result<Option<T>> {
        let Some(at) = self.options.iter().position(|(n, _)| n == name) else {
            return Ok(None);
        };
        let (_, value) = self.options.remove(at);
        value.parse().map(Some).map_err(|_| {
            let reason = format!("`{value}` is not {expected}");
            Error::invalid(format!("URL option {name}"), reason)
        })
    }

    /// Option `name` in milliseconds, as a [`Duration`].
    pub fn take_ms(&mut self, name: &str) -> Result<Option<Duration>> {
        Ok(self
            .take::<u64>(name, "a number of milliseconds")?
            .map(Duration::from_millis))
    }

    /// Fails with [`Error::InvalidInput`] naming the first option no backend took, and the ones
    /// `known` to this scheme.
    pub fn finish(self, known: &[&str]) -> Result<()> {
        match self.options.first() {
            None => Ok(()),
            Some((name, _)) => {
                let reason = format!(
                    "unknown option `{name}` for this store (known: {}; see docs/urls.md)",
                    known.join(", ")
                );
                Err(Error::invalid("store URL", reason))
            }
        }
    }

    /// The location with the options no backend took as its query: what a driver that reads
    /// options of its own (`tokio-postgres`) is given.
    pub fn with_remaining_options(self) -> String {
        if self.options.is_empty() {
            return self.location;
        }
        let query: Vec<String> = self
            .options
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        format!("{}?{}", self.location, query.join("&"))
    }

    /// The location as a file-system path: a first component that is a literal `~` is refused
    /// (nothing expands it here, so it would make a directory named `~`).
    pub fn path(&self) -> Result<&Path> {
        let path = Path::new(&self.location);
        if self.location.is_empty() {
            return Err(Error::invalid("store URL", "the path is empty"));
        }
        multichat_core::backend::refuse_tilde(path)?;
        Ok(path)
    }
}

fn split_scheme(base: &str) -> Option<(Scheme, &str)> {
    if base == "memory:" {
        return Some((Scheme::Memory, ""));
    }
    if let Some(path) = base.strip_prefix("sqlite:") {
        return Some((Scheme::Sqlite, path));
    }
    if let Some(dir) = base.strip_prefix("json:") {
        return Some((Scheme::Json, dir));
    }
    if ["postgres://", "postgresql://"]
        .iter()
        .any(|p| base.starts_with(p))
    {
        return Some((Scheme::Postgres, base));
    }
    ["redis://", "rediss://", "redis+cluster://"]
        .iter()
        .any(|p| base.starts_with(p))
        .then_some((Scheme::Redis, base))
}

/// `url` with what could be a password — whatever sits between the scheme and the last `@`,
/// but a user name before a `:` — replaced by `***`, whatever the scheme.
fn redacted(url: &str) -> String {
    let Some(at) = url.rfind('@') else {
        return url.to_owned();
    };
    let start = url
        .find("://")
        .map(|i| i + 3)
        .or_else(|| url.find(':').map(|i| i + 1))
        .unwrap_or(0)
        .min(at);
    let user = url[start..at]
        .split_once(':')
        .map_or(String::new(), |(user, _)| format!("{user}:"));
    format!("{}{user}***{}", &url[..start], &url[at..])
}

impl fmt::Display for StoreUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.scheme {
            Scheme::Memory => f.write_str("memory:"),
            Scheme::Sqlite => write!(f, "sqlite:{}", self.location),
            Scheme::Json => write!(f, "json:{}", self.location),
            Scheme::Redis | Scheme::Postgres => f.write_str(&redacted(&self.location)),
        }
    }
}

impl fmt::Debug for StoreUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StoreUrl({self})")
    }
}

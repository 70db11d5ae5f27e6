//! Redis URLs, with their password kept out of every `Debug`, `Display` and error message.

use std::fmt;

use multichat_core::{Error, Result};

/// Which kind of server a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One server: `redis://` or `rediss://`.
    Standalone,
    /// A Redis Cluster: `redis+cluster://host:port,host:port/`.
    Cluster,
}

/// A parsed Redis URL. `Display` and `Debug` show `***` instead of the password.
#[derive(Clone, PartialEq, Eq)]
pub struct RedisUrl {
    urls: Vec<String>,
    mode: Mode,
}

impl RedisUrl {
    /// Parses `redis://[user[:password]@]host[:port][/db]`, `rediss://…` (feature `tls`), or
    /// `redis+cluster://host:port[,host:port…]` (feature `cluster`).
    pub fn parse(url: &str) -> Result<Self> {
        if let Some(rest) = url.strip_prefix("redis+cluster://") {
            let (auth, hosts) = rest.rsplit_once('@').map_or(("", rest), |(a, h)| (a, h));
            let auth = if auth.is_empty() {
                String::new()
            } else {
                format!("{auth}@")
            };
            let hosts = hosts.trim_end_matches('/');
            let urls = hosts
                .split(',')
                .map(|h| format!("redis://{auth}{h}/"))
                .collect();
            return Ok(Self {
                urls,
                mode: Mode::Cluster,
            });
        }
        if !(url.starts_with("redis://") || url.starts_with("rediss://")) {
            let shown = redact(url);
            return Err(Error::invalid(
                "url",
                format!("{shown}: expected redis://, rediss:// or redis+cluster://"),
            ));
        }
        Ok(Self {
            urls: vec![url.to_owned()],
            mode: Mode::Standalone,
        })
    }

    /// The kind of server.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The node URLs, passwords included (for the client only).
    pub(crate) fn nodes(&self) -> &[String] {
        &self.urls
    }
}

/// `url` with its secret replaced by `***`: the password between `:` and `@` of the authority,
/// or, where the authority has no `:` or the URL is malformed (no `//`, so a password could stand
/// anywhere before the `@`), everything before the `@`.
///
/// ```
/// use multichat_redis::redact;
/// assert_eq!(redact("redis://user:pw@host:1/"), "redis://user:***@host:1/");
/// assert_eq!(redact("redis://pw@host/"), "redis://***@host/");
/// assert_eq!(redact("redis:pw@host"), "redis:***@host");
/// assert_eq!(redact("redis://host/"), "redis://host/");
/// ```
pub fn redact(url: &str) -> String {
    let (head, rest, proper) = match url.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest, true),
        None => match url.split_once(':') {
            Some((scheme, rest)) => (format!("{scheme}:"), rest, false),
            None => (String::new(), url, false),
        },
    };
    let Some((auth, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match auth.split_once(':') {
        Some((user, _)) if proper => format!("{head}{user}:***@{host}"),
        _ => format!("{head}***@{host}"),
    }
}

impl fmt::Display for RedisUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: Vec<String> = self.urls.iter().map(|u| redact(u)).collect();
        f.write_str(&shown.join(","))
    }
}

impl fmt::Debug for RedisUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RedisUrl({self})")
    }
}

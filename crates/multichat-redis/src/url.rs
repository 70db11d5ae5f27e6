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

/// `url` with the password (between `:` and `@` in the authority) replaced by `***`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((auth, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    let user = auth.split_once(':').map_or(auth, |(u, _)| u);
    format!("{scheme}://{user}:***@{host}")
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

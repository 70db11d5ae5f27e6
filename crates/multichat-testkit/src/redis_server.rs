//! A `redis-server` of the test's own: on a free loopback port, in a temp directory, with
//! nothing saved to disk; killed on drop; can be stopped and restarted on the same port.
//!
//! The binary is `redis-server` from `PATH`, or `MULTICHAT_REDIS_SERVER` (read at run time).
//! Without it, [`RedisServer::start`] panics with how to install it, unless
//! `MULTICHAT_SKIP_REDIS=1` is set, in which case it returns `None` and the test skips.

use std::process::{Child, Command, Stdio};

use tempfile::TempDir;

pub use crate::redis_proc::free_port;
use crate::redis_proc::{
    INSTALL, binary, binary_available, kill_and_wait, signal_tree, wait_until_up, watchdog,
};

/// A running (or stopped) private Redis server.
#[derive(Debug)]
pub struct RedisServer {
    port: u16,
    password: Option<String>,
    extra: Vec<String>,
    dir: TempDir,
    child: Option<Child>,
    watchdog: Option<Child>,
}

impl RedisServer {
    /// Starts a server; `None` only when the binary is missing and `MULTICHAT_SKIP_REDIS=1`.
    pub fn start() -> Option<Self> {
        Self::start_with(None, &[])
    }

    /// Starts a server that requires `password` (`requirepass`).
    pub fn start_with_password(password: &str) -> Option<Self> {
        Self::start_with(Some(password.to_owned()), &[])
    }

    /// Starts a server with extra `redis-server` arguments, on a port whose `port + 10000` (the
    /// cluster bus) is free too.
    pub fn start_with(password: Option<String>, extra: &[&str]) -> Option<Self> {
        if !binary_available() {
            assert!(
                std::env::var("MULTICHAT_SKIP_REDIS").as_deref() == Ok("1"),
                "{INSTALL}"
            );
            return None;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let extra = extra.iter().map(|s| (*s).to_owned()).collect();
        let mut server = Self {
            port: free_port(),
            password,
            extra,
            dir,
            child: None,
            watchdog: None,
        };
        server.restart();
        Some(server)
    }

    /// The loopback port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `redis://[:password@]127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        match &self.password {
            Some(p) => format!("redis://:{p}@127.0.0.1:{}/", self.port),
            None => format!("redis://127.0.0.1:{}/", self.port),
        }
    }

    /// Kills the server (SIGKILL) and waits for it to exit.
    pub fn stop(&mut self) {
        kill_and_wait(self.child.take(), self.watchdog.take());
    }

    /// Stops the server without killing it (`SIGSTOP`): it keeps its connections and answers
    /// nothing until [`RedisServer::resume`], as a stalled machine does.
    pub fn pause(&self) {
        if let Some(child) = &self.child {
            signal_tree(child.id(), "-STOP");
        }
    }

    /// Resumes a paused server (`SIGCONT`).
    pub fn resume(&self) {
        if let Some(child) = &self.child {
            signal_tree(child.id(), "-CONT");
        }
    }

    /// Starts the server again on the same port and waits until it answers (10 s at most).
    pub fn restart(&mut self) {
        self.stop();
        let mut args = vec![
            "--port".to_owned(),
            self.port.to_string(),
            "--bind".into(),
            "127.0.0.1".into(),
        ];
        args.extend(
            ["--save", "", "--appendonly", "no", "--protected-mode", "no"].map(String::from),
        );
        if let Some(p) = &self.password {
            args.extend(["--requirepass".to_owned(), p.clone()]);
        }
        args.extend(self.extra.iter().cloned());
        let child = Command::new(binary())
            .args(&args)
            .current_dir(self.dir.path())
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start redis-server: {e}. {INSTALL}"));
        self.watchdog = Some(watchdog(child.id()));
        self.child = Some(child);
        wait_until_up(self.port);
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

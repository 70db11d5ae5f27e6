//! A PostgreSQL server of the test's own: `initdb` into a temp directory, the postmaster on a
//! free loopback port with its socket in that directory, stopped on drop; it can be killed and
//! restarted on the same port and data.
//!
//! The binaries are found in `MULTICHAT_POSTGRES_BIN`, next to `initdb` on `PATH`, in
//! `pg_config --bindir`, or in `/usr/lib/postgresql/<version>/bin`. `initdb` refuses to run as
//! root, so as root the server runs as the unprivileged `postgres` user (Debian's package creates
//! it) through `setpriv`. Without the binaries, [`PostgresServer::start`] panics with how to
//! install them, unless `MULTICHAT_SKIP_POSTGRES=1` is set: it then returns `None`.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

pub use crate::postgres_proc::INSTALL;
use crate::postgres_proc::{
    bindir, chown_to_postgres, running_as_root, server_command, tls_only, wait_until_ready,
};
use crate::redis_proc::{free_port, kill_and_wait, signal_tree, watchdog};

/// A running (or stopped) private PostgreSQL server.
#[derive(Debug)]
pub struct PostgresServer {
    port: u16,
    bin: PathBuf,
    dir: TempDir,
    data: String,
    extra: Vec<String>,
    child: Option<Child>,
    watchdog: Option<Child>,
}

impl PostgresServer {
    /// Initialises a data directory and starts a server on it; `None` only when the binaries are
    /// missing and `MULTICHAT_SKIP_POSTGRES=1`.
    pub fn start() -> Option<Self> {
        Self::start_with(false)
    }

    /// [`PostgresServer::start`] with TLS: a self-signed certificate for `127.0.0.1` and
    /// `localhost` ([`PostgresServer::certificate`]), and only TLS connections accepted.
    pub fn start_tls() -> Option<Self> {
        Self::start_with(true)
    }

    fn start_with(tls: bool) -> Option<Self> {
        let Some(bin) = bindir() else {
            let skip = std::env::var("MULTICHAT_SKIP_POSTGRES").as_deref() == Ok("1");
            assert!(skip, "{INSTALL}");
            return None;
        };
        let dir = tempfile::tempdir().expect("temp dir");
        if running_as_root() {
            chown_to_postgres(dir.path());
        }
        let data = dir.path().join("data").display().to_string();
        let status = server_command(&bin, "initdb")
            .args(["-D", &data, "-U", "postgres", "-A", "trust", "-E", "UTF8"])
            .args(["--no-sync", "--no-instructions"])
            .stdout(Stdio::null())
            .status()
            .unwrap_or_else(|e| panic!("cannot run initdb: {e}. {INSTALL}"));
        assert!(status.success(), "initdb failed: {status}");
        let extra = if tls {
            tls_only(dir.path())
        } else {
            Vec::new()
        };
        let mut server = Self {
            port: free_port(),
            bin,
            dir,
            data,
            extra,
            child: None,
            watchdog: None,
        };
        server.restart();
        Some(server)
    }

    /// The certificate a TLS server ([`PostgresServer::start_tls`]) presents, as PEM: the root
    /// a client must trust.
    pub fn certificate(&self) -> PathBuf {
        self.dir.path().join("server.crt")
    }

    /// Stalls the server: `SIGSTOP` to the postmaster and every backend it started, so open
    /// connections stop answering and new ones are not accepted. [`PostgresServer::resume`]
    /// undoes it (dropping a paused server resumes it first).
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

    /// `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication).
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Kills the server (SIGKILL to the postmaster and every backend, which would otherwise
    /// finish what they are doing) and waits for it to exit: a crash, for fault tests.
    pub fn kill(&mut self) {
        if let Some(child) = &self.child {
            signal_tree(child.id(), "-KILL");
        }
        kill_and_wait(self.child.take(), self.watchdog.take());
    }

    /// Starts the server again on the same port and data and waits until it accepts
    /// connections (30 s at most: crash recovery runs first after a kill).
    pub fn restart(&mut self) {
        self.kill();
        let port = self.port.to_string();
        let socket = self.dir.path().display().to_string();
        let child = server_command(&self.bin, "postgres")
            .args(["-D", &self.data, "-p", &port, "-k", &socket])
            .args(["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"])
            .args(["-c", "max_connections=200", "-c", "shared_buffers=32MB"])
            .args(&self.extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start postgres: {e}. {INSTALL}"));
        self.watchdog = Some(watchdog(child.id()));
        self.child = Some(child);
        wait_until_ready(&self.bin, self.port);
    }
}

impl Drop for PostgresServer {
    fn drop(&mut self) {
        self.resume();
        if let Some(child) = &self.child {
            // A fast shutdown (SIGINT) ends every backend too; SIGKILL after 10 s.
            let _ = Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while let Some(child) = self.child.as_mut() {
                if child.try_wait().ok().flatten().is_some() || Instant::now() >= deadline {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        self.kill();
    }
}

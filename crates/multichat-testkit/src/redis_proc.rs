//! Process helpers of the server harnesses: finding the Redis binary, a free port, waiting for
//! the server to answer, the watchdog that kills servers the test process leaves behind, and
//! (for the PostgreSQL harness too) signals and the kill-and-reap.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What to do when `redis-server` is missing.
pub const INSTALL: &str = "redis-server was not found. Install it (Debian/Ubuntu: `apt-get install redis-server`; \
     macOS: `brew install redis`) or set MULTICHAT_REDIS_SERVER to its path. To skip the Redis tests, \
     set MULTICHAT_SKIP_REDIS=1.";

/// A shell loop that kills the server once this process is gone, so servers kept in statics
/// (shared by the tests of one binary) do not outlive the test run.
pub fn watchdog(server: u32) -> Child {
    let script = format!(
        "while kill -0 {} 2>/dev/null; do sleep 0.5; done; kill -9 {server} 2>/dev/null",
        std::process::id()
    );
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .spawn()
        .expect("spawn the watchdog shell")
}

pub fn binary() -> PathBuf {
    std::env::var_os("MULTICHAT_REDIS_SERVER")
        .map_or_else(|| PathBuf::from("redis-server"), PathBuf::from)
}

pub fn binary_available() -> bool {
    Command::new(binary())
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// A loopback port that is free, and whose `+ 10000` is free too; never 6379.
pub fn free_port() -> u16 {
    for _ in 0..200 {
        let port = TcpListener::bind("127.0.0.1:0")
            .expect("bind")
            .local_addr()
            .expect("addr")
            .port();
        let bus_free = port < 55535 && TcpListener::bind(("127.0.0.1", port + 10000)).is_ok();
        if bus_free && port != 6379 {
            return port;
        }
    }
    panic!("no free loopback port pair found");
}

/// Waits until something on `port` answers a PING (`+PONG`, or `-NOAUTH` when a password is set).
pub fn wait_until_up(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            let mut buf = [0; 16];
            let answered =
                s.write_all(b"PING\r\n").is_ok() && s.read(&mut buf).is_ok_and(|n| n > 0);
            if answered && (buf.starts_with(b"+PONG") || buf.starts_with(b"-NOAUTH")) {
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("redis-server on port {port} did not answer within 10 s");
}

/// Kills a server process and its watchdog (SIGKILL) and waits for both to exit.
pub fn kill_and_wait(server: Option<Child>, watchdog: Option<Child>) {
    for mut child in [server, watchdog].into_iter().flatten() {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// `signal` (`-STOP`, `-CONT`) to process `pid` and its children.
pub fn signal_tree(pid: u32, signal: &str) {
    let pid = pid.to_string();
    for (program, args) in [
        ("pkill", vec![signal, "-P", &pid]),
        ("kill", vec![signal, &pid]),
    ] {
        let _ = Command::new(program)
            .args(args)
            .stderr(Stdio::null())
            .status();
    }
}

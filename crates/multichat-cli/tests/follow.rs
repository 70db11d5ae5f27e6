//! `multichat messages follow`: a follower process prints, as JSON lines, what other processes
//! append, in order and each once, and ends with an error when the session is deleted.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn ok(store: &str, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_multichat"))
        .args(["--store", store])
        .args(args)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The follower's next line as `(seq, content)`, within 10 s.
fn next(lines: &mpsc::Receiver<String>) -> (u64, String) {
    let line = lines
        .recv_timeout(Duration::from_secs(10))
        .expect("the follower printed the message within 10 s");
    let m: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
    (
        m["seq"].as_u64().expect("seq"),
        m["content"].as_str().expect("content").to_owned(),
    )
}

/// Waits (10 s at most) for `child` to exit; its success.
fn exited(child: &mut Child) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().expect("wait") {
            return status.success();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    panic!("the follower did not end within 10 s of the delete");
}

#[test]
fn a_follower_prints_what_other_processes_append_and_ends_when_the_session_is_deleted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = format!("sqlite:{}", dir.path().join("follow.db").display());
    ok(&store, &["messages", "append", "s", "first"]);
    let mut follower = Command::new(env!("CARGO_BIN_EXE_multichat"))
        .args([
            "--store", &store, "--json", "messages", "follow", "s", "--after", "0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the follower");
    let stdout = BufReader::new(follower.stdout.take().expect("stdout"));
    let (send, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            let _ = send.send(line);
        }
    });
    assert_eq!(next(&lines), (1, "first".into()), "what was there");
    ok(&store, &["messages", "append", "s", "second\u{1b}[31m"]);
    ok(&store, &["messages", "append", "s", "third"]);
    assert_eq!(
        next(&lines),
        (2, "second\u{1b}[31m".into()),
        "JSON keeps the text exact"
    );
    assert_eq!(next(&lines), (3, "third".into()));
    ok(&store, &["sessions", "delete", "s"]);
    assert!(
        !exited(&mut follower),
        "a deleted session ends the follower with an error"
    );
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut follower.stderr.take().expect("stderr"), &mut stderr)
        .expect("stderr");
    assert!(stderr.contains("not found"), "{stderr}");
    assert!(lines.try_recv().is_err(), "nothing printed twice");
}

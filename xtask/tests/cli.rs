//! The command line: exit codes, formats, config errors, parse errors, `--bless`.

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("lint-v2")
        .args(args)
        .output()
        .expect("runs")
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, text).expect("write");
    path.display().to_string()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn clean_tree_exits_zero_and_findings_exit_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "src/ok.rs", "fn f() {}\n");
    let root = dir.path().to_str().expect("utf-8");
    let out = run(&["--path", root]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("lint-v2: 0 finding(s) in 1 file(s)"));
    write(
        dir.path(),
        "src/bad.rs",
        "fn f(a: u8, b: u8, c: u8, d: u8, e: u8, g: u8) {}\n",
    );
    let out = run(&["--path", root]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("error[V2-R5-parameters]: function `f` has parameter count 6 (limit 5)"),
        "{text}"
    );
    assert!(
        text.contains(&format!("  --> {root}/src/bad.rs:1:4")),
        "{text}"
    );
}

#[test]
fn json_format_has_one_object_per_finding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(dir.path(), "a.rs", &"fn f() {}\n".repeat(12));
    let out = run(&["--path", &file, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(
        (
            lines[0]["rule"].as_str(),
            lines[0]["value"].as_u64(),
            lines[0]["line"].as_u64()
        ),
        (Some("R2"), Some(12), Some(11))
    );
}

#[test]
fn metrics_format_reports_every_file_and_a_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.rs",
        "trait A {} trait B: A {}\nfn f(x: bool) -> u8 { if x { 1 } else { 0 } }\n",
    );
    let out = run(&[
        "--path",
        dir.path().to_str().expect("utf-8"),
        "--format",
        "metrics",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(
        (lines[0]["lines"].as_u64(), lines[0]["types"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(lines[0]["functions"][0]["complexity"].as_u64(), Some(2));
    assert_eq!(lines[0]["traits"][1]["depth"].as_u64(), Some(1));
    assert_eq!(lines[1]["summary"]["files"].as_u64(), Some(1));
}

#[test]
fn a_parse_error_exits_two_with_its_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(dir.path(), "broken.rs", "fn ok() {}\nfn broken( {\n");
    let out = run(&["--path", &file]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!("{file}:")),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("cannot parse"));
}

#[test]
fn bad_config_exits_two_naming_the_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.rs", "fn f() {}\n");
    let root = dir.path().to_str().expect("utf-8");
    for (toml, key) in [
        ("max-complexity = 0", "max-complexity"),
        ("max-lines = 3", "max-lines"),
        ("count-test-code = 1", "count-test-code"),
    ] {
        write(
            dir.path(),
            "Cargo.toml",
            &format!("[workspace.metadata.lint-v2]\n{toml}\n"),
        );
        let out = run(&["--path", root]);
        assert_eq!(out.status.code(), Some(2), "{toml}");
        assert!(
            stderr(&out).contains(&format!("`{key}`")),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn config_limits_and_excludes_apply() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.rs", "fn f() {}\nfn g() {}\n");
    write(dir.path(), "gen/b.rs", &"fn f() {}\n".repeat(30));
    let toml = "[workspace.metadata.lint-v2]\nmax-functions = 2\nexclude = [\"gen/**\"]\n";
    write(dir.path(), "Cargo.toml", toml);
    assert_eq!(
        run(&["--path", dir.path().to_str().expect("utf-8")])
            .status
            .code(),
        Some(0)
    );
    write(
        dir.path(),
        "Cargo.toml",
        "[workspace.metadata.lint-v2]\nmax-functions = 1\n",
    );
    assert_eq!(
        run(&["--path", dir.path().to_str().expect("utf-8")])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(run(&["--format", "xml"]).status.code(), Some(2));
    assert_eq!(run(&["--nonsense"]).status.code(), Some(2));
    assert_eq!(run(&["--path"]).status.code(), Some(2));
}

#[test]
fn bless_then_baseline_passes_until_a_regression() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(
        dir.path(),
        "src/a.rs",
        "fn f(a: u8, b: u8, c: u8, d: u8, e: u8, g: u8) {}\n",
    );
    let src = dir.path().join("src");
    let baseline = dir.path().join("baseline.json").display().to_string();
    let args = [
        "--path",
        src.to_str().expect("utf-8"),
        "--baseline",
        &baseline,
    ];
    assert_eq!(
        run(&[&args[..], &["--bless"]].concat()).status.code(),
        Some(0)
    );
    assert_eq!(run(&args).status.code(), Some(0));
    std::fs::write(
        &file,
        "fn f(a: u8, b: u8, c: u8, d: u8, e: u8, g: u8, h: u8) {}\n",
    )
    .expect("write");
    assert_eq!(run(&args).status.code(), Some(1));
    std::fs::write(&file, "fn f() {}\n").expect("write");
    let out = run(&args);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("V2-stale-baseline"));
}

#[test]
fn the_workspace_lints_clean_from_the_command_line() {
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

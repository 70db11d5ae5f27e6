//! The workspace obeys its own lint: no findings, no suppressions, no baseline.

use std::path::Path;

use xtask::lint::config::Config;
use xtask::lint::{lint_sources, suppress, walk};

#[test]
fn workspace_passes_lint_v2_without_suppressions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("manifest");
    let config = Config::from_manifest(&manifest).expect("valid config");
    let files = walk::rust_files(root, &config).expect("files");
    assert!(files.len() > 40, "found only {} files", files.len());
    let sources: Vec<(String, String)> = files
        .into_iter()
        .map(|(p, rel)| (rel, std::fs::read_to_string(p).expect("read")))
        .collect();
    for (path, text) in &sources {
        let (suppressions, malformed) = suppress::parse(path, text);
        assert!(
            suppressions.is_empty() && malformed.is_empty(),
            "{path} carries a suppression"
        );
    }
    let report = lint_sources(&sources, &config).expect("every file parses");
    let messages: Vec<String> = report
        .findings
        .iter()
        .map(|f| format!("{}: {}", f.path, f.message))
        .collect();
    assert!(
        messages.is_empty(),
        "lint-v2 findings:\n{}",
        messages.join("\n")
    );
}

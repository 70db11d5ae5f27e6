//! `docs/architecture.md` names only files that exist: every backticked name ending in `.rs`,
//! `.lua` or `/` is a path (or the end of one) under the crate whose paragraph it is in, or, in
//! the tables and elsewhere, under some crate of the workspace.

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

/// Every file and directory under `dir`, relative to the workspace root, with `/` separators
/// (directories end in `/`). `target` and hidden directories are skipped.
fn tree(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "target" {
            continue;
        }
        let rel = path.strip_prefix(root).expect("under the root");
        let rel = rel.to_string_lossy().replace('\\', "/");
        if path.is_dir() {
            out.push(format!("{rel}/"));
            tree(root, &path, out);
        } else {
            out.push(rel);
        }
    }
}

/// The backticked names of `line` that look like file or directory names.
fn names(line: &str) -> Vec<&str> {
    line.split('`')
        .skip(1)
        .step_by(2)
        .filter(|t| !t.contains(' ') && !t.contains('*'))
        .filter(|t| t.ends_with(".rs") || t.ends_with(".lua") || t.ends_with('/'))
        .collect()
}

/// The crate directory a code-map paragraph starting with `line` is about, if it starts one.
fn paragraph_crate(line: &str) -> Option<String> {
    let rest = line.strip_prefix("**`")?;
    let name = rest.split('`').next()?;
    (name.starts_with("crates/") || name == "xtask").then(|| format!("{name}/"))
}

#[test]
fn every_file_the_architecture_document_names_exists() {
    let root = workspace();
    let doc = std::fs::read_to_string(root.join("docs/architecture.md")).expect("the document");
    let mut files = Vec::new();
    tree(&root, &root, &mut files);
    let (mut scope, mut missing, mut checked) = (String::new(), Vec::new(), 0);
    for line in doc.lines() {
        if line.trim().is_empty() || line.starts_with('|') || line.starts_with('#') {
            scope.clear();
        }
        if let Some(dir) = paragraph_crate(line) {
            scope = dir;
        }
        for name in names(line) {
            checked += 1;
            let found = files
                .iter()
                .any(|f| f.starts_with(&scope) && (f == name || f.ends_with(&format!("/{name}"))));
            if !found {
                missing.push(format!("{name} (under {scope:?})"));
            }
        }
    }
    assert!(
        checked > 40,
        "only {checked} names found: is the parser still right?"
    );
    assert!(missing.is_empty(), "named but missing: {missing:?}");
}

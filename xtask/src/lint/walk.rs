//! Which files to lint: every `.rs` file under a root, minus `target/`, hidden directories and
//! the configured excludes, filtered by the configured includes.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::config::Config;

/// The `.rs` files under `root` (or `root` itself if it is a file), sorted, as paths relative to
/// `root` with `/` separators (a lone file keeps its own name).
pub fn rust_files(root: &Path, config: &Config) -> Result<Vec<(PathBuf, String)>, String> {
    if root.is_file() {
        return Ok(vec![(root.to_path_buf(), root.display().to_string())]);
    }
    let include = glob_set(&config.include)?;
    let exclude = glob_set(&config.exclude)?;
    let mut found = Vec::new();
    visit(root, &mut found).map_err(|e| format!("{}: {e}", root.display()))?;
    let mut kept: Vec<(PathBuf, String)> = found
        .into_iter()
        .filter_map(|p| relative(root, &p).map(|r| (p, r)))
        .filter(|(_, r)| (config.include.is_empty() || include.is_match(r)) && !exclude.is_match(r))
        .collect();
    kept.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(kept)
}

fn visit(dir: &Path, found: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.is_dir() && name != "target" && !name.starts_with('.') {
            visit(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    Ok(())
}

fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

fn glob_set(patterns: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        builder.add(
            Glob::new(pattern).map_err(|e| format!("lint-v2 config: bad glob `{pattern}`: {e}"))?,
        );
    }
    builder.build().map_err(|e| format!("lint-v2 config: {e}"))
}

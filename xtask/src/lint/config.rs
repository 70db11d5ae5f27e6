//! The lint's configuration: limits, include/exclude globs and the test-code switch, read from
//! `[workspace.metadata.lint-v2]` of a `Cargo.toml`.

use toml::{Table, Value};

/// The V2 limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// R1: physical lines per file.
    pub file_lines: usize,
    /// R2: functions with a body per file.
    pub functions: usize,
    /// R3: structs, enums, unions and traits per file.
    pub types: usize,
    /// R4: cyclomatic complexity per function.
    pub complexity: usize,
    /// R5: parameters per function.
    pub params: usize,
    /// R6: inheritance depth.
    pub depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            file_lines: 400,
            functions: 10,
            types: 5,
            complexity: 10,
            params: 5,
            depth: 2,
        }
    }
}

/// Everything that can be configured.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    /// The limits.
    pub limits: Limits,
    /// Globs of files to check (relative to the root); empty means every `.rs` file.
    pub include: Vec<String>,
    /// Globs of files to skip (relative to the root); `target/` is always skipped.
    pub exclude: Vec<String>,
    /// Whether test code counts toward R2 and R3.
    pub count_test_code: bool,
}

impl Config {
    /// Reads `[workspace.metadata.lint-v2]` (or `[package.metadata.lint-v2]`) from a manifest;
    /// defaults where absent. An unknown key or a wrong type is an error naming the key.
    pub fn from_manifest(text: &str) -> Result<Self, String> {
        let manifest: Table = text
            .parse()
            .map_err(|e| format!("Cargo.toml is not valid TOML: {e}"))?;
        let section = ["workspace", "package"]
            .iter()
            .find_map(|top| manifest.get(*top)?.get("metadata")?.get("lint-v2"));
        let mut config = Self::default();
        let Some(section) = section else {
            return Ok(config);
        };
        let table = section
            .as_table()
            .ok_or("[workspace.metadata.lint-v2] must be a table")?;
        for (key, value) in table {
            config
                .set(key, value)
                .map_err(|why| format!("lint-v2 config key `{key}`: {why}"))?;
        }
        Ok(config)
    }

    fn set(&mut self, key: &str, value: &Value) -> Result<(), String> {
        let limits = &mut self.limits;
        let slot = match key {
            "max-file-lines" => &mut limits.file_lines,
            "max-functions" => &mut limits.functions,
            "max-types" => &mut limits.types,
            "max-complexity" => &mut limits.complexity,
            "max-params" => &mut limits.params,
            "max-depth" => &mut limits.depth,
            _ => return self.set_other(key, value),
        };
        *slot = positive(value)?;
        Ok(())
    }

    fn set_other(&mut self, key: &str, value: &Value) -> Result<(), String> {
        match key {
            "include" => self.include = globs(value)?,
            "exclude" => self.exclude = globs(value)?,
            "count-test-code" => {
                self.count_test_code = value.as_bool().ok_or("expected true or false")?
            }
            _ => return Err("unknown key".into()),
        }
        Ok(())
    }
}

fn positive(value: &Value) -> Result<usize, String> {
    match value.as_integer().map(usize::try_from) {
        Some(Ok(n)) if n > 0 => Ok(n),
        _ => Err(format!("expected a positive integer, got {value}")),
    }
}

fn globs(value: &Value) -> Result<Vec<String>, String> {
    let list = value
        .as_array()
        .ok_or("expected an array of glob strings")?;
    list.iter()
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("expected a string, got {v}"))
        })
        .collect()
}

//! R6: inheritance depth of traits (supertraits) and of `Deref` chains, resolved by name across
//! the whole analysed tree.

use std::collections::{HashMap, HashSet};

use super::findings::{Finding, Rule};
use super::model::{FileMetrics, TypeDef};

/// The inheritance graph: each name's edges, from every definition with that name.
pub struct Graph<'a> {
    edges: HashMap<&'a str, Vec<&'a str>>,
    memo: HashMap<&'a str, usize>,
}

impl<'a> Graph<'a> {
    /// Builds the graph of every trait and `Deref` impl in `files`. A supertrait not defined in
    /// the tree is a leaf; a `Deref` target not defined in the tree adds no edge.
    pub fn new(files: &'a [FileMetrics]) -> Self {
        let defs = files.iter().flat_map(|f| &f.types);
        let known: HashSet<&str> = defs.clone().map(|t| t.name.as_str()).collect();
        let mut edges: HashMap<&str, Vec<&str>> = HashMap::new();
        for def in defs {
            let targets = def.parents.iter().map(String::as_str);
            let kept = targets.filter(|p| def.kind == "trait" || known.contains(p));
            edges.entry(def.name.as_str()).or_default().extend(kept);
        }
        Self {
            edges,
            memo: HashMap::new(),
        }
    }

    /// The depth of `name`: 0 without parents, else 1 + the deepest parent. An ambiguous name
    /// takes the deepest of its definitions; a cycle counts as depth 0 where it closes.
    pub fn depth(&mut self, name: &'a str) -> usize {
        let mut visiting = HashSet::new();
        self.depth_of(name, &mut visiting)
    }

    fn depth_of(&mut self, name: &'a str, visiting: &mut HashSet<&'a str>) -> usize {
        if let Some(&d) = self.memo.get(name) {
            return d;
        }
        if !visiting.insert(name) {
            return 0;
        }
        let parents = self.edges.get(name).cloned().unwrap_or_default();
        let deepest = parents
            .into_iter()
            .map(|p| self.depth_of(p, visiting) + 1)
            .max()
            .unwrap_or(0);
        visiting.remove(name);
        self.memo.insert(name, deepest);
        deepest
    }
}

/// The R6 findings of `files` with `limit`.
pub fn check_depth(files: &[FileMetrics], limit: usize) -> Vec<Finding> {
    let mut graph = Graph::new(files);
    let mut out = Vec::new();
    for file in files {
        for def in file
            .types
            .iter()
            .filter(|t| t.kind == "trait" || t.kind == "deref")
        {
            let depth = graph.depth(&def.name);
            if depth > limit {
                out.push(finding(&file.path, def, depth, limit));
            }
        }
    }
    out
}

fn finding(path: &str, def: &TypeDef, depth: usize, limit: usize) -> Finding {
    let what = if def.kind == "trait" {
        "trait"
    } else {
        "type (through Deref)"
    };
    Finding {
        rule: Rule::Depth,
        path: path.to_owned(),
        at: def.at,
        item: def.name.clone(),
        value: depth,
        limit,
        message: format!(
            "{what} `{}` has inheritance depth {depth} (limit {limit})",
            def.name
        ),
        first_line: def.first_line,
    }
}

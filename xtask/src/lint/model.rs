//! What the lint extracts from one file: the facts every rule is checked against.

use serde::Serialize;

/// A position in a file (1-based line and column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Default)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// One function with a body, or one trait method declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FnMetrics {
    /// Qualified name, e.g. `Store::append` or `outer::inner`.
    pub name: String,
    /// Where its `fn` keyword's name is.
    pub at: Location,
    /// The first line of the item, attributes and doc comments included.
    pub first_line: usize,
    /// McCabe complexity (1 for a declaration without body).
    pub complexity: usize,
    /// Number of inputs.
    pub params: usize,
    /// Whether it has a body (counts toward R2 and R4).
    pub has_body: bool,
    /// Whether R5 applies (not in `impl Trait for Type`, not `extern`).
    pub params_checked: bool,
    /// Whether it is test code.
    pub is_test: bool,
}

/// One struct, enum, union or trait definition, or one `Deref` impl.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeDef {
    /// The type's name.
    pub name: String,
    /// `struct`, `enum`, `union`, `trait`, or `deref` (an `impl Deref`, which is not a type).
    pub kind: &'static str,
    /// Where its name is.
    pub at: Location,
    /// The first line of the item, attributes included.
    pub first_line: usize,
    /// Names of supertraits (traits), or the `Deref` target (deref).
    pub parents: Vec<String>,
    /// Whether it is test code.
    pub is_test: bool,
}

/// Everything the rules need to know about one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct FileMetrics {
    /// The path as given to the lint.
    pub path: String,
    /// Physical lines.
    pub lines: usize,
    /// Functions and trait method declarations, in source order.
    pub functions: Vec<FnMetrics>,
    /// Types and `Deref` impls, in source order.
    pub types: Vec<TypeDef>,
}

//! The item collector: records every function, type, trait and `Deref` impl of one file, with
//! its qualified name and whether it is test code. `visit.rs` walks the syntax tree; `syntax.rs`
//! reads names, positions, supertraits and `Deref` targets off it.

mod syntax;
mod visit;

use syn::spanned::Spanned;
use syn::{Attribute, Ident, Signature};

use self::syntax::first_line;
pub use self::syntax::location;
use super::complexity::Complexity;
use super::model::{FileMetrics, FnMetrics, TypeDef};
use super::testcode::is_test_item;

/// Walks a file's items, keeping the qualified-name scope, the test-code flag and whether the
/// current `impl` implements a trait.
#[derive(Default)]
pub struct Collector {
    /// What was found.
    pub out: FileMetrics,
    scope: Vec<String>,
    in_test: bool,
    in_trait_impl: bool,
}

/// What a function-like item contributes, gathered before it is recorded.
pub struct FnItem<'a> {
    pub attrs: &'a [Attribute],
    pub sig: &'a Signature,
    pub body: Option<&'a syn::Block>,
    pub params_checked: bool,
}

impl Collector {
    /// A collector whose every item is test code when `test_file` is true.
    pub fn new(test_file: bool) -> Self {
        Self {
            in_test: test_file,
            ..Self::default()
        }
    }

    pub fn record_fn(&mut self, item: FnItem<'_>) {
        let name = self.qualified(&item.sig.ident);
        self.out.functions.push(FnMetrics {
            name,
            at: location(item.sig.ident.span()),
            first_line: first_line(item.attrs, item.sig.fn_token.span),
            complexity: item.body.map_or(1, Complexity::of_block),
            params: item.sig.inputs.len(),
            has_body: item.body.is_some(),
            params_checked: item.params_checked,
            is_test: self.in_test || is_test_item(item.attrs),
        });
    }

    pub fn record_type(
        &mut self,
        attrs: &[Attribute],
        ident: &Ident,
        kind: &'static str,
        parents: Vec<String>,
    ) {
        self.out.types.push(TypeDef {
            name: ident.to_string(),
            kind,
            at: location(ident.span()),
            first_line: first_line(attrs, ident.span()),
            parents,
            is_test: self.in_test || is_test_item(attrs),
        });
    }

    /// Runs `walk` with `name` pushed on the scope and the test flag raised by `attrs`.
    pub fn within(&mut self, name: String, attrs: &[Attribute], walk: impl FnOnce(&mut Self)) {
        let was_test = self.in_test;
        self.in_test |= is_test_item(attrs);
        self.scope.push(name);
        walk(self);
        self.scope.pop();
        self.in_test = was_test;
    }

    /// Records `impl Deref for <name> { type Target = <target>; }` as an inheritance edge.
    pub fn record_deref(&mut self, node: &syn::ItemImpl, name: &str, target: String) {
        self.out.types.push(TypeDef {
            name: name.to_owned(),
            kind: "deref",
            at: location(node.self_ty.span()),
            first_line: first_line(&node.attrs, node.impl_token.span),
            parents: vec![target],
            is_test: self.in_test || is_test_item(&node.attrs),
        });
    }

    fn qualified(&self, ident: &Ident) -> String {
        self.scope
            .iter()
            .map(String::as_str)
            .chain([ident.to_string().as_str()])
            .collect::<Vec<_>>()
            .join("::")
    }
}

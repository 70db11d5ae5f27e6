//! R4: McCabe complexity of one function body.

use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{BinOp, Expr, Macro, Token};

/// Counts decision points in a body: `if`, `while`, `for`, `let … else`, `&&`, `||`, `?`, match
/// guards and `arms - 1` per `match`. Closures and async blocks count toward the enclosing
/// function; nested `fn` items do not (they are functions of their own).
#[derive(Default)]
pub struct Complexity {
    /// Decision points found so far (complexity is this plus one).
    pub decisions: usize,
}

impl Complexity {
    /// The complexity of a function whose body is `block`.
    pub fn of_block(block: &syn::Block) -> usize {
        let mut counter = Self::default();
        counter.visit_block(block);
        counter.decisions + 1
    }
}

impl<'ast> Visit<'ast> for Complexity {
    fn visit_expr_if(&mut self, node: &'ast syn::ExprIf) {
        self.decisions += 1;
        visit::visit_expr_if(self, node);
    }

    fn visit_expr_while(&mut self, node: &'ast syn::ExprWhile) {
        self.decisions += 1;
        visit::visit_expr_while(self, node);
    }

    fn visit_expr_for_loop(&mut self, node: &'ast syn::ExprForLoop) {
        self.decisions += 1;
        visit::visit_expr_for_loop(self, node);
    }

    fn visit_expr_binary(&mut self, node: &'ast syn::ExprBinary) {
        self.decisions += usize::from(matches!(node.op, BinOp::And(_) | BinOp::Or(_)));
        visit::visit_expr_binary(self, node);
    }

    fn visit_expr_try(&mut self, node: &'ast syn::ExprTry) {
        self.decisions += 1;
        visit::visit_expr_try(self, node);
    }

    fn visit_expr_match(&mut self, node: &'ast syn::ExprMatch) {
        let guards = node.arms.iter().filter(|arm| arm.guard.is_some()).count();
        self.decisions += node.arms.len().saturating_sub(1) + guards;
        visit::visit_expr_match(self, node);
    }

    fn visit_local(&mut self, node: &'ast syn::Local) {
        let diverges = node
            .init
            .as_ref()
            .is_some_and(|init| init.diverge.is_some());
        self.decisions += usize::from(diverges);
        visit::visit_local(self, node);
    }

    fn visit_item(&mut self, _nested_item: &'ast syn::Item) {
        // A nested item (fn, impl, mod…) is measured on its own.
    }

    fn visit_macro(&mut self, node: &'ast Macro) {
        let parser = Punctuated::<Expr, Token![,]>::parse_terminated;
        if let Ok(args) = node.parse_body_with(parser) {
            args.iter().for_each(|expr| self.visit_expr(expr));
        }
    }
}

//! The syntax-tree walk: which items the collector records and which scopes it enters.

use syn::visit::{self, Visit};

use super::syntax::{deref_target, supertraits, type_name};
use super::{Collector, FnItem};

impl<'ast> Visit<'ast> for Collector {
    fn visit_item_fn(&mut self, node: &'ast syn::ItemFn) {
        let item = FnItem {
            attrs: &node.attrs,
            sig: &node.sig,
            body: Some(&node.block),
            params_checked: true,
        };
        self.record_fn(item);
        self.within(node.sig.ident.to_string(), &node.attrs, |c| {
            c.visit_block(&node.block)
        });
    }

    fn visit_impl_item_fn(&mut self, node: &'ast syn::ImplItemFn) {
        let checked = !self.in_trait_impl;
        let item = FnItem {
            attrs: &node.attrs,
            sig: &node.sig,
            body: Some(&node.block),
            params_checked: checked,
        };
        self.record_fn(item);
        self.within(node.sig.ident.to_string(), &node.attrs, |c| {
            c.visit_block(&node.block)
        });
    }

    fn visit_trait_item_fn(&mut self, node: &'ast syn::TraitItemFn) {
        let item = FnItem {
            attrs: &node.attrs,
            sig: &node.sig,
            body: node.default.as_ref(),
            params_checked: true,
        };
        self.record_fn(item);
        if let Some(body) = &node.default {
            self.within(node.sig.ident.to_string(), &node.attrs, |c| {
                c.visit_block(body)
            });
        }
    }

    fn visit_item_impl(&mut self, node: &'ast syn::ItemImpl) {
        let name = type_name(&node.self_ty);
        if let Some(target) = deref_target(node) {
            self.record_deref(node, &name, target);
        }
        let was_trait_impl = std::mem::replace(&mut self.in_trait_impl, node.trait_.is_some());
        self.within(name, &node.attrs, |c| visit::visit_item_impl(c, node));
        self.in_trait_impl = was_trait_impl;
    }

    fn visit_item_trait(&mut self, node: &'ast syn::ItemTrait) {
        self.record_type(&node.attrs, &node.ident, "trait", supertraits(node));
        self.within(node.ident.to_string(), &node.attrs, |c| {
            visit::visit_item_trait(c, node)
        });
    }

    fn visit_item_struct(&mut self, node: &'ast syn::ItemStruct) {
        self.record_type(&node.attrs, &node.ident, "struct", Vec::new());
    }

    fn visit_item_enum(&mut self, node: &'ast syn::ItemEnum) {
        self.record_type(&node.attrs, &node.ident, "enum", Vec::new());
    }

    fn visit_item_union(&mut self, node: &'ast syn::ItemUnion) {
        self.record_type(&node.attrs, &node.ident, "union", Vec::new());
    }

    fn visit_item_mod(&mut self, node: &'ast syn::ItemMod) {
        self.within(node.ident.to_string(), &node.attrs, |c| {
            visit::visit_item_mod(c, node)
        });
    }

    fn visit_item_foreign_mod(&mut self, _extern_block: &'ast syn::ItemForeignMod) {
        // `extern` functions have no body and no checked signature.
    }
}
